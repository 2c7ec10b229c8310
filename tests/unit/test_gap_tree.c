/* The children tree of a VMAR (vm/gap_tree.c) against a sorted array:
 * random inserts, removals, in-place grows and shrinks with a fixed seed,
 * every structural invariant and every query (find_le, first_ending_after,
 * range_is_free, free_at, visit_gaps, both walks) compared after each step. */
#include "vm/gap_tree.h"

#include "check_main.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PG    4096ull
#define LO    (16 * PG)
#define PAGES 2048ull
#define HI    (LO + PAGES * PG)
#define SLOTS 4096

/* The reference: regions sorted by base in a plain array. */
typedef struct model {
    vm_gap_tree t;
    vm_region *pool; /* SLOTS regions; in_tree says which are used */
    bool *in_tree;
    vm_region **sorted;
    size_t n;
    GRand *rand;
} model;

static int by_base(const void *a, const void *b)
{
    uint64_t x = (*(vm_region *const *)a)->base, y = (*(vm_region *const *)b)->base;
    return (x > y) - (x < y);
}

static void sort_model(model *m)
{
    m->n = 0;
    for (size_t i = 0; i < SLOTS; i++) {
        if (m->in_tree[i])
            m->sorted[m->n++] = &m->pool[i];
    }
    qsort(m->sorted, m->n, sizeof *m->sorted, by_base);
}

static uint64_t rnd(model *m, uint64_t n)
{
    return (uint64_t)g_rand_int_range(m->rand, 0, (gint32)n);
}

static bool is_free(model *m, uint64_t base, uint64_t end)
{
    for (size_t i = 0; i < m->n; i++) {
        vm_region *r = m->sorted[i];
        if (r->base < end && base < r->base + r->size)
            return false;
    }
    return base >= LO && end <= HI && base < end;
}

/* The gaps of the reference, in address order: [lo_i, hi_i). */
static size_t ref_gaps(model *m, uint64_t *los, uint64_t *his)
{
    size_t k = 0;
    uint64_t cursor = LO;
    for (size_t i = 0; i < m->n; i++) {
        if (m->sorted[i]->base > cursor) {
            los[k] = cursor;
            his[k++] = m->sorted[i]->base;
        }
        cursor = m->sorted[i]->base + m->sorted[i]->size;
    }
    if (HI > cursor) {
        los[k] = cursor;
        his[k++] = HI;
    }
    return k;
}

typedef struct seen {
    uint64_t los[SLOTS + 1], his[SLOTS + 1];
    size_t n;
    size_t stop_after;
} seen;

static bool record(void *ctx, uint64_t lo, uint64_t hi)
{
    seen *s = ctx;
    s->los[s->n] = lo;
    s->his[s->n] = hi;
    s->n++;
    return s->n == s->stop_after;
}

static void compare(model *m)
{
    GString *err = g_string_new(NULL);
    unsigned problems = vm_gap_tree_check(&m->t, err);
    ck_assert_msg(problems == 0, "%s", err->str);
    g_string_free(err, TRUE);
    ck_assert_uint_eq(m->t.count, m->n);

    /* In-order walk both ways. */
    vm_region *r = vm_gap_tree_first(&m->t);
    for (size_t i = 0; i < m->n; i++, r = vm_gap_tree_next(r))
        ck_assert_ptr_eq(r, m->sorted[i]);
    ck_assert_ptr_null(r);
    r = vm_gap_tree_last(&m->t);
    for (size_t i = m->n; i-- > 0; r = vm_gap_tree_prev(r))
        ck_assert_ptr_eq(r, m->sorted[i]);
    ck_assert_ptr_null(r);

    /* find_le at random keys and at every boundary. */
    for (int q = 0; q < 8; q++) {
        uint64_t key = LO - PG + rnd(m, (PAGES + 2) * 4) * (PG / 4);
        if (q == 0 && m->n)
            key = m->sorted[rnd(m, m->n)]->base;
        vm_region *want = NULL;
        for (size_t i = 0; i < m->n && m->sorted[i]->base <= key; i++)
            want = m->sorted[i];
        ck_assert_ptr_eq(vm_gap_tree_find_le(&m->t, key), want);
        vm_region *after = NULL;
        for (size_t i = 0; i < m->n && after == NULL; i++)
            after = m->sorted[i]->base + m->sorted[i]->size > key ? m->sorted[i] : NULL;
        ck_assert_ptr_eq(vm_gap_tree_first_ending_after(&m->t, key), after);
        uint64_t len = (1 + rnd(m, 8)) * (PG / 2);
        bool free = true;
        for (size_t i = 0; i < m->n; i++)
            free &=
                !(m->sorted[i]->base < key + len && key < m->sorted[i]->base + m->sorted[i]->size);
        ck_assert_int_eq(vm_gap_tree_range_is_free(&m->t, key, len), free);
    }

    /* Free bytes, and the byte at random offsets into the free space. */
    static uint64_t los[SLOTS + 1], his[SLOTS + 1];
    size_t k = ref_gaps(m, los, his);
    uint64_t free_bytes = 0;
    for (size_t i = 0; i < k; i++)
        free_bytes += his[i] - los[i];
    ck_assert_uint_eq(vm_gap_tree_free_bytes(&m->t), free_bytes);
    for (int q = 0; q < 4 && free_bytes > 0; q++) {
        uint64_t off = rnd(m, (uint64_t)(free_bytes / PG)) * PG + rnd(m, PG);
        uint64_t rest = off, want = 0, want_lo = 0, want_hi = 0;
        for (size_t i = 0; i < k; i++) {
            if (rest < his[i] - los[i]) {
                want = los[i] + rest;
                want_lo = los[i];
                want_hi = his[i];
                break;
            }
            rest -= his[i] - los[i];
        }
        uint64_t glo, ghi;
        ck_assert_uint_eq(vm_gap_tree_free_at(&m->t, off, &glo, &ghi), want);
        ck_assert_uint_eq(glo, want_lo);
        ck_assert_uint_eq(ghi, want_hi);
    }

    /* Gap visits with a minimum length, a limit and an early stop. */
    static seen got;
    for (int q = 0; q < 3; q++) {
        uint64_t min_len = (1 + rnd(m, 24)) * PG;
        uint64_t hi = q == 0 ? UINT64_MAX : LO + rnd(m, PAGES + 1) * PG;
        got.n = 0;
        got.stop_after = q == 2 ? 1 + rnd(m, 4) : SIZE_MAX;
        vm_gap_tree_visit_gaps(&m->t, min_len, hi, record, &got);
        size_t j = 0;
        for (size_t i = 0; i < k && j < got.stop_after; i++) {
            if (his[i] - los[i] < min_len || los[i] >= hi)
                continue;
            ck_assert_uint_lt(j, got.n);
            ck_assert_uint_eq(got.los[j], los[i]);
            ck_assert_uint_eq(got.his[j], MIN(his[i], hi));
            j++;
        }
        ck_assert_uint_eq(got.n, j);
    }
}

static void insert_random(model *m)
{
    size_t slot = rnd(m, SLOTS);
    if (m->in_tree[slot])
        return;
    uint64_t pages = 1 + rnd(m, 16);
    uint64_t base = LO + rnd(m, PAGES) * PG;
    if (!is_free(m, base, base + pages * PG))
        return;
    m->pool[slot].base = base;
    m->pool[slot].size = pages * PG;
    vm_gap_tree_insert(&m->t, &m->pool[slot]);
    m->in_tree[slot] = true;
}

static void remove_random(model *m)
{
    if (m->n == 0)
        return;
    vm_region *r = m->sorted[rnd(m, m->n)];
    vm_gap_tree_remove(&m->t, r);
    m->in_tree[r - m->pool] = false;
}

/* Growing a region over its right neighbour and then removing that
 * neighbour: the removal recomputes the next gap from the grown end. */
static void grow_over_neighbour(model *m)
{
    if (m->n < 2)
        return;
    size_t i = rnd(m, m->n - 1);
    vm_region *a = m->sorted[i], *b = m->sorted[i + 1];
    vm_gap_tree_set_size(a, b->base + b->size - a->base);
    vm_gap_tree_remove(&m->t, b);
    m->in_tree[b - m->pool] = false;
}

/* What splitting a mapping does: shrink, then insert the right part. */
static void split(model *m)
{
    if (m->n == 0)
        return;
    vm_region *a = m->sorted[rnd(m, m->n)];
    if (a->size < 2 * PG)
        return;
    size_t slot = rnd(m, SLOTS);
    if (m->in_tree[slot])
        return;
    uint64_t cut = (1 + rnd(m, (uint64_t)(a->size / PG - 1))) * PG;
    m->pool[slot].base = a->base + cut;
    m->pool[slot].size = a->size - cut;
    vm_gap_tree_set_size(a, cut);
    vm_gap_tree_insert(&m->t, &m->pool[slot]);
    m->in_tree[slot] = true;
}

/* The merge order the VMAR code uses: grow over the neighbour, then
 * remove it, which recomputes the next gap from the grown end. */
static void merge(model *m)
{
    if (m->n < 2)
        return;
    size_t i = rnd(m, m->n - 1);
    vm_region *a = m->sorted[i], *b = m->sorted[i + 1];
    if (a->base + a->size != b->base)
        return;
    vm_gap_tree_set_size(a, a->size + b->size);
    vm_gap_tree_remove(&m->t, b);
    m->in_tree[b - m->pool] = false;
}

static void run(guint32 seed, int steps, int insert_weight)
{
    model m = {0};
    vm_gap_tree_init(&m.t, LO, HI);
    m.pool = g_new0(vm_region, SLOTS);
    m.in_tree = g_new0(bool, SLOTS);
    m.sorted = g_new0(vm_region *, SLOTS);
    m.rand = g_rand_new_with_seed(seed);
    compare(&m);
    for (int step = 0; step < steps; step++) {
        int op = (int)rnd(&m, 10 + (uint64_t)insert_weight);
        if (op < insert_weight)
            insert_random(&m);
        else if (op < insert_weight + 4)
            remove_random(&m);
        else if (op < insert_weight + 5)
            grow_over_neighbour(&m);
        else if (op < insert_weight + 8)
            split(&m);
        else
            merge(&m);
        sort_model(&m);
        compare(&m);
    }
    /* Empty it completely. */
    while (m.n > 0) {
        remove_random(&m);
        sort_model(&m);
        compare(&m);
    }
    ck_assert_ptr_null(m.t.root);
    ck_assert_int_eq(vm_gap_tree_height(&m.t), 0);
    vm_gap_tree_destroy(&m.t);
    g_rand_free(m.rand);
    g_free(m.pool);
    g_free(m.in_tree);
    g_free(m.sorted);
}

START_TEST(random_sparse)
{
    run(1, 2000, 6);
}
END_TEST

START_TEST(random_dense)
{
    /* Mostly inserts: the range fills up and gaps become scarce. */
    run(2, 2000, 40);
}
END_TEST

START_TEST(random_other_seeds)
{
    for (guint32 seed = 3; seed < 8; seed++)
        run(seed, 500, 10);
}
END_TEST

/* Thousands of regions, so that random inserts, removals, grows and
 * shrinks split, refill and merge nodes at every level of a tree three or
 * four levels high. The reference is a bitmap of pages: every insert first
 * asks the tree whether the range is free and compares, and at
 * checkpoints the whole tree is compared with the live regions sorted. */
enum { BIG_PAGES = 1 << 17, BIG_SLOTS = 40000 };

static int by_base_ptr(const void *a, const void *b)
{
    return by_base(a, b);
}

static bool pages_free(const uint8_t *used, uint64_t first, uint64_t n)
{
    for (uint64_t p = first; p < first + n; p++)
        if (p >= BIG_PAGES || used[p])
            return false;
    return true;
}

static void mark(uint8_t *used, uint64_t first, uint64_t n, uint8_t v)
{
    memset(used + first, v, n);
}

static void checkpoint(vm_gap_tree *t, vm_region *pool, const bool *live, GRand *rand)
{
    GString *err = g_string_new(NULL);
    ck_assert_msg(vm_gap_tree_check(t, err) == 0, "%s", err->str);
    g_string_free(err, TRUE);
    vm_region **sorted = g_new(vm_region *, BIG_SLOTS);
    size_t n = 0;
    for (size_t i = 0; i < BIG_SLOTS; i++)
        if (live[i])
            sorted[n++] = &pool[i];
    qsort(sorted, n, sizeof *sorted, by_base_ptr);
    ck_assert_uint_eq(t->count, n);
    vm_region *r = vm_gap_tree_first(t);
    uint64_t cursor = 0, gaps = 0, max_gap = 0;
    /* Check marks every assertion it passes (a write to the host); the
     * loops below fail by hand so that they cost nothing when they hold. */
    for (size_t i = 0; i < n; i++, r = vm_gap_tree_next(r)) {
        if (r != sorted[i])
            ck_abort_msg("walk: region %zu of %zu out of order", i, n);
        gaps += sorted[i]->base - cursor;
        max_gap = MAX(max_gap, sorted[i]->base - cursor);
        cursor = sorted[i]->base + sorted[i]->size;
    }
    ck_assert_ptr_null(r);
    ck_assert_uint_eq(vm_gap_tree_gap_sum(t), gaps);
    ck_assert_uint_eq(vm_gap_tree_max_gap(t), n ? max_gap : 0);
    ck_assert_uint_eq(vm_gap_tree_free_bytes(t), gaps + ((uint64_t)BIG_PAGES * PG - cursor));
    /* The n-th free page, against the sorted regions. */
    uint64_t free_pages = vm_gap_tree_free_bytes(t) / PG;
    for (int q = 0; q < 16 && free_pages > 0; q++) {
        uint64_t off = (uint64_t)g_rand_int_range(rand, 0, (gint32)free_pages) * PG;
        uint64_t rest = off, lo = 0, want = 0, want_lo = 0, want_hi = 0;
        bool found = false;
        for (size_t i = 0; i <= n && !found; i++) {
            uint64_t hi = i < n ? sorted[i]->base : (uint64_t)BIG_PAGES * PG;
            if (rest < hi - lo) {
                want = lo + rest;
                want_lo = lo;
                want_hi = hi;
                found = true;
            } else {
                rest -= hi - lo;
                lo = i < n ? sorted[i]->base + sorted[i]->size : lo;
            }
        }
        ck_assert(found);
        uint64_t glo, ghi;
        ck_assert_uint_eq(vm_gap_tree_free_at(t, off, &glo, &ghi), want);
        ck_assert_uint_eq(glo, want_lo);
        ck_assert_uint_eq(ghi, want_hi);
    }
    g_free(sorted);
}

START_TEST(random_thousands)
{
    GRand *rand = g_rand_new_with_seed(11);
    vm_gap_tree t;
    vm_gap_tree_init(&t, 0, (uint64_t)BIG_PAGES * PG);
    vm_region *pool = g_new0(vm_region, BIG_SLOTS);
    bool *live = g_new0(bool, BIG_SLOTS);
    uint8_t *used = g_new0(uint8_t, BIG_PAGES);
    int top_height = 0;
    for (int step = 0; step < 400000; step++) {
        size_t slot = (size_t)g_rand_int_range(rand, 0, BIG_SLOTS);
        vm_region *r = &pool[slot];
        int op = g_rand_int_range(rand, 0, 10);
        /* Mostly inserts early on, mostly removals late, so the tree grows
         * high and then comes all the way down. */
        bool grow_phase = step < 200000;
        if (!live[slot] && op < (grow_phase ? 8 : 3)) {
            uint64_t pages = 1 + (uint64_t)g_rand_int_range(rand, 0, 3);
            uint64_t first = (uint64_t)g_rand_int_range(rand, 0, BIG_PAGES - (gint32)pages + 1);
            bool free = pages_free(used, first, pages);
            if (vm_gap_tree_range_is_free(&t, first * PG, pages * PG) != free)
                ck_abort_msg("step %d: range_is_free(page %" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT
                             " pages) is not %d",
                             step, first, pages, free);
            if (!free)
                continue;
            *r = (vm_region){.base = first * PG, .size = pages * PG};
            vm_gap_tree_insert(&t, r);
            mark(used, first, pages, 1);
            live[slot] = true;
        } else if (live[slot] && op < 8) {
            vm_gap_tree_remove(&t, r);
            mark(used, r->base / PG, r->size / PG, 0);
            live[slot] = false;
        } else if (live[slot] && op == 8 && r->size > PG) {
            mark(used, (r->base + r->size) / PG - 1, 1, 0);
            vm_gap_tree_set_size(r, r->size - PG);
        } else if (live[slot] && op == 9 && pages_free(used, (r->base + r->size) / PG, 1)) {
            mark(used, (r->base + r->size) / PG, 1, 1);
            vm_gap_tree_set_size(r, r->size + PG);
        }
        top_height = MAX(top_height, vm_gap_tree_height(&t));
        if (step % 20000 == 0)
            checkpoint(&t, pool, live, rand);
    }
    checkpoint(&t, pool, live, rand);
    ck_assert_int_ge(top_height, 3);
    for (size_t i = 0; i < BIG_SLOTS; i++)
        if (live[i])
            vm_gap_tree_remove(&t, &pool[i]);
    ck_assert_int_eq(vm_gap_tree_height(&t), 0);
    vm_gap_tree_destroy(&t);
    g_free(used);
    g_free(live);
    g_free(pool);
    g_rand_free(rand);
}
END_TEST

/* Ascending inserts are the worst order for an unbalanced tree. */
START_TEST(ascending_stays_balanced)
{
    enum { N = 1 << 14 };
    vm_gap_tree t;
    vm_gap_tree_init(&t, 0, (uint64_t)N * 2 * PG);
    vm_region *rs = g_new0(vm_region, N);
    for (int i = 0; i < N; i++) {
        rs[i].base = (uint64_t)i * 2 * PG;
        rs[i].size = PG;
        vm_gap_tree_insert(&t, &rs[i]);
    }
    /* Every node but the root is at least half full (16 of 32): 2^14
     * regions take at most 2^10 leaves under two levels of inner nodes and
     * a root. */
    ck_assert_int_le(vm_gap_tree_height(&t), 4);
    ck_assert_uint_eq(vm_gap_tree_max_gap(&t), PG);
    ck_assert_uint_eq(vm_gap_tree_gap_sum(&t), (uint64_t)(N - 1) * PG);
    ck_assert_uint_eq(vm_gap_tree_free_bytes(&t), (uint64_t)N * PG);
    GString *err = g_string_new(NULL);
    ck_assert_uint_eq(vm_gap_tree_check(&t, err), 0);
    for (int i = 0; i < N; i += 2)
        vm_gap_tree_remove(&t, &rs[i]);
    ck_assert_uint_eq(vm_gap_tree_check(&t, err), 0);
    ck_assert_uint_eq(vm_gap_tree_max_gap(&t), 3 * PG);
    ck_assert_msg(err->len == 0, "%s", err->str);
    g_string_free(err, TRUE);
    vm_gap_tree_destroy(&t);
    g_free(rs);
}
END_TEST

/* A tree four levels high, filled in a scattered order, emptied by half and
 * refilled, then emptied in another scattered order: every split, merge and
 * redistribution of nodes at every level keeps it whole and in order. */
START_TEST(many_levels_scattered_order)
{
    enum { N = 70000, STRIDE = 7919 }; /* STRIDE is prime to N: a permutation */
    vm_gap_tree t;
    vm_gap_tree_init(&t, 0, (uint64_t)N * 2 * PG);
    vm_region *rs = g_new0(vm_region, N);
    for (uint64_t i = 0; i < N; i++) {
        uint64_t slot = i * STRIDE % N;
        rs[slot].base = slot * 2 * PG;
        rs[slot].size = PG;
        vm_gap_tree_insert(&t, &rs[slot]);
    }
    GString *err = g_string_new(NULL);
    ck_assert_uint_eq(vm_gap_tree_check(&t, err), 0);
    for (int i = 0; i < N; i += 2)
        vm_gap_tree_remove(&t, &rs[i]);
    for (int i = 0; i < N; i += 2)
        vm_gap_tree_insert(&t, &rs[i]);
    ck_assert_uint_eq(vm_gap_tree_check(&t, err), 0);
    ck_assert_msg(err->len == 0, "%s", err->str);
    uint64_t seen = 0;
    for (vm_region *r = vm_gap_tree_first(&t); r; r = vm_gap_tree_next(r), seen++)
        ck_assert_ptr_eq(r, &rs[seen]);
    ck_assert_uint_eq(seen, N);
    ck_assert_uint_eq(vm_gap_tree_gap_sum(&t), (uint64_t)(N - 1) * PG);
    ck_assert_int_ge(vm_gap_tree_height(&t), 4);
    enum { STRIDE2 = 7927 };
    for (uint64_t i = 0; i < N; i++) {
        vm_gap_tree_remove(&t, &rs[i * STRIDE2 % N]);
        if (i % 4999 == 0)
            ck_assert_uint_eq(vm_gap_tree_check(&t, err), 0);
    }
    ck_assert_msg(err->len == 0, "%s", err->str);
    ck_assert_int_eq(vm_gap_tree_height(&t), 0);
    ck_assert_uint_eq(vm_gap_tree_free_bytes(&t), (uint64_t)N * 2 * PG);
    g_string_free(err, TRUE);
    vm_gap_tree_destroy(&t);
    g_free(rs);
}
END_TEST

/* The checker itself must notice a stale gap. */
START_TEST(check_finds_stale_gap)
{
    vm_gap_tree t;
    vm_gap_tree_init(&t, 0, 64 * PG);
    vm_region a = {.base = 0, .size = PG}, b = {.base = 4 * PG, .size = PG};
    vm_gap_tree_insert(&t, &a);
    vm_gap_tree_insert(&t, &b);
    GString *err = g_string_new(NULL);
    ck_assert_uint_eq(vm_gap_tree_check(&t, err), 0);
    a.size = 2 * PG; /* grown without telling the tree */
    ck_assert_uint_ge(vm_gap_tree_check(&t, err), 1);
    ck_assert_ptr_nonnull(strstr(err->str, "stale gap"));
    g_string_free(err, TRUE);
    vm_gap_tree_destroy(&t);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("gap_tree");
    TCase *tc = tcase_create("gap_tree");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, random_sparse);
    tcase_add_test(tc, random_dense);
    tcase_add_test(tc, random_other_seeds);
    tcase_add_test(tc, random_thousands);
    tcase_add_test(tc, ascending_stays_balanced);
    tcase_add_test(tc, many_levels_scattered_order);
    tcase_add_test(tc, check_finds_stale_gap);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
