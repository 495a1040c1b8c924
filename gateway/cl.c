/*
 * gateway/cl.c - connectionless WSP bridged to HTTP (see cl.h).
 *
 * Life of a request: gw_cl_input decodes the PDU (wsp_pdu_decode, views
 * into the datagram), refuses what it must (malformed: drop and count;
 * over max-requests: 503; unknown method: 501), turns the binary headers
 * into HTTP headers (bridge.c) and starts an upstream fetch (http.c).
 * on_http_done encodes the Reply (bridge.c) and sends it from the socket
 * the request came in on.
 *
 * A handset that retransmits a request whose answer is still pending
 * (same address, port and TID) is ignored: the upstream sees the request
 * once.  Pending requests live in a small hash keyed by (peer, TID), so a
 * flood costs O(1) per datagram; their number is capped by
 * [gateway] max-requests.
 *
 * Ownership: a struct cl_req owns its URL copy; everything from the
 * datagram it needs later is copied at input time.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/log.h"
#include "bridge.h"
#include "cl.h"
#include "wmlc.h"

#define CL_BUCKETS 1024
#define URL_MAX 2048
#define HDR_TEXT_MAX (16 * 1024)

struct cl_req {
    struct cl_req *hnext;
    struct gw_cl *cl;
    struct gw_udp_sock *sock;
    struct sockaddr_storage peer;
    uint8_t tid;
    unsigned enc;
    uint64_t start_ms;
    const char *method;
    char *url;
    struct gw_http_xfer *xfer;
    int wmlc_needs;             /* gw_wmlc_handset_needs at request time */
};

struct gw_cl {
    struct gw *g;
    struct cl_req *bucket[CL_BUCKETS];
    unsigned n;
    struct gw_ratelimit rl_bad;
    struct wspgw_buf out;       /* reply under construction, reused */
    struct wsp_hdrs hdrs;       /* request headers, reused */
    struct wsp_hdrs wmlc_hdrs;  /* compiled reply's headers, reused */
    struct wspgw_buf wmlc_body; /* compiled deck, reused */
};


static size_t
peer_len(const struct sockaddr *sa)
{
    return sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                     : sizeof(struct sockaddr_in);
}


static unsigned
peer_hash(const struct sockaddr *sa, uint8_t tid)
{
    const uint8_t *p = (const uint8_t *) sa;
    size_t i, n = peer_len(sa);
    uint32_t h = 2166136261u ^ tid;

    for (i = 0; i < n; i++) {
        h = (h ^ p[i]) * 16777619u;
    }
    return h % CL_BUCKETS;
}


static int
same_peer(const struct sockaddr_storage *a, const struct sockaddr *b)
{
    if (a->ss_family != b->sa_family) {
        return 0;
    }
    if (b->sa_family == AF_INET6) {
        const struct sockaddr_in6 *x = (const struct sockaddr_in6 *) a;
        const struct sockaddr_in6 *y = (const struct sockaddr_in6 *) b;

        return x->sin6_port == y->sin6_port
            && memcmp(&x->sin6_addr, &y->sin6_addr, 16) == 0;
    } else {
        const struct sockaddr_in *x = (const struct sockaddr_in *) a;
        const struct sockaddr_in *y = (const struct sockaddr_in *) b;

        return x->sin_port == y->sin_port
            && x->sin_addr.s_addr == y->sin_addr.s_addr;
    }
}


static struct cl_req **
find_slot(struct gw_cl *cl, const struct sockaddr *peer, uint8_t tid)
{
    struct cl_req **pp = &cl->bucket[peer_hash(peer, tid)];

    while (*pp != NULL) {
        if ((*pp)->tid == tid && same_peer(&(*pp)->peer, peer)) {
            return pp;
        }
        pp = &(*pp)->hnext;
    }
    return pp;
}


static void
req_unlink_free(struct gw_cl *cl, struct cl_req *r)
{
    struct cl_req **pp = find_slot(cl, (struct sockaddr *) &r->peer, r->tid);

    if (*pp == r) {
        *pp = r->hnext;
        cl->n--;
    }
    wspgw_free(r->url);
    wspgw_free(r);
}


struct gw_cl *
gw_cl_new(struct gw *g)
{
    struct gw_cl *cl = wspgw_calloc(1, sizeof(*cl));

    if (cl == NULL) {
        return NULL;
    }
    cl->g = g;
    gw_ratelimit_init(&cl->rl_bad, 10, 1000);
    wspgw_buf_init(&cl->out, 65536);
    wsp_hdrs_init(&cl->hdrs, HDR_TEXT_MAX);
    wsp_hdrs_init(&cl->wmlc_hdrs, HDR_TEXT_MAX);
    wspgw_buf_init(&cl->wmlc_body, 65536);
    return cl;
}


unsigned
gw_cl_pending(const struct gw_cl *cl)
{
    return cl->n;
}


void
gw_cl_free(struct gw_cl *cl)
{
    unsigned i;

    if (cl == NULL) {
        return;
    }
    for (i = 0; i < CL_BUCKETS; i++) {
        while (cl->bucket[i] != NULL) {
            struct cl_req *r = cl->bucket[i];

            if (r->xfer != NULL) {
                gw_http_cancel(cl->g->http, r->xfer);
            }
            req_unlink_free(cl, r);
        }
    }
    wspgw_buf_free(&cl->out);
    wsp_hdrs_free(&cl->hdrs);
    wsp_hdrs_free(&cl->wmlc_hdrs);
    wspgw_buf_free(&cl->wmlc_body);
    wspgw_free(cl);
}


/* Logs a refused datagram, at most 10 lines a second. */
static void
log_bad(struct gw_cl *cl, struct gw_udp_sock *s, const struct sockaddr *peer,
    const uint8_t *buf, size_t len, const char *what)
{
    uint64_t suppressed;
    char addr[80], hex[120];

    if (!gw_ratelimit_allow(&cl->rl_bad, uv_now(cl->g->loop), &suppressed)) {
        return;
    }
    if (suppressed > 0) {
        wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_WSP,
            "%llu more bad datagrams were not logged",
            (unsigned long long) suppressed);
    }
    gw_format_addr(addr, sizeof(addr), peer);
    wspgw_hex_sample(hex, sizeof(hex), buf, len, 24);
    wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_WSP,
        "%s from %s on %s (%zu octets: %s), dropped", what, addr, s->name,
        len, hex);
}


/* Sends the reply built in cl->out and writes the access log line. */
static void
send_reply(struct gw_cl *cl, struct gw_udp_sock *s,
    const struct sockaddr *peer, const char *method, const char *url,
    int status, size_t body_len, uint64_t start_ms)
{
    struct gw *g = cl->g;

    if (gw_bearer_send(s, peer, cl->out.data, cl->out.len) == 0) {
        g->stats.cl_replies++;
    }
    gw_access_log_write(&g->alog, peer, "cl", method, url, status, body_len,
        uv_now(g->loop) - start_ms);
}


static void
refuse(struct gw_cl *cl, struct gw_udp_sock *s, const struct sockaddr *peer,
    uint8_t tid, const char *method, const char *url, int status,
    const char *text)
{
    wspgw_buf_reset(&cl->out);
    if (gw_bridge_error_reply(&cl->out, 1, tid, status, text) != 0) {
        return;
    }
    cl->g->stats.cl_refused++;
    send_reply(cl, s, peer, method, url, status, strlen(text),
        uv_now(cl->g->loop));
}


static void
on_http_done(void *ctx, struct gw_http_resp *resp)
{
    struct cl_req *r = ctx;
    struct gw_cl *cl = r->cl;
    const struct sockaddr *peer = (const struct sockaddr *) &r->peer;
    size_t max = gw_bearer_max_payload(peer);
    unsigned dropped = 0;
    char text[200];
    int status = resp->status, rc = -1;

    r->xfer = NULL;
    wspgw_buf_reset(&cl->out);
    cl->out.max = max;
    if (resp->err == 0) {
        struct gw_wmlc_resp wr = { status, &resp->headers,
            resp->body.data, resp->body.len };
        struct gw_wmlc_counts wc = { &cl->g->stats.wmlc_compiled,
            &cl->g->stats.wmlc_failed };

        /* WML to WMLC for handsets that read only WMLC (wmlc.h). */
        rc = gw_wmlc_apply(cl->g->cfg->compile_wml, r->wmlc_needs, r->url,
            max, &wr, &cl->wmlc_hdrs, &cl->wmlc_body, &wc);
        if (rc == 0) {
            status = wr.status;
            rc = gw_bridge_reply(&cl->out, 1, r->tid, status, wr.headers,
                wr.body, wr.body_len, r->enc, &dropped);
            if (rc == 0) {
                send_reply(cl, r->sock, peer, r->method, r->url, status,
                    wr.body_len, r->start_ms);
                req_unlink_free(cl, r);
                return;
            }
            snprintf(text, sizeof(text), "wspgw: the response (%zu octets) "
                "does not fit in one connectionless WSP datagram (at most "
                "%zu); use connection-oriented WSP on the WTP port\n",
                wr.body_len, max);
        } else {
            snprintf(text, sizeof(text), "wspgw: the WML deck could not be "
                "compiled for this handset: %s\n", wspgw_strerror(rc));
        }
        status = 502;
    } else if (resp->err == WSPGW_EMSGSIZE) {
        status = 502;
        snprintf(text, sizeof(text), "wspgw: the response does not fit in "
            "one connectionless WSP datagram (at most %zu octets); use "
            "connection-oriented WSP on the WTP port\n", max);
    } else {
        status = gw_bridge_http_error(resp->err, resp->err_text, max, text,
            sizeof(text));
    }
    cl->out.max = max;
    wspgw_buf_reset(&cl->out);
    if (gw_bridge_error_reply(&cl->out, 1, r->tid, status, text) == 0) {
        send_reply(cl, r->sock, peer, r->method, r->url, status,
            strlen(text), r->start_ms);
    }
    req_unlink_free(cl, r);
}


/* UAProf, Via and the client address (bridge.c), from the running
 * configuration. */
static int
add_upstream_headers(struct gw *g, struct wsp_hdrs *h,
    const struct sockaddr *peer)
{
    struct gw_bridge_upstream u;
    char ip[INET6_ADDRSTRLEN];

    gw_bridge_ip_text(peer, ip, sizeof(ip));
    u.via = g->cfg->via;
    u.client_ip_header = g->cfg->client_ip_header;
    u.client_ip = ip;
    return gw_bridge_upstream_headers(h, &u);
}


void
gw_cl_input(struct gw_cl *cl, struct gw_udp_sock *s,
    const struct sockaddr *peer, const uint8_t *buf, size_t len)
{
    struct gw *g = cl->g;
    struct wsp_pdu pdu;
    struct cl_req **slot, *r;
    struct gw_http_req hreq;
    unsigned skipped = 0, enc;
    const char *method;
    char url[URL_MAX + 1];
    int rc, wmlc_needs;

    rc = wsp_pdu_decode(buf, len, 1, &pdu);
    if (rc == WSPGW_ENOTSUP
        || (rc == 0 && !wsp_pdu_is_get_family(pdu.type)
            && !wsp_pdu_is_post_family(pdu.type)))
    {
        g->stats.wsp_unexpected++;
        log_bad(cl, s, peer, buf, len, "not a request PDU");
        return;
    }
    if (rc != 0) {
        g->stats.wsp_malformed++;
        log_bad(cl, s, peer, buf, len, wspgw_strerror(rc));
        return;
    }
    slot = find_slot(cl, peer, pdu.tid);
    if (*slot != NULL) {
        g->stats.wsp_duplicates++;
        return;     /* retransmission of a request still pending */
    }
    method = wsp_pdu_http_method(pdu.type);
    if (pdu.uri_len > URL_MAX) {
        refuse(cl, s, peer, pdu.tid, method ? method : "-", "-", 414,
            "wspgw: URL too long\n");
        return;
    }
    if (!gw_bridge_url_ok(pdu.uri, pdu.uri_len, URL_MAX)) {
        g->stats.wsp_malformed++;
        refuse(cl, s, peer, pdu.tid, method ? method : "-", "-", 400,
            "wspgw: bad request URL\n");
        return;
    }
    memcpy(url, pdu.uri, pdu.uri_len);
    url[pdu.uri_len] = '\0';
    if (method == NULL) {
        refuse(cl, s, peer, pdu.tid, wsp_pdu_type_name(pdu.type), url, 501,
            "wspgw: this WSP method is not supported\n");
        return;
    }
    if (cl->n >= g->cfg->max_requests) {
        refuse(cl, s, peer, pdu.tid, method, url, 503,
            "wspgw: too many requests in progress, try again\n");
        return;
    }
    wsp_hdrs_reset(&cl->hdrs);
    rc = gw_bridge_request_headers(&pdu, &cl->hdrs, &enc, &skipped);
    if (rc != 0) {
        g->stats.wsp_malformed++;
        log_bad(cl, s, peer, buf, len, "bad WSP headers");
        refuse(cl, s, peer, pdu.tid, method, url, 400,
            "wspgw: the request headers could not be decoded\n");
        return;
    }
    /* Judged on what the handset sent, before the gateway adds its own
     * headers; the request headers are gone when the response comes. */
    wmlc_needs = gw_wmlc_handset_needs(&cl->hdrs);
    rc = add_upstream_headers(g, &cl->hdrs, peer);
    if (rc != 0) {
        refuse(cl, s, peer, pdu.tid, method, url, 400,
            "wspgw: the request headers are too large\n");
        return;
    }
    r = wspgw_calloc(1, sizeof(*r));
    if (r != NULL) {
        r->url = wspgw_strndup(url, pdu.uri_len);
    }
    if (r == NULL || r->url == NULL) {
        wspgw_free(r);
        refuse(cl, s, peer, pdu.tid, method, url, 503,
            "wspgw: out of memory\n");
        return;
    }
    r->cl = cl;
    r->sock = s;
    memcpy(&r->peer, peer, peer_len(peer));
    r->tid = pdu.tid;
    r->enc = enc;
    r->method = method;
    r->wmlc_needs = wmlc_needs;
    r->start_ms = uv_now(g->loop);
    memset(&hreq, 0, sizeof(hreq));
    hreq.method = method;
    hreq.url = r->url;
    hreq.headers = &cl->hdrs;
    hreq.body = pdu.data;
    hreq.body_len = pdu.data_len;
    hreq.max_response = gw_bearer_max_payload(peer);
    hreq.max_redirects = g->cfg->follow_redirects
        ? g->cfg->max_redirects : 0;
    hreq.done = on_http_done;
    hreq.ctx = r;
    if (gw_http_fetch(g->http, &hreq, &r->xfer) != 0) {
        wspgw_free(r->url);
        wspgw_free(r);
        refuse(cl, s, peer, pdu.tid, method, url, 503,
            "wspgw: out of memory\n");
        return;
    }
    r->hnext = NULL;
    *slot = r;
    cl->n++;
    g->stats.cl_requests++;
    if (skipped > 0) {
        wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_WSP, "%s %s: %u request "
            "headers not understood, left out", method, url, skipped);
    }
}
