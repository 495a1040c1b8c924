/*
 * gateway/co.c - connection-oriented WSP over WTP (see co.h).
 *
 * The pump: after any input (datagram, timer, HTTP completion) the
 * actions of both cores are drained until neither has any left.  WTP
 * indications go to the session core; the session core's TR-* requests
 * go back to WTP, its FETCH actions to the HTTP client.  Action data are
 * views valid until the next call into the core that made them, so each
 * action is carried out completely before the next call (a FETCH is
 * copied into the HTTP request at once).
 *
 * One uv_timer per socket is armed at the earlier of the two cores'
 * deadlines.  "now" is read once per callback with uv_now().
 *
 * Ownership: a struct co_fetch lives from FETCH to the HTTP completion
 * or FETCH_CANCEL; it is in a small list (bounded by sessions x MOR,
 * both capped in the session core).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/log.h"
#include "bridge.h"
#include "co.h"
#include "wmlc.h"

#define CO_URL_MAX 2048
#define CO_HDR_TEXT_MAX (32 * 1024)

struct co_fetch {
    struct co_fetch *next;
    struct gw_co *co;
    uint32_t method_id;
    struct wspgw_addr peer;
    unsigned enc;
    uint64_t start_ms;
    const char *method;
    char *url;
    struct gw_http_xfer *xfer;
    int wmlc_needs;             /* gw_wmlc_handset_needs at FETCH time */
};

struct gw_co {
    struct gw *g;
    struct gw_udp_sock *sock;
    struct wtp_ep *wtp;
    struct wsp_srv *srv;
    uv_timer_t timer;
    struct co_fetch *fetches;
    size_t max_message;
    struct wsp_hdrs hdrs;       /* request headers, reused */
    struct wspgw_buf reply;     /* Reply under construction, reused */
    struct wsp_hdrs wmlc_hdrs;  /* compiled reply's headers, reused */
    struct wspgw_buf wmlc_body; /* compiled deck, reused */
    int closing;
};


void
gw_addr_from_sockaddr(struct wspgw_addr *out, const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *) sa;

        wspgw_addr_init(out, WSPGW_AF_INET6, &s6->sin6_addr,
            ntohs(s6->sin6_port));
    } else {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *) sa;

        wspgw_addr_init(out, WSPGW_AF_INET, &s4->sin_addr,
            ntohs(s4->sin_port));
    }
}


void
gw_addr_to_sockaddr(struct sockaddr_storage *out, const struct wspgw_addr *a)
{
    memset(out, 0, sizeof(*out));
    if (a->family == WSPGW_AF_INET6) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *) out;

        s6->sin6_family = AF_INET6;
        memcpy(&s6->sin6_addr, a->ip, 16);
        s6->sin6_port = htons(a->port);
    } else {
        struct sockaddr_in *s4 = (struct sockaddr_in *) out;

        s4->sin_family = AF_INET;
        memcpy(&s4->sin_addr, a->ip, 4);
        s4->sin_port = htons(a->port);
    }
}


static void pump(struct gw_co *co);


static void
fetch_free(struct gw_co *co, struct co_fetch *f)
{
    struct co_fetch **pp;

    for (pp = &co->fetches; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == f) {
            *pp = f->next;
            break;
        }
    }
    wspgw_free(f->url);
    wspgw_free(f);
}


static void
on_fetch_done(void *ctx, struct gw_http_resp *resp)
{
    struct co_fetch *f = ctx;
    struct gw_co *co = f->co;
    struct gw *g = co->g;
    struct sockaddr_storage ss;
    unsigned dropped = 0;
    char text[160];
    int status = resp->status, rc = -1;
    size_t body_len = resp->body.len;

    f->xfer = NULL;
    wspgw_buf_reset(&co->reply);
    if (resp->err == 0) {
        struct gw_wmlc_resp wr = { status, &resp->headers,
            resp->body.data, resp->body.len };
        struct gw_wmlc_counts wc = { &g->stats.wmlc_compiled,
            &g->stats.wmlc_failed };

        /* WML to WMLC for handsets that read only WMLC (wmlc.h); on
         * ENOMEM the handset gets the 502 below. */
        if (gw_wmlc_apply(g->cfg->compile_wml, f->wmlc_needs, f->url,
            co->max_message, &wr, &co->wmlc_hdrs, &co->wmlc_body,
            &wc) == 0) {
            status = wr.status;
            body_len = wr.body_len;
            rc = gw_bridge_reply(&co->reply, 0, 0, status, wr.headers,
                wr.body, wr.body_len, f->enc, &dropped);
        }
    }
    if (rc != 0) {
        status = gw_bridge_http_error(resp->err == 0 ? WSPGW_EMSGSIZE
            : resp->err, resp->err_text, co->max_message, text,
            sizeof(text));
        wspgw_buf_reset(&co->reply);
        rc = gw_bridge_error_reply(&co->reply, 0, 0, status, text);
        body_len = strlen(text);
    }
    gw_addr_to_sockaddr(&ss, &f->peer);
    gw_access_log_write(&g->alog, (struct sockaddr *) &ss, "co", f->method,
        f->url, status, body_len,
        uv_now(g->loop) - f->start_ms);
    if (rc == 0) {
        wsp_srv_method_reply(co->srv, f->method_id, co->reply.data,
            co->reply.len, uv_now(g->loop));
    }
    fetch_free(co, f);
    pump(co);
}


/* Answers a method at once with a gateway error Reply. */
static void
reply_error(struct gw_co *co, uint32_t method_id, int status,
    const char *text)
{
    wspgw_buf_reset(&co->reply);
    if (gw_bridge_error_reply(&co->reply, 0, 0, status, text) == 0) {
        wsp_srv_method_reply(co->srv, method_id, co->reply.data,
            co->reply.len, uv_now(co->g->loop));
    }
}


static void
start_fetch(struct gw_co *co, const struct wsp_srv_action *a)
{
    struct gw *g = co->g;
    struct gw_http_req req;
    struct gw_bridge_upstream up;
    struct sockaddr_storage ss;
    char ip[INET6_ADDRSTRLEN];
    struct co_fetch *f;
    unsigned skipped = 0, enc = a->enc;
    const char *method = wsp_pdu_http_method(a->pdu.type);
    int wmlc_needs;

    if (method == NULL) {
        reply_error(co, a->method_id, 501,
            "wspgw: this WSP method is not supported\n");
        return;
    }
    if (!gw_bridge_url_ok(a->pdu.uri, a->pdu.uri_len, CO_URL_MAX)) {
        reply_error(co, a->method_id, 400, "wspgw: bad request URL\n");
        return;
    }
    wsp_hdrs_reset(&co->hdrs);
    if (gw_bridge_request_headers(&a->pdu, &co->hdrs, &enc, &skipped) != 0
        || gw_bridge_merge_session_headers(a->session_headers,
            a->session_headers_len, &co->hdrs) != 0)
    {
        reply_error(co, a->method_id, 400,
            "wspgw: the request headers could not be decoded\n");
        return;
    }
    /* Judged on what the handset sent (its request and Connect headers),
     * before the gateway adds its own. */
    wmlc_needs = gw_wmlc_handset_needs(&co->hdrs);
    gw_addr_to_sockaddr(&ss, &a->peer);
    gw_bridge_ip_text((const struct sockaddr *) &ss, ip, sizeof(ip));
    up.via = g->cfg->via;
    up.client_ip_header = g->cfg->client_ip_header;
    up.client_ip = ip;
    if (gw_bridge_upstream_headers(&co->hdrs, &up) != 0) {
        reply_error(co, a->method_id, 400,
            "wspgw: the request headers are too large\n");
        return;
    }
    f = wspgw_calloc(1, sizeof(*f));
    if (f != NULL) {
        f->url = wspgw_strndup((const char *) a->pdu.uri, a->pdu.uri_len);
    }
    if (f == NULL || f->url == NULL) {
        wspgw_free(f);
        reply_error(co, a->method_id, 503, "wspgw: out of memory\n");
        return;
    }
    f->co = co;
    f->method_id = a->method_id;
    f->peer = a->peer;
    f->enc = a->enc != 0 ? a->enc : enc;
    f->method = method;
    f->wmlc_needs = wmlc_needs;
    f->start_ms = uv_now(g->loop);
    memset(&req, 0, sizeof(req));
    req.method = method;
    req.url = f->url;
    req.headers = &co->hdrs;
    req.body = a->pdu.data;
    req.body_len = a->pdu.data_len;
    req.max_response = co->max_message;
    req.max_redirects = g->cfg->follow_redirects
        ? g->cfg->max_redirects : 0;
    req.done = on_fetch_done;
    req.ctx = f;
    if (gw_http_fetch(g->http, &req, &f->xfer) != 0) {
        wspgw_free(f->url);
        wspgw_free(f);
        reply_error(co, a->method_id, 503, "wspgw: out of memory\n");
        return;
    }
    f->next = co->fetches;
    co->fetches = f;
}


static void
cancel_fetch(struct gw_co *co, uint32_t method_id)
{
    struct co_fetch *f;

    for (f = co->fetches; f != NULL; f = f->next) {
        if (f->method_id == method_id) {
            if (f->xfer != NULL) {
                gw_http_cancel(co->g->http, f->xfer);
            }
            fetch_free(co, f);
            return;
        }
    }
}


/* Carries out every pending action of the session core. */
static int
drain_srv(struct gw_co *co, uint64_t now)
{
    struct wsp_srv_action a;
    int n = 0;

    while (wsp_srv_next_action(co->srv, &a)) {
        n++;
        switch (a.type) {
        case WSP_SRV_ACT_TR_RESULT:
            wtp_tr_result_req(co->wtp, a.wtp_handle, a.data, a.len, now);
            break;
        case WSP_SRV_ACT_TR_ABORT:
            wtp_tr_abort_req(co->wtp, a.wtp_handle, a.reason, now);
            break;
        case WSP_SRV_ACT_FETCH:
            start_fetch(co, &a);
            break;
        case WSP_SRV_ACT_FETCH_CANCEL:
            cancel_fetch(co, a.method_id);
            break;
        case WSP_SRV_ACT_TR_INVOKE_RES:
            wtp_tr_invoke_res(co->wtp, a.wtp_handle, now);
            break;
        default:
            break;
        }
    }
    return n;
}


/* Carries out every pending action of the WTP core. */
static int
drain_wtp(struct gw_co *co, uint64_t now)
{
    struct wtp_action a;
    struct sockaddr_storage ss;
    int n = 0;

    while (wtp_next_action(co->wtp, &a)) {
        n++;
        switch (a.type) {
        case WTP_ACT_SEND:
            gw_addr_to_sockaddr(&ss, &a.peer);
            gw_bearer_send(co->sock, (struct sockaddr *) &ss, a.data, a.len);
            break;
        case WTP_ACT_INVOKE_IND:
            wsp_srv_invoke_ind(co->srv, a.handle, &a.peer, a.tcl, a.data,
                a.len, now);
            break;
        case WTP_ACT_RESULT_CNF:
            wsp_srv_result_cnf(co->srv, a.handle, now);
            break;
        case WTP_ACT_ABORT_IND:
            wsp_srv_abort_ind(co->srv, a.handle, a.abort_type,
                a.abort_reason, now);
            break;
        default:
            break;
        }
        /* The session core's actions may refer to a.data: do them now. */
        drain_srv(co, now);
    }
    return n;
}


static void on_timer(uv_timer_t *t);


static void
pump(struct gw_co *co)
{
    uint64_t now, d1, d2, next;

    if (co->closing) {
        return;
    }
    now = uv_now(co->g->loop);
    do {
        drain_srv(co, now);
    } while (drain_wtp(co, now) > 0);
    d1 = wtp_next_deadline(co->wtp);
    d2 = wsp_srv_next_deadline(co->srv);
    next = d1 < d2 ? d1 : d2;
    if (next == UINT64_MAX) {
        uv_timer_stop(&co->timer);
        return;
    }
    uv_timer_start(&co->timer, on_timer, next > now ? next - now : 0, 0);
}


static void
on_timer(uv_timer_t *t)
{
    struct gw_co *co = t->data;
    uint64_t now = uv_now(co->g->loop);

    wtp_timeout(co->wtp, now);
    wsp_srv_timeout(co->srv, now);
    pump(co);
}


struct gw_co *
gw_co_new(struct gw *g, struct gw_udp_sock *s, const struct wtp_config *wcfg,
    const struct wsp_srv_config *scfg)
{
    struct gw_co *co = wspgw_calloc(1, sizeof(*co));

    if (co == NULL) {
        return NULL;
    }
    co->g = g;
    co->sock = s;
    co->max_message = wcfg->max_message;
    co->wtp = wtp_ep_new(wcfg);
    co->srv = wsp_srv_new(scfg);
    if (co->wtp == NULL || co->srv == NULL) {
        wtp_ep_free(co->wtp);
        wsp_srv_free(co->srv);
        wspgw_free(co);
        return NULL;
    }
    wsp_hdrs_init(&co->hdrs, CO_HDR_TEXT_MAX);
    wspgw_buf_init(&co->reply, wcfg->max_message + 4096);
    wsp_hdrs_init(&co->wmlc_hdrs, CO_HDR_TEXT_MAX);
    wspgw_buf_init(&co->wmlc_body, wcfg->max_message);
    uv_timer_init(g->loop, &co->timer);
    co->timer.data = co;
    return co;
}


void
gw_co_input(struct gw_co *co, const struct sockaddr *peer,
    const uint8_t *buf, size_t len)
{
    struct wspgw_addr a;

    gw_addr_from_sockaddr(&a, peer);
    wtp_input(co->wtp, &a, buf, len, uv_now(co->g->loop));
    pump(co);
}


void
gw_co_set_config(struct gw_co *co, const struct wtp_config *wcfg)
{
    wtp_ep_set_config(co->wtp, wcfg);
}


static void
timer_closed(uv_handle_t *h)
{
    struct gw_co *co = h->data;

    wtp_ep_free(co->wtp);
    wsp_srv_free(co->srv);
    wsp_hdrs_free(&co->hdrs);
    wspgw_buf_free(&co->reply);
    wsp_hdrs_free(&co->wmlc_hdrs);
    wspgw_buf_free(&co->wmlc_body);
    wspgw_free(co);
}


void
gw_co_close(struct gw_co *co)
{
    if (co == NULL) {
        return;
    }
    co->closing = 1;
    while (co->fetches != NULL) {
        if (co->fetches->xfer != NULL) {
            gw_http_cancel(co->g->http, co->fetches->xfer);
        }
        fetch_free(co, co->fetches);
    }
    uv_close((uv_handle_t *) &co->timer, timer_closed);
}


const struct wtp_stats *
gw_co_wtp_stats(const struct gw_co *co)
{
    return wtp_ep_stats(co->wtp);
}


const struct wsp_srv_stats *
gw_co_wsp_stats(const struct gw_co *co)
{
    return wsp_srv_stats(co->srv);
}
