/* --step: one line per guest instruction (pc, function, disassembly, every
 * memory access with its virtual and physical address), with the page
 * faults and syscalls it causes in between, and in detailed mode what the
 * TLBs and caches did for each data reference. Only a stepped run has the
 * code hook: without --step nothing here is installed. */
#pragma once

#include "elf_symbols.h"
#include "machine.h"

#include <stdio.h>

#define SIM_STEP_DEFAULT 1000

typedef struct sim_step {
    sim_machine *m;
    const sim_symbols *syms;
    FILE *out;
    uint64_t limit; /* instructions to show */
    uint64_t shown;
    bool has_from; /* show nothing before the first instruction at `from` */
    uint64_t from;
    bool started;
    bool done;
    uc_hook hook;          /* on the fast engine */
    uc_hook detailed_hook; /* on the detailed engine, in detailed mode */
    tr_sink sink;
    tr_sink *next; /* the sink that was in place: it still gets every event */
} sim_step;

/* Installs the hook; from NULL means from the first instruction. */
bool sim_step_begin(sim_step *st, sim_machine *m, const sim_symbols *syms, uint64_t limit,
                    const char *from, FILE *out, GError **error);
/* Removes the sink; prints a closing line if --step-from was never reached. */
void sim_step_end(sim_step *st);
