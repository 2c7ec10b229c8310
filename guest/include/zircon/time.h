/* Time types, units and saturating arithmetic of <zircon/time.h>.
 * Arithmetic on times and durations saturates at the infinities instead of
 * overflowing, so a deadline computed from ZX_TIME_INFINITE stays infinite. */
#pragma once

#include <stdint.h>
#include <zircon/compiler.h>

typedef int64_t zx_time_t;
typedef int64_t zx_duration_t;
typedef int64_t zx_ticks_t;
typedef int64_t zx_instant_mono_t;
typedef int64_t zx_instant_boot_t;
typedef int64_t zx_duration_mono_t;
typedef int64_t zx_duration_boot_t;

#define ZX_TIME_INFINITE      INT64_MAX
#define ZX_TIME_INFINITE_PAST INT64_MIN

#define ZX_NSEC(n) ((zx_duration_t)(1ll * (n)))
#define ZX_USEC(n) ((zx_duration_t)(1000ll * (n)))
#define ZX_MSEC(n) ((zx_duration_t)(1000000ll * (n)))
#define ZX_SEC(n)  ((zx_duration_t)(1000000000ll * (n)))
#define ZX_MIN(n)  (ZX_SEC(n) * 60ll)
#define ZX_HOUR(n) (ZX_MIN(n) * 60ll)

__BEGIN_CDECLS

static inline zx_time_t zx_time_add_duration(zx_time_t time, zx_duration_t duration)
{
    zx_time_t x;
    if (__builtin_add_overflow(time, duration, &x))
        return x >= 0 ? ZX_TIME_INFINITE_PAST : ZX_TIME_INFINITE;
    return x;
}

static inline zx_time_t zx_time_sub_duration(zx_time_t time, zx_duration_t duration)
{
    zx_time_t x;
    if (__builtin_sub_overflow(time, duration, &x))
        return x >= 0 ? ZX_TIME_INFINITE_PAST : ZX_TIME_INFINITE;
    return x;
}

static inline zx_duration_t zx_time_sub_time(zx_time_t time1, zx_time_t time2)
{
    zx_duration_t x;
    if (__builtin_sub_overflow(time1, time2, &x))
        return x >= 0 ? ZX_TIME_INFINITE_PAST : ZX_TIME_INFINITE;
    return x;
}

static inline zx_duration_t zx_duration_add_duration(zx_duration_t dur1, zx_duration_t dur2)
{
    zx_duration_t x;
    if (__builtin_add_overflow(dur1, dur2, &x))
        return x >= 0 ? ZX_TIME_INFINITE_PAST : ZX_TIME_INFINITE;
    return x;
}

static inline zx_duration_t zx_duration_sub_duration(zx_duration_t dur1, zx_duration_t dur2)
{
    zx_duration_t x;
    if (__builtin_sub_overflow(dur1, dur2, &x))
        return x >= 0 ? ZX_TIME_INFINITE_PAST : ZX_TIME_INFINITE;
    return x;
}

static inline zx_duration_t zx_duration_mul_int64(zx_duration_t duration, int64_t multiplier)
{
    zx_duration_t x;
    if (__builtin_mul_overflow(duration, multiplier, &x))
        return ((duration > 0) == (multiplier > 0)) ? ZX_TIME_INFINITE : ZX_TIME_INFINITE_PAST;
    return x;
}

static inline int64_t zx_nsec_from_duration(zx_duration_t n)
{
    return n;
}

static inline zx_duration_t zx_duration_from_nsec(int64_t n)
{
    return zx_duration_mul_int64(1, n);
}

static inline zx_duration_t zx_duration_from_usec(int64_t n)
{
    return zx_duration_mul_int64(1000, n);
}

static inline zx_duration_t zx_duration_from_msec(int64_t n)
{
    return zx_duration_mul_int64(1000000, n);
}

static inline zx_duration_t zx_duration_from_sec(int64_t n)
{
    return zx_duration_mul_int64(1000000000, n);
}

static inline zx_duration_t zx_duration_from_min(int64_t n)
{
    return zx_duration_mul_int64(60000000000, n);
}

static inline zx_duration_t zx_duration_from_hour(int64_t n)
{
    return zx_duration_mul_int64(3600000000000, n);
}

__END_CDECLS
