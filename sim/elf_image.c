#include "elf_image.h"

#include <elf.h>
#include <errno.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE_SIZE 4096ull
#define PAGE_MASK (PAGE_SIZE - 1)

/* Longest PT_INTERP path quoted in a message; anything longer is not a path
 * worth showing. */
#define MAX_INTERP_SHOWN 256

G_DEFINE_QUARK(sim - elf - error - quark, sim_elf_error)

/* Sets *error to "NAME: MESSAGE". The line is flattened because the file name
 * and anything quoted from the file are untrusted and callers print the
 * message as one line of a diagnostic. */
G_GNUC_PRINTF(5, 6)
static void set_error(GError **error, GQuark domain, int code, const char *name, const char *fmt,
                      ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    char *line = g_strdup_printf("%s: %s", name, msg);
    for (char *p = line; *p != '\0'; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    }
    g_set_error_literal(error, domain, code, line);
    g_free(line);
    g_free(msg);
}

/* Fields are decoded byte by byte: the file need not be aligned in memory and
 * this stays right whatever the host's byte order. */
static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t rd64(const uint8_t *p)
{
    return (uint64_t)rd32(p) | ((uint64_t)rd32(p + 4) << 32);
}

#define EH16(p, f) rd16((p) + offsetof(Elf64_Ehdr, f))
#define EH32(p, f) rd32((p) + offsetof(Elf64_Ehdr, f))
#define EH64(p, f) rd64((p) + offsetof(Elf64_Ehdr, f))
#define PH32(p, f) rd32((p) + offsetof(Elf64_Phdr, f))
#define PH64(p, f) rd64((p) + offsetof(Elf64_Phdr, f))

static void decode_ehdr(const uint8_t *p, Elf64_Ehdr *eh)
{
    memcpy(eh->e_ident, p, EI_NIDENT);
    eh->e_type = EH16(p, e_type);
    eh->e_machine = EH16(p, e_machine);
    eh->e_version = EH32(p, e_version);
    eh->e_entry = EH64(p, e_entry);
    eh->e_phoff = EH64(p, e_phoff);
    eh->e_shoff = EH64(p, e_shoff);
    eh->e_flags = EH32(p, e_flags);
    eh->e_ehsize = EH16(p, e_ehsize);
    eh->e_phentsize = EH16(p, e_phentsize);
    eh->e_phnum = EH16(p, e_phnum);
    eh->e_shentsize = EH16(p, e_shentsize);
    eh->e_shnum = EH16(p, e_shnum);
    eh->e_shstrndx = EH16(p, e_shstrndx);
}

static void decode_phdr(const uint8_t *p, Elf64_Phdr *ph)
{
    ph->p_type = PH32(p, p_type);
    ph->p_flags = PH32(p, p_flags);
    ph->p_offset = PH64(p, p_offset);
    ph->p_vaddr = PH64(p, p_vaddr);
    ph->p_paddr = PH64(p, p_paddr);
    ph->p_filesz = PH64(p, p_filesz);
    ph->p_memsz = PH64(p, p_memsz);
    ph->p_align = PH64(p, p_align);
}

const char *sim_elf_machine_name(uint16_t machine)
{
    switch (machine) {
    case EM_NONE:
        return "none";
    case EM_SPARC:
        return "SPARC";
    case EM_386:
        return "Intel 80386";
    case EM_68K:
        return "Motorola 68000";
    case EM_MIPS:
        return "MIPS";
    case EM_PPC:
        return "PowerPC";
    case EM_PPC64:
        return "PowerPC64";
    case EM_S390:
        return "IBM S/390";
    case EM_ARM:
        return "32-bit ARM";
    case EM_SH:
        return "SuperH";
    case EM_SPARCV9:
        return "SPARC V9";
    case EM_IA_64:
        return "IA-64";
    case EM_X86_64:
        return "x86-64";
    case EM_AARCH64:
        return "arm64";
    case EM_RISCV:
        return "RISC-V";
    case EM_BPF:
        return "BPF";
    case 258: /* EM_LOONGARCH, missing from older <elf.h> */
        return "LoongArch";
    default:
        return NULL;
    }
}

/* The interpreter's path makes the "dynamically linked" message concrete, but
 * it is only quoted when it is in bounds and looks like a path. */
static char *interp_path(const uint8_t *data, size_t size, const Elf64_Phdr *ph)
{
    if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset || ph->p_filesz == 0 ||
        ph->p_filesz > MAX_INTERP_SHOWN)
        return NULL;
    const char *s = (const char *)data + ph->p_offset;
    size_t len = strnlen(s, (size_t)ph->p_filesz);
    if (len == 0)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < 0x20 || s[i] > 0x7e)
            return NULL;
    }
    return g_strndup(s, len);
}

/* Whether a PT_NOTE segment holds a GNU ABI tag naming Linux (what glibc's
 * crt1.o puts in every executable). Notes out of the file's bounds are
 * skipped: this only recognises, it does not validate. */
static bool has_linux_abi_note(const uint8_t *data, size_t size, const Elf64_Phdr *ph)
{
    if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
        return false;
    const uint8_t *p = data + ph->p_offset;
    uint64_t left = ph->p_filesz;
    while (left >= 12) {
        uint32_t namesz = rd32(p), descsz = rd32(p + 4), type = rd32(p + 8);
        uint64_t name_pad = ((uint64_t)namesz + 3) & ~3ull;
        uint64_t desc_pad = ((uint64_t)descsz + 3) & ~3ull;
        if (name_pad + desc_pad > left - 12)
            return false;
        if (type == NT_GNU_ABI_TAG && namesz == 4 && memcmp(p + 12, "GNU", 4) == 0 && descsz >= 4 &&
            rd32(p + 12 + name_pad) == ELF_NOTE_OS_LINUX)
            return true;
        p += 12 + name_pad + desc_pad;
        left -= 12 + name_pad + desc_pad;
    }
    return false;
}

/* A Linux executable loads fine but dies at its first Linux system call;
 * say what it is instead. */
static bool is_linux_program(const uint8_t *data, size_t size, const Elf64_Ehdr *eh,
                             const uint8_t *table)
{
    if (eh->e_ident[EI_OSABI] == ELFOSABI_GNU)
        return true;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph;
        decode_phdr(table + (size_t)i * sizeof(Elf64_Phdr), &ph);
        if (ph.p_type == PT_NOTE && has_linux_abi_note(data, size, &ph))
            return true;
    }
    return false;
}

static sim_elf_image *parse_program_headers(const char *name, GBytes *bytes, const Elf64_Ehdr *eh,
                                            GError **error)
{
    gsize size;
    const uint8_t *data = g_bytes_get_data(bytes, &size);
    const uint8_t *table = data + eh->e_phoff;

    if (is_linux_program(data, size, eh, table)) {
        set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_UNSUPPORTED, name,
                  "a Linux program, not a Zircon one (it carries a Linux ABI tag); zxsim runs "
                  "programs written against Zircon's syscalls, built with zxsim-cc");
        return NULL;
    }

    /* A PT_INTERP means the file was linked dynamically; that is the likeliest
     * mistake and says more than any complaint about its segments would. */
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph;
        decode_phdr(table + (size_t)i * sizeof(Elf64_Phdr), &ph);
        if (ph.p_type != PT_INTERP)
            continue;
        char *interp = interp_path(data, size, &ph);
        if (interp != NULL) {
            set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_UNSUPPORTED, name,
                      "dynamically linked; zxsim runs static executables (PT_INTERP names %s)",
                      interp);
        } else {
            set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_UNSUPPORTED, name,
                      "dynamically linked; zxsim runs static executables (program header %u is "
                      "PT_INTERP)",
                      i);
        }
        g_free(interp);
        return NULL;
    }

    GArray *segments = g_array_new(FALSE, FALSE, sizeof(sim_elf_segment));
    uint64_t total_memsz = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph;
        decode_phdr(table + (size_t)i * sizeof(Elf64_Phdr), &ph);
        if (ph.p_type != PT_LOAD)
            continue;
        /* An empty file range is never read, so where it points is moot. */
        if (ph.p_filesz > 0 && ph.p_offset > UINT64_MAX - ph.p_filesz) {
            set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_INVALID, name,
                      "segment %u: file range overflows (p_offset 0x%" PRIx64
                      ", p_filesz 0x%" PRIx64 ")",
                      i, (uint64_t)ph.p_offset, (uint64_t)ph.p_filesz);
            goto fail;
        }
        if (ph.p_filesz > 0 && ph.p_offset + ph.p_filesz > size) {
            set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_INVALID, name,
                      "truncated: segment %u (p_offset 0x%" PRIx64 ", p_filesz 0x%" PRIx64
                      ") extends past end of file (size %zu)",
                      i, (uint64_t)ph.p_offset, (uint64_t)ph.p_filesz, (size_t)size);
            goto fail;
        }
        if (ph.p_filesz > ph.p_memsz) {
            set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_INVALID, name,
                      "segment %u has p_filesz 0x%" PRIx64 " larger than p_memsz 0x%" PRIx64, i,
                      (uint64_t)ph.p_filesz, (uint64_t)ph.p_memsz);
            goto fail;
        }
        if (ph.p_memsz == 0)
            continue; /* occupies no memory, so there is nothing to map */
        /* Checked before wrap-around so a garbage size gets the plainer message. */
        if (ph.p_memsz > SIM_ELF_MAX_TOTAL_MEMSZ) {
            set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_INVALID, name,
                      "segment %u is absurdly large (p_memsz 0x%" PRIx64
                      " bytes; all segments together may have at most 64 GiB)",
                      i, (uint64_t)ph.p_memsz);
            goto fail;
        }
        if (total_memsz + ph.p_memsz > SIM_ELF_MAX_TOTAL_MEMSZ) {
            set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_INVALID, name,
                      "segment %u is absurdly large (p_memsz 0x%" PRIx64
                      " brings the total to 0x%" PRIx64
                      " bytes; all segments together may have at most 64 GiB)",
                      i, (uint64_t)ph.p_memsz, total_memsz + ph.p_memsz);
            goto fail;
        }
        total_memsz += ph.p_memsz;
        /* The end is rounded up to a page later, so that must not wrap either. */
        if (ph.p_vaddr > UINT64_MAX - ph.p_memsz ||
            ph.p_vaddr + ph.p_memsz > UINT64_MAX - PAGE_MASK) {
            set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_INVALID, name,
                      "segment %u wraps past the top of the address space (p_vaddr 0x%" PRIx64
                      ", p_memsz 0x%" PRIx64 ")",
                      i, (uint64_t)ph.p_vaddr, (uint64_t)ph.p_memsz);
            goto fail;
        }
        if (ph.p_align > 1 && (ph.p_align & (ph.p_align - 1)) != 0) {
            set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_INVALID, name,
                      "segment %u has p_align 0x%" PRIx64 ", which is not 0, 1 or a power of two",
                      i, (uint64_t)ph.p_align);
            goto fail;
        }
        /* The loader maps file pages at virtual pages; that only works when
         * both sit at the same offset within their page. */
        if (ph.p_filesz > 0 && ((ph.p_vaddr ^ ph.p_offset) & PAGE_MASK) != 0) {
            set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_INVALID, name,
                      "segment %u is incongruent: p_vaddr 0x%" PRIx64 " and p_offset 0x%" PRIx64
                      " differ modulo the 4 KiB page size",
                      i, (uint64_t)ph.p_vaddr, (uint64_t)ph.p_offset);
            goto fail;
        }
        sim_elf_segment seg = {
            .vaddr = ph.p_vaddr,
            .memsz = ph.p_memsz,
            /* An empty file range may point anywhere (stripping can leave a
             * bss segment's p_offset past the end); pinning it to 0 keeps
             * file_offset + filesz inside the file for every segment. */
            .file_offset = ph.p_filesz > 0 ? ph.p_offset : 0,
            .filesz = ph.p_filesz,
            .perms = ((ph.p_flags & PF_R) ? SIM_ELF_PERM_READ : 0) |
                     ((ph.p_flags & PF_W) ? SIM_ELF_PERM_WRITE : 0) |
                     ((ph.p_flags & PF_X) ? SIM_ELF_PERM_EXEC : 0),
            .index = i,
        };
        g_array_append_val(segments, seg);
    }
    if (segments->len == 0) {
        set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_INVALID, name,
                  "no loadable segments (no PT_LOAD with p_memsz > 0)");
        goto fail;
    }

    sim_elf_image *img = g_new0(sim_elf_image, 1);
    img->machine = eh->e_machine;
    img->entry = eh->e_entry;
    img->segments = segments;
    img->file = g_bytes_ref(bytes);
    return img;

fail:
    g_array_unref(segments);
    return NULL;
}

sim_elf_image *sim_elf_image_parse(const char *name, GBytes *bytes, GError **error)
{
    g_return_val_if_fail(name != NULL, NULL);
    g_return_val_if_fail(bytes != NULL, NULL);
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);

    gsize size;
    const uint8_t *data = g_bytes_get_data(bytes, &size);
    if (size == 0) {
        set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_INVALID, name, "empty file");
        return NULL;
    }
    /* Compare what there is, so a few stray bytes read as "not ELF" while a
     * cut-off ELF header reads as truncated. */
    if (memcmp(data, ELFMAG, MIN(size, (gsize)SELFMAG)) != 0) {
        set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_INVALID, name, "not an ELF file (bad magic)");
        return NULL;
    }
    /* The identification bytes come first so a 32-bit file, whose header is
     * shorter than ours, is still called 32-bit rather than truncated. */
    if (size < EI_NIDENT) {
        set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_INVALID, name,
                  "truncated: %zu bytes is shorter than an ELF header (%zu bytes)", (size_t)size,
                  sizeof(Elf64_Ehdr));
        return NULL;
    }
    switch (data[EI_CLASS]) {
    case ELFCLASS64:
        break;
    case ELFCLASS32:
        set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_UNSUPPORTED, name,
                  "32-bit ELF; zxsim runs ELF64");
        return NULL;
    default:
        set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_INVALID, name,
                  "invalid ELF class %u (EI_CLASS)", data[EI_CLASS]);
        return NULL;
    }
    switch (data[EI_DATA]) {
    case ELFDATA2LSB:
        break;
    case ELFDATA2MSB:
        set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_UNSUPPORTED, name,
                  "big-endian ELF; zxsim runs little-endian executables");
        return NULL;
    default:
        set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_INVALID, name,
                  "invalid ELF data encoding %u (EI_DATA)", data[EI_DATA]);
        return NULL;
    }
    if (data[EI_VERSION] != EV_CURRENT) {
        set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_INVALID, name,
                  "unsupported ELF version %u in EI_VERSION (expected %u)", data[EI_VERSION],
                  EV_CURRENT);
        return NULL;
    }
    if (size < sizeof(Elf64_Ehdr)) {
        set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_INVALID, name,
                  "truncated: %zu bytes is shorter than an ELF header (%zu bytes)", (size_t)size,
                  sizeof(Elf64_Ehdr));
        return NULL;
    }

    Elf64_Ehdr eh;
    decode_ehdr(data, &eh);
    if (eh.e_version != EV_CURRENT) {
        set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_INVALID, name,
                  "unsupported ELF version %" PRIu32 " in e_version (expected %u)", eh.e_version,
                  EV_CURRENT);
        return NULL;
    }
    switch (eh.e_type) {
    case ET_EXEC:
        break;
    case ET_DYN:
        set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_UNSUPPORTED, name,
                  "position-independent executables are not supported; link with -static -no-pie "
                  "(e_type is ET_DYN)");
        return NULL;
    case ET_REL:
        set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_UNSUPPORTED, name,
                  "relocatable object file (e_type is ET_REL), not an executable; link it first");
        return NULL;
    case ET_CORE:
        set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_UNSUPPORTED, name,
                  "core dump (e_type is ET_CORE), not an executable");
        return NULL;
    default:
        set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_INVALID, name,
                  "unknown ELF file type %u (e_type); zxsim runs ET_EXEC executables", eh.e_type);
        return NULL;
    }
    if (eh.e_machine != EM_AARCH64 && eh.e_machine != EM_X86_64) {
        const char *machine = sim_elf_machine_name(eh.e_machine);
        set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_UNSUPPORTED, name,
                  "unsupported machine %s (%u); zxsim runs arm64 and x86-64",
                  machine != NULL ? machine : "unknown", eh.e_machine);
        return NULL;
    }
    if (eh.e_phnum == 0) {
        set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_INVALID, name,
                  "no program headers (e_phnum is 0), so nothing to load");
        return NULL;
    }
    /* The real count would live in section header 0; no static executable
     * comes near 65535 program headers, so that is not worth supporting. */
    if (eh.e_phnum == PN_XNUM) {
        set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_UNSUPPORTED, name,
                  "e_phnum is PN_XNUM (extended program header numbering is not supported)");
        return NULL;
    }
    if (eh.e_phentsize != sizeof(Elf64_Phdr)) {
        set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_INVALID, name,
                  "e_phentsize is %u; ELF64 program headers are %zu bytes", eh.e_phentsize,
                  sizeof(Elf64_Phdr));
        return NULL;
    }
    uint64_t table_bytes = (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr);
    if (eh.e_phoff > UINT64_MAX - table_bytes) {
        set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_INVALID, name,
                  "program header table overflows (e_phoff 0x%" PRIx64 ", e_phnum %u)", eh.e_phoff,
                  eh.e_phnum);
        return NULL;
    }
    if (eh.e_phoff > size) {
        set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_INVALID, name,
                  "truncated: program header table offset 0x%" PRIx64
                  " is past end of file (size %zu)",
                  eh.e_phoff, (size_t)size);
        return NULL;
    }
    uint64_t whole = (size - eh.e_phoff) / sizeof(Elf64_Phdr);
    if (whole < eh.e_phnum) {
        set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_INVALID, name,
                  "truncated: program header %" PRIu64 " extends past end of file (size %zu)",
                  whole, (size_t)size);
        return NULL;
    }
    /* Section headers are not needed to load an executable, so they are not
     * looked at and a stripped or odd section table is no reason to refuse. */
    return parse_program_headers(name, bytes, &eh, error);
}

static const char *file_kind(mode_t mode)
{
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    return "not a file";
}

sim_elf_image *sim_elf_image_load(const char *path, GError **error)
{
    g_return_val_if_fail(path != NULL, NULL);
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);

    /* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer
     * before fstat could reject it. It has no effect on regular files. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int err = errno;
        set_error(error, G_FILE_ERROR, g_file_error_from_errno(err), path, "cannot open: %s",
                  g_strerror(err));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int err = errno;
        set_error(error, G_FILE_ERROR, g_file_error_from_errno(err), path, "cannot stat: %s",
                  g_strerror(err));
        close(fd);
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        set_error(error, G_FILE_ERROR, G_FILE_ERROR_ISDIR, path, "is a directory");
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_INVALID, path, "not a regular file (%s)",
                  file_kind(st.st_mode));
        close(fd);
        return NULL;
    }
    if ((uint64_t)st.st_size > SIM_ELF_MAX_FILE_SIZE) {
        set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_UNSUPPORTED, path,
                  "too large (%" PRIu64 " bytes; zxsim loads executables of at most 1 GiB)",
                  (uint64_t)st.st_size);
        close(fd);
        return NULL;
    }
    if (st.st_size == 0) {
        set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_INVALID, path, "empty file");
        close(fd);
        return NULL;
    }

    /* Read rather than map: a mapped file that someone truncates while we
     * hold it turns later accesses into SIGBUS, and the parser must never
     * crash. g_try_malloc because g_malloc aborts when memory is short. */
    size_t want = (size_t)st.st_size;
    uint8_t *buf = g_try_malloc(want);
    if (buf == NULL) {
        set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOMEM, path,
                  "cannot allocate %zu bytes to read it", want);
        close(fd);
        return NULL;
    }
    size_t got = 0;
    while (got < want) {
        ssize_t n = read(fd, buf + got, want - got);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int err = errno;
            set_error(error, G_FILE_ERROR, g_file_error_from_errno(err), path, "cannot read: %s",
                      g_strerror(err));
            g_free(buf);
            close(fd);
            return NULL;
        }
        if (n == 0)
            break; /* shrank since fstat: validate what is there */
        got += (size_t)n;
    }
    close(fd);

    GBytes *bytes = g_bytes_new_take(buf, got);
    sim_elf_image *img = sim_elf_image_parse(path, bytes, error);
    g_bytes_unref(bytes);
    return img;
}

static gint compare_by_vaddr(gconstpointer a, gconstpointer b)
{
    const sim_elf_segment *x = a, *y = b;
    if (x->vaddr != y->vaddr)
        return x->vaddr < y->vaddr ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

gboolean sim_elf_image_check_layout(const sim_elf_image *img, const char *name, uint64_t lo,
                                    uint64_t hi, GError **error)
{
    g_return_val_if_fail(img != NULL && img->segments != NULL, FALSE);
    g_return_val_if_fail(name != NULL, FALSE);
    g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

    const GArray *segs = img->segments;
    for (guint i = 0; i < segs->len; i++) {
        const sim_elf_segment *s = &g_array_index(segs, sim_elf_segment, i);
        uint64_t start = s->vaddr & ~PAGE_MASK;
        /* Parse rules out wrap-around, but an image may have been built by
         * hand; a wrapping segment is certainly outside [lo, hi). */
        gboolean wraps =
            s->vaddr > UINT64_MAX - s->memsz || s->vaddr + s->memsz > UINT64_MAX - PAGE_MASK;
        uint64_t end = wraps ? UINT64_MAX : (s->vaddr + s->memsz + PAGE_MASK) & ~PAGE_MASK;
        if (wraps || start < lo || end > hi) {
            set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_LAYOUT, name,
                      "segment %u (pages 0x%" PRIx64 "-0x%" PRIx64
                      ") lies outside the user address space [0x%" PRIx64 ", 0x%" PRIx64 ")",
                      s->index, start, end, lo, hi);
            return FALSE;
        }
    }

    /* Sorted by start, a segment overlaps an earlier one exactly when it
     * starts below the furthest end seen so far; that keeps the check
     * O(n log n) for a file with thousands of program headers. */
    GArray *sorted = g_array_sized_new(FALSE, FALSE, sizeof(sim_elf_segment), segs->len);
    g_array_append_vals(sorted, segs->data, segs->len);
    g_array_sort(sorted, compare_by_vaddr);
    gboolean ok = TRUE;
    const sim_elf_segment *furthest = NULL;
    uint64_t furthest_end = 0;
    for (guint i = 0; i < sorted->len; i++) {
        const sim_elf_segment *s = &g_array_index(sorted, sim_elf_segment, i);
        uint64_t start = s->vaddr & ~PAGE_MASK;
        uint64_t end = (s->vaddr + s->memsz + PAGE_MASK) & ~PAGE_MASK;
        if (furthest != NULL && start < furthest_end) {
            set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_LAYOUT, name,
                      "segments %u and %u overlap (both use the page at 0x%" PRIx64 ")",
                      MIN(furthest->index, s->index), MAX(furthest->index, s->index), start);
            ok = FALSE;
            break;
        }
        if (furthest == NULL || end > furthest_end) {
            furthest = s;
            furthest_end = end;
        }
    }
    g_array_unref(sorted);
    if (!ok)
        return FALSE;

    for (guint i = 0; i < segs->len; i++) {
        const sim_elf_segment *s = &g_array_index(segs, sim_elf_segment, i);
        if (img->entry < s->vaddr || img->entry - s->vaddr >= s->memsz)
            continue;
        if ((s->perms & SIM_ELF_PERM_EXEC) == 0) {
            set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_LAYOUT, name,
                      "entry point 0x%" PRIx64 " is in segment %u, which is not executable",
                      img->entry, s->index);
            return FALSE;
        }
        return TRUE;
    }
    set_error(error, SIM_ELF_ERROR, SIM_ELF_ERROR_LAYOUT, name,
              "entry point 0x%" PRIx64 " is not inside any loadable segment", img->entry);
    return FALSE;
}

void sim_elf_image_free(sim_elf_image *img)
{
    if (img == NULL)
        return;
    if (img->segments != NULL)
        g_array_unref(img->segments);
    if (img->file != NULL)
        g_bytes_unref(img->file);
    g_free(img);
}
