/* The model's figures as a table for people and as flat JSON for tools,
 * named after the profile's groups. */
#include "hw_internal.h"

static const char *const tlb_names[] = {"tlb.l1i", "tlb.l1d", "tlb.l2"};
static const char *const cache_names[] = {"cache.l1i", "cache.l1d", "cache.l2", "cache.l3"};
static const char *const shootdown_names[] = {"addr", "asid", "all"};
static const char *const cache_op_names[] = {"clean", "invalidate", "clean_invalidate", "sync"};

static double ratio(uint64_t a, uint64_t b)
{
    return b ? (double)a / (double)b : 0.0;
}

static void row(FILE *out, const char *name, const mmu_struct_stats *s)
{
    fprintf(out,
            "  %-18s %14" G_GUINT64_FORMAT " %14" G_GUINT64_FORMAT " %12" G_GUINT64_FORMAT
            " %7.3f%% %12" G_GUINT64_FORMAT " %12" G_GUINT64_FORMAT " %11" G_GUINT64_FORMAT
            " %11" G_GUINT64_FORMAT "\n",
            name, s->accesses, s->hits, s->misses, 100.0 * ratio(s->misses, s->accesses),
            s->read_misses, s->write_misses, s->evictions, s->writebacks);
}

void mmu_hw_stats_print(mmu_hw *hw, FILE *out)
{
    const mmu_hw_stats *s = mmu_hw_stats_get(hw);
    fprintf(out, "hardware model: profile %s\n", hw->cfg.name ? hw->cfg.name : "");
    fprintf(out, "  %-18s %14s %14s %12s %8s %12s %12s %11s %11s\n", "structure", "accesses",
            "hits", "misses", "miss", "read misses", "write misses", "evictions", "write-backs");
    for (int i = 0; i < TR_TLB_LEVELS; i++)
        if (hw->tlb[i].present)
            row(out, tlb_names[i], &s->tlb[i]);
    if (hw->walk_cache.present)
        row(out, "walk_cache", &s->walk_cache);
    for (int i = 0; i < TR_CACHE_LEVELS; i++)
        if (hw->cache[i].present)
            row(out, cache_names[i], &s->cache[MMU_ORIGIN_GUEST][i]);
    if (s->kernel_references) {
        fprintf(out,
                "  kernel work on guest memory, apart (%" G_GUINT64_FORMAT " line references):\n",
                s->kernel_references);
        for (int i = 0; i < TR_CACHE_LEVELS; i++)
            if (hw->cache[i].present) {
                char name[32];
                g_snprintf(name, sizeof name, "kernel.%s", cache_names[i]);
                row(out, name, &s->cache[MMU_ORIGIN_KERNEL][i]);
            }
    }
    fprintf(out,
            "  memory             reads %" G_GUINT64_FORMAT ", writes %" G_GUINT64_FORMAT
            " (kernel: reads %" G_GUINT64_FORMAT ", writes %" G_GUINT64_FORMAT ")\n",
            s->memory_reads[0], s->memory_writes[0], s->memory_reads[1], s->memory_writes[1]);
    fprintf(out,
            "  walks              %" G_GUINT64_FORMAT " (entry reads L0 %" G_GUINT64_FORMAT
            ", L1 %" G_GUINT64_FORMAT ", L2 %" G_GUINT64_FORMAT ", L3 %" G_GUINT64_FORMAT
            "; walk cache saved %" G_GUINT64_FORMAT "; accessed/dirty bits set %" G_GUINT64_FORMAT
            ")\n",
            s->walks, s->walk_entry_reads[0], s->walk_entry_reads[1], s->walk_entry_reads[2],
            s->walk_entry_reads[3], s->walk_cache_skipped, s->ad_updates);
    fprintf(out,
            "  shootdowns         %" G_GUINT64_FORMAT " by address, %" G_GUINT64_FORMAT
            " by ASID, %" G_GUINT64_FORMAT " all (%" G_GUINT64_FORMAT " TLB entries removed)\n",
            s->shootdowns[0], s->shootdowns[1], s->shootdowns[2], s->shootdown_entries);
    if (s->cache_ops[0] + s->cache_ops[1] + s->cache_ops[2] + s->cache_ops[3])
        fprintf(out,
                "  cache ops          clean %" G_GUINT64_FORMAT ", invalidate %" G_GUINT64_FORMAT
                ", clean+invalidate %" G_GUINT64_FORMAT ", sync %" G_GUINT64_FORMAT
                " (%" G_GUINT64_FORMAT " lines written back, %" G_GUINT64_FORMAT " dropped)\n",
                s->cache_ops[0], s->cache_ops[1], s->cache_ops[2], s->cache_ops[3],
                s->cache_op_writebacks, s->cache_op_dropped);
    uint64_t cycles = mmu_hw_cycles(hw);
    fprintf(out,
            "  cost model         %" G_GUINT64_FORMAT " cycles, %" G_GUINT64_FORMAT
            " instructions, CPI %.3f, %" G_GUINT64_FORMAT
            " references, AMAT %.3f cycles, %.6f s at %" G_GUINT64_FORMAT " MHz\n",
            cycles, s->instructions, ratio(cycles, s->instructions), s->references,
            ratio(s->reference_cycles, s->references), (double)mmu_hw_time_ns(hw) / 1e9,
            hw->cfg.clock_hz / 1000000);
}

static void jnum(GString *out, bool *first, const char *a, const char *b, uint64_t v)
{
    g_string_append_printf(out, "%s\n  \"%s%s%s\": %" G_GUINT64_FORMAT, *first ? "" : ",", a,
                           b ? "." : "", b ? b : "", v);
    *first = false;
}

static void jstruct(GString *out, bool *first, const char *name, const mmu_struct_stats *s)
{
    jnum(out, first, name, "accesses", s->accesses);
    jnum(out, first, name, "hits", s->hits);
    jnum(out, first, name, "misses", s->misses);
    jnum(out, first, name, "read_misses", s->read_misses);
    jnum(out, first, name, "write_misses", s->write_misses);
    jnum(out, first, name, "evictions", s->evictions);
    jnum(out, first, name, "writebacks", s->writebacks);
}

void mmu_hw_stats_json(mmu_hw *hw, GString *out)
{
    const mmu_hw_stats *s = mmu_hw_stats_get(hw);
    bool first = true;
    g_autofree char *name = g_strescape(hw->cfg.name ? hw->cfg.name : "", NULL);
    g_string_append_printf(out, "{\n  \"profile\": \"%s\"", name);
    first = false;
    for (int i = 0; i < TR_TLB_LEVELS; i++)
        if (hw->tlb[i].present)
            jstruct(out, &first, tlb_names[i], &s->tlb[i]);
    if (hw->walk_cache.present)
        jstruct(out, &first, "walk_cache", &s->walk_cache);
    for (int i = 0; i < TR_CACHE_LEVELS; i++)
        if (hw->cache[i].present) {
            char k[40];
            jstruct(out, &first, cache_names[i], &s->cache[MMU_ORIGIN_GUEST][i]);
            g_snprintf(k, sizeof k, "kernel.%s", cache_names[i]);
            jstruct(out, &first, k, &s->cache[MMU_ORIGIN_KERNEL][i]);
        }
    jnum(out, &first, "memory", "reads", s->memory_reads[0]);
    jnum(out, &first, "memory", "writes", s->memory_writes[0]);
    jnum(out, &first, "kernel.memory", "reads", s->memory_reads[1]);
    jnum(out, &first, "kernel.memory", "writes", s->memory_writes[1]);
    jnum(out, &first, "kernel", "references", s->kernel_references);
    jnum(out, &first, "walk", "walks", s->walks);
    for (int l = 0; l < MMU_PT_LEVELS; l++) {
        char k[32];
        g_snprintf(k, sizeof k, "entry_reads_l%d", l);
        jnum(out, &first, "walk", k, s->walk_entry_reads[l]);
    }
    jnum(out, &first, "walk", "walk_cache_skipped", s->walk_cache_skipped);
    jnum(out, &first, "walk", "ad_updates", s->ad_updates);
    for (int k = 0; k < 3; k++)
        jnum(out, &first, "shootdowns", shootdown_names[k], s->shootdowns[k]);
    jnum(out, &first, "shootdowns", "entries", s->shootdown_entries);
    for (int k = 0; k < 4; k++)
        jnum(out, &first, "cache_ops", cache_op_names[k], s->cache_ops[k]);
    jnum(out, &first, "cache_ops", "writebacks", s->cache_op_writebacks);
    jnum(out, &first, "cache_ops", "dropped", s->cache_op_dropped);
    uint64_t cycles = mmu_hw_cycles(hw);
    jnum(out, &first, "cost", "cycles", cycles);
    jnum(out, &first, "cost", "instructions", s->instructions);
    jnum(out, &first, "cost", "references", s->references);
    jnum(out, &first, "cost", "stall_cycles", s->stall_cycles);
    jnum(out, &first, "cost", "time_ns", mmu_hw_time_ns(hw));
    g_string_append_printf(out, ",\n  \"cost.cpi\": %.6f,\n  \"cost.amat\": %.6f\n}",
                           ratio(cycles, s->instructions),
                           ratio(s->reference_cycles, s->references));
}
