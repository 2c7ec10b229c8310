#include "writer_impl.h"

#include <errno.h>
#include <string.h>

/* Output is gathered in memory and written in large pieces; the text
 * format goes out at every event, since someone is watching it. */
#define FLUSH_AT (256u << 10)

struct tr_writer {
    FILE *out;
    bool own;
    bool failed;
    int error_no;
    char *path;
    tr_format format;
    const tr_format_ops *ops;
    void *state;
    GString *buf;
    uint64_t events;
    uint64_t bytes;
};

bool tr_format_for_path(const char *path, tr_format *format)
{
    if (strcmp(path, "-") == 0)
        *format = TR_FORMAT_TEXT;
    else if (g_str_has_suffix(path, ".fxt"))
        *format = TR_FORMAT_FXT;
    else if (g_str_has_suffix(path, ".json"))
        *format = TR_FORMAT_JSON;
    else if (g_str_has_suffix(path, ".csv"))
        *format = TR_FORMAT_CSV;
    else
        return false;
    return true;
}

static const tr_format_ops *ops_for(tr_format format)
{
    switch (format) {
    case TR_FORMAT_FXT:
        return &tr_fxt_ops;
    case TR_FORMAT_JSON:
        return &tr_json_ops;
    case TR_FORMAT_CSV:
        return &tr_csv_ops;
    case TR_FORMAT_TEXT:
        break;
    }
    return &tr_text_ops;
}

static void flush(tr_writer *w)
{
    if (w->buf->len == 0)
        return;
    if (!w->failed && fwrite(w->buf->str, 1, w->buf->len, w->out) != w->buf->len) {
        w->failed = true;
        w->error_no = errno;
    }
    w->bytes += w->buf->len;
    g_string_truncate(w->buf, 0);
}

tr_writer *tr_writer_new(FILE *out, tr_format format, const tr_meta *meta)
{
    tr_writer *w = g_new0(tr_writer, 1);
    w->out = out;
    w->format = format;
    w->ops = ops_for(format);
    w->buf = g_string_sized_new(FLUSH_AT + 4096);
    w->state = w->ops->start(w->buf, meta);
    if (format == TR_FORMAT_TEXT)
        flush(w);
    return w;
}

tr_writer *tr_writer_open(const char *path, const tr_meta *meta, GError **error)
{
    tr_format format;
    if (!tr_format_for_path(path, &format)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                    "--trace %s: unknown format (use a name ending in .fxt, .json or .csv, or - "
                    "for text on standard error)",
                    path);
        return NULL;
    }
    FILE *out = stderr;
    if (format != TR_FORMAT_TEXT) {
        out = fopen(path, "wb");
        if (out == NULL) {
            int e = errno;
            g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "--trace %s: %s", path,
                        g_strerror(e));
            return NULL;
        }
    }
    tr_writer *w = tr_writer_new(out, format, meta);
    w->own = format != TR_FORMAT_TEXT;
    w->path = g_strdup(path);
    return w;
}

void tr_writer_emit(void *writer, const tr_event *event)
{
    tr_writer *w = writer;
    tr_record rec;
    tr_record_from_event(event, &rec);
    w->ops->record(w->state, w->buf, &rec);
    w->events++;
    if (w->format == TR_FORMAT_TEXT || w->buf->len >= FLUSH_AT)
        flush(w);
}

void tr_writer_attach(tr_writer *w, tr_sink *sink)
{
    sink->emit = tr_writer_emit;
    sink->ctx = w;
}

uint64_t tr_writer_events(const tr_writer *w)
{
    return w->events;
}

uint64_t tr_writer_bytes(const tr_writer *w)
{
    return w->bytes + w->buf->len;
}

bool tr_writer_close(tr_writer *w, GError **error)
{
    w->ops->finish(w->state, w->buf);
    flush(w);
    if (!w->failed && fflush(w->out) != 0) {
        w->failed = true;
        w->error_no = errno;
    }
    if (w->own && fclose(w->out) != 0 && !w->failed) {
        w->failed = true;
        w->error_no = errno;
    }
    bool ok = !w->failed;
    if (!ok)
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(w->error_no),
                    "--trace %s: write failed: %s", w->path ? w->path : "(stream)",
                    g_strerror(w->error_no));
    g_string_free(w->buf, TRUE);
    g_free(w->path);
    g_free(w);
    return ok;
}
