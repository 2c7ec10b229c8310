#include "pt_dump.h"

#include "traces/json.h"

typedef void (*entry_fn)(const mmu_page_table *pt, int level, unsigned index, uint64_t at,
                         uint64_t e, uint64_t va, GString *out);

/* Depth first, so each table's entries follow the entry that points at it
 * and the whole dump runs in virtual-address order. */
static void visit(const mmu_page_table *pt, uint64_t table, int level, uint64_t va_base,
                  entry_fn fn, GString *out)
{
    const uint64_t *entries = mmu_phys_ptr(pt->mem, table);
    for (unsigned i = 0; i < MMU_PT_ENTRIES; i++) {
        uint64_t e = entries[i];
        if (!mmu_pte_present(pt->fmt, e))
            continue;
        uint64_t va = va_base + (uint64_t)i * mmu_pt_entry_span(level);
        fn(pt, level, i, table + 8ull * i, e, va, out);
        if (mmu_pte_is_table(pt->fmt, e, level))
            visit(pt, mmu_pte_address(pt->fmt, e), level + 1, va, fn, out);
    }
}

static void text_entry(const mmu_page_table *pt, int level, unsigned index, uint64_t at, uint64_t e,
                       uint64_t va, GString *out)
{
    g_string_append_printf(out,
                           "%*sL%d[%3u] at 0x%" G_GINT64_MODIFIER "x = 0x%016" G_GINT64_MODIFIER
                           "x  va 0x%" G_GINT64_MODIFIER "x+0x%" G_GINT64_MODIFIER "x  ",
                           2 + 2 * level, "", level, index, at, e, va, mmu_pt_entry_span(level));
    pt->fmt->describe(e, level, out);
    g_string_append_c(out, '\n');
}

void mmu_pt_dump_text(const mmu_page_table *pt, GString *out)
{
    g_string_append_printf(out,
                           "page tables: %s, root 0x%" G_GINT64_MODIFIER "x, %" G_GUINT64_FORMAT
                           " table frames\n",
                           pt->fmt->name, pt->root, pt->table_frames);
    visit(pt, pt->root, 0, 0, text_entry, out);
}

static void json_entry(const mmu_page_table *pt, int level, unsigned index, uint64_t at, uint64_t e,
                       uint64_t va, GString *out)
{
    if (out->str[out->len - 1] != '[')
        g_string_append_c(out, ',');
    bool table = mmu_pte_is_table(pt->fmt, e, level);
    g_string_append_printf(out, "{\"level\":%d,\"index\":%u,\"at\":", level, index);
    tr_json_hex(out, at);
    g_string_append(out, ",\"value\":");
    tr_json_hex(out, e);
    g_string_append(out, ",\"va\":");
    tr_json_hex(out, va);
    g_string_append(out, ",\"span\":");
    tr_json_hex(out, mmu_pt_entry_span(level));
    g_string_append_printf(out, ",\"kind\":\"%s\",\"address\":", table ? "table" : "page");
    tr_json_hex(out, mmu_pte_address(pt->fmt, e));
    GString *bits = g_string_new(NULL);
    pt->fmt->describe(e, level, bits);
    g_string_append(out, ",\"decoded\":");
    tr_json_string(out, bits->str);
    g_string_free(bits, TRUE);
    g_string_append_c(out, '}');
}

void mmu_pt_dump_json(const mmu_page_table *pt, GString *out)
{
    g_string_append(out, "{\"format\":");
    tr_json_string(out, pt->fmt->name);
    g_string_append(out, ",\"root\":");
    tr_json_hex(out, pt->root);
    g_string_append_printf(out, ",\"table_frames\":%" G_GUINT64_FORMAT ",\"entries\":[",
                           pt->table_frames);
    visit(pt, pt->root, 0, 0, json_entry, out);
    g_string_append(out, "]}");
}
