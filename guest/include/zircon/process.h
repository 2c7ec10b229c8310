/* The handles a process starts with (Fuchsia's <zircon/process.h>). */
#pragma once

#include <zircon/types.h>

__BEGIN_CDECLS

zx_handle_t zx_process_self(void);
zx_handle_t zx_vmar_root_self(void);

__END_CDECLS
