/* The structures that keep the kernel's costs from growing with the number
 * of objects, seen through syscalls: snapshot chains whose parents are
 * closed stay shallow with unchanged attribution, the reclaimable list of
 * discardable VMOs in unlock order, and placement (uniform over every spot
 * with ASLR, lowest fit without) on the VMAR children tree. */
#include "vm_harness.h"

#include "vm/handle_table.h"

#define RW (ZX_VM_PERM_READ | ZX_VM_PERM_WRITE)

static vm_vmo *host_vmo(zx_handle_t h)
{
    vm_handle *hd;
    EXPECT_OK(vm_handle_get(&P->handles, h, ZX_OBJ_TYPE_VMO, 0, &hd));
    return (vm_vmo *)hd->obj;
}

START_TEST(closed_parents_chain_stays_shallow)
{
    zx_handle_t cur = mkvmo_(2 * P_SZ, 0);
    vfill_(cur, 0, P_SZ, 0xa5);
    for (int i = 1; i <= 300; i++) {
        zx_koid_t parent = koid_of(cur);
        zx_handle_t child = mkchild_(cur, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * P_SZ);
        EXPECT_OK(t_handle_close(cur));
        cur = child;
        /* The creator stays the parent the guest sees. */
        ck_assert_uint_eq(vmo_info_(cur).parent_koid, parent);
        vfill_(cur, P_SZ, 1, (uint8_t)i);
        vm_vmo *v = host_vmo(cur);
        /* Hangs from the first VMO (closed, without a parent) at most. */
        ck_assert_ptr_nonnull(v->parent);
        ck_assert_ptr_null(v->parent->parent);
    }
    vexpect_(cur, 0, P_SZ, 0xa5);
    ck_assert_uint_eq(vbyte(cur, P_SZ), (uint8_t)300);
    zx_info_vmo_t info = vmo_info_(cur);
    /* Nobody else sees its pages any more: all private. */
    ck_assert_uint_eq(info.committed_bytes, 2 * P_SZ);
    ck_assert_uint_eq(info.committed_private_bytes, 2 * P_SZ);
    ck_assert_uint_eq(info.num_children, 0);
    ck_assert(signaled(cur, ZX_VMO_ZERO_CHILDREN));
    EXPECT_OK(t_handle_close(cur));
}
END_TEST

START_TEST(closed_middle_hands_child_to_live_root)
{
    zx_handle_t a = mkvmo_(P_SZ, 0);
    vfill_(a, 0, P_SZ, 0x11);
    zx_handle_t b = mkchild_(a, ZX_VMO_CHILD_SNAPSHOT, 0, P_SZ);
    zx_koid_t b_koid = koid_of(b);
    zx_handle_t c = mkchild_(b, ZX_VMO_CHILD_SNAPSHOT, 0, P_SZ);
    ck_assert_uint_eq(vmo_info_(a).num_children, 1);
    EXPECT_OK(t_handle_close(b));
    /* c now hangs from a, but is not one of a's children... */
    ck_assert_ptr_eq(host_vmo(c)->parent, host_vmo(a));
    ck_assert_uint_eq(vmo_info_(a).num_children, 0);
    ck_assert_uint_eq(vmo_info_(c).parent_koid, b_koid);
    /* ...while it still keeps a from having zero children. */
    ck_assert(!signaled(a, ZX_VMO_ZERO_CHILDREN));
    /* Both still share the page: half each. */
    ck_assert_uint_eq(vmo_info_(a).committed_private_bytes, 0);
    ck_assert_uint_eq(vmo_info_(c).committed_private_bytes, 0);
    vexpect_(c, 0, P_SZ, 0x11);
    vfill_(c, 0, 1, 0x22);
    vexpect_(a, 0, P_SZ, 0x11);
    EXPECT_OK(t_handle_close(c));
    ck_assert(signaled(a, ZX_VMO_ZERO_CHILDREN));
    EXPECT_OK(t_handle_close(a));
}
END_TEST

/* Closing a reference can close its parent too: the reference's snapshot
 * passes through the parent to the grandparent. */
START_TEST(closing_reference_closes_parent_chain)
{
    zx_handle_t g = mkvmo_(P_SZ, 0);
    vfill_(g, 0, P_SZ, 0x44);
    zx_handle_t p = mkchild_(g, ZX_VMO_CHILD_SNAPSHOT, 0, P_SZ);
    zx_handle_t r = mkchild_(p, ZX_VMO_CHILD_REFERENCE, 0, 0);
    zx_handle_t c = mkchild_(r, ZX_VMO_CHILD_SNAPSHOT, 0, P_SZ);
    EXPECT_OK(t_handle_close(p)); /* r keeps p alive */
    EXPECT_OK(t_handle_close(r)); /* p goes with it */
    ck_assert_ptr_eq(host_vmo(c)->parent, host_vmo(g));
    vexpect_(c, 0, P_SZ, 0x44);
    ck_assert(!signaled(g, ZX_VMO_ZERO_CHILDREN));
    EXPECT_OK(t_handle_close(c));
    ck_assert(signaled(g, ZX_VMO_ZERO_CHILDREN));
    EXPECT_OK(t_handle_close(g));
}
END_TEST

/* The VMO at position i of the reclaimable list. */
static vm_vmo *reclaimable_at(guint i)
{
    return g_queue_peek_nth(&K->reclaimable, i);
}

START_TEST(reclaimable_in_unlock_order)
{
    zx_handle_t d[3];
    for (int i = 0; i < 3; i++)
        d[i] = mkvmo_(P_SZ, ZX_VMO_DISCARDABLE);
    /* Unlocked from birth: reclaimable in creation order. */
    ck_assert_uint_eq(g_queue_get_length(&K->reclaimable), 3);
    for (int i = 0; i < 3; i++)
        ck_assert_ptr_eq(reclaimable_at((guint)i), host_vmo(d[i]));
    for (int i = 0; i < 3; i++)
        EXPECT_OK(t_vmo_op_range(d[i], ZX_VMO_OP_TRY_LOCK, 0, P_SZ, 0, 0));
    ck_assert_uint_eq(g_queue_get_length(&K->reclaimable), 0);
    for (int i = 0; i < 3; i++)
        vfill_(d[i], 0, P_SZ, 0x33);
    int order[3] = {1, 2, 0};
    for (int i = 0; i < 3; i++)
        EXPECT_OK(t_vmo_op_range(d[order[i]], ZX_VMO_OP_UNLOCK, 0, P_SZ, 0, 0));
    for (int i = 0; i < 3; i++)
        ck_assert_ptr_eq(reclaimable_at((guint)i), host_vmo(d[order[i]]));
    /* Locking the middle one takes it off; unlocking puts it last. */
    EXPECT_OK(t_vmo_op_range(d[2], ZX_VMO_OP_TRY_LOCK, 0, P_SZ, 0, 0));
    ck_assert_uint_eq(g_queue_get_length(&K->reclaimable), 2);
    EXPECT_OK(t_vmo_op_range(d[2], ZX_VMO_OP_UNLOCK, 0, P_SZ, 0, 0));
    ck_assert_ptr_eq(reclaimable_at(2), host_vmo(d[2]));
    ck_assert_int_eq(SC(SYS_zxsim_reclaim), 3);
    ck_assert_uint_eq(g_queue_get_length(&K->reclaimable), 0);
    for (int i = 0; i < 3; i++) {
        ck_assert_uint_eq(committed(d[i]), 0);
        EXPECT_ST(t_vmo_op_range(d[i], ZX_VMO_OP_TRY_LOCK, 0, P_SZ, 0, 0), ZX_ERR_UNAVAILABLE);
    }
    /* Nothing left: a second reclaim finds nothing. */
    ck_assert_int_eq(SC(SYS_zxsim_reclaim), 0);
    /* A closed VMO leaves the list. */
    zx_handle_t e = mkvmo_(P_SZ, ZX_VMO_DISCARDABLE);
    ck_assert_uint_eq(g_queue_get_length(&K->reclaimable), 1);
    EXPECT_OK(t_handle_close(e));
    ck_assert_uint_eq(g_queue_get_length(&K->reclaimable), 0);
    for (int i = 0; i < 3; i++)
        EXPECT_OK(t_handle_close(d[i]));
}
END_TEST

#define SLOTS 16

/* Maps one page non-specifically into vmar; its slot from base. */
static int map_slot(zx_handle_t vmar, gva base, zx_handle_t vmo, gva *addr)
{
    EXPECT_OK(t_vmar_map(vmar, RW, 0, vmo, 0, P_SZ, addr));
    ck_assert_uint_ge(*addr, base);
    ck_assert_uint_lt(*addr, base + SLOTS * P_SZ);
    return (int)((*addr - base) / P_SZ);
}

START_TEST(aslr_fills_every_spot_then_no_resources)
{
    gva base;
    zx_handle_t arena = arena_(SLOTS * P_SZ, &base);
    zx_handle_t vmo = mkvmo_(P_SZ, 0);
    bool used[SLOTS] = {false};
    for (int i = 0; i < SLOTS; i++) {
        gva addr;
        int slot = map_slot(arena, base, vmo, &addr);
        ck_assert_msg(!used[slot], "slot %d given twice", slot);
        used[slot] = true;
    }
    gva addr;
    EXPECT_ST(t_vmar_map(arena, RW, 0, vmo, 0, P_SZ, &addr), ZX_ERR_NO_RESOURCES);
    EXPECT_OK(t_vmar_destroy(arena));
    EXPECT_OK(t_handle_close(arena));
    EXPECT_OK(t_handle_close(vmo));
}
END_TEST

/* With half the slots taken (pages 0, 2, 4, ...), 1600 draws: every free
 * slot is drawn, each close to its fair share, never a taken one. */
START_TEST(aslr_uniform_over_free_spots)
{
    gva base;
    zx_handle_t arena = arena_(SLOTS * P_SZ, &base);
    zx_handle_t vmo = mkvmo_(2 * P_SZ, 0);
    for (int s = 0; s < SLOTS; s += 2) {
        gva addr;
        /* Offset 1 page: no draw can merge with these. */
        EXPECT_OK(
            t_vmar_map(arena, RW | ZX_VM_SPECIFIC, (uint64_t)s * P_SZ, vmo, P_SZ, P_SZ, &addr));
    }
    int hits[SLOTS] = {0};
    for (int i = 0; i < 1600; i++) {
        gva addr;
        hits[map_slot(arena, base, vmo, &addr)]++;
        EXPECT_OK(t_vmar_unmap(arena, addr, P_SZ));
    }
    for (int s = 0; s < SLOTS; s++) {
        if (s % 2 == 0)
            ck_assert_int_eq(hits[s], 0);
        else
            ck_assert_msg(hits[s] >= 140 && hits[s] <= 260, "slot %d drawn %d times of 1600", s,
                          hits[s]);
    }
    EXPECT_OK(t_vmar_destroy(arena));
    EXPECT_OK(t_handle_close(arena));
    EXPECT_OK(t_handle_close(vmo));
}
END_TEST

START_TEST(no_aslr_takes_lowest_fit)
{
    K->aslr = false;
    gva base;
    zx_handle_t arena = arena_(SLOTS * P_SZ, &base);
    zx_handle_t vmo = mkvmo_(4 * P_SZ, 0);
    gva addr;
    EXPECT_OK(t_vmar_map(arena, RW | ZX_VM_SPECIFIC, 0, vmo, P_SZ, P_SZ, &addr));
    EXPECT_OK(t_vmar_map(arena, RW | ZX_VM_SPECIFIC, 2 * P_SZ, vmo, P_SZ, P_SZ, &addr));
    /* One page fits in the hole at 1, two pages only from 3 on. */
    EXPECT_OK(t_vmar_map(arena, RW, 0, vmo, 0, 2 * P_SZ, &addr));
    ck_assert_uint_eq(addr, base + 3 * P_SZ);
    EXPECT_OK(t_vmar_map(arena, RW, 0, vmo, 3 * P_SZ, P_SZ, &addr));
    ck_assert_uint_eq(addr, base + 1 * P_SZ);
    /* An 8-page alignment skips to slot 8. */
    EXPECT_OK(t_vmar_map(arena, RW | ZX_VM_ALIGN_32KB, 0, vmo, 0, P_SZ, &addr));
    ck_assert_uint_eq(addr, base + 8 * P_SZ);
    EXPECT_OK(t_vmar_destroy(arena));
    EXPECT_OK(t_handle_close(arena));
    EXPECT_OK(t_handle_close(vmo));
}
END_TEST

static Suite *scale_suite(void)
{
    Suite *s = suite_create("vm_scale");
    TCase *tc = h_tcase("snapshot_chains");
    ADD(tc, closed_parents_chain_stays_shallow);
    ADD(tc, closed_middle_hands_child_to_live_root);
    ADD(tc, closing_reference_closes_parent_chain);
    suite_add_tcase(s, tc);
    tc = h_tcase("reclaim");
    ADD(tc, reclaimable_in_unlock_order);
    suite_add_tcase(s, tc);
    tc = h_tcase("placement");
    ADD(tc, aslr_fills_every_spot_then_no_resources);
    ADD(tc, aslr_uniform_over_free_spots);
    ADD(tc, no_aslr_takes_lowest_fit);
    suite_add_tcase(s, tc);
    tc = h_tcase_x86("placement_x86_64");
    ADD(tc, aslr_uniform_over_free_spots);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return h_run(scale_suite());
}
