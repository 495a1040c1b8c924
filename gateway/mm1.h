/*
 * gateway/mm1.h - MM1 awareness (issue 5, "MMS awareness"): what the
 * gateway does with MMS PDUs that cross it between handsets and the MMSC.
 *
 * Pure helpers (no libuv, no clock: "now" is passed in), unit-tested in
 * tests/unit/gateway/test_mm1.c:
 *   - recognising application/vnd.wap.mms-message (binary WSP content
 *     type of a Post, or the text Content-Type of an HTTP response);
 *   - a summary of a PDU (wsp/mms.c) and its access-log token;
 *   - which counter a PDU goes to;
 *   - the per-subscriber token bucket for m-send-req (capped table,
 *     least recently used entry evicted);
 *   - the answer the gateway gives itself when it refuses an upload.
 *
 * The I/O side (counters, configuration, the subscriber key hook) is in
 * gateway/mm1_gw.c.  The PDUs themselves always pass through unchanged:
 * the gateway looks, logs, counts and may refuse, but never rewrites.
 */
#ifndef WSPGW_GATEWAY_MM1_H
#define WSPGW_GATEWAY_MM1_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "wspgw/buf.h"
#include "wspgw/mms.h"

#define GW_MM1_CTYPE "application/vnd.wap.mms-message"

/* Longest rate-limit key ("ip:<IPv6>", "msisdn:+...") with its NUL. */
#define GW_MM1_KEY_MAX 64

/* Whether a text content type ("application/vnd.wap.mms-message",
 * parameters and case ignored) is the MMS one.  NULL: no. */
int gw_mm1_ctype_is_mms(const char *text);

/* Whether a WSP Content-type-value (well-known 0xBE, or its text form,
 * with or without parameters) is the MMS one.  Borrows ct. */
int gw_mm1_wsp_ctype_is_mms(const uint8_t *ct, size_t len);

/* One MMS PDU as the gateway saw it. */
struct gw_mm1_pdu {
    int decoded;                /* 1: headers decoded into info */
    int err;                    /* the decoder's error when not */
    size_t len;                 /* octets of the whole PDU */
    struct wsp_mms_info info;
};

/* Decodes the headers of the PDU (body, len): never fails, the outcome
 * is in out->decoded / out->err.  Borrows body. */
void gw_mm1_inspect(const uint8_t *body, size_t len, struct gw_mm1_pdu *out);

/*
 * Appends one access-log token for p, preceded by a space:
 *   " NAME=TYPE;tid=...;ver=1.2;to=...;rcpt=N;size=N;rs=...;st=...;len=N"
 * NAME is "mms" for a request body, "mms-reply" for a response body.
 * Parts are present only when the PDU has them (rcpt counts To, Cc and
 * Bcc; size is X-Mms-Message-Size; rs/st are X-Mms-Response-Status and
 * X-Mms-Status by name; len is the PDU's octets).  A PDU that did not
 * decode gives " NAME=undecodable;err=EPROTO;len=N".  Values come from
 * the handset or the MMSC, so every octet outside 0x21-0x7E and each of
 * % ; = " is written as %XX: a log line can never be split or forged.
 * Returns 0 or a buffer error.
 */
int gw_mm1_log_token(struct wspgw_buf *out, const char *name,
    const struct gw_mm1_pdu *p);

/* The counter a PDU goes to (one per message type a gateway sees, the
 * rest as "other", and undecodable bodies). */
enum gw_mm1_kind {
    GW_MM1_K_SEND_REQ,
    GW_MM1_K_SEND_CONF,
    GW_MM1_K_NOTIFICATION_IND,
    GW_MM1_K_NOTIFYRESP_IND,
    GW_MM1_K_RETRIEVE_CONF,
    GW_MM1_K_ACKNOWLEDGE_IND,
    GW_MM1_K_DELIVERY_IND,
    GW_MM1_K_OTHER,
    GW_MM1_K_UNDECODABLE
};

enum gw_mm1_kind gw_mm1_kind_of(const struct gw_mm1_pdu *p);

/* ---- the m-send-req rate limit ---------------------------------------- */

/*
 * The subscriber key hook (struct gw mm1_key): writes the rate-limit key
 * for the handset at peer into key (keylen octets, NUL-terminated), e.g.
 * "msisdn:+15551230000", and returns 0; or returns a negative code when
 * it does not know the subscriber, and the gateway keys by IP address
 * ("ip:192.0.2.1").  Must not block (it runs on the loop).  The
 * enrichment module plugs its IP -> MSISDN table in here.
 */
typedef int (*gw_mm1_key_fn)(void *ctx, const struct sockaddr *peer,
    char *key, size_t keylen);

/*
 * Token buckets keyed by subscriber (MSISDN when the gateway knows it,
 * else the handset's IP address: the caller makes the key).  A bucket
 * holds up to burst tokens and gains rate_per_min tokens a minute; each
 * m-send-req takes one.  The table holds at most max_entries keys; a new
 * key beyond that evicts the least recently used one (an entry idle for
 * burst / rate minutes has a full bucket again anyway, so evicting it
 * loses nothing unless the table is far too small; evictions are
 * counted so an operator can tell).
 *
 * Integer arithmetic only: a token is 60000 units and a bucket gains
 * rate_per_min units per millisecond, so there is no rounding drift.
 */
struct gw_mm1_limiter;

/* NULL on allocation failure.  max_entries >= 1. */
struct gw_mm1_limiter *gw_mm1_limiter_new(unsigned max_entries);
void gw_mm1_limiter_free(struct gw_mm1_limiter *l);

/*
 * Takes a token for key at now_ms.  Returns 1 (allowed) or 0 (refused:
 * *retry_ms says how long until the next token).  rate_per_min 0 means
 * no limit (always 1, nothing stored); burst 0 is taken as 1.  A key
 * longer than GW_MM1_KEY_MAX - 1 is cut (keys are made by the gateway).
 * Time going backwards counts as no time passing.
 */
int gw_mm1_limiter_take(struct gw_mm1_limiter *l, const char *key,
    unsigned rate_per_min, unsigned burst, uint64_t now_ms,
    uint64_t *retry_ms);

unsigned gw_mm1_limiter_size(const struct gw_mm1_limiter *l);
unsigned gw_mm1_limiter_capacity(const struct gw_mm1_limiter *l);
uint64_t gw_mm1_limiter_evictions(const struct gw_mm1_limiter *l);

/* ---- refusals ----------------------------------------------------------- */

enum gw_mm1_refuse {
    GW_MM1_TOO_LARGE,           /* over [mmsc] max-message-size */
    GW_MM1_RATE_LIMITED         /* over [mmsc] send-rate / send-burst */
};

/*
 * The answer to an MMS upload the gateway refuses itself, written into
 * body (reset first), with *http_status and *ctype for the Reply:
 *   - an m-send-req whose Transaction-Id decoded gets HTTP 200 with an
 *     m-send-conf carrying that Transaction-Id (handsets drop a
 *     send-conf whose id differs) and X-Mms-Response-Status
 *     error-permanent-content-not-accepted (0xE5, too large: sending
 *     again cannot help; MM7's "content size unacceptable" maps to it)
 *     or error-transient-failure (0xC0, rate limit: the handset may
 *     send again later), plus a Response-Text saying why;
 *   - anything else (another PDU type, an undecodable body) gets
 *     413 Request Entity Too Large or 503 Service Unavailable with a
 *     one-line text/plain body (there is no transaction to answer).
 * limit is the size limit (octets) or the seconds until the next token.
 * Returns 0 or a buffer error.
 */
int gw_mm1_refusal(const struct gw_mm1_pdu *req, enum gw_mm1_refuse why,
    uint64_t limit, struct wspgw_buf *body, int *http_status,
    const char **ctype);

#endif /* WSPGW_GATEWAY_MM1_H */
