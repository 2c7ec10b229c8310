/* Hardware profiles: a key file maps one key to one field of mmu_hw_config
 * through the table below, which also drives --set and --print-profile. */
#include "profile.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#ifndef MMU_PROFILE_DIR
#define MMU_PROFILE_DIR "profiles"
#endif

G_DEFINE_QUARK(mmu - profile - error - quark, mmu_profile_error)

typedef enum {
    K_STRING,   /* char * */
    K_U32,      /* uint32_t */
    K_U64,      /* uint64_t */
    K_WAYS,     /* uint32_t, "full" = 0 */
    K_SIZE,     /* uint64_t, K/M suffixes */
    K_LINE,     /* uint32_t bytes, K suffix */
    K_POLICY,   /* mmu_policy */
    K_WRITE,    /* the two bools of mmu_cache_config */
    K_ENTER,    /* mmu_walk_enter */
    K_STRADDLE, /* mmu_straddle */
    K_MHZ,      /* uint64_t clock_hz from MHz */
} key_type;

typedef struct key_desc {
    const char *group;
    const char *key;
    key_type type;
    size_t offset;
    const char *help; /* printed as a comment by --print-profile */
} key_desc;

#define F(field) offsetof(mmu_hw_config, field)
#define TLB(g, i)                                                                                  \
    {g, "entries", K_U32, F(tlb[i].entries), "entries (0: none)"},                                 \
        {g, "ways", K_WAYS, F(tlb[i].ways), "associativity, or full"},                             \
    {                                                                                              \
        g, "policy", K_POLICY, F(tlb[i].policy), "lru | plru | fifo | random"                      \
    }
#define CACHE(g, i)                                                                                \
    {g, "size", K_SIZE, F(cache[i].size), "bytes, K/M suffixes (0: none)"},                        \
        {g, "line", K_LINE, F(cache[i].line), "line size in bytes"},                               \
        {g, "ways", K_WAYS, F(cache[i].ways), "associativity, or full"},                           \
        {g, "policy", K_POLICY, F(cache[i].policy), "lru | plru | fifo | random"},                 \
    {                                                                                              \
        g, "write", K_WRITE, F(cache[i]),                                                          \
            "back-allocate | back-noallocate | through-allocate | through-noallocate"              \
    }

static const key_desc keys[] = {
    {"machine", "description", K_STRING, F(description), NULL},
    {"machine", "clock_mhz", K_MHZ, F(clock_hz), "modelled clock rate (guest time)"},
    {"machine", "seed", K_U64, F(seed), "seed of the random replacement policy"},
    TLB("tlb.l1i", TR_TLB_L1I),
    TLB("tlb.l1d", TR_TLB_L1D),
    TLB("tlb.l2", TR_TLB_L2),
    {"walk_cache", "entries", K_U32, F(walk_cache.entries), "upper-level entries (0: none)"},
    {"walk_cache", "ways", K_WAYS, F(walk_cache.ways), "associativity, or full"},
    {"walk_cache", "policy", K_POLICY, F(walk_cache.policy), "lru | plru | fifo | random"},
    {"walk", "enter", K_ENTER, F(walk_enter), "level entry reads enter: l1d | l2 | l3 | memory"},
    CACHE("cache.l1i", TR_CACHE_L1I),
    CACHE("cache.l1d", TR_CACHE_L1D),
    CACHE("cache.l2", TR_CACHE_L2),
    CACHE("cache.l3", TR_CACHE_L3),
    {"cache", "straddle", K_STRADDLE, F(straddle),
     "split (one reference per line) | one (valgrind's rule)"},
    {"cost", "tlb_l2", K_U32, F(cost.tlb_l2), "cycles: an L1 TLB miss looking up the L2 TLB"},
    {"cost", "walk", K_U32, F(cost.walk), "cycles: a walk, beyond its entry reads"},
    {"cost", "l1i", K_U32, F(cost.cache[TR_CACHE_L1I]), "cycles: served by L1I"},
    {"cost", "l1d", K_U32, F(cost.cache[TR_CACHE_L1D]), "cycles: served by L1D"},
    {"cost", "l2", K_U32, F(cost.cache[TR_CACHE_L2]), "cycles: served by L2"},
    {"cost", "l3", K_U32, F(cost.cache[TR_CACHE_L3]), "cycles: served by L3"},
    {"cost", "memory", K_U32, F(cost.memory), "cycles: served by memory"},
};

static const char *const policy_names[] = {"lru", "plru", "fifo", "random"};
static const char *const write_names[] = {"back-allocate", "back-noallocate", "through-allocate",
                                          "through-noallocate"};
static const char *const enter_names[] = {"l1i", "l1d", "l2", "l3", "memory"};
static const char *const straddle_names[] = {"split", "one"};

static const key_desc *find_key(const char *group, const char *key)
{
    for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
        if (strcmp(keys[i].group, group) == 0 && strcmp(keys[i].key, key) == 0)
            return &keys[i];
    return NULL;
}

static bool group_known(const char *group)
{
    for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
        if (strcmp(keys[i].group, group) == 0)
            return true;
    return false;
}

static bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    if (!g_ascii_isdigit(s[0]))
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return false;
    *out = v;
    return true;
}

/* A byte count with an optional K or M suffix (powers of 1024). */
static bool parse_size(const char *s, uint64_t max, uint64_t *out)
{
    g_autofree char *t = g_strstrip(g_strdup(s));
    size_t n = strlen(t);
    uint64_t mult = 1;
    if (n > 1 && (t[n - 1] == 'K' || t[n - 1] == 'k'))
        mult = 1024;
    else if (n > 1 && (t[n - 1] == 'M' || t[n - 1] == 'm'))
        mult = 1024 * 1024;
    if (mult > 1)
        t[n - 1] = '\0';
    uint64_t v;
    if (!parse_u64(t, max / mult, &v))
        return false;
    *out = v * mult;
    return true;
}

static int parse_name(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

static bool set_value(mmu_hw_config *cfg, const key_desc *k, const char *raw, GError **error)
{
    g_autofree char *v = g_strstrip(g_strdup(raw));
    char *field = (char *)cfg + k->offset;
    uint64_t n;
    int i;
    switch (k->type) {
    case K_STRING:
        g_free(*(char **)field);
        *(char **)field = g_strdup(v);
        return true;
    case K_U32:
        if (!parse_u64(v, UINT32_MAX, &n))
            break;
        *(uint32_t *)field = (uint32_t)n;
        return true;
    case K_U64:
        if (!parse_u64(v, UINT64_MAX, &n))
            break;
        *(uint64_t *)field = n;
        return true;
    case K_WAYS:
        if (strcmp(v, "full") == 0)
            n = 0;
        else if (!parse_u64(v, 1u << 20, &n) || n == 0)
            break;
        *(uint32_t *)field = (uint32_t)n;
        return true;
    case K_SIZE:
        if (!parse_size(v, 1ull << 40, &n))
            break;
        *(uint64_t *)field = n;
        return true;
    case K_LINE:
        if (!parse_size(v, 4096, &n))
            break;
        *(uint32_t *)field = (uint32_t)n;
        return true;
    case K_MHZ:
        if (!parse_u64(v, 1000000, &n) || n == 0)
            break;
        *(uint64_t *)field = n * 1000000;
        return true;
    case K_POLICY:
        if ((i = parse_name(v, policy_names, 4)) < 0)
            break;
        *(mmu_policy *)field = (mmu_policy)i;
        return true;
    case K_WRITE: {
        if ((i = parse_name(v, write_names, 4)) < 0)
            break;
        mmu_cache_config *c = (mmu_cache_config *)field;
        c->write_back = i < 2;
        c->write_allocate = (i % 2) == 0;
        return true;
    }
    case K_ENTER:
        if ((i = parse_name(v, enter_names, 5)) < 1) /* l1i is not a data cache */
            break;
        *(mmu_walk_enter *)field = (mmu_walk_enter)i;
        return true;
    case K_STRADDLE:
        if ((i = parse_name(v, straddle_names, 2)) < 0)
            break;
        *(mmu_straddle *)field = (mmu_straddle)i;
        return true;
    }
    g_set_error(error, MMU_PROFILE_ERROR, 1, "%s.%s: bad value '%s' (%s)", k->group, k->key, v,
                k->help ? k->help : "text");
    return false;
}

static void set_defaults(mmu_hw_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->clock_hz = 1000000000;
    cfg->seed = 1;
    cfg->walk_enter = MMU_WALK_ENTER_L1D;
    for (int i = 0; i < TR_CACHE_LEVELS; i++) {
        cfg->cache[i].line = 64;
        cfg->cache[i].write_back = true;
        cfg->cache[i].write_allocate = true;
    }
}

static bool is_pow2(uint64_t v)
{
    return v && (v & (v - 1)) == 0;
}

static bool bad(GError **error, const char *group, const char *key, const char *why)
{
    g_set_error(error, MMU_PROFILE_ERROR, 2, "%s.%s: %s", group, key, why);
    return false;
}

static bool check_array(const char *group, uint64_t entries, uint32_t ways, mmu_policy policy,
                        GError **error)
{
    uint32_t w = ways ? ways : (uint32_t)entries;
    if (entries > (1u << 24))
        return bad(error, group, "entries", "more than 16M entries");
    if (w > entries)
        return bad(error, group, "ways", "more ways than entries");
    if (entries % w || !is_pow2(entries / w))
        return bad(error, group, "ways", "entries / ways must be a power of two");
    if (policy == MMU_POLICY_PLRU && !is_pow2(w))
        return bad(error, group, "policy", "plru needs a power-of-two number of ways");
    return true;
}

bool mmu_hw_config_validate(const mmu_hw_config *cfg, GError **error)
{
    static const char *const tlb_groups[] = {"tlb.l1i", "tlb.l1d", "tlb.l2"};
    static const char *const cache_groups[] = {"cache.l1i", "cache.l1d", "cache.l2", "cache.l3"};
    for (int i = 0; i < TR_TLB_LEVELS; i++)
        if (cfg->tlb[i].entries && !check_array(tlb_groups[i], cfg->tlb[i].entries,
                                                cfg->tlb[i].ways, cfg->tlb[i].policy, error))
            return false;
    if (cfg->walk_cache.entries &&
        !check_array("walk_cache", cfg->walk_cache.entries, cfg->walk_cache.ways,
                     cfg->walk_cache.policy, error))
        return false;
    for (int i = 0; i < TR_CACHE_LEVELS; i++) {
        const mmu_cache_config *c = &cfg->cache[i];
        if (c->size == 0)
            continue;
        if (!is_pow2(c->line) || c->line < 4 || c->line > 4096)
            return bad(error, cache_groups[i], "line", "a power of two from 4 to 4096");
        if (c->size % c->line)
            return bad(error, cache_groups[i], "size", "not a multiple of the line size");
        uint64_t lines = c->size / c->line;
        if (lines > (1u << 24))
            return bad(error, cache_groups[i], "size", "more than 16M lines");
        uint32_t w = c->ways ? c->ways : (uint32_t)lines;
        if (w > lines)
            return bad(error, cache_groups[i], "ways", "more ways than lines");
        if (lines % w || !is_pow2(lines / w))
            return bad(error, cache_groups[i], "size",
                       "size / (line * ways) must be a power of two");
        if (c->policy == MMU_POLICY_PLRU && !is_pow2(w))
            return bad(error, cache_groups[i], "policy",
                       "plru needs a power-of-two number of ways");
    }
    if (cfg->clock_hz == 0)
        return bad(error, "machine", "clock_mhz", "must not be 0");
    return true;
}

static bool load_keyfile(mmu_hw_config *cfg, GKeyFile *kf, const char *where, GError **error)
{
    gsize ngroups;
    g_auto(GStrv) groups = g_key_file_get_groups(kf, &ngroups);
    for (gsize g = 0; g < ngroups; g++) {
        gsize nkeys;
        g_auto(GStrv) names = g_key_file_get_keys(kf, groups[g], &nkeys, NULL);
        if (!group_known(groups[g])) {
            g_set_error(error, MMU_PROFILE_ERROR, 3, "%s: unknown group [%s]", where, groups[g]);
            return false;
        }
        for (gsize k = 0; k < nkeys; k++) {
            const key_desc *d = find_key(groups[g], names[k]);
            if (!d) {
                g_set_error(error, MMU_PROFILE_ERROR, 3, "%s: %s.%s: unknown key", where, groups[g],
                            names[k]);
                return false;
            }
            g_autofree char *v = g_key_file_get_value(kf, groups[g], names[k], NULL);
            GError *e = NULL;
            if (!set_value(cfg, d, v, &e)) {
                g_propagate_prefixed_error(error, e, "%s: ", where);
                return false;
            }
        }
    }
    GError *e = NULL;
    if (!mmu_hw_config_validate(cfg, &e)) {
        g_propagate_prefixed_error(error, e, "%s: ", where);
        return false;
    }
    return true;
}

mmu_hw_config *mmu_profile_load_data(const char *name, const char *data, GError **error)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    GError *e = NULL;
    if (!g_key_file_load_from_data(kf, data, (gsize)-1, G_KEY_FILE_NONE, &e)) {
        g_set_error(error, MMU_PROFILE_ERROR, 4, "%s: %s", name, e->message);
        g_error_free(e);
        return NULL;
    }
    mmu_hw_config *cfg = g_new(mmu_hw_config, 1);
    set_defaults(cfg);
    cfg->name = g_strdup(name);
    if (!load_keyfile(cfg, kf, name, error)) {
        mmu_hw_config_free(cfg);
        return NULL;
    }
    return cfg;
}

const char *mmu_profile_dir(void)
{
    const char *env = g_getenv("ZXSIM_PROFILE_DIR");
    return env && *env ? env : MMU_PROFILE_DIR;
}

mmu_hw_config *mmu_profile_load(const char *name_or_file, GError **error)
{
    g_autofree char *path = NULL;
    g_autofree char *name = NULL;
    if (strchr(name_or_file, '/') || g_str_has_suffix(name_or_file, ".ini")) {
        path = g_strdup(name_or_file);
        g_autofree char *base = g_path_get_basename(name_or_file);
        name = g_str_has_suffix(base, ".ini") ? g_strndup(base, strlen(base) - 4) : g_strdup(base);
    } else {
        g_autofree char *file = g_strconcat(name_or_file, ".ini", NULL);
        path = g_build_filename(mmu_profile_dir(), file, NULL);
        name = g_strdup(name_or_file);
    }
    g_autofree char *data = NULL;
    GError *e = NULL;
    if (!g_file_get_contents(path, &data, NULL, &e)) {
        if (strchr(name_or_file, '/') || g_str_has_suffix(name_or_file, ".ini"))
            g_set_error(error, MMU_PROFILE_ERROR, 5, "profile %s: %s", name_or_file, e->message);
        else
            g_set_error(error, MMU_PROFILE_ERROR, 5,
                        "no profile named '%s' in %s (cortex-a72, skylake, teaching, callgrind "
                        "or a file path)",
                        name_or_file, mmu_profile_dir());
        g_error_free(e);
        return NULL;
    }
    return mmu_profile_load_data(name, data, error);
}

void mmu_hw_config_free(mmu_hw_config *cfg)
{
    if (!cfg)
        return;
    g_free(cfg->name);
    g_free(cfg->description);
    g_free(cfg);
}

bool mmu_profile_set(mmu_hw_config *cfg, const char *assignment, GError **error)
{
    const char *eq = strchr(assignment, '=');
    const char *dot = NULL;
    for (const char *p = assignment; eq && p < eq; p++)
        if (*p == '.')
            dot = p;
    if (!eq || !dot) {
        g_set_error(error, MMU_PROFILE_ERROR, 6,
                    "--set %s: expected GROUP.KEY=VALUE (e.g. cache.l1d.size=32K)", assignment);
        return false;
    }
    g_autofree char *group = g_strndup(assignment, (gsize)(dot - assignment));
    g_autofree char *key = g_strndup(dot + 1, (gsize)(eq - dot - 1));
    const key_desc *d = find_key(group, key);
    if (!d) {
        g_set_error(error, MMU_PROFILE_ERROR, 3, "%s.%s: unknown key", group, key);
        return false;
    }
    /* Work on a copy so that a refused value leaves cfg as it was. */
    mmu_hw_config copy = *cfg;
    copy.description = g_strdup(cfg->description);
    if (!set_value(&copy, d, eq + 1, error) || !mmu_hw_config_validate(&copy, error)) {
        g_free(copy.description);
        return false;
    }
    g_free(cfg->description);
    *cfg = copy;
    return true;
}

static void print_value(const mmu_hw_config *cfg, const key_desc *k, GString *out)
{
    const char *field = (const char *)cfg + k->offset;
    switch (k->type) {
    case K_STRING:
        g_string_append(out, *(char *const *)field ? *(char *const *)field : "");
        break;
    case K_U32:
    case K_LINE:
        g_string_append_printf(out, "%u", *(const uint32_t *)field);
        break;
    case K_U64:
        g_string_append_printf(out, "%" G_GUINT64_FORMAT, *(const uint64_t *)field);
        break;
    case K_WAYS:
        if (*(const uint32_t *)field == 0)
            g_string_append(out, "full");
        else
            g_string_append_printf(out, "%u", *(const uint32_t *)field);
        break;
    case K_SIZE: {
        uint64_t v = *(const uint64_t *)field;
        if (v && v % (1024 * 1024) == 0)
            g_string_append_printf(out, "%" G_GUINT64_FORMAT "M", v / (1024 * 1024));
        else if (v && v % 1024 == 0)
            g_string_append_printf(out, "%" G_GUINT64_FORMAT "K", v / 1024);
        else
            g_string_append_printf(out, "%" G_GUINT64_FORMAT, v);
        break;
    }
    case K_MHZ:
        g_string_append_printf(out, "%" G_GUINT64_FORMAT, *(const uint64_t *)field / 1000000);
        break;
    case K_POLICY:
        g_string_append(out, policy_names[*(const mmu_policy *)field]);
        break;
    case K_WRITE: {
        const mmu_cache_config *c = (const mmu_cache_config *)field;
        g_string_append(out, write_names[(c->write_back ? 0 : 2) + (c->write_allocate ? 0 : 1)]);
        break;
    }
    case K_ENTER:
        g_string_append(out, enter_names[*(const mmu_walk_enter *)field]);
        break;
    case K_STRADDLE:
        g_string_append(out, straddle_names[*(const mmu_straddle *)field]);
        break;
    }
}

void mmu_profile_print(const mmu_hw_config *cfg, GString *out)
{
    g_string_append_printf(out, "# zxsim hardware profile '%s', resolved\n",
                           cfg->name ? cfg->name : "");
    const char *group = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
        const key_desc *k = &keys[i];
        if (!group || strcmp(group, k->group) != 0) {
            g_string_append_printf(out, "%s[%s]\n", group ? "\n" : "", k->group);
            group = k->group;
        }
        /* GKeyFile has no trailing comments: the help goes above the key,
         * the first time that key and help appear. */
        bool said = false;
        for (size_t j = 0; j < i && k->help; j++)
            said |= keys[j].help && strcmp(keys[j].key, k->key) == 0 &&
                    strcmp(keys[j].help, k->help) == 0;
        if (k->help && !said)
            g_string_append_printf(out, "# %s\n", k->help);
        g_string_append_printf(out, "%s = ", k->key);
        print_value(cfg, k, out);
        g_string_append_c(out, '\n');
    }
}
