#include "handle_table.h"

#include "object.h"

#define HANDLE_INDEX_BITS 30
#define HANDLE_INDEX_MASK ((1u << HANDLE_INDEX_BITS) - 1)

void vm_handle_table_init(vm_handle_table *t, uint32_t secret)
{
    t->by_value = g_hash_table_new(g_direct_hash, g_direct_equal);
    t->next_serial = 1;
    t->secret = secret & HANDLE_INDEX_MASK;
}

/* Zircon scrambles handle values so that guests cannot guess them. An odd
 * multiplier and an xor are bijections on 30 bits, so values never repeat
 * until 2^30 handles have been made. The low two bits are always set. */
static zx_handle_t value_for_serial(const vm_handle_table *t, uint64_t serial)
{
    uint32_t index = ((uint32_t)serial * 0x9E3779B1u) & HANDLE_INDEX_MASK;
    index ^= t->secret;
    return (index << 2) | ZX_HANDLE_FIXED_BITS_MASK;
}

zx_handle_t vm_handle_install(vm_handle_table *t, vm_object *obj, zx_rights_t rights)
{
    vm_handle *h = g_new0(vm_handle, 1);
    h->obj = obj;
    h->rights = rights;
    h->serial = t->next_serial++;
    h->value = value_for_serial(t, h->serial);
    g_assert(!g_hash_table_contains(t->by_value, GUINT_TO_POINTER(h->value)));
    vm_object_ref(obj);
    vm_object_user_ref(obj);
    obj->handle_count++;
    g_hash_table_insert(t->by_value, GUINT_TO_POINTER(h->value), h);
    return h->value;
}

zx_status_t vm_handle_get(vm_handle_table *t, zx_handle_t value, zx_obj_type_t type,
                          zx_rights_t needed, vm_handle **out)
{
    vm_handle *h = g_hash_table_lookup(t->by_value, GUINT_TO_POINTER(value));
    if (h == NULL)
        return ZX_ERR_BAD_HANDLE;
    if (type != ZX_OBJ_TYPE_NONE && h->obj->type != type)
        return ZX_ERR_WRONG_TYPE;
    if ((h->rights & needed) != needed)
        return ZX_ERR_ACCESS_DENIED;
    *out = h;
    return ZX_OK;
}

static void drop_handle(vm_handle *h)
{
    vm_object *obj = h->obj;
    obj->handle_count--;
    g_free(h);
    vm_object_user_unref(obj);
    vm_object_unref(obj);
}

zx_status_t vm_handle_close(vm_handle_table *t, zx_handle_t value)
{
    vm_handle *h = g_hash_table_lookup(t->by_value, GUINT_TO_POINTER(value));
    if (h == NULL)
        return ZX_ERR_BAD_HANDLE;
    g_hash_table_remove(t->by_value, GUINT_TO_POINTER(value));
    drop_handle(h);
    return ZX_OK;
}

static gint by_serial(gconstpointer a, gconstpointer b)
{
    const vm_handle *ha = *(vm_handle *const *)a;
    const vm_handle *hb = *(vm_handle *const *)b;
    return (ha->serial > hb->serial) - (ha->serial < hb->serial);
}

GPtrArray *vm_handle_table_list(vm_handle_table *t)
{
    GPtrArray *list = g_ptr_array_sized_new(g_hash_table_size(t->by_value));
    GHashTableIter it;
    gpointer value;
    g_hash_table_iter_init(&it, t->by_value);
    while (g_hash_table_iter_next(&it, NULL, &value))
        g_ptr_array_add(list, value);
    g_ptr_array_sort(list, by_serial);
    return list;
}

void vm_handle_table_clear(vm_handle_table *t)
{
    if (t->by_value == NULL)
        return;
    GPtrArray *list = vm_handle_table_list(t);
    g_hash_table_remove_all(t->by_value);
    /* Close newest first so that children go before their parents. */
    for (guint i = list->len; i > 0; i--)
        drop_handle(g_ptr_array_index(list, i - 1));
    g_ptr_array_free(list, TRUE);
    g_hash_table_destroy(t->by_value);
    t->by_value = NULL;
}
