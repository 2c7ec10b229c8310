#include "events.h"

#include <glib.h>
#include <string.h>

const char *tr_fault_kind_name(tr_fault_kind kind)
{
    switch (kind) {
    case TR_FAULT_DEMAND_ZERO:
        return "demand-zero";
    case TR_FAULT_ZERO_PAGE:
        return "zero-page";
    case TR_FAULT_COW_COPY:
        return "copy-on-write";
    case TR_FAULT_MAP_COMMITTED:
        return "map-committed";
    case TR_FAULT_FATAL:
        return "fatal";
    case TR_FAULT_USER_COPY:
        return "user-copy";
    case TR_FAULT_KINDS:
        break;
    }
    return "?";
}

const char *tr_access_name(unsigned access)
{
    if (access & TR_ACCESS_EXEC)
        return "execute";
    if (access & TR_ACCESS_WRITE)
        return "write";
    return "read";
}

const char *tr_event_kind_name(tr_event_kind kind)
{
    static const char *const names[TR_EV_KINDS] = {
        [TR_EV_PROCESS_START] = "process-start",
        [TR_EV_PROCESS_EXIT] = "process-exit",
        [TR_EV_FAULT] = "fault",
        [TR_EV_SYSCALL] = "syscall-end",
        [TR_EV_SYSCALL_BEGIN] = "syscall-begin",
        [TR_EV_MAP] = "map",
        [TR_EV_UNMAP] = "unmap",
        [TR_EV_PROTECT] = "protect",
        [TR_EV_SHOOTDOWN] = "shootdown",
        [TR_EV_TLB] = "tlb",
        [TR_EV_WALK] = "walk",
        [TR_EV_CACHE] = "cache",
    };
    return (unsigned)kind < TR_EV_KINDS ? names[kind] : "?";
}

const char *tr_tlb_level_name(tr_tlb_level level)
{
    static const char *const names[TR_TLB_LEVELS] = {"L1I", "L1D", "L2"};
    return (unsigned)level < TR_TLB_LEVELS ? names[level] : "?";
}

const char *tr_tlb_op_name(tr_tlb_op op)
{
    static const char *const names[] = {"miss", "fill", "evict"};
    return (unsigned)op < G_N_ELEMENTS(names) ? names[op] : "?";
}

const char *tr_shootdown_kind_name(tr_shootdown_kind kind)
{
    static const char *const names[] = {"address", "asid", "all"};
    return (unsigned)kind < G_N_ELEMENTS(names) ? names[kind] : "?";
}

const char *tr_cache_level_name(tr_cache_level level)
{
    static const char *const names[TR_CACHE_LEVELS] = {"L1I", "L1D", "L2", "L3"};
    return (unsigned)level < TR_CACHE_LEVELS ? names[level] : "?";
}

const char *tr_cache_op_name(tr_cache_op op)
{
    static const char *const names[] = {"miss", "evict", "writeback"};
    return (unsigned)op < G_N_ELEMENTS(names) ? names[op] : "?";
}

const char *tr_clock_kind_name(tr_clock_kind kind)
{
    static const char *const names[] = {"logical", "instructions", "cycles"};
    return (unsigned)kind < G_N_ELEMENTS(names) ? names[kind] : "?";
}

static const struct {
    const char *name;
    tr_category cat;
} categories[] = {
    {"process", TR_CAT_PROCESS}, {"faults", TR_CAT_FAULTS}, {"tlb", TR_CAT_TLB},
    {"walks", TR_CAT_WALKS},     {"cache", TR_CAT_CACHE},   {"syscalls", TR_CAT_SYSCALLS},
    {"vm", TR_CAT_VM},
};

const char *tr_category_name(tr_category cat)
{
    for (size_t i = 0; i < G_N_ELEMENTS(categories); i++)
        if (categories[i].cat == cat)
            return categories[i].name;
    return "?";
}

bool tr_parse_categories(const char *list, unsigned *cats, const char **bad)
{
    static char bad_name[64];
    *cats = TR_CAT_PROCESS;
    g_auto(GStrv) names = g_strsplit(list, ",", -1);
    for (char **n = names; *n; n++) {
        bool known = false;
        if (strcmp(*n, "all") == 0) {
            *cats = TR_CAT_ALL;
            continue;
        }
        for (size_t i = 0; i < G_N_ELEMENTS(categories); i++)
            if (strcmp(*n, categories[i].name) == 0) {
                *cats |= categories[i].cat;
                known = true;
            }
        if (!known) {
            g_strlcpy(bad_name, *n, sizeof bad_name);
            *bad = bad_name;
            return false;
        }
    }
    return true;
}
