/* The one event interface: the kernel, the MMU and the machine describe what
 * happens here, and a sink decides what to keep and how to write it. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    TR_FAULT_DEMAND_ZERO,   /* a fresh zero-filled frame was committed */
    TR_FAULT_ZERO_PAGE,     /* a read mapped the shared zero page */
    TR_FAULT_COW_COPY,      /* a write made a private copy of a shared page */
    TR_FAULT_MAP_COMMITTED, /* an already committed page was (re)mapped */
    TR_FAULT_FATAL,         /* no mapping, no permission, or beyond the VMO */
    TR_FAULT_KINDS
} tr_fault_kind;

typedef enum {
    TR_ACCESS_READ = 1,
    TR_ACCESS_WRITE = 2,
    TR_ACCESS_EXEC = 4,
} tr_access;

typedef enum {
    TR_EV_PROCESS_START,
    TR_EV_PROCESS_EXIT,
    TR_EV_FAULT,
    TR_EV_SYSCALL, /* the end of a syscall: its status and duration */
    TR_EV_SYSCALL_BEGIN,
    TR_EV_MAP,
    TR_EV_UNMAP,
    TR_EV_PROTECT,
    TR_EV_SHOOTDOWN,
    TR_EV_TLB,   /* one TLB structure: a miss, a fill or an eviction */
    TR_EV_WALK,  /* one page-table walk of the hardware model */
    TR_EV_CACHE, /* one cache structure: a miss, an eviction or a write-back */
    TR_EV_KINDS
} tr_event_kind;

/* Hardware structures, named as in the hardware profiles. */
typedef enum {
    TR_TLB_L1I,
    TR_TLB_L1D,
    TR_TLB_L2,
    TR_TLB_LEVELS
} tr_tlb_level;

typedef enum {
    TR_TLB_MISS,
    TR_TLB_FILL,
    TR_TLB_EVICT,
} tr_tlb_op;

typedef enum {
    TR_SHOOTDOWN_ADDR, /* a range of one address space */
    TR_SHOOTDOWN_ASID, /* every entry of one address space */
    TR_SHOOTDOWN_ALL,  /* every entry */
} tr_shootdown_kind;

typedef enum {
    TR_CACHE_L1I,
    TR_CACHE_L1D,
    TR_CACHE_L2,
    TR_CACHE_L3,
    TR_CACHE_LEVELS
} tr_cache_level;

typedef enum {
    TR_CACHE_MISS,
    TR_CACHE_EVICT,
    TR_CACHE_WRITEBACK,
} tr_cache_op;

typedef struct tr_event {
    tr_event_kind kind;
    uint64_t time; /* logical: events so far */
    union {
        struct {
            uint64_t va;
            unsigned access;
            tr_fault_kind kind;
            uint64_t vmo_koid;
            uint64_t vmo_offset;
            uint64_t pa;
            int32_t status;
            bool from_kernel; /* a syscall's user copy, not the guest itself */
        } fault;
        struct {
            uint32_t number;
            const char *name;
            uint64_t args[8];
            int64_t result;    /* TR_EV_SYSCALL only */
            uint64_t duration; /* TR_EV_SYSCALL only: simulated time it took */
        } syscall;
        struct {
            uint64_t base;
            uint64_t size;
            unsigned perms;
            uint64_t vmo_koid;
            uint64_t vmo_offset;
        } range;
        struct {
            tr_shootdown_kind kind;
            uint32_t asid;
            uint64_t va; /* TR_SHOOTDOWN_ADDR: the range removed */
            uint64_t len;
            uint64_t entries; /* page-table entries removed or narrowed */
        } shootdown;
        struct {
            tr_tlb_level level;
            tr_tlb_op op;
            uint32_t asid;
            uint64_t va; /* page-aligned */
        } tlb;
        struct {
            uint32_t asid;
            uint64_t va;
            unsigned access;
            int levels_read;     /* entries read from memory */
            int walk_cache_hits; /* upper levels found in the page-walk cache */
        } walk;
        struct {
            tr_cache_level level;
            tr_cache_op op;
            uint64_t pa; /* line-aligned */
            bool from_kernel;
        } cache;
        struct {
            int64_t code;
        } exit;
    } u;
} tr_event;

typedef struct tr_sink {
    void (*emit)(void *ctx, const tr_event *event);
    void *ctx;
    uint64_t clock;
} tr_sink;

static inline void tr_emit(tr_sink *sink, tr_event *event)
{
    if (sink == 0 || sink->emit == 0)
        return;
    event->time = sink->clock++;
    sink->emit(sink->ctx, event);
}

const char *tr_fault_kind_name(tr_fault_kind kind);
const char *tr_access_name(unsigned access);
