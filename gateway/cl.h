/*
 * gateway/cl.h - connectionless WSP (port 9200) bridged to HTTP.
 *
 * A datagram is one Get/Post-family PDU behind a TID octet (WAP-230
 * 8.2.1 / 8.2.3); the answer is one Reply datagram with the same TID.
 */
#ifndef WSPGW_GATEWAY_CL_H
#define WSPGW_GATEWAY_CL_H

#include <stddef.h>
#include <stdint.h>

#include "gw.h"

struct gw_cl *gw_cl_new(struct gw *g);

/* One datagram that arrived on a WSP-port socket (borrowed). */
void gw_cl_input(struct gw_cl *cl, struct gw_udp_sock *s,
    const struct sockaddr *peer, const uint8_t *buf, size_t len);

/* Requests waiting for their upstream. */
unsigned gw_cl_pending(const struct gw_cl *cl);

/* Cancels every pending request (no reply is sent) and frees cl. */
void gw_cl_free(struct gw_cl *cl);

#endif /* WSPGW_GATEWAY_CL_H */
