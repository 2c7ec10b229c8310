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
    TR_EV_SYSCALL,
    TR_EV_MAP,
    TR_EV_UNMAP,
    TR_EV_PROTECT,
    TR_EV_SHOOTDOWN,
} tr_event_kind;

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
            int64_t result;
        } syscall;
        struct {
            uint64_t base;
            uint64_t size;
            unsigned perms;
            uint64_t vmo_koid;
            uint64_t vmo_offset;
        } range;
        struct {
            uint64_t entries;
        } shootdown;
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
