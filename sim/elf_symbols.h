/* The ELF symbol table of a guest: functions and data objects by name and
 * by address, for breakpoints (--step-from, explain --at) and for naming
 * the function a pc lies in. */
#pragma once

#include "elf_image.h"

#include <stdbool.h>

typedef struct sim_symbols sim_symbols;

/* Never NULL: a stripped or malformed table gives an empty set. */
sim_symbols *sim_symbols_load(const sim_elf_image *img);
void sim_symbols_free(sim_symbols *s);

bool sim_symbols_lookup(const sim_symbols *s, const char *name, uint64_t *addr);
/* The function or object containing addr, or NULL; *offset is addr minus
 * its start. */
const char *sim_symbols_at(const sim_symbols *s, uint64_t addr, uint64_t *offset);

/* "main", "0x10000120" or "1234": an address; false (with a one-line
 * message in *error) when it is neither a number nor a known symbol. */
bool sim_symbols_resolve(const sim_symbols *s, const char *text, uint64_t *addr, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(sim_symbols, sim_symbols_free)
