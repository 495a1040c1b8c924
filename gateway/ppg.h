/*
 * gateway/ppg.h - the Push Proxy Gateway front end ([push] listen):
 * PAP over HTTP (POST /wappush), the simple MMS notification (POST
 * /mms-notify), push users, and PAP result notifications.
 *
 * Requests are parsed with Debian's libhttp-parser on the loop, one per
 * connection (Connection: close), at most [push] max-connections at
 * once, [push] max-request octets of body, 8 KiB of head, 30 s to send
 * the whole request.  The PAP and address logic is pure (pap.c,
 * push_user.c); this file does the I/O and calls the queue (pushq.h):
 * a push is answered 1001 only after gw_pushq_add returned 0.
 */
#ifndef WSPGW_GATEWAY_PPG_H
#define WSPGW_GATEWAY_PPG_H

#include "gw.h"
#include "pushq.h"

struct gw_ppg;

/*
 * Starts listening on g->cfg->push_addr.  Pushes go to g->pushq (which
 * must be open), notifications through g->http.  Returns 0, or -1 with
 * err filled.
 */
int gw_ppg_open(struct gw_ppg **out, struct gw *g, char *err,
    size_t errlen);

/*
 * The queue's result callback (gw_pushq_set_result_fn(q, gw_ppg_on_result,
 * ppg)): for a push whose initiator asked (ppg-notify-requested-to), POSTs
 * a PAP resultnotification-message there, if the URL's host:port is in
 * [upstream] allow (gw_http_fetch checks), retried twice on failure
 * (after 10 s and 60 s).  At most 256 notifications wait at once; more
 * are dropped and counted.  ctx is the struct gw_ppg.
 */
void gw_ppg_on_result(void *ctx, const struct gw_push_rec *r);

/* Closes the listener, connections and pending notifications (they are
 * not sent); frees asynchronously.  p may be NULL. */
void gw_ppg_close(struct gw_ppg *p);

#endif /* WSPGW_GATEWAY_PPG_H */
