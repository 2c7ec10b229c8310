/* What each format implements; writer.c does buffering and files. */
#pragma once

#include "record.h"
#include "writer.h"

typedef struct tr_format_ops {
    void *(*start)(GString *out, const tr_meta *meta);
    void (*record)(void *state, GString *out, const tr_record *rec);
    void (*finish)(void *state, GString *out);
} tr_format_ops;

extern const tr_format_ops tr_fxt_ops;
extern const tr_format_ops tr_json_ops;
extern const tr_format_ops tr_csv_ops;
extern const tr_format_ops tr_text_ops;
