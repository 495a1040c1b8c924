/*
 * gateway/smpp.c - the SMPP 3.4 client (ESME) on the libuv loop: one TCP
 * connection to [smsc] host:port, bound as transmitter or transceiver.
 *
 * Spec: SMPP v3.4 (1999-10-12) 2.3 (session states), 2.8 (windowing),
 * 4.1 (bind), 4.4 (submit_sm), 4.6 (deliver_sm), 4.11 (enquire_link),
 * 5.1.3 (command_status).  PDUs: smpp_pdu.c.
 *
 *   DOWN --tick, reconnect time--> RESOLVING --> CONNECTING --> BINDING
 *     ^                                                          |
 *     |  any error, unbind from the SMSC, a request unanswered   | resp 0
 *     +--- for response-timeout (SMS in flight: GW_SMS_TEMP) <-- BOUND
 *
 * Reconnects back off 1 s, 2 s, 4 s ... up to [smsc] reconnect-max, and
 * start again from 1 s after a successful bind.
 *
 * Window: at most [smsc] window submit_sm without their response (one
 * slot each, found by sequence number).  Throughput: a token bucket of
 * [smsc] throughput tokens per second (burst one second); an
 * ESME_RTHROTTLED answer empties it, so the next second starts slowly.
 *
 * Every SMS in flight when the connection drops is reported GW_SMS_TEMP
 * ("connection lost"): the SMSC may or may not have it, and sending it
 * again is the only way not to lose it (the engine does; this is the
 * window's worth of possible duplicates the issue allows).
 *
 * One uv_timer ticks every 100 ms while the link lives: reconnects,
 * timeouts, enquire_link, token refill.  Reading: all whole PDUs in a
 * read are handled between cb.batch(1) and cb.batch(0).
 *
 * Memory: the read buffer is fixed (two maximal PDUs); each write owns
 * one allocation freed in its callback; the link is freed when the
 * timer, the socket, a pending resolve/connect and all writes are done.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/log.h"
#include "pushq.h"
#include "sms_link.h"
#include "smpp_pdu.h"

#define TICK_MS 100
#define SUBMIT_MAX 512      /* one submit_sm: header + fields + 254 */

enum smpp_state {
    ST_DOWN,
    ST_RESOLVING,
    ST_CONNECTING,
    ST_BINDING,
    ST_BOUND
};

struct slot {
    int used;
    uint32_t seq;
    int64_t push;
    unsigned part;
    uint64_t sent_ms;
};

struct wreq {
    uv_write_t req;
    struct smpp *s;
    size_t len;
    uint8_t data[];
};

struct smpp {
    struct gw_sms_link base;        /* first: gw_sms_link * is a smpp * */
    uv_loop_t *loop;
    /* Configuration (copied). */
    char host[256];
    unsigned port;
    struct gw_smpp_bind bind;
    char system_id[16], password[9], system_type[13];
    char source[21];
    uint8_t src_ton, src_npi;
    unsigned window;
    unsigned throughput;
    uint64_t enquire_ms, timeout_ms, reconnect_max_ms;
    uint8_t data_coding;
    int receipts;

    enum smpp_state state;
    uv_timer_t timer;
    uv_tcp_t tcp;
    uv_connect_t creq;
    uv_getaddrinfo_t gai;
    int tcp_open;                   /* tcp initialised, not yet closed */
    int gai_pending, connect_pending, timer_open;
    unsigned writes_pending;
    int closing;
    int in_read;                    /* handling a read: no free */

    uint8_t rbuf[2 * GW_SMPP_PDU_MAX];
    size_t rlen;

    struct slot *slots;
    unsigned inflight;
    uint32_t seq;
    uint32_t bind_seq;
    uint64_t bind_sent_ms;
    uint32_t el_seq;
    uint64_t el_sent_ms;            /* 0: no enquire_link outstanding */
    uint64_t last_tx_ms;
    uint64_t reconnect_at;
    uint64_t backoff_ms;
    double tokens;
    uint64_t tokens_ms;
    int was_full;                   /* room was 0: call ready when not */
};

static void drop(struct smpp *s, const char *why);
static void maybe_free(struct smpp *s);


static uint32_t
next_seq(struct smpp *s)
{
    s->seq = s->seq >= 0x7fffffffu ? 1 : s->seq + 1;
    return s->seq;
}


static void
on_write(uv_write_t *req, int status)
{
    struct wreq *w = req->data;
    struct smpp *s = w->s;

    s->writes_pending--;
    wspgw_free(w);
    if (status < 0 && status != UV_ECANCELED && !s->closing
        && s->state != ST_DOWN)
    {
        drop(s, uv_strerror(status));
    }
    maybe_free(s);
}


/* Queues one PDU on the connection.  0 or a WSPGW_E* code. */
static int
send_pdu(struct smpp *s, const uint8_t *pdu, size_t len)
{
    struct wreq *w;
    uv_buf_t b;
    int rc;

    if (!s->tcp_open || s->state == ST_DOWN) {
        return WSPGW_EIO;
    }
    w = wspgw_malloc(sizeof(*w) + len);
    if (w == NULL) {
        return WSPGW_ENOMEM;
    }
    w->s = s;
    w->len = len;
    memcpy(w->data, pdu, len);
    w->req.data = w;
    b = uv_buf_init((char *) w->data, (unsigned) len);
    rc = uv_write(&w->req, (uv_stream_t *) &s->tcp, &b, 1, on_write);
    if (rc != 0) {
        wspgw_free(w);
        return WSPGW_EIO;
    }
    s->writes_pending++;
    s->last_tx_ms = uv_now(s->loop);
    return 0;
}


static void
send_header(struct smpp *s, uint32_t id, uint32_t status, uint32_t seq)
{
    uint8_t pdu[GW_SMPP_HDR];
    int n = gw_smpp_build_header(pdu, sizeof(pdu), id, status, seq);

    if (n > 0) {
        (void) send_pdu(s, pdu, (size_t) n);
    }
}


static void
on_tcp_close(uv_handle_t *h)
{
    struct smpp *s = h->data;

    s->tcp_open = 0;
    maybe_free(s);
}


static void
on_timer_close(uv_handle_t *h)
{
    struct smpp *s = h->data;

    s->timer_open = 0;
    maybe_free(s);
}


static void
maybe_free(struct smpp *s)
{
    if (s->closing && !s->in_read && !s->tcp_open && !s->timer_open
        && !s->gai_pending && !s->connect_pending && s->writes_pending == 0)
    {
        wspgw_free(s->slots);
        wspgw_free(s);
    }
}


/*
 * Ends the connection: every SMS in flight is reported GW_SMS_TEMP, and
 * a reconnect is scheduled after the current backoff.
 */
static void
drop(struct smpp *s, const char *why)
{
    unsigned i;
    uint64_t now = uv_now(s->loop);

    if (s->state == ST_BOUND || s->state == ST_BINDING) {
        s->base.stats.disconnects++;
    }
    wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_SMS, "smpp %s:%u: %s; %u SMS in "
        "flight will be sent again; reconnecting in %llu ms", s->host,
        s->port, why, s->inflight, (unsigned long long) s->backoff_ms);
    s->state = ST_DOWN;
    if (s->tcp_open && !uv_is_closing((uv_handle_t *) &s->tcp)) {
        uv_read_stop((uv_stream_t *) &s->tcp);
        uv_close((uv_handle_t *) &s->tcp, on_tcp_close);
    }
    s->rlen = 0;
    s->el_sent_ms = 0;
    s->reconnect_at = now + s->backoff_ms;
    s->backoff_ms = s->backoff_ms * 2 > s->reconnect_max_ms
        ? s->reconnect_max_ms : s->backoff_ms * 2;
    if (s->inflight > 0 && !s->closing) {
        if (s->base.cb.batch != NULL) {
            s->base.cb.batch(s->base.cb.ctx, 1);
        }
        for (i = 0; i < s->window; i++) {
            if (s->slots[i].used) {
                s->slots[i].used = 0;
                s->base.stats.temp_errors++;
                s->base.cb.done(s->base.cb.ctx, s->slots[i].push,
                    s->slots[i].part, GW_SMS_TEMP, "", "connection lost");
            }
        }
        if (s->base.cb.batch != NULL) {
            s->base.cb.batch(s->base.cb.ctx, 0);
        }
    }
    s->inflight = 0;
}


static struct slot *
find_slot(struct smpp *s, uint32_t seq)
{
    unsigned i;

    for (i = 0; i < s->window; i++) {
        if (s->slots[i].used && s->slots[i].seq == seq) {
            return &s->slots[i];
        }
    }
    return NULL;
}


static void
on_submit_resp(struct smpp *s, const struct gw_smpp_hdr *h,
    const uint8_t *pdu, size_t len)
{
    struct slot *sl = find_slot(s, h->seq);
    char msg_id[66];
    int64_t push;
    unsigned part;

    if (sl == NULL) {
        wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_SMS, "smpp %s:%u: response "
            "for unknown sequence number %u ignored", s->host, s->port,
            (unsigned) h->seq);
        return;
    }
    push = sl->push;
    part = sl->part;
    sl->used = 0;
    s->inflight--;
    if (h->status == 0) {
        if (gw_smpp_read_cstr_body(pdu, len, msg_id, sizeof(msg_id)) != 0) {
            msg_id[0] = '\0';
        }
        s->base.stats.accepted++;
        s->base.cb.done(s->base.cb.ctx, push, part, GW_SMS_OK, msg_id,
            "accepted");
        return;
    }
    if (h->status == 0x58) {            /* ESME_RTHROTTLED */
        s->tokens = 0;
        s->tokens_ms = uv_now(s->loop);
    }
    if (gw_smpp_status_temporary(h->status)) {
        s->base.stats.temp_errors++;
        s->base.cb.done(s->base.cb.ctx, push, part, GW_SMS_TEMP, "",
            gw_smpp_status_name(h->status));
    } else {
        s->base.stats.perm_errors++;
        s->base.cb.done(s->base.cb.ctx, push, part, GW_SMS_PERM, "",
            gw_smpp_status_name(h->status));
    }
}


static void
on_deliver(struct smpp *s, const struct gw_smpp_hdr *h, const uint8_t *pdu,
    size_t len)
{
    struct gw_smpp_deliver d;
    uint8_t resp[64];
    char sample[64];
    int n, rc;

    rc = gw_smpp_read_deliver(pdu, len, &d);
    n = gw_smpp_build_deliver_resp(resp, sizeof(resp),
        rc == 0 ? 0 : 0x01 /* ESME_RINVMSGLEN */, h->seq);
    if (n > 0) {
        (void) send_pdu(s, resp, (size_t) n);
    }
    if (rc != 0) {
        wspgw_hex_sample(sample, sizeof(sample), pdu, len, 16);
        wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_SMS, "smpp %s:%u: malformed "
            "deliver_sm (%s): %s", s->host, s->port, wspgw_strerror(rc),
            sample);
        return;
    }
    if (!d.is_receipt) {
        wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_SMS, "smpp %s:%u: an SMS from "
            "%s that is not a receipt, acknowledged and dropped", s->host,
            s->port, d.source);
        return;
    }
    s->base.stats.receipts++;
    switch (d.message_state) {
    case GW_SMPP_STATE_DELIVERED:
        s->base.cb.receipt(s->base.cb.ctx, d.msg_id, 1, GW_PUSH_DELIVERED,
            "delivered (SMSC receipt)");
        break;
    case GW_SMPP_STATE_EXPIRED:
        s->base.cb.receipt(s->base.cb.ctx, d.msg_id, 0, GW_PUSH_EXPIRED,
            "expired at the SMSC (receipt)");
        break;
    case GW_SMPP_STATE_DELETED:
    case GW_SMPP_STATE_UNDELIVERABLE:
    case GW_SMPP_STATE_REJECTED:
        s->base.cb.receipt(s->base.cb.ctx, d.msg_id, 0, GW_PUSH_FAILED,
            "undeliverable (SMSC receipt)");
        break;
    default:
        /* ENROUTE, ACCEPTED, UNKNOWN: not an outcome yet. */
        break;
    }
}


static void
handle_pdu(struct smpp *s, const uint8_t *pdu, size_t len)
{
    struct gw_smpp_hdr h;
    struct slot *sl;

    gw_smpp_hdr_read(pdu, &h);
    switch (h.id) {
    case GW_SMPP_BIND_TX | GW_SMPP_RESP:
    case GW_SMPP_BIND_TRX | GW_SMPP_RESP:
        if (s->state != ST_BINDING || h.seq != s->bind_seq) {
            return;
        }
        if (h.status != 0) {
            char why[96];

            snprintf(why, sizeof(why), "bind refused: %s",
                gw_smpp_status_name(h.status));
            drop(s, why);
            return;
        }
        s->state = ST_BOUND;
        s->backoff_ms = 1000;
        s->base.stats.connects++;
        s->tokens = s->throughput > 0 ? (double) s->throughput : 0;
        s->tokens_ms = uv_now(s->loop);
        wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_SMS, "smpp %s:%u: bound as %s "
            "(system_id %s)", s->host, s->port, s->bind.transceiver
            ? "transceiver" : "transmitter", s->system_id);
        if (s->base.cb.ready != NULL) {
            s->base.cb.ready(s->base.cb.ctx);
        }
        return;
    case GW_SMPP_SUBMIT_SM | GW_SMPP_RESP:
        on_submit_resp(s, &h, pdu, len);
        return;
    case GW_SMPP_DELIVER_SM:
        on_deliver(s, &h, pdu, len);
        return;
    case GW_SMPP_ENQUIRE_LINK:
        send_header(s, GW_SMPP_ENQUIRE_LINK | GW_SMPP_RESP, 0, h.seq);
        return;
    case GW_SMPP_ENQUIRE_LINK | GW_SMPP_RESP:
        if (h.seq == s->el_seq) {
            s->el_sent_ms = 0;
        }
        return;
    case GW_SMPP_UNBIND:
        send_header(s, GW_SMPP_UNBIND | GW_SMPP_RESP, 0, h.seq);
        drop(s, "the SMSC unbound");
        return;
    case GW_SMPP_UNBIND | GW_SMPP_RESP:
        return;
    case GW_SMPP_GENERIC_NACK:
        if (s->state == ST_BINDING && h.seq == s->bind_seq) {
            drop(s, "bind answered with generic_nack");
            return;
        }
        sl = find_slot(s, h.seq);
        if (sl != NULL) {
            /* The SMSC could not even read the submit_sm: treated as a
             * temporary failure (it is our PDU, not the push). */
            h.status = h.status != 0 ? h.status : 0xff;
            h.id = GW_SMPP_SUBMIT_SM | GW_SMPP_RESP;
            on_submit_resp(s, &h, pdu, GW_SMPP_HDR);
        }
        return;
    default:
        if ((h.id & GW_SMPP_RESP) == 0) {
            send_header(s, GW_SMPP_GENERIC_NACK, 0x03 /* ESME_RINVCMDID */,
                h.seq);
        }
        return;
    }
}


static void
on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    struct smpp *s = h->data;

    (void) suggested;
    *buf = uv_buf_init((char *) s->rbuf + s->rlen,
        (unsigned) (sizeof(s->rbuf) - s->rlen));
}


static void
on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
    struct smpp *s = st->data;
    size_t off = 0;

    (void) buf;
    if (nread == 0) {
        return;
    }
    if (nread < 0) {
        drop(s, nread == UV_EOF ? "the SMSC closed the connection"
            : uv_strerror((int) nread));
        return;
    }
    s->rlen += (size_t) nread;
    s->in_read = 1;
    if (s->base.cb.batch != NULL) {
        s->base.cb.batch(s->base.cb.ctx, 1);
    }
    while (s->state != ST_DOWN) {
        int n = gw_smpp_frame(s->rbuf + off, s->rlen - off);

        if (n < 0) {
            drop(s, "bad command_length from the SMSC");
            break;
        }
        if (n == 0) {
            break;
        }
        handle_pdu(s, s->rbuf + off, (size_t) n);
        off += (size_t) n;
    }
    if (s->state != ST_DOWN && off > 0) {
        memmove(s->rbuf, s->rbuf + off, s->rlen - off);
        s->rlen -= off;
    }
    if (s->base.cb.batch != NULL) {
        s->base.cb.batch(s->base.cb.ctx, 0);
    }
    s->in_read = 0;
    if (s->state == ST_BOUND && s->base.cb.ready != NULL) {
        s->base.cb.ready(s->base.cb.ctx);
    }
    maybe_free(s);
}


static void
on_connect(uv_connect_t *req, int status)
{
    struct smpp *s = req->data;
    uint8_t pdu[128];
    int n;

    s->connect_pending = 0;
    if (s->closing) {
        maybe_free(s);
        return;
    }
    if (status < 0) {
        drop(s, uv_strerror(status));
        return;
    }
    s->state = ST_BINDING;
    uv_tcp_nodelay(&s->tcp, 1);
    uv_read_start((uv_stream_t *) &s->tcp, on_alloc, on_read);
    s->bind_seq = next_seq(s);
    n = gw_smpp_build_bind(pdu, sizeof(pdu), s->bind_seq, &s->bind);
    if (n < 0 || send_pdu(s, pdu, (size_t) n) != 0) {
        drop(s, "cannot send the bind");
        return;
    }
    s->bind_sent_ms = uv_now(s->loop);
}


static void
on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
    struct smpp *s = req->data;

    s->gai_pending = 0;
    if (s->closing) {
        uv_freeaddrinfo(res);
        maybe_free(s);
        return;
    }
    if (status < 0 || res == NULL) {
        uv_freeaddrinfo(res);
        drop(s, status < 0 ? uv_strerror(status) : "no address");
        return;
    }
    uv_tcp_init(s->loop, &s->tcp);
    s->tcp.data = s;
    s->tcp_open = 1;
    s->creq.data = s;
    s->state = ST_CONNECTING;
    if (uv_tcp_connect(&s->creq, &s->tcp, res->ai_addr, on_connect) != 0) {
        uv_freeaddrinfo(res);
        drop(s, "cannot connect");
        return;
    }
    s->connect_pending = 1;
    uv_freeaddrinfo(res);
}


static void
start_connect(struct smpp *s)
{
    struct addrinfo hints;
    char port[8];

    if (s->tcp_open) {
        return;                 /* the old socket is still closing */
    }
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    snprintf(port, sizeof(port), "%u", s->port);
    s->gai.data = s;
    s->state = ST_RESOLVING;
    if (uv_getaddrinfo(s->loop, &s->gai, on_resolved, s->host, port,
        &hints) != 0)
    {
        drop(s, "cannot resolve the SMSC host");
        return;
    }
    s->gai_pending = 1;
}


static unsigned
room_now(struct smpp *s)
{
    unsigned r;

    if (s->state != ST_BOUND || s->inflight >= s->window) {
        return 0;
    }
    r = s->window - s->inflight;
    if (s->throughput > 0 && (double) r > s->tokens) {
        r = (unsigned) s->tokens;
    }
    return r;
}


static void
on_tick(uv_timer_t *t)
{
    struct smpp *s = t->data;
    uint64_t now = uv_now(s->loop);
    unsigned i;

    if (s->throughput > 0) {
        s->tokens += (double) (now - s->tokens_ms) * s->throughput / 1000.0;
        if (s->tokens > s->throughput) {
            s->tokens = s->throughput;
        }
        s->tokens_ms = now;
    }
    switch (s->state) {
    case ST_DOWN:
        if (now >= s->reconnect_at) {
            start_connect(s);
        }
        return;
    case ST_BINDING:
        if (now - s->bind_sent_ms > s->timeout_ms) {
            drop(s, "no answer to the bind");
        }
        return;
    case ST_BOUND:
        for (i = 0; i < s->window; i++) {
            if (s->slots[i].used && now - s->slots[i].sent_ms
                > s->timeout_ms)
            {
                drop(s, "a submit_sm was not answered in time");
                return;
            }
        }
        if (s->el_sent_ms != 0 && now - s->el_sent_ms > s->timeout_ms) {
            drop(s, "no answer to enquire_link");
            return;
        }
        if (s->el_sent_ms == 0 && now - s->last_tx_ms >= s->enquire_ms) {
            s->el_seq = next_seq(s);
            s->el_sent_ms = now;
            send_header(s, GW_SMPP_ENQUIRE_LINK, 0, s->el_seq);
        }
        if (s->was_full && room_now(s) > 0) {
            s->was_full = 0;
            if (s->base.cb.ready != NULL) {
                s->base.cb.ready(s->base.cb.ctx);
            }
        }
        return;
    default:
        return;
    }
}


static unsigned
smpp_room(struct gw_sms_link *l)
{
    struct smpp *s = (struct smpp *) l;
    unsigned r = room_now(s);

    if (r == 0) {
        s->was_full = 1;
    }
    return r;
}


static int
smpp_submit(struct gw_sms_link *l, const struct gw_sms_out *m)
{
    struct smpp *s = (struct smpp *) l;
    struct gw_smpp_submit sub;
    uint8_t pdu[SUBMIT_MAX];
    unsigned i;
    int n;

    if (room_now(s) == 0) {
        return WSPGW_EBUSY;
    }
    memset(&sub, 0, sizeof(sub));
    sub.src_ton = s->src_ton;
    sub.src_npi = s->src_npi;
    sub.src_addr = s->source;
    /* "+E.164" goes as international (TON 1, NPI 1) without the '+';
     * other digits as unknown TON, E.164 plan. */
    sub.dst_ton = m->dst[0] == '+' ? 1 : 0;
    sub.dst_npi = 1;
    sub.dst_addr = m->dst[0] == '+' ? m->dst + 1 : m->dst;
    sub.esm_class = GW_SMPP_ESM_UDHI;
    sub.registered_delivery = s->receipts ? 1 : 0;
    sub.data_coding = s->data_coding;
    sub.sm = m->ud;
    sub.sm_len = m->len;
    i = 0;
    while (i < s->window && s->slots[i].used) {
        i++;
    }
    if (i == s->window) {
        return WSPGW_EBUSY;
    }
    s->slots[i].seq = next_seq(s);
    n = gw_smpp_build_submit(pdu, sizeof(pdu), s->slots[i].seq, &sub);
    if (n < 0) {
        return WSPGW_EINVAL;
    }
    if (send_pdu(s, pdu, (size_t) n) != 0) {
        return WSPGW_EBUSY;
    }
    s->slots[i].used = 1;
    s->slots[i].push = m->push;
    s->slots[i].part = m->part;
    s->slots[i].sent_ms = uv_now(s->loop);
    s->inflight++;
    if (s->throughput > 0) {
        s->tokens -= 1.0;
    }
    s->base.stats.submitted++;
    return 0;
}


static void
smpp_close(struct gw_sms_link *l)
{
    struct smpp *s = (struct smpp *) l;
    uint8_t pdu[GW_SMPP_HDR];
    uv_buf_t b;
    int n;

    s->closing = 1;
    if (s->state == ST_BOUND) {
        /* Best effort, without waiting: unbind now or never. */
        n = gw_smpp_build_header(pdu, sizeof(pdu), GW_SMPP_UNBIND, 0,
            next_seq(s));
        if (n > 0) {
            b = uv_buf_init((char *) pdu, (unsigned) n);
            (void) uv_try_write((uv_stream_t *) &s->tcp, &b, 1);
        }
    }
    s->state = ST_DOWN;
    if (s->gai_pending) {
        uv_cancel((uv_req_t *) &s->gai);
    }
    if (s->tcp_open && !uv_is_closing((uv_handle_t *) &s->tcp)) {
        uv_close((uv_handle_t *) &s->tcp, on_tcp_close);
    }
    if (s->timer_open) {
        uv_close((uv_handle_t *) &s->timer, on_timer_close);
    }
    maybe_free(s);
}


static const struct gw_sms_link_ops smpp_ops = {
    smpp_room, smpp_submit, smpp_close
};


struct gw_sms_link *
gw_smpp_link_new(uv_loop_t *loop, const struct gw_config *cfg,
    const struct gw_sms_cb *cb)
{
    struct smpp *s = wspgw_calloc(1, sizeof(*s));

    if (s == NULL) {
        return NULL;
    }
    s->slots = wspgw_calloc(cfg->smsc_window, sizeof(*s->slots));
    if (s->slots == NULL) {
        wspgw_free(s);
        return NULL;
    }
    s->base.ops = &smpp_ops;
    s->base.cb = *cb;
    s->loop = loop;
    snprintf(s->host, sizeof(s->host), "%s", cfg->smsc_host);
    s->port = cfg->smsc_port;
    snprintf(s->system_id, sizeof(s->system_id), "%s", cfg->smsc_system_id);
    snprintf(s->password, sizeof(s->password), "%s", cfg->smsc_password);
    snprintf(s->system_type, sizeof(s->system_type), "%s",
        cfg->smsc_system_type);
    snprintf(s->source, sizeof(s->source), "%s", cfg->smsc_source_addr);
    s->bind.transceiver = cfg->smsc_transceiver;
    s->bind.system_id = s->system_id;
    s->bind.password = s->password;
    s->bind.system_type = s->system_type;
    s->src_ton = (uint8_t) cfg->smsc_source_ton;
    s->src_npi = (uint8_t) cfg->smsc_source_npi;
    s->window = cfg->smsc_window;
    s->throughput = cfg->smsc_throughput;
    s->enquire_ms = (uint64_t) cfg->smsc_enquire_link_s * 1000;
    s->timeout_ms = (uint64_t) cfg->smsc_response_timeout_s * 1000;
    s->reconnect_max_ms = (uint64_t) cfg->smsc_reconnect_max_s * 1000;
    s->data_coding = (uint8_t) cfg->smsc_data_coding;
    s->receipts = cfg->smsc_receipts;
    s->backoff_ms = 1000;
    s->state = ST_DOWN;
    s->reconnect_at = 0;
    uv_timer_init(loop, &s->timer);
    s->timer.data = s;
    s->timer_open = 1;
    uv_timer_start(&s->timer, on_tick, 0, TICK_MS);
    return &s->base;
}


/* ---- the link interface (both implementations) ---- */

struct gw_sms_link *
gw_sms_link_new(uv_loop_t *loop, const struct gw_config *cfg,
    const struct gw_sms_cb *cb)
{
    if (cfg->smsc_type == GW_SMSC_HTTP) {
        return gw_sendsms_link_new(loop, cfg, cb);
    }
    return gw_smpp_link_new(loop, cfg, cb);
}


unsigned
gw_sms_link_room(struct gw_sms_link *l)
{
    return l->ops->room(l);
}


int
gw_sms_link_submit(struct gw_sms_link *l, const struct gw_sms_out *m)
{
    return l->ops->submit(l, m);
}


const struct gw_sms_link_stats *
gw_sms_link_stats(const struct gw_sms_link *l)
{
    return &l->stats;
}


void
gw_sms_link_close(struct gw_sms_link *l)
{
    if (l != NULL) {
        l->ops->close(l);
    }
}
