/* `zxsim explain GUEST.elf --at SYMBOL|ADDR --va VA`: runs the guest to a
 * breakpoint and shows how the hardware translates VA there, or which
 * fault it would take and what the kernel would do about it. */
#pragma once

#include "elf_symbols.h"
#include "machine.h"

#include <stdio.h>

typedef struct sim_explain {
    sim_machine *m;
    uint64_t at;
    uint64_t va;
    const char *at_text;
    bool hit;
    uc_hook hook;
    uc_hook detailed_hook;
} sim_explain;

/* The subcommand: parses its arguments and runs the guest (see main.c). */
int sim_explain_main(int argc, char **argv);

/* A breakpoint at `at` only: the hook covers that one address, so the rest
 * of the run is translated without it. */
bool sim_explain_arm(sim_explain *x, sim_machine *m, uint64_t at, GError **error);
/* The translation of va as the machine stands now. */
void sim_explain_print(sim_machine *m, const sim_symbols *syms, uint64_t va, FILE *out);
