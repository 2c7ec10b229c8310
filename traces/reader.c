#include "reader.h"

#include "fxt.h"
#include "record.h"

#include <string.h>

typedef struct parser {
    const guint8 *data;
    gsize nwords;
    const char *strings[FXT_STR_MAX_INDEX + 1];
    tr_trace *t;
} parser;

static uint64_t word_at(const parser *p, gsize i)
{
    uint64_t w = 0;
    for (int b = 7; b >= 0; b--)
        w = w << 8 | p->data[i * 8 + (gsize)b];
    return w;
}

static bool damaged(GError **error, gsize word, const char *why)
{
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                "not a valid FXT trace: %s (record at byte %" G_GSIZE_FORMAT ")", why, word * 8);
    return false;
}

/* Resolves a string reference; an inline one is read at *at (in words,
 * within [.., end)) and *at moves past it. */
static bool string_ref(parser *p, unsigned ref, gsize *at, gsize end, const char **out)
{
    if (ref & FXT_STR_INLINE) {
        gsize len = ref & ~FXT_STR_INLINE;
        gsize words = (len + 7) / 8;
        if (*at + words > end)
            return false;
        char *s = g_strndup((const char *)p->data + *at * 8, len);
        *out = g_string_chunk_insert_const(p->t->pool, s);
        g_free(s);
        *at += words;
        return true;
    }
    if (ref == 0) {
        *out = "";
        return true;
    }
    *out = p->strings[ref];
    return *out != NULL;
}

static bool parse_args(parser *p, gsize at, gsize end, int nargs, tr_record *rec)
{
    for (int i = 0; i < nargs; i++) {
        if (at >= end)
            return false;
        uint64_t h = word_at(p, at);
        unsigned type = (unsigned)fxt_bits(h, 0, 3);
        gsize size = (gsize)fxt_bits(h, 4, 15);
        if (size == 0 || at + size > end)
            return false;
        gsize next = at + size;
        gsize cursor = at + 1;
        const char *key;
        if (!string_ref(p, (unsigned)fxt_bits(h, 16, 31), &cursor, next, &key))
            return false;
        tr_field f = {.key = key};
        switch (type) {
        case FXT_ARG_I32:
            f.type = TR_F_I64;
            f.u = (uint64_t)(int64_t)(int32_t)fxt_bits(h, 32, 63);
            break;
        case FXT_ARG_U32:
            f.type = TR_F_U64;
            f.u = fxt_bits(h, 32, 63);
            break;
        case FXT_ARG_BOOL:
            f.type = TR_F_BOOL;
            f.u = fxt_bits(h, 32, 32);
            break;
        case FXT_ARG_STRING:
            f.type = TR_F_STR;
            if (!string_ref(p, (unsigned)fxt_bits(h, 32, 47), &cursor, next, &f.s))
                return false;
            break;
        case FXT_ARG_I64:
        case FXT_ARG_U64:
        case FXT_ARG_POINTER:
        case FXT_ARG_KOID:
        case FXT_ARG_DOUBLE:
            if (cursor >= next)
                return false;
            f.u = word_at(p, cursor);
            f.type = type == FXT_ARG_I64       ? TR_F_I64
                     : type == FXT_ARG_POINTER ? TR_F_HEX
                     : type == FXT_ARG_KOID    ? TR_F_KOID
                                               : TR_F_U64;
            break;
        default:
            f.type = TR_F_U64; /* a type we do not write: kept as nothing */
            break;
        }
        if (rec->nfields < TR_MAX_FIELDS)
            rec->fields[rec->nfields++] = f;
        at = next;
    }
    return true;
}

static void take_meta(tr_trace *t, const tr_record *rec)
{
    const tr_field *f;
    if ((f = tr_record_field(rec, "clock")) && f->s) {
        for (int c = TR_CLOCK_LOGICAL; c <= TR_CLOCK_CYCLES; c++)
            if (strcmp(f->s, tr_clock_kind_name((tr_clock_kind)c)) == 0)
                t->meta.clock = (tr_clock_kind)c;
    }
    if ((f = tr_record_field(rec, "isa")) && f->s)
        t->meta.isa = f->s;
    if ((f = tr_record_field(rec, "guest")) && f->s)
        t->meta.guest = f->s;
    if ((f = tr_record_field(rec, "version")) && f->s)
        t->meta.version = f->s;
    if ((f = tr_record_field(rec, "categories")) && f->s) {
        const char *bad;
        unsigned cats;
        if (tr_parse_categories(f->s, &cats, &bad))
            t->meta.categories = cats;
    }
}

static bool parse_event(parser *p, gsize at, gsize end, uint64_t h)
{
    int type = (int)fxt_bits(h, 16, 19);
    int nargs = (int)fxt_bits(h, 20, 23);
    unsigned thread = (unsigned)fxt_bits(h, 24, 31);
    tr_record rec = {0};
    gsize cursor = at + 1;
    if (cursor >= end)
        return false;
    rec.time = word_at(p, cursor++);
    if (thread == 0)
        cursor += 2; /* an inline process and thread */
    if (cursor > end ||
        !string_ref(p, (unsigned)fxt_bits(h, 32, 47), &cursor, end, &rec.category) ||
        !string_ref(p, (unsigned)fxt_bits(h, 48, 63), &cursor, end, &rec.name))
        return false;
    if (!parse_args(p, cursor, end, nargs, &rec))
        return false;
    rec.phase = type == FXT_EV_BEGIN ? TR_PHASE_BEGIN
                : type == FXT_EV_END ? TR_PHASE_END
                                     : TR_PHASE_INSTANT;
    if (strcmp(rec.category, "meta") == 0 && strcmp(rec.name, "trace-info") == 0) {
        take_meta(p->t, &rec);
        return true;
    }
    tr_event ev;
    if (type > FXT_EV_END || !tr_record_to_event(&rec, &ev, p->t->pool)) {
        p->t->foreign++;
        return true;
    }
    g_array_append_val(p->t->events, ev);
    return true;
}

tr_trace *tr_trace_parse_fxt(const guint8 *data, gsize len, GError **error)
{
    if (len == 0) {
        damaged(error, 0, "the file is empty");
        return NULL;
    }
    if (len < 8 || len % 8 != 0) {
        damaged(error, 0, "its size is not a whole number of 64-bit words");
        return NULL;
    }
    parser *p = g_new0(parser, 1);
    p->data = data;
    p->nwords = len / 8;
    tr_trace *t = g_new0(tr_trace, 1);
    t->events = g_array_new(FALSE, FALSE, sizeof(tr_event));
    t->pool = g_string_chunk_new(4096);
    t->meta.ticks_per_second = TR_TICKS_PER_SECOND;
    p->t = t;
    bool ok = true;
    if (word_at(p, 0) != FXT_MAGIC)
        ok = damaged(error, 0, "no FXT magic number record at the start");
    gsize at = 1;
    while (ok && at < p->nwords) {
        uint64_t h = word_at(p, at);
        gsize size = (gsize)fxt_bits(h, 4, 15);
        if (size == 0 || at + size > p->nwords) {
            ok = damaged(error, at, "record size is zero or runs past the end");
            break;
        }
        gsize end = at + size;
        switch (fxt_bits(h, 0, 3)) {
        case FXT_INIT:
            if (size < 2)
                ok = damaged(error, at, "short initialization record");
            else
                t->meta.ticks_per_second = word_at(p, at + 1);
            break;
        case FXT_STRING: {
            unsigned index = (unsigned)fxt_bits(h, 16, 30);
            gsize slen = (gsize)fxt_bits(h, 32, 46);
            if (index == 0 || 1 + (slen + 7) / 8 > size) {
                ok = damaged(error, at, "bad string record");
                break;
            }
            char *s = g_strndup((const char *)data + (at + 1) * 8, slen);
            p->strings[index] = g_string_chunk_insert_const(t->pool, s);
            g_free(s);
            break;
        }
        case FXT_EVENT:
            if (!parse_event(p, at, end, h))
                ok = damaged(error, at, "bad event record");
            break;
        default:
            break; /* metadata, threads, kernel objects: nothing to keep */
        }
        t->records++;
        at = end;
    }
    g_free(p);
    if (!ok) {
        tr_trace_free(t);
        return NULL;
    }
    return t;
}

tr_trace *tr_trace_load(const char *path, GError **error)
{
    gchar *data;
    gsize len;
    if (!g_file_get_contents(path, &data, &len, error))
        return NULL;
    tr_trace *t = tr_trace_parse_fxt((const guint8 *)data, len, error);
    g_free(data);
    if (t == NULL && error && *error) {
        g_prefix_error(error, "%s: ", path);
        if (g_str_has_suffix(path, ".json") || g_str_has_suffix(path, ".csv"))
            g_prefix_error(error, "(reports read .fxt traces) ");
    }
    return t;
}

void tr_trace_free(tr_trace *t)
{
    if (t == NULL)
        return;
    g_array_free(t->events, TRUE);
    g_string_chunk_free(t->pool);
    g_free(t);
}
