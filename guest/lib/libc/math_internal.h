/* Bit access to doubles for the math functions. */
#pragma once

#include <stdint.h>

static inline uint64_t math_bits(double x)
{
    uint64_t u;
    __builtin_memcpy(&u, &x, sizeof u);
    return u;
}

static inline double math_from_bits(uint64_t u)
{
    double x;
    __builtin_memcpy(&x, &u, sizeof x);
    return x;
}

/* The unbiased exponent field (-1023 for zero and subnormals). */
static inline int math_exponent(double x)
{
    return (int)((math_bits(x) >> 52) & 0x7ff) - 1023;
}
