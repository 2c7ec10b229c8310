/* Trace files: a writer takes events from a sink and writes them in the
 * format the file name asks for, buffered. */
#pragma once

#include "events.h"

#include <glib.h>
#include <stdio.h>

typedef enum {
    TR_FORMAT_FXT,  /* .fxt: Fuchsia Trace Format (Perfetto, Fuchsia's tools) */
    TR_FORMAT_JSON, /* .json: Chrome trace-event JSON */
    TR_FORMAT_CSV,  /* .csv: one event a line */
    TR_FORMAT_TEXT, /* "-": a readable line per event on standard error */
} tr_format;

/* What the trace says about itself. */
typedef struct tr_meta {
    tr_clock_kind clock;
    uint64_t ticks_per_second; /* nominal: one tick is shown as 1 ns */
    const char *guest;         /* the guest's file name */
    const char *isa;
    const char *version; /* zxsim's */
    unsigned categories; /* tr_category bits recorded */
} tr_meta;

#define TR_TICKS_PER_SECOND 1000000000ull

/* The format for a path: "-" is text, else by extension; false for an
 * extension we do not write. */
bool tr_format_for_path(const char *path, tr_format *format);

typedef struct tr_writer tr_writer;

/* Opens path ("-": standard error) and writes the format's header. */
tr_writer *tr_writer_open(const char *path, const tr_meta *meta, GError **error);
/* Writes into an open stream, which stays the caller's. */
tr_writer *tr_writer_new(FILE *out, tr_format format, const tr_meta *meta);
/* The sink's emit function; ctx is the writer. */
void tr_writer_emit(void *writer, const tr_event *event);
/* Points sink at the writer. */
void tr_writer_attach(tr_writer *w, tr_sink *sink);
uint64_t tr_writer_events(const tr_writer *w);
uint64_t tr_writer_bytes(const tr_writer *w);
/* Writes the trailer, flushes and closes; false (and *error) when any
 * write failed. Frees w. */
bool tr_writer_close(tr_writer *w, GError **error);
