/*
 * gateway/http.c - the HTTP/1.1 client: libcurl's multi interface on the
 * libuv loop.
 *
 * Spec: RFC 9110 (methods, idempotency 9.2.2), RFC 9112 (message
 * framing, persistent connections 9.3, retrying requests 9.3.1).
 *
 * The glue (curl's multi-uv pattern, STYLE.md 1):
 *   - CURLMOPT_SOCKETFUNCTION maps each socket curl wants watched to a
 *     uv_poll_t inside a struct sock_ctx (curl_multi_assign() keeps the
 *     pointer).  CURL_POLL_REMOVE stops and closes the poll at once,
 *     while the descriptor is still open, so libuv never watches a
 *     descriptor number that curl has closed and may reuse; the context
 *     is freed in the uv_close callback.
 *   - CURLMOPT_TIMERFUNCTION maps curl's single timeout to one uv_timer.
 *     A 0 ms timeout is armed as 1 ms, so curl is never re-entered from
 *     inside its own callback.
 *   - After every curl_multi_socket_action() the message queue is
 *     drained (curl_multi_info_read); finished transfers are removed
 *     from the multi handle and put on a delivery queue, and the done
 *     callbacks run only after that, outside any curl call.  A done
 *     callback may therefore call gw_http_fetch, gw_http_cancel or even
 *     gw_http_close.
 *   - Refusals found before any connection (bad URL, not allowed) go on
 *     the same queue, emptied by a 0 ms uv_timer, so done never runs
 *     inside gw_http_fetch.
 *
 * Allow list (allow.h), twice:
 *   1. gw_http_fetch parses the URL with libcurl's own URL API and hands
 *      that very CURLU to the easy handle (CURLOPT_CURLU), so the host
 *      checked is the host curl connects to (no parser differential).
 *      No entry: WSPGW_EACCES and no connection at all.
 *   2. CURLOPT_OPENSOCKETFUNCTION checks each address curl is about to
 *      connect to against the entry matched in 1 (copied into the
 *      transfer, so a reload cannot pull it away) and the running allow
 *      list (gw_allow_connect_ok): a name entry's answers may not be
 *      special addresses (loopback, link-local, metadata, ...) unless an
 *      IP-literal entry names that address and port.  This is the only
 *      place where the resolver's answer meets the socket, so DNS tricks
 *      (a name that resolves to 127.0.0.1, rebinding between two
 *      lookups) end here.  A refusal ends the transfer with
 *      WSPGW_EACCES; curl tries the name's next address, if any.  Only
 *      http and https are allowed.  A reused keep-alive connection was
 *      checked when it was opened, and curl reuses a connection only for
 *      the same host name and port, which check 1 allowed again; and
 *      CURLOPT_PREREQFUNCTION repeats check 2 on the connection's
 *      address before each request is written, reused connections
 *      included (an allow list reloaded since the connection opened).
 *
 * Proxy (req->proxy; [mmsc] proxy):
 *   With a proxy, the address curl connects to is the proxy's, so check
 *   2 cannot see where the request really goes, and the proxy would
 *   resolve the host by itself.  So the gateway resolves the URL's host
 *   first (uv_getaddrinfo on the loop's thread pool; XFER_RESOLVING on
 *   c->resolving), and every address of the answer must pass
 *   gw_allow_connect_ok (every one, because the proxy picks which it
 *   uses); only then is the easy handle made and the request handed to
 *   the proxy.  The connection to the proxy itself is not checked (the
 *   operator configured it).  Each redirect hop is resolved and checked
 *   the same way.  A refused or unresolvable host: WSPGW_EACCES /
 *   WSPGW_EIO and the proxy never hears of it.  What remains is the
 *   proxy's own lookup a moment later: a name whose owner answers
 *   differently the second time could still steer the proxy, which is
 *   the proxy's policy to stop (pinning the address would change the
 *   request line the proxy sees and break https).  Cancelling during
 *   the lookup orphans the transfer; the resolver callback frees it,
 *   and a pending lookup holds the client (open_handles) so that
 *   gw_http_close cannot free it first.
 *
 * Redirects (req->max_redirects > 0; [upstream] follow-redirects):
 *   libcurl's CURLOPT_FOLLOWLOCATION stays off, because it would connect
 *   to the new host with only the open-socket check, against the entry
 *   of the first host.  Instead, when a transfer ends with 301, 302, 303,
 *   307 or 308 and a Location, follow_redirect() resolves the Location
 *   against the current URL (curl's URL API), runs check 1 on it (new
 *   entry; check 2 then runs on the new connection against that entry),
 *   and starts the same transfer again on a fresh easy handle: the
 *   caller's handle stays valid for gw_http_cancel, and the whole chain
 *   shares one timeout.  A Location outside the allow list, unparsable,
 *   not http(s), or past the hop limit: the 3xx itself is delivered, as
 *   with following off (the handset sees the Location; should it go
 *   there, the gateway answers 403).  RFC 9110 15.4: 303 turns anything
 *   but HEAD into a GET, 301 and 302 turn a POST into a GET (what every
 *   user agent does); the body and the Content-* request headers are
 *   dropped then and never sent again.  307 and 308 repeat the method
 *   and body: the upstream asked for that.
 *
 * At-most-once for non-idempotent requests:
 *   libcurl 7.88 retries a request by itself when a reused keep-alive
 *   connection turns out dead before any response byte arrived
 *   (Curl_retry_request() in lib/transfer.c: "Connection died, retrying
 *   a fresh connect", called from lib/multi.c both when sending the
 *   request fails with CURLE_SEND_ERROR on a reused connection and when
 *   the connection gives EOF or CURLE_RECV_ERROR before any response
 *   byte).  The server may well have read and processed the request
 *   before closing, so for a POST this duplicates the side effect (an
 *   MMS sent twice).  Each retry goes back through MSTATE_CONNECT and
 *   then MSTATE_DO, and curl calls CURLOPT_PREREQFUNCTION (7.80+) at the
 *   top of MSTATE_DO for every attempt, fresh or reused connection
 *   alike, before any request byte is written.  So:
 *     - CURLOPT_PREREQFUNCTION counts attempts; for a method that is not
 *       safe (anything but GET, HEAD, OPTIONS, TRACE) a second attempt
 *       is aborted (CURL_PREREQFUNC_ABORT) and reported as WSPGW_EIO
 *       ("request not repeated").
 *     - The open-socket callback also refuses a new connection for such
 *       a transfer once an attempt was made, so the retry does not even
 *       open a useless connection to the upstream.
 *   Rejected alternatives: CURLOPT_FORBID_REUSE/FRESH_CONNECT for POSTs
 *   (costs keep-alive on every POST to the MMSC); counting
 *   CURLINFO_NUM_CONNECTS or open-socket calls (a retry may pick another
 *   pooled connection, opening none); matching the debug callback's
 *   "retrying" text (not an API, and it runs after the fact); a read
 *   callback that refuses to rewind (CURLOPT_SEEKFUNCTION) guards only
 *   when body bytes were already sent, not a header-only POST).  PUT and
 *   DELETE are idempotent in RFC 9110 but are treated as unsafe here on
 *   purpose: gateways in front of MMSCs cannot know what the upstream
 *   does with them.  Safe methods keep curl's retry, which is what a
 *   user expects from a browser.
 *   To make the race rarer, unsafe requests reuse only connections that
 *   were idle for at most GW_HTTP_UNSAFE_MAXAGE_S (CURLOPT_MAXAGE_CONN):
 *   servers close idle connections after a few seconds (Apache's default
 *   KeepAliveTimeout is 5 s), and that close is the usual cause.
 *   Evidence (tests/unit/gateway/test_http.c): test_retry_get_is_repeated
 *   shows libcurl 7.88 repeating a GET on a fresh connection after the
 *   server closed the reused one on receipt; test_post_at_most_once runs
 *   the same scenario with a POST and the server sees the body once (it
 *   sees it twice with the guard disabled); test_post_at_most_once_pooled
 *   makes the retry land on a second idle pooled connection, where no
 *   open-socket call happens: only the pre-request check catches it.
 *
 * Cookies across redirects: libcurl's cookie engine stays off.  A
 * caller that keeps cookies (gateway/co.c, [wsp] cookie-jar) passes a
 * hop hook; follow_redirect() calls it with each 3xx (its Set-Cookie
 * headers) once the next URL passed check 1, and the hook may replace
 * the Cookie header of the next request.  The allow-list checks are
 * untouched by it.  The caller learns the final URL and the number of
 * hops from resp->url and resp->redirects.
 *
 * What this file does not do: decode content codings
 * (Accept-Encoding is passed through and the body returned as is),
 * store cookies, authentication, HTTP/2 (pinned to HTTP/1.1).
 *
 * Ownership: gw_http_fetch copies the request (headers, body) into the
 * transfer.  A transfer lives on exactly one list: c->running (owned by
 * the multi handle), c->resolving (a proxied hop whose host the gateway
 * is resolving) or c->finished (waiting for delivery); it is freed
 * after its done callback returns or when cancelled (a resolving one by
 * the resolver callback, see "Proxy").  struct gw_http is
 * freed in the last uv_close callback after gw_http_close.
 *
 * Tests: tests/unit/gateway/test_http.c (in-process libuv upstream).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>
#include <uv.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/log.h"
#include "http_int.h"



static void
list_push(struct xfer_list *l, struct gw_http_xfer *x)
{
    x->next = NULL;
    x->prev = l->tail;
    if (l->tail != NULL) {
        l->tail->next = x;
    } else {
        l->head = x;
    }
    l->tail = x;
}


static void
list_unlink(struct xfer_list *l, struct gw_http_xfer *x)
{
    if (x->prev != NULL) {
        x->prev->next = x->next;
    } else {
        l->head = x->next;
    }
    if (x->next != NULL) {
        x->next->prev = x->prev;
    } else {
        l->tail = x->prev;
    }
    x->prev = NULL;
    x->next = NULL;
}


static void on_queue_timer(uv_timer_t *t);


/* ---- Transfers -------------------------------------------------------- */


/*
 * Frees a transfer that is on no list and no longer in the multi handle.
 */
static void
xfer_free(struct gw_http_xfer *x)
{
    if (x->easy != NULL) {
        curl_easy_cleanup(x->easy);
    }
    if (x->url != NULL) {
        curl_url_cleanup(x->url);
    }
    curl_slist_free_all(x->hdrs);
    curl_slist_free_all(x->enrich);
    curl_slist_free_all(x->sent);
    wspgw_free(x->body);
    wspgw_buf_free(&x->line);
    wsp_hdrs_free(&x->resp.headers);
    wspgw_buf_free(&x->resp.body);
    wspgw_free(x);
}


/*
 * Moves a running transfer out of the multi handle onto the delivery
 * queue.  Never called from inside a curl callback.
 */
static void
xfer_retire(struct gw_http *c, struct gw_http_xfer *x)
{
    curl_multi_remove_handle(c->multi, x->easy);
    list_unlink(&c->running, x);
    x->state = XFER_FINISHED;
    list_push(&c->finished, x);
}


/*
 * Ends a transfer before it reached curl (bad URL, not allowed): the
 * outcome is queued and delivered by queue_timer on a later loop turn.
 */
static void
xfer_refuse(struct gw_http *c, struct gw_http_xfer *x, int err,
    const char *text)
{
    x->resp.err = err;
    x->resp.err_text = text;
    x->state = XFER_FINISHED;
    list_push(&c->finished, x);
    c->active++;
    if (!uv_is_active((uv_handle_t *) &c->queue_timer)) {
        uv_timer_start(&c->queue_timer, on_queue_timer, 0, 0);
    }
}


/*
 * Runs the done callbacks of finished transfers, oldest first.  Stops
 * when a callback closes the client (gw_http_close freed the rest).
 */
static void
deliver(struct gw_http *c)
{
    struct gw_http_xfer *x;

    while (!c->closing && c->finished.head != NULL) {
        char *url = NULL;

        x = c->finished.head;
        list_unlink(&c->finished, x);
        x->state = XFER_DELIVERING;
        c->active--;
        if (x->url != NULL
            && curl_url_get(x->url, CURLUPART_URL, &url, 0) != CURLUE_OK)
        {
            url = NULL;
        }
        x->resp.url = url;
        x->resp.redirects = x->redirects;
        x->done(x->ctx, &x->resp);
        curl_free(url);
        xfer_free(x);
    }
}


/* Frees the client once its last handle or resolver request is done. */
static void
client_release(struct gw_http *c)
{
    c->open_handles--;
    if (c->open_handles == 0) {
        wspgw_free(c);
        curl_global_cleanup();
    }
}


/*
 * The resolver's answer for a proxied hop (see "Proxy" in the file
 * header): every address must pass the allow list before the request
 * goes to the proxy.
 */
static void
on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
    struct gw_http_xfer *x = req->data;
    struct gw_http *c = x->c;
    const struct addrinfo *ai;
    const char *why = NULL, *text = NULL;
    char ip[INET6_ADDRSTRLEN] = "?";
    unsigned n = 0;
    int err = 0;

    if (x->orphan) {
        uv_freeaddrinfo(res);
        xfer_free(x);
        client_release(c);
        return;
    }
    list_unlink(&c->resolving, x);
    if (status != 0) {
        err = WSPGW_EIO;
        text = TXT_RESOLVE_FAILED;
        wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_HTTP, "%s %s:%u: cannot "
            "resolve: %s", x->method, x->entry.host,
            (unsigned) x->entry.port, uv_strerror(status));
    }
    for (ai = res; err == 0 && ai != NULL; ai = ai->ai_next) {
        if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6) {
            continue;
        }
        n++;
        if (gw_allow_connect_ok(c->allow, &x->entry, ai->ai_addr, &why)) {
            continue;
        }
        if (ai->ai_family == AF_INET) {
            inet_ntop(AF_INET,
                &((struct sockaddr_in *) ai->ai_addr)->sin_addr, ip,
                sizeof(ip));
        } else {
            inet_ntop(AF_INET6,
                &((struct sockaddr_in6 *) ai->ai_addr)->sin6_addr, ip,
                sizeof(ip));
        }
        wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_HTTP, "refusing %s %s:%u "
            "through the proxy: it resolves to %s (allow list: %s)",
            x->method, x->entry.host, (unsigned) x->entry.port, ip, why);
        err = WSPGW_EACCES;
        text = TXT_SPECIAL_REFUSED;
    }
    if (err == 0 && n == 0) {
        err = WSPGW_EIO;
        text = TXT_RESOLVE_FAILED;
    }
    uv_freeaddrinfo(res);
    client_release(c);
    if (err == 0) {
        if (gw__http_setup_easy(c, x) == 0
            && curl_multi_add_handle(c->multi, x->easy) == CURLM_OK)
        {
            x->state = XFER_RUNNING;
            list_push(&c->running, x);
            return;
        }
        err = WSPGW_ENOMEM;
        text = "out of memory";
    }
    x->resp.err = err;
    x->resp.err_text = text;
    x->state = XFER_FINISHED;
    list_push(&c->finished, x);
    deliver(c);
}


/*
 * Starts the next hop of x, which is on no list: a direct hop goes to
 * curl at once (c->running); a proxied hop is resolved first
 * (c->resolving).  Returns 0 or WSPGW_ENOMEM (x then on no list).
 */
static int
hop_start(struct gw_http *c, struct gw_http_xfer *x)
{
    struct addrinfo hints;
    char port[8];
    int rc;

    if (x->proxy[0] == '\0') {
        rc = gw__http_setup_easy(c, x);
        if (rc != 0) {
            return rc;
        }
        if (curl_multi_add_handle(c->multi, x->easy) != CURLM_OK) {
            return WSPGW_ENOMEM;
        }
        x->state = XFER_RUNNING;
        list_push(&c->running, x);
        return 0;
    }
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    snprintf(port, sizeof(port), "%u", (unsigned) x->entry.port);
    x->gai.data = x;
    rc = uv_getaddrinfo(c->loop, &x->gai, on_resolved, x->entry.host, port,
        &hints);
    if (rc != 0) {
        return WSPGW_ENOMEM;
    }
    x->state = XFER_RESOLVING;
    list_push(&c->resolving, x);
    c->open_handles++;
    return 0;
}


/*
 * Turns curl's result into resp->err and err_text (see http.h).
 */
static void
set_outcome(struct gw_http_xfer *x, CURLcode rc)
{
    struct gw_http_resp *r = &x->resp;
    long status = 0;

    if (rc == CURLE_OK && x->err == 0) {
        curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
        r->err = 0;
        r->err_text = NULL;
        r->status = (int) status;
        return;
    }

    if (x->err != 0) {
        r->err = x->err;
        r->err_text = x->err_text;
    } else if (x->retry_blocked) {
        r->err = WSPGW_EIO;
        r->err_text = TXT_NOT_REPEATED;
    } else if (x->addr_refused && rc == CURLE_COULDNT_CONNECT) {
        r->err = WSPGW_EACCES;
        r->err_text = TXT_ADDR_NOT_ALLOWED;
    } else {
        switch (rc) {
        case CURLE_OPERATION_TIMEDOUT:
            r->err = WSPGW_ETIMEDOUT;
            break;
        case CURLE_FILESIZE_EXCEEDED:
            r->err = WSPGW_EMSGSIZE;
            break;
        case CURLE_OUT_OF_MEMORY:
            r->err = WSPGW_ENOMEM;
            break;
        case CURLE_URL_MALFORMAT:
        case CURLE_UNSUPPORTED_PROTOCOL:
            r->err = WSPGW_EINVAL;
            break;
        default:
            /* COULDNT_RESOLVE_HOST, COULDNT_CONNECT, SEND_ERROR,
             * RECV_ERROR, GOT_NOTHING, PARTIAL_FILE, WEIRD_SERVER_REPLY,
             * the TLS errors: the upstream could not be used. */
            r->err = WSPGW_EIO;
            break;
        }
        r->err_text = x->errbuf[0] != '\0' ? x->errbuf
            : curl_easy_strerror(rc);
    }
    r->status = 0;
    wsp_hdrs_reset(&r->headers);
    wspgw_buf_reset(&r->body);
}




/* Drops the request body and the Content-* request headers (a redirect
 * that turns the request into a GET).  Returns 0 or WSPGW_ENOMEM. */
static int
drop_body(struct gw_http_xfer *x)
{
    struct curl_slist *l, *keep = NULL, *n;

    wspgw_free(x->body);
    x->body = NULL;
    x->body_len = 0;
    for (l = x->hdrs; l != NULL; l = l->next) {
        if (strncasecmp(l->data, "Content-", 8) == 0
            || strncasecmp(l->data, "Expect:", 7) == 0)
        {
            continue;
        }
        n = curl_slist_append(keep, l->data);
        if (n == NULL) {
            curl_slist_free_all(keep);
            return WSPGW_ENOMEM;
        }
        keep = n;
    }
    curl_slist_free_all(x->hdrs);
    x->hdrs = keep;
    return 0;
}


/* Replaces every Cookie request header of x by "Cookie: value" (none
 * when value is empty).  Returns 0 or WSPGW_ENOMEM (x unchanged). */
static int
set_cookie_header(struct gw_http_xfer *x, const char *value)
{
    struct curl_slist *l, *keep = NULL, *n;
    struct wspgw_buf line;
    int rc = 0;

    for (l = x->hdrs; l != NULL; l = l->next) {
        if (strncasecmp(l->data, "Cookie:", 7) == 0
            || strncasecmp(l->data, "Cookie;", 7) == 0)
        {
            continue;
        }
        n = curl_slist_append(keep, l->data);
        if (n == NULL) {
            curl_slist_free_all(keep);
            return WSPGW_ENOMEM;
        }
        keep = n;
    }
    if (value[0] != '\0') {
        wspgw_buf_init(&line, GW_HTTP_REQ_LINE_MAX);
        rc = wspgw_buf_printf(&line, "Cookie: %s", value);
        n = rc == 0 ? curl_slist_append(keep, wspgw_buf_str(&line)) : NULL;
        wspgw_buf_free(&line);
        if (n == NULL) {
            curl_slist_free_all(keep);
            return WSPGW_ENOMEM;
        }
        keep = n;
    }
    curl_slist_free_all(x->hdrs);
    x->hdrs = keep;
    return 0;
}


/* Whether the http(s) URLs a and b have the same origin (scheme, host,
 * port; RFC 6454).  Unparsable URLs count as different. */
static int
same_origin(const char *a, const char *b)
{
    static const CURLUPart parts[] = { CURLUPART_SCHEME, CURLUPART_HOST,
        CURLUPART_PORT };
    CURLU *ua = curl_url(), *ub = curl_url();
    int same = ua != NULL && ub != NULL
        && curl_url_set(ua, CURLUPART_URL, a, 0) == CURLUE_OK
        && curl_url_set(ub, CURLUPART_URL, b, 0) == CURLUE_OK;
    size_t i;

    for (i = 0; same && i < sizeof(parts) / sizeof(parts[0]); i++) {
        char *pa = NULL, *pb = NULL;

        same = curl_url_get(ua, parts[i], &pa, CURLU_DEFAULT_PORT)
            == CURLUE_OK
            && curl_url_get(ub, parts[i], &pb, CURLU_DEFAULT_PORT)
            == CURLUE_OK
            && strcasecmp(pa, pb) == 0;
        curl_free(pa);
        curl_free(pb);
    }
    curl_url_cleanup(ua);
    curl_url_cleanup(ub);
    return same;
}


/* Drops the handset's credentials (Authorization, Proxy-Authorization,
 * Cookie) from x's request headers: a redirect to another origin must
 * not carry them there (RFC 9110 15.4; libcurl does the same).  Returns
 * 0 or WSPGW_ENOMEM (x unchanged). */
static int
drop_credentials(struct gw_http_xfer *x)
{
    static const char *const names[] = { "Authorization:",
        "Proxy-Authorization:", "Cookie:" };
    struct curl_slist *l, *keep = NULL, *n;
    size_t i;

    for (l = x->hdrs; l != NULL; l = l->next) {
        int drop = 0;

        for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
            if (strncasecmp(l->data, names[i], strlen(names[i])) == 0) {
                drop = 1;
            }
        }
        if (drop) {
            continue;
        }
        n = curl_slist_append(keep, l->data);
        if (n == NULL) {
            curl_slist_free_all(keep);
            return WSPGW_ENOMEM;
        }
        keep = n;
    }
    curl_slist_free_all(x->hdrs);
    x->hdrs = keep;
    return 0;
}


/* Calls the request's hop hook (see gw_http_hop_fn) for the 3xx now in
 * x->resp, from prev to next; a failure keeps the headers as they were
 * (logged). */
static void
run_hop_hook(struct gw_http_xfer *x, const char *prev, const char *next)
{
    struct gw_http_hop hop;
    struct wspgw_buf cookie;

    hop.url = prev;
    hop.status = x->resp.status;
    hop.headers = &x->resp.headers;
    hop.next_url = next;
    hop.hop = x->redirects + 1;
    wspgw_buf_init(&cookie, GW_HTTP_HOP_COOKIE_MAX);
    if (x->hop(x->ctx, &hop, &cookie) == 1
        && (strpbrk(wspgw_buf_str(&cookie), "\r\n") != NULL
            || set_cookie_header(x, wspgw_buf_str(&cookie)) != 0))
    {
        wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_HTTP, "%s: Cookie header for "
            "the next hop not set", next);
    }
    wspgw_buf_free(&cookie);
}


/*
 * A finished transfer x with a successful response: when it is a
 * redirect to follow (see the file header), starts the next hop on a
 * fresh easy handle and returns 1 (x stays running).  Returns 0 when the
 * response is to be delivered as it is.  Not called from inside curl.
 */
static int
follow_redirect(struct gw_http *c, struct gw_http_xfer *x)
{
    int st = x->resp.status, loc, rc;
    const char *why = NULL;
    char *prev = NULL, *next = NULL;
    char method[sizeof(x->method)];

    if (x->redirects_left == 0
        || !(st == 301 || st == 302 || st == 303 || st == 307 || st == 308))
    {
        return 0;
    }
    loc = wsp_hdrs_find(&x->resp.headers, "Location");
    if (loc < 0) {
        return 0;
    }
    if (curl_url_get(x->url, CURLUPART_URL, &prev, 0) != CURLUE_OK) {
        return 0;
    }
    /* Setting a relative URL on a CURLU resolves it against the one it
     * holds (RFC 3986 5.2). */
    rc = gw__http_precheck_url(c, x, wsp_hdrs_value(&x->resp.headers, (unsigned) loc),
        &why);
    if (rc != 0) {
        wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_HTTP, "%d from %s not followed: "
            "%s", st, prev, why != NULL ? why : wspgw_err_name(rc));
        /* Put the URL back: it names what the 3xx came from. */
        curl_url_set(x->url, CURLUPART_URL, prev, 0);
        curl_free(prev);
        return 0;
    }
    snprintf(method, sizeof(method), "%s", x->method);
    if ((st == 303 && strcmp(method, "HEAD") != 0)
        || ((st == 301 || st == 302) && strcmp(method, "POST") == 0))
    {
        snprintf(method, sizeof(method), "GET");
    }
    if (strcmp(method, x->method) != 0 && drop_body(x) != 0) {
        curl_free(prev);
        return 0;
    }
    curl_url_get(x->url, CURLUPART_URL, &next, 0);
    if ((next == NULL || !same_origin(prev, next))
        && drop_credentials(x) != 0)
    {
        curl_free(prev);
        curl_free(next);
        return 0;
    }
    wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_HTTP, "%s %s: %d, following to "
        "%s %s", x->method, prev, st, method, next != NULL ? next : "?");
    /* The caller's look at this hop (cookies), after the allow-list
     * check above and before the next request is built. */
    if (x->hop != NULL && next != NULL) {
        run_hop_hook(x, prev, next);
    }
    curl_free(prev);
    curl_free(next);
    memcpy(x->method, method, sizeof(method));

    curl_multi_remove_handle(c->multi, x->easy);
    curl_easy_cleanup(x->easy);
    x->easy = NULL;
    x->redirects_left--;
    x->redirects++;
    x->attempts = 0;
    x->addr_refused = 0;
    x->retry_blocked = 0;
    x->err = 0;
    x->err_text = NULL;
    x->hdrs_done = 0;
    x->errbuf[0] = '\0';
    wspgw_buf_reset(&x->line);
    wsp_hdrs_reset(&x->resp.headers);
    wspgw_buf_reset(&x->resp.body);
    x->resp.status = 0;
    list_unlink(&c->running, x);
    if (hop_start(c, x) != 0) {
        /* Out of memory: end it as a failure, back on c->running where
         * the caller retires it. */
        x->state = XFER_RUNNING;
        list_push(&c->running, x);
        x->resp.err = WSPGW_ENOMEM;
        x->resp.err_text = "out of memory following a redirect";
        return -1;
    }
    return 1;
}


/*
 * Drains curl's message queue: every finished transfer gets its outcome
 * and moves to the delivery queue.  Then transfers that one of our
 * callbacks condemned (x->err set) but curl has not finished yet are
 * removed too.
 */
static void
check_multi_info(struct gw_http *c)
{
    struct gw_http_xfer *x, *next;
    CURLMsg *msg;
    int left;
    char *priv;

    for (;;) {
        msg = curl_multi_info_read(c->multi, &left);
        if (msg == NULL) {
            break;
        }
        if (msg->msg != CURLMSG_DONE) {
            continue;
        }
        priv = NULL;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
        x = (struct gw_http_xfer *) priv;
        if (x == NULL || x->state != XFER_RUNNING) {
            continue;
        }
        set_outcome(x, msg->data.result);
        if (x->resp.err == 0) {
            int f = follow_redirect(c, x);

            if (f > 0) {
                continue;
            }
            if (f < 0) {
                xfer_retire(c, x);
                continue;
            }
        }
        if (x->resp.err == 0) {
            wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_HTTP,
                "%s %s:%u: %d, %zu octets", x->method, x->entry.host,
                (unsigned) x->entry.port, x->resp.status,
                x->resp.body.len);
        } else {
            wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_HTTP,
                "%s to %s:%u failed: %s (%s)", x->method, x->entry.host,
                (unsigned) x->entry.port, wspgw_err_name(x->resp.err),
                x->resp.err_text);
        }
        xfer_retire(c, x);
    }

    if (c->reap) {
        c->reap = 0;
        for (x = c->running.head; x != NULL; x = next) {
            next = x->next;
            if (x->err != 0) {
                set_outcome(x, CURLE_ABORTED_BY_CALLBACK);
                xfer_retire(c, x);
            }
        }
    }
}


/* ---- libuv side of the glue ------------------------------------------- */


static void
on_handle_closed(uv_handle_t *h)
{
    struct gw_http *c = h->data;

    client_release(c);
}


static void
on_sock_closed(uv_handle_t *h)
{
    struct sock_ctx *sc = h->data;
    struct gw_http *c = sc->c;

    wspgw_free(sc);
    client_release(c);
}


/*
 * Stops watching a socket and closes its poll handle; the context is
 * freed in the close callback.  Must run while the descriptor is open.
 */
static void
sock_close(struct sock_ctx *sc)
{
    struct gw_http *c = sc->c;

    if (sc->prev != NULL) {
        sc->prev->next = sc->next;
    } else {
        c->socks = sc->next;
    }
    if (sc->next != NULL) {
        sc->next->prev = sc->prev;
    }
    uv_poll_stop(&sc->poll);
    uv_close((uv_handle_t *) &sc->poll, on_sock_closed);
}


static void
on_poll(uv_poll_t *h, int status, int events)
{
    struct sock_ctx *sc = h->data;
    struct gw_http *c = sc->c;
    int flags = 0, running;

    if (status < 0) {
        flags = CURL_CSELECT_ERR;
    } else {
        if (events & UV_READABLE) {
            flags |= CURL_CSELECT_IN;
        }
        if (events & UV_WRITABLE) {
            flags |= CURL_CSELECT_OUT;
        }
    }
    /* sc may be closed by curl's socket callback during this call; its
     * memory stays valid until the close callback, but it is not used
     * again here. */
    curl_multi_socket_action(c->multi, sc->fd, flags, &running);
    check_multi_info(c);
    deliver(c);
}


static void
on_timer(uv_timer_t *t)
{
    struct gw_http *c = t->data;
    int running;

    curl_multi_socket_action(c->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    check_multi_info(c);
    deliver(c);
}


static void
on_queue_timer(uv_timer_t *t)
{
    struct gw_http *c = t->data;

    deliver(c);
}


/* ---- curl side of the glue -------------------------------------------- */


/*
 * Called from curl's socket callback when a socket cannot be watched:
 * the transfer on easy cannot progress, so mark it failed and let
 * check_multi_info remove it once the current curl call has returned.
 */
static void
condemn(struct gw_http *c, CURL *easy, int err, const char *text)
{
    struct gw_http_xfer *x;
    char *priv = NULL;

    if (easy != NULL) {
        curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv);
    }
    x = (struct gw_http_xfer *) priv;
    if (x != NULL && x->err == 0) {
        x->err = err;
        x->err_text = text;
        c->reap = 1;
    }
}


/*
 * CURLMOPT_SOCKETFUNCTION: curl wants socket s watched for what.
 * socketp is the sock_ctx assigned earlier, or NULL.
 */
static int
on_curl_socket(CURL *easy, curl_socket_t s, int what, void *userp,
    void *socketp)
{
    struct gw_http *c = userp;
    struct sock_ctx *sc = socketp;
    int events = 0, rc;

    if (what == CURL_POLL_REMOVE) {
        if (sc != NULL) {
            curl_multi_assign(c->multi, s, NULL);
            sock_close(sc);
        }
        return 0;
    }

    if (sc == NULL) {
        sc = wspgw_calloc(1, sizeof(*sc));
        if (sc == NULL || uv_poll_init_socket(c->loop, &sc->poll, s) != 0) {
            wspgw_free(sc);
            wspgw_log(WSPGW_LOG_ERROR, WSPGW_SUB_HTTP,
                "cannot watch socket %d: out of memory", (int) s);
            condemn(c, easy, WSPGW_ENOMEM, "out of memory");
            return 0;
        }
        sc->fd = s;
        sc->c = c;
        sc->poll.data = sc;
        sc->next = c->socks;
        if (c->socks != NULL) {
            c->socks->prev = sc;
        }
        c->socks = sc;
        c->open_handles++;
        curl_multi_assign(c->multi, s, sc);
    }

    if (what == CURL_POLL_IN || what == CURL_POLL_INOUT) {
        events |= UV_READABLE;
    }
    if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT) {
        events |= UV_WRITABLE;
    }
    rc = uv_poll_start(&sc->poll, events, on_poll);
    if (rc != 0) {
        wspgw_log(WSPGW_LOG_ERROR, WSPGW_SUB_HTTP,
            "cannot watch socket %d: %s", (int) s, uv_strerror(rc));
        condemn(c, easy, WSPGW_EIO, "cannot watch the socket");
    }
    return 0;
}


/*
 * CURLMOPT_TIMERFUNCTION: curl wants to be called after timeout_ms
 * (-1: cancel).  0 is armed as 1 ms so that curl is never called from
 * inside its own callback (STYLE.md 1, curl multi-uv notes).
 */
static int
on_curl_timer(CURLM *multi, long timeout_ms, void *userp)
{
    struct gw_http *c = userp;

    if (timeout_ms < 0) {
        uv_timer_stop(&c->timer);
        return 0;
    }
    if (timeout_ms == 0) {
        timeout_ms = 1;
    }
    uv_timer_start(&c->timer, on_timer, (uint64_t) timeout_ms, 0);
    return 0;
}


/*
 * CURLOPT_OPENSOCKETFUNCTION: the second allow-list check, on the address
 * curl is about to connect to; also refuses a reconnect for a repeat of
 * an unsafe request (see the file header).
 */
curl_socket_t
gw__http_on_open_socket(void *clientp, curlsocktype purpose,
    struct curl_sockaddr *addr)
{
    struct gw_http_xfer *x = clientp;
    const char *why = "not allowed";
    char ip[64] = "?";
    int fd;

    if (purpose != CURLSOCKTYPE_IPCXN) {
        return CURL_SOCKET_BAD;
    }
    if (x->unsafe && x->attempts > 0) {
        x->retry_blocked = 1;
        wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_HTTP,
            "%s to %s:%u: connection lost, not repeating the request",
            x->method, x->entry.host, (unsigned) x->entry.port);
        return CURL_SOCKET_BAD;
    }
    if (x->proxy[0] == '\0'
        && !gw_allow_connect_ok(x->c->allow, &x->entry, &addr->addr, &why))
    {
        if (addr->family == AF_INET) {
            inet_ntop(AF_INET,
                &((struct sockaddr_in *) &addr->addr)->sin_addr,
                ip, sizeof(ip));
        } else if (addr->family == AF_INET6) {
            inet_ntop(AF_INET6,
                &((struct sockaddr_in6 *) &addr->addr)->sin6_addr,
                ip, sizeof(ip));
        }
        x->addr_refused = 1;
        wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_HTTP,
            "refusing to connect to %s for %s:%u (allow list: %s)", ip,
            x->entry.host, (unsigned) x->entry.port, why);
        return CURL_SOCKET_BAD;
    }
    fd = socket(addr->family, addr->socktype | SOCK_CLOEXEC,
        addr->protocol);
    if (fd < 0) {
        return CURL_SOCKET_BAD;
    }
    return fd;
}


/*
 * CURLOPT_PREREQFUNCTION: called once per attempt, right before curl
 * writes the request on a new or reused connection.  The connected
 * address is checked against the allow list (again, for a new
 * connection; for the first time, for a reused one).  The second call
 * for an unsafe request is curl's own retry: refuse it.
 */
int
gw__http_on_prereq(void *clientp, char *conn_primary_ip, char *conn_local_ip,
    int conn_primary_port, int conn_local_port)
{
    struct gw_http_xfer *x = clientp;
    struct sockaddr_storage ss;
    struct sockaddr_in *sin = (struct sockaddr_in *) &ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &ss;
    const char *why = "not allowed";

    /* Check 2 once more on the address this attempt really uses: the
     * open-socket callback does not run for a reused keep-alive
     * connection, which may have been opened under an older allow list
     * (a reload that dropped the IP entry naming a loopback address). */
    if (x->proxy[0] == '\0') {
        memset(&ss, 0, sizeof(ss));
        if (inet_pton(AF_INET, conn_primary_ip, &sin->sin_addr) == 1) {
            sin->sin_family = AF_INET;
            sin->sin_port = htons((uint16_t) conn_primary_port);
        } else if (inet_pton(AF_INET6, conn_primary_ip, &sin6->sin6_addr)
            == 1)
        {
            sin6->sin6_family = AF_INET6;
            sin6->sin6_port = htons((uint16_t) conn_primary_port);
        }
        if (!gw_allow_connect_ok(x->c->allow, &x->entry,
                (struct sockaddr *) &ss, &why))
        {
            wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_HTTP,
                "refusing to send to %s for %s:%u (allow list: %s)",
                conn_primary_ip, x->entry.host, (unsigned) x->entry.port,
                why);
            x->err = WSPGW_EACCES;
            x->err_text = TXT_ADDR_NOT_ALLOWED;
            return CURL_PREREQFUNC_ABORT;
        }
    }
    x->attempts++;
    if (x->attempts > 1) {
        if (x->unsafe) {
            x->retry_blocked = 1;
            wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_HTTP,
                "%s to %s:%u: connection lost, not repeating the request",
                x->method, x->entry.host, (unsigned) x->entry.port);
            return CURL_PREREQFUNC_ABORT;
        }
        wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_HTTP,
            "%s to %s:%u: repeating on a fresh connection (attempt %u)",
            x->method, x->entry.host, (unsigned) x->entry.port,
            x->attempts);
        /* A retry happens only when nothing was received; start clean. */
        wsp_hdrs_reset(&x->resp.headers);
        wspgw_buf_reset(&x->resp.body);
        wspgw_buf_reset(&x->line);
        x->hdrs_done = 0;
    }
    return CURL_PREREQFUNC_OK;
}


/*
 * Stores the response header in x->line ("Name: value", unfolded) into
 * resp.headers.  Returns 0 or a WSPGW_E* code.
 */
static int
flush_header(struct gw_http_xfer *x)
{
    const char *s = wspgw_buf_str(&x->line);
    const char *colon, *v, *end;
    size_t nlen;
    int rc;

    if (x->line.len == 0) {
        return 0;
    }
    colon = strchr(s, ':');
    if (colon == NULL || colon == s) {
        wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_HTTP,
            "ignoring malformed response header line");
        wspgw_buf_reset(&x->line);
        return 0;
    }
    nlen = (size_t) (colon - s);
    while (nlen > 0 && (s[nlen - 1] == ' ' || s[nlen - 1] == '\t')) {
        nlen--;
    }
    v = colon + 1;
    while (*v == ' ' || *v == '\t') {
        v++;
    }
    end = s + x->line.len;
    while (end > v && (end[-1] == ' ' || end[-1] == '\t')) {
        end--;
    }
    rc = wsp_hdrs_add(&x->resp.headers, s, nlen, v, (size_t) (end - v));
    wspgw_buf_reset(&x->line);
    return rc;
}


/*
 * CURLOPT_HEADERFUNCTION: one header line at a time, CRLF included.
 * Each status line starts a new block (100 Continue, then the final
 * one), so only the final block is kept; trailers after the final
 * block's blank line are ignored.  Folded lines (obs-fold, RFC 9112
 * 5.2) are joined with one space.
 */
size_t
gw__http_on_header(char *buf, size_t size, size_t n, void *userp)
{
    struct gw_http_xfer *x = userp;
    size_t len = size * n, l = len;
    int rc = 0;

    while (l > 0 && (buf[l - 1] == '\n' || buf[l - 1] == '\r')) {
        l--;
    }
    if (l >= 5 && memcmp(buf, "HTTP/", 5) == 0) {
        wsp_hdrs_reset(&x->resp.headers);
        wspgw_buf_reset(&x->line);
        x->hdrs_done = 0;
        return len;
    }
    if (x->hdrs_done) {
        return len;
    }
    if (l == 0) {
        rc = flush_header(x);
        x->hdrs_done = 1;
    } else if (buf[0] == ' ' || buf[0] == '\t') {
        if (x->line.len > 0) {
            rc = wspgw_buf_putc(&x->line, ' ');
            while (l > 0 && (*buf == ' ' || *buf == '\t')) {
                buf++;
                l--;
            }
            if (rc == 0) {
                rc = wspgw_buf_append(&x->line, buf, l);
            }
        }
    } else {
        rc = flush_header(x);
        if (rc == 0) {
            rc = wspgw_buf_append(&x->line, buf, l);
        }
    }
    if (rc != 0) {
        x->err = rc == WSPGW_ENOMEM ? WSPGW_ENOMEM : WSPGW_EMSGSIZE;
        x->err_text = rc == WSPGW_ENOMEM ? "out of memory"
            : TXT_HDRS_TOO_LARGE;
        return 0;                   /* aborts with CURLE_WRITE_ERROR */
    }
    return len;
}


/*
 * CURLOPT_WRITEFUNCTION: appends body octets, up to resp.body.max.
 */
size_t
gw__http_on_body(char *buf, size_t size, size_t n, void *userp)
{
    struct gw_http_xfer *x = userp;
    size_t len = size * n;
    int rc;

    rc = wspgw_buf_append(&x->resp.body, buf, len);
    if (rc != 0) {
        x->err = rc == WSPGW_ENOMEM ? WSPGW_ENOMEM : WSPGW_EMSGSIZE;
        x->err_text = rc == WSPGW_ENOMEM ? "out of memory" : TXT_TOO_LARGE;
        return 0;                   /* aborts with CURLE_WRITE_ERROR */
    }
    return len;
}


/* ---- Public API ------------------------------------------------------- */


struct gw_http *
gw_http_new(uv_loop_t *loop, const struct gw_allow *allow,
    unsigned timeout_s)
{
    struct gw_http *c;
    CURLMcode mc = CURLM_OK;

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        return NULL;
    }
    c = wspgw_calloc(1, sizeof(*c));
    if (c == NULL) {
        curl_global_cleanup();
        return NULL;
    }
    c->multi = curl_multi_init();
    if (c->multi == NULL) {
        wspgw_free(c);
        curl_global_cleanup();
        return NULL;
    }
    c->loop = loop;
    c->allow = allow;
    c->timeout_s = timeout_s;

    mc = curl_multi_setopt(c->multi, CURLMOPT_SOCKETFUNCTION, on_curl_socket);
    if (mc == CURLM_OK) {
        mc = curl_multi_setopt(c->multi, CURLMOPT_SOCKETDATA, (void *) c);
    }
    if (mc == CURLM_OK) {
        mc = curl_multi_setopt(c->multi, CURLMOPT_TIMERFUNCTION,
            on_curl_timer);
    }
    if (mc == CURLM_OK) {
        mc = curl_multi_setopt(c->multi, CURLMOPT_TIMERDATA, (void *) c);
    }
    if (mc == CURLM_OK) {
        mc = curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS,
            (long) GW_HTTP_MAXCONNECTS);
    }
    if (mc != CURLM_OK) {
        curl_multi_cleanup(c->multi);
        wspgw_free(c);
        curl_global_cleanup();
        return NULL;
    }

    /* Timer init cannot fail on a valid loop. */
    uv_timer_init(loop, &c->timer);
    c->timer.data = c;
    uv_timer_init(loop, &c->queue_timer);
    c->queue_timer.data = c;
    c->open_handles = 2;
    return c;
}


void
gw_http_set_allow(struct gw_http *c, const struct gw_allow *allow)
{
    c->allow = allow;
}


void
gw_http_set_enrich_hosts(struct gw_http *c, const struct gw_allow *hosts)
{
    c->enrich_hosts = hosts;
}


void
gw_http_set_timeout(struct gw_http *c, unsigned timeout_s)
{
    c->timeout_s = timeout_s;
}


int
gw_http_fetch(struct gw_http *c, const struct gw_http_req *req,
    struct gw_http_xfer **out)
{
    struct gw_http_xfer *x;
    const char *why = NULL;
    size_t max;
    int rc;

    if (out != NULL) {
        *out = NULL;
    }
    if (c->closing) {
        return WSPGW_ECANCELED;
    }
    if (req == NULL || req->url == NULL || req->done == NULL) {
        return WSPGW_EINVAL;
    }
    x = wspgw_calloc(1, sizeof(*x));
    if (x == NULL) {
        return WSPGW_ENOMEM;
    }
    x->c = c;
    x->done = req->done;
    x->hop = req->hop;
    x->ctx = req->ctx;
    max = req->max_response != 0 ? req->max_response
        : GW_HTTP_MAX_RESPONSE_DEFAULT;
    wsp_hdrs_init(&x->resp.headers, GW_HTTP_RESP_HDRS_MAX);
    wspgw_buf_init(&x->resp.body, max);
    wspgw_buf_init(&x->line, GW_HTTP_RESP_LINE_MAX);
    snprintf(x->method, sizeof(x->method), "%s",
        req->method != NULL ? req->method : "GET");

    if (req->method != NULL
        && (!gw__http_is_token(req->method)
            || strlen(req->method) >= sizeof(x->method)))
    {
        xfer_refuse(c, x, WSPGW_EINVAL, "bad method");
        goto started;
    }

    x->url = curl_url();
    if (x->url == NULL) {
        xfer_free(x);
        return WSPGW_ENOMEM;
    }
    rc = gw__http_precheck_url(c, x, req->url, &why);
    if (rc == WSPGW_ENOMEM) {
        xfer_free(x);
        return rc;
    }
    if (rc != 0) {
        xfer_refuse(c, x, rc, why);
        goto started;
    }

    x->start_ms = uv_now(c->loop);
    x->redirects_left = req->max_redirects;
    if (req->proxy != NULL && (size_t) snprintf(x->proxy, sizeof(x->proxy),
            "%s", req->proxy) >= sizeof(x->proxy))
    {
        xfer_refuse(c, x, WSPGW_EINVAL, "proxy URL too long");
        goto started;
    }
    rc = gw__http_copy_request(x, req, &why);
    if (rc == WSPGW_EINVAL) {
        xfer_refuse(c, x, rc, why);
        goto started;
    }
    if (rc == 0) {
        rc = hop_start(c, x);
    }
    if (rc != 0) {
        xfer_free(x);
        return rc;
    }
    c->active++;
    wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_HTTP, "%s %s:%u started%s",
        x->method, x->entry.host, (unsigned) x->entry.port,
        x->proxy[0] != '\0' ? " (resolving for the proxy)" : "");

started:
    if (out != NULL) {
        *out = x;
    }
    return 0;
}


void
gw_http_cancel(struct gw_http *c, struct gw_http_xfer *x)
{
    if (x == NULL) {
        return;
    }
    switch (x->state) {
    case XFER_RUNNING:
        curl_multi_remove_handle(c->multi, x->easy);
        list_unlink(&c->running, x);
        break;
    case XFER_FINISHED:
        list_unlink(&c->finished, x);
        break;
    case XFER_RESOLVING:
        /* The resolver callback still runs (also after uv_cancel) and
         * frees it. */
        list_unlink(&c->resolving, x);
        c->active--;
        x->orphan = 1;
        uv_cancel((uv_req_t *) &x->gai);
        return;
    default:
        /* Its done callback is running; it is freed right after. */
        return;
    }
    c->active--;
    wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_HTTP, "%s %s:%u cancelled",
        x->method, x->entry.host, (unsigned) x->entry.port);
    xfer_free(x);
}


unsigned
gw_http_active(const struct gw_http *c)
{
    return c->active;
}


void
gw_http_close(struct gw_http *c)
{
    struct gw_http_xfer *x;

    if (c == NULL || c->closing) {
        return;
    }
    c->closing = 1;

    /* Stop watching every socket while curl still holds it open, and make
     * sure curl calls back no more during the teardown below. */
    while (c->socks != NULL) {
        curl_multi_assign(c->multi, c->socks->fd, NULL);
        sock_close(c->socks);
    }
    curl_multi_setopt(c->multi, CURLMOPT_SOCKETFUNCTION, NULL);
    curl_multi_setopt(c->multi, CURLMOPT_TIMERFUNCTION, NULL);

    while (c->running.head != NULL) {
        x = c->running.head;
        curl_multi_remove_handle(c->multi, x->easy);
        list_unlink(&c->running, x);
        xfer_free(x);
    }
    while (c->finished.head != NULL) {
        x = c->finished.head;
        list_unlink(&c->finished, x);
        xfer_free(x);
    }
    while (c->resolving.head != NULL) {
        x = c->resolving.head;
        list_unlink(&c->resolving, x);
        x->orphan = 1;
        uv_cancel((uv_req_t *) &x->gai);
    }
    c->active = 0;
    curl_multi_cleanup(c->multi);
    c->multi = NULL;

    uv_timer_stop(&c->timer);
    uv_timer_stop(&c->queue_timer);
    uv_close((uv_handle_t *) &c->timer, on_handle_closed);
    uv_close((uv_handle_t *) &c->queue_timer, on_handle_closed);
}
