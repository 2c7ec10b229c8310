/* --trace: the sink the kernel (and the hardware models) emit into, its
 * clock, and the file it writes. */
#pragma once

#include "machine.h"
#include "options.h"

typedef struct sim_trace sim_trace;

/* NULL with *error set when the file cannot be written; NULL without an
 * error when no trace was asked for. Sets k->trace. Call after the machine
 * exists and before the process does, so that its start and the loader's
 * mappings are recorded (held until sim_trace_start). */
sim_trace *sim_trace_open(const sim_options *opts, sim_machine *m, GError **error);
/* Right before the guest runs, when detailed mode has set up its model (or
 * not): picks the clock, writes the file's header and what was held. */
bool sim_trace_start(sim_trace *t, GError **error);
/* A tr_sink fault_va source (ctx: the sim_machine): the exact byte of a
 * fault the CPU reported by its page, from the instruction at the pc. */
uint64_t sim_trace_fault_va(void *ctx, uint64_t va, unsigned access);
/* Detailed mode: timestamps become the model's cycles, and its TLB, walk
 * and cache events go to the trace (those --trace-events selected). Called
 * by sim_trace_open when the kernel already has its model. */
void sim_trace_use_hw(sim_trace *t, struct mmu_hw *hw);
/* The process's exit with zxsim's exit status. */
void sim_trace_exit(sim_trace *t, int status);
/* After the process's teardown: writes the end of the file (the header
 * too, when the run never started). False (with a message printed) when
 * writing failed. */
bool sim_trace_close(sim_trace *t);
