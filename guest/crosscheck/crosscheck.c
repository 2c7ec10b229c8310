/* The kernels zxsim's cache model is checked on against valgrind's: the
 * same C compiled as a zxsim guest and natively for x86-64. Each kernel
 * first reads a flush buffer twice the L1 data cache, so that L1 holds the
 * same lines at its start under both simulators whatever ran before; every
 * array is page-aligned, so set indexes (inside the page offset) agree.
 * All pages are touched in main, outside the kernels: no page fault (and
 * no kernel zero-fill) happens inside them.
 *
 *   crosscheck mm_double | mm_long | list_walk [TIMES [FILLER]]
 *
 * For benchmarks: TIMES (default 1) repeats the kernel; FILLER (default 0)
 * runs that many iterations of other work (busy) before, outside it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef CROSSCHECK_NATIVE
#include <zxsim/zxsim.h>
#endif

#define N     64
#define NODES 4096
#define ALIGN __attribute__((aligned(4096)))

static double ad[N][N] ALIGN, bd[N][N] ALIGN, cd[N][N] ALIGN;
static long al[N][N] ALIGN, bl[N][N] ALIGN, cl[N][N] ALIGN;
static unsigned char flush_buf[64 * 1024] ALIGN;

struct node {
    struct node *next;
    long value;
};
static struct node pool[NODES] ALIGN;
static unsigned order[NODES];
static long trail[NODES] ALIGN; /* the walk's running sums: its writes */

static volatile long sink;
static long scratch[256];

/* Work that is not a kernel: loads and stores over a small array. */
__attribute__((noinline)) long busy(long n)
{
    for (long i = 0; i < n; i++)
        scratch[i & 255] += i ^ scratch[(i + 7) & 255];
    return scratch[3];
}

static void flush(void)
{
    long s = 0;
    for (unsigned i = 0; i < sizeof flush_buf; i += 64)
        s += flush_buf[i];
    sink = s;
}

__attribute__((noinline)) double mm_double(void)
{
    flush();
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            ad[i][j] = (double)(i + j);
            bd[i][j] = (double)(i - j);
        }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            double s = 0;
            for (int k = 0; k < N; k++)
                s += ad[i][k] * bd[k][j];
            cd[i][j] = s;
        }
    return cd[7][9];
}

__attribute__((noinline)) long mm_long(void)
{
    flush();
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            al[i][j] = i + j;
            bl[i][j] = i - j;
        }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            long s = 0;
            for (int k = 0; k < N; k++)
                s += al[i][k] * bl[k][j];
            cl[i][j] = s;
        }
    return cl[7][9];
}

__attribute__((noinline)) long list_walk(void)
{
    flush();
    long s = 0;
    unsigned k = 0;
    for (int round = 0; round < 8; round++)
        for (struct node *n = &pool[order[0]]; n; n = n->next) {
            s += n->value;
            trail[k++ % NODES] = s;
        }
    return s + trail[5];
}

/* A fixed random order of the nodes (Fisher-Yates over a 32-bit LCG). */
static void build_list(void)
{
    unsigned x = 12345;
    for (unsigned i = 0; i < NODES; i++)
        order[i] = i;
    for (unsigned i = NODES - 1; i > 0; i--) {
        x = x * 1103515245u + 12345u;
        unsigned j = (x >> 8) % (i + 1), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (unsigned i = 0; i < NODES; i++) {
        pool[order[i]].value = (long)i;
        pool[order[i]].next = i + 1 < NODES ? &pool[order[i + 1]] : 0;
    }
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 4) {
        printf("usage: crosscheck mm_double|mm_long|list_walk [TIMES [FILLER]]\n");
        return 2;
    }
    int times = argc >= 3 ? atoi(argv[2]) : 1;
    long filler = argc >= 4 ? atol(argv[3]) : 0;
    memset(ad, 1, sizeof ad);
    memset(bd, 1, sizeof bd);
    memset(cd, 1, sizeof cd);
    memset(al, 1, sizeof al);
    memset(bl, 1, sizeof bl);
    memset(cl, 1, sizeof cl);
    memset(flush_buf, 1, sizeof flush_buf);
    memset(trail, 1, sizeof trail);
    build_list();
    long r = filler ? busy(filler) & 1 : 0;
    for (int t = 0; t < times; t++) {
        if (strcmp(argv[1], "mm_double") == 0)
            r = (long)mm_double();
        else if (strcmp(argv[1], "mm_long") == 0)
            r = mm_long();
        else if (strcmp(argv[1], "list_walk") == 0)
            r = list_walk();
        else
            return 2;
    }
    printf("%s %ld\n", argv[1], r);
    return 0;
}
