#include "gap_tree.h"

#include <string.h>

/* Regions per leaf and children per inner node; every node but the root
 * holds at least half as many. At 10^5 regions the tree is four levels
 * high and its inner nodes, about a quarter of a megabyte, stay in the
 * host's cache, so a descent costs about one leaf's worth of memory
 * traffic. (Measured with tests/bench/scale_probe: 32 is faster than 16
 * at both 10^4 and 10^5 regions; 48 and 64 are slower at 10^4.) */
#define FAN        32
#define MIN_FILL   (FAN / 2)
#define MAX_HEIGHT 24 /* enough for 2^64 regions at the minimum fill */

typedef struct leaf {
    uint64_t base[FAN];
    uint64_t end[FAN];
    vm_region *region[FAN];
    struct leaf *prev, *next; /* the leaves in address order */
    unsigned n;
} leaf;

/* For each child subtree: where its first region starts, where its last one
 * ends, and the largest and the sum of the gaps between its own regions.
 * The gaps between two children are worked out from those bounds, so no
 * node stores a gap that depends on another subtree. */
typedef struct inner {
    uint64_t first[FAN];
    uint64_t last[FAN];
    uint64_t max_gap[FAN];
    uint64_t gap_sum[FAN];
    void *child[FAN];
    unsigned n;
} inner;

typedef struct summary {
    uint64_t first, last, max_gap, gap_sum;
} summary;

/* A region that grew in place overlaps its successor until that one is
 * removed (see gap_tree.h); meanwhile there is no gap between them. */
static uint64_t gap_between(uint64_t end, uint64_t base)
{
    return base > end ? base - end : 0;
}

static summary leaf_summary(const leaf *l)
{
    summary s = {l->base[0], l->end[l->n - 1], 0, 0};
    for (unsigned i = 1; i < l->n; i++) {
        uint64_t g = gap_between(l->end[i - 1], l->base[i]);
        s.max_gap = MAX(s.max_gap, g);
        s.gap_sum += g;
    }
    return s;
}

static summary inner_summary(const inner *in)
{
    summary s = {in->first[0], in->last[in->n - 1], in->max_gap[0], in->gap_sum[0]};
    for (unsigned i = 1; i < in->n; i++) {
        uint64_t g = gap_between(in->last[i - 1], in->first[i]);
        s.max_gap = MAX(s.max_gap, MAX(g, in->max_gap[i]));
        s.gap_sum += g + in->gap_sum[i];
    }
    return s;
}

static summary node_summary(const void *node, int level)
{
    return level == 0 ? leaf_summary(node) : inner_summary(node);
}

static summary tree_summary(const vm_gap_tree *t)
{
    return node_summary(t->root, t->height - 1);
}

static unsigned node_count(const void *node, int level)
{
    return level == 0 ? ((const leaf *)node)->n : ((const inner *)node)->n;
}

static void set_slot(inner *in, unsigned i, summary s)
{
    in->first[i] = s.first;
    in->last[i] = s.last;
    in->max_gap[i] = s.max_gap;
    in->gap_sum[i] = s.gap_sum;
}

static summary slot_of(const inner *in, unsigned i)
{
    return (summary){in->first[i], in->last[i], in->max_gap[i], in->gap_sum[i]};
}

/* Child i of in now has summary now; *s, in's summary before, becomes its
 * summary after. Only the gaps next to child i can have changed, so only
 * they are read, unless what was in's largest gap is gone: then all of in
 * is. An update from a leaf to the root so reads a few cache lines per
 * level instead of every slot. s is NULL for the root, whose summary no
 * node keeps. */
static void update_slot(inner *in, unsigned i, summary now, summary *s)
{
    if (!s) {
        set_slot(in, i, now);
        return;
    }
    summary old = slot_of(in, i);
    uint64_t old_left = 0, new_left = 0, old_right = 0, new_right = 0;
    if (i > 0) {
        old_left = gap_between(in->last[i - 1], old.first);
        new_left = gap_between(in->last[i - 1], now.first);
    }
    if (i + 1 < in->n) {
        old_right = gap_between(old.last, in->first[i + 1]);
        new_right = gap_between(now.last, in->first[i + 1]);
    }
    set_slot(in, i, now);
    uint64_t lost = MAX(old.max_gap, MAX(old_left, old_right));
    uint64_t gained = MAX(now.max_gap, MAX(new_left, new_right));
    if (lost == s->max_gap && gained < lost) {
        *s = inner_summary(in);
        return;
    }
    s->max_gap = MAX(s->max_gap, gained);
    s->gap_sum =
        s->gap_sum - old.gap_sum - old_left - old_right + now.gap_sum + new_left + new_right;
    if (i == 0)
        s->first = now.first;
    if (i + 1 == in->n)
        s->last = now.last;
}

/* The index of the last of keys[0, n) that is <= key, or -1. The keys are
 * sorted, so this is a count: no branch to mispredict. */
static int last_le(const uint64_t *keys, unsigned n, uint64_t key)
{
    int count = 0;
    for (unsigned i = 0; i < n; i++)
        count += keys[i] <= key;
    return count - 1;
}

static void prefetch_bytes(const void *p, size_t size)
{
    for (size_t at = 0; at < size; at += 64)
        __builtin_prefetch((const char *)p + at);
}

/* The child of in, at level, where key belongs. What the next step reads of
 * that child is asked for at once (all of a leaf; an inner node's keys and
 * links): in a tree larger than the host's cache the lower levels are
 * memory accesses, which would otherwise wait for each other. */
static unsigned child_for(const inner *in, uint64_t key, int level)
{
    int i = last_le(in->first, in->n, key);
    unsigned c = i < 0 ? 0 : (unsigned)i;
    if (level == 1) {
        prefetch_bytes(in->child[c], sizeof(leaf));
    } else {
        const inner *next = in->child[c];
        prefetch_bytes(next->first, sizeof next->first);
        prefetch_bytes(next->child, sizeof next->child + sizeof next->n);
    }
    return c;
}

/* The inner nodes and child indices a descent went through, by level. */
typedef struct path {
    inner *node[MAX_HEIGHT];
    unsigned index[MAX_HEIGHT];
} path;

/* The leaf where key belongs, and in *at the last entry there whose base is
 * <= key (-1 if none: key lies before the whole tree). */
static leaf *descend(const vm_gap_tree *t, uint64_t key, path *p, int *at)
{
    void *node = t->root;
    for (int level = t->height - 1; level > 0; level--) {
        inner *in = node;
        unsigned i = child_for(in, key, level);
        if (p) {
            p->node[level] = in;
            p->index[level] = i;
        }
        node = in->child[i];
    }
    leaf *l = node;
    *at = last_le(l->base, l->n, key);
    return l;
}

/* A position in the tree: an entry of a leaf. */
typedef struct spot {
    leaf *l;
    unsigned i;
} spot;

static vm_region *region_at(spot s)
{
    return s.l ? s.l->region[s.i] : NULL;
}

static spot step_forward(spot s)
{
    if (s.i + 1 < s.l->n)
        return (spot){s.l, s.i + 1};
    return (spot){s.l->next, 0};
}

static spot step_back(spot s)
{
    if (s.i > 0)
        return (spot){s.l, s.i - 1};
    return s.l->prev ? (spot){s.l->prev, s.l->prev->n - 1} : (spot){NULL, 0};
}

/* The cursor is a cache, not part of the tree's contents: queries on a
 * const tree still move it. */
static spot remember(const vm_gap_tree *t, spot s)
{
    vm_gap_tree *mt = (vm_gap_tree *)t;
    if (s.l) {
        mt->cursor_leaf = s.l;
        mt->cursor_index = s.i;
        mt->cursor_shape = t->shape;
    }
    return s;
}

static spot spot_of(const vm_region *r)
{
    const vm_gap_tree *t = r->tree;
    leaf *c = t->cursor_leaf;
    if (c && t->cursor_shape == t->shape && t->cursor_index < c->n &&
        c->region[t->cursor_index] == r)
        return (spot){c, t->cursor_index};
    int at;
    leaf *l = descend(t, r->base, NULL, &at);
    g_assert(at >= 0 && l->region[at] == r);
    return (spot){l, (unsigned)at};
}

void vm_gap_tree_init(vm_gap_tree *t, uint64_t lo, uint64_t hi)
{
    *t = (vm_gap_tree){.lo = lo, .hi = hi};
}

static void free_node(void *node, int level)
{
    if (level > 0) {
        inner *in = node;
        for (unsigned i = 0; i < in->n; i++)
            free_node(in->child[i], level - 1);
    }
    g_free(node);
}

void vm_gap_tree_destroy(vm_gap_tree *t)
{
    if (t->root)
        free_node(t->root, t->height - 1);
    *t = (vm_gap_tree){.lo = t->lo, .hi = t->hi};
}

/* Entries of two nodes gathered in order, for splits, merges and
 * redistributions: rare enough that copying through a buffer costs
 * nothing measurable, and one way of doing all three. */
typedef struct leaf_buf {
    uint64_t base[2 * FAN + 1], end[2 * FAN + 1];
    vm_region *region[2 * FAN + 1];
    unsigned n;
} leaf_buf;

static void leaf_take(leaf_buf *b, const leaf *l, unsigned from, unsigned count)
{
    memcpy(b->base + b->n, l->base + from, count * sizeof *l->base);
    memcpy(b->end + b->n, l->end + from, count * sizeof *l->end);
    memcpy(b->region + b->n, l->region + from, count * sizeof *l->region);
    b->n += count;
}

static void leaf_give(leaf *l, const leaf_buf *b, unsigned from, unsigned count)
{
    memcpy(l->base, b->base + from, count * sizeof *l->base);
    memcpy(l->end, b->end + from, count * sizeof *l->end);
    memcpy(l->region, b->region + from, count * sizeof *l->region);
    l->n = count;
}

typedef struct inner_buf {
    summary sum[2 * FAN + 1];
    void *child[2 * FAN + 1];
    unsigned n;
} inner_buf;

static void inner_take(inner_buf *b, const inner *in)
{
    for (unsigned i = 0; i < in->n; i++) {
        b->sum[b->n] = slot_of(in, i);
        b->child[b->n++] = in->child[i];
    }
}

static void inner_give(inner *in, const inner_buf *b, unsigned from, unsigned count)
{
    for (unsigned i = 0; i < count; i++) {
        set_slot(in, i, b->sum[from + i]);
        in->child[i] = b->child[from + i];
    }
    in->n = count;
}

static void link_after(leaf *l, leaf *right)
{
    right->prev = l;
    right->next = l->next;
    if (l->next)
        l->next->prev = right;
    l->next = right;
}

static void unlink_leaf(leaf *l)
{
    if (l->prev)
        l->prev->next = l->next;
    if (l->next)
        l->next->prev = l->prev;
}

/* Inserts r into l; when l is full, splits it and returns the new right
 * half (already linked after l). *landed is where r now is. */
static leaf *leaf_insert(leaf *l, vm_region *r, spot *landed)
{
    unsigned at = (unsigned)(last_le(l->base, l->n, r->base) + 1);
    if (l->n < FAN) {
        unsigned tail = l->n - at;
        memmove(l->base + at + 1, l->base + at, tail * sizeof *l->base);
        memmove(l->end + at + 1, l->end + at, tail * sizeof *l->end);
        memmove(l->region + at + 1, l->region + at, tail * sizeof *l->region);
        l->base[at] = r->base;
        l->end[at] = r->base + r->size;
        l->region[at] = r;
        l->n++;
        *landed = (spot){l, at};
        return NULL;
    }
    leaf_buf b = {.n = 0};
    leaf_take(&b, l, 0, at);
    b.base[b.n] = r->base;
    b.end[b.n] = r->base + r->size;
    b.region[b.n++] = r;
    leaf_take(&b, l, at, l->n - at);
    leaf *right = g_new0(leaf, 1);
    unsigned keep = b.n / 2;
    leaf_give(l, &b, 0, keep);
    leaf_give(right, &b, keep, b.n - keep);
    link_after(l, right);
    *landed = at < keep ? (spot){l, at} : (spot){right, at - keep};
    return right;
}

/* Puts (s, child) at index at of in; when in is full, splits it and returns
 * the new right half. */
static inner *inner_insert(inner *in, unsigned at, summary s, void *child)
{
    inner_buf b = {.n = 0};
    inner_take(&b, in);
    memmove(b.sum + at + 1, b.sum + at, (b.n - at) * sizeof *b.sum);
    memmove(b.child + at + 1, b.child + at, (b.n - at) * sizeof *b.child);
    b.sum[at] = s;
    b.child[at] = child;
    b.n++;
    if (b.n <= FAN) {
        inner_give(in, &b, 0, b.n);
        return NULL;
    }
    inner *right = g_new0(inner, 1);
    unsigned keep = b.n / 2;
    inner_give(in, &b, 0, keep);
    inner_give(right, &b, keep, b.n - keep);
    return right;
}

/* Inserts r below node, at level. *sum holds node's summary before and
 * receives it after; when node splits, returns the new right sibling,
 * whose summary goes to *rsum. For the root both are NULL. */
static void *insert_below(void *node, int level, vm_region *r, summary *sum, summary *rsum,
                          spot *landed)
{
    if (level == 0) {
        leaf *right = leaf_insert(node, r, landed);
        if (sum)
            *sum = leaf_summary(node);
        if (sum && right)
            *rsum = leaf_summary(right);
        return right;
    }
    inner *in = node;
    unsigned i = child_for(in, r->base, level);
    summary cs = slot_of(in, i), crs;
    void *split = insert_below(in->child[i], level - 1, r, &cs, &crs, landed);
    if (!split) {
        update_slot(in, i, cs, sum);
        return NULL;
    }
    set_slot(in, i, cs);
    inner *right = inner_insert(in, i + 1, crs, split);
    if (sum)
        *sum = inner_summary(in);
    if (sum && right)
        *rsum = inner_summary(right);
    return right;
}

/* The cursor is left on the new region: callers look at its neighbours
 * next, to merge it with them. */
void vm_gap_tree_insert(vm_gap_tree *t, vm_region *r)
{
    r->tree = t;
    t->count++;
    t->shape++;
    spot landed;
    if (!t->root) {
        leaf *l = g_new0(leaf, 1);
        leaf_insert(l, r, &landed);
        t->root = l;
        t->height = 1;
        remember(t, landed);
        return;
    }
    void *right = insert_below(t->root, t->height - 1, r, NULL, NULL, &landed);
    remember(t, landed);
    if (right) {
        g_assert(t->height < MAX_HEIGHT);
        inner *top = g_new0(inner, 1);
        set_slot(top, 0, tree_summary(t));
        top->child[0] = t->root;
        set_slot(top, 1, node_summary(right, t->height - 1));
        top->child[1] = right;
        top->n = 2;
        t->root = top;
        t->height++;
    }
}

/* Children k and k+1 of in (at level) share their entries out again: all
 * into k when they fit, else evenly. */
static void rebalance_pair(inner *in, unsigned k, int level)
{
    void *a = in->child[k], *b = in->child[k + 1];
    unsigned total = node_count(a, level) + node_count(b, level);
    bool merge = total <= FAN;
    unsigned keep = merge ? total : total / 2;
    if (level == 0) {
        leaf_buf buf = {.n = 0};
        leaf_take(&buf, a, 0, ((leaf *)a)->n);
        leaf_take(&buf, b, 0, ((leaf *)b)->n);
        leaf_give(a, &buf, 0, keep);
        leaf_give(b, &buf, keep, total - keep);
        if (merge)
            unlink_leaf(b);
    } else {
        inner_buf buf = {.n = 0};
        inner_take(&buf, a);
        inner_take(&buf, b);
        inner_give(a, &buf, 0, keep);
        inner_give(b, &buf, keep, total - keep);
    }
    set_slot(in, k, node_summary(a, level));
    if (!merge) {
        set_slot(in, k + 1, node_summary(b, level));
        return;
    }
    g_free(b);
    unsigned tail = in->n - (k + 2);
    memmove(in->first + k + 1, in->first + k + 2, tail * sizeof *in->first);
    memmove(in->last + k + 1, in->last + k + 2, tail * sizeof *in->last);
    memmove(in->max_gap + k + 1, in->max_gap + k + 2, tail * sizeof *in->max_gap);
    memmove(in->gap_sum + k + 1, in->gap_sum + k + 2, tail * sizeof *in->gap_sum);
    memmove(in->child + k + 1, in->child + k + 2, tail * sizeof *in->child);
    in->n--;
}

/* Removes r from below node, at level. *sum holds node's summary before
 * and receives it after (unless node is a leaf left empty); it is NULL for
 * the root. A child left
 * under half full is refilled from or merged with a neighbour; node's own
 * fill is its parent's business. */
static void remove_below(void *node, int level, const vm_region *r, summary *sum)
{
    if (level == 0) {
        leaf *l = node;
        int at = last_le(l->base, l->n, r->base);
        g_assert(at >= 0 && l->region[at] == r);
        unsigned tail = l->n - (unsigned)at - 1;
        memmove(l->base + at, l->base + at + 1, tail * sizeof *l->base);
        memmove(l->end + at, l->end + at + 1, tail * sizeof *l->end);
        memmove(l->region + at, l->region + at + 1, tail * sizeof *l->region);
        l->n--;
        if (l->n && sum)
            *sum = leaf_summary(l);
        return;
    }
    inner *in = node;
    unsigned i = child_for(in, r->base, level);
    summary cs = slot_of(in, i);
    remove_below(in->child[i], level - 1, r, &cs);
    if (node_count(in->child[i], level - 1) >= MIN_FILL) {
        update_slot(in, i, cs, sum);
    } else {
        rebalance_pair(in, i > 0 ? i - 1 : i, level - 1);
        if (sum)
            *sum = inner_summary(in);
    }
}

void vm_gap_tree_remove(vm_gap_tree *t, vm_region *r)
{
    g_assert(r->tree == t);
    remove_below(t->root, t->height - 1, r, NULL);
    r->tree = NULL;
    t->count--;
    t->shape++;
    if (t->height > 1 && ((inner *)t->root)->n == 1) {
        void *only = ((inner *)t->root)->child[0];
        g_free(t->root);
        t->root = only;
        t->height--;
    } else if (t->height == 1 && ((leaf *)t->root)->n == 0) {
        g_free(t->root);
        t->root = NULL;
        t->height = 0;
    }
}

static spot edge(const vm_gap_tree *t, bool last)
{
    void *node = t->root;
    if (!node)
        return (spot){NULL, 0};
    for (int level = t->height - 1; level > 0; level--) {
        inner *in = node;
        node = in->child[last ? in->n - 1 : 0];
    }
    leaf *l = node;
    return remember(t, (spot){l, last ? l->n - 1 : 0});
}

vm_region *vm_gap_tree_first(const vm_gap_tree *t)
{
    return region_at(edge(t, false));
}

vm_region *vm_gap_tree_last(const vm_gap_tree *t)
{
    return region_at(edge(t, true));
}

vm_region *vm_gap_tree_next(const vm_region *r)
{
    return region_at(remember(r->tree, step_forward(spot_of(r))));
}

vm_region *vm_gap_tree_prev(const vm_region *r)
{
    return region_at(remember(r->tree, step_back(spot_of(r))));
}

void vm_gap_tree_touching(const vm_region *r, vm_region **left, vm_region **right)
{
    spot s = spot_of(r);
    spot p = step_back(s), n = step_forward(s);
    *left = p.l && p.l->end[p.i] == r->base ? p.l->region[p.i] : NULL;
    *right = n.l && n.l->base[n.i] == s.l->end[s.i] ? n.l->region[n.i] : NULL;
}

vm_region *vm_gap_tree_find_le(const vm_gap_tree *t, uint64_t key)
{
    if (!t->root)
        return NULL;
    int at;
    leaf *l = descend(t, key, NULL, &at);
    return at < 0 ? NULL : region_at(remember(t, (spot){l, (unsigned)at}));
}

/* The descent picks, at each level, the last child starting at or before
 * key, so the entry after the one found is the first starting after key. */
static spot first_ending_after(const vm_gap_tree *t, uint64_t key)
{
    if (!t->root)
        return (spot){NULL, 0};
    int at;
    leaf *l = descend(t, key, NULL, &at);
    if (at >= 0 && l->end[at] > key)
        return (spot){l, (unsigned)at};
    if (at < 0)
        return (spot){l, 0};
    return step_forward((spot){l, (unsigned)at});
}

vm_region *vm_gap_tree_first_ending_after(const vm_gap_tree *t, uint64_t key)
{
    return region_at(remember(t, first_ending_after(t, key)));
}

bool vm_gap_tree_range_is_free(const vm_gap_tree *t, uint64_t base, uint64_t size)
{
    spot s = first_ending_after(t, base);
    return s.l == NULL || (s.l->base[s.i] >= base && s.l->base[s.i] - base >= size);
}

void vm_gap_tree_collect(const vm_gap_tree *t, uint64_t base, uint64_t end, GPtrArray *out)
{
    for (spot s = first_ending_after(t, base); s.l && s.l->base[s.i] < end; s = step_forward(s))
        g_ptr_array_add(out, s.l->region[s.i]);
}

void vm_gap_tree_set_size(vm_region *r, uint64_t size)
{
    r->size = size;
    vm_gap_tree *t = r->tree;
    if (!t)
        return;
    path p;
    int at;
    leaf *l = descend(t, r->base, &p, &at);
    g_assert(at >= 0 && l->region[at] == r);
    l->end[at] = r->base + size;
    summary s = leaf_summary(l);
    int top = t->height - 1;
    for (int level = 1; level < top; level++) {
        summary above = slot_of(p.node[level + 1], p.index[level + 1]);
        update_slot(p.node[level], p.index[level], s, &above);
        s = above;
    }
    if (top > 0)
        update_slot(p.node[top], p.index[top], s, NULL);
}

uint64_t vm_gap_tree_free_bytes(const vm_gap_tree *t)
{
    if (!t->root)
        return t->hi - t->lo;
    summary s = tree_summary(t);
    return (s.first - t->lo) + s.gap_sum + (t->hi - s.last);
}

int vm_gap_tree_height(const vm_gap_tree *t)
{
    return t->height;
}

uint64_t vm_gap_tree_max_gap(const vm_gap_tree *t)
{
    if (!t->root)
        return 0;
    summary s = tree_summary(t);
    return MAX(s.first - t->lo, s.max_gap);
}

uint64_t vm_gap_tree_gap_sum(const vm_gap_tree *t)
{
    if (!t->root)
        return 0;
    summary s = tree_summary(t);
    return (s.first - t->lo) + s.gap_sum;
}

static uint64_t in_gap(uint64_t lo, uint64_t hi, uint64_t offset, uint64_t *gap_lo,
                       uint64_t *gap_hi)
{
    *gap_lo = lo;
    *gap_hi = hi;
    return lo + offset;
}

uint64_t vm_gap_tree_free_at(const vm_gap_tree *t, uint64_t offset, uint64_t *gap_lo,
                             uint64_t *gap_hi)
{
    if (!t->root)
        return in_gap(t->lo, t->hi, offset, gap_lo, gap_hi);
    summary s = tree_summary(t);
    if (offset < s.first - t->lo)
        return in_gap(t->lo, s.first, offset, gap_lo, gap_hi);
    offset -= s.first - t->lo;
    if (offset >= s.gap_sum)
        return in_gap(s.last, t->hi, offset - s.gap_sum, gap_lo, gap_hi);
    /* The gap is between two regions of the tree: descend to it. */
    void *node = t->root;
    for (int level = t->height - 1; level > 0; level--) {
        inner *in = node;
        for (unsigned i = 0;; i++) {
            g_assert(i < in->n);
            if (i > 0) {
                uint64_t g = gap_between(in->last[i - 1], in->first[i]);
                if (offset < g)
                    return in_gap(in->last[i - 1], in->first[i], offset, gap_lo, gap_hi);
                offset -= g;
            }
            if (offset < in->gap_sum[i]) {
                node = in->child[i];
                break;
            }
            offset -= in->gap_sum[i];
        }
    }
    leaf *l = node;
    for (unsigned i = 1; i < l->n; i++) {
        uint64_t g = gap_between(l->end[i - 1], l->base[i]);
        if (offset < g)
            return in_gap(l->end[i - 1], l->base[i], offset, gap_lo, gap_hi);
        offset -= g;
    }
    g_assert_not_reached();
}

typedef struct gap_walk {
    uint64_t min_len, hi;
    vm_gap_fn fn;
    void *ctx;
    bool stop;
} gap_walk;

/* Offers the gap [lo, hi) to the walk's function; true once the walk is
 * over (this and every later gap start at or beyond its limit, or the
 * function said so). */
static bool offer(gap_walk *w, uint64_t lo, uint64_t hi)
{
    if (lo >= w->hi)
        w->stop = true;
    else if (gap_between(lo, hi) >= w->min_len && w->fn(w->ctx, lo, MIN(hi, w->hi)))
        w->stop = true;
    return w->stop;
}

static void walk(gap_walk *w, const void *node, int level)
{
    if (level == 0) {
        const leaf *l = node;
        for (unsigned i = 1; i < l->n; i++)
            if (offer(w, l->end[i - 1], l->base[i]))
                return;
        return;
    }
    const inner *in = node;
    for (unsigned i = 0; i < in->n; i++) {
        if (i > 0 && offer(w, in->last[i - 1], in->first[i]))
            return;
        if (in->max_gap[i] < w->min_len)
            continue;
        if (in->first[i] >= w->hi) {
            w->stop = true;
            return;
        }
        walk(w, in->child[i], level - 1);
        if (w->stop)
            return;
    }
}

void vm_gap_tree_visit_gaps(const vm_gap_tree *t, uint64_t min_len, uint64_t hi, vm_gap_fn fn,
                            void *ctx)
{
    gap_walk w = {.min_len = MAX(min_len, 1), .hi = hi, .fn = fn, .ctx = ctx};
    uint64_t tail = t->lo;
    if (t->root) {
        summary s = tree_summary(t);
        if (offer(&w, t->lo, s.first))
            return;
        walk(&w, t->root, t->height - 1);
        if (w.stop)
            return;
        tail = s.last;
    }
    if (t->hi - tail >= w.min_len && tail < hi)
        fn(ctx, tail, MIN(t->hi, hi));
}

typedef struct check_state {
    const vm_gap_tree *t;
    GString *err;
    unsigned problems;
    const leaf *prev_leaf;
    const vm_region *prev;
    uint64_t count;
} check_state;

static void problem(check_state *c, uint64_t where, const char *what)
{
    c->problems++;
    g_string_append_printf(c->err, "children tree at 0x%" G_GINT64_MODIFIER "x: %s\n", where, what);
}

static void check_leaf(check_state *c, const leaf *l)
{
    const vm_gap_tree *t = c->t;
    if (l->prev != c->prev_leaf || (c->prev_leaf && c->prev_leaf->next != l))
        problem(c, l->n ? l->base[0] : 0, "leaf links out of order");
    c->prev_leaf = l;
    for (unsigned i = 0; i < l->n; i++) {
        const vm_region *r = l->region[i];
        if (r == NULL) {
            problem(c, l->base[i], "entry without a region");
            continue;
        }
        if (r->tree != t)
            problem(c, r->base, "region does not name its tree");
        if (l->base[i] != r->base)
            problem(c, r->base, "entry's base differs from the region's");
        if (l->end[i] != r->base + r->size)
            problem(c, r->base, "stale gap: the region's end moved without the tree");
        uint64_t prev_end = c->prev ? c->prev->base + c->prev->size : t->lo;
        if (r->base < prev_end)
            problem(c, r->base, "out of order or overlapping");
        if (r->base + r->size > t->hi || r->base + r->size < r->base)
            problem(c, r->base, "outside the tree's range");
        c->prev = r;
        c->count++;
    }
}

static summary check_node(check_state *c, const void *node, int level, bool root)
{
    unsigned n = node_count(node, level);
    unsigned least = !root ? MIN_FILL : level > 0 ? 2 : 1;
    summary s = {0};
    if (n < least || n > FAN) {
        problem(c, 0, "node under or over full");
        return s;
    }
    if (level == 0) {
        check_leaf(c, node);
        return leaf_summary(node);
    }
    const inner *in = node;
    for (unsigned i = 0; i < in->n; i++) {
        summary cs = check_node(c, in->child[i], level - 1, false);
        if (cs.first != in->first[i] || cs.last != in->last[i] || cs.max_gap != in->max_gap[i] ||
            cs.gap_sum != in->gap_sum[i])
            problem(c, in->first[i], "stale subtree bounds or gaps");
    }
    return inner_summary(in);
}

unsigned vm_gap_tree_check(const vm_gap_tree *t, GString *err)
{
    check_state c = {.t = t, .err = err};
    if ((t->root == NULL) != (t->height == 0) || t->height > MAX_HEIGHT)
        problem(&c, 0, "height does not match the root");
    else if (t->root)
        check_node(&c, t->root, t->height - 1, true);
    if (c.prev_leaf && c.prev_leaf->next != NULL)
        problem(&c, 0, "last leaf has a successor");
    if (c.count != t->count) {
        c.problems++;
        g_string_append_printf(err,
                               "children tree: %" G_GUINT64_FORMAT " regions, count says %zu\n",
                               c.count, t->count);
    }
    return c.problems;
}
