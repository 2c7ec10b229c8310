#include "explain.h"

#include "detailed.h"
#include "report.h"
#include "run.h"
#include "vm/aspace.h"
#include "vm/fault_predict.h"
#include "vm/kernel.h"
#include "vm/mapping.h"
#include "vm/vmar.h"
#include "vm/vmo.h"

#include <string.h>

#define HEX "0x%" G_GINT64_MODIFIER "x"

static void on_break(uc_engine *uc, uint64_t pc, uint32_t size, void *user)
{
    sim_explain *x = user;
    if (pc != x->at || x->hit)
        return;
    x->hit = true;
    uc_emu_stop(uc);
}

bool sim_explain_arm(sim_explain *x, sim_machine *m, uint64_t at, GError **error)
{
    x->m = m;
    x->at = at;
    x->hit = false;
    uc_err err = uc_hook_add(m->fast_uc, &x->hook, UC_HOOK_CODE, on_break, x, at, at);
    /* In detailed mode the guest may run on the other engine. */
    if (err == UC_ERR_OK && m->uc != m->fast_uc)
        err = uc_hook_add(m->uc, &x->detailed_hook, UC_HOOK_CODE, on_break, x, at, at);
    if (err != UC_ERR_OK) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "Unicorn: breakpoint: %s",
                    uc_strerror(err));
        return false;
    }
    return true;
}

static const char *perms_str(unsigned perms, char buf[4])
{
    return sim_perms_string(perms, buf);
}

/* Root VMAR, sub-VMARs, and the mapping (or the gap) va falls in. */
static void print_regions(vm_aspace *as, uint64_t va, FILE *out)
{
    vm_vmar *vmar = as->root;
    fprintf(out, "VMAR tree:\n  root VMAR [" HEX ", " HEX ") koid %" G_GUINT64_FORMAT "\n",
            vmar->region.base, vm_region_end(&vmar->region), vmar->obj.koid);
    if (va < vmar->region.base || va >= vm_region_end(&vmar->region)) {
        fprintf(out, "  the address is outside the user address space\n");
        return;
    }
    for (int depth = 2;; depth++) {
        vm_region *r = vm_vmar_child_at(vmar, va);
        if (r == NULL) {
            fprintf(out, "%*sno mapping or sub-VMAR covers the address\n", depth * 2, "");
            return;
        }
        if (r->kind == VM_REGION_VMAR) {
            vmar = vm_vmar_from_region(r);
            fprintf(out, "%*ssub-VMAR [" HEX ", " HEX ") koid %" G_GUINT64_FORMAT "\n", depth * 2,
                    "", r->base, vm_region_end(r), vmar->obj.koid);
            continue;
        }
        vm_mapping *m = vm_mapping_from_region(r);
        char p1[4], p2[4];
        uint64_t offset = m->vmo_offset + (va - r->base);
        fprintf(out,
                "%*smapping [" HEX ", " HEX ") %s (max %s) of VMO \"%s\" koid %" G_GUINT64_FORMAT
                ", offset " HEX " (page %" G_GUINT64_FORMAT " of the VMO)\n",
                depth * 2, "", r->base, vm_region_end(r), perms_str(vm_mapping_perms_at(m, va), p1),
                perms_str(m->max_perms, p2), m->vmo->name, m->vmo->obj.koid, offset, offset >> 12);
        return;
    }
}

static void print_index_bits(uint64_t va, FILE *out)
{
    fprintf(out, "index bits (4 KiB pages, 4 levels of 512 entries):\n ");
    for (int level = 0; level < MMU_PT_LEVELS; level++) {
        int hi = 47 - 9 * level, lo = 39 - 9 * level;
        fprintf(out, " L%d va[%d:%d]=%u", level, hi, lo, mmu_pt_index(va, level));
    }
    fprintf(out, "  offset va[11:0]=0x%03x\n", (unsigned)(va & MMU_PAGE_MASK));
}

static const char *fatal_why(zx_status_t st)
{
    switch (st) {
    case ZX_ERR_NOT_FOUND:
        return "no mapping covers the address";
    case ZX_ERR_ACCESS_DENIED:
        return "the mapping does not allow it";
    case ZX_ERR_OUT_OF_RANGE:
        return "the page is beyond the end of the VMO";
    default:
        return "the kernel cannot resolve it";
    }
}

static void print_access(vm_aspace *as, uint64_t va, unsigned access, FILE *out)
{
    vm_fault_prediction f;
    vm_fault_predict(as, va, access, &f);
    fprintf(out, "  %-7s ", tr_access_name(access));
    if (!f.needs_fault) {
        fprintf(out, "no fault: the entry allows it\n");
        return;
    }
    if (f.status != ZX_OK) {
        fprintf(out, "page fault, fatal: %s (the guest would stop here)\n", fatal_why(f.status));
        return;
    }
    uint64_t pa;
    unsigned perms;
    bool present = mmu_pt_lookup(as->pt, va, &pa, &perms);
    fprintf(out, "page fault (%s); the kernel would ",
            present ? "the entry does not allow it" : "no entry");
    switch (f.kind) {
    case TR_FAULT_ZERO_PAGE:
        fprintf(out,
                "map the shared zero page read-only: page %" G_GUINT64_FORMAT
                " of the VMO is not committed (zero-page)\n",
                f.vmo_index);
        break;
    case TR_FAULT_DEMAND_ZERO:
        fprintf(out,
                "commit a fresh zero-filled frame for page %" G_GUINT64_FORMAT
                " of the VMO and map it (demand-zero)\n",
                f.vmo_index);
        break;
    case TR_FAULT_COW_COPY:
        fprintf(out,
                "copy frame " HEX " (shared by %u VMOs) into a private frame and map that "
                "writable (copy-on-write)\n",
                (uint64_t)f.frame << 12, f.holders);
        break;
    default:
        fprintf(out, "map the committed frame " HEX " (map-committed)\n", (uint64_t)f.frame << 12);
        break;
    }
}

/* "L1D set 12 way 3 hit, L2 set 40 miss": the present levels, looked at
 * without disturbing them. */
static void print_cache_levels(const mmu_hw *hw, uint64_t pa, FILE *out)
{
    static const char *const names[] = {"L1D", "L2", "L3"};
    const char *sep = "";
    for (int l = TR_CACHE_L1D; l < TR_CACHE_LEVELS; l++) {
        mmu_hw_probe p;
        if (!mmu_hw_probe_cache(hw, (tr_cache_level)l, pa, &p))
            continue;
        fprintf(out, "%s%s set %u ", sep, names[l - TR_CACHE_L1D], p.set);
        if (p.hit)
            fprintf(out, "way %u hit", p.way);
        else
            fputs("miss", out);
        sep = ", ";
    }
    fputc('\n', out);
}

/* Detailed mode: where the TLBs and caches hold this translation, its
 * page-table entries and the data now, from read-only probes. */
static void print_hardware(sim_machine *m, uint64_t va, FILE *out)
{
    const mmu_hw *hw = sim_detailed_hw(m->detailed);
    vm_aspace *as = m->proc->aspace;
    fprintf(out, "hardware model (profile %s), as it stands now:\n", mmu_hw_config_get(hw)->name);
    static const char *const tlbs[] = {"L1D", "L2"};
    static const tr_tlb_level levels[] = {TR_TLB_L1D, TR_TLB_L2};
    fputs("  TLB lookup:", out);
    const char *sep = " ";
    for (int i = 0; i < 2; i++) {
        mmu_hw_probe p;
        if (!mmu_hw_probe_tlb(hw, levels[i], as->asid, va, &p))
            continue;
        fprintf(out, "%s%s set %u ", sep, tlbs[i], p.set);
        if (p.hit)
            fprintf(out, "way %u hit", p.way);
        else
            fputs("miss", out);
        sep = ", ";
    }
    fputc('\n', out);
    mmu_walk w;
    mmu_pt_walk(as->pt, va, &w);
    for (int level = 0; level < w.levels_read; level++) {
        fprintf(out, "  L%d entry at " HEX ": ", level, w.entry_pa[level]);
        print_cache_levels(hw, w.entry_pa[level], out);
    }
    if (w.present) {
        fprintf(out, "  data at " HEX ": ", w.pa);
        print_cache_levels(hw, w.pa, out);
    }
}

void sim_explain_print(sim_machine *m, const sim_symbols *syms, uint64_t va, FILE *out)
{
    vm_aspace *as = m->proc->aspace;
    fprintf(out, "virtual address " HEX, va);
    uint64_t off;
    const char *name = sim_symbols_at(syms, va, &off);
    if (name)
        fprintf(out, " (%s+%" G_GUINT64_FORMAT ")", name, off);
    fputc('\n', out);
    print_regions(as, va, out);
    print_index_bits(va, out);
    sim_report_walk(m, va, out, "");
    uint64_t pa;
    unsigned perms;
    char p[4];
    if (mmu_pt_lookup(as->pt, va, &pa, &perms))
        fprintf(out,
                "translation: pa " HEX " (frame " HEX " + offset 0x%03x), the entry allows %s\n",
                pa, (uint64_t)(pa & ~MMU_PAGE_MASK), (unsigned)(va & MMU_PAGE_MASK),
                perms_str(perms, p));
    else
        fprintf(out, "translation: none yet (no present leaf entry)\n");
    if (m->detailed)
        print_hardware(m, va, out);
    fprintf(out, "what each access would do now:\n");
    print_access(as, va, TR_ACCESS_READ, out);
    print_access(as, va, TR_ACCESS_WRITE, out);
    print_access(as, va, TR_ACCESS_EXEC, out);
}

static int usage(void)
{
    fprintf(stderr, "zxsim: usage: zxsim explain GUEST.elf --at SYMBOL|ADDR --va SYMBOL|VA "
                    "[--model=detailed] [--profile=NAME] [--set=KEY=VALUE] [GUEST-ARGS...]\n");
    return SIM_EXIT_BAD_INPUT;
}

/* "--at X" or "--at=X"; advances *i past what it took. */
static bool take(int argc, char **argv, int *i, const char *name, const char **value)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return false;
    if (argv[*i][n] == '=') {
        *value = argv[*i] + n + 1;
        (*i)++;
        return true;
    }
    if (argv[*i][n] == '\0' && *i + 1 < argc) {
        *value = argv[*i + 1];
        *i += 2;
        return true;
    }
    return false;
}

int sim_explain_main(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-')
        return usage();
    const char *at = NULL, *va = NULL;
    /* The hardware model's options go to the ordinary parser, as they
     * would on a run: "zxsim --model=detailed ... GUEST ARGS". */
    GPtrArray *run_argv = g_ptr_array_new();
    g_ptr_array_add(run_argv, argv[0]);
    int i = 2;
    for (;;) {
        if (i < argc && (take(argc, argv, &i, "--at", &at) || take(argc, argv, &i, "--va", &va)))
            continue;
        if (i < argc &&
            (g_str_has_prefix(argv[i], "--model=") || g_str_has_prefix(argv[i], "--profile=") ||
             g_str_has_prefix(argv[i], "--set=") || !strcmp(argv[i], "--detail"))) {
            g_ptr_array_add(run_argv, argv[i++]);
            continue;
        }
        break;
    }
    if (at == NULL || va == NULL) {
        g_ptr_array_free(run_argv, TRUE);
        return usage();
    }
    /* The guest's argv: its path, then whatever follows our options. */
    g_ptr_array_add(run_argv, argv[1]);
    for (int j = i; j < argc; j++)
        g_ptr_array_add(run_argv, argv[j]);
    sim_options opts;
    bool exit_now = false;
    if (!sim_options_parse((int)run_argv->len, (char **)run_argv->pdata, &opts, &exit_now) ||
        exit_now) {
        g_ptr_array_free(run_argv, TRUE);
        return exit_now ? 0 : SIM_EXIT_BAD_INPUT;
    }
    opts.explain_at = at;
    opts.explain_va = va;
    int status = sim_run(&opts);
    sim_options_clear(&opts);
    g_ptr_array_free(run_argv, TRUE);
    return status;
}
