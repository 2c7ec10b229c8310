/* The registers GDB sees for each guest ISA: their order in `g` packets,
 * their sizes, the Unicorn register behind each, and the target
 * description (the XML GDB reads with qXfer:features:read). */
#pragma once

#include "isa.h"

#include <glib.h>

typedef struct sim_gdb_reg {
    const char *name;
    unsigned bytes; /* size in the packet */
    int uc_reg;     /* -1: not kept by the CPU model, reads as zero */
    bool read_only; /* writes are accepted and ignored (segment selectors, x87 pointers) */
} sim_gdb_reg;

typedef struct sim_gdb_regs {
    const sim_gdb_reg *regs;
    unsigned count;
    const char *xml;     /* the target description */
    int write_flags_reg; /* where a write of the flags register goes (arm64: NZCV only) */
    unsigned flags_index;
} sim_gdb_regs;

const sim_gdb_regs *sim_gdb_regs_for(const sim_isa_ops *isa);

/* Register i as its bytes in target (little-endian) order; false if i is
 * out of range. */
bool sim_gdb_reg_read(const sim_gdb_regs *r, uc_engine *uc, unsigned i, uint8_t *out);
bool sim_gdb_reg_write(const sim_gdb_regs *r, uc_engine *uc, unsigned i, const uint8_t *in);

/* Size of all registers in a `g` packet, in bytes. */
unsigned sim_gdb_regs_bytes(const sim_gdb_regs *r);
