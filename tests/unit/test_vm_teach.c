/* The kernel side of the teaching tools, without a CPU: the fault
 * prediction behind `zxsim explain`, the zxsim_dump host call, and the
 * dumps of the VMAR tree, page tables and VMOs. */
#include "mmu/pt_dump.h"
#include "vm/dump.h"
#include "vm/fault_predict.h"
#include "vm_harness.h"

#define RW (ZX_VM_PERM_READ | ZX_VM_PERM_WRITE)

/* ---------------- fault prediction ---------------- */

static vm_fault_prediction predict(gva va, unsigned access)
{
    vm_fault_prediction f;
    vm_fault_predict(P->aspace, va, access, &f);
    return f;
}

START_TEST(predict_follows_the_fault_handler)
{
    zx_handle_t vmo = mkvmo(4 * P_SZ, 0);
    gva va = map_in(ROOT, vmo, RW, 0, 4 * P_SZ);
    vm_fault_prediction f = predict(va + P_SZ, TR_ACCESS_READ);
    ck_assert(f.needs_fault);
    ck_assert_int_eq(f.status, ZX_OK);
    ck_assert_int_eq(f.kind, TR_FAULT_ZERO_PAGE);
    ck_assert_uint_eq(f.vmo_index, 1);
    f = predict(va + P_SZ, TR_ACCESS_WRITE);
    ck_assert_int_eq(f.kind, TR_FAULT_DEMAND_ZERO);
    f = predict(va, TR_ACCESS_EXEC);
    ck_assert_int_eq(f.status, ZX_ERR_ACCESS_DENIED);
    /* Nothing changed: the same read still needs its zero-page fault. */
    uint64_t faults = K->stats.faults;
    ck_assert_int_eq(predict(va + P_SZ, TR_ACCESS_READ).kind, TR_FAULT_ZERO_PAGE);
    ck_assert_uint_eq(K->stats.faults, faults);
    ck_assert_uint_eq(committed(vmo), 0);

    /* After the write the entry allows it; after a read, a write still
     * faults (the zero page is read-only) and commits. */
    EXPECT_OK(g_store8(va + P_SZ, 7));
    f = predict(va + P_SZ, TR_ACCESS_WRITE);
    ck_assert(!f.needs_fault);
    ck_assert_uint_ne(f.frame, 0);
    ck_assert_uint_eq(f.holders, 1);
    uint8_t b;
    EXPECT_OK(g_load8(va + 2 * P_SZ, &b));
    f = predict(va + 2 * P_SZ, TR_ACCESS_WRITE);
    ck_assert(f.needs_fault);
    ck_assert_int_eq(f.kind, TR_FAULT_DEMAND_ZERO);

    /* A snapshot shares the frame: a write to either side copies. */
    zx_handle_t child = mkchild(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 4 * P_SZ);
    gva cva = map_in(ROOT, child, RW, 0, 4 * P_SZ);
    f = predict(cva + P_SZ, TR_ACCESS_WRITE);
    ck_assert_int_eq(f.kind, TR_FAULT_COW_COPY);
    ck_assert_uint_eq(f.holders, 2);
    f = predict(va + P_SZ, TR_ACCESS_WRITE);
    ck_assert(f.needs_fault);
    ck_assert_int_eq(f.kind, TR_FAULT_COW_COPY);
    f = predict(cva + P_SZ, TR_ACCESS_READ);
    ck_assert_int_eq(f.kind, TR_FAULT_MAP_COMMITTED);
    EXPECT_OK(g_store8(cva + P_SZ, 9));
    ck_assert_uint_eq(predict(va + P_SZ, TR_ACCESS_WRITE).holders, 1);

    ck_assert_int_eq(predict(G_UNMAPPED, TR_ACCESS_READ).status, ZX_ERR_NOT_FOUND);
    ck_assert_int_eq(predict(ro_ptr(), TR_ACCESS_WRITE).status, ZX_ERR_ACCESS_DENIED);
    ck_assert_int_eq(predict(beyond_ptr(), TR_ACCESS_READ).status, ZX_ERR_OUT_OF_RANGE);
}
END_TEST

/* ---------------- zxsim_dump ---------------- */

static int dump_calls;
static char dump_label[80];
static bool dump_had_label;

static void record_dump(void *ctx, vm_process *p, const char *label)
{
    dump_calls++;
    dump_had_label = label != NULL;
    g_strlcpy(dump_label, label ? label : "", sizeof dump_label);
}

START_TEST(zxsim_dump_calls_the_simulator)
{
    dump_calls = 0;
    EXPECT_OK(SC(SYS_zxsim_dump, 0)); /* no --dump: nothing to call */
    K->dump = record_dump;
    EXPECT_OK(g_store(IO_AREA, "after fork", 11));
    EXPECT_OK(SC(SYS_zxsim_dump, IO_AREA));
    ck_assert_int_eq(dump_calls, 1);
    ck_assert_str_eq(dump_label, "after fork");
    EXPECT_OK(SC(SYS_zxsim_dump, 0));
    ck_assert_int_eq(dump_calls, 2);
    ck_assert(!dump_had_label);
    /* A label without its NUL within 63 bytes is cut there. */
    gfill(IO_AREA, 100, 'x');
    EXPECT_OK(SC(SYS_zxsim_dump, IO_AREA));
    ck_assert_uint_eq(strlen(dump_label), 63);
    EXPECT_ST(SC(SYS_zxsim_dump, G_UNMAPPED), ZX_ERR_INVALID_ARGS);
    ck_assert_int_eq(dump_calls, 3);
    K->dump = NULL;
}
END_TEST

/* ---------------- the dumps ---------------- */

static unsigned count(const char *text, const char *needle)
{
    unsigned n = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void count_leaf(uint64_t va, uint64_t entry, uint64_t pa, unsigned perms, void *user)
{
    (*(unsigned *)user)++;
}

START_TEST(dump_shows_tables_mappings_and_sharing)
{
    ck_assert_uint_eq(vm_dump_parse("vmar,pagetables,vmos"),
                      VM_DUMP_VMAR | VM_DUMP_PAGETABLES | VM_DUMP_VMOS);
    ck_assert_uint_eq(vm_dump_parse("all"), VM_DUMP_VMAR | VM_DUMP_PAGETABLES | VM_DUMP_VMOS);
    ck_assert_uint_eq(vm_dump_parse("vmos"), VM_DUMP_VMOS);
    ck_assert_uint_eq(vm_dump_parse("vmar,bogus"), 0);
    ck_assert_uint_eq(vm_dump_parse(""), 0);

    zx_handle_t vmo = mkvmo(3 * P_SZ, 0);
    EXPECT_OK(t_set_property(vmo, ZX_PROP_NAME, "teach-vmo", 9));
    gva va = map_in(ROOT, vmo, RW, 0, 3 * P_SZ);
    gfill(va, 3 * P_SZ, 0x5a);
    zx_handle_t child = mkchild(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 3 * P_SZ);
    gva cva = map_in(ROOT, child, RW, 0, 3 * P_SZ);
    EXPECT_OK(g_store8(cva, 1));

    vm_dump_request req = {
        .what = VM_DUMP_VMAR | VM_DUMP_PAGETABLES | VM_DUMP_VMOS, .serial = 1, .label = "here"};
    GString *out = g_string_new(NULL);
    vm_dump(P, &req, out);
    ck_assert(g_str_has_prefix(out->str, "==== zxsim dump 1 of process"));
    ck_assert_ptr_nonnull(strstr(out->str, "zxsim_dump(\"here\")"));
    /* Parent pages 1-2 and child pages 1-2 are shared; page 0 is private
     * in both after the child's write. */
    ck_assert_uint_eq(count(out->str, "shared (copy-on-write) with koid"), 4);
    ck_assert_ptr_nonnull(strstr(out->str, "\"teach-vmo\""));
    char line[160];
    g_snprintf(line, sizeof line, "[0x%llx, 0x%llx) mapping rw-", (unsigned long long)va,
               (unsigned long long)(va + 3 * P_SZ));
    ck_assert_msg(strstr(out->str, line), "no line %s in\n%s", line, out->str);
    ck_assert_ptr_nonnull(strstr(out->str, "3 of 3 pages committed"));
    /* One L3 line per present leaf, as many as the table holds. */
    unsigned leaves = 0;
    mmu_pt_foreach_leaf(P->aspace->pt, count_leaf, &leaves);
    GString *pt = g_string_new(NULL);
    mmu_pt_dump_text(P->aspace->pt, pt);
    ck_assert_uint_eq(count(pt->str, " L3["), leaves);
    ck_assert_uint_ge(leaves, 4); /* the parent's three, the child's copy */
    /* The leaf of va is there with its index and its level's indentation. */
    g_snprintf(line, sizeof line, "        L3[%3u] at ", (unsigned)((va >> 12) & 511));
    ck_assert_ptr_nonnull(strstr(pt->str, line));
    g_string_truncate(out, 0);
    req.json = true;
    vm_dump(P, &req, out);
    ck_assert(out->str[0] == '{' && g_str_has_suffix(out->str, "}\n"));
    ck_assert_ptr_eq(strchr(out->str, '\n'), out->str + out->len - 1); /* one line */
    ck_assert_uint_eq(count(out->str, "\"level\":3,"), leaves);
    ck_assert_ptr_nonnull(strstr(out->str, "\"child_kind\":\"snapshot\""));
    g_string_free(pt, TRUE);
    g_string_free(out, TRUE);
}
END_TEST

static void describe(const mmu_pt_format *f, uint64_t e, int level, char *buf, size_t n)
{
    GString *s = g_string_new(NULL);
    f->describe(e, level, s);
    g_strlcpy(buf, s->str, n);
    g_string_free(s, TRUE);
}

START_TEST(entries_decode_in_the_architecture_names)
{
    char buf[200];
    const mmu_pt_format *a = &mmu_pt_format_arm64, *x = &mmu_pt_format_x86_64;
    describe(a, a->table_entry(0xb000), 0, buf, sizeof buf);
    ck_assert_str_eq(buf, "table -> 0xb000 VALID TABLE");
    describe(a, a->leaf_entry(0x5000, MMU_PERM_READ | MMU_PERM_WRITE, MMU_CACHE_CACHED), 3, buf,
             sizeof buf);
    ck_assert_str_eq(buf,
                     "page 0x5000 VALID PAGE AttrIndx=0 AP=EL1 rw/EL0 rw SH=inner AF nG PXN UXN");
    describe(a, a->leaf_entry(0x6000, MMU_PERM_READ | MMU_PERM_EXEC, MMU_CACHE_UNCACHED_DEVICE), 3,
             buf, sizeof buf);
    ck_assert_str_eq(buf, "page 0x6000 VALID PAGE AttrIndx=1 AP=EL1 ro/EL0 ro SH=non AF nG PXN");
    describe(a, 0, 2, buf, sizeof buf);
    ck_assert_str_eq(buf, "invalid");
    describe(x, x->table_entry(0xc000), 1, buf, sizeof buf);
    ck_assert_str_eq(buf, "table -> 0xc000 P RW US");
    describe(x, x->leaf_entry(0x7000, MMU_PERM_READ, MMU_CACHE_CACHED), 3, buf, sizeof buf);
    ck_assert_str_eq(buf, "page 0x7000 P RO US A NX");
}
END_TEST

static Suite *teach_suite(void)
{
    Suite *s = suite_create("vm_teach");
    TCase *tc = h_tcase("arm64");
    ADD(tc, predict_follows_the_fault_handler);
    ADD(tc, zxsim_dump_calls_the_simulator);
    ADD(tc, dump_shows_tables_mappings_and_sharing);
    ADD(tc, entries_decode_in_the_architecture_names);
    suite_add_tcase(s, tc);
    tc = h_tcase_x86("x86_64");
    ADD(tc, predict_follows_the_fault_handler);
    ADD(tc, zxsim_dump_calls_the_simulator);
    ADD(tc, dump_shows_tables_mappings_and_sharing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return h_run(teach_suite());
}
