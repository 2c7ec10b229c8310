/* The byte level of GDB's remote serial protocol over a loopback TCP
 * socket: listening, packet framing, checksums, acknowledgements, escapes,
 * and the out-of-band interrupt byte. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct sim_gdb_conn {
    int listen_fd;
    int fd;
    uint16_t port;
    bool no_ack; /* after QStartNoAckMode */
    GString *in; /* bytes received and not yet consumed */
} sim_gdb_conn;

/* Listens on 127.0.0.1:port (0: any free port; conn->port is the port
 * chosen). */
bool sim_gdb_conn_listen(sim_gdb_conn *conn, uint16_t port, GError **error);

/* Waits for GDB to connect. */
bool sim_gdb_conn_accept(sim_gdb_conn *conn, GError **error);

void sim_gdb_conn_close(sim_gdb_conn *conn);

typedef enum sim_gdb_recv {
    SIM_GDB_PACKET,    /* a packet, checksum verified, payload in *out */
    SIM_GDB_INTERRUPT, /* the interrupt byte (GDB's Ctrl-C) */
    SIM_GDB_CLOSED,    /* GDB went away */
} sim_gdb_recv;

/* Blocks until a packet or an interrupt arrives. */
sim_gdb_recv sim_gdb_conn_recv(sim_gdb_conn *conn, GString *out);

/* While the guest runs, without blocking: SIM_GDB_INTERRUPT (consumed),
 * SIM_GDB_CLOSED, or SIM_GDB_PACKET for "nothing to act on". */
sim_gdb_recv sim_gdb_conn_poll(sim_gdb_conn *conn);

/* Sends one packet, escaping what must be; false if GDB went away. */
bool sim_gdb_conn_send(sim_gdb_conn *conn, const char *payload, size_t len);
bool sim_gdb_conn_send_str(sim_gdb_conn *conn, const char *payload);

/* Undoes the '}' escapes of binary data (X packets) in place; returns the
 * new length. */
size_t sim_gdb_unescape(char *data, size_t len);
