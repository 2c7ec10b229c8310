/* Page-size bounds of <zircon/limits.h>. zxsim always uses 4 KiB pages
 * (zx_system_get_page_size() says so); these are the architecture's bounds
 * a portable program may size buffers by. */
#pragma once

#include <stdint.h>

#if defined(__aarch64__) || defined(__arm__)
#define ZX_MIN_PAGE_SHIFT ((uint32_t)12u)
#define ZX_MAX_PAGE_SHIFT ((uint32_t)16u)
#else
#define ZX_MIN_PAGE_SHIFT ((uint32_t)12u)
#define ZX_MAX_PAGE_SHIFT ((uint32_t)21u)
#endif

#define ZX_MIN_PAGE_SIZE ((uintptr_t)(1u << ZX_MIN_PAGE_SHIFT))
#define ZX_MAX_PAGE_SIZE ((uintptr_t)(1u << ZX_MAX_PAGE_SHIFT))
