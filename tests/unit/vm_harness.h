/* A CPU-less driver for the kernel in vm/: one kernel and one process per
 * test, a guest scratch buffer mapped host-side, typed wrappers that issue
 * each syscall through vm_syscall() exactly as a trap would, and guest loads
 * and stores that go through the page tables like a CPU (faulting through
 * vm_fault() when an entry is missing). Expectations come from
 * docs/semantics.md. */
#pragma once

#include "vm/fault.h"
#include "vm/invariants.h"
#include "vm/kernel.h"
#include "vm/mapping.h"
#include "vm/object.h"
#include "vm/process.h"
#include "vm/syscalls.h"
#include "vm/usercopy.h"
#include "vm/vmar.h"
#include "vm/vmo.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/errors.h>
#include <zircon/rights.h>
#include <zircon/syscalls/object.h>
#include <zircon/types.h>
#include <zxsim/zxsim.h>

/* Syscall numbers, from the one table the stubs and the kernel share. */
#define ZX_SYSCALL(name, number, nargs) SYS_##name = number,
enum {
#include "syscalls.inc"
};
#undef ZX_SYSCALL

#define P_SZ        4096ull
#define MAX_VMO     0xFFFFFFFFFFFE0000ull /* 2^64 - 2^17 (docs/semantics.md "Conventions") */
#define ADD(tc, fn) tcase_add_test((tc), fn)
typedef uint64_t gva; /* a guest virtual address */

/* Per-test state (each test runs in its own forked child). */
extern vm_kernel *K;
extern vm_process *P;
extern zx_handle_t ROOT; /* the root VMAR handle */
extern zx_handle_t SELF; /* the process handle */
extern uint64_t TLB_FLUSHES;
extern GString *CONSOLE;

/* Guest addresses the harness provides. */
#define USER_BASE    0x200000ull
#define SCRATCH_BASE 0x10000000ull /* RW scratch: I/O area then out-params */
#define SCRATCH_SIZE (2ull << 20)
#define IO_AREA      SCRATCH_BASE
#define IO_SIZE      (1ull << 20)
#define G_UNMAPPED   0x1000ull /* below the root VMAR: never mapped */
#define G_KERNEL     0xFFFFFF8000001000ull
/* An arena sub-VMAR offset (from the root base) far from the scratch. */
#define ARENA_OFFSET 0x100000000ull

/* Fixtures. */
void h_setup(void);     /* arm64 */
void h_setup_x86(void); /* x86-64 */
void h_teardown(void);
/* Runs the suite, prints "N passed, N failed", returns the exit status. */
int h_run(Suite *s);
/* A TCase with the arm64 fixture and a generous timeout. */
TCase *h_tcase(const char *name);
TCase *h_tcase_x86(const char *name);

/* Raw trap: number and up to eight arguments (missing ones are 0). */
zx_status_t sc_arr(uint32_t number, const uint64_t args[8]);
#define SC(num, ...) sc_arr((num), (const uint64_t[8]){__VA_ARGS__})

/* Small out-parameter slots in the scratch (a ring; valid for a while). */
gva galloc(size_t n);
/* Extra guest pages made host-side on demand (cached per test). */
gva ro_ptr(void);     /* a mapped, read-only page */
gva noperm_ptr(void); /* a mapped page with no permissions */
gva beyond_ptr(void); /* a mapped page beyond its 1-page VMO's end */

/* Status names for messages. */
const char *zx_status_name(zx_status_t st);
#define EXPECT_ST(expr, want)                                                                      \
    do {                                                                                           \
        zx_status_t got_ = (expr);                                                                 \
        zx_status_t want_ = (want);                                                                \
        ck_assert_msg(got_ == want_, "%s: got %s (%d), want %s (%d)", #expr, zx_status_name(got_), \
                      got_, zx_status_name(want_), want_);                                         \
    } while (0)
#define EXPECT_OK(expr) EXPECT_ST(expr, ZX_OK)

void check_invariants(void);

/* Typed syscall wrappers; out-parameters go through guest memory. A NULL
 * host out-pointer passes a NULL guest pointer. */
zx_status_t t_vmo_create(uint64_t size, uint32_t options, zx_handle_t *out);
zx_status_t t_vmo_read(zx_handle_t h, void *buf, uint64_t offset, size_t len);
zx_status_t t_vmo_write(zx_handle_t h, const void *buf, uint64_t offset, size_t len);
zx_status_t t_vmo_get_size(zx_handle_t h, uint64_t *size);
zx_status_t t_vmo_set_size(zx_handle_t h, uint64_t size);
zx_status_t t_vmo_get_stream_size(zx_handle_t h, uint64_t *size);
zx_status_t t_vmo_set_stream_size(zx_handle_t h, uint64_t size);
zx_status_t t_vmo_op_range(zx_handle_t h, uint32_t op, uint64_t offset, uint64_t size, gva buf,
                           size_t buf_size);
zx_status_t t_vmo_create_child(zx_handle_t h, uint32_t options, uint64_t offset, uint64_t size,
                               zx_handle_t *out);
zx_status_t t_vmo_set_cache_policy(zx_handle_t h, uint32_t policy);
zx_status_t t_vmo_replace_as_executable(zx_handle_t h, zx_handle_t vmex, zx_handle_t *out);
zx_status_t t_vmar_allocate(zx_handle_t parent, uint32_t options, uint64_t offset, uint64_t size,
                            zx_handle_t *child, gva *addr);
zx_status_t t_vmar_destroy(zx_handle_t h);
zx_status_t t_vmar_map(zx_handle_t vmar, uint32_t options, uint64_t vmar_offset, zx_handle_t vmo,
                       uint64_t vmo_offset, uint64_t len, gva *addr);
zx_status_t t_vmar_unmap(zx_handle_t h, gva addr, uint64_t len);
zx_status_t t_vmar_protect(zx_handle_t h, uint32_t options, gva addr, uint64_t len);
zx_status_t t_vmar_op_range(zx_handle_t h, uint32_t op, gva addr, uint64_t size, gva buf,
                            size_t buf_size);
zx_status_t t_handle_close(zx_handle_t h);
zx_status_t t_handle_duplicate(zx_handle_t h, zx_rights_t rights, zx_handle_t *out);
zx_status_t t_handle_replace(zx_handle_t h, zx_rights_t rights, zx_handle_t *out);
/* buf may be NULL (guest NULL); actual/avail may be NULL (guest NULL). */
zx_status_t t_get_info(zx_handle_t h, uint32_t topic, void *buf, size_t buf_size, size_t *actual,
                       size_t *avail);
zx_status_t t_get_property(zx_handle_t h, uint32_t prop, void *val, size_t size);
zx_status_t t_set_property(zx_handle_t h, uint32_t prop, const void *val, size_t size);
zx_status_t t_wait_one(zx_handle_t h, zx_signals_t signals, int64_t deadline,
                       zx_signals_t *observed);

/* Conveniences that assert success. */
zx_handle_t mkvmo_(uint64_t size, uint32_t options);
zx_handle_t mkchild_(zx_handle_t parent, uint32_t options, uint64_t offset, uint64_t size);
zx_handle_t hdup_(zx_handle_t h, zx_rights_t rights);
zx_rights_t rights_of(zx_handle_t h);
zx_koid_t koid_of(zx_handle_t h);
zx_info_handle_basic_t basic_of_(zx_handle_t h);
zx_info_vmo_t vmo_info_(zx_handle_t h);
zx_info_vmar_t vmar_info_(zx_handle_t h);
uint64_t vmo_size(zx_handle_t h);
uint64_t content_size(zx_handle_t h);
uint64_t committed(zx_handle_t h);
/* A sub-VMAR of the root at ARENA_OFFSET with every CAN_MAP flag. */
zx_handle_t arena_(uint64_t size, gva *base);
/* Maps len bytes of vmo into vmar (non-specific) and returns the address. */
gva map_in_(zx_handle_t vmar, zx_handle_t vmo, uint32_t perms, uint64_t vmo_offset, uint64_t len);
/* Fills / checks VMO bytes through zx_vmo_write / zx_vmo_read. */
void vfill_(zx_handle_t vmo, uint64_t offset, uint64_t len, uint8_t byte);
void vexpect_(zx_handle_t vmo, uint64_t offset, uint64_t len, uint8_t byte);
uint8_t vbyte(zx_handle_t vmo, uint64_t offset);
bool signaled(zx_handle_t h, zx_signals_t signal);
bool handle_live(zx_handle_t h);

/* The guest CPU: accesses go through the page tables; a missing or
 * insufficient entry faults into vm_fault() (as a user access), whose
 * status is returned when it cannot resolve it. */
zx_status_t g_load(gva va, void *dst, size_t len);
zx_status_t g_store(gva va, const void *src, size_t len);
zx_status_t g_exec(gva va);
zx_status_t g_load8(gva va, uint8_t *out);
zx_status_t g_store8(gva va, uint8_t value);
/* Expects every byte of [va, va+len) to read as `byte` from the guest. */
void gexpect_(gva va, uint64_t len, uint8_t byte);
void gfill_(gva va, uint64_t len, uint8_t byte);
/* The page-table entry for va right now (no fault). */
bool pte(gva va, unsigned *perms);

/* A handle value that was live once and is closed now (never reused). */
zx_handle_t dead_handle(void);
/* Paged VMOs the kernel holds (the scratch VMOs included). */
guint kernel_vmo_count(void);

/* The records of ZX_INFO_VMAR_MAPS / ZX_INFO_PROCESS_MAPS (a new array of
 * zx_info_maps_t). */
GArray *maps_of(zx_handle_t h, uint32_t topic);
/* Mapping records of a VMAR's subtree, in address order. */
GArray *mappings_in(zx_handle_t vmar);
/* Live handles in the test process's table. */
guint handle_count(void);

/* The helpers above record the calling test line for their messages. */
extern int H_LINE;
#define mkvmo(...)     (H_LINE = __LINE__, mkvmo_(__VA_ARGS__))
#define mkchild(...)   (H_LINE = __LINE__, mkchild_(__VA_ARGS__))
#define hdup(...)      (H_LINE = __LINE__, hdup_(__VA_ARGS__))
#define map_in(...)    (H_LINE = __LINE__, map_in_(__VA_ARGS__))
#define vfill(...)     (H_LINE = __LINE__, vfill_(__VA_ARGS__))
#define vexpect(...)   (H_LINE = __LINE__, vexpect_(__VA_ARGS__))
#define gexpect(...)   (H_LINE = __LINE__, gexpect_(__VA_ARGS__))
#define gfill(...)     (H_LINE = __LINE__, gfill_(__VA_ARGS__))
#define arena(...)     (H_LINE = __LINE__, arena_(__VA_ARGS__))
#define vmo_info(...)  (H_LINE = __LINE__, vmo_info_(__VA_ARGS__))
#define vmar_info(...) (H_LINE = __LINE__, vmar_info_(__VA_ARGS__))
#define basic_of(...)  (H_LINE = __LINE__, basic_of_(__VA_ARGS__))
