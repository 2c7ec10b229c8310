#include "options.h"

#include "mmu/profile.h"

#include "gdbstub.h"

#include "traces/writer.h"

#include "step.h"
#include "vm/dump.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_RAM   (1ull << 20)
#define MAX_RAM   (64ull << 30)
#define MIN_STACK (16ull << 10)
#define MAX_STACK (1ull << 30)

bool sim_parse_size(const char *text, uint64_t *bytes)
{
    if (text == NULL || *text == '\0' || *text == '-' || *text == '+')
        return false;
    char *end;
    errno = 0;
    guint64 value = g_ascii_strtoull(text, &end, 10);
    if (errno != 0 || end == text)
        return false;
    unsigned shift = 0;
    switch (g_ascii_toupper(*end)) {
    case '\0':
        break;
    case 'K':
        shift = 10;
        break;
    case 'M':
        shift = 20;
        break;
    case 'G':
        shift = 30;
        break;
    default:
        return false;
    }
    /* After a unit letter only "B" or "iB" may follow: 4K, 4KB, 4KiB. */
    const char *rest = shift ? end + 1 : end;
    if (*rest != '\0' &&
        (!shift || (g_ascii_strcasecmp(rest, "B") != 0 && g_ascii_strcasecmp(rest, "iB") != 0)))
        return false;
    if (shift && value > (UINT64_MAX >> shift))
        return false;
    *bytes = value << shift;
    return true;
}

void sim_options_defaults(sim_options *out)
{
    memset(out, 0, sizeof *out);
    out->ram_bytes = 256ull << 20;
    out->stack_bytes = 256ull << 10;
    out->seed = 1;
    out->aslr = true;
    out->discard = VM_DISCARD_LOW_MEMORY;
}

/* --step takes an optional value, which GOption only offers callbacks for. */
static char *step_value;
static gboolean step_given;

static gboolean on_step(const char *name, const char *value, gpointer data, GError **error)
{
    step_given = TRUE;
    g_free(step_value);
    step_value = g_strdup(value);
    return TRUE;
}

static bool bad(const char *option, const char *value, const char *why)
{
    fprintf(stderr, "zxsim: bad value for %s: '%s' (%s)\n", option, value ? value : "", why);
    return false;
}

bool sim_options_parse(int argc, char **argv, sim_options *out, bool *exit_now)
{
    memset(out, 0, sizeof *out);
    *exit_now = false;
    g_autofree char *ram = NULL, *max_insns = NULL, *timeout = NULL, *seed = NULL, *stack = NULL,
                    *discard = NULL, *dump = NULL, *dump_format = NULL, *step_from = NULL;
    gboolean no_aslr = FALSE, check = FALSE, summary = FALSE, explain = FALSE, version = FALSE;
    g_autofree char *trace = NULL, *trace_events = NULL;
    g_autofree char *gdb = NULL;
    g_autofree char *model = NULL, *profile = NULL, *detail = NULL, *stats_json = NULL,
                    *clock = NULL;
    g_auto(GStrv) sets = NULL;
    gboolean print_profile = FALSE, stats = FALSE;
    GOptionEntry entries[] = {
        {"ram", 0, 0, G_OPTION_ARG_STRING, &ram,
         "Simulated RAM, with K/M/G suffixes (default 256M; 1M..64G)", "SIZE"},
        {"max-insns", 0, 0, G_OPTION_ARG_STRING, &max_insns,
         "Stop after exactly N guest instructions (exit status 4). Costs speed: it counts "
         "every instruction",
         "N"},
        {"timeout", 0, 0, G_OPTION_ARG_STRING, &timeout,
         "Stop a guest still running after SECONDS of host time (exit status 4)", "SECONDS"},
        {"seed", 0, 0, G_OPTION_ARG_STRING, &seed,
         "Seed for address-space randomization and handle values (default 1)", "N"},
        {"no-aslr", 0, 0, G_OPTION_ARG_NONE, &no_aslr,
         "Place every non-specific mapping at the lowest free address", NULL},
        {"stack", 0, 0, G_OPTION_ARG_STRING, &stack, "Guest stack size (default 256K)", "SIZE"},
        {"discard", 0, 0, G_OPTION_ARG_STRING, &discard,
         "When unlocked discardable VMOs lose their pages: low-memory (default), always (at "
         "every unlock), never",
         "WHEN"},
        {"check-invariants", 0, 0, G_OPTION_ARG_NONE, &check,
         "Check the whole kernel state after every syscall and page fault (slow)", NULL},
        {"summary", 0, 0, G_OPTION_ARG_NONE, &summary,
         "Print a summary of the run (faults, frames, syscalls) on standard error", NULL},
        {"explain", 0, 0, G_OPTION_ARG_NONE, &explain,
         "Show the page-table walk, entry by entry, in a fatal fault's report", NULL},
        {"gdb", 0, 0, G_OPTION_ARG_STRING, &gdb,
         "Wait for GDB on 127.0.0.1:PORT (0: a free port, printed) before the first guest "
         "instruction, and serve the GDB remote protocol",
         "PORT"},
        {"trace", 0, 0, G_OPTION_ARG_FILENAME, &trace,
         "Record a trace: FILE.fxt (Perfetto), FILE.json (Chrome trace events), FILE.csv, or - "
         "for a line per event on standard error",
         "FILE"},
        {"trace-events", 0, 0, G_OPTION_ARG_STRING, &trace_events,
         "What --trace records: faults,tlb,walks,cache,syscalls,vm or all (default: all but "
         "cache)",
         "LIST"},
        {"model", 0, 0, G_OPTION_ARG_STRING, &model,
         "fast (default: no hardware model) or detailed (every fetch and data access through "
         "the TLB and cache models)",
         "MODEL"},
        {"profile", 0, 0, G_OPTION_ARG_STRING, &profile,
         "Hardware profile of detailed mode: a name from the profiles folder (default "
         "cortex-a72) or a file",
         "NAME|FILE"},
        {"set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
         "Override one profile key, e.g. tlb.l1d.entries=16 (repeatable)", "GROUP.KEY=VALUE"},
        {"print-profile", 0, 0, G_OPTION_ARG_NONE, &print_profile,
         "Print the resolved hardware profile and exit", NULL},
        {"detail", 0, 0, G_OPTION_ARG_STRING, &detail,
         "Detailed mode only inside calls of a function (entry to return), fast elsewhere",
         "SYMBOL|ADDR"},
        {"stats", 0, 0, G_OPTION_ARG_NONE, &stats,
         "Print the hardware model's statistics at exit (detailed mode prints them anyway)", NULL},
        {"stats-json", 0, 0, G_OPTION_ARG_FILENAME, &stats_json,
         "Write the statistics and the run's outcome to FILE as JSON", "FILE"},
        {"clock", 0, 0, G_OPTION_ARG_STRING, &clock,
         "zx_clock_get_monotonic: sim (default: deterministic; modelled cycles in detailed "
         "mode) or host (wall time)",
         "CLOCK"},
        {"dump", 0, 0, G_OPTION_ARG_STRING, &dump,
         "Print the VMAR tree, page tables and/or VMOs (comma-separated, or all) on standard "
         "error at exit and at every zxsim_dump() of the guest",
         "vmar,pagetables,vmos"},
        {"dump-format", 0, 0, G_OPTION_ARG_STRING, &dump_format,
         "text (default) or json (one JSON object per line)", "FORMAT"},
        {"step", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, (gpointer)on_step,
         "Print each of the first N guest instructions (default 1000) with its memory accesses, "
         "faults and syscalls on standard error",
         "N"},
        {"step-from", 0, 0, G_OPTION_ARG_STRING, &step_from,
         "Start --step at the first instruction of a function (or an address)", "SYMBOL"},
        {"version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL},
        {NULL},
    };
    GOptionContext *ctx = g_option_context_new("GUEST.elf [GUEST-ARGS...]");
    g_option_context_set_summary(
        ctx, "Runs a static arm64 or x86-64 ELF written against Zircon's syscall API on a "
             "simulated machine:\nUnicorn CPU, architecture-format page tables, and a kernel "
             "implementing Zircon's VMOs,\nVMARs, handles and rights.");
    g_option_context_set_description(
        ctx, "Exit status: the guest's own zx_process_exit code (low 8 bits); or zxsim's own\n"
             "outcomes: 2 bad input (unreadable or malformed ELF, bad option), 3 fatal guest\n"
             "fault or CPU exception, 4 instruction budget or timeout reached. When a guest's\n"
             "own code is 2, 3 or 4, a line on standard error says so.\n\n"
             "Subcommands: zxsim inspect GUEST.elf   (segments and layout, without running)");
    /* Options stop at the guest path: what follows belongs to the guest. */
    g_option_context_set_strict_posix(ctx, TRUE);
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *err = NULL;
    bool ok = g_option_context_parse(ctx, &argc, &argv, &err);
    g_option_context_free(ctx);
    if (!ok) {
        fprintf(stderr, "zxsim: %s (see zxsim --help)\n", err->message);
        g_error_free(err);
        return false;
    }
    if (version) {
        printf("zxsim %s (Unicorn %s)\n", ZXSIM_VERSION, ZXSIM_UNICORN_VERSION);
        *exit_now = true;
        return true;
    }
    sim_options_defaults(out);
    out->aslr = !no_aslr;
    out->check_invariants = check;
    out->summary = summary;
    out->explain = explain;
    g_autofree char *step = step_value;
    bool stepping = step_given || step_from;
    step_value = NULL;
    step_given = FALSE;
    if (dump && (out->dump = vm_dump_parse(dump)) == 0)
        return bad("--dump", dump, "a comma-separated list of vmar, pagetables, vmos, or all");
    if (dump_format && strcmp(dump_format, "text") && strcmp(dump_format, "json"))
        return bad("--dump-format", dump_format, "text or json");
    out->dump_json = dump_format && !strcmp(dump_format, "json");
    if (stepping) {
        out->step = SIM_STEP_DEFAULT;
        char *end;
        errno = 0;
        if (step && ((out->step = g_ascii_strtoull(step, &end, 10)) == 0 || errno || *end ||
                     step[0] == '-' || out->step > (1ull << 40)))
            return bad("--step", step, "a positive whole number of instructions");
        out->step_from = g_steal_pointer(&step_from);
    }
    if (ram && (!sim_parse_size(ram, &out->ram_bytes) || out->ram_bytes < MIN_RAM ||
                out->ram_bytes > MAX_RAM || (out->ram_bytes & 0xfff)))
        return bad("--ram", ram, "a size from 1M to 64G, a multiple of 4K");
    if (stack && (!sim_parse_size(stack, &out->stack_bytes) || out->stack_bytes < MIN_STACK ||
                  out->stack_bytes > MAX_STACK))
        return bad("--stack", stack, "a size from 16K to 1G");
    out->stack_bytes = (out->stack_bytes + 0xfff) & ~0xfffull;
    if (max_insns) {
        char *end;
        errno = 0;
        out->max_insns = g_ascii_strtoull(max_insns, &end, 10);
        if (errno || *end || end == max_insns || max_insns[0] == '-' || out->max_insns == 0 ||
            out->max_insns > (1ull << 62))
            return bad("--max-insns", max_insns, "a positive whole number");
    }
    if (timeout) {
        char *end;
        errno = 0;
        out->timeout_s = g_ascii_strtod(timeout, &end);
        if (errno || *end || end == timeout || !(out->timeout_s > 0) || out->timeout_s > 1e9)
            return bad("--timeout", timeout, "a positive number of seconds");
    }
    if (seed) {
        char *end;
        errno = 0;
        out->seed = g_ascii_strtoull(seed, &end, 0);
        if (errno || *end || end == seed || seed[0] == '-')
            return bad("--seed", seed, "a whole number");
    }
    if (gdb) {
        const char *why = NULL;
        if (!sim_gdb_parse_address(gdb, &out->gdb_port, &why))
            return bad("--gdb", gdb, why);
        /* GDB decides when the guest runs and stops. */
        if (max_insns || timeout) {
            fprintf(stderr, "zxsim: --gdb cannot be combined with --max-insns or --timeout\n");
            return false;
        }
        out->gdb = true;
    }
    if (discard) {
        if (!strcmp(discard, "low-memory"))
            out->discard = VM_DISCARD_LOW_MEMORY;
        else if (!strcmp(discard, "always"))
            out->discard = VM_DISCARD_ALWAYS;
        else if (!strcmp(discard, "never"))
            out->discard = VM_DISCARD_NEVER;
        else
            return bad("--discard", discard, "low-memory, always or never");
    }
    out->trace_categories = TR_CAT_ALL & ~TR_CAT_CACHE;
    if (trace_events) {
        const char *which = NULL;
        if (!tr_parse_categories(trace_events, &out->trace_categories, &which))
            return bad("--trace-events", trace_events,
                       "a comma-separated list of faults, tlb, walks, cache, syscalls, vm, or all");
    }
    if (trace) {
        tr_format format;
        if (!tr_format_for_path(trace, &format))
            return bad("--trace", trace, "a file name ending in .fxt, .json or .csv, or -");
        out->trace_path = g_steal_pointer(&trace);
    }
    if (model && strcmp(model, "fast") && strcmp(model, "detailed"))
        return bad("--model", model, "fast or detailed");
    if (clock && strcmp(clock, "sim") && strcmp(clock, "host"))
        return bad("--clock", clock, "sim or host");
    out->host_clock = clock && !strcmp(clock, "host");
    out->detailed = (model && !strcmp(model, "detailed")) || detail;
    /* The stub drives the fast engine only. */
    if (out->detailed && out->gdb) {
        fprintf(stderr, "zxsim: --gdb works in fast mode only (not with --model=detailed or "
                        "--detail)\n");
        return false;
    }
    if (detail && *detail == '\0')
        return bad("--detail", detail, "a function name or an address");
    if (out->detailed && out->max_insns) {
        fprintf(stderr, "zxsim: --max-insns works in fast mode only (use --timeout)\n");
        return false;
    }
    if (out->detailed || profile || sets || print_profile) {
        GError *err = NULL;
        out->hw_config = mmu_profile_load(profile ? profile : "cortex-a72", &err);
        for (char **s = sets; out->hw_config && s && *s; s++) {
            if (!mmu_profile_set(out->hw_config, *s, &err))
                g_clear_pointer(&out->hw_config, mmu_hw_config_free);
        }
        if (out->hw_config == NULL) {
            fprintf(stderr, "zxsim: %s\n", err->message);
            g_error_free(err);
            return false;
        }
    }
    if (print_profile) {
        GString *text = g_string_new(NULL);
        mmu_profile_print(out->hw_config, text);
        fputs(text->str, stdout);
        g_string_free(text, TRUE);
        *exit_now = true;
        return true;
    }
    out->detail = g_steal_pointer(&detail);
    out->stats_json = g_steal_pointer(&stats_json);
    out->stats = stats;
    if (argc < 2) {
        fprintf(stderr, "zxsim: no guest program given (usage: zxsim [OPTIONS] GUEST.elf "
                        "[GUEST-ARGS...]; see zxsim --help)\n");
        return false;
    }
    out->guest_path = argv[1];
    out->guest_argc = argc - 1;
    out->guest_argv = g_new0(char *, argc);
    for (int i = 1; i < argc; i++)
        out->guest_argv[i - 1] = argv[i];
    return true;
}

void sim_options_clear(sim_options *o)
{
    g_free(o->guest_argv);
    o->guest_argv = NULL;
    g_free(o->step_from);
    o->step_from = NULL;
    g_free(o->trace_path);
    o->trace_path = NULL;
    g_clear_pointer(&o->hw_config, mmu_hw_config_free);
    g_clear_pointer(&o->detail, g_free);
    g_clear_pointer(&o->stats_json, g_free);
}
