/*
 * tests/unit/gateway/test_http.c - the HTTP client against an in-process
 * upstream.
 *
 * The upstream is a small HTTP/1.1 server on the same libuv loop
 * (uv_tcp on 127.0.0.1, port 0): it reads whole requests (head plus
 * Content-Length body), records them byte for byte, and per request
 * follows a script: reply with the canned response (keep-alive), stay
 * silent, or close the connection without replying.  Every loop run is
 * bounded by a watchdog timer, and every test ends by closing the client
 * and the server and checking that uv_loop_close() finds nothing left
 * (ASan/LSan catch the rest in the --enable-asan build).
 *
 * Set WSPGW_TEST_VERBOSE=1 to see the client's log on stderr.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/log.h"
#include "wspgw/wsp.h"
#include "allow.h"
#include "http.h"

#define SRV_MAX_REQS 16
#define WATCHDOG_MS 10000

/* ---- The upstream ----------------------------------------------------- */

enum srv_action {
    SRV_REPLY = 0,      /* send s->reply, keep the connection */
    SRV_SILENT,         /* never answer */
    SRV_CLOSE           /* close the connection without a reply */
};

struct srv_req {
    char head[4096];    /* request line and headers, NUL-terminated */
    uint8_t body[8192];
    size_t body_len;
    unsigned conn_no;   /* which accepted connection carried it (1..) */
};

struct srv_conn {
    uv_tcp_t tcp;
    struct srv *s;
    unsigned no;
    char buf[32768];
    size_t len;
    int closing;
    struct srv_conn *next;
};

struct srv {
    uv_loop_t *loop;
    uv_tcp_t listen;
    int port;
    unsigned accepts;
    unsigned requests;
    enum srv_action script[SRV_MAX_REQS];
    const char *reply;
    size_t reply_len;
    struct srv_req req[SRV_MAX_REQS];
    struct srv_conn *conns;
};

struct srv_write {
    uv_write_t w;
    char data[];
};


static void
srv_conn_closed(uv_handle_t *h)
{
    free(h->data);
}


static void
srv_conn_close(struct srv_conn *cn)
{
    struct srv_conn **pp;

    if (cn->closing) {
        return;
    }
    cn->closing = 1;
    for (pp = &cn->s->conns; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == cn) {
            *pp = cn->next;
            break;
        }
    }
    uv_close((uv_handle_t *) &cn->tcp, srv_conn_closed);
}


static void
srv_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
    struct srv_conn *cn = h->data;

    buf->base = cn->buf + cn->len;
    buf->len = sizeof(cn->buf) - cn->len;
}


static void
srv_written(uv_write_t *w, int status)
{
    free(w);
}


static void
srv_send(struct srv_conn *cn, const char *data, size_t len)
{
    struct srv_write *w = malloc(sizeof(*w) + len);
    uv_buf_t b;

    ck_assert_ptr_nonnull(w);
    memcpy(w->data, data, len);
    b = uv_buf_init(w->data, (unsigned) len);
    ck_assert_int_eq(uv_write(&w->w, (uv_stream_t *) &cn->tcp, &b, 1,
        srv_written), 0);
}


/* Content-Length of a request head, 0 when absent. */
static size_t
content_length(const char *head)
{
    const char *p = head;

    while ((p = strchr(p, '\n')) != NULL) {
        p++;
        if (strncasecmp(p, "Content-Length:", 15) == 0) {
            return (size_t) strtoul(p + 15, NULL, 10);
        }
    }
    return 0;
}


static void
srv_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
    struct srv_conn *cn = st->data;
    struct srv *s = cn->s;
    struct srv_req *r;
    enum srv_action act;
    char *end;
    size_t head_len, need;

    if (nread < 0) {
        srv_conn_close(cn);
        return;
    }
    cn->len += (size_t) nread;
    while (!cn->closing) {
        end = memmem(cn->buf, cn->len, "\r\n\r\n", 4);
        if (end == NULL) {
            return;
        }
        head_len = (size_t) (end - cn->buf) + 4;
        ck_assert_uint_lt(head_len, sizeof(r->head));
        ck_assert_uint_lt(s->requests, SRV_MAX_REQS);
        r = &s->req[s->requests];
        memcpy(r->head, cn->buf, head_len);
        r->head[head_len] = '\0';
        need = head_len + content_length(r->head);
        if (cn->len < need) {
            return;
        }
        r->body_len = need - head_len;
        ck_assert_uint_le(r->body_len, sizeof(r->body));
        memcpy(r->body, cn->buf + head_len, r->body_len);
        r->conn_no = cn->no;
        act = s->script[s->requests];
        s->requests++;
        memmove(cn->buf, cn->buf + need, cn->len - need);
        cn->len -= need;

        if (act == SRV_CLOSE) {
            srv_conn_close(cn);
        } else if (act == SRV_REPLY) {
            size_t n = s->reply_len;

            if (strncmp(r->head, "HEAD ", 5) == 0) {
                n = (size_t) ((char *) memmem(s->reply, s->reply_len,
                    "\r\n\r\n", 4) - s->reply) + 4;
            }
            srv_send(cn, s->reply, n);
        }
    }
}


static void
srv_accept(uv_stream_t *l, int status)
{
    struct srv *s = l->data;
    struct srv_conn *cn;

    ck_assert_int_eq(status, 0);
    cn = calloc(1, sizeof(*cn));
    ck_assert_ptr_nonnull(cn);
    cn->s = s;
    cn->no = ++s->accepts;
    uv_tcp_init(s->loop, &cn->tcp);
    cn->tcp.data = cn;
    ck_assert_int_eq(uv_accept(l, (uv_stream_t *) &cn->tcp), 0);
    cn->next = s->conns;
    s->conns = cn;
    ck_assert_int_eq(uv_read_start((uv_stream_t *) &cn->tcp, srv_alloc,
        srv_read), 0);
}


static void
srv_set_reply(struct srv *s, const char *reply, size_t len)
{
    s->reply = reply;
    s->reply_len = len;
}


static void
srv_start(struct srv *s, uv_loop_t *loop)
{
    struct sockaddr_in sin;
    struct sockaddr_storage ss;
    int len = sizeof(ss);
    static const char ok[] = "HTTP/1.1 200 OK\r\n"
        "Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello";

    memset(s, 0, sizeof(*s));
    s->loop = loop;
    srv_set_reply(s, ok, sizeof(ok) - 1);
    ck_assert_int_eq(uv_tcp_init(loop, &s->listen), 0);
    s->listen.data = s;
    ck_assert_int_eq(uv_ip4_addr("127.0.0.1", 0, &sin), 0);
    ck_assert_int_eq(uv_tcp_bind(&s->listen, (struct sockaddr *) &sin, 0),
        0);
    ck_assert_int_eq(uv_listen((uv_stream_t *) &s->listen, 16, srv_accept),
        0);
    ck_assert_int_eq(uv_tcp_getsockname(&s->listen,
        (struct sockaddr *) &ss, &len), 0);
    s->port = ntohs(((struct sockaddr_in *) &ss)->sin_port);
}


static void
srv_stop(struct srv *s)
{
    while (s->conns != NULL) {
        srv_conn_close(s->conns);
    }
    uv_close((uv_handle_t *) &s->listen, NULL);
}


static void
on_closed_flag(uv_handle_t *h)
{
    *(int *) h->data = 1;
    uv_stop(h->loop);
}


/* A port with nothing listening (bound once, then closed). */
static int
closed_port(uv_loop_t *loop)
{
    uv_tcp_t t;
    struct sockaddr_in sin;
    struct sockaddr_storage ss;
    int len = sizeof(ss), port, closed = 0;

    uv_tcp_init(loop, &t);
    uv_ip4_addr("127.0.0.1", 0, &sin);
    ck_assert_int_eq(uv_tcp_bind(&t, (struct sockaddr *) &sin, 0), 0);
    ck_assert_int_eq(uv_tcp_getsockname(&t, (struct sockaddr *) &ss, &len),
        0);
    port = ntohs(((struct sockaddr_in *) &ss)->sin_port);
    t.data = &closed;
    uv_close((uv_handle_t *) &t, on_closed_flag);
    while (!closed) {
        uv_run(loop, UV_RUN_ONCE);
    }
    return port;
}


/* ---- The test bench --------------------------------------------------- */

struct result {
    int called;
    int fetch_returned;     /* done must not run inside gw_http_fetch */
    int err;
    int status;
    char err_text[256];
    struct wsp_hdrs headers;    /* moved out of resp */
    struct wspgw_buf body;      /* moved out of resp */
    unsigned active_in_done;
    char url[256];              /* resp->url ("" when NULL) */
    unsigned redirects;         /* resp->redirects */
};

struct bench {
    uv_loop_t loop;
    uv_timer_t watchdog;
    int fired;
    struct srv srv;
    struct gw_allow allow;
    struct gw_http *c;
    char url[256];
};


/* The bench's loop: done callbacks stop it so that bench_run_until looks
 * at its flag at once (a UV_RUN_ONCE that ran only timers would block
 * in poll until the next event). */
static uv_loop_t *bench_loop;


static void
wake(void)
{
    if (bench_loop != NULL) {
        uv_stop(bench_loop);
    }
}


static void
log_sink(void *ctx, int level, int subsys, const char *msg)
{
    fprintf(stderr, "[%s] %s: %s\n", wspgw_log_level_name(level),
        wspgw_log_subsys_name(subsys), msg);
}


static void
on_watchdog(uv_timer_t *t)
{
    struct bench *b = t->data;

    b->fired = 1;
    uv_stop(&b->loop);
}


static void
allow_add(struct gw_allow *a, const char *host, int port)
{
    char text[128];
    struct gw_allow_entry e;
    const char *why = NULL;

    snprintf(text, sizeof(text), "%s:%d", host, port);
    ck_assert_msg(gw_allow_parse_entry(text, &e, &why) == 0, "%s", why);
    ck_assert_int_eq(gw_allow_add(a, &e), 0);
}


/* Starts loop, watchdog, upstream, an allow list naming the upstream as
 * 127.0.0.1:port, and a client with the given timeout. */
static void
bench_start(struct bench *b, unsigned timeout_s)
{
    const char *v = getenv("WSPGW_TEST_VERBOSE");

    memset(b, 0, sizeof(*b));
    if (v != NULL && v[0] == '1') {
        wspgw_log_set_sink(log_sink, NULL);
        wspgw_log_set_level(WSPGW_LOG_DEBUG);
    }
    ck_assert_int_eq(uv_loop_init(&b->loop), 0);
    bench_loop = &b->loop;
    uv_timer_init(&b->loop, &b->watchdog);
    b->watchdog.data = b;
    uv_timer_start(&b->watchdog, on_watchdog, WATCHDOG_MS, 0);
    srv_start(&b->srv, &b->loop);
    allow_add(&b->allow, "127.0.0.1", b->srv.port);
    b->c = gw_http_new(&b->loop, &b->allow, timeout_s);
    ck_assert_ptr_nonnull(b->c);
    snprintf(b->url, sizeof(b->url), "http://127.0.0.1:%d/", b->srv.port);
}


/* Runs the loop until *flag is set; fails if the watchdog fires. */
static void
bench_run_until(struct bench *b, const int *flag)
{
    while (!*flag && !b->fired) {
        uv_run(&b->loop, UV_RUN_ONCE);
    }
    ck_assert_msg(!b->fired, "watchdog fired");
}


/* Runs the loop for ms milliseconds. */
static void
on_nap(uv_timer_t *t)
{
    *(int *) t->data = 1;
    uv_stop(t->loop);
}


static void
bench_nap(struct bench *b, unsigned ms)
{
    uv_timer_t t;
    int done = 0;

    uv_timer_init(&b->loop, &t);
    t.data = &done;
    uv_timer_start(&t, on_nap, ms, 0);
    bench_run_until(b, &done);
    done = 0;
    uv_close((uv_handle_t *) &t, on_closed_flag);
    bench_run_until(b, &done);
}


/* Closes client (if still open), upstream and watchdog; checks that the
 * loop ends with nothing left. */
static void
bench_end(struct bench *b)
{
    if (b->c != NULL) {
        gw_http_close(b->c);
        b->c = NULL;
    }
    srv_stop(&b->srv);
    uv_close((uv_handle_t *) &b->watchdog, NULL);
    bench_loop = NULL;
    ck_assert_int_eq(uv_run(&b->loop, UV_RUN_DEFAULT), 0);
    ck_assert_int_eq(uv_loop_close(&b->loop), 0);
}


static void
result_free(struct result *r)
{
    wsp_hdrs_free(&r->headers);
    wspgw_buf_free(&r->body);
}


static struct gw_http *done_client;


static void
on_done(void *ctx, struct gw_http_resp *resp)
{
    struct result *r = ctx;

    ck_assert_msg(r->fetch_returned, "done called inside gw_http_fetch");
    ck_assert_int_eq(r->called, 0);
    r->called = 1;
    wake();
    r->err = resp->err;
    r->status = resp->status;
    snprintf(r->url, sizeof(r->url), "%s",
        resp->url != NULL ? resp->url : "");
    r->redirects = resp->redirects;
    if (resp->err != 0) {
        ck_assert_ptr_nonnull(resp->err_text);
        snprintf(r->err_text, sizeof(r->err_text), "%s", resp->err_text);
    }
    /* Take the headers and body (the move described in http.h). */
    r->headers = resp->headers;
    wsp_hdrs_init(&resp->headers, 0);
    r->body = resp->body;
    wspgw_buf_init(&resp->body, 0);
    if (done_client != NULL) {
        r->active_in_done = gw_http_active(done_client);
    }
}


static void
on_done_never(void *ctx, struct gw_http_resp *resp)
{
    ck_abort_msg("done called for a cancelled transfer");
}


/* Starts one transfer with on_done into r. */
/* req.max_redirects for fetch() (0: redirects are responses). */
static unsigned fetch_redirects;
/* req.hop for fetch() (NULL: none). */
static gw_http_hop_fn fetch_hop;


static void
fetch(struct bench *b, const char *method, const char *url,
    const struct wsp_hdrs *h, const void *body, size_t body_len,
    size_t max_response, struct result *r)
{
    struct gw_http_req req;
    struct gw_http_xfer *x = NULL;

    memset(&req, 0, sizeof(req));
    memset(r, 0, sizeof(*r));
    wsp_hdrs_init(&r->headers, 0);
    wspgw_buf_init(&r->body, 0);
    req.method = method;
    req.url = url;
    req.headers = h;
    req.body = body;
    req.body_len = body_len;
    req.max_response = max_response;
    req.max_redirects = fetch_redirects;
    req.hop = fetch_hop;
    req.done = on_done;
    req.ctx = r;
    ck_assert_int_eq(gw_http_fetch(b->c, &req, &x), 0);
    ck_assert_ptr_nonnull(x);
    ck_assert_int_eq(r->called, 0);
    r->fetch_returned = 1;
}


static const char *
hdr(const struct wsp_hdrs *h, const char *name)
{
    unsigned i;

    for (i = 0; i < h->n; i++) {
        if (strcasecmp(wsp_hdrs_name(h, i), name) == 0) {
            return wsp_hdrs_value(h, i);
        }
    }
    return NULL;
}


static void
hadd(struct wsp_hdrs *h, const char *name, const char *value)
{
    ck_assert_int_eq(wsp_hdrs_add(h, name, strlen(name), value,
        strlen(value)), 0);
}


/* ---- Tests ------------------------------------------------------------ */


START_TEST(test_get_headers_and_body)
{
    static const char reply[] =
        "HTTP/1.1 100 Continue\r\nX-Early: 1\r\n\r\n"
        "HTTP/1.1 200 OK\r\n"
        "Content-Type: application/octet-stream\r\n"
        "X-Folded: first\r\n  second\r\n"
        "X-Empty:\r\n"
        "Content-Length: 6\r\n"
        "\r\n"
        "\x00\x01\xff" "ab\n";
    static const uint8_t want_body[] = { 0x00, 0x01, 0xff, 'a', 'b', '\n' };
    struct bench b;
    struct wsp_hdrs h;
    struct result r;
    const char *head;
    char url[300];

    bench_start(&b, 5);
    srv_set_reply(&b.srv, reply, sizeof(reply) - 1);
    wsp_hdrs_init(&h, 4096);
    hadd(&h, "X-Foo", "bar baz");
    hadd(&h, "Accept", "text/vnd.wap.wml");
    hadd(&h, "X-Blank", "");
    hadd(&h, "Host", "evil.example");
    hadd(&h, "Connection", "close");
    hadd(&h, "X-Inject", "a\r\nX-Evil: 1");
    hadd(&h, "Bad Name", "x");
    snprintf(url, sizeof(url), "%spath/x?q=1&r=%%20", b.url);
    done_client = b.c;
    fetch(&b, "GET", url, &h, NULL, 0, 1000, &r);
    ck_assert_uint_eq(gw_http_active(b.c), 1);
    bench_run_until(&b, &r.called);
    done_client = NULL;

    ck_assert_msg(r.err == 0, "err %d: %s", r.err, r.err_text);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(r.active_in_done, 0);
    ck_assert_uint_eq(gw_http_active(b.c), 0);
    ck_assert_uint_eq(r.body.len, sizeof(want_body));
    ck_assert(memcmp(r.body.data, want_body, sizeof(want_body)) == 0);
    ck_assert_ptr_null(hdr(&r.headers, "X-Early"));
    ck_assert_str_eq(hdr(&r.headers, "Content-Type"),
        "application/octet-stream");
    ck_assert_str_eq(hdr(&r.headers, "X-Folded"), "first second");
    ck_assert_str_eq(hdr(&r.headers, "X-Empty"), "");
    ck_assert_str_eq(hdr(&r.headers, "Content-Length"), "6");
    ck_assert_uint_eq(r.headers.n, 4);

    ck_assert_uint_eq(b.srv.requests, 1);
    head = b.srv.req[0].head;
    ck_assert_msg(strncmp(head, "GET /path/x?q=1&r=%20 HTTP/1.1\r\n", 32)
        == 0, "%s", head);
    ck_assert_ptr_nonnull(strstr(head, "\r\nX-Foo: bar baz\r\n"));
    ck_assert_ptr_nonnull(strstr(head, "\r\nAccept: text/vnd.wap.wml\r\n"));
    ck_assert_ptr_nonnull(strstr(head, "\r\nX-Blank:"));
    ck_assert_ptr_null(strstr(head, "evil"));
    ck_assert_ptr_null(strstr(head, "X-Evil"));
    ck_assert_ptr_null(strstr(head, "X-Inject"));
    ck_assert_ptr_null(strstr(head, "Bad Name"));
    ck_assert_ptr_null(strcasestr(head, "Connection: close"));
    ck_assert_uint_eq(b.srv.req[0].body_len, 0);

    wsp_hdrs_free(&h);
    result_free(&r);
    bench_end(&b);
}
END_TEST


START_TEST(test_get_no_accept_added)
{
    struct bench b;
    struct result r;
    const char *head;

    bench_start(&b, 5);
    fetch(&b, "GET", b.url, NULL, NULL, 0, 0, &r);
    bench_run_until(&b, &r.called);
    ck_assert_msg(r.err == 0, "err %d: %s", r.err, r.err_text);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(r.body.len, 5);
    ck_assert(memcmp(r.body.data, "hello", 5) == 0);
    head = b.srv.req[0].head;
    ck_assert_ptr_null(strcasestr(head, "\r\nAccept:"));
    ck_assert_ptr_null(strcasestr(head, "\r\nUser-Agent:"));
    ck_assert_ptr_null(strcasestr(head, "\r\nExpect:"));
    ck_assert_ptr_null(strcasestr(head, "\r\nContent-Type:"));
    result_free(&r);
    bench_end(&b);
}
END_TEST


START_TEST(test_post_body_exact)
{
    struct bench b;
    struct wsp_hdrs h;
    struct result r1, r2;
    uint8_t body[3000];
    const char *head;
    size_t i;

    for (i = 0; i < sizeof(body); i++) {
        body[i] = (uint8_t) (i * 7 + (i >> 8));
    }
    body[0] = 0;
    body[100] = '\r';
    body[101] = '\n';
    bench_start(&b, 5);
    wsp_hdrs_init(&h, 4096);
    hadd(&h, "Content-Type", "application/vnd.wap.mms-message");
    hadd(&h, "Content-Length", "1");
    hadd(&h, "Expect", "100-continue");
    fetch(&b, "POST", b.url, &h, body, sizeof(body), 0, &r1);
    /* The client copies the body: scribble over ours. */
    memset(body + 1, 0xee, 10);
    bench_run_until(&b, &r1.called);
    ck_assert_msg(r1.err == 0, "err %d: %s", r1.err, r1.err_text);
    ck_assert_int_eq(r1.status, 200);

    ck_assert_uint_eq(b.srv.requests, 1);
    head = b.srv.req[0].head;
    ck_assert(strncmp(head, "POST / HTTP/1.1\r\n", 17) == 0);
    ck_assert_ptr_nonnull(strstr(head, "\r\nContent-Length: 3000\r\n"));
    ck_assert_ptr_nonnull(strstr(head,
        "\r\nContent-Type: application/vnd.wap.mms-message\r\n"));
    ck_assert_ptr_null(strcasestr(head, "urlencoded"));
    ck_assert_ptr_null(strcasestr(head, "\r\nExpect:"));
    ck_assert_uint_eq(b.srv.req[0].body_len, sizeof(body));
    for (i = 1; i <= 10; i++) {
        body[i] = (uint8_t) (i * 7 + (i >> 8));
    }
    ck_assert(memcmp(b.srv.req[0].body, body, sizeof(body)) == 0);

    /* A POST with no body and no Content-Type: Content-Length 0, and no
     * form Content-Type invented by libcurl. */
    fetch(&b, "POST", b.url, NULL, NULL, 0, 0, &r2);
    bench_run_until(&b, &r2.called);
    ck_assert_msg(r2.err == 0, "err %d: %s", r2.err, r2.err_text);
    head = b.srv.req[1].head;
    ck_assert_ptr_nonnull(strstr(head, "\r\nContent-Length: 0\r\n"));
    ck_assert_ptr_null(strcasestr(head, "\r\nContent-Type:"));
    ck_assert_uint_eq(b.srv.req[1].body_len, 0);

    wsp_hdrs_free(&h);
    result_free(&r1);
    result_free(&r2);
    bench_end(&b);
}
END_TEST


START_TEST(test_put_delete_head)
{
    struct bench b;
    struct result r1, r2, r3;

    bench_start(&b, 5);
    fetch(&b, "PUT", b.url, NULL, "put-body", 8, 0, &r1);
    bench_run_until(&b, &r1.called);
    ck_assert_msg(r1.err == 0, "err %d: %s", r1.err, r1.err_text);
    ck_assert(strncmp(b.srv.req[0].head, "PUT / HTTP/1.1\r\n", 16) == 0);
    ck_assert_uint_eq(b.srv.req[0].body_len, 8);
    ck_assert(memcmp(b.srv.req[0].body, "put-body", 8) == 0);

    fetch(&b, "DELETE", b.url, NULL, NULL, 0, 0, &r2);
    bench_run_until(&b, &r2.called);
    ck_assert_msg(r2.err == 0, "err %d: %s", r2.err, r2.err_text);
    ck_assert(strncmp(b.srv.req[1].head, "DELETE / HTTP/1.1\r\n", 19) == 0);
    ck_assert_ptr_null(strcasestr(b.srv.req[1].head, "Content-Length"));

    fetch(&b, "HEAD", b.url, NULL, NULL, 0, 0, &r3);
    bench_run_until(&b, &r3.called);
    ck_assert_msg(r3.err == 0, "err %d: %s", r3.err, r3.err_text);
    ck_assert_int_eq(r3.status, 200);
    ck_assert_uint_eq(r3.body.len, 0);
    ck_assert_str_eq(hdr(&r3.headers, "Content-Length"), "5");
    ck_assert(strncmp(b.srv.req[2].head, "HEAD / HTTP/1.1\r\n", 17) == 0);
    ck_assert_uint_eq(b.srv.accepts, 1);

    result_free(&r1);
    result_free(&r2);
    result_free(&r3);
    bench_end(&b);
}
END_TEST


struct chain {
    struct bench *b;
    struct result r[2];
};


static void
on_done_chain(void *ctx, struct gw_http_resp *resp)
{
    struct chain *ch = ctx;
    struct gw_http_req req;

    ch->r[0].called = 1;
    wake();
    ch->r[0].err = resp->err;
    ch->r[0].status = resp->status;
    /* Start the next request from inside the done callback. */
    memset(&ch->r[1], 0, sizeof(ch->r[1]));
    wsp_hdrs_init(&ch->r[1].headers, 0);
    wspgw_buf_init(&ch->r[1].body, 0);
    memset(&req, 0, sizeof(req));
    req.method = "GET";
    req.url = ch->b->url;
    req.done = on_done;
    req.ctx = &ch->r[1];
    ck_assert_int_eq(gw_http_fetch(ch->b->c, &req, NULL), 0);
    ch->r[1].fetch_returned = 1;
}


START_TEST(test_keepalive_reuse)
{
    struct bench b;
    struct chain ch;
    struct gw_http_req req;

    bench_start(&b, 5);
    memset(&ch, 0, sizeof(ch));
    ch.b = &b;
    memset(&req, 0, sizeof(req));
    req.method = "GET";
    req.url = b.url;
    req.done = on_done_chain;
    req.ctx = &ch;
    ck_assert_int_eq(gw_http_fetch(b.c, &req, NULL), 0);
    bench_run_until(&b, &ch.r[1].called);
    ck_assert_int_eq(ch.r[0].err, 0);
    ck_assert_int_eq(ch.r[0].status, 200);
    ck_assert_int_eq(ch.r[1].err, 0);
    ck_assert_int_eq(ch.r[1].status, 200);
    ck_assert_uint_eq(b.srv.requests, 2);
    ck_assert_uint_eq(b.srv.accepts, 1);
    result_free(&ch.r[1]);
    bench_end(&b);
}
END_TEST


START_TEST(test_not_allowed)
{
    struct bench b;
    struct result r[6];
    char url[6][128];
    unsigned i;

    bench_start(&b, 5);
    /* Entry is 127.0.0.1:PORT.  A name never matches an IP entry, a
     * different port never matches, other schemes are refused. */
    snprintf(url[0], sizeof(url[0]), "http://localhost:%d/", b.srv.port);
    snprintf(url[1], sizeof(url[1]), "http://localhost:%d/",
        b.srv.port == 65535 ? 1 : b.srv.port + 1);
    snprintf(url[2], sizeof(url[2]), "http://127.0.0.1:%d/",
        b.srv.port == 65535 ? 1 : b.srv.port + 1);
    snprintf(url[3], sizeof(url[3]), "https://127.0.0.1/");
    snprintf(url[4], sizeof(url[4]), "ftp://127.0.0.1:%d/", b.srv.port);
    snprintf(url[5], sizeof(url[5]), "not a url");
    for (i = 0; i < 6; i++) {
        fetch(&b, "GET", url[i], NULL, NULL, 0, 0, &r[i]);
    }
    ck_assert_uint_eq(gw_http_active(b.c), 6);
    bench_run_until(&b, &r[5].called);
    for (i = 0; i < 4; i++) {
        ck_assert_msg(r[i].called && r[i].err == WSPGW_EACCES,
            "%s: %d", url[i], r[i].err);
        ck_assert_int_eq(r[i].status, 0);
    }
    ck_assert_int_eq(r[4].err, WSPGW_EINVAL);
    ck_assert_int_eq(r[5].err, WSPGW_EINVAL);
    ck_assert_uint_eq(gw_http_active(b.c), 0);
    bench_nap(&b, 50);
    ck_assert_uint_eq(b.srv.accepts, 0);
    for (i = 0; i < 6; i++) {
        result_free(&r[i]);
    }
    bench_end(&b);
}
END_TEST


START_TEST(test_redirect_not_followed_by_default)
{
    static const char reply[] = "HTTP/1.1 302 Found\r\n"
        "Location: /next\r\nContent-Length: 0\r\n\r\n";
    struct bench b;
    struct result r;

    bench_start(&b, 5);
    srv_set_reply(&b.srv, reply, sizeof(reply) - 1);
    fetch(&b, "GET", b.url, NULL, NULL, 0, 0, &r);
    bench_run_until(&b, &r.called);
    ck_assert_msg(r.err == 0, "err %d: %s", r.err, r.err_text);
    ck_assert_int_eq(r.status, 302);
    ck_assert_str_eq(hdr(&r.headers, "Location"), "/next");
    ck_assert_uint_eq(b.srv.requests, 1);
    result_free(&r);
    bench_end(&b);
}
END_TEST


START_TEST(test_redirect_post_becomes_get_and_hops_capped)
{
    /* Every answer is a 302 to a relative URL: the POST is sent once,
     * then 3 GETs without body or Content-Type, then the 302 comes back. */
    static const char reply[] = "HTTP/1.1 302 Found\r\n"
        "Location: next?x=1\r\nContent-Length: 0\r\n\r\n";
    struct bench b;
    struct wsp_hdrs h;
    struct result r;
    unsigned i;

    bench_start(&b, 5);
    srv_set_reply(&b.srv, reply, sizeof(reply) - 1);
    wsp_hdrs_init(&h, 4096);
    hadd(&h, "Content-Type", "text/plain");
    hadd(&h, "X-Keep", "1");
    fetch_redirects = 3;
    fetch(&b, "POST", b.url, &h, "body!", 5, 0, &r);
    fetch_redirects = 0;
    bench_run_until(&b, &r.called);
    ck_assert_msg(r.err == 0, "err %d: %s", r.err, r.err_text);
    ck_assert_int_eq(r.status, 302);
    ck_assert_uint_eq(b.srv.requests, 4);
    ck_assert_msg(strncmp(b.srv.req[0].head, "POST / ", 7) == 0, "%s",
        b.srv.req[0].head);
    ck_assert_uint_eq(b.srv.req[0].body_len, 5);
    for (i = 1; i < 4; i++) {
        const char *head = b.srv.req[i].head;

        ck_assert_msg(strncmp(head, "GET /next?x=1 HTTP/1.1\r\n", 24) == 0,
            "hop %u: %s", i, head);
        ck_assert_uint_eq(b.srv.req[i].body_len, 0);
        ck_assert_ptr_null(strcasestr(head, "\r\nContent-Type:"));
        ck_assert_ptr_null(strcasestr(head, "\r\nContent-Length:"));
        ck_assert_ptr_nonnull(strstr(head, "\r\nX-Keep: 1\r\n"));
    }
    wsp_hdrs_free(&h);
    result_free(&r);
    bench_end(&b);
}
END_TEST


/* What the hop hook saw, per call. */
static struct {
    unsigned calls;
    char url[3][256], next[3][256], set_cookie[3][64];
    int status[3];
    unsigned hop[3];
} hops;


/* Records the hop, and sets "Cookie: hop=N" for the next one (none
 * after the second). */
static int
on_hop(void *ctx, const struct gw_http_hop *h, struct wspgw_buf *cookie)
{
    unsigned k = hops.calls++;
    int i;

    (void) ctx;
    ck_assert_uint_lt(k, 3);
    snprintf(hops.url[k], sizeof(hops.url[k]), "%s", h->url);
    snprintf(hops.next[k], sizeof(hops.next[k]), "%s", h->next_url);
    i = wsp_hdrs_find(h->headers, "Set-Cookie");
    snprintf(hops.set_cookie[k], sizeof(hops.set_cookie[k]), "%s",
        i >= 0 ? wsp_hdrs_value(h->headers, (unsigned) i) : "");
    hops.status[k] = h->status;
    hops.hop[k] = h->hop;
    if (h->hop >= 2) {
        return 1;               /* empty: no Cookie header at all */
    }
    ck_assert_int_eq(wspgw_buf_printf(cookie, "hop=%u", h->hop), 0);
    return 1;
}


START_TEST(test_redirect_hop_hook)
{
    /* Every answer is a 302 with a Set-Cookie: the hook sees each one
     * with its URLs, and sets the next request's Cookie header (the
     * caller's own is replaced); past the hops the 302 comes back with
     * the last URL and the count. */
    static const char reply[] = "HTTP/1.1 302 Found\r\n"
        "Set-Cookie: s=1; Path=/\r\nLocation: /next?x=1\r\n"
        "Content-Length: 0\r\n\r\n";
    struct bench b;
    struct wsp_hdrs h;
    struct result r;
    char want[300];

    bench_start(&b, 5);
    memset(&hops, 0, sizeof(hops));
    srv_set_reply(&b.srv, reply, sizeof(reply) - 1);
    wsp_hdrs_init(&h, 4096);
    hadd(&h, "Cookie", "own=1");
    hadd(&h, "X-Keep", "1");
    fetch_redirects = 3;
    fetch_hop = on_hop;
    fetch(&b, "GET", b.url, &h, NULL, 0, 0, &r);
    fetch_redirects = 0;
    fetch_hop = NULL;
    bench_run_until(&b, &r.called);
    ck_assert_msg(r.err == 0, "err %d: %s", r.err, r.err_text);
    ck_assert_int_eq(r.status, 302);
    ck_assert_uint_eq(b.srv.requests, 4);
    ck_assert_uint_eq(hops.calls, 3);
    snprintf(want, sizeof(want), "%snext?x=1", b.url);
    ck_assert_str_eq(hops.url[0], b.url);
    ck_assert_str_eq(hops.next[0], want);
    ck_assert_str_eq(hops.url[1], want);
    ck_assert_str_eq(hops.set_cookie[0], "s=1; Path=/");
    ck_assert_int_eq(hops.status[1], 302);
    ck_assert_uint_eq(hops.hop[0], 1);
    ck_assert_uint_eq(hops.hop[2], 3);
    ck_assert_ptr_nonnull(strstr(b.srv.req[0].head, "\r\nCookie: own=1\r\n"));
    ck_assert_ptr_nonnull(strstr(b.srv.req[1].head, "\r\nCookie: hop=1\r\n"));
    ck_assert_ptr_null(strstr(b.srv.req[1].head, "own=1"));
    ck_assert_ptr_null(strcasestr(b.srv.req[2].head, "\r\nCookie"));
    ck_assert_ptr_null(strcasestr(b.srv.req[3].head, "\r\nCookie"));
    ck_assert_ptr_nonnull(strstr(b.srv.req[3].head, "\r\nX-Keep: 1\r\n"));
    /* The response names the last URL and the hops followed. */
    ck_assert_str_eq(r.url, want);
    ck_assert_uint_eq(r.redirects, 3);
    wsp_hdrs_free(&h);
    result_free(&r);
    bench_end(&b);
}
END_TEST


START_TEST(test_redirect_307_repeats_post)
{
    static const char reply[] = "HTTP/1.1 307 Temporary Redirect\r\n"
        "Location: /again\r\nContent-Length: 0\r\n\r\n";
    struct bench b;
    struct result r;

    bench_start(&b, 5);
    srv_set_reply(&b.srv, reply, sizeof(reply) - 1);
    fetch_redirects = 1;
    fetch(&b, "POST", b.url, NULL, "body!", 5, 0, &r);
    fetch_redirects = 0;
    bench_run_until(&b, &r.called);
    ck_assert_msg(r.err == 0, "err %d: %s", r.err, r.err_text);
    ck_assert_int_eq(r.status, 307);
    ck_assert_uint_eq(b.srv.requests, 2);
    ck_assert_msg(strncmp(b.srv.req[1].head, "POST /again ", 12) == 0,
        "%s", b.srv.req[1].head);
    ck_assert_uint_eq(b.srv.req[1].body_len, 5);
    ck_assert(memcmp(b.srv.req[1].body, "body!", 5) == 0);
    result_free(&r);
    bench_end(&b);
}
END_TEST


START_TEST(test_redirect_outside_allow_list)
{
    /* Allowed: 127.0.0.1:PORT only.  A Location naming localhost (a name
     * never matches an IP entry), another port, or another scheme is not
     * followed: the 3xx is the response and nothing else is connected. */
    static char replies[3][256];
    struct bench b;
    struct result r;
    unsigned i;

    bench_start(&b, 5);
    snprintf(replies[0], sizeof(replies[0]), "HTTP/1.1 301 Moved\r\n"
        "Location: http://localhost:%d/\r\nContent-Length: 0\r\n\r\n",
        b.srv.port);
    snprintf(replies[1], sizeof(replies[1]), "HTTP/1.1 302 Found\r\n"
        "Location: http://127.0.0.1:%d/\r\nContent-Length: 0\r\n\r\n",
        b.srv.port == 65535 ? 1 : b.srv.port + 1);
    snprintf(replies[2], sizeof(replies[2]), "HTTP/1.1 303 See Other\r\n"
        "Location: ftp://127.0.0.1:%d/\r\nContent-Length: 0\r\n\r\n",
        b.srv.port);
    for (i = 0; i < 3; i++) {
        srv_set_reply(&b.srv, replies[i], strlen(replies[i]));
        fetch_redirects = 5;
        fetch(&b, "GET", b.url, NULL, NULL, 0, 0, &r);
        fetch_redirects = 0;
        bench_run_until(&b, &r.called);
        ck_assert_msg(r.err == 0, "err %d: %s", r.err, r.err_text);
        ck_assert_int_eq(r.status, i == 0 ? 301 : i == 1 ? 302 : 303);
        ck_assert_uint_eq(b.srv.requests, i + 1);
        result_free(&r);
    }
    bench_end(&b);
}
END_TEST


START_TEST(test_bad_method)
{
    struct bench b;
    struct result r;

    bench_start(&b, 5);
    fetch(&b, "GE T", b.url, NULL, NULL, 0, 0, &r);
    bench_run_until(&b, &r.called);
    ck_assert_int_eq(r.err, WSPGW_EINVAL);
    ck_assert_uint_eq(b.srv.accepts, 0);
    result_free(&r);
    bench_end(&b);
}
END_TEST


START_TEST(test_localhost_name)
{
    struct bench b;
    struct result r1, r2;
    char url[128];

    bench_start(&b, 5);
    allow_add(&b.allow, "LocalHost", b.srv.port);
    snprintf(url, sizeof(url), "http://localhost:%d/name", b.srv.port);
    fetch(&b, "GET", url, NULL, NULL, 0, 0, &r1);
    bench_run_until(&b, &r1.called);
    ck_assert_msg(r1.err == 0, "err %d: %s", r1.err, r1.err_text);
    ck_assert_int_eq(r1.status, 200);
    ck_assert_uint_eq(b.srv.accepts, 1);

    /* The 127.0.0.1:PORT and localhost:PORT entries do not allow
     * localhost on another port. */
    snprintf(url, sizeof(url), "http://localhost:%d/",
        b.srv.port == 65535 ? 1 : b.srv.port + 1);
    fetch(&b, "GET", url, NULL, NULL, 0, 0, &r2);
    bench_run_until(&b, &r2.called);
    ck_assert_int_eq(r2.err, WSPGW_EACCES);
    ck_assert_uint_eq(b.srv.accepts, 1);
    result_free(&r1);
    result_free(&r2);
    bench_end(&b);
}
END_TEST


START_TEST(test_set_allow)
{
    struct bench b;
    struct gw_allow none;
    struct result r1, r2;

    bench_start(&b, 5);
    memset(&none, 0, sizeof(none));
    gw_http_set_allow(b.c, &none);
    fetch(&b, "GET", b.url, NULL, NULL, 0, 0, &r1);
    bench_run_until(&b, &r1.called);
    ck_assert_int_eq(r1.err, WSPGW_EACCES);
    gw_http_set_allow(b.c, &b.allow);
    gw_http_set_timeout(b.c, 3);
    fetch(&b, "GET", b.url, NULL, NULL, 0, 0, &r2);
    bench_run_until(&b, &r2.called);
    ck_assert_int_eq(r2.err, 0);
    ck_assert_uint_eq(b.srv.accepts, 1);
    result_free(&r1);
    result_free(&r2);
    bench_end(&b);
}
END_TEST


START_TEST(test_timeout)
{
    struct bench b;
    struct result r;
    uint64_t t0;

    bench_start(&b, 1);
    b.srv.script[0] = SRV_SILENT;
    t0 = uv_now(&b.loop);
    fetch(&b, "GET", b.url, NULL, NULL, 0, 0, &r);
    bench_run_until(&b, &r.called);
    uv_update_time(&b.loop);
    ck_assert_msg(r.err == WSPGW_ETIMEDOUT, "err %d: %s", r.err, r.err_text);
    ck_assert_uint_ge(uv_now(&b.loop) - t0, 900);
    ck_assert_uint_le(uv_now(&b.loop) - t0, 3000);
    ck_assert_uint_eq(b.srv.requests, 1);
    result_free(&r);
    bench_end(&b);
}
END_TEST


START_TEST(test_connection_refused)
{
    struct bench b;
    struct result r;
    char url[128];
    int port;

    bench_start(&b, 5);
    port = closed_port(&b.loop);
    allow_add(&b.allow, "127.0.0.1", port);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/", port);
    fetch(&b, "GET", url, NULL, NULL, 0, 0, &r);
    bench_run_until(&b, &r.called);
    ck_assert_msg(r.err == WSPGW_EIO, "err %d: %s", r.err, r.err_text);
    ck_assert(r.err_text[0] != '\0');
    result_free(&r);
    bench_end(&b);
}
END_TEST


START_TEST(test_too_large_with_length)
{
    static char reply[6000];
    struct bench b;
    struct result r1, r2;
    int n;

    n = snprintf(reply, sizeof(reply),
        "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n");
    memset(reply + n, 'x', 5000);
    bench_start(&b, 5);
    srv_set_reply(&b.srv, reply, (size_t) n + 5000);
    fetch(&b, "GET", b.url, NULL, NULL, 0, 1000, &r1);
    bench_run_until(&b, &r1.called);
    ck_assert_msg(r1.err == WSPGW_EMSGSIZE, "err %d: %s", r1.err,
        r1.err_text);
    ck_assert_int_eq(r1.status, 0);
    ck_assert_uint_eq(r1.body.len, 0);

    /* Exactly at the cap is fine. */
    fetch(&b, "GET", b.url, NULL, NULL, 0, 5000, &r2);
    bench_run_until(&b, &r2.called);
    ck_assert_msg(r2.err == 0, "err %d: %s", r2.err, r2.err_text);
    ck_assert_uint_eq(r2.body.len, 5000);
    result_free(&r1);
    result_free(&r2);
    bench_end(&b);
}
END_TEST


START_TEST(test_too_large_chunked)
{
    static char reply[8000];
    struct bench b;
    struct result r;
    int n, i;

    /* No Content-Length: the cap is enforced while the body arrives. */
    n = snprintf(reply, sizeof(reply),
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (i = 0; i < 5; i++) {
        n += snprintf(reply + n, sizeof(reply) - (size_t) n, "3e8\r\n");
        memset(reply + n, 'y', 1000);
        n += 1000;
        n += snprintf(reply + n, sizeof(reply) - (size_t) n, "\r\n");
    }
    n += snprintf(reply + n, sizeof(reply) - (size_t) n, "0\r\n\r\n");
    bench_start(&b, 5);
    srv_set_reply(&b.srv, reply, (size_t) n);
    fetch(&b, "GET", b.url, NULL, NULL, 0, 2500, &r);
    bench_run_until(&b, &r.called);
    ck_assert_msg(r.err == WSPGW_EMSGSIZE, "err %d: %s", r.err, r.err_text);
    result_free(&r);
    bench_end(&b);
}
END_TEST


/*
 * Evidence that the at-most-once guard is needed: with this libcurl, a
 * GET whose reused connection is closed by the server right after it
 * read the request is silently sent again on a new connection.
 */
START_TEST(test_retry_get_is_repeated)
{
    struct bench b;
    struct result r1, r2;

    bench_start(&b, 5);
    b.srv.script[1] = SRV_CLOSE;
    fetch(&b, "GET", b.url, NULL, NULL, 0, 0, &r1);
    bench_run_until(&b, &r1.called);
    ck_assert_int_eq(r1.err, 0);
    fetch(&b, "GET", b.url, NULL, NULL, 0, 0, &r2);
    bench_run_until(&b, &r2.called);
    ck_assert_msg(r2.err == 0, "err %d: %s", r2.err, r2.err_text);
    ck_assert_int_eq(r2.status, 200);
    ck_assert_uint_eq(b.srv.requests, 3);
    ck_assert_uint_eq(b.srv.req[1].conn_no, 1);
    ck_assert_uint_eq(b.srv.req[2].conn_no, 2);
    ck_assert_uint_eq(b.srv.accepts, 2);
    result_free(&r1);
    result_free(&r2);
    bench_end(&b);
}
END_TEST


/*
 * The same race with a POST: the server reads the POST on the reused
 * keep-alive connection and closes it without answering.  The body must
 * reach the server exactly once and the caller gets WSPGW_EIO.
 */
START_TEST(test_post_at_most_once)
{
    struct bench b;
    struct result r1, r2, r3;
    unsigned i, posts = 0;

    bench_start(&b, 5);
    b.srv.script[1] = SRV_CLOSE;
    fetch(&b, "GET", b.url, NULL, NULL, 0, 0, &r1);
    bench_run_until(&b, &r1.called);
    ck_assert_int_eq(r1.err, 0);
    fetch(&b, "POST", b.url, NULL, "send-once", 9, 0, &r2);
    bench_run_until(&b, &r2.called);
    ck_assert_msg(r2.err == WSPGW_EIO, "err %d: %s", r2.err, r2.err_text);
    ck_assert_int_eq(r2.status, 0);

    /* Give a stray retry every chance to show up. */
    bench_nap(&b, 200);
    for (i = 0; i < b.srv.requests; i++) {
        if (strncmp(b.srv.req[i].head, "POST ", 5) == 0) {
            posts++;
            ck_assert_uint_eq(b.srv.req[i].body_len, 9);
        }
    }
    ck_assert_uint_eq(posts, 1);
    ck_assert_uint_eq(b.srv.requests, 2);
    ck_assert_uint_eq(b.srv.accepts, 1);

    /* The client is still usable. */
    fetch(&b, "GET", b.url, NULL, NULL, 0, 0, &r3);
    bench_run_until(&b, &r3.called);
    ck_assert_int_eq(r3.err, 0);
    ck_assert_uint_eq(b.srv.accepts, 2);
    result_free(&r1);
    result_free(&r2);
    result_free(&r3);
    bench_end(&b);
}
END_TEST


/*
 * The retry may also pick another idle pooled connection instead of
 * opening one (so no open-socket call sees it): two connections are
 * pooled, the server closes the one that carries the POST, and the body
 * still reaches the server once.
 */
START_TEST(test_post_at_most_once_pooled)
{
    struct bench b;
    struct result r1, r2, r3;
    unsigned i, posts = 0;

    bench_start(&b, 5);
    b.srv.script[2] = SRV_CLOSE;
    fetch(&b, "GET", b.url, NULL, NULL, 0, 0, &r1);
    fetch(&b, "GET", b.url, NULL, NULL, 0, 0, &r2);
    bench_run_until(&b, &r1.called);
    bench_run_until(&b, &r2.called);
    ck_assert_int_eq(r1.err, 0);
    ck_assert_int_eq(r2.err, 0);
    ck_assert_uint_eq(b.srv.accepts, 2);
    fetch(&b, "POST", b.url, NULL, "send-once", 9, 0, &r3);
    bench_run_until(&b, &r3.called);
    ck_assert_msg(r3.err == WSPGW_EIO, "err %d: %s", r3.err, r3.err_text);
    bench_nap(&b, 200);
    for (i = 0; i < b.srv.requests; i++) {
        if (strncmp(b.srv.req[i].head, "POST ", 5) == 0) {
            posts++;
        }
    }
    ck_assert_uint_eq(posts, 1);
    ck_assert_uint_eq(b.srv.accepts, 2);
    result_free(&r1);
    result_free(&r2);
    result_free(&r3);
    bench_end(&b);
}
END_TEST


START_TEST(test_put_at_most_once)
{
    struct bench b;
    struct result r1, r2;

    bench_start(&b, 5);
    b.srv.script[1] = SRV_CLOSE;
    fetch(&b, "GET", b.url, NULL, NULL, 0, 0, &r1);
    bench_run_until(&b, &r1.called);
    fetch(&b, "PUT", b.url, NULL, NULL, 0, 0, &r2);
    bench_run_until(&b, &r2.called);
    ck_assert_msg(r2.err == WSPGW_EIO, "err %d: %s", r2.err, r2.err_text);
    bench_nap(&b, 200);
    ck_assert_uint_eq(b.srv.requests, 2);
    result_free(&r1);
    result_free(&r2);
    bench_end(&b);
}
END_TEST


START_TEST(test_cancel)
{
    struct bench b;
    struct gw_http_req req;
    struct gw_http_xfer *x1 = NULL, *x2 = NULL;
    char url[128];

    bench_start(&b, 5);
    b.srv.script[0] = SRV_SILENT;
    memset(&req, 0, sizeof(req));
    req.method = "GET";
    req.url = b.url;
    req.done = on_done_never;
    ck_assert_int_eq(gw_http_fetch(b.c, &req, &x1), 0);
    /* A refusal waiting for delivery can be cancelled too. */
    snprintf(url, sizeof(url), "http://localhost:%d/", b.srv.port);
    req.url = url;
    ck_assert_int_eq(gw_http_fetch(b.c, &req, &x2), 0);
    gw_http_cancel(b.c, x2);
    ck_assert_uint_eq(gw_http_active(b.c), 1);
    bench_nap(&b, 100);
    ck_assert_uint_eq(b.srv.requests, 1);
    gw_http_cancel(b.c, x1);
    ck_assert_uint_eq(gw_http_active(b.c), 0);
    bench_nap(&b, 50);
    bench_end(&b);
}
END_TEST


START_TEST(test_close_in_flight)
{
    struct bench b;
    struct gw_http_req req;
    char url[128];

    bench_start(&b, 5);
    b.srv.script[0] = SRV_SILENT;
    memset(&req, 0, sizeof(req));
    req.method = "POST";
    req.url = b.url;
    req.body = (const uint8_t *) "abc";
    req.body_len = 3;
    req.done = on_done_never;
    ck_assert_int_eq(gw_http_fetch(b.c, &req, NULL), 0);
    bench_nap(&b, 100);
    ck_assert_uint_eq(b.srv.requests, 1);
    snprintf(url, sizeof(url), "http://localhost:%d/", b.srv.port);
    req.url = url;
    ck_assert_int_eq(gw_http_fetch(b.c, &req, NULL), 0);
    ck_assert_uint_eq(gw_http_active(b.c), 2);
    gw_http_close(b.c);
    ck_assert_int_eq(gw_http_fetch(b.c, &req, NULL), WSPGW_ECANCELED);
    b.c = NULL;
    bench_end(&b);
}
END_TEST


struct close_ctx {
    struct bench *b;
    int called;
};


static void
on_done_close(void *ctx, struct gw_http_resp *resp)
{
    struct close_ctx *cc = ctx;

    cc->called++;
    wake();
    gw_http_close(cc->b->c);
    cc->b->c = NULL;
}


START_TEST(test_close_from_done)
{
    struct bench b;
    struct gw_http_req req;
    struct close_ctx cc;
    char url[128];

    bench_start(&b, 5);
    b.srv.script[0] = SRV_SILENT;
    memset(&cc, 0, sizeof(cc));
    cc.b = &b;
    memset(&req, 0, sizeof(req));
    req.method = "GET";
    req.url = b.url;
    req.done = on_done_never;
    ck_assert_int_eq(gw_http_fetch(b.c, &req, NULL), 0);
    /* Two refusals queued together: the first one's done closes the
     * client, the second is dropped, the running one is cancelled. */
    snprintf(url, sizeof(url), "http://localhost:%d/", b.srv.port);
    req.url = url;
    req.done = on_done_close;
    req.ctx = &cc;
    ck_assert_int_eq(gw_http_fetch(b.c, &req, NULL), 0);
    ck_assert_int_eq(gw_http_fetch(b.c, &req, NULL), 0);
    bench_run_until(&b, &cc.called);
    bench_nap(&b, 50);
    ck_assert_int_eq(cc.called, 1);
    bench_end(&b);
}
END_TEST


START_TEST(test_oom)
{
    struct bench b;
    struct result r;
    struct wsp_hdrs h;
    long n;
    int rc, ok = 0, enomem = 0;

    bench_start(&b, 5);
    wsp_hdrs_init(&h, 4096);
    hadd(&h, "X-Foo", "bar");
    for (n = 0; n < 200 && !ok; n++) {
        struct gw_http_req req;
        struct gw_http_xfer *x;

        memset(&r, 0, sizeof(r));
        wsp_hdrs_init(&r.headers, 0);
        wspgw_buf_init(&r.body, 0);
        memset(&req, 0, sizeof(req));
        req.method = "POST";
        req.url = b.url;
        req.headers = &h;
        req.body = (const uint8_t *) "body";
        req.body_len = 4;
        req.done = on_done;
        req.ctx = &r;
        wspgw_alloc_fail_after(n);
        rc = gw_http_fetch(b.c, &req, &x);
        if (rc == WSPGW_ENOMEM) {
            wspgw_alloc_fail_after(-1);
            enomem++;
            ck_assert_uint_eq(gw_http_active(b.c), 0);
            continue;
        }
        ck_assert_int_eq(rc, 0);
        r.fetch_returned = 1;
        bench_run_until(&b, &r.called);
        wspgw_alloc_fail_after(-1);
        ck_assert_msg(r.err == 0 || r.err == WSPGW_ENOMEM,
            "n=%ld err %d: %s", n, r.err, r.err_text);
        if (r.err == 0) {
            ok = 1;
        }
        result_free(&r);
    }
    ck_assert(ok);
    ck_assert_int_gt(enomem, 0);
    wspgw_alloc_fail_after(0);
    ck_assert_ptr_null(gw_http_new(&b.loop, &b.allow, 5));
    wspgw_alloc_fail_after(-1);
    wsp_hdrs_free(&h);
    bench_end(&b);
}
END_TEST


/* ---- routing (issue 5): special addresses, proxy -------------------- */


/* Like fetch(), through proxy ("http://127.0.0.1:PORT"); *out gets the
 * transfer. */
static void
fetch_proxy(struct bench *b, const char *url, const char *proxy,
    struct result *r, gw_http_done_fn done, struct gw_http_xfer **out)
{
    struct gw_http_req req;
    struct gw_http_xfer *x = NULL;

    memset(&req, 0, sizeof(req));
    memset(r, 0, sizeof(*r));
    wsp_hdrs_init(&r->headers, 0);
    wspgw_buf_init(&r->body, 0);
    req.method = "GET";
    req.url = url;
    req.proxy = proxy;
    req.max_redirects = fetch_redirects;
    req.done = done;
    req.ctx = r;
    ck_assert_int_eq(gw_http_fetch(b->c, &req, &x), 0);
    ck_assert_ptr_nonnull(x);
    r->fetch_returned = 1;
    if (out != NULL) {
        *out = x;
    }
}


START_TEST(test_name_to_loopback_refused)
{
    static struct gw_allow byname;
    struct bench b;
    struct result r1, r2;
    char url[128];

    bench_start(&b, 5);
    /* localhost:PORT alone: the name passes check 1, but it resolves to
     * loopback and no IP entry names 127.0.0.1:PORT. */
    memset(&byname, 0, sizeof(byname));
    allow_add(&byname, "localhost", b.srv.port);
    gw_http_set_allow(b.c, &byname);
    snprintf(url, sizeof(url), "http://localhost:%d/", b.srv.port);
    fetch(&b, "GET", url, NULL, NULL, 0, 0, &r1);
    bench_run_until(&b, &r1.called);
    ck_assert_int_eq(r1.err, WSPGW_EACCES);
    ck_assert_uint_eq(b.srv.accepts, 0);
    /* Naming the address too allows it. */
    allow_add(&byname, "127.0.0.1", b.srv.port);
    fetch(&b, "GET", url, NULL, NULL, 0, 0, &r2);
    bench_run_until(&b, &r2.called);
    ck_assert_msg(r2.err == 0, "err %d: %s", r2.err, r2.err_text);
    ck_assert_int_eq(r2.status, 200);
    ck_assert_uint_eq(b.srv.accepts, 1);
    result_free(&r1);
    result_free(&r2);
    bench_end(&b);
}
END_TEST


START_TEST(test_proxy_forwards_absolute_form)
{
    struct bench b;
    struct result r;
    char url[128], proxy[64], line[192];
    int target;

    bench_start(&b, 5);
    /* The target is allowed but has no listener: only the proxy (the
     * bench's server) can answer. */
    target = closed_port(&b.loop);
    allow_add(&b.allow, "127.0.0.1", target);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/mms/x/", target);
    snprintf(proxy, sizeof(proxy), "http://127.0.0.1:%d", b.srv.port);
    fetch_proxy(&b, url, proxy, &r, on_done, NULL);
    bench_run_until(&b, &r.called);
    ck_assert_msg(r.err == 0, "err %d: %s", r.err, r.err_text);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(b.srv.requests, 1);
    snprintf(line, sizeof(line), "GET %s HTTP/1.1\r\n", url);
    ck_assert_msg(strncmp(b.srv.req[0].head, line, strlen(line)) == 0,
        "proxy asked: %.80s", b.srv.req[0].head);
    result_free(&r);
    bench_end(&b);
}
END_TEST


START_TEST(test_proxy_refuses_before_asking)
{
    static struct gw_allow byname;
    struct bench b;
    struct result r1, r2;
    char url[128], proxy[64];
    int target;

    bench_start(&b, 5);
    target = closed_port(&b.loop);
    snprintf(proxy, sizeof(proxy), "http://127.0.0.1:%d", b.srv.port);
    /* Not in the allow list at all. */
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/", target);
    fetch_proxy(&b, url, proxy, &r1, on_done, NULL);
    bench_run_until(&b, &r1.called);
    ck_assert_int_eq(r1.err, WSPGW_EACCES);
    /* Allowed by name, resolves to loopback: the gateway's own lookup
     * refuses it. */
    memset(&byname, 0, sizeof(byname));
    allow_add(&byname, "localhost", target);
    gw_http_set_allow(b.c, &byname);
    snprintf(url, sizeof(url), "http://localhost:%d/", target);
    fetch_proxy(&b, url, proxy, &r2, on_done, NULL);
    bench_run_until(&b, &r2.called);
    ck_assert_int_eq(r2.err, WSPGW_EACCES);
    ck_assert_uint_eq(b.srv.accepts, 0);
    ck_assert_uint_eq(gw_http_active(b.c), 0);
    result_free(&r1);
    result_free(&r2);
    bench_end(&b);
}
END_TEST


START_TEST(test_proxy_redirect_hops_checked)
{
    static struct gw_allow a;
    static char reply[256];
    struct bench b;
    struct result r;
    char url[128], proxy[64];
    int target, lh;

    bench_start(&b, 5);
    target = closed_port(&b.loop);
    lh = closed_port(&b.loop);
    memset(&a, 0, sizeof(a));
    allow_add(&a, "127.0.0.1", target);
    allow_add(&a, "localhost", lh);
    gw_http_set_allow(b.c, &a);
    snprintf(proxy, sizeof(proxy), "http://127.0.0.1:%d", b.srv.port);

    /* Hop 1 (allowed) answers 302 to a name that resolves to loopback:
     * hop 2 is refused by the gateway's lookup, the proxy is asked
     * once. */
    snprintf(reply, sizeof(reply), "HTTP/1.1 302 Found\r\nLocation: "
        "http://localhost:%d/next\r\nContent-Length: 0\r\n\r\n", lh);
    srv_set_reply(&b.srv, reply, strlen(reply));
    fetch_redirects = 3;
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/first", target);
    fetch_proxy(&b, url, proxy, &r, on_done, NULL);
    bench_run_until(&b, &r.called);
    fetch_redirects = 0;
    ck_assert_int_eq(r.err, WSPGW_EACCES);
    ck_assert_uint_eq(b.srv.requests, 1);
    result_free(&r);

    /* A 302 to itself: every hop resolved, checked and proxied, until
     * the hop limit hands the 302 over. */
    snprintf(reply, sizeof(reply), "HTTP/1.1 302 Found\r\nLocation: "
        "http://127.0.0.1:%d/again\r\nContent-Length: 0\r\n\r\n", target);
    srv_set_reply(&b.srv, reply, strlen(reply));
    fetch_redirects = 2;
    fetch_proxy(&b, url, proxy, &r, on_done, NULL);
    bench_run_until(&b, &r.called);
    fetch_redirects = 0;
    ck_assert_msg(r.err == 0, "err %d: %s", r.err, r.err_text);
    ck_assert_int_eq(r.status, 302);
    ck_assert_uint_eq(b.srv.requests, 4);
    ck_assert_msg(strstr(b.srv.req[3].head, "/again HTTP/1.1") != NULL,
        "%.80s", b.srv.req[3].head);
    result_free(&r);
    bench_end(&b);
}
END_TEST


START_TEST(test_proxy_cancel_while_resolving)
{
    struct bench b;
    struct result r;
    struct gw_http_xfer *x;
    char url[128], proxy[64];

    bench_start(&b, 5);
    snprintf(url, sizeof(url), "http://localhost:%d/", b.srv.port);
    allow_add(&b.allow, "localhost", b.srv.port);
    snprintf(proxy, sizeof(proxy), "http://127.0.0.1:%d", b.srv.port);
    fetch_proxy(&b, url, proxy, &r, on_done_never, &x);
    ck_assert_uint_eq(gw_http_active(b.c), 1);
    gw_http_cancel(b.c, x);
    ck_assert_uint_eq(gw_http_active(b.c), 0);
    bench_nap(&b, 100);
    ck_assert_uint_eq(b.srv.accepts, 0);
    /* And a second one left pending when the client closes. */
    fetch_proxy(&b, url, proxy, &r, on_done_never, NULL);
    gw_http_close(b.c);
    b.c = NULL;
    bench_end(&b);
}
END_TEST


START_TEST(test_reused_connection_rechecked)
{
    static struct gw_allow a, byname;
    struct bench b;
    struct result r1, r2;
    char url[128];

    bench_start(&b, 5);
    memset(&a, 0, sizeof(a));
    allow_add(&a, "localhost", b.srv.port);
    allow_add(&a, "127.0.0.1", b.srv.port);
    gw_http_set_allow(b.c, &a);
    snprintf(url, sizeof(url), "http://localhost:%d/one", b.srv.port);
    fetch(&b, "GET", url, NULL, NULL, 0, 0, &r1);
    bench_run_until(&b, &r1.called);
    ck_assert_msg(r1.err == 0, "err %d: %s", r1.err, r1.err_text);
    ck_assert_uint_eq(b.srv.requests, 1);
    /* A reload drops the IP entry: the kept-alive connection to
     * 127.0.0.1 must not carry the next request for localhost. */
    memset(&byname, 0, sizeof(byname));
    allow_add(&byname, "localhost", b.srv.port);
    gw_http_set_allow(b.c, &byname);
    snprintf(url, sizeof(url), "http://localhost:%d/two", b.srv.port);
    fetch(&b, "GET", url, NULL, NULL, 0, 0, &r2);
    bench_run_until(&b, &r2.called);
    ck_assert_int_eq(r2.err, WSPGW_EACCES);
    ck_assert_uint_eq(b.srv.requests, 1);
    ck_assert_uint_eq(b.srv.accepts, 1);
    result_free(&r1);
    result_free(&r2);
    bench_end(&b);
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("gateway/http");
    TCase *tc = tcase_create("http");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_get_headers_and_body);
    tcase_add_test(tc, test_get_no_accept_added);
    tcase_add_test(tc, test_post_body_exact);
    tcase_add_test(tc, test_put_delete_head);
    tcase_add_test(tc, test_keepalive_reuse);
    tcase_add_test(tc, test_not_allowed);
    tcase_add_test(tc, test_bad_method);
    tcase_add_test(tc, test_localhost_name);
    tcase_add_test(tc, test_name_to_loopback_refused);
    tcase_add_test(tc, test_proxy_forwards_absolute_form);
    tcase_add_test(tc, test_proxy_refuses_before_asking);
    tcase_add_test(tc, test_proxy_redirect_hops_checked);
    tcase_add_test(tc, test_proxy_cancel_while_resolving);
    tcase_add_test(tc, test_reused_connection_rechecked);
    tcase_add_test(tc, test_set_allow);
    tcase_add_test(tc, test_timeout);
    tcase_add_test(tc, test_connection_refused);
    tcase_add_test(tc, test_too_large_with_length);
    tcase_add_test(tc, test_too_large_chunked);
    tcase_add_test(tc, test_retry_get_is_repeated);
    tcase_add_test(tc, test_post_at_most_once);
    tcase_add_test(tc, test_post_at_most_once_pooled);
    tcase_add_test(tc, test_put_at_most_once);
    tcase_add_test(tc, test_cancel);
    tcase_add_test(tc, test_close_in_flight);
    tcase_add_test(tc, test_close_from_done);
    tcase_add_test(tc, test_oom);
    tcase_add_test(tc, test_redirect_not_followed_by_default);
    tcase_add_test(tc, test_redirect_post_becomes_get_and_hops_capped);
    tcase_add_test(tc, test_redirect_307_repeats_post);
    tcase_add_test(tc, test_redirect_hop_hook);
    tcase_add_test(tc, test_redirect_outside_allow_list);
    suite_add_tcase(s, tc);
    return s;
}


int
main(void)
{
    SRunner *sr = srunner_create(suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
