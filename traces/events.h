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
    TR_FAULT_USER_COPY,     /* a syscall's copy to or from user memory failed:
                               the syscall returns an error, the guest goes on */
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
typedef enum { TR_TLB_L1I, TR_TLB_L1D, TR_TLB_L2, TR_TLB_LEVELS } tr_tlb_level;

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
    uint64_t time; /* in the sink's clock (tr_clock_kind) */
    union {
        struct {
            uint64_t va; /* the exact byte (the page when it cannot be found) */
            uint64_t pc; /* from the sink's pc source; 0 without one */
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
            const char *name; /* NULL: a number that names no syscall */
            uint32_t nargs;   /* how many of args the syscall takes */
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
            const char *vmo_name; /* TR_EV_MAP: the VMO's name, "" if none */
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
            uint64_t koid;
            const char *name;
        } start;
        struct {
            int64_t code;
        } exit;
    } u;
} tr_event;

/* What --trace-events selects: each event kind belongs to one category. */
typedef enum {
    TR_CAT_PROCESS = 1u << 0, /* always recorded */
    TR_CAT_FAULTS = 1u << 1,
    TR_CAT_TLB = 1u << 2, /* TLB misses, fills, evictions and shootdowns */
    TR_CAT_WALKS = 1u << 3,
    TR_CAT_CACHE = 1u << 4,
    TR_CAT_SYSCALLS = 1u << 5,
    TR_CAT_VM = 1u << 6, /* address-space changes: map, unmap, protect */
    TR_CAT_ALL = (1u << 7) - 1,
} tr_category;

/* Where timestamps come from; the trace's metadata names it. */
typedef enum {
    TR_CLOCK_LOGICAL, /* one tick per recorded event */
    TR_CLOCK_INSNS,   /* guest instructions executed */
    TR_CLOCK_CYCLES,  /* simulated cycles of the hardware model */
} tr_clock_kind;

/* A sink as zero-initialized records every event on the logical clock. */
typedef struct tr_sink {
    void (*emit)(void *ctx, const tr_event *event);
    void *ctx;
    uint64_t clock; /* the logical clock: events recorded so far */
    unsigned skip;  /* tr_category bits not recorded */
    tr_clock_kind clock_kind;
    uint64_t (*now)(void *now_ctx); /* the instruction or cycle count */
    void *now_ctx;
    uint64_t (*pc)(void *pc_ctx); /* the guest's pc, for fault events */
    void *pc_ctx;
    /* The exact byte a guest access faulted on, given the address the CPU
     * reported (only its page); asked only while fault events are recorded,
     * since finding it means decoding the faulting instruction. */
    uint64_t (*fault_va)(void *fault_ctx, uint64_t va, unsigned access);
    void *fault_ctx;
} tr_sink;

static inline unsigned tr_category_of(tr_event_kind kind)
{
    static const unsigned cats[TR_EV_KINDS] = {
        [TR_EV_PROCESS_START] = TR_CAT_PROCESS,
        [TR_EV_PROCESS_EXIT] = TR_CAT_PROCESS,
        [TR_EV_FAULT] = TR_CAT_FAULTS,
        [TR_EV_SYSCALL] = TR_CAT_SYSCALLS,
        [TR_EV_SYSCALL_BEGIN] = TR_CAT_SYSCALLS,
        [TR_EV_MAP] = TR_CAT_VM,
        [TR_EV_UNMAP] = TR_CAT_VM,
        [TR_EV_PROTECT] = TR_CAT_VM,
        [TR_EV_SHOOTDOWN] = TR_CAT_TLB,
        [TR_EV_TLB] = TR_CAT_TLB,
        [TR_EV_WALK] = TR_CAT_WALKS,
        [TR_EV_CACHE] = TR_CAT_CACHE,
    };
    return (unsigned)kind < TR_EV_KINDS ? cats[kind] : 0;
}

/* Whether an event of this kind would be recorded: lets an emitter skip
 * gathering its fields. */
static inline bool tr_wants(const tr_sink *sink, tr_event_kind kind)
{
    return sink != 0 && sink->emit != 0 && !(sink->skip & tr_category_of(kind));
}

/* The time an event emitted now would carry. */
static inline uint64_t tr_now(const tr_sink *sink)
{
    return sink->now ? sink->now(sink->now_ctx) : sink->clock;
}

static inline void tr_emit(tr_sink *sink, tr_event *event)
{
    if (!tr_wants(sink, event->kind))
        return;
    event->time = tr_now(sink);
    sink->clock++;
    sink->emit(sink->ctx, event);
}

const char *tr_fault_kind_name(tr_fault_kind kind);
const char *tr_access_name(unsigned access);
const char *tr_event_kind_name(tr_event_kind kind);
const char *tr_tlb_level_name(tr_tlb_level level);
const char *tr_tlb_op_name(tr_tlb_op op);
const char *tr_shootdown_kind_name(tr_shootdown_kind kind);
const char *tr_cache_level_name(tr_cache_level level);
const char *tr_cache_op_name(tr_cache_op op);
const char *tr_clock_kind_name(tr_clock_kind kind);
const char *tr_category_name(tr_category cat);

/* "faults,tlb,syscalls" -> category bits (process always included); on a
 * name it does not know, false and *bad points at it. */
bool tr_parse_categories(const char *list, unsigned *cats, const char **bad);
