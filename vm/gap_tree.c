#include "gap_tree.h"

static uint64_t end_of(const vm_region *r)
{
    return r->base + r->size;
}

static int height(const vm_region *n)
{
    return n ? n->tree.height : 0;
}

static uint64_t max_gap(const vm_region *n)
{
    return n ? n->tree.max_gap : 0;
}

static uint64_t gap_sum(const vm_region *n)
{
    return n ? n->tree.gap_sum : 0;
}

static void pull(vm_region *n)
{
    vm_region *l = n->tree.left, *r = n->tree.right;
    n->tree.height = 1 + MAX(height(l), height(r));
    n->tree.max_gap = MAX(n->tree.gap, MAX(max_gap(l), max_gap(r)));
    n->tree.gap_sum = n->tree.gap + gap_sum(l) + gap_sum(r);
}

static void replace_child(vm_gap_tree *t, vm_region *parent, vm_region *old, vm_region *new)
{
    if (parent == NULL)
        t->root = new;
    else if (parent->tree.left == old)
        parent->tree.left = new;
    else
        parent->tree.right = new;
    if (new)
        new->tree.up = parent;
}

static vm_region *rotate_left(vm_gap_tree *t, vm_region *x)
{
    vm_region *y = x->tree.right;
    x->tree.right = y->tree.left;
    if (y->tree.left)
        y->tree.left->tree.up = x;
    replace_child(t, x->tree.up, x, y);
    y->tree.left = x;
    x->tree.up = y;
    pull(x);
    pull(y);
    return y;
}

static vm_region *rotate_right(vm_gap_tree *t, vm_region *x)
{
    vm_region *y = x->tree.left;
    x->tree.left = y->tree.right;
    if (y->tree.right)
        y->tree.right->tree.up = x;
    replace_child(t, x->tree.up, x, y);
    y->tree.right = x;
    x->tree.up = y;
    pull(x);
    pull(y);
    return y;
}

static vm_region *rebalance(vm_gap_tree *t, vm_region *n)
{
    pull(n);
    vm_region *l = n->tree.left, *r = n->tree.right;
    int balance = height(l) - height(r);
    if (balance > 1) {
        if (height(l->tree.left) < height(l->tree.right))
            rotate_left(t, l);
        return rotate_right(t, n);
    }
    if (balance < -1) {
        if (height(r->tree.right) < height(r->tree.left))
            rotate_right(t, r);
        return rotate_left(t, n);
    }
    return n;
}

/* Every aggregate above a change is stale: refresh the whole path. */
static void fix_up(vm_gap_tree *t, vm_region *n)
{
    while (n) {
        n = rebalance(t, n);
        n = n->tree.up;
    }
}

void vm_gap_tree_init(vm_gap_tree *t, uint64_t lo, uint64_t hi)
{
    t->root = NULL;
    t->lo = lo;
    t->hi = hi;
    t->count = 0;
}

void vm_gap_tree_insert(vm_gap_tree *t, vm_region *r)
{
    vm_region *parent = NULL, *pred = NULL, *succ = NULL;
    vm_region **link = &t->root;
    while (*link) {
        parent = *link;
        if (r->base < parent->base) {
            succ = parent;
            link = &parent->tree.left;
        } else {
            pred = parent;
            link = &parent->tree.right;
        }
    }
    r->tree.left = r->tree.right = NULL;
    r->tree.up = parent;
    r->tree.gap = r->base - (pred ? end_of(pred) : t->lo);
    *link = r;
    /* A new leaf's successor is one of its ancestors: fix_up refreshes it. */
    if (succ)
        succ->tree.gap = succ->base - end_of(r);
    t->count++;
    fix_up(t, r);
}

static vm_region *leftmost(vm_region *n)
{
    while (n && n->tree.left)
        n = n->tree.left;
    return n;
}

static vm_region *rightmost(vm_region *n)
{
    while (n && n->tree.right)
        n = n->tree.right;
    return n;
}

vm_region *vm_gap_tree_next(const vm_region *r)
{
    if (r->tree.right)
        return leftmost(r->tree.right);
    while (r->tree.up && r->tree.up->tree.right == r)
        r = r->tree.up;
    return r->tree.up;
}

vm_region *vm_gap_tree_prev(const vm_region *r)
{
    if (r->tree.left)
        return rightmost(r->tree.left);
    while (r->tree.up && r->tree.up->tree.left == r)
        r = r->tree.up;
    return r->tree.up;
}

void vm_gap_tree_remove(vm_gap_tree *t, vm_region *z)
{
    vm_region *pred = vm_gap_tree_prev(z), *succ = vm_gap_tree_next(z);
    /* The successor is z's in-order neighbour: an ancestor of z or the node
     * that takes z's place, so the path fixed below passes through it. */
    if (succ)
        succ->tree.gap = succ->base - (pred ? end_of(pred) : t->lo);
    vm_region *start;
    if (z->tree.left && z->tree.right) {
        vm_region *s = succ;
        if (s->tree.up == z) {
            start = s;
        } else {
            start = s->tree.up;
            start->tree.left = s->tree.right;
            if (s->tree.right)
                s->tree.right->tree.up = start;
            s->tree.right = z->tree.right;
            s->tree.right->tree.up = s;
        }
        s->tree.left = z->tree.left;
        s->tree.left->tree.up = s;
        replace_child(t, z->tree.up, z, s);
    } else {
        /* A lone child is a leaf (the tree is balanced) and may be the
         * successor whose gap just changed: start the refresh there. */
        vm_region *child = z->tree.left ? z->tree.left : z->tree.right;
        replace_child(t, z->tree.up, z, child);
        start = child ? child : z->tree.up;
    }
    z->tree.left = z->tree.right = z->tree.up = NULL;
    t->count--;
    fix_up(t, start);
}

vm_region *vm_gap_tree_first(const vm_gap_tree *t)
{
    return leftmost(t->root);
}

vm_region *vm_gap_tree_last(const vm_gap_tree *t)
{
    return rightmost(t->root);
}

vm_region *vm_gap_tree_find_le(const vm_gap_tree *t, uint64_t key)
{
    vm_region *best = NULL;
    for (vm_region *n = t->root; n;) {
        if (n->base <= key) {
            best = n;
            n = n->tree.right;
        } else {
            n = n->tree.left;
        }
    }
    return best;
}

static uint64_t tail_start(const vm_gap_tree *t)
{
    vm_region *last = vm_gap_tree_last(t);
    return last ? end_of(last) : t->lo;
}

uint64_t vm_gap_tree_free_bytes(const vm_gap_tree *t)
{
    return gap_sum(t->root) + (t->hi - tail_start(t));
}

uint64_t vm_gap_tree_free_at(const vm_gap_tree *t, uint64_t offset, uint64_t *gap_lo,
                             uint64_t *gap_hi)
{
    for (vm_region *n = t->root; n;) {
        uint64_t left = gap_sum(n->tree.left);
        if (offset < left) {
            n = n->tree.left;
            continue;
        }
        offset -= left;
        if (offset < n->tree.gap) {
            *gap_lo = n->base - n->tree.gap;
            *gap_hi = n->base;
            return *gap_lo + offset;
        }
        offset -= n->tree.gap;
        n = n->tree.right;
    }
    *gap_lo = tail_start(t);
    *gap_hi = t->hi;
    return *gap_lo + offset;
}

typedef struct gap_walk {
    uint64_t min_len, hi;
    vm_gap_fn fn;
    void *ctx;
    bool stop;
} gap_walk;

static void walk(const vm_region *n, gap_walk *w)
{
    if (n == NULL || w->stop || n->tree.max_gap < w->min_len)
        return;
    walk(n->tree.left, w);
    if (w->stop)
        return;
    uint64_t lo = n->base - n->tree.gap;
    if (lo >= w->hi) {
        /* Every later gap starts at or beyond hi too. */
        w->stop = true;
        return;
    }
    if (n->tree.gap >= w->min_len && w->fn(w->ctx, lo, MIN(n->base, w->hi))) {
        w->stop = true;
        return;
    }
    walk(n->tree.right, w);
}

void vm_gap_tree_visit_gaps(const vm_gap_tree *t, uint64_t min_len, uint64_t hi, vm_gap_fn fn,
                            void *ctx)
{
    gap_walk w = {.min_len = MAX(min_len, 1), .hi = hi, .fn = fn, .ctx = ctx};
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

static void problem(check_state *c, const vm_region *n, const char *what)
{
    c->problems++;
    g_string_append_printf(c->err, "children tree at 0x%" G_GINT64_MODIFIER "x: %s\n", n->base,
                           what);
}

static void check_node(check_state *c, const vm_region *n, const vm_region *up)
{
    if (n == NULL)
        return;
    if (n->tree.up != up)
        problem(c, n, "wrong parent link");
    check_node(c, n->tree.left, n);
    uint64_t prev_end = c->prev ? end_of(c->prev) : c->t->lo;
    if (n->base < prev_end)
        problem(c, n, "out of order or overlapping");
    else if (n->tree.gap != n->base - prev_end)
        problem(c, n, "stale gap");
    if (end_of(n) > c->t->hi || end_of(n) < n->base)
        problem(c, n, "outside the tree's range");
    c->prev = n;
    c->count++;
    check_node(c, n->tree.right, n);
    const vm_region *l = n->tree.left, *r = n->tree.right;
    int balance = height(l) - height(r);
    if (n->tree.height != 1 + MAX(height(l), height(r)) || balance > 1 || balance < -1)
        problem(c, n, "unbalanced or wrong height");
    if (n->tree.max_gap != MAX(n->tree.gap, MAX(max_gap(l), max_gap(r))))
        problem(c, n, "wrong subtree maximum gap");
    if (n->tree.gap_sum != n->tree.gap + gap_sum(l) + gap_sum(r))
        problem(c, n, "wrong subtree gap sum");
}

unsigned vm_gap_tree_check(const vm_gap_tree *t, GString *err)
{
    check_state c = {.t = t, .err = err};
    if (t->root && t->root->tree.up != NULL)
        problem(&c, t->root, "root has a parent");
    check_node(&c, t->root, NULL);
    if (c.count != t->count) {
        c.problems++;
        g_string_append_printf(err, "children tree: %" G_GUINT64_FORMAT " nodes, count says %zu\n",
                               c.count, t->count);
    }
    return c.problems;
}
