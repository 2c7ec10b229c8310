/* One guest run from a parsed command line: load, run, report, and the
 * exit status that tells the outcome. */
#pragma once

#include "options.h"

enum {
    SIM_EXIT_BAD_INPUT = 2,
    SIM_EXIT_GUEST_FAULT = 3,
    SIM_EXIT_LIMIT = 4,
    SIM_EXIT_INTERNAL = 70,
};

int sim_run(const sim_options *opts);
