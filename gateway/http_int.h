/*
 * gateway/http_int.h - private to gateway/http.c and gateway/http_req.c:
 * the client and transfer structs, limits, and the libcurl callbacks
 * that building a request installs.  See http.c's header comment for the
 * design, ownership and the at-most-once rule.
 */
#ifndef WSPGW_GATEWAY_HTTP_INT_H
#define WSPGW_GATEWAY_HTTP_INT_H

#include <curl/curl.h>
#include <uv.h>

#include "http.h"

/* Unsafe requests reuse only connections idle for at most this long. */
#define GW_HTTP_UNSAFE_MAXAGE_S 2

/* Caps on one request header line and one (folded) response header. */
#define GW_HTTP_REQ_LINE_MAX 8192
#define GW_HTTP_RESP_LINE_MAX 8192

/* The response-side error texts; the curl text is used otherwise. */
#define TXT_NOT_ALLOWED "host:port not in the upstream allow list"
#define TXT_ADDR_NOT_ALLOWED "address not allowed for this host"
#define TXT_RESOLVE_FAILED "cannot resolve the host"
#define TXT_SPECIAL_REFUSED \
    "host resolves to an address that is not allowed (loopback, " \
    "link-local, metadata, multicast or reserved)"
#define TXT_NOT_REPEATED \
    "connection lost before a response; request not repeated"
#define TXT_TOO_LARGE "response body over the limit"
#define TXT_HDRS_TOO_LARGE "response headers over the limit"

enum xfer_state {
    XFER_RUNNING = 1,       /* on c->running, added to the multi handle */
    XFER_RESOLVING,         /* on c->resolving: the gateway resolves the
                               host itself before handing the request to
                               a proxy (see http.c, "Proxy") */
    XFER_FINISHED,          /* on c->finished, done not called yet */
    XFER_DELIVERING         /* popped, done callback running */
};

struct sock_ctx {
    uv_poll_t poll;                 /* poll.data = this */
    curl_socket_t fd;
    struct gw_http *c;
    struct sock_ctx *prev, *next;   /* on c->socks */
};

struct xfer_list {
    struct gw_http_xfer *head, *tail;
};

struct gw_http_xfer {
    struct gw_http *c;
    struct gw_http_xfer *prev, *next;
    enum xfer_state state;
    CURL *easy;
    CURLU *url;
    struct curl_slist *hdrs;
    uint8_t *body;                  /* copy of the request body */
    size_t body_len;
    struct gw_allow_entry entry;    /* the entry matched before connecting */
    int unsafe;                     /* not GET/HEAD/OPTIONS/TRACE */
    unsigned attempts;              /* pre-request callback calls */
    int addr_refused;               /* open-socket refused an address */
    int retry_blocked;              /* a repeat of an unsafe request */
    int err;                        /* set by our callbacks */
    const char *err_text;
    int hdrs_done;                  /* blank line after the final block */
    struct wspgw_buf line;          /* response header being unfolded */
    struct gw_http_resp resp;
    gw_http_done_fn done;
    void *ctx;
    char method[16];
    char errbuf[CURL_ERROR_SIZE];   /* curl's detail, for err_text */
    unsigned redirects_left;        /* hops still to follow */
    unsigned redirects;             /* hops followed */
    gw_http_hop_fn hop;             /* the request's hop hook, or NULL */
    uint64_t start_ms;              /* uv_now at gw_http_fetch: the
                                       timeout covers all hops */
    char proxy[300];                /* "http://host:port", "" direct */
    uv_getaddrinfo_t gai;           /* while XFER_RESOLVING */
    int orphan;                     /* cancelled while resolving: the
                                       resolver callback frees it */
    /* Header enrichment (issue 5). */
    struct curl_slist *enrich;      /* "Name: value" lines, or NULL */
    int enrich_on;                  /* this hop's host is an enrich host */
    struct curl_slist *sent;        /* hdrs + enrich, for this hop */
};

struct gw_http {
    uv_loop_t *loop;
    CURLM *multi;
    uv_timer_t timer;               /* curl's timeout; timer.data = this */
    uv_timer_t queue_timer;         /* delivers refusals asynchronously */
    const struct gw_allow *allow;
    unsigned timeout_s;
    struct xfer_list running;
    struct xfer_list finished;
    struct xfer_list resolving;     /* proxied hops being resolved */
    struct sock_ctx *socks;
    unsigned active;                /* running + finished */
    unsigned open_handles;          /* uv handles not yet closed, plus
                                       resolver requests pending */
    int closing;
    int reap;                       /* some running xfer has err set */
    const struct gw_allow *enrich_hosts;    /* borrowed; NULL none */
};


/* libcurl callbacks (http.c), installed by gw__http_setup_easy. */
curl_socket_t gw__http_on_open_socket(void *clientp, curlsocktype purpose,
    struct curl_sockaddr *addr);
int gw__http_on_prereq(void *clientp, char *conn_primary_ip,
    char *conn_local_ip, int conn_primary_port, int conn_local_port);
size_t gw__http_on_header(char *buf, size_t size, size_t n, void *userp);
size_t gw__http_on_body(char *buf, size_t size, size_t n, void *userp);

/* Request building (http_req.c). */
int gw__http_is_token(const char *s);
int gw__http_precheck_url(struct gw_http *c, struct gw_http_xfer *x,
    const char *url, const char **why);
int gw__http_setup_easy(struct gw_http *c, struct gw_http_xfer *x);
int gw__http_copy_request(struct gw_http_xfer *x,
    const struct gw_http_req *req, const char **why);

#endif /* WSPGW_GATEWAY_HTTP_INT_H */
