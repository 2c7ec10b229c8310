#include "gdbstub.h"

#include "gdb_regs.h"
#include "uc_control.h"
#include "vm/fault.h"
#include "vm/kernel.h"
#include "vm/pmm.h"
#include "vm/process.h"
#include "vm/usercopy.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* While running freely, the stub looks for GDB's interrupt byte this
 * often (host time). */
#define SLICE_US 100000
/* The most memory one `m` answer carries; GDB asks again for the rest. */
#define MAX_MEM_READ 2048

typedef enum run_stop {
    RUN_NONE,
    RUN_STEPPED,
    RUN_BREAKPOINT,
    RUN_INTERRUPTED,
} run_stop;

typedef struct session {
    sim_gdb_conn *conn;
    sim_machine *m;
    const sim_gdb_regs *regs;
    GHashTable *breakpoints; /* guest pcs (uint64_t keys) */
    /* Where GDB wrote a trap instruction itself (when it does not use Z0):
     * a trap there is GDB's breakpoint, not the guest's own. */
    GHashTable *traps;
    /* Code hooks, only while something needs them: one over every address
     * while stepping, and one per breakpoint address, so that a continue
     * runs every other instruction at full speed. */
    uc_hook step_hook;
    bool step_hooked;
    GHashTable *bp_hooks; /* breakpoint address -> its uc_hook */
    /* Set by the resume, read by the hooks. */
    bool stepping;
    bool first_insn; /* the instruction a resume starts at always runs */
    uint64_t resume_pc;
    run_stop stop;
    /* The guest stopped for good: exited, died, or GDB ended the run. */
    bool finished;
    sim_stop_reason result;
    /* The last stop was a fatal fault or exception (the signal GDB was
     * told). Resuming with that signal delivers it and the guest dies;
     * resuming without one runs the instruction again, as on a native
     * target (GDB does so after its own calls into the guest). */
    bool dying;
    int dying_signal;
    sim_stop_reason dying_reason;
    GString *last_stop; /* the stop reply `?` repeats */
    GString *reply;
} session;

static inline uc_err flush_translated_code(uc_engine *uc)
{
    return uc_ctl(uc, SIM_UC_CTL(UC_CTL_TB_FLUSH, 0, UC_CTL_IO_WRITE));
}

bool sim_gdb_parse_address(const char *text, uint16_t *port, const char **why)
{
    const char *colon = strrchr(text, ':');
    const char *digits = text;
    if (colon) {
        g_autofree char *host = g_strndup(text, colon - text);
        if (*host && strcmp(host, "127.0.0.1") != 0 && strcmp(host, "localhost") != 0) {
            *why = "the stub listens on 127.0.0.1 only: give PORT or 127.0.0.1:PORT";
            return false;
        }
        digits = colon + 1;
    }
    char *end;
    guint64 value = g_ascii_strtoull(digits, &end, 10);
    if (*digits == '\0' || !g_ascii_isdigit(*digits) || *end != '\0' || value > 65535) {
        *why = "a TCP port from 0 to 65535 (0 picks a free one)";
        return false;
    }
    *port = (uint16_t)value;
    return true;
}

bool sim_gdb_stub_listen(sim_gdb_stub *stub, uint16_t port, GError **error)
{
    return sim_gdb_conn_listen(&stub->conn, port, error);
}

void sim_gdb_stub_close(sim_gdb_stub *stub)
{
    sim_gdb_conn_close(&stub->conn);
}

/* Before every instruction while stepping: the second one stops. */
static void on_step(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    session *s = user;
    if (s->first_insn) {
        s->first_insn = false;
        return;
    }
    s->stop = RUN_STEPPED;
    uc_emu_stop(uc);
}

/* Before the instruction at a breakpoint. The first instruction of a
 * resume runs even there: GDB resumes from the breakpoint it stopped at. */
static void on_breakpoint(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    session *s = user;
    if (s->stepping)
        return;
    if (s->first_insn) {
        s->first_insn = false;
        if (address == s->resume_pc)
            return;
    }
    if (g_hash_table_contains(s->breakpoints, &address)) {
        s->stop = RUN_BREAKPOINT;
        uc_emu_stop(uc);
    }
}

/* The machine's outcome after uc_emu_start returned: true with *why set if
 * the guest cannot run on. */
static bool ended(sim_machine *m, sim_stop_reason *why)
{
    if (m->proc->exited)
        *why = SIM_STOP_EXITED;
    else if (m->proc->killed)
        *why = SIM_STOP_KILLED;
    else if (m->fault_pending)
        *why = SIM_STOP_FAULT;
    else if (m->exception_pending)
        *why = SIM_STOP_EXCEPTION;
    else if (m->error == UC_ERR_INSN_INVALID) {
        m->exception_pending = true;
        m->exception_intno = m->isa->isa == SIM_ISA_X86_64 ? 6 : 1;
        *why = SIM_STOP_EXCEPTION;
    } else if (m->error != UC_ERR_OK)
        *why = SIM_STOP_ERROR;
    else
        return false;
    return true;
}

/* Runs from the current pc until a step, a breakpoint, GDB's interrupt or
 * the guest's end. Returns false with *why when the guest ended. */
/* The guest stopped at a trap GDB planted: report a breakpoint at its
 * address, as GDB expects when the stub says swbreak (x86-64's int3 leaves
 * pc after itself; arm64's brk leaves it at the brk). */
static bool at_gdb_trap(session *s)
{
    sim_machine *m = s->m;
    bool x86 = m->isa->isa == SIM_ISA_X86_64;
    if (m->exception_intno != (x86 ? 3u : 7u))
        return false;
    uint64_t pc = sim_machine_pc(m) - (x86 ? 1 : 0);
    if (!g_hash_table_contains(s->traps, &pc))
        return false;
    uc_reg_write(m->uc, m->isa->pc_reg, &pc);
    m->exception_pending = false;
    return true;
}

/* Makes the hooks match what the next resume needs. Unicorn decides at
 * translation whether an instruction calls a hook, so after adding one the
 * code translated so far is dropped; Unicorn itself drops the code that
 * calls a hook it deletes. GDB removes and inserts its breakpoints around
 * every stop: comparing here, at the resume, leaves the code alone when the
 * set is the same. */
static uc_err sync_hooks(session *s, bool step)
{
    uc_engine *uc = s->m->uc;
    bool added = false;
    uc_err err = UC_ERR_OK;
    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init(&it, s->bp_hooks);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        if (!g_hash_table_contains(s->breakpoints, key)) {
            uc_hook_del(uc, (uc_hook)GPOINTER_TO_SIZE(value));
            g_hash_table_iter_remove(&it);
        }
    }
    g_hash_table_iter_init(&it, s->breakpoints);
    while (err == UC_ERR_OK && g_hash_table_iter_next(&it, &key, NULL)) {
        if (g_hash_table_contains(s->bp_hooks, key))
            continue;
        uint64_t addr = *(const uint64_t *)key;
        uc_hook h;
        err = uc_hook_add(uc, &h, UC_HOOK_CODE, on_breakpoint, s, addr, addr);
        if (err == UC_ERR_OK) {
            g_hash_table_insert(s->bp_hooks, g_memdup2(&addr, sizeof addr), GSIZE_TO_POINTER(h));
            added = true;
        }
    }
    if (err == UC_ERR_OK && step != s->step_hooked) {
        err = step ? uc_hook_add(uc, &s->step_hook, UC_HOOK_CODE, on_step, s, 1, 0)
                   : uc_hook_del(uc, s->step_hook);
        if (err == UC_ERR_OK) {
            s->step_hooked = step;
            added |= step;
        }
    }
    if (err == UC_ERR_OK && added)
        err = flush_translated_code(uc);
    return err;
}

static bool resume(session *s, bool step, sim_stop_reason *why)
{
    sim_machine *m = s->m;
    s->stepping = step;
    s->first_insn = true;
    s->resume_pc = sim_machine_pc(m);
    s->stop = RUN_NONE;
    m->error = sync_hooks(s, step);
    if (m->error != UC_ERR_OK) {
        *why = SIM_STOP_ERROR;
        return false;
    }
    /* Set by earlier stops, or by Unicorn translating pages while it
     * dropped code (the boot ROM's is gone once the guest runs). */
    m->fault_pending = m->exception_pending = false;
    for (;;) {
        m->error = uc_emu_start(m->uc, sim_machine_pc(m), 0, step ? 0 : SLICE_US, 0);
        if (ended(m, why)) {
            if (*why == SIM_STOP_EXCEPTION && at_gdb_trap(s)) {
                s->stop = RUN_BREAKPOINT;
                return true;
            }
            return false;
        }
        if (s->stop != RUN_NONE)
            return true;
        /* The slice's time ran out. */
        sim_gdb_recv r = sim_gdb_conn_poll(s->conn);
        if (r == SIM_GDB_INTERRUPT) {
            s->stop = RUN_INTERRUPTED;
            return true;
        }
        if (r == SIM_GDB_CLOSED) {
            /* GDB went away while the guest ran: the run ends, as when
             * GDB kills it. */
            *why = SIM_STOP_DEBUGGER;
            return false;
        }
        s->first_insn = false;
    }
}

/* The signal a native debugger would show for a CPU exception. */
static int exception_signal(sim_machine *m)
{
    uint32_t n = m->exception_intno;
    if (m->isa->isa == SIM_ISA_ARM64) {
        switch (n) {
        case 1: /* undefined instruction */
            return SIGILL;
        case 3: /* prefetch abort */
            return SIGSEGV;
        case 4: /* alignment */
            return SIGBUS;
        case 7: /* brk */
            return SIGTRAP;
        default:
            return SIGILL;
        }
    }
    switch (n) {
    case 0:
    case 16:
    case 19:
        return SIGFPE;
    case 1:
    case 3:
        return SIGTRAP;
    case 4:
    case 5:
    case 13:
        return SIGSEGV;
    case 17:
        return SIGBUS;
    default:
        return SIGILL;
    }
}

/* Sets the stop reply for how the last resume ended. */
static void stopped(session *s, bool alive, sim_stop_reason why)
{
    GString *r = s->last_stop;
    if (alive) {
        int sig = s->stop == RUN_INTERRUPTED ? SIGINT : SIGTRAP;
        g_string_printf(r, "T%02xthread:1;%s", sig, s->stop == RUN_BREAKPOINT ? "swbreak:;" : "");
        return;
    }
    switch (why) {
    case SIM_STOP_EXITED:
        g_string_printf(r, "W%02x", (unsigned)(s->m->proc->retcode & 0xff));
        s->finished = true;
        break;
    case SIM_STOP_FAULT:
    case SIM_STOP_EXCEPTION:
        /* Stopped at the faulting instruction, registers intact: GDB can
         * look before the guest dies. */
        s->dying = true;
        s->dying_signal = why == SIM_STOP_FAULT ? SIGSEGV : exception_signal(s->m);
        s->dying_reason = why;
        g_string_printf(r, "T%02xthread:1;", s->dying_signal);
        break;
    default:
        g_string_printf(r, "X%02x", SIGKILL);
        s->finished = true;
        break;
    }
    s->result = why;
}

/* ---- memory ---- */

static void hex_bytes(GString *out, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++)
        g_string_append_printf(out, "%02x", data[i]);
}

/* Decodes 2*len hex digits; false on anything else. */
static bool unhex(const char *hex, size_t len, uint8_t *out)
{
    for (size_t i = 0; i < len; i++) {
        if (!g_ascii_isxdigit(hex[2 * i]) || !g_ascii_isxdigit(hex[2 * i + 1]))
            return false;
        out[i] =
            (uint8_t)(g_ascii_xdigit_value(hex[2 * i]) * 16 + g_ascii_xdigit_value(hex[2 * i + 1]));
    }
    return true;
}

/* "ADDR,LEN" followed by `term` (or the end when term is 0). */
static bool parse_addr_len(const char *p, uint64_t *addr, uint64_t *len, char term,
                           const char **rest)
{
    char *end;
    *addr = g_ascii_strtoull(p, &end, 16);
    if (end == p || *end != ',')
        return false;
    p = end + 1;
    *len = g_ascii_strtoull(p, &end, 16);
    if (end == p || *end != term)
        return false;
    if (rest)
        *rest = term ? end + 1 : end;
    return true;
}

/* Writes guest memory the way a debugger's poke does: through the guest's
 * page tables, committing or copying the page exactly as a user write
 * would; a page the guest may not write (its text, for breakpoints) is
 * written in its frame with the guest's permissions unchanged, unless the
 * frame is shared (the zero page, copy-on-write) and the write would leak
 * into other mappings. */
static bool write_guest(session *s, uint64_t va, const uint8_t *data, size_t len)
{
    vm_aspace *as = s->m->proc->aspace;
    vm_kernel *k = s->m->k;
    bool code = false;
    while (len > 0) {
        size_t chunk = MIN(len, VM_PAGE_SIZE - (va & VM_PAGE_MASK));
        uint64_t pa;
        unsigned perms;
        zx_status_t st = vm_translate(as, va, TR_ACCESS_WRITE, false, &pa, &perms);
        if (st == ZX_ERR_ACCESS_DENIED) {
            st = vm_translate(as, va, TR_ACCESS_READ, false, &pa, &perms);
            if (st != ZX_OK)
                st = vm_translate(as, va, TR_ACCESS_EXEC, false, &pa, &perms);
            uint32_t frame = vm_pmm_frame(pa);
            if (st == ZX_OK && (frame == VM_ZERO_FRAME || k->pmm->page_refs[frame] > 1))
                st = ZX_ERR_ACCESS_DENIED;
        }
        if (st != ZX_OK)
            return false;
        memcpy(mmu_phys_ptr(k->mem, pa), data, chunk);
        code |= (perms & MMU_PERM_EXEC) != 0;
        va += chunk;
        data += chunk;
        len -= chunk;
    }
    /* Unicorn keeps code it translated from these bytes, and did not see
     * this write. */
    if (code)
        flush_translated_code(s->m->uc);
    sim_uc_flush_tlb(s->m->uc);
    return true;
}

/* Remembers where the bytes GDB wrote hold a trap instruction (int3;
 * brk #imm). */
static void note_traps(session *s, uint64_t va, const uint8_t *data, size_t len)
{
    bool x86 = s->m->isa->isa == SIM_ISA_X86_64;
    for (size_t i = 0; i < len; i++) {
        uint64_t at = va + i;
        g_hash_table_remove(s->traps, &at);
        bool trap;
        if (x86) {
            trap = data[i] == 0xcc;
        } else {
            uint32_t insn;
            trap = (at & 3) == 0 && i + 4 <= len &&
                   (memcpy(&insn, data + i, 4), (insn & 0xffe0001fu) == 0xd4200000u);
        }
        if (trap)
            g_hash_table_add(s->traps, g_memdup2(&at, sizeof at));
    }
}

static void cmd_read_memory(session *s, const char *args)
{
    uint64_t addr, len;
    if (!parse_addr_len(args, &addr, &len, 0, NULL)) {
        g_string_assign(s->reply, "E01");
        return;
    }
    len = MIN(len, MAX_MEM_READ);
    uint8_t buf[MAX_MEM_READ];
    size_t got = len ? vm_peek_user(s->m->proc->aspace, addr, buf, len) : 0;
    if (got == 0 && len > 0) {
        g_string_assign(s->reply, "E14");
        return;
    }
    hex_bytes(s->reply, buf, got);
}

static void cmd_write_memory(session *s, char *args, bool binary, size_t args_len)
{
    uint64_t addr, len;
    const char *data;
    if (!parse_addr_len(args, &addr, &len, ':', &data) || len > (1u << 20)) {
        g_string_assign(s->reply, "E01");
        return;
    }
    g_autofree uint8_t *buf = g_malloc(len ? len : 1);
    size_t have = args_len - (size_t)(data - args);
    if (binary) {
        have = sim_gdb_unescape((char *)data, have);
        if (have != len) {
            g_string_assign(s->reply, "E01");
            return;
        }
        memcpy(buf, data, len);
    } else if (have != 2 * len || !unhex(data, len, buf)) {
        g_string_assign(s->reply, "E01");
        return;
    }
    if (len > 0 && !write_guest(s, addr, buf, len)) {
        g_string_assign(s->reply, "E14");
        return;
    }
    note_traps(s, addr, buf, len);
    g_string_assign(s->reply, "OK");
}

/* ---- registers ---- */

static void cmd_read_registers(session *s)
{
    uint8_t buf[16];
    for (unsigned i = 0; i < s->regs->count; i++) {
        sim_gdb_reg_read(s->regs, s->m->uc, i, buf);
        hex_bytes(s->reply, buf, s->regs->regs[i].bytes);
    }
}

static void cmd_write_registers(session *s, const char *hex)
{
    size_t total = sim_gdb_regs_bytes(s->regs);
    if (strlen(hex) != 2 * total) {
        g_string_assign(s->reply, "E01");
        return;
    }
    g_autofree uint8_t *buf = g_malloc(total);
    if (!unhex(hex, total, buf)) {
        g_string_assign(s->reply, "E01");
        return;
    }
    size_t at = 0;
    for (unsigned i = 0; i < s->regs->count; i++) {
        sim_gdb_reg_write(s->regs, s->m->uc, i, buf + at);
        at += s->regs->regs[i].bytes;
    }
    g_string_assign(s->reply, "OK");
}

static void cmd_read_register(session *s, const char *args)
{
    char *end;
    guint64 n = g_ascii_strtoull(args, &end, 16);
    uint8_t buf[16];
    if (end == args || *end || n >= s->regs->count ||
        !sim_gdb_reg_read(s->regs, s->m->uc, (unsigned)n, buf)) {
        g_string_assign(s->reply, "E45");
        return;
    }
    hex_bytes(s->reply, buf, s->regs->regs[n].bytes);
}

static void cmd_write_register(session *s, const char *args)
{
    char *end;
    guint64 n = g_ascii_strtoull(args, &end, 16);
    uint8_t buf[16];
    if (end == args || *end != '=' || n >= s->regs->count ||
        strlen(end + 1) != 2 * s->regs->regs[n].bytes ||
        !unhex(end + 1, s->regs->regs[n].bytes, buf) ||
        !sim_gdb_reg_write(s->regs, s->m->uc, (unsigned)n, buf)) {
        g_string_assign(s->reply, "E45");
        return;
    }
    g_string_assign(s->reply, "OK");
}

/* ---- breakpoints ---- */

static void cmd_breakpoint(session *s, const char *args, bool insert)
{
    /* Z0 (software) and Z1 (hardware) are the same thing here; watchpoints
     * (Z2-Z4) are not offered. */
    if ((args[0] != '0' && args[0] != '1') || args[1] != ',')
        return;
    char *end;
    uint64_t addr = g_ascii_strtoull(args + 2, &end, 16);
    if (end == args + 2 || *end != ',') {
        g_string_assign(s->reply, "E01");
        return;
    }
    if (insert) {
        uint8_t byte;
        if (vm_peek_user(s->m->proc->aspace, addr, &byte, 1) != 1) {
            g_string_assign(s->reply, "E14");
            return;
        }
        g_hash_table_add(s->breakpoints, g_memdup2(&addr, sizeof addr));
    } else {
        g_hash_table_remove(s->breakpoints, &addr);
    }
    g_string_assign(s->reply, "OK");
}

/* ---- run control ---- */

/* c, s, C, S, vCont: resumes, and the reply is the stop that ends it.
 * signal is the one GDB passes to the guest (0: none). */
static void do_resume(session *s, bool step, int signal)
{
    if (s->dying && signal != 0) {
        /* The guest has no handlers: the signal kills it, and the run
         * ends with the report of the fault or exception. */
        g_string_printf(s->last_stop, "X%02x", s->dying_signal);
        s->finished = true;
        s->result = s->dying_reason;
        if (s->dying_reason == SIM_STOP_FAULT)
            s->m->fault_pending = true;
        else
            s->m->exception_pending = true;
        g_string_assign(s->reply, s->last_stop->str);
        return;
    }
    s->dying = false;
    sim_stop_reason why = SIM_STOP_ERROR;
    bool alive = resume(s, step, &why);
    stopped(s, alive, why);
    g_string_assign(s->reply, s->last_stop->str);
}

static void cmd_vcont(session *s, const char *args)
{
    if (strcmp(args, "?") == 0) {
        g_string_assign(s->reply, "vCont;c;C;s;S");
        return;
    }
    /* One thread: the first action decides ("s:1;c" steps thread 1). */
    if (args[0] != ';')
        return;
    char action = args[1];
    int signal = 0;
    if (action == 'C' || action == 'S')
        signal = (int)g_ascii_strtoull(args + 2, NULL, 16);
    if (action == 's' || action == 'S')
        do_resume(s, true, signal);
    else if (action == 'c' || action == 'C')
        do_resume(s, false, signal);
    else
        g_string_assign(s->reply, "E01");
}

/* `c [ADDR]`, `s [ADDR]`, `C SIG[;ADDR]`, `S SIG[;ADDR]`. */
static void cmd_resume(session *s, const char *args, bool step, bool has_signal)
{
    int signal = 0;
    const char *addr = args;
    if (has_signal) {
        signal = (int)g_ascii_strtoull(args, NULL, 16);
        addr = strchr(args, ';');
        addr = addr ? addr + 1 : NULL;
    }
    if (addr && *addr) {
        uint64_t pc = g_ascii_strtoull(addr, NULL, 16);
        uc_reg_write(s->m->uc, s->m->isa->pc_reg, &pc);
    }
    do_resume(s, step, signal);
}

/* ---- queries ---- */

static void cmd_xfer_features(session *s, const char *args)
{
    const char *prefix = "target.xml:";
    if (!g_str_has_prefix(args, prefix)) {
        g_string_assign(s->reply, "E00");
        return;
    }
    uint64_t off, len;
    if (!parse_addr_len(args + strlen(prefix), &off, &len, 0, NULL)) {
        g_string_assign(s->reply, "E01");
        return;
    }
    const char *xml = s->regs->xml;
    size_t total = strlen(xml);
    if (off >= total) {
        g_string_assign(s->reply, "l");
        return;
    }
    size_t n = MIN(len, total - off);
    g_string_append_c(s->reply, off + n < total ? 'm' : 'l');
    g_string_append_len(s->reply, xml + off, n);
}

static void cmd_query(session *s, const char *q)
{
    if (g_str_has_prefix(q, "qSupported"))
        g_string_assign(s->reply, "PacketSize=4000;qXfer:features:read+;swbreak+;hwbreak+;"
                                  "QStartNoAckMode+;vContSupported+");
    else if (g_str_has_prefix(q, "qXfer:features:read:"))
        cmd_xfer_features(s, q + strlen("qXfer:features:read:"));
    else if (strcmp(q, "qAttached") == 0)
        g_string_assign(s->reply, "0"); /* zxsim started it: quitting GDB kills it */
    else if (strcmp(q, "qC") == 0)
        g_string_assign(s->reply, "QC1");
    else if (strcmp(q, "qfThreadInfo") == 0)
        g_string_assign(s->reply, "m1");
    else if (strcmp(q, "qsThreadInfo") == 0)
        g_string_assign(s->reply, "l");
    else if (g_str_has_prefix(q, "qSymbol"))
        g_string_assign(s->reply, "OK");
}

/* Handles one packet; the reply (possibly empty: "not supported") goes to
 * s->reply. Returns false when no reply must be sent (k). */
static bool dispatch(session *s, GString *pkt)
{
    char *p = pkt->str;
    g_string_assign(s->reply, "");
    switch (p[0]) {
    case '?':
        g_string_assign(s->reply, s->last_stop->str);
        break;
    case 'q':
        cmd_query(s, p);
        break;
    case 'Q':
        if (strcmp(p, "QStartNoAckMode") == 0)
            g_string_assign(s->reply, "OK");
        break;
    case 'H':
    case 'T':
        g_string_assign(s->reply, "OK");
        break;
    case 'g':
        cmd_read_registers(s);
        break;
    case 'G':
        cmd_write_registers(s, p + 1);
        break;
    case 'p':
        cmd_read_register(s, p + 1);
        break;
    case 'P':
        cmd_write_register(s, p + 1);
        break;
    case 'm':
        cmd_read_memory(s, p + 1);
        break;
    case 'M':
        cmd_write_memory(s, p + 1, false, pkt->len - 1);
        break;
    case 'X':
        cmd_write_memory(s, p + 1, true, pkt->len - 1);
        break;
    case 'Z':
    case 'z':
        cmd_breakpoint(s, p + 1, p[0] == 'Z');
        break;
    case 'c':
    case 's':
        cmd_resume(s, p + 1, p[0] == 's', false);
        break;
    case 'C':
    case 'S':
        cmd_resume(s, p + 1, p[0] == 'S', true);
        break;
    case 'v':
        if (g_str_has_prefix(p, "vCont"))
            cmd_vcont(s, p + 5);
        else if (g_str_has_prefix(p, "vKill")) {
            g_string_assign(s->reply, "OK");
            s->finished = true;
            if (!s->dying)
                s->result = SIM_STOP_DEBUGGER;
        }
        break;
    case 'k':
        s->finished = true;
        if (!s->dying)
            s->result = SIM_STOP_DEBUGGER;
        return false;
    case 'D':
        g_string_assign(s->reply, "OK");
        break;
    default:
        break;
    }
    return true;
}

/* After a detach (or GDB going away) the guest runs on alone: no
 * breakpoints, no hook, so at full speed again. */
static sim_stop_reason run_detached(session *s)
{
    sim_machine *m = s->m;
    if (s->dying)
        return s->result;
    g_hash_table_remove_all(s->breakpoints);
    m->error = sync_hooks(s, false);
    m->fault_pending = m->exception_pending = false;
    if (m->error == UC_ERR_OK)
        m->error = uc_emu_start(m->uc, sim_machine_pc(m), 0, 0, 0);
    sim_stop_reason why = SIM_STOP_ERROR;
    ended(m, &why);
    return why;
}

sim_stop_reason sim_gdb_stub_serve(sim_gdb_stub *stub, sim_machine *m, const sim_entry_state *entry)
{
    session s = {
        .conn = &stub->conn,
        .m = m,
        .regs = sim_gdb_regs_for(m->isa),
        .breakpoints = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL),
        .traps = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL),
        .bp_hooks = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL),
        .last_stop = g_string_new(NULL),
        .reply = g_string_new(NULL),
        .result = SIM_STOP_ERROR,
    };
    sim_stop_reason why = SIM_STOP_ERROR;
    m->error = m->isa->prepare_entry(m->uc, entry);
    if (m->error == UC_ERR_OK)
        m->error = uc_reg_write(m->uc, m->isa->pc_reg, &m->isa->rom_va);
    if (m->error != UC_ERR_OK)
        goto out;
    /* The boot ROM's instruction enters user mode: GDB first sees the
     * guest at its entry point, before its first instruction. */
    if (!resume(&s, true, &why)) {
        s.result = why;
        goto out;
    }
    stopped(&s, true, why);

    fprintf(stderr, "zxsim: waiting for GDB on 127.0.0.1:%u\n", stub->conn.port);
    fflush(stderr);
    GError *err = NULL;
    if (!sim_gdb_conn_accept(&stub->conn, &err)) {
        fprintf(stderr, "zxsim: %s\n", err->message);
        g_error_free(err);
        s.result = SIM_STOP_DEBUGGER;
        goto out;
    }
    GString *pkt = g_string_new(NULL);
    bool detach = false;
    while (!s.finished && !detach) {
        sim_gdb_recv r = sim_gdb_conn_recv(&stub->conn, pkt);
        if (r == SIM_GDB_INTERRUPT)
            continue; /* already stopped */
        bool no_ack = r == SIM_GDB_PACKET && strcmp(pkt->str, "QStartNoAckMode") == 0;
        /* A lost connection ends the run, as a kill does. */
        if (r == SIM_GDB_CLOSED ||
            (dispatch(&s, pkt) && !sim_gdb_conn_send(&stub->conn, s.reply->str, s.reply->len) &&
             !s.finished)) {
            s.finished = true;
            if (!s.dying)
                s.result = SIM_STOP_DEBUGGER;
            break;
        }
        if (no_ack)
            stub->conn.no_ack = true;
        if (pkt->str[0] == 'D')
            detach = true;
    }
    g_string_free(pkt, TRUE);
    if (detach)
        s.result = run_detached(&s);
out:
    if (m->error != UC_ERR_OK && s.result == SIM_STOP_ERROR)
        s.result = SIM_STOP_ERROR;
    sim_gdb_conn_close(&stub->conn);
    g_hash_table_destroy(s.breakpoints);
    g_hash_table_destroy(s.traps);
    g_hash_table_destroy(s.bp_hooks);
    g_string_free(s.last_stop, TRUE);
    g_string_free(s.reply, TRUE);
    return s.result;
}
