/* The guest instruction sets, kept apart from insn_decode.h so that code
 * naming an ISA does not drag in Capstone or Unicorn. */
#pragma once

typedef enum sim_isa {
    SIM_ISA_ARM64,
    SIM_ISA_X86_64,
} sim_isa;
