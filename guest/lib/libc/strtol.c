/* String to integer conversions. One unsigned parser does the work; the
 * signed functions clamp its result. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>

static int digit_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

/* Parses [space][sign][0x|0]digits. Returns the magnitude, saturated at
 * ULLONG_MAX with *overflow set; *end points after the last digit, or at s
 * when there were none. */
static unsigned long long parse(const char *s, char **end, int base, bool *negative, bool *overflow)
{
    const char *p = s;
    *negative = false;
    *overflow = false;
    if (base < 0 || base == 1 || base > 36) {
        errno = EINVAL;
        if (end)
            *end = (char *)s;
        return 0;
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '+' || *p == '-')
        *negative = *p++ == '-';
    /* "0x" counts as a prefix only if a hex digit follows; otherwise the
     * number is just "0". */
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
        digit_value((unsigned char)p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = p[0] == '0' ? 8 : 10;
    }
    unsigned long long v = 0;
    const char *digits = p;
    for (int d; (d = digit_value((unsigned char)*p)) < base; p++) {
        if (v > (ULLONG_MAX - (unsigned)d) / (unsigned)base)
            *overflow = true;
        else
            v = v * (unsigned)base + (unsigned)d;
    }
    if (end)
        *end = (char *)(p == digits ? s : p);
    if (*overflow) {
        errno = ERANGE;
        return ULLONG_MAX;
    }
    return v;
}

unsigned long long strtoull(const char *restrict s, char **restrict end, int base)
{
    bool negative, overflow;
    unsigned long long v = parse(s, end, base, &negative, &overflow);
    return negative && !overflow ? -v : v;
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
    return strtoull(s, end, base);
}

long long strtoll(const char *restrict s, char **restrict end, int base)
{
    bool negative, overflow;
    unsigned long long v = parse(s, end, base, &negative, &overflow);
    if (negative) {
        if (overflow || v > (unsigned long long)LLONG_MAX + 1) {
            errno = ERANGE;
            return LLONG_MIN;
        }
        return (long long)-v;
    }
    if (overflow || v > LLONG_MAX) {
        errno = ERANGE;
        return LLONG_MAX;
    }
    return (long long)v;
}

long strtol(const char *restrict s, char **restrict end, int base)
{
    return strtoll(s, end, base);
}

intmax_t strtoimax(const char *restrict s, char **restrict end, int base)
{
    return strtoll(s, end, base);
}

uintmax_t strtoumax(const char *restrict s, char **restrict end, int base)
{
    return strtoull(s, end, base);
}

int atoi(const char *s)
{
    return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
    return strtol(s, NULL, 10);
}

long long atoll(const char *s)
{
    return strtoll(s, NULL, 10);
}
