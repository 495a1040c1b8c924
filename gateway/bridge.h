/*
 * gateway/bridge.h - translation between a WSP method and an HTTP
 * exchange: request headers one way, the Reply PDU the other.
 *
 * Pure code (no libuv, no curl), shared by the connectionless path
 * (cl.c) and, later, session mode.  Spec: WAP-230 8.2.3 (Get, Post,
 * Reply), 8.4 (headers); HTTP/1.1 hop-by-hop rules (RFC 7230 6.1).
 */
#ifndef WSPGW_GATEWAY_BRIDGE_H
#define WSPGW_GATEWAY_BRIDGE_H

#include <stddef.h>
#include <stdint.h>

#include "wspgw/buf.h"
#include "wspgw/wsp.h"

/* Encoding version assumed when the handset sends no Encoding-Version
 * header (WAP-230 8.4.2.70 leaves it open; 1.2 is what Kannel assumes
 * and what WAP 1.2 handsets speak). */
#define GW_DEFAULT_ENC WSP_ENC_1_2

/*
 * Builds the HTTP request headers for a decoded Get/Post PDU: the Post's
 * content type becomes Content-Type, the binary headers become text, and
 * headers that must not cross a proxy (hop-by-hop, Host, Content-Length)
 * or that only mean something to WSP (Encoding-Version) are dropped.
 * *enc_out receives the encoding version to answer in.
 * out must be initialised by the caller (borrowed).  Returns 0 or a
 * decoding error (WSPGW_EPROTO, WSPGW_ETRUNC) or list error.
 */
int gw_bridge_request_headers(const struct wsp_pdu *pdu,
    struct wsp_hdrs *out, unsigned *enc_out, unsigned *skipped);

/*
 * Adds the session headers (the binary headers of the WSP Connect,
 * WAP-230 8.2.2.1) to a request's header list, except those the request
 * itself carries (its own values win) and those that must not cross a
 * proxy.  bin is borrowed.  Returns 0 or a decoding/list error.
 */
int gw_bridge_merge_session_headers(const uint8_t *bin, size_t len,
    struct wsp_hdrs *out);

/*
 * Appends a Reply PDU for an HTTP response to out: WSP status from the
 * HTTP status, Content-Type into the content-type field (octet-stream
 * when the upstream sent none), the other end-to-end headers encoded at
 * encoding version enc (a header that does not encode is left out and
 * counted in *dropped), Content-Length set to the body actually sent.
 * Returns 0, or WSPGW_EMSGSIZE when the PDU does not fit out->max.
 */
int gw_bridge_reply(struct wspgw_buf *out, int connectionless, uint8_t tid,
    int http_status, const struct wsp_hdrs *headers,
    const uint8_t *body, size_t body_len, unsigned enc, unsigned *dropped);

/*
 * Appends a Reply made by the gateway itself: status, a text/plain body
 * saying why (kept short so it fits any SDU).
 */
int gw_bridge_error_reply(struct wspgw_buf *out, int connectionless,
    uint8_t tid, int http_status, const char *text);

/*
 * Turns a failed upstream exchange (a WSPGW_E* from gateway/http.c) into
 * the HTTP status the handset gets and a one-line text/plain body:
 * EACCES 403, ETIMEDOUT 504, EINVAL 400, EMSGSIZE 502 (limit names
 * max_octets), anything else 502.  Returns the status.
 */
int gw_bridge_http_error(int err, const char *err_text, size_t max_octets,
    char *text, size_t textlen);

/* Whether a request URI is acceptable: absolute-URI characters only,
 * printable ASCII without spaces (RFC 3986), at most max octets. */
int gw_bridge_url_ok(const uint8_t *uri, size_t len, size_t max);

/* Whether an HTTP header must not be forwarded by a proxy. */
int gw_bridge_is_hop_by_hop(const char *name);

#endif /* WSPGW_GATEWAY_BRIDGE_H */
