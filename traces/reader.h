/* Reading our FXT traces back into events. */
#pragma once

#include "events.h"
#include "writer.h"

#include <glib.h>

typedef struct tr_trace {
    tr_meta meta;   /* strings live in pool */
    GArray *events; /* tr_event, in file order; strings live in pool */
    GStringChunk *pool;
    uint64_t records; /* FXT records read */
    uint64_t foreign; /* event records that are not one of ours, skipped */
} tr_trace;

/* Parses an FXT stream; on damage, an error naming the byte offset. */
tr_trace *tr_trace_parse_fxt(const guint8 *data, gsize len, GError **error);
/* Reads a file: FXT only (the formats report and trace-summary take). */
tr_trace *tr_trace_load(const char *path, GError **error);
void tr_trace_free(tr_trace *t);
