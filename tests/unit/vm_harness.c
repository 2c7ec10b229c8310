#include "vm_harness.h"

#include "check_main.h"

#include "vm/handle_table.h"

/* Inside the helpers, failures also name the test line that called them. */
#undef EXPECT_ST
#define EXPECT_ST(expr, want)                                                                      \
    do {                                                                                           \
        zx_status_t got_ = (expr);                                                                 \
        zx_status_t want_ = (want);                                                                \
        ck_assert_msg(got_ == want_, "%s: got %s (%d), want %s (%d) [test line %d]", #expr,        \
                      zx_status_name(got_), got_, zx_status_name(want_), want_, H_LINE);           \
    } while (0)

vm_kernel *K;
vm_process *P;
zx_handle_t ROOT;
zx_handle_t SELF;
uint64_t TLB_FLUSHES;
GString *CONSOLE;
int H_LINE;

#define OUT_AREA (SCRATCH_BASE + IO_SIZE)
#define OUT_SIZE (SCRATCH_SIZE - IO_SIZE)

static uint64_t out_next;
static gva ro_page, noperm_page, beyond_page;

static void count_flush(void *ctx, tr_shootdown_kind kind, uint32_t asid, uint64_t va, uint64_t len)
{
    TLB_FLUSHES++;
}

static void capture_console(void *ctx, const char *bytes, size_t len)
{
    g_string_append_len(CONSOLE, bytes, (gssize)len);
}

/* A host-made mapping of a fresh VMO at a fixed address. */
static gva host_map(gva base, uint64_t vmo_size, uint64_t map_size, unsigned perms)
{
    ck_assert(vm_vmar_range_is_free(P->aspace->root, base, map_size));
    vm_vmo *v = vm_vmo_create(K, vmo_size, vmo_size, false, false, false);
    ck_assert_ptr_nonnull(v);
    vm_mapping_create(P->aspace->root, base, map_size, v, 0, perms, MMU_PERM_RWX, 0);
    vm_object_unref(&v->obj);
    return base;
}

static void setup_arch(const vm_arch *arch)
{
    GError *err = NULL;
    vm_kernel_config cfg = {
        .arch = arch,
        .ram_bytes = 64u << 20,
        .seed = 1,
        .aslr = true,
        .discard_policy = VM_DISCARD_LOW_MEMORY,
        .check_invariants = true,
    };
    K = vm_kernel_create(&cfg, &err);
    ck_assert_msg(K != NULL, "vm_kernel_create: %s", err ? err->message : "?");
    CONSOLE = g_string_new(NULL);
    K->console = capture_console;
    K->console_ctx = NULL;
    TLB_FLUSHES = 0;
    P = vm_process_create(K, "test", count_flush, NULL);
    ck_assert_ptr_nonnull(P);
    ROOT = P->root_vmar_handle;
    SELF = P->self_handle;
    host_map(SCRATCH_BASE, SCRATCH_SIZE, SCRATCH_SIZE, MMU_PERM_READ | MMU_PERM_WRITE);
    out_next = 0;
    ro_page = noperm_page = beyond_page = 0;
    check_invariants();
}

void h_setup(void)
{
    setup_arch(&vm_arch_arm64);
}

void h_setup_x86(void)
{
    setup_arch(&vm_arch_x86_64);
}

void h_teardown(void)
{
    check_invariants();
    vm_process_destroy(P);
    P = NULL;
    /* Asserts that every VMO is gone: a leak aborts the test. */
    vm_kernel_destroy(K);
    K = NULL;
    g_string_free(CONSOLE, TRUE);
    CONSOLE = NULL;
}

TCase *h_tcase(const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, h_setup, h_teardown);
    tcase_set_timeout(tc, 120);
    return tc;
}

TCase *h_tcase_x86(const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, h_setup_x86, h_teardown);
    tcase_set_timeout(tc, 120);
    return tc;
}

int h_run(Suite *s)
{
    return run_suite(s);
}

void check_invariants(void)
{
    GString *report = g_string_new(NULL);
    bool ok = vm_check_invariants(K, report);
    ck_assert_msg(ok, "kernel invariants violated:\n%s", report->str);
    g_string_free(report, TRUE);
}

zx_status_t sc_arr(uint32_t number, const uint64_t args[8])
{
    uint64_t r = vm_syscall(P, number, args);
    check_invariants();
    return (zx_status_t)(int64_t)r;
}

gva galloc(size_t n)
{
    n = (n + 15) & ~(size_t)15;
    ck_assert(n <= OUT_SIZE);
    if (out_next + n > OUT_SIZE)
        out_next = 0;
    gva va = OUT_AREA + out_next;
    out_next += n;
    return va;
}

gva ro_ptr(void)
{
    if (!ro_page)
        ro_page = host_map(SCRATCH_BASE + 0x400000, P_SZ, P_SZ, MMU_PERM_READ);
    return ro_page;
}

gva noperm_ptr(void)
{
    if (!noperm_page)
        noperm_page = host_map(SCRATCH_BASE + 0x500000, P_SZ, P_SZ, 0);
    return noperm_page;
}

gva beyond_ptr(void)
{
    if (!beyond_page)
        beyond_page =
            host_map(SCRATCH_BASE + 0x600000, P_SZ, 2 * P_SZ, MMU_PERM_READ | MMU_PERM_WRITE) +
            P_SZ;
    return beyond_page;
}

const char *zx_status_name(zx_status_t st)
{
    switch (st) {
#define N(x)                                                                                       \
    case x:                                                                                        \
        return #x;
        N(ZX_OK)
        N(ZX_ERR_INTERNAL)
        N(ZX_ERR_NOT_SUPPORTED)
        N(ZX_ERR_NO_RESOURCES)
        N(ZX_ERR_NO_MEMORY)
        N(ZX_ERR_INVALID_ARGS)
        N(ZX_ERR_BAD_HANDLE)
        N(ZX_ERR_WRONG_TYPE)
        N(ZX_ERR_BAD_SYSCALL)
        N(ZX_ERR_OUT_OF_RANGE)
        N(ZX_ERR_BUFFER_TOO_SMALL)
        N(ZX_ERR_BAD_STATE)
        N(ZX_ERR_TIMED_OUT)
        N(ZX_ERR_NOT_FOUND)
        N(ZX_ERR_ALREADY_EXISTS)
        N(ZX_ERR_UNAVAILABLE)
        N(ZX_ERR_ACCESS_DENIED)
#undef N
    default:
        return "?";
    }
}

/* ---- guest memory helpers ---- */

static void put(gva va, const void *src, size_t len)
{
    if (len)
        ck_assert_int_eq(vm_copy_to_user(P->aspace, va, src, len), ZX_OK);
}

static void get(gva va, void *dst, size_t len)
{
    if (len)
        ck_assert_int_eq(vm_copy_from_user(P->aspace, dst, va, len), ZX_OK);
}

/* An out-slot primed with the host value, so tests can see "not written". */
static gva slot(const void *host, size_t len)
{
    if (host == NULL)
        return 0;
    gva va = galloc(len);
    put(va, host, len);
    return va;
}

static void unslot(gva va, void *host, size_t len)
{
    if (host)
        get(va, host, len);
}

/* ---- typed wrappers ---- */

zx_status_t t_vmo_create(uint64_t size, uint32_t options, zx_handle_t *out)
{
    gva o = slot(out, sizeof *out);
    zx_status_t st = SC(SYS_vmo_create, size, options, o);
    unslot(o, out, sizeof *out);
    return st;
}

zx_status_t t_vmo_read(zx_handle_t h, void *buf, uint64_t offset, size_t len)
{
    ck_assert(len <= IO_SIZE);
    gva b = buf ? IO_AREA : 0;
    zx_status_t st = SC(SYS_vmo_read, h, b, offset, len);
    if (buf && st == ZX_OK)
        get(b, buf, len);
    return st;
}

zx_status_t t_vmo_write(zx_handle_t h, const void *buf, uint64_t offset, size_t len)
{
    ck_assert(len <= IO_SIZE);
    gva b = buf ? IO_AREA : 0;
    if (buf)
        put(b, buf, len);
    return SC(SYS_vmo_write, h, b, offset, len);
}

zx_status_t t_vmo_get_size(zx_handle_t h, uint64_t *size)
{
    gva o = slot(size, sizeof *size);
    zx_status_t st = SC(SYS_vmo_get_size, h, o);
    unslot(o, size, sizeof *size);
    return st;
}

zx_status_t t_vmo_set_size(zx_handle_t h, uint64_t size)
{
    return SC(SYS_vmo_set_size, h, size);
}

zx_status_t t_vmo_get_stream_size(zx_handle_t h, uint64_t *size)
{
    gva o = slot(size, sizeof *size);
    zx_status_t st = SC(SYS_vmo_get_stream_size, h, o);
    unslot(o, size, sizeof *size);
    return st;
}

zx_status_t t_vmo_set_stream_size(zx_handle_t h, uint64_t size)
{
    return SC(SYS_vmo_set_stream_size, h, size);
}

zx_status_t t_vmo_op_range(zx_handle_t h, uint32_t op, uint64_t offset, uint64_t size, gva buf,
                           size_t buf_size)
{
    return SC(SYS_vmo_op_range, h, op, offset, size, buf, buf_size);
}

zx_status_t t_vmo_create_child(zx_handle_t h, uint32_t options, uint64_t offset, uint64_t size,
                               zx_handle_t *out)
{
    gva o = slot(out, sizeof *out);
    zx_status_t st = SC(SYS_vmo_create_child, h, options, offset, size, o);
    unslot(o, out, sizeof *out);
    return st;
}

zx_status_t t_vmo_set_cache_policy(zx_handle_t h, uint32_t policy)
{
    return SC(SYS_vmo_set_cache_policy, h, policy);
}

zx_status_t t_vmo_replace_as_executable(zx_handle_t h, zx_handle_t vmex, zx_handle_t *out)
{
    gva o = slot(out, sizeof *out);
    zx_status_t st = SC(SYS_vmo_replace_as_executable, h, vmex, o);
    unslot(o, out, sizeof *out);
    return st;
}

zx_status_t t_vmar_allocate(zx_handle_t parent, uint32_t options, uint64_t offset, uint64_t size,
                            zx_handle_t *child, gva *addr)
{
    gva c = slot(child, sizeof *child);
    gva a = slot(addr, sizeof *addr);
    zx_status_t st = SC(SYS_vmar_allocate, parent, options, offset, size, c, a);
    unslot(c, child, sizeof *child);
    unslot(a, addr, sizeof *addr);
    return st;
}

zx_status_t t_vmar_destroy(zx_handle_t h)
{
    return SC(SYS_vmar_destroy, h);
}

zx_status_t t_vmar_map(zx_handle_t vmar, uint32_t options, uint64_t vmar_offset, zx_handle_t vmo,
                       uint64_t vmo_offset, uint64_t len, gva *addr)
{
    gva a = slot(addr, sizeof *addr);
    zx_status_t st = SC(SYS_vmar_map, vmar, options, vmar_offset, vmo, vmo_offset, len, a);
    unslot(a, addr, sizeof *addr);
    return st;
}

zx_status_t t_vmar_unmap(zx_handle_t h, gva addr, uint64_t len)
{
    return SC(SYS_vmar_unmap, h, addr, len);
}

zx_status_t t_vmar_protect(zx_handle_t h, uint32_t options, gva addr, uint64_t len)
{
    return SC(SYS_vmar_protect, h, options, addr, len);
}

zx_status_t t_vmar_op_range(zx_handle_t h, uint32_t op, gva addr, uint64_t size, gva buf,
                            size_t buf_size)
{
    return SC(SYS_vmar_op_range, h, op, addr, size, buf, buf_size);
}

zx_status_t t_handle_close(zx_handle_t h)
{
    return SC(SYS_handle_close, h);
}

zx_status_t t_handle_duplicate(zx_handle_t h, zx_rights_t rights, zx_handle_t *out)
{
    gva o = slot(out, sizeof *out);
    zx_status_t st = SC(SYS_handle_duplicate, h, rights, o);
    unslot(o, out, sizeof *out);
    return st;
}

zx_status_t t_handle_replace(zx_handle_t h, zx_rights_t rights, zx_handle_t *out)
{
    gva o = slot(out, sizeof *out);
    zx_status_t st = SC(SYS_handle_replace, h, rights, o);
    unslot(o, out, sizeof *out);
    return st;
}

zx_status_t t_get_info(zx_handle_t h, uint32_t topic, void *buf, size_t buf_size, size_t *actual,
                       size_t *avail)
{
    gva b = 0;
    if (buf) {
        ck_assert(buf_size <= IO_SIZE);
        b = IO_AREA;
        put(b, buf, buf_size);
    }
    gva ac = slot(actual, sizeof *actual);
    gva av = slot(avail, sizeof *avail);
    zx_status_t st = SC(SYS_object_get_info, h, topic, b, buf_size, ac, av);
    if (buf)
        get(b, buf, buf_size);
    unslot(ac, actual, sizeof *actual);
    unslot(av, avail, sizeof *avail);
    return st;
}

zx_status_t t_get_property(zx_handle_t h, uint32_t prop, void *val, size_t size)
{
    gva v = 0;
    if (val) {
        v = IO_AREA;
        put(v, val, size);
    }
    zx_status_t st = SC(SYS_object_get_property, h, prop, v, size);
    if (val)
        get(v, val, size);
    return st;
}

zx_status_t t_set_property(zx_handle_t h, uint32_t prop, const void *val, size_t size)
{
    gva v = 0;
    if (val) {
        v = IO_AREA;
        put(v, val, size);
    }
    return SC(SYS_object_set_property, h, prop, v, size);
}

zx_status_t t_wait_one(zx_handle_t h, zx_signals_t signals, int64_t deadline,
                       zx_signals_t *observed)
{
    gva o = slot(observed, sizeof *observed);
    zx_status_t st = SC(SYS_object_wait_one, h, signals, (uint64_t)deadline, o);
    unslot(o, observed, sizeof *observed);
    return st;
}

/* ---- conveniences ---- */

zx_handle_t mkvmo_(uint64_t size, uint32_t options)
{
    zx_handle_t h = 0;
    EXPECT_OK(t_vmo_create(size, options, &h));
    return h;
}

zx_handle_t mkchild_(zx_handle_t parent, uint32_t options, uint64_t offset, uint64_t size)
{
    zx_handle_t h = 0;
    EXPECT_OK(t_vmo_create_child(parent, options, offset, size, &h));
    return h;
}

zx_handle_t hdup_(zx_handle_t h, zx_rights_t rights)
{
    zx_handle_t out = 0;
    EXPECT_OK(t_handle_duplicate(h, rights, &out));
    return out;
}

zx_info_handle_basic_t basic_of_(zx_handle_t h)
{
    zx_info_handle_basic_t info;
    memset(&info, 0, sizeof info);
    EXPECT_OK(t_get_info(h, ZX_INFO_HANDLE_BASIC, &info, sizeof info, NULL, NULL));
    return info;
}

zx_rights_t rights_of(zx_handle_t h)
{
    return basic_of_(h).rights;
}

zx_koid_t koid_of(zx_handle_t h)
{
    return basic_of_(h).koid;
}

zx_info_vmo_t vmo_info_(zx_handle_t h)
{
    zx_info_vmo_t info;
    memset(&info, 0, sizeof info);
    EXPECT_OK(t_get_info(h, ZX_INFO_VMO, &info, sizeof info, NULL, NULL));
    return info;
}

zx_info_vmar_t vmar_info_(zx_handle_t h)
{
    zx_info_vmar_t info;
    memset(&info, 0, sizeof info);
    EXPECT_OK(t_get_info(h, ZX_INFO_VMAR, &info, sizeof info, NULL, NULL));
    return info;
}

uint64_t vmo_size(zx_handle_t h)
{
    uint64_t size = 0;
    EXPECT_OK(t_vmo_get_size(h, &size));
    return size;
}

uint64_t content_size(zx_handle_t h)
{
    uint64_t size = 0;
    EXPECT_OK(t_get_property(h, ZX_PROP_VMO_CONTENT_SIZE, &size, sizeof size));
    return size;
}

uint64_t committed(zx_handle_t h)
{
    return vmo_info_(h).committed_bytes;
}

zx_handle_t arena_(uint64_t size, gva *base)
{
    zx_handle_t h = 0;
    gva addr = 0;
    EXPECT_OK(t_vmar_allocate(ROOT,
                              ZX_VM_SPECIFIC | ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ |
                                  ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_EXECUTE,
                              ARENA_OFFSET, size, &h, &addr));
    ck_assert_uint_eq(addr, USER_BASE + ARENA_OFFSET);
    if (base)
        *base = addr;
    return h;
}

gva map_in_(zx_handle_t vmar, zx_handle_t vmo, uint32_t perms, uint64_t vmo_offset, uint64_t len)
{
    gva addr = 0;
    EXPECT_OK(t_vmar_map(vmar, perms, 0, vmo, vmo_offset, len, &addr));
    return addr;
}

void vfill_(zx_handle_t vmo, uint64_t offset, uint64_t len, uint8_t byte)
{
    void *buf = g_malloc(len);
    memset(buf, byte, len);
    zx_status_t st = t_vmo_write(vmo, buf, offset, len);
    ck_assert_msg(st == ZX_OK,
                  "zx_vmo_write(%#" G_GINT64_MODIFIER "x, %#" G_GINT64_MODIFIER
                  "x): got %s, want ZX_OK [test line %d]",
                  offset, len, zx_status_name(st), H_LINE);
    g_free(buf);
}

void vexpect_(zx_handle_t vmo, uint64_t offset, uint64_t len, uint8_t byte)
{
    uint8_t *buf = g_malloc(len);
    zx_status_t st = t_vmo_read(vmo, buf, offset, len);
    ck_assert_msg(st == ZX_OK,
                  "zx_vmo_read(%#" G_GINT64_MODIFIER "x, %#" G_GINT64_MODIFIER
                  "x): got %s, want ZX_OK [test line %d]",
                  offset, len, zx_status_name(st), H_LINE);
    for (uint64_t i = 0; i < len; i++)
        ck_assert_msg(buf[i] == byte,
                      "VMO byte %#" G_GINT64_MODIFIER "x is %#x, want %#x [test line %d]",
                      offset + i, buf[i], byte, H_LINE);
    g_free(buf);
}

uint8_t vbyte(zx_handle_t vmo, uint64_t offset)
{
    uint8_t b = 0;
    EXPECT_OK(t_vmo_read(vmo, &b, offset, 1));
    return b;
}

bool signaled(zx_handle_t h, zx_signals_t signal)
{
    zx_signals_t observed = 0;
    zx_status_t st = t_wait_one(h, signal, 0, &observed);
    ck_assert(st == ZX_OK || st == ZX_ERR_TIMED_OUT);
    ck_assert_int_eq(st == ZX_OK, (observed & signal) != 0);
    return (observed & signal) != 0;
}

bool handle_live(zx_handle_t h)
{
    zx_status_t st = t_get_info(h, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL);
    ck_assert(st == ZX_OK || st == ZX_ERR_BAD_HANDLE);
    return st == ZX_OK;
}

/* ---- the guest CPU ---- */

static bool perms_allow(unsigned perms, unsigned access)
{
    if (access & TR_ACCESS_EXEC)
        return perms & MMU_PERM_EXEC;
    if (access & TR_ACCESS_WRITE)
        return perms & MMU_PERM_WRITE;
    return perms & MMU_PERM_READ;
}

bool pte(gva va, unsigned *perms)
{
    uint64_t pa;
    unsigned p = 0;
    bool present = mmu_pt_lookup(P->aspace->pt, va, &pa, &p);
    if (perms)
        *perms = present ? p : 0;
    return present;
}

static zx_status_t cpu_page(gva va, unsigned access, uint8_t **host)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        uint64_t pa;
        unsigned perms;
        if (mmu_pt_lookup(P->aspace->pt, va, &pa, &perms) && perms_allow(perms, access)) {
            *host = mmu_phys_ptr(K->mem, pa);
            return ZX_OK;
        }
        vm_fault_result res;
        memset(&res, 0, sizeof res);
        zx_status_t st = vm_fault(P->aspace, va, access, false, &res);
        check_invariants();
        if (st != ZX_OK)
            return st;
    }
    ck_abort_msg("fault at %#" G_GINT64_MODIFIER "x resolved but left no usable entry", va);
    return ZX_ERR_INTERNAL;
}

static zx_status_t cpu_access(gva va, uint8_t *buf, size_t len, unsigned access)
{
    size_t done = 0;
    while (done < len) {
        gva at = va + done;
        size_t chunk = MIN(len - done, (size_t)(P_SZ - (at & (P_SZ - 1))));
        uint8_t *host;
        zx_status_t st = cpu_page(at, access, &host);
        if (st != ZX_OK)
            return st;
        if (access & TR_ACCESS_WRITE)
            memcpy(host, buf + done, chunk);
        else
            memcpy(buf + done, host, chunk);
        done += chunk;
    }
    return ZX_OK;
}

zx_status_t g_load(gva va, void *dst, size_t len)
{
    return cpu_access(va, dst, len, TR_ACCESS_READ);
}

zx_status_t g_store(gva va, const void *src, size_t len)
{
    return cpu_access(va, (uint8_t *)src, len, TR_ACCESS_WRITE);
}

zx_status_t g_exec(gva va)
{
    uint8_t *host;
    return cpu_page(va, TR_ACCESS_EXEC, &host);
}

zx_status_t g_load8(gva va, uint8_t *out)
{
    return g_load(va, out, 1);
}

zx_status_t g_store8(gva va, uint8_t value)
{
    return g_store(va, &value, 1);
}

void gexpect_(gva va, uint64_t len, uint8_t byte)
{
    uint8_t *buf = g_malloc(len);
    zx_status_t st = g_load(va, buf, len);
    ck_assert_msg(st == ZX_OK,
                  "guest load of %#" G_GINT64_MODIFIER "x bytes at %#" G_GINT64_MODIFIER
                  "x: got %s, want ZX_OK [test line %d]",
                  (uint64_t)len, va, zx_status_name(st), H_LINE);
    for (uint64_t i = 0; i < len; i++)
        ck_assert_msg(buf[i] == byte,
                      "guest byte at %#" G_GINT64_MODIFIER "x is %#x, want %#x [test line %d]",
                      va + i, buf[i], byte, H_LINE);
    g_free(buf);
}

void gfill_(gva va, uint64_t len, uint8_t byte)
{
    uint8_t *buf = g_malloc(len);
    memset(buf, byte, len);
    zx_status_t st = g_store(va, buf, len);
    ck_assert_msg(st == ZX_OK,
                  "guest store of %#" G_GINT64_MODIFIER "x bytes at %#" G_GINT64_MODIFIER
                  "x: got %s, want ZX_OK [test line %d]",
                  (uint64_t)len, va, zx_status_name(st), H_LINE);
    g_free(buf);
}

zx_handle_t dead_handle(void)
{
    zx_handle_t h = mkvmo_(P_SZ, 0);
    EXPECT_OK(t_handle_close(h));
    return h;
}

guint kernel_vmo_count(void)
{
    return g_list_length(K->vmos);
}

GArray *maps_of(zx_handle_t h, uint32_t topic)
{
    size_t actual = 0, avail = 0;
    EXPECT_OK(t_get_info(h, topic, NULL, 0, &actual, &avail));
    ck_assert_uint_eq(actual, 0);
    GArray *out = g_array_sized_new(FALSE, TRUE, sizeof(zx_info_maps_t), (guint)avail);
    g_array_set_size(out, (guint)avail);
    if (avail) {
        size_t avail2 = 0;
        EXPECT_OK(
            t_get_info(h, topic, out->data, avail * sizeof(zx_info_maps_t), &actual, &avail2));
        ck_assert_uint_eq(actual, avail);
        ck_assert_uint_eq(avail2, avail);
    }
    return out;
}

GArray *mappings_in(zx_handle_t vmar)
{
    GArray *all = maps_of(vmar, ZX_INFO_VMAR_MAPS);
    GArray *out = g_array_new(FALSE, TRUE, sizeof(zx_info_maps_t));
    for (guint i = 0; i < all->len; i++) {
        zx_info_maps_t *m = &g_array_index(all, zx_info_maps_t, i);
        if (m->type == ZX_INFO_MAPS_TYPE_MAPPING)
            g_array_append_val(out, *m);
    }
    g_array_free(all, TRUE);
    return out;
}

guint handle_count(void)
{
    return vm_handle_count(&P->handles);
}
