/* Discardable VMOs (docs/semantics.md "Discardable VMOs"): lock state and the kernel's right to
 * drop the pages of unlocked ones. */
#pragma once

#include "types.h"

/* Puts v on the kernel's reclaimable list, at the end, when it has become
 * discardable, alive, unlocked and not yet discarded, and takes it off when
 * it no longer is. Every change of those states calls this. */
void vm_discard_track(vm_vmo *v);

/* Discards v if it is discardable, alive, unlocked and not yet discarded. */
bool vm_discard_if_reclaimable(vm_vmo *v);
