#include "record.h"

#include <string.h>

const char *const tr_field_keys[] = {
    "va",
    "pc",
    "access",
    "vmo",
    "offset",
    "pa",
    "status",
    "kernel",
    "number",
    "a0",
    "a1",
    "a2",
    "a3",
    "a4",
    "a5",
    "a6",
    "a7",
    "duration",
    "base",
    "size",
    "perms",
    "name",
    "kind",
    "asid",
    "len",
    "entries",
    "level",
    "levels_read",
    "walk_cache_hits",
    "koid",
    "code",
};
const int tr_field_key_count = G_N_ELEMENTS(tr_field_keys);

static const char *const arg_keys[8] = {"a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7"};

static void add(tr_record *rec, const char *key, tr_field_type type, uint64_t u, const char *s)
{
    g_assert(rec->nfields < TR_MAX_FIELDS);
    rec->fields[rec->nfields++] = (tr_field){.key = key, .type = type, .u = u, .s = s};
}

/* A string field whose value comes from one of the static name tables. */
static void add_name(tr_record *rec, const char *key, const char *s)
{
    g_assert(rec->nfields < TR_MAX_FIELDS);
    rec->fields[rec->nfields++] = (tr_field){.key = key, .type = TR_F_STR, .s = s, .fixed = true};
}

void tr_perms_text(unsigned perms, char out[4])
{
    out[0] = (perms & TR_ACCESS_READ) ? 'r' : '-';
    out[1] = (perms & TR_ACCESS_WRITE) ? 'w' : '-';
    out[2] = (perms & TR_ACCESS_EXEC) ? 'x' : '-';
    out[3] = '\0';
}

static const char *const perms_names[8] = {"---", "r--", "-w-", "rw-", "--x", "r-x", "-wx", "rwx"};

void tr_record_from_event(const tr_event *ev, tr_record *rec)
{
    /* Every event is recorded through here: only what is read is set (a
     * reader looks at fields[0..nfields) only). */
    rec->time = ev->time;
    rec->category = NULL;
    rec->name = NULL;
    rec->nfields = 0;
    rec->phase = TR_PHASE_INSTANT;
    switch (ev->kind) {
    case TR_EV_PROCESS_START:
        rec->category = "process";
        rec->name = "process-start";
        add(rec, "koid", TR_F_KOID, ev->u.start.koid, NULL);
        add(rec, "name", TR_F_STR, 0, ev->u.start.name ? ev->u.start.name : "");
        break;
    case TR_EV_PROCESS_EXIT:
        rec->category = "process";
        rec->name = "process-exit";
        add(rec, "code", TR_F_I64, (uint64_t)ev->u.exit.code, NULL);
        break;
    case TR_EV_FAULT:
        rec->category = "fault";
        rec->name = tr_fault_kind_name(ev->u.fault.kind);
        add(rec, "va", TR_F_HEX, ev->u.fault.va, NULL);
        add(rec, "pc", TR_F_HEX, ev->u.fault.pc, NULL);
        add_name(rec, "access", tr_access_name(ev->u.fault.access));
        add(rec, "vmo", TR_F_KOID, ev->u.fault.vmo_koid, NULL);
        add(rec, "offset", TR_F_HEX, ev->u.fault.vmo_offset, NULL);
        add(rec, "pa", TR_F_HEX, ev->u.fault.pa, NULL);
        add(rec, "status", TR_F_I64, (uint64_t)(int64_t)ev->u.fault.status, NULL);
        add(rec, "kernel", TR_F_BOOL, ev->u.fault.from_kernel, NULL);
        break;
    case TR_EV_SYSCALL_BEGIN:
    case TR_EV_SYSCALL:
        rec->category = "syscall";
        rec->name = ev->u.syscall.name ? ev->u.syscall.name : "unknown";
        add(rec, "number", TR_F_U64, ev->u.syscall.number, NULL);
        if (ev->kind == TR_EV_SYSCALL_BEGIN) {
            rec->phase = TR_PHASE_BEGIN;
            for (uint32_t i = 0; i < ev->u.syscall.nargs && i < 8; i++)
                add(rec, arg_keys[i], TR_F_HEX, ev->u.syscall.args[i], NULL);
        } else {
            rec->phase = TR_PHASE_END;
            add(rec, "status", TR_F_I64, (uint64_t)ev->u.syscall.result, NULL);
            add(rec, "duration", TR_F_U64, ev->u.syscall.duration, NULL);
        }
        break;
    case TR_EV_MAP:
    case TR_EV_UNMAP:
    case TR_EV_PROTECT:
        rec->category = "vm";
        rec->name = tr_event_kind_name(ev->kind);
        add(rec, "base", TR_F_HEX, ev->u.range.base, NULL);
        add(rec, "size", TR_F_HEX, ev->u.range.size, NULL);
        add_name(rec, "perms", perms_names[ev->u.range.perms & 7]);
        add(rec, "vmo", TR_F_KOID, ev->u.range.vmo_koid, NULL);
        add(rec, "offset", TR_F_HEX, ev->u.range.vmo_offset, NULL);
        if (ev->kind == TR_EV_MAP)
            add(rec, "name", TR_F_STR, 0, ev->u.range.vmo_name ? ev->u.range.vmo_name : "");
        break;
    case TR_EV_SHOOTDOWN:
        rec->category = "tlb";
        rec->name = "shootdown";
        add_name(rec, "kind", tr_shootdown_kind_name(ev->u.shootdown.kind));
        add(rec, "asid", TR_F_U64, ev->u.shootdown.asid, NULL);
        add(rec, "va", TR_F_HEX, ev->u.shootdown.va, NULL);
        add(rec, "len", TR_F_HEX, ev->u.shootdown.len, NULL);
        add(rec, "entries", TR_F_U64, ev->u.shootdown.entries, NULL);
        break;
    case TR_EV_TLB:
        rec->category = "tlb";
        rec->name = tr_tlb_op_name(ev->u.tlb.op);
        add_name(rec, "level", tr_tlb_level_name(ev->u.tlb.level));
        add(rec, "asid", TR_F_U64, ev->u.tlb.asid, NULL);
        add(rec, "va", TR_F_HEX, ev->u.tlb.va, NULL);
        break;
    case TR_EV_WALK:
        rec->category = "walk";
        rec->name = "walk";
        add(rec, "asid", TR_F_U64, ev->u.walk.asid, NULL);
        add(rec, "va", TR_F_HEX, ev->u.walk.va, NULL);
        add_name(rec, "access", tr_access_name(ev->u.walk.access));
        add(rec, "levels_read", TR_F_U64, (uint64_t)ev->u.walk.levels_read, NULL);
        add(rec, "walk_cache_hits", TR_F_U64, (uint64_t)ev->u.walk.walk_cache_hits, NULL);
        break;
    case TR_EV_CACHE:
        rec->category = "cache";
        rec->name = tr_cache_op_name(ev->u.cache.op);
        add_name(rec, "level", tr_cache_level_name(ev->u.cache.level));
        add(rec, "pa", TR_F_HEX, ev->u.cache.pa, NULL);
        add(rec, "kernel", TR_F_BOOL, ev->u.cache.from_kernel, NULL);
        break;
    case TR_EV_KINDS:
        rec->category = "?";
        rec->name = "?";
        break;
    }
}

const tr_field *tr_record_field(const tr_record *rec, const char *key)
{
    for (int i = 0; i < rec->nfields; i++)
        if (strcmp(rec->fields[i].key, key) == 0)
            return &rec->fields[i];
    return NULL;
}

static uint64_t num(const tr_record *rec, const char *key)
{
    const tr_field *f = tr_record_field(rec, key);
    return f ? f->u : 0;
}

static const char *str(const tr_record *rec, const char *key)
{
    const tr_field *f = tr_record_field(rec, key);
    return f && f->s ? f->s : "";
}

/* The index of name in names, or -1. */
static int lookup(const char *name, const char *(*name_of)(int), int count)
{
    for (int i = 0; i < count; i++)
        if (strcmp(name_of(i), name) == 0)
            return i;
    return -1;
}

static const char *fault_name(int i)
{
    return tr_fault_kind_name((tr_fault_kind)i);
}
static const char *tlb_op_name(int i)
{
    return tr_tlb_op_name((tr_tlb_op)i);
}
static const char *tlb_level_name(int i)
{
    return tr_tlb_level_name((tr_tlb_level)i);
}
static const char *cache_op_name(int i)
{
    return tr_cache_op_name((tr_cache_op)i);
}
static const char *cache_level_name(int i)
{
    return tr_cache_level_name((tr_cache_level)i);
}
static const char *shootdown_name(int i)
{
    return tr_shootdown_kind_name((tr_shootdown_kind)i);
}
static const char *range_name(int i)
{
    return tr_event_kind_name((tr_event_kind)(TR_EV_MAP + i));
}

static unsigned access_bits(const char *name)
{
    if (strcmp(name, "execute") == 0)
        return TR_ACCESS_EXEC;
    if (strcmp(name, "write") == 0)
        return TR_ACCESS_WRITE;
    return TR_ACCESS_READ;
}

static unsigned perms_bits(const char *text)
{
    unsigned p = 0;
    if (strchr(text, 'r'))
        p |= TR_ACCESS_READ;
    if (strchr(text, 'w'))
        p |= TR_ACCESS_WRITE;
    if (strchr(text, 'x'))
        p |= TR_ACCESS_EXEC;
    return p;
}

static const char *keep(GStringChunk *pool, const char *s)
{
    return g_string_chunk_insert_const(pool, s);
}

bool tr_record_to_event(const tr_record *rec, tr_event *ev, GStringChunk *pool)
{
    memset(ev, 0, sizeof *ev);
    ev->time = rec->time;
    const char *cat = rec->category, *name = rec->name;
    int i;
    if (strcmp(cat, "process") == 0 && strcmp(name, "process-start") == 0) {
        ev->kind = TR_EV_PROCESS_START;
        ev->u.start.koid = num(rec, "koid");
        ev->u.start.name = keep(pool, str(rec, "name"));
    } else if (strcmp(cat, "process") == 0 && strcmp(name, "process-exit") == 0) {
        ev->kind = TR_EV_PROCESS_EXIT;
        ev->u.exit.code = (int64_t)num(rec, "code");
    } else if (strcmp(cat, "fault") == 0 && (i = lookup(name, fault_name, TR_FAULT_KINDS)) >= 0) {
        ev->kind = TR_EV_FAULT;
        ev->u.fault.kind = (tr_fault_kind)i;
        ev->u.fault.va = num(rec, "va");
        ev->u.fault.pc = num(rec, "pc");
        ev->u.fault.access = access_bits(str(rec, "access"));
        ev->u.fault.vmo_koid = num(rec, "vmo");
        ev->u.fault.vmo_offset = num(rec, "offset");
        ev->u.fault.pa = num(rec, "pa");
        ev->u.fault.status = (int32_t)(int64_t)num(rec, "status");
        ev->u.fault.from_kernel = num(rec, "kernel") != 0;
    } else if (strcmp(cat, "syscall") == 0 && rec->phase != TR_PHASE_INSTANT) {
        ev->kind = rec->phase == TR_PHASE_BEGIN ? TR_EV_SYSCALL_BEGIN : TR_EV_SYSCALL;
        ev->u.syscall.number = (uint32_t)num(rec, "number");
        ev->u.syscall.name = strcmp(name, "unknown") == 0 ? NULL : keep(pool, name);
        if (rec->phase == TR_PHASE_BEGIN) {
            for (int a = 0; a < 8; a++) {
                const tr_field *f = tr_record_field(rec, arg_keys[a]);
                if (f == NULL)
                    break;
                ev->u.syscall.args[a] = f->u;
                ev->u.syscall.nargs = (uint32_t)a + 1;
            }
        } else {
            ev->u.syscall.result = (int64_t)num(rec, "status");
            ev->u.syscall.duration = num(rec, "duration");
        }
    } else if (strcmp(cat, "vm") == 0 && (i = lookup(name, range_name, 3)) >= 0) {
        ev->kind = (tr_event_kind)(TR_EV_MAP + i);
        ev->u.range.base = num(rec, "base");
        ev->u.range.size = num(rec, "size");
        ev->u.range.perms = perms_bits(str(rec, "perms"));
        ev->u.range.vmo_koid = num(rec, "vmo");
        ev->u.range.vmo_offset = num(rec, "offset");
        if (ev->kind == TR_EV_MAP)
            ev->u.range.vmo_name = keep(pool, str(rec, "name"));
    } else if (strcmp(cat, "tlb") == 0 && strcmp(name, "shootdown") == 0) {
        ev->kind = TR_EV_SHOOTDOWN;
        i = lookup(str(rec, "kind"), shootdown_name, 3);
        ev->u.shootdown.kind = (tr_shootdown_kind)(i < 0 ? 0 : i);
        ev->u.shootdown.asid = (uint32_t)num(rec, "asid");
        ev->u.shootdown.va = num(rec, "va");
        ev->u.shootdown.len = num(rec, "len");
        ev->u.shootdown.entries = num(rec, "entries");
    } else if (strcmp(cat, "tlb") == 0 && (i = lookup(name, tlb_op_name, 3)) >= 0) {
        ev->kind = TR_EV_TLB;
        ev->u.tlb.op = (tr_tlb_op)i;
        i = lookup(str(rec, "level"), tlb_level_name, TR_TLB_LEVELS);
        if (i < 0)
            return false;
        ev->u.tlb.level = (tr_tlb_level)i;
        ev->u.tlb.asid = (uint32_t)num(rec, "asid");
        ev->u.tlb.va = num(rec, "va");
    } else if (strcmp(cat, "walk") == 0) {
        ev->kind = TR_EV_WALK;
        ev->u.walk.asid = (uint32_t)num(rec, "asid");
        ev->u.walk.va = num(rec, "va");
        ev->u.walk.access = access_bits(str(rec, "access"));
        ev->u.walk.levels_read = (int)num(rec, "levels_read");
        ev->u.walk.walk_cache_hits = (int)num(rec, "walk_cache_hits");
    } else if (strcmp(cat, "cache") == 0 && (i = lookup(name, cache_op_name, 3)) >= 0) {
        ev->kind = TR_EV_CACHE;
        ev->u.cache.op = (tr_cache_op)i;
        i = lookup(str(rec, "level"), cache_level_name, TR_CACHE_LEVELS);
        if (i < 0)
            return false;
        ev->u.cache.level = (tr_cache_level)i;
        ev->u.cache.pa = num(rec, "pa");
        ev->u.cache.from_kernel = num(rec, "kernel") != 0;
    } else {
        return false;
    }
    return true;
}

/* What printf's %llu and %llx write, without printf: every number of
 * every text-format event goes through here. */
void tr_append_u64(GString *out, uint64_t v)
{
    char buf[20];
    int n = 0;
    do {
        buf[sizeof buf - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    g_string_append_len(out, buf + sizeof buf - n, n);
}

static void append_hex(GString *out, uint64_t v)
{
    char buf[16];
    int n = 0;
    do {
        buf[sizeof buf - 1 - n++] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    g_string_append_len(out, buf + sizeof buf - n, n);
}

void tr_field_append(GString *out, const tr_field *f, const tr_field_style *style)
{
    switch (f->type) {
    case TR_F_U64:
    case TR_F_KOID:
        tr_append_u64(out, f->u);
        break;
    case TR_F_I64:
        if ((int64_t)f->u < 0) {
            g_string_append_c(out, '-');
            tr_append_u64(out, 0 - f->u); /* INT64_MIN's magnitude fits */
        } else {
            tr_append_u64(out, f->u);
        }
        break;
    case TR_F_HEX:
        g_string_append(out, style->hex_quote);
        g_string_append(out, "0x");
        append_hex(out, f->u);
        g_string_append(out, style->hex_quote);
        break;
    case TR_F_STR:
        style->string(out, f->s ? f->s : "");
        break;
    case TR_F_BOOL:
        g_string_append(out, f->u ? style->yes : style->no);
        break;
    }
}
