/* The process, the console, the clock, zxsim's host calls, and the calls
 * declared for completeness that zxsim does not implement yet. */
#include "handle_table.h"
#include "kernel.h"
#include "mmu/hw.h"
#include "sys_impl.h"
#include "usercopy.h"

#include <zxsim/zxsim.h>

/* The kernel writes at most this much per zx_debug_write; the rest is dropped. */
#define DEBUG_WRITE_MAX 256

int64_t sys_process_exit(vm_process *p, vm_args a)
{
    p->exited = true;
    p->retcode = (int64_t)a[0];
    return ZX_OK;
}

int64_t sys_debug_write(vm_process *p, vm_args a)
{
    uint64_t len = MIN(a[1], (uint64_t)DEBUG_WRITE_MAX);
    char buf[DEBUG_WRITE_MAX];
    if (vm_copy_from_user(p->aspace, buf, a[0], len) != ZX_OK)
        return ZX_ERR_INVALID_ARGS;
    if (p->k->console)
        p->k->console(p->k->console_ctx, buf, len);
    return ZX_OK;
}

/* Simulated time, so runs repeat exactly: in fast mode every syscall costs
 * one microsecond; in detailed mode time is the modelled cycles at the
 * profile's clock rate. --clock=host gives the host's monotonic time. */
static int64_t now_ns(const vm_process *p)
{
    const vm_kernel *k = p->k;
    if (k->host_clock)
        return g_get_monotonic_time() * 1000 + k->time_skew_ns;
    if (k->model_clock && k->hw)
        return (int64_t)mmu_hw_time_ns(k->hw) + k->time_skew_ns;
    return (int64_t)k->stats.syscalls * 1000 + k->time_skew_ns;
}

int64_t sys_clock_get_monotonic(vm_process *p, vm_args a)
{
    return now_ns(p);
}

static zx_signals_t object_signals(const vm_object *obj)
{
    if (obj->type == ZX_OBJ_TYPE_VMO && ((const vm_vmo *)obj)->descendants == 0)
        return ZX_VMO_ZERO_CHILDREN;
    return 0;
}

int64_t sys_object_wait_one(vm_process *p, vm_args a)
{
    zx_signals_t wanted = arg32(a, 1);
    int64_t deadline = (int64_t)a[2];
    vm_handle *h;
    zx_status_t st = vm_handle_get(&p->handles, arg32(a, 0), ZX_OBJ_TYPE_NONE, ZX_RIGHT_WAIT, &h);
    if (st != ZX_OK)
        return st;
    zx_signals_t now = object_signals(h->obj);
    if (!(now & wanted)) {
        if (deadline == ZX_TIME_INFINITE) {
            /* One thread waits for a signal nothing can raise: a deadlock. */
            p->killed = true;
            p->kill_reason = "waits forever for a signal no thread can raise";
            return ZX_ERR_TIMED_OUT;
        }
        if (deadline > now_ns(p))
            p->k->time_skew_ns += deadline - now_ns(p);
        st = ZX_ERR_TIMED_OUT;
    }
    if (a[3] != 0 && vm_copy_out_u32(p->aspace, a[3], now) != ZX_OK)
        return ZX_ERR_INVALID_ARGS;
    return st;
}

int64_t sys_zxsim_reclaim(vm_process *p, vm_args a)
{
    return (int64_t)vm_kernel_reclaim(p->k);
}

int64_t sys_zxsim_detail_begin(vm_process *p, vm_args a)
{
    p->k->detail_depth++;
    if (p->k->detail)
        p->k->detail(p->k->detail_ctx, true);
    return ZX_OK;
}

int64_t sys_zxsim_detail_end(vm_process *p, vm_args a)
{
    if (p->k->detail_depth == 0)
        return ZX_ERR_BAD_STATE;
    p->k->detail_depth--;
    if (p->k->detail)
        p->k->detail(p->k->detail_ctx, false);
    return ZX_OK;
}

int64_t sys_zxsim_mem_stats(vm_process *p, vm_args a)
{
    vm_kernel *k = p->k;
    zxsim_mem_stats_t s = {
        .frames_total = k->pmm->nframes,
        .frames_in_use = k->pmm->in_use,
        .committed_frames = vm_kernel_committed_frames(k),
        .page_table_frames = p->aspace->pt->table_frames,
        .zero_page_frames = 1,
        .page_faults = k->stats.faults,
    };
    return vm_copy_out_record(p->aspace, a[0], &s, sizeof s);
}

#define NOT_SUPPORTED(name)                                                                        \
    int64_t sys_##name(vm_process *p, vm_args a)                                                   \
    {                                                                                              \
        return ZX_ERR_NOT_SUPPORTED;                                                               \
    }
NOT_SUPPORTED(vmo_create_contiguous)
NOT_SUPPORTED(vmo_create_physical)
NOT_SUPPORTED(pager_create)
NOT_SUPPORTED(pager_create_vmo)
NOT_SUPPORTED(pager_detach_vmo)
NOT_SUPPORTED(pager_supply_pages)
NOT_SUPPORTED(pager_op_range)
NOT_SUPPORTED(pager_query_dirty_ranges)
NOT_SUPPORTED(pager_query_vmo_stats)
NOT_SUPPORTED(stream_create)
NOT_SUPPORTED(stream_writev)
NOT_SUPPORTED(stream_writev_at)
NOT_SUPPORTED(stream_readv)
NOT_SUPPORTED(stream_readv_at)
NOT_SUPPORTED(stream_seek)
