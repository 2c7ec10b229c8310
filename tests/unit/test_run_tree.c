/* The permission-run tree (vm/run_tree.c) against a sorted array: seeded
 * random inserts, removals, range removals, splits and appends, with every
 * structural rule and every query (floor, ceil, first, last, both walks)
 * compared after each step; and the checker shown to catch damage. */
#include "vm/run_tree.h"

#include "check_main.h"

#include <check.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

/* ck_assert records its location on every call, too slow for the inner
 * loops here: only a failure reaches check. */
#define EXPECT(cond)                                                                               \
    do {                                                                                           \
        if (!(cond))                                                                               \
            ck_abort_msg("line %d: %s", __LINE__, #cond);                                          \
    } while (0)

/* The reference: entries sorted by offset in a plain array. */
typedef struct ref {
    uint64_t *off;
    uint8_t *perms;
    size_t n, cap;
} ref;

static void ref_init(ref *r)
{
    memset(r, 0, sizeof *r);
}

static void ref_free(ref *r)
{
    g_free(r->off);
    g_free(r->perms);
}

/* The first index whose offset is >= key. */
static size_t ref_lower(const ref *r, uint64_t key)
{
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (r->off[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void ref_set(ref *r, uint64_t key, uint8_t perms)
{
    size_t i = ref_lower(r, key);
    if (i < r->n && r->off[i] == key) {
        r->perms[i] = perms;
        return;
    }
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 64;
        r->off = g_renew(uint64_t, r->off, r->cap);
        r->perms = g_renew(uint8_t, r->perms, r->cap);
    }
    memmove(&r->off[i + 1], &r->off[i], (r->n - i) * sizeof r->off[0]);
    memmove(&r->perms[i + 1], &r->perms[i], (r->n - i) * sizeof r->perms[0]);
    r->off[i] = key;
    r->perms[i] = perms;
    r->n++;
}

static bool ref_remove(ref *r, uint64_t key)
{
    size_t i = ref_lower(r, key);
    if (i == r->n || r->off[i] != key)
        return false;
    memmove(&r->off[i], &r->off[i + 1], (r->n - i - 1) * sizeof r->off[0]);
    memmove(&r->perms[i], &r->perms[i + 1], (r->n - i - 1) * sizeof r->perms[0]);
    r->n--;
    return true;
}

/* Structure and contents, walked both ways. */
static void expect_same(const vm_run_tree *t, const ref *r)
{
    char msg[200];
    unsigned bad = vm_run_tree_check(t, msg, sizeof msg);
    if (bad)
        ck_abort_msg("%u problems, first: %s", bad, msg);
    EXPECT(vm_run_tree_count(t) == r->n);
    size_t i = 0;
    for (vm_run run = vm_run_tree_first(t); vm_run_valid(run); run = vm_run_next(run), i++) {
        EXPECT(i < r->n);
        EXPECT(vm_run_offset(run) == r->off[i]);
        EXPECT(vm_run_perms(run) == r->perms[i]);
    }
    EXPECT(i == r->n);
    for (vm_run run = vm_run_tree_last(t); vm_run_valid(run); run = vm_run_prev(run)) {
        EXPECT(i > 0);
        i--;
        EXPECT(vm_run_offset(run) == r->off[i]);
    }
    EXPECT(i == 0);
}

static void expect_queries(const vm_run_tree *t, const ref *r, uint64_t key)
{
    size_t i = ref_lower(r, key);
    vm_run ceil = vm_run_tree_ceil(t, key);
    EXPECT(vm_run_valid(ceil) == (i < r->n));
    if (i < r->n)
        EXPECT(vm_run_offset(ceil) == r->off[i]);
    size_t j = i < r->n && r->off[i] == key ? i + 1 : i; /* entries <= key */
    vm_run floor = vm_run_tree_floor(t, key);
    EXPECT(vm_run_valid(floor) == (j > 0));
    if (j > 0) {
        EXPECT(vm_run_offset(floor) == r->off[j - 1]);
        EXPECT(vm_run_perms(floor) == r->perms[j - 1]);
        vm_run next = vm_run_next(floor), prev = vm_run_prev(floor);
        EXPECT(vm_run_valid(next) == (j < r->n));
        if (j < r->n)
            EXPECT(vm_run_offset(next) == r->off[j]);
        EXPECT(vm_run_valid(prev) == (j > 1));
        if (j > 1)
            EXPECT(vm_run_offset(prev) == r->off[j - 2]);
    }
}

/* The reference's entries at or after cut move to right, lowered by cut. */
static void ref_split(ref *r, uint64_t cut, ref *right)
{
    size_t i = ref_lower(r, cut);
    for (size_t k = i; k < r->n; k++)
        ref_set(right, r->off[k] - cut, r->perms[k]);
    r->n = i;
}

typedef struct sim {
    vm_run_tree t;
    ref r;
    GRand *rand;
    uint64_t space; /* keys are drawn from [0, space) */
} sim;

static uint64_t rnd(sim *s, uint64_t n)
{
    return n <= 1 ? 0 : (uint64_t)g_rand_double_range(s->rand, 0, (double)n) % n;
}

static uint64_t some_key(sim *s)
{
    /* Half the time an existing key, so that removals and exact hits happen. */
    if (s->r.n && g_rand_boolean(s->rand))
        return s->r.off[rnd(s, s->r.n)] + (g_rand_int_range(s->rand, 0, 4) == 0);
    return rnd(s, s->space);
}

/* While growing most steps insert, while shrinking most remove. */
static void step(sim *s, bool growing)
{
    int op = g_rand_int_range(s->rand, 0, 100);
    uint64_t key = some_key(s);
    if (op < (growing ? 75 : 30)) {
        uint8_t perms = (uint8_t)g_rand_int_range(s->rand, 0, 8);
        vm_run_tree_set(&s->t, key, perms);
        ref_set(&s->r, key, perms);
    } else if (op < 85) {
        bool had = ref_remove(&s->r, key);
        EXPECT(vm_run_tree_remove(&s->t, key) == had);
    } else if (op < 88) {
        uint64_t hi = key + rnd(s, s->space / 256 + 2);
        vm_run_tree_remove_range(&s->t, key, hi);
        for (size_t i = ref_lower(&s->r, key); i < s->r.n && s->r.off[i] <= hi;)
            ref_remove(&s->r, s->r.off[i]);
    } else {
        /* Split off the part at or after key, check both, append it back. */
        vm_run_tree right;
        ref rr;
        vm_run_tree_init(&right);
        ref_init(&rr);
        vm_run_tree_split(&s->t, key, &right);
        ref_split(&s->r, key, &rr);
        expect_same(&s->t, &s->r);
        expect_same(&right, &rr);
        for (size_t i = 0; i < rr.n; i++)
            ref_set(&s->r, rr.off[i] + key, rr.perms[i]);
        vm_run_tree_append(&s->t, &right, key);
        EXPECT(vm_run_tree_count(&right) == 0);
        ref_free(&rr);
    }
}

static void run_sim(guint32 seed, uint64_t space, int steps, int check_every)
{
    sim s = {.rand = g_rand_new_with_seed(seed), .space = space};
    vm_run_tree_init(&s.t);
    ref_init(&s.r);
    for (int i = 0; i < steps; i++) {
        step(&s, i / (steps / 6) % 2 == 0);
        if (i % check_every == 0 || s.r.n < 80) {
            expect_same(&s.t, &s.r);
            expect_queries(&s.t, &s.r, some_key(&s));
        }
    }
    expect_same(&s.t, &s.r);
    for (int i = 0; i < 200; i++)
        expect_queries(&s.t, &s.r, some_key(&s));
    vm_run_tree_clear(&s.t);
    ck_assert_uint_eq(vm_run_tree_count(&s.t), 0);
    ref_free(&s.r);
    g_rand_free(s.rand);
}

/* Few keys: the tree keeps crossing between inline, one leaf and two levels. */
START_TEST(random_small)
{
    for (guint32 seed = 1; seed <= 40; seed++)
        run_sim(seed, 120, 3000, 1);
}
END_TEST

START_TEST(random_medium)
{
    for (guint32 seed = 100; seed <= 104; seed++)
        run_sim(seed, 4000, 20000, 1);
}
END_TEST

/* Grows past three levels, then shrinks back to nothing by removals. */
static void grow_and_shrink(guint32 seed, bool ascending)
{
    sim s = {.rand = g_rand_new_with_seed(seed), .space = 1u << 30};
    vm_run_tree_init(&s.t);
    ref_init(&s.r);
    for (uint64_t i = 0; i < 40000; i++) {
        uint64_t key = ascending ? i * 4096 : rnd(&s, s.space);
        uint8_t perms = (uint8_t)(i % 7);
        vm_run_tree_set(&s.t, key, perms);
        ref_set(&s.r, key, perms);
        if (i % 997 == 0)
            expect_same(&s.t, &s.r);
    }
    expect_same(&s.t, &s.r);
    ck_assert_uint_ge(s.t.height, 3);
    for (int i = 0; i < 2000; i++)
        expect_queries(&s.t, &s.r, some_key(&s));
    for (uint64_t i = 0; s.r.n; i++) {
        uint64_t key = s.r.off[ascending ? 0 : rnd(&s, s.r.n)];
        EXPECT(vm_run_tree_remove(&s.t, key));
        ref_remove(&s.r, key);
        if (i % 997 == 0 || s.r.n < 40)
            expect_same(&s.t, &s.r);
    }
    ck_assert_ptr_null(s.t.root);
    ref_free(&s.r);
    g_rand_free(s.rand);
}

START_TEST(grow_and_shrink_random)
{
    grow_and_shrink(7, false);
}
END_TEST

START_TEST(grow_and_shrink_ascending)
{
    grow_and_shrink(8, true);
}
END_TEST

/* Splits of a deep tree at every kind of cut: before everything, inside
 * and on the edges of leaves, past everything. */
START_TEST(split_deep_tree_everywhere)
{
    sim s = {.rand = g_rand_new_with_seed(11), .space = 1u << 24};
    vm_run_tree_init(&s.t);
    ref_init(&s.r);
    for (int i = 0; i < 30000; i++) {
        uint64_t key = rnd(&s, s.space);
        vm_run_tree_set(&s.t, key, (uint8_t)(key % 5));
        ref_set(&s.r, key, (uint8_t)(key % 5));
    }
    expect_same(&s.t, &s.r);
    for (int i = 0; i < 300; i++) {
        uint64_t cut;
        switch (i % 6) {
        case 0:
            cut = 0;
            break;
        case 1:
            cut = s.space;
            break;
        case 2:
            cut = s.r.off[rnd(&s, s.r.n)];
            break;
        case 3:
            cut = s.r.off[rnd(&s, s.r.n)] + 1;
            break;
        case 4:
            cut = s.r.off[s.r.n - 1 - rnd(&s, 40)];
            break;
        default:
            cut = rnd(&s, s.space);
        }
        vm_run_tree right;
        ref rr;
        vm_run_tree_init(&right);
        ref_init(&rr);
        vm_run_tree_split(&s.t, cut, &right);
        ref_split(&s.r, cut, &rr);
        expect_same(&s.t, &s.r);
        expect_same(&right, &rr);
        for (int q = 0; q < 20; q++) {
            expect_queries(&right, &rr, rnd(&s, s.space));
            expect_queries(&s.t, &s.r, rnd(&s, s.space));
        }
        for (size_t k = 0; k < rr.n; k++)
            ref_set(&s.r, rr.off[k] + cut, rr.perms[k]);
        vm_run_tree_append(&s.t, &right, cut);
        expect_same(&s.t, &s.r);
        ref_free(&rr);
    }
    vm_run_tree_clear(&s.t);
    ref_free(&s.r);
    g_rand_free(s.rand);
}
END_TEST

/* Appends of every size onto trees of every size, each edge mended. */
START_TEST(append_sizes)
{
    static const size_t sizes[] = {0, 1, 2, 15, 16, 17, 32, 33, 500, 1100, 20000};
    size_t count = sizeof sizes / sizeof sizes[0];
    for (size_t i = 0; i < count; i++) {
        for (size_t j = 0; j < count; j++) {
            vm_run_tree left, right;
            ref r;
            vm_run_tree_init(&left);
            vm_run_tree_init(&right);
            ref_init(&r);
            for (uint64_t k = 0; k < sizes[i]; k++) {
                vm_run_tree_set(&left, k * 4096, (uint8_t)(k % 3));
                ref_set(&r, k * 4096, (uint8_t)(k % 3));
            }
            uint64_t shift = (sizes[i] + 1) * 4096;
            for (uint64_t k = 0; k < sizes[j]; k++) {
                vm_run_tree_set(&right, k * 4096, (uint8_t)(k % 5));
                ref_set(&r, k * 4096 + shift, (uint8_t)(k % 5));
            }
            vm_run_tree_append(&left, &right, shift);
            EXPECT(vm_run_tree_count(&right) == 0 && right.root == NULL);
            expect_same(&left, &r);
            vm_run_tree_clear(&left);
            ref_free(&r);
        }
    }
}
END_TEST

/* A map of one entry lives in the struct itself. */
START_TEST(single_entry_allocates_nothing)
{
    vm_run_tree t;
    vm_run_tree_init(&t);
    vm_run_tree_set(&t, 0, 3);
    ck_assert_ptr_null(t.root);
    vm_run_tree_set(&t, 4096, 1);
    ck_assert_ptr_nonnull(t.root);
    ck_assert(vm_run_tree_remove(&t, 4096));
    ck_assert_ptr_null(t.root);
    vm_run r = vm_run_tree_floor(&t, 1 << 20);
    ck_assert(vm_run_valid(r));
    ck_assert_uint_eq(vm_run_offset(r), 0);
    ck_assert_uint_eq(vm_run_perms(r), 3);
    ck_assert(!vm_run_valid(vm_run_next(r)));
    ck_assert(!vm_run_valid(vm_run_prev(r)));
    vm_run_tree right;
    vm_run_tree_init(&right);
    vm_run_tree_set(&t, 8192, 5);
    vm_run_tree_split(&t, 4096, &right);
    ck_assert_ptr_null(t.root);
    ck_assert_ptr_null(right.root);
    ck_assert_uint_eq(vm_run_offset(vm_run_tree_first(&right)), 4096);
    vm_run_tree_clear(&t);
    vm_run_tree_clear(&right);
}
END_TEST

static void expect_caught(vm_run_tree *t, const char *what)
{
    char msg[200];
    unsigned bad = vm_run_tree_check(t, msg, sizeof msg);
    ck_assert_msg(bad > 0, "checker missed: %s", what);
    ck_assert_msg(msg[0] != '\0', "no message for: %s", what);
}

static void expect_clean(vm_run_tree *t)
{
    char msg[200];
    ck_assert_msg(vm_run_tree_check(t, msg, sizeof msg) == 0, "%s", msg);
}

START_TEST(check_finds_damage)
{
    vm_run_tree t;
    vm_run_tree_init(&t);
    for (uint64_t i = 0; i < 3000; i++)
        vm_run_tree_set(&t, i * 4096, (uint8_t)(i % 3));
    expect_clean(&t);
    vm_run_leaf *first = (vm_run_leaf *)vm_run_tree_first(&t).leaf;
    vm_run_leaf *second = first->next;
    vm_run_inner *root = t.root;

    uint64_t k = first->offset[3];
    first->offset[3] = first->offset[4];
    first->offset[4] = k;
    expect_caught(&t, "keys swapped in a leaf");
    first->offset[4] = first->offset[3];
    first->offset[3] = k;
    expect_clean(&t);

    k = second->offset[0];
    second->offset[0] = first->offset[first->n - 1];
    expect_caught(&t, "a leaf's first key equal to the previous leaf's last");
    second->offset[0] = k;

    second->prev = NULL;
    expect_caught(&t, "a broken prev link");
    second->prev = first;

    first->next = second->next;
    expect_caught(&t, "a broken next link");
    first->next = second;

    uint32_t n = first->n;
    first->n = 2;
    expect_caught(&t, "an underfull leaf");
    first->n = n;

    t.count++;
    expect_caught(&t, "a wrong count");
    t.count--;

    k = root->keys[1];
    root->keys[1] = root->keys[2];
    expect_caught(&t, "a separator above its right child's keys");
    root->keys[1] = k;

    t.height++;
    expect_caught(&t, "a wrong height");
    t.height--;

    expect_clean(&t);
    vm_run_tree_clear(&t);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("run_tree");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, random_small);
    tcase_add_test(tc, random_medium);
    tcase_add_test(tc, grow_and_shrink_random);
    tcase_add_test(tc, grow_and_shrink_ascending);
    tcase_add_test(tc, split_deep_tree_everywhere);
    tcase_add_test(tc, append_sizes);
    tcase_add_test(tc, single_entry_allocates_nothing);
    tcase_add_test(tc, check_finds_damage);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
