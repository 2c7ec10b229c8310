#include "types.h"

/* User address-space layouts of current Zircon (docs/semantics.md "Address space"). */
const vm_arch vm_arch_arm64 = {
    .name = "arm64",
    .pt_format = &mmu_pt_format_arm64,
    .user_base = 0x0000000000200000ull,
    .user_size = 0x0000FFFFFEE00000ull,
    .execute_only = false, /* see resolve_xom in sys_vmar.c */
};

const vm_arch vm_arch_x86_64 = {
    .name = "x86-64",
    .pt_format = &mmu_pt_format_x86_64,
    .user_base = 0x0000000000200000ull,
    .user_size = 0x00007FFFFFDFF000ull,
    .execute_only = false,
};
