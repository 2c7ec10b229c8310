/* The structures that keep the kernel's costs from growing with the number
 * of objects, seen through syscalls: snapshot chains whose parents are
 * closed stay shallow with unchanged attribution, the reclaimable list of
 * discardable VMOs in unlock order, placement (uniform over every spot
 * with ASLR, lowest fit without) on the VMAR children tree, mapping records
 * asked with short buffers, and the handle arena's values and limit. */
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

/* The fields that do not move as the harness's own buffers commit pages. */
static void same_record(const zx_info_maps_t *a, const zx_info_maps_t *b)
{
    ck_assert_str_eq(a->name, b->name);
    ck_assert_uint_eq(a->base, b->base);
    ck_assert_uint_eq(a->size, b->size);
    ck_assert_uint_eq(a->depth, b->depth);
    ck_assert_uint_eq(a->type, b->type);
    if (a->type == ZX_INFO_MAPS_TYPE_MAPPING) {
        ck_assert_uint_eq(a->u.mapping.mmu_flags, b->u.mapping.mmu_flags);
        ck_assert_uint_eq(a->u.mapping.vmo_koid, b->u.mapping.vmo_koid);
        ck_assert_uint_eq(a->u.mapping.vmo_offset, b->u.mapping.vmo_offset);
    }
}

/* Every record list of the process and of two VMARs, asked with a buffer
 * of each length from 0 to all: the records written are the first ones of
 * the full list, and avail is always the full count. */
static void check_prefixes(zx_handle_t h, uint32_t topic)
{
    size_t all = 0, actual = 0, avail = 0;
    EXPECT_OK(t_get_info(h, topic, NULL, 0, &actual, &all));
    ck_assert_uint_eq(actual, 0);
    zx_info_maps_t *full = g_new0(zx_info_maps_t, all + 1);
    zx_info_maps_t *part = g_new0(zx_info_maps_t, all + 1);
    EXPECT_OK(t_get_info(h, topic, full, (all + 1) * sizeof *full, &actual, &avail));
    ck_assert_uint_eq(actual, all);
    ck_assert_uint_eq(avail, all);
    for (size_t n = 0; n <= all; n++) {
        memset(part, 0xAB, (all + 1) * sizeof *part);
        EXPECT_OK(t_get_info(h, topic, part, n * sizeof *part, &actual, &avail));
        ck_assert_uint_eq(actual, n);
        ck_assert_uint_eq(avail, all);
        for (size_t i = 0; i < n; i++)
            same_record(&part[i], &full[i]);
        ck_assert_uint_eq(((uint8_t *)&part[n])[0], 0xAB);
    }
    g_free(full);
    g_free(part);
}

START_TEST(maps_short_buffers_are_prefixes)
{
    gva base;
    zx_handle_t arena = arena_(SLOTS * P_SZ, &base);
    zx_handle_t vmo = mkvmo_(8 * P_SZ, 0);
    gva a, b;
    /* A mapping of 8 pages in the root VMAR with every other page
     * read-only (8 runs), split by an unmap in the middle, and one of 4
     * pages in the sub-VMAR with 3 runs, then a nested sub-VMAR. */
    EXPECT_OK(t_vmar_map(ROOT, RW, 0, vmo, 0, 8 * P_SZ, &a));
    for (int i = 0; i < 8; i += 2)
        EXPECT_OK(t_vmar_protect(ROOT, ZX_VM_PERM_READ, a + (uint64_t)i * P_SZ, P_SZ));
    EXPECT_OK(t_vmar_unmap(ROOT, a + 3 * P_SZ, P_SZ));
    EXPECT_OK(t_vmar_map(arena, RW | ZX_VM_SPECIFIC, 4 * P_SZ, vmo, 0, 4 * P_SZ, &b));
    EXPECT_OK(t_vmar_protect(arena, ZX_VM_PERM_READ, b + P_SZ, P_SZ));
    zx_handle_t inner;
    gva inner_base;
    EXPECT_OK(t_vmar_allocate(arena, ZX_VM_CAN_MAP_READ | ZX_VM_SPECIFIC, 10 * P_SZ, 2 * P_SZ,
                              &inner, &inner_base));
    size_t root_records = 0, arena_records = 0;
    EXPECT_OK(t_get_info(arena, ZX_INFO_VMAR_MAPS, NULL, 0, NULL, &arena_records));
    /* The arena, its mapping's 3 runs, the inner VMAR. */
    ck_assert_uint_eq(arena_records, 5);
    EXPECT_OK(t_get_info(ROOT, ZX_INFO_VMAR_MAPS, NULL, 0, NULL, &root_records));
    check_prefixes(SELF, ZX_INFO_PROCESS_MAPS);
    check_prefixes(ROOT, ZX_INFO_VMAR_MAPS);
    check_prefixes(arena, ZX_INFO_VMAR_MAPS);
    /* Merging back and destroying give the counts back. */
    EXPECT_OK(t_vmar_protect(ROOT, RW, a, 3 * P_SZ));
    EXPECT_OK(t_vmar_destroy(arena));
    size_t now = 0;
    EXPECT_OK(t_get_info(ROOT, ZX_INFO_VMAR_MAPS, NULL, 0, NULL, &now));
    ck_assert_uint_eq(now, root_records - arena_records - 2);
    EXPECT_ST(t_get_info(arena, ZX_INFO_VMAR_MAPS, NULL, 0, NULL, &now), ZX_ERR_BAD_STATE);
    check_prefixes(ROOT, ZX_INFO_VMAR_MAPS);
    EXPECT_OK(t_vmar_unmap(ROOT, a, 8 * P_SZ));
    EXPECT_OK(t_handle_close(inner));
    EXPECT_OK(t_handle_close(arena));
    EXPECT_OK(t_handle_close(vmo));
}
END_TEST

/* The same for ZX_INFO_PROCESS_VMOS: VMO handles oldest first (a closed
 * one drops out), then the mappings. */
START_TEST(vmos_short_buffers_are_prefixes)
{
    zx_handle_t v[4];
    for (int i = 0; i < 4; i++)
        v[i] = mkvmo_((uint64_t)(i + 1) * P_SZ, 0);
    EXPECT_OK(t_handle_close(v[1]));
    gva a;
    EXPECT_OK(t_vmar_map(ROOT, RW, 0, v[3], 0, 2 * P_SZ, &a));
    EXPECT_OK(t_vmar_unmap(ROOT, a + P_SZ, P_SZ));
    size_t all = 0, actual = 0, avail = 0;
    EXPECT_OK(t_get_info(SELF, ZX_INFO_PROCESS_VMOS, NULL, 0, &actual, &all));
    zx_info_vmo_t *full = g_new0(zx_info_vmo_t, all + 1);
    zx_info_vmo_t *part = g_new0(zx_info_vmo_t, all + 1);
    EXPECT_OK(
        t_get_info(SELF, ZX_INFO_PROCESS_VMOS, full, (all + 1) * sizeof *full, &actual, &avail));
    ck_assert_uint_eq(actual, all);
    ck_assert_uint_eq(avail, all);
    /* The VMO handles in creation order, v[1] gone, then v[3]'s mapping
     * last among the mappings of its address. */
    size_t at = 0;
    while (at < all && full[at].koid != koid_of(v[0]))
        at++;
    ck_assert_uint_lt(at + 2, all);
    ck_assert_uint_eq(full[at + 1].koid, koid_of(v[2]));
    ck_assert_uint_eq(full[at + 2].koid, koid_of(v[3]));
    ck_assert_uint_eq(full[at + 2].flags & ZX_INFO_VMO_VIA_HANDLE, ZX_INFO_VMO_VIA_HANDLE);
    for (size_t n = 0; n <= all; n++) {
        memset(part, 0xAB, (all + 1) * sizeof *part);
        EXPECT_OK(t_get_info(SELF, ZX_INFO_PROCESS_VMOS, part, n * sizeof *part, &actual, &avail));
        ck_assert_uint_eq(actual, n);
        ck_assert_uint_eq(avail, all);
        for (size_t i = 0; i < n; i++) {
            ck_assert_uint_eq(part[i].koid, full[i].koid);
            ck_assert_uint_eq(part[i].flags, full[i].flags);
            ck_assert_uint_eq(part[i].size_bytes, full[i].size_bytes);
        }
        ck_assert_uint_eq(((uint8_t *)&part[n])[0], 0xAB);
    }
    g_free(full);
    g_free(part);
    EXPECT_OK(t_vmar_unmap(ROOT, a, P_SZ));
    for (int i = 0; i < 4; i++)
        if (i != 1)
            EXPECT_OK(t_handle_close(v[i]));
}
END_TEST

static bool valid(zx_handle_t h)
{
    return t_get_info(h, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL) == ZX_OK;
}

/* A closed handle's slot is reused at once, under a new value; the old
 * value, and every value that differs from a live one, stays bad. */
START_TEST(handle_values_stale_and_forged)
{
    zx_handle_t vmo = mkvmo_(P_SZ, 0);
    zx_handle_t first = hdup_(vmo, ZX_RIGHT_SAME_RIGHTS);
    EXPECT_OK(t_handle_close(first));
    GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_hash_table_add(seen, GUINT_TO_POINTER(first));
    for (int i = 0; i < 1000; i++) {
        zx_handle_t h = hdup_(vmo, ZX_RIGHT_SAME_RIGHTS);
        ck_assert_uint_eq(h & ZX_HANDLE_FIXED_BITS_MASK, ZX_HANDLE_FIXED_BITS_MASK);
        ck_assert_msg(!g_hash_table_contains(seen, GUINT_TO_POINTER(h)), "value %#x again", h);
        g_hash_table_add(seen, GUINT_TO_POINTER(h));
        ck_assert(!valid(first));
        ck_assert(valid(h));
        EXPECT_ST(t_handle_close(h & ~1u), ZX_ERR_BAD_HANDLE);
        EXPECT_ST(t_handle_close(h & ~2u), ZX_ERR_BAD_HANDLE);
        for (int bit = 2; bit < 32; bit++)
            ck_assert(!valid(h ^ (1u << bit)) || (h ^ (1u << bit)) == vmo);
        EXPECT_OK(t_handle_close(h));
        EXPECT_ST(t_handle_close(h), ZX_ERR_BAD_HANDLE);
    }
    g_hash_table_destroy(seen);
    /* The per-type counts kept for ZX_INFO_PROCESS_HANDLE_STATS agree with
     * a count over every handle. */
    zx_handle_t more = hdup_(vmo, ZX_RIGHT_SAME_RIGHTS);
    zx_info_process_handle_stats_t stats;
    EXPECT_OK(t_get_info(SELF, ZX_INFO_PROCESS_HANDLE_STATS, &stats, sizeof stats, NULL, NULL));
    uint32_t want[ZX_OBJ_TYPE_UPPER_BOUND] = {0};
    GPtrArray *all = vm_handle_table_list(&P->handles);
    for (guint i = 0; i < all->len; i++)
        want[((vm_handle *)g_ptr_array_index(all, i))->obj->type]++;
    g_ptr_array_free(all, TRUE);
    ck_assert_uint_ge(want[ZX_OBJ_TYPE_VMO], 2);
    for (int type = 0; type < (int)ZX_OBJ_TYPE_UPPER_BOUND; type++)
        ck_assert_uint_eq(stats.handle_count[type], want[type]);
    EXPECT_OK(t_handle_close(more));
    EXPECT_OK(t_handle_close(vmo));
}
END_TEST

/* A table of its own: the VMO handles in creation order, whichever end or
 * middle one closes. */
START_TEST(vmo_handles_in_creation_order)
{
    zx_handle_t vmo = mkvmo_(P_SZ, 0);
    vm_handle_table t;
    vm_handle_table_init(&t, 12345);
    vm_object *obj = &host_vmo(vmo)->obj;
    zx_handle_t h[5];
    for (int i = 0; i < 5; i++) {
        h[i] = vm_handle_install(&t, obj, (zx_rights_t)i);
        if (i == 2) /* not a VMO: not on the list */
            vm_handle_install(&t, &P->obj, 0);
    }
    EXPECT_OK(vm_handle_close(&t, h[0]));
    EXPECT_OK(vm_handle_close(&t, h[4]));
    EXPECT_OK(vm_handle_close(&t, h[2]));
    zx_rights_t want[] = {1, 3};
    size_t n = 0;
    for (vm_handle *x = vm_handle_first_vmo(&t); x; x = vm_handle_next_vmo(&t, x)) {
        ck_assert_uint_lt(n, 2);
        ck_assert_uint_eq(x->rights, want[n++]);
    }
    ck_assert_uint_eq(n, 2);
    EXPECT_OK(vm_handle_close(&t, h[1]));
    EXPECT_OK(vm_handle_close(&t, h[3]));
    ck_assert_ptr_null(vm_handle_first_vmo(&t));
    h[0] = vm_handle_install(&t, obj, 7);
    ck_assert_uint_eq(vm_handle_first_vmo(&t)->rights, 7);
    vm_handle_table_clear(&t);
    EXPECT_OK(t_handle_close(vmo));
}
END_TEST

/* One handle beyond VM_HANDLE_MAX is refused with NO_MEMORY and leaves
 * nothing behind; closing one makes room again. */
START_TEST(handle_limit_is_no_memory)
{
    zx_handle_t vmo = mkvmo_(P_SZ, 0);
    vm_handle *hd;
    EXPECT_OK(vm_handle_get(&P->handles, vmo, ZX_OBJ_TYPE_VMO, 0, &hd));
    vm_object *obj = hd->obj;
    uint32_t start = vm_handle_count(&P->handles);
    size_t children = vm_vmar_child_count(P->aspace->root);
    zx_handle_t last = ZX_HANDLE_INVALID;
    for (uint32_t n = start; n < VM_HANDLE_MAX; n++) {
        last = vm_handle_install(&P->handles, obj, ZX_DEFAULT_VMO_RIGHTS);
        ck_assert_uint_ne(last, ZX_HANDLE_INVALID);
    }
    ck_assert_uint_eq(vm_handle_install(&P->handles, obj, 0), ZX_HANDLE_INVALID);
    zx_handle_t out = 0;
    EXPECT_ST(t_handle_duplicate(vmo, ZX_RIGHT_SAME_RIGHTS, &out), ZX_ERR_NO_MEMORY);
    gva addr;
    EXPECT_ST(t_vmar_allocate(ROOT, ZX_VM_CAN_MAP_READ, 0, P_SZ, &out, &addr), ZX_ERR_NO_MEMORY);
    EXPECT_ST(t_vmo_create(P_SZ, 0, &out), ZX_ERR_NO_MEMORY);
    ck_assert_uint_eq(vm_handle_count(&P->handles), VM_HANDLE_MAX);
    ck_assert_uint_eq(vm_vmar_child_count(P->aspace->root), children);
    EXPECT_OK(t_handle_close(last));
    EXPECT_OK(t_handle_duplicate(vmo, ZX_RIGHT_SAME_RIGHTS, &out));
    ck_assert_uint_ne(out, last);
    GPtrArray *all = vm_handle_table_list(&P->handles);
    for (guint i = 0; i < all->len; i++) {
        vm_handle *h = g_ptr_array_index(all, i);
        if (h->obj == obj && h->value != vmo)
            EXPECT_OK(vm_handle_close(&P->handles, h->value));
    }
    g_ptr_array_free(all, TRUE);
    ck_assert_uint_eq(vm_handle_count(&P->handles), start);
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
    tc = h_tcase("records");
    ADD(tc, maps_short_buffers_are_prefixes);
    ADD(tc, vmos_short_buffers_are_prefixes);
    suite_add_tcase(s, tc);
    tc = h_tcase("handles");
    ADD(tc, handle_values_stale_and_forged);
    ADD(tc, handle_limit_is_no_memory);
    ADD(tc, vmo_handles_in_creation_order);
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
