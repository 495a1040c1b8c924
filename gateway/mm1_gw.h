/*
 * gateway/mm1_gw.h - MM1 awareness on the gateway's request and reply
 * paths (issue 5): the I/O-side glue around the pure gateway/mm1.c.
 *
 * Both WSP modes call it: gateway/cl.c (connectionless) and gateway/co.c
 * (sessions, where a large Post arrives by WTP SAR and is checked once
 * reassembled).  For each request with an MMS body it decodes the
 * headers, counts the PDU by message type, notes an access-log token,
 * and applies [mmsc] max-message-size and the per-subscriber m-send-req
 * rate limit before any upstream connection.  For each response with an
 * MMS body it decodes, counts and logs likewise.  Bodies are never
 * changed; one that does not decode is passed on, counted and logged at
 * debug (the MMSC decides what to do with it).
 */
#ifndef WSPGW_GATEWAY_MM1_GW_H
#define WSPGW_GATEWAY_MM1_GW_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "wspgw/buf.h"
#include "wspgw/wsp.h"

struct gw;

/* What a request carries until its access-log line is written. */
struct gw_mm1_txn {
    struct wspgw_buf log;       /* access-log tokens, " mms=..." */
};

/* Sets up the MM1 state of g (call once, before the loop runs). */
void gw_mm1_gw_init(struct gw *g);

/* Frees the rate-limit table (at shutdown). */
void gw_mm1_gw_close(struct gw *g);

void gw_mm1_txn_init(struct gw_mm1_txn *t);
void gw_mm1_txn_free(struct gw_mm1_txn *t);

/* The tokens to append to the access-log line ("" when none). */
const char *gw_mm1_txn_log(const struct gw_mm1_txn *t);

/*
 * Looks at a request before it goes upstream.  pdu is the decoded
 * request (borrowed: its content type and body), peer the handset,
 * connectionless/enc how to answer.  Returns 0: send it on (t may hold
 * a log token); 1: refused, and reply holds the whole Reply PDU (reset
 * first; TID pdu->tid when connectionless), *status and *body_len what
 * the access log says.  A refusal whose Reply cannot be built (buffer
 * too small) is still 1 with reply empty: the caller answers 503.
 */
int gw_mm1_gw_request(struct gw *g, const struct sockaddr *peer,
    const struct wsp_pdu *pdu, int connectionless, unsigned enc,
    struct gw_mm1_txn *t, struct wspgw_buf *reply, int *status,
    size_t *body_len);

/* Looks at a response (headers and body borrowed) for request t. */
void gw_mm1_gw_response(struct gw *g, struct gw_mm1_txn *t,
    const struct wsp_hdrs *headers, const uint8_t *body, size_t len);

#endif /* WSPGW_GATEWAY_MM1_GW_H */
