/* core_vmo_helpers.h: a few helpers shared by the ports of Zircon's core VMO tests
 * (guest/core/core_*.c), on top of the conformance framework.
 *
 * The ports keep the shape of the upstream tests: each case is named after
 * the upstream test it checks (group "VmoTestCase" as upstream, or
 * "vmo_zero", "vmo_signal", "vmo_slice"; name = the upstream test name),
 * it maps in the root VMAR as the upstream tests do, and where an upstream
 * test unmaps or closes something itself the port does the same, so that
 * the effect of doing it is part of what is checked. */
#pragma once

#include "../conformance/conf.h"

/* The first user signal; zxsim has no zx_object_signal, but a wait can
 * still ask for it and must report it as not asserted. */
#ifndef ZX_USER_SIGNAL_0
#define ZX_USER_SIGNAL_0 ((zx_signals_t)1u << 24)
#endif

/* Where kernel space starts (docs/semantics.md "Address space"): a user pointer there is treated
 * like an unmapped one. */
#if defined(__x86_64__)
#define CORE_KERNEL_BASE ((uint64_t)0xFFFFFF8000000000ull)
#else
#define CORE_KERNEL_BASE ((uint64_t)0xFFFF000000000000ull)
#endif

/* Unmaps a mapping made with map() and forgets it, so that the end-of-case
 * clean-up does not unmap that range a second time (by then something else
 * could live there). */
#define unmap_now(vmar, addr, len) core_unmap_now(__FILE__, __LINE__, (vmar), (addr), (len))
CONF_UNUSED static bool core_unmap_now(const char *file, int line, zx_handle_t vmar,
                                       zx_vaddr_t addr, size_t len)
{
    for (int i = 0; i < conf_nmaps; i++) {
        if (conf_maps[i].vmar == vmar && conf_maps[i].addr == addr)
            conf_maps[i].len = 0; /* the clean-up's unmap of length 0 is a no-op */
    }
    return conf_check_status(file, line, "zx_vmar_unmap()", zx_vmar_unmap(vmar, addr, len), ZX_OK);
}

/* Closes a tracked handle now and checks that the close worked. (Closing it
 * again at the end of the case is harmless.) */
#define close_now(h)                                                                               \
    conf_check_status(__FILE__, __LINE__, "zx_handle_close()", zx_handle_close(h), ZX_OK)

/* A 32-bit value stored at a VMO offset, written and checked with
 * zx_vmo_write / zx_vmo_read (the upstream helpers do the same). */
#define vmo_put32(h, value, offset) core_put32(__FILE__, __LINE__, (h), (value), (offset))
CONF_UNUSED static void core_put32(const char *file, int line, zx_handle_t h, uint32_t value,
                                   uint64_t offset)
{
    if (!conf_check_status(file, line, "zx_vmo_write()", zx_vmo_write(h, &value, offset, 4), ZX_OK))
        conf_abort_case();
}

#define EXPECT_VMO_U32(h, expected, offset)                                                        \
    core_check32(__FILE__, __LINE__, #h, (h), (expected), (offset))
CONF_UNUSED static bool core_check32(const char *file, int line, const char *text, zx_handle_t h,
                                     uint32_t expected, uint64_t offset)
{
    uint32_t got = 0xDEADBEEF;
    if (!conf_check_status(file, line, "zx_vmo_read()", zx_vmo_read(h, &got, offset, 4), ZX_OK))
        return false;
    if (got == expected)
        return true;
    conf_fail(file, line, "%s: u32 at offset 0x%llx is %u, expected %u", text,
              (unsigned long long)offset, got, expected);
    return false;
}

/* A VMO of `pages` pages in which page i holds the u32 value i + 1 at its
 * start (resizable, like the upstream helper makes it). */
CONF_UNUSED static zx_handle_t page_tagged_vmo(uint32_t pages)
{
    zx_handle_t vmo = vmo_create(pages * PAGE, ZX_VMO_RESIZABLE);
    for (uint32_t i = 0; i < pages; i++)
        vmo_put32(vmo, i + 1, i * PAGE);
    return vmo;
}

/* Attribution figures of one VMO (docs/semantics.md "Attribution"): RSS, USS and PSS. */
#define private_bytes(h) (vmo_info(h).committed_private_bytes)
#define scaled_bytes(h)  (vmo_info(h).committed_scaled_bytes)

/* Every byte of [p, p + n) equals v. */
CONF_UNUSED static bool all_bytes(const volatile uint8_t *p, size_t n, uint8_t v)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != v)
            return false;
    }
    return true;
}
