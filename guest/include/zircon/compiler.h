#pragma once

#ifdef __cplusplus
#define __BEGIN_CDECLS extern "C" {
#define __END_CDECLS   }
#else
#define __BEGIN_CDECLS
#define __END_CDECLS
#endif

#define __NO_RETURN          __attribute__((__noreturn__))
#define __WARN_UNUSED_RESULT __attribute__((__warn_unused_result__))
#define __PACKED             __attribute__((__packed__))
