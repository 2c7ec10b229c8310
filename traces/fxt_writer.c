/* Writes tr_records as FXT: a magic record, the provider, an initialization
 * record with the tick rate, the process and thread, a trace-info event
 * with the metadata, then one event record per event. Names and keys go
 * into the string table once; strings beyond its 32767 entries go inline. */
#include "fxt.h"
#include "writer_impl.h"

#include <string.h>

/* Room for the few dozen static names with few collisions; a slot is a
 * product's top 10 bits. */
#define STATIC_SLOTS 1024

typedef struct fxt_state {
    GHashTable *strings; /* string -> index */
    /* The same by address, for names and keys that are static: an open
     * hash of pointers, cheaper than hashing their text every event. */
    const char *static_ptr[STATIC_SLOTS];
    unsigned static_ref[STATIC_SLOTS];
    unsigned next_index;
    struct fxt_template *templates; /* TEMPLATE_SLOTS of them */
} fxt_state;

/* A kind of record written before (its names, keys, field types and fixed
 * values the same), with the words those encode to: the next record of
 * the kind only adds its time and numbers. Only records whose strings are
 * all in the table qualify, so the words cannot differ from what
 * put_event() would write. */
#define TEMPLATE_SLOTS 64

typedef struct fxt_template {
    const char *category, *name;
    int type, nfields;
    uint64_t header;
    const char *keys[TR_MAX_FIELDS];
    const char *fixed[TR_MAX_FIELDS]; /* TR_F_STR: the value's address */
    tr_field_type types[TR_MAX_FIELDS];
    uint64_t heads[TR_MAX_FIELDS]; /* each argument's first word, less a flag's bit */
} fxt_template;

/* Makes room for n more bytes at the end of out and returns where they
 * go: a record is sized first, then stored in place. */
static inline uint8_t *grow(GString *out, size_t n)
{
    gsize at = out->len;
    if (at + n + 1 > out->allocated_len) {
        g_string_set_size(out, at + n);
    } else {
        out->len = at + n;
        out->str[at + n] = '\0';
    }
    return (uint8_t *)out->str + at;
}

static inline uint8_t *put64(uint8_t *p, uint64_t w)
{
    w = GUINT64_TO_LE(w);
    memcpy(p, &w, sizeof w);
    return p + sizeof w;
}

static inline void word(GString *out, uint64_t w)
{
    put64(grow(out, 8), w);
}

static size_t words_for(size_t bytes)
{
    return (bytes + 7) / 8;
}

/* s's len bytes, zero-padded to whole words. */
static uint8_t *put_padded(uint8_t *p, const char *s, size_t len)
{
    size_t total = words_for(len) * 8;
    memcpy(p, s, len);
    memset(p + len, 0, total - len);
    return p + total;
}

static void padded(GString *out, const char *s, size_t len)
{
    put_padded(grow(out, words_for(len) * 8), s, len);
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

static inline unsigned static_slot(const char *s)
{
    /* Literals sit a few bytes apart: the top bits of a 64-bit product
     * spread them, where low bits of the address would collide. */
    return (unsigned)(((uint64_t)(uintptr_t)s * 0x9e3779b97f4a7c15ull) >> 54);
}

/* intern() for strings that live as long as the program (keys, category
 * and event names, fixed field values): remembered by address, which costs
 * no hashing of the text. Never for other argument values, which may be a
 * guest's VMO name. */
static unsigned intern_static_slow(fxt_state *st, GString *out, const char *s, bool *inline_it)
{
    unsigned slot = static_slot(s);
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

/* Inline for the usual case, a string found in its first slot. */
static inline unsigned intern_static(fxt_state *st, GString *out, const char *s, bool *inline_it)
{
    unsigned k = static_slot(s);
    if (st->static_ptr[k] == s) {
        *inline_it = false;
        return st->static_ref[k];
    }
    return intern_static_slow(st, out, s, inline_it);
}

/* What one argument refers to in the string table. */
typedef struct arg_plan {
    unsigned key;
    unsigned value; /* TR_F_STR: a table reference, or inline with its length */
} arg_plan;

/* Interns the keys and string values of fields (their string records go
 * out now, ahead of the record that uses them) and returns how many words
 * the arguments take. */
static size_t plan_args(fxt_state *st, GString *out, const tr_field *fields, int n, arg_plan *plan)
{
    size_t words = 0;
    for (int i = 0; i < n; i++) {
        const tr_field *f = &fields[i];
        bool key_inline, value_inline;
        plan[i].key = intern_static(st, out, f->key, &key_inline);
        g_assert(!key_inline); /* keys are a fixed few, interned early */
        switch (f->type) {
        case TR_F_STR:
            plan[i].value = f->fixed && f->s ? intern_static(st, out, f->s, &value_inline)
                                             : intern(st, out, f->s ? f->s : "", &value_inline);
            words += 1 + (value_inline ? words_for(plan[i].value & ~FXT_STR_INLINE) : 0);
            break;
        case TR_F_BOOL:
            words += 1;
            break;
        default:
            words += 2;
            break;
        }
    }
    return words;
}

/* An argument's first word, without a flag's value bit. */
static uint64_t arg_head(const tr_field *f, const arg_plan *plan)
{
    uint64_t head = (uint64_t)plan->key << 16;
    switch (f->type) {
    case TR_F_STR: {
        unsigned v = plan->value;
        size_t extra = (v & FXT_STR_INLINE) ? words_for(v & ~FXT_STR_INLINE) : 0;
        return head | FXT_ARG_STRING | (uint64_t)(1 + extra) << 4 | (uint64_t)v << 32;
    }
    case TR_F_BOOL:
        return head | FXT_ARG_BOOL | 1u << 4;
    case TR_F_I64:
        return head | FXT_ARG_I64 | 2u << 4;
    case TR_F_U64:
        return head | FXT_ARG_U64 | 2u << 4;
    case TR_F_HEX:
        return head | FXT_ARG_POINTER | 2u << 4;
    case TR_F_KOID:
    default:
        return head | FXT_ARG_KOID | 2u << 4;
    }
}

/* The words after an argument's head: its number, a string's inline
 * text, or none. */
static inline uint8_t *put_arg_value(uint8_t *p, const tr_field *f, unsigned str_ref)
{
    switch (f->type) {
    case TR_F_STR:
        if (str_ref & FXT_STR_INLINE)
            p = put_padded(p, f->s, str_ref & ~FXT_STR_INLINE);
        return p;
    case TR_F_BOOL:
        return p;
    default:
        return put64(p, f->u);
    }
}

static inline uint64_t bool_bit(const tr_field *f)
{
    return f->type == TR_F_BOOL ? (uint64_t)(f->u != 0) << 32 : 0;
}

static uint8_t *put_args(uint8_t *p, const tr_field *fields, int n, const arg_plan *plan)
{
    for (int i = 0; i < n; i++) {
        p = put64(p, arg_head(&fields[i], &plan[i]) | bool_bit(&fields[i]));
        p = put_arg_value(p, &fields[i], plan[i].value);
    }
    return p;
}

static fxt_template *template_slot(fxt_state *st, const char *name)
{
    unsigned k = (unsigned)(((uint64_t)(uintptr_t)name * 0x9e3779b97f4a7c15ull) >> 58);
    return &st->templates[k % TEMPLATE_SLOTS];
}

static bool template_fits(const fxt_template *t, int type, const char *cat, const char *name,
                          const tr_field *fields, int nfields)
{
    if (t->name != name || t->category != cat || t->type != type || t->nfields != nfields)
        return false;
    for (int i = 0; i < nfields; i++) {
        const tr_field *f = &fields[i];
        if (f->key != t->keys[i] || f->type != t->types[i])
            return false;
        if (f->type == TR_F_STR && !(f->fixed && f->s == t->fixed[i]))
            return false;
    }
    return true;
}

static void template_keep(fxt_state *st, int type, const char *cat, const char *name,
                          uint64_t header, const tr_field *fields, int nfields,
                          const arg_plan *plan)
{
    for (int i = 0; i < nfields; i++)
        if (fields[i].type == TR_F_STR &&
            (!fields[i].fixed || !fields[i].s || (plan[i].value & FXT_STR_INLINE)))
            return;
    fxt_template *t = template_slot(st, name);
    *t = (fxt_template){
        .category = cat, .name = name, .type = type, .nfields = nfields, .header = header};
    for (int i = 0; i < nfields; i++) {
        t->keys[i] = fields[i].key;
        t->types[i] = fields[i].type;
        t->fixed[i] = fields[i].type == TR_F_STR ? fields[i].s : NULL;
        t->heads[i] = arg_head(&fields[i], &plan[i]);
    }
}

static void put_event(fxt_state *st, GString *out, int type, const char *cat, const char *name,
                      uint64_t time, const tr_field *fields, int nfields)
{
    const fxt_template *t = template_slot(st, name);
    if (template_fits(t, type, cat, name, fields, nfields)) {
        uint8_t *p = grow(out, fxt_bits(t->header, 4, 15) * 8);
        p = put64(p, t->header);
        p = put64(p, time);
        for (int i = 0; i < nfields; i++) {
            p = put64(p, t->heads[i] | bool_bit(&fields[i]));
            p = put_arg_value(p, &fields[i], 0);
        }
        return;
    }
    bool ci, ni;
    unsigned c = intern_static(st, out, cat, &ci);
    unsigned n = intern_static(st, out, name, &ni);
    arg_plan plan[TR_MAX_FIELDS];
    g_assert(nfields <= TR_MAX_FIELDS);
    size_t arg_words = plan_args(st, out, fields, nfields, plan);
    size_t cat_words = ci ? words_for(c & ~FXT_STR_INLINE) : 0;
    size_t name_words = ni ? words_for(n & ~FXT_STR_INLINE) : 0;
    uint64_t size = 2 + cat_words + name_words + arg_words;
    uint64_t header = FXT_EVENT | size << 4 | (uint64_t)type << 16 | (uint64_t)nfields << 20 |
                      (uint64_t)1 << 24 | (uint64_t)c << 32 | (uint64_t)n << 48;
    uint8_t *p = grow(out, size * 8);
    p = put64(p, header);
    p = put64(p, time);
    if (ci)
        p = put_padded(p, cat, c & ~FXT_STR_INLINE);
    if (ni)
        p = put_padded(p, name, n & ~FXT_STR_INLINE);
    put_args(p, fields, nfields, plan);
    if (!ci && !ni)
        template_keep(st, type, cat, name, header, fields, nfields, plan);
}

static void kernel_object(fxt_state *st, GString *out, int type, uint64_t koid, const char *name,
                          const tr_field *arg)
{
    bool ni;
    unsigned n = intern(st, out, name, &ni);
    g_assert(!ni);
    arg_plan plan[1];
    int nargs = arg ? 1 : 0;
    uint64_t size = 2 + plan_args(st, out, arg, nargs, plan);
    uint8_t *p = grow(out, size * 8);
    p = put64(p, FXT_KERNEL_OBJECT | size << 4 | (uint64_t)type << 16 | (uint64_t)n << 24 |
                     (uint64_t)nargs << 40);
    p = put64(p, koid);
    put_args(p, arg, nargs, plan);
}

static void *fxt_start(GString *out, const tr_meta *meta)
{
    fxt_state *st = g_new0(fxt_state, 1);
    st->strings = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    st->templates = g_new0(fxt_template, TEMPLATE_SLOTS);
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
    g_free(st->templates);
    g_free(st);
}

const tr_format_ops tr_fxt_ops = {fxt_start, fxt_record, fxt_finish};
