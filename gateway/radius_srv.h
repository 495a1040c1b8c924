/*
 * gateway/radius_srv.h - the RADIUS accounting listener ([enrichment]
 * radius-acct) on the loop.
 *
 * For each datagram (radius.c does the bytes):
 *   1. malformed (any bounds or length problem, or not code 4): dropped,
 *      counted (wspgw_radius_malformed_total), logged rate-limited with a
 *      hex sample; RFC 2865 3 says to discard silently;
 *   2. Request Authenticator wrong under radius-secret: dropped, counted
 *      (wspgw_radius_bad_authenticator_total);
 *   3. a retransmission (same source address and port, Identifier and
 *      Request Authenticator within 30 s, RFC 5080 2.2.2): the cached
 *      Accounting-Response is sent again, nothing else happens;
 *   4. the record is applied to the learned table (subs.c's
 *      gw_subs_apply_acct: Start and Interim-Update map, Stop unmaps its
 *      own session, Accounting-On/Off clear that NAS's entries) and
 *      written through to the state file;
 *   5. the Accounting-Response is sent, unless the change could not be
 *      recorded (table full, state write failed): RFC 2866 2 says a
 *      server that cannot record a request must not answer, so the NAS
 *      retries or fails over;
 *   6. with radius-forward, a copy goes to the operator's server
 *      (re-signed when radius-forward-secret differs); its answers are
 *      verified and counted, never waited for.
 *
 * The duplicate cache is direct-mapped (1024 slots by source and
 * Identifier): O(1), fixed memory; a collision only means that an old
 * retransmission is applied again, which is harmless (same mapping).
 */
#ifndef WSPGW_GATEWAY_RADIUS_SRV_H
#define WSPGW_GATEWAY_RADIUS_SRV_H

#include <stddef.h>

struct gw;
struct gw_radius_srv;

/* Binds g->cfg->radius_acct (and a socket for radius-forward).  Returns
 * 0, or -1 with the reason in err. */
int gw_radius_srv_open(struct gw_radius_srv **out, struct gw *g, char *err,
    size_t errlen);

/* Closes the sockets; the struct is freed once libuv has closed them (the
 * loop must run).  NULL is ignored. */
void gw_radius_srv_close(struct gw_radius_srv *s);

#endif /* WSPGW_GATEWAY_RADIUS_SRV_H */
