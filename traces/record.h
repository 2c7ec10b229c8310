/* An event as a flat list of named, typed fields: the one description of
 * what each event kind carries, shared by every writer and reader so the
 * formats cannot drift apart. */
#pragma once

#include "events.h"

#include <glib.h>

typedef enum {
    TR_F_U64,  /* a count */
    TR_F_I64,  /* a status or an exit code */
    TR_F_HEX,  /* an address or an offset */
    TR_F_STR,  /* a name */
    TR_F_BOOL, /* a flag */
    TR_F_KOID, /* a kernel object id */
} tr_field_type;

typedef struct tr_field {
    const char *key;
    tr_field_type type;
    uint64_t u; /* U64, HEX, KOID, BOOL; I64 as its bits */
    const char *s;
    /* s is one of a fixed set of names that live as long as the program
     * (an access, a permission string, a level), so a writer may know it
     * by its address; never a guest's or a file's string. */
    bool fixed;
} tr_field;

#define TR_MAX_FIELDS 15

typedef enum {
    TR_PHASE_INSTANT,
    TR_PHASE_BEGIN, /* a syscall's begin */
    TR_PHASE_END,   /* a syscall's end */
} tr_phase;

typedef struct tr_record {
    uint64_t time;
    const char *category;
    const char *name;
    tr_phase phase;
    int nfields;
    tr_field fields[TR_MAX_FIELDS];
} tr_record;

/* Fills rec from ev; the strings point into ev or static tables. */
void tr_record_from_event(const tr_event *ev, tr_record *rec);
/* The inverse; strings of rec are copied into pool. False when rec names no
 * event of ours (another provider's, or a damaged one). */
bool tr_record_to_event(const tr_record *rec, tr_event *ev, GStringChunk *pool);

const tr_field *tr_record_field(const tr_record *rec, const char *key);
/* "rw-" for MMU/ZX permission bits, and back. */
void tr_perms_text(unsigned perms, char out[4]);

/* How a text format spells the field types the formats disagree on;
 * numbers and statuses read the same in all of them. */
typedef struct tr_field_style {
    const char *hex_quote;                       /* around "0x..." */
    void (*string)(GString *out, const char *s); /* s never NULL */
    const char *yes, *no;
} tr_field_style;

void tr_field_append(GString *out, const tr_field *f, const tr_field_style *style);
/* v in decimal, as %llu writes it. */
void tr_append_u64(GString *out, uint64_t v);

/* Every field key any event has, in a fixed order: the CSV columns. */
extern const char *const tr_field_keys[];
extern const int tr_field_key_count;
