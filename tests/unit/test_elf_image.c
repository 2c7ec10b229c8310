/* Tests for the ELF parser: the malformed-file corpus that the integration
 * test feeds to zxsim, plus truncation and mutation sweeps that ASan and
 * UBSan watch for out-of-bounds reads. */
#include "sim/elf_image.h"
#include "tests/integration/bad_elves.h"

#include "check_main.h"

#include <check.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* The user address range zxsim gives each machine. */
#define USER_LO        0x200000ull
#define USER_HI_ARM64  0x0000ffffff000000ull
#define USER_HI_X86_64 0x00007ffffffff000ull

static char *corpus_dir;
static GPtrArray *expected_lines; /* char *[2]: file, substring */
static GPtrArray *valid_lines;    /* char *[3]: file, machine name, entry */

static uint64_t user_hi(uint16_t machine)
{
    return machine == EM_X86_64 ? USER_HI_X86_64 : USER_HI_ARM64;
}

/* What zxsim does with a file: load, then check the layout against the
 * machine's user range. Returns NULL and the image on success. */
static GError *load_and_check(const char *path, sim_elf_image **out)
{
    GError *error = NULL;
    sim_elf_image *img = sim_elf_image_load(path, &error);
    if (img != NULL &&
        !sim_elf_image_check_layout(img, path, USER_LO, user_hi(img->machine), &error)) {
        sim_elf_image_free(img);
        img = NULL;
    }
    if (out != NULL)
        *out = img;
    else
        sim_elf_image_free(img);
    return error;
}

static GError *parse_and_check(const char *name, GBytes *bytes, sim_elf_image **out)
{
    GError *error = NULL;
    sim_elf_image *img = sim_elf_image_parse(name, bytes, &error);
    if (img != NULL &&
        !sim_elf_image_check_layout(img, name, USER_LO, user_hi(img->machine), &error)) {
        sim_elf_image_free(img);
        img = NULL;
    }
    if (out != NULL)
        *out = img;
    else
        sim_elf_image_free(img);
    return error;
}

/* Every message is one line that starts with the name it was given. */
static void assert_well_formed(const GError *error, const char *name)
{
    char *prefix = g_strconcat(name, ": ", NULL);
    ck_assert_msg(g_str_has_prefix(error->message, prefix), "message does not start with '%s': %s",
                  prefix, error->message);
    ck_assert_msg(strchr(error->message, '\n') == NULL, "message is not one line: %s",
                  error->message);
    ck_assert_msg(strlen(error->message) > strlen(prefix), "message is empty");
    g_free(prefix);
}

static GBytes *spec_bytes_of(void (*edit)(bad_elves_spec *), uint16_t machine)
{
    bad_elves_spec s;
    bad_elves_spec_init(&s, machine);
    if (edit != NULL)
        edit(&s);
    return bad_elves_spec_bytes(&s);
}

START_TEST(test_corpus_rejects)
{
    char **line = g_ptr_array_index(expected_lines, _i);
    char *path = g_build_filename(corpus_dir, line[0], NULL);
    GError *error = load_and_check(path, NULL);
    ck_assert_msg(error != NULL, "%s was accepted", line[0]);
    assert_well_formed(error, path);
    ck_assert_msg(strstr(error->message, line[1]) != NULL, "%s: expected '%s' in: %s", line[0],
                  line[1], error->message);
    g_error_free(error);
    g_free(path);
}
END_TEST

START_TEST(test_corpus_valid)
{
    char **line = g_ptr_array_index(valid_lines, _i);
    char *path = g_build_filename(corpus_dir, line[0], NULL);
    sim_elf_image *img = NULL;
    GError *error = load_and_check(path, &img);
    ck_assert_msg(error == NULL, "%s", error != NULL ? error->message : "");
    ck_assert_ptr_nonnull(img);

    ck_assert_str_eq(sim_elf_machine_name(img->machine), line[1]);
    ck_assert_uint_eq(img->entry, g_ascii_strtoull(line[2], NULL, 16));
    ck_assert_uint_eq(img->entry, BAD_ELVES_ENTRY);
    ck_assert_uint_eq(img->segments->len, 1);
    const sim_elf_segment *s = &g_array_index(img->segments, sim_elf_segment, 0);
    ck_assert_uint_eq(s->vaddr, BAD_ELVES_VADDR);
    ck_assert_uint_eq(s->memsz, BAD_ELVES_FILE_SIZE);
    ck_assert_uint_eq(s->file_offset, 0);
    ck_assert_uint_eq(s->filesz, BAD_ELVES_FILE_SIZE);
    ck_assert_uint_eq(s->perms, SIM_ELF_PERM_READ | SIM_ELF_PERM_EXEC);
    ck_assert_uint_eq(s->index, 0);

    gsize size;
    const uint8_t *data = g_bytes_get_data(img->file, &size);
    ck_assert_uint_eq(size, BAD_ELVES_FILE_SIZE);
    size_t code_len;
    const uint8_t *code = bad_elves_code(img->machine, &code_len);
    ck_assert_uint_gt(code_len, 0);
    ck_assert_mem_eq(data + BAD_ELVES_CODE_OFFSET, code, code_len);

    sim_elf_image_free(img);
    g_free(path);
}
END_TEST

START_TEST(test_manifest)
{
    /* Conditional files (fifo, unreadable) may be missing; the rest may not. */
    ck_assert_uint_ge(expected_lines->len, 38);
    ck_assert_uint_eq(valid_lines->len, 2);
    for (guint i = 0; i < expected_lines->len; i++) {
        char **line = g_ptr_array_index(expected_lines, i);
        char *path = g_build_filename(corpus_dir, line[0], NULL);
        gboolean exists = g_file_test(path, G_FILE_TEST_EXISTS);
        ck_assert_msg(exists == (strcmp(line[0], "missing.elf") != 0), "%s", line[0]);
        g_free(path);
    }
}
END_TEST

START_TEST(test_every_truncation_fails)
{
    uint16_t machine = _i == 0 ? EM_AARCH64 : EM_X86_64;
    GBytes *whole = spec_bytes_of(NULL, machine);
    gsize size = g_bytes_get_size(whole);
    for (gsize len = 0; len < size; len++) {
        GBytes *part = g_bytes_new_from_bytes(whole, 0, len);
        GError *error = parse_and_check("cut.elf", part, NULL);
        ck_assert_msg(error != NULL, "truncated to %zu bytes was accepted", (size_t)len);
        assert_well_formed(error, "cut.elf");
        g_error_free(error);
        g_bytes_unref(part);
    }
    GError *error = parse_and_check("whole.elf", whole, NULL);
    ck_assert_msg(error == NULL, "%s", error != NULL ? error->message : "");
    g_bytes_unref(whole);
}
END_TEST

START_TEST(test_random_mutations)
{
    /* Fixed seed so a failure reproduces. Most edits land in the headers,
     * where the parser's decisions are. */
    static const uint64_t interesting[] = {
        0,
        1,
        0x7f,
        0x80,
        0xff,
        0xfff,
        0x1000,
        0xffff,
        0x10000,
        0x7fffffff,
        0x80000000,
        0xffffffff,
        BAD_ELVES_FILE_SIZE,
        BAD_ELVES_VADDR,
        1ull << 63,
        UINT64_MAX,
        UINT64_MAX - 0xfff,
        64ull << 30,
    };
    GRand *rand = g_rand_new_with_seed(0x5eed + _i);
    GBytes *base = spec_bytes_of(NULL, _i == 0 ? EM_AARCH64 : EM_X86_64);
    gsize size;
    const uint8_t *base_data = g_bytes_get_data(base, &size);
    unsigned accepted = 0;
    for (int iter = 0; iter < 20000; iter++) {
        uint8_t *buf = g_memdup2(base_data, size);
        int edits = g_rand_int_range(rand, 1, 5);
        for (int e = 0; e < edits; e++) {
            gsize limit = g_rand_int_range(rand, 0, 10) < 8 ? 64 + 2 * 56 : size;
            gsize at = g_rand_int_range(rand, 0, (gint32)limit);
            if (g_rand_boolean(rand) && at + 8 <= size) {
                uint64_t v = interesting[g_rand_int_range(rand, 0, G_N_ELEMENTS(interesting))];
                int width = 1 << g_rand_int_range(rand, 1, 4);
                for (int b = 0; b < width; b++)
                    buf[at + b] = (uint8_t)(v >> (8 * b));
            } else {
                buf[at] = (uint8_t)g_rand_int(rand);
            }
        }
        gsize len = g_rand_int_range(rand, 0, 10) == 0
                        ? (gsize)g_rand_int_range(rand, 0, (gint32)size)
                        : size;
        GBytes *bytes = g_bytes_new_take(buf, len);
        sim_elf_image *img = NULL;
        GError *error = parse_and_check("fuzz.elf", bytes, &img);
        if (error != NULL) {
            assert_well_formed(error, "fuzz.elf");
            g_error_free(error);
        } else {
            /* Whatever was accepted must be safe to copy from. */
            for (guint i = 0; i < img->segments->len; i++) {
                const sim_elf_segment *s = &g_array_index(img->segments, sim_elf_segment, i);
                ck_assert_uint_le(s->filesz, s->memsz);
                ck_assert_uint_le(s->file_offset + s->filesz, len);
            }
            accepted++;
            sim_elf_image_free(img);
        }
        g_bytes_unref(bytes);
    }
    /* Edits to fields the parser ignores must leave the file valid. */
    ck_assert_uint_gt(accepted, 0);
    g_bytes_unref(base);
    g_rand_free(rand);
}
END_TEST

static void edit_multi(bad_elves_spec *s)
{
    /* Data first in the file, code last, ignored headers between. */
    bad_elves_spec_add(s, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16);
    bad_elves_spec_add(s, PT_LOAD, PF_R, 0, 0x30000000, 0, 0, 0x1000);
    bad_elves_spec_add(s, PT_LOAD, PF_R | PF_W, 0x10, BAD_ELVES_VADDR + 0x2010, 0x20, 0x3000, 0);
    Elf64_Phdr text = s->ph[0];
    s->ph[0] = s->ph[3];
    s->ph[3] = text;
}

START_TEST(test_segments_in_file_order)
{
    GBytes *bytes = spec_bytes_of(edit_multi, EM_X86_64);
    sim_elf_image *img = NULL;
    GError *error = parse_and_check("multi.elf", bytes, &img);
    ck_assert_msg(error == NULL, "%s", error != NULL ? error->message : "");
    ck_assert_uint_eq(img->machine, EM_X86_64);
    ck_assert_uint_eq(img->segments->len, 2);
    const sim_elf_segment *data = &g_array_index(img->segments, sim_elf_segment, 0);
    const sim_elf_segment *text = &g_array_index(img->segments, sim_elf_segment, 1);
    ck_assert_uint_eq(data->index, 0);
    ck_assert_uint_eq(data->vaddr, BAD_ELVES_VADDR + 0x2010);
    ck_assert_uint_eq(data->file_offset, 0x10);
    ck_assert_uint_eq(data->filesz, 0x20);
    ck_assert_uint_eq(data->memsz, 0x3000);
    ck_assert_uint_eq(data->perms, SIM_ELF_PERM_READ | SIM_ELF_PERM_WRITE);
    ck_assert_uint_eq(text->index, 3);
    ck_assert_uint_eq(text->perms, SIM_ELF_PERM_READ | SIM_ELF_PERM_EXEC);
    sim_elf_image_free(img);
    g_bytes_unref(bytes);
}
END_TEST

static void edit_overlap_far_apart(bad_elves_spec *s)
{
    /* Segment 3 overlaps segment 1, with segment 2 between them by address,
     * so comparing neighbours in file order would miss it. */
    bad_elves_spec_add(s, PT_LOAD, PF_R | PF_W, 0, 0x10010000, 0, 0x10000, 0x1000);
    bad_elves_spec_add(s, PT_LOAD, PF_R | PF_W, 0, 0x10008000, 0, 0x1000, 0x1000);
    bad_elves_spec_add(s, PT_LOAD, PF_R | PF_W, 0, 0x1001f000, 0, 0x100, 0x1000);
}

START_TEST(test_overlap_not_adjacent)
{
    GBytes *bytes = spec_bytes_of(edit_overlap_far_apart, EM_AARCH64);
    GError *error = parse_and_check("far.elf", bytes, NULL);
    ck_assert_ptr_nonnull(error);
    ck_assert_msg(strstr(error->message, "segments 1 and 3 overlap (both use the page at "
                                         "0x1001f000)") != NULL,
                  "%s", error->message);
    g_error_free(error);
    g_bytes_unref(bytes);
}
END_TEST

static void edit_adjacent_pages(bad_elves_spec *s)
{
    bad_elves_spec_add(s, PT_LOAD, PF_R | PF_W, 0, BAD_ELVES_VADDR + 0x1000, 0, 0x1000, 0x1000);
}

START_TEST(test_adjacent_pages_allowed)
{
    GBytes *bytes = spec_bytes_of(edit_adjacent_pages, EM_AARCH64);
    GError *error = parse_and_check("adjacent.elf", bytes, NULL);
    ck_assert_msg(error == NULL, "%s", error != NULL ? error->message : "");
    g_bytes_unref(bytes);
}
END_TEST

START_TEST(test_layout_bounds)
{
    GBytes *bytes = spec_bytes_of(NULL, EM_AARCH64);
    sim_elf_image *img = sim_elf_image_parse("bounds.elf", bytes, NULL);
    ck_assert_ptr_nonnull(img);
    sim_elf_segment *s = &g_array_index(img->segments, sim_elf_segment, 0);
    GError *error = NULL;

    /* The page-rounded range may touch both ends of [lo, hi). */
    ck_assert(
        sim_elf_image_check_layout(img, "b", BAD_ELVES_VADDR, BAD_ELVES_VADDR + 0x1000, NULL));
    ck_assert(
        !sim_elf_image_check_layout(img, "b", BAD_ELVES_VADDR + 0x1000, USER_HI_ARM64, &error));
    ck_assert_int_eq(error->code, SIM_ELF_ERROR_LAYOUT);
    g_clear_error(&error);
    ck_assert(!sim_elf_image_check_layout(img, "b", USER_LO, BAD_ELVES_VADDR + 0xfff, &error));
    g_clear_error(&error);

    /* The entry may be the segment's last byte, not one past it. */
    img->entry = s->vaddr + s->memsz - 1;
    ck_assert(sim_elf_image_check_layout(img, "b", USER_LO, USER_HI_ARM64, NULL));
    img->entry = s->vaddr + s->memsz;
    ck_assert(!sim_elf_image_check_layout(img, "b", USER_LO, USER_HI_ARM64, &error));
    ck_assert_ptr_nonnull(strstr(error->message, "not inside any loadable segment"));
    g_clear_error(&error);

    /* A hand-built image that wraps is outside any range rather than a crash. */
    img->entry = s->vaddr;
    s->vaddr = UINT64_MAX - 0x10;
    s->memsz = 0x100;
    ck_assert(!sim_elf_image_check_layout(img, "b", 0, UINT64_MAX, &error));
    ck_assert_ptr_nonnull(strstr(error->message, "lies outside"));
    g_clear_error(&error);

    sim_elf_image_free(img);
    g_bytes_unref(bytes);
}
END_TEST

START_TEST(test_error_domains)
{
    struct {
        const char *file;
        GQuark domain;
        int code;
    } cases[] = {
        {"missing.elf", G_FILE_ERROR, G_FILE_ERROR_NOENT},
        {"directory.elf", G_FILE_ERROR, G_FILE_ERROR_ISDIR},
        {"bad_magic.elf", SIM_ELF_ERROR, SIM_ELF_ERROR_INVALID},
        {"elf32.elf", SIM_ELF_ERROR, SIM_ELF_ERROR_UNSUPPORTED},
        {"pie.elf", SIM_ELF_ERROR, SIM_ELF_ERROR_UNSUPPORTED},
        {"overlap.elf", SIM_ELF_ERROR, SIM_ELF_ERROR_LAYOUT},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *path = g_build_filename(corpus_dir, cases[i].file, NULL);
        GError *error = load_and_check(path, NULL);
        ck_assert_msg(g_error_matches(error, cases[i].domain, cases[i].code), "%s: %s",
                      cases[i].file, error != NULL ? error->message : "accepted");
        g_error_free(error);
        /* Callers that do not want the error must get the same answer. */
        sim_elf_image *img = sim_elf_image_load(path, NULL);
        if (img != NULL) {
            ck_assert(!sim_elf_image_check_layout(img, path, USER_LO, user_hi(img->machine), NULL));
            sim_elf_image_free(img);
        }
        g_free(path);
    }
}
END_TEST

START_TEST(test_interp_named)
{
    char *path = g_build_filename(corpus_dir, "interp.elf", NULL);
    GError *error = load_and_check(path, NULL);
    ck_assert_ptr_nonnull(error);
    ck_assert_msg(strstr(error->message, "PT_INTERP names /lib/ld-linux-aarch64.so.1") != NULL,
                  "%s", error->message);
    g_error_free(error);
    g_free(path);
}
END_TEST

static void edit_garbage_interp(bad_elves_spec *s)
{
    s->interp = "evil\n\033[31mred";
    bad_elves_spec_add(s, PT_INTERP, PF_R, BAD_ELVES_INTERP_OFFSET, 0, strlen(s->interp) + 1,
                       strlen(s->interp) + 1, 1);
}

START_TEST(test_untrusted_text_stays_on_one_line)
{
    GBytes *bytes = spec_bytes_of(edit_garbage_interp, EM_AARCH64);
    GError *error = NULL;
    ck_assert_ptr_null(sim_elf_image_parse("x.elf", bytes, &error));
    ck_assert_msg(strstr(error->message, "program header 1 is PT_INTERP") != NULL, "%s",
                  error->message);
    g_clear_error(&error);

    /* A name with a newline in it still gives one line. */
    ck_assert_ptr_null(sim_elf_image_parse("two\nlines.elf", bytes, &error));
    ck_assert_ptr_null(strchr(error->message, '\n'));
    ck_assert(g_str_has_prefix(error->message, "two?lines.elf: "));
    g_clear_error(&error);
    g_bytes_unref(bytes);
}
END_TEST

static void edit_unaligned_phoff(bad_elves_spec *s)
{
    s->eh.e_phoff = 67;
}

START_TEST(test_unaligned_program_headers)
{
    /* Nothing requires e_phoff to be aligned; reading such a table must
     * neither fail nor trip UBSan's alignment check. */
    GBytes *bytes = spec_bytes_of(edit_unaligned_phoff, EM_AARCH64);
    GError *error = parse_and_check("unaligned.elf", bytes, NULL);
    ck_assert_msg(error == NULL, "%s", error != NULL ? error->message : "");
    g_bytes_unref(bytes);
}
END_TEST

START_TEST(test_many_program_headers)
{
    /* The most headers e_phnum can count, each its own page of bss, listed
     * in descending address order; then one duplicate address. */
    const unsigned n = PN_XNUM - 1;
    gsize size = sizeof(Elf64_Ehdr) + (gsize)n * sizeof(Elf64_Phdr);
    uint8_t *buf = g_malloc0(size);
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    s.eh.e_phnum = n;
    s.eh.e_entry = BAD_ELVES_VADDR;
    bad_elves_put_ehdr(buf, &s.eh);
    Elf64_Phdr text = s.ph[0];
    text.p_filesz = text.p_memsz = sizeof(Elf64_Ehdr);
    bad_elves_put_phdr(buf + sizeof(Elf64_Ehdr), &text, FALSE);
    for (unsigned i = 1; i < n; i++) {
        Elf64_Phdr bss = {.p_type = PT_LOAD,
                          .p_flags = PF_R | PF_W,
                          .p_vaddr = BAD_ELVES_VADDR + 0x1000ull * (n - i + 1),
                          .p_memsz = 0x1000};
        bad_elves_put_phdr(buf + sizeof(Elf64_Ehdr) + i * sizeof(Elf64_Phdr), &bss, FALSE);
    }
    GBytes *bytes = g_bytes_new_take(buf, size);
    sim_elf_image *img = NULL;
    GError *error = parse_and_check("many.elf", bytes, &img);
    ck_assert_msg(error == NULL, "%s", error != NULL ? error->message : "");
    ck_assert_uint_eq(img->segments->len, n);
    sim_elf_image_free(img);
    buf = g_memdup2(g_bytes_get_data(bytes, NULL), size);
    g_bytes_unref(bytes);

    Elf64_Phdr dup = {.p_type = PT_LOAD,
                      .p_flags = PF_R | PF_W,
                      .p_vaddr = BAD_ELVES_VADDR + 0x1000ull * 5,
                      .p_memsz = 0x10};
    bad_elves_put_phdr(buf + sizeof(Elf64_Ehdr) + (n - 1) * sizeof(Elf64_Phdr), &dup, FALSE);
    bytes = g_bytes_new_take(buf, size);
    error = parse_and_check("many.elf", bytes, NULL);
    ck_assert_ptr_nonnull(error);
    ck_assert_msg(strstr(error->message, "overlap") != NULL, "%s", error->message);
    g_error_free(error);
    g_bytes_unref(bytes);
}
END_TEST

static GPtrArray *read_manifest(const char *name, guint fields, GError **error)
{
    char *path = g_build_filename(corpus_dir, name, NULL);
    char *text = NULL;
    gboolean ok = g_file_get_contents(path, &text, NULL, error);
    g_free(path);
    if (!ok)
        return NULL;
    GPtrArray *lines = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    char **split = g_strsplit(text, "\n", -1);
    for (char **l = split; *l != NULL; l++) {
        if (**l == '\0')
            continue;
        char **f = g_strsplit(*l, "\t", (gint)fields);
        if (g_strv_length(f) != fields) {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: bad line '%s'", name, *l);
            g_strfreev(f);
            g_ptr_array_unref(lines);
            lines = NULL;
            break;
        }
        g_ptr_array_add(lines, f);
    }
    g_strfreev(split);
    g_free(text);
    return lines;
}

static void remove_tree(const char *path)
{
    GDir *dir = g_file_test(path, G_FILE_TEST_IS_SYMLINK) ? NULL : g_dir_open(path, 0, NULL);
    if (dir != NULL) {
        const char *name;
        while ((name = g_dir_read_name(dir)) != NULL) {
            char *child = g_build_filename(path, name, NULL);
            remove_tree(child);
            g_free(child);
        }
        g_dir_close(dir);
    }
    g_remove(path);
}

static Suite *elf_image_suite(void)
{
    Suite *s = suite_create("elf_image");
    TCase *tc = tcase_create("corpus");
    tcase_add_test(tc, test_manifest);
    tcase_add_loop_test(tc, test_corpus_rejects, 0, (int)expected_lines->len);
    tcase_add_loop_test(tc, test_corpus_valid, 0, (int)valid_lines->len);
    tcase_add_test(tc, test_error_domains);
    tcase_add_test(tc, test_interp_named);
    suite_add_tcase(s, tc);

    tc = tcase_create("parser");
    tcase_add_loop_test(tc, test_every_truncation_fails, 0, 2);
    tcase_add_loop_test(tc, test_random_mutations, 0, 2);
    tcase_add_test(tc, test_segments_in_file_order);
    tcase_add_test(tc, test_untrusted_text_stays_on_one_line);
    tcase_add_test(tc, test_unaligned_program_headers);
    tcase_add_test(tc, test_many_program_headers);
    /* Sanitizer builds are several times slower than the default allows. */
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);

    tc = tcase_create("layout");
    tcase_add_test(tc, test_overlap_not_adjacent);
    tcase_add_test(tc, test_adjacent_pages_allowed);
    tcase_add_test(tc, test_layout_bounds);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    GError *error = NULL;
    corpus_dir = g_dir_make_tmp("test_elf_image-XXXXXX", &error);
    if (corpus_dir != NULL && bad_elves_write_corpus(corpus_dir, &error)) {
        expected_lines = read_manifest("expected.txt", 2, &error);
        if (expected_lines != NULL)
            valid_lines = read_manifest("valid.txt", 3, &error);
    }
    if (valid_lines == NULL) {
        fprintf(stderr, "cannot set up the corpus: %s\n", error->message);
        g_error_free(error);
        if (corpus_dir != NULL)
            remove_tree(corpus_dir);
        printf("0 passed, 1 failed\n");
        return 1;
    }

    int status = run_suite(elf_image_suite());
    remove_tree(corpus_dir);
    g_free(corpus_dir);
    g_ptr_array_unref(expected_lines);
    g_ptr_array_unref(valid_lines);
    return status;
}
