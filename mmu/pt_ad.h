/* What the hardware walker of each format writes back into entries and how
 * it reads the global bit. Kept beside the formats' encoders rather than
 * in them: only the hardware model's walker needs it. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "pt_format.h"

typedef struct mmu_pt_ad {
    uint64_t accessed;   /* set on the entries a walk uses */
    bool accessed_upper; /* also on table entries (x86), not only on leaves */
    uint64_t dirty;      /* set on a leaf by a write; 0 if the format has none */
    uint64_t global;     /* the bit that decides whether a leaf is global */
    bool global_if_set;  /* x86 G set = global; arm64 nG set = not global */
} mmu_pt_ad;

const mmu_pt_ad *mmu_pt_ad_of(const mmu_pt_format *fmt);

static inline bool mmu_pt_ad_is_global(const mmu_pt_ad *ad, uint64_t leaf)
{
    return ((leaf & ad->global) != 0) == ad->global_if_set;
}
