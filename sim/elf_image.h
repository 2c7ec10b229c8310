/* Reading and validating the static ELF64 executables zxsim runs.
 *
 * This is a pure parser: it knows nothing of the simulator, so a malformed
 * file is rejected here with one line that says what is wrong before any
 * guest memory exists. Every error message starts with the file's name. */
#pragma once

#include <glib.h>
#include <stdint.h>

/* Bits of sim_elf_segment.perms. They are deliberately not PF_R/PF_W/PF_X,
 * whose values run the other way (PF_X is 1). */
#define SIM_ELF_PERM_READ  1u
#define SIM_ELF_PERM_WRITE 2u
#define SIM_ELF_PERM_EXEC  4u

/* The largest file sim_elf_image_load reads. */
#define SIM_ELF_MAX_FILE_SIZE (1ull << 30)
/* The largest total p_memsz over all loadable segments. */
#define SIM_ELF_MAX_TOTAL_MEMSZ (64ull << 30)

#define SIM_ELF_ERROR sim_elf_error_quark()
GQuark sim_elf_error_quark(void);

/* Errors from the operating system (open, read, a directory) are reported in
 * G_FILE_ERROR with the matching code; everything about the contents is in
 * SIM_ELF_ERROR. */
typedef enum sim_elf_error_code {
    SIM_ELF_ERROR_INVALID,     /* not ELF, truncated or internally inconsistent */
    SIM_ELF_ERROR_UNSUPPORTED, /* a valid file of a kind zxsim does not run */
    SIM_ELF_ERROR_LAYOUT,      /* sim_elf_image_check_layout rejected it */
} sim_elf_error_code;

typedef struct sim_elf_segment {
    uint64_t vaddr; /* p_vaddr */
    uint64_t memsz;
    uint64_t file_offset; /* p_offset, or 0 when filesz is 0 */
    uint64_t filesz;
    unsigned perms; /* SIM_ELF_PERM_* from PF_R/PF_W/PF_X */
    unsigned index; /* program header index, which is how readelf -l numbers segments */
} sim_elf_segment;

typedef struct sim_elf_image {
    uint16_t machine; /* EM_AARCH64 or EM_X86_64 */
    uint64_t entry;
    GArray *segments; /* sim_elf_segment, PT_LOAD with memsz > 0, in file order */
    GBytes *file;     /* the whole file, for copying segment bytes */
} sim_elf_image;

/* Reads and validates. On failure returns NULL and sets *error to one line
 * that starts with "PATH: " and names the problem. Refuses files larger than
 * SIM_ELF_MAX_FILE_SIZE before reading them. */
sim_elf_image *sim_elf_image_load(const char *path, GError **error);

/* Validates an ELF file already in memory. Takes its own reference to bytes;
 * messages start with "NAME_FOR_MESSAGES: ". Every segment's file range is
 * checked to lie inside bytes, so callers may copy it without further checks. */
sim_elf_image *sim_elf_image_parse(const char *name_for_messages, GBytes *bytes, GError **error);

/* Checks that every segment (page-rounded: from vaddr rounded down to 4096 to
 * vaddr+memsz rounded up) lies in [lo, hi), that no two segments share a
 * 4 KiB page, and that the entry lies inside an executable segment. */
gboolean sim_elf_image_check_layout(const sim_elf_image *img, const char *name, uint64_t lo,
                                    uint64_t hi, GError **error);

void sim_elf_image_free(sim_elf_image *img);

/* A human name for an e_machine value: "arm64", "x86-64", "RISC-V", ...;
 * NULL when the value is not one we know a name for. */
const char *sim_elf_machine_name(uint16_t machine);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(sim_elf_image, sim_elf_image_free)
