/* The figures report and trace-summary show, computed from a trace. */
#pragma once

#include "reader.h"

#include <stdio.h>

#define TR_BUCKETS 40

typedef struct tr_page_stat {
    uint32_t faults;
    bool committed; /* a frame backed it: demand-zero, copy-on-write or map-committed */
} tr_page_stat;

typedef struct tr_mapping_stat {
    uint64_t base, size, koid, offset;
    unsigned perms;
    const char *name;
    bool live;
    GHashTable *pages; /* page index in the mapping -> tr_page_stat */
    uint64_t touched, committed, faults;
} tr_mapping_stat;

typedef struct tr_syscall_stat {
    const char *name;
    uint32_t number;
    uint64_t calls;
    uint64_t total_duration, max_duration;
    GTree *statuses; /* int64 status -> count (both as pointers to uint64) */
} tr_syscall_stat;

typedef struct tr_stats {
    uint64_t events;
    uint64_t first_time, last_time, bucket_width;
    uint64_t by_kind[TR_EV_KINDS];
    uint64_t faults[TR_FAULT_KINDS];
    uint64_t fault_buckets[TR_BUCKETS][TR_FAULT_KINDS];
    uint64_t tlb[TR_TLB_LEVELS][3]; /* per tr_tlb_op */
    uint64_t tlb_miss_buckets[TR_TLB_LEVELS][TR_BUCKETS];
    uint64_t shootdowns[3], shootdown_entries;
    uint64_t walks, walk_levels, walk_cache_hits;
    uint64_t cache[TR_CACHE_LEVELS][3]; /* per tr_cache_op */
    uint64_t maps, unmaps, protects;
    GPtrArray *mappings; /* tr_mapping_stat, in the order they were made */
    GPtrArray *syscalls; /* tr_syscall_stat, by name */
    bool exited;
    int64_t exit_code;
} tr_stats;

tr_stats *tr_stats_compute(const tr_trace *t);
void tr_stats_free(tr_stats *s);
/* "ZX_ERR_NOT_FOUND" for -25, "ZX_OK" for 0, the number otherwise. */
const char *tr_status_name(int64_t status, char buf[24]);

/* trace-summary's tables. */
void tr_summary_print(const tr_stats *s, const tr_meta *meta, FILE *out);
/* report's HTML page. */
void tr_report_html(const tr_stats *s, const tr_meta *meta, const char *title, GString *out);

/* The subcommands: zxsim trace-summary TRACE, zxsim report TRACE -o FILE. */
int tr_cmd_summary(int argc, char **argv);
int tr_cmd_report(int argc, char **argv);
