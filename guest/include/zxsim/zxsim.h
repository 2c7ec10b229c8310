/* zxsim's own host calls. They are not part of Zircon's API: a guest that
 * uses them runs only under zxsim. Tests use them to drive the simulator's
 * kernel (reclaim) and to read its accounting. */
#pragma once

#include <zircon/types.h>

__BEGIN_CDECLS

typedef struct zxsim_mem_stats {
    uint64_t frames_total;      /* frames of simulated RAM */
    uint64_t frames_in_use;     /* committed pages + page tables + zero page */
    uint64_t committed_frames;  /* distinct frames holding VMO pages */
    uint64_t page_table_frames; /* frames holding page tables */
    uint64_t zero_page_frames;  /* 1: the shared zero page */
    uint64_t page_faults;       /* faults the kernel resolved so far */
} zxsim_mem_stats_t;

/* Discards every unlocked discardable VMO now, as memory pressure would.
 * Returns the number of VMOs discarded. */
zx_status_t zxsim_reclaim(void);
zx_status_t zxsim_mem_stats(zxsim_mem_stats_t *stats);

/* Prints the dumps asked for on zxsim's command line (--dump=vmar,
 * pagetables,vmos) now, headed by label (may be NULL): the address space
 * as the kernel and the MMU see it at this point of the program. Does
 * nothing without --dump. ZX_ERR_INVALID_ARGS when label is unreadable. */
zx_status_t zxsim_dump(const char *label);

/* Brackets a region of interest for zxsim's detailed mode: between them
 * every instruction fetch and data access goes through the TLB and cache
 * models, and the statistics cover the bracketed parts alone. Pairs nest.
 * Without --model=detailed (or --detail) they do nothing. zxsim_detail_end
 * without a begin is ZX_ERR_BAD_STATE. */
zx_status_t zxsim_detail_begin(void);
zx_status_t zxsim_detail_end(void);

__END_CDECLS
