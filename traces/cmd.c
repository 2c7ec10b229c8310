/* The two trace subcommands. */
#include "stats.h"

#include <stdio.h>
#include <string.h>

static tr_trace *load(const char *path)
{
    GError *err = NULL;
    tr_trace *t = tr_trace_load(path, &err);
    if (t == NULL) {
        fprintf(stderr, "zxsim: %s\n", err->message);
        g_error_free(err);
    }
    return t;
}

int tr_cmd_summary(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "zxsim: usage: zxsim trace-summary TRACE.fxt\n");
        return 2;
    }
    tr_trace *t = load(argv[1]);
    if (t == NULL)
        return 2;
    tr_stats *s = tr_stats_compute(t);
    tr_summary_print(s, &t->meta, stdout);
    tr_stats_free(s);
    tr_trace_free(t);
    return 0;
}

int tr_cmd_report(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (g_str_has_prefix(argv[i], "-o") && argv[i][2])
            out = argv[i] + 2;
        else if (in == NULL && argv[i][0] != '-')
            in = argv[i];
        else
            in = out = NULL, i = argc;
    }
    if (in == NULL || out == NULL) {
        fprintf(stderr, "zxsim: usage: zxsim report TRACE.fxt -o REPORT.html\n");
        return 2;
    }
    tr_trace *t = load(in);
    if (t == NULL)
        return 2;
    tr_stats *s = tr_stats_compute(t);
    GString *html = g_string_new(NULL);
    g_autofree char *title = g_path_get_basename(in);
    tr_report_html(s, &t->meta, title, html);
    GError *err = NULL;
    int status = 0;
    if (!g_file_set_contents(out, html->str, (gssize)html->len, &err)) {
        fprintf(stderr, "zxsim: %s\n", err->message);
        g_error_free(err);
        status = 2;
    }
    g_string_free(html, TRUE);
    tr_stats_free(s);
    tr_trace_free(t);
    return status;
}
