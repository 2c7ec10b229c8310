#include "gap_tree.h"

#include <string.h>
#include <sys/mman.h>

/* Nodes are numbers into chunks of VM_GAP_CHUNK nodes. Node 0 is the empty
 * subtree: its aggregates are all zero and it is never written. */
#define N(t, n) ((t)->chunks[(n) / VM_GAP_CHUNK][(n) % VM_GAP_CHUNK])

_Static_assert(sizeof(vm_gap_node) == 64, "a node is one cache line");

static uint64_t end_of(const vm_region *r)
{
    return r->base + r->size;
}

/* Full chunks after the first are cut from blocks of one huge page, which
 * the host is asked to back with a huge page: a large tree's descents land
 * on random nodes of megabytes of them, and with 4 KiB pages most of those
 * reads would also miss the TLB. */
#define GAP_BLOCK_BYTES  (2u << 20)
#define GAP_BLOCK_CHUNKS (GAP_BLOCK_BYTES / (VM_GAP_CHUNK * sizeof(vm_gap_node)))

static bool starts_block(uint32_t chunk)
{
    return chunk >= 1 && (chunk - 1) % GAP_BLOCK_CHUNKS == 0;
}

static vm_gap_node *chunk_in_block(vm_gap_tree *t, uint32_t chunk)
{
    if (!starts_block(chunk))
        return t->chunks[chunk - 1] + VM_GAP_CHUNK;
    void *block = g_aligned_alloc(1, GAP_BLOCK_BYTES, GAP_BLOCK_BYTES);
#ifdef MADV_HUGEPAGE
    madvise(block, GAP_BLOCK_BYTES, MADV_HUGEPAGE); /* a hint: failure only costs speed */
#endif
    return block;
}

static uint32_t node_new(vm_gap_tree *t)
{
    if (t->free_head) {
        uint32_t n = t->free_head;
        t->free_head = N(t, n).up;
        return n;
    }
    if (t->nchunks == 1 && t->used == t->first_capacity && t->used < VM_GAP_CHUNK) {
        /* Most trees are small: the first chunk grows to full size by
         * doubling (no node is held by address across this call). */
        uint32_t capacity = t->first_capacity * 2;
        vm_gap_node *nodes = g_aligned_alloc(capacity, sizeof(vm_gap_node), 64);
        memcpy(nodes, t->chunks[0], t->used * sizeof(vm_gap_node));
        g_aligned_free(t->chunks[0]);
        t->chunks[0] = nodes;
        t->first_capacity = capacity;
    } else if (t->nchunks == 0 || t->used == (t->nchunks - 1) * VM_GAP_CHUNK + t->first_capacity) {
        g_assert(t->nchunks < UINT32_MAX / VM_GAP_CHUNK - 1);
        t->chunks = g_renew(vm_gap_node *, t->chunks, t->nchunks + 1);
        if (t->nchunks == 0)
            t->chunks[0] = g_aligned_alloc(8, sizeof(vm_gap_node), 64);
        else
            t->chunks[t->nchunks] = chunk_in_block(t, t->nchunks);
        t->nchunks++;
        uint32_t capacity = t->nchunks == 1 ? 8 : VM_GAP_CHUNK;
        if (t->used == 0) {
            t->first_capacity = capacity;
            N(t, 0) = (vm_gap_node){0};
            t->used = 1;
        }
    }
    return t->used++;
}

static void node_free(vm_gap_tree *t, uint32_t n)
{
    N(t, n).region = NULL;
    N(t, n).up = t->free_head;
    t->free_head = n;
}

/* What a parent reads of a child subtree. */
typedef struct summary {
    int32_t height;
    uint64_t max_gap, gap_sum;
} summary;

static summary summary_of(const vm_gap_tree *t, uint32_t n)
{
    return (summary){N(t, n).height, N(t, n).max_gap, N(t, n).gap_sum};
}

static void pull(vm_gap_tree *t, uint32_t n)
{
    vm_gap_node *a = &N(t, n);
    const vm_gap_node *l = &N(t, a->left), *r = &N(t, a->right);
    a->height = 1 + MAX(l->height, r->height);
    a->max_gap = MAX(a->gap, MAX(l->max_gap, r->max_gap));
    a->gap_sum = a->gap + l->gap_sum + r->gap_sum;
}

static void replace_child(vm_gap_tree *t, uint32_t parent, uint32_t old, uint32_t new)
{
    if (parent == 0)
        t->root = new;
    else if (N(t, parent).left == old)
        N(t, parent).left = new;
    else
        N(t, parent).right = new;
    if (new)
        N(t, new).up = parent;
}

static uint32_t rotate_left(vm_gap_tree *t, uint32_t x)
{
    uint32_t y = N(t, x).right;
    N(t, x).right = N(t, y).left;
    if (N(t, y).left)
        N(t, N(t, y).left).up = x;
    replace_child(t, N(t, x).up, x, y);
    N(t, y).left = x;
    N(t, x).up = y;
    pull(t, x);
    pull(t, y);
    return y;
}

static uint32_t rotate_right(vm_gap_tree *t, uint32_t x)
{
    uint32_t y = N(t, x).left;
    N(t, x).left = N(t, y).right;
    if (N(t, y).right)
        N(t, N(t, y).right).up = x;
    replace_child(t, N(t, x).up, x, y);
    N(t, y).right = x;
    N(t, x).up = y;
    pull(t, x);
    pull(t, y);
    return y;
}

static int height(const vm_gap_tree *t, uint32_t n)
{
    return N(t, n).height;
}

static uint32_t rebalance(vm_gap_tree *t, uint32_t n)
{
    pull(t, n);
    uint32_t l = N(t, n).left, r = N(t, n).right;
    int balance = height(t, l) - height(t, r);
    if (balance > 1) {
        if (height(t, N(t, l).left) < height(t, N(t, l).right))
            rotate_left(t, l);
        return rotate_right(t, n);
    }
    if (balance < -1) {
        if (height(t, N(t, r).right) < height(t, N(t, r).left))
            rotate_right(t, r);
        return rotate_left(t, n);
    }
    return n;
}

/* n's new summary when only one child changed (from oc to nc) and n's own
 * gap went from old_gap to its current value, worked out from n's stored
 * summary without reading the other child; false when that child must be
 * read (the change may unbalance n, or took away what was n's largest gap). */
static bool update_from_child(vm_gap_tree *t, uint32_t n, summary oc, summary nc, uint64_t old_gap)
{
    vm_gap_node *a = &N(t, n);
    int32_t h = a->height;
    if (nc.height != oc.height) {
        /* The other child's height is known only if this one was not the
         * taller: then it is h - 1. */
        if (oc.height == h - 1)
            return false;
        int32_t other = h - 1;
        if (nc.height - other > 1 || other - nc.height > 1)
            return false;
        h = 1 + MAX(nc.height, other);
    }
    bool lost_child_max = nc.max_gap < oc.max_gap && oc.max_gap == a->max_gap;
    bool lost_own_max = a->gap < old_gap && old_gap == a->max_gap;
    if (lost_child_max || lost_own_max)
        return false;
    a->height = h;
    a->max_gap = MAX(a->max_gap, MAX(nc.max_gap, a->gap));
    a->gap_sum = a->gap_sum - oc.gap_sum + nc.gap_sum + a->gap - old_gap;
    return true;
}

/* Refreshes the summaries above a change and rebalances. One child slot of
 * n changed: its subtree's summary was oc and is now nc. `changed`, if not
 * 0, is a node at or above n whose gap was old_gap. Each node is updated
 * from the child that changed and reads its other child only when
 * update_from_child cannot do without it, so an update mostly touches the
 * nodes of one path. */
static void fix_up(vm_gap_tree *t, uint32_t n, summary oc, summary nc, uint32_t changed,
                   uint64_t old_gap)
{
    while (n) {
        summary before = summary_of(t, n);
        uint64_t gap_before = n == changed ? old_gap : N(t, n).gap;
        if (n == changed)
            changed = 0;
        uint32_t top = n;
        if (!update_from_child(t, n, oc, nc, gap_before))
            top = rebalance(t, n);
        oc = before;
        nc = summary_of(t, top);
        if (changed == 0 && top == n && oc.height == nc.height && oc.max_gap == nc.max_gap &&
            oc.gap_sum == nc.gap_sum && gap_before == N(t, n).gap)
            return;
        n = N(t, top).up;
    }
}

void vm_gap_tree_init(vm_gap_tree *t, uint64_t lo, uint64_t hi)
{
    *t = (vm_gap_tree){.lo = lo, .hi = hi};
}

void vm_gap_tree_destroy(vm_gap_tree *t)
{
    for (uint32_t i = 0; i < t->nchunks; i++)
        if (i == 0 || starts_block(i))
            g_aligned_free(t->chunks[i]);
    g_free(t->chunks);
    *t = (vm_gap_tree){.lo = t->lo, .hi = t->hi};
}

void vm_gap_tree_insert(vm_gap_tree *t, vm_region *r)
{
    uint32_t n = node_new(t);
    uint32_t parent = 0, pred = 0, succ = 0;
    for (uint32_t c = t->root; c;) {
        parent = c;
        if (r->base < N(t, c).base) {
            succ = c;
            c = N(t, c).left;
        } else {
            pred = c;
            c = N(t, c).right;
        }
    }
    N(t, n) = (vm_gap_node){.base = r->base,
                            .end = end_of(r),
                            .gap = r->base - (pred ? N(t, pred).end : t->lo),
                            .up = parent,
                            .region = r};
    r->tree = t;
    r->node = n;
    if (parent == 0)
        t->root = n;
    else if (r->base < N(t, parent).base)
        N(t, parent).left = n;
    else
        N(t, parent).right = n;
    /* A new leaf's successor is one of its ancestors: fix_up refreshes it. */
    uint64_t old_gap = 0;
    if (succ) {
        old_gap = N(t, succ).gap;
        N(t, succ).gap = N(t, succ).base - N(t, n).end;
    }
    t->count++;
    pull(t, n);
    fix_up(t, parent, (summary){0}, summary_of(t, n), succ, old_gap);
}

static uint32_t leftmost(const vm_gap_tree *t, uint32_t n)
{
    while (n && N(t, n).left)
        n = N(t, n).left;
    return n;
}

static uint32_t rightmost(const vm_gap_tree *t, uint32_t n)
{
    while (n && N(t, n).right)
        n = N(t, n).right;
    return n;
}

static uint32_t next_node(const vm_gap_tree *t, uint32_t n)
{
    if (N(t, n).right)
        return leftmost(t, N(t, n).right);
    uint32_t up = N(t, n).up;
    while (up && N(t, up).right == n) {
        n = up;
        up = N(t, n).up;
    }
    return up;
}

static uint32_t prev_node(const vm_gap_tree *t, uint32_t n)
{
    if (N(t, n).left)
        return rightmost(t, N(t, n).left);
    uint32_t up = N(t, n).up;
    while (up && N(t, up).left == n) {
        n = up;
        up = N(t, n).up;
    }
    return up;
}

static vm_region *region_of(const vm_gap_tree *t, uint32_t n)
{
    return n ? N(t, n).region : NULL;
}

vm_region *vm_gap_tree_next(const vm_region *r)
{
    return region_of(r->tree, next_node(r->tree, r->node));
}

vm_region *vm_gap_tree_prev(const vm_region *r)
{
    return region_of(r->tree, prev_node(r->tree, r->node));
}

void vm_gap_tree_touching(const vm_region *r, vm_region **left, vm_region **right)
{
    const vm_gap_tree *t = r->tree;
    uint32_t p = prev_node(t, r->node), n = next_node(t, r->node);
    *left = p && N(t, p).end == r->base ? N(t, p).region : NULL;
    *right = n && N(t, n).base == N(t, r->node).end ? N(t, n).region : NULL;
}

void vm_gap_tree_remove(vm_gap_tree *t, vm_region *zr)
{
    g_assert(zr->tree == t);
    uint32_t z = zr->node;
    uint32_t succ = next_node(t, z);
    uint64_t succ_old_gap = 0;
    if (succ) {
        /* The free space before z now reaches succ. z's gap says where its
         * predecessor ends, unless a region grew in place since (before
         * this removal of its neighbour): then the predecessor is read. */
        uint64_t pred_end = N(t, z).base - N(t, z).gap;
        if (t->grown) {
            uint32_t pred = prev_node(t, z);
            pred_end = pred ? N(t, pred).end : t->lo;
        }
        succ_old_gap = N(t, succ).gap;
        N(t, succ).gap = N(t, succ).base - pred_end;
    }
    t->grown = false;
    /* With two children, the successor (the leftmost node on the right)
     * moves into z's node, whose gap so changes, and its own node, which
     * has no left child, goes. The path fixed below starts under z's node
     * and so passes through it. */
    uint32_t victim = z, changed = succ;
    uint64_t old_gap = succ_old_gap;
    if (N(t, z).left && N(t, z).right) {
        old_gap = N(t, z).gap;
        changed = z;
        N(t, z).base = N(t, succ).base;
        N(t, z).end = N(t, succ).end;
        N(t, z).gap = N(t, succ).gap;
        N(t, z).region = N(t, succ).region;
        N(t, z).region->node = z;
        victim = succ;
    }
    /* A lone child is a leaf (the tree is balanced) and may be the
     * successor whose gap just changed: it is refreshed first, then the
     * path above the victim's place. */
    uint32_t child = N(t, victim).left ? N(t, victim).left : N(t, victim).right;
    uint32_t parent = N(t, victim).up;
    summary gone = summary_of(t, victim);
    replace_child(t, parent, victim, child);
    node_free(t, victim);
    zr->tree = NULL;
    zr->node = 0;
    t->count--;
    if (child) {
        pull(t, child);
        if (changed == child)
            changed = 0;
    }
    fix_up(t, parent, gone, summary_of(t, child), changed, old_gap);
}

vm_region *vm_gap_tree_first(const vm_gap_tree *t)
{
    return region_of(t, leftmost(t, t->root));
}

vm_region *vm_gap_tree_last(const vm_gap_tree *t)
{
    return region_of(t, rightmost(t, t->root));
}

/* In a tree larger than the cache each of the lowest levels of a descent
 * is a memory access, and which child comes next is known only once the
 * node is read. Asking for all four grandchildren of the node being decided
 * (their numbers are in its children, asked for one step earlier) keeps the
 * misses of two levels in flight instead of one. Always inlined: as a
 * call without effects, the compiler would drop it. */
static inline __attribute__((always_inline)) void prefetch_grandchildren(const vm_gap_tree *t,
                                                                         uint32_t n)
{
    uint32_t l = N(t, n).left, r = N(t, n).right;
    __builtin_prefetch(&N(t, N(t, l).left));
    __builtin_prefetch(&N(t, N(t, l).right));
    __builtin_prefetch(&N(t, N(t, r).left));
    __builtin_prefetch(&N(t, N(t, r).right));
}

static uint32_t find_le(const vm_gap_tree *t, uint64_t key)
{
    uint32_t best = 0;
    for (uint32_t n = t->root; n;) {
        prefetch_grandchildren(t, n);
        if (N(t, n).base <= key) {
            best = n;
            n = N(t, n).right;
        } else {
            n = N(t, n).left;
        }
    }
    return best;
}

vm_region *vm_gap_tree_find_le(const vm_gap_tree *t, uint64_t key)
{
    return region_of(t, find_le(t, key));
}

/* The descent went right at n and then only left, so n's successor is on
 * the path just read. */
static uint32_t first_ending_after(const vm_gap_tree *t, uint64_t key)
{
    uint32_t n = find_le(t, key);
    if (n == 0)
        return leftmost(t, t->root);
    return N(t, n).end > key ? n : next_node(t, n);
}

vm_region *vm_gap_tree_first_ending_after(const vm_gap_tree *t, uint64_t key)
{
    return region_of(t, first_ending_after(t, key));
}

bool vm_gap_tree_range_is_free(const vm_gap_tree *t, uint64_t base, uint64_t size)
{
    uint32_t n = first_ending_after(t, base);
    return n == 0 || (N(t, n).base >= base && N(t, n).base - base >= size);
}

void vm_gap_tree_collect(const vm_gap_tree *t, uint64_t base, uint64_t end, GPtrArray *out)
{
    for (uint32_t n = first_ending_after(t, base); n && N(t, n).base < end; n = next_node(t, n))
        g_ptr_array_add(out, N(t, n).region);
}

void vm_gap_tree_set_size(vm_region *r, uint64_t size)
{
    if (r->tree) {
        r->tree->grown |= size > r->size;
        N(r->tree, r->node).end = r->base + size;
    }
    r->size = size;
}

static uint64_t tail_start(const vm_gap_tree *t)
{
    uint32_t last = rightmost(t, t->root);
    return last ? N(t, last).end : t->lo;
}

uint64_t vm_gap_tree_free_bytes(const vm_gap_tree *t)
{
    return (t->root ? N(t, t->root).gap_sum : 0) + (t->hi - tail_start(t));
}

int vm_gap_tree_height(const vm_gap_tree *t)
{
    return t->root ? N(t, t->root).height : 0;
}

uint64_t vm_gap_tree_max_gap(const vm_gap_tree *t)
{
    return t->root ? N(t, t->root).max_gap : 0;
}

uint64_t vm_gap_tree_gap_sum(const vm_gap_tree *t)
{
    return t->root ? N(t, t->root).gap_sum : 0;
}

uint64_t vm_gap_tree_free_at(const vm_gap_tree *t, uint64_t offset, uint64_t *gap_lo,
                             uint64_t *gap_hi)
{
    for (uint32_t n = t->root; n;) {
        prefetch_grandchildren(t, n);
        uint64_t left = N(t, N(t, n).left).gap_sum;
        if (offset < left) {
            n = N(t, n).left;
            continue;
        }
        offset -= left;
        uint64_t gap = N(t, n).gap;
        if (offset < gap) {
            *gap_lo = N(t, n).base - gap;
            *gap_hi = N(t, n).base;
            return *gap_lo + offset;
        }
        offset -= gap;
        n = N(t, n).right;
    }
    *gap_lo = tail_start(t);
    *gap_hi = t->hi;
    return *gap_lo + offset;
}

typedef struct gap_walk {
    const vm_gap_tree *t;
    uint64_t min_len, hi;
    vm_gap_fn fn;
    void *ctx;
    bool stop;
} gap_walk;

static void walk(uint32_t n, gap_walk *w)
{
    const vm_gap_tree *t = w->t;
    if (n == 0 || w->stop || N(t, n).max_gap < w->min_len)
        return;
    walk(N(t, n).left, w);
    if (w->stop)
        return;
    uint64_t base = N(t, n).base, gap = N(t, n).gap;
    uint64_t lo = base - gap;
    if (lo >= w->hi) {
        /* Every later gap starts at or beyond hi too. */
        w->stop = true;
        return;
    }
    if (gap >= w->min_len && w->fn(w->ctx, lo, MIN(base, w->hi))) {
        w->stop = true;
        return;
    }
    walk(N(t, n).right, w);
}

void vm_gap_tree_visit_gaps(const vm_gap_tree *t, uint64_t min_len, uint64_t hi, vm_gap_fn fn,
                            void *ctx)
{
    gap_walk w = {.t = t, .min_len = MAX(min_len, 1), .hi = hi, .fn = fn, .ctx = ctx};
    walk(t->root, &w);
    if (w.stop)
        return;
    uint64_t lo = tail_start(t);
    if (t->hi - lo >= w.min_len && lo < hi)
        fn(ctx, lo, MIN(t->hi, hi));
}

typedef struct check_state {
    const vm_gap_tree *t;
    GString *err;
    unsigned problems;
    const vm_region *prev;
    uint64_t count;
} check_state;

static void problem(check_state *c, uint32_t n, const char *what)
{
    c->problems++;
    g_string_append_printf(c->err, "children tree at 0x%" G_GINT64_MODIFIER "x: %s\n",
                           N(c->t, n).base, what);
}

static void check_node(check_state *c, uint32_t n, uint32_t up, unsigned depth)
{
    const vm_gap_tree *t = c->t;
    if (n == 0)
        return;
    if (n >= t->used || depth > 64 || N(t, n).region == NULL) {
        c->problems++;
        g_string_append_printf(c->err, "children tree: node %u is not a live node\n", n);
        return;
    }
    const vm_gap_node *a = &N(t, n);
    const vm_region *r = a->region;
    if (a->up != up)
        problem(c, n, "wrong parent link");
    if (r->tree != t || r->node != n)
        problem(c, n, "region does not name its node");
    if (a->base != r->base || a->end != end_of(r))
        problem(c, n, "node's base or end differs from the region's");
    check_node(c, a->left, n, depth + 1);
    uint64_t prev_end = c->prev ? end_of(c->prev) : t->lo;
    if (r->base < prev_end)
        problem(c, n, "out of order or overlapping");
    else if (a->gap != r->base - prev_end)
        problem(c, n, "stale gap");
    if (end_of(r) > t->hi || end_of(r) < r->base)
        problem(c, n, "outside the tree's range");
    c->prev = r;
    c->count++;
    check_node(c, a->right, n, depth + 1);
    const vm_gap_node *l = &N(t, a->left), *rr = &N(t, a->right);
    int balance = l->height - rr->height;
    if (a->height != 1 + MAX(l->height, rr->height) || balance > 1 || balance < -1)
        problem(c, n, "unbalanced or wrong height");
    if (a->max_gap != MAX(a->gap, MAX(l->max_gap, rr->max_gap)))
        problem(c, n, "wrong subtree maximum gap");
    if (a->gap_sum != a->gap + l->gap_sum + rr->gap_sum)
        problem(c, n, "wrong subtree gap sum");
}

unsigned vm_gap_tree_check(const vm_gap_tree *t, GString *err)
{
    check_state c = {.t = t, .err = err};
    if (t->root && N(t, t->root).up != 0)
        problem(&c, t->root, "root has a parent");
    check_node(&c, t->root, 0, 0);
    if (c.count != t->count) {
        c.problems++;
        g_string_append_printf(err, "children tree: %" G_GUINT64_FORMAT " nodes, count says %zu\n",
                               c.count, t->count);
    }
    return c.problems;
}
