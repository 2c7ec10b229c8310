/* The printf engine: parses conversion specifications and formats integers,
 * characters, strings and pointers; floating point is in format_float.c.
 * Supports the flags "-+ #0", width and precision (also as '*'), the length
 * modifiers hh h l ll z j t L, and the conversions d i u o x X c s p n %
 * f F e E g G a A. An unknown conversion is copied to the output as is. */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "libc_internal.h"

enum length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T, LEN_BIG_L };

void __zxsim_fmt_pad(struct fmt_sink *sink, char c, size_t n)
{
    char buf[32];
    memset(buf, c, sizeof(buf));
    while (n > 0) {
        size_t k = n < sizeof(buf) ? n : sizeof(buf);
        sink->put(sink, buf, k);
        n -= k;
    }
}

/* Pads a field of len characters out to the width, on the left or right. */
static size_t pad_before(struct fmt_sink *sink, const struct fmt_spec *spec, size_t len)
{
    if (spec->flags & FMT_LEFT || spec->width < 0 || (size_t)spec->width <= len)
        return 0;
    __zxsim_fmt_pad(sink, ' ', (size_t)spec->width - len);
    return (size_t)spec->width - len;
}

static size_t pad_after(struct fmt_sink *sink, const struct fmt_spec *spec, size_t len)
{
    if (!(spec->flags & FMT_LEFT) || spec->width < 0 || (size_t)spec->width <= len)
        return 0;
    __zxsim_fmt_pad(sink, ' ', (size_t)spec->width - len);
    return (size_t)spec->width - len;
}

static size_t format_int(struct fmt_sink *sink, const struct fmt_spec *spec, uintmax_t mag,
                         bool negative)
{
    char conv = spec->conv;
    bool is_signed = conv == 'd' || conv == 'i';
    unsigned base = 10;
    if (conv == 'o')
        base = 8;
    else if (conv == 'x' || conv == 'X' || conv == 'p')
        base = 16;
    const char *alphabet = conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";

    /* Digits, written backwards from the end of buf. "%.0d" of zero prints
     * no digits. */
    char buf[3 * sizeof(uintmax_t)];
    char *digits = buf + sizeof(buf);
    if (!(spec->prec == 0 && mag == 0)) {
        uintmax_t m = mag;
        do {
            *--digits = alphabet[m % base];
            m /= base;
        } while (m != 0);
    }
    size_t nd = (size_t)(buf + sizeof(buf) - digits);

    char prefix[2];
    size_t np = 0;
    if (negative)
        prefix[np++] = '-';
    else if (is_signed && (spec->flags & FMT_PLUS))
        prefix[np++] = '+';
    else if (is_signed && (spec->flags & FMT_SPACE))
        prefix[np++] = ' ';
    if (conv == 'p' || ((conv == 'x' || conv == 'X') && (spec->flags & FMT_ALT) && mag != 0)) {
        prefix[np++] = '0';
        prefix[np++] = conv == 'X' ? 'X' : 'x';
    }

    size_t zeros = spec->prec > 0 && (size_t)spec->prec > nd ? (size_t)spec->prec - nd : 0;
    /* "%#o" makes the first digit a zero. */
    if (conv == 'o' && (spec->flags & FMT_ALT) && zeros == 0 && (nd == 0 || digits[0] != '0'))
        zeros = 1;
    /* The '0' flag pads with zeros between prefix and digits, unless a
     * precision was given. */
    if ((spec->flags & FMT_ZERO) && !(spec->flags & FMT_LEFT) && spec->prec < 0 &&
        spec->width > 0 && (size_t)spec->width > np + zeros + nd)
        zeros = (size_t)spec->width - np - nd;

    size_t len = np + zeros + nd;
    size_t out = pad_before(sink, spec, len);
    sink->put(sink, prefix, np);
    __zxsim_fmt_pad(sink, '0', zeros);
    sink->put(sink, digits, nd);
    out += len;
    out += pad_after(sink, spec, len);
    return out;
}

static size_t format_str(struct fmt_sink *sink, const struct fmt_spec *spec, const char *s)
{
    if (s == NULL)
        s = "(null)";
    size_t len = spec->prec >= 0 ? strnlen(s, (size_t)spec->prec) : strlen(s);
    size_t out = pad_before(sink, spec, len);
    sink->put(sink, s, len);
    return out + len + pad_after(sink, spec, len);
}

#if __LDBL_MANT_DIG__ == 113
/* arm64's long double is IEEE binary128, which the compiler converts only
 * through compiler-rt (absent here); narrow it by hand, rounding to
 * nearest-even. Results below double's normal range become zero. */
static double narrow_long_double(long double x)
{
    uint64_t w[2];
    memcpy(w, &x, sizeof(w));
    uint64_t sign = w[1] >> 63;
    int exp = (int)((w[1] >> 48) & 0x7fff);
    uint64_t hi = w[1] & ((1ull << 48) - 1), lo = w[0];
    uint64_t bits;
    if (exp == 0x7fff) {
        bits = 0x7ffull << 52 | ((hi | lo) != 0 ? 1ull << 51 : 0);
    } else if (exp - 16383 > 1023) {
        bits = 0x7ffull << 52;
    } else if (exp - 16383 < -1022) {
        bits = 0;
    } else {
        /* The top 52 of the 112 mantissa bits, and the 60 dropped below. */
        uint64_t mant = hi << 4 | lo >> 60;
        uint64_t rest = lo & ((1ull << 60) - 1), half = 1ull << 59;
        bits = (uint64_t)(exp - 16383 + 1023) << 52 | mant;
        if (rest > half || (rest == half && (mant & 1)))
            bits++; /* a carry into the exponent is the right result */
    }
    bits |= sign << 63;
    double d;
    memcpy(&d, &bits, sizeof(d));
    return d;
}
#else
static double narrow_long_double(long double x)
{
    return (double)x;
}
#endif

int __zxsim_vformat(struct fmt_sink *sink, const char *fmt, va_list ap)
{
    size_t total = 0;
    while (*fmt) {
        const char *lit = fmt;
        while (*fmt && *fmt != '%')
            fmt++;
        if (fmt != lit) {
            sink->put(sink, lit, (size_t)(fmt - lit));
            total += (size_t)(fmt - lit);
        }
        if (*fmt == 0)
            break;
        const char *spec_start = fmt++;

        struct fmt_spec spec = {0, -1, -1, 0};
        for (;; fmt++) {
            if (*fmt == '-')
                spec.flags |= FMT_LEFT;
            else if (*fmt == '+')
                spec.flags |= FMT_PLUS;
            else if (*fmt == ' ')
                spec.flags |= FMT_SPACE;
            else if (*fmt == '#')
                spec.flags |= FMT_ALT;
            else if (*fmt == '0')
                spec.flags |= FMT_ZERO;
            else
                break;
        }
        if (*fmt == '*') {
            int w = va_arg(ap, int);
            if (w < 0) {
                spec.flags |= FMT_LEFT;
                w = w == INT_MIN ? INT_MAX : -w;
            }
            spec.width = w;
            fmt++;
        } else if (*fmt >= '0' && *fmt <= '9') {
            spec.width = 0;
            for (; *fmt >= '0' && *fmt <= '9'; fmt++)
                spec.width = spec.width * 10 + (*fmt - '0');
        }
        if (*fmt == '.') {
            fmt++;
            if (*fmt == '*') {
                int p = va_arg(ap, int);
                spec.prec = p < 0 ? -1 : p; /* negative: as if omitted */
                fmt++;
            } else {
                spec.prec = 0;
                for (; *fmt >= '0' && *fmt <= '9'; fmt++)
                    spec.prec = spec.prec * 10 + (*fmt - '0');
            }
        }

        enum length len = LEN_NONE;
        switch (*fmt) {
        case 'h':
            len = fmt[1] == 'h' ? LEN_HH : LEN_H;
            fmt += len == LEN_HH ? 2 : 1;
            break;
        case 'l':
            len = fmt[1] == 'l' ? LEN_LL : LEN_L;
            fmt += len == LEN_LL ? 2 : 1;
            break;
        case 'q':
            len = LEN_LL;
            fmt++;
            break;
        case 'z':
            len = LEN_Z;
            fmt++;
            break;
        case 'j':
            len = LEN_J;
            fmt++;
            break;
        case 't':
            len = LEN_T;
            fmt++;
            break;
        case 'L':
            len = LEN_BIG_L;
            fmt++;
            break;
        }

        spec.conv = *fmt;
        if (*fmt)
            fmt++;
        switch (spec.conv) {
        case 'd':
        case 'i': {
            intmax_t v;
            switch (len) {
            case LEN_HH:
                v = (signed char)va_arg(ap, int);
                break;
            case LEN_H:
                v = (short)va_arg(ap, int);
                break;
            case LEN_L:
                v = va_arg(ap, long);
                break;
            case LEN_LL:
                v = va_arg(ap, long long);
                break;
            case LEN_Z:
            case LEN_T:
                v = va_arg(ap, ptrdiff_t);
                break;
            case LEN_J:
                v = va_arg(ap, intmax_t);
                break;
            default:
                v = va_arg(ap, int);
                break;
            }
            uintmax_t mag = v < 0 ? -(uintmax_t)v : (uintmax_t)v;
            total += format_int(sink, &spec, mag, v < 0);
            break;
        }
        case 'u':
        case 'o':
        case 'x':
        case 'X': {
            uintmax_t v;
            switch (len) {
            case LEN_HH:
                v = (unsigned char)va_arg(ap, unsigned);
                break;
            case LEN_H:
                v = (unsigned short)va_arg(ap, unsigned);
                break;
            case LEN_L:
                v = va_arg(ap, unsigned long);
                break;
            case LEN_LL:
                v = va_arg(ap, unsigned long long);
                break;
            case LEN_Z:
            case LEN_T:
                v = va_arg(ap, size_t);
                break;
            case LEN_J:
                v = va_arg(ap, uintmax_t);
                break;
            default:
                v = va_arg(ap, unsigned);
                break;
            }
            total += format_int(sink, &spec, v, false);
            break;
        }
        case 'p':
            spec.flags &= ~(FMT_PLUS | FMT_SPACE);
            total += format_int(sink, &spec, (uintptr_t)va_arg(ap, void *), false);
            break;
        case 'c': {
            char c = (char)va_arg(ap, int);
            size_t out = pad_before(sink, &spec, 1);
            sink->put(sink, &c, 1);
            total += out + 1 + pad_after(sink, &spec, 1);
            break;
        }
        case 's':
            total += format_str(sink, &spec, va_arg(ap, const char *));
            break;
        case 'n': {
            void *p = va_arg(ap, void *);
            switch (len) {
            case LEN_HH:
                *(signed char *)p = (signed char)total;
                break;
            case LEN_H:
                *(short *)p = (short)total;
                break;
            case LEN_L:
            case LEN_Z:
            case LEN_T:
            case LEN_J:
                *(long *)p = (long)total;
                break;
            case LEN_LL:
                *(long long *)p = (long long)total;
                break;
            default:
                *(int *)p = (int)total;
                break;
            }
            break;
        }
        case 'f':
        case 'F':
        case 'e':
        case 'E':
        case 'g':
        case 'G':
        case 'a':
        case 'A': {
            double v =
                len == LEN_BIG_L ? narrow_long_double(va_arg(ap, long double)) : va_arg(ap, double);
            total += __zxsim_format_double(sink, &spec, v);
            break;
        }
        case '%':
            sink->put(sink, "%", 1);
            total++;
            break;
        default:
            /* Not a conversion we know: show it rather than guess. */
            sink->put(sink, spec_start, (size_t)(fmt - spec_start));
            total += (size_t)(fmt - spec_start);
            break;
        }
    }
    return total > INT_MAX ? -1 : (int)total;
}
