/* The children of one VMAR: an AVL tree of regions ordered by base, each
 * node also remembering the free gap in front of it and, for its subtree,
 * the largest such gap and their sum. Placement descends only into subtrees
 * with a large enough gap, so finding room costs O(log n) in the number of
 * children rather than a walk over all of them.
 *
 * A region's size may change in place only while its successor's gap stays
 * right: growing before its right neighbour is removed, or shrinking before
 * a new region is inserted behind it. */
#pragma once

#include "types.h"

void vm_gap_tree_init(vm_gap_tree *t, uint64_t lo, uint64_t hi);

/* r must not overlap any region of t and must lie in [lo, hi). */
void vm_gap_tree_insert(vm_gap_tree *t, vm_region *r);
void vm_gap_tree_remove(vm_gap_tree *t, vm_region *r);

vm_region *vm_gap_tree_first(const vm_gap_tree *t);
vm_region *vm_gap_tree_last(const vm_gap_tree *t);
vm_region *vm_gap_tree_next(const vm_region *r);
vm_region *vm_gap_tree_prev(const vm_region *r);
/* The last region whose base is <= key, or NULL. */
vm_region *vm_gap_tree_find_le(const vm_gap_tree *t, uint64_t key);

/* Free bytes in front of the first region, between regions and after the last. */
uint64_t vm_gap_tree_free_bytes(const vm_gap_tree *t);

/* The free byte `offset` bytes into the free space (counted in address
 * order), and the gap [*gap_lo, *gap_hi) that holds it. offset must be
 * below vm_gap_tree_free_bytes(t). */
uint64_t vm_gap_tree_free_at(const vm_gap_tree *t, uint64_t offset, uint64_t *gap_lo,
                             uint64_t *gap_hi);

/* Calls fn, in address order, for every gap at least min_len long that
 * starts below hi, cut at hi; stops early when fn returns true. */
typedef bool (*vm_gap_fn)(void *ctx, uint64_t lo, uint64_t hi);
void vm_gap_tree_visit_gaps(const vm_gap_tree *t, uint64_t min_len, uint64_t hi, vm_gap_fn fn,
                            void *ctx);

/* Checks order, balance, parent links and every stored gap, maximum and sum;
 * appends one line per problem to err and returns how many. */
unsigned vm_gap_tree_check(const vm_gap_tree *t, GString *err);
