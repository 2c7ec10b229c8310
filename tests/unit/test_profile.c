/* Hardware profiles: the shipped files load, --print-profile output loads
 * back to the same configuration, --set changes exactly one field, and
 * every bad key or value is refused with a message naming the key. */
#include "mmu/hw.h"
#include "mmu/profile.h"

#include "check_main.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(shipped_profiles_load_and_round_trip)
{
    static const char *const names[] = {"cortex-a72", "skylake", "teaching", "callgrind"};
    GError *e = NULL;
    mmu_hw_config *cfg = mmu_profile_load(names[_i], &e);
    if (!cfg)
        ck_abort_msg("%s: %s", names[_i], e->message);
    ck_assert_str_eq(cfg->name, names[_i]);
    ck_assert_ptr_nonnull(cfg->description);
    ck_assert_uint_gt(cfg->cache[TR_CACHE_L1D].size, 0);
    GString *a = g_string_new(NULL), *b = g_string_new(NULL);
    mmu_profile_print(cfg, a);
    mmu_hw_config *again = mmu_profile_load_data(names[_i], a->str, &e);
    if (!again)
        ck_abort_msg("reload: %s", e->message);
    mmu_profile_print(again, b);
    ck_assert_str_eq(a->str, b->str);
    mmu_physmem *mem = mmu_physmem_new(1u << 20, NULL);
    mmu_hw *hw = mmu_hw_create(cfg, mem, &e);
    ck_assert_ptr_nonnull(hw);
    mmu_hw_destroy(hw);
    mmu_physmem_free(mem);
    g_string_free(a, TRUE);
    g_string_free(b, TRUE);
    mmu_hw_config_free(cfg);
    mmu_hw_config_free(again);
}
END_TEST

START_TEST(published_geometry)
{
    GError *e = NULL;
    mmu_hw_config *a72 = mmu_profile_load("cortex-a72", &e);
    ck_assert_ptr_nonnull(a72);
    ck_assert_uint_eq(a72->cache[TR_CACHE_L1I].size, 48 * 1024);
    ck_assert_uint_eq(a72->cache[TR_CACHE_L1I].ways, 3);
    ck_assert_uint_eq(a72->cache[TR_CACHE_L1D].size, 32 * 1024);
    ck_assert_uint_eq(a72->cache[TR_CACHE_L1D].ways, 2);
    ck_assert_uint_eq(a72->tlb[TR_TLB_L1D].entries, 32);
    ck_assert_uint_eq(a72->tlb[TR_TLB_L1D].ways, 0);
    ck_assert_uint_eq(a72->tlb[TR_TLB_L2].entries, 1024);
    ck_assert_uint_eq(a72->clock_hz, 1500000000ull);
    mmu_hw_config *sky = mmu_profile_load("skylake", &e);
    ck_assert_ptr_nonnull(sky);
    ck_assert_uint_eq(sky->tlb[TR_TLB_L2].entries, 1536);
    ck_assert_uint_eq(sky->tlb[TR_TLB_L2].ways, 12);
    ck_assert_uint_eq(sky->cache[TR_CACHE_L2].size, 256 * 1024);
    ck_assert_uint_eq(sky->cache[TR_CACHE_L3].size, 8 * 1024 * 1024);
    mmu_hw_config_free(a72);
    mmu_hw_config_free(sky);
}
END_TEST

START_TEST(set_changes_one_field)
{
    GError *e = NULL;
    mmu_hw_config *cfg = mmu_profile_load("teaching", &e);
    ck_assert_ptr_nonnull(cfg);
    mmu_hw_config before = *cfg;
    ck_assert(mmu_profile_set(cfg, "cache.l1d.size=2K", &e));
    ck_assert_uint_eq(cfg->cache[TR_CACHE_L1D].size, 2048);
    ck_assert(mmu_profile_set(cfg, "cache.l2.size=1M", &e));
    ck_assert_uint_eq(cfg->cache[TR_CACHE_L2].size, 1u << 20);
    ck_assert(mmu_profile_set(cfg, "cache.l1d.write=through-noallocate", &e));
    ck_assert(!cfg->cache[TR_CACHE_L1D].write_back);
    ck_assert(!cfg->cache[TR_CACHE_L1D].write_allocate);
    ck_assert(mmu_profile_set(cfg, "tlb.l1d.policy=plru", &e));
    ck_assert_int_eq(cfg->tlb[TR_TLB_L1D].policy, MMU_POLICY_PLRU);
    ck_assert(mmu_profile_set(cfg, "tlb.l2.ways=full", &e));
    ck_assert_uint_eq(cfg->tlb[TR_TLB_L2].ways, 0);
    ck_assert(mmu_profile_set(cfg, "cost.memory=250", &e));
    ck_assert_uint_eq(cfg->cost.memory, 250);
    ck_assert(mmu_profile_set(cfg, "machine.seed=7", &e));
    ck_assert_uint_eq(cfg->seed, 7);
    ck_assert(mmu_profile_set(cfg, "walk_cache.entries=0", &e));
    ck_assert_uint_eq(cfg->walk_cache.entries, 0);
    ck_assert_uint_eq(cfg->tlb[TR_TLB_L1I].entries, before.tlb[TR_TLB_L1I].entries);
    ck_assert_uint_eq(cfg->cache[TR_CACHE_L1I].size, before.cache[TR_CACHE_L1I].size);
    mmu_hw_config_free(cfg);
}
END_TEST

/* Each bad assignment, and the key its one-line error must name. */
static const struct {
    const char *set;
    const char *names;
} bad_sets[] = {
    {"cache.l1d.sizee=1K", "cache.l1d.sizee: unknown key"},
    {"cache.l9.size=1K", "cache.l9.size: unknown key"},
    {"cache.l1d.size=lots", "cache.l1d.size: bad value 'lots'"},
    {"cache.l1d.size=3000", "cache.l1d.size: not a multiple of the line size"},
    {"cache.l1d.size=3K", "cache.l1d.size: size / (line * ways) must be a power of two"},
    {"cache.l1d.line=48", "cache.l1d.line: a power of two"},
    {"cache.l1d.policy=mru", "cache.l1d.policy: bad value 'mru'"},
    {"cache.l1d.write=back", "cache.l1d.write: bad value 'back'"},
    {"tlb.l2.ways=3", "tlb.l2.ways: entries / ways must be a power of two"},
    {"tlb.l2.ways=0", "tlb.l2.ways: bad value '0'"},
    {"tlb.l1d.entries=-4", "tlb.l1d.entries: bad value '-4'"},
    {"cost.memory=", "cost.memory: bad value ''"},
    {"walk.enter=l1i", "walk.enter: bad value 'l1i'"},
    {"machine.clock_mhz=0", "machine.clock_mhz: bad value '0'"},
    {"cache.l1d", "expected GROUP.KEY=VALUE"},
    {"size=1K", "expected GROUP.KEY=VALUE"},
};

START_TEST(bad_set_names_the_key)
{
    GError *e = NULL;
    mmu_hw_config *cfg = mmu_profile_load("teaching", &e);
    ck_assert_ptr_nonnull(cfg);
    GString *before = g_string_new(NULL), *after = g_string_new(NULL);
    mmu_profile_print(cfg, before);
    ck_assert(!mmu_profile_set(cfg, bad_sets[_i].set, &e));
    ck_assert_ptr_nonnull(e);
    if (!strstr(e->message, bad_sets[_i].names))
        ck_abort_msg("'%s' gave '%s'", bad_sets[_i].set, e->message);
    ck_assert_ptr_null(strchr(e->message, '\n'));
    g_clear_error(&e);
    mmu_profile_print(cfg, after);
    ck_assert_str_eq(before->str, after->str); /* refused: nothing changed */
    g_string_free(before, TRUE);
    g_string_free(after, TRUE);
    mmu_hw_config_free(cfg);
}
END_TEST

static const struct {
    const char *text;
    const char *names;
} bad_files[] = {
    {"[cache.l1d]\nsize = 32K\nassoc = 8\n", "f: cache.l1d.assoc: unknown key"},
    {"[cache.l7]\nsize = 32K\n", "f: unknown group [cache.l7]"},
    {"[tlb.l1d]\nentries = 24\nways = 16\n", "f: tlb.l1d.ways: entries / ways"},
    {"[tlb.l1d]\nentries = 12\nways = full\npolicy = plru\n", "f: tlb.l1d.policy: plru"},
    {"[cache.l2]\nsize = 100K\nways = 4\n", "f: cache.l2.size"},
    {"not a key file", "f: "},
};

START_TEST(bad_file_names_the_key)
{
    GError *e = NULL;
    ck_assert_ptr_null(mmu_profile_load_data("f", bad_files[_i].text, &e));
    ck_assert_ptr_nonnull(e);
    if (!strstr(e->message, bad_files[_i].names))
        ck_abort_msg("gave '%s'", e->message);
    g_clear_error(&e);
}
END_TEST

START_TEST(unknown_profile_name)
{
    GError *e = NULL;
    ck_assert_ptr_null(mmu_profile_load("pentium", &e));
    ck_assert_ptr_nonnull(strstr(e->message, "no profile named 'pentium'"));
    g_clear_error(&e);
    ck_assert_ptr_null(mmu_profile_load("/nonexistent/x.ini", &e));
    ck_assert_ptr_nonnull(strstr(e->message, "/nonexistent/x.ini"));
    g_clear_error(&e);
}
END_TEST

static Suite *profile_suite(void)
{
    Suite *s = suite_create("profile");
    TCase *tc = tcase_create("profiles");
    tcase_add_loop_test(tc, shipped_profiles_load_and_round_trip, 0, 4);
    tcase_add_test(tc, published_geometry);
    tcase_add_test(tc, set_changes_one_field);
    tcase_add_loop_test(tc, bad_set_names_the_key, 0, G_N_ELEMENTS(bad_sets));
    tcase_add_loop_test(tc, bad_file_names_the_key, 0, G_N_ELEMENTS(bad_files));
    tcase_add_test(tc, unknown_profile_name);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(profile_suite());
}
