/* CSV: a fixed header of every field any event has, then one event a
 * line with the same number of columns; a field the event lacks is empty.
 * Metadata goes in leading comment-free form: a first "meta" row. */
#include "writer_impl.h"

#include <string.h>

static void cell_string(GString *out, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        g_string_append(out, s);
        return;
    }
    g_string_append_c(out, '"');
    for (; *s; s++) {
        if (*s == '"')
            g_string_append_c(out, '"');
        g_string_append_c(out, *s);
    }
    g_string_append_c(out, '"');
}

static const tr_field_style csv_style = {"", cell_string, "1", "0"};

static void row(GString *out, const tr_record *rec)
{
    static const char *const phases[] = {"instant", "begin", "end"};
    tr_append_u64(out, rec->time);
    g_string_append_c(out, ',');
    g_string_append(out, rec->category);
    g_string_append_c(out, ',');
    cell_string(out, rec->name);
    g_string_append_c(out, ',');
    g_string_append(out, phases[rec->phase]);
    /* Each field into its column, the first of a key winning as in
     * tr_record_field; keys are matched by address first. */
    const tr_field *cols[64] = {0};
    g_assert(tr_field_key_count <= (int)G_N_ELEMENTS(cols));
    for (int i = 0; i < rec->nfields; i++) {
        const char *key = rec->fields[i].key;
        int k = 0;
        while (k < tr_field_key_count && tr_field_keys[k] != key)
            k++;
        if (k == tr_field_key_count)
            for (k = 0; k < tr_field_key_count && strcmp(tr_field_keys[k], key) != 0; k++)
                ;
        if (k < tr_field_key_count && cols[k] == NULL)
            cols[k] = &rec->fields[i];
    }
    for (int k = 0; k < tr_field_key_count; k++) {
        g_string_append_c(out, ',');
        if (cols[k])
            tr_field_append(out, cols[k], &csv_style);
    }
    g_string_append_c(out, '\n');
}

static void *csv_start(GString *out, const tr_meta *meta)
{
    g_string_append(out, "time,category,event,phase");
    for (int k = 0; k < tr_field_key_count; k++)
        g_string_append_printf(out, ",%s", tr_field_keys[k]);
    g_string_append_c(out, '\n');
    /* The metadata as the first row, in columns that exist anyway. */
    tr_record info = {.category = "meta", .name = tr_clock_kind_name(meta->clock)};
    info.fields[info.nfields++] =
        (tr_field){.key = "name", .type = TR_F_STR, .s = meta->guest ? meta->guest : ""};
    info.fields[info.nfields++] =
        (tr_field){.key = "kind", .type = TR_F_STR, .s = meta->isa ? meta->isa : ""};
    row(out, &info);
    return NULL;
}

static void csv_record(void *state, GString *out, const tr_record *rec)
{
    row(out, rec);
}

static void csv_finish(void *state, GString *out) {}

const tr_format_ops tr_csv_ops = {csv_start, csv_record, csv_finish};
