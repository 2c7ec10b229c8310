#include "run.h"

#include "detailed_run.h"
#include "elf_image.h"
#include "gdbstub.h"
#include "host_ram.h"
#include "insn_decode.h"
#include "loader.h"
#include "machine.h"
#include "report.h"
#include "trace.h"
#include "signals.h"
#include "teach.h"
#include "vm/kernel.h"
#include "vm/process.h"

#include <signal.h>
#include <stdio.h>

static void console_write(void *ctx, const char *bytes, size_t len)
{
    fwrite(bytes, 1, len, stdout);
    fflush(stdout);
}

static int bad_input(GError *err)
{
    fprintf(stderr, "zxsim: %s\n", err->message);
    g_error_free(err);
    return SIM_EXIT_BAD_INPUT;
}

/* The exit status for a run that ended, and the outcome line for it. */
static int outcome(sim_machine *m, sim_stop_reason why, const sim_options *opts, GString *line)
{
    vm_process *p = m->proc;
    switch (why) {
    case SIM_STOP_EXITED: {
        int code = (int)(p->retcode & 0xff);
        g_string_printf(line, "guest exited with code %" G_GINT64_FORMAT, p->retcode);
        if (code == SIM_EXIT_BAD_INPUT || code == SIM_EXIT_GUEST_FAULT || code == SIM_EXIT_LIMIT)
            fprintf(stderr,
                    "zxsim: exit status %d is the guest's own zx_process_exit code, not a zxsim "
                    "outcome\n",
                    code);
        return code;
    }
    case SIM_STOP_FAULT:
        sim_report_fault(m, stderr, opts->explain);
        g_string_printf(line, "guest stopped by a fatal page fault (exit status 3)");
        return SIM_EXIT_GUEST_FAULT;
    case SIM_STOP_EXCEPTION:
        sim_report_exception(m, stderr);
        g_string_printf(line, "guest stopped by a CPU exception (exit status 3)");
        return SIM_EXIT_GUEST_FAULT;
    case SIM_STOP_KILLED:
        if (p->kill_reason && p->kill_syscall)
            fprintf(
                stderr,
                "zxsim: the kernel killed the guest: it %s (number %u), at pc 0x%" G_GINT64_MODIFIER
                "x\n",
                p->kill_reason, p->kill_syscall, sim_machine_pc(m));
        else
            fprintf(stderr, "zxsim: the kernel killed the guest: it %s\n",
                    p->kill_reason ? p->kill_reason : "misbehaved");
        g_string_printf(line, "guest killed by the kernel (exit status 3)");
        return SIM_EXIT_GUEST_FAULT;
    case SIM_STOP_BUDGET:
        fprintf(stderr,
                "zxsim: instruction budget of %" G_GUINT64_FORMAT
                " reached at pc 0x%" G_GINT64_MODIFIER "x (exit status 4)\n",
                opts->max_insns, sim_machine_pc(m));
        g_string_printf(line, "guest stopped at its instruction budget (exit status 4)");
        return SIM_EXIT_LIMIT;
    case SIM_STOP_TIMEOUT:
        fprintf(stderr,
                "zxsim: timeout of %g s reached at pc 0x%" G_GINT64_MODIFIER "x (exit status 4)\n",
                opts->timeout_s, sim_machine_pc(m));
        g_string_printf(line, "guest stopped by the timeout (exit status 4)");
        return SIM_EXIT_LIMIT;
    case SIM_STOP_DEBUGGER:
        fprintf(stderr,
                "zxsim: GDB killed the guest at pc 0x%" G_GINT64_MODIFIER "x (exit status %d)\n",
                sim_machine_pc(m), 128 + SIGKILL);
        g_string_printf(line, "guest killed from GDB (exit status %d)", 128 + SIGKILL);
        return 128 + SIGKILL;
    case SIM_STOP_SIGNAL: {
        int signo = sim_signals_pending();
        fprintf(stderr, "zxsim: stopped by %s at pc 0x%" G_GINT64_MODIFIER "x (exit status %d)\n",
                sim_signals_name(signo), sim_machine_pc(m), 128 + signo);
        g_string_printf(line, "guest stopped by %s (exit status %d)", sim_signals_name(signo),
                        128 + signo);
        return 128 + signo;
    }
    case SIM_STOP_ERROR:
        break;
    }
    fprintf(stderr,
            "zxsim: internal error: Unicorn stopped with \"%s\" at pc 0x%" G_GINT64_MODIFIER "x\n",
            uc_strerror(m->error), sim_machine_pc(m));
    g_string_printf(line, "internal error");
    return SIM_EXIT_INTERNAL;
}

int sim_run(const sim_options *opts)
{
    GError *err = NULL;
    g_autoptr(sim_elf_image) img = sim_elf_image_load(opts->guest_path, &err);
    if (img == NULL)
        return bad_input(err);
    const sim_isa_ops *isa = sim_isa_for_machine(img->machine);
    if (isa == NULL) {
        fprintf(stderr, "zxsim: %s: unsupported machine\n", opts->guest_path);
        return SIM_EXIT_BAD_INPUT;
    }
    const vm_arch *arch = isa->vm_arch;
    if (!sim_elf_image_check_layout(img, opts->guest_path, arch->user_base,
                                    arch->user_base + arch->user_size, &err))
        return bad_input(err);

    sim_gdb_stub gdb = {0};
    if (opts->gdb && !sim_gdb_stub_listen(&gdb, opts->gdb_port, &err))
        return bad_input(err);

    if (!sim_host_ram_check(opts->ram_bytes, &err))
        return bad_input(err);
    sim_signals_install();

    vm_kernel_config cfg = {
        .arch = arch,
        .ram_bytes = opts->ram_bytes,
        .seed = opts->seed,
        .aslr = opts->aslr,
        .discard_policy = opts->discard,
        .check_invariants = opts->check_invariants,
    };
    vm_kernel *k = vm_kernel_create(&cfg, &err);
    if (k == NULL)
        return bad_input(err);
    k->console = console_write;

    int status = SIM_EXIT_INTERNAL;
    sim_machine *m = sim_machine_create(isa, k, &err);
    if (m == NULL) {
        fprintf(stderr, "zxsim: %s\n", err->message);
        g_error_free(err);
        vm_kernel_destroy(k);
        return status;
    }
    sim_trace *trace = sim_trace_open(opts, m, &err);
    if (trace == NULL && err) {
        sim_machine_destroy(m);
        vm_kernel_destroy(k);
        return bad_input(err);
    }
    g_autofree char *name = g_path_get_basename(opts->guest_path);
    vm_process *p = vm_process_create(k, name, sim_machine_shootdown, m);
    sim_entry_state entry = {0};
    sim_teach teach = {0};
    if (p == NULL) {
        fprintf(stderr, "zxsim: %s: not enough simulated RAM for a process (raise --ram)\n",
                opts->guest_path);
        status = SIM_EXIT_BAD_INPUT;
    } else if (!sim_load_process(p, img, opts->guest_path, opts->guest_argc, opts->guest_argv,
                                 opts->stack_bytes, &entry, &err)) {
        status = bad_input(err);
    } else if (!sim_detailed_setup(m, opts, img, &err)) {
        status = bad_input(err);
    } else if (!sim_teach_begin(&teach, m, img, opts, &err)) {
        status = bad_input(err);
    } else if (!sim_trace_start(trace, &err)) {
        status = bad_input(err);
    } else {
        sim_machine_attach(m, p);
        gint64 start = g_get_monotonic_time();
        sim_stop_reason why = opts->gdb
                                  ? sim_gdb_stub_serve(&gdb, m, &entry)
                                  : sim_machine_run(m, &entry, opts->max_insns, opts->timeout_s);
        double seconds = (g_get_monotonic_time() - start) / 1e6;
        fflush(stdout);
        GString *line = g_string_new(NULL);
        if (!sim_teach_stopped(&teach, why, &status)) {
            status = outcome(m, why, opts, line);
            /* zxsim explain whose --at point never ran explained nothing. */
            if (opts->explain_at && status == 0)
                status = SIM_EXIT_BAD_INPUT;
        }
        if (!sim_detailed_finish(m, opts, why, status) && status == 0)
            status = SIM_EXIT_BAD_INPUT;
        sim_trace_exit(trace, status);
        if (opts->summary)
            sim_report_summary(m, stderr, line->str, seconds);
        g_string_free(line, TRUE);
    }
    sim_teach_end(&teach, p);
    vm_process_destroy(p);
    if (!sim_trace_close(trace) && status == 0)
        status = SIM_EXIT_BAD_INPUT;
    sim_machine_destroy(m);
    vm_kernel_destroy(k);
    sim_gdb_stub_close(&gdb);
    sim_insn_decode_shutdown();
    return status;
}
