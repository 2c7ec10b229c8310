/* <strings.h> of zxsim's guest libc. */
#pragma once

#include <stddef.h>
#include <zircon/compiler.h>

__BEGIN_CDECLS

int bcmp(const void *a, const void *b, size_t n);
int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, size_t n);

__END_CDECLS
