/* Linked into every program that opens a Unicorn engine (zxsim and the
 * tests that drive Unicorn), so that the sanitizer build passes on our code
 * alone: Unicorn 2.1.1 itself loses 32 bytes for every engine whose CPU got
 * set up. Leaks anywhere else still fail. Without LeakSanitizer these two
 * functions are never called. */
#if defined(__SANITIZE_ADDRESS__)
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libunicorn.so\n";
}

/* Not even a "suppressions used" note: stderr is part of zxsim's output. */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
    return "print_suppressions=0";
}
#else
/* ISO C wants a translation unit to declare something. */
typedef int sim_lsan_defaults_unused;
#endif
