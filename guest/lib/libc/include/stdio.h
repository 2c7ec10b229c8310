/* <stdio.h> of zxsim's guest libc. There are no files: stdout and stderr
 * both end in zx_debug_write, and stdin is always at end of file. */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <zircon/compiler.h>

__BEGIN_CDECLS

typedef struct __zxsim_file FILE;

extern FILE *stdin;
extern FILE *stdout;
extern FILE *stderr;
#define stdin  stdin
#define stdout stdout
#define stderr stderr

#define EOF    (-1)
#define BUFSIZ 256

int printf(const char *restrict fmt, ...) __attribute__((__format__(__printf__, 1, 2)));
int fprintf(FILE *restrict f, const char *restrict fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));
int sprintf(char *restrict buf, const char *restrict fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
    __attribute__((__format__(__printf__, 3, 4)));
int vprintf(const char *restrict fmt, va_list ap);
int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap);
int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap);
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap);

int putchar(int c);
int puts(const char *s);
int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int fputs(const char *restrict s, FILE *restrict f);
size_t fwrite(const void *restrict p, size_t size, size_t n, FILE *restrict f);
int fflush(FILE *f);

int getchar(void);
int fgetc(FILE *f);
int getc(FILE *f);
char *fgets(char *restrict s, int n, FILE *restrict f);

int ferror(FILE *f);
int feof(FILE *f);
void clearerr(FILE *f);

__END_CDECLS
