#include "handle_table.h"

#include "object.h"

/* A handle value is 30 bits above the two fixed low ones: a slot number and
 * the slot's generation, scrambled by an odd multiplier and the process's
 * secret. Both steps are bijections on 30 bits, so a value decodes back to
 * its slot with no search, and a value of a closed handle (its slot since
 * reused under a new generation) or a made-up one is refused because the
 * slot holds another value. */
#define VALUE_BITS 30
#define VALUE_MASK ((1u << VALUE_BITS) - 1)
#define SLOT_MASK  (VM_HANDLE_MAX - 1)
#define GEN_SHIFT  20
#define MULTIPLIER 0x9E3779B1u
#define CHUNK      256u

_Static_assert(VM_HANDLE_MAX == 1u << GEN_SHIFT, "the slot number fills the low bits");

/* MULTIPLIER's inverse modulo 2^32, hence also modulo 2^30. */
#define INVERSE 0x0E8B2F51u
_Static_assert((uint32_t)(1u * MULTIPLIER * INVERSE) == 1u, "INVERSE undoes MULTIPLIER");

static zx_handle_t encode(const vm_handle_table *t, uint32_t slot, uint32_t gen)
{
    uint32_t index = ((gen << GEN_SHIFT) | slot) * MULTIPLIER;
    index = (index ^ t->secret) & VALUE_MASK;
    return (index << 2) | ZX_HANDLE_FIXED_BITS_MASK;
}

static uint32_t slot_of(const vm_handle_table *t, zx_handle_t value)
{
    uint32_t index = ((value >> 2) ^ t->secret) & VALUE_MASK;
    return (index * INVERSE) & SLOT_MASK;
}

static vm_handle *slot_at(const vm_handle_table *t, uint32_t slot)
{
    return &t->chunks[slot / CHUNK][slot % CHUNK];
}

void vm_handle_table_init(vm_handle_table *t, uint32_t secret)
{
    *t = (vm_handle_table){.next_serial = 1, .secret = secret & VALUE_MASK};
}

/* A free slot: the last one freed (its lines are likely still cached), else
 * a new one. */
static vm_handle *take_slot(vm_handle_table *t, uint32_t *slot)
{
    if (t->free_head) {
        *slot = t->free_head - 1;
        vm_handle *h = slot_at(t, *slot);
        t->free_head = h->next_free;
        return h;
    }
    if (t->slots == VM_HANDLE_MAX)
        return NULL;
    if (t->slots == t->nchunks * CHUNK) {
        t->chunks = g_renew(vm_handle *, t->chunks, t->nchunks + 1);
        t->chunks[t->nchunks++] = g_new0(vm_handle, CHUNK);
    }
    *slot = t->slots++;
    return slot_at(t, *slot);
}

zx_handle_t vm_handle_install(vm_handle_table *t, vm_object *obj, zx_rights_t rights)
{
    uint32_t slot;
    vm_handle *h = take_slot(t, &slot);
    if (h == NULL)
        return ZX_HANDLE_INVALID;
    h->obj = obj;
    h->rights = rights;
    h->serial = t->next_serial++;
    h->value = encode(t, slot, h->gen);
    t->count++;
    if (obj->type < ZX_OBJ_TYPE_UPPER_BOUND)
        t->count_by_type[obj->type]++;
    if (obj->type == ZX_OBJ_TYPE_VMO) {
        h->vmo_prev = t->vmo_last;
        h->vmo_next = 0;
        if (t->vmo_last)
            slot_at(t, t->vmo_last - 1)->vmo_next = slot + 1;
        else
            t->vmo_first = slot + 1;
        t->vmo_last = slot + 1;
    }
    vm_object_ref(obj);
    vm_object_user_ref(obj);
    obj->handle_count++;
    return h->value;
}

static vm_handle *lookup(vm_handle_table *t, zx_handle_t value, uint32_t *slot)
{
    if ((value & ZX_HANDLE_FIXED_BITS_MASK) != ZX_HANDLE_FIXED_BITS_MASK)
        return NULL;
    *slot = slot_of(t, value);
    if (*slot >= t->slots)
        return NULL;
    vm_handle *h = slot_at(t, *slot);
    return h->obj && h->value == value ? h : NULL;
}

zx_status_t vm_handle_get(vm_handle_table *t, zx_handle_t value, zx_obj_type_t type,
                          zx_rights_t needed, vm_handle **out)
{
    uint32_t slot;
    vm_handle *h = lookup(t, value, &slot);
    if (h == NULL)
        return ZX_ERR_BAD_HANDLE;
    if (type != ZX_OBJ_TYPE_NONE && h->obj->type != type)
        return ZX_ERR_WRONG_TYPE;
    if ((h->rights & needed) != needed)
        return ZX_ERR_ACCESS_DENIED;
    *out = h;
    return ZX_OK;
}

/* Empties the slot, then drops what the handle held (which may close other
 * objects, but never touches this table). */
static void drop_handle(vm_handle_table *t, vm_handle *h, uint32_t slot)
{
    vm_object *obj = h->obj;
    if (obj->type == ZX_OBJ_TYPE_VMO) {
        if (h->vmo_prev)
            slot_at(t, h->vmo_prev - 1)->vmo_next = h->vmo_next;
        else
            t->vmo_first = h->vmo_next;
        if (h->vmo_next)
            slot_at(t, h->vmo_next - 1)->vmo_prev = h->vmo_prev;
        else
            t->vmo_last = h->vmo_prev;
    }
    h->obj = NULL;
    h->gen = (h->gen + 1) & (VALUE_MASK >> GEN_SHIFT);
    h->next_free = t->free_head;
    t->free_head = slot + 1;
    t->count--;
    if (obj->type < ZX_OBJ_TYPE_UPPER_BOUND)
        t->count_by_type[obj->type]--;
    obj->handle_count--;
    vm_object_user_unref(obj);
    vm_object_unref(obj);
}

zx_status_t vm_handle_close(vm_handle_table *t, zx_handle_t value)
{
    uint32_t slot;
    vm_handle *h = lookup(t, value, &slot);
    if (h == NULL)
        return ZX_ERR_BAD_HANDLE;
    drop_handle(t, h, slot);
    return ZX_OK;
}

vm_handle *vm_handle_first_vmo(vm_handle_table *t)
{
    return t->vmo_first ? slot_at(t, t->vmo_first - 1) : NULL;
}

vm_handle *vm_handle_next_vmo(vm_handle_table *t, const vm_handle *h)
{
    return h->vmo_next ? slot_at(t, h->vmo_next - 1) : NULL;
}

static gint by_serial(gconstpointer a, gconstpointer b)
{
    const vm_handle *ha = *(vm_handle *const *)a;
    const vm_handle *hb = *(vm_handle *const *)b;
    return (ha->serial > hb->serial) - (ha->serial < hb->serial);
}

GPtrArray *vm_handle_table_list(vm_handle_table *t)
{
    GPtrArray *list = g_ptr_array_sized_new(t->count);
    for (uint32_t slot = 0; slot < t->slots; slot++) {
        vm_handle *h = slot_at(t, slot);
        if (h->obj)
            g_ptr_array_add(list, h);
    }
    g_ptr_array_sort(list, by_serial);
    return list;
}

void vm_handle_table_clear(vm_handle_table *t)
{
    if (t->chunks == NULL)
        return;
    GPtrArray *list = vm_handle_table_list(t);
    /* Close newest first so that children go before their parents. */
    for (guint i = list->len; i > 0; i--) {
        vm_handle *h = g_ptr_array_index(list, i - 1);
        uint32_t slot;
        g_assert(lookup(t, h->value, &slot) == h);
        drop_handle(t, h, slot);
    }
    g_ptr_array_free(list, TRUE);
    for (uint32_t i = 0; i < t->nchunks; i++)
        g_free(t->chunks[i]);
    g_free(t->chunks);
    *t = (vm_handle_table){.secret = t->secret};
}
