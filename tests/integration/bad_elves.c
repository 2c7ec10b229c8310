#include "bad_elves.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* e_phoff values above this are meant to point nowhere; nothing is written
 * there, which also keeps the builder from allocating absurd buffers. */
#define MAX_WRITTEN_PHOFF (1u << 20)

static void w16(uint8_t *p, uint16_t v, gboolean be)
{
    for (int i = 0; i < 2; i++)
        p[be ? 1 - i : i] = (uint8_t)(v >> (8 * i));
}

static void w32(uint8_t *p, uint32_t v, gboolean be)
{
    for (int i = 0; i < 4; i++)
        p[be ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

static void w64(uint8_t *p, uint64_t v, gboolean be)
{
    for (int i = 0; i < 8; i++)
        p[be ? 7 - i : i] = (uint8_t)(v >> (8 * i));
}

void bad_elves_put_ehdr(uint8_t *p, const Elf64_Ehdr *eh)
{
    gboolean be = eh->e_ident[EI_DATA] == ELFDATA2MSB;
    memcpy(p, eh->e_ident, EI_NIDENT);
    w16(p + offsetof(Elf64_Ehdr, e_type), eh->e_type, be);
    w16(p + offsetof(Elf64_Ehdr, e_machine), eh->e_machine, be);
    w32(p + offsetof(Elf64_Ehdr, e_version), eh->e_version, be);
    w64(p + offsetof(Elf64_Ehdr, e_entry), eh->e_entry, be);
    w64(p + offsetof(Elf64_Ehdr, e_phoff), eh->e_phoff, be);
    w64(p + offsetof(Elf64_Ehdr, e_shoff), eh->e_shoff, be);
    w32(p + offsetof(Elf64_Ehdr, e_flags), eh->e_flags, be);
    w16(p + offsetof(Elf64_Ehdr, e_ehsize), eh->e_ehsize, be);
    w16(p + offsetof(Elf64_Ehdr, e_phentsize), eh->e_phentsize, be);
    w16(p + offsetof(Elf64_Ehdr, e_phnum), eh->e_phnum, be);
    w16(p + offsetof(Elf64_Ehdr, e_shentsize), eh->e_shentsize, be);
    w16(p + offsetof(Elf64_Ehdr, e_shnum), eh->e_shnum, be);
    w16(p + offsetof(Elf64_Ehdr, e_shstrndx), eh->e_shstrndx, be);
}

void bad_elves_put_phdr(uint8_t *p, const Elf64_Phdr *ph, gboolean be)
{
    w32(p + offsetof(Elf64_Phdr, p_type), ph->p_type, be);
    w32(p + offsetof(Elf64_Phdr, p_flags), ph->p_flags, be);
    w64(p + offsetof(Elf64_Phdr, p_offset), ph->p_offset, be);
    w64(p + offsetof(Elf64_Phdr, p_vaddr), ph->p_vaddr, be);
    w64(p + offsetof(Elf64_Phdr, p_paddr), ph->p_paddr, be);
    w64(p + offsetof(Elf64_Phdr, p_filesz), ph->p_filesz, be);
    w64(p + offsetof(Elf64_Phdr, p_memsz), ph->p_memsz, be);
    w64(p + offsetof(Elf64_Phdr, p_align), ph->p_align, be);
}

const uint8_t *bad_elves_code(uint16_t machine, size_t *len)
{
    /* mov x0, #0; brk #0 */
    static const uint8_t arm64[] = {0x00, 0x00, 0x80, 0xd2, 0x00, 0x00, 0x20, 0xd4};
    /* xor edi, edi; ud2 */
    static const uint8_t x86_64[] = {0x31, 0xff, 0x0f, 0x0b};
    switch (machine) {
    case EM_AARCH64:
        *len = sizeof(arm64);
        return arm64;
    case EM_X86_64:
        *len = sizeof(x86_64);
        return x86_64;
    default:
        *len = 0;
        return NULL;
    }
}

void bad_elves_spec_init(bad_elves_spec *spec, uint16_t machine)
{
    memset(spec, 0, sizeof(*spec));
    Elf64_Ehdr *eh = &spec->eh;
    memcpy(eh->e_ident, ELFMAG, SELFMAG);
    eh->e_ident[EI_CLASS] = ELFCLASS64;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_ident[EI_OSABI] = ELFOSABI_SYSV;
    eh->e_type = ET_EXEC;
    eh->e_machine = machine;
    eh->e_version = EV_CURRENT;
    eh->e_entry = BAD_ELVES_ENTRY;
    eh->e_phoff = sizeof(Elf64_Ehdr);
    eh->e_ehsize = sizeof(Elf64_Ehdr);
    eh->e_phentsize = sizeof(Elf64_Phdr);
    eh->e_shentsize = sizeof(Elf64_Shdr);
    spec->size = BAD_ELVES_FILE_SIZE;
    bad_elves_spec_add(spec, PT_LOAD, PF_R | PF_X, 0, BAD_ELVES_VADDR, BAD_ELVES_FILE_SIZE,
                       BAD_ELVES_FILE_SIZE, 0x1000);
}

Elf64_Phdr *bad_elves_spec_add(bad_elves_spec *spec, uint32_t type, uint32_t flags, uint64_t offset,
                               uint64_t vaddr, uint64_t filesz, uint64_t memsz, uint64_t align)
{
    g_assert(spec->nph < BAD_ELVES_MAX_PH);
    Elf64_Phdr *ph = &spec->ph[spec->nph++];
    *ph = (Elf64_Phdr){
        .p_type = type,
        .p_flags = flags,
        .p_offset = offset,
        .p_vaddr = vaddr,
        .p_paddr = vaddr,
        .p_filesz = filesz,
        .p_memsz = memsz,
        .p_align = align,
    };
    spec->eh.e_phnum++;
    return ph;
}

GBytes *bad_elves_spec_bytes(const bad_elves_spec *spec)
{
    gboolean be = spec->eh.e_ident[EI_DATA] == ELFDATA2MSB;
    /* Everything is laid out in a buffer big enough for every piece and then
     * cut to spec->size, which is how truncated files are made. */
    size_t cap = MAX(spec->size, (size_t)BAD_ELVES_FILE_SIZE);
    gboolean write_ph = spec->eh.e_phoff <= MAX_WRITTEN_PHOFF;
    if (write_ph)
        cap = MAX(cap, spec->eh.e_phoff + spec->nph * sizeof(Elf64_Phdr));
    uint8_t *buf = g_malloc0(cap);
    bad_elves_put_ehdr(buf, &spec->eh);
    if (write_ph) {
        for (unsigned i = 0; i < spec->nph; i++)
            bad_elves_put_phdr(buf + spec->eh.e_phoff + i * sizeof(Elf64_Phdr), &spec->ph[i], be);
    }
    if (spec->interp != NULL) {
        size_t len = strlen(spec->interp) + 1;
        g_assert(len <= BAD_ELVES_CODE_OFFSET - BAD_ELVES_INTERP_OFFSET);
        memcpy(buf + BAD_ELVES_INTERP_OFFSET, spec->interp, len);
    }
    size_t code_len;
    const uint8_t *code = bad_elves_code(spec->eh.e_machine, &code_len);
    if (code != NULL)
        memcpy(buf + BAD_ELVES_CODE_OFFSET, code, code_len);
    return g_bytes_new_take(buf, spec->size);
}

/* ---- the corpus ---- */

static GBytes *finish(bad_elves_spec *s)
{
    return bad_elves_spec_bytes(s);
}

static GBytes *valid_arm64(void)
{
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    return finish(&s);
}

static GBytes *valid_x86_64(void)
{
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_X86_64);
    return finish(&s);
}

static GBytes *empty(void)
{
    return g_bytes_new_static("", 0);
}

static GBytes *short_header(void)
{
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    s.size = 20;
    return finish(&s);
}

static GBytes *bad_magic(void)
{
    /* The likeliest non-ELF thing to be handed: a script. */
    static const char script[] = "#!/bin/sh\necho hello\n";
    return g_bytes_new_static(script, sizeof(script) - 1);
}

static GBytes *elf32(void)
{
    /* A plausible i386 static executable: ELF32 header, one PT_LOAD. */
    enum { SIZE = 0x80 };
    uint8_t *p = g_malloc0(SIZE);
    memcpy(p, ELFMAG, SELFMAG);
    p[EI_CLASS] = ELFCLASS32;
    p[EI_DATA] = ELFDATA2LSB;
    p[EI_VERSION] = EV_CURRENT;
    w16(p + offsetof(Elf32_Ehdr, e_type), ET_EXEC, FALSE);
    w16(p + offsetof(Elf32_Ehdr, e_machine), EM_386, FALSE);
    w32(p + offsetof(Elf32_Ehdr, e_version), EV_CURRENT, FALSE);
    w32(p + offsetof(Elf32_Ehdr, e_entry), 0x08048060, FALSE);
    w32(p + offsetof(Elf32_Ehdr, e_phoff), sizeof(Elf32_Ehdr), FALSE);
    w16(p + offsetof(Elf32_Ehdr, e_ehsize), sizeof(Elf32_Ehdr), FALSE);
    w16(p + offsetof(Elf32_Ehdr, e_phentsize), sizeof(Elf32_Phdr), FALSE);
    w16(p + offsetof(Elf32_Ehdr, e_phnum), 1, FALSE);
    uint8_t *ph = p + sizeof(Elf32_Ehdr);
    w32(ph + offsetof(Elf32_Phdr, p_type), PT_LOAD, FALSE);
    w32(ph + offsetof(Elf32_Phdr, p_vaddr), 0x08048000, FALSE);
    w32(ph + offsetof(Elf32_Phdr, p_paddr), 0x08048000, FALSE);
    w32(ph + offsetof(Elf32_Phdr, p_filesz), SIZE, FALSE);
    w32(ph + offsetof(Elf32_Phdr, p_memsz), SIZE, FALSE);
    w32(ph + offsetof(Elf32_Phdr, p_flags), PF_R | PF_X, FALSE);
    w32(ph + offsetof(Elf32_Phdr, p_align), 0x1000, FALSE);
    p[0x60] = 0x0f; /* ud2 */
    p[0x61] = 0x0b;
    return g_bytes_new_take(p, SIZE);
}

static GBytes *bad_class(void)
{
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    s.eh.e_ident[EI_CLASS] = ELFCLASSNONE;
    return finish(&s);
}

static GBytes *big_endian(void)
{
    /* aarch64_be exists, so this is an executable someone could build. */
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    s.eh.e_ident[EI_DATA] = ELFDATA2MSB;
    return finish(&s);
}

static GBytes *bad_ei_version(void)
{
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    s.eh.e_ident[EI_VERSION] = 2;
    return finish(&s);
}

static GBytes *bad_e_version(void)
{
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_X86_64);
    s.eh.e_version = 0;
    return finish(&s);
}

static GBytes *pie(void)
{
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_X86_64);
    s.eh.e_type = ET_DYN;
    s.ph[0].p_vaddr = s.ph[0].p_paddr = 0;
    s.eh.e_entry = BAD_ELVES_CODE_OFFSET;
    bad_elves_spec_add(&s, PT_DYNAMIC, PF_R | PF_W, 0, 0, 0, 0, 8);
    return finish(&s);
}

static GBytes *relocatable(void)
{
    /* Object files have no program headers at all. */
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    s.eh.e_type = ET_REL;
    s.eh.e_entry = 0;
    s.eh.e_phoff = 0;
    s.eh.e_phnum = 0;
    s.eh.e_phentsize = 0;
    s.nph = 0;
    return finish(&s);
}

static GBytes *core(void)
{
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_X86_64);
    s.eh.e_type = ET_CORE;
    s.eh.e_entry = 0;
    s.ph[0].p_type = PT_NOTE;
    return finish(&s);
}

static GBytes *bad_type(void)
{
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    s.eh.e_type = ET_NONE;
    return finish(&s);
}

static GBytes *riscv(void)
{
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_RISCV);
    return finish(&s);
}

static GBytes *bad_phentsize(void)
{
    /* The ELF32 size, as a confused linker script might leave it. */
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    s.eh.e_phentsize = sizeof(Elf32_Phdr);
    return finish(&s);
}

static GBytes *no_phdrs(void)
{
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    s.eh.e_phnum = 0;
    s.nph = 0;
    return finish(&s);
}

static GBytes *phnum_xnum(void)
{
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    s.eh.e_phnum = PN_XNUM;
    return finish(&s);
}

static GBytes *no_load(void)
{
    /* Program headers, but the only PT_LOAD occupies no memory. */
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    s.ph[0].p_filesz = 0;
    s.ph[0].p_memsz = 0;
    bad_elves_spec_add(&s, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16);
    return finish(&s);
}

static GBytes *phoff_past_end(void)
{
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    s.eh.e_phoff = 0x10000;
    return finish(&s);
}

static GBytes *phoff_overflow(void)
{
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    s.eh.e_phoff = UINT64_MAX - 0x1f;
    return finish(&s);
}

static GBytes *phdr_truncated(void)
{
    /* Four headers claimed; the file ends 20 bytes into the fourth. */
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    bad_elves_spec_add(&s, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16);
    bad_elves_spec_add(&s, PT_NOTE, PF_R, 0, 0, 0, 0, 4);
    bad_elves_spec_add(&s, PT_NOTE, PF_R, 0, 0, 0, 0, 4);
    s.size = sizeof(Elf64_Ehdr) + 3 * sizeof(Elf64_Phdr) + 20;
    return finish(&s);
}

static GBytes *segment_offset_overflow(void)
{
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    s.ph[0].p_offset = UINT64_MAX - 0xfff; /* congruent with p_vaddr, so only the sum is wrong */
    s.ph[0].p_filesz = 0x2000;
    s.ph[0].p_memsz = 0x2000;
    return finish(&s);
}

static GBytes *segment_past_eof(void)
{
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    s.ph[0].p_filesz = 0x1000;
    s.ph[0].p_memsz = 0x1000;
    return finish(&s);
}

static GBytes *filesz_gt_memsz(void)
{
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_X86_64);
    s.ph[0].p_memsz = 0x100;
    return finish(&s);
}

static GBytes *vaddr_wrap(void)
{
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    bad_elves_spec_add(&s, PT_LOAD, PF_R | PF_W, 0, 0xfffffffffffff000ull, 0, 0x2000, 0x1000);
    return finish(&s);
}

static GBytes *absurd_segment(void)
{
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    bad_elves_spec_add(&s, PT_LOAD, PF_R | PF_W, 0, 0x20000000, 0, 65ull << 30, 0x1000);
    return finish(&s);
}

static GBytes *absurd_total(void)
{
    /* Each bss alone is allowed; together they pass 64 GiB. */
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    bad_elves_spec_add(&s, PT_LOAD, PF_R | PF_W, 0, 0x100000000ull, 0, 40ull << 30, 0x1000);
    bad_elves_spec_add(&s, PT_LOAD, PF_R | PF_W, 0, 0x1000000000ull, 0, 40ull << 30, 0x1000);
    return finish(&s);
}

static GBytes *bad_align(void)
{
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    s.ph[0].p_align = 0x3000;
    return finish(&s);
}

static GBytes *incongruent(void)
{
    /* Maps just the code, but at the start of a page rather than at its
     * offset within one. */
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    s.ph[0].p_offset = BAD_ELVES_CODE_OFFSET;
    s.ph[0].p_filesz = 0x40;
    s.ph[0].p_memsz = 0x40;
    s.eh.e_entry = BAD_ELVES_VADDR;
    return finish(&s);
}

static GBytes *interp(void)
{
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    s.interp = "/lib/ld-linux-aarch64.so.1";
    bad_elves_spec_add(&s, PT_INTERP, PF_R, BAD_ELVES_INTERP_OFFSET,
                       BAD_ELVES_VADDR + BAD_ELVES_INTERP_OFFSET, strlen(s.interp) + 1,
                       strlen(s.interp) + 1, 1);
    return finish(&s);
}

static GBytes *overlap(void)
{
    /* Data placed right after the text without moving to a new page, so
     * the two would need different permissions on one page. */
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    bad_elves_spec_add(&s, PT_LOAD, PF_R | PF_W, 0, BAD_ELVES_VADDR + 0x400, 0, 0x100, 0x1000);
    return finish(&s);
}

static GBytes *below_lo(void)
{
    /* Linked at a classic low address that zxsim keeps unmapped. */
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    s.ph[0].p_vaddr = s.ph[0].p_paddr = 0x1000;
    s.eh.e_entry = 0x1000 + BAD_ELVES_CODE_OFFSET;
    return finish(&s);
}

static GBytes *above_hi_arm64(void)
{
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    s.ph[0].p_vaddr = s.ph[0].p_paddr = 0x0000ffffff000000ull;
    s.eh.e_entry = s.ph[0].p_vaddr + BAD_ELVES_CODE_OFFSET;
    return finish(&s);
}

static GBytes *above_hi_x86_64(void)
{
    /* Starts inside the user range; its bss runs past the top. */
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_X86_64);
    s.ph[0].p_vaddr = s.ph[0].p_paddr = 0x00007fffffffe000ull;
    s.ph[0].p_memsz = 0x1800;
    s.eh.e_entry = s.ph[0].p_vaddr + BAD_ELVES_CODE_OFFSET;
    return finish(&s);
}

static GBytes *entry_outside(void)
{
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_X86_64);
    s.eh.e_entry = 0x20000000;
    return finish(&s);
}

static GBytes *entry_not_exec(void)
{
    bad_elves_spec s;
    bad_elves_spec_init(&s, EM_AARCH64);
    bad_elves_spec_add(&s, PT_LOAD, PF_R | PF_W, 0, BAD_ELVES_VADDR + 0x1000, 0, 0x1000, 0x1000);
    s.eh.e_entry = BAD_ELVES_VADDR + 0x1000;
    return finish(&s);
}

typedef enum corpus_kind {
    KIND_FILE,       /* contents from make() */
    KIND_VALID,      /* contents from make(), and it must load */
    KIND_MISSING,    /* nothing at that name */
    KIND_DIRECTORY,  /* an empty directory */
    KIND_FIFO,       /* a named pipe, if the file system has them */
    KIND_UNREADABLE, /* a valid file with mode 000, if that stops us reading it */
    KIND_HUGE,       /* a valid header in a sparse file just over 1 GiB */
} corpus_kind;

typedef struct corpus_entry {
    const char *file;
    corpus_kind kind;
    GBytes *(*make)(void);
    const char *expect; /* for KIND_VALID: the machine's name */
} corpus_entry;

static const corpus_entry corpus[] = {
    {"valid_arm64.elf", KIND_VALID, valid_arm64, "arm64"},
    {"valid_x86_64.elf", KIND_VALID, valid_x86_64, "x86-64"},
    {"missing.elf", KIND_MISSING, NULL, "cannot open: No such file or directory"},
    {"directory.elf", KIND_DIRECTORY, NULL, "is a directory"},
    {"fifo.elf", KIND_FIFO, NULL, "not a regular file (a FIFO)"},
    {"unreadable.elf", KIND_UNREADABLE, valid_arm64, "cannot open: Permission denied"},
    {"huge.elf", KIND_HUGE, valid_arm64, "too large"},
    {"empty.elf", KIND_FILE, empty, "empty file"},
    {"short.elf", KIND_FILE, short_header, "truncated: 20 bytes is shorter than an ELF header"},
    {"bad_magic.elf", KIND_FILE, bad_magic, "not an ELF file (bad magic)"},
    {"elf32.elf", KIND_FILE, elf32, "32-bit ELF; zxsim runs ELF64"},
    {"bad_class.elf", KIND_FILE, bad_class, "invalid ELF class 0"},
    {"big_endian.elf", KIND_FILE, big_endian, "big-endian ELF"},
    {"bad_ei_version.elf", KIND_FILE, bad_ei_version, "unsupported ELF version 2 in EI_VERSION"},
    {"bad_e_version.elf", KIND_FILE, bad_e_version, "unsupported ELF version 0 in e_version"},
    {"pie.elf", KIND_FILE, pie,
     "position-independent executables are not supported; link with -static -no-pie"},
    {"relocatable.elf", KIND_FILE, relocatable, "relocatable object file"},
    {"core.elf", KIND_FILE, core, "core dump"},
    {"bad_type.elf", KIND_FILE, bad_type, "unknown ELF file type 0"},
    {"riscv.elf", KIND_FILE, riscv, "unsupported machine RISC-V (243)"},
    {"bad_phentsize.elf", KIND_FILE, bad_phentsize, "e_phentsize is 32"},
    {"no_phdrs.elf", KIND_FILE, no_phdrs, "no program headers"},
    {"phnum_xnum.elf", KIND_FILE, phnum_xnum, "PN_XNUM"},
    {"no_load.elf", KIND_FILE, no_load, "no loadable segments"},
    {"phoff_past_end.elf", KIND_FILE, phoff_past_end,
     "truncated: program header table offset 0x10000 is past end of file (size 640)"},
    {"phoff_overflow.elf", KIND_FILE, phoff_overflow, "program header table overflows"},
    {"phdr_truncated.elf", KIND_FILE, phdr_truncated,
     "truncated: program header 3 extends past end of file (size 252)"},
    {"segment_offset_overflow.elf", KIND_FILE, segment_offset_overflow,
     "segment 0: file range overflows"},
    {"segment_past_eof.elf", KIND_FILE, segment_past_eof,
     "truncated: segment 0 (p_offset 0x0, p_filesz 0x1000) extends past end of file (size 640)"},
    {"filesz_gt_memsz.elf", KIND_FILE, filesz_gt_memsz,
     "segment 0 has p_filesz 0x280 larger than p_memsz 0x100"},
    {"vaddr_wrap.elf", KIND_FILE, vaddr_wrap, "segment 1 wraps past the top of the address space"},
    {"absurd_segment.elf", KIND_FILE, absurd_segment, "segment 1 is absurdly large"},
    {"absurd_total.elf", KIND_FILE, absurd_total, "segment 2 is absurdly large"},
    {"bad_align.elf", KIND_FILE, bad_align,
     "segment 0 has p_align 0x3000, which is not 0, 1 or a power of two"},
    {"incongruent.elf", KIND_FILE, incongruent, "segment 0 is incongruent"},
    {"interp.elf", KIND_FILE, interp, "dynamically linked; zxsim runs static executables"},
    {"overlap.elf", KIND_FILE, overlap, "segments 0 and 1 overlap"},
    {"below_lo.elf", KIND_FILE, below_lo, "lies outside the user address space"},
    {"above_hi_arm64.elf", KIND_FILE, above_hi_arm64, "lies outside the user address space"},
    {"above_hi_x86_64.elf", KIND_FILE, above_hi_x86_64, "lies outside the user address space"},
    {"entry_outside.elf", KIND_FILE, entry_outside,
     "entry point 0x20000000 is not inside any loadable segment"},
    {"entry_not_exec.elf", KIND_FILE, entry_not_exec,
     "entry point 0x10001000 is in segment 1, which is not executable"},
};

static gboolean set_errno_error(GError **error, int err, const char *what, const char *path)
{
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(err), "cannot %s %s: %s", what, path,
                g_strerror(err));
    return FALSE;
}

static gboolean write_bytes(const char *path, GBytes *bytes, GError **error)
{
    gsize len;
    const char *data = g_bytes_get_data(bytes, &len);
    /* An earlier run may have left a FIFO or a mode-000 file here. */
    if (g_unlink(path) != 0 && errno != ENOENT)
        return set_errno_error(error, errno, "remove", path);
    return g_file_set_contents(path, data != NULL ? data : "", (gssize)len, error);
}

/* Returns FALSE with *error set on failure; *listed says whether the file
 * exists as intended and belongs in the manifest. */
static gboolean write_entry(const char *dir, const corpus_entry *e, gboolean *listed,
                            GError **error)
{
    char *path = g_build_filename(dir, e->file, NULL);
    gboolean ok = TRUE;
    *listed = TRUE;
    switch (e->kind) {
    case KIND_FILE:
    case KIND_VALID: {
        GBytes *bytes = e->make();
        ok = write_bytes(path, bytes, error);
        g_bytes_unref(bytes);
        break;
    }
    case KIND_MISSING:
        if (g_remove(path) != 0 && errno != ENOENT)
            ok = set_errno_error(error, errno, "remove", path);
        break;
    case KIND_DIRECTORY:
        if (g_mkdir(path, 0755) != 0 && errno != EEXIST)
            ok = set_errno_error(error, errno, "create directory", path);
        else if (!g_file_test(path, G_FILE_TEST_IS_DIR))
            ok = set_errno_error(error, EEXIST, "create directory", path);
        break;
    case KIND_FIFO:
        if (g_unlink(path) != 0 && errno != ENOENT)
            ok = set_errno_error(error, errno, "remove", path);
        else if (mkfifo(path, 0644) != 0)
            *listed = FALSE;
        break;
    case KIND_UNREADABLE: {
        GBytes *bytes = e->make();
        ok = write_bytes(path, bytes, error);
        g_bytes_unref(bytes);
        if (!ok)
            break;
        if (g_chmod(path, 0) != 0) {
            ok = set_errno_error(error, errno, "chmod", path);
            break;
        }
        /* Root reads it anyway; then it would not be refused, so drop it. */
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            close(fd);
            g_unlink(path);
            *listed = FALSE;
        }
        break;
    }
    case KIND_HUGE: {
        GBytes *bytes = e->make();
        ok = write_bytes(path, bytes, error);
        g_bytes_unref(bytes);
        if (!ok)
            break;
        /* Sparse, so it costs no disk space; 1 GiB + 1 page is the smallest
         * size that must be refused. */
        if (truncate(path, (off_t)((1ull << 30) + 4096)) != 0)
            ok = set_errno_error(error, errno, "extend", path);
        break;
    }
    }
    g_free(path);
    return ok;
}

gboolean bad_elves_write_corpus(const char *dir, GError **error)
{
    if (g_mkdir_with_parents(dir, 0755) != 0)
        return set_errno_error(error, errno, "create directory", dir);
    GString *expected = g_string_new(NULL);
    GString *valid = g_string_new(NULL);
    gboolean ok = TRUE;
    for (size_t i = 0; i < G_N_ELEMENTS(corpus) && ok; i++) {
        const corpus_entry *e = &corpus[i];
        gboolean listed;
        ok = write_entry(dir, e, &listed, error);
        if (!ok || !listed)
            continue;
        if (e->kind == KIND_VALID)
            g_string_append_printf(valid, "%s\t%s\t0x%llx\n", e->file, e->expect,
                                   (unsigned long long)BAD_ELVES_ENTRY);
        else
            g_string_append_printf(expected, "%s\t%s\n", e->file, e->expect);
    }
    if (ok) {
        char *path = g_build_filename(dir, "expected.txt", NULL);
        ok = g_file_set_contents(path, expected->str, (gssize)expected->len, error);
        g_free(path);
    }
    if (ok) {
        char *path = g_build_filename(dir, "valid.txt", NULL);
        ok = g_file_set_contents(path, valid->str, (gssize)valid->len, error);
        g_free(path);
    }
    g_string_free(expected, TRUE);
    g_string_free(valid, TRUE);
    return ok;
}
