/* Zircon's core tests of closing and replacing handles, re-expressed as a
 * zxsim guest. Each case is named "Suite.Test" after the upstream test:
 *
 *   HandleCloseTest.*  zircon/system/utest/core/handle-close/handle-close.cc
 *                      (misttech/fuchsia mirror)
 *   HandleDup.*        zircon/system/utest/core/handle-dup/handle-dup.cc
 *                      (only its build file is stored in the misttech mirror;
 *                      the test itself was read in the gnoliyil/fuchsia one)
 *
 * Adaptations (zxsim has no event pairs or events):
 *   - Upstream closes one end of several event pairs and then sees
 *     ZX_EVENTPAIR_PEER_CLOSED on each other end. Here each closed handle is
 *     the only handle to a snapshot child of a VMO of its own: closing it
 *     destroys the child, and the parent then shows ZX_VMO_ZERO_CHILDREN
 *     again. The closed handle values themselves must no longer be valid
 *     (ZX_INFO_HANDLE_VALID gives ZX_ERR_BAD_HANDLE).
 *   - HandleDup uses a VMO where upstream uses an event. */
#include "../conformance/conf.h"

/* ZX_CHANNEL_MAX_MSG_HANDLES: the batch size upstream's regression test is
 * built around. */
#define MAX_MSG_HANDLES 64

/* A parent VMO with one snapshot child; the child's handle is returned in
 * *child and closed by the case itself. */
static zx_handle_t parent_with_child(zx_handle_t *child_out)
{
    zx_handle_t parent = vmo_create(PAGE, 0);
    zx_handle_t c = ZX_HANDLE_INVALID;
    ASSERT_OK(zx_vmo_create_child(parent, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &c));
    /* Tracked too, so that a failed close leaves nothing behind. */
    track(c);
    *child_out = c;
    return parent;
}

/* The child behind `child` is gone: its handle is dead and its parent has
 * no children left. */
#define EXPECT_CLOSED(parent, child) core_expect_closed(__FILE__, __LINE__, (parent), (child))
static bool core_expect_closed(const char *file, int line, zx_handle_t parent, zx_handle_t child)
{
    bool ok = conf_check_status(
        file, line, "zx_object_get_info(child, ZX_INFO_HANDLE_VALID)",
        zx_object_get_info(child, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL), ZX_ERR_BAD_HANDLE);
    ok &= conf_check_true(file, line, "parent has ZX_VMO_ZERO_CHILDREN",
                          conf_signaled(file, line, parent, ZX_VMO_ZERO_CHILDREN), true);
    return ok;
}

#define PAIRS 4

CASE(HandleCloseTest, Many)
{
    zx_handle_t parents[PAIRS], handles[PAIRS];
    for (int i = 0; i < PAIRS; i++)
        parents[i] = parent_with_child(&handles[i]);
    ASSERT_OK(zx_handle_close_many(handles, PAIRS));
    for (int i = 0; i < PAIRS; i++)
        EXPECT_CLOSED(parents[i], handles[i]);
}

CASE(HandleCloseTest, ManyInvalidHandlesShouldNotFail)
{
    /* Four live handles followed by two ZX_HANDLE_INVALID entries, which
     * are skipped without error. */
    zx_handle_t parents[PAIRS], handles[PAIRS + 2];
    for (int i = 0; i < PAIRS; i++)
        parents[i] = parent_with_child(&handles[i]);
    handles[PAIRS] = handles[PAIRS + 1] = ZX_HANDLE_INVALID;
    ASSERT_OK(zx_handle_close_many(handles, PAIRS + 2));
    for (int i = 0; i < PAIRS; i++)
        EXPECT_CLOSED(parents[i], handles[i]);
}

CASE(HandleCloseTest, ManyDuplicateTest)
{
    /* Layout: 0 1 0 1 2 3. The second 0 and 1 are already closed when they
     * are reached: the call reports ZX_ERR_BAD_HANDLE, yet every handle is
     * closed. */
    zx_handle_t parents[PAIRS], handles[PAIRS + 2];
    for (int i = 0; i < PAIRS; i++)
        parents[i] = parent_with_child(&handles[i + 2]);
    handles[0] = handles[2];
    handles[1] = handles[3];
    EXPECT_STATUS(zx_handle_close_many(handles, PAIRS + 2), ZX_ERR_BAD_HANDLE);
    for (int i = 0; i < PAIRS; i++)
        EXPECT_CLOSED(parents[i], handles[i + 2]);
}

CASE(HandleCloseTest, RegressionTest_479281267)
{
    /* One bad value first, then enough good handles that a kernel closing
     * in batches of MAX_MSG_HANDLES needs a second batch: the error from the
     * first batch must still be reported, and every good handle closed. A
     * value with bit 0 clear can never name a handle (docs/semantics.md "Handles"). */
    static zx_handle_t parents[MAX_MSG_HANDLES], handles[MAX_MSG_HANDLES + 1];
    handles[0] = 0xbadc0ffe;
    for (int i = 0; i < MAX_MSG_HANDLES; i++)
        parents[i] = parent_with_child(&handles[i + 1]);
    EXPECT_STATUS(zx_handle_close_many(handles, MAX_MSG_HANDLES + 1), ZX_ERR_BAD_HANDLE);
    for (int i = 0; i < MAX_MSG_HANDLES; i++) {
        if (!EXPECT_CLOSED(parents[i], handles[i + 1]))
            break;
    }
}

CASE(HandleDup, ReplaceSuccessOrigInvalid)
{
    zx_handle_t orig = vmo_create(PAGE, 0);
    zx_handle_t replaced = ZX_HANDLE_INVALID;
    ASSERT_OK(zx_handle_replace(orig, ZX_RIGHTS_BASIC, &replaced));
    track(replaced);
    EXPECT_STATUS(zx_object_get_info(orig, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL),
                  ZX_ERR_BAD_HANDLE);
    EXPECT_NE(replaced, ZX_HANDLE_INVALID);
    EXPECT_OK(zx_object_get_info(replaced, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL));
    EXPECT_EQ(rights_of(replaced), ZX_RIGHTS_BASIC);
}

CASE(HandleDup, ReplaceFailureBothInvalid)
{
    /* A VMO handle has no EXECUTE to keep: the replace fails, and the
     * original handle is gone anyway; no new handle is written out. */
    zx_handle_t orig = vmo_create(PAGE, 0);
    zx_handle_t failed = ZX_HANDLE_INVALID;
    EXPECT_STATUS(zx_handle_replace(orig, ZX_RIGHT_EXECUTE, &failed), ZX_ERR_INVALID_ARGS);
    track(failed);
    EXPECT_STATUS(zx_object_get_info(orig, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL),
                  ZX_ERR_BAD_HANDLE);
    EXPECT_EQ(failed, ZX_HANDLE_INVALID);
}
