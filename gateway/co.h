/*
 * gateway/co.h - connection-oriented WSP over WTP (port 9201): the glue
 * between the bearer, the WTP core (wtp/), the WSP session core
 * (wsp/session.c) and the HTTP client.
 *
 * One WTP endpoint and one session table per WTP socket: TIDs and
 * sessions belong to the (local socket, peer) pair.  Everything here is
 * plumbing: the protocol decisions are made in the cores.
 */
#ifndef WSPGW_GATEWAY_CO_H
#define WSPGW_GATEWAY_CO_H

#include <stddef.h>
#include <stdint.h>

#include "wspgw/wsp_session.h"
#include "wspgw/wtp.h"
#include "gw.h"

struct gw_co;

/* Creates the per-socket state for s (a GW_PORT_WTP socket). */
struct gw_co *gw_co_new(struct gw *g, struct gw_udp_sock *s,
    const struct wtp_config *wcfg, const struct wsp_srv_config *scfg);

/* One datagram that arrived on the socket (borrowed). */
void gw_co_input(struct gw_co *co, const struct sockaddr *peer,
    const uint8_t *buf, size_t len);

/* Applies reloaded settings to transactions and sessions started later. */
void gw_co_set_config(struct gw_co *co, const struct wtp_config *wcfg);

/* Cancels fetches, closes the timer; frees once libuv has closed it. */
void gw_co_close(struct gw_co *co);

const struct wtp_stats *gw_co_wtp_stats(const struct gw_co *co);
const struct wsp_srv_stats *gw_co_wsp_stats(const struct gw_co *co);

/* sockaddr <-> wspgw_addr */
void gw_addr_from_sockaddr(struct wspgw_addr *out, const struct sockaddr *sa);
void gw_addr_to_sockaddr(struct sockaddr_storage *out,
    const struct wspgw_addr *a);

#endif /* WSPGW_GATEWAY_CO_H */
