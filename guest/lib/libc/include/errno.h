/* <errno.h> of zxsim's guest libc. The values are Linux's, which is what
 * most portable code expects to print. Single-threaded: errno is a plain int. */
#pragma once

#include <zircon/compiler.h>

__BEGIN_CDECLS
extern int errno;
__END_CDECLS

#define errno errno

#define EPERM  1
#define ENOENT 2
#define EIO    5
#define EBADF  9
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY  16
#define EEXIST 17
#define EINVAL 22
#define ENOSPC 28
#define EDOM   33
#define ERANGE 34
#define ENOSYS 38
