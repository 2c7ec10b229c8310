/* The command line of `zxsim [OPTIONS] GUEST.elf [GUEST-ARGS...]`. */
#pragma once

#include "vm/types.h"

#include <glib.h>

typedef struct sim_options {
    uint64_t ram_bytes;
    uint64_t max_insns;
    double timeout_s;
    uint64_t seed;
    bool aslr;
    uint64_t stack_bytes;
    vm_discard_policy discard;
    bool check_invariants;
    bool summary;
    bool explain;                    /* show the page-table walk in fault reports */
    unsigned dump;                   /* VM_DUMP_* from --dump; 0 for none */
    bool dump_json;                  /* --dump-format=json */
    uint64_t step;                   /* --step[=N]: instructions to show; 0: no stepping */
    char *step_from;                 /* --step-from=SYMBOL|ADDR, or NULL */
    const char *explain_at;          /* zxsim explain: the breakpoint (SYMBOL|ADDR) */
    const char *explain_va;          /* zxsim explain: the address to explain */
    char *trace_path;                /* --trace FILE|-: NULL for no trace */
    unsigned trace_categories;       /* tr_category bits from --trace-events */
    bool gdb;                        /* --gdb: serve GDB from before the first instruction */
    uint16_t gdb_port;               /* 0: any free port */
    bool detailed;                   /* --model=detailed (or --detail) */
    struct mmu_hw_config *hw_config; /* --profile with every --set applied */
    char *detail;                    /* --detail=SYMBOL|ADDR, or NULL */
    char *stats_json;                /* --stats-json FILE, or NULL */
    bool stats;                      /* --stats */
    bool host_clock;                 /* --clock=host */
    const char *guest_path;
    int guest_argc; /* argv[0] is the guest path */
    char **guest_argv;
} sim_options;

/* Parses argv; on a bad option or value prints one line naming it and
 * returns false (exit status 2). Sets *exit_now for --help / --version. */
bool sim_options_parse(int argc, char **argv, sim_options *out, bool *exit_now);
void sim_options_clear(sim_options *o);
/* The defaults of every option, without a guest. */
void sim_options_defaults(sim_options *out);

/* "256M", "4K", "1G", "65536": bytes; false on anything else or overflow. */
bool sim_parse_size(const char *text, uint64_t *bytes);
