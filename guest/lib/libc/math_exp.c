/* Exponentials and logarithms. Arguments are reduced by powers of two
 * (ln 2 split into a part whose multiples are exact and a correction), and
 * the reduced function is a Taylor series short enough to stay below
 * 2^-60 of the result: about one unit in the last place in all. */
#include "math_internal.h"

#include <math.h>

#define LN2_HI  0x1.62e42ffp-1 /* 32 bits: k * LN2_HI is exact */
#define LN2_LO  -0x1.718432a1b0e26p-35
#define INV_LN2 0x1.71547652b82fep+0
#define LN2     0x1.62e42fefa39efp-1

/* e^r - 1 for |r| <= ln2 / 2. */
static double expm1_small(double r)
{
    double p = 1.0 / 6227020800.0; /* 1/13! */
    p = 1.0 / 479001600.0 + r * p;
    p = 1.0 / 39916800.0 + r * p;
    p = 1.0 / 3628800.0 + r * p;
    p = 1.0 / 362880.0 + r * p;
    p = 1.0 / 40320.0 + r * p;
    p = 1.0 / 5040.0 + r * p;
    p = 1.0 / 720.0 + r * p;
    p = 1.0 / 120.0 + r * p;
    p = 1.0 / 24.0 + r * p;
    p = 1.0 / 6.0 + r * p;
    p = 0.5 + r * p;
    return r + r * r * p;
}

double exp(double x)
{
    if (isnan(x))
        return x;
    if (x > 709.782712893384)
        return INFINITY;
    if (x < -745.1332191019412)
        return 0.0;
    if (fabs(x) < 0x1p-54)
        return 1.0 + x;
    double kd = round(x * INV_LN2);
    int k = (int)kd;
    double r = (x - kd * LN2_HI) - kd * LN2_LO;
    return ldexp(1.0 + expm1_small(r), k);
}

/* 2^x = 2^k * e^(f ln 2) with k the nearest integer: f is exact. */
double exp2(double x)
{
    if (isnan(x))
        return x;
    if (x >= 1024)
        return INFINITY;
    if (x < -1075)
        return 0.0;
    double kd = round(x);
    double f = x - kd;
    return ldexp(1.0 + expm1_small(f * LN2), (int)kd);
}

/* x = 2^e * (1 + f) with 1 + f in [sqrt(1/2), sqrt(2)); log(1 + f) is
 * returned as f - t, t the small correction, so that callers can scale
 * the exact f and the correction separately. */
static void log_parts(double x, int *e, double *f, double *t)
{
    int bias = 0;
    if (math_exponent(x) == -1023) {
        x *= 0x1p64;
        bias = 64;
    }
    int ex = math_exponent(x);
    double m = math_from_bits((math_bits(x) & ~(0x7ffull << 52)) | (0x3ffull << 52));
    if (m > 0x1.6a09e667f3bcdp+0) { /* sqrt(2) */
        m *= 0.5;
        ex++;
    }
    *e = ex - bias;
    double fv = m - 1.0; /* exact */
    /* log(1 + f) = 2 atanh(s), s = f / (2 + f); rewritten as
     * f - (f^2/2 - s (f^2/2 + R)) with R = 2s^2/3 + 2s^4/5 + ... */
    double s = fv / (2.0 + fv);
    double z = s * s;
    double r = 2.0 / 25.0;
    r = 2.0 / 23.0 + z * r;
    r = 2.0 / 21.0 + z * r;
    r = 2.0 / 19.0 + z * r;
    r = 2.0 / 17.0 + z * r;
    r = 2.0 / 15.0 + z * r;
    r = 2.0 / 13.0 + z * r;
    r = 2.0 / 11.0 + z * r;
    r = 2.0 / 9.0 + z * r;
    r = 2.0 / 7.0 + z * r;
    r = 2.0 / 5.0 + z * r;
    r = 2.0 / 3.0 + z * r;
    r *= z;
    double hfsq = 0.5 * fv * fv;
    *f = fv;
    *t = hfsq - s * (hfsq + r);
}

/* NaN, -inf, +inf and negative arguments per C; else finite. */
static int log_special(double x, double *out)
{
    if (isnan(x)) {
        *out = x;
        return 1;
    }
    if (x < 0) {
        *out = NAN;
        return 1;
    }
    if (x == 0) {
        *out = -INFINITY;
        return 1;
    }
    if (isinf(x)) {
        *out = x;
        return 1;
    }
    return 0;
}

double log(double x)
{
    double out;
    if (log_special(x, &out))
        return out;
    int e;
    double f, t;
    log_parts(x, &e, &f, &t);
    return e * LN2_HI + (f - (t - e * LN2_LO));
}

double log2(double x)
{
    double out;
    if (log_special(x, &out))
        return out;
    int e;
    double f, t;
    log_parts(x, &e, &f, &t);
    return e + (f - t) * INV_LN2;
}

double log10(double x)
{
    return log(x) * 0x1.bcb7b1526e50ep-2; /* 1 / ln 10 */
}

static int is_integer(double y)
{
    return trunc(y) == y;
}

static int is_odd_integer(double y)
{
    return is_integer(y) && fabs(y) < 0x1p53 && fmod(y, 2.0) != 0;
}

/* x^n by repeated squaring: exact as long as the products are. */
static double pow_int(double x, unsigned n)
{
    double r = 1.0;
    while (n) {
        if (n & 1)
            r *= x;
        x *= x;
        n >>= 1;
    }
    return r;
}

/* a * b = *p + *e exactly (Veltkamp's split, Dekker's product). */
static void two_prod(double a, double b, double *p, double *e)
{
    const double split = 0x1p27 + 1;
    double ca = split * a, cb = split * b;
    double ah = ca - (ca - a), al = a - ah;
    double bh = cb - (cb - b), bl = b - bh;
    *p = a * b;
    *e = ((ah * bh - *p) + ah * bl + al * bh) + al * bl;
}

/* x^y = 2^(y log2 x) for finite x > 0: with x = 2^e m, y e is kept exact
 * in two doubles and only y log2(m) (|log2 m| <= 1/2) is rounded, so the
 * error does not grow with the exponent of x. */
static double pow_finite(double x, double y)
{
    int e;
    double f, t;
    log_parts(x, &e, &f, &t);
    double ye_hi, ye_lo;
    two_prod(y, (double)e, &ye_hi, &ye_lo);
    double b = y * ((f - t) * INV_LN2);
    double s = ye_hi + b;
    double s_lo = (ye_hi - s) + b; /* exact when |ye_hi| >= |b| */
    if (fabs(b) > fabs(ye_hi))
        s_lo = (b - s) + ye_hi;
    if (s > 1100)
        return INFINITY;
    if (s < -1200)
        return 0.0;
    double k = round(s);
    double r = (s - k) + (s_lo + ye_lo);
    return ldexp(1.0 + expm1_small(r * LN2), (int)k);
}

double pow(double x, double y)
{
    if (y == 0 || x == 1)
        return 1.0;
    if (isnan(x) || isnan(y))
        return NAN;
    if (x == -1 && isinf(y))
        return 1.0;
    int negate = 0;
    if (x < 0 || (x == 0 && signbit(x))) {
        if (!is_integer(y) && !isinf(y))
            return x == 0 ? (y < 0 ? INFINITY : 0.0) : NAN;
        negate = is_odd_integer(y);
        x = -x;
    }
    double r;
    if (is_integer(y) && fabs(y) <= 64) {
        r = pow_int(x, (unsigned)fabs(y));
        if (y < 0)
            r = 1.0 / r;
    } else if (x == 0 || isinf(x) || isinf(y) || fabs(y) > 0x1p60) {
        r = exp(y * log(x)); /* 0, inf or 1: no precision to keep */
    } else {
        r = pow_finite(x, y);
    }
    return negate ? -r : r;
}

float expf(float x)
{
    return (float)exp(x);
}

float exp2f(float x)
{
    return (float)exp2(x);
}

float logf(float x)
{
    return (float)log(x);
}

float log2f(float x)
{
    return (float)log2(x);
}

float log10f(float x)
{
    return (float)log10(x);
}

float powf(float x, float y)
{
    return (float)pow(x, y);
}
