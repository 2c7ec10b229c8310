/* Detailed mode: a second Unicorn engine over the same RAM, whose every
 * data access and executed block goes through the hardware model
 * (mmu/hw.h) with its exact virtual address and ASID. The fast engine stays
 * hook-free; the CPU state moves between the two at region boundaries. */
#pragma once

#include "machine.h"
#include "mmu/hw.h"

/* What the statistics cover. */
typedef struct sim_region {
    bool whole_run;        /* no region: everything was modelled */
    const char *function;  /* --detail's text, or NULL */
    uint64_t function_pc;  /* its entry address */
    uint64_t calls;        /* outermost calls of it that were modelled */
    uint64_t brackets;     /* outermost zxsim_detail_begin/end pairs entered */
    uint64_t instructions; /* instructions retired inside the region */
} sim_region;

/* Creates the detailed engine for m over the model hw (which it owns from
 * now on, even when it fails) and registers itself with the kernel (shootdowns, brackets, the
 * clock, kernel references). The run starts on the detailed engine unless
 * sim_detailed_set_function is called. */
sim_detailed *sim_detailed_create(sim_machine *m, mmu_hw *hw, GError **error);
void sim_detailed_destroy(sim_detailed *d);

/* Models only calls of the function at pc (entry to return), with a
 * one-address code hook on the fast engine to see it entered. */
bool sim_detailed_set_function(sim_detailed *d, const char *name, uint64_t pc, GError **error);

/* A shootdown: Unicorn's TLB of the detailed engine forgets everything,
 * and the alias slots with it. */
void sim_detailed_flush(sim_detailed *d);

/* Moves the CPU state to the other engine; returns the pc to resume at. */
uint64_t sim_detailed_switch(sim_detailed *d);

const sim_region *sim_detailed_region(const sim_detailed *d);
mmu_hw *sim_detailed_hw(const sim_detailed *d);
/* Called after each data reference the model saw, with what it did. */
typedef void (*sim_detailed_observer)(void *ctx, mmu_ref_kind kind, uint64_t va, uint64_t pa,
                                      unsigned size, const mmu_hw_outcome *o);
void sim_detailed_observe(sim_detailed *d, sim_detailed_observer fn, void *ctx);
/* Flushes of the detailed engine's TLB because a frame had no free alias. */
uint64_t sim_detailed_alias_flushes(const sim_detailed *d);

/* The region as text ("the whole run", "calls of sweep (3)") and as a JSON
 * object. */
void sim_detailed_region_text(const sim_detailed *d, GString *out);
void sim_detailed_region_json(const sim_detailed *d, GString *out);
