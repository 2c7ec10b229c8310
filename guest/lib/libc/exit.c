/* Process termination: exit runs atexit handlers, then fini_array, flushes
 * the streams and ends the process with zx_process_exit. abort prints
 * "abort()" to the debug log and exits with status 134 (128 + SIGABRT, what
 * a POSIX shell reports for an aborted program); assert failures end there. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <zircon/syscalls.h>

#include "libc_internal.h"

#define ATEXIT_MAX   32
#define ABORT_STATUS 134

static void (*atexit_fns[ATEXIT_MAX])(void);
static int atexit_count;

extern void (*__fini_array_start[])(void) __attribute__((__visibility__("hidden")));
extern void (*__fini_array_end[])(void) __attribute__((__visibility__("hidden")));

int atexit(void (*fn)(void))
{
    if (atexit_count == ATEXIT_MAX)
        return -1;
    atexit_fns[atexit_count++] = fn;
    return 0;
}

void exit(int status)
{
    /* Handlers may call atexit themselves; take them one at a time. */
    while (atexit_count > 0)
        atexit_fns[--atexit_count]();
    /* The linker script (zxsim.ld) defines the array bounds. */
    for (size_t i = (size_t)(__fini_array_end - __fini_array_start); i > 0; i--)
        __fini_array_start[i - 1]();
    __zxsim_flush_all();
    zx_process_exit(status);
}

void _Exit(int status)
{
    zx_process_exit(status);
}

void abort(void)
{
    __zxsim_flush_all();
    static const char msg[] = "abort()\n";
    zx_debug_write(msg, sizeof(msg) - 1);
    zx_process_exit(ABORT_STATUS);
}

void __zxsim_assert_fail(const char *expr, const char *file, int line, const char *func)
{
    fprintf(stderr, "%s:%d: %s: Assertion `%s' failed.\n", file, line, func, expr);
    abort();
}
