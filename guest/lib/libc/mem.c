/* The mem* functions. The compiler emits calls to memcpy, memmove, memset
 * and memcmp on its own, so these must be real functions; this file is
 * built with -ffreestanding (hence -fno-builtin) so that clang does not turn
 * the loops below back into calls to themselves. Word loops when both
 * pointers share 8-byte alignment keep the guest's instruction count low;
 * unaligned accesses are avoided because the guest's CPU may trap them. */
#include <stdint.h>
#include <string.h>
#include <strings.h>

typedef uint64_t __attribute__((__may_alias__)) word_t;
#define WORD sizeof(word_t)

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & (WORD - 1)) == 0) {
        for (; n >= 4 * WORD; n -= 4 * WORD, d += 4 * WORD, s += 4 * WORD) {
            word_t a = ((const word_t *)s)[0], b = ((const word_t *)s)[1];
            word_t c = ((const word_t *)s)[2], e = ((const word_t *)s)[3];
            ((word_t *)d)[0] = a;
            ((word_t *)d)[1] = b;
            ((word_t *)d)[2] = c;
            ((word_t *)d)[3] = e;
        }
        for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
            *(word_t *)d = *(const word_t *)s;
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d == s || n == 0)
        return dst;
    if (d < s || d >= s + n)
        return memcpy(dst, src, n);
    /* Overlap with dst above src: copy backwards. */
    d += n;
    s += n;
    if ((((uintptr_t)d | (uintptr_t)s) & (WORD - 1)) == 0) {
        for (; n >= WORD; n -= WORD) {
            d -= WORD;
            s -= WORD;
            *(word_t *)d = *(const word_t *)s;
        }
    }
    while (n--)
        *--d = *--s;
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    unsigned char b = (unsigned char)c;
    for (; n > 0 && ((uintptr_t)d & (WORD - 1)) != 0; n--)
        *d++ = b;
    word_t w = (word_t)b * 0x0101010101010101ull;
    for (; n >= 4 * WORD; n -= 4 * WORD, d += 4 * WORD) {
        ((word_t *)d)[0] = w;
        ((word_t *)d)[1] = w;
        ((word_t *)d)[2] = w;
        ((word_t *)d)[3] = w;
    }
    for (; n >= WORD; n -= WORD, d += WORD)
        *(word_t *)d = w;
    while (n--)
        *d++ = b;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;
    if ((((uintptr_t)p | (uintptr_t)q) & (WORD - 1)) == 0) {
        /* Skip equal words; the differing word is compared bytewise below. */
        for (; n >= WORD && *(const word_t *)p == *(const word_t *)q; n -= WORD) {
            p += WORD;
            q += WORD;
        }
    }
    for (; n > 0; n--, p++, q++) {
        if (*p != *q)
            return *p - *q;
    }
    return 0;
}

/* Clang may lower memcmp(...) == 0 to bcmp. */
int bcmp(const void *a, const void *b, size_t n)
{
    return memcmp(a, b, n);
}

void *memchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;
    unsigned char b = (unsigned char)c;
    for (; n > 0; n--, p++) {
        if (*p == b)
            return (void *)p;
    }
    return NULL;
}
