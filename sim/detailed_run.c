#include "detailed_run.h"

#include "detailed.h"
#include "elf_symbols.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Which hardware events the trace records. */
static unsigned hw_event_mask(const tr_sink *sink)
{
    unsigned mask = 0;
    tr_event_kind kinds[] = {TR_EV_TLB, TR_EV_WALK, TR_EV_CACHE};
    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
        if (tr_wants(sink, kinds[i]))
            mask |= 1u << kinds[i];
    }
    return mask;
}

bool sim_detailed_setup(sim_machine *m, const sim_options *opts, const sim_elf_image *img,
                        GError **error)
{
    vm_kernel *k = m->k;
    k->host_clock = opts->host_clock;
    if (!opts->detailed)
        return true;
    uint64_t pc = 0;
    if (opts->detail) {
        g_autoptr(sim_symbols) syms = sim_symbols_load(img);
        GError *why = NULL;
        if (!sim_symbols_resolve(syms, opts->detail, &pc, &why)) {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "bad value for --detail: %s",
                        why->message);
            g_error_free(why);
            return false;
        }
    }
    mmu_hw *hw = mmu_hw_create(opts->hw_config, k->mem, error);
    if (hw == NULL)
        return false;
    if (k->trace)
        mmu_hw_set_trace(hw, k->trace, hw_event_mask(k->trace));
    sim_detailed *d = sim_detailed_create(m, hw, error);
    if (d == NULL)
        return false;
    if (opts->detail && !sim_detailed_set_function(d, opts->detail, pc, error))
        return false;
    return true;
}

static const char *stop_name(sim_stop_reason why)
{
    switch (why) {
    case SIM_STOP_EXITED:
        return "exited";
    case SIM_STOP_KILLED:
        return "killed";
    case SIM_STOP_FAULT:
        return "fatal_fault";
    case SIM_STOP_EXCEPTION:
        return "cpu_exception";
    case SIM_STOP_BUDGET:
        return "budget";
    case SIM_STOP_TIMEOUT:
        return "timeout";
    case SIM_STOP_SIGNAL:
        return "signal";
    default:
        break;
    }
    return "internal_error";
}

static void outcome_json(sim_machine *m, sim_stop_reason why, int status, GString *out)
{
    g_string_append_printf(
        out, "{\"stop\": \"%s\", \"status\": %d, \"exit_code\": ", stop_name(why), status);
    if (why == SIM_STOP_EXITED)
        g_string_append_printf(out, "%" G_GINT64_FORMAT, m->proc->retcode);
    else
        g_string_append(out, "null");
    g_string_append_printf(out, ", \"fatal_fault\": %s, \"budget\": %s}",
                           why == SIM_STOP_FAULT ? "true" : "false",
                           why == SIM_STOP_BUDGET || why == SIM_STOP_TIMEOUT ? "true" : "false");
}

static void kernel_json(const vm_kernel *k, const sim_machine *m, GString *out)
{
    const vm_kernel_stats *s = &k->stats;
    g_string_append_printf(out,
                           ",\n  \"kernel.syscalls\": %" G_GUINT64_FORMAT
                           ",\n  \"kernel.page_faults\": %" G_GUINT64_FORMAT
                           ",\n  \"kernel.shootdowns\": %" G_GUINT64_FORMAT
                           ",\n  \"kernel.shootdowns.addr\": %" G_GUINT64_FORMAT
                           ",\n  \"kernel.shootdowns.asid\": %" G_GUINT64_FORMAT
                           ",\n  \"kernel.shootdowns.all\": %" G_GUINT64_FORMAT
                           ",\n  \"unicorn.tlb_fills\": %" G_GUINT64_FORMAT
                           ",\n  \"unicorn.tlb_flushes\": %" G_GUINT64_FORMAT,
                           s->syscalls, s->faults, s->shootdowns,
                           s->shootdowns_by_kind[TR_SHOOTDOWN_ADDR],
                           s->shootdowns_by_kind[TR_SHOOTDOWN_ASID],
                           s->shootdowns_by_kind[TR_SHOOTDOWN_ALL], m->tlb_fills, m->tlb_flushes);
}

/* The document: the model's own figures (flat names such as
 * "tlb.l1d.misses"), then the run's. */
static GString *stats_json(sim_machine *m, const sim_options *opts, sim_stop_reason why, int status)
{
    GString *out = g_string_new(NULL);
    if (m->detailed) {
        mmu_hw_stats_json(sim_detailed_hw(m->detailed), out);
        /* Reopen the model's object to add the run's fields to it. */
        while (out->len && (out->str[out->len - 1] == '\n' || out->str[out->len - 1] == ' '))
            g_string_truncate(out, out->len - 1);
        if (out->len && out->str[out->len - 1] == '}')
            g_string_truncate(out, out->len - 1);
        while (out->len && (out->str[out->len - 1] == '\n' || out->str[out->len - 1] == ' '))
            g_string_truncate(out, out->len - 1);
        g_string_append(out, ",\n  \"model\": \"detailed\"");
    } else {
        g_string_append(out, "{\n  \"model\": \"fast\"");
    }
    g_string_append_printf(out, ",\n  \"isa\": \"%s\"", m->isa->name);
    kernel_json(m->k, m, out);
    g_string_append(out, ",\n  \"region\": ");
    if (m->detailed)
        sim_detailed_region_json(m->detailed, out);
    else
        g_string_append(out, "null");
    g_string_append(out, ",\n  \"outcome\": ");
    outcome_json(m, why, status, out);
    g_string_append(out, "\n}\n");
    return out;
}

bool sim_detailed_finish(sim_machine *m, const sim_options *opts, sim_stop_reason why, int status)
{
    if (m->detailed) {
        GString *region = g_string_new(NULL);
        sim_detailed_region_text(m->detailed, region);
        fprintf(stderr, "zxsim: detailed mode, profile %s; the figures cover %s\n",
                mmu_hw_config_get(sim_detailed_hw(m->detailed))->name, region->str);
        g_string_free(region, TRUE);
        mmu_hw_stats_print(sim_detailed_hw(m->detailed), stderr);
    } else if (opts->stats) {
        fprintf(stderr, "zxsim: fast mode has no hardware model: no TLB or cache figures (use "
                        "--model=detailed)\n");
    }
    if (!opts->stats_json)
        return true;
    GString *json = stats_json(m, opts, why, status);
    GError *err = NULL;
    bool ok = g_file_set_contents(opts->stats_json, json->str, (gssize)json->len, &err);
    if (!ok) {
        fprintf(stderr, "zxsim: --stats-json: %s\n", err->message);
        g_error_free(err);
    }
    g_string_free(json, TRUE);
    return ok;
}
