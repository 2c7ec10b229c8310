/* The pages a paged VMO owns: page index -> frame number (0 = none; frame 0
 * is the zero page, which no page list ever holds). */
#pragma once

#include "types.h"

/* Host bytes one entry costs: key, frame and hash of a GHashTable slot. */
#define VM_PAGE_LIST_SLOT_BYTES (sizeof(gpointer) * 2 + sizeof(guint))

void vm_page_list_init(vm_page_list *pl);
void vm_page_list_destroy(vm_page_list *pl);

static inline uint32_t vm_page_list_get(const vm_page_list *pl, uint64_t index)
{
    return GPOINTER_TO_UINT(g_hash_table_lookup(pl->frames, GSIZE_TO_POINTER(index)));
}

void vm_page_list_set(vm_page_list *pl, uint64_t index, uint32_t frame);
/* Removes the entry and returns its frame (0 if there was none). */
uint32_t vm_page_list_take(vm_page_list *pl, uint64_t index);

static inline uint64_t vm_page_list_count(const vm_page_list *pl)
{
    return g_hash_table_size(pl->frames);
}

/* Page indexes present in [first, end), ascending. Costs the smaller of the
 * range and the list, so huge sparse ranges stay cheap. */
GArray *vm_page_list_indexes(const vm_page_list *pl, uint64_t first, uint64_t end);
