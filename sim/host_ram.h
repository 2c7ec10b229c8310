/* Whether the host can back the simulated RAM the user asked for. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* False, with a one-line message in *error, when ram_bytes is more than
 * the host's available memory and free swap together (/proc/meminfo):
 * a guest that used it all would be killed by the host's out-of-memory
 * killer instead of seeing ZX_ERR_NO_MEMORY. True when it fits or when
 * the host does not say. */
bool sim_host_ram_check(uint64_t ram_bytes, GError **error);
