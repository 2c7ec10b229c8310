/* Discardable VMOs (docs/semantics.md "Discardable VMOs"): lock state and the kernel's right to
 * drop the pages of unlocked ones. */
#pragma once

#include "types.h"

/* Discards v if it is discardable, alive, unlocked and not yet discarded. */
bool vm_discard_if_reclaimable(vm_vmo *v);
