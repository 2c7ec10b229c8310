/* zxsim trace-summary: the report's figures as tables for a terminal. */
#include "stats.h"

typedef struct status_text {
    GString *s;
    int shown;
} status_text;

static gboolean add_status(gpointer key, gpointer value, gpointer data)
{
    status_text *t = data;
    char buf[24];
    if (t->shown == 4) {
        g_string_append(t->s, ", ...");
        return TRUE;
    }
    g_string_append_printf(t->s, "%s%s x%" G_GUINT64_FORMAT, t->shown ? ", " : "",
                           tr_status_name(*(int64_t *)key, buf), *(uint64_t *)value);
    t->shown++;
    return FALSE;
}

/* "ZX_OK x3, ZX_ERR_NOT_FOUND x1": the caller frees it. */
char *tr_statuses_text(const tr_syscall_stat *c);
char *tr_statuses_text(const tr_syscall_stat *c)
{
    status_text t = {.s = g_string_new(NULL)};
    g_tree_foreach(c->statuses, add_status, &t);
    return g_string_free(t.s, FALSE);
}

void tr_summary_print(const tr_stats *s, const tr_meta *meta, FILE *out)
{
    fprintf(out,
            "trace of %s (%s), clock: %s, %" G_GUINT64_FORMAT
            " events over ticks %" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT "\n",
            meta->guest ? meta->guest : "?", meta->isa ? meta->isa : "?",
            tr_clock_kind_name(meta->clock), s->events, s->first_time, s->last_time);
    if (s->exited)
        fprintf(out, "exit status %" G_GINT64_FORMAT "\n", s->exit_code);

    uint64_t total = 0;
    for (int k = 0; k < TR_FAULT_KINDS; k++)
        total += s->faults[k];
    fprintf(out, "\npage faults      %10" G_GUINT64_FORMAT "\n", total);
    for (int k = 0; k < TR_FAULT_KINDS; k++)
        fprintf(out, "  %-14s %10" G_GUINT64_FORMAT "\n", tr_fault_kind_name(k), s->faults[k]);

    fprintf(out,
            "\naddress space    %10" G_GUINT64_FORMAT " maps, %" G_GUINT64_FORMAT
            " unmaps, %" G_GUINT64_FORMAT " protects\n",
            s->maps, s->unmaps, s->protects);
    fprintf(out,
            "shootdowns       %10" G_GUINT64_FORMAT " (address %" G_GUINT64_FORMAT
            ", asid %" G_GUINT64_FORMAT ", all %" G_GUINT64_FORMAT "), %" G_GUINT64_FORMAT
            " entries\n",
            s->shootdowns[0] + s->shootdowns[1] + s->shootdowns[2], s->shootdowns[0],
            s->shootdowns[1], s->shootdowns[2], s->shootdown_entries);

    if (s->by_kind[TR_EV_TLB] == 0) {
        fprintf(out, "TLB              no TLB events (a detailed-mode trace has them)\n");
    } else {
        fprintf(out, "\n%-6s %12s %12s %12s\n", "TLB", "misses", "fills", "evictions");
        for (int l = 0; l < TR_TLB_LEVELS; l++)
            fprintf(out,
                    "%-6s %12" G_GUINT64_FORMAT " %12" G_GUINT64_FORMAT " %12" G_GUINT64_FORMAT
                    "\n",
                    tr_tlb_level_name(l), s->tlb[l][TR_TLB_MISS], s->tlb[l][TR_TLB_FILL],
                    s->tlb[l][TR_TLB_EVICT]);
    }
    if (s->walks)
        fprintf(out,
                "page walks       %10" G_GUINT64_FORMAT
                ", %.2f entries read and %.2f walk-cache hits per walk\n",
                s->walks, (double)s->walk_levels / (double)s->walks,
                (double)s->walk_cache_hits / (double)s->walks);
    if (s->by_kind[TR_EV_CACHE]) {
        fprintf(out, "\n%-6s %12s %12s %12s\n", "cache", "misses", "evictions", "write-backs");
        for (int l = 0; l < TR_CACHE_LEVELS; l++)
            fprintf(out,
                    "%-6s %12" G_GUINT64_FORMAT " %12" G_GUINT64_FORMAT " %12" G_GUINT64_FORMAT
                    "\n",
                    tr_cache_level_name(l), s->cache[l][TR_CACHE_MISS], s->cache[l][TR_CACHE_EVICT],
                    s->cache[l][TR_CACHE_WRITEBACK]);
    }

    fprintf(out, "\n%-24s %7s %12s  %s\n", "syscall", "calls", "mean ticks", "statuses");
    for (guint i = 0; i < s->syscalls->len; i++) {
        const tr_syscall_stat *c = g_ptr_array_index(s->syscalls, i);
        g_autofree char *st = tr_statuses_text(c);
        fprintf(out, "%-24s %7" G_GUINT64_FORMAT " %12.1f  %s\n", c->name, c->calls,
                (double)c->total_duration / (double)c->calls, st);
    }
    if (s->syscalls->len == 0)
        fprintf(out, "(no syscall events)\n");

    fprintf(out, "\n%-18s %-34s %9s %9s %9s %9s\n", "mapping", "VMO", "pages", "touched",
            "committed", "faults");
    guint shown = 0;
    for (guint i = 0; i < s->mappings->len; i++) {
        const tr_mapping_stat *m = g_ptr_array_index(s->mappings, i);
        if (m->touched == 0)
            continue;
        g_autofree char *vmo =
            g_strdup_printf("%s (%" G_GUINT64_FORMAT ")", *m->name ? m->name : "-", m->koid);
        g_autofree char *safe = g_strescape(vmo, NULL);
        fprintf(out,
                "0x%016" G_GINT64_MODIFIER "x %-34s %9" G_GUINT64_FORMAT " %9" G_GUINT64_FORMAT
                " %9" G_GUINT64_FORMAT " %9" G_GUINT64_FORMAT "\n",
                m->base, safe, m->size >> 12, m->touched, m->committed, m->faults);
        shown++;
    }
    if (shown == 0)
        fprintf(out, "(no faults inside traced mappings)\n");
}
