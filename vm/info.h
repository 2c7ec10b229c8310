/* The records of zx_object_get_info: VMO attribution (docs/semantics.md "Attribution"), mapping
 * trees (docs/semantics.md "Info records") and the VMOs a process can reach. */
#pragma once

#include "types.h"

/* Committed-memory attribution of a page range of a paged VMO, by the
 * current model: RSS counts shared pages in full, USS only private pages,
 * PSS each page divided by the number of VMOs that reach it. */
typedef struct vm_attribution {
    uint64_t committed_bytes;
    uint64_t private_bytes;
    uint64_t scaled_bytes;
    uint64_t scaled_fraction; /* of one byte, 63 fraction bits */
} vm_attribution;

void vm_attribute_range(vm_vmo *root, uint64_t offset, uint64_t len, vm_attribution *out);

/* A full ZX_INFO_VMO record for v, seen through a handle with `rights` (or
 * through a mapping, when via_mapping). */
void vm_info_vmo(vm_vmo *v, bool via_mapping, zx_rights_t rights, zx_info_vmo_t *out);

/* Depth-first records of a VMAR subtree, the first `limit` of them.
 * `first_depth` is the depth given to vmar itself. Records are appended to
 * `out` as zx_info_maps_t. There are vmar->map_records in all. */
void vm_info_vmar_maps(vm_vmar *vmar, size_t first_depth, GArray *out, size_t limit);

/* The first `limit` records of ZX_INFO_PROCESS_MAPS, of 1 +
 * p->aspace->root->map_records. */
void vm_info_process_maps(vm_process *p, GArray *out, size_t limit);
/* The first `limit` records of ZX_INFO_PROCESS_VMOS (handles first, oldest
 * first, then mappings in address order), of vm_info_process_vmos_count. */
void vm_info_process_vmos(vm_process *p, GArray *out, size_t limit);
uint64_t vm_info_process_vmos_count(vm_process *p);
/* ZX_INFO_TASK_STATS of a process: its mappings' sizes and committed
 * memory, private and shared. */
void vm_info_task_stats(vm_process *p, zx_info_task_stats_t *out);
