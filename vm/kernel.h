/* The kernel as a whole: RAM, the frame allocator, and processes. */
#pragma once

#include "types.h"

typedef struct vm_kernel_config {
    const vm_arch *arch;
    uint64_t ram_bytes;
    uint64_t seed;
    bool aslr;
    vm_discard_policy discard_policy;
    bool check_invariants;
} vm_kernel_config;

vm_kernel *vm_kernel_create(const vm_kernel_config *cfg, GError **error);
void vm_kernel_destroy(vm_kernel *k);

/* Discards every reclaimable discardable VMO; returns how many. */
uint64_t vm_kernel_reclaim(vm_kernel *k);

/* Frames holding VMO pages (each counted once, however many share it). */
uint64_t vm_kernel_committed_frames(vm_kernel *k);
