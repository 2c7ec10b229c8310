/* <assert.h> of zxsim's guest libc. No include guard: the standard lets a
 * program include it again after changing NDEBUG. */
#include <zircon/compiler.h>

__BEGIN_CDECLS
__NO_RETURN void __zxsim_assert_fail(const char *expr, const char *file, int line,
                                     const char *func);
__END_CDECLS

#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : __zxsim_assert_fail(#e, __FILE__, __LINE__, __func__))
#endif

#if !defined(__cplusplus) && !defined(static_assert)
#define static_assert _Static_assert
#endif
