#include "pt_ad.h"

/* x86-64: A (bit 5) on every level a walk reads, D (bit 6) on the leaf of
 * a write, G (bit 8) global. */
static const mmu_pt_ad x86_64_ad = {
    .accessed = 1ull << 5,
    .accessed_upper = true,
    .dirty = 1ull << 6,
    .global = 1ull << 8,
    .global_if_set = true,
};

/* arm64 with hardware Access flag management (TCR_EL1.HA): AF (bit 10) on
 * the leaf only; table descriptors have no AF. zxsim's descriptors do not
 * use DBM, so a write sets nothing more. nG (bit 11) clear = global. */
static const mmu_pt_ad arm64_ad = {
    .accessed = 1ull << 10,
    .accessed_upper = false,
    .dirty = 0,
    .global = 1ull << 11,
    .global_if_set = false,
};

const mmu_pt_ad *mmu_pt_ad_of(const mmu_pt_format *fmt)
{
    return fmt == &mmu_pt_format_x86_64 ? &x86_64_ad : &arm64_ad;
}
