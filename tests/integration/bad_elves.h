/* Builders for a corpus of malformed ELF files, one per reason zxsim refuses
 * an executable, plus a minimal valid executable for each machine.
 *
 * The builders write every field byte by byte and share no code with the
 * parser, so the corpus is an independent description of the format. */
#pragma once

#include <elf.h>
#include <glib.h>
#include <stdint.h>

/* The minimal valid executable: one R+X PT_LOAD that maps the whole file
 * (headers included, as linkers do) at BAD_ELVES_VADDR, with a few bytes of
 * code at BAD_ELVES_CODE_OFFSET that trap at once (arm64 "brk #0", x86-64
 * "ud2"), so running it can neither hang nor do anything. */
#define BAD_ELVES_VADDR         0x10000000ull
#define BAD_ELVES_INTERP_OFFSET 0x200u /* after room for BAD_ELVES_MAX_PH headers */
#define BAD_ELVES_CODE_OFFSET   0x240u
#define BAD_ELVES_FILE_SIZE     0x280u
#define BAD_ELVES_ENTRY         (BAD_ELVES_VADDR + BAD_ELVES_CODE_OFFSET)
#define BAD_ELVES_MAX_PH        8

/* One file to build. Fields are in host order and serialized little- or
 * big-endian according to eh.e_ident[EI_DATA]. */
typedef struct bad_elves_spec {
    Elf64_Ehdr eh;
    Elf64_Phdr ph[BAD_ELVES_MAX_PH];
    unsigned nph;       /* entries written at e_phoff, whatever e_phnum says */
    size_t size;        /* file length; everything not written is zero */
    const char *interp; /* written at BAD_ELVES_INTERP_OFFSET when not NULL */
} bad_elves_spec;

/* Fills spec with the minimal valid executable for machine. */
void bad_elves_spec_init(bad_elves_spec *spec, uint16_t machine);
/* Appends a program header and counts it in e_phnum. */
Elf64_Phdr *bad_elves_spec_add(bad_elves_spec *spec, uint32_t type, uint32_t flags, uint64_t offset,
                               uint64_t vaddr, uint64_t filesz, uint64_t memsz, uint64_t align);
/* Serializes spec; whatever lies beyond spec->size is cut off. */
GBytes *bad_elves_spec_bytes(const bad_elves_spec *spec);

/* Raw writers for tests that need more program headers than a spec holds. */
void bad_elves_put_ehdr(uint8_t *p, const Elf64_Ehdr *eh);
void bad_elves_put_phdr(uint8_t *p, const Elf64_Phdr *ph, gboolean big_endian);

/* The machine's trapping code, as placed at BAD_ELVES_CODE_OFFSET. */
const uint8_t *bad_elves_code(uint16_t machine, size_t *len);

/* Writes the corpus into dir (created if needed), replacing files from an
 * earlier run, plus two manifests:
 *   expected.txt  FILE<TAB>SUBSTRING  a file zxsim must refuse, and a
 *                                     substring its error message must contain
 *   valid.txt     FILE<TAB>MACHINE<TAB>ENTRY   a file that must load; MACHINE
 *                                     is "arm64" or "x86-64", ENTRY is 0x-hex
 * FILE is a name inside dir. Some files exist only when the host allows them
 * (a FIFO; a file that cannot be read, which root always can), and are left
 * out of the manifest otherwise. */
gboolean bad_elves_write_corpus(const char *dir, GError **error);
