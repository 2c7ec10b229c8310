/* zx_object_get_info and the properties (docs/semantics.md "zx_object_get_info"). */
#include "handle_table.h"
#include "info.h"
#include "sys_impl.h"
#include "usercopy.h"
#include "vmo.h"
#include "vmo_ops.h"

#include <string.h>

typedef enum {
    TOPIC_VALID,
    TOPIC_BASIC,
    TOPIC_VMAR,
    TOPIC_VMO,
    TOPIC_PROCESS,
    TOPIC_PROCESS_MAPS,
    TOPIC_PROCESS_VMOS,
    TOPIC_PROCESS_HANDLE_STATS,
    TOPIC_VMAR_MAPS,
    TOPIC_HANDLE_COUNT,
    TOPIC_TASK_STATS
} topic_kind;

typedef struct topic_desc {
    uint32_t topic;
    topic_kind kind;
    zx_obj_type_t type; /* NONE: any */
    zx_rights_t right;
    size_t record; /* bytes per record written */
} topic_desc;

static const topic_desc topics[] = {
    {ZX_INFO_HANDLE_VALID, TOPIC_VALID, ZX_OBJ_TYPE_NONE, 0, 0},
    {ZX_INFO_HANDLE_BASIC, TOPIC_BASIC, ZX_OBJ_TYPE_NONE, 0, sizeof(zx_info_handle_basic_t)},
    {ZX_INFO_VMAR, TOPIC_VMAR, ZX_OBJ_TYPE_VMAR, ZX_RIGHT_INSPECT, sizeof(zx_info_vmar_t)},
    {ZX_INFO_PROCESS, TOPIC_PROCESS, ZX_OBJ_TYPE_PROCESS, ZX_RIGHT_INSPECT,
     sizeof(zx_info_process_t)},
    {ZX_INFO_VMO_V1, TOPIC_VMO, ZX_OBJ_TYPE_VMO, 0, sizeof(zx_info_vmo_v1_t)},
    {ZX_INFO_VMO_V2, TOPIC_VMO, ZX_OBJ_TYPE_VMO, 0, sizeof(zx_info_vmo_v2_t)},
    {ZX_INFO_VMO_V3, TOPIC_VMO, ZX_OBJ_TYPE_VMO, 0, sizeof(zx_info_vmo_v3_t)},
    {ZX_INFO_VMO, TOPIC_VMO, ZX_OBJ_TYPE_VMO, 0, sizeof(zx_info_vmo_t)},
    {ZX_INFO_PROCESS_MAPS_V1, TOPIC_PROCESS_MAPS, ZX_OBJ_TYPE_PROCESS, ZX_RIGHT_INSPECT,
     sizeof(zx_info_maps_v1_t)},
    {ZX_INFO_PROCESS_MAPS_V2, TOPIC_PROCESS_MAPS, ZX_OBJ_TYPE_PROCESS, ZX_RIGHT_INSPECT,
     sizeof(zx_info_maps_v2_t)},
    {ZX_INFO_PROCESS_MAPS, TOPIC_PROCESS_MAPS, ZX_OBJ_TYPE_PROCESS, ZX_RIGHT_INSPECT,
     sizeof(zx_info_maps_t)},
    {ZX_INFO_PROCESS_VMOS_V1, TOPIC_PROCESS_VMOS, ZX_OBJ_TYPE_PROCESS, ZX_RIGHT_INSPECT,
     sizeof(zx_info_vmo_v1_t)},
    {ZX_INFO_PROCESS_VMOS_V2, TOPIC_PROCESS_VMOS, ZX_OBJ_TYPE_PROCESS, ZX_RIGHT_INSPECT,
     sizeof(zx_info_vmo_v2_t)},
    {ZX_INFO_PROCESS_VMOS_V3, TOPIC_PROCESS_VMOS, ZX_OBJ_TYPE_PROCESS, ZX_RIGHT_INSPECT,
     sizeof(zx_info_vmo_v3_t)},
    {ZX_INFO_PROCESS_VMOS, TOPIC_PROCESS_VMOS, ZX_OBJ_TYPE_PROCESS, ZX_RIGHT_INSPECT,
     sizeof(zx_info_vmo_t)},
    {ZX_INFO_PROCESS_HANDLE_STATS, TOPIC_PROCESS_HANDLE_STATS, ZX_OBJ_TYPE_PROCESS,
     ZX_RIGHT_INSPECT, sizeof(zx_info_process_handle_stats_t)},
    {ZX_INFO_VMAR_MAPS, TOPIC_VMAR_MAPS, ZX_OBJ_TYPE_VMAR, ZX_RIGHT_INSPECT,
     sizeof(zx_info_maps_t)},
    {ZX_INFO_HANDLE_COUNT, TOPIC_HANDLE_COUNT, ZX_OBJ_TYPE_NONE, ZX_RIGHT_INSPECT,
     sizeof(zx_info_handle_count_t)},
    {ZX_INFO_TASK_STATS_V1, TOPIC_TASK_STATS, ZX_OBJ_TYPE_PROCESS, ZX_RIGHT_INSPECT,
     sizeof(zx_info_task_stats_v1_t)},
    {ZX_INFO_TASK_STATS, TOPIC_TASK_STATS, ZX_OBJ_TYPE_PROCESS, ZX_RIGHT_INSPECT,
     sizeof(zx_info_task_stats_t)},
};

/* Older maps records count pages and stop after the mapping's fields. */
static void downgrade_maps(const zx_info_maps_t *in, uint32_t version, uint8_t *out, size_t size)
{
    memset(out, 0, size);
    memcpy(out, in, 64); /* the common header */
    if (in->type != ZX_INFO_MAPS_TYPE_MAPPING)
        return;
    zx_info_maps_mapping_v2_t m = {
        .mmu_flags = in->u.mapping.mmu_flags,
        .vmo_koid = in->u.mapping.vmo_koid,
        .vmo_offset = in->u.mapping.vmo_offset,
        .committed_pages = in->u.mapping.committed_bytes / VM_PAGE_SIZE,
        .populated_pages = in->u.mapping.populated_bytes / VM_PAGE_SIZE,
    };
    memcpy(out + 64, &m, version == 0 ? sizeof(zx_info_maps_mapping_v1_t) : sizeof m);
}

static zx_status_t write_counts(vm_process *p, uint64_t actual_ptr, uint64_t avail_ptr,
                                size_t actual, size_t avail)
{
    if (actual_ptr && vm_copy_out_u64(p->aspace, actual_ptr, actual) != ZX_OK)
        return ZX_ERR_INVALID_ARGS;
    if (avail_ptr && vm_copy_out_u64(p->aspace, avail_ptr, avail) != ZX_OK)
        return ZX_ERR_INVALID_ARGS;
    return ZX_OK;
}

/* A single-record topic: BUFFER_TOO_SMALL, or the record and counts 1/1. */
static zx_status_t write_single(vm_process *p, vm_args a, const void *rec, size_t size)
{
    uint64_t buffer = a[2], buffer_size = a[3];
    if (buffer_size < size) {
        zx_status_t st = write_counts(p, a[4], a[5], 0, 1);
        return st != ZX_OK ? st : ZX_ERR_BUFFER_TOO_SMALL;
    }
    if (vm_copy_out_record(p->aspace, buffer, rec, size) != ZX_OK)
        return ZX_ERR_INVALID_ARGS;
    return write_counts(p, a[4], a[5], 1, 1);
}

/* An array topic: as many whole records as fit; never an error for size. */
static zx_status_t write_array(vm_process *p, vm_args a, const uint8_t *records, size_t count,
                               size_t size)
{
    uint64_t buffer = a[2], buffer_size = a[3];
    size_t fit = MIN(count, (size_t)(buffer_size / size));
    if (fit > 0 && vm_copy_out_record(p->aspace, buffer, records, fit * size) != ZX_OK)
        return ZX_ERR_INVALID_ARGS;
    return write_counts(p, a[4], a[5], fit, count);
}

/* maps holds the first records (all that fit the buffer), of `avail`. */
static zx_status_t maps_topic(vm_process *p, vm_args a, const topic_desc *t, GArray *maps,
                              size_t avail)
{
    uint32_t version = t->topic >> 28;
    if (t->record == sizeof(zx_info_maps_t))
        return write_array(p, a, (const uint8_t *)maps->data, avail, t->record);
    uint8_t *old = g_malloc0_n(MAX(maps->len, 1u), t->record);
    for (guint i = 0; i < maps->len; i++)
        downgrade_maps(&g_array_index(maps, zx_info_maps_t, i), version, old + i * t->record,
                       t->record);
    zx_status_t st = write_array(p, a, old, avail, t->record);
    g_free(old);
    return st;
}

/* vmos holds the first records (all that fit the buffer), of `avail`. */
static zx_status_t vmos_topic(vm_process *p, vm_args a, const topic_desc *t, GArray *vmos,
                              size_t avail)
{
    /* Older VMO records are prefixes of the current one. */
    uint8_t *packed = g_malloc0_n(MAX(vmos->len, 1u), t->record);
    for (guint i = 0; i < vmos->len; i++)
        memcpy(packed + i * t->record, &g_array_index(vmos, zx_info_vmo_t, i), t->record);
    zx_status_t st = write_array(p, a, packed, avail, t->record);
    g_free(packed);
    return st;
}

int64_t sys_object_get_info(vm_process *p, vm_args a)
{
    uint32_t topic = arg32(a, 1);
    const topic_desc *t = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(topics); i++) {
        if (topics[i].topic == topic)
            t = &topics[i];
    }
    if (t == NULL)
        return ZX_ERR_NOT_SUPPORTED;
    vm_handle *h;
    zx_status_t st = vm_handle_get(&p->handles, arg32(a, 0), t->type, t->right, &h);
    if (st != ZX_OK)
        return st;

    switch (t->kind) {
    case TOPIC_VALID:
        return ZX_OK;
    case TOPIC_BASIC: {
        zx_info_handle_basic_t rec = {
            .koid = h->obj->koid, .rights = h->rights, .type = h->obj->type};
        return write_single(p, a, &rec, sizeof rec);
    }
    case TOPIC_VMAR: {
        vm_vmar *vmar = (vm_vmar *)h->obj;
        zx_info_vmar_t rec = {.base = vmar->region.base, .len = vmar->region.size};
        return write_single(p, a, &rec, sizeof rec);
    }
    case TOPIC_PROCESS: {
        vm_process *target = (vm_process *)h->obj;
        zx_info_process_t rec = {.return_code = target->retcode,
                                 .flags = ZX_INFO_PROCESS_FLAG_STARTED};
        return write_single(p, a, &rec, sizeof rec);
    }
    case TOPIC_VMO: {
        zx_info_vmo_t rec;
        vm_info_vmo((vm_vmo *)h->obj, false, h->rights, &rec);
        return write_single(p, a, &rec, t->record);
    }
    case TOPIC_PROCESS_HANDLE_STATS: {
        zx_info_process_handle_stats_t rec;
        const vm_handle_table *table = &((vm_process *)h->obj)->handles;
        _Static_assert(sizeof rec.handle_count == sizeof table->count_by_type, "one count a type");
        memcpy(rec.handle_count, table->count_by_type, sizeof rec.handle_count);
        return write_single(p, a, &rec, sizeof rec);
    }
    case TOPIC_PROCESS_MAPS:
    case TOPIC_VMAR_MAPS: {
        /* Only the records that fit are made; the count of all is kept. */
        size_t fit = (size_t)MIN(a[3] / t->record, (uint64_t)SIZE_MAX);
        GArray *maps = g_array_new(FALSE, FALSE, sizeof(zx_info_maps_t));
        size_t avail;
        if (t->kind == TOPIC_PROCESS_MAPS) {
            vm_process *target = (vm_process *)h->obj;
            avail = 1 + target->aspace->root->map_records;
            vm_info_process_maps(target, maps, fit);
        } else if (((vm_vmar *)h->obj)->dead) {
            g_array_free(maps, TRUE);
            return ZX_ERR_BAD_STATE;
        } else {
            avail = ((vm_vmar *)h->obj)->map_records;
            vm_info_vmar_maps((vm_vmar *)h->obj, 0, maps, fit);
        }
        g_assert(maps->len == MIN(fit, avail));
        st = maps_topic(p, a, t, maps, avail);
        g_array_free(maps, TRUE);
        return st;
    }
    case TOPIC_HANDLE_COUNT: {
        zx_info_handle_count_t rec = {.handle_count = h->obj->handle_count};
        return write_single(p, a, &rec, sizeof rec);
    }
    case TOPIC_TASK_STATS: {
        /* The older record is a prefix of the current one. */
        zx_info_task_stats_t rec;
        vm_info_task_stats((vm_process *)h->obj, &rec);
        return write_single(p, a, &rec, t->record);
    }
    case TOPIC_PROCESS_VMOS: {
        size_t fit = (size_t)MIN(a[3] / t->record, (uint64_t)SIZE_MAX);
        size_t avail = vm_info_process_vmos_count((vm_process *)h->obj);
        GArray *vmos = g_array_new(FALSE, FALSE, sizeof(zx_info_vmo_t));
        vm_info_process_vmos((vm_process *)h->obj, vmos, fit);
        g_assert(vmos->len == MIN(fit, avail));
        st = vmos_topic(p, a, t, vmos, avail);
        g_array_free(vmos, TRUE);
        return st;
    }
    }
    return ZX_ERR_INTERNAL;
}

static bool has_name(const vm_object *obj)
{
    return obj->type == ZX_OBJ_TYPE_VMO || obj->type == ZX_OBJ_TYPE_PROCESS;
}

static char *name_of(vm_object *obj)
{
    return obj->type == ZX_OBJ_TYPE_VMO ? ((vm_vmo *)obj)->name : ((vm_process *)obj)->name;
}

/* value NULL, then the handle, then the right; no type check until the
 * property is known (docs/semantics.md "zx_object_get_info"). */
static zx_status_t property_prologue(vm_process *p, vm_args a, zx_rights_t right, vm_handle **h)
{
    if (a[2] == 0)
        return ZX_ERR_INVALID_ARGS;
    zx_status_t st = vm_handle_get(&p->handles, arg32(a, 0), ZX_OBJ_TYPE_NONE, 0, h);
    if (st != ZX_OK)
        return st;
    if (!((*h)->rights & right))
        return ZX_ERR_ACCESS_DENIED;
    uint32_t prop = arg32(a, 1);
    if (prop != ZX_PROP_NAME && prop != ZX_PROP_VMO_CONTENT_SIZE)
        return ZX_ERR_NOT_SUPPORTED;
    if (prop == ZX_PROP_NAME && !has_name((*h)->obj))
        return ZX_ERR_WRONG_TYPE;
    if (prop == ZX_PROP_VMO_CONTENT_SIZE && (*h)->obj->type != ZX_OBJ_TYPE_VMO)
        return ZX_ERR_WRONG_TYPE;
    return ZX_OK;
}

int64_t sys_object_get_property(vm_process *p, vm_args a)
{
    vm_handle *h;
    zx_status_t st = property_prologue(p, a, ZX_RIGHT_GET_PROPERTY, &h);
    if (st != ZX_OK)
        return st;
    uint64_t value = a[2], size = a[3];
    if (arg32(a, 1) == ZX_PROP_NAME) {
        if (size < ZX_MAX_NAME_LEN)
            return ZX_ERR_BUFFER_TOO_SMALL;
        char name[ZX_MAX_NAME_LEN] = {0};
        g_strlcpy(name, name_of(h->obj), sizeof name);
        return vm_copy_out_record(p->aspace, value, name, sizeof name);
    }
    if (size < sizeof(uint64_t))
        return ZX_ERR_BUFFER_TOO_SMALL;
    return vm_copy_out_u64(p->aspace, value, vm_vmo_content_size((vm_vmo *)h->obj));
}

int64_t sys_object_set_property(vm_process *p, vm_args a)
{
    vm_handle *h;
    zx_status_t st = property_prologue(p, a, ZX_RIGHT_SET_PROPERTY, &h);
    if (st != ZX_OK)
        return st;
    uint64_t value = a[2], size = a[3];
    if (arg32(a, 1) == ZX_PROP_NAME) {
        char name[ZX_MAX_NAME_LEN] = {0};
        size_t len = (size_t)MIN(size, (uint64_t)ZX_MAX_NAME_LEN - 1);
        if (vm_copy_from_user(p->aspace, name, value, len) != ZX_OK)
            return ZX_ERR_INVALID_ARGS;
        char *dst = name_of(h->obj);
        memset(dst, 0, ZX_MAX_NAME_LEN);
        g_strlcpy(dst, name, ZX_MAX_NAME_LEN);
        return ZX_OK;
    }
    if (!(h->rights & ZX_RIGHT_WRITE))
        return ZX_ERR_ACCESS_DENIED;
    if (size < sizeof(uint64_t))
        return ZX_ERR_BUFFER_TOO_SMALL;
    uint64_t content;
    if (vm_copy_from_user(p->aspace, &content, value, sizeof content) != ZX_OK)
        return ZX_ERR_INVALID_ARGS;
    /* No upper bound: only bytes from the new content size on are zeroed. */
    return vm_vmo_set_content_size((vm_vmo *)h->obj, content, content);
}
