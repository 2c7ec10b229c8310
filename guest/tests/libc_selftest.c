/* Checks zxsim's guest libc from inside a guest: printf conversions (into
 * snprintf buffers, compared with glibc's output for the same calls), the
 * allocator, string functions, conversions and sorting. Prints one line per
 * check and ends with "N passed, N failed"; exits 0 only if all passed.
 * It uses standard C only, so it also builds against a host libc, which is
 * how the expected strings were confirmed. */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

static void check(int ok, const char *what)
{
    if (ok)
        passed++;
    else
        failed++;
    printf("%s: %s\n", ok ? "ok" : "FAIL", what);
}

/* Formats with snprintf and compares with the expected text and length. */
#define CHECK_FMT(expected, ...)                                                                   \
    do {                                                                                           \
        char buf_[512];                                                                            \
        int n_ = snprintf(buf_, sizeof(buf_), __VA_ARGS__);                                        \
        int ok_ = strcmp(buf_, expected) == 0 && n_ == (int)strlen(expected);                      \
        if (!ok_)                                                                                  \
            printf("  got \"%s\" (%d), want \"%s\"\n", buf_, n_, expected);                        \
        check(ok_, "printf " #__VA_ARGS__);                                                        \
    } while (0)

/* Passing int for %hhd and %hd is what the tests below mean to do. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
static void test_printf_integers(void)
{
    CHECK_FMT("0", "%d", 0);
    CHECK_FMT("-1", "%d", -1);
    CHECK_FMT("-2147483648", "%d", INT_MIN);
    CHECK_FMT("2147483647", "%i", INT_MAX);
    CHECK_FMT("4294967295", "%u", UINT_MAX);
    CHECK_FMT("[   42]", "[%5d]", 42);
    CHECK_FMT("[42   ]", "[%-5d]", 42);
    CHECK_FMT("-0042", "%05d", -42);
    CHECK_FMT("+5", "%+d", 5);
    CHECK_FMT(" 5", "% d", 5);
    CHECK_FMT("-5", "% d", -5);
    CHECK_FMT("007", "%.3d", 7);
    CHECK_FMT("[]", "[%.0d]", 0);
    CHECK_FMT("[    -007]", "[%8.3d]", -7);
    CHECK_FMT("[  007]", "[%05.3d]", 7);
    CHECK_FMT("ff", "%x", 255u);
    CHECK_FMT("FF", "%X", 255u);
    CHECK_FMT("0xff", "%#x", 255u);
    CHECK_FMT("0XFF", "%#X", 255u);
    CHECK_FMT("0", "%#x", 0u);
    CHECK_FMT("0x00ff", "%#06x", 255u);
    CHECK_FMT("10", "%o", 8u);
    CHECK_FMT("010", "%#o", 8u);
    CHECK_FMT("0", "%#o", 0u);
    CHECK_FMT("0", "%#.0o", 0u);
    CHECK_FMT("1", "%hhd", 257);
    CHECK_FMT("255", "%hhu", -1);
    CHECK_FMT("-1", "%hhd", 255);
    CHECK_FMT("1", "%hd", 65537);
    CHECK_FMT("65535", "%hu", -1);
    CHECK_FMT("-9223372036854775808", "%ld", LONG_MIN);
    CHECK_FMT("18446744073709551615", "%llu", ULLONG_MAX);
    CHECK_FMT("ffffffffffffffff", "%llx", ULLONG_MAX);
    CHECK_FMT("1777777777777777777777", "%lo", ULONG_MAX);
    CHECK_FMT("24", "%zu", sizeof(char[24]));
    CHECK_FMT("-9223372036854775808", "%jd", INTMAX_MIN);
    CHECK_FMT("-3", "%td", (ptrdiff_t)-3);
    CHECK_FMT("123456789012", "%" PRId64, (int64_t)123456789012);
    CHECK_FMT("deadbeef", "%" PRIx32, (uint32_t)0xdeadbeef);
    CHECK_FMT("[   42]", "[%*d]", 5, 42);
    CHECK_FMT("[42   ]", "[%*d]", -5, 42);
    CHECK_FMT("[42   ]", "[%-*d]", 5, 42);
    CHECK_FMT("005", "%.*d", 3, 5);
    CHECK_FMT("5", "%.*d", -1, 5);
    CHECK_FMT("[  -005]", "[%*.*d]", 6, 3, -5);
    CHECK_FMT("0x1234", "%p", (void *)0x1234);
    CHECK_FMT("a1b2", "%x%d%x%d", 0xa, 1, 0xb, 2);
}
#pragma GCC diagnostic pop

static void test_printf_text(void)
{
    CHECK_FMT("A", "%c", 'A');
    CHECK_FMT("[  A]", "[%3c]", 'A');
    CHECK_FMT("[A  ]", "[%-3c]", 'A');
    CHECK_FMT("hi", "%s", "hi");
    CHECK_FMT("h", "%.1s", "hi");
    CHECK_FMT("[   hi]", "[%5s]", "hi");
    CHECK_FMT("[hi   ]", "[%-5s]", "hi");
    CHECK_FMT("[  hel]", "[%5.3s]", "hello");
    CHECK_FMT("(null)", "%s", (char *)NULL);
    CHECK_FMT("100%", "%d%%", 100);
    CHECK_FMT("plain text", "plain text");
    CHECK_FMT("", "%s", "");

    int count = -1;
    char buf[32];
    snprintf(buf, sizeof(buf), "abc%ndef", &count);
    check(count == 3 && strcmp(buf, "abcdef") == 0, "printf %n stores the count so far");

    char small[5];
    int n = snprintf(small, sizeof(small), "%s", "hello world");
    check(n == 11 && strcmp(small, "hell") == 0, "snprintf truncates and returns the full length");
    check(snprintf(NULL, 0, "%d", 12345) == 5, "snprintf(NULL, 0) measures");
    n = sprintf(buf, "%s-%d", "x", 7);
    check(n == 3 && strcmp(buf, "x-7") == 0, "sprintf");
}

static void test_printf_floats(void)
{
    CHECK_FMT("3.141593", "%f", 3.14159265358979);
    CHECK_FMT("2.67", "%.2f", 2.675);
    CHECK_FMT("0", "%.0f", 0.5);
    CHECK_FMT("2", "%.0f", 1.5);
    CHECK_FMT("2", "%.0f", 2.5);
    CHECK_FMT("4", "%.0f", 3.5);
    CHECK_FMT("0.1", "%.1f", 0.05);
    CHECK_FMT("0.100000", "%f", 0.1);
    CHECK_FMT("0.10000000000000000555", "%.20f", 0.1);
    CHECK_FMT("-0.000000", "%f", -0.0);
    CHECK_FMT("1.", "%#.0f", 1.0);
    CHECK_FMT("[    -3.142]", "[%10.3f]", -3.14159);
    CHECK_FMT("-000001.50", "%010.2f", -1.5);
    CHECK_FMT("+1.5", "%+.1f", 1.5);
    CHECK_FMT(" 1.5", "% .1f", 1.5);
    CHECK_FMT("1000000.000000", "%f", 1e6);
    CHECK_FMT("9007199254740992.000000", "%f", 9007199254740992.0);
    CHECK_FMT("0.001", "%.3f", 0.0006);
    CHECK_FMT("0.000", "%.3f", 0.0004);
    CHECK_FMT("1.000", "%.3f", 0.9996);
    CHECK_FMT("1.234568e+04", "%e", 12345.678);
    CHECK_FMT("0.000e+00", "%.3e", 0.0);
    CHECK_FMT("1.0E-10", "%.1E", 1e-10);
    CHECK_FMT("1e+100", "%.0e", 1e100);
    CHECK_FMT("1.797693e+308", "%e", 1.7976931348623157e308);
    CHECK_FMT("4.940656e-324", "%e", 4.9406564584124654e-324);
    CHECK_FMT("[1.50e+00  ]", "[%-10.2e]", 1.5);
    CHECK_FMT("1.00e+01", "%.2e", 9.999);
    CHECK_FMT("0.0001", "%g", 0.0001);
    CHECK_FMT("1e-05", "%g", 0.00001);
    CHECK_FMT("1.23457e+08", "%g", 123456789.0);
    CHECK_FMT("100000", "%g", 100000.0);
    CHECK_FMT("1e+06", "%g", 1e6);
    CHECK_FMT("1.00000", "%#g", 1.0);
    CHECK_FMT("0", "%g", 0.0);
    CHECK_FMT("0.5", "%g", 0.5);
    CHECK_FMT("1E+06", "%G", 1e6);
    CHECK_FMT("0.10000000000000001", "%.17g", 0.1);
    CHECK_FMT("3.1415926535897931", "%.17g", 3.14159265358979311600);
    CHECK_FMT("1e-300", "%g", 1e-300);
    CHECK_FMT("2.22507e-308", "%g", 2.2250738585072014e-308);
    CHECK_FMT("10", "%.2g", 9.99);
    CHECK_FMT("1e+02", "%.2g", 99.9);
    CHECK_FMT("inf", "%f", 1.0 / 0.0);
    CHECK_FMT("-INF", "%E", -1.0 / 0.0);
    CHECK_FMT("[ -inf]", "[%5.1f]", -1.0 / 0.0);
    CHECK_FMT("[  inf]", "[%05f]", 1.0 / 0.0);
    CHECK_FMT("nan", "%g", __builtin_nan(""));
    CHECK_FMT("0x1p+0", "%a", 1.0);
    CHECK_FMT("0x1p-1", "%a", 0.5);
    CHECK_FMT("0x1.8p+1", "%a", 3.0);
    CHECK_FMT("0x1.55p-2", "%.2a", 1.0 / 3.0);
    CHECK_FMT("0X1.999999999999AP-4", "%A", 0.1);
    CHECK_FMT("0x0p+0", "%a", 0.0);
    CHECK_FMT("1.5", "%.1Lf", (long double)1.5);
    CHECK_FMT("10000000000000000000000.000000", "%f", 1e22);
    CHECK_FMT(
        "10000000000000000525047602552044202487044685811081591549158541155118024579889081957863"
        "71375080447864043704443832883878176942523235360430575644792184786706982848387200926575"
        "80373783023379478809005936895323497079994508111903896764088007465274278014249457925878"
        "8820056842838115669472196386865459400540160.000000",
        "%f", 1e300);
}

static unsigned long long rng_state = 88172645463325252ull;

static unsigned long long next_rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void fill(unsigned char *p, size_t n, unsigned tag)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(tag * 131 + i * 7);
}

static int verify(const unsigned char *p, size_t n, unsigned tag)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != (unsigned char)(tag * 131 + i * 7))
            return 0;
    }
    return 1;
}

static void test_malloc(void)
{
    /* Many blocks of many sizes, freed in a scrambled order. */
    enum { COUNT = 3000 };
    static unsigned char *blocks[COUNT];
    static size_t sizes[COUNT];
    int ok = 1;
    for (int i = 0; i < COUNT; i++) {
        sizes[i] = (size_t)(next_rng() % (i % 10 == 0 ? 5000 : 200));
        blocks[i] = malloc(sizes[i]);
        if (blocks[i] == NULL || (uintptr_t)blocks[i] % 16 != 0)
            ok = 0;
        else
            fill(blocks[i], sizes[i], (unsigned)i);
    }
    check(ok, "malloc 3000 blocks, 16-byte aligned");
    ok = 1;
    for (int i = 0; i < COUNT; i++)
        ok &= verify(blocks[i], sizes[i], (unsigned)i);
    check(ok, "malloc blocks keep their contents");
    for (int i = 0; i < COUNT; i += 2) {
        free(blocks[i]);
        blocks[i] = NULL;
    }
    ok = 1;
    for (int i = 1; i < COUNT; i += 2)
        ok &= verify(blocks[i], sizes[i], (unsigned)i);
    check(ok, "free of every other block leaves the rest intact");

    /* Grow and shrink the survivors with realloc. */
    ok = 1;
    for (int i = 1; i < COUNT; i += 2) {
        size_t n = (size_t)(next_rng() % 3000);
        unsigned char *p = realloc(blocks[i], n);
        if (p == NULL && n != 0) {
            ok = 0;
            continue;
        }
        size_t keep = n < sizes[i] ? n : sizes[i];
        ok &= verify(p, keep, (unsigned)i);
        fill(p, n, (unsigned)i + 1);
        blocks[i] = p;
        sizes[i] = n;
    }
    check(ok, "realloc keeps the common prefix");
    ok = 1;
    for (int i = 1; i < COUNT; i += 2) {
        ok &= verify(blocks[i], sizes[i], (unsigned)i + 1);
        free(blocks[i]);
    }
    check(ok, "realloc'd blocks intact until freed");

    /* Large blocks get mappings of their own. */
    size_t big = 3u << 20;
    unsigned char *p = malloc(big);
    check(p != NULL, "malloc 3 MiB");
    if (p != NULL) {
        p[0] = 1;
        p[big - 1] = 2;
        unsigned char *q = realloc(p, big * 2);
        check(q != NULL && q[0] == 1 && q[big - 1] == 2, "realloc 3 MiB to 6 MiB");
        free(q != NULL ? q : p);
    }

    unsigned *z = calloc(1000, sizeof(unsigned));
    ok = z != NULL;
    for (int i = 0; ok && i < 1000; i++)
        ok = z[i] == 0;
    check(ok, "calloc zeroes");
    free(z);
    z = calloc(1 << 20, sizeof(unsigned));
    ok = z != NULL && z[0] == 0 && z[(1 << 20) - 1] == 0;
    check(ok, "calloc 4 MiB zeroes");
    free(z);
    /* Through a volatile pointer: the compiler may otherwise assume that an
     * allocation whose result is only compared with NULL succeeded. */
    void *volatile fail = calloc(SIZE_MAX / 2, 4);
    check(fail == NULL, "calloc overflow fails");
    fail = malloc(SIZE_MAX - 8);
    check(fail == NULL, "malloc of nearly SIZE_MAX fails");

    ok = 1;
    void *al[6];
    size_t aligns[6] = {16, 32, 64, 256, 4096, 65536};
    for (int i = 0; i < 6; i++) {
        al[i] = aligned_alloc(aligns[i], 100);
        ok &= al[i] != NULL && (uintptr_t)al[i] % aligns[i] == 0;
        if (al[i] != NULL)
            memset(al[i], 0x5a, 100);
    }
    for (int i = 0; i < 6; i++)
        free(al[i]);
    check(ok, "aligned_alloc 16..65536");
    void *pm = NULL;
    check(posix_memalign(&pm, 128, 1000) == 0 && (uintptr_t)pm % 128 == 0, "posix_memalign");
    free(pm);
    check(posix_memalign(&pm, 3, 10) == EINVAL, "posix_memalign rejects alignment 3");

    /* A churn of small allocations must not slow down or leak badly. */
    ok = 1;
    for (int round = 0; round < 20; round++) {
        for (int i = 0; i < COUNT; i++) {
            blocks[i] = malloc(16 + (size_t)(i % 64));
            ok &= blocks[i] != NULL;
        }
        for (int i = COUNT - 1; i >= 0; i--)
            free(blocks[i]);
    }
    check(ok, "20 rounds of 3000 small malloc/free");
}

static void test_strings(void)
{
    char buf[64];
    check(strlen("hello") == 5 && strlen("") == 0, "strlen");
    check(strnlen("hello", 3) == 3 && strnlen("hi", 10) == 2, "strnlen");
    check(strcmp("abc", "abd") < 0 && strcmp("b", "a") > 0 && strcmp("x", "x") == 0, "strcmp");
    check(strcmp("\xff", "a") > 0, "strcmp compares unsigned");
    check(strncmp("abcx", "abcy", 3) == 0 && strncmp("ab", "abc", 3) < 0, "strncmp");
    check(strcmp(strcpy(buf, "copy"), "copy") == 0, "strcpy");
    memset(buf, 'z', sizeof(buf));
    strncpy(buf, "ab", 5);
    check(memcmp(buf, "ab\0\0\0z", 6) == 0, "strncpy pads with zeros");
    strcpy(buf, "foo");
    check(strcmp(strcat(buf, "bar"), "foobar") == 0, "strcat");
    check(strchr("hello", 'l') - "hello" == 2 && strchr("hello", 'q') == NULL, "strchr");
    const char *h = "hello";
    check(strchr(h, 0) == h + 5, "strchr finds the terminator");
    check(strrchr("hello", 'l') - "hello" == 3 && strrchr("hello", 'q') == NULL, "strrchr");
    const char *hay = "the quick brown fox";
    check(strstr(hay, "brown") == hay + 10 && strstr(hay, "cat") == NULL && strstr(hay, "") == hay,
          "strstr");
    char *d = strdup("duplicate");
    check(d != NULL && strcmp(d, "duplicate") == 0, "strdup");
    free(d);
    check(memchr("abcdef", 'd', 6) != NULL && memchr("abcdef", 'd', 3) == NULL, "memchr");
    check(memcmp("abc", "abd", 3) < 0 && memcmp("abc", "abc", 3) == 0, "memcmp");

    /* memmove over every overlap direction and alignment. */
    int ok = 1;
    for (int src = 0; src < 16; src++) {
        for (int dst = 0; dst < 16; dst++) {
            unsigned char a[96], ref[96];
            for (int i = 0; i < 96; i++)
                a[i] = ref[i] = (unsigned char)i;
            memmove(a + dst, a + src, 64);
            for (int i = 0; i < 64; i++)
                ref[dst + i] = (unsigned char)(src + i);
            ok &= memcmp(a, ref, 96) == 0;
        }
    }
    check(ok, "memmove with overlaps");
    ok = 1;
    for (int off = 0; off < 16; off++) {
        for (int len = 0; len < 70; len++) {
            unsigned char a[100];
            memset(a, 1, sizeof(a));
            memset(a + off, 0xab, (size_t)len);
            for (int i = 0; i < 100; i++)
                ok &= a[i] == (i >= off && i < off + len ? 0xab : 1);
        }
    }
    check(ok, "memset at every offset and length");
    ok = 1;
    for (int off = 0; off < 16; off++) {
        unsigned char src[80], dst[100];
        for (int i = 0; i < 80; i++)
            src[i] = (unsigned char)(i * 3);
        memset(dst, 0, sizeof(dst));
        memcpy(dst + off, src + (off & 7), 70);
        ok &= memcmp(dst + off, src + (off & 7), 70) == 0 && dst[off + 70] == 0;
    }
    check(ok, "memcpy at every offset");
    check(isdigit('7') && !isdigit('a') && isalpha('Q') && isspace('\t') && !isspace('x') &&
              toupper('a') == 'A' && tolower('Z') == 'z' && isxdigit('F') && !isxdigit('g'),
          "ctype");
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

struct rec {
    char name[13];
    int key;
};

static int cmp_rec(const void *a, const void *b)
{
    return cmp_int(&((const struct rec *)a)->key, &((const struct rec *)b)->key);
}

static void test_sort_and_convert(void)
{
    enum { N = 5000 };
    static int v[N];
    for (int i = 0; i < N; i++)
        v[i] = (int)(next_rng() % 1000) - 500;
    qsort(v, N, sizeof(int), cmp_int);
    int ok = 1;
    for (int i = 1; i < N; i++)
        ok &= v[i - 1] <= v[i];
    check(ok, "qsort 5000 ints");
    for (int i = 0; i < N; i++)
        v[i] = N - i;
    qsort(v, N, sizeof(int), cmp_int);
    ok = 1;
    for (int i = 0; i < N; i++)
        ok &= v[i] == i + 1;
    check(ok, "qsort reversed input");
    int key = 1234;
    int *found = bsearch(&key, v, N, sizeof(int), cmp_int);
    key = 0;
    check(found != NULL && *found == 1234 && bsearch(&key, v, N, sizeof(int), cmp_int) == NULL,
          "bsearch");
    struct rec recs[50];
    for (int i = 0; i < 50; i++) {
        recs[i].key = (i * 37) % 50;
        snprintf(recs[i].name, sizeof(recs[i].name), "r%d", recs[i].key);
    }
    qsort(recs, 50, sizeof(struct rec), cmp_rec);
    ok = 1;
    for (int i = 0; i < 50; i++) {
        char want[13];
        snprintf(want, sizeof(want), "r%d", i);
        ok &= recs[i].key == i && strcmp(recs[i].name, want) == 0;
    }
    check(ok, "qsort 20-byte records");

    char *end;
    check(strtol("  -123xyz", &end, 10) == -123 && strcmp(end, "xyz") == 0, "strtol decimal");
    check(strtol("0x1f", NULL, 0) == 31 && strtol("017", NULL, 0) == 15 &&
              strtol("z", NULL, 36) == 35,
          "strtol bases");
    errno = 0;
    check(strtol("99999999999999999999", NULL, 10) == LONG_MAX && errno == ERANGE,
          "strtol overflow");
    check(strtoul("-1", NULL, 10) == ULONG_MAX, "strtoul negates");
    check(strtoull("18446744073709551615", NULL, 10) == ULLONG_MAX, "strtoull max");
    check(strtol("abc", &end, 10) == 0 && strcmp(end, "abc") == 0, "strtol without digits");
    check(strtol("0x", &end, 16) == 0 && strcmp(end, "x") == 0, "strtol bare 0x");
    check(atoi("42") == 42 && abs(-5) == 5 && labs(-7L) == 7, "atoi abs labs");

    srand(7);
    int a1 = rand(), a2 = rand();
    srand(7);
    check(rand() == a1 && rand() == a2 && a1 >= 0 && a1 <= RAND_MAX, "rand is repeatable");
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    test_printf_integers();
    test_printf_text();
    test_printf_floats();
    test_malloc();
    test_strings();
    test_sort_and_convert();

    /* Longer than one zx_debug_write (256 bytes): must arrive whole. */
    char line[301];
    memset(line, '=', 300);
    line[300] = 0;
    printf("%s long-line-end\n", line);
    assert(passed + failed > 0);

    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
