/* Decodes the instruction at a faulting pc to recover the exact data address.
 *
 * Unicorn reports a faulting access only by its page (1 KiB on arm64,
 * 4 KiB on x86-64) and kind, with the CPU state rolled back to the faulting
 * instruction, so the byte address has to be recomputed from the memory
 * operands and the live registers. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <unicorn/unicorn.h>

#include "sim/isa_kind.h"

#define SIM_INSN_MAX_ACCESS 4
#define SIM_INSN_TEXT_MAX   160

typedef struct sim_mem_access {
    uint64_t address; /* first byte */
    uint32_t size;    /* bytes; an upper bound for XSAVE-style areas */
    bool is_write;
    /* Read-modify-write operands (add [m], r; atomics) set both, so a fault
     * of either kind matches them. */
    bool is_read;
} sim_mem_access;

typedef struct sim_insn_info {
    bool decoded;                 /* the bytes are a known instruction */
    char text[SIM_INSN_TEXT_MAX]; /* "str x1, [x0, #8]"; ".word 0x…" or "(bad)" */
    uint32_t length;              /* bytes; 0 when x86 bytes did not decode */
    unsigned n_access;            /* explicit and implicit memory accesses, in order */
    sim_mem_access access[SIM_INSN_MAX_ACCESS]; /* the first n_access; the rest unset */
} sim_insn_info;

/* Decodes the instruction in code[0..code_len) that sits at pc and computes
 * its memory accesses from the registers of uc (read with uc_reg_read; guest
 * memory is never touched). uc may be NULL, which yields only the accesses
 * that need no register (arm64 literal loads, absolute x86 addresses).
 * Returns out->decoded. Thread-safe. */
bool sim_insn_decode(sim_isa isa, uc_engine *uc, const uint8_t *code, size_t code_len, uint64_t pc,
                     sim_insn_info *out);

/* The exact faulting byte, given the address Unicorn reported (fault_page,
 * normally aligned to granule bytes) and the access kind: the first byte of
 * the matching access that lies in the faulting granule, so for an access
 * that crosses into the faulting granule it is the granule's first byte.
 * Accesses of the right kind are preferred; one of the other kind that still
 * overlaps the granule is taken next, since it is more likely a misread of
 * the access kind than a coincidence. For a fetch it is pc, or the granule's
 * first byte when the instruction starts before it. When nothing matches,
 * returns fault_page and sets *exact (which may be NULL) to false.
 * info may be NULL (then only fetches can be exact). */
uint64_t sim_insn_fault_address(const sim_insn_info *info, uint64_t fault_page, uint64_t granule,
                                bool is_write, bool is_fetch, uint64_t pc, bool *exact);

/* Closes the cached Capstone engines; decoding afterwards reopens them. */
void sim_insn_decode_shutdown(void);
