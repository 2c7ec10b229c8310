/* Port of Zircon's core VMO signal tests
 * (zircon/system/utest/core/vmo/vmo-signal.cc, VmoSignalTestCase) to a zxsim
 * guest: vmo_signal.<UpstreamName>.
 *
 * Upstream waits either forever (for a signal that is expected to be
 * asserted already) or until a deadline 2 ns away (for one that is expected
 * to stay clear). zxsim has one thread, so nothing can raise a signal during
 * a wait: a wait with a deadline in the past asks the same question without
 * blocking (signaled() in conf.h), and one that expects a clear signal sees
 * ZX_ERR_TIMED_OUT exactly as upstream's short wait does.
 *
 * zx_object_signal does not exist in zxsim (no user signals can be raised),
 * so SignalSanity keeps only the checks made before the upstream test
 * raises ZX_USER_SIGNAL_0. */
#include "core_vmo_helpers.h"

CASE(vmo_signal, SignalSanity)
{
    zx_handle_t vmo = ZX_HANDLE_INVALID;
    ASSERT_OK(zx_vmo_create(4096, 0, &vmo));
    track(vmo);
    ASSERT_NE(vmo, ZX_HANDLE_INVALID);

    /* ZX_USER_SIGNAL_0 is not asserted: the wait times out, and reports
     * what is asserted: only ZX_VMO_ZERO_CHILDREN. */
    zx_signals_t observed = 0;
    ASSERT_STATUS(zx_object_wait_one(vmo, ZX_USER_SIGNAL_0, 0, &observed), ZX_ERR_TIMED_OUT);
    ASSERT_EQ(observed, ZX_VMO_ZERO_CHILDREN);
    /* (Upstream then raises ZX_USER_SIGNAL_0 with zx_object_signal and waits
     * for it: not available in zxsim.) */
    ASSERT_OK(zx_handle_close(vmo));
}

/* The wait a VMO with no children passes at once: ZX_OK, ZERO_CHILDREN
 * observed. */
#define ASSERT_NO_CHILDREN(h) ASSERT_TRUE(signaled(h, ZX_VMO_ZERO_CHILDREN))
/* The wait a VMO with children fails: TIMED_OUT, ZERO_CHILDREN clear. */
#define ASSERT_HAS_CHILDREN(h) ASSERT_FALSE(signaled(h, ZX_VMO_ZERO_CHILDREN))

CASE(vmo_signal, ChildSignalClone)
{
    zx_handle_t vmo = vmo_create(4096u * 2, 0);

    for (int i = 0; i != 10; ++i) {
        ASSERT_NO_CHILDREN(vmo);

        zx_handle_t clone = child(vmo, ZX_VMO_CHILD_COPY_ON_WRITE, 0, 4096u);
        ASSERT_NO_CHILDREN(clone);
        ASSERT_HAS_CHILDREN(vmo);

        zx_handle_t clone2 = child(clone, ZX_VMO_CHILD_COPY_ON_WRITE, 0, 4096u);
        ASSERT_NO_CHILDREN(clone2);
        ASSERT_HAS_CHILDREN(clone);
        ASSERT_HAS_CHILDREN(vmo);

        /* The grandchild alone keeps the signal clear on the original. */
        ASSERT_OK(zx_handle_close(clone));
        ASSERT_HAS_CHILDREN(vmo);
        ASSERT_NO_CHILDREN(clone2);

        ASSERT_OK(zx_handle_close(clone2));
    }
    ASSERT_OK(zx_handle_close(vmo));
}

CASE(vmo_signal, ChildSignalMap)
{
    zx_handle_t vmo = vmo_create(4096u * 2, 0);

    for (int i = 0; i != 10; ++i) {
        ASSERT_NO_CHILDREN(vmo);

        zx_handle_t clone = child(vmo, ZX_VMO_CHILD_COPY_ON_WRITE, 0, 4096u);
        zx_vaddr_t addr = map(ROOT, RW, 0, clone, 0, 4096u);
        ASSERT_HAS_CHILDREN(vmo);

        /* A mapping keeps the child alive after its last handle closes. */
        ASSERT_OK(zx_handle_close(clone));
        ASSERT_HAS_CHILDREN(vmo);

        /* Unmapping it destroys the child: the loop's first check sees the
         * signal again. */
        ASSERT_TRUE(unmap_now(ROOT, addr, 4096u));
    }
    ASSERT_OK(zx_handle_close(vmo));
}
