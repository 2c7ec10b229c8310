/* A random VM syscall fuzzer:
 *
 *   fuzz [SEED [CALLS]]      (defaults: seed 1, 100000 calls)
 *
 * Makes CALLS random calls of the VM syscalls over a pool of live handles
 * (VMOs, children, VMARs and duplicates with fewer rights, created as it
 * goes), with pointers that are valid, NULL, unaligned, unmapped, read-only,
 * in the kernel half or straddling a page boundary into a read-only or
 * unmapped page, and sizes, offsets and addresses at the boundaries. It
 * also touches its own mappings (read, or write where the mapping allows)
 * so that page faults interleave with the calls. Every status must be ZX_OK
 * or an error Zircon defines (ZX_ERR_INTERNAL never is).
 *
 * The process never lets a call reach its own memory: the root VMAR and the
 * process handle only go to calls that read (info, properties, waits), every
 * mapping is made in a sandbox VMAR of the root (replaced every RESET_EVERY
 * calls, with the pool, so that memory pressure does not last), and output
 * buffers live in an I/O region that nothing in the pool can reach.
 *
 * Calls that commit memory can fill the simulated RAM; then a fault would
 * have no frame to resolve it with. So the process's own pages (data, the
 * I/O region, its stack) are written once at the start, and a touch is
 * only made while zxsim_mem_stats() shows a few frames free.
 *
 * Prints the calls per syscall and status, then "fuzz ok: N calls" and
 * exits 0; on an undefined status prints it and exits 1. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zircon/types.h>
#include <zxsim/zxsim.h>

#define PAGE         4096ull
#define N(a)         (sizeof(a) / sizeof((a)[0]))
#define POOL_MAX     48
#define RESET_EVERY  4096
#define SANDBOX_SIZE (64ull << 20)
#define MAX_VMO_SIZE 0xFFFFFFFFFFFE0000ull
#if defined(__x86_64__)
#define KERNEL_ADDR 0xFFFFFF8000001000ull
#else
#define KERNEL_ADDR 0xFFFF000000001000ull
#endif

/* ---- randomness -------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    /* splitmix64 */
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t below(uint64_t n)
{
    return rnd() % n;
}

static int chance(unsigned percent)
{
    return below(100) < percent;
}

/* ---- the I/O region: where valid pointers point ------------------------ */

/* [0, 16) pages read-write, page 16 read-only, pages 17..31 unmapped. */
#define IO_RW_PAGES 16
static uint8_t *io;

static void *ptr_in(void)
{
    switch (below(10)) {
    case 0:
        return NULL;
    case 1:
        return io + 1 + below(7); /* unaligned */
    case 2:
        return io + (IO_RW_PAGES + 3) * PAGE; /* unmapped */
    case 3:
        return io + IO_RW_PAGES * PAGE; /* read-only */
    case 4:
        return (void *)(uintptr_t)(KERNEL_ADDR + below(16) * PAGE);
    case 5:
        return io + IO_RW_PAGES * PAGE - 8; /* straddles into read-only */
    case 6:
        return io + (IO_RW_PAGES + 1) * PAGE - 8; /* straddles into unmapped */
    default:
        return io + below(64) * 8; /* valid */
    }
}

static uint64_t boundary_size(void)
{
    static const uint64_t sizes[] = {0,
                                     1,
                                     7,
                                     PAGE - 1,
                                     PAGE,
                                     PAGE + 1,
                                     2 * PAGE,
                                     16 * PAGE,
                                     IO_RW_PAGES * PAGE + 8,
                                     1ull << 32,
                                     1ull << 40,
                                     MAX_VMO_SIZE,
                                     MAX_VMO_SIZE + 1,
                                     UINT64_MAX - PAGE + 1,
                                     UINT64_MAX};
    if (chance(50))
        return below(16) * PAGE + (chance(20) ? below(PAGE) : 0);
    return sizes[below(N(sizes))];
}

/* Buffer sizes: mostly within the read-write pages, sometimes beyond. */
static size_t buffer_size(void)
{
    if (chance(70))
        return (size_t)below(2 * PAGE);
    return (size_t)boundary_size();
}

/* ---- the pool of handles ----------------------------------------------- */

typedef enum { K_VMO, K_VMAR } kind;

typedef struct entry {
    zx_handle_t h;
    kind k;
    zx_koid_t koid;
    uint64_t base, len; /* VMARs */
} entry;

static entry pool[POOL_MAX];
static int npool;
static zx_handle_t stale[8];
static zx_handle_t sandbox = ZX_HANDLE_INVALID;

static void forget(int i)
{
    stale[below(N(stale))] = pool[i].h;
    pool[i] = pool[--npool];
}

static void add(zx_handle_t h, kind k, uint64_t base, uint64_t len)
{
    if (h == ZX_HANDLE_INVALID)
        return;
    if (npool == POOL_MAX) {
        int i = (int)below(POOL_MAX);
        zx_handle_close(pool[i].h);
        forget(i);
    }
    zx_info_handle_basic_t b;
    zx_koid_t koid = 0;
    if (zx_object_get_info(h, ZX_INFO_HANDLE_BASIC, &b, sizeof b, NULL, NULL) == ZX_OK)
        koid = b.koid;
    pool[npool++] = (entry){.h = h, .k = k, .koid = koid, .base = base, .len = len};
}

static int pick(void)
{
    return npool ? (int)below((uint64_t)npool) : -1;
}

/* A handle value for a call: mostly from the pool, sometimes garbage
 * (invalid, stale, or a live value with its fixed bits cleared). Never the
 * process or root VMAR handle. */
static zx_handle_t any_handle(void)
{
    int i = pick();
    if (i >= 0 && chance(90))
        return pool[i].h;
    switch (below(4)) {
    case 0:
        return ZX_HANDLE_INVALID;
    case 1:
        return 0xFFFFFFFFu;
    case 2:
        return i >= 0 ? pool[i].h & ~ZX_HANDLE_FIXED_BITS_MASK : 2;
    default:
        return stale[below(N(stale))];
    }
}

/* For calls that only read an object: the process and root VMAR too. */
static zx_handle_t reader_handle(void)
{
    if (chance(10))
        return chance(50) ? zx_process_self() : zx_vmar_root_self();
    return any_handle();
}

/* A VMAR of the pool, or the sandbox itself (which the pool never
 * consumes), so that VMAR calls mostly reach a VMAR. */
static entry sandbox_entry;

static const entry *find_vmar(void)
{
    int idx[POOL_MAX], n = 0;
    for (int i = 0; i < npool; i++) {
        if (pool[i].k == K_VMAR)
            idx[n++] = i;
    }
    if (n == 0 || chance(25))
        return sandbox != ZX_HANDLE_INVALID ? &sandbox_entry : NULL;
    return &pool[idx[below((uint64_t)n)]];
}

/* An address for a VMAR call: inside a pool VMAR, at its edges, or wild. */
static uint64_t address(void)
{
    const entry *e = find_vmar();
    if (e != NULL && chance(85)) {
        uint64_t pages = e->len / PAGE;
        switch (below(5)) {
        case 0:
            return e->base;
        case 1:
            return e->base + e->len;
        case 2:
            return e->base + below(pages + 1) * PAGE + 1 + below(PAGE - 1);
        default:
            return e->base + below(pages ? pages : 1) * PAGE;
        }
    }
    static const uint64_t wild[] = {0, PAGE, KERNEL_ADDR, UINT64_MAX - PAGE + 1, 1ull << 47};
    return wild[below(N(wild))];
}

static uint32_t perms(void)
{
    return (uint32_t)below(8); /* READ, WRITE, EXECUTE in any mix */
}

/* Options for map / allocate / protect: valid bits in random mixes, with
 * an unknown bit now and then. FAULT_BEYOND_STREAM_SIZE is never set: a
 * touch of such a mapping past the stream size would end the process. */
static uint32_t vm_options(void)
{
    uint32_t o = perms();
    static const uint32_t bits[] = {ZX_VM_COMPACT,
                                    ZX_VM_SPECIFIC,
                                    ZX_VM_SPECIFIC_OVERWRITE,
                                    ZX_VM_CAN_MAP_SPECIFIC,
                                    ZX_VM_CAN_MAP_READ,
                                    ZX_VM_CAN_MAP_WRITE,
                                    ZX_VM_CAN_MAP_EXECUTE,
                                    ZX_VM_MAP_RANGE,
                                    ZX_VM_REQUIRE_NON_RESIZABLE,
                                    ZX_VM_ALLOW_FAULTS,
                                    ZX_VM_OFFSET_IS_UPPER_LIMIT,
                                    ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED};
    for (int n = (int)below(4); n > 0; n--)
        o |= bits[below(N(bits))];
    if (chance(10))
        o |= (uint32_t)(below(24) + 10) << ZX_VM_ALIGN_BASE;
    if (chance(3))
        o |= 1u << (16 + below(8));
    return o;
}

/* ---- tallies ------------------------------------------------------------ */

enum {
    C_VMO_CREATE,
    C_VMO_READ,
    C_VMO_WRITE,
    C_VMO_GET_SIZE,
    C_VMO_SET_SIZE,
    C_VMO_STREAM_SIZE,
    C_VMO_OP_RANGE,
    C_VMO_CREATE_CHILD,
    C_VMO_CACHE_POLICY,
    C_VMO_REPLACE_EXEC,
    C_VMAR_ALLOCATE,
    C_VMAR_MAP,
    C_VMAR_UNMAP,
    C_VMAR_PROTECT,
    C_VMAR_OP_RANGE,
    C_VMAR_DESTROY,
    C_HANDLE_DUPLICATE,
    C_HANDLE_REPLACE,
    C_HANDLE_CLOSE,
    C_HANDLE_CLOSE_MANY,
    C_GET_INFO,
    C_GET_PROPERTY,
    C_SET_PROPERTY,
    C_WAIT_ONE,
    C_COUNT
};

static const char *const call_names[C_COUNT] = {
    "zx_vmo_create",
    "zx_vmo_read",
    "zx_vmo_write",
    "zx_vmo_get_size",
    "zx_vmo_set_size",
    "zx_vmo_get/set_stream_size",
    "zx_vmo_op_range",
    "zx_vmo_create_child",
    "zx_vmo_set_cache_policy",
    "zx_vmo_replace_as_exe",
    "zx_vmar_allocate",
    "zx_vmar_map",
    "zx_vmar_unmap",
    "zx_vmar_protect",
    "zx_vmar_op_range",
    "zx_vmar_destroy",
    "zx_handle_duplicate",
    "zx_handle_replace",
    "zx_handle_close",
    "zx_handle_close_many",
    "zx_object_get_info",
    "zx_object_get_property",
    "zx_object_set_property",
    "zx_object_wait_one",
};

#define STATUS_SLOTS 80 /* -status for the statuses syscalls return */
static unsigned long tally[C_COUNT][STATUS_SLOTS];
static unsigned long calls, oks, undefined, touches;

static void note(int call, zx_status_t st)
{
    calls++;
    const char *name = zx_status_get_string(st);
    if (st > 0 || strcmp(name, "(UNKNOWN)") == 0 || st == ZX_ERR_INTERNAL ||
        st == ZX_ERR_INTERNAL_INTR_RETRY || st == ZX_ERR_INTERNAL_INTR_KILLED) {
        if (undefined++ < 10)
            printf("UNDEFINED status %d from %s (call %lu)\n", st, call_names[call], calls);
        return;
    }
    if (st == ZX_OK)
        oks++;
    if (-st < STATUS_SLOTS)
        tally[call][-st]++;
}

/* ---- the calls ---------------------------------------------------------- */

/* The handle a successful call wrote to `out`, when `out` lies in the I/O
 * region's read-write pages (aligned or not); elsewhere the kernel could
 * not have written it. Reading every such handle back keeps the process
 * from leaking objects that would hold memory until it exits. */
static zx_handle_t out_handle(zx_status_t st, zx_handle_t *out)
{
    uint8_t *p = (uint8_t *)out;
    if (st != ZX_OK || p < io || p + sizeof(zx_handle_t) > io + IO_RW_PAGES * PAGE)
        return ZX_HANDLE_INVALID;
    zx_handle_t h;
    memcpy(&h, p, sizeof h);
    return h;
}

static zx_handle_t *handle_out_ptr(void)
{
    return chance(85) ? (zx_handle_t *)io : (zx_handle_t *)ptr_in();
}

static void do_vmo_create(void)
{
    uint64_t size = chance(80) ? below(32) * PAGE + (chance(10) ? 1 : 0) : boundary_size();
    uint32_t options = 0;
    if (chance(30))
        options |= ZX_VMO_RESIZABLE;
    if (chance(10))
        options |= ZX_VMO_DISCARDABLE;
    if (chance(3))
        options |= ZX_VMO_UNBOUNDED;
    if (chance(3))
        options |= 1u << below(32);
    zx_handle_t *out = handle_out_ptr();
    zx_status_t st = zx_vmo_create(size, options, out);
    note(C_VMO_CREATE, st);
    add(out_handle(st, out), K_VMO, 0, 0);
}

static void do_vmo_rw(int write)
{
    zx_handle_t h = any_handle();
    void *buf = ptr_in();
    uint64_t off = chance(80) ? below(32) * PAGE + below(PAGE) : boundary_size();
    size_t len = buffer_size();
    zx_status_t st = write ? zx_vmo_write(h, buf, off, len) : zx_vmo_read(h, buf, off, len);
    note(write ? C_VMO_WRITE : C_VMO_READ, st);
}

static void do_vmo_size(void)
{
    zx_handle_t h = any_handle();
    switch (below(4)) {
    case 0:
        note(C_VMO_GET_SIZE, zx_vmo_get_size(h, (uint64_t *)ptr_in()));
        break;
    case 1:
        note(C_VMO_SET_SIZE, zx_vmo_set_size(h, chance(80) ? below(32) * PAGE : boundary_size()));
        break;
    case 2:
        note(C_VMO_STREAM_SIZE, zx_vmo_get_stream_size(h, (uint64_t *)ptr_in()));
        break;
    default:
        note(C_VMO_STREAM_SIZE,
             zx_vmo_set_stream_size(h, chance(80) ? below(32 * PAGE) : boundary_size()));
        break;
    }
}

static void do_vmo_op_range(void)
{
    static const uint32_t ops[] = {ZX_VMO_OP_COMMIT,
                                   ZX_VMO_OP_DECOMMIT,
                                   ZX_VMO_OP_LOCK,
                                   ZX_VMO_OP_UNLOCK,
                                   ZX_VMO_OP_CACHE_SYNC,
                                   ZX_VMO_OP_CACHE_INVALIDATE,
                                   ZX_VMO_OP_CACHE_CLEAN,
                                   ZX_VMO_OP_CACHE_CLEAN_INVALIDATE,
                                   ZX_VMO_OP_ZERO,
                                   ZX_VMO_OP_TRY_LOCK,
                                   ZX_VMO_OP_DONT_NEED,
                                   ZX_VMO_OP_ALWAYS_NEED,
                                   ZX_VMO_OP_PREFETCH,
                                   5,
                                   0,
                                   99};
    uint32_t op = ops[below(N(ops))];
    uint64_t off = chance(80) ? below(32) * PAGE : boundary_size();
    uint64_t size = chance(80) ? below(32) * PAGE : boundary_size();
    int buffer = op == ZX_VMO_OP_LOCK || op == ZX_VMO_OP_TRY_LOCK || chance(15);
    note(C_VMO_OP_RANGE,
         zx_vmo_op_range(any_handle(), op, off, size, buffer ? ptr_in() : NULL,
                         buffer ? (chance(80) ? sizeof(zx_vmo_lock_state_t) : buffer_size()) : 0));
}

static void do_vmo_create_child(void)
{
    static const uint32_t kinds[] = {ZX_VMO_CHILD_SNAPSHOT, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
                                     ZX_VMO_CHILD_SLICE, ZX_VMO_CHILD_REFERENCE,
                                     ZX_VMO_CHILD_SNAPSHOT_MODIFIED};
    uint32_t options = kinds[below(N(kinds))];
    if (chance(20))
        options |= ZX_VMO_CHILD_RESIZABLE;
    if (chance(20))
        options |= ZX_VMO_CHILD_NO_WRITE;
    if (chance(5))
        options |= kinds[below(N(kinds))];
    if (chance(3))
        options |= 1u << below(32);
    uint64_t off = chance(80) ? below(16) * PAGE : boundary_size();
    uint64_t size = chance(80) ? below(16) * PAGE : boundary_size();
    zx_handle_t *out = handle_out_ptr();
    zx_status_t st = zx_vmo_create_child(any_handle(), options, off, size, out);
    note(C_VMO_CREATE_CHILD, st);
    add(out_handle(st, out), K_VMO, 0, 0);
}

/* Calls that consume a handle: it leaves the pool whatever the outcome. */
static zx_handle_t take(void)
{
    int i = pick();
    if (i < 0 || chance(10))
        return any_handle();
    zx_handle_t h = pool[i].h;
    forget(i);
    return h;
}

static void do_replace_as_executable(void)
{
    zx_handle_t h = take();
    zx_handle_t *out = handle_out_ptr();
    zx_status_t st =
        zx_vmo_replace_as_executable(h, chance(80) ? ZX_HANDLE_INVALID : any_handle(), out);
    note(C_VMO_REPLACE_EXEC, st);
    add(out_handle(st, out), K_VMO, 0, 0);
}

static void do_vmar_allocate(void)
{
    const entry *e = find_vmar();
    zx_handle_t parent = e != NULL && chance(90) ? e->h : any_handle();
    uint64_t offset = 0;
    uint32_t options = chance(85) ? (uint32_t)below(16) << 6 : vm_options(); /* CAN_MAP_* */
    if (chance(30))
        options |= ZX_VM_SPECIFIC;
    if (chance(10))
        options |= ZX_VM_COMPACT;
    if (e != NULL && (options & ZX_VM_SPECIFIC))
        offset = below(e->len / PAGE + 2) * PAGE;
    uint64_t size = chance(80) ? (below(64) + 1) * PAGE : boundary_size();
    zx_handle_t *out = handle_out_ptr();
    zx_vaddr_t *addr = chance(85) ? (zx_vaddr_t *)(io + 64) : (zx_vaddr_t *)ptr_in();
    zx_status_t st = zx_vmar_allocate(parent, options, offset, size, out, addr);
    note(C_VMAR_ALLOCATE, st);
    zx_handle_t h = out_handle(st, out);
    if (h != ZX_HANDLE_INVALID) {
        zx_info_vmar_t info = {0};
        zx_object_get_info(h, ZX_INFO_VMAR, &info, sizeof info, NULL, NULL);
        add(h, K_VMAR, info.base, info.len);
    }
}

static int find_vmo(void)
{
    int idx[POOL_MAX], n = 0;
    for (int i = 0; i < npool; i++) {
        if (pool[i].k == K_VMO)
            idx[n++] = i;
    }
    return n ? idx[below((uint64_t)n)] : -1;
}

static void do_vmar_map(void)
{
    const entry *e = find_vmar();
    zx_handle_t vmar = e != NULL && chance(90) ? e->h : any_handle();
    int j = find_vmo();
    zx_handle_t vmo = j >= 0 && chance(90) ? pool[j].h : any_handle();
    uint32_t options = ZX_VM_PERM_READ | (chance(60) ? ZX_VM_PERM_WRITE : 0);
    if (chance(30))
        options |= ZX_VM_SPECIFIC;
    if (chance(10))
        options |= ZX_VM_SPECIFIC_OVERWRITE;
    if (chance(10))
        options |= ZX_VM_MAP_RANGE;
    if (chance(10))
        options |= ZX_VM_ALLOW_FAULTS;
    if (chance(20))
        options = vm_options();
    uint64_t offset = 0;
    if (e != NULL && (options & ZX_VM_SPECIFIC))
        offset = below(e->len / PAGE + 2) * PAGE + (chance(5) ? 1 : 0);
    uint64_t vmo_offset = chance(85) ? below(8) * PAGE : boundary_size();
    uint64_t len = chance(85) ? (below(16) + 1) * PAGE : boundary_size();
    zx_vaddr_t *out = chance(85) ? (zx_vaddr_t *)(io + 64) : (zx_vaddr_t *)ptr_in();
    note(C_VMAR_MAP, zx_vmar_map(vmar, options, offset, vmo, vmo_offset, len, out));
}

static uint64_t range_len(void)
{
    return chance(85) ? below(32) * PAGE : boundary_size();
}

static zx_handle_t vmar_handle(void)
{
    const entry *e = find_vmar();
    return e != NULL && chance(90) ? e->h : any_handle();
}

static void do_vmar_unmap(void)
{
    note(C_VMAR_UNMAP, zx_vmar_unmap(vmar_handle(), address(), range_len()));
}

static void do_vmar_protect(void)
{
    uint32_t options = chance(90) ? perms() : vm_options();
    note(C_VMAR_PROTECT, zx_vmar_protect(vmar_handle(), options, address(), range_len()));
}

static void do_vmar_op_range(void)
{
    static const uint32_t ops[] = {ZX_VMAR_OP_COMMIT,
                                   ZX_VMAR_OP_DECOMMIT,
                                   ZX_VMAR_OP_MAP_RANGE,
                                   ZX_VMAR_OP_ZERO,
                                   ZX_VMAR_OP_DONT_NEED,
                                   ZX_VMAR_OP_ALWAYS_NEED,
                                   ZX_VMAR_OP_PREFETCH,
                                   ZX_VMO_OP_LOCK,
                                   0,
                                   77};
    int junk = chance(15);
    note(C_VMAR_OP_RANGE,
         zx_vmar_op_range(vmar_handle(), ops[below(N(ops))], address(), range_len(),
                          junk ? ptr_in() : NULL, junk ? buffer_size() : 0));
}

static void do_vmar_destroy(void)
{
    /* Rarely: a destroyed VMAR makes every later call on it BAD_STATE. */
    if (chance(80))
        return;
    const entry *e = find_vmar();
    if (e == &sandbox_entry)
        return;
    note(C_VMAR_DESTROY, zx_vmar_destroy(e != NULL && chance(90) ? e->h : any_handle()));
}

static zx_rights_t some_rights(void)
{
    if (chance(40))
        return ZX_RIGHT_SAME_RIGHTS;
    zx_rights_t r = (zx_rights_t)rnd() & 0x1FFFFFF;
    if (chance(5))
        r |= 1u << (25 + below(6));
    return r;
}

static void do_handle_duplicate(void)
{
    int i = pick();
    zx_handle_t h = any_handle();
    zx_handle_t *out = handle_out_ptr();
    zx_status_t st = zx_handle_duplicate(h, some_rights(), out);
    note(C_HANDLE_DUPLICATE, st);
    zx_handle_t d = out_handle(st, out);
    if (d != ZX_HANDLE_INVALID) {
        if (i >= 0 && pool[i].h == h)
            add(d, pool[i].k, pool[i].base, pool[i].len);
        else
            zx_handle_close(d); /* not known what it is */
    }
}

static void do_handle_replace(void)
{
    int i = pick();
    entry e = i >= 0 ? pool[i] : (entry){0};
    zx_handle_t h;
    if (i >= 0 && chance(90)) {
        h = e.h;
        forget(i);
    } else {
        h = any_handle();
        i = -1;
    }
    zx_handle_t *out = handle_out_ptr();
    zx_status_t st = zx_handle_replace(h, some_rights(), out);
    note(C_HANDLE_REPLACE, st);
    zx_handle_t d = out_handle(st, out);
    if (d != ZX_HANDLE_INVALID) {
        if (i >= 0)
            add(d, e.k, e.base, e.len);
        else
            zx_handle_close(d);
    }
}

static void do_handle_close(void)
{
    note(C_HANDLE_CLOSE, zx_handle_close(chance(80) ? take() : any_handle()));
}

static void do_handle_close_many(void)
{
    zx_handle_t *list = (zx_handle_t *)(io + 256);
    size_t n = below(5);
    for (size_t k = 0; k < n; k++)
        list[k] = chance(70) ? take() : any_handle();
    void *ptr = chance(85) ? (void *)list : ptr_in();
    size_t count = chance(90) ? n : (size_t)boundary_size();
    note(C_HANDLE_CLOSE_MANY, zx_handle_close_many(ptr, count));
}

static void do_get_info(void)
{
    static const uint32_t topics[] = {ZX_INFO_HANDLE_VALID,
                                      ZX_INFO_HANDLE_BASIC,
                                      ZX_INFO_PROCESS,
                                      ZX_INFO_VMAR,
                                      ZX_INFO_TASK_STATS,
                                      ZX_INFO_TASK_STATS_V1,
                                      ZX_INFO_PROCESS_MAPS,
                                      ZX_INFO_PROCESS_MAPS_V1,
                                      ZX_INFO_PROCESS_VMOS,
                                      ZX_INFO_PROCESS_VMOS_V1,
                                      ZX_INFO_HANDLE_COUNT,
                                      ZX_INFO_VMO,
                                      ZX_INFO_VMO_V1,
                                      ZX_INFO_VMAR_MAPS,
                                      ZX_INFO_NONE,
                                      ZX_INFO_TOPIC(23u, 9),
                                      1000};
    size_t *actual = chance(80) ? (size_t *)(io + 128) : (size_t *)ptr_in();
    size_t *avail = chance(80) ? (size_t *)(io + 136) : (size_t *)ptr_in();
    note(C_GET_INFO, zx_object_get_info(reader_handle(), topics[below(N(topics))], ptr_in(),
                                        buffer_size(), actual, avail));
}

static void do_property(int set)
{
    static const uint32_t props[] = {ZX_PROP_NAME, ZX_PROP_VMO_CONTENT_SIZE, 0, 4, 99};
    uint32_t prop = props[below(N(props))];
    size_t len = chance(70) ? (size_t)below(40) : buffer_size();
    if (set) {
        /* The process keeps its name: set properties on pool handles only. */
        note(C_SET_PROPERTY, zx_object_set_property(any_handle(), prop, ptr_in(), len));
    } else {
        note(C_GET_PROPERTY, zx_object_get_property(reader_handle(), prop, ptr_in(), len));
    }
}

static void do_wait_one(void)
{
    /* Never an infinite deadline: nothing else could raise the signal. */
    zx_time_t deadlines[] = {ZX_TIME_INFINITE_PAST, 0, -1,
                             zx_clock_get_monotonic() + (zx_time_t)below(5000)};
    zx_signals_t signals = chance(70) ? ZX_VMO_ZERO_CHILDREN : (zx_signals_t)rnd();
    zx_signals_t *pending = chance(80) ? (zx_signals_t *)(io + 144) : (zx_signals_t *)ptr_in();
    note(C_WAIT_ONE,
         zx_object_wait_one(reader_handle(), signals, deadlines[below(N(deadlines))], pending));
}

/* Reads (and writes, where allowed) a page of one of the sandbox's
 * mappings, where the VMO behind it has that page: only then can the
 * kernel always resolve the fault. */
static void do_touch(void)
{
    const entry *e = find_vmar();
    if (e == NULL)
        return;
    /* A data frame and up to three page tables. */
    zxsim_mem_stats_t ms;
    if (zxsim_mem_stats(&ms) != ZX_OK || ms.frames_total - ms.frames_in_use < 8)
        return;
    zx_info_maps_t *maps = (zx_info_maps_t *)io;
    size_t n = 0, avail = 0;
    size_t room = IO_RW_PAGES * PAGE / sizeof *maps;
    if (zx_object_get_info(e->h, ZX_INFO_VMAR_MAPS, maps, room * sizeof *maps, &n, &avail) !=
            ZX_OK ||
        n == 0)
        return;
    const zx_info_maps_t *m = &maps[below(n)];
    if (m->type != ZX_INFO_MAPS_TYPE_MAPPING || !(m->u.mapping.mmu_flags & ZX_VM_PERM_READ))
        return;
    int j = -1;
    for (int k = 0; k < npool; k++) {
        if (pool[k].k == K_VMO && pool[k].koid == m->u.mapping.vmo_koid)
            j = k;
    }
    if (j < 0)
        return;
    zx_info_vmo_t info;
    if (zx_object_get_info(pool[j].h, ZX_INFO_VMO, &info, sizeof info, NULL, NULL) != ZX_OK ||
        (info.flags & ZX_INFO_VMO_DISCARDABLE))
        return;
    uint64_t page = below(m->size / PAGE);
    if (m->u.mapping.vmo_offset + page * PAGE >= info.size_bytes)
        return;
    volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)(m->base + page * PAGE + below(PAGE));
    uint8_t v = *p;
    if (m->u.mapping.mmu_flags & ZX_VM_PERM_WRITE)
        *p = (uint8_t)(v + 1);
    touches++;
}

/* ---- setup and the loop ------------------------------------------------- */

/* Writes every page of [p, p + len) with its own contents, so that it is
 * committed before memory can run out. */
static void prefault(volatile uint8_t *p, size_t len)
{
    for (size_t off = 0; off < len; off += PAGE)
        p[off] = p[off];
    if (len)
        p[len - 1] = p[len - 1];
}

__attribute__((noinline)) static void prefault_stack(void)
{
    volatile uint8_t deep[64 * 1024];
    prefault(deep, sizeof deep);
}

static void reset(void)
{
    for (int i = 0; i < npool; i++)
        zx_handle_close(pool[i].h);
    npool = 0;
    if (sandbox != ZX_HANDLE_INVALID) {
        zx_vmar_destroy(sandbox);
        zx_handle_close(sandbox);
    }
    zx_vaddr_t base = 0;
    zx_status_t st = zx_vmar_allocate(zx_vmar_root_self(),
                                      ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE |
                                          ZX_VM_CAN_MAP_EXECUTE | ZX_VM_CAN_MAP_SPECIFIC,
                                      0, SANDBOX_SIZE, &sandbox, &base);
    if (st != ZX_OK) {
        printf("FAIL cannot allocate the sandbox: %s\n", zx_status_get_string(st));
        exit(1);
    }
    sandbox_entry = (entry){.h = sandbox, .k = K_VMAR, .base = base, .len = SANDBOX_SIZE};
    /* A child region of the sandbox in the pool: destroying the sandbox
     * itself would leave nothing to map into until the next reset. */
    zx_handle_t d;
    zx_vaddr_t sub = 0;
    if (zx_vmar_allocate(sandbox, ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_SPECIFIC,
                         0, SANDBOX_SIZE / 4, &d, &sub) == ZX_OK)
        add(d, K_VMAR, sub, SANDBOX_SIZE / 4);
    for (int k = 0; k < 4; k++) {
        zx_handle_t v;
        if (zx_vmo_create((k + 1) * 4 * PAGE, k == 3 ? ZX_VMO_RESIZABLE : 0, &v) == ZX_OK)
            add(v, K_VMO, 0, 0);
    }
}

static void setup_io(void)
{
    zx_handle_t region, vmo;
    zx_vaddr_t base = 0, addr = 0;
    if (zx_vmar_allocate(zx_vmar_root_self(),
                         ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_SPECIFIC, 0,
                         32 * PAGE, &region, &base) != ZX_OK ||
        zx_vmo_create((IO_RW_PAGES + 1) * PAGE, 0, &vmo) != ZX_OK ||
        zx_vmar_map(region, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_SPECIFIC, 0, vmo, 0,
                    IO_RW_PAGES * PAGE, &addr) != ZX_OK ||
        zx_vmar_map(region, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, IO_RW_PAGES * PAGE, vmo,
                    IO_RW_PAGES * PAGE, PAGE, &addr) != ZX_OK) {
        printf("FAIL cannot set up the I/O region\n");
        exit(1);
    }
    io = (uint8_t *)(uintptr_t)base;
    prefault(io, IO_RW_PAGES * PAGE);
}

int main(int argc, char **argv)
{
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
    unsigned long target = argc > 2 ? strtoul(argv[2], NULL, 0) : 100000;
    rng_state = seed;
    prefault((volatile uint8_t *)tally, sizeof tally);
    prefault((volatile uint8_t *)pool, sizeof pool);
    prefault_stack();
    setup_io();
    reset();
    unsigned long last_reset = 0;
    while (calls < target) {
        if (calls - last_reset >= RESET_EVERY) {
            reset();
            last_reset = calls;
        }
        /* Consuming calls drain the pool; keep it stocked. */
        if (npool < 12) {
            if (chance(50))
                do_vmo_create();
            else
                do_vmar_allocate();
            continue;
        }
        switch (below(28)) {
        case 0:
            do_vmo_create();
            break;
        case 2:
            do_vmo_rw(0);
            break;
        case 3:
            do_vmo_rw(1);
            break;
        case 4:
            do_vmo_size();
            break;
        case 5:
        case 6:
            do_vmo_op_range();
            break;
        case 7:
        case 8:
            do_vmo_create_child();
            break;
        case 9:
            note(C_VMO_CACHE_POLICY, zx_vmo_set_cache_policy(any_handle(), (uint32_t)below(6)));
            break;
        case 10:
            if (chance(20))
                do_replace_as_executable();
            break;
        case 11:
            do_vmar_allocate();
            break;
        case 1:
        case 12:
        case 13:
        case 14:
            do_vmar_map();
            break;
        case 15:
            do_vmar_unmap();
            break;
        case 16:
            do_vmar_protect();
            break;
        case 17:
            do_vmar_op_range();
            break;
        case 18:
            do_vmar_destroy();
            break;
        case 19:
            do_handle_duplicate();
            break;
        case 20:
            do_handle_replace();
            break;
        case 21:
            do_handle_close();
            break;
        case 22:
            do_handle_close_many();
            break;
        case 23:
            do_get_info();
            break;
        case 24:
            do_property(chance(50));
            break;
        case 25:
            do_wait_one();
            break;
        default:
            do_touch();
            break;
        }
    }
    reset(); /* frees what the calls committed before printing */
    printf("fuzz: seed %llu, %lu calls, %lu returned ZX_OK, %lu touches of mapped pages\n",
           (unsigned long long)seed, calls, oks, touches);
    for (int c = 0; c < C_COUNT; c++) {
        unsigned long total = 0;
        for (int s = 0; s < STATUS_SLOTS; s++)
            total += tally[c][s];
        printf("  %-27s %8lu:", call_names[c], total);
        for (int s = 0; s < STATUS_SLOTS; s++) {
            if (tally[c][s])
                printf(" %s x%lu", s == 0 ? "OK" : zx_status_get_string(-s) + 7, tally[c][s]);
        }
        printf("\n");
    }
    if (undefined) {
        printf("FAIL %lu calls returned a status Zircon does not define\n", undefined);
        return 1;
    }
    printf("fuzz ok: %lu calls\n", calls);
    return 0;
}
