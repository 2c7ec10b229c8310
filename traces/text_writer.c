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

static void text_record(void *state, GString *out, const tr_record *rec)
{
    static const char *const phases[] = {"", " begin", " end"};
    g_string_append_printf(out, "zxsim: trace %8" G_GUINT64_FORMAT " %-7s %s%s", rec->time,
                           rec->category, rec->name, phases[rec->phase]);
    for (int i = 0; i < rec->nfields; i++) {
        const tr_field *f = &rec->fields[i];
        g_string_append_printf(out, " %s=", f->key);
        switch (f->type) {
        case TR_F_U64:
        case TR_F_KOID:
            g_string_append_printf(out, "%" G_GUINT64_FORMAT, f->u);
            break;
        case TR_F_I64:
            g_string_append_printf(out, "%" G_GINT64_FORMAT, (int64_t)f->u);
            break;
        case TR_F_HEX:
            g_string_append_printf(out, "0x%" G_GINT64_MODIFIER "x", f->u);
            break;
        case TR_F_STR: {
            /* Names come from the guest: no raw control bytes on a terminal. */
            const char *s = f->s ? f->s : "";
            g_autofree char *safe = g_strescape(s, NULL);
            if (*s && strcmp(safe, s) == 0 && strpbrk(s, " =") == NULL)
                g_string_append(out, s);
            else
                g_string_append_printf(out, "\"%s\"", safe);
            break;
        }
        case TR_F_BOOL:
            g_string_append(out, f->u ? "yes" : "no");
            break;
        }
    }
    g_string_append_c(out, '\n');
}

static void text_finish(void *state, GString *out) {}

const tr_format_ops tr_text_ops = {text_start, text_record, text_finish};
