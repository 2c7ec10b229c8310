/* What zxsim tells the user when a guest stops: the fatal-fault report and
 * the run summary. */
#pragma once

#include "machine.h"

#include <stdio.h>

/* explain: add the page-table walk of the faulting address. */
void sim_report_fault(sim_machine *m, FILE *out, bool explain);
void sim_report_exception(sim_machine *m, FILE *out);
/* The page-table walk for addr, entry by entry, each line after prefix. */
void sim_report_walk(sim_machine *m, uint64_t addr, FILE *out, const char *prefix);
void sim_report_summary(sim_machine *m, FILE *out, const char *outcome, double seconds);

/* "rw-", "r-x", ... */
const char *sim_perms_string(unsigned perms, char buf[4]);
