/*
 * gateway/http_req.c - building one libcurl request for gateway/http.c:
 * the URL check against the allow list (the first of the two checks),
 * request headers, the copied body, and the easy handle's options.
 * Split from http.c; its header comment has the design.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/log.h"
#include "http_int.h"

/* Request headers that libcurl must compute, or that are hop-by-hop
 * (RFC 9110 7.6.1); dropped from the caller's list. */
static const char *const dropped_headers[] = {
    "Host", "Connection", "Keep-Alive", "Proxy-Connection", "TE",
    "Trailer", "Transfer-Encoding", "Upgrade", "Content-Length", "Expect",
    NULL
};


/* ---- Building a request ----------------------------------------------- */


/* Whether s is an RFC 9110 token (methods, header names). */
int
gw__http_is_token(const char *s)
{
    static const char extra[] = "!#$%&'*+-.^_`|~";

    if (*s == '\0') {
        return 0;
    }
    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char) *s;

        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
                || (ch >= '0' && ch <= '9') || strchr(extra, ch) != NULL))
        {
            return 0;
        }
    }
    return 1;
}


static int
append_header(struct curl_slist **list, const char *line)
{
    struct curl_slist *l = curl_slist_append(*list, line);

    if (l == NULL) {
        return WSPGW_ENOMEM;
    }
    *list = l;
    return 0;
}


/*
 * Copies the enrichment headers (issue 5) into x->enrich as curl lines;
 * a name that is not a token or a value with CR/LF is left out (they
 * come from validated configuration and subscriber data, so this is
 * defence in depth).  Returns 0 or WSPGW_ENOMEM.
 */
static int
build_enrich(struct gw_http_xfer *x, const struct wsp_hdrs *h)
{
    struct wspgw_buf line;
    unsigned i;
    int rc = 0;

    wspgw_buf_init(&line, GW_HTTP_REQ_LINE_MAX);
    for (i = 0; i < h->n && rc == 0; i++) {
        const char *name = wsp_hdrs_name(h, i);
        const char *value = wsp_hdrs_value(h, i);

        if (name == NULL || value == NULL || value[0] == '\0'
            || !gw__http_is_token(name) || strpbrk(value, "\r\n") != NULL)
        {
            continue;
        }
        wspgw_buf_reset(&line);
        rc = wspgw_buf_printf(&line, "%s: %s", name, value);
        if (rc == 0) {
            rc = append_header(&x->enrich, wspgw_buf_str(&line));
        }
    }
    wspgw_buf_free(&line);
    return rc == 0 ? 0 : WSPGW_ENOMEM;
}


/*
 * Builds x->hdrs from the caller's headers plus the suppressions that
 * keep libcurl from adding its own: "Accept: * / *", the form
 * Content-Type on bodies, and "Expect: 100-continue" (a handset's small
 * POST must not wait for a 100 that some servers never send).
 * Returns 0 or WSPGW_ENOMEM.
 */
static int
build_headers(struct gw_http_xfer *x, const struct wsp_hdrs *h,
    int has_body)
{
    struct wspgw_buf line;
    int have_accept = 0, have_ctype = 0, rc = 0, drop;
    unsigned i, k;

    wspgw_buf_init(&line, GW_HTTP_REQ_LINE_MAX);
    for (i = 0; h != NULL && i < h->n && rc == 0; i++) {
        const char *name = wsp_hdrs_name(h, i);
        const char *value = wsp_hdrs_value(h, i);

        if (name == NULL || value == NULL || !gw__http_is_token(name)
            || strpbrk(value, "\r\n") != NULL)
        {
            wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_HTTP,
                "dropping malformed request header %u", i);
            continue;
        }
        drop = 0;
        for (k = 0; dropped_headers[k] != NULL; k++) {
            if (strcasecmp(name, dropped_headers[k]) == 0) {
                drop = 1;
                break;
            }
        }
        if (drop) {
            wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_HTTP,
                "dropping request header %s", name);
            continue;
        }
        if (strcasecmp(name, "Accept") == 0) {
            have_accept = 1;
        }
        if (strcasecmp(name, "Content-Type") == 0) {
            have_ctype = 1;
        }
        wspgw_buf_reset(&line);
        /* "Name;" is curl's way to send a header with an empty value;
         * "Name:" would remove it. */
        if (value[0] == '\0') {
            rc = wspgw_buf_printf(&line, "%s;", name);
        } else {
            rc = wspgw_buf_printf(&line, "%s: %s", name, value);
        }
        if (rc == WSPGW_EMSGSIZE) {
            wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_HTTP,
                "dropping overlong request header %s", name);
            rc = 0;
            continue;
        }
        if (rc == 0) {
            rc = append_header(&x->hdrs, wspgw_buf_str(&line));
        }
    }
    wspgw_buf_free(&line);
    if (rc == 0 && !have_accept) {
        rc = append_header(&x->hdrs, "Accept:");
    }
    if (rc == 0 && has_body && !have_ctype) {
        rc = append_header(&x->hdrs, "Content-Type:");
    }
    if (rc == 0 && has_body) {
        rc = append_header(&x->hdrs, "Expect:");
    }
    return rc == 0 ? 0 : WSPGW_ENOMEM;
}


/*
 * Checks the URL (parsed into x->url) and finds its allow-list entry.
 * Returns 0, WSPGW_EINVAL (text in *why), WSPGW_EACCES or WSPGW_ENOMEM.
 */
int
gw__http_precheck_url(struct gw_http *c, struct gw_http_xfer *x, const char *url,
    const char **why)
{
    const struct gw_allow_entry *e;
    char *scheme = NULL, *host = NULL, *port = NULL, *zone = NULL;
    const char *h;
    size_t hl;
    unsigned long pnum;
    char *endp;
    char hostbuf[GW_ALLOW_HOST_MAX + 3];
    CURLUcode uc;
    int rc = WSPGW_EINVAL;

    *why = "bad URL";
    x->enrich_on = 0;
    uc = curl_url_set(x->url, CURLUPART_URL, url, 0);
    if (uc == CURLUE_OUT_OF_MEMORY) {
        return WSPGW_ENOMEM;
    }
    if (uc != CURLUE_OK) {
        return WSPGW_EINVAL;
    }
    if (curl_url_get(x->url, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK
        || curl_url_get(x->url, CURLUPART_HOST, &host, 0) != CURLUE_OK
        || curl_url_get(x->url, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT)
            != CURLUE_OK)
    {
        goto done;
    }
    if (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0)
    {
        *why = "only http and https URLs are fetched";
        goto done;
    }
    if (curl_url_get(x->url, CURLUPART_ZONEID, &zone, 0) == CURLUE_OK) {
        *why = "IPv6 zone ids are not allowed";
        goto done;
    }
    errno = 0;
    pnum = strtoul(port, &endp, 10);
    if (errno != 0 || *endp != '\0' || pnum < 1 || pnum > 65535) {
        *why = "bad port in URL";
        goto done;
    }

    /* The URL API keeps the brackets around an IPv6 host. */
    h = host;
    hl = strlen(host);
    if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
        h++;
        hl -= 2;
    }
    if (hl == 0 || hl >= sizeof(hostbuf)) {
        *why = "bad host in URL";
        goto done;
    }
    memcpy(hostbuf, h, hl);
    hostbuf[hl] = '\0';

    e = gw_allow_match_host(c->allow, hostbuf, (unsigned) pnum);
    if (e == NULL) {
        /* Debug only: the access log has the 403, and a handset (or a
         * flood) asking for forbidden hosts must not fill the log. */
        wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_HTTP,
            "refusing %s %s:%lu: not in the allow list", x->method,
            hostbuf, pnum);
        *why = TXT_NOT_ALLOWED;
        rc = WSPGW_EACCES;
        goto done;
    }
    x->entry = *e;
    /* Header enrichment goes only to the configured hosts, decided on
     * this very URL (redirect hops come through here again). */
    x->enrich_on = c->enrich_hosts != NULL
        && gw_allow_match_host(c->enrich_hosts, hostbuf, (unsigned) pnum)
            != NULL;
    rc = 0;

done:
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_free(zone);
    return rc;
}


#define SETOPT(opt, val)                                                   \
    do {                                                                   \
        if (cc == CURLE_OK) {                                              \
            cc = curl_easy_setopt(x->easy, opt, val);                      \
        }                                                                  \
    } while (0)

/*
 * Creates and configures x->easy for req.  Returns 0, WSPGW_EINVAL (bad
 * method, text in *why) or WSPGW_ENOMEM.
 */
/* Whether a request with this method carries a body (see setup_easy). */
static int
method_has_body(const char *method, size_t body_len)
{
    if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0) {
        return 0;
    }
    return strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0
        || body_len > 0;
}


/*
 * Copies req's body (when the method carries one) and builds x->hdrs.
 * Returns 0, WSPGW_EINVAL (text in *why) or WSPGW_ENOMEM.
 */
int
gw__http_copy_request(struct gw_http_xfer *x, const struct gw_http_req *req,
    const char **why)
{
    int has_body = method_has_body(x->method, req->body_len);

    if (has_body && req->body_len > 0) {
        if (req->body == NULL) {
            *why = "body_len without body";
            return WSPGW_EINVAL;
        }
        x->body = wspgw_malloc(req->body_len);
        if (x->body == NULL) {
            return WSPGW_ENOMEM;
        }
        memcpy(x->body, req->body, req->body_len);
        x->body_len = req->body_len;
    }
    if (build_headers(x, req->headers, has_body) != 0) {
        return WSPGW_ENOMEM;
    }
    if (req->enrich != NULL && build_enrich(x, req->enrich) != 0) {
        return WSPGW_ENOMEM;
    }
    return 0;
}


/*
 * The header list this hop sends: x->hdrs, plus x->enrich when the hop's
 * host is an enrichment host (x->enrich_on, set by the URL check).
 * Called for every hop, after the previous easy handle is gone.
 * Returns 0 or WSPGW_ENOMEM.
 */
static int
build_sent(struct gw_http_xfer *x)
{
    struct curl_slist *l;
    int rc = 0;

    curl_slist_free_all(x->sent);
    x->sent = NULL;
    if (!x->enrich_on || x->enrich == NULL) {
        return 0;
    }
    for (l = x->hdrs; l != NULL && rc == 0; l = l->next) {
        rc = append_header(&x->sent, l->data);
    }
    for (l = x->enrich; l != NULL && rc == 0; l = l->next) {
        rc = append_header(&x->sent, l->data);
    }
    if (rc == 0) {
        wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_HTTP, "%s %s:%u: enrichment "
            "headers added", x->method, x->entry.host,
            (unsigned) x->entry.port);
    }
    return rc;
}


/*
 * Creates and configures x->easy for x (method, URL, x->body, x->hdrs).
 * The timeout is what is left of the client's since x->start_ms.
 * Returns 0 or WSPGW_ENOMEM.
 */
int
gw__http_setup_easy(struct gw_http *c, struct gw_http_xfer *x)
{
    CURLcode cc = CURLE_OK;
    unsigned timeout_s = c->timeout_s != 0 ? c->timeout_s
        : GW_HTTP_TIMEOUT_DEFAULT_S;
    long timeout_ms = (long) timeout_s * 1000;
    uint64_t spent = uv_now(c->loop) - x->start_ms;
    long connect_ms;
    int is_get = 0, is_head = 0, has_body;

    timeout_ms = spent >= (uint64_t) timeout_ms ? 1
        : timeout_ms - (long) spent;
    connect_ms = timeout_ms < GW_HTTP_CONNECT_TIMEOUT_MS
        ? timeout_ms : GW_HTTP_CONNECT_TIMEOUT_MS;
    if (strcmp(x->method, "GET") == 0) {
        is_get = 1;
    } else if (strcmp(x->method, "HEAD") == 0) {
        is_head = 1;
    }
    has_body = method_has_body(x->method, x->body_len);
    x->unsafe = !(is_get || is_head || strcmp(x->method, "OPTIONS") == 0
        || strcmp(x->method, "TRACE") == 0);

    if (build_sent(x) != 0) {
        return WSPGW_ENOMEM;
    }
    x->easy = curl_easy_init();
    if (x->easy == NULL) {
        return WSPGW_ENOMEM;
    }
    SETOPT(CURLOPT_PRIVATE, (void *) x);
    SETOPT(CURLOPT_CURLU, x->url);
    SETOPT(CURLOPT_ERRORBUFFER, x->errbuf);
    SETOPT(CURLOPT_NOSIGNAL, 1L);
    SETOPT(CURLOPT_HTTP_VERSION, (long) CURL_HTTP_VERSION_1_1);
    SETOPT(CURLOPT_FOLLOWLOCATION, 0L);
    if (x->proxy[0] != '\0') {
        /* The host was resolved and checked first (http.c, "Proxy"). */
        SETOPT(CURLOPT_PROXY, x->proxy);
        SETOPT(CURLOPT_PROXYTYPE, (long) CURLPROXY_HTTP);
        SETOPT(CURLOPT_NOPROXY, "");
    } else {
        SETOPT(CURLOPT_PROXY, "");
        SETOPT(CURLOPT_NOPROXY, "*");
    }
#if LIBCURL_VERSION_NUM >= 0x075500
    SETOPT(CURLOPT_PROTOCOLS_STR, "http,https");
    SETOPT(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    SETOPT(CURLOPT_PROTOCOLS, (long) (CURLPROTO_HTTP | CURLPROTO_HTTPS));
    SETOPT(CURLOPT_REDIR_PROTOCOLS,
        (long) (CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    SETOPT(CURLOPT_TIMEOUT_MS, timeout_ms);
    SETOPT(CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    SETOPT(CURLOPT_OPENSOCKETFUNCTION, gw__http_on_open_socket);
    SETOPT(CURLOPT_OPENSOCKETDATA, (void *) x);
    SETOPT(CURLOPT_PREREQFUNCTION, gw__http_on_prereq);
    SETOPT(CURLOPT_PREREQDATA, (void *) x);
    SETOPT(CURLOPT_HEADERFUNCTION, gw__http_on_header);
    SETOPT(CURLOPT_HEADERDATA, (void *) x);
    SETOPT(CURLOPT_WRITEFUNCTION, gw__http_on_body);
    SETOPT(CURLOPT_WRITEDATA, (void *) x);
    SETOPT(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t) x->resp.body.max);
    SETOPT(CURLOPT_HTTPHEADER, x->sent != NULL ? x->sent : x->hdrs);
    if (x->unsafe) {
        SETOPT(CURLOPT_MAXAGE_CONN, (long) GW_HTTP_UNSAFE_MAXAGE_S);
    }

    if (is_head) {
        SETOPT(CURLOPT_NOBODY, 1L);
    } else if (is_get) {
        SETOPT(CURLOPT_HTTPGET, 1L);
    } else {
        if (has_body) {
            /* POSTFIELDS makes it a POST with Content-Length; the body is
             * our copy, alive as long as the easy handle.  The size goes
             * first so that curl never calls strlen on binary data. */
            SETOPT(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) x->body_len);
            SETOPT(CURLOPT_POSTFIELDS,
                x->body != NULL ? (const char *) x->body : "");
        }
        if (strcmp(x->method, "POST") != 0) {
            SETOPT(CURLOPT_CUSTOMREQUEST, x->method);
        }
    }
    if (cc != CURLE_OK) {
        return WSPGW_ENOMEM;
    }
    return 0;
}

#undef SETOPT
