#include "run_tree.h"

#include <glib.h>
#include <stdarg.h>
#include <string.h>

#define LEAF_CAP  VM_RUN_LEAF_CAP
#define INNER_CAP VM_RUN_INNER_CAP
#define LEAF_MIN  (LEAF_CAP / 2)
#define INNER_MIN (INNER_CAP / 2)

_Static_assert(LEAF_CAP % 2 == 0 && INNER_CAP % 2 == 0 && INNER_MIN >= 2,
               "halves of a full node are legal nodes");

typedef vm_run_inner inner;
typedef vm_run_leaf leaf;

static leaf *leaf_new(void)
{
    return g_new0(leaf, 1);
}

static inner *inner_new(uint32_t level)
{
    inner *in = g_new0(inner, 1);
    in->level = level;
    return in;
}

static uint32_t node_n(const void *node)
{
    /* Both kinds start with their count. */
    return *(const uint32_t *)node;
}

static void free_subtree(void *node, uint32_t h)
{
    if (h > 0) {
        inner *in = node;
        for (uint32_t i = 0; i < in->n; i++)
            free_subtree(in->child[i], h - 1);
    }
    g_free(node);
}

/* Searches count rather than bisect: the loads of a node's few cache
 * lines then go out together instead of one after another, and there is
 * no branch to mispredict. */

/* The child whose subtree holds key if anything does. */
static uint32_t child_for(const inner *in, uint64_t key)
{
    uint32_t below = 0;
    for (uint32_t i = 1; i < in->n; i++)
        below += in->keys[i] <= key;
    return below;
}

/* The first index whose offset is >= key (or > key with strict). */
static uint32_t leaf_search(const leaf *l, uint64_t key, bool strict)
{
    uint32_t below = 0;
    if (strict) {
        for (uint32_t i = 0; i < l->n; i++)
            below += l->offset[i] <= key;
    } else {
        for (uint32_t i = 0; i < l->n; i++)
            below += l->offset[i] < key;
    }
    return below;
}

static leaf *leaf_for(const vm_run_tree *t, uint64_t key)
{
    void *node = t->root;
    for (uint32_t h = t->height; h > 0; h--)
        node = ((inner *)node)->child[child_for(node, key)];
    return node;
}

static vm_run at(const vm_run_tree *t, const leaf *l, uint32_t idx)
{
    return (vm_run){t, l, idx};
}

static vm_run solo(const vm_run_tree *t)
{
    return (vm_run){t, NULL, 0};
}

void vm_run_tree_init(vm_run_tree *t)
{
    memset(t, 0, sizeof *t);
}

void vm_run_tree_clear(vm_run_tree *t)
{
    if (t->root)
        free_subtree(t->root, t->height);
    vm_run_tree_init(t);
}

vm_run vm_run_tree_first(const vm_run_tree *t)
{
    if (!t->root)
        return t->count ? solo(t) : (vm_run){0};
    void *node = t->root;
    for (uint32_t h = t->height; h > 0; h--)
        node = ((inner *)node)->child[0];
    return at(t, node, 0);
}

vm_run vm_run_tree_last(const vm_run_tree *t)
{
    if (!t->root)
        return t->count ? solo(t) : (vm_run){0};
    void *node = t->root;
    for (uint32_t h = t->height; h > 0; h--)
        node = ((inner *)node)->child[((inner *)node)->n - 1];
    return at(t, node, ((leaf *)node)->n - 1);
}

vm_run vm_run_tree_floor(const vm_run_tree *t, uint64_t offset)
{
    if (!t->root)
        return t->count && t->solo_offset <= offset ? solo(t) : (vm_run){0};
    const leaf *l = leaf_for(t, offset);
    uint32_t i = leaf_search(l, offset, true);
    if (i > 0)
        return at(t, l, i - 1);
    /* Separators may sit below their child's first key since removals
     * leave them be: the answer is then the previous leaf's last. */
    return l->prev ? at(t, l->prev, l->prev->n - 1) : (vm_run){0};
}

vm_run vm_run_tree_ceil(const vm_run_tree *t, uint64_t offset)
{
    if (!t->root)
        return t->count && t->solo_offset >= offset ? solo(t) : (vm_run){0};
    const leaf *l = leaf_for(t, offset);
    uint32_t i = leaf_search(l, offset, false);
    if (i < l->n)
        return at(t, l, i);
    return l->next ? at(t, l->next, 0) : (vm_run){0};
}

static void leaf_put(leaf *l, uint32_t i, uint64_t offset, uint8_t perms)
{
    memmove(&l->offset[i + 1], &l->offset[i], (l->n - i) * sizeof l->offset[0]);
    memmove(&l->perms[i + 1], &l->perms[i], (l->n - i) * sizeof l->perms[0]);
    l->offset[i] = offset;
    l->perms[i] = perms;
    l->n++;
}

/* Child pos >= 1 with the separator that goes before it. */
static void inner_put(inner *in, uint32_t pos, uint64_t sep, void *child)
{
    memmove(&in->keys[pos + 1], &in->keys[pos], (in->n - pos) * sizeof in->keys[0]);
    memmove(&in->child[pos + 1], &in->child[pos], (in->n - pos) * sizeof in->child[0]);
    in->keys[pos] = sep;
    in->child[pos] = child;
    in->n++;
}

static void inner_drop(inner *in, uint32_t pos)
{
    memmove(&in->keys[pos], &in->keys[pos + 1], (in->n - pos - 1) * sizeof in->keys[0]);
    memmove(&in->child[pos], &in->child[pos + 1], (in->n - pos - 1) * sizeof in->child[0]);
    in->n--;
}

/* Adds or replaces offset below node. When node had to split, returns its
 * new right half, whose keys all are >= *sep. */
static void *insert(vm_run_tree *t, void *node, uint32_t h, uint64_t offset, uint8_t perms,
                    uint64_t *sep)
{
    if (h == 0) {
        leaf *l = node;
        uint32_t i = leaf_search(l, offset, false);
        if (i < l->n && l->offset[i] == offset) {
            l->perms[i] = perms;
            return NULL;
        }
        t->count++;
        if (l->n < LEAF_CAP) {
            leaf_put(l, i, offset, perms);
            return NULL;
        }
        leaf *r = leaf_new();
        r->n = LEAF_CAP / 2;
        l->n = LEAF_CAP / 2;
        memcpy(r->offset, &l->offset[l->n], r->n * sizeof r->offset[0]);
        memcpy(r->perms, &l->perms[l->n], r->n * sizeof r->perms[0]);
        r->next = l->next;
        if (r->next)
            r->next->prev = r;
        r->prev = l;
        l->next = r;
        if (i <= l->n)
            leaf_put(l, i, offset, perms);
        else
            leaf_put(r, i - l->n, offset, perms);
        *sep = r->offset[0];
        return r;
    }
    inner *in = node;
    uint32_t c = child_for(in, offset);
    uint64_t child_sep;
    void *grown = insert(t, in->child[c], h - 1, offset, perms, &child_sep);
    if (!grown)
        return NULL;
    if (in->n < INNER_CAP) {
        inner_put(in, c + 1, child_sep, grown);
        return NULL;
    }
    inner *r = inner_new(in->level);
    r->n = INNER_CAP / 2;
    in->n = INNER_CAP / 2;
    memcpy(r->keys, &in->keys[in->n], r->n * sizeof r->keys[0]);
    memcpy(r->child, &in->child[in->n], r->n * sizeof r->child[0]);
    *sep = r->keys[0];
    /* c + 1 == in->n appends to the left half: r's first child stays. */
    if (c + 1 <= in->n)
        inner_put(in, c + 1, child_sep, grown);
    else
        inner_put(r, c + 1 - in->n, child_sep, grown);
    return r;
}

void vm_run_tree_set(vm_run_tree *t, uint64_t offset, unsigned perms)
{
    g_assert(perms <= UINT8_MAX);
    if (!t->root) {
        if (t->count == 0 || t->solo_offset == offset) {
            t->count = 1;
            t->solo_offset = offset;
            t->solo_perms = (uint8_t)perms;
            return;
        }
        leaf *l = leaf_new();
        l->n = 1;
        l->offset[0] = t->solo_offset;
        l->perms[0] = t->solo_perms;
        t->root = l;
        t->height = 0;
    }
    uint64_t sep;
    void *grown = insert(t, t->root, t->height, offset, (uint8_t)perms, &sep);
    if (grown) {
        inner *top = inner_new(t->height + 1);
        top->n = 2;
        top->child[0] = t->root;
        top->child[1] = grown;
        top->keys[1] = sep;
        t->root = top;
        t->height++;
    }
}

static void leaf_move(leaf *dst, uint32_t di, const leaf *src, uint32_t si, uint32_t n)
{
    memmove(&dst->offset[di], &src->offset[si], n * sizeof dst->offset[0]);
    memmove(&dst->perms[di], &src->perms[si], n * sizeof dst->perms[0]);
}

/* Children j and j+1 of p (at height h) become one node when they fit in
 * one, or share their contents evenly, the right one taking the odd one. */
static void balance_pair(inner *p, uint32_t j, uint32_t h)
{
    if (h == 0) {
        leaf *a = p->child[j], *b = p->child[j + 1];
        uint32_t total = a->n + b->n;
        if (total <= LEAF_CAP) {
            leaf_move(a, a->n, b, 0, b->n);
            a->n = total;
            a->next = b->next;
            if (a->next)
                a->next->prev = a;
            g_free(b);
            inner_drop(p, j + 1);
            return;
        }
        uint32_t want = total / 2;
        if (a->n > want) {
            uint32_t k = a->n - want;
            leaf_move(b, k, b, 0, b->n);
            leaf_move(b, 0, a, want, k);
            a->n = want;
            b->n += k;
        } else {
            uint32_t k = want - a->n;
            leaf_move(a, a->n, b, 0, k);
            leaf_move(b, 0, b, k, b->n - k);
            a->n = want;
            b->n -= k;
        }
        p->keys[j + 1] = b->offset[0];
        return;
    }
    inner *a = p->child[j], *b = p->child[j + 1];
    uint32_t total = a->n + b->n;
    if (total <= INNER_CAP) {
        /* b's first child gets the separator that stood between them. */
        b->keys[0] = p->keys[j + 1];
        memcpy(&a->keys[a->n], b->keys, b->n * sizeof a->keys[0]);
        memcpy(&a->child[a->n], b->child, b->n * sizeof a->child[0]);
        a->n = total;
        g_free(b);
        inner_drop(p, j + 1);
        return;
    }
    uint32_t want = total / 2;
    b->keys[0] = p->keys[j + 1];
    if (a->n > want) {
        uint32_t k = a->n - want;
        memmove(&b->keys[k], b->keys, b->n * sizeof b->keys[0]);
        memmove(&b->child[k], b->child, b->n * sizeof b->child[0]);
        memcpy(b->keys, &a->keys[want], k * sizeof b->keys[0]);
        memcpy(b->child, &a->child[want], k * sizeof b->child[0]);
        a->n = want;
        b->n += k;
    } else {
        uint32_t k = want - a->n;
        memcpy(&a->keys[a->n], b->keys, k * sizeof a->keys[0]);
        memcpy(&a->child[a->n], b->child, k * sizeof a->child[0]);
        memmove(b->keys, &b->keys[k], (b->n - k) * sizeof b->keys[0]);
        memmove(b->child, &b->child[k], (b->n - k) * sizeof b->child[0]);
        a->n = want;
        b->n -= k;
    }
    p->keys[j + 1] = b->keys[0];
}

static bool underfull(const void *node, uint32_t h)
{
    return node_n(node) < (h == 0 ? LEAF_MIN : INNER_MIN);
}

static bool remove_below(void *node, uint32_t h, uint64_t offset)
{
    if (h == 0) {
        leaf *l = node;
        uint32_t i = leaf_search(l, offset, false);
        if (i == l->n || l->offset[i] != offset)
            return false;
        leaf_move(l, i, l, i + 1, l->n - i - 1);
        l->n--;
        return true;
    }
    inner *in = node;
    uint32_t c = child_for(in, offset);
    if (!remove_below(in->child[c], h - 1, offset))
        return false;
    if (underfull(in->child[c], h - 1))
        balance_pair(in, c > 0 ? c - 1 : 0, h - 1);
    return true;
}

/* A root of one child gives way to it; a single entry goes inline. */
static void shrink_root(vm_run_tree *t)
{
    while (t->height > 0 && ((inner *)t->root)->n == 1) {
        inner *top = t->root;
        t->root = top->child[0];
        t->height--;
        g_free(top);
    }
    if (t->root && t->count <= 1) {
        leaf *l = t->root;
        g_assert(t->height == 0 && l->n == t->count);
        t->solo_offset = t->count ? l->offset[0] : 0;
        t->solo_perms = t->count ? l->perms[0] : 0;
        g_free(l);
        t->root = NULL;
    }
}

bool vm_run_tree_remove(vm_run_tree *t, uint64_t offset)
{
    if (!t->root) {
        if (t->count == 0 || t->solo_offset != offset)
            return false;
        t->count = 0;
        return true;
    }
    if (!remove_below(t->root, t->height, offset))
        return false;
    t->count--;
    shrink_root(t);
    return true;
}

void vm_run_tree_remove_range(vm_run_tree *t, uint64_t lo, uint64_t hi)
{
    for (;;) {
        vm_run r = vm_run_tree_ceil(t, lo);
        if (!vm_run_valid(r) || vm_run_offset(r) > hi)
            return;
        vm_run_tree_remove(t, vm_run_offset(r));
    }
}

/* Fills the empty t with the n >= 2 entries from `from` on, each lowered
 * by `lower`, level by level with every node evenly filled. */
static void build(vm_run_tree *t, vm_run from, size_t n, uint64_t lower)
{
    size_t width = (n + LEAF_CAP - 1) / LEAF_CAP;
    void **nodes = g_new(void *, width);
    uint64_t *mins = g_new(uint64_t, width);
    leaf *prev = NULL;
    for (size_t i = 0; i < width; i++) {
        leaf *l = leaf_new();
        l->n = (uint32_t)(n / width + (i < n % width));
        for (uint32_t k = 0; k < l->n; k++, from = vm_run_next(from)) {
            l->offset[k] = vm_run_offset(from) - lower;
            l->perms[k] = (uint8_t)vm_run_perms(from);
        }
        l->prev = prev;
        if (prev)
            prev->next = l;
        prev = l;
        nodes[i] = l;
        mins[i] = l->offset[0];
    }
    uint32_t height = 0;
    while (width > 1) {
        size_t parents = (width + INNER_CAP - 1) / INNER_CAP, next = 0;
        height++;
        for (size_t p = 0; p < parents; p++) {
            inner *in = inner_new(height);
            in->n = (uint32_t)(width / parents + (p < width % parents));
            memcpy(in->child, &nodes[next], in->n * sizeof in->child[0]);
            memcpy(in->keys, &mins[next], in->n * sizeof in->keys[0]);
            nodes[p] = in;
            mins[p] = in->keys[0];
            next += in->n;
        }
        width = parents;
    }
    t->root = nodes[0];
    t->height = height;
    t->count = n;
    g_free(nodes);
    g_free(mins);
}

/* Drops every key >= cut below node and every child wholly past it; the
 * nodes left along the cut may be underfull or (a leaf) empty. */
static void cut_below(void *node, uint32_t h, uint64_t cut)
{
    if (h == 0) {
        leaf *l = node;
        l->n = leaf_search(l, cut, false);
        l->next = NULL;
        return;
    }
    inner *in = node;
    uint32_t c = child_for(in, cut);
    for (uint32_t i = c + 1; i < in->n; i++)
        free_subtree(in->child[i], h - 1);
    in->n = c + 1;
    cut_below(in->child[c], h - 1, cut);
}

/* After a cut only the rightmost path can break the fill rules. Walking
 * down it, each last child is topped up from (or joined to) its left
 * sibling, which the cut left whole, before going into it; an inner one
 * gets one spare child, so that a join below leaves it legal. */
static void mend_right_edge(vm_run_tree *t)
{
    for (;;) {
        shrink_root(t);
        if (!t->root || t->height == 0)
            return;
        inner *in = t->root;
        uint32_t h = t->height;
        bool root_lost_child = false;
        while (h > 0) {
            void *last = in->child[in->n - 1];
            uint32_t need = h - 1 == 0 ? LEAF_MIN : INNER_MIN + 1;
            if (node_n(last) < need) {
                balance_pair(in, in->n - 2, h - 1);
                if (in == t->root && in->n == 1) {
                    root_lost_child = true;
                    break;
                }
                last = in->child[in->n - 1];
            }
            in = last;
            h--;
        }
        if (!root_lost_child)
            return;
    }
}

void vm_run_tree_split(vm_run_tree *t, uint64_t cut, vm_run_tree *right)
{
    g_assert(right->count == 0);
    vm_run from = vm_run_tree_ceil(t, cut);
    if (!vm_run_valid(from))
        return;
    size_t moved = 0;
    for (vm_run r = from; vm_run_valid(r); r = vm_run_next(r))
        moved++;
    if (moved == 1) {
        vm_run_tree_set(right, vm_run_offset(from) - cut, vm_run_perms(from));
    } else {
        build(right, from, moved, cut);
    }
    if (moved == t->count) {
        vm_run_tree_clear(t);
        return;
    }
    /* Here t has a root: some entry stays and one moved. */
    cut_below(t->root, t->height, cut);
    t->count -= moved;
    mend_right_edge(t);
}

/* The right edge of a tree being extended at its end: path[h] is the
 * last node at height h, path[0] the last leaf. */
typedef struct appender {
    vm_run_tree *t;
    void *path[64];
} appender;

/* Adds child as the last one of the node at height h, starting a new node
 * there (and above, up to a new root) when that one is full. */
static void push_child(appender *a, uint32_t h, uint64_t sep, void *child)
{
    if (h > a->t->height) {
        inner *top = inner_new(h);
        top->n = 2;
        top->child[0] = a->t->root;
        top->child[1] = child;
        top->keys[1] = sep;
        a->t->root = top;
        a->t->height = h;
        a->path[h] = top;
        return;
    }
    inner *in = a->path[h];
    if (in->n < INNER_CAP) {
        in->keys[in->n] = sep;
        in->child[in->n++] = child;
        return;
    }
    inner *fresh = inner_new(h);
    fresh->n = 1;
    fresh->child[0] = child;
    a->path[h] = fresh;
    push_child(a, h + 1, sep, fresh);
}

static void push_entry(appender *a, uint64_t offset, uint8_t perms)
{
    leaf *l = a->path[0];
    if (l->n == LEAF_CAP) {
        leaf *fresh = leaf_new();
        fresh->prev = l;
        l->next = fresh;
        a->path[0] = fresh;
        push_child(a, 1, offset, fresh);
        l = fresh;
    }
    l->offset[l->n] = offset;
    l->perms[l->n++] = perms;
    a->t->count++;
}

/* Each node left behind the edge is full or was legal before, so only the
 * edge itself needs mending at the end: O(log n + entries moved). */
void vm_run_tree_append(vm_run_tree *t, vm_run_tree *right, uint64_t shift)
{
    if (right->count == 0)
        return;
    vm_run last = vm_run_tree_last(t);
    g_assert(!vm_run_valid(last) ||
             vm_run_offset(vm_run_tree_first(right)) + shift > vm_run_offset(last));
    if (!t->root) {
        leaf *l = leaf_new();
        l->n = (uint32_t)t->count;
        l->offset[0] = t->solo_offset;
        l->perms[0] = t->solo_perms;
        t->root = l;
        t->height = 0;
    }
    appender a = {.t = t};
    void *node = t->root;
    for (uint32_t h = t->height; h > 0; h--) {
        a.path[h] = node;
        node = ((inner *)node)->child[((inner *)node)->n - 1];
    }
    a.path[0] = node;
    for (vm_run r = vm_run_tree_first(right); vm_run_valid(r); r = vm_run_next(r))
        push_entry(&a, vm_run_offset(r) + shift, (uint8_t)vm_run_perms(r));
    vm_run_tree_clear(right);
    mend_right_edge(t);
}

typedef struct checker {
    unsigned bad;
    char *msg;
    size_t msg_len;
    const leaf *prev_leaf;
    size_t seen;
} checker;

G_GNUC_PRINTF(2, 3) static void problem(checker *c, const char *fmt, ...)
{
    if (c->bad++ == 0 && c->msg_len) {
        va_list ap;
        va_start(ap, fmt);
        g_vsnprintf(c->msg, c->msg_len, fmt, ap);
        va_end(ap);
    }
}

/* Every key below node must lie in [lo, hi), or at or above lo when not
 * bounded. */
static void check_node(checker *c, const void *node, uint32_t h, bool is_root, uint64_t lo,
                       uint64_t hi, bool bounded)
{
    uint32_t n = node_n(node);
    if (((const leaf *)node)->level != h) {
        problem(c, "node at height %u says %u", h, ((const leaf *)node)->level);
        return;
    }
    uint32_t cap = h == 0 ? LEAF_CAP : INNER_CAP, min = h == 0 ? LEAF_MIN : INNER_MIN;
    if (is_root)
        min = 2;
    if (n < min || n > cap) {
        problem(c, "node at height %u holds %u (allowed %u..%u)", h, n, min, cap);
        if (n > cap)
            return;
    }
    if (h == 0) {
        const leaf *l = node;
        if (l->prev != c->prev_leaf)
            problem(c, "leaf's prev link is not the leaf before it");
        if (c->prev_leaf && c->prev_leaf->next != l)
            problem(c, "leaf's next link is not the leaf after it");
        for (uint32_t i = 0; i < n; i++) {
            uint64_t k = l->offset[i];
            if (k < lo || (bounded && k >= hi))
                problem(c, "key 0x%" G_GINT64_MODIFIER "x outside its separators", k);
            if (i > 0 && k <= l->offset[i - 1])
                problem(c, "keys out of order in a leaf");
            if (i == 0 && c->prev_leaf && c->prev_leaf->n &&
                k <= c->prev_leaf->offset[c->prev_leaf->n - 1])
                problem(c, "keys out of order across leaves");
        }
        c->prev_leaf = l;
        c->seen += n;
        return;
    }
    const inner *in = node;
    for (uint32_t i = 1; i < n; i++) {
        if (in->keys[i] < lo || (bounded && in->keys[i] >= hi) ||
            (i > 1 && in->keys[i] <= in->keys[i - 1]))
            problem(c, "separator 0x%" G_GINT64_MODIFIER "x out of order", in->keys[i]);
    }
    for (uint32_t i = 0; i < n; i++) {
        if (!in->child[i]) {
            problem(c, "missing child");
            continue;
        }
        check_node(c, in->child[i], h - 1, false, i > 0 ? in->keys[i] : lo,
                   i + 1 < n ? in->keys[i + 1] : hi, i + 1 < n || bounded);
    }
}

unsigned vm_run_tree_check(const vm_run_tree *t, char *msg, size_t msg_len)
{
    checker c = {.msg = msg, .msg_len = msg_len};
    if (msg_len)
        msg[0] = '\0';
    if (!t->root) {
        if (t->count > 1)
            problem(&c, "%zu entries but no nodes", t->count);
        if (t->height)
            problem(&c, "height %u without nodes", t->height);
        return c.bad;
    }
    if (t->count < 2)
        problem(&c, "%zu entries kept in nodes instead of inline", t->count);
    check_node(&c, t->root, t->height, true, 0, 0, false);
    if (c.prev_leaf && c.prev_leaf->next)
        problem(&c, "last leaf has a next link");
    if (c.seen != t->count)
        problem(&c, "count says %zu, leaves hold %zu", t->count, c.seen);
    return c.bad;
}
