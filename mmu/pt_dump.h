/* Every present entry of a page table, at every level, decoded in the
 * architecture's own bit names: what the hardware walker would find. */
#pragma once

#include "page_table.h"

/* Indented text, one line per entry, ascending virtual address. */
void mmu_pt_dump_text(const mmu_page_table *pt, GString *out);
/* One JSON object: {"format", "root", "table_frames", "entries": [...]},
 * each entry {"level", "index", "at", "value", "va", "span", "kind",
 * "address", "decoded"}, in the same order as the text. */
void mmu_pt_dump_json(const mmu_page_table *pt, GString *out);
