/* zxsim's command line: a subcommand named by the first argument, or a
 * guest ELF to run. */
#include "elf_image.h"
#include "explain.h"
#include "isa.h"
#include "options.h"
#include "run.h"
#include "traces/stats.h"

#include <stdio.h>
#include <string.h>

static int cmd_inspect(int argc, char **argv);

typedef struct subcommand {
    const char *name;
    const char *usage;
    int (*run)(int argc, char **argv);
} subcommand;

static const subcommand subcommands[] = {
    {"inspect", "zxsim inspect GUEST.elf", cmd_inspect},
    {"report", "zxsim report TRACE.fxt -o REPORT.html", tr_cmd_report},
    {"trace-summary", "zxsim trace-summary TRACE.fxt", tr_cmd_summary},
    {"explain", "zxsim explain GUEST.elf --at SYMBOL|ADDR --va VA [GUEST-ARGS...]",
     sim_explain_main},
};

static int cmd_inspect(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "zxsim: usage: %s\n", subcommands[0].usage);
        return SIM_EXIT_BAD_INPUT;
    }
    GError *err = NULL;
    g_autoptr(sim_elf_image) img = sim_elf_image_load(argv[1], &err);
    if (img == NULL) {
        fprintf(stderr, "zxsim: %s\n", err->message);
        g_error_free(err);
        return SIM_EXIT_BAD_INPUT;
    }
    const char *machine = sim_elf_machine_name(img->machine);
    const sim_isa_ops *isa = sim_isa_for_machine(img->machine);
    bool loads =
        isa && sim_elf_image_check_layout(img, argv[1], isa->vm_arch->user_base,
                                          isa->vm_arch->user_base + isa->vm_arch->user_size, &err);
    if (!loads) {
        /* The same refusal a run would print. */
        fprintf(stderr, "zxsim: %s\n", err ? err->message : "unsupported machine");
        g_clear_error(&err);
        return SIM_EXIT_BAD_INPUT;
    }
    printf("%s: %s static executable, entry 0x%" G_GINT64_MODIFIER "x\n", argv[1],
           machine ? machine : "?", img->entry);
    printf("  %-4s %-18s %-12s %-12s %s\n", "seg", "vaddr", "memsz", "filesz", "perms");
    for (guint i = 0; i < img->segments->len; i++) {
        const sim_elf_segment *s = &g_array_index(img->segments, sim_elf_segment, i);
        printf("  %-4u 0x%016" G_GINT64_MODIFIER "x 0x%-10" G_GINT64_MODIFIER
               "x 0x%-10" G_GINT64_MODIFIER "x %c%c%c\n",
               s->index, s->vaddr, s->memsz, s->filesz, (s->perms & SIM_ELF_PERM_READ) ? 'r' : '-',
               (s->perms & SIM_ELF_PERM_WRITE) ? 'w' : '-',
               (s->perms & SIM_ELF_PERM_EXEC) ? 'x' : '-');
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2) {
        for (size_t i = 0; i < G_N_ELEMENTS(subcommands); i++) {
            if (strcmp(argv[1], subcommands[i].name) == 0)
                return subcommands[i].run(argc - 1, argv + 1);
        }
    }
    sim_options opts;
    bool exit_now;
    if (!sim_options_parse(argc, argv, &opts, &exit_now) || exit_now) {
        sim_options_clear(&opts);
        return exit_now ? 0 : SIM_EXIT_BAD_INPUT;
    }
    int status = sim_run(&opts);
    sim_options_clear(&opts);
    return status;
}
