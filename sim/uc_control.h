/* Unicorn's uc_ctl_* macros build their control word with a signed shift
 * that overflows int for read controls (2 << 30), which UBSan rightly
 * reports. The same words, built unsigned. */
#pragma once

#include <stdint.h>
#include <unicorn/unicorn.h>

#define SIM_UC_CTL(type, nr, rw)                                                                   \
    ((uc_control_type)((uint32_t)(type) | ((uint32_t)(nr) << 26) | ((uint32_t)(rw) << 30)))

static inline uc_err sim_uc_flush_tlb(uc_engine *uc)
{
    return uc_ctl(uc, SIM_UC_CTL(UC_CTL_TLB_FLUSH, 0, UC_CTL_IO_WRITE));
}

static inline uc_err sim_uc_set_page_size(uc_engine *uc, uint32_t size)
{
    return uc_ctl(uc, SIM_UC_CTL(UC_CTL_UC_PAGE_SIZE, 1, UC_CTL_IO_WRITE), size);
}

static inline uc_err sim_uc_get_page_size(uc_engine *uc, uint32_t *size)
{
    return uc_ctl(uc, SIM_UC_CTL(UC_CTL_UC_PAGE_SIZE, 1, UC_CTL_IO_READ), size);
}

static inline uc_err sim_uc_exits_enable(uc_engine *uc)
{
    return uc_ctl(uc, SIM_UC_CTL(UC_CTL_UC_USE_EXITS, 1, UC_CTL_IO_WRITE), 1);
}

static inline uc_err sim_uc_tlb_mode(uc_engine *uc, int mode)
{
    return uc_ctl(uc, SIM_UC_CTL(UC_CTL_TLB_TYPE, 1, UC_CTL_IO_WRITE), mode);
}
