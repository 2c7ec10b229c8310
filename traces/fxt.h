/* Fuchsia Trace Format: the record and field layout both the writer and
 * the reader use. Every record is a sequence of little-endian 64-bit words;
 * the first one's low 4 bits give the type and bits 4..15 the size in
 * words. */
#pragma once

#include <stdint.h>

enum {
    FXT_METADATA = 0,
    FXT_INIT = 1,
    FXT_STRING = 2,
    FXT_THREAD = 3,
    FXT_EVENT = 4,
    FXT_KERNEL_OBJECT = 7,
};

enum {
    FXT_META_PROVIDER_INFO = 1,
    FXT_META_PROVIDER_SECTION = 2,
    FXT_META_TRACE_INFO = 4,
};

enum {
    FXT_EV_INSTANT = 0,
    FXT_EV_COUNTER = 1,
    FXT_EV_BEGIN = 2,
    FXT_EV_END = 3,
    FXT_EV_COMPLETE = 4,
};

enum {
    FXT_ARG_NULL = 0,
    FXT_ARG_I32 = 1,
    FXT_ARG_U32 = 2,
    FXT_ARG_I64 = 3,
    FXT_ARG_U64 = 4,
    FXT_ARG_DOUBLE = 5,
    FXT_ARG_STRING = 6,
    FXT_ARG_POINTER = 7,
    FXT_ARG_KOID = 8,
    FXT_ARG_BOOL = 9,
};

/* The first word of every FXT file. */
#define FXT_MAGIC 0x0016547846040010ull
/* A string reference with this bit set is an inline string of the length
 * in the low 15 bits; otherwise it indexes the string table (0 = ""). */
#define FXT_STR_INLINE    0x8000u
#define FXT_STR_MAX_INDEX 0x7fffu
#define FXT_OBJ_PROCESS   1
#define FXT_OBJ_THREAD    2

/* The trace's own process and thread, as Perfetto shows them. */
#define FXT_PID 1
#define FXT_TID 2

static inline uint64_t fxt_bits(uint64_t word, int lo, int hi)
{
    return (word >> lo) & ((hi - lo == 63) ? ~0ull : ((1ull << (hi - lo + 1)) - 1));
}
