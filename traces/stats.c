#include "stats.h"

#include <string.h>

static tr_mapping_stat *mapping_for(tr_stats *s, uint64_t va)
{
    for (guint i = s->mappings->len; i-- > 0;) {
        tr_mapping_stat *m = g_ptr_array_index(s->mappings, i);
        if (m->live && va >= m->base && va - m->base < m->size)
            return m;
    }
    return NULL;
}

static void mapping_free(gpointer p)
{
    tr_mapping_stat *m = p;
    g_hash_table_destroy(m->pages);
    g_free(m);
}

static gint cmp_i64(gconstpointer a, gconstpointer b, gpointer unused)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static void syscall_free(gpointer p)
{
    tr_syscall_stat *c = p;
    g_tree_destroy(c->statuses);
    g_free(c);
}

static tr_syscall_stat *syscall_for(tr_stats *s, GHashTable *by_name, const tr_event *ev)
{
    const char *name = ev->u.syscall.name ? ev->u.syscall.name : "unknown";
    tr_syscall_stat *c = g_hash_table_lookup(by_name, name);
    if (c == NULL) {
        c = g_new0(tr_syscall_stat, 1);
        c->name = name;
        c->number = ev->u.syscall.number;
        c->statuses = g_tree_new_full(cmp_i64, NULL, g_free, g_free);
        g_hash_table_insert(by_name, (gpointer)name, c);
        g_ptr_array_add(s->syscalls, c);
    }
    return c;
}

static void count_status(tr_syscall_stat *c, int64_t status)
{
    uint64_t *n = g_tree_lookup(c->statuses, &status);
    if (n == NULL) {
        int64_t *key = g_new(int64_t, 1);
        *key = status;
        n = g_new0(uint64_t, 1);
        g_tree_insert(c->statuses, key, n);
    }
    (*n)++;
}

static void fault_on_page(tr_stats *s, const tr_event *ev)
{
    tr_mapping_stat *m = mapping_for(s, ev->u.fault.va);
    if (m == NULL)
        return;
    uint64_t index = (ev->u.fault.va - m->base) >> 12;
    tr_page_stat *p = g_hash_table_lookup(m->pages, &index);
    if (p == NULL) {
        uint64_t *key = g_new(uint64_t, 1);
        *key = index;
        p = g_new0(tr_page_stat, 1);
        g_hash_table_insert(m->pages, key, p);
        m->touched++;
    }
    p->faults++;
    m->faults++;
    tr_fault_kind k = ev->u.fault.kind;
    bool commits =
        k == TR_FAULT_DEMAND_ZERO || k == TR_FAULT_COW_COPY || k == TR_FAULT_MAP_COMMITTED;
    if (commits && !p->committed) {
        p->committed = true;
        m->committed++;
    }
}

static gint by_name(gconstpointer a, gconstpointer b)
{
    const tr_syscall_stat *x = *(tr_syscall_stat *const *)a, *y = *(tr_syscall_stat *const *)b;
    return strcmp(x->name, y->name);
}

tr_stats *tr_stats_compute(const tr_trace *t)
{
    tr_stats *s = g_new0(tr_stats, 1);
    s->mappings = g_ptr_array_new_with_free_func(mapping_free);
    s->syscalls = g_ptr_array_new_with_free_func(syscall_free);
    GHashTable *calls = g_hash_table_new(g_str_hash, g_str_equal);
    s->events = t->events->len;
    if (s->events) {
        s->first_time = g_array_index(t->events, tr_event, 0).time;
        s->last_time = s->first_time;
        for (guint i = 0; i < t->events->len; i++) {
            uint64_t time = g_array_index(t->events, tr_event, i).time;
            s->first_time = MIN(s->first_time, time);
            s->last_time = MAX(s->last_time, time);
        }
    }
    s->bucket_width = (s->last_time - s->first_time) / TR_BUCKETS + 1;
    for (guint i = 0; i < t->events->len; i++) {
        const tr_event *ev = &g_array_index(t->events, tr_event, i);
        if ((unsigned)ev->kind >= TR_EV_KINDS)
            continue;
        s->by_kind[ev->kind]++;
        unsigned b = (unsigned)((ev->time - s->first_time) / s->bucket_width);
        if (b >= TR_BUCKETS)
            b = TR_BUCKETS - 1;
        switch (ev->kind) {
        case TR_EV_FAULT:
            if ((unsigned)ev->u.fault.kind < TR_FAULT_KINDS) {
                s->faults[ev->u.fault.kind]++;
                s->fault_buckets[b][ev->u.fault.kind]++;
                fault_on_page(s, ev);
            }
            break;
        case TR_EV_SYSCALL: {
            tr_syscall_stat *c = syscall_for(s, calls, ev);
            c->calls++;
            c->total_duration += ev->u.syscall.duration;
            c->max_duration = MAX(c->max_duration, ev->u.syscall.duration);
            count_status(c, ev->u.syscall.result);
            break;
        }
        case TR_EV_MAP: {
            tr_mapping_stat *m = g_new0(tr_mapping_stat, 1);
            m->base = ev->u.range.base;
            m->size = ev->u.range.size;
            m->koid = ev->u.range.vmo_koid;
            m->offset = ev->u.range.vmo_offset;
            m->perms = ev->u.range.perms;
            m->name = ev->u.range.vmo_name ? ev->u.range.vmo_name : "";
            m->live = true;
            m->pages = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
            g_ptr_array_add(s->mappings, m);
            s->maps++;
            break;
        }
        case TR_EV_UNMAP:
            s->unmaps++;
            for (guint j = 0; j < s->mappings->len; j++) {
                tr_mapping_stat *m = g_ptr_array_index(s->mappings, j);
                if (m->live && m->base >= ev->u.range.base &&
                    m->base + m->size <= ev->u.range.base + ev->u.range.size)
                    m->live = false;
            }
            break;
        case TR_EV_PROTECT:
            s->protects++;
            break;
        case TR_EV_SHOOTDOWN:
            if ((unsigned)ev->u.shootdown.kind < 3)
                s->shootdowns[ev->u.shootdown.kind]++;
            s->shootdown_entries += ev->u.shootdown.entries;
            break;
        case TR_EV_TLB:
            if ((unsigned)ev->u.tlb.level < TR_TLB_LEVELS && (unsigned)ev->u.tlb.op < 3) {
                s->tlb[ev->u.tlb.level][ev->u.tlb.op]++;
                if (ev->u.tlb.op == TR_TLB_MISS)
                    s->tlb_miss_buckets[ev->u.tlb.level][b]++;
            }
            break;
        case TR_EV_WALK:
            s->walks++;
            s->walk_levels += (uint64_t)MAX(ev->u.walk.levels_read, 0);
            s->walk_cache_hits += (uint64_t)MAX(ev->u.walk.walk_cache_hits, 0);
            break;
        case TR_EV_CACHE:
            if ((unsigned)ev->u.cache.level < TR_CACHE_LEVELS && (unsigned)ev->u.cache.op < 3)
                s->cache[ev->u.cache.level][ev->u.cache.op]++;
            break;
        case TR_EV_PROCESS_EXIT:
            s->exited = true;
            s->exit_code = ev->u.exit.code;
            break;
        default:
            break;
        }
    }
    g_ptr_array_sort(s->syscalls, by_name);
    g_hash_table_destroy(calls);
    return s;
}

void tr_stats_free(tr_stats *s)
{
    if (s == NULL)
        return;
    g_ptr_array_free(s->mappings, TRUE);
    g_ptr_array_free(s->syscalls, TRUE);
    g_free(s);
}

const char *tr_status_name(int64_t status, char buf[24])
{
    static const struct {
        int64_t code;
        const char *name;
    } names[] = {
        {0, "ZX_OK"},
        {-1, "ZX_ERR_INTERNAL"},
        {-2, "ZX_ERR_NOT_SUPPORTED"},
        {-3, "ZX_ERR_NO_RESOURCES"},
        {-4, "ZX_ERR_NO_MEMORY"},
        {-10, "ZX_ERR_INVALID_ARGS"},
        {-11, "ZX_ERR_BAD_HANDLE"},
        {-12, "ZX_ERR_WRONG_TYPE"},
        {-13, "ZX_ERR_BAD_SYSCALL"},
        {-14, "ZX_ERR_OUT_OF_RANGE"},
        {-15, "ZX_ERR_BUFFER_TOO_SMALL"},
        {-20, "ZX_ERR_BAD_STATE"},
        {-21, "ZX_ERR_TIMED_OUT"},
        {-22, "ZX_ERR_SHOULD_WAIT"},
        {-23, "ZX_ERR_CANCELED"},
        {-24, "ZX_ERR_PEER_CLOSED"},
        {-25, "ZX_ERR_NOT_FOUND"},
        {-26, "ZX_ERR_ALREADY_EXISTS"},
        {-27, "ZX_ERR_ALREADY_BOUND"},
        {-28, "ZX_ERR_UNAVAILABLE"},
        {-30, "ZX_ERR_ACCESS_DENIED"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        if (names[i].code == status)
            return names[i].name;
    g_snprintf(buf, 24, "%" G_GINT64_FORMAT, status);
    return buf;
}
