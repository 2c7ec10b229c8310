/* The printf family's entry points: each one picks a sink for the shared
 * formatting engine (format.c). */
#include <stdio.h>
#include <string.h>

#include "libc_internal.h"

struct file_sink {
    struct fmt_sink sink;
    FILE *f;
};

static void file_put(struct fmt_sink *sink, const char *s, size_t n)
{
    struct file_sink *fs = (struct file_sink *)sink;
    __zxsim_fwrite(fs->f, s, n);
}

/* snprintf's sink: keeps what fits (leaving room for the terminator) and
 * counts everything. */
struct buf_sink {
    struct fmt_sink sink;
    char *buf;
    size_t cap; /* bytes of buf usable for characters, excluding the NUL */
    size_t len;
};

static void buf_put(struct fmt_sink *sink, const char *s, size_t n)
{
    struct buf_sink *bs = (struct buf_sink *)sink;
    size_t room = bs->cap - bs->len;
    if (n > room)
        n = room;
    memcpy(bs->buf + bs->len, s, n);
    bs->len += n;
}

int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
    struct file_sink fs = {{file_put}, f};
    int n = __zxsim_vformat(&fs.sink, fmt, ap);
    __zxsim_fdone(f);
    return n;
}

int fprintf(FILE *restrict f, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(f, fmt, ap);
    va_end(ap);
    return n;
}

int vprintf(const char *restrict fmt, va_list ap)
{
    return vfprintf(stdout, fmt, ap);
}

int printf(const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
{
    struct buf_sink bs = {{buf_put}, buf, size > 0 ? size - 1 : 0, 0};
    int n = __zxsim_vformat(&bs.sink, fmt, ap);
    if (size > 0)
        buf[bs.len] = 0;
    return n;
}

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
{
    return vsnprintf(buf, (size_t)-1 / 2, fmt, ap);
}

int sprintf(char *restrict buf, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsprintf(buf, fmt, ap);
    va_end(ap);
    return n;
}
