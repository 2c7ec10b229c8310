#include "report.h"

#include "insn_decode.h"
#include "vm/aspace.h"
#include "vm/kernel.h"
#include "vm/mapping.h"
#include "vm/usercopy.h"
#include "vm/vmar.h"
#include "vm/vmo.h"

#include <string.h>

const char *sim_perms_string(unsigned perms, char buf[4])
{
    buf[0] = (perms & MMU_PERM_READ) ? 'r' : '-';
    buf[1] = (perms & MMU_PERM_WRITE) ? 'w' : '-';
    buf[2] = (perms & MMU_PERM_EXEC) ? 'x' : '-';
    buf[3] = '\0';
    return buf;
}

/* Up to 16 bytes of code at pc, read as a debugger would (no faults). */
static size_t read_code(sim_machine *m, uint64_t pc, uint8_t *buf)
{
    return vm_peek_user(m->proc->aspace, pc, buf, 16);
}

/* Decodes the instruction at pc; false when its bytes are not readable. */
static bool decode_at_pc(sim_machine *m, uint64_t pc, sim_insn_info *info)
{
    uint8_t code[16];
    size_t len = read_code(m, pc, code);
    memset(info, 0, sizeof *info);
    if (len == 0)
        return false;
    sim_insn_decode(m->isa->isa, m->uc, code, len, pc, info);
    return true;
}

static const char *why(zx_status_t status)
{
    switch (status) {
    case ZX_ERR_NOT_FOUND:
        return "not mapped";
    case ZX_ERR_ACCESS_DENIED:
        return "permission denied";
    case ZX_ERR_OUT_OF_RANGE:
        return "beyond the end of the VMO";
    case ZX_ERR_NO_MEMORY:
        return "out of simulated RAM";
    default:
        return "internal error";
    }
}

static void describe_place(sim_machine *m, uint64_t addr, FILE *out)
{
    vm_aspace *as = m->proc->aspace;
    vm_mapping *map = vm_aspace_find_mapping(as, addr);
    char p1[4], p2[4];
    if (map != NULL) {
        vm_vmo *v = map->vmo;
        fprintf(out,
                "zxsim:   mapping [0x%" G_GINT64_MODIFIER "x, 0x%" G_GINT64_MODIFIER
                "x) %s (max %s) of VMO \"%s\" (koid %" G_GUINT64_FORMAT
                ", size 0x%" G_GINT64_MODIFIER "x) at offset 0x%" G_GINT64_MODIFIER "x\n",
                map->region.base, map->region.base + map->region.size,
                sim_perms_string(vm_mapping_perms_at(map, addr), p1),
                sim_perms_string(map->max_perms, p2), v->name, v->obj.koid, vm_vmo_size(v),
                map->vmo_offset + (addr - map->region.base));
        return;
    }
    /* Say where the address lies: inside which region, next to what. */
    vm_vmar *vmar = as->root;
    for (;;) {
        vm_region *r = vm_vmar_child_at(vmar, addr);
        if (r == NULL || r->kind != VM_REGION_VMAR)
            break;
        vmar = vm_vmar_from_region(r);
    }
    uint64_t root_end = as->root->region.base + as->root->region.size;
    if (addr < as->root->region.base || addr >= root_end) {
        fprintf(out,
                "zxsim:   no mapping: the address is outside the user address space "
                "[0x%" G_GINT64_MODIFIER "x, 0x%" G_GINT64_MODIFIER "x)\n",
                as->root->region.base, root_end);
    } else if (vmar != as->root) {
        fprintf(
            out,
            "zxsim:   no mapping: the address is in an unmapped part of VMAR [0x%" G_GINT64_MODIFIER
            "x, 0x%" G_GINT64_MODIFIER "x)%s\n",
            vmar->region.base, vmar->region.base + vmar->region.size,
            addr < vmar->region.base + 0x10000 ? " (a stack guard?)" : "");
    } else {
        fprintf(out, "zxsim:   no mapping covers the address\n");
    }
}

/* The walk the hardware makes for addr, one line per level, with the bits
 * of each entry decoded: what a student checks against the fault. */
void sim_report_walk(sim_machine *m, uint64_t addr, FILE *out, const char *prefix)
{
    const mmu_page_table *pt = m->proc->aspace->pt;
    mmu_walk w;
    mmu_pt_walk(pt, addr, &w);
    fprintf(out, "%spage-table walk (%s, root 0x%" G_GINT64_MODIFIER "x):\n", prefix, pt->fmt->name,
            pt->root);
    if (w.levels_read == 0) {
        fprintf(out, "%s  beyond the %d-bit virtual address space: no walk\n", prefix, MMU_VA_BITS);
        return;
    }
    GString *bits = g_string_new(NULL);
    for (int level = 0; level < w.levels_read; level++) {
        g_string_truncate(bits, 0);
        pt->fmt->describe(w.entry[level], level, bits);
        fprintf(
            out, "%s  L%d[%3u] at 0x%" G_GINT64_MODIFIER "x = 0x%016" G_GINT64_MODIFIER "x  %s\n",
            prefix, level, mmu_pt_index(addr, level), w.entry_pa[level], w.entry[level], bits->str);
    }
    g_string_free(bits, TRUE);
}

void sim_report_fault(sim_machine *m, FILE *out, bool explain)
{
    uint64_t pc = sim_machine_pc(m);
    sim_insn_info info;
    bool readable = decode_at_pc(m, pc, &info);
    bool exact = false;
    uint64_t addr = sim_insn_fault_address(&info, m->fault.page, m->uc_page_size,
                                           m->fault.access == TR_ACCESS_WRITE,
                                           m->fault.access == TR_ACCESS_EXEC, pc, &exact);
    fprintf(out, "zxsim: fatal page fault: %s at 0x%016" G_GINT64_MODIFIER "x%s: %s\n",
            tr_access_name(m->fault.access), addr, exact ? "" : " (page; exact address unknown)",
            why(m->fault.status));
    fprintf(out, "zxsim:   pc 0x%016" G_GINT64_MODIFIER "x: %s\n", pc,
            readable ? info.text : "(instruction not readable)");
    describe_place(m, addr, out);
    if (explain)
        sim_report_walk(m, addr, out, "zxsim:   ");
}

void sim_report_exception(sim_machine *m, FILE *out)
{
    uint64_t pc = sim_machine_pc(m);
    sim_insn_info info;
    bool readable = decode_at_pc(m, pc, &info);
    fprintf(out, "zxsim: fatal CPU exception: %s (%u)\n",
            m->isa->exception_name(m->exception_intno), m->exception_intno);
    fprintf(out, "zxsim:   pc 0x%016" G_GINT64_MODIFIER "x: %s\n", pc,
            readable ? info.text : "(instruction not readable)");
}

void sim_report_summary(sim_machine *m, FILE *out, const char *outcome, double seconds)
{
    vm_kernel *k = m->k;
    const vm_kernel_stats *s = &k->stats;
    fprintf(out, "zxsim: %s\n", outcome);
    fprintf(out, "  isa            %s, %" G_GUINT64_FORMAT " MiB RAM, %.6f s host time\n",
            m->isa->name, k->pmm->nframes / 256, seconds);
    fprintf(out, "  syscalls       %" G_GUINT64_FORMAT "\n", s->syscalls);
    fprintf(out, "  page faults    %" G_GUINT64_FORMAT " (", s->faults);
    for (int kind = 0; kind < TR_FAULT_KINDS; kind++)
        fprintf(out, "%s%s %" G_GUINT64_FORMAT, kind ? ", " : "", tr_fault_kind_name(kind),
                s->faults_by_kind[kind]);
    fprintf(out, ")\n");
    uint64_t tables = m->proc->aspace->pt->table_frames;
    fprintf(out,
            "  frames         %" G_GUINT64_FORMAT " in use at exit (committed %" G_GUINT64_FORMAT
            ", page tables %" G_GUINT64_FORMAT ", zero page 1), peak %" G_GUINT64_FORMAT
            " of %" G_GUINT64_FORMAT "\n",
            k->pmm->in_use, vm_kernel_committed_frames(k), tables, k->pmm->peak_in_use,
            k->pmm->nframes);
    /* Unicorn can only flush whole: a shootdown flushes once, and the
     * machine flushes on its own to let Unicorn's TLB grow and, in
     * detailed mode, when a frame has no free alias left. */
    uint64_t alias = m->tlb_flushes - m->tlb_shootdown_flushes - m->tlb_grow_flushes;
    fprintf(out,
            "  shootdowns     %" G_GUINT64_FORMAT " (by address %" G_GUINT64_FORMAT
            ", by ASID %" G_GUINT64_FORMAT ", all %" G_GUINT64_FORMAT ")\n",
            s->shootdowns, s->shootdowns_by_kind[TR_SHOOTDOWN_ADDR],
            s->shootdowns_by_kind[TR_SHOOTDOWN_ASID], s->shootdowns_by_kind[TR_SHOOTDOWN_ALL]);
    fprintf(out,
            "  Unicorn TLB    %" G_GUINT64_FORMAT " fills, %" G_GUINT64_FORMAT
            " flushes (%" G_GUINT64_FORMAT " for shootdowns, %" G_GUINT64_FORMAT
            " to let it grow%s",
            m->tlb_fills, m->tlb_flushes, m->tlb_shootdown_flushes, m->tlb_grow_flushes,
            m->detailed ? ", " : ")\n");
    if (m->detailed)
        fprintf(out, "%" G_GUINT64_FORMAT " for want of a free alias)\n", alias);
}
