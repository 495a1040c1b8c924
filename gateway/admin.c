/*
 * gateway/admin.c - the admin HTTP listener (see admin.h).
 *
 * Each connection owns a uv_tcp_t, a uv_timer_t (request deadline) and
 * an http_parser; the struct is freed when both handles have closed.
 */
#include <stdio.h>
#include <string.h>

#include <http_parser.h>

#include "wspgw/alloc.h"
#include "wspgw/log.h"
#include "admin.h"
#include "gw.h"

#define ADMIN_MAX_CONNS 64
#define ADMIN_HEAD_MAX 8192
#define ADMIN_TIMEOUT_MS 10000
#define ADMIN_METRICS_MAX (256 * 1024)

struct admin_conn {
    uv_tcp_t tcp;
    uv_timer_t timer;
    uv_write_t wreq;
    struct gw_admin *admin;
    struct admin_conn *next;
    http_parser parser;
    char url[512];
    size_t url_len;
    size_t head_seen;
    int url_too_long;
    int responded;
    int open_handles;
    char rbuf[2048];
    char *resp;
};

struct gw_admin {
    struct gw *g;
    uv_tcp_t listener;
    struct admin_conn *conns;
    unsigned n_conns;
    int closing;
    int listener_open;
};

static http_parser_settings settings;


static void
admin_maybe_free(struct gw_admin *a)
{
    if (a->closing && !a->listener_open && a->conns == NULL) {
        wspgw_free(a);
    }
}


static void
conn_handle_closed(uv_handle_t *h)
{
    struct admin_conn *c = h->data;
    struct gw_admin *a = c->admin;
    struct admin_conn **pp;

    if (--c->open_handles > 0) {
        return;
    }
    for (pp = &a->conns; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == c) {
            *pp = c->next;
            break;
        }
    }
    a->n_conns--;
    wspgw_free(c->resp);
    wspgw_free(c);
    admin_maybe_free(a);
}


static void
conn_close(struct admin_conn *c)
{
    if (!uv_is_closing((uv_handle_t *) &c->tcp)) {
        uv_close((uv_handle_t *) &c->tcp, conn_handle_closed);
    }
    if (!uv_is_closing((uv_handle_t *) &c->timer)) {
        uv_close((uv_handle_t *) &c->timer, conn_handle_closed);
    }
}


static void
write_done(uv_write_t *req, int status)
{
    struct admin_conn *c = req->data;

    conn_close(c);
}


static void
respond(struct admin_conn *c, int status, const char *reason,
    const char *body)
{
    size_t blen = strlen(body), cap = blen + 256;
    uv_buf_t buf;
    int n;

    if (c->responded) {
        return;
    }
    c->responded = 1;
    uv_read_stop((uv_stream_t *) &c->tcp);
    c->resp = wspgw_malloc(cap);
    if (c->resp == NULL) {
        conn_close(c);
        return;
    }
    n = snprintf(c->resp, cap, "HTTP/1.1 %d %s\r\nContent-Type: text/plain"
        "\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s", status,
        reason, blen, body);
    buf = uv_buf_init(c->resp, (unsigned) n);
    c->wreq.data = c;
    if (uv_write(&c->wreq, (uv_stream_t *) &c->tcp, &buf, 1, write_done)
        != 0)
    {
        conn_close(c);
    }
}


/*
 * Prometheus text exposition (version 0.0.4) of struct gw_stats: one
 * counter per row of GW_STATS_MAP, plus the bearer's own counters.
 */
static void
respond_metrics(struct admin_conn *c)
{
    const struct gw_stats *st = &c->admin->g->stats;
    struct wspgw_buf b;
    char line[256];
    int n, rc = 0;

    wspgw_buf_init(&b, ADMIN_METRICS_MAX);
#define XX(field, name, help)                                               \
    if (rc == 0) {                                                          \
        n = snprintf(line, sizeof(line), "# HELP %s %s\n# TYPE %s counter\n" \
            "%s %llu\n", name, help, name, name,                            \
            (unsigned long long) st->field);                                \
        rc = wspgw_buf_append(&b, line, (size_t) n);                        \
    }
    GW_STATS_MAP(XX)
#undef XX
    if (rc == 0) {
        rc = wspgw_buf_append(&b, "", 1);
    }
    if (rc != 0) {
        respond(c, 500, "Internal Server Error", "metrics too large\n");
    } else {
        respond(c, 200, "OK", (const char *) b.data);
    }
    wspgw_buf_free(&b);
}


static int
on_url(http_parser *p, const char *at, size_t len)
{
    struct admin_conn *c = p->data;

    if (c->url_len + len >= sizeof(c->url)) {
        c->url_too_long = 1;
        return 0;
    }
    memcpy(c->url + c->url_len, at, len);
    c->url_len += len;
    c->url[c->url_len] = '\0';
    return 0;
}


static int
on_message_complete(http_parser *p)
{
    struct admin_conn *c = p->data;

    if (c->url_too_long) {
        respond(c, 414, "URI Too Long", "URI too long\n");
    } else if (p->method != HTTP_GET && p->method != HTTP_HEAD) {
        respond(c, 405, "Method Not Allowed", "only GET\n");
    } else if (strcmp(c->url, "/health") == 0) {
        respond(c, 200, "OK", "ok\n");
    } else if (strcmp(c->url, "/metrics") == 0) {
        respond_metrics(c);
    } else {
        respond(c, 404, "Not Found", "not found; try /health or /metrics\n");
    }
    return 1;   /* one request per connection */
}


static void
conn_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    struct admin_conn *c = h->data;

    buf->base = c->rbuf;
    buf->len = sizeof(c->rbuf);
}


static void
conn_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    struct admin_conn *c = s->data;
    size_t done;

    if (nread < 0) {
        conn_close(c);
        return;
    }
    if (nread == 0 || c->responded) {
        return;
    }
    c->head_seen += (size_t) nread;
    done = http_parser_execute(&c->parser, &settings, buf->base,
        (size_t) nread);
    if (c->responded) {
        return;
    }
    if (HTTP_PARSER_ERRNO(&c->parser) != HPE_OK || done != (size_t) nread) {
        respond(c, 400, "Bad Request", "bad request\n");
    } else if (c->head_seen > ADMIN_HEAD_MAX) {
        respond(c, 431, "Request Header Fields Too Large", "too large\n");
    }
}


static void
conn_timeout(uv_timer_t *t)
{
    struct admin_conn *c = t->data;

    conn_close(c);
}


static void
on_connection(uv_stream_t *server, int status)
{
    struct gw_admin *a = server->data;
    struct admin_conn *c;

    if (status != 0) {
        return;
    }
    c = wspgw_calloc(1, sizeof(*c));
    if (c == NULL) {
        return;
    }
    c->admin = a;
    uv_tcp_init(a->g->loop, &c->tcp);
    uv_timer_init(a->g->loop, &c->timer);
    c->tcp.data = c;
    c->timer.data = c;
    c->open_handles = 2;
    c->next = a->conns;
    a->conns = c;
    a->n_conns++;
    if (uv_accept(server, (uv_stream_t *) &c->tcp) != 0
        || a->n_conns > ADMIN_MAX_CONNS)
    {
        conn_close(c);
        return;
    }
    http_parser_init(&c->parser, HTTP_REQUEST);
    c->parser.data = c;
    uv_timer_start(&c->timer, conn_timeout, ADMIN_TIMEOUT_MS, 0);
    uv_read_start((uv_stream_t *) &c->tcp, conn_alloc, conn_read);
}


static void
listener_closed(uv_handle_t *h)
{
    struct gw_admin *a = h->data;

    a->listener_open = 0;
    admin_maybe_free(a);
}


int
gw_admin_open(struct gw_admin **out, struct gw *g, char *err, size_t errlen)
{
    struct gw_admin *a;
    int rc;

    *out = NULL;
    memset(&settings, 0, sizeof(settings));
    settings.on_url = on_url;
    settings.on_message_complete = on_message_complete;
    a = wspgw_calloc(1, sizeof(*a));
    if (a == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    a->g = g;
    uv_tcp_init(g->loop, &a->listener);
    a->listener.data = a;
    a->listener_open = 1;
    rc = uv_tcp_bind(&a->listener, (struct sockaddr *) &g->cfg->admin_addr,
        0);
    if (rc == 0) {
        rc = uv_listen((uv_stream_t *) &a->listener, 64, on_connection);
    }
    if (rc != 0) {
        snprintf(err, errlen, "cannot listen on admin %s: %s",
            g->cfg->admin_listen, uv_strerror(rc));
        a->closing = 1;
        uv_close((uv_handle_t *) &a->listener, listener_closed);
        return -1;
    }
    wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_ADMIN, "admin HTTP on %s",
        g->cfg->admin_listen);
    *out = a;
    return 0;
}


void
gw_admin_close(struct gw_admin *a)
{
    struct admin_conn *c;

    if (a == NULL) {
        return;
    }
    a->closing = 1;
    for (c = a->conns; c != NULL; c = c->next) {
        conn_close(c);
    }
    uv_close((uv_handle_t *) &a->listener, listener_closed);
}
