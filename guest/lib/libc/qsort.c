/* qsort (introsort: quicksort with median-of-three pivots, insertion sort
 * for short runs, heapsort when the recursion gets too deep, so the worst
 * case stays O(n log n)) and bsearch. */
#include <stdint.h>
#include <stdlib.h>

typedef int (*cmp_fn)(const void *, const void *);
typedef uint64_t __attribute__((__may_alias__)) word_t;

static void swap(char *a, char *b, size_t size)
{
    if (a == b)
        return;
    if (size % sizeof(word_t) == 0 && ((uintptr_t)a | (uintptr_t)b) % sizeof(word_t) == 0) {
        for (size_t i = 0; i < size; i += sizeof(word_t)) {
            word_t t = *(word_t *)(a + i);
            *(word_t *)(a + i) = *(word_t *)(b + i);
            *(word_t *)(b + i) = t;
        }
        return;
    }
    for (size_t i = 0; i < size; i++) {
        char t = a[i];
        a[i] = b[i];
        b[i] = t;
    }
}

static void insertion_sort(char *base, size_t n, size_t size, cmp_fn cmp)
{
    for (size_t i = 1; i < n; i++) {
        for (size_t j = i; j > 0 && cmp(base + (j - 1) * size, base + j * size) > 0; j--)
            swap(base + (j - 1) * size, base + j * size, size);
    }
}

static void sift_down(char *base, size_t root, size_t n, size_t size, cmp_fn cmp)
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && cmp(base + child * size, base + (child + 1) * size) < 0)
            child++;
        if (cmp(base + root * size, base + child * size) >= 0)
            return;
        swap(base + root * size, base + child * size, size);
        root = child;
    }
}

static void heap_sort(char *base, size_t n, size_t size, cmp_fn cmp)
{
    for (size_t i = n / 2; i > 0; i--)
        sift_down(base, i - 1, n, size, cmp);
    for (size_t end = n - 1; end > 0; end--) {
        swap(base, base + end * size, size);
        sift_down(base, 0, end, size, cmp);
    }
}

static void intro_sort(char *base, size_t n, size_t size, cmp_fn cmp, int depth)
{
    while (n > 16) {
        if (depth-- == 0) {
            heap_sort(base, n, size, cmp);
            return;
        }
        /* Median of first, middle and last moves to the front as pivot. */
        char *lo = base, *mid = base + (n / 2) * size, *hi = base + (n - 1) * size;
        if (cmp(mid, lo) < 0)
            swap(mid, lo, size);
        if (cmp(hi, mid) < 0) {
            swap(hi, mid, size);
            if (cmp(mid, lo) < 0)
                swap(mid, lo, size);
        }
        swap(base, mid, size);

        /* Hoare partition around base[0]. */
        size_t i = 0, j = n;
        for (;;) {
            do
                i++;
            while (i < n && cmp(base + i * size, base) < 0);
            do
                j--;
            while (cmp(base + j * size, base) > 0);
            if (i >= j)
                break;
            swap(base + i * size, base + j * size, size);
        }
        swap(base, base + j * size, size);

        /* Recurse into the smaller side, loop on the larger. */
        size_t left = j, right = n - j - 1;
        if (left < right) {
            intro_sort(base, left, size, cmp, depth);
            base += (j + 1) * size;
            n = right;
        } else {
            intro_sort(base + (j + 1) * size, right, size, cmp, depth);
            n = left;
        }
    }
    insertion_sort(base, n, size, cmp);
}

void qsort(void *base, size_t nmemb, size_t size, int (*cmp)(const void *, const void *))
{
    if (nmemb < 2 || size == 0)
        return;
    int depth = 0;
    for (size_t m = nmemb; m > 1; m >>= 1)
        depth += 2;
    intro_sort(base, nmemb, size, cmp, depth);
}

void *bsearch(const void *key, const void *base, size_t nmemb, size_t size,
              int (*cmp)(const void *, const void *))
{
    const char *lo = base;
    while (nmemb > 0) {
        const char *mid = lo + (nmemb / 2) * size;
        int c = cmp(key, mid);
        if (c == 0)
            return (void *)mid;
        if (c > 0) {
            lo = mid + size;
            nmemb -= nmemb / 2 + 1;
        } else {
            nmemb /= 2;
        }
    }
    return NULL;
}
