/* The heap: boundary-tag chunks with segregated free lists (in the manner
 * of dlmalloc). Memory comes from VMOs mapped into the root VMAR: small
 * requests are carved from 1 MiB arenas that are kept for the life of the
 * process; requests of MMAP_THRESHOLD and more get a VMO and mapping of
 * their own, which free() unmaps. Single-threaded: no locks.
 *
 * Chunk layout (all chunks 16-byte aligned, sizes multiples of 16):
 *   prev_foot  size of the previous chunk, valid only while that one is free
 *   head       this chunk's size | PINUSE | CINUSE | MMAPPED
 *   payload... (a free chunk keeps its list links here, and its size again
 *               in the next chunk's prev_foot)
 * An in-use chunk also owns the next chunk's prev_foot word, so its usable
 * size is its size minus 8. Every free chunk has in-use neighbours (free
 * chunks are always merged), so free lists never hold adjacent chunks. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>

#include "libc_internal.h"

#define PINUSE  ((size_t)1) /* the previous chunk is in use */
#define CINUSE  ((size_t)2) /* this chunk is in use */
#define MMAPPED ((size_t)4) /* this chunk has a mapping of its own */
#define FLAGS   ((size_t)7)

#define ALIGN          ((size_t)16)
#define MIN_CHUNK      ((size_t)32)
#define HEADER         ((size_t)16) /* prev_foot + head, before the payload */
#define PAGE           ((size_t)4096)
#define ARENA_SIZE     ((size_t)1 << 20)
#define MMAP_THRESHOLD ((size_t)256 << 10)

typedef struct chunk {
    size_t prev_foot;
    size_t head;
    struct chunk *next; /* free-list links, only while free */
    struct chunk *prev;
} chunk_t;

/* Bins 2..63 hold one exact size each (16 * i); bins 64.. split each power
 * of two from 1024 up into four. */
#define NSMALL 64
#define NBINS  128

static chunk_t *bins[NBINS];
static uint64_t binmap[NBINS / 64];

static size_t chunk_size(const chunk_t *c)
{
    return c->head & ~FLAGS;
}

static chunk_t *chunk_at(const void *base, size_t offset)
{
    return (chunk_t *)((char *)base + offset);
}

static void *chunk_to_mem(chunk_t *c)
{
    return (char *)c + HEADER;
}

static chunk_t *mem_to_chunk(void *p)
{
    return (chunk_t *)((char *)p - HEADER);
}

static unsigned bin_index(size_t size)
{
    if (size < NSMALL * ALIGN)
        return (unsigned)(size / ALIGN);
    unsigned lg = 63u - (unsigned)__builtin_clzll(size);
    unsigned i = NSMALL + (lg - 10) * 4 + (unsigned)((size >> (lg - 2)) & 3);
    return i < NBINS ? i : NBINS - 1;
}

static void bin_insert(chunk_t *c)
{
    unsigned i = bin_index(chunk_size(c));
    c->prev = NULL;
    c->next = bins[i];
    if (c->next != NULL)
        c->next->prev = c;
    bins[i] = c;
    binmap[i / 64] |= 1ull << (i % 64);
}

static void bin_remove(chunk_t *c)
{
    unsigned i = bin_index(chunk_size(c));
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        bins[i] = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    if (bins[i] == NULL)
        binmap[i / 64] &= ~(1ull << (i % 64));
}

/* The first non-empty bin at or above i, or NBINS. */
static unsigned next_bin(unsigned i)
{
    for (unsigned w = i / 64; w < NBINS / 64; w++) {
        uint64_t bitsleft = binmap[w];
        if (w == i / 64)
            bitsleft &= ~0ull << (i % 64);
        if (bitsleft != 0)
            return w * 64 + (unsigned)__builtin_ctzll(bitsleft);
    }
    return NBINS;
}

/* Makes c a free chunk of `size` bytes and files it; the chunk before it is
 * in use (callers guarantee it). */
static void make_free(chunk_t *c, size_t size)
{
    c->head = size | PINUSE;
    chunk_t *next = chunk_at(c, size);
    next->prev_foot = size;
    next->head &= ~PINUSE;
    bin_insert(c);
}

__NO_RETURN static void heap_corrupt(const char *what)
{
    static const char msg[] = "malloc: heap corruption or bad pointer in ";
    __zxsim_flush_all();
    zx_debug_write(msg, sizeof(msg) - 1);
    zx_debug_write(what, strlen(what));
    zx_debug_write("\n", 1);
    abort();
}

/* Maps `size` bytes (a multiple of the page size) of fresh zeroed memory. */
static void *map_pages(size_t size)
{
    zx_handle_t vmo;
    if (zx_vmo_create(size, 0, &vmo) != ZX_OK)
        return NULL;
    zx_vaddr_t addr = 0;
    zx_status_t st = zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0,
                                 size, &addr);
    /* The mapping keeps the VMO alive; the handle is no longer needed. */
    zx_handle_close(vmo);
    return st == ZX_OK ? (void *)addr : NULL;
}

/* Adds a new arena as one free chunk, closed by an in-use fencepost header
 * in its last 16 bytes so that nothing merges past the end. */
static bool grow_heap(void)
{
    char *base = map_pages(ARENA_SIZE);
    if (base == NULL)
        return false;
    size_t size = ARENA_SIZE - HEADER;
    chunk_t *fence = chunk_at(base, size);
    fence->head = CINUSE;
    make_free(chunk_at(base, 0), size);
    return true;
}

/* Marks c (free, unlinked) in use for a request of `size` bytes, returning
 * any tail of MIN_CHUNK or more to the bins. */
static void *take_chunk(chunk_t *c, size_t size)
{
    size_t have = chunk_size(c);
    if (have - size >= MIN_CHUNK) {
        c->head = size | PINUSE | CINUSE;
        make_free(chunk_at(c, size), have - size);
    } else {
        c->head |= CINUSE;
        chunk_at(c, have)->head |= PINUSE;
    }
    return chunk_to_mem(c);
}

/* Finds a free chunk of at least `size` bytes and unlinks it. */
static chunk_t *find_chunk(size_t size)
{
    unsigned i = bin_index(size);
    if (i >= NSMALL) {
        /* Sizes in this bin vary: take the first that fits. */
        for (chunk_t *c = bins[i]; c != NULL; c = c->next) {
            if (chunk_size(c) >= size) {
                bin_remove(c);
                return c;
            }
        }
        i++;
    }
    /* Every chunk in a higher bin (or in i itself, for the exact small bins)
     * is large enough. */
    i = next_bin(i);
    if (i == NBINS)
        return NULL;
    chunk_t *c = bins[i];
    bin_remove(c);
    return c;
}

/* A chunk of its own mapping, its payload aligned to `align`: prev_foot
 * holds the chunk's offset from the mapping's start. */
static void *mmap_alloc(size_t n, size_t align)
{
    size_t lead = align > ALIGN ? align : 0;
    if (n > SIZE_MAX - lead - HEADER - PAGE)
        return NULL;
    size_t size = (n + lead + HEADER + PAGE - 1) & ~(PAGE - 1);
    char *base = map_pages(size);
    if (base == NULL)
        return NULL;
    uintptr_t mem = (uintptr_t)base + HEADER;
    if (align > ALIGN)
        mem = (mem + align - 1) & ~(uintptr_t)(align - 1);
    chunk_t *c = mem_to_chunk((void *)mem);
    size_t offset = (size_t)((char *)c - base);
    c->prev_foot = offset;
    c->head = (size - offset) | MMAPPED | CINUSE;
    return (void *)mem;
}

static void mmap_free(chunk_t *c)
{
    char *base = (char *)c - c->prev_foot;
    zx_vmar_unmap(zx_vmar_root_self(), (zx_vaddr_t)base, c->prev_foot + chunk_size(c));
}

/* The chunk size that holds a request of n bytes, or 0 if n is absurd. */
static size_t request_size(size_t n)
{
    if (n > SIZE_MAX / 2)
        return 0;
    size_t size = (n + sizeof(size_t) + ALIGN - 1) & ~(ALIGN - 1);
    return size < MIN_CHUNK ? MIN_CHUNK : size;
}

static size_t usable_size(const chunk_t *c)
{
    return c->head & MMAPPED ? chunk_size(c) - HEADER : chunk_size(c) - sizeof(size_t);
}

void *malloc(size_t n)
{
    size_t size = request_size(n);
    if (size == 0) {
        errno = ENOMEM;
        return NULL;
    }
    void *p;
    if (size >= MMAP_THRESHOLD) {
        p = mmap_alloc(n, ALIGN);
    } else {
        chunk_t *c = find_chunk(size);
        if (c == NULL && grow_heap())
            c = find_chunk(size);
        p = c != NULL ? take_chunk(c, size) : NULL;
    }
    if (p == NULL)
        errno = ENOMEM;
    return p;
}

void free(void *p)
{
    if (p == NULL)
        return;
    chunk_t *c = mem_to_chunk(p);
    if ((uintptr_t)p % ALIGN != 0 || !(c->head & CINUSE))
        heap_corrupt("free");
    if (c->head & MMAPPED) {
        mmap_free(c);
        return;
    }
    size_t size = chunk_size(c);
    chunk_t *next = chunk_at(c, size);
    if (!(next->head & PINUSE))
        heap_corrupt("free");
    if (!(c->head & PINUSE)) {
        chunk_t *prev = (chunk_t *)((char *)c - c->prev_foot);
        bin_remove(prev);
        size += chunk_size(prev);
        c = prev;
    }
    if (!(next->head & CINUSE)) {
        bin_remove(next);
        size += chunk_size(next);
    }
    make_free(c, size);
}

void *calloc(size_t nmemb, size_t size)
{
    if (size != 0 && nmemb > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    size_t n = nmemb * size;
    void *p = malloc(n);
    /* A mapping of its own is fresh from a VMO, hence already zero; leaving
     * it untouched also leaves its pages uncommitted. */
    if (p != NULL && !(mem_to_chunk(p)->head & MMAPPED))
        memset(p, 0, n);
    return p;
}

/* Gives the tail of in-use chunk c beyond `size` bytes back to the heap. */
static void trim_chunk(chunk_t *c, size_t size)
{
    size_t have = chunk_size(c);
    if (have - size < MIN_CHUNK)
        return;
    c->head = size | (c->head & PINUSE) | CINUSE;
    chunk_t *tail = chunk_at(c, size);
    tail->head = (have - size) | PINUSE | CINUSE;
    free(chunk_to_mem(tail));
}

void *realloc(void *p, size_t n)
{
    if (p == NULL)
        return malloc(n);
    if (n == 0) {
        free(p);
        return NULL;
    }
    chunk_t *c = mem_to_chunk(p);
    if ((uintptr_t)p % ALIGN != 0 || !(c->head & CINUSE))
        heap_corrupt("realloc");
    size_t size = request_size(n);
    if (size == 0) {
        errno = ENOMEM;
        return NULL;
    }
    if (!(c->head & MMAPPED)) {
        size_t have = chunk_size(c);
        if (size <= have) {
            trim_chunk(c, size);
            return p;
        }
        /* Grow in place into a free successor. */
        chunk_t *next = chunk_at(c, have);
        if (!(next->head & CINUSE) && have + chunk_size(next) >= size) {
            bin_remove(next);
            have += chunk_size(next);
            c->head = have | (c->head & FLAGS);
            chunk_at(c, have)->head |= PINUSE;
            trim_chunk(c, size);
            return p;
        }
    } else if (n <= usable_size(c) && n >= MMAP_THRESHOLD / 2) {
        return p;
    }
    void *q = malloc(n);
    if (q == NULL)
        return NULL;
    size_t keep = usable_size(c);
    memcpy(q, p, keep < n ? keep : n);
    free(p);
    return q;
}

static void *aligned(size_t align, size_t n)
{
    if (align <= ALIGN)
        return malloc(n);
    if (n > SIZE_MAX / 4 || align > SIZE_MAX / 4)
        return NULL;
    /* Over-allocate, then cut off a leading chunk so that the payload lands
     * on the boundary. The leading piece must be a whole chunk itself. */
    size_t want = n + align + MIN_CHUNK;
    if (request_size(want) >= MMAP_THRESHOLD)
        return mmap_alloc(n, align);
    char *p = malloc(want);
    if (p == NULL)
        return NULL;
    chunk_t *c = mem_to_chunk(p);
    if ((uintptr_t)p % align != 0) {
        uintptr_t mem = ((uintptr_t)p + MIN_CHUNK + align - 1) & ~(uintptr_t)(align - 1);
        chunk_t *d = mem_to_chunk((void *)mem);
        size_t lead = (size_t)((char *)d - (char *)c);
        size_t rest = chunk_size(c) - lead;
        d->head = rest | PINUSE | CINUSE;
        c->head = lead | (c->head & PINUSE) | CINUSE;
        free(chunk_to_mem(c));
        c = d;
    }
    trim_chunk(c, request_size(n));
    return chunk_to_mem(c);
}

void *aligned_alloc(size_t alignment, size_t size)
{
    if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
        errno = EINVAL;
        return NULL;
    }
    void *p = aligned(alignment, size);
    if (p == NULL)
        errno = ENOMEM;
    return p;
}

int posix_memalign(void **out, size_t alignment, size_t size)
{
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0)
        return EINVAL;
    void *p = aligned(alignment, size);
    if (p == NULL)
        return ENOMEM;
    *out = p;
    return 0;
}
