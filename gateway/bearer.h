/*
 * gateway/bearer.h - the UDP bearer: every bind address on both ports.
 *
 * One uv_udp_t per (address, port).  Reads are batched with recvmmsg
 * (libuv's UV_UDP_RECVMMSG) into one receive buffer per socket allocated
 * at start, so receiving costs no allocation per datagram.  Sends try
 * uv_udp_try_send first and queue a copy only when the socket would
 * block; the queue has a byte cap, past which datagrams are dropped and
 * counted (UDP may lose them anyway; memory must not grow).
 */
#ifndef WSPGW_GATEWAY_BEARER_H
#define WSPGW_GATEWAY_BEARER_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "config.h"

enum gw_port_kind {
    GW_PORT_WSP = 0,    /* connectionless WSP (9200) */
    GW_PORT_WTP = 1     /* WTP + connection-oriented WSP (9201) */
};

struct gw_bearer;

struct gw_udp_sock {
    uv_udp_t handle;
    struct gw_bearer *bearer;
    enum gw_port_kind kind;
    char name[80];              /* "127.0.0.1:9200" for logs */
    uint8_t *rbuf;
    size_t rbuf_len;
    void *user;                 /* owner's per-socket state (co.c) */
};

struct gw_bearer_stats {
    uint64_t rx_datagrams;
    uint64_t rx_octets;
    uint64_t tx_datagrams;
    uint64_t tx_octets;
    uint64_t tx_dropped;
    uint64_t rx_errors;
};

/* Called for every datagram; buf is valid only during the call. */
typedef void (*gw_bearer_rx_fn)(void *ctx, struct gw_udp_sock *s,
    const struct sockaddr *peer, const uint8_t *buf, size_t len);

/*
 * Binds every configured address on both ports and starts reading.
 * With the default bind (none configured) it binds 0.0.0.0 and :: (v6
 * only); a family the host lacks is logged and skipped.  Returns 0, or
 * -1 with a message in err (nothing left open).
 */
int gw_bearer_open(struct gw_bearer **out, uv_loop_t *loop,
    const struct gw_config *cfg, gw_bearer_rx_fn rx, void *ctx,
    char *err, size_t errlen);

/* Sends one datagram (copied if it has to wait).  0 or a WSPGW_E* code. */
int gw_bearer_send(struct gw_udp_sock *s, const struct sockaddr *peer,
    const uint8_t *buf, size_t len);

/* Largest UDP payload towards peer's address family. */
size_t gw_bearer_max_payload(const struct sockaddr *peer);

/* The first socket of kind bound to an address of family (AF_INET or
 * AF_INET6), or NULL: where a connectionless push to a handset goes out
 * (source port 9200). */
struct gw_udp_sock *gw_bearer_find(struct gw_bearer *b,
    enum gw_port_kind kind, int family);

const struct gw_bearer_stats *gw_bearer_stats(const struct gw_bearer *b);

/* Closes every socket; frees the bearer once libuv has closed them. */
void gw_bearer_close(struct gw_bearer *b);

#endif /* WSPGW_GATEWAY_BEARER_H */
