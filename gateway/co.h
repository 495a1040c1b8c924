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

/*
 * Confirmed push into a live WSP session (WAP-230 S-ConfirmedPush).
 * fn gets the outcome, later and never from inside gw_co_push: rc 0 when
 * the handset acknowledged the class 1 invoke (S-ConfirmedPush.cnf),
 * else WSPGW_ECANCELED with reason the abort reason (S-PushAbort.ind:
 * 0xE1 its session ended, 0xE2 suspended, 0x08 NORESPONSE the handset
 * never acked, 0xE9 the invoke could not be sent, ...).
 */
typedef void (*gw_co_push_fn)(void *ctx, int64_t token, uint32_t aux,
    int rc, unsigned reason);

/*
 * Pushes pdu, a connection-mode Push PDU (type 0x06 or 0x07, no TID
 * octet; sent as ConfirmedPush 0x07), into the most recently active
 * session of the handset at ip (its port is ignored) on any WTP socket.
 * Returns 0 (fn will be called once, with token and aux), or at once:
 * WSPGW_ENOENT no live session from that address; WSPGW_ENOTSUP its
 * session did not agree Confirmed Push; WSPGW_EMSGSIZE more than one WTP
 * PDU (the initiator does no SAR) or the handset's Client-SDU-Size;
 * WSPGW_EBUSY Push-MOR pushes are outstanding; WSPGW_ENOMEM.
 */
int gw_co_push(struct gw *g, const struct wspgw_addr *ip,
    const uint8_t *pdu, size_t len, gw_co_push_fn fn, void *ctx,
    int64_t token, uint32_t aux);

/* Forgets every outstanding push of ctx: fn is not called for them (the
 * caller is going away; the pushes themselves still run). */
void gw_co_push_forget(struct gw *g, void *ctx);

const struct wtp_stats *gw_co_wtp_stats(const struct gw_co *co);
const struct wsp_srv_stats *gw_co_wsp_stats(const struct gw_co *co);

/* sockaddr <-> wspgw_addr */
void gw_addr_from_sockaddr(struct wspgw_addr *out, const struct sockaddr *sa);
void gw_addr_to_sockaddr(struct sockaddr_storage *out,
    const struct wspgw_addr *a);

#endif /* WSPGW_GATEWAY_CO_H */
