/* Chrome trace-event JSON: {"traceEvents": [...]} with ts in microseconds
 * (a tick shows as a nanosecond), instant events on the guest's thread,
 * syscalls as B/E pairs. Addresses are "0x..." strings. */
#include "json.h"
#include "writer_impl.h"

typedef struct json_state {
    bool first;
} json_state;

static void ts(GString *out, uint64_t ticks)
{
    unsigned frac = (unsigned)(ticks % 1000);
    tr_append_u64(out, ticks / 1000);
    char digits[4] = {'.', (char)('0' + frac / 100), (char)('0' + frac / 10 % 10),
                      (char)('0' + frac % 10)};
    g_string_append_len(out, digits, sizeof digits);
}

static const tr_field_style json_style = {"\"", tr_json_string, "true", "false"};

static void begin_event(json_state *st, GString *out)
{
    g_string_append(out, st->first ? "\n" : ",\n");
    st->first = false;
}

static void *json_start(GString *out, const tr_meta *meta)
{
    json_state *st = g_new0(json_state, 1);
    st->first = true;
    const char *guest = meta->guest && *meta->guest ? meta->guest : "guest";
    g_string_append(out, "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"clock\":");
    tr_json_string(out, tr_clock_kind_name(meta->clock));
    g_string_append_printf(
        out, ",\"ticks_per_second\":%" G_GUINT64_FORMAT ",\"isa\":", meta->ticks_per_second);
    tr_json_string(out, meta->isa ? meta->isa : "");
    g_string_append(out, ",\"guest\":");
    tr_json_string(out, guest);
    g_string_append(out, ",\"version\":");
    tr_json_string(out, meta->version ? meta->version : "");
    g_string_append(out, ",\"categories\":[");
    bool any = false;
    for (unsigned bit = 1; bit & TR_CAT_ALL; bit <<= 1)
        if (meta->categories & bit) {
            g_string_append_printf(out, "%s\"%s\"", any ? "," : "", tr_category_name(bit));
            any = true;
        }
    g_string_append(out, "]},\"traceEvents\":[");
    begin_event(st, out);
    g_string_append(out, "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":1,\"tid\":2,"
                         "\"args\":{\"name\":");
    tr_json_string(out, guest);
    g_string_append(out, "}}");
    begin_event(st, out);
    g_string_append(out, "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":2,"
                         "\"args\":{\"name\":\"guest\"}}");
    return st;
}

static void json_record(void *state, GString *out, const tr_record *rec)
{
    begin_event(state, out);
    const char *ph = rec->phase == TR_PHASE_BEGIN ? "B" : rec->phase == TR_PHASE_END ? "E" : "i";
    g_string_append(out, "{\"name\":");
    tr_json_string(out, rec->name);
    g_string_append(out, ",\"cat\":");
    tr_json_string(out, rec->category);
    g_string_append(out, ",\"ph\":\"");
    g_string_append(out, ph);
    g_string_append(out, rec->phase == TR_PHASE_INSTANT ? "\",\"s\":\"t\",\"ts\":" : "\",\"ts\":");
    ts(out, rec->time);
    g_string_append(out, ",\"pid\":1,\"tid\":2,\"args\":{");
    for (int i = 0; i < rec->nfields; i++) {
        g_string_append(out, i ? ",\"" : "\"");
        g_string_append(out, rec->fields[i].key);
        g_string_append(out, "\":");
        tr_field_append(out, &rec->fields[i], &json_style);
    }
    g_string_append(out, "}}");
}

static void json_finish(void *state, GString *out)
{
    g_string_append(out, "\n]}\n");
    g_free(state);
}

const tr_format_ops tr_json_ops = {json_start, json_record, json_finish};
