/* Hardware profiles are key files (GKeyFile) in the profiles folder:
 * groups tlb.l1i, tlb.l1d, tlb.l2, walk_cache, cache.l1i, cache.l1d,
 * cache.l2, cache.l3, cost and machine. Every error names the key. */
#pragma once

#include <glib.h>

#include "hw_config.h"

/* A bare name (no '/' and no ".ini") is looked up in the profiles folder;
 * anything else is a file path. NULL and *error set on failure. */
mmu_hw_config *mmu_profile_load(const char *name_or_file, GError **error);
/* The same from key-file text, for tests; `name` names the profile. */
mmu_hw_config *mmu_profile_load_data(const char *name, const char *data, GError **error);
void mmu_hw_config_free(mmu_hw_config *cfg);

/* "GROUP.KEY=VALUE", e.g. "cache.l1d.size=32K" or "cost.memory=200".
 * The configuration stays valid: a value that breaks it is refused. */
bool mmu_profile_set(mmu_hw_config *cfg, const char *assignment, GError **error);

/* Checks geometry and values; the error names the first bad key. */
bool mmu_hw_config_validate(const mmu_hw_config *cfg, GError **error);

/* The resolved configuration as a key file that mmu_profile_load reads back. */
void mmu_profile_print(const mmu_hw_config *cfg, GString *out);

/* The folder bare names are looked up in. */
const char *mmu_profile_dir(void);

#define MMU_PROFILE_ERROR (mmu_profile_error_quark())
GQuark mmu_profile_error_quark(void);
