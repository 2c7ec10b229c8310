#include "loader.h"

#include "vm/mapping.h"
#include "vm/object.h"
#include "vm/vmar.h"
#include "vm/vmo.h"

#include <string.h>

static const char *segment_kind(unsigned perms)
{
    if (perms & SIM_ELF_PERM_EXEC)
        return "text";
    if (perms & SIM_ELF_PERM_WRITE)
        return "data";
    return "rodata";
}

static void name_vmo(vm_vmo *v, const char *prog, const char *what)
{
    char name[ZX_MAX_NAME_LEN];
    g_snprintf(name, sizeof name, "%.20s:%s", prog, what);
    vm_vmo_set_name(v, name, strlen(name));
}

static bool no_memory(GError **error, const char *name)
{
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOSPC,
                "%s: not enough simulated RAM to load the program (raise --ram)", name);
    return false;
}

/* Every segment becomes a VMO; its bytes are copied in, the rest is zero. */
static bool load_segment(vm_process *p, const sim_elf_image *img, const sim_elf_segment *s,
                         const char *prog, const char *name, GError **error)
{
    vm_kernel *k = p->k;
    uint64_t start = s->vaddr & ~VM_PAGE_MASK;
    uint64_t end = (s->vaddr + s->memsz + VM_PAGE_MASK) & ~VM_PAGE_MASK;
    vm_vmo *vmo = vm_vmo_create(k, end - start, end - start, false, false, false);
    name_vmo(vmo, prog, segment_kind(s->perms));
    gsize file_len;
    const uint8_t *file = g_bytes_get_data(img->file, &file_len);
    zx_status_t st = vm_vmo_write_bytes(vmo, s->vaddr - start, file + s->file_offset, s->filesz);
    if (st != ZX_OK) {
        vm_object_unref(&vmo->obj);
        return no_memory(error, name);
    }
    unsigned perms = s->perms;
    if (perms & (SIM_ELF_PERM_WRITE | SIM_ELF_PERM_EXEC) || perms == 0)
        perms |= SIM_ELF_PERM_READ;
    vm_vmar *root = p->aspace->root;
    vm_mapping_create(root, start, end - start, vmo, 0, perms, MMU_PERM_RWX, 0);
    vm_object_unref(&vmo->obj);
    return true;
}

/* The top of the stack holds the argument strings and the argv array;
 * sp is 16-byte aligned below them. */
static bool build_stack(vm_process *p, const char *prog, const char *name, int argc, char **argv,
                        uint64_t stack_size, sim_entry_state *entry, GError **error)
{
    vm_kernel *k = p->k;
    vm_vmar *root = p->aspace->root;
    uint64_t region_size = stack_size + SIM_STACK_GUARD;
    uint64_t base;
    if (vm_vmar_place(root, region_size, VM_PAGE_SIZE, UINT64_MAX, &base) != ZX_OK) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOSPC,
                    "%s: no room in the address space for a %" G_GUINT64_FORMAT "-byte stack", name,
                    stack_size);
        return false;
    }
    vm_vmar *region = vm_vmar_create_child(
        root, base, region_size, ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_SPECIFIC);
    vm_vmo *stack = vm_vmo_create(k, stack_size, stack_size, false, false, false);
    name_vmo(stack, prog, "stack");
    uint64_t stack_base = base + SIM_STACK_GUARD;
    vm_mapping_create(region, stack_base, stack_size, stack, 0, MMU_PERM_READ | MMU_PERM_WRITE,
                      MMU_PERM_READ | MMU_PERM_WRITE, 0);
    vm_object_unref(&region->obj);

    /* Lay out strings, then pointers, from the top down. */
    GByteArray *strings = g_byte_array_new();
    uint64_t *offsets = g_new(uint64_t, argc + 1);
    for (int i = 0; i < argc; i++) {
        offsets[i] = strings->len;
        g_byte_array_append(strings, (const guint8 *)argv[i], strlen(argv[i]) + 1);
    }
    uint64_t top = stack_base + stack_size;
    uint64_t strings_at = (top - strings->len) & ~15ull;
    uint64_t argv_at = (strings_at - 8ull * (argc + 1)) & ~15ull;
    uint64_t *vec = g_new0(uint64_t, argc + 1);
    for (int i = 0; i < argc; i++)
        vec[i] = strings_at + offsets[i];
    bool ok =
        argv_at > stack_base + VM_PAGE_SIZE &&
        vm_vmo_write_bytes(stack, strings_at - stack_base, strings->data, strings->len) == ZX_OK &&
        vm_vmo_write_bytes(stack, argv_at - stack_base, vec, 8ull * (argc + 1)) == ZX_OK;
    g_free(vec);
    g_free(offsets);
    g_byte_array_free(strings, TRUE);
    vm_object_unref(&stack->obj);
    if (!ok) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOSPC,
                    "%s: the arguments do not fit on the stack, or RAM is exhausted", name);
        return false;
    }
    entry->sp = argv_at;
    entry->args[0] = p->self_handle;
    entry->args[1] = p->root_vmar_handle;
    entry->args[2] = (uint64_t)argc;
    entry->args[3] = argv_at;
    return true;
}

bool sim_load_process(vm_process *p, const sim_elf_image *img, const char *name, int argc,
                      char **argv, uint64_t stack_size, sim_entry_state *entry, GError **error)
{
    g_autofree char *prog = g_path_get_basename(name);
    for (guint i = 0; i < img->segments->len; i++) {
        const sim_elf_segment *s = &g_array_index(img->segments, sim_elf_segment, i);
        if (!load_segment(p, img, s, prog, name, error))
            return false;
    }
    entry->pc = img->entry;
    return build_stack(p, prog, name, argc, argv, stack_size, entry, error);
}
