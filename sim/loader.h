/* Puts a static ELF executable into a fresh process, the way a program
 * loader would with the kernel's own calls: one VMO per PT_LOAD segment,
 * mapped with exactly that segment's permissions, and a stack VMO with an
 * unmapped guard below it holding argc/argv. */
#pragma once

#include "elf_image.h"
#include "isa.h"

bool sim_load_process(vm_process *p, const sim_elf_image *img, const char *name, int argc,
                      char **argv, uint64_t stack_size, sim_entry_state *entry, GError **error);

/* Bytes of unmapped guard below the stack. */
#define SIM_STACK_GUARD (64 * 1024)
