/* Interfaces between the pieces of zxsim's guest libc; not for programs. */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <zircon/types.h>

/* zx_debug_write takes at most this many bytes per call (the rest is
 * dropped), so every write to the debug log is cut into pieces this size. */
#define DEBUG_WRITE_MAX 256

/* Where the formatter's output goes: put() receives every piece in order. */
struct fmt_sink {
    void (*put)(struct fmt_sink *sink, const char *s, size_t n);
};

/* The printf engine: formats into the sink and returns the number of
 * characters produced, or -1 for a malformed conversion. */
int __zxsim_vformat(struct fmt_sink *sink, const char *fmt, va_list ap);

/* The floating-point conversions (%f %F %e %E %g %G) of the engine. */
struct fmt_spec {
    int flags; /* FMT_* below */
    int width; /* -1 when absent */
    int prec;  /* -1 when absent */
    char conv;
};
#define FMT_LEFT  (1 << 0) /* '-' */
#define FMT_PLUS  (1 << 1) /* '+' */
#define FMT_SPACE (1 << 2) /* ' ' */
#define FMT_ALT   (1 << 3) /* '#' */
#define FMT_ZERO  (1 << 4) /* '0' */
size_t __zxsim_format_double(struct fmt_sink *sink, const struct fmt_spec *spec, double v);

/* Emits n copies of c. */
void __zxsim_fmt_pad(struct fmt_sink *sink, char c, size_t n);

/* Writes to a stream through its buffer; returns the bytes accepted. */
size_t __zxsim_fwrite(FILE *f, const char *s, size_t n);

/* Ends a library call on f: unbuffered streams (stderr) are flushed. */
void __zxsim_fdone(FILE *f);

/* Flushes every stream; exit() and abort() call it. */
void __zxsim_flush_all(void);

/* The C entry point; crt0's _start passes zxsim's entry registers. */
__NO_RETURN void __zxsim_start(zx_handle_t process, zx_handle_t root_vmar, long argc, char **argv);

/* Records the handles zxsim passed to _start (crt0). */
void __zxsim_set_startup_handles(zx_handle_t process, zx_handle_t root_vmar);
