#include "host_ram.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* A /proc/meminfo field in bytes, or -1 when it is missing. */
static int64_t meminfo_field(const char *text, const char *field)
{
    size_t n = strlen(field);
    for (const char *line = text; line != NULL && *line != '\0';) {
        if (strncmp(line, field, n) == 0 && line[n] == ':') {
            unsigned long long kib;
            if (sscanf(line + n + 1, " %llu", &kib) == 1)
                return (int64_t)(kib * 1024);
            return -1;
        }
        line = strchr(line, '\n');
        if (line != NULL)
            line++;
    }
    return -1;
}

bool sim_host_ram_check(uint64_t ram_bytes, GError **error)
{
    g_autofree char *text = NULL;
    if (!g_file_get_contents("/proc/meminfo", &text, NULL, NULL))
        return true;
    int64_t avail = meminfo_field(text, "MemAvailable");
    int64_t swap = meminfo_field(text, "SwapFree");
    if (avail < 0)
        return true;
    uint64_t can = (uint64_t)avail + (uint64_t)(swap > 0 ? swap : 0);
    if (ram_bytes <= can)
        return true;
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOMEM,
                "--ram of %" PRIu64 " MiB is more than this host can back (%" PRIu64
                " MiB available in memory and swap); a guest using it all would be killed by the "
                "host, so choose a smaller --ram",
                ram_bytes >> 20, can >> 20);
    return false;
}
