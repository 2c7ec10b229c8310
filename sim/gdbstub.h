/* `--gdb`: a GDB remote stub. GDB connects to 127.0.0.1 before the guest's
 * first instruction and drives the run: registers, memory through the
 * guest's page tables, software breakpoints, single-step, continue, and the
 * guest's faults and exit reported as the signals and exit codes a native
 * debugger would show. */
#pragma once

#include "gdb_conn.h"
#include "machine.h"

typedef struct sim_gdb_stub {
    sim_gdb_conn conn;
} sim_gdb_stub;

/* Parses the value of --gdb: PORT, :PORT, 127.0.0.1:PORT or localhost:PORT
 * (0 picks a free port). Any other address is refused: the stub only ever
 * listens on the loopback interface. */
bool sim_gdb_parse_address(const char *text, uint16_t *port, const char **why);

/* Starts listening, before the guest is loaded, so that a port in use is
 * bad input. */
bool sim_gdb_stub_listen(sim_gdb_stub *stub, uint16_t port, GError **error);

/* Announces the port on standard error, waits for GDB, and serves it
 * until the guest exits, dies, or GDB kills it; after a detach the guest
 * runs on to its end. Returns why the guest stopped, for the usual
 * outcome report. */
sim_stop_reason sim_gdb_stub_serve(sim_gdb_stub *stub, sim_machine *m,
                                   const sim_entry_state *entry);

void sim_gdb_stub_close(sim_gdb_stub *stub);
