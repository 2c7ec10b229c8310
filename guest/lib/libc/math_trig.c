/* Trigonometric functions. sin/cos/tan reduce the argument by multiples of
 * pi/2 with pi/2 split in three parts (the first two with 33 bits, so
 * their multiples are exact while the multiple is below 2^20: arguments up
 * to about 1.6e6 keep full accuracy; beyond that the reduction is done
 * with fmod against 2*pi in double and loses accuracy). The reduced value,
 * at most pi/4, goes through Taylor series to 2^-60. */
#include "math_internal.h"

#include <math.h>

#define PIO2_1   0x1.921fb544p+0
#define PIO2_2   0x1.0b4611a6p-34
#define PIO2_3   0x1.3198a2e037073p-69
#define INV_PIO2 0x1.45f306dc9c883p-1
#define PI_HI    0x1.921fb54442d18p+1
#define PI_LO    0x1.1a62633145c07p-53
#define PIO2_HI  0x1.921fb54442d18p+0
#define PIO2_LO  0x1.1a62633145c07p-54

static double sin_kernel(double r)
{
    double z = r * r;
    double p = -1.0 / 355687428096000.0; /* -1/17! */
    p = 1.0 / 1307674368000.0 + z * p;
    p = -1.0 / 6227020800.0 + z * p;
    p = 1.0 / 39916800.0 + z * p;
    p = -1.0 / 362880.0 + z * p;
    p = 1.0 / 5040.0 + z * p;
    p = -1.0 / 120.0 + z * p;
    p = 1.0 / 6.0 + z * p; /* 1/6 - z/120 + ... */
    return r - r * z * p;
}

static double cos_kernel(double r)
{
    double z = r * r;
    double p = 1.0 / 6402373705728000.0; /* 1/18! */
    p = -1.0 / 20922789888000.0 + z * p;
    p = 1.0 / 87178291200.0 + z * p;
    p = -1.0 / 479001600.0 + z * p;
    p = 1.0 / 3628800.0 + z * p;
    p = -1.0 / 40320.0 + z * p;
    p = 1.0 / 720.0 + z * p;
    p = -1.0 / 24.0 + z * p; /* -1/24 + z/720 - ... : cos = 1 - z/2 - z^2 p */
    double hz = 0.5 * z;
    double w = 1.0 - hz;
    /* 1 - hz rounds; the lost part is added back before the tail. */
    return w + (((1.0 - w) - hz) - z * z * p);
}

/* x = n * pi/2 + r, |r| <= about pi/4; returns n mod 4. */
static int reduce(double x, double *r)
{
    if (fabs(x) <= 0x1.921fb54442d18p-1) {
        *r = x;
        return 0;
    }
    if (fabs(x) < 0x1p20 * PIO2_1) {
        double k = round(x * INV_PIO2);
        *r = ((x - k * PIO2_1) - k * PIO2_2) - k * PIO2_3;
        return (int)((int64_t)k & 3);
    }
    double y = fmod(x, 2 * PI_HI);
    double k = round(y * INV_PIO2);
    *r = ((y - k * PIO2_1) - k * PIO2_2) - k * PIO2_3;
    return (int)((int64_t)k & 3);
}

void sincos(double x, double *s, double *c)
{
    if (isnan(x) || isinf(x)) {
        *s = *c = NAN;
        return;
    }
    if (fabs(x) < 0x1p-27) {
        *s = x;
        *c = 1.0;
        return;
    }
    double r;
    int n = reduce(x, &r);
    double sr = sin_kernel(r), cr = cos_kernel(r);
    switch (n) {
    case 0:
        *s = sr;
        *c = cr;
        break;
    case 1:
        *s = cr;
        *c = -sr;
        break;
    case 2:
        *s = -sr;
        *c = -cr;
        break;
    default:
        *s = -cr;
        *c = sr;
        break;
    }
}

double sin(double x)
{
    double s, c;
    sincos(x, &s, &c);
    return s;
}

double cos(double x)
{
    double s, c;
    sincos(x, &s, &c);
    return c;
}

double tan(double x)
{
    if (isnan(x) || isinf(x))
        return NAN;
    if (fabs(x) < 0x1p-27)
        return x;
    double r;
    int n = reduce(x, &r);
    double sr = sin_kernel(r), cr = cos_kernel(r);
    return (n & 1) ? -cr / sr : sr / cr;
}

/* atan(u) for |u| <= 7/16, by its series to u^45. */
static double atan_series(double u)
{
    double z = u * u;
    double p = 0;
    for (int k = 22; k >= 1; k--)
        p = (k & 1 ? -1.0 : 1.0) / (2 * k + 1) + z * p;
    return u + u * z * p;
}

double atan(double x)
{
    if (isnan(x))
        return x;
    double t = fabs(x);
    if (t > 0x1p66)
        return copysign(PIO2_HI + PIO2_LO, x);
    /* atan(t) = atan(c) + atan((t - c) / (1 + t c)) for a c near t. */
    double hi, lo, u;
    if (t < 7.0 / 16) {
        hi = lo = 0;
        u = t;
    } else if (t < 11.0 / 16) {
        hi = 0x1.dac670561bb4fp-2; /* atan(1/2) */
        lo = 0x1.a2b7f222f65e2p-56;
        u = (2 * t - 1) / (2 + t);
    } else if (t < 19.0 / 16) {
        hi = 0x1.921fb54442d18p-1; /* atan(1) */
        lo = 0x1.1a62633145c07p-55;
        u = (t - 1) / (t + 1);
    } else if (t < 39.0 / 16) {
        hi = 0x1.f730bd281f69bp-1; /* atan(3/2) */
        lo = 0x1.007887af0cbbdp-56;
        u = (t - 1.5) / (1 + 1.5 * t);
    } else {
        hi = PIO2_HI;
        lo = PIO2_LO;
        u = -1 / t;
    }
    double r = hi + (lo + atan_series(u));
    return copysign(r, x);
}

double atan2(double y, double x)
{
    if (isnan(x) || isnan(y))
        return NAN;
    if (y == 0) {
        if (signbit(x))
            return copysign(PI_HI, y);
        return y; /* +-0 */
    }
    if (x == 0)
        return copysign(PIO2_HI, y);
    if (isinf(x)) {
        if (isinf(y))
            return copysign(signbit(x) ? 3 * 0x1.921fb54442d18p-1 : 0x1.921fb54442d18p-1, y);
        return signbit(x) ? copysign(PI_HI, y) : copysign(0.0, y);
    }
    if (isinf(y))
        return copysign(PIO2_HI, y);
    double z = atan(fabs(y / x));
    if (signbit(x))
        z = PI_HI - (z - PI_LO);
    return copysign(z, y);
}

float sinf(float x)
{
    return (float)sin(x);
}

float cosf(float x)
{
    return (float)cos(x);
}

float tanf(float x)
{
    return (float)tan(x);
}

float atanf(float x)
{
    return (float)atan(x);
}

float atan2f(float y, float x)
{
    return (float)atan2(y, x);
}
