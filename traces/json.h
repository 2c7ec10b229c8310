/* Writing JSON with GString: the one escape every writer needs. Strings
 * may come from the guest (VMO names), so every control byte is escaped. */
#pragma once

#include <glib.h>
#include <stdint.h>

static inline void tr_json_string(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            g_string_append_printf(out, "\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7f)
            g_string_append_printf(out, "\\u%04x", *p); /* names are bytes, not UTF-8 */
        else
            g_string_append_c(out, (char)*p);
    }
    g_string_append_c(out, '"');
}

/* Addresses and entry values as "0x..." strings: JSON numbers lose bits
 * above 2^53 in most readers. */
static inline void tr_json_hex(GString *out, uint64_t v)
{
    g_string_append_printf(out, "\"0x%" G_GINT64_MODIFIER "x\"", v);
}
