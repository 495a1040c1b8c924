/*
 * gateway/push_deliver.c - the push delivery engine (see push_deliver.h
 * and, for the states, pushq.h).
 *
 * One "flight" per push being sent: its SMS parts (built once from the
 * queued body: Push PDU, then WDP over SMS with the push's persisted
 * concatenation reference), which parts were submitted, and how many
 * answers are outstanding.  A part the SMSC accepted is recorded in the
 * queue at once (gw_pushq_part_sent), so a push sent again after a
 * temporary error or a crash skips it.
 *
 *   pump:  expire overdue pushes; take due pushes (SENDING, committed)
 *          while the SMS link has room for their parts; then submit
 *          parts and send IP pushes.  Taking commits before the first
 *          submit_sm is written.
 *   done:  OK -> part recorded; TEMP -> the flight stops submitting and,
 *          when its answers are in, is retried with backoff
 *          (retry-min * 2^(attempts-1), at most retry-max; the queue
 *          expires it at deliver-before); PERM -> FAILED.  All parts OK
 *          -> DELIVERED, or SUBMITTED awaiting receipts.
 *
 * Every trigger (a push added, room on the link, a batch of answers
 * handled, the next due time) only arms the one uv_timer at 0 ms, so the
 * engine never runs inside a link or queue callback.
 *
 * Phone-number pushes are only taken while the link has room: when the
 * SMSC is down they wait, PENDING, in the queue (and expire there).
 * With no [smsc] host configured they fail at once ("no SMSC").
 *
 * IP pushes (TYPE=IPv4/IPv6): when the handset has a live WSP session
 * (port 9201) that agreed Confirmed Push, the push goes into it as a
 * ConfirmedPush PDU over a WTP class 1 invoke (gw_co_push) and is
 * DELIVERED only when the handset acknowledges it (S-ConfirmedPush.cnf).
 * An aborted confirmed push (no ack, the session ended or was
 * suspended) is retried with the usual backoff; the next attempt looks
 * again, so a handset whose session went gets the connectionless push
 * then.  Otherwise the connectionless Push PDU goes by UDP from the WSP
 * port (9200) to the handset's port 2948; sent is delivered (UDP says no
 * more).  A push too large for one WTP PDU (the WTP initiator does no
 * SAR), or one finding Push-MOR pushes outstanding, is sent
 * connectionless even to a handset with a session (counted as
 * fallback).
 *
 * Caps: at most 2 x window + 16 flights in memory, each at most 255
 * parts of 140 octets.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/log.h"
#include "gw.h"
#include "co.h"
#include "push_deliver.h"
#include "push_enc.h"
#include "pushq.h"
#include "sms_link.h"

#define HOUSEKEEP_MS 1000       /* expiry and receipt timeouts at least */
#define IDLE_MS 1000            /* longest sleep: rows another process
                                   (tests/integration/push_inject) added
                                   are seen within it */

struct flight {
    struct flight *next;
    int64_t id;
    char dst[64];
    unsigned attempts;
    struct gw_sms_part *parts;
    unsigned n_parts;
    uint8_t done[32];           /* accepted (also before this send) */
    unsigned next_part;         /* first part index not yet submitted */
    unsigned outstanding;
    int temp, perm;
    char detail[128];
    char msg_id[66];
};

struct gw_push_deliver {
    struct gw *g;
    struct gw_pushq *q;
    struct gw_sms_link *link;
    uv_timer_t timer;
    struct flight *flights;
    unsigned n_flights, max_flights;
    uint64_t retry_min_ms, retry_max_ms;
    int ref16;
    int receipts;
    int no_smsc;
    uint64_t last_expire_ms;
    int stopping;
};


static uint64_t
wall_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}


static void on_timer(uv_timer_t *t);


static void
kick(struct gw_push_deliver *d)
{
    if (!d->stopping) {
        uv_timer_start(&d->timer, on_timer, 0, 0);
    }
}


static struct flight *
find_flight(struct gw_push_deliver *d, int64_t id, struct flight ***prev)
{
    struct flight **pp = &d->flights;

    while (*pp != NULL && (*pp)->id != id) {
        pp = &(*pp)->next;
    }
    if (prev != NULL) {
        *prev = pp;
    }
    return *pp;
}


static void
free_flight(struct gw_push_deliver *d, struct flight **pp)
{
    struct flight *f = *pp;

    *pp = f->next;
    d->n_flights--;
    wspgw_free(f->parts);
    wspgw_free(f);
}


static int
part_done(const struct flight *f, unsigned i)
{
    return (f->done[i / 8] >> (i % 8)) & 1;
}


/* The flight has all its answers: record the outcome, forget it. */
static void
land(struct gw_push_deliver *d, struct flight **pp)
{
    struct flight *f = *pp;
    uint64_t now = wall_ms(), delay;
    char detail[160];
    unsigned i;

    if (f->perm) {
        (void) gw_pushq_finish(d->q, f->id, GW_PUSH_FAILED, f->detail, now);
    } else if (f->temp) {
        delay = d->retry_min_ms;
        for (i = 1; i < f->attempts && delay < d->retry_max_ms; i++) {
            delay *= 2;
        }
        if (delay > d->retry_max_ms) {
            delay = d->retry_max_ms;
        }
        d->g->stats.push_retries++;
        wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_PUSH, "push %lld to %s: %s; "
            "attempt %u, next in %llu s", (long long) f->id, f->dst,
            f->detail, f->attempts, (unsigned long long) (delay / 1000));
        (void) gw_pushq_retry(d->q, f->id, now + delay, f->detail, now);
    } else {
        snprintf(detail, sizeof(detail), "%u SMS accepted%s%s", f->n_parts,
            f->msg_id[0] != '\0' ? ", SMSC message id " : "", f->msg_id);
        (void) gw_pushq_sent(d->q, f->id, d->receipts && !d->no_smsc,
            detail, now);
    }
    free_flight(d, pp);
}


static void
on_sms_done(void *ctx, int64_t push, unsigned part, enum gw_sms_result r,
    const char *msg_id, const char *detail)
{
    struct gw_push_deliver *d = ctx;
    struct flight **pp, *f = find_flight(d, push, &pp);

    if (f == NULL || part < 1 || part > f->n_parts) {
        return;
    }
    f->outstanding--;
    switch (r) {
    case GW_SMS_OK:
        d->g->stats.push_sms_accepted++;
        f->done[(part - 1) / 8] |= (uint8_t) (1u << ((part - 1) % 8));
        snprintf(f->msg_id, sizeof(f->msg_id), "%s", msg_id);
        (void) gw_pushq_part_sent(d->q, push, part, msg_id, wall_ms());
        break;
    case GW_SMS_TEMP:
        d->g->stats.push_sms_temp_errors++;
        f->temp = 1;
        snprintf(f->detail, sizeof(f->detail), "%s", detail);
        break;
    default:
        d->g->stats.push_sms_perm_errors++;
        f->perm = 1;
        snprintf(f->detail, sizeof(f->detail), "SMSC refused part %u: %s",
            part, detail);
        break;
    }
    if (f->outstanding == 0 && (f->temp || f->perm
        || f->next_part >= f->n_parts))
    {
        land(d, pp);
    }
    kick(d);
}


static void
on_receipt(void *ctx, const char *msg_id, int delivered, int final,
    const char *detail)
{
    struct gw_push_deliver *d = ctx;
    int rc;

    rc = gw_pushq_receipt(d->q, msg_id, delivered,
        (enum gw_push_state) final, detail, wall_ms());
    if (rc == 0) {
        d->g->stats.push_receipts++;
    } else {
        wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_PUSH, "receipt for SMSC "
            "message id %s matches no push waiting for one", msg_id);
    }
}


static void
on_ready(void *ctx)
{
    kick(ctx);
}


static void
on_batch(void *ctx, int begin)
{
    struct gw_push_deliver *d = ctx;

    if (begin) {
        gw_pushq_batch_begin(d->q);
    } else if (gw_pushq_batch_end(d->q) != 0) {
        wspgw_log(WSPGW_LOG_ERROR, WSPGW_SUB_PUSH, "push queue commit "
            "failed; the SMS answers of this batch are sent again later");
    }
}


static void
on_wake(void *ctx)
{
    kick(ctx);
}


static void
on_final(void *ctx, const struct gw_push_rec *r)
{
    struct gw_push_deliver *d = ctx;
    static const char *const names[] = { "?", "pending", "delivered",
        "expired", "failed", "cancelled" };

    switch (r->state) {
    case GW_PUSH_DELIVERED:
        d->g->stats.push_delivered++;
        break;
    case GW_PUSH_EXPIRED:
        d->g->stats.push_expired++;
        break;
    case GW_PUSH_FAILED:
        d->g->stats.push_failed++;
        break;
    case GW_PUSH_CANCELLED:
        d->g->stats.push_cancelled++;
        break;
    default:
        break;
    }
    wspgw_log(r->state == GW_PUSH_DELIVERED ? WSPGW_LOG_INFO
        : WSPGW_LOG_WARN, WSPGW_SUB_PUSH, "push %s (user %s) to %s: %s "
        "after %u attempts: %s", r->push_id, r->user, r->address,
        (unsigned) r->state < 6 ? names[r->state] : "?", r->attempts,
        r->detail);
}


/* Encodes a taken push: the Push PDU, then (for SMS) its parts. */
static int
encode(struct gw_push_deliver *d, const struct gw_push_item *it,
    struct wspgw_buf *pdu, struct flight *f)
{
    unsigned n;
    int rc;

    rc = gw_push_pdu_build(pdu, (uint8_t) it->concat_ref,
        it->content_type, it->app_id, it->minimal_headers, it->body,
        it->body_len);
    if (rc != 0 || f == NULL) {
        return rc;
    }
    n = gw_wdp_sms_count(pdu->len, d->ref16);
    if (n > GW_SMS_PARTS_MAX) {
        return WSPGW_EMSGSIZE;
    }
    f->parts = wspgw_malloc(n * sizeof(*f->parts));
    if (f->parts == NULL) {
        return WSPGW_ENOMEM;
    }
    return gw_wdp_sms_split(pdu->data, pdu->len, GW_WDP_PORT_PUSH,
        GW_WDP_PORT_WSP, it->concat_ref, d->ref16, f->parts, n,
        &f->n_parts);
}


/* Outcome of a confirmed push (gw_co_push): aux is the attempt count. */
static void
on_cpush_done(void *ctx, int64_t id, uint32_t attempts, int rc,
    unsigned reason)
{
    struct gw_push_deliver *d = ctx;
    uint64_t now = wall_ms(), delay;
    char detail[96];
    unsigned i;

    if (rc == 0) {
        (void) gw_pushq_sent(d->q, id, 0, "confirmed by the handset "
            "(WSP ConfirmedPush acknowledged)", now);
        return;
    }
    delay = d->retry_min_ms;
    for (i = 1; i < attempts && delay < d->retry_max_ms; i++) {
        delay *= 2;
    }
    if (delay > d->retry_max_ms) {
        delay = d->retry_max_ms;
    }
    snprintf(detail, sizeof(detail), "confirmed push aborted (reason "
        "0x%02x)", reason);
    d->g->stats.push_retries++;
    wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_PUSH, "push %lld: %s; attempt %u, "
        "next in %llu s", (long long) id, detail, (unsigned) attempts,
        (unsigned long long) (delay / 1000));
    (void) gw_pushq_retry(d->q, id, now + delay, detail, now);
    kick(d);
}


/* Tries the handset's WSP session: 1 when a confirmed push is under way
 * (the outcome comes to on_cpush_done), 0 to send connectionless. */
static int
send_confirmed(struct gw_push_deliver *d, const struct gw_push_item *it,
    const struct sockaddr *sa, const struct wspgw_buf *pdu)
{
    struct wspgw_addr ip;
    int rc;

    gw_addr_from_sockaddr(&ip, sa);
    /* pdu is connectionless (TID, Type, ...): the session form has no
     * TID octet. */
    rc = gw_co_push(d->g, &ip, pdu->data + 1, pdu->len - 1, on_cpush_done,
        d, it->rec.id, it->rec.attempts);
    if (rc == 0) {
        wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_PUSH, "push %lld to %s: "
            "confirmed push into its WSP session", (long long) it->rec.id,
            it->rec.address);
        return 1;
    }
    if (rc == WSPGW_EMSGSIZE || rc == WSPGW_EBUSY) {
        d->g->stats.push_confirmed_fallback++;
        wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_PUSH, "push %lld to %s: "
            "%s, sent connectionless instead", (long long) it->rec.id,
            it->rec.address, rc == WSPGW_EMSGSIZE ? "too large for one "
            "WTP PDU (no SAR for pushes)" : "Push-MOR pushes outstanding");
    }
    return 0;
}


/* Sends an IP push now; the outcome goes to the queue. */
static void
send_ip(struct gw_push_deliver *d, struct gw_push_item *it, uint64_t now)
{
    struct sockaddr_storage ss;
    struct sockaddr_in *sin = (struct sockaddr_in *) &ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &ss;
    struct gw_udp_sock *sock;
    struct wspgw_buf pdu;
    const char *fail = NULL;
    int rc;

    memset(&ss, 0, sizeof(ss));
    if (it->rec.addr_type == GW_PUSH_IPV4
        && inet_pton(AF_INET, it->rec.address, &sin->sin_addr) == 1)
    {
        sin->sin_family = AF_INET;
        sin->sin_port = htons(GW_WDP_PORT_PUSH);
    } else if (it->rec.addr_type == GW_PUSH_IPV6
        && inet_pton(AF_INET6, it->rec.address, &sin6->sin6_addr) == 1)
    {
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(GW_WDP_PORT_PUSH);
    } else {
        (void) gw_pushq_finish(d->q, it->rec.id, GW_PUSH_FAILED,
            "not an IP address", now);
        return;
    }
    sock = gw_bearer_find(d->g->bearer, GW_PORT_WSP, ss.ss_family);
    wspgw_buf_init(&pdu, 65535);
    rc = encode(d, it, &pdu, NULL);
    if (rc == 0 && pdu.len > 1 && send_confirmed(d, it,
        (struct sockaddr *) &ss, &pdu))
    {
        wspgw_buf_free(&pdu);
        return;
    }
    if (sock == NULL) {
        fail = "no WSP socket of that address family";
    } else if (rc != 0) {
        fail = "cannot encode the push";
    } else if (pdu.len > gw_bearer_max_payload((struct sockaddr *) &ss)) {
        fail = "too large for one datagram";
    } else if (gw_bearer_send(sock, (struct sockaddr *) &ss, pdu.data,
        pdu.len) != 0)
    {
        /* The send queue is full: try again shortly. */
        (void) gw_pushq_retry(d->q, it->rec.id, now + d->retry_min_ms,
            "UDP send queue full", now);
        d->g->stats.push_retries++;
        wspgw_buf_free(&pdu);
        return;
    }
    if (fail != NULL) {
        (void) gw_pushq_finish(d->q, it->rec.id, GW_PUSH_FAILED, fail, now);
    } else {
        d->g->stats.push_ip_sent++;
        (void) gw_pushq_sent(d->q, it->rec.id, 0, "sent by UDP to port 2948",
            now);
    }
    wspgw_buf_free(&pdu);
}


/* Unsubmitted parts of all flights. */
static unsigned
parts_waiting(const struct gw_push_deliver *d)
{
    const struct flight *f;
    unsigned n = 0, i;

    for (f = d->flights; f != NULL; f = f->next) {
        if (f->temp || f->perm) {
            continue;
        }
        for (i = f->next_part; i < f->n_parts; i++) {
            n += !part_done(f, i);
        }
    }
    return n;
}


/* Takes one due push; 0 if one was taken, else WSPGW_ENOENT/error. */
static int
take_one(struct gw_push_deliver *d, unsigned kinds, uint64_t now)
{
    struct gw_push_item it;
    struct wspgw_buf pdu;
    struct flight *f;
    int rc;

    rc = gw_pushq_take(d->q, now, kinds, &it);
    if (rc != 0) {
        return rc;
    }
    if (it.rec.addr_type != GW_PUSH_PLMN) {
        send_ip(d, &it, now);
        gw_push_item_free(&it);
        return 0;
    }
    if (d->no_smsc) {
        (void) gw_pushq_finish(d->q, it.rec.id, GW_PUSH_FAILED,
            "no SMSC configured ([smsc] host)", now);
        gw_push_item_free(&it);
        return 0;
    }
    f = wspgw_calloc(1, sizeof(*f));
    if (f == NULL) {
        (void) gw_pushq_retry(d->q, it.rec.id, now + d->retry_min_ms,
            "out of memory", now);
        gw_push_item_free(&it);
        return WSPGW_ENOMEM;
    }
    f->id = it.rec.id;
    f->attempts = it.rec.attempts;
    snprintf(f->dst, sizeof(f->dst), "%s", it.rec.address);
    memcpy(f->done, it.part_done, sizeof(f->done));
    wspgw_buf_init(&pdu, 65535);
    rc = encode(d, &it, &pdu, f);
    wspgw_buf_free(&pdu);
    gw_push_item_free(&it);
    if (rc != 0) {
        (void) gw_pushq_finish(d->q, f->id, GW_PUSH_FAILED, rc
            == WSPGW_EMSGSIZE ? "too large for 255 SMS"
            : "cannot encode the push", now);
        wspgw_free(f->parts);
        wspgw_free(f);
        return 0;
    }
    f->next = d->flights;
    d->flights = f;
    d->n_flights++;
    return 0;
}


static void
submit_parts(struct gw_push_deliver *d)
{
    struct flight **pp = &d->flights;

    while (*pp != NULL) {
        struct flight *f = *pp;
        struct gw_sms_out m;
        int rc;

        while (!f->temp && !f->perm && f->next_part < f->n_parts) {
            unsigned i = f->next_part;

            if (part_done(f, i)) {
                f->next_part++;         /* accepted before: not again */
                continue;
            }
            if (gw_sms_link_room(d->link) == 0) {
                return;
            }
            m.dst = f->dst;
            m.ud = f->parts[i].ud;
            m.len = f->parts[i].len;
            m.push = f->id;
            m.part = i + 1;
            rc = gw_sms_link_submit(d->link, &m);
            if (rc == WSPGW_EBUSY || rc == WSPGW_ENOMEM) {
                return;                 /* no room now: on ready */
            }
            if (rc != 0) {
                /* E.g. a destination longer than SMPP allows: this push
                 * can never go, whatever the SMSC does. */
                f->perm = 1;
                snprintf(f->detail, sizeof(f->detail), "cannot submit "
                    "part %u: %s", i + 1, wspgw_strerror(rc));
                break;
            }
            d->g->stats.push_sms_submitted++;
            f->next_part++;
            f->outstanding++;
        }
        if (f->outstanding == 0) {
            /* Nothing left to send (all accepted before). */
            land(d, pp);
            continue;
        }
        pp = &f->next;
    }
}


static void
arm(struct gw_push_deliver *d, uint64_t now)
{
    uint64_t when, delay = IDLE_MS;

    if (gw_pushq_next_due(d->q, &when) == 0) {
        delay = when > now ? when - now : 0;
        if (delay > IDLE_MS) {
            delay = IDLE_MS;
        }
        /* Something due but not takeable now (no room): wait for ready,
         * with a housekeeping floor. */
        if (delay == 0) {
            delay = HOUSEKEEP_MS;
        }
    }
    uv_timer_start(&d->timer, on_timer, delay, 0);
}


static void
pump(struct gw_push_deliver *d)
{
    uint64_t now = wall_ms();
    const struct gw_sms_link_stats *ls;
    unsigned room, kinds;

    if (d->stopping) {
        return;
    }
    gw_pushq_batch_begin(d->q);
    if (now - d->last_expire_ms >= HOUSEKEEP_MS) {
        d->last_expire_ms = now;
        (void) gw_pushq_expire(d->q, now);
    }
    for (;;) {
        kinds = (1u << GW_PUSH_IPV4) | (1u << GW_PUSH_IPV6);
        if (d->no_smsc) {
            kinds |= 1u << GW_PUSH_PLMN;
        } else if (d->n_flights < d->max_flights) {
            room = gw_sms_link_room(d->link);
            if (room > parts_waiting(d)) {
                kinds |= 1u << GW_PUSH_PLMN;
            }
        }
        if (take_one(d, kinds, now) != 0) {
            break;
        }
    }
    if (gw_pushq_batch_end(d->q) != 0) {
        wspgw_log(WSPGW_LOG_ERROR, WSPGW_SUB_PUSH, "push queue commit "
            "failed; taken pushes stay pending");
        /* Nothing was committed: drop the flights, they are PENDING. */
        while (d->flights != NULL && d->flights->outstanding == 0
            && d->flights->next_part == 0)
        {
            free_flight(d, &d->flights);
        }
    }
    if (d->link != NULL) {
        submit_parts(d);
        ls = gw_sms_link_stats(d->link);
        d->g->stats.smsc_binds = ls->connects;
        d->g->stats.smsc_disconnects = ls->disconnects;
    }
    arm(d, now);
}


static void
on_timer(uv_timer_t *t)
{
    pump(t->data);
}


int
gw_push_deliver_start(struct gw_push_deliver **out, struct gw *g,
    struct gw_pushq *q)
{
    struct gw_push_deliver *d = wspgw_calloc(1, sizeof(*d));
    struct gw_sms_cb cb;

    *out = NULL;
    if (d == NULL) {
        return WSPGW_ENOMEM;
    }
    d->g = g;
    d->q = q;
    d->max_flights = 2 * g->cfg->smsc_window + 16;
    d->ref16 = g->cfg->smsc_concat_ref_bits == 16;
    d->receipts = g->cfg->smsc_receipts;
    gw_push_deliver_set_config(d, g->cfg);
    d->no_smsc = g->cfg->smsc_host[0] == '\0';
    if (!d->no_smsc) {
        memset(&cb, 0, sizeof(cb));
        cb.done = on_sms_done;
        cb.receipt = on_receipt;
        cb.ready = on_ready;
        cb.batch = on_batch;
        cb.ctx = d;
        d->link = gw_sms_link_new(g->loop, g->cfg, &cb);
        if (d->link == NULL) {
            wspgw_free(d);
            return WSPGW_ENOMEM;
        }
    }
    g->stats.push_recovered += gw_pushq_recovered(q);
    gw_pushq_set_wake_fn(q, on_wake, d);
    gw_pushq_set_observer_fn(q, on_final, d);
    uv_timer_init(g->loop, &d->timer);
    d->timer.data = d;
    uv_timer_start(&d->timer, on_timer, 0, 0);
    wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_PUSH, "push delivery started (%s)",
        d->no_smsc ? "no SMSC: IP pushes only" : g->cfg->smsc_type
        == GW_SMSC_HTTP ? "SMS by HTTP sendsms" : "SMS by SMPP");
    *out = d;
    return 0;
}


void
gw_push_deliver_set_config(struct gw_push_deliver *d,
    const struct gw_config *cfg)
{
    d->retry_min_ms = (uint64_t) cfg->push_retry_min_s * 1000;
    d->retry_max_ms = (uint64_t) cfg->push_retry_max_s * 1000;
}


static void
on_timer_closed(uv_handle_t *h)
{
    wspgw_free(h->data);
}


void
gw_push_deliver_stop(struct gw_push_deliver *d)
{
    if (d == NULL) {
        return;
    }
    d->stopping = 1;
    gw_sms_link_close(d->link);
    d->link = NULL;
    gw_pushq_set_wake_fn(d->q, NULL, NULL);
    gw_pushq_set_observer_fn(d->q, NULL, NULL);
    gw_co_push_forget(d->g, d);
    while (d->flights != NULL) {
        free_flight(d, &d->flights);
    }
    uv_close((uv_handle_t *) &d->timer, on_timer_closed);
}
