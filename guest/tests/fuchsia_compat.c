/* Written as for Fuchsia's sysroot: the includes and names a Fuchsia
 * program uses, nothing zxsim-specific. That it compiles with zxsim-cc is
 * half the test; the rest checks what the names mean at run time.
 * Prints one line per failed check and "N passed, N failed". */

/* <zircon/types.h> alone brings rights, statuses, limits, time and the C11
 * atomics, as Fuchsia's does. */
#include <zircon/types.h>

_Static_assert(ZX_RIGHT_SAME_RIGHTS == (1u << 31), "rights come with <zircon/types.h>");
_Static_assert(ZX_DEFAULT_VMO_RIGHTS &ZX_RIGHT_MAP, "default rights too");
_Static_assert(ZX_ERR_NO_MEMORY == -4, "statuses come with <zircon/types.h>");
_Static_assert(ZX_MIN_PAGE_SIZE == 4096, "limits come with <zircon/types.h>");
_Static_assert(ZX_SEC(2) == 2000000000, "time units come with <zircon/types.h>");
_Static_assert(sizeof(zx_duration_t) == 8 && sizeof(zx_ticks_t) == 8, "time types");
_Static_assert(sizeof(atomic_int) == sizeof(int), "and the C11 atomics");

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <zircon/errors.h>
#include <zircon/limits.h>
#include <zircon/process.h>
#include <zircon/rights.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>
#include <zircon/time.h>

static int passed, failed;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (cond) {                                                                                \
            passed++;                                                                              \
        } else {                                                                                   \
            failed++;                                                                              \
            printf("FAIL line %d: %s\n", __LINE__, #cond);                                         \
        }                                                                                          \
    } while (0)

int main(void)
{
    zx_handle_t vmo = ZX_HANDLE_INVALID;
    zx_status_t st = zx_vmo_create(3 * ZX_MIN_PAGE_SIZE, 0, &vmo);
    CHECK(st == ZX_OK);
    CHECK(strcmp(zx_status_get_string(st), "ZX_OK") == 0);

    zx_handle_t dup = ZX_HANDLE_INVALID;
    CHECK(zx_handle_duplicate(vmo, ZX_RIGHT_SAME_RIGHTS, &dup) == ZX_OK);
    zx_info_handle_count_t count = {0};
    CHECK(zx_object_get_info(vmo, ZX_INFO_HANDLE_COUNT, &count, sizeof count, NULL, NULL) == ZX_OK);
    CHECK(count.handle_count == 2);

    st = zx_handle_duplicate(vmo, ZX_RIGHT_EXECUTE, &dup);
    CHECK(st == ZX_ERR_INVALID_ARGS);
    CHECK(strcmp(zx_status_get_string(st), "ZX_ERR_INVALID_ARGS") == 0);

    zx_vaddr_t addr = 0;
    CHECK(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0,
                      3 * ZX_MIN_PAGE_SIZE, &addr) == ZX_OK);
    zx_info_task_stats_t before, after;
    CHECK(zx_object_get_info(zx_process_self(), ZX_INFO_TASK_STATS, &before, sizeof before, NULL,
                             NULL) == ZX_OK);
    memset((void *)addr, 0x5a, 2 * ZX_MIN_PAGE_SIZE);
    CHECK(zx_object_get_info(zx_process_self(), ZX_INFO_TASK_STATS, &after, sizeof after, NULL,
                             NULL) == ZX_OK);
    CHECK(after.mem_private_bytes - before.mem_private_bytes == 2 * ZX_MIN_PAGE_SIZE);

    /* Deadlines computed with the saturating time helpers. */
    zx_time_t now = zx_clock_get_monotonic();
    zx_time_t deadline = zx_time_add_duration(now, ZX_MSEC(5));
    CHECK(deadline == now + 5000000);
    CHECK(zx_time_add_duration(ZX_TIME_INFINITE, ZX_SEC(1)) == ZX_TIME_INFINITE);
    CHECK(zx_time_sub_duration(ZX_TIME_INFINITE_PAST, ZX_SEC(1)) == ZX_TIME_INFINITE_PAST);
    CHECK(zx_duration_mul_int64(ZX_HOUR(1), INT64_MAX) == ZX_TIME_INFINITE);
    zx_signals_t pending = 0;
    CHECK(zx_object_wait_one(vmo, ZX_VMO_ZERO_CHILDREN, deadline, &pending) == ZX_OK);
    CHECK(pending & ZX_VMO_ZERO_CHILDREN);

    CHECK(fabs(sqrt(2.0) * sqrt(2.0) - 2.0) < 1e-15);
    CHECK(zx_handle_close(dup) == ZX_OK);
    CHECK(zx_handle_close(vmo) == ZX_OK);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
