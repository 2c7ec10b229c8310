#include "elf_symbols.h"

#include <elf.h>
#include <errno.h>
#include <string.h>

typedef struct sym {
    uint64_t addr;
    uint64_t size;
    const char *name; /* points into the image's bytes' copy below */
} sym;

struct sim_symbols {
    GArray *by_addr;     /* sym, ascending addr */
    GHashTable *by_name; /* name -> sym index + 1 */
    GStringChunk *names;
};

static gint sym_cmp(gconstpointer a, gconstpointer b)
{
    const sym *x = a, *y = b;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Reads [off, off+len) of the file; false when it lies outside. */
static bool slice(const uint8_t *data, size_t size, uint64_t off, uint64_t len, const uint8_t **p)
{
    if (off > size || len > size - off)
        return false;
    *p = data + off;
    return true;
}

static void load_table(sim_symbols *s, const uint8_t *data, size_t size)
{
    Elf64_Ehdr eh;
    if (size < sizeof eh)
        return;
    memcpy(&eh, data, sizeof eh);
    if (eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shnum == 0)
        return;
    const uint8_t *shdrs;
    if (!slice(data, size, eh.e_shoff, (uint64_t)eh.e_shnum * sizeof(Elf64_Shdr), &shdrs))
        return;
    for (unsigned i = 0; i < eh.e_shnum; i++) {
        Elf64_Shdr sh, strsh;
        memcpy(&sh, shdrs + i * sizeof sh, sizeof sh);
        if (sh.sh_type != SHT_SYMTAB || sh.sh_link >= eh.e_shnum ||
            sh.sh_entsize != sizeof(Elf64_Sym))
            continue;
        memcpy(&strsh, shdrs + sh.sh_link * sizeof strsh, sizeof strsh);
        const uint8_t *syms, *strs;
        if (!slice(data, size, sh.sh_offset, sh.sh_size, &syms) ||
            !slice(data, size, strsh.sh_offset, strsh.sh_size, &strs))
            continue;
        for (uint64_t j = 0; j < sh.sh_size / sizeof(Elf64_Sym); j++) {
            Elf64_Sym es;
            memcpy(&es, syms + j * sizeof es, sizeof es);
            unsigned type = ELF64_ST_TYPE(es.st_info);
            if ((type != STT_FUNC && type != STT_OBJECT) || es.st_value == 0 ||
                es.st_name >= strsh.sh_size)
                continue;
            const char *name = (const char *)strs + es.st_name;
            size_t max = strsh.sh_size - es.st_name;
            size_t len = strnlen(name, max);
            if (len == 0 || len == max)
                continue;
            sym one = {es.st_value, es.st_size, g_string_chunk_insert_len(s->names, name, len)};
            g_array_append_val(s->by_addr, one);
        }
    }
}

sim_symbols *sim_symbols_load(const sim_elf_image *img)
{
    sim_symbols *s = g_new0(sim_symbols, 1);
    s->by_addr = g_array_new(FALSE, FALSE, sizeof(sym));
    s->by_name = g_hash_table_new(g_str_hash, g_str_equal);
    s->names = g_string_chunk_new(4096);
    gsize size;
    const uint8_t *data = g_bytes_get_data(img->file, &size);
    load_table(s, data, size);
    g_array_sort(s->by_addr, sym_cmp);
    for (guint i = 0; i < s->by_addr->len; i++) {
        const sym *e = &g_array_index(s->by_addr, sym, i);
        /* A global and a local of the same name: the first (lowest) wins. */
        if (!g_hash_table_contains(s->by_name, e->name))
            g_hash_table_insert(s->by_name, (gpointer)e->name, GUINT_TO_POINTER(i + 1));
    }
    return s;
}

void sim_symbols_free(sim_symbols *s)
{
    if (s == NULL)
        return;
    g_array_free(s->by_addr, TRUE);
    g_hash_table_destroy(s->by_name);
    g_string_chunk_free(s->names);
    g_free(s);
}

bool sim_symbols_lookup(const sim_symbols *s, const char *name, uint64_t *addr)
{
    guint i = GPOINTER_TO_UINT(g_hash_table_lookup(s->by_name, name));
    if (i == 0)
        return false;
    *addr = g_array_index(s->by_addr, sym, i - 1).addr;
    return true;
}

const char *sim_symbols_at(const sim_symbols *s, uint64_t addr, uint64_t *offset)
{
    /* The last symbol starting at or below addr, if addr is inside it. */
    guint lo = 0, hi = s->by_addr->len;
    while (lo < hi) {
        guint mid = (lo + hi) / 2;
        if (g_array_index(s->by_addr, sym, mid).addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (guint i = lo; i-- > 0;) {
        const sym *e = &g_array_index(s->by_addr, sym, i);
        if (addr < e->addr + MAX(e->size, 1)) {
            *offset = addr - e->addr;
            return e->name;
        }
        if (e->size != 0)
            break;
    }
    return NULL;
}

bool sim_symbols_resolve(const sim_symbols *s, const char *text, uint64_t *addr, GError **error)
{
    if (sim_symbols_lookup(s, text, addr))
        return true;
    if (g_ascii_isdigit(text[0])) {
        char *end;
        errno = 0;
        *addr = g_ascii_strtoull(text, &end, 0);
        if (errno == 0 && *end == '\0')
            return true;
    }
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "'%s' is neither an address nor a function or object of the guest", text);
    return false;
}
