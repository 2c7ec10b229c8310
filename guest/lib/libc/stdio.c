/* The three standard streams. stdout is line buffered, stderr buffers only
 * for the length of one library call so that each fprintf reaches the log in
 * as few zx_debug_write calls as possible; both end in zx_debug_write, which
 * takes at most DEBUG_WRITE_MAX bytes per call. stdin is always at EOF. */
#include <stdio.h>
#include <string.h>
#include <zircon/syscalls.h>

#include "libc_internal.h"

struct __zxsim_file {
    char buf[DEBUG_WRITE_MAX];
    size_t len;
    bool line_buffered; /* else flushed at the end of every call */
    bool writable;
    bool error;
};

static FILE stdout_file = {.line_buffered = true, .writable = true};
static FILE stderr_file = {.writable = true};
static FILE stdin_file;

FILE *stdin = &stdin_file;
FILE *stdout = &stdout_file;
FILE *stderr = &stderr_file;

static void flush(FILE *f)
{
    if (f->len == 0)
        return;
    if (zx_debug_write(f->buf, f->len) != ZX_OK)
        f->error = true;
    f->len = 0;
}

size_t __zxsim_fwrite(FILE *f, const char *s, size_t n)
{
    if (!f->writable) {
        f->error = true;
        return 0;
    }
    /* Keep the log in program order: what stdout holds goes out before
     * anything written to another stream. */
    if (f != &stdout_file)
        flush(&stdout_file);
    size_t done = 0;
    while (done < n) {
        size_t chunk = n - done;
        if (chunk > sizeof(f->buf) - f->len)
            chunk = sizeof(f->buf) - f->len;
        const char *nl = f->line_buffered ? memchr(s + done, '\n', chunk) : NULL;
        if (nl != NULL)
            chunk = (size_t)(nl - (s + done)) + 1;
        memcpy(f->buf + f->len, s + done, chunk);
        f->len += chunk;
        done += chunk;
        if (nl != NULL || f->len == sizeof(f->buf))
            flush(f);
    }
    return done;
}

void __zxsim_fdone(FILE *f)
{
    if (!f->line_buffered)
        flush(f);
}

void __zxsim_flush_all(void)
{
    flush(&stdout_file);
    flush(&stderr_file);
}

int fflush(FILE *f)
{
    if (f == NULL) {
        __zxsim_flush_all();
        return 0;
    }
    flush(f);
    return f->error ? EOF : 0;
}

size_t fwrite(const void *restrict p, size_t size, size_t n, FILE *restrict f)
{
    if (size == 0 || n == 0)
        return 0;
    size_t done = __zxsim_fwrite(f, p, size * n);
    __zxsim_fdone(f);
    return done / size;
}

int fputc(int c, FILE *f)
{
    char ch = (char)c;
    size_t done = __zxsim_fwrite(f, &ch, 1);
    __zxsim_fdone(f);
    return done == 1 ? (unsigned char)ch : EOF;
}

int putc(int c, FILE *f)
{
    return fputc(c, f);
}

int putchar(int c)
{
    return fputc(c, stdout);
}

int fputs(const char *restrict s, FILE *restrict f)
{
    size_t n = strlen(s);
    size_t done = __zxsim_fwrite(f, s, n);
    __zxsim_fdone(f);
    return done == n ? 0 : EOF;
}

int puts(const char *s)
{
    size_t n = strlen(s);
    size_t done = __zxsim_fwrite(stdout, s, n);
    done += __zxsim_fwrite(stdout, "\n", 1);
    return done == n + 1 ? 0 : EOF;
}

int fgetc(FILE *f)
{
    (void)f;
    return EOF;
}

int getc(FILE *f)
{
    return fgetc(f);
}

int getchar(void)
{
    return EOF;
}

char *fgets(char *restrict s, int n, FILE *restrict f)
{
    (void)s;
    (void)n;
    (void)f;
    return NULL;
}

int ferror(FILE *f)
{
    return f->error;
}

int feof(FILE *f)
{
    return f == &stdin_file;
}

void clearerr(FILE *f)
{
    f->error = false;
}
