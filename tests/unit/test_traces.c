/* Writers and reader with synthetic events of every kind: FXT through our
 * reader gives back exactly what went in; CSV has one row per event and
 * the same column count on every line; the text and JSON writers show each
 * event; a damaged FXT file is an error, not a crash. */
#include "traces/reader.h"
#include "traces/record.h"
#include "traces/writer.h"

#include "check_main.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const tr_meta meta = {
    .clock = TR_CLOCK_INSNS,
    .ticks_per_second = TR_TICKS_PER_SECOND,
    .guest = "unit-guest.elf",
    .isa = "arm64",
    .version = "test",
    .categories = TR_CAT_ALL,
};

/* At least one event of every kind and every sub-kind. */
static GArray *sample_events(void)
{
    GArray *a = g_array_new(FALSE, TRUE, sizeof(tr_event));
    uint64_t t = 0;
    tr_event e;
#define PUSH()                                                                                     \
    do {                                                                                           \
        e.time = t++ * 7;                                                                          \
        g_array_append_val(a, e);                                                                  \
    } while (0)
    e = (tr_event){.kind = TR_EV_PROCESS_START, .u.start = {.koid = 1030, .name = "guest"}};
    PUSH();
    for (int k = 0; k < TR_FAULT_KINDS; k++) {
        e = (tr_event){.kind = TR_EV_FAULT};
        e.u.fault.va = 0x10000000ull + (uint64_t)k * 4096;
        e.u.fault.pc = 0x10000124;
        e.u.fault.access = k == 1 ? TR_ACCESS_READ : k == 4 ? TR_ACCESS_EXEC : TR_ACCESS_WRITE;
        e.u.fault.kind = (tr_fault_kind)k;
        e.u.fault.vmo_koid = 1027;
        e.u.fault.vmo_offset = (uint64_t)k * 4096;
        e.u.fault.pa = 0x8000ull * (uint64_t)k;
        e.u.fault.status = k >= TR_FAULT_FATAL ? -25 : 0;
        e.u.fault.from_kernel = k == TR_FAULT_USER_COPY;
        PUSH();
    }
    e = (tr_event){.kind = TR_EV_SYSCALL_BEGIN};
    e.u.syscall = (__typeof__(e.u.syscall)){
        .number = 12, .name = "vmo_create", .nargs = 3, .args = {0x4000, 0, 0x7ff0}};
    PUSH();
    e = (tr_event){.kind = TR_EV_SYSCALL};
    e.u.syscall =
        (__typeof__(e.u.syscall)){.number = 12, .name = "vmo_create", .result = 0, .duration = 7};
    PUSH();
    e = (tr_event){.kind = TR_EV_SYSCALL_BEGIN};
    e.u.syscall = (__typeof__(e.u.syscall)){
        .number = 9999, .name = NULL, .nargs = 8, .args = {1, 2, 3, 4, 5, 6, 7, UINT64_MAX}};
    PUSH();
    e = (tr_event){.kind = TR_EV_SYSCALL};
    e.u.syscall = (__typeof__(e.u.syscall)){.number = 9999, .result = -13, .duration = 1};
    PUSH();
    for (int k = TR_EV_MAP; k <= TR_EV_PROTECT; k++) {
        e = (tr_event){.kind = (tr_event_kind)k};
        e.u.range.base = 0x20000000;
        e.u.range.size = 0x3000;
        e.u.range.perms = k == TR_EV_UNMAP ? 0 : 3;
        e.u.range.vmo_koid = 1040;
        e.u.range.vmo_offset = 0x1000;
        e.u.range.vmo_name = k == TR_EV_MAP ? "a \"quoted\", name\n" : NULL;
        PUSH();
    }
    for (int k = 0; k < 3; k++) {
        e = (tr_event){.kind = TR_EV_SHOOTDOWN};
        e.u.shootdown = (__typeof__(e.u.shootdown)){
            .kind = (tr_shootdown_kind)k, .asid = 2, .va = 0x1000, .len = 0x2000, .entries = 2};
        PUSH();
    }
    for (int l = 0; l < TR_TLB_LEVELS; l++)
        for (int op = 0; op < 3; op++) {
            e = (tr_event){.kind = TR_EV_TLB};
            e.u.tlb = (__typeof__(e.u.tlb)){
                .level = (tr_tlb_level)l, .op = (tr_tlb_op)op, .asid = 1, .va = 0x5000};
            PUSH();
        }
    e = (tr_event){.kind = TR_EV_WALK};
    e.u.walk = (__typeof__(e.u.walk)){
        .asid = 1, .va = 0x5000, .access = TR_ACCESS_WRITE, .levels_read = 4, .walk_cache_hits = 2};
    PUSH();
    for (int l = 0; l < TR_CACHE_LEVELS; l++)
        for (int op = 0; op < 3; op++) {
            e = (tr_event){.kind = TR_EV_CACHE};
            e.u.cache = (__typeof__(e.u.cache)){.level = (tr_cache_level)l,
                                                .op = (tr_cache_op)op,
                                                .pa = 0x9040,
                                                .from_kernel = op == 1};
            PUSH();
        }
    e = (tr_event){.kind = TR_EV_PROCESS_EXIT, .u.exit.code = -3};
    PUSH();
#undef PUSH
    return a;
}

/* Everything a writer wrote, as one string. */
static char *write_all(tr_format format, GArray *events, uint64_t *bytes)
{
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    tr_writer *w = tr_writer_new(f, format, &meta);
    tr_sink sink = {0};
    tr_writer_attach(w, &sink);
    for (guint i = 0; i < events->len; i++)
        sink.emit(sink.ctx, &g_array_index(events, tr_event, i));
    ck_assert_uint_eq(tr_writer_events(w), events->len);
    GError *err = NULL;
    ck_assert(tr_writer_close(w, &err));
    long len = ftell(f);
    ck_assert_int_gt(len, 0);
    rewind(f);
    char *buf = g_malloc((size_t)len + 1);
    ck_assert_uint_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
    buf[len] = '\0';
    fclose(f);
    if (bytes)
        *bytes = (uint64_t)len;
    return buf;
}

static void assert_same_record(const tr_event *a, const tr_event *b)
{
    tr_record ra, rb;
    tr_record_from_event(a, &ra);
    tr_record_from_event(b, &rb);
    ck_assert_uint_eq(ra.time, rb.time);
    ck_assert_str_eq(ra.category, rb.category);
    ck_assert_str_eq(ra.name, rb.name);
    ck_assert_int_eq(ra.phase, rb.phase);
    ck_assert_int_eq(ra.nfields, rb.nfields);
    for (int i = 0; i < ra.nfields; i++) {
        ck_assert_str_eq(ra.fields[i].key, rb.fields[i].key);
        ck_assert_int_eq(ra.fields[i].type, rb.fields[i].type);
        ck_assert_uint_eq(ra.fields[i].u, rb.fields[i].u);
        if (ra.fields[i].type == TR_F_STR)
            ck_assert_str_eq(ra.fields[i].s, rb.fields[i].s);
    }
}

START_TEST(fxt_round_trip_every_kind)
{
    GArray *events = sample_events();
    uint64_t len;
    char *data = write_all(TR_FORMAT_FXT, events, &len);
    GError *err = NULL;
    tr_trace *t = tr_trace_parse_fxt((const guint8 *)data, len, &err);
    ck_assert_msg(t != NULL, "%s", err ? err->message : "?");
    ck_assert_uint_eq(t->events->len, events->len);
    ck_assert_uint_eq(t->foreign, 0);
    for (guint i = 0; i < events->len; i++) {
        const tr_event *a = &g_array_index(events, tr_event, i);
        const tr_event *b = &g_array_index(t->events, tr_event, i);
        ck_assert_int_eq(a->kind, b->kind);
        assert_same_record(a, b);
    }
    /* Fields read back into the event itself, not only its description. */
    const tr_event *fault = &g_array_index(t->events, tr_event, 1);
    ck_assert_uint_eq(fault->u.fault.va, 0x10000000);
    ck_assert_uint_eq(fault->u.fault.vmo_koid, 1027);
    const tr_event *map = &g_array_index(t->events, tr_event, 1 + TR_FAULT_KINDS + 4);
    ck_assert_int_eq(map->kind, TR_EV_MAP);
    ck_assert_str_eq(map->u.range.vmo_name, "a \"quoted\", name\n");
    ck_assert_uint_eq(map->u.range.perms, 3);
    ck_assert_int_eq(t->meta.clock, TR_CLOCK_INSNS);
    ck_assert_str_eq(t->meta.guest, "unit-guest.elf");
    ck_assert_str_eq(t->meta.isa, "arm64");
    ck_assert_uint_eq(t->meta.categories, TR_CAT_ALL);
    ck_assert_uint_eq(t->meta.ticks_per_second, TR_TICKS_PER_SECOND);
    tr_trace_free(t);
    g_free(data);
    g_array_free(events, TRUE);
}
END_TEST

/* A kind of record seen before is written from what the writer kept of
 * it: the second time round, each event must still read back as itself,
 * its own numbers and flags included. */
START_TEST(fxt_repeated_kinds_read_back)
{
    GArray *events = sample_events();
    guint n = events->len;
    for (int round = 1; round <= 2; round++)
        for (guint i = 0; i < n; i++) {
            tr_event e = g_array_index(events, tr_event, i);
            e.time += 1000u * (unsigned)round;
            if (e.kind == TR_EV_FAULT) {
                e.u.fault.va += 0x1000u * (unsigned)round;
                e.u.fault.pc += 4u * (unsigned)round;
                e.u.fault.status = -round;
                e.u.fault.from_kernel = !e.u.fault.from_kernel;
                e.u.fault.access = round == 1 ? TR_ACCESS_EXEC : TR_ACCESS_READ;
            } else if (e.kind == TR_EV_SYSCALL || e.kind == TR_EV_SYSCALL_BEGIN) {
                e.u.syscall.args[0] += (unsigned)round;
                e.u.syscall.result = -round;
            } else if (e.kind == TR_EV_CACHE) {
                e.u.cache.from_kernel = !e.u.cache.from_kernel;
            }
            g_array_append_val(events, e);
        }
    uint64_t len;
    char *data = write_all(TR_FORMAT_FXT, events, &len);
    GError *err = NULL;
    tr_trace *t = tr_trace_parse_fxt((const guint8 *)data, len, &err);
    ck_assert_msg(t != NULL, "%s", err ? err->message : "?");
    ck_assert_uint_eq(t->events->len, events->len);
    for (guint i = 0; i < events->len; i++) {
        const tr_event *a = &g_array_index(events, tr_event, i);
        const tr_event *b = &g_array_index(t->events, tr_event, i);
        ck_assert_int_eq(a->kind, b->kind);
        assert_same_record(a, b);
    }
    tr_trace_free(t);
    g_free(data);
    g_array_free(events, TRUE);
}
END_TEST

/* The text formats spell numbers as printf would, at the extremes too. */
START_TEST(field_numbers_as_printf)
{
    static const uint64_t values[] = {0,
                                      1,
                                      9,
                                      10,
                                      255,
                                      4096,
                                      0x7fffffffffffffffull,
                                      0x8000000000000000ull,
                                      0xffffffffffffffffull,
                                      (uint64_t)-25,
                                      1234567890123ull};
    const tr_field_style style = {"'", NULL, "y", "n"}; /* no strings here */
    for (size_t i = 0; i < G_N_ELEMENTS(values); i++) {
        uint64_t v = values[i];
        struct {
            tr_field_type type;
            char *want;
        } cases[] = {
            {TR_F_U64, g_strdup_printf("%" G_GUINT64_FORMAT, v)},
            {TR_F_KOID, g_strdup_printf("%" G_GUINT64_FORMAT, v)},
            {TR_F_I64, g_strdup_printf("%" G_GINT64_FORMAT, (int64_t)v)},
            {TR_F_HEX, g_strdup_printf("'0x%" G_GINT64_MODIFIER "x'", v)},
        };
        for (size_t c = 0; c < G_N_ELEMENTS(cases); c++) {
            GString *out = g_string_new("<");
            tr_field f = {.key = "k", .type = cases[c].type, .u = v};
            tr_field_append(out, &f, &style);
            g_autofree char *want = g_strconcat("<", cases[c].want, NULL);
            ck_assert_str_eq(out->str, want);
            g_string_free(out, TRUE);
            g_free(cases[c].want);
        }
    }
}
END_TEST

START_TEST(fxt_layout)
{
    GArray *events = sample_events();
    uint64_t len;
    char *data = write_all(TR_FORMAT_FXT, events, &len);
    ck_assert_uint_eq(len % 8, 0);
    uint64_t first;
    memcpy(&first, data, 8);
    ck_assert_uint_eq(first, 0x0016547846040010ull);
    /* Every record's size field adds up to the file exactly. */
    uint64_t at = 8, records = 0;
    while (at < len) {
        uint64_t h;
        memcpy(&h, data + at, 8);
        uint64_t words = (h >> 4) & 0xfff;
        ck_assert_uint_gt(words, 0);
        at += words * 8;
        records++;
    }
    ck_assert_uint_eq(at, len);
    ck_assert_uint_gt(records, events->len);
    g_free(data);
    g_array_free(events, TRUE);
}
END_TEST

START_TEST(fxt_damage_is_an_error)
{
    GArray *events = sample_events();
    uint64_t len;
    char *data = write_all(TR_FORMAT_FXT, events, &len);
    GError *err = NULL;
    /* Every truncation at a word boundary parses or fails cleanly. */
    for (uint64_t cut = 0; cut < len; cut += 8) {
        tr_trace *t = tr_trace_parse_fxt((const guint8 *)data, cut, &err);
        if (t == NULL) {
            ck_assert_ptr_nonnull(err);
            g_clear_error(&err);
        }
        tr_trace_free(t);
    }
    /* Not a multiple of 8, or no magic: refused. */
    ck_assert_ptr_null(tr_trace_parse_fxt((const guint8 *)data, len - 3, &err));
    g_clear_error(&err);
    data[0] ^= 1;
    ck_assert_ptr_null(tr_trace_parse_fxt((const guint8 *)data, len, &err));
    ck_assert(strstr(err->message, "magic") != NULL);
    g_clear_error(&err);
    /* Random bytes after a good start: no crash. */
    data[0] ^= 1;
    GRand *r = g_rand_new_with_seed(7);
    for (int round = 0; round < 200; round++) {
        char *copy = g_memdup2(data, len);
        for (int k = 0; k < 4; k++)
            copy[8 + g_rand_int_range(r, 0, (gint32)len - 8)] = (char)g_rand_int(r);
        tr_trace *t = tr_trace_parse_fxt((const guint8 *)copy, len, &err);
        g_clear_error(&err);
        tr_trace_free(t);
        g_free(copy);
    }
    g_rand_free(r);
    g_free(data);
    g_array_free(events, TRUE);
}
END_TEST

static int count_columns(const char *line)
{
    int n = 1;
    bool quoted = false;
    for (const char *p = line; *p; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (*p == ',' && !quoted)
            n++;
    }
    return n;
}

/* CSV rows split at newlines outside quotes. */
static GPtrArray *csv_rows(const char *text)
{
    GPtrArray *rows = g_ptr_array_new_with_free_func(g_free);
    GString *row = g_string_new(NULL);
    bool quoted = false;
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            quoted = !quoted;
        if (*p == '\n' && !quoted) {
            g_ptr_array_add(rows, g_strdup(row->str));
            g_string_truncate(row, 0);
        } else {
            g_string_append_c(row, *p);
        }
    }
    ck_assert_uint_eq(row->len, 0);
    g_string_free(row, TRUE);
    return rows;
}

START_TEST(csv_one_row_per_event)
{
    GArray *events = sample_events();
    char *text = write_all(TR_FORMAT_CSV, events, NULL);
    GPtrArray *rows = csv_rows(text);
    /* Header, the metadata row, one row per event. */
    ck_assert_uint_eq(rows->len, events->len + 2);
    int columns = count_columns(g_ptr_array_index(rows, 0));
    ck_assert_int_eq(columns, 4 + tr_field_key_count);
    for (guint i = 0; i < rows->len; i++)
        ck_assert_int_eq(count_columns(g_ptr_array_index(rows, i)), columns);
    ck_assert(g_str_has_prefix(g_ptr_array_index(rows, 0), "time,category,event,phase,va,"));
    ck_assert(g_str_has_prefix(g_ptr_array_index(rows, 1), "0,meta,instructions,"));
    ck_assert(
        g_str_has_prefix(g_ptr_array_index(rows, 3), "7,fault,demand-zero,instant,0x10000000,"));
    g_ptr_array_free(rows, TRUE);
    g_free(text);
    g_array_free(events, TRUE);
}
END_TEST

START_TEST(text_and_json_show_every_event)
{
    GArray *events = sample_events();
    char *text = write_all(TR_FORMAT_TEXT, events, NULL);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    /* A heading, one line per event, and the empty piece after the last newline. */
    ck_assert_uint_eq(g_strv_length(lines), events->len + 2);
    ck_assert(strstr(lines[2], "fault   demand-zero va=0x10000000 pc=0x10000124 access=write") !=
              NULL);
    ck_assert(strstr(text, "name=\"a \\\"quoted\\\", name\\n\"") != NULL);
    char *json = write_all(TR_FORMAT_JSON, events, NULL);
    ck_assert(g_str_has_prefix(json, "{\"displayTimeUnit\":\"ns\""));
    ck_assert(g_str_has_suffix(json, "\n]}\n"));
    ck_assert(strstr(json, "\"ph\":\"B\"") != NULL && strstr(json, "\"ph\":\"E\"") != NULL);
    g_free(json);
    g_free(text);
    g_array_free(events, TRUE);
}
END_TEST

START_TEST(sink_filters_and_clocks)
{
    tr_sink sink = {0}; /* no emit function: nothing is wanted */
    ck_assert(!tr_wants(&sink, TR_EV_FAULT));
    ck_assert(!tr_wants(NULL, TR_EV_FAULT));

    unsigned cats;
    const char *bad = NULL;
    ck_assert(tr_parse_categories("faults,syscalls", &cats, &bad));
    ck_assert_uint_eq(cats, TR_CAT_PROCESS | TR_CAT_FAULTS | TR_CAT_SYSCALLS);
    ck_assert(!tr_parse_categories("faults,tlbs", &cats, &bad));
    ck_assert_str_eq(bad, "tlbs");
    ck_assert(tr_parse_categories("all", &cats, &bad));
    ck_assert_uint_eq(cats, TR_CAT_ALL);
}
END_TEST

static void count_emit(void *ctx, const tr_event *ev)
{
    g_array_append_val((GArray *)ctx, *ev);
}

static uint64_t fixed_clock(void *ctx)
{
    return *(uint64_t *)ctx;
}

START_TEST(sink_logical_and_external_clock)
{
    GArray *seen = g_array_new(FALSE, FALSE, sizeof(tr_event));
    tr_sink sink = {.emit = count_emit, .ctx = seen, .skip = TR_CAT_CACHE};
    tr_event e = {.kind = TR_EV_FAULT};
    tr_emit(&sink, &e);
    e = (tr_event){.kind = TR_EV_CACHE};
    tr_emit(&sink, &e); /* skipped: no tick */
    e = (tr_event){.kind = TR_EV_MAP};
    tr_emit(&sink, &e);
    ck_assert_uint_eq(seen->len, 2);
    ck_assert_uint_eq(g_array_index(seen, tr_event, 0).time, 0);
    ck_assert_uint_eq(g_array_index(seen, tr_event, 1).time, 1);
    uint64_t now = 5000;
    sink.now = fixed_clock;
    sink.now_ctx = &now;
    e = (tr_event){.kind = TR_EV_TLB};
    tr_emit(&sink, &e);
    ck_assert_uint_eq(g_array_index(seen, tr_event, 2).time, 5000);
    g_array_free(seen, TRUE);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("traces");
    TCase *tc = tcase_create("writers");
    tcase_add_test(tc, fxt_round_trip_every_kind);
    tcase_add_test(tc, fxt_repeated_kinds_read_back);
    tcase_add_test(tc, field_numbers_as_printf);
    tcase_add_test(tc, fxt_layout);
    tcase_add_test(tc, fxt_damage_is_an_error);
    tcase_add_test(tc, csv_one_row_per_event);
    tcase_add_test(tc, text_and_json_show_every_event);
    tcase_add_test(tc, sink_filters_and_clocks);
    tcase_add_test(tc, sink_logical_and_external_clock);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
