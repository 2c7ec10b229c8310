/* The children of one VMAR: a B+ tree of regions ordered by base. Each
 * inner node keeps, for every child subtree, where its regions start and
 * end and the largest and the sum of the free gaps between them, so that
 * finding room, or the n-th free page, descends only into subtrees that
 * hold it: O(log n) in the number of children, never a walk over them.
 *
 * The nodes keep copies of the regions' bounds side by side, so a descent
 * reads a few cache lines per level and never a region.
 *
 * A region's size changes through vm_gap_tree_set_size. It may grow over
 * its right neighbour only just before that neighbour is removed; until
 * then the two count as touching. */
#pragma once

#include "types.h"

void vm_gap_tree_init(vm_gap_tree *t, uint64_t lo, uint64_t hi);
/* Frees the nodes; the regions are not touched. */
void vm_gap_tree_destroy(vm_gap_tree *t);

/* r must not overlap any region of t and must lie in [lo, hi). Its base
 * must not change while it is in t. */
void vm_gap_tree_insert(vm_gap_tree *t, vm_region *r);
void vm_gap_tree_remove(vm_gap_tree *t, vm_region *r);

vm_region *vm_gap_tree_first(const vm_gap_tree *t);
vm_region *vm_gap_tree_last(const vm_gap_tree *t);
vm_region *vm_gap_tree_next(const vm_region *r);
vm_region *vm_gap_tree_prev(const vm_region *r);
/* The last region whose base is <= key, or NULL. */
vm_region *vm_gap_tree_find_le(const vm_gap_tree *t, uint64_t key);
/* The first region that ends after key, or NULL. */
vm_region *vm_gap_tree_first_ending_after(const vm_gap_tree *t, uint64_t key);
/* Does no region overlap [base, base+size)? One descent, no region read. */
bool vm_gap_tree_range_is_free(const vm_gap_tree *t, uint64_t base, uint64_t size);
/* Appends to out, in address order, every region overlapping [base, end). */
void vm_gap_tree_collect(const vm_gap_tree *t, uint64_t base, uint64_t end, GPtrArray *out);
/* r's neighbours that touch it (end at its base, start at its end), or NULL;
 * read from the nodes, without touching the neighbouring regions. */
void vm_gap_tree_touching(const vm_region *r, vm_region **left, vm_region **right);
/* Sets r->size, in or out of a tree (see above for when). */
void vm_gap_tree_set_size(vm_region *r, uint64_t size);

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

/* The whole tree's height, largest gap and sum of gaps before the last
 * region (0 when empty). */
int vm_gap_tree_height(const vm_gap_tree *t);
uint64_t vm_gap_tree_max_gap(const vm_gap_tree *t);
uint64_t vm_gap_tree_gap_sum(const vm_gap_tree *t);

/* Checks order, balance, parent links and every stored gap, maximum and sum;
 * appends one line per problem to err and returns how many. */
unsigned vm_gap_tree_check(const vm_gap_tree *t, GString *err);
