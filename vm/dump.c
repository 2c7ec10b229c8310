#include "dump.h"

#include "mapping.h"
#include "mmu/pt_dump.h"
#include "page_list.h"
#include "traces/json.h"
#include "vmar.h"
#include "vmo.h"

#include <string.h>

#define HEX "0x%" G_GINT64_MODIFIER "x"

unsigned vm_dump_parse(const char *list)
{
    unsigned what = 0;
    g_auto(GStrv) words = g_strsplit(list, ",", -1);
    for (char **w = words; *w; w++) {
        if (!strcmp(*w, "vmar"))
            what |= VM_DUMP_VMAR;
        else if (!strcmp(*w, "pagetables"))
            what |= VM_DUMP_PAGETABLES;
        else if (!strcmp(*w, "vmos"))
            what |= VM_DUMP_VMOS;
        else if (!strcmp(*w, "all"))
            what |= VM_DUMP_VMAR | VM_DUMP_PAGETABLES | VM_DUMP_VMOS;
        else
            return 0;
    }
    return what;
}

static const char *perms_str(unsigned perms, char buf[4])
{
    buf[0] = (perms & MMU_PERM_READ) ? 'r' : '-';
    buf[1] = (perms & MMU_PERM_WRITE) ? 'w' : '-';
    buf[2] = (perms & MMU_PERM_EXEC) ? 'x' : '-';
    buf[3] = '\0';
    return buf;
}

/* Pages of the mapping's range that its paged root VMO has committed. */
static uint64_t mapping_committed(const vm_mapping *m)
{
    uint64_t first = m->root_offset >> VM_PAGE_SHIFT;
    GArray *idx =
        vm_page_list_indexes(&m->root->pages, first, first + (m->region.size >> VM_PAGE_SHIFT));
    uint64_t n = idx->len;
    g_array_free(idx, TRUE);
    return n;
}

/* ---- VMAR tree ---- */

typedef struct tree_ctx {
    GString *out;
    int depth;
    bool json;
    bool first;
} tree_ctx;

static void region_text(vm_region *r, tree_ctx *c);
static void region_json(vm_region *r, tree_ctx *c);

static gboolean child_cb(gpointer key, gpointer value, gpointer user)
{
    tree_ctx *c = user;
    if (c->json) {
        if (!c->first)
            g_string_append_c(c->out, ',');
        c->first = false;
        region_json(value, c);
    } else {
        region_text(value, c);
    }
    return FALSE;
}

static void region_text(vm_region *r, tree_ctx *c)
{
    char p1[4], p2[4];
    g_string_append_printf(c->out, "%*s[" HEX ", " HEX ") ", 2 + 2 * c->depth, "", r->base,
                           vm_region_end(r));
    if (r->kind == VM_REGION_VMAR) {
        vm_vmar *v = vm_vmar_from_region(r);
        g_string_append_printf(c->out, "vmar koid %" G_GUINT64_FORMAT "%s, %u children\n",
                               v->obj.koid, r->parent ? "" : " (root)",
                               (unsigned)vm_vmar_child_count(v));
        c->depth++;
        vm_vmar_foreach_child(v, child_cb, c);
        c->depth--;
        return;
    }
    vm_mapping *m = vm_mapping_from_region(r);
    g_string_append_printf(c->out,
                           "mapping %s (max %s) VMO \"%s\" koid %" G_GUINT64_FORMAT " offset " HEX
                           ", %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " pages committed\n",
                           perms_str(vm_mapping_perms_at(m, r->base), p1),
                           perms_str(m->max_perms, p2), m->vmo->name, m->vmo->obj.koid,
                           m->vmo_offset, mapping_committed(m), r->size >> VM_PAGE_SHIFT);
    /* Parts protected differently from the first page. */
    for (vm_run run = vm_mapping_next_run(vm_mapping_first_run(m)); vm_run_valid(run);
         run = vm_mapping_next_run(run)) {
        g_string_append_printf(c->out, "%*s[" HEX ", " HEX ") %s\n", 4 + 2 * c->depth, "",
                               r->base + vm_run_offset(run), r->base + vm_mapping_run_end(m, run),
                               perms_str(vm_run_perms(run), p1));
    }
}

static void region_json(vm_region *r, tree_ctx *c)
{
    char p1[4], p2[4];
    GString *out = c->out;
    g_string_append(out, "{\"base\":");
    tr_json_hex(out, r->base);
    g_string_append(out, ",\"size\":");
    tr_json_hex(out, r->size);
    if (r->kind == VM_REGION_VMAR) {
        vm_vmar *v = vm_vmar_from_region(r);
        g_string_append_printf(
            out, ",\"type\":\"vmar\",\"koid\":%" G_GUINT64_FORMAT ",\"children\":[", v->obj.koid);
        c->first = true;
        vm_vmar_foreach_child(v, child_cb, c);
        c->first = false;
        g_string_append(out, "]}");
        return;
    }
    vm_mapping *m = vm_mapping_from_region(r);
    g_string_append_printf(out,
                           ",\"type\":\"mapping\",\"perms\":\"%s\",\"max_perms\":\"%s\",\"vmo_"
                           "koid\":%" G_GUINT64_FORMAT ",\"vmo_name\":",
                           perms_str(vm_mapping_perms_at(m, r->base), p1),
                           perms_str(m->max_perms, p2), m->vmo->obj.koid);
    tr_json_string(out, m->vmo->name);
    g_string_append(out, ",\"vmo_offset\":");
    tr_json_hex(out, m->vmo_offset);
    g_string_append_printf(out,
                           ",\"pages\":%" G_GUINT64_FORMAT ",\"committed_pages\":%" G_GUINT64_FORMAT
                           ",\"protect\":[",
                           r->size >> VM_PAGE_SHIFT, mapping_committed(m));
    for (vm_run run = vm_mapping_first_run(m); vm_run_valid(run); run = vm_mapping_next_run(run)) {
        g_string_append_printf(out, "%s{\"offset\":", vm_run_offset(run) ? "," : "");
        tr_json_hex(out, vm_run_offset(run));
        g_string_append_printf(out, ",\"perms\":\"%s\"}", perms_str(vm_run_perms(run), p1));
    }
    g_string_append(out, "]}");
}

/* ---- VMOs ---- */

static gint by_koid(gconstpointer a, gconstpointer b)
{
    zx_koid_t ka = (*(vm_vmo *const *)a)->obj.koid, kb = (*(vm_vmo *const *)b)->obj.koid;
    return ka < kb ? -1 : ka > kb;
}

/* Every paged VMO, by koid, and for each frame the VMOs that hold it: a
 * frame held by two page lists is shared copy-on-write. */
typedef struct vmo_index {
    GPtrArray *vmos;
    GHashTable *holders; /* frame -> GArray of zx_koid_t */
} vmo_index;

static void index_build(vm_kernel *k, vmo_index *ix)
{
    ix->vmos = g_ptr_array_new();
    for (GList *l = k->vmos; l; l = l->next)
        g_ptr_array_add(ix->vmos, l->data);
    g_ptr_array_sort(ix->vmos, by_koid);
    ix->holders = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)g_array_unref);
    for (guint i = 0; i < ix->vmos->len; i++) {
        vm_vmo *v = ix->vmos->pdata[i];
        GHashTableIter it;
        gpointer key, value;
        g_hash_table_iter_init(&it, v->pages.frames);
        while (g_hash_table_iter_next(&it, &key, &value)) {
            GArray *who = g_hash_table_lookup(ix->holders, value);
            if (who == NULL) {
                who = g_array_new(FALSE, FALSE, sizeof(zx_koid_t));
                g_hash_table_insert(ix->holders, value, who);
            }
            g_array_append_val(who, v->obj.koid);
        }
    }
}

static void index_free(vmo_index *ix)
{
    g_ptr_array_free(ix->vmos, TRUE);
    g_hash_table_destroy(ix->holders);
}

static const char *kind_name(vm_child_kind kind)
{
    switch (kind) {
    case VM_CHILD_SNAPSHOT:
        return "snapshot";
    case VM_CHILD_SLICE:
        return "slice";
    case VM_CHILD_REFERENCE:
        return "reference";
    default:
        return "none";
    }
}

/* The other holders of a frame, or NULL when only v holds it. */
static GArray *sharers(vmo_index *ix, uint32_t frame)
{
    GArray *who = g_hash_table_lookup(ix->holders, GUINT_TO_POINTER(frame));
    return who && who->len > 1 ? who : NULL;
}

static void koid_list(GString *out, GArray *koids, zx_koid_t except, const char *sep)
{
    bool first = true;
    for (guint i = 0; i < koids->len; i++) {
        zx_koid_t k = g_array_index(koids, zx_koid_t, i);
        if (k == except)
            continue;
        g_string_append_printf(out, "%s%" G_GUINT64_FORMAT, first ? "" : sep, k);
        first = false;
    }
}

static void vmo_text(vm_vmo *v, vmo_index *ix, GString *out)
{
    g_string_append_printf(out,
                           "  VMO koid %" G_GUINT64_FORMAT " \"%s\" size " HEX
                           ", %u committed pages, %u mappings",
                           v->obj.koid, v->name, v->size, (unsigned)vm_page_list_count(&v->pages),
                           (unsigned)v->mapping_count);
    if (v->child_kind != VM_CHILD_NONE)
        g_string_append_printf(out, ", %s of koid %" G_GUINT64_FORMAT, kind_name(v->child_kind),
                               v->parent_koid);
    if (v->dead)
        g_string_append(out, ", no handles or mappings left");
    g_string_append_c(out, '\n');
    for (GList *l = v->children; l; l = l->next) {
        vm_vmo *c = l->data;
        g_string_append_printf(out, "    child koid %" G_GUINT64_FORMAT " (%s)\n", c->obj.koid,
                               kind_name(c->child_kind));
    }
    GArray *idx = vm_page_list_indexes(&v->pages, 0, UINT64_MAX >> VM_PAGE_SHIFT);
    /* Runs of consecutive pages in consecutive private frames, one line
     * each; a shared page gets its own line naming the other holders. */
    for (guint i = 0; i < idx->len;) {
        uint64_t index = g_array_index(idx, uint64_t, i);
        uint32_t frame = vm_page_list_get(&v->pages, index);
        GArray *who = sharers(ix, frame);
        guint j = i + 1;
        while (!who && j < idx->len && g_array_index(idx, uint64_t, j) == index + (j - i) &&
               vm_page_list_get(&v->pages, index + (j - i)) == frame + (j - i) &&
               !sharers(ix, frame + (j - i)))
            j++;
        if (j - i == 1)
            g_string_append_printf(out, "    page %" G_GUINT64_FORMAT " -> frame " HEX, index,
                                   vm_pmm_pa(frame));
        else
            g_string_append_printf(
                out, "    pages %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT " -> frames " HEX "-" HEX,
                index, index + (j - i) - 1, vm_pmm_pa(frame), vm_pmm_pa(frame + (j - i) - 1));
        if (who) {
            g_string_append(out, "  shared (copy-on-write) with koid ");
            koid_list(out, who, v->obj.koid, ", ");
        }
        g_string_append_c(out, '\n');
        i = j;
    }
    g_array_free(idx, TRUE);
}

static void vmo_json(vm_vmo *v, vmo_index *ix, GString *out)
{
    g_string_append_printf(out, "{\"koid\":%" G_GUINT64_FORMAT ",\"name\":", v->obj.koid);
    tr_json_string(out, v->name);
    g_string_append(out, ",\"size\":");
    tr_json_hex(out, v->size);
    g_string_append_printf(out,
                           ",\"committed_pages\":%u,\"mappings\":%u,\"child_kind\":\"%s\","
                           "\"parent_koid\":%" G_GUINT64_FORMAT ",\"children\":[",
                           (unsigned)vm_page_list_count(&v->pages), (unsigned)v->mapping_count,
                           kind_name(v->child_kind),
                           v->child_kind != VM_CHILD_NONE ? v->parent_koid : 0);
    for (GList *l = v->children; l; l = l->next) {
        vm_vmo *c = l->data;
        g_string_append_printf(out, "%s{\"koid\":%" G_GUINT64_FORMAT ",\"kind\":\"%s\"}",
                               l == v->children ? "" : ",", c->obj.koid, kind_name(c->child_kind));
    }
    g_string_append(out, "],\"pages\":[");
    GArray *idx = vm_page_list_indexes(&v->pages, 0, UINT64_MAX >> VM_PAGE_SHIFT);
    for (guint i = 0; i < idx->len; i++) {
        uint64_t index = g_array_index(idx, uint64_t, i);
        uint32_t frame = vm_page_list_get(&v->pages, index);
        g_string_append_printf(out, "%s{\"index\":%" G_GUINT64_FORMAT ",\"frame\":", i ? "," : "",
                               index);
        tr_json_hex(out, vm_pmm_pa(frame));
        g_string_append(out, ",\"shared_with\":[");
        GArray *who = sharers(ix, frame);
        if (who)
            koid_list(out, who, v->obj.koid, ",");
        g_string_append(out, "]}");
    }
    g_array_free(idx, TRUE);
    g_string_append(out, "]}");
}

/* ---- the whole dump ---- */

static void dump_text(vm_process *p, const vm_dump_request *req, GString *out)
{
    g_string_append_printf(out, "==== zxsim dump %u of process \"%s\": ", req->serial, p->name);
    if (req->at_exit)
        g_string_append(out, "at exit");
    else
        g_string_append_printf(out, "zxsim_dump(\"%s\")", req->label ? req->label : "");
    g_string_append(out, " ====\n");
    if (req->what & VM_DUMP_VMAR) {
        g_string_append(out, "VMAR tree:\n");
        tree_ctx c = {.out = out};
        region_text(&p->aspace->root->region, &c);
    }
    if (req->what & VM_DUMP_PAGETABLES)
        mmu_pt_dump_text(p->aspace->pt, out);
    if (req->what & VM_DUMP_VMOS) {
        vmo_index ix;
        index_build(p->k, &ix);
        guint shared = 0;
        GHashTableIter it;
        gpointer key, value;
        g_hash_table_iter_init(&it, ix.holders);
        while (g_hash_table_iter_next(&it, &key, &value))
            shared += ((GArray *)value)->len > 1;
        g_string_append_printf(out, "VMOs: %u paged, their pages in %u frames, %u of them shared\n",
                               ix.vmos->len, g_hash_table_size(ix.holders), shared);
        for (guint i = 0; i < ix.vmos->len; i++)
            vmo_text(ix.vmos->pdata[i], &ix, out);
        index_free(&ix);
    }
}

static void dump_json(vm_process *p, const vm_dump_request *req, GString *out)
{
    g_string_append_printf(out, "{\"dump\":%u,\"process\":", req->serial);
    tr_json_string(out, p->name);
    g_string_append_printf(out, ",\"at_exit\":%s,\"label\":", req->at_exit ? "true" : "false");
    if (req->label)
        tr_json_string(out, req->label);
    else
        g_string_append(out, "null");
    if (req->what & VM_DUMP_VMAR) {
        g_string_append(out, ",\"vmar\":");
        tree_ctx c = {.out = out, .json = true};
        region_json(&p->aspace->root->region, &c);
    }
    if (req->what & VM_DUMP_PAGETABLES) {
        g_string_append(out, ",\"page_tables\":");
        mmu_pt_dump_json(p->aspace->pt, out);
    }
    if (req->what & VM_DUMP_VMOS) {
        vmo_index ix;
        index_build(p->k, &ix);
        g_string_append(out, ",\"vmos\":[");
        for (guint i = 0; i < ix.vmos->len; i++) {
            if (i)
                g_string_append_c(out, ',');
            vmo_json(ix.vmos->pdata[i], &ix, out);
        }
        g_string_append(out, "]");
        index_free(&ix);
    }
    g_string_append(out, "}\n");
}

void vm_dump(vm_process *p, const vm_dump_request *req, GString *out)
{
    if (req->json)
        dump_json(p, req, out);
    else
        dump_text(p, req, out);
}
