/* Calls every zx_* syscall of the SDK with garbage arguments: bad, stale and
 * wrong-type handles, NULL / kernel / unaligned / unmapped / read-only /
 * straddling pointers, huge and overflowing sizes and offsets, and unknown
 * option bits. The host must survive all of it, and every call must come
 * back with a real zx_status_t; the tests run this under --check-invariants.
 *
 * The process protects itself from calls that garbage could make succeed:
 * valid pointers point only into a scratch mapping followed by unmapped
 * address space, VMAR calls that take addresses get a sandbox VMAR rather
 * than the root VMAR, and handles that a call consumes are fresh duplicates.
 *
 * Prints, per syscall, how many calls returned which status; exits 0 when
 * every status was a valid one and the process's own memory and the kernel
 * still work afterwards, 1 otherwise. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/rights.h>
#include <zircon/syscalls.h>
#include <zxsim/zxsim.h>

#define PAGE     4096u
#define N(array) (sizeof(array) / sizeof((array)[0]))

static int failures;

static void fail(const char *what)
{
    printf("FAIL %s\n", what);
    failures++;
}

/* ---- tallies of the statuses one syscall returned ---------------------- */

#define LOWEST_STATUS (-80)

typedef struct tally {
    const char *name;
    unsigned long calls;
    unsigned long counts[-LOWEST_STATUS + 1]; /* index: -status */
    unsigned long strange;                    /* not a status a syscall returns */
    long first_strange;
} tally;

static tally current;

static void begin(const char *name)
{
    memset(&current, 0, sizeof current);
    current.name = name;
}

static void note(zx_status_t st)
{
    current.calls++;
    /* ZX_ERR_INTERNAL and the internal retry codes are kernel bugs when a
     * user sees them; positive values are not statuses at all. */
    if (st > 0 || st < LOWEST_STATUS || st == ZX_ERR_INTERNAL || st == ZX_ERR_INTERNAL_INTR_RETRY) {
        if (current.strange++ == 0)
            current.first_strange = st;
        return;
    }
    current.counts[-st]++;
}

static void end(void)
{
    printf("%-28s %6lu calls:", current.name, current.calls);
    for (int i = 0; i <= -LOWEST_STATUS; i++) {
        if (current.counts[i])
            printf(" %d x%lu", -i, current.counts[i]);
    }
    if (current.strange) {
        printf(" STRANGE x%lu (first %ld)", current.strange, current.first_strange);
        fail(current.name);
    }
    printf("\n");
}

/* ---- the garbage -------------------------------------------------------- */

static zx_handle_t target;     /* a 2-page VMO */
static zx_handle_t target_ro;  /* the same, READ|MAP|DUPLICATE only */
static zx_handle_t resizable;  /* a resizable 2-page VMO */
static zx_handle_t sandbox;    /* a child VMAR that holds nothing we need */
static uintptr_t sandbox_base; /* its address */
static uintptr_t scratch;      /* 4 writable pages, then unmapped space */
static uintptr_t hole;         /* an unmapped page */

#define SANDBOX_PAGES 64u
#define SCRATCH_PAGES 4u

static const uint64_t sizes[] = {
    0,
    1,
    8,
    0xfff,
    0x1000,
    0x1001,
    0x2000,
    0x10000,
    1ull << 32,
    1ull << 63,
    0xfffffffffffe0000ull, /* the largest VMO size */
    0xfffffffffffe1000ull,
    0xfffffffffffff000ull,
    ~0ull,
};

/* (offset, size) pairs for calls that take a range. */
static const uint64_t ranges[][2] = {
    {0, 0},
    {0, 0x1000},
    {0x10, 0x20},
    {0x1000, 0x1000},
    {0x2000, 1},
    {0x3000, 0x1000},
    {0, ~0ull},
    {~0ull, 1},
    {0xfffffffffffff000ull, 0x2000},
    {1ull << 63, 1ull << 63},
    {0x1000, 0xfffffffffffff000ull},
};

static const uint32_t options[] = {0, 1, 2, 3, 0x80, 0xffff, 1u << 31, ~0u};

static zx_handle_t handles[16];
static size_t nhandles;

static void add_handle(zx_handle_t h)
{
    handles[nhandles++] = h;
}

/* Pointers: in the scratch pages, or garbage. */
static uintptr_t ptrs[16];
static size_t nptrs;

static void add_ptr(uintptr_t p)
{
    ptrs[nptrs++] = p;
}

static const char rodata_text[64] = "read-only data";

static void setup(void)
{
    zx_status_t st;
    st = zx_vmo_create(2 * PAGE, 0, &target);
    st |=
        zx_handle_duplicate(target, ZX_RIGHT_READ | ZX_RIGHT_MAP | ZX_RIGHT_DUPLICATE, &target_ro);
    st |= zx_vmo_create(2 * PAGE, ZX_VMO_RESIZABLE, &resizable);
    st |= zx_vmar_allocate(zx_vmar_root_self(),
                           ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_EXECUTE |
                               ZX_VM_CAN_MAP_SPECIFIC,
                           0, SANDBOX_PAGES * PAGE, &sandbox, &sandbox_base);
    /* Something for the sandbox's calls to find. */
    zx_vaddr_t in_sandbox;
    st |= zx_vmar_map(sandbox, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_SPECIFIC, 4 * PAGE,
                      target, 0, 2 * PAGE, &in_sandbox);

    /* The scratch pages sit at the start of a VMAR twice their size, so
     * that a kernel writing past them hits nothing but unmapped space. */
    zx_handle_t scratch_vmar, scratch_vmo;
    zx_vaddr_t scratch_vmar_base;
    st |= zx_vmar_allocate(zx_vmar_root_self(),
                           ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_SPECIFIC, 0,
                           2 * SCRATCH_PAGES * PAGE, &scratch_vmar, &scratch_vmar_base);
    st |= zx_vmo_create(SCRATCH_PAGES * PAGE, 0, &scratch_vmo);
    st |= zx_vmar_map(scratch_vmar, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_SPECIFIC, 0,
                      scratch_vmo, 0, SCRATCH_PAGES * PAGE, &scratch);

    zx_handle_t hole_vmo;
    st |= zx_vmo_create(PAGE, 0, &hole_vmo);
    st |= zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, hole_vmo, 0, PAGE, &hole);
    st |= zx_vmar_unmap(zx_vmar_root_self(), hole, PAGE);
    zx_handle_close(hole_vmo);
    if (st != ZX_OK) {
        printf("setup failed\n");
        exit(1);
    }

    add_handle(ZX_HANDLE_INVALID);
    add_handle(1);
    add_handle(0xffffffffu);
    add_handle(0xdeadbeefu);
    add_handle(0x7ffffffcu);
    add_handle(target ^ 4); /* a near miss of a live handle */
    add_handle(target);
    add_handle(target_ro);
    add_handle(resizable);
    add_handle(sandbox);
    add_handle(zx_process_self());

    add_ptr(0);
    add_ptr(1);
    add_ptr(0xfff);
    add_ptr(0xffff800000000000ull);     /* kernel space */
    add_ptr(0xfffffffffffff000ull);     /* the last page */
    add_ptr(~0ull - 3);                 /* straddles the end of the address space */
    add_ptr(0x00007ffffffff000ull - 8); /* straddles the top of x86-64 user space */
    add_ptr(0x0000800000000000ull);     /* non-canonical on x86-64 */
    add_ptr(hole + 0x18);
    add_ptr((uintptr_t)rodata_text);             /* read-only */
    add_ptr((uintptr_t)&setup);                  /* code */
    add_ptr(scratch);                            /* valid */
    add_ptr(scratch + 1);                        /* valid, unaligned */
    add_ptr(scratch + SCRATCH_PAGES * PAGE - 4); /* straddles into unmapped space */
}

/* Addresses for VMAR calls: garbage, or inside the sandbox. */
static uintptr_t vaddrs[16];
static size_t nvaddrs;

static void setup_vaddrs(void)
{
    vaddrs[nvaddrs++] = 0;
    vaddrs[nvaddrs++] = 0x1000;
    vaddrs[nvaddrs++] = sandbox_base;
    vaddrs[nvaddrs++] = sandbox_base + 0x18;
    vaddrs[nvaddrs++] = sandbox_base + 4 * PAGE;
    vaddrs[nvaddrs++] = sandbox_base + (SANDBOX_PAGES - 1) * PAGE;
    vaddrs[nvaddrs++] = sandbox_base + SANDBOX_PAGES * PAGE; /* just past it */
    vaddrs[nvaddrs++] = 0xffff800000000000ull;
    vaddrs[nvaddrs++] = 0xfffffffffffff000ull;
    vaddrs[nvaddrs++] = ~0ull;
}

/* ---- one block per syscall --------------------------------------------- */

static void garbage_handles(void)
{
    zx_handle_t out;
    begin("handle_duplicate");
    for (size_t h = 0; h < nhandles; h++)
        for (size_t o = 0; o < N(options); o++)
            for (size_t p = 0; p < nptrs; p++) {
                note(zx_handle_duplicate(handles[h], options[o], (zx_handle_t *)ptrs[p]));
            }
    end();

    /* replace and close consume a valid handle: give them fresh ones. */
    begin("handle_replace");
    for (size_t o = 0; o < N(options); o++)
        for (size_t p = 0; p < nptrs; p++) {
            note(zx_handle_replace(0xdeadbeefu, options[o], (zx_handle_t *)ptrs[p]));
            if (zx_handle_duplicate(target, ZX_RIGHT_SAME_RIGHTS, &out) == ZX_OK)
                note(zx_handle_replace(out, options[o], (zx_handle_t *)ptrs[p]));
        }
    end();

    begin("handle_close");
    for (size_t h = 0; h < 6; h++) /* only the garbage ones */
        note(zx_handle_close(handles[h]));
    end();

    begin("handle_close_many");
    /* Unreadable arrays of any length. A readable one is read until the
     * count or the first unreadable page, and every live handle found on
     * the way is closed (as upstream), so those get short counts only. */
    for (size_t p = 0; p < 9; p++)
        for (size_t s = 0; s < N(sizes); s++)
            note(zx_handle_close_many((const zx_handle_t *)ptrs[p], sizes[s]));
    note(zx_handle_close_many((const zx_handle_t *)rodata_text, 4));
    note(zx_handle_close_many((const zx_handle_t *)(uintptr_t)&setup, 4));
    {
        zx_handle_t junk[4] = {0, 0xdeadbeefu, 0xffffffffu, target ^ 4};
        note(zx_handle_close_many(junk, 4));
    }
    end();
}

static void garbage_objects(void)
{
    static const uint32_t topics[] = {
        0,
        ZX_INFO_HANDLE_VALID,
        ZX_INFO_HANDLE_BASIC,
        ZX_INFO_PROCESS,
        ZX_INFO_VMAR,
        ZX_INFO_PROCESS_MAPS,
        ZX_INFO_PROCESS_VMOS,
        ZX_INFO_VMO,
        ZX_INFO_VMO_V1,
        ZX_INFO_VMAR_MAPS,
        0x12345,
        ~0u,
    };
    begin("object_get_info");
    for (size_t h = 0; h < nhandles; h++)
        for (size_t t = 0; t < N(topics); t++)
            for (size_t p = 0; p < nptrs; p++)
                for (size_t s = 0; s < N(sizes); s += 3)
                    note(zx_object_get_info(handles[h], topics[t], (void *)ptrs[p], sizes[s],
                                            (size_t *)ptrs[(p + 3) % nptrs],
                                            (size_t *)ptrs[(p + 5) % nptrs]));
    end();

    static const uint32_t props[] = {0, ZX_PROP_NAME, ZX_PROP_VMO_CONTENT_SIZE, 0xffff, ~0u};
    begin("object_get_property");
    for (size_t h = 0; h < nhandles; h++)
        for (size_t i = 0; i < N(props); i++)
            for (size_t p = 0; p < nptrs; p++)
                for (size_t s = 0; s < N(sizes); s += 2)
                    note(zx_object_get_property(handles[h], props[i], (void *)ptrs[p], sizes[s]));
    end();

    begin("object_set_property");
    for (size_t h = 0; h < nhandles; h++)
        for (size_t i = 0; i < N(props); i++)
            for (size_t p = 0; p < nptrs; p++)
                for (size_t s = 0; s < N(sizes); s += 2)
                    note(zx_object_set_property(handles[h], props[i], (const void *)ptrs[p],
                                                sizes[s]));
    end();

    /* Deadlines in the past only: waiting forever on a live object for a
     * signal nobody raises is a legitimate way to get killed. */
    static const zx_time_t deadlines[] = {0, -1, ZX_TIME_INFINITE_PAST, 1};
    begin("object_wait_one");
    for (size_t h = 0; h < nhandles; h++)
        for (size_t o = 0; o < N(options); o++)
            for (size_t d = 0; d < N(deadlines); d++)
                for (size_t p = 0; p < nptrs; p += 2)
                    note(zx_object_wait_one(handles[h], options[o], deadlines[d],
                                            (zx_signals_t *)ptrs[p]));
    /* A garbage handle fails before the deadline matters. */
    note(zx_object_wait_one(0xdeadbeefu, ~0u, ZX_TIME_INFINITE, NULL));
    end();
}

static void garbage_vmos(void)
{
    begin("vmo_create");
    for (size_t s = 0; s < N(sizes); s++)
        for (size_t o = 0; o < N(options); o++)
            for (size_t p = 0; p < nptrs; p++) {
                zx_handle_t *out = (zx_handle_t *)ptrs[p];
                zx_status_t st = zx_vmo_create(sizes[s], options[o], out);
                note(st);
                /* Do not let huge VMOs pile up. */
                if (st == ZX_OK)
                    zx_handle_close(*out);
            }
    end();

    begin("vmo_read");
    for (size_t h = 0; h < nhandles; h++)
        for (size_t p = 0; p < nptrs; p++)
            for (size_t r = 0; r < N(ranges); r++)
                note(zx_vmo_read(handles[h], (void *)ptrs[p], ranges[r][0], ranges[r][1]));
    end();

    begin("vmo_write");
    for (size_t h = 0; h < nhandles; h++)
        for (size_t p = 0; p < nptrs; p++)
            for (size_t r = 0; r < N(ranges); r++)
                note(zx_vmo_write(handles[h], (const void *)ptrs[p], ranges[r][0], ranges[r][1]));
    end();

    begin("vmo_get_size");
    for (size_t h = 0; h < nhandles; h++)
        for (size_t p = 0; p < nptrs; p++)
            note(zx_vmo_get_size(handles[h], (uint64_t *)ptrs[p]));
    end();

    begin("vmo_set_size");
    for (size_t h = 0; h < nhandles; h++)
        for (size_t s = 0; s < N(sizes); s++)
            note(zx_vmo_set_size(handles[h], sizes[s]));
    /* Put the resizable one back to two pages for the calls below. */
    note(zx_vmo_set_size(resizable, 2 * PAGE));
    end();

    begin("vmo_get_stream_size");
    for (size_t h = 0; h < nhandles; h++)
        for (size_t p = 0; p < nptrs; p++)
            note(zx_vmo_get_stream_size(handles[h], (uint64_t *)ptrs[p]));
    end();

    begin("vmo_set_stream_size");
    for (size_t h = 0; h < nhandles; h++)
        for (size_t s = 0; s < N(sizes); s++)
            note(zx_vmo_set_stream_size(handles[h], sizes[s]));
    note(zx_vmo_set_size(resizable, 2 * PAGE));
    end();

    static const uint32_t ops[] = {0,
                                   ZX_VMO_OP_COMMIT,
                                   ZX_VMO_OP_DECOMMIT,
                                   ZX_VMO_OP_LOCK,
                                   ZX_VMO_OP_UNLOCK,
                                   5,
                                   ZX_VMO_OP_CACHE_SYNC,
                                   ZX_VMO_OP_CACHE_INVALIDATE,
                                   ZX_VMO_OP_CACHE_CLEAN,
                                   ZX_VMO_OP_CACHE_CLEAN_INVALIDATE,
                                   ZX_VMO_OP_ZERO,
                                   ZX_VMO_OP_TRY_LOCK,
                                   ZX_VMO_OP_DONT_NEED,
                                   ZX_VMO_OP_ALWAYS_NEED,
                                   ZX_VMO_OP_PREFETCH,
                                   15,
                                   ~0u};
    begin("vmo_op_range");
    for (size_t h = 0; h < nhandles; h++)
        for (size_t o = 0; o < N(ops); o++)
            for (size_t r = 0; r < N(ranges); r++)
                for (size_t p = 0; p < nptrs; p += 3)
                    note(zx_vmo_op_range(handles[h], ops[o], ranges[r][0], ranges[r][1],
                                         (void *)ptrs[p], sizes[(r + p) % N(sizes)]));
    end();

    begin("vmo_create_child");
    for (size_t h = 0; h < nhandles; h++)
        for (size_t o = 0; o < N(options); o++)
            for (size_t r = 0; r < N(ranges); r++)
                for (size_t p = 0; p < nptrs; p += 2) {
                    zx_handle_t *out = (zx_handle_t *)ptrs[p];
                    zx_status_t st = zx_vmo_create_child(handles[h], options[o], ranges[r][0],
                                                         ranges[r][1], out);
                    note(st);
                    if (st == ZX_OK)
                        zx_handle_close(*out);
                }
    /* The real child kinds, with garbage ranges. */
    static const uint32_t kinds[] = {ZX_VMO_CHILD_SNAPSHOT, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
                                     ZX_VMO_CHILD_SLICE, ZX_VMO_CHILD_REFERENCE,
                                     ZX_VMO_CHILD_SNAPSHOT_MODIFIED};
    for (size_t h = 6; h < nhandles; h++)
        for (size_t k = 0; k < N(kinds); k++)
            for (size_t r = 0; r < N(ranges); r++) {
                zx_handle_t child;
                zx_status_t st = zx_vmo_create_child(handles[h], kinds[k] | ZX_VMO_CHILD_RESIZABLE,
                                                     ranges[r][0], ranges[r][1], &child);
                note(st);
                if (st == ZX_OK)
                    zx_handle_close(child);
                st = zx_vmo_create_child(handles[h], kinds[k], ranges[r][0], ranges[r][1], &child);
                note(st);
                if (st == ZX_OK)
                    zx_handle_close(child);
            }
    end();

    begin("vmo_set_cache_policy");
    for (size_t h = 0; h < nhandles; h++)
        for (size_t o = 0; o < N(options); o++)
            note(zx_vmo_set_cache_policy(handles[h], options[o]));
    end();

    begin("vmo_replace_as_executable");
    for (size_t h = 0; h < nhandles; h++)
        for (size_t p = 0; p < nptrs; p++) {
            zx_handle_t dup;
            if (zx_handle_duplicate(target, ZX_RIGHT_SAME_RIGHTS, &dup) != ZX_OK)
                continue;
            /* The VMO handle is consumed whatever happens. */
            note(zx_vmo_replace_as_executable(dup, handles[h], (zx_handle_t *)ptrs[p]));
            note(zx_vmo_replace_as_executable(handles[h < 6 ? h : 0], handles[h],
                                              (zx_handle_t *)ptrs[p]));
        }
    end();

    begin("vmo_create_contiguous");
    for (size_t h = 0; h < nhandles; h++)
        for (size_t s = 0; s < N(sizes); s += 2)
            note(zx_vmo_create_contiguous(handles[h], sizes[s], options[s % N(options)],
                                          (zx_handle_t *)ptrs[s % nptrs]));
    end();

    begin("vmo_create_physical");
    for (size_t h = 0; h < nhandles; h++)
        for (size_t r = 0; r < N(ranges); r++)
            note(zx_vmo_create_physical(handles[h], ranges[r][0], ranges[r][1],
                                        (zx_handle_t *)ptrs[r % nptrs]));
    end();
}

static void garbage_vmars(void)
{
    /* The root VMAR only with options and sizes that cannot succeed at a
     * place the process uses; the sandbox with anything. */
    zx_handle_t vmar_handles[] = {0, 0xdeadbeefu, target, zx_process_self(), sandbox};
    static const uint32_t vm_options[] = {
        0,
        ZX_VM_PERM_READ,
        ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
        ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_PERM_EXECUTE,
        ZX_VM_PERM_WRITE,
        ZX_VM_SPECIFIC | ZX_VM_PERM_READ,
        ZX_VM_SPECIFIC_OVERWRITE | ZX_VM_PERM_READ,
        ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_SPECIFIC,
        ZX_VM_MAP_RANGE | ZX_VM_PERM_READ,
        ZX_VM_ALLOW_FAULTS | ZX_VM_FAULT_BEYOND_STREAM_SIZE | ZX_VM_PERM_READ,
        ZX_VM_OFFSET_IS_UPPER_LIMIT | ZX_VM_PERM_READ,
        ZX_VM_ALIGN_4GB | ZX_VM_PERM_READ,
        (31u << ZX_VM_ALIGN_BASE) | ZX_VM_PERM_READ,
        (33u << ZX_VM_ALIGN_BASE) | ZX_VM_PERM_READ, /* beyond the largest alignment */
        1u << 20,
        ~0u,
    };

    begin("vmar_allocate");
    for (size_t h = 0; h < N(vmar_handles); h++)
        for (size_t o = 0; o < N(vm_options); o++)
            for (size_t r = 0; r < N(ranges); r++)
                for (size_t p = 0; p < nptrs; p += 4)
                    note(zx_vmar_allocate(vmar_handles[h], vm_options[o], ranges[r][0],
                                          ranges[r][1], (zx_handle_t *)ptrs[p],
                                          (zx_vaddr_t *)ptrs[(p + 1) % nptrs]));
    /* Valid out-pointers, so that only the options and range are garbage. */
    for (size_t h = 0; h < N(vmar_handles); h++)
        for (size_t o = 0; o < N(vm_options); o++)
            for (size_t r = 0; r < N(ranges); r++) {
                zx_handle_t out;
                zx_vaddr_t addr;
                zx_status_t st = zx_vmar_allocate(vmar_handles[h], vm_options[o], ranges[r][0],
                                                  ranges[r][1], &out, &addr);
                note(st);
                if (st == ZX_OK)
                    zx_handle_close(out);
            }
    /* Root: sizes too large for any free space, or offsets beyond it. */
    for (size_t o = 0; o < N(vm_options); o++) {
        zx_handle_t out;
        zx_vaddr_t addr;
        note(zx_vmar_allocate(zx_vmar_root_self(), vm_options[o], 0, ~0ull, &out, &addr));
        note(zx_vmar_allocate(zx_vmar_root_self(), vm_options[o], ~0ull & ~0xfffull, PAGE, &out,
                              &addr));
        note(zx_vmar_allocate(zx_vmar_root_self(), vm_options[o], 0xffff800000000000ull, PAGE, &out,
                              &addr));
    }
    end();

    begin("vmar_map");
    for (size_t h = 0; h < N(vmar_handles); h++)
        for (size_t o = 0; o < N(vm_options); o++)
            for (size_t v = 0; v < nhandles; v++)
                for (size_t r = 0; r < N(ranges); r++) {
                    uintptr_t out = ptrs[(o + v + r) % nptrs];
                    note(zx_vmar_map(vmar_handles[h], vm_options[o], ranges[r][0], handles[v],
                                     ranges[(r + 3) % N(ranges)][0], ranges[r][1],
                                     (zx_vaddr_t *)out));
                }
    for (size_t o = 0; o < N(vm_options); o++)
        for (size_t r = 0; r < N(ranges); r++) {
            zx_vaddr_t addr;
            /* Root: offsets outside the address space only. */
            note(zx_vmar_map(zx_vmar_root_self(), vm_options[o] & ~ZX_VM_SPECIFIC_OVERWRITE,
                             0xffff800000000000ull, target, ranges[r][0], ranges[r][1], &addr));
            note(zx_vmar_map(zx_vmar_root_self(), vm_options[o] & ~ZX_VM_SPECIFIC_OVERWRITE, ~0ull,
                             target, 0, PAGE, &addr));
        }
    end();

    begin("vmar_protect");
    for (size_t h = 0; h < N(vmar_handles); h++)
        for (size_t o = 0; o < N(vm_options); o++)
            for (size_t a = 0; a < nvaddrs; a++)
                for (size_t s = 0; s < N(sizes); s += 2)
                    note(zx_vmar_protect(vmar_handles[h], vm_options[o], vaddrs[a], sizes[s]));
    for (size_t o = 0; o < N(vm_options); o++) {
        note(zx_vmar_protect(zx_vmar_root_self(), vm_options[o], 0xffff800000000000ull, PAGE));
        note(zx_vmar_protect(zx_vmar_root_self(), vm_options[o], 0xfffffffffffff000ull, 0x2000));
        note(zx_vmar_protect(zx_vmar_root_self(), vm_options[o], 0x10000001, PAGE));
    }
    end();

    static const uint32_t ops[] = {0,
                                   ZX_VMAR_OP_COMMIT,
                                   ZX_VMAR_OP_DECOMMIT,
                                   ZX_VMAR_OP_MAP_RANGE,
                                   4,
                                   ZX_VMO_OP_CACHE_SYNC,
                                   ZX_VMAR_OP_ZERO,
                                   ZX_VMAR_OP_DONT_NEED,
                                   ZX_VMAR_OP_ALWAYS_NEED,
                                   ZX_VMAR_OP_PREFETCH,
                                   ~0u};
    begin("vmar_op_range");
    for (size_t h = 0; h < N(vmar_handles); h++)
        for (size_t o = 0; o < N(ops); o++)
            for (size_t a = 0; a < nvaddrs; a++)
                for (size_t s = 0; s < N(sizes); s += 2)
                    note(zx_vmar_op_range(vmar_handles[h], ops[o], vaddrs[a], sizes[s],
                                          (void *)ptrs[(a + s) % nptrs],
                                          sizes[(a + o) % N(sizes)]));
    for (size_t o = 0; o < N(ops); o++) {
        note(zx_vmar_op_range(zx_vmar_root_self(), ops[o], 0xffff800000000000ull, PAGE, NULL, 0));
        note(zx_vmar_op_range(zx_vmar_root_self(), ops[o], 0xfffffffffffff000ull, 0x2000, NULL, 0));
        note(zx_vmar_op_range(zx_vmar_root_self(), ops[o], 0x10000001, PAGE, NULL, 0));
    }
    end();

    begin("vmar_unmap");
    for (size_t h = 0; h < N(vmar_handles); h++)
        for (size_t a = 0; a < nvaddrs; a++)
            for (size_t s = 0; s < N(sizes); s++)
                note(zx_vmar_unmap(vmar_handles[h], vaddrs[a], sizes[s]));
    note(zx_vmar_unmap(zx_vmar_root_self(), 0xffff800000000000ull, PAGE));
    note(zx_vmar_unmap(zx_vmar_root_self(), 0xfffffffffffff000ull, 0x2000));
    note(zx_vmar_unmap(zx_vmar_root_self(), 0x10000001, PAGE));
    note(zx_vmar_unmap(zx_vmar_root_self(), 0x10000000, 0));
    end();

    begin("vmar_destroy");
    for (size_t h = 0; h < N(vmar_handles); h++)
        note(zx_vmar_destroy(vmar_handles[h]));
    note(zx_vmar_destroy(sandbox)); /* again: already destroyed */
    note(zx_vmar_destroy(0xffffffffu));
    end();
}

static void garbage_misc(void)
{
    /* Only unreadable pointers: a readable one would print its bytes. */
    begin("debug_write");
    for (size_t p = 0; p < 9; p++)
        for (size_t s = 0; s < N(sizes); s++)
            note(zx_debug_write((const char *)ptrs[p], sizes[s]));
    /* A valid buffer with a huge size prints its first 256 bytes: 255 dots
     * and a newline. */
    char *text = (char *)scratch + 2 * PAGE;
    memset(text, '.', 255);
    text[255] = '\n';
    note(zx_debug_write(text, ~0ull));
    end();

    begin("zxsim_mem_stats");
    for (size_t p = 0; p < nptrs; p++)
        note(zxsim_mem_stats((zxsim_mem_stats_t *)ptrs[p]));
    end();

    begin("zxsim_reclaim");
    zx_status_t st = zxsim_reclaim();
    printf("zxsim_reclaim -> %d\n", st);
    end();

    zx_time_t t = zx_clock_get_monotonic();
    printf("zx_clock_get_monotonic -> %s\n", t >= 0 ? "non-negative" : "NEGATIVE");
    if (t < 0)
        fail("zx_clock_get_monotonic is negative");
}

/* The calls that zxsim does not implement yet, with garbage all the same. */
static void garbage_unsupported(void)
{
    begin("pager_*");
    for (size_t h = 0; h < nhandles; h++)
        for (size_t p = 0; p < nptrs; p++) {
            uint64_t s = sizes[(h + p) % N(sizes)];
            uint32_t o = options[(h + p) % N(options)];
            void *ptr = (void *)ptrs[p];
            note(zx_pager_create(o, (zx_handle_t *)ptr));
            note(zx_pager_create_vmo(handles[h], o, handles[h], s, s, (zx_handle_t *)ptr));
            note(zx_pager_detach_vmo(handles[h], handles[(h + 1) % nhandles]));
            note(zx_pager_supply_pages(handles[h], handles[h], s, s, handles[h], s));
            note(zx_pager_op_range(handles[h], o, handles[h], s, s, s));
            /* Eight arguments: the last two travel on the stack on x86-64. */
            note(zx_pager_query_dirty_ranges(handles[h], handles[h], s, s, ptr, s,
                                             (size_t *)ptrs[(p + 1) % nptrs],
                                             (size_t *)ptrs[(p + 2) % nptrs]));
            note(zx_pager_query_vmo_stats(handles[h], handles[h], o, ptr, s));
        }
    end();

    begin("stream_*");
    for (size_t h = 0; h < nhandles; h++)
        for (size_t p = 0; p < nptrs; p++) {
            uint64_t s = sizes[(h + p) % N(sizes)];
            uint32_t o = options[(h + p) % N(options)];
            void *ptr = (void *)ptrs[p];
            size_t *actual = (size_t *)ptrs[(p + 1) % nptrs];
            note(zx_stream_create(o, handles[h], s, (zx_handle_t *)ptr));
            note(zx_stream_writev(handles[h], o, (const zx_iovec_t *)ptr, s, actual));
            note(zx_stream_writev_at(handles[h], o, s, (const zx_iovec_t *)ptr, s, actual));
            note(zx_stream_readv(handles[h], o, (zx_iovec_t *)ptr, s, actual));
            note(zx_stream_readv_at(handles[h], o, s, (zx_iovec_t *)ptr, s, actual));
            note(zx_stream_seek(handles[h], o, (int64_t)s, (zx_off_t *)ptr));
        }
    end();
}

/* 32-bit arguments arrive in 64-bit registers whose upper halves the C ABI
 * leaves undefined: the kernel must look at the low 32 bits only. Calling
 * the stubs through 64-bit prototypes puts garbage there on purpose. */
static void upper_halves(void)
{
    typedef zx_status_t (*get_size_fn)(uint64_t handle, uint64_t * size);
    typedef zx_status_t (*vmo_create_fn)(uint64_t size, uint64_t options, zx_handle_t * out);
    typedef zx_status_t (*dup_fn)(uint64_t handle, uint64_t rights, zx_handle_t * out);
    uint64_t size = 0;
    zx_status_t st =
        ((get_size_fn)(uintptr_t)zx_vmo_get_size)(0xdeadbeef00000000ull | target, &size);
    printf("vmo_get_size(garbage << 32 | handle) -> %d, size 0x%lx\n", st, (unsigned long)size);
    if (st != ZX_OK || size != 2 * PAGE)
        fail("vmo_get_size ignores the upper half of a handle argument");
    zx_handle_t h = 0;
    st = ((vmo_create_fn)(uintptr_t)zx_vmo_create)(PAGE, 0xffffffff00000000ull, &h);
    printf("vmo_create(options = garbage << 32) -> %d\n", st);
    if (st != ZX_OK)
        fail("vmo_create ignores the upper half of its options");
    else
        zx_handle_close(h);
    st = ((dup_fn)(uintptr_t)zx_handle_duplicate)(0x1234567800000000ull | target,
                                                  0xabcdef0000000000ull | ZX_RIGHT_SAME_RIGHTS, &h);
    printf("handle_duplicate(garbage upper halves) -> %d\n", st);
    if (st != ZX_OK)
        fail("handle_duplicate ignores the upper halves of handle and rights");
    else
        zx_handle_close(h);
}

/* Committing far more than the simulated RAM must fail cleanly, and the
 * memory must come back when the VMO goes. */
static void too_big_commit(void)
{
    zx_handle_t big;
    zxsim_mem_stats_t before, after;
    zxsim_mem_stats(&before);
    zx_status_t st = zx_vmo_create(1ull << 40, 0, &big);
    printf("vmo_create(1 TiB) -> %d\n", st);
    if (st != ZX_OK)
        return;
    st = zx_vmo_op_range(big, ZX_VMO_OP_COMMIT, 0, before.frames_total * PAGE * 2, NULL, 0);
    printf("vmo_op_range(COMMIT twice the RAM) -> %d\n", st);
    if (st != ZX_ERR_NO_MEMORY)
        fail("committing twice the RAM gives ZX_ERR_NO_MEMORY");
    zx_handle_close(big);
    zxsim_mem_stats(&after);
    printf("committed frames before %lu, after %lu\n", (unsigned long)before.committed_frames,
           (unsigned long)after.committed_frames);
    if (after.committed_frames > before.committed_frames + 16)
        fail("closing the VMO returns its frames");
}

/* After all that, the process's own memory and the kernel still work. */
static void still_alive(void)
{
    static char canary[64] = "canary";
    zx_handle_t vmo;
    zx_vaddr_t addr;
    zx_status_t st = zx_vmo_create(PAGE, 0, &vmo);
    st |= zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0, PAGE,
                      &addr);
    if (st == ZX_OK) {
        strcpy((char *)addr, "still here");
        char back[16] = {0};
        st = zx_vmo_read(vmo, back, 0, 11);
        if (st != ZX_OK || strcmp(back, "still here"))
            fail("a new mapping reads back through zx_vmo_read");
    } else {
        fail("a new VMO can be created and mapped");
    }
    if (strcmp(canary, "canary") || strcmp(rodata_text, "read-only data"))
        fail("the process's own data is intact");
    char check[16] = {0};
    if (zx_vmo_read(target_ro, check, 0, 1) != ZX_OK)
        fail("target_ro still reads");
}

int main(void)
{
    setup();
    setup_vaddrs();
    garbage_handles();
    garbage_objects();
    garbage_vmos();
    garbage_vmars();
    garbage_misc();
    garbage_unsupported();
    upper_halves();
    too_big_commit();
    still_alive();
    printf("%s\n", failures ? "garbage FAILED" : "garbage ok");
    return failures ? 1 : 0;
}
