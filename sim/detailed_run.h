/* What a run does around detailed mode: builds the hardware model and the
 * detailed engine from the options, and reports the statistics at exit. */
#pragma once

#include "elf_image.h"
#include "machine.h"
#include "options.h"

/* Sets the clock and, with --model=detailed or --detail, builds the model
 * and the detailed engine (resolving --detail's symbol in img). False with
 * *error set on bad input. */
bool sim_detailed_setup(sim_machine *m, const sim_options *opts, const sim_elf_image *img,
                        GError **error);

/* At exit: the statistics on standard error (detailed mode or --stats) and
 * --stats-json. Returns false when the JSON file cannot be written. */
bool sim_detailed_finish(sim_machine *m, const sim_options *opts, sim_stop_reason why, int status);
