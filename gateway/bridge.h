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
#include <sys/socket.h>

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
 * proxy.  The session's headers come first, the request's after them
 * (WAP-248 9.2.3.2 [18]; x-wap-profile lists references in that order).
 * bin is borrowed.  Returns 0 or a decoding/list error; on error out is
 * unchanged.
 */
int gw_bridge_merge_session_headers(const uint8_t *bin, size_t len,
    struct wsp_hdrs *out);

/* What the gateway adds to every upstream request (gw_bridge_upstream). */
struct gw_bridge_upstream {
    int via;                        /* append "1.1 wspgw" to Via */
    const char *client_ip_header;   /* e.g. "X-WAP-Network-Client-IP";
                                       NULL or "": none */
    const char *client_ip;          /* the handset's address as text */
    /* Header enrichment (issue 5): more names a handset may not send,
     * the configured enrichment headers (borrowed; NULL when n_strip 0). */
    const char *const *strip;
    unsigned n_strip;
};

/*
 * Whether a header the handset sent must be removed because it claims an
 * identity only the gateway may vouch for: one of the well-known
 * identity and client-address headers (X-MSISDN, X-Up-Calling-Line-Id,
 * X-WAP-Network-Client-IP, X-Forwarded-For, ...; the list is in
 * bridge.c), u->client_ip_header, or one of u->strip.  Names compare
 * without regard to case, and "_" equals "-" (CGI and PHP turn both into
 * the same HTTP_X_MSISDN variable, so X_MSISDN would be a way round).
 */
int gw_bridge_is_identity_header(const char *name,
    const struct gw_bridge_upstream *u);

/*
 * Builds the enrichment headers for a request in out (initialised by the
 * caller): each of msisdn_names gets msisdn, imsi_name gets imsi.  Empty
 * names, an empty msisdn or an empty imsi add nothing.  Values must have
 * passed gw_subs_msisdn_ok/gw_subs_imsi_ok (digits only).  Returns 0 or a
 * list error.
 */
int gw_bridge_enrich_headers(struct wsp_hdrs *out,
    const char *const *msisdn_names, unsigned n_names, const char *msisdn,
    const char *imsi_name, const char *imsi);

#define GW_BRIDGE_VIA "1.1 wspgw"

/*
 * The last step before a request goes upstream, after the session headers
 * were merged (h is rewritten in place):
 *   - UAProf (WAP-248 9.2.3.3 rules [19], [20]): every Profile-Diff
 *     field (XML text, as the codec decodes the WBXML) becomes
 *     "x-wap-profile-diff: N;<xml>", N = 1, 2... in list order, and one
 *     x-wap-profile lists, in list order, every Profile URI (quoted here
 *     when the handset did not) and "N-<base64 MD5 of the xml>" for
 *     every diff (9.1.1.1, 9.1.2.2), e.g. "http://p/a.rdf", "1-kAFQ...".
 *     A handset that sends x-wap-profile itself (application header) is
 *     passed unchanged and its value wins over the Profile and
 *     Profile-Diff fields; one that sends x-wap-profile-diff as text
 *     keeps it, and its Profile-Diff fields are dropped.
 *   - Identity: every header gw_bridge_is_identity_header names is
 *     removed (never trusted from a handset: the client address headers,
 *     the well-known MSISDN/IMSI headers, the configured enrichment
 *     names); then u->client_ip_header: u->client_ip is added when
 *     configured.  The enrichment headers themselves are not added here:
 *     gateway/http.c adds them only on hops to an [enrichment] host.
 *   - Via (RFC 9110 7.6.3): with u->via, "1.1 wspgw" is appended to the
 *     last Via the handset sent, or a Via is added.
 * No Referer is ever added.  Returns 0 or a list error (WSPGW_ENOSPC,
 * WSPGW_EMSGSIZE, WSPGW_ENOMEM); on error h is unchanged.
 */
int gw_bridge_upstream_headers(struct wsp_hdrs *h,
    const struct gw_bridge_upstream *u);

/*
 * Writes the IP address of sa (no port) into out: "192.0.2.1",
 * "2001:db8::1".  Writes "" for another family.
 */
void gw_bridge_ip_text(const struct sockaddr *sa, char *out, size_t outlen);

/*
 * Appends a Reply PDU for an HTTP response to out: WSP status from the
 * HTTP status, Content-Type into the content-type field (octet-stream
 * when the upstream sent none), the other end-to-end headers encoded at
 * encoding version enc (a header that does not encode is left out and
 * counted in *dropped; x-wap-profile-warning goes as WSP's
 * Profile-Warning, or as text when that does not encode), Content-Length
 * set to the body actually sent.
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
