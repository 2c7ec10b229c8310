/* zxsim report: one self-contained HTML page (inline CSS and SVG, nothing
 * fetched) with the trace's charts and tables. */
#include "stats.h"

#include <string.h>

char *tr_statuses_text(const tr_syscall_stat *c);

static const char *const fault_colors[TR_FAULT_KINDS] = {
    "#4e79a7", "#a0cbe8", "#f28e2b", "#59a14f", "#e15759", "#b07aa1",
};
static const char *const tlb_colors[TR_TLB_LEVELS] = {"#4e79a7", "#f28e2b", "#59a14f"};

#define CHART_W 900
#define CHART_H 240
#define LEFT    60
#define RIGHT   20
#define TOP     16
#define BOTTOM  40

static void esc(GString *out, const char *s)
{
    g_autofree char *e = g_markup_escape_text(s, -1);
    g_string_append(out, e);
}

/* A round upper bound for an axis: 1, 2 or 5 times a power of ten. */
static double nice_max(double v)
{
    if (v <= 0)
        return 1;
    double p = 1;
    while (p * 10 <= v)
        p *= 10;
    while (p > v)
        p /= 10;
    if (v <= p)
        return p;
    if (v <= 2 * p)
        return 2 * p;
    if (v <= 5 * p)
        return 5 * p;
    return 10 * p;
}

/* What a tick is, for the time axes: set once per page. */
static const char *time_unit = "ticks";

static void axes(GString *out, double ymax, const tr_stats *s, const char *ylabel)
{
    int plot_h = CHART_H - TOP - BOTTOM, plot_w = CHART_W - LEFT - RIGHT;
    for (int i = 0; i <= 4; i++) {
        double y = TOP + plot_h - plot_h * i / 4.0;
        g_string_append_printf(
            out,
            "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
            "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n",
            LEFT, y, LEFT + plot_w, y, LEFT - 6, y + 4, ymax * i / 4.0);
    }
    g_string_append_printf(out,
                           "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                           "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
                           LEFT, TOP, LEFT, TOP + plot_h, LEFT, TOP + plot_h, LEFT + plot_w,
                           TOP + plot_h);
    for (int i = 0; i <= 4; i++) {
        uint64_t t = s->first_time + (uint64_t)((double)(s->bucket_width * TR_BUCKETS) * i / 4.0);
        g_string_append_printf(
            out,
            "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%" G_GUINT64_FORMAT
            "</text>\n",
            LEFT + plot_w * i / 4.0, TOP + plot_h + 16, t);
    }
    g_string_append_printf(
        out,
        "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">time (%s)</text>"
        "<text class=\"label\" transform=\"translate(14,%d) rotate(-90)\" "
        "text-anchor=\"middle\">%s</text>\n",
        LEFT + plot_w / 2, CHART_H - 6, time_unit, TOP + plot_h / 2, ylabel);
}

static void legend(GString *out, const char *const *names, const char *const *colors, int n,
                   const uint64_t *counts)
{
    g_string_append(out, "<div class=\"legend\">");
    for (int i = 0; i < n; i++) {
        g_string_append_printf(out, "<span><i style=\"background:%s\"></i>", colors[i]);
        esc(out, names[i]);
        if (counts)
            g_string_append_printf(out, " (%" G_GUINT64_FORMAT ")", counts[i]);
        g_string_append(out, "</span>");
    }
    g_string_append(out, "</div>\n");
}

static void faults_chart(GString *out, const tr_stats *s)
{
    g_string_append(out, "<h2>Page faults over time, by kind</h2>\n");
    uint64_t peak = 0, total = 0;
    for (int b = 0; b < TR_BUCKETS; b++) {
        uint64_t sum = 0;
        for (int k = 0; k < TR_FAULT_KINDS; k++)
            sum += s->fault_buckets[b][k];
        peak = MAX(peak, sum);
        total += sum;
    }
    if (total == 0) {
        g_string_append(out, "<p class=\"empty\">No page-fault events in this trace (record them "
                             "with --trace-events=faults).</p>\n");
        return;
    }
    double ymax = nice_max((double)peak);
    int plot_h = CHART_H - TOP - BOTTOM, plot_w = CHART_W - LEFT - RIGHT;
    double bw = (double)plot_w / TR_BUCKETS;
    g_string_append_printf(out,
                           "<svg id=\"faults-chart\" class=\"chart\" width=\"%d\" height=\"%d\" "
                           "viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">\n",
                           CHART_W, CHART_H, CHART_W, CHART_H);
    axes(out, ymax, s, "faults per interval");
    for (int b = 0; b < TR_BUCKETS; b++) {
        double y = TOP + plot_h;
        for (int k = 0; k < TR_FAULT_KINDS; k++) {
            uint64_t n = s->fault_buckets[b][k];
            if (n == 0)
                continue;
            double h = plot_h * (double)n / ymax;
            y -= h;
            g_string_append_printf(out,
                                   "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                                   "height=\"%.1f\" fill=\"%s\"><title>%s: %" G_GUINT64_FORMAT
                                   " from tick %" G_GUINT64_FORMAT "</title></rect>\n",
                                   LEFT + b * bw + 1, y, bw - 2, h, fault_colors[k],
                                   tr_fault_kind_name(k), n,
                                   s->first_time + (uint64_t)b * s->bucket_width);
        }
    }
    g_string_append(out, "</svg>\n");
    const char *names[TR_FAULT_KINDS];
    for (int k = 0; k < TR_FAULT_KINDS; k++)
        names[k] = tr_fault_kind_name(k);
    legend(out, names, fault_colors, TR_FAULT_KINDS, s->faults);
}

static void tlb_chart(GString *out, const tr_stats *s)
{
    g_string_append(out, "<h2>TLB misses over time, per level</h2>\n");
    if (s->by_kind[TR_EV_TLB] == 0) {
        g_string_append(out, "<p class=\"empty\" id=\"tlb-empty\">No TLB events in this trace. "
                             "They come from the hardware model: record a detailed-mode run "
                             "with --trace-events including tlb.</p>\n");
        return;
    }
    double rate[TR_TLB_LEVELS][TR_BUCKETS], peak = 0;
    for (int l = 0; l < TR_TLB_LEVELS; l++)
        for (int b = 0; b < TR_BUCKETS; b++) {
            rate[l][b] = 1000.0 * (double)s->tlb_miss_buckets[l][b] / (double)s->bucket_width;
            peak = MAX(peak, rate[l][b]);
        }
    double ymax = nice_max(peak);
    int plot_h = CHART_H - TOP - BOTTOM, plot_w = CHART_W - LEFT - RIGHT;
    double bw = (double)plot_w / TR_BUCKETS;
    g_string_append_printf(out,
                           "<svg id=\"tlb-chart\" class=\"chart\" width=\"%d\" height=\"%d\" "
                           "viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">\n",
                           CHART_W, CHART_H, CHART_W, CHART_H);
    g_autofree char *per = g_strdup_printf("misses per 1000 %s", time_unit);
    axes(out, ymax, s, per);
    for (int l = 0; l < TR_TLB_LEVELS; l++) {
        g_string_append_printf(
            out, "<polyline class=\"line\" fill=\"none\" stroke=\"%s\" points=\"", tlb_colors[l]);
        for (int b = 0; b < TR_BUCKETS; b++)
            g_string_append_printf(out, "%.1f,%.1f ", LEFT + (b + 0.5) * bw,
                                   TOP + plot_h - plot_h * rate[l][b] / ymax);
        g_string_append(out, "\"/>\n");
    }
    g_string_append(out, "</svg>\n");
    const char *names[TR_TLB_LEVELS];
    uint64_t misses[TR_TLB_LEVELS];
    for (int l = 0; l < TR_TLB_LEVELS; l++) {
        names[l] = tr_tlb_level_name(l);
        misses[l] = s->tlb[l][TR_TLB_MISS];
    }
    legend(out, names, tlb_colors, TR_TLB_LEVELS, misses);
}

static gint by_touched(gconstpointer a, gconstpointer b)
{
    const tr_mapping_stat *x = *(tr_mapping_stat *const *)a, *y = *(tr_mapping_stat *const *)b;
    if (x->touched != y->touched)
        return x->touched > y->touched ? -1 : 1;
    return x->base < y->base ? -1 : x->base > y->base;
}

#define HEAT_ROWS 16
#define HEAT_COLS 90
#define CELL      7
#define LABEL_W   260

static void heat_map(GString *out, const tr_stats *s)
{
    g_string_append(out, "<h2>Pages per mapping: touched, committed, faulted</h2>\n");
    GPtrArray *rows = g_ptr_array_new();
    for (guint i = 0; i < s->mappings->len; i++) {
        tr_mapping_stat *m = g_ptr_array_index(s->mappings, i);
        if (m->touched)
            g_ptr_array_add(rows, m);
    }
    if (rows->len == 0) {
        g_string_append(out, "<p class=\"empty\">No page faults inside traced mappings (record "
                             "with --trace-events=faults,vm).</p>\n");
        g_ptr_array_free(rows, TRUE);
        return;
    }
    g_ptr_array_sort(rows, by_touched);
    guint n = MIN(rows->len, HEAT_ROWS);
    int row_h = CELL * 3 + 14;
    int width = LABEL_W + HEAT_COLS * CELL + 10, height = (int)n * row_h + 10;
    g_string_append_printf(out,
                           "<svg id=\"heat-map\" class=\"chart\" width=\"%d\" height=\"%d\" "
                           "viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">\n",
                           width, height, width, height);
    uint64_t max_faults = 1;
    for (guint r = 0; r < n; r++) {
        tr_mapping_stat *m = g_ptr_array_index(rows, r);
        GHashTableIter it;
        gpointer k, v;
        g_hash_table_iter_init(&it, m->pages);
        while (g_hash_table_iter_next(&it, &k, &v))
            max_faults = MAX(max_faults, ((tr_page_stat *)v)->faults);
    }
    for (guint r = 0; r < n; r++) {
        tr_mapping_stat *m = g_ptr_array_index(rows, r);
        uint64_t pages = MAX(m->size >> 12, 1);
        uint64_t cols = MIN(pages, HEAT_COLS);
        uint64_t per = (pages + cols - 1) / cols;
        cols = (pages + per - 1) / per;
        uint32_t *faults = g_new0(uint32_t, cols);
        uint32_t *touched = g_new0(uint32_t, cols), *committed = g_new0(uint32_t, cols);
        GHashTableIter it;
        gpointer k, v;
        g_hash_table_iter_init(&it, m->pages);
        while (g_hash_table_iter_next(&it, &k, &v)) {
            uint64_t c = *(uint64_t *)k / per;
            if (c >= cols)
                continue;
            tr_page_stat *p = v;
            faults[c] += p->faults;
            touched[c]++;
            committed[c] += p->committed;
        }
        int y = 5 + (int)r * row_h;
        char perms[4];
        perms[0] = (m->perms & TR_ACCESS_READ) ? 'r' : '-';
        perms[1] = (m->perms & TR_ACCESS_WRITE) ? 'w' : '-';
        perms[2] = (m->perms & TR_ACCESS_EXEC) ? 'x' : '-';
        perms[3] = 0;
        g_string_append_printf(out, "<text class=\"maplabel\" x=\"0\" y=\"%d\">", y + 11);
        esc(out, *m->name ? m->name : "(unnamed VMO)");
        g_string_append_printf(
            out,
            "</text><text class=\"mapsub\" x=\"0\" y=\"%d\">0x%" G_GINT64_MODIFIER
            "x %s, %" G_GUINT64_FORMAT " pages, %" G_GUINT64_FORMAT " touched</text>\n",
            y + 24, m->base, perms, pages, m->touched);
        for (uint64_t c = 0; c < cols; c++) {
            /* Three stripes per cell column: touched, committed, fault heat. */
            const char *t = touched[c] ? "#4e79a7" : "#e9edf2";
            const char *cm = committed[c] ? "#59a14f" : "#e9edf2";
            double heat =
                faults[c] ? 0.25 + 0.75 * (double)faults[c] / (double)(max_faults * per) : 0;
            int x = LABEL_W + (int)c * CELL;
            g_string_append_printf(
                out,
                "<g class=\"cell\"><title>pages %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT
                ": %u touched, %u committed, %u faults</title>"
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>"
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>"
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#e15759\" "
                "fill-opacity=\"%.2f\"/></g>\n",
                c * per, MIN((c + 1) * per, pages) - 1, touched[c], committed[c], faults[c], x, y,
                CELL - 1, CELL, t, x, y + CELL, CELL - 1, CELL, cm, x, y + 2 * CELL, CELL - 1, CELL,
                heat);
        }
        g_free(faults);
        g_free(touched);
        g_free(committed);
    }
    g_string_append(out, "</svg>\n");
    static const char *const names[] = {"touched", "committed", "faults (darker: more)"};
    static const char *const colors[] = {"#4e79a7", "#59a14f", "#e15759"};
    legend(out, names, colors, 3, NULL);
    if (rows->len > n)
        g_string_append_printf(out,
                               "<p class=\"note\">%u more mappings with touched pages not "
                               "shown (the %u most touched are).</p>\n",
                               rows->len - n, n);
    g_string_append(out, "<p class=\"note\">Each row is one mapping, one column per page (or per "
                         "group of pages for large mappings); top stripe: touched, middle: "
                         "committed, bottom: faults.</p>\n");
    g_ptr_array_free(rows, TRUE);
}

static void syscall_table(GString *out, const tr_stats *s)
{
    g_string_append(out, "<h2>Syscalls</h2>\n");
    if (s->syscalls->len == 0) {
        g_string_append(out, "<p class=\"empty\">No syscall events in this trace (record them with "
                             "--trace-events=syscalls).</p>\n");
        return;
    }
    g_string_append(out, "<table id=\"syscalls\"><tr><th>syscall</th><th>number</th><th>calls</th>"
                         "<th>mean ticks</th><th>max ticks</th><th>statuses</th></tr>\n");
    for (guint i = 0; i < s->syscalls->len; i++) {
        const tr_syscall_stat *c = g_ptr_array_index(s->syscalls, i);
        g_autofree char *st = tr_statuses_text(c);
        g_string_append(out, "<tr><td>");
        esc(out, c->name);
        g_string_append_printf(out,
                               "</td><td>%u</td><td>%" G_GUINT64_FORMAT
                               "</td><td>%.1f</td><td>%" G_GUINT64_FORMAT "</td><td>",
                               c->number, c->calls, (double)c->total_duration / (double)c->calls,
                               c->max_duration);
        esc(out, st);
        g_string_append(out, "</td></tr>\n");
    }
    g_string_append(out, "</table>\n");
}

static void stat_row(GString *out, const char *name, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static void stat_row(GString *out, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *v = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_string_append(out, "<tr><th>");
    esc(out, name);
    g_string_append(out, "</th><td>");
    esc(out, v);
    g_string_append(out, "</td></tr>\n");
}

static void summary_table(GString *out, const tr_stats *s, const tr_meta *meta)
{
    g_string_append(out, "<h2>Summary statistics</h2>\n<table id=\"summary\">\n");
    uint64_t faults = 0;
    for (int k = 0; k < TR_FAULT_KINDS; k++)
        faults += s->faults[k];
    stat_row(out, "events",
             "%" G_GUINT64_FORMAT " (ticks %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
             ", clock: %s)",
             s->events, s->first_time, s->last_time, tr_clock_kind_name(meta->clock));
    GString *by = g_string_new(NULL);
    for (int k = 0; k < TR_FAULT_KINDS; k++)
        g_string_append_printf(by, "%s%s %" G_GUINT64_FORMAT, k ? ", " : "", tr_fault_kind_name(k),
                               s->faults[k]);
    stat_row(out, "page faults", "%" G_GUINT64_FORMAT " (%s)", faults, by->str);
    g_string_free(by, TRUE);
    stat_row(out, "syscalls", "%" G_GUINT64_FORMAT, s->by_kind[TR_EV_SYSCALL]);
    stat_row(out, "address space",
             "%" G_GUINT64_FORMAT " maps, %" G_GUINT64_FORMAT " unmaps, %" G_GUINT64_FORMAT
             " protects",
             s->maps, s->unmaps, s->protects);
    stat_row(out, "TLB shootdowns",
             "%" G_GUINT64_FORMAT " by address, %" G_GUINT64_FORMAT " by ASID, %" G_GUINT64_FORMAT
             " of all; %" G_GUINT64_FORMAT " entries",
             s->shootdowns[0], s->shootdowns[1], s->shootdowns[2], s->shootdown_entries);
    for (int l = 0; l < TR_TLB_LEVELS; l++) {
        g_autofree char *name = g_strdup_printf("TLB %s", tr_tlb_level_name(l));
        stat_row(out, name,
                 "%" G_GUINT64_FORMAT " misses, %" G_GUINT64_FORMAT " fills, %" G_GUINT64_FORMAT
                 " evictions",
                 s->tlb[l][0], s->tlb[l][1], s->tlb[l][2]);
    }
    stat_row(out, "page walks",
             "%" G_GUINT64_FORMAT " (%.2f entries read, %.2f walk-cache hits each)", s->walks,
             s->walks ? (double)s->walk_levels / (double)s->walks : 0.0,
             s->walks ? (double)s->walk_cache_hits / (double)s->walks : 0.0);
    for (int l = 0; l < TR_CACHE_LEVELS; l++) {
        if (s->cache[l][0] + s->cache[l][1] + s->cache[l][2] == 0)
            continue;
        g_autofree char *name = g_strdup_printf("cache %s", tr_cache_level_name(l));
        stat_row(out, name,
                 "%" G_GUINT64_FORMAT " misses, %" G_GUINT64_FORMAT " evictions, %" G_GUINT64_FORMAT
                 " write-backs",
                 s->cache[l][0], s->cache[l][1], s->cache[l][2]);
    }
    if (s->exited)
        stat_row(out, "exit status", "%" G_GINT64_FORMAT, s->exit_code);
    g_string_append(out, "</table>\n");
}

static const char css[] =
    "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;color:#1f2933;background:#fff;"
    "margin:0}main{max-width:960px;margin:0 auto;padding:24px}"
    "h1{font-size:24px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px "
    "solid #d9dee5;padding-bottom:4px}.sub{color:#52606d;margin:0 0 16px}"
    ".cards{display:flex;flex-wrap:wrap;gap:10px}.card{border:1px solid #d9dee5;border-radius:6px;"
    "padding:8px 14px;min-width:120px}.card b{display:block;font-size:22px}.card "
    "span{color:#52606d;"
    "font-size:12px}"
    "svg.chart{display:block}.grid{stroke:#e4e7eb}.axis{stroke:#52606d}.tick{font-size:11px;"
    "fill:#52606d}.label{font-size:12px;fill:#3e4c59}.line{stroke-width:2}"
    ".maplabel{font-size:12px;fill:#1f2933}.mapsub{font-size:10px;fill:#52606d}"
    ".legend{font-size:12px;margin:4px 0 0 60px}.legend span{margin-right:16px;white-space:nowrap}"
    ".legend i{display:inline-block;width:11px;height:11px;margin-right:5px;vertical-align:-1px;"
    "border-radius:2px}"
    ".empty{color:#52606d;background:#f5f7fa;border:1px dashed #cbd2d9;padding:18px;"
    "border-radius:6px}.note{color:#52606d;font-size:12px}"
    "table{border-collapse:collapse;font-size:13px}th,td{text-align:left;padding:4px 10px;"
    "border-bottom:1px solid #e4e7eb}#summary th{color:#52606d;font-weight:normal}"
    "#syscalls td:nth-child(2),#syscalls td:nth-child(3),#syscalls td:nth-child(4),"
    "#syscalls td:nth-child(5){text-align:right}";

static void card(GString *out, uint64_t value, const char *what)
{
    g_string_append_printf(
        out, "<div class=\"card\"><b>%" G_GUINT64_FORMAT "</b><span>%s</span></div>", value, what);
}

void tr_report_html(const tr_stats *s, const tr_meta *meta, const char *title, GString *out)
{
    time_unit = meta->clock == TR_CLOCK_CYCLES  ? "cycles"
                : meta->clock == TR_CLOCK_INSNS ? "instructions"
                                                : "events";
    g_string_append(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                         "<title>zxsim trace report: ");
    esc(out, title);
    g_string_append_printf(out, "</title><style>%s</style></head><body><main>\n", css);
    g_string_append(out, "<h1>zxsim trace report</h1>\n<p class=\"sub\">");
    esc(out, meta->guest ? meta->guest : "?");
    g_string_append(out, " &middot; ");
    esc(out, meta->isa ? meta->isa : "?");
    g_string_append_printf(out,
                           " &middot; clock: %s &middot; %" G_GUINT64_FORMAT " events &middot; ",
                           tr_clock_kind_name(meta->clock), s->events);
    esc(out, title);
    g_string_append(out, "</p>\n<div class=\"cards\">");
    uint64_t faults = 0, tlb_misses = 0;
    for (int k = 0; k < TR_FAULT_KINDS; k++)
        faults += s->faults[k];
    for (int l = 0; l < TR_TLB_LEVELS; l++)
        tlb_misses += s->tlb[l][TR_TLB_MISS];
    card(out, faults, "page faults");
    card(out, s->by_kind[TR_EV_SYSCALL], "syscalls");
    card(out, s->maps, "mappings made");
    card(out, s->shootdowns[0] + s->shootdowns[1] + s->shootdowns[2], "TLB shootdowns");
    card(out, tlb_misses, "TLB misses");
    g_string_append(out, "</div>\n");
    faults_chart(out, s);
    tlb_chart(out, s);
    heat_map(out, s);
    syscall_table(out, s);
    summary_table(out, s, meta);
    g_string_append(out, "</main></body></html>\n");
}
