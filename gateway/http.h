/*
 * gateway/http.h - the HTTP/1.1 client: libcurl's multi interface driven
 * by the libuv loop (curl's multi-uv pattern, see STYLE.md).
 *
 * One client per loop.  Connections to an upstream are kept alive and
 * reused.  Every request is checked against the allow list before any
 * connection and again on the address actually connected to.  Redirects
 * are followed only when the request asks (max_redirects), each hop
 * checked like a new request (see http.c); otherwise the caller gets the
 * 3xx.  Proxies from the environment are ignored, only http:// and
 * https:// are spoken.  A request may name its own proxy ([mmsc] proxy):
 * the gateway then resolves the host itself and checks every address
 * before the proxy is asked.
 *
 * A request is never sent twice by this module: a POST or PUT that fails
 * after the request may have reached the upstream is reported as an
 * error, never retried (libcurl's own retry on a dead reused connection is
 * accounted for in http.c).
 */
#ifndef WSPGW_GATEWAY_HTTP_H
#define WSPGW_GATEWAY_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "wspgw/buf.h"
#include "wspgw/wsp.h"
#include "allow.h"

struct gw_http;
struct gw_http_xfer;

/* Defaults and caps (see http.c). */
#define GW_HTTP_TIMEOUT_DEFAULT_S   30      /* used when timeout_s is 0 */
#define GW_HTTP_CONNECT_TIMEOUT_MS  10000   /* never above the timeout */
#define GW_HTTP_MAX_RESPONSE_DEFAULT (1024 * 1024)  /* max_response 0 */
#define GW_HTTP_RESP_HDRS_MAX       16384   /* response header text */
#define GW_HTTP_MAXCONNECTS         32      /* idle keep-alive cache */

/* Outcome of one transfer. */
struct gw_http_resp {
    int err;                /* 0, or WSPGW_EACCES (not in allow list:
                               no connection was made), WSPGW_ETIMEDOUT,
                               WSPGW_EIO (unreachable / reset / bad reply),
                               WSPGW_EMSGSIZE (response over max_response),
                               WSPGW_EINVAL (bad URL), WSPGW_ENOMEM */
    const char *err_text;   /* human-readable detail when err != 0 */
    int status;             /* HTTP status when err == 0 */
    struct wsp_hdrs headers;/* response headers (no status line) */
    struct wspgw_buf body;  /* response body */
    const char *url;        /* the URL that gave this response (curl's
                               normalised form; after redirects the last
                               hop's), NULL when none was parsed; valid
                               only during the callback */
    unsigned redirects;     /* redirects followed before it (0: url is
                               the URL requested) */
};

/*
 * resp belongs to the client and is freed when the callback returns.  To
 * keep the body (or headers), move it out: copy the struct and re-init
 * the field in resp (wspgw_buf_init(&resp->body, 0)), which then frees
 * nothing.  err_text is valid only during the callback.
 */
typedef void (*gw_http_done_fn)(void *ctx, struct gw_http_resp *resp);

/* One followed redirect, as the hop hook sees it. */
struct gw_http_hop {
    const char *url;                /* the URL that answered the 3xx */
    int status;                     /* 301, 302, 303, 307 or 308 */
    const struct wsp_hdrs *headers; /* that response's headers */
    const char *next_url;           /* the next hop (allow list passed) */
    unsigned hop;                   /* 1 for the first redirect */
};

/*
 * Called between two hops of a followed redirect, after the next URL
 * passed the allow list and before its request is built: lets the
 * caller see the 3xx's headers (Set-Cookie) and set the Cookie header
 * of the next request.  cookie is empty, capped at
 * GW_HTTP_HOP_COOKIE_MAX; return 1 to replace every Cookie request
 * header by its content (none when empty), 0 to keep the headers as
 * they are.  Must not call gw_http_* (it runs inside the client).
 * Every pointer is borrowed for the call.
 */
typedef int (*gw_http_hop_fn)(void *ctx, const struct gw_http_hop *hop,
    struct wspgw_buf *cookie);

/* Cap on the Cookie value a hop hook may set (a request header line is
 * capped at 8192 octets with its name). */
#define GW_HTTP_HOP_COOKIE_MAX 8000

struct gw_http_req {
    const char *method;             /* "GET", "POST", ... */
    const char *url;                /* absolute http(s) URL */
    const struct wsp_hdrs *headers; /* request headers (copied) */
    const uint8_t *body;            /* request body (copied), may be NULL */
    size_t body_len;
    size_t max_response;            /* cap on the response body octets
                                       (0: GW_HTTP_MAX_RESPONSE_DEFAULT) */
    unsigned max_redirects;         /* 0: a 3xx is the response; else
                                       follow up to this many hops within
                                       the allow list (http.c) */
    const char *proxy;              /* "http://host:port" of an HTTP proxy
                                       for this request, NULL or "":
                                       direct (copied; see http.c) */
    const struct wsp_hdrs *enrich;  /* header enrichment (issue 5):
                                       headers sent only on hops whose
                                       URL host:port is in the client's
                                       enrichment hosts (copied; NULL
                                       none); see gw_http_set_enrich_hosts */
    gw_http_done_fn done;           /* called exactly once, on the loop,
                                       never from inside gw_http_fetch */
    gw_http_hop_fn hop;             /* may be NULL; see gw_http_hop_fn */
    void *ctx;                      /* for done and hop */
};

/*
 * Creates the client on loop.  allow is borrowed and must outlive the
 * client (or be replaced with gw_http_set_allow).  timeout_s bounds each
 * whole transfer (0: GW_HTTP_TIMEOUT_DEFAULT_S).  Returns NULL on
 * out-of-memory or when libcurl cannot be initialised.
 */
struct gw_http *gw_http_new(uv_loop_t *loop, const struct gw_allow *allow,
    unsigned timeout_s);

/* Reload hooks: apply to requests started afterwards. */
void gw_http_set_allow(struct gw_http *c, const struct gw_allow *allow);
void gw_http_set_timeout(struct gw_http *c, unsigned timeout_s);

/*
 * Header enrichment (issue 5): the host:port list whose requests get
 * req->enrich.  Checked on the URL actually fetched, by the same URL
 * parser that connects, for the first hop and again for every redirect
 * hop: a redirect away from these hosts drops the headers.  hosts is
 * borrowed (NULL: nobody gets them) and applies to hops started later.
 */
void gw_http_set_enrich_hosts(struct gw_http *c, const struct gw_allow *hosts);

/*
 * Starts a transfer.  The done callback runs later on the loop with the
 * outcome (also for refusals such as an URL outside the allow list, so
 * callers have one path).  *out (may be NULL) receives a handle for
 * gw_http_cancel.  Returns 0, or WSPGW_ENOMEM when nothing was started
 * (done will not be called).  Also returns WSPGW_EINVAL for a NULL url or
 * done, and WSPGW_ECANCELED after gw_http_close; done is not called then
 * either.  A bad URL or method is reported through done (WSPGW_EINVAL).
 *
 * Request headers: hop-by-hop and framing headers (Host, Connection,
 * Keep-Alive, Proxy-Connection, TE, Trailer, Transfer-Encoding, Upgrade,
 * Content-Length, Expect) and headers whose name is not a token or whose
 * value holds CR/LF are dropped; libcurl computes its own.
 */
int gw_http_fetch(struct gw_http *c, const struct gw_http_req *req,
    struct gw_http_xfer **out);

/* Cancels a transfer; its done callback is not called.  x must be a
 * transfer whose done callback has not run yet (cancelling one from its
 * own done callback is ignored). */
void gw_http_cancel(struct gw_http *c, struct gw_http_xfer *x);

/* Number of transfers in progress. */
unsigned gw_http_active(const struct gw_http *c);

/*
 * Cancels everything and closes the handles; frees the client once libuv
 * has closed them.  The loop must run for that to finish.
 */
void gw_http_close(struct gw_http *c);

#endif /* WSPGW_GATEWAY_HTTP_H */
