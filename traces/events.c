#include "events.h"

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
