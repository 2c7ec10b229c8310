/* printf's floating-point conversions, exactly rounded (round-half-even on
 * the exact binary value, like glibc) without libm or long double: the
 * double is expanded into decimal digits with small big-integer arithmetic.
 * The integer part is converted by repeated division by 10^9; fraction
 * digits come one at a time by multiplying the fraction's numerator by 10. */
#include <stdint.h>
#include <string.h>

#include "libc_internal.h"

/* A double is m * 2^e with m < 2^53 and -1074 <= e <= 971. Its integer part
 * has at most 309 decimal digits and its fraction at most 1074. */
#define INT_LIMBS  33 /* 971 + 53 bits */
#define FRAC_LIMBS 36 /* 1074 bits of fraction, plus 4 while scaling by 10 */
#define MAX_DIGITS 1400

/* The exact decimal expansion of a finite positive double, read in order. */
struct expansion {
    char ip[320]; /* integer part, most significant digit first, no leading 0 */
    int ilen;
    int ipos;
    uint32_t frac[FRAC_LIMBS]; /* fraction = frac / 2^shift */
    int shift;
};

/* Converts the big integer big[0..n) (destroyed) to decimal in out. */
static int big_to_decimal(uint32_t *big, int n, char *out)
{
    char rev[320];
    int len = 0;
    while (n > 0 && big[n - 1] == 0)
        n--;
    while (n > 0) {
        uint64_t rem = 0;
        for (int i = n - 1; i >= 0; i--) {
            uint64_t cur = rem << 32 | big[i];
            big[i] = (uint32_t)(cur / 1000000000u);
            rem = cur % 1000000000u;
        }
        while (n > 0 && big[n - 1] == 0)
            n--;
        /* All nine digits of an inner group; the top group without zeros. */
        for (int k = 0; k < 9 && (n > 0 || rem > 0); k++) {
            rev[len++] = (char)('0' + rem % 10);
            rem /= 10;
        }
    }
    for (int i = 0; i < len; i++)
        out[i] = rev[len - 1 - i];
    return len;
}

static void expansion_init(struct expansion *x, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof(bits));
    int bexp = (int)(bits >> 52 & 0x7ff);
    uint64_t mant = bits & ((1ull << 52) - 1);
    int e2 = -1074;
    if (bexp != 0) {
        mant |= 1ull << 52;
        e2 = bexp - 1075;
    }
    memset(x->frac, 0, sizeof(x->frac));
    x->ipos = 0;
    x->shift = 0;
    if (e2 >= 0) {
        uint32_t big[INT_LIMBS] = {0};
        int w = e2 / 32, b = e2 % 32;
        big[w] = (uint32_t)(mant << b);
        big[w + 1] = (uint32_t)(mant >> (32 - b));
        big[w + 2] = b == 0 ? 0 : (uint32_t)(mant >> (64 - b));
        x->ilen = big_to_decimal(big, w + 3, x->ip);
    } else {
        int shift = -e2;
        uint64_t ipart = shift >= 64 ? 0 : mant >> shift;
        uint64_t fpart = shift >= 64 ? mant : mant & ((1ull << shift) - 1);
        uint32_t big[2] = {(uint32_t)ipart, (uint32_t)(ipart >> 32)};
        x->ilen = big_to_decimal(big, 2, x->ip);
        x->shift = shift;
        x->frac[0] = (uint32_t)fpart;
        x->frac[1] = (uint32_t)(fpart >> 32);
    }
}

static bool frac_is_zero(const struct expansion *x)
{
    for (int i = 0; i <= x->shift / 32 + 1; i++) {
        if (x->frac[i] != 0)
            return false;
    }
    return true;
}

/* The next fraction digit: multiply by 10 and take the bits above shift. */
static int frac_next(struct expansion *x)
{
    int w = x->shift / 32, b = x->shift % 32;
    uint64_t carry = 0;
    for (int i = 0; i <= w + 1; i++) {
        uint64_t cur = (uint64_t)x->frac[i] * 10 + carry;
        x->frac[i] = (uint32_t)cur;
        carry = cur >> 32;
    }
    uint64_t window = x->frac[w] | (uint64_t)x->frac[w + 1] << 32;
    int digit = (int)(window >> b);
    x->frac[w] = (uint32_t)(window & ((1ull << b) - 1));
    x->frac[w + 1] = 0;
    return digit;
}

/* No nonzero digit is left to read. */
static bool exhausted(const struct expansion *x)
{
    for (int i = x->ipos; i < x->ilen; i++) {
        if (x->ip[i] != '0')
            return false;
    }
    return frac_is_zero(x);
}

static int next_digit(struct expansion *x)
{
    if (x->ipos < x->ilen)
        return x->ip[x->ipos++] - '0';
    return frac_next(x);
}

/* A rounded decimal: digit d[i] has the weight 10^(exp - i); the digits past
 * n are zeros; n == 0 means the value is zero. */
struct decimal {
    char d[MAX_DIGITS];
    int n;
    int exp;
};

/* Rounds v (finite, >= 0) to `count` significant digits when `significant`,
 * else to `count` digits after the decimal point. */
static void round_decimal(double v, bool significant, int count, struct decimal *out)
{
    out->n = 0;
    out->exp = 0;
    if (v == 0)
        return;

    struct expansion x;
    expansion_init(&x, v);
    int first;
    if (x.ilen > 0) {
        out->exp = x.ilen - 1;
        first = next_digit(&x);
    } else {
        out->exp = -1;
        while ((first = frac_next(&x)) == 0)
            out->exp--;
    }

    long keep = significant ? count : (long)out->exp + 1 + count;
    if (keep > MAX_DIGITS)
        keep = MAX_DIGITS; /* never reached: no double has that many digits */
    if (keep < 0)
        return; /* far below the last kept place: rounds to zero */

    int next, last;
    if (keep == 0) {
        next = first; /* the first digit decides alone, against a kept 0 */
        last = 0;
    } else {
        out->d[out->n++] = (char)('0' + first);
        while (out->n < keep && !exhausted(&x))
            out->d[out->n++] = (char)('0' + next_digit(&x));
        if (out->n < keep)
            return; /* exact: every further digit is zero */
        next = exhausted(&x) ? 0 : next_digit(&x);
        last = out->d[out->n - 1] - '0';
    }
    bool sticky = !exhausted(&x);
    if (next < 5 || (next == 5 && !sticky && (last & 1) == 0))
        return;

    /* Round up, carrying through nines. */
    int i = out->n - 1;
    while (i >= 0 && out->d[i] == '9')
        out->d[i--] = '0';
    if (i >= 0) {
        out->d[i]++;
    } else {
        out->d[0] = '1';
        if (out->n == 0)
            out->n = 1;
        out->exp++;
    }
}

/* Buffered output of one conversion. */
struct emitter {
    struct fmt_sink *sink;
    char buf[64];
    size_t len;
};

static void emit(struct emitter *e, char c)
{
    if (e->len == sizeof(e->buf)) {
        e->sink->put(e->sink, e->buf, e->len);
        e->len = 0;
    }
    e->buf[e->len++] = c;
}

static void emit_flush(struct emitter *e)
{
    e->sink->put(e->sink, e->buf, e->len);
    e->len = 0;
}

static char digit_at(const struct decimal *dec, long i)
{
    return i >= 0 && i < dec->n ? dec->d[i] : '0';
}

/* Pads and emits sign + body where body has blen characters produced by
 * body(); zero padding goes between sign and body. */
static size_t emit_field(struct emitter *e, const struct fmt_spec *spec, char sign, size_t blen,
                         bool zero_ok, void (*body)(struct emitter *, const void *),
                         const void *ctx)
{
    size_t len = (sign ? 1 : 0) + blen;
    size_t pad = spec->width > 0 && (size_t)spec->width > len ? (size_t)spec->width - len : 0;
    bool zeros = zero_ok && (spec->flags & FMT_ZERO) && !(spec->flags & FMT_LEFT);
    if (!(spec->flags & FMT_LEFT) && !zeros)
        __zxsim_fmt_pad(e->sink, ' ', pad);
    if (sign)
        emit(e, sign);
    if (zeros) {
        for (size_t i = 0; i < pad; i++)
            emit(e, '0');
    }
    body(e, ctx);
    emit_flush(e);
    if (spec->flags & FMT_LEFT)
        __zxsim_fmt_pad(e->sink, ' ', pad);
    return len + pad;
}

struct layout {
    const struct decimal *dec;
    bool exp_style;
    bool point;  /* print the decimal point */
    int prec;    /* digits after the point */
    int int_len; /* fixed style: digits before the point */
    bool upper;
};

static void body_text(struct emitter *e, const void *ctx)
{
    for (const char *s = ctx; *s; s++)
        emit(e, *s);
}

static void body_decimal(struct emitter *e, const void *ctx)
{
    const struct layout *l = ctx;
    const struct decimal *dec = l->dec;
    if (l->exp_style) {
        emit(e, digit_at(dec, 0));
        if (l->point)
            emit(e, '.');
        for (int i = 1; i <= l->prec; i++)
            emit(e, digit_at(dec, i));
        int x = dec->n > 0 ? dec->exp : 0;
        emit(e, l->upper ? 'E' : 'e');
        emit(e, x < 0 ? '-' : '+');
        if (x < 0)
            x = -x;
        if (x >= 100)
            emit(e, (char)('0' + x / 100));
        emit(e, (char)('0' + x / 10 % 10));
        emit(e, (char)('0' + x % 10));
    } else {
        /* The digit of weight 10^k sits at index exp - k. */
        for (int k = l->int_len - 1; k >= 0; k--)
            emit(e, dec->n > 0 ? digit_at(dec, (long)dec->exp - k) : '0');
        if (l->point)
            emit(e, '.');
        for (int j = 1; j <= l->prec; j++)
            emit(e, dec->n > 0 ? digit_at(dec, (long)dec->exp + j) : '0');
    }
}

struct hexfloat {
    int lead;      /* digit before the point */
    uint64_t frac; /* ndig hex digits after the point */
    int ndig;
    int extra; /* zeros after them, for precisions above 13 */
    int exp;
    size_t zeros; /* '0' flag padding, which goes after the "0x" */
    bool point;
    bool upper;
};

static void body_hex(struct emitter *e, const void *ctx)
{
    const struct hexfloat *h = ctx;
    const char *alphabet = h->upper ? "0123456789ABCDEF" : "0123456789abcdef";
    emit(e, '0');
    emit(e, h->upper ? 'X' : 'x');
    for (size_t i = 0; i < h->zeros; i++)
        emit(e, '0');
    emit(e, (char)('0' + h->lead));
    if (h->point)
        emit(e, '.');
    for (int i = h->ndig - 1; i >= 0; i--)
        emit(e, alphabet[h->frac >> (4 * i) & 0xf]);
    for (int i = 0; i < h->extra; i++)
        emit(e, '0');
    emit(e, h->upper ? 'P' : 'p');
    emit(e, h->exp < 0 ? '-' : '+');
    char rev[8];
    int n = 0;
    for (unsigned x = (unsigned)(h->exp < 0 ? -h->exp : h->exp); n == 0 || x != 0; x /= 10)
        rev[n++] = (char)('0' + x % 10);
    while (n > 0)
        emit(e, rev[--n]);
}

/* %a: the 52-bit fraction as 13 hex digits after a leading 1 (0 for
 * subnormals), rounded half-even when a precision is given. */
static size_t format_hex(struct emitter *e, const struct fmt_spec *spec, char sign, double v,
                         bool upper)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof(bits));
    int bexp = (int)(bits >> 52 & 0x7ff);
    struct hexfloat h = {.frac = bits & ((1ull << 52) - 1), .ndig = 13, .upper = upper};
    if (bexp == 0) {
        h.lead = 0;
        h.exp = h.frac == 0 ? 0 : -1022;
    } else {
        h.lead = 1;
        h.exp = bexp - 1023;
    }
    if (spec->prec >= 0 && spec->prec < 13) {
        int drop = 4 * (13 - spec->prec);
        uint64_t rest = h.frac & ((1ull << drop) - 1), half = 1ull << (drop - 1);
        h.frac >>= drop;
        h.ndig = spec->prec;
        /* Ties go to an even last digit, the leading one if none follow. */
        uint64_t last = h.ndig > 0 ? h.frac : (uint64_t)h.lead;
        if (rest > half || (rest == half && (last & 1))) {
            h.frac++;
            if (h.frac >> (4 * h.ndig)) {
                h.frac = 0;
                h.lead++;
            }
        }
    } else if (spec->prec < 0) {
        while (h.ndig > 0 && (h.frac & 0xf) == 0) {
            h.frac >>= 4;
            h.ndig--;
        }
    } else {
        h.extra = spec->prec - 13;
    }
    h.point = h.ndig + h.extra > 0 || (spec->flags & FMT_ALT);
    int ax = h.exp < 0 ? -h.exp : h.exp;
    size_t blen = 3 + (h.point ? 1 : 0) + (size_t)(h.ndig + h.extra) + 2 +
                  (ax >= 1000  ? 4
                   : ax >= 100 ? 3
                   : ax >= 10  ? 2
                               : 1);
    size_t len = (sign ? 1 : 0) + blen;
    if ((spec->flags & FMT_ZERO) && !(spec->flags & FMT_LEFT) && spec->width > 0 &&
        (size_t)spec->width > len) {
        h.zeros = (size_t)spec->width - len;
        blen += h.zeros;
    }
    return emit_field(e, spec, sign, blen, false, body_hex, &h);
}

size_t __zxsim_format_double(struct fmt_sink *sink, const struct fmt_spec *spec, double v)
{
    struct emitter e = {.sink = sink};
    uint64_t bits;
    memcpy(&bits, &v, sizeof(bits));
    bool negative = bits >> 63;
    char sign = negative                    ? '-'
                : (spec->flags & FMT_PLUS)  ? '+'
                : (spec->flags & FMT_SPACE) ? ' '
                                            : 0;
    if (negative)
        v = -v;
    char conv = spec->conv;
    bool upper = conv >= 'A' && conv <= 'Z';
    if (upper)
        conv = (char)(conv - 'A' + 'a');

    if ((bits >> 52 & 0x7ff) == 0x7ff) {
        bool nan = (bits & ((1ull << 52) - 1)) != 0;
        const char *text = nan ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
        return emit_field(&e, spec, sign, 3, false, body_text, text);
    }
    if (conv == 'a')
        return format_hex(&e, spec, sign, v, upper);

    int prec = spec->prec < 0 ? 6 : spec->prec;
    struct decimal dec;
    struct layout l = {.dec = &dec, .upper = upper};
    bool strip = false;
    if (conv == 'e') {
        round_decimal(v, true, prec + 1, &dec);
        l.exp_style = true;
        l.prec = prec;
    } else if (conv == 'f') {
        round_decimal(v, false, prec, &dec);
        l.prec = prec;
    } else {
        /* %g: the exponent X of the value rounded to P significant digits
         * picks the style; those digits serve either style unchanged. */
        int p = prec == 0 ? 1 : prec;
        round_decimal(v, true, p, &dec);
        int x = dec.n > 0 ? dec.exp : 0;
        if (p > x && x >= -4) {
            l.prec = p - 1 - x;
        } else {
            l.exp_style = true;
            l.prec = p - 1;
        }
        strip = !(spec->flags & FMT_ALT);
    }
    if (strip) {
        int nz = dec.n;
        while (nz > 0 && dec.d[nz - 1] == '0')
            nz--;
        int needed = nz == 0 ? 0 : l.exp_style ? nz - 1 : nz - 1 - dec.exp;
        if (needed < 0)
            needed = 0;
        if (needed < l.prec)
            l.prec = needed;
    }
    l.point = l.prec > 0 || (spec->flags & FMT_ALT);

    size_t blen;
    if (l.exp_style) {
        int x = dec.n > 0 ? dec.exp : 0;
        if (x < 0)
            x = -x;
        blen = 1 + (l.point ? 1 : 0) + (size_t)l.prec + 2 + (x >= 100 ? 3 : 2);
    } else {
        l.int_len = dec.n > 0 && dec.exp >= 0 ? dec.exp + 1 : 1;
        blen = (size_t)l.int_len + (l.point ? 1 : 0) + (size_t)l.prec;
    }
    return emit_field(&e, spec, sign, blen, true, body_decimal, &l);
}
