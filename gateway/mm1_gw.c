/*
 * gateway/mm1_gw.c - MM1 awareness on the request and reply paths (see
 * mm1_gw.h; the pure parts are in mm1.c).
 *
 * Order of the checks on an MMS upload, all before any upstream
 * connection: decode (never refuses by itself), size (a message too large
 * takes no rate-limit token), then the rate limit (m-send-req only).
 *
 * The clock is uv_now(), read once per request and passed to the pure
 * limiter.  The rate-limit table is made on first use while
 * [mmsc] send-rate is not 0, and made anew (empty) when
 * [mmsc] rate-limit-entries changes on a reload.
 */
#include <stdio.h>
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/log.h"
#include "bridge.h"
#include "gw.h"
#include "mm1.h"
#include "mm1_gw.h"

/* Access-log tokens of one request: two PDU summaries and a verdict. */
#define TXN_LOG_MAX 2048


void
gw_mm1_gw_init(struct gw *g)
{
    g->mm1_rl = NULL;
    gw_ratelimit_init(&g->rl_mm1, 5, 1000);
}


void
gw_mm1_gw_close(struct gw *g)
{
    gw_mm1_limiter_free(g->mm1_rl);
    g->mm1_rl = NULL;
}


void
gw_mm1_txn_init(struct gw_mm1_txn *t)
{
    wspgw_buf_init(&t->log, TXN_LOG_MAX);
}


void
gw_mm1_txn_free(struct gw_mm1_txn *t)
{
    wspgw_buf_free(&t->log);
}


const char *
gw_mm1_txn_log(const struct gw_mm1_txn *t)
{
    return wspgw_buf_str(&t->log);
}


static void
count(struct gw *g, const struct gw_mm1_pdu *p)
{
    switch (gw_mm1_kind_of(p)) {
    case GW_MM1_K_SEND_REQ:
        g->stats.mms_send_req++;
        break;
    case GW_MM1_K_SEND_CONF:
        g->stats.mms_send_conf++;
        break;
    case GW_MM1_K_NOTIFICATION_IND:
        g->stats.mms_notification_ind++;
        break;
    case GW_MM1_K_NOTIFYRESP_IND:
        g->stats.mms_notifyresp_ind++;
        break;
    case GW_MM1_K_RETRIEVE_CONF:
        g->stats.mms_retrieve_conf++;
        break;
    case GW_MM1_K_ACKNOWLEDGE_IND:
        g->stats.mms_acknowledge_ind++;
        break;
    case GW_MM1_K_DELIVERY_IND:
        g->stats.mms_delivery_ind++;
        break;
    case GW_MM1_K_OTHER:
        g->stats.mms_other++;
        break;
    default:
        g->stats.mms_undecodable++;
        break;
    }
}


/* Debug line for a body that claims to be MMS and does not decode. */
static void
log_undecodable(struct gw *g, const char *what, const uint8_t *body,
    size_t len, int err)
{
    uint64_t suppressed;
    char hex[120];

    if (!gw_ratelimit_allow(&g->rl_mm1, uv_now(g->loop), &suppressed)) {
        return;
    }
    wspgw_hex_sample(hex, sizeof(hex), body, len, 24);
    wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_WSP, "%s: MMS headers do not "
        "decode (%s; %zu octets: %s), passed on unchanged%s", what,
        wspgw_strerror(err), len, hex,
        suppressed > 0 ? " (more not logged)" : "");
}


/* The rate-limit key: the hook's (MSISDN) when it knows, else the IP. */
static void
subscriber_key(struct gw *g, const struct sockaddr *peer, char *key,
    size_t keylen)
{
    char ip[48];        /* INET6_ADDRSTRLEN */

    if (g->mm1_key != NULL
        && g->mm1_key(g->mm1_key_ctx, peer, key, keylen) == 0
        && key[0] != '\0')
    {
        return;
    }
    gw_bridge_ip_text(peer, ip, sizeof(ip));
    snprintf(key, keylen, "ip:%s", ip);
}


/* Takes a token; 1 allowed, 0 refused (*retry_s set). */
static int
rate_ok(struct gw *g, const struct sockaddr *peer, uint64_t *retry_s)
{
    const struct gw_config *c = g->cfg;
    char key[GW_MM1_KEY_MAX];
    uint64_t retry_ms, ev;
    int ok;

    *retry_s = 0;
    if (c->mms_send_rate == 0) {
        return 1;
    }
    if (g->mm1_rl != NULL
        && gw_mm1_limiter_capacity(g->mm1_rl) != c->mms_rate_entries)
    {
        gw_mm1_limiter_free(g->mm1_rl);
        g->mm1_rl = NULL;
    }
    if (g->mm1_rl == NULL) {
        g->mm1_rl = gw_mm1_limiter_new(c->mms_rate_entries);
        if (g->mm1_rl == NULL) {
            /* Fail open: losing the limit beats losing the message. */
            wspgw_log(WSPGW_LOG_ERROR, WSPGW_SUB_WSP, "out of memory for "
                "the m-send-req rate-limit table; not limiting");
            return 1;
        }
    }
    subscriber_key(g, peer, key, sizeof(key));
    ev = gw_mm1_limiter_evictions(g->mm1_rl);
    ok = gw_mm1_limiter_take(g->mm1_rl, key, c->mms_send_rate,
        c->mms_send_burst, uv_now(g->loop), &retry_ms);
    g->stats.mms_rate_evictions += gw_mm1_limiter_evictions(g->mm1_rl) - ev;
    *retry_s = (retry_ms + 999) / 1000;
    return ok;
}


/* The whole Reply for a refusal, from gw_mm1_refusal's pieces. */
static int
build_reply(const struct gw_mm1_pdu *req, enum gw_mm1_refuse why,
    uint64_t limit, int connectionless, uint8_t tid, unsigned enc,
    struct wspgw_buf *reply, int *status, size_t *body_len)
{
    struct wspgw_buf body;
    struct wsp_hdrs h;
    const char *ctype = NULL;
    unsigned dropped = 0;
    int rc;

    wspgw_buf_init(&body, 1024);
    wsp_hdrs_init(&h, 256);
    rc = gw_mm1_refusal(req, why, limit, &body, status, &ctype);
    if (rc == 0) {
        rc = wsp_hdrs_add(&h, "Content-Type", 12, ctype, strlen(ctype));
    }
    if (rc == 0) {
        wspgw_buf_reset(reply);
        rc = gw_bridge_reply(reply, connectionless, tid, *status, &h,
            body.data, body.len, enc, &dropped);
    }
    *body_len = body.len;
    wsp_hdrs_free(&h);
    wspgw_buf_free(&body);
    if (rc != 0) {
        wspgw_buf_reset(reply);
    }
    return rc;
}


int
gw_mm1_gw_request(struct gw *g, const struct sockaddr *peer,
    const struct wsp_pdu *pdu, int connectionless, unsigned enc,
    struct gw_mm1_txn *t, struct wspgw_buf *reply, int *status,
    size_t *body_len)
{
    const struct gw_config *c = g->cfg;
    struct gw_mm1_pdu p;
    enum gw_mm1_refuse why;
    uint64_t limit;
    const char *verdict;

    if (!wsp_pdu_is_post_family(pdu->type)
        || !gw_mm1_wsp_ctype_is_mms(pdu->ctype, pdu->ctype_len))
    {
        return 0;
    }
    gw_mm1_inspect(pdu->data, pdu->data_len, &p);
    count(g, &p);
    (void) gw_mm1_log_token(&t->log, "mms", &p);
    if (!p.decoded) {
        log_undecodable(g, "request", pdu->data, pdu->data_len, p.err);
    }
    if (c->mms_max_size > 0 && pdu->data_len > c->mms_max_size) {
        why = GW_MM1_TOO_LARGE;
        limit = c->mms_max_size;
        verdict = "too-large";
        g->stats.mms_too_large++;
    } else if (p.decoded && p.info.message_type == WSP_MMS_SEND_REQ
        && !rate_ok(g, peer, &limit))
    {
        why = GW_MM1_RATE_LIMITED;
        verdict = "rate-limited";
        g->stats.mms_rate_limited++;
    } else {
        return 0;
    }
    (void) wspgw_buf_printf(&t->log, " mms-refused=%s", verdict);
    if (build_reply(&p, why, limit, connectionless, pdu->tid, enc, reply,
            status, body_len) != 0)
    {
        *status = 503;
        *body_len = 0;
    }
    return 1;
}


void
gw_mm1_gw_response(struct gw *g, struct gw_mm1_txn *t,
    const struct wsp_hdrs *headers, const uint8_t *body, size_t len)
{
    struct gw_mm1_pdu p;
    int i = wsp_hdrs_find(headers, "Content-Type");

    if (i < 0 || !gw_mm1_ctype_is_mms(wsp_hdrs_value(headers,
            (unsigned) i)))
    {
        return;
    }
    gw_mm1_inspect(body, len, &p);
    count(g, &p);
    (void) gw_mm1_log_token(&t->log, "mms-reply", &p);
    if (!p.decoded) {
        log_undecodable(g, "response", body, len, p.err);
    }
}
