/* The teaching tools around one run: --dump, --step and the breakpoint of
 * `zxsim explain`. Each is set up only when asked for. */
#pragma once

#include "dumps.h"
#include "elf_image.h"
#include "explain.h"
#include "options.h"
#include "step.h"

typedef struct sim_teach {
    const sim_options *opts;
    sim_machine *m;
    sim_symbols *syms;
    sim_dumps dumps;
    sim_step step;
    sim_explain explain;
    uint64_t explain_va;
} sim_teach;

/* Before the run. False with *error set on a bad symbol or address. */
bool sim_teach_begin(sim_teach *t, sim_machine *m, const sim_elf_image *img,
                     const sim_options *opts, GError **error);
/* After the run: true when it stopped at explain's breakpoint, which is
 * then explained on standard output (*status 0). */
bool sim_teach_stopped(sim_teach *t, sim_stop_reason why, int *status);
/* The dumps at exit; frees everything. */
void sim_teach_end(sim_teach *t, vm_process *p);
