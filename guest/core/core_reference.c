/* Zircon's core tests of reference children (ZX_VMO_CHILD_REFERENCE),
 * re-expressed as a zxsim guest. The upstream file is
 * zircon/system/utest/core/vmo/vmo-reference.cc in the newer
 * misttech/fuchsia mirror (the older copy the other ports come from has no
 * references yet); each case is named "VmoReference.Test" after the test it
 * checks.
 *
 * A reference is a second VMO object that aliases all of its parent: reads,
 * writes, decommits and size changes through either one are seen by the
 * other, but the reference owns no pages and is never a copy-on-write
 * clone (docs/semantics.md "References").
 *
 * Adaptations:
 *   - Upstream waits forever for ZX_VMO_ZERO_CHILDREN once the reference is
 *     closed. One thread here: nothing could raise the signal later, so the
 *     same question is asked with a deadline in the past (signaled()).
 *   - UnsupportedResize: upstream expects ZX_ERR_ACCESS_DENIED for a
 *     resizable reference of a fixed-size VMO (the parent handle has no
 *     RESIZE right). zxsim follows the current kernel: a resizable
 *     reference needs only DUPLICATE|READ on the parent handle, and a
 *     resizable reference of a fixed-size VMO is refused with
 *     ZX_ERR_NOT_SUPPORTED (docs/semantics.md "Child check order", step 6) (which is also what the
 * kernel's sys_vmo_create_child and VmObjectPaged::CreateChildReference do). The case follows the
 * kernel, and adds the step that shows the rule: a resizable reference made through a handle
 * without RESIZE to a resizable VMO.
 *   - UnsupportedResize, again: zx_vmo_set_size through a reference made
 *     without ZX_VMO_CHILD_RESIZABLE is ZX_ERR_ACCESS_DENIED upstream. The
 *     kernel agrees (a reference inherits resizability from its parent, in
 *     VmObjectPaged::CreateChildReference, so sys_vmo_set_size finds a
 *     resizable VMO and a handle without RESIZE), although a list of
 *     non-resizable children could be read to include such a reference
 *     (docs/semantics.md "References": resizable exactly when its parent is). The case keeps the
 * kernel's status.
 *
 * Left out: ChildSnapshotAtLeastOnWrite and UnsupportedChild (they need a
 * pager-backed parent) and Streams (zx_stream_* are not supported). */
#include "../conformance/conf.h"

#define REF ZX_VMO_CHILD_REFERENCE

/* Writes one byte. */
#define put8(h, value, offset) core_put8(__FILE__, __LINE__, (h), (value), (offset))
static void core_put8(const char *file, int line, zx_handle_t h, uint8_t value, uint64_t offset)
{
    if (!conf_check_status(file, line, "zx_vmo_write()", zx_vmo_write(h, &value, offset, 1), ZX_OK))
        conf_abort_case();
}

/* Checks one byte. */
#define EXPECT_BYTE(h, offset, want) EXPECT_EQ(vmo_byte((h), (offset)), (want))

/* A one-page VMO whose first byte is 0xaa. */
static zx_handle_t page_holding_aa(void)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    put8(vmo, 0xaa, 0);
    return vmo;
}

/* A read/write mapping of the first page of a VMO. */
static volatile uint8_t *map_page(zx_handle_t vmo)
{
    return (volatile uint8_t *)map(ROOT, RW, 0, vmo, 0, PAGE);
}

CASE(VmoReference, Write)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t ref = child(vmo, REF, 0, 0);

    /* Each side sees what the other writes. */
    put8(vmo, 0xaa, 0);
    EXPECT_BYTE(ref, 0, 0xaa);
    put8(ref, 0xbb, 0);
    EXPECT_BYTE(vmo, 0, 0xbb);
}

CASE(VmoReference, ZeroChildren)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    EXPECT_TRUE(signaled(vmo, ZX_VMO_ZERO_CHILDREN));

    /* A reference is a child: the signal drops at once... */
    zx_handle_t ref = ZX_HANDLE_INVALID;
    ASSERT_OK(zx_vmo_create_child(vmo, REF, 0, 0, &ref));
    track(ref);
    EXPECT_FALSE(signaled(vmo, ZX_VMO_ZERO_CHILDREN));

    /* ...and comes back when it is closed. */
    EXPECT_OK(zx_handle_close(ref));
    EXPECT_TRUE(signaled(vmo, ZX_VMO_ZERO_CHILDREN));
}

CASE(VmoReference, ChildSnapshot)
{
    zx_handle_t vmo = page_holding_aa();
    zx_handle_t ref = child(vmo, REF, 0, 0);
    zx_handle_t snap = child(ref, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);

    /* The snapshot's parent is the reference... */
    EXPECT_EQ(vmo_info(snap).parent_koid, vmo_info(ref).koid);

    /* ...and it behaves as a snapshot of the root VMO. */
    EXPECT_BYTE(snap, 0, 0xaa);
    put8(vmo, 0xbb, 0);
    EXPECT_BYTE(snap, 0, 0xaa);
    put8(snap, 0xcc, 0);
    EXPECT_BYTE(vmo, 0, 0xbb);
    EXPECT_BYTE(ref, 0, 0xbb);
    EXPECT_BYTE(snap, 0, 0xcc);
}

CASE(VmoReference, ChildSlice)
{
    zx_handle_t vmo = page_holding_aa();
    zx_handle_t ref = child(vmo, REF, 0, 0);
    zx_handle_t slice = child(ref, ZX_VMO_CHILD_SLICE, 0, PAGE);

    EXPECT_EQ(vmo_info(slice).parent_koid, vmo_info(ref).koid);

    /* A slice of the reference is a window onto the root VMO. */
    EXPECT_BYTE(slice, 0, 0xaa);
    put8(vmo, 0xbb, 0);
    EXPECT_BYTE(slice, 0, 0xbb);
    put8(slice, 0xcc, 0);
    EXPECT_BYTE(vmo, 0, 0xcc);
    EXPECT_BYTE(ref, 0, 0xcc);
    EXPECT_BYTE(slice, 0, 0xcc);
}

CASE(VmoReference, NestedChild)
{
    zx_handle_t vmo = page_holding_aa();
    zx_handle_t ref = child(vmo, REF, 0, 0);

    /* A reference of the reference, and one of that. */
    zx_handle_t ref1 = child(ref, REF, 0, 0);
    EXPECT_EQ(vmo_info(ref1).parent_koid, vmo_info(ref).koid);
    zx_handle_t ref2 = child(ref1, REF, 0, 0);
    EXPECT_EQ(vmo_info(ref2).parent_koid, vmo_info(ref1).koid);

    /* All of them alias the root. */
    EXPECT_BYTE(ref1, 0, 0xaa);
    EXPECT_BYTE(ref2, 0, 0xaa);
    put8(vmo, 0xbb, 0);
    EXPECT_BYTE(ref1, 0, 0xbb);
    EXPECT_BYTE(ref2, 0, 0xbb);
    put8(ref2, 0xcc, 0);
    EXPECT_BYTE(vmo, 0, 0xcc);
    EXPECT_BYTE(ref, 0, 0xcc);
    EXPECT_BYTE(ref1, 0, 0xcc);
}

CASE(VmoReference, MappingUpdate)
{
    zx_handle_t vmo = page_holding_aa();
    zx_handle_t ref = child(vmo, REF, 0, 0);
    volatile uint8_t *p = map_page(ref);

    EXPECT_EQ(*p, 0xaa);
    put8(ref, 0xbb, 0);
    EXPECT_EQ(*p, 0xbb);

    /* Decommitting through the reference frees the root's page: neither
     * VMO has it afterwards, and the mapping shows zero. */
    ASSERT_OK(zx_vmo_op_range(ref, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0));
    EXPECT_EQ(vmo_info(ref).populated_bytes, 0);
    EXPECT_EQ(vmo_info(vmo).populated_bytes, 0);
    EXPECT_EQ(*p, 0);
}

CASE(VmoReference, AttributedCounts)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t ref = child(vmo, REF, 0, 0);
    put8(vmo, 0xaa, 0);

    /* The page belongs to the root; the reference only sees it. */
    EXPECT_EQ(vmo_info(ref).populated_bytes, 0);
    EXPECT_EQ(vmo_info(vmo).populated_bytes, PAGE);
    EXPECT_BYTE(ref, 0, 0xaa);

    /* With the root's handle gone the page is still not the reference's,
     * yet it can still be read through it. */
    EXPECT_OK(zx_handle_close(vmo));
    EXPECT_EQ(vmo_info(ref).populated_bytes, 0);
    EXPECT_BYTE(ref, 0, 0xaa);
}

/* The VMO size and the content size of a VMO. */
#define EXPECT_SIZES(h, size, content)                                                             \
    do {                                                                                           \
        EXPECT_EQ(vmo_size(h), (size));                                                            \
        EXPECT_EQ(content_size(h), (content));                                                     \
    } while (0)

CASE(VmoReference, Resize)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, ZX_VMO_RESIZABLE);
    zx_handle_t ref = child(vmo, REF | ZX_VMO_CHILD_RESIZABLE, 0, 0);

    /* Resizing the parent: the reference has the same two sizes. */
    const uint64_t vmo_content = 2 * PAGE - sizeof(uint64_t);
    ASSERT_OK(zx_vmo_set_size(vmo, vmo_content));
    EXPECT_SIZES(vmo, 2 * PAGE, vmo_content);
    EXPECT_SIZES(ref, 2 * PAGE, vmo_content);

    /* Resizing the reference resizes the parent. */
    const uint64_t ref_content = 3 * PAGE - sizeof(uint64_t);
    ASSERT_OK(zx_vmo_set_size(ref, ref_content));
    EXPECT_SIZES(ref, 3 * PAGE, ref_content);
    EXPECT_SIZES(vmo, 3 * PAGE, ref_content);
}

CASE(VmoReference, UnsupportedResize)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, ZX_VMO_RESIZABLE);
    zx_handle_t ref = child(vmo, REF, 0, 0);

    /* A reference made without CHILD_RESIZABLE has no RESIZE right. The
     * reference itself is resizable, since it inherits that from its
     * parent, so the missing right is what refuses the resize:
     * ZX_ERR_ACCESS_DENIED, not ZX_ERR_UNAVAILABLE. */
    EXPECT_EQ(rights_of(ref) & ZX_RIGHT_RESIZE, 0);
    EXPECT_STATUS(zx_vmo_set_size(ref, PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_EQ(vmo_size(vmo), 4 * PAGE);

    /* It still follows the parent's size. */
    const uint64_t content = 2 * PAGE - sizeof(uint64_t);
    ASSERT_OK(zx_vmo_set_size(vmo, content));
    EXPECT_SIZES(vmo, 2 * PAGE, content);
    EXPECT_SIZES(ref, 2 * PAGE, content);

    /* A resizable reference of a fixed-size VMO is refused. Upstream:
     * ZX_ERR_ACCESS_DENIED; the current kernel: ZX_ERR_NOT_SUPPORTED. */
    zx_handle_t fixed = vmo_create(4 * PAGE, 0);
    zx_handle_t out = ZX_HANDLE_INVALID;
    EXPECT_STATUS(zx_vmo_create_child(fixed, REF | ZX_VMO_CHILD_RESIZABLE, 0, 0, &out),
                  ZX_ERR_NOT_SUPPORTED);
    track(out);

    /* A plain reference of it is fine, and neither can be resized. */
    zx_handle_t fixed_ref = child(fixed, REF, 0, 0);
    EXPECT_STATUS(zx_vmo_set_size(fixed, PAGE), ZX_ERR_UNAVAILABLE);
    EXPECT_STATUS(zx_vmo_set_size(fixed_ref, PAGE), ZX_ERR_UNAVAILABLE);

    /* (Not upstream; docs/semantics.md "Choices":) a resizable reference needs no
     * RESIZE right on the parent handle, only DUPLICATE and READ, and its
     * own handle gets RESIZE. */
    zx_handle_t minimal = dup(vmo, ZX_RIGHT_DUPLICATE | ZX_RIGHT_READ);
    zx_handle_t minimal_ref = child(minimal, REF | ZX_VMO_CHILD_RESIZABLE, 0, 0);
    EXPECT_EQ(rights_of(minimal_ref) & ZX_RIGHT_RESIZE, ZX_RIGHT_RESIZE);
    /* Resizing through it still needs WRITE, which that handle lacks. */
    EXPECT_STATUS(zx_vmo_set_size(minimal_ref, 3 * PAGE), ZX_ERR_ACCESS_DENIED);
    zx_handle_t no_resize = dup(vmo, rights_of(vmo) & ~ZX_RIGHT_RESIZE);
    zx_handle_t resizable_ref = child(no_resize, REF | ZX_VMO_CHILD_RESIZABLE, 0, 0);
    EXPECT_EQ(rights_of(resizable_ref) & ZX_RIGHT_RESIZE, ZX_RIGHT_RESIZE);
    EXPECT_OK(zx_vmo_set_size(resizable_ref, 3 * PAGE));
    EXPECT_EQ(vmo_size(vmo), 3 * PAGE);
}

CASE(VmoReference, MappingUpdateAfterDroppingRef)
{
    zx_handle_t vmo = page_holding_aa();
    zx_handle_t ref = child(vmo, REF, 0, 0);
    volatile uint8_t *p = map_page(vmo);

    EXPECT_EQ(*p, 0xaa);
    put8(ref, 0xbb, 0);
    EXPECT_EQ(*p, 0xbb);

    /* The reference goes; a decommit of the root still reaches the
     * mapping. */
    EXPECT_OK(zx_handle_close(ref));
    ASSERT_OK(zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0));
    EXPECT_EQ(vmo_info(vmo).populated_bytes, 0);
    EXPECT_EQ(*p, 0);
}

CASE(VmoReference, MappingUpdateAfterDroppingParent)
{
    zx_handle_t vmo = page_holding_aa();
    zx_handle_t ref = child(vmo, REF, 0, 0);
    volatile uint8_t *p = map_page(ref);

    EXPECT_EQ(*p, 0xaa);
    put8(ref, 0xbb, 0);
    EXPECT_EQ(*p, 0xbb);

    /* The parent's handle goes; a decommit through the reference still
     * reaches the mapping. */
    EXPECT_OK(zx_handle_close(vmo));
    ASSERT_OK(zx_vmo_op_range(ref, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0));
    EXPECT_EQ(vmo_info(ref).populated_bytes, 0);
    EXPECT_EQ(*p, 0);
}

CASE(VmoReference, MappingUpdateNestedChildDestroy)
{
    zx_handle_t vmo = page_holding_aa();
    zx_handle_t ref = child(vmo, REF, 0, 0);
    zx_handle_t nested = child(ref, REF, 0, 0);
    volatile uint8_t *p = map_page(nested);

    EXPECT_EQ(*p, 0xaa);
    put8(vmo, 0xbb, 0);
    EXPECT_EQ(*p, 0xbb);

    /* The middle reference goes; the root's decommit still reaches the
     * mapping of the innermost one. */
    EXPECT_OK(zx_handle_close(ref));
    ASSERT_OK(zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0));
    EXPECT_EQ(vmo_info(vmo).populated_bytes, 0);
    EXPECT_EQ(*p, 0);
}

CASE(VmoReference, MappingUpdateNestedRootDestroy)
{
    zx_handle_t vmo = page_holding_aa();
    zx_handle_t ref1 = child(vmo, REF, 0, 0);
    zx_handle_t ref2 = child(vmo, REF, 0, 0);
    zx_handle_t nested = child(ref1, REF, 0, 0);
    volatile uint8_t *p[3] = {map_page(ref1), map_page(ref2), map_page(nested)};

    for (int i = 0; i < 3; i++)
        EXPECT_EQ(*p[i], 0xaa);
    put8(vmo, 0xbb, 0);
    for (int i = 0; i < 3; i++)
        EXPECT_EQ(*p[i], 0xbb);

    /* The root's handle goes; decommitting through the innermost
     * reference empties the page under all three mappings. */
    EXPECT_OK(zx_handle_close(vmo));
    ASSERT_OK(zx_vmo_op_range(nested, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0));
    EXPECT_EQ(vmo_info(nested).populated_bytes, 0);
    for (int i = 0; i < 3; i++)
        EXPECT_EQ(*p[i], 0);
}

CASE(VmoReference, GetInfo)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t ref = child(vmo, REF, 0, 0);
    zx_info_vmo_t parent = vmo_info(vmo);
    zx_info_vmo_t info = vmo_info(ref);
    EXPECT_EQ(info.parent_koid, parent.koid);
    EXPECT_EQ(info.flags & ZX_INFO_VMO_IS_COW_CLONE, 0);
}
