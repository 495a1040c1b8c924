/*
 * gateway/sendsms.c - the SMS link over HTTP ([smsc] type = http): one
 * GET per SMS to a Kannel-compatible sendsms URL,
 *
 *   http://HOST:PORT/PATH?username=U&password=P&to=DST&from=SRC
 *       &udh=%06%05%04%0B%84%23%F0&text=<payload, %-encoded>&coding=1
 *       [&mclass=1&alt-dcs=1]
 *
 * (Kannel's smsbox sendsms interface: udh is the binary user data
 * header, UDHL included; text the binary payload; coding=1 asks for
 * 8-bit data, so data_coding 0x04; mclass=1 with alt-dcs=1 gives 0xF5.)
 *
 * Outcome: 2xx accepted (Kannel answers 202 "0: Accepted for
 * delivery"); 4xx refused for good; 5xx, a timeout or no connection:
 * try again later.  sendsms has no message ids, so no receipts here.
 *
 * The HTTP client is a private gw_http whose allow list holds only the
 * SMSC's host:port: push content never makes the gateway an open proxy.
 * Window: at most [smsc] window requests at once; throughput: at most
 * [smsc] throughput requests started per second.
 */
#include <stdio.h>
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/log.h"
#include "http.h"
#include "sms_link.h"

#define URL_MAX 2048

struct sendsms;

struct req {
    struct sendsms *l;
    int64_t push;
    unsigned part;
};

struct sendsms {
    struct gw_sms_link base;        /* first */
    uv_loop_t *loop;
    struct gw_http *http;
    struct gw_allow allow;
    char base_url[600];             /* up to and including "&to=" prefix */
    char source[64];
    unsigned window, inflight;
    unsigned throughput;
    uint64_t sec_start;
    unsigned sec_count;
    uv_timer_t timer;
    int timer_open;
    int closing;
};


static const char hexdig[] = "0123456789ABCDEF";


/* Appends %XX for every octet that is not unreserved (RFC 3986). */
static int
put_escaped(char *out, size_t cap, size_t *off, const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        uint8_t c = p[i];

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
            || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'
            || c == '~')
        {
            if (*off + 1 >= cap) {
                return WSPGW_EMSGSIZE;
            }
            out[(*off)++] = (char) c;
        } else {
            if (*off + 3 >= cap) {
                return WSPGW_EMSGSIZE;
            }
            out[(*off)++] = '%';
            out[(*off)++] = hexdig[c >> 4];
            out[(*off)++] = hexdig[c & 15];
        }
    }
    out[*off] = '\0';
    return 0;
}


static int
put_str(char *out, size_t cap, size_t *off, const char *s)
{
    size_t n = strlen(s);

    if (*off + n >= cap) {
        return WSPGW_EMSGSIZE;
    }
    memcpy(out + *off, s, n + 1);
    *off += n;
    return 0;
}


static void
on_done(void *ctx, struct gw_http_resp *resp)
{
    struct req *r = ctx;
    struct sendsms *l = r->l;
    enum gw_sms_result res;
    char detail[128];

    l->inflight--;
    if (resp->err != 0) {
        res = GW_SMS_TEMP;
        snprintf(detail, sizeof(detail), "sendsms: %s", resp->err_text != NULL
            ? resp->err_text : wspgw_strerror(resp->err));
    } else if (resp->status >= 200 && resp->status < 300) {
        res = GW_SMS_OK;
        snprintf(detail, sizeof(detail), "sendsms: %d", resp->status);
    } else {
        res = resp->status >= 400 && resp->status < 500 ? GW_SMS_PERM
            : GW_SMS_TEMP;
        snprintf(detail, sizeof(detail), "sendsms: HTTP %d", resp->status);
    }
    if (res == GW_SMS_OK) {
        l->base.stats.accepted++;
    } else if (res == GW_SMS_TEMP) {
        l->base.stats.temp_errors++;
    } else {
        l->base.stats.perm_errors++;
    }
    if (!l->closing) {
        l->base.cb.done(l->base.cb.ctx, r->push, r->part, res, "", detail);
        if (l->base.cb.ready != NULL) {
            l->base.cb.ready(l->base.cb.ctx);
        }
    }
    wspgw_free(r);
}


static unsigned
room(struct gw_sms_link *base)
{
    struct sendsms *l = (struct sendsms *) base;
    uint64_t now = uv_now(l->loop);
    unsigned r;

    if (l->closing || l->inflight >= l->window) {
        return 0;
    }
    if (now - l->sec_start >= 1000) {
        l->sec_start = now;
        l->sec_count = 0;
    }
    r = l->window - l->inflight;
    if (l->throughput > 0) {
        unsigned left = l->sec_count < l->throughput
            ? l->throughput - l->sec_count : 0;

        r = r < left ? r : left;
    }
    return r;
}


static int
submit(struct gw_sms_link *base, const struct gw_sms_out *m)
{
    struct sendsms *l = (struct sendsms *) base;
    struct gw_http_req hr;
    struct req *r;
    char *url;
    size_t off = 0, udhl;
    int rc;

    if (room(base) == 0) {
        return WSPGW_EBUSY;
    }
    if (m->len == 0 || (size_t) m->ud[0] + 1 > m->len) {
        return WSPGW_EINVAL;
    }
    udhl = (size_t) m->ud[0] + 1;
    url = wspgw_malloc(URL_MAX);
    r = wspgw_malloc(sizeof(*r));
    if (url == NULL || r == NULL) {
        wspgw_free(url);
        wspgw_free(r);
        return WSPGW_ENOMEM;
    }
    rc = put_str(url, URL_MAX, &off, l->base_url);
    if (rc == 0) {
        rc = put_escaped(url, URL_MAX, &off, (const uint8_t *) m->dst,
            strlen(m->dst));
    }
    if (rc == 0 && l->source[0] != '\0') {
        rc = put_str(url, URL_MAX, &off, "&from=");
        if (rc == 0) {
            rc = put_escaped(url, URL_MAX, &off,
                (const uint8_t *) l->source, strlen(l->source));
        }
    }
    if (rc == 0) {
        rc = put_str(url, URL_MAX, &off, "&udh=");
    }
    if (rc == 0) {
        rc = put_escaped(url, URL_MAX, &off, m->ud, udhl);
    }
    if (rc == 0) {
        rc = put_str(url, URL_MAX, &off, "&text=");
    }
    if (rc == 0) {
        rc = put_escaped(url, URL_MAX, &off, m->ud + udhl, m->len - udhl);
    }
    if (rc != 0) {
        wspgw_free(url);
        wspgw_free(r);
        return WSPGW_EINVAL;
    }
    r->l = l;
    r->push = m->push;
    r->part = m->part;
    memset(&hr, 0, sizeof(hr));
    hr.method = "GET";
    hr.url = url;
    hr.max_response = 4096;
    hr.done = on_done;
    hr.ctx = r;
    rc = gw_http_fetch(l->http, &hr, NULL);
    wspgw_free(url);
    if (rc != 0) {
        wspgw_free(r);
        return rc;
    }
    l->inflight++;
    l->sec_count++;
    l->base.stats.submitted++;
    return 0;
}


static void
on_timer_close(uv_handle_t *h)
{
    struct sendsms *l = h->data;

    wspgw_free(l);
}


static void
on_tick(uv_timer_t *t)
{
    struct sendsms *l = t->data;

    /* A new second may have room again. */
    if (l->base.cb.ready != NULL && room(&l->base) > 0) {
        l->base.cb.ready(l->base.cb.ctx);
    }
}


static void
close_link(struct gw_sms_link *base)
{
    struct sendsms *l = (struct sendsms *) base;

    l->closing = 1;
    gw_http_close(l->http);
    l->http = NULL;
    uv_close((uv_handle_t *) &l->timer, on_timer_close);
}


static const struct gw_sms_link_ops sendsms_ops = { room, submit, close_link };


struct gw_sms_link *
gw_sendsms_link_new(uv_loop_t *loop, const struct gw_config *cfg,
    const struct gw_sms_cb *cb)
{
    struct sendsms *l = wspgw_calloc(1, sizeof(*l));
    struct gw_allow_entry e;
    const char *why = NULL;
    char hp[300];
    size_t off = 0;
    int v6 = strchr(cfg->smsc_host, ':') != NULL;
    int rc;

    if (l == NULL) {
        return NULL;
    }
    l->base.ops = &sendsms_ops;
    l->base.cb = *cb;
    l->loop = loop;
    l->window = cfg->smsc_window;
    l->throughput = cfg->smsc_throughput;
    snprintf(l->source, sizeof(l->source), "%s", cfg->smsc_source_addr);
    snprintf(hp, sizeof(hp), v6 ? "[%s]:%u" : "%s:%u", cfg->smsc_host,
        cfg->smsc_port);
    if (gw_allow_parse_entry(hp, &e, &why) != 0
        || gw_allow_add(&l->allow, &e) != 0)
    {
        wspgw_log(WSPGW_LOG_ERROR, WSPGW_SUB_SMS, "sendsms: bad SMSC "
            "address %s: %s", hp, why != NULL ? why : "");
        wspgw_free(l);
        return NULL;
    }
    rc = put_str(l->base_url, sizeof(l->base_url), &off, "http://");
    if (rc == 0) {
        rc = put_str(l->base_url, sizeof(l->base_url), &off, hp);
    }
    if (rc == 0) {
        rc = put_str(l->base_url, sizeof(l->base_url), &off,
            cfg->smsc_path);
    }
    if (rc == 0) {
        rc = put_str(l->base_url, sizeof(l->base_url), &off, "?username=");
    }
    if (rc == 0) {
        rc = put_escaped(l->base_url, sizeof(l->base_url), &off,
            (const uint8_t *) cfg->smsc_system_id,
            strlen(cfg->smsc_system_id));
    }
    if (rc == 0) {
        rc = put_str(l->base_url, sizeof(l->base_url), &off, "&password=");
    }
    if (rc == 0) {
        rc = put_escaped(l->base_url, sizeof(l->base_url), &off,
            (const uint8_t *) cfg->smsc_password,
            strlen(cfg->smsc_password));
    }
    if (rc == 0) {
        rc = put_str(l->base_url, sizeof(l->base_url), &off,
            cfg->smsc_data_coding == 0xf5
            ? "&coding=1&mclass=1&alt-dcs=1&to=" : "&coding=1&to=");
    }
    l->http = rc == 0 ? gw_http_new(loop, &l->allow,
        cfg->smsc_response_timeout_s) : NULL;
    if (l->http == NULL) {
        wspgw_free(l);
        return NULL;
    }
    uv_timer_init(loop, &l->timer);
    l->timer.data = l;
    l->timer_open = 1;
    uv_timer_start(&l->timer, on_tick, 100, 100);
    return &l->base;
}
