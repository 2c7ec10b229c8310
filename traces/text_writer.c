/* One readable line per event, written as it happens:
 *   zxsim: trace      17 fault demand-zero va=0x... access=write ... */
#include "writer_impl.h"

#include <string.h>

static void *text_start(GString *out, const tr_meta *meta)
{
    g_string_append_printf(out, "zxsim: trace of %s (%s), clock: %s\n",
                           meta->guest ? meta->guest : "guest", meta->isa ? meta->isa : "?",
                           tr_clock_kind_name(meta->clock));
    return NULL;
}

/* Names come from the guest: no raw control bytes on a terminal. */
static void text_string(GString *out, const char *s)
{
    g_autofree char *safe = g_strescape(s, NULL);
    if (*s && strcmp(safe, s) == 0 && strpbrk(s, " =") == NULL)
        g_string_append(out, s);
    else
        g_string_append_printf(out, "\"%s\"", safe);
}

static const tr_field_style text_style = {"", text_string, "yes", "no"};

static void text_record(void *state, GString *out, const tr_record *rec)
{
    static const char *const phases[] = {"", " begin", " end"};
    g_string_append_printf(out, "zxsim: trace %8" G_GUINT64_FORMAT " %-7s %s%s", rec->time,
                           rec->category, rec->name, phases[rec->phase]);
    for (int i = 0; i < rec->nfields; i++) {
        const tr_field *f = &rec->fields[i];
        g_string_append_printf(out, " %s=", f->key);
        tr_field_append(out, f, &text_style);
    }
    g_string_append_c(out, '\n');
}

static void text_finish(void *state, GString *out) {}

const tr_format_ops tr_text_ops = {text_start, text_record, text_finish};
