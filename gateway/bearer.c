/*
 * gateway/bearer.c - UDP sockets on the libuv loop (see bearer.h).
 *
 * libuv's recvmmsg mode hands the receive buffer back in chunks of
 * 64 KiB, one per datagram (flag UV_UDP_MMSG_CHUNK), then once more with
 * UV_UDP_MMSG_FREE when the batch is done.  The buffer belongs to the
 * socket, so that last call needs no action here.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/log.h"
#include "bearer.h"

#define MAX_SOCKS (2 * GW_BIND_MAX + 4)
#define DGRAM_CHUNK (64 * 1024)
#define RECV_BATCH 8
#define SENDQ_MAX_OCTETS (4u * 1024 * 1024)

struct gw_bearer {
    uv_loop_t *loop;
    struct gw_udp_sock *socks[MAX_SOCKS];
    unsigned n_socks;
    unsigned open_handles;
    int closing;
    gw_bearer_rx_fn rx;
    void *ctx;
    size_t sendq_octets;
    struct gw_bearer_stats stats;
};

struct send_req {
    uv_udp_send_t req;
    struct gw_bearer *bearer;
    size_t len;
    uint8_t data[];
};


static void
alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    struct gw_udp_sock *s = h->data;

    buf->base = (char *) s->rbuf;
    buf->len = s->rbuf_len;
}


static void
recv_cb(uv_udp_t *h, ssize_t nread, const uv_buf_t *buf,
    const struct sockaddr *addr, unsigned flags)
{
    struct gw_udp_sock *s = h->data;
    struct gw_bearer *b = s->bearer;

    if (nread < 0) {
        b->stats.rx_errors++;
        wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_UDP, "%s: receive error: %s",
            s->name, uv_strerror((int) nread));
        return;
    }
    if (addr == NULL || b->closing) {
        return;     /* end of a batch, nothing read, or shutting down */
    }
    if (flags & UV_UDP_PARTIAL) {
        /* Cannot happen with 64 KiB chunks; count it if it does. */
        b->stats.rx_errors++;
        return;
    }
    b->stats.rx_datagrams++;
    b->stats.rx_octets += (uint64_t) nread;
    b->rx(b->ctx, s, addr, (const uint8_t *) buf->base, (size_t) nread);
}


static void
sock_closed(uv_handle_t *h)
{
    struct gw_udp_sock *s = h->data;
    struct gw_bearer *b = s->bearer;

    wspgw_free(s->rbuf);
    wspgw_free(s);
    if (--b->open_handles == 0 && b->closing) {
        wspgw_free(b);
    }
}


static void
format_name(char *out, size_t outlen, const struct sockaddr *sa,
    uint16_t port)
{
    char host[INET6_ADDRSTRLEN];

    if (sa->sa_family == AF_INET6) {
        uv_ip6_name((const struct sockaddr_in6 *) sa, host, sizeof(host));
        snprintf(out, outlen, "[%s]:%u", host, port);
    } else {
        uv_ip4_name((const struct sockaddr_in *) sa, host, sizeof(host));
        snprintf(out, outlen, "%s:%u", host, port);
    }
}


/*
 * Opens one socket.  Returns 0, or a libuv error code (and the socket is
 * on its way to being closed, or was never opened).
 */
static int
open_one(struct gw_bearer *b, const struct sockaddr_storage *base,
    uint16_t port, enum gw_port_kind kind, char *err, size_t errlen)
{
    struct sockaddr_storage ss = *base;
    struct gw_udp_sock *s;
    unsigned flags = 0;
    int rc;

    if (b->n_socks >= MAX_SOCKS) {
        snprintf(err, errlen, "too many sockets");
        return UV_ENOBUFS;
    }
    if (ss.ss_family == AF_INET6) {
        ((struct sockaddr_in6 *) &ss)->sin6_port = htons(port);
        flags = UV_UDP_IPV6ONLY;
    } else {
        ((struct sockaddr_in *) &ss)->sin_port = htons(port);
    }
    s = wspgw_calloc(1, sizeof(*s));
    if (s == NULL) {
        snprintf(err, errlen, "out of memory");
        return UV_ENOMEM;
    }
    s->rbuf_len = (size_t) DGRAM_CHUNK * RECV_BATCH;
    s->rbuf = wspgw_malloc(s->rbuf_len);
    if (s->rbuf == NULL) {
        wspgw_free(s);
        snprintf(err, errlen, "out of memory");
        return UV_ENOMEM;
    }
    s->bearer = b;
    s->kind = kind;
    format_name(s->name, sizeof(s->name), (struct sockaddr *) &ss, port);
    rc = uv_udp_init_ex(b->loop, &s->handle, ss.ss_family | UV_UDP_RECVMMSG);
    if (rc != 0) {
        snprintf(err, errlen, "%s: %s", s->name, uv_strerror(rc));
        wspgw_free(s->rbuf);
        wspgw_free(s);
        return rc;
    }
    s->handle.data = s;
    b->socks[b->n_socks++] = s;
    b->open_handles++;
    rc = uv_udp_bind(&s->handle, (struct sockaddr *) &ss, flags);
    if (rc == 0) {
        rc = uv_udp_recv_start(&s->handle, alloc_cb, recv_cb);
    }
    if (rc != 0) {
        snprintf(err, errlen, "cannot listen on UDP %s: %s", s->name,
            uv_strerror(rc));
        return rc;
    }
    wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_UDP, "listening on UDP %s (%s)",
        s->name, kind == GW_PORT_WSP ? "connectionless WSP"
        : "WTP/WSP");
    return 0;
}


int
gw_bearer_open(struct gw_bearer **out, uv_loop_t *loop,
    const struct gw_config *cfg, gw_bearer_rx_fn rx, void *ctx,
    char *err, size_t errlen)
{
    struct gw_bearer *b;
    struct sockaddr_storage any4, any6;
    unsigned i;
    int rc = 0;

    *out = NULL;
    b = wspgw_calloc(1, sizeof(*b));
    if (b == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    b->loop = loop;
    b->rx = rx;
    b->ctx = ctx;
    if (cfg->n_bind == 0) {
        char why[256];

        memset(&any4, 0, sizeof(any4));
        memset(&any6, 0, sizeof(any6));
        any4.ss_family = AF_INET;
        any6.ss_family = AF_INET6;
        rc = open_one(b, &any4, cfg->wsp_port, GW_PORT_WSP, err, errlen);
        if (rc == 0) {
            rc = open_one(b, &any4, cfg->wtp_port, GW_PORT_WTP, err, errlen);
        }
        /* IPv6 may be absent on the host: the default then means v4. */
        if (rc == 0) {
            unsigned before = b->n_socks;

            if (open_one(b, &any6, cfg->wsp_port, GW_PORT_WSP, why,
                    sizeof(why)) == 0)
            {
                rc = open_one(b, &any6, cfg->wtp_port, GW_PORT_WTP, err,
                    errlen);
            } else {
                wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_UDP,
                    "IPv6 not available, listening on IPv4 only: %s", why);
                if (b->n_socks > before) {
                    b->n_socks--;
                    uv_close((uv_handle_t *) &b->socks[b->n_socks]->handle,
                        sock_closed);
                }
            }
        }
    }
    for (i = 0; rc == 0 && i < cfg->n_bind; i++) {
        rc = open_one(b, &cfg->bind[i].addr, cfg->wsp_port, GW_PORT_WSP,
            err, errlen);
        if (rc == 0) {
            rc = open_one(b, &cfg->bind[i].addr, cfg->wtp_port, GW_PORT_WTP,
                err, errlen);
        }
    }
    if (rc != 0) {
        gw_bearer_close(b);
        return -1;
    }
    *out = b;
    return 0;
}


static void
send_done(uv_udp_send_t *req, int status)
{
    struct send_req *sr = req->data;
    struct gw_bearer *b = sr->bearer;

    b->sendq_octets -= sr->len;
    if (status != 0 && status != UV_ECANCELED) {
        b->stats.tx_dropped++;
    }
    wspgw_free(sr);
}


int
gw_bearer_send(struct gw_udp_sock *s, const struct sockaddr *peer,
    const uint8_t *buf, size_t len)
{
    struct gw_bearer *b = s->bearer;
    uv_buf_t ub = uv_buf_init((char *) buf, (unsigned) len);
    struct send_req *sr;
    int rc;

    if (b->closing) {
        return WSPGW_ECANCELED;
    }
    rc = uv_udp_try_send(&s->handle, &ub, 1, peer);
    if (rc >= 0) {
        b->stats.tx_datagrams++;
        b->stats.tx_octets += len;
        return 0;
    }
    if (rc != UV_EAGAIN && rc != UV_ENOBUFS) {
        b->stats.tx_dropped++;
        wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_UDP, "%s: send of %zu octets "
            "failed: %s", s->name, len, uv_strerror(rc));
        return rc == UV_EMSGSIZE ? WSPGW_EMSGSIZE : WSPGW_EIO;
    }
    if (b->sendq_octets + len > SENDQ_MAX_OCTETS) {
        b->stats.tx_dropped++;
        return WSPGW_ENOSPC;
    }
    sr = wspgw_malloc(sizeof(*sr) + len);
    if (sr == NULL) {
        b->stats.tx_dropped++;
        return WSPGW_ENOMEM;
    }
    sr->bearer = b;
    sr->len = len;
    memcpy(sr->data, buf, len);
    sr->req.data = sr;
    ub = uv_buf_init((char *) sr->data, (unsigned) len);
    rc = uv_udp_send(&sr->req, &s->handle, &ub, 1, peer, send_done);
    if (rc != 0) {
        wspgw_free(sr);
        b->stats.tx_dropped++;
        return WSPGW_EIO;
    }
    b->sendq_octets += len;
    b->stats.tx_datagrams++;
    b->stats.tx_octets += len;
    return 0;
}


size_t
gw_bearer_max_payload(const struct sockaddr *peer)
{
    /* 65535 minus the UDP header, minus the IPv4 header for IPv4. */
    return peer->sa_family == AF_INET6 ? 65527 : 65507;
}


/* push delivery (h/deliver): the first socket of a kind and family. */
struct gw_udp_sock *
gw_bearer_find(struct gw_bearer *b, enum gw_port_kind kind, int family)
{
    struct sockaddr_storage ss;
    unsigned i;
    int n;

    for (i = 0; b != NULL && i < b->n_socks; i++) {
        n = (int) sizeof(ss);
        if (b->socks[i]->kind == kind
            && uv_udp_getsockname(&b->socks[i]->handle,
                (struct sockaddr *) &ss, &n) == 0
            && ss.ss_family == family)
        {
            return b->socks[i];
        }
    }
    return NULL;
}


const struct gw_bearer_stats *
gw_bearer_stats(const struct gw_bearer *b)
{
    return &b->stats;
}


void
gw_bearer_close(struct gw_bearer *b)
{
    unsigned i;

    if (b == NULL) {
        return;
    }
    b->closing = 1;
    for (i = 0; i < b->n_socks; i++) {
        uv_close((uv_handle_t *) &b->socks[i]->handle, sock_closed);
    }
    b->n_socks = 0;
    if (b->open_handles == 0) {
        wspgw_free(b);
    }
}
