#include "gdb_conn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define INTERRUPT_BYTE 0x03

static bool fail_errno(GError **error, const char *what)
{
    int e = errno;
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "%s: %s", what, g_strerror(e));
    return false;
}

bool sim_gdb_conn_listen(sim_gdb_conn *conn, uint16_t port, GError **error)
{
    memset(conn, 0, sizeof *conn);
    conn->listen_fd = conn->fd = -1;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return fail_errno(error, "cannot create a socket for --gdb");
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    /* Loopback only: the stub reads and writes the guest's memory for
     * whoever connects. */
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 1) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
        g_autofree char *what = g_strdup_printf("--gdb: cannot listen on 127.0.0.1:%u", port);
        int e = errno;
        close(fd);
        errno = e;
        return fail_errno(error, what);
    }
    conn->listen_fd = fd;
    conn->port = ntohs(addr.sin_port);
    return true;
}

bool sim_gdb_conn_accept(sim_gdb_conn *conn, GError **error)
{
    int fd;
    do
        fd = accept4(conn->listen_fd, NULL, NULL, SOCK_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return fail_errno(error, "--gdb: accept");
    /* Packets are small and answered one by one: send each at once. */
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    conn->fd = fd;
    conn->in = g_string_new(NULL);
    /* One debugger per run. */
    close(conn->listen_fd);
    conn->listen_fd = -1;
    return true;
}

void sim_gdb_conn_close(sim_gdb_conn *conn)
{
    if (conn->fd >= 0)
        close(conn->fd);
    if (conn->listen_fd >= 0)
        close(conn->listen_fd);
    conn->fd = conn->listen_fd = -1;
    if (conn->in)
        g_string_free(conn->in, TRUE);
    conn->in = NULL;
}

/* Appends what arrives to conn->in; false on EOF or error. */
static bool fill(sim_gdb_conn *conn)
{
    char buf[4096];
    ssize_t n;
    do
        n = read(conn->fd, buf, sizeof buf);
    while (n < 0 && errno == EINTR);
    if (n <= 0)
        return false;
    g_string_append_len(conn->in, buf, n);
    return true;
}

static bool write_all(sim_gdb_conn *conn, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = send(conn->fd, data, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        len -= (size_t)n;
    }
    return true;
}

static unsigned hexval(char c)
{
    return g_ascii_isxdigit(c) ? (unsigned)g_ascii_xdigit_value(c) : 0x100;
}

/* Takes one complete frame "$payload#xx" from the front of conn->in, or
 * says there is none yet. Stray bytes before a '$' (acks) are dropped. */
static int take_frame(sim_gdb_conn *conn, GString *out, bool *interrupt)
{
    GString *in = conn->in;
    gsize start = 0;
    while (start < in->len && in->str[start] != '$') {
        if (in->str[start] == INTERRUPT_BYTE) {
            g_string_erase(in, 0, start + 1);
            *interrupt = true;
            return 1;
        }
        start++;
    }
    const char *hash = memchr(in->str + start, '#', in->len - start);
    if (hash == NULL || (gsize)(hash - in->str) + 3 > in->len) {
        g_string_erase(in, 0, start);
        return 0;
    }
    gsize end = hash - in->str;
    unsigned sum = 0;
    for (gsize i = start + 1; i < end; i++)
        sum += (unsigned char)in->str[i];
    unsigned want = hexval(hash[1]) * 16 + hexval(hash[2]);
    g_string_assign(out, "");
    g_string_append_len(out, in->str + start + 1, end - start - 1);
    g_string_erase(in, 0, end + 3);
    return (sum & 0xff) == want ? 1 : -1;
}

/* GDB sends a packet again when no acknowledgement came in time (zxsim
 * still loading the guest, a busy host). Until it has the reply it sends
 * nothing new, so more copies of the packet just taken, already waiting,
 * are those resends: answering each would put every later reply one
 * packet behind. */
static void drop_resent(sim_gdb_conn *conn, const GString *payload)
{
    if (conn->no_ack)
        return;
    GString *in = conn->in;
    for (;;) {
        gsize at = 0;
        while (at < in->len && (in->str[at] == '+' || in->str[at] == '-'))
            at++;
        gsize frame = payload->len + 4; /* $ payload # x x */
        if (in->len - at < frame || in->str[at] != '$' ||
            memcmp(in->str + at + 1, payload->str, payload->len) != 0 ||
            in->str[at + 1 + payload->len] != '#')
            return;
        g_string_erase(in, 0, at + frame);
    }
}

sim_gdb_recv sim_gdb_conn_recv(sim_gdb_conn *conn, GString *out)
{
    for (;;) {
        bool interrupt = false;
        int r = take_frame(conn, out, &interrupt);
        if (interrupt)
            return SIM_GDB_INTERRUPT;
        if (r == 1) {
            if (!conn->no_ack && !write_all(conn, "+", 1))
                return SIM_GDB_CLOSED;
            drop_resent(conn, out);
            return SIM_GDB_PACKET;
        }
        if (r == -1) {
            if (!conn->no_ack && !write_all(conn, "-", 1))
                return SIM_GDB_CLOSED;
            continue;
        }
        if (!fill(conn))
            return SIM_GDB_CLOSED;
    }
}

sim_gdb_recv sim_gdb_conn_poll(sim_gdb_conn *conn)
{
    struct pollfd p = {.fd = conn->fd, .events = POLLIN};
    while (poll(&p, 1, 0) == 1 && (p.revents & (POLLIN | POLLHUP | POLLERR))) {
        if (!fill(conn))
            return SIM_GDB_CLOSED;
    }
    const char *at = memchr(conn->in->str, INTERRUPT_BYTE, conn->in->len);
    if (at == NULL)
        return SIM_GDB_PACKET;
    g_string_erase(conn->in, at - conn->in->str, 1);
    return SIM_GDB_INTERRUPT;
}

bool sim_gdb_conn_send(sim_gdb_conn *conn, const char *payload, size_t len)
{
    GString *frame = g_string_sized_new(len + 8);
    g_string_append_c(frame, '$');
    unsigned sum = 0;
    for (size_t i = 0; i < len; i++) {
        char c = payload[i];
        if (c == '$' || c == '#' || c == '}' || c == '*') {
            g_string_append_c(frame, '}');
            sum += '}';
            c ^= 0x20;
        }
        g_string_append_c(frame, c);
        sum += (unsigned char)c;
    }
    g_string_append_printf(frame, "#%02x", sum & 0xff);
    bool ok = false;
    for (int tries = 0; tries < 8; tries++) {
        if (!write_all(conn, frame->str, frame->len))
            break;
        if (conn->no_ack) {
            ok = true;
            break;
        }
        /* Wait for the acknowledgement; a '-' asks for the packet again. */
        char ack = 0;
        while (ack != '+' && ack != '-') {
            if (conn->in->len == 0 && !fill(conn))
                goto out;
            if (conn->in->len == 0)
                continue;
            ack = conn->in->str[0];
            if (ack == '$')
                break; /* GDB moved on without acknowledging */
            g_string_erase(conn->in, 0, 1);
        }
        if (ack != '-') {
            ok = true;
            break;
        }
    }
out:
    g_string_free(frame, TRUE);
    return ok;
}

bool sim_gdb_conn_send_str(sim_gdb_conn *conn, const char *payload)
{
    return sim_gdb_conn_send(conn, payload, strlen(payload));
}

size_t sim_gdb_unescape(char *data, size_t len)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (data[i] == '}' && i + 1 < len)
            data[o++] = data[++i] ^ 0x20;
        else
            data[o++] = data[i];
    }
    return o;
}
