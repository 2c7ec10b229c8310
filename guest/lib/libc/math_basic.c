/* Exact functions of <math.h>: rounding, remainders, scaling, and the
 * square root (an instruction on both ISAs). */
#include "math_internal.h"

#include <math.h>

double sqrt(double x)
{
#if defined(__aarch64__)
    __asm__("fsqrt %d0, %d1" : "=w"(x) : "w"(x));
#else
    __asm__("sqrtsd %1, %0" : "=x"(x) : "x"(x));
#endif
    return x;
}

float sqrtf(float x)
{
#if defined(__aarch64__)
    __asm__("fsqrt %s0, %s1" : "=w"(x) : "w"(x));
#else
    __asm__("sqrtss %1, %0" : "=x"(x) : "x"(x));
#endif
    return x;
}

double fabs(double x)
{
    return math_from_bits(math_bits(x) & ~(1ull << 63));
}

double copysign(double x, double y)
{
    return math_from_bits((math_bits(x) & ~(1ull << 63)) | (math_bits(y) & (1ull << 63)));
}

double trunc(double x)
{
    int e = math_exponent(x);
    if (e >= 52)
        return x; /* integral already, or inf / NaN */
    if (e < 0)
        return copysign(0.0, x);
    uint64_t fraction = (1ull << (52 - e)) - 1;
    return math_from_bits(math_bits(x) & ~fraction);
}

double floor(double x)
{
    double t = trunc(x);
    return (x < 0 && t != x) ? t - 1.0 : t;
}

double ceil(double x)
{
    double t = trunc(x);
    return (x > 0 && t != x) ? t + 1.0 : t;
}

/* Halfway cases away from zero. x - trunc(x) is exact. */
double round(double x)
{
    double t = trunc(x);
    if (fabs(x - t) >= 0.5)
        t += copysign(1.0, x);
    return t;
}

double modf(double x, double *iptr)
{
    double t = trunc(x);
    *iptr = t;
    if (isinf(x))
        return copysign(0.0, x);
    return copysign(x - t, x);
}

double fmin(double x, double y)
{
    if (isnan(x))
        return y;
    if (isnan(y))
        return x;
    if (x == y)
        return signbit(x) ? x : y; /* -0 is the smaller zero */
    return x < y ? x : y;
}

double fmax(double x, double y)
{
    if (isnan(x))
        return y;
    if (isnan(y))
        return x;
    if (x == y)
        return signbit(x) ? y : x;
    return x > y ? x : y;
}

/* Multiplies by powers of two in steps that cannot overflow an exponent,
 * so subnormal results are rounded once. */
double ldexp(double x, int n)
{
    if (n > 1023) {
        x *= 0x1p1023;
        n -= 1023;
        if (n > 1023) {
            x *= 0x1p1023;
            n -= 1023;
            if (n > 1023)
                n = 1023;
        }
    } else if (n < -1022) {
        x *= 0x1p-1022 * 0x1p53;
        n += 1022 - 53;
        if (n < -1022) {
            x *= 0x1p-1022 * 0x1p53;
            n += 1022 - 53;
            if (n < -1022)
                n = -1022;
        }
    }
    return x * math_from_bits((uint64_t)(0x3ff + n) << 52);
}

double scalbn(double x, int n)
{
    return ldexp(x, n);
}

double frexp(double x, int *e)
{
    if (x == 0 || isnan(x) || isinf(x)) {
        *e = 0;
        return x;
    }
    int bias = 0;
    if (math_exponent(x) == -1023) { /* subnormal: make it normal first */
        x *= 0x1p64;
        bias = 64;
    }
    *e = math_exponent(x) + 1 - bias;
    return math_from_bits((math_bits(x) & ~(0x7ffull << 52)) | (0x3feull << 52));
}

/* Subtracts the largest y * 2^k not above the remainder until it is below
 * |y|; each subtraction is exact (the operands are within a factor of two),
 * so the result is the exact remainder. */
double fmod(double x, double y)
{
    if (isnan(x) || isnan(y) || isinf(x) || y == 0)
        return NAN;
    double ax = fabs(x), ay = fabs(y);
    if (ax < ay)
        return x;
    int ey;
    frexp(ay, &ey);
    while (ax >= ay) {
        int ex;
        frexp(ax, &ex);
        double t = ldexp(ay, ex - ey);
        if (t > ax)
            t = ldexp(ay, ex - ey - 1);
        ax -= t;
    }
    return copysign(ax, x);
}

double hypot(double x, double y)
{
    if (isinf(x) || isinf(y))
        return INFINITY;
    if (isnan(x) || isnan(y))
        return NAN;
    double a = fabs(x), b = fabs(y);
    if (a < b) {
        double t = a;
        a = b;
        b = t;
    }
    if (b == 0)
        return a;
    if (a > b * 0x1p60)
        return a + b;
    double scale = 1.0;
    if (a > 0x1p500) {
        a *= 0x1p-600;
        b *= 0x1p-600;
        scale = 0x1p600;
    } else if (b < 0x1p-500) {
        a *= 0x1p600;
        b *= 0x1p600;
        scale = 0x1p-600;
    }
    return scale * sqrt(a * a + b * b);
}

float fabsf(float x)
{
    return (float)fabs(x);
}

float floorf(float x)
{
    return (float)floor(x);
}

float ceilf(float x)
{
    return (float)ceil(x);
}

float truncf(float x)
{
    return (float)trunc(x);
}

float roundf(float x)
{
    return (float)round(x);
}

float fmodf(float x, float y)
{
    return (float)fmod(x, y);
}

float fminf(float x, float y)
{
    return (float)fmin(x, y);
}

float fmaxf(float x, float y)
{
    return (float)fmax(x, y);
}

float copysignf(float x, float y)
{
    return (float)copysign(x, y);
}

float ldexpf(float x, int n)
{
    return (float)ldexp(x, n);
}

float hypotf(float x, float y)
{
    return (float)hypot(x, y);
}
