/* zx_status_get_string of <zircon/status.h>. */
#pragma once

#include <zircon/compiler.h>
#include <zircon/types.h>

__BEGIN_CDECLS

/* The status's name ("ZX_ERR_NO_MEMORY"), or "(UNKNOWN)" for a value Zircon
 * does not define. The string is static. */
const char *zx_status_get_string(zx_status_t status);

__END_CDECLS
