/* An ordered map from offsets to permissions, made for a mapping's
 * permission runs: a B+tree whose leaves hold wide sorted arrays, linked
 * both ways, so that a lookup touches a few cache lines per level and a
 * walk is a slide along an array. A map of one entry (a mapping whose
 * pages all share their permissions, the usual case) is kept inside the
 * struct and allocates nothing. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Wide enough for a leaf's keys to fill a few cache lines and for a tree
 * of a million runs to be four levels deep. */
#define VM_RUN_LEAF_CAP  32
#define VM_RUN_INNER_CAP 32

typedef struct vm_run_leaf vm_run_leaf;
struct vm_run_leaf {
    uint32_t n;
    uint32_t level; /* 0: how far above the leaves a node is */
    vm_run_leaf *prev, *next;
    uint64_t offset[VM_RUN_LEAF_CAP];
    uint8_t perms[VM_RUN_LEAF_CAP];
};

/* keys[i] (i >= 1) separates child i-1 from child i: every key of child
 * i-1 is below it, every key of child i at or above it. keys[0] is unused. */
typedef struct vm_run_inner {
    uint32_t n; /* children */
    uint32_t level;
    uint64_t keys[VM_RUN_INNER_CAP];
    void *child[VM_RUN_INNER_CAP];
} vm_run_inner;

typedef struct vm_run_tree {
    void *root;      /* NULL while count <= 1 */
    uint32_t height; /* inner levels above the leaves */
    uint8_t solo_perms;
    size_t count;
    uint64_t solo_offset; /* the only entry when count == 1 */
} vm_run_tree;

/* A position in a tree: an entry of a leaf, or the tree's only entry
 * (leaf NULL), or nowhere (tree NULL). Valid until the tree changes. */
typedef struct vm_run {
    const vm_run_tree *tree;
    const vm_run_leaf *leaf;
    uint32_t idx;
} vm_run;

static inline bool vm_run_valid(vm_run r)
{
    return r.tree != NULL;
}
static inline uint64_t vm_run_offset(vm_run r)
{
    return r.leaf ? r.leaf->offset[r.idx] : r.tree->solo_offset;
}
static inline unsigned vm_run_perms(vm_run r)
{
    return r.leaf ? r.leaf->perms[r.idx] : r.tree->solo_perms;
}
static inline vm_run vm_run_next(vm_run r)
{
    if (r.leaf && r.idx + 1 < r.leaf->n)
        return (vm_run){r.tree, r.leaf, r.idx + 1};
    if (r.leaf && r.leaf->next)
        return (vm_run){r.tree, r.leaf->next, 0};
    return (vm_run){0};
}
static inline vm_run vm_run_prev(vm_run r)
{
    if (r.leaf && r.idx > 0)
        return (vm_run){r.tree, r.leaf, r.idx - 1};
    if (r.leaf && r.leaf->prev)
        return (vm_run){r.tree, r.leaf->prev, r.leaf->prev->n - 1};
    return (vm_run){0};
}

/* An empty tree. */
void vm_run_tree_init(vm_run_tree *t);
void vm_run_tree_clear(vm_run_tree *t);
static inline size_t vm_run_tree_count(const vm_run_tree *t)
{
    return t->count;
}
vm_run vm_run_tree_first(const vm_run_tree *t);
vm_run vm_run_tree_last(const vm_run_tree *t);
/* The entry with the greatest offset <= offset, if any. */
vm_run vm_run_tree_floor(const vm_run_tree *t, uint64_t offset);
/* The entry with the least offset >= offset, if any. */
vm_run vm_run_tree_ceil(const vm_run_tree *t, uint64_t offset);
/* Adds offset, or replaces its permissions. perms must fit 8 bits. */
void vm_run_tree_set(vm_run_tree *t, uint64_t offset, unsigned perms);
/* Removes offset; false when it was not there. */
bool vm_run_tree_remove(vm_run_tree *t, uint64_t offset);
/* Removes every entry in [lo, hi]: O(log n) for each one removed. */
void vm_run_tree_remove_range(vm_run_tree *t, uint64_t lo, uint64_t hi);
/* Moves the entries at or after cut into the empty tree right, each
 * offset lowered by cut. O(log n + entries moved). */
void vm_run_tree_split(vm_run_tree *t, uint64_t cut, vm_run_tree *right);
/* Moves every entry of right into t, each offset raised by shift; they
 * must all land above t's last. right is left empty. O(log n + entries
 * moved). */
void vm_run_tree_append(vm_run_tree *t, vm_run_tree *right, uint64_t shift);
/* Every structural rule of t: order, counts, node fill, equal leaf depth,
 * separators and leaf links. Returns how many it found broken and
 * describes the first in msg. */
unsigned vm_run_tree_check(const vm_run_tree *t, char *msg, size_t msg_len);
