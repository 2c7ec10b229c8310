/* Writes tr_records as FXT: a magic record, the provider, an initialization
 * record with the tick rate, the process and thread, a trace-info event
 * with the metadata, then one event record per event. Names and keys go
 * into the string table once; strings beyond its 32767 entries go inline. */
#include "fxt.h"
#include "writer_impl.h"

#include <string.h>

#define STATIC_SLOTS 256

typedef struct fxt_state {
    GHashTable *strings; /* string -> index */
    /* The same by address, for names and keys that are static: an open
     * hash of pointers, cheaper than hashing their text every event. */
    const char *static_ptr[STATIC_SLOTS];
    unsigned static_ref[STATIC_SLOTS];
    GString *args; /* one event's arguments, reused */
    unsigned next_index;
} fxt_state;

/* Appends one little-endian word; the common case stays inline, since
 * every event is a dozen of them. */
static inline void word(GString *out, uint64_t w)
{
    gsize at = out->len;
    if (at + 9 > out->allocated_len) {
        g_string_set_size(out, at + 8);
    } else {
        out->len = at + 8;
        out->str[at + 8] = '\0';
    }
    for (int i = 0; i < 8; i++)
        out->str[at + (gsize)i] = (char)(w >> (8 * i));
}

static size_t words_for(size_t bytes)
{
    return (bytes + 7) / 8;
}

static void padded(GString *out, const char *s, size_t len)
{
    g_string_append_len(out, s, (gssize)len);
    static const char zeros[8] = {0};
    size_t pad = words_for(len) * 8 - len;
    g_string_append_len(out, zeros, (gssize)pad);
}

/* FXT strings are at most 32000 bytes. */
static size_t clamp_len(const char *s)
{
    size_t n = strlen(s);
    return n > 32000 ? 32000 : n;
}

/* A table reference for s, writing its string record the first time; 0 for
 * "" and for a string that must go inline because the table is full. */
static unsigned intern(fxt_state *st, GString *out, const char *s, bool *inline_it)
{
    *inline_it = false;
    if (*s == '\0')
        return 0;
    gpointer idx;
    if (g_hash_table_lookup_extended(st->strings, s, NULL, &idx))
        return GPOINTER_TO_UINT(idx);
    if (st->next_index > FXT_STR_MAX_INDEX) {
        *inline_it = true;
        return FXT_STR_INLINE | (unsigned)clamp_len(s);
    }
    unsigned i = st->next_index++;
    size_t len = clamp_len(s);
    word(out, FXT_STRING | (uint64_t)(1 + words_for(len)) << 4 | (uint64_t)i << 16 |
                  (uint64_t)len << 32);
    padded(out, s, len);
    g_hash_table_insert(st->strings, g_strdup(s), GUINT_TO_POINTER(i));
    return i;
}

/* intern() for strings that live as long as the program (keys, category
 * and event names): remembered by address, which costs no hashing of the
 * text. Never for argument values, which may be a guest's VMO name. */
static unsigned intern_static(fxt_state *st, GString *out, const char *s, bool *inline_it)
{
    unsigned slot = (unsigned)(((uintptr_t)s >> 3) * 0x9e3779b1u) % STATIC_SLOTS;
    for (unsigned probe = 0; probe < STATIC_SLOTS; probe++) {
        unsigned k = (slot + probe) % STATIC_SLOTS;
        if (st->static_ptr[k] == s) {
            *inline_it = false;
            return st->static_ref[k];
        }
        if (st->static_ptr[k] == NULL) {
            unsigned ref = intern(st, out, s, inline_it);
            if (ref && !*inline_it) {
                st->static_ptr[k] = s;
                st->static_ref[k] = ref;
            }
            return ref;
        }
    }
    return intern(st, out, s, inline_it); /* full: by text */
}

typedef struct arg_buf {
    GString *words;
    int count;
} arg_buf;

static void put_arg(fxt_state *st, GString *out, arg_buf *a, const tr_field *f)
{
    bool key_inline;
    unsigned key = intern_static(st, out, f->key, &key_inline);
    g_assert(!key_inline); /* keys are a fixed few, interned early */
    uint64_t head = (uint64_t)key << 16;
    switch (f->type) {
    case TR_F_STR: {
        bool value_inline;
        unsigned v = intern(st, out, f->s ? f->s : "", &value_inline);
        size_t extra = value_inline ? words_for(v & ~FXT_STR_INLINE) : 0;
        word(a->words, head | FXT_ARG_STRING | (uint64_t)(1 + extra) << 4 | (uint64_t)v << 32);
        if (value_inline)
            padded(a->words, f->s, v & ~FXT_STR_INLINE);
        break;
    }
    case TR_F_BOOL:
        word(a->words, head | FXT_ARG_BOOL | 1u << 4 | (uint64_t)(f->u != 0) << 32);
        break;
    case TR_F_I64:
        word(a->words, head | FXT_ARG_I64 | 2u << 4);
        word(a->words, f->u);
        break;
    case TR_F_U64:
        word(a->words, head | FXT_ARG_U64 | 2u << 4);
        word(a->words, f->u);
        break;
    case TR_F_HEX:
        word(a->words, head | FXT_ARG_POINTER | 2u << 4);
        word(a->words, f->u);
        break;
    case TR_F_KOID:
        word(a->words, head | FXT_ARG_KOID | 2u << 4);
        word(a->words, f->u);
        break;
    }
    a->count++;
}

static void put_event(fxt_state *st, GString *out, int type, const char *cat, const char *name,
                      uint64_t time, const tr_field *fields, int nfields)
{
    bool ci, ni;
    unsigned c = intern_static(st, out, cat, &ci);
    unsigned n = intern_static(st, out, name, &ni);
    g_string_truncate(st->args, 0);
    arg_buf a = {.words = st->args};
    for (int i = 0; i < nfields; i++)
        put_arg(st, out, &a, &fields[i]);
    size_t cat_words = ci ? words_for(c & ~FXT_STR_INLINE) : 0;
    size_t name_words = ni ? words_for(n & ~FXT_STR_INLINE) : 0;
    uint64_t size = 2 + cat_words + name_words + a.words->len / 8;
    word(out, FXT_EVENT | size << 4 | (uint64_t)type << 16 | (uint64_t)a.count << 20 |
                  (uint64_t)1 << 24 | (uint64_t)c << 32 | (uint64_t)n << 48);
    word(out, time);
    if (ci)
        padded(out, cat, c & ~FXT_STR_INLINE);
    if (ni)
        padded(out, name, n & ~FXT_STR_INLINE);
    g_string_append_len(out, a.words->str, (gssize)a.words->len);
}

static void kernel_object(fxt_state *st, GString *out, int type, uint64_t koid, const char *name,
                          const tr_field *arg)
{
    bool ni;
    unsigned n = intern(st, out, name, &ni);
    g_assert(!ni);
    arg_buf a = {.words = g_string_new(NULL)};
    if (arg)
        put_arg(st, out, &a, arg);
    uint64_t size = 2 + a.words->len / 8;
    word(out, FXT_KERNEL_OBJECT | size << 4 | (uint64_t)type << 16 | (uint64_t)n << 24 |
                  (uint64_t)a.count << 40);
    word(out, koid);
    g_string_append_len(out, a.words->str, (gssize)a.words->len);
    g_string_free(a.words, TRUE);
}

static void *fxt_start(GString *out, const tr_meta *meta)
{
    fxt_state *st = g_new0(fxt_state, 1);
    st->strings = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    st->args = g_string_sized_new(256);
    st->next_index = 1;
    word(out, FXT_MAGIC);
    static const char provider[] = "zxsim";
    word(out, FXT_METADATA | (uint64_t)(1 + words_for(sizeof provider - 1)) << 4 |
                  (uint64_t)FXT_META_PROVIDER_INFO << 16 | (uint64_t)1 << 20 |
                  (uint64_t)(sizeof provider - 1) << 52);
    padded(out, provider, sizeof provider - 1);
    word(out,
         FXT_METADATA | 1u << 4 | (uint64_t)FXT_META_PROVIDER_SECTION << 16 | (uint64_t)1 << 20);
    word(out, FXT_INIT | 2u << 4);
    word(out, meta->ticks_per_second);
    word(out, FXT_THREAD | 3u << 4 | (uint64_t)1 << 16);
    word(out, FXT_PID);
    word(out, FXT_TID);
    const char *guest = meta->guest && *meta->guest ? meta->guest : "guest";
    kernel_object(st, out, FXT_OBJ_PROCESS, FXT_PID, guest, NULL);
    tr_field process = {.key = "process", .type = TR_F_KOID, .u = FXT_PID};
    kernel_object(st, out, FXT_OBJ_THREAD, FXT_TID, "guest", &process);

    g_autofree char *cats = NULL;
    GString *c = g_string_new(NULL);
    for (unsigned bit = 1; bit & TR_CAT_ALL; bit <<= 1)
        if (meta->categories & bit)
            g_string_append_printf(c, "%s%s", c->len ? "," : "", tr_category_name(bit));
    cats = g_string_free(c, FALSE);
    tr_field info[] = {
        {.key = "clock", .type = TR_F_STR, .s = tr_clock_kind_name(meta->clock)},
        {.key = "isa", .type = TR_F_STR, .s = meta->isa ? meta->isa : ""},
        {.key = "guest", .type = TR_F_STR, .s = guest},
        {.key = "version", .type = TR_F_STR, .s = meta->version ? meta->version : ""},
        {.key = "categories", .type = TR_F_STR, .s = cats},
    };
    /* Every key an event may carry, so that no later string record has to
     * come before an event that needs it inline. */
    for (int i = 0; i < tr_field_key_count; i++) {
        bool unused;
        intern(st, out, tr_field_keys[i], &unused);
    }
    put_event(st, out, FXT_EV_INSTANT, "meta", "trace-info", 0, info, G_N_ELEMENTS(info));
    return st;
}

static void fxt_record(void *state, GString *out, const tr_record *rec)
{
    int type = rec->phase == TR_PHASE_BEGIN ? FXT_EV_BEGIN
               : rec->phase == TR_PHASE_END ? FXT_EV_END
                                            : FXT_EV_INSTANT;
    put_event(state, out, type, rec->category, rec->name, rec->time, rec->fields, rec->nfields);
}

static void fxt_finish(void *state, GString *out)
{
    fxt_state *st = state;
    g_hash_table_destroy(st->strings);
    g_string_free(st->args, TRUE);
    g_free(st);
}

const tr_format_ops tr_fxt_ops = {fxt_start, fxt_record, fxt_finish};
