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
 *
 * Cookie jar ([wsp] cookie-jar, gateway/cookies.c): one jar per session
 * id, made when a response for the session first carries Set-Cookie
 * (on any hop of a followed redirect too: the HTTP client's hop hook),
 * used for each later request of the session (its Cookie header is
 * rebuilt: the handset's own cookies first, they win by name), freed at
 * the core's SESSION_END action, which follows the FETCH_CANCELs of the
 * session's methods, so no fetch of an ended session can make a new
 * jar.  Jars live in a hash by session id, at most max-sessions of them
 * (the session table's own cap).  Set-Cookie still reaches the handset
 * unchanged.  On a hop to another host the handset's own Cookie header
 * is not sent (only the jar's cookies for that host are).  Expiry uses
 * the wall clock (Expires is a date), read here once per use.
 *
 * Confirmed push (gw_co_push, issue 6): the push delivery engine asks
 * for a handset by IP address; the session core finds its session,
 * queues a TR_INVOKE (class 1, the ConfirmedPush PDU) which is made a
 * WTP initiator transaction here, and reports PUSH_CNF or PUSH_ABORT,
 * which go to the caller's callback.  Outstanding pushes are a list of
 * struct co_push (bounded by the core: sessions x Push-MOR).  A push
 * is started from the co's timer at 0 ms, so the caller's callback never
 * runs inside gw_co_push.  On close the list is dropped without
 * callbacks (the engine is stopped first, and its queued rows are
 * recovered at the next start).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/log.h"
#include "bridge.h"
#include "co.h"
#include "wmlc.h"
#include "mm1_gw.h"
#include "cookies.h"

#define CO_URL_MAX 2048
#define CO_HDR_TEXT_MAX (32 * 1024)

struct co_fetch {
    struct co_fetch *next;
    struct gw_co *co;
    uint32_t method_id;
    uint32_t session_id;
    char *own_cookie;           /* the handset's Cookie headers joined, for
                                   redirect hops (jar on); NULL: none */
    struct wspgw_addr peer;
    unsigned enc;
    uint64_t start_ms;
    const char *method;
    char *url;                  /* as the handset sent it */
    char *upstream_url;         /* after [mmsc] mapping; NULL: same */
    struct gw_http_xfer *xfer;
    int wmlc_needs;             /* gw_wmlc_handset_needs at FETCH time */
    struct gw_mm1_txn mm1;      /* MMS access-log tokens (issue 5) */
};

struct co_push {
    struct co_push *next;
    uint32_t push_id;
    gw_co_push_fn fn;           /* NULL once forgotten */
    void *ctx;
    int64_t token;
    uint32_t aux;
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
    struct wsp_hdrs enrich;     /* enrichment headers (issue 5), reused */
    struct wspgw_buf reply;     /* Reply under construction, reused */
    struct wsp_hdrs wmlc_hdrs;  /* compiled reply's headers, reused */
    struct wspgw_buf wmlc_body; /* compiled deck, reused */
    char mapped[CO_URL_MAX + GW_URLMAP_URL_MAX + 1];    /* [mmsc] map */
    char url[CO_URL_MAX + 1];   /* the request URL, terminated */
    int closing;
    /* Cookie jars by session id (see the file header). */
    struct co_jar **jars;       /* jar_nb buckets; NULL until the first */
    unsigned jar_nb, n_jars;
    unsigned max_jars;          /* the session table's max_sessions */
    struct co_push *pushes;     /* confirmed pushes outstanding */
    unsigned segment_size;      /* WTP: largest unsegmented invoke */
};

struct co_jar {
    struct co_jar *next;
    uint32_t session_id;
    struct gw_cookie_jar *jar;
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


/* ---- Cookie jars -------------------------------------------------------- */

/* Wall-clock seconds: cookie expiry is a calendar date (cookies.h). */
static int64_t
wall_now(void)
{
    return (int64_t) time(NULL);
}


static unsigned
jar_bucket(const struct gw_co *co, uint32_t session_id)
{
    /* Session ids are a bijective mix already (wsp/session.c). */
    return (session_id ^ (session_id >> 16)) & (co->jar_nb - 1);
}


static struct gw_cookie_jar *
jar_find(const struct gw_co *co, uint32_t session_id)
{
    const struct co_jar *e;

    if (co->jars == NULL) {
        return NULL;
    }
    for (e = co->jars[jar_bucket(co, session_id)]; e != NULL; e = e->next) {
        if (e->session_id == session_id) {
            return e->jar;
        }
    }
    return NULL;
}


/* The session's jar, made on first use; NULL when max_jars exist or
 * memory is short (the response is then not remembered: counted). */
static struct gw_cookie_jar *
jar_get(struct gw_co *co, uint32_t session_id)
{
    struct gw *g = co->g;
    struct gw_cookie_limits lim;
    struct gw_cookie_jar *j = jar_find(co, session_id);
    struct co_jar *e;
    unsigned b;

    if (j != NULL) {
        return j;
    }
    if (co->n_jars >= co->max_jars) {
        g->stats.cookie_jars_refused++;
        return NULL;
    }
    if (co->jars == NULL) {
        unsigned nb = 16;

        while (nb < 65536 && nb < co->max_jars / 2) {
            nb *= 2;
        }
        co->jars = wspgw_calloc(nb, sizeof(*co->jars));
        if (co->jars == NULL) {
            g->stats.cookie_jars_refused++;
            return NULL;
        }
        co->jar_nb = nb;
    }
    lim.max_cookies = g->cfg->cookie_jar_max_cookies;
    lim.max_bytes = g->cfg->cookie_jar_max_bytes;
    lim.max_cookie = lim.max_bytes < GW_COOKIE_MAX_COOKIE ? lim.max_bytes
        : GW_COOKIE_MAX_COOKIE;
    e = wspgw_calloc(1, sizeof(*e));
    j = gw_cookie_jar_new(&lim);
    if (e == NULL || j == NULL) {
        wspgw_free(e);
        gw_cookie_jar_free(j);
        g->stats.cookie_jars_refused++;
        return NULL;
    }
    e->session_id = session_id;
    e->jar = j;
    b = jar_bucket(co, session_id);
    e->next = co->jars[b];
    co->jars[b] = e;
    co->n_jars++;
    g->stats.cookie_jars_created++;
    wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_WSP, "session %08x: cookie jar "
        "created", (unsigned) session_id);
    return j;
}


static void
jar_drop(struct gw_co *co, uint32_t session_id)
{
    struct co_jar **pp, *e;

    if (co->jars == NULL) {
        return;
    }
    for (pp = &co->jars[jar_bucket(co, session_id)]; *pp != NULL;
        pp = &(*pp)->next)
    {
        if ((*pp)->session_id == session_id) {
            e = *pp;
            *pp = e->next;
            wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_WSP, "session %08x: cookie "
                "jar freed (%u cookies)", (unsigned) session_id,
                gw_cookie_jar_count(e->jar));
            gw_cookie_jar_free(e->jar);
            wspgw_free(e);
            co->n_jars--;
            co->g->stats.cookie_jars_freed++;
            return;
        }
    }
}


static void
jars_free_all(struct gw_co *co)
{
    unsigned b;

    for (b = 0; co->jars != NULL && b < co->jar_nb; b++) {
        while (co->jars[b] != NULL) {
            jar_drop(co, co->jars[b]->session_id);
        }
    }
    wspgw_free(co->jars);
    co->jars = NULL;
    co->jar_nb = 0;
}


/* Files the Set-Cookie headers of a response from url in the session's
 * jar (made if need be). */
static void
jar_store(struct gw_co *co, uint32_t session_id, const char *url,
    const struct wsp_hdrs *h, int64_t now)
{
    struct gw_cookie_counts cnt;
    struct gw_cookie_jar *j;

    if (!gw_cookie_has_set_cookie(h)) {
        return;
    }
    j = jar_get(co, session_id);
    if (j == NULL) {
        return;
    }
    memset(&cnt, 0, sizeof(cnt));
    gw_cookie_jar_store(j, url, h, now, &cnt);
    co->g->stats.cookies_stored += cnt.stored;
    co->g->stats.cookies_rejected += cnt.rejected;
    co->g->stats.cookies_evicted += cnt.evicted;
    if (cnt.rejected > 0) {
        wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_HTTP, "session %08x: %u "
            "Set-Cookie from %s refused", (unsigned) session_id,
            cnt.rejected, url);
    }
}


/*
 * The HTTP client's hop hook (gw_http_hop_fn): keeps the cookies a
 * redirect sets (a login's 302) and gives the next hop the Cookie header
 * a browser would send there.
 */
static int
on_fetch_hop(void *ctx, const struct gw_http_hop *hop,
    struct wspgw_buf *cookie)
{
    struct co_fetch *f = ctx;
    struct gw_co *co = f->co;
    int64_t now = wall_now();
    const char *own = NULL;
    int n;

    if (!co->g->cfg->cookie_jar) {
        return 0;               /* turned off by a reload meanwhile */
    }
    jar_store(co, f->session_id, hop->url, hop->headers, now);
    if (f->own_cookie != NULL && gw_cookie_same_host(f->url, hop->next_url))
    {
        own = f->own_cookie;
    }
    n = gw_cookie_jar_header(jar_find(co, f->session_id), hop->next_url,
        own, now, cookie);
    if (n < 0) {
        return 0;
    }
    if (n > 0) {
        co->g->stats.cookie_requests++;
    }
    return 1;
}


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
    gw_mm1_txn_free(&f->mm1);
    wspgw_free(f->url);
    wspgw_free(f->own_cookie);
    wspgw_free(f->upstream_url);
    wspgw_free(f);
}


static void
on_fetch_done(void *ctx, struct gw_http_resp *resp)
{
    struct co_fetch *f = ctx;
    struct gw_co *co = f->co;
    struct gw *g = co->g;
    struct sockaddr_storage ss;
    struct gw_access_rec rec;
    unsigned dropped = 0;
    char text[160];
    int status = resp->status, rc = -1;
    size_t body_len = resp->body.len;

    f->xfer = NULL;
    if (resp->err == WSPGW_EACCES) {
        g->stats.upstream_forbidden++;
    }
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
            gw_mm1_gw_response(g, &f->mm1, wr.headers, wr.body,
                wr.body_len);
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
    if (resp->err == 0 && g->cfg->cookie_jar) {
        jar_store(co, f->session_id, resp->url != NULL ? resp->url
            : f->upstream_url != NULL ? f->upstream_url : f->url,
            &resp->headers, wall_now());
    }
    gw_addr_to_sockaddr(&ss, &f->peer);
    memset(&rec, 0, sizeof(rec));
    rec.peer = (struct sockaddr *) &ss;
    rec.mode = "co";
    rec.method = f->method;
    rec.url = f->url;
    rec.status = status;
    rec.bytes = body_len;
    rec.duration_ms = uv_now(g->loop) - f->start_ms;
    rec.upstream_url = f->upstream_url;
    rec.redirects = resp->redirects;
    rec.final_url = resp->url;
    rec.extra = gw_mm1_txn_log(&f->mm1);
    gw_access_log_put(&g->alog, &rec);
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


/*
 * The MM1 checks of one method (gateway/mm1_gw.c).  Returns 1 when the
 * gateway answered it itself (too large, rate limited): the Reply goes
 * to the session core and the access log gets its line here.
 */
static int
mm1_refused(struct gw_co *co, const struct wsp_srv_action *a,
    const struct sockaddr *peer, unsigned enc, const char *method,
    const char *url, struct gw_mm1_txn *t)
{
    struct gw *g = co->g;
    size_t body_len = 0;
    int status = 0;

    if (!gw_mm1_gw_request(g, peer, &a->pdu, 0, a->enc != 0 ? a->enc : enc,
            t, &co->reply, &status, &body_len))
    {
        return 0;
    }
    if (co->reply.len == 0) {
        status = 503;
        body_len = strlen("wspgw: refused\n");
        if (gw_bridge_error_reply(&co->reply, 0, 0, status,
                "wspgw: refused\n") != 0)
        {
            return 1;
        }
    }
    gw_access_log_write_ex(&g->alog, peer, "co", method, url, status,
        body_len, 0, gw_mm1_txn_log(t));
    wsp_srv_method_reply(co->srv, a->method_id, co->reply.data,
        co->reply.len, uv_now(g->loop));
    return 1;
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
    unsigned skipped = 0, enc = a->enc, how = 0;
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
    memset(&up, 0, sizeof(up));
    up.via = g->cfg->via;
    up.client_ip_header = g->cfg->client_ip_header;
    up.client_ip = ip;
    gw_enrich_upstream(g, &up);
    if (gw_bridge_upstream_headers(&co->hdrs, &up) != 0
        || gw_enrich_request(g, (const struct sockaddr *) &ss,
            &co->enrich) != 0)
    {
        reply_error(co, a->method_id, 400,
            "wspgw: the request headers are too large\n");
        return;
    }
    memcpy(co->url, a->pdu.uri, a->pdu.uri_len);
    co->url[a->pdu.uri_len] = '\0';
    if (gw_urlmap_apply(&g->cfg->mmsc, co->url, co->mapped,
            sizeof(co->mapped), &how) != 0)
    {
        reply_error(co, a->method_id, 414,
            "wspgw: URL too long after mapping\n");
        return;
    }
    f = wspgw_calloc(1, sizeof(*f));
    if (f != NULL) {
        f->url = wspgw_strndup(co->url, a->pdu.uri_len);
        if (strcmp(co->mapped, co->url) != 0) {
            f->upstream_url = wspgw_strndup(co->mapped,
                strlen(co->mapped));
            if (f->upstream_url == NULL) {
                wspgw_free(f->url);
                f->url = NULL;
            }
        }
    }
    if (f == NULL || f->url == NULL) {
        wspgw_free(f);
        reply_error(co, a->method_id, 503, "wspgw: out of memory\n");
        return;
    }
    /* MMS uploads: decoded, counted, maybe refused before any upstream
     * connection (gateway/mm1_gw.c); the body is the reassembled one. */
    gw_mm1_txn_init(&f->mm1);
    if (mm1_refused(co, a, (const struct sockaddr *) &ss, enc, method,
            f->url, &f->mm1))
    {
        gw_mm1_txn_free(&f->mm1);
        wspgw_free(f->url);
        wspgw_free(f->upstream_url);
        wspgw_free(f);
        return;
    }
    if (g->cfg->cookie_jar) {
        /* The handset's own cookies, kept for redirect hops; then the
         * jar's join them (the handset's win by name). */
        struct gw_cookie_jar *j = jar_find(co, a->session_id);
        struct wspgw_buf own;
        int n;

        wspgw_buf_init(&own, GW_COOKIE_HEADER_MAX);
        if (g->cfg->follow_redirects && gw_cookie_join_own(&co->hdrs, &own)
            == 0 && own.len > 0)
        {
            f->own_cookie = wspgw_strndup((const char *) own.data, own.len);
        }
        wspgw_buf_free(&own);
        n = gw_cookie_apply(j, f->upstream_url != NULL ? f->upstream_url
            : f->url, wall_now(), &co->hdrs);
        if (n > 0) {
            g->stats.cookie_requests++;
        } else if (n < 0) {
            wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_HTTP, "session %08x: jar "
                "cookies not added: %s", (unsigned) a->session_id,
                wspgw_err_name(n));
        }
    }
    if (f->upstream_url != NULL) {
        g->stats.urls_mapped++;
    }
    f->co = co;
    f->method_id = a->method_id;
    f->session_id = a->session_id;
    f->peer = a->peer;
    f->enc = a->enc != 0 ? a->enc : enc;
    f->method = method;
    f->wmlc_needs = wmlc_needs;
    f->start_ms = uv_now(g->loop);
    memset(&req, 0, sizeof(req));
    req.method = method;
    req.url = f->upstream_url != NULL ? f->upstream_url : f->url;
    if ((how & GW_URLMAP_MMSC) && g->cfg->mmsc_proxy[0] != '\0') {
        req.proxy = g->cfg->mmsc_proxy;
    }
    req.headers = &co->hdrs;
    req.enrich = &co->enrich;
    req.body = a->pdu.data;
    req.body_len = a->pdu.data_len;
    req.max_response = co->max_message;
    req.max_redirects = g->cfg->follow_redirects
        ? g->cfg->max_redirects : 0;
    req.done = on_fetch_done;
    req.hop = g->cfg->cookie_jar ? on_fetch_hop : NULL;
    req.ctx = f;
    if (gw_http_fetch(g->http, &req, &f->xfer) != 0) {
        gw_mm1_txn_free(&f->mm1);
        wspgw_free(f->url);
        wspgw_free(f->own_cookie);
        wspgw_free(f->upstream_url);
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


/* SESSION_END: the session is gone for good; its jar goes with it.  Its
 * fetches were cancelled before (FETCH_CANCEL comes first); one still
 * listed would be a core bug, and is cancelled so it cannot make a jar
 * for a dead session. */
static void
session_ended(struct gw_co *co, uint32_t session_id)
{
    struct co_fetch *f, *next;

    for (f = co->fetches; f != NULL; f = next) {
        next = f->next;
        if (f->session_id == session_id) {
            wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_WSP, "session %08x ended "
                "with method %u in flight: cancelled",
                (unsigned) session_id, (unsigned) f->method_id);
            if (f->xfer != NULL) {
                gw_http_cancel(co->g->http, f->xfer);
            }
            fetch_free(co, f);
        }
    }
    jar_drop(co, session_id);
}


/* TR_INVOKE of a push: a WTP initiator transaction, class 0 or 1. */
static void
push_invoke(struct gw_co *co, const struct wsp_srv_action *a, uint64_t now)
{
    uint32_t h = 0;
    int rc, rc2;

    rc = wtp_tr_invoke_req(co->wtp, &a->peer, a->tcl, 0, a->data, a->len,
        now, &h);
    if (a->tcl == 0) {
        return;                 /* S-Push: nothing to wait for */
    }
    rc2 = wsp_srv_invoke_req_done(co->srv, a->push_id, rc, h, now);
    if (rc == 0) {
        co->g->stats.push_confirmed_sent++;
        if (rc2 != 0) {
            /* The push ended meanwhile (its session went). */
            wtp_tr_abort_req(co->wtp, h, 0xE1, now);
        }
    }
}


/* PUSH_CNF / PUSH_ABORT: the outcome goes to whoever asked. */
static void
push_outcome(struct gw_co *co, const struct wsp_srv_action *a)
{
    struct co_push **pp, *p;

    for (pp = &co->pushes; *pp != NULL; pp = &(*pp)->next) {
        if ((*pp)->push_id == a->push_id) {
            break;
        }
    }
    p = *pp;
    if (a->type == WSP_SRV_ACT_PUSH_CNF) {
        co->g->stats.push_confirmed_acked++;
    } else {
        co->g->stats.push_confirmed_aborted++;
    }
    if (p == NULL) {
        return;
    }
    *pp = p->next;
    if (p->fn != NULL) {
        p->fn(p->ctx, p->token, p->aux, a->type == WSP_SRV_ACT_PUSH_CNF ? 0
            : WSPGW_ECANCELED, a->reason);
    }
    wspgw_free(p);
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
        case WSP_SRV_ACT_SESSION_END:
            session_ended(co, a.session_id);
            break;
        case WSP_SRV_ACT_TR_INVOKE:
            push_invoke(co, &a, now);
            break;
        case WSP_SRV_ACT_PUSH_CNF:
        case WSP_SRV_ACT_PUSH_ABORT:
            push_outcome(co, &a);
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
        case WTP_ACT_INVOKE_CNF:
            wsp_srv_invoke_cnf(co->srv, a.handle, now);
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
    co->max_jars = scfg->max_sessions;
    co->segment_size = wcfg->segment_size;
    co->wtp = wtp_ep_new(wcfg);
    co->srv = wsp_srv_new(scfg);
    if (co->wtp == NULL || co->srv == NULL) {
        wtp_ep_free(co->wtp);
        wsp_srv_free(co->srv);
        wspgw_free(co);
        return NULL;
    }
    wsp_hdrs_init(&co->hdrs, CO_HDR_TEXT_MAX);
    wsp_hdrs_init(&co->enrich, CO_HDR_TEXT_MAX);
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
    co->segment_size = wcfg->segment_size;
}


int
gw_co_push(struct gw *g, const struct wspgw_addr *ip, const uint8_t *pdu,
    size_t len, gw_co_push_fn fn, void *ctx, int64_t token, uint32_t aux)
{
    struct wspgw_addr peer;
    struct gw_co *co = NULL;
    struct co_push *p;
    unsigned i;
    int rc = WSPGW_ENOENT, r;

    for (i = 0; i < g->n_co; i++) {
        if (g->co[i] == NULL || g->co[i]->closing) {
            continue;
        }
        r = wsp_srv_find_by_ip(g->co[i]->srv, ip, 1, &peer);
        if (r == 0) {
            co = g->co[i];
            break;
        }
        if (r == WSPGW_ENOTSUP) {
            rc = r;
        }
    }
    if (co == NULL) {
        return rc;
    }
    if (len > co->segment_size) {
        return WSPGW_EMSGSIZE;  /* the WTP initiator does no SAR */
    }
    p = wspgw_calloc(1, sizeof(*p));
    if (p == NULL) {
        return WSPGW_ENOMEM;
    }
    rc = wsp_srv_push(co->srv, &peer, 1, pdu, len, uv_now(g->loop),
        &p->push_id);
    if (rc != 0) {
        wspgw_free(p);
        return rc;
    }
    p->fn = fn;
    p->ctx = ctx;
    p->token = token;
    p->aux = aux;
    p->next = co->pushes;
    co->pushes = p;
    /* The TR_INVOKE is carried out from the timer, not from here. */
    uv_timer_start(&co->timer, on_timer, 0, 0);
    return 0;
}


void
gw_co_push_forget(struct gw *g, void *ctx)
{
    struct co_push *p;
    unsigned i;

    for (i = 0; i < g->n_co; i++) {
        if (g->co[i] == NULL) {
            continue;
        }
        for (p = g->co[i]->pushes; p != NULL; p = p->next) {
            if (p->ctx == ctx) {
                p->fn = NULL;
            }
        }
    }
}


static void
timer_closed(uv_handle_t *h)
{
    struct gw_co *co = h->data;

    wtp_ep_free(co->wtp);
    wsp_srv_free(co->srv);
    wsp_hdrs_free(&co->hdrs);
    wsp_hdrs_free(&co->enrich);
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
    jars_free_all(co);
    while (co->pushes != NULL) {
        struct co_push *p = co->pushes;

        co->pushes = p->next;
        wspgw_free(p);
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
