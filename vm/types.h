/* The kernel's objects and how they refer to each other. One header holds
 * the structs because VMOs, mappings, VMARs and address spaces point at one
 * another; the operations live in one file per concept. */
#pragma once

#include "mmu/page_table.h"
#include "pmm.h"
#include "run_tree.h"
#include "traces/events.h"
#include "zx.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct vm_kernel vm_kernel;
typedef struct vm_object vm_object;
typedef struct vm_vmo vm_vmo;
typedef struct vm_vmar vm_vmar;
typedef struct vm_mapping vm_mapping;
typedef struct vm_region vm_region;
typedef struct vm_aspace vm_aspace;
typedef struct vm_process vm_process;
typedef struct vm_handle vm_handle;
typedef struct vm_handle_table vm_handle_table;

/* Every kernel object: its type, its koid, and two lifetimes. `refs` keeps
 * the struct allocated; `user_refs` (handles, mappings, aliasing children)
 * keeps the object alive as the guest sees it. */
struct vm_object {
    zx_obj_type_t type;
    zx_koid_t koid;
    uint32_t refs;
    uint32_t user_refs;
    uint32_t handle_count;
    void (*on_last_user_ref)(vm_object *obj);
    void (*on_free)(vm_object *obj);
};

typedef enum {
    VM_VMO_PAGED,     /* owns a page list */
    VM_VMO_SLICE,     /* a window onto its parent's pages */
    VM_VMO_REFERENCE, /* the whole parent under a second object */
} vm_vmo_kind;

typedef enum {
    VM_CHILD_NONE,
    VM_CHILD_SNAPSHOT,
    VM_CHILD_SLICE,
    VM_CHILD_REFERENCE,
} vm_child_kind;

/* Pages of a paged VMO: page index -> frame number. */
typedef struct vm_page_list {
    GHashTable *frames;
} vm_page_list;

struct vm_vmo {
    vm_object obj;
    vm_kernel *k;
    vm_vmo_kind kind;
    vm_child_kind child_kind;
    char name[ZX_MAX_NAME_LEN];
    bool resizable;
    bool discardable;
    bool unbounded;
    bool immutable;
    bool dead;     /* no user references remain */
    uint64_t size; /* page-aligned */
    uint64_t content_size;
    uint32_t cache_policy;
    vm_page_list pages; /* VM_VMO_PAGED only */

    /* Family. A child holds a struct reference on its parent; a slice or
     * reference also holds a user reference (it needs the parent's pages). */
    vm_vmo *parent;
    zx_koid_t parent_koid;
    uint64_t parent_offset; /* slices: offset of this window in the parent */
    GList *children;        /* live direct children */
    GList *children_tail;
    uint64_t child_count; /* length of children */
    GList *child_link;    /* this VMO's link in its parent's children */
    uint64_t descendants; /* live children, grandchildren, ... */
    uint32_t snapshot_children;
    /* Live VMOs whose parent pointer is this one: its children, and the
     * descendants of children that died, which hang from the nearest
     * ancestor so that a chain of closed parents stays one link deep. */
    GList *dependents;
    GList *dependent_link;
    bool rehung;         /* hangs from an ancestor, not from its creator */
    GList *vmos_link;    /* in k->vmos */
    GList *reclaim_link; /* in k->reclaimable */

    /* Mappings of this object (num_mappings), and, on a paged VMO, every
     * mapping that shows its pages, through slices and references too. */
    vm_mapping *mappings;      /* newest first, through vmo_next */
    vm_mapping *page_mappings; /* newest first, through page_next */
    uint64_t mapping_count;    /* length of mappings */

    /* Discardable state (docs/semantics.md "Discardable VMOs"). */
    uint64_t lock_count;
    bool discarded;

    uint64_t committed_change_events;

    /* Some mapping may show the zero page for an uncommitted page of this
     * VMO; until then, committing a page needs no page-table cleanup. */
    bool zero_page_shown;
};

typedef enum { VM_REGION_VMAR, VM_REGION_MAPPING } vm_region_kind;

/* The children tree of a VMAR (vm/gap_tree.h): a B+ tree whose nodes hold
 * many regions' bounds side by side, so that a descent reads a few cache
 * lines per level and a large tree's upper levels stay cached. */
typedef struct vm_gap_tree {
    void *root;      /* a leaf when height is 1; NULL when empty */
    int height;      /* levels, leaves included */
    uint64_t lo, hi; /* the range the regions share out */
    size_t count;
    /* Where the last walk step stopped, valid while `shape` is unchanged:
     * stepping through the regions in order costs O(1) per step. */
    void *cursor_leaf;
    unsigned cursor_index;
    uint64_t cursor_shape, shape;
} vm_gap_tree;

/* What a VMAR contains: sub-VMARs and mappings, ordered by base. */
struct vm_region {
    vm_region_kind kind;
    uint64_t base;
    uint64_t size;
    vm_vmar *parent;
    vm_gap_tree *tree; /* the tree holding it, NULL when in none */
};

struct vm_vmar {
    vm_object obj;
    vm_region region;
    vm_aspace *aspace;
    uint32_t flags; /* ZX_VM_CAN_MAP_*, ZX_VM_COMPACT */
    bool dead;
    vm_gap_tree children;
    /* Records ZX_INFO_VMAR_MAPS lists for it: its own, each sub-VMAR's and
     * each permission run of each mapping below it, kept as they change. */
    uint64_t map_records;
};

struct vm_mapping {
    vm_region region;
    vm_vmo *vmo;          /* the object mapped (user reference held) */
    vm_vmo *root;         /* the paged VMO that owns the pages */
    uint64_t vmo_offset;  /* offset in vmo mapped at region.base */
    uint64_t root_offset; /* the same position in root's pages */
    unsigned max_perms;
    uint32_t options; /* ZX_VM_ALLOW_FAULTS, ZX_VM_FAULT_BEYOND_STREAM_SIZE, ... */
    vm_run_tree prot; /* runs: offset -> MMU_PERM_* (vm/mapping.h), first at 0 */
    /* Links of the VMO's two lists, kept in the mapping itself so that
     * leaving them touches only the neighbours. */
    vm_mapping *vmo_prev, *vmo_next;
    vm_mapping *page_prev, *page_next;
};

/* A TLB shootdown: what it removes. TR_SHOOTDOWN_ADDR covers [va, va+len)
 * of the address space tagged asid; TR_SHOOTDOWN_ASID all of it;
 * TR_SHOOTDOWN_ALL every entry of every address space. */
typedef void (*vm_tlb_flush_fn)(void *ctx, tr_shootdown_kind kind, uint32_t asid, uint64_t va,
                                uint64_t len);

struct vm_aspace {
    vm_kernel *k;
    mmu_page_table *pt;
    vm_vmar *root;
    uint32_t asid; /* tags this address space's entries in the TLB model */
    vm_tlb_flush_fn tlb_flush;
    void *tlb_ctx;
    uint64_t shootdowns;
    uint64_t mappings; /* every mapping below root */
};

/* One slot of a handle table; obj is NULL while the slot is free. */
struct vm_handle {
    vm_object *obj;
    zx_rights_t rights;
    zx_handle_t value;
    uint64_t serial; /* creation order, for stable enumeration */
    uint32_t gen;    /* bumped each time the slot is freed */
    uint32_t next_free;
    /* VMO handles only: the slots (+ 1) of the previous and next VMO
     * handle, in creation order. */
    uint32_t vmo_prev, vmo_next;
};

/* Slots in fixed chunks, so a vm_handle* stays valid while others are made;
 * a handle value carries its slot number (vm/handle_table.c). */
struct vm_handle_table {
    vm_handle **chunks;
    uint32_t nchunks;
    uint32_t slots;               /* slots ever used */
    uint32_t free_head;           /* slot + 1 of the last slot freed, 0 when none */
    uint32_t count;               /* live handles */
    uint32_t vmo_first, vmo_last; /* slot + 1 of the oldest and newest VMO handle */
    uint32_t count_by_type[ZX_OBJ_TYPE_UPPER_BOUND];
    uint64_t next_serial;
    uint32_t secret;
};

typedef void (*vm_console_fn)(void *ctx, const char *bytes, size_t len);

struct vm_process {
    vm_object obj;
    vm_kernel *k;
    char name[ZX_MAX_NAME_LEN];
    vm_aspace *aspace;
    vm_handle_table handles;
    zx_handle_t self_handle;
    zx_handle_t root_vmar_handle;
    bool exited;
    int64_t retcode;
    bool killed; /* stopped by the kernel, e.g. a bad syscall */
    const char *kill_reason;
    uint32_t kill_syscall;
};

/* Where a user address space lives, per ISA (docs/semantics.md "Address space"). */
typedef struct vm_arch {
    const char *name;
    const mmu_pt_format *pt_format;
    uint64_t user_base;
    uint64_t user_size;
    bool execute_only; /* ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED is ignored */
} vm_arch;

extern const vm_arch vm_arch_arm64;
extern const vm_arch vm_arch_x86_64;

typedef enum {
    VM_DISCARD_LOW_MEMORY, /* only when the PMM runs out */
    VM_DISCARD_ALWAYS,     /* every unlock makes the VMO reclaimable at once */
    VM_DISCARD_NEVER,
} vm_discard_policy;

typedef struct vm_kernel_stats {
    uint64_t faults;
    uint64_t faults_by_kind[TR_FAULT_KINDS];
    uint64_t syscalls;
    uint64_t shootdowns;
    uint64_t shootdowns_by_kind[3]; /* tr_shootdown_kind */
} vm_kernel_stats;

struct mmu_hw;
typedef struct mmu_hw mmu_hw;

/* Guest-controlled region-of-interest brackets (zxsim_detail_begin/end):
 * the kernel cannot call the simulator, so it calls this. */
typedef void (*vm_detail_fn)(void *ctx, bool begin);

struct vm_kernel {
    mmu_physmem *mem;
    vm_pmm *pmm;
    const vm_arch *arch;
    zx_koid_t next_koid;
    GRand *rand;
    bool aslr;
    GList *vmos; /* every paged VMO, for accounting */
    /* Unlocked discardable VMOs with pages to lose, oldest unlock first. */
    GQueue reclaimable;
    GList *aspaces; /* every address space, for accounting */
    vm_discard_policy discard_policy;
    bool check_invariants;
    tr_sink *trace;
    vm_kernel_stats stats;
    int64_t time_skew_ns; /* simulated time spent waiting for deadlines */
    vm_console_fn console;
    void *console_ctx;
    /* zxsim_dump(label) from the guest: the simulator prints the dumps it
     * was asked for (--dump); NULL when none were. */
    void (*dump)(void *ctx, vm_process *p, const char *label);
    void *dump_ctx;
    uint32_t next_asid;
    /* The hardware model of detailed mode, NULL without one: shootdowns,
     * user copies, copy-on-write copies, zero-fills and cache ops reach it. */
    mmu_hw *hw;
    vm_detail_fn detail;
    void *detail_ctx;
    uint64_t detail_depth; /* open zxsim_detail_begin brackets */
    bool hw_counting;      /* kernel references count: inside the modelled region */
    bool model_clock;      /* zx_clock_get_monotonic is the model's time */
    bool host_clock;       /* --clock=host: the host's monotonic time */
};
