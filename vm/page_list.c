#include "page_list.h"

void vm_page_list_init(vm_page_list *pl)
{
    pl->frames = g_hash_table_new(g_direct_hash, g_direct_equal);
}

void vm_page_list_destroy(vm_page_list *pl)
{
    if (pl->frames) {
        g_assert(g_hash_table_size(pl->frames) == 0);
        g_hash_table_destroy(pl->frames);
        pl->frames = NULL;
    }
}

void vm_page_list_set(vm_page_list *pl, uint64_t index, uint32_t frame)
{
    g_assert(frame != 0);
    g_hash_table_insert(pl->frames, GSIZE_TO_POINTER(index), GUINT_TO_POINTER(frame));
}

uint32_t vm_page_list_take(vm_page_list *pl, uint64_t index)
{
    gpointer value;
    if (!g_hash_table_steal_extended(pl->frames, GSIZE_TO_POINTER(index), NULL, &value))
        return 0;
    return GPOINTER_TO_UINT(value);
}

static gint cmp_u64(gconstpointer a, gconstpointer b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

GArray *vm_page_list_indexes(const vm_page_list *pl, uint64_t first, uint64_t end)
{
    GArray *out = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    if (end <= first)
        return out;
    uint64_t count = g_hash_table_size(pl->frames);
    if (end - first <= count) {
        for (uint64_t i = first; i < end; i++) {
            if (g_hash_table_contains(pl->frames, GSIZE_TO_POINTER(i)))
                g_array_append_val(out, i);
        }
        return out;
    }
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, pl->frames);
    while (g_hash_table_iter_next(&it, &key, NULL)) {
        uint64_t i = GPOINTER_TO_SIZE(key);
        if (i >= first && i < end)
            g_array_append_val(out, i);
    }
    g_array_sort(out, cmp_u64);
    return out;
}
