/* Writes the malformed-ELF corpus and its manifests into a directory, for the
 * integration test that runs zxsim on every file. */
#include "bad_elves.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTPUT_DIRECTORY\n", argv[0]);
        return 2;
    }
    GError *error = NULL;
    if (!bad_elves_write_corpus(argv[1], &error)) {
        fprintf(stderr, "%s: %s\n", argv[0], error->message);
        g_error_free(error);
        return 1;
    }
    return 0;
}
