/*
 * tests/unit/wtp/sim.c - the simulated bearer and scripted handset of
 * sim.h.  Test code: builds PDUs with the codec under test's encoder
 * only for headers, and parses with its decoder; the handset's protocol
 * logic is its own (a client-side initiator, WAP-224 9.5 and 7.14).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/err.h"
#include "wtp_int.h"
#include "wtp_test.h"
#include "sim.h"

int sim_trace;


void
sim_init(struct sim *s, const struct wtp_config *cfg, uint64_t seed)
{
    uint8_t ip[4] = { 10, 1, 2, 3 };

    memset(s, 0, sizeof(*s));
    s->ep = wtp_ep_new(cfg);
    ck_assert_ptr_nonnull(s->ep);
    wspgw_addr_init(&s->hs_addr, WSPGW_AF_INET, ip, 49152);
    s->delay_ms = 300;
    s->rng = seed * 2654435761u + 1;
    s->hs_retry_ms = 3000;
    s->hs_max_rcr = 12;
    s->reply_at = UINT64_MAX;
    s->now = 1000;
    s->max_datagram = cfg->max_datagram;
}


void
sim_free(struct sim *s)
{
    size_t i;
    unsigned h, k;

    for (i = 0; i < s->qlen; i++) {
        free(s->q[i].data);
    }
    free(s->q);
    for (h = 0; h < s->nhs; h++) {
        for (k = 0; k < 256; k++) {
            free(s->hs[h].rbuf[k]);
        }
        free(s->hs[h].result);
    }
    free(s->ind_data);
    free(s->push_data);
    wtp_ep_free(s->ep);
}


/* ---- the link ------------------------------------------------------------ */

static void
enqueue(struct sim *s, int dir, const uint8_t *d, size_t len, uint64_t at)
{
    struct sim_pkt *p;

    if (s->qlen == s->qcap) {
        s->qcap = s->qcap == 0 ? 256 : 2 * s->qcap;
        s->q = realloc(s->q, s->qcap * sizeof(*s->q));
        ck_assert_ptr_nonnull(s->q);
    }
    p = &s->q[s->qlen++];
    p->at = at;
    p->seq = s->seq++;
    p->dir = dir;
    p->data = malloc(len ? len : 1);
    memcpy(p->data, d, len);
    p->len = len;
}


static void
link_send(struct sim *s, int dir, const uint8_t *d, size_t len)
{
    struct sim_link *l = &s->link[dir];
    uint64_t n = l->sent++, at = s->now + s->delay_ms;

    l->bytes += len;
    if ((n < 64 && (l->loss_mask >> n) & 1)
        || (l->loss_pct > 0 && wt_rand(&s->rng) % 100 < l->loss_pct))
    {
        l->dropped++;
        if (sim_trace) {
            fprintf(stderr, "%llu %s drop %02x len %zu\n",
                (unsigned long long) s->now, dir ? "down" : "up", d[0], len);
        }
        return;
    }
    if (sim_trace) {
        fprintf(stderr, "%llu %s send %02x %02x %02x %02x len %zu\n",
            (unsigned long long) s->now, dir ? "down" : "up", d[0], d[1],
            d[2], len > 3 ? d[3] : 0, len);
    }
    if (l->reorder_pct > 0 && wt_rand(&s->rng) % 100 < l->reorder_pct) {
        at += wt_rand(&s->rng) % (3 * s->delay_ms + 1);
    }
    enqueue(s, dir, d, len, at);
    if (l->dup_pct > 0 && wt_rand(&s->rng) % 100 < l->dup_pct) {
        enqueue(s, dir, d, len, at + wt_rand(&s->rng) % (2 * s->delay_ms));
    }
}


void
sim_inject(struct sim *s, const uint8_t *pdu, size_t len)
{
    enqueue(s, SIM_UP, pdu, len, s->now);
}


/* ---- the gateway side --------------------------------------------------- */

void
sim_drain(struct sim *s)
{
    struct wtp_action a;

    while (wtp_next_action(s->ep, &a)) {
        switch (a.type) {
        case WTP_ACT_SEND:
            s->gw_sends++;
            /* A concatenation stays within max_datagram; a single PDU
             * within what fakewap takes. */
            ck_assert_uint_le(a.len, a.len > 0 && a.data[0] == 0x00
                ? s->max_datagram : 1500);
            link_send(s, SIM_DOWN, a.data, a.len);
            break;
        case WTP_ACT_INVOKE_IND:
            s->ind_count++;
            s->last_handle = a.handle;
            s->last_tcl = a.tcl;
            free(s->ind_data);
            s->ind_data = malloc(a.len ? a.len : 1);
            memcpy(s->ind_data, a.data, a.len);
            s->ind_len = a.len;
            if (a.tcl == 2 && !s->reply_never) {
                s->reply_at = s->now + s->reply_delay_ms;
                s->reply_handle = a.handle;
            }
            break;
        case WTP_ACT_RESULT_CNF:
            s->cnf_count++;
            break;
        case WTP_ACT_INVOKE_CNF:
            s->invoke_cnf_count++;
            break;
        case WTP_ACT_ABORT_IND:
            s->abort_ind_count++;
            s->last_abort_reason = a.abort_reason;
            if (a.handle == s->reply_handle) {
                s->reply_at = UINT64_MAX;
            }
            break;
        default:
            break;
        }
    }
}


/* ---- the handset -------------------------------------------------------- */

static void
hs_send(struct sim *s, struct wtp_pdu *p, const uint8_t *data, size_t len)
{
    uint8_t buf[2000];
    int h = wtp__pdu_encode_hdr(p, buf, sizeof(buf));

    ck_assert_int_gt(h, 0);
    ck_assert_uint_le((size_t) h + len, sizeof(buf));
    if (len > 0) {
        memcpy(buf + h, data, len);
    }
    link_send(s, SIM_UP, buf, (size_t) h + len);
}


static void
hs_packet(struct sim *s, struct hs_txn *t, unsigned psn, unsigned rid)
{
    struct wtp_pdu p = { 0 };
    size_t off = (size_t) psn * t->seg;
    size_t len = t->npk == 1 ? t->req_len
        : (t->req_len - off < t->seg ? t->req_len - off : t->seg);

    p.type = psn == 0 ? WTP_PDU_INVOKE : WTP_PDU_SEG_INVOKE;
    p.tid = t->tid;
    p.rid = rid;
    p.psn = psn;
    if (t->npk == 1) {
        p.gtr = !t->sar;
        p.ttr = 1;
    } else {
        p.ttr = psn == t->npk - 1;
        p.gtr = !p.ttr && psn == t->glast;
    }
    if (psn == 0) {
        p.tcl = t->tcl;
        p.up = t->up;
        p.tidnew = t->tidnew;
    }
    hs_send(s, &p, t->req + (t->npk == 1 ? 0 : off), len);
}


static void
hs_group(struct sim *s, struct hs_txn *t)
{
    unsigned psn;

    t->glast = t->gfirst + t->gsize - 1;
    if (t->glast >= t->npk) {
        t->glast = t->npk - 1;
    }
    for (psn = t->gfirst; psn <= t->glast; psn++) {
        hs_packet(s, t, psn, 0);
    }
    t->rcr = 0;
    t->deadline = s->now + s->hs_retry_ms;
}


unsigned
sim_hs_start(struct sim *s, unsigned tid, unsigned tcl, const uint8_t *req,
    size_t len, unsigned seg, unsigned gsize, unsigned sar)
{
    struct hs_txn *t;

    ck_assert_uint_lt(s->nhs, 8);
    t = &s->hs[s->nhs];
    memset(t, 0, sizeof(*t));
    t->tid = tid & 0x7FFF;
    t->tcl = tcl;
    t->req = req;
    t->req_len = len;
    t->seg = seg;
    t->gsize = gsize;
    t->sar = sar;
    t->npk = sar && len > seg ? (unsigned) ((len + seg - 1) / seg) : 1;
    ck_assert_uint_le(t->npk, 256);
    t->rttr = -1;
    t->rgend = -1;
    t->racked = -1;
    t->state = HS_SENDING;
    hs_group(s, t);
    if (tcl == 0) {
        t->state = HS_DONE;
        t->deadline = UINT64_MAX;
    }
    return s->nhs++;
}


static void
hs_ack(struct sim *s, struct hs_txn *t, unsigned tok, int has_psn,
    unsigned psn)
{
    struct wtp_pdu p = { 0 };

    p.type = WTP_PDU_ACK;
    p.tid = t->tid;
    p.tve_tok = tok;
    p.has_psn = (unsigned) has_psn;
    p.psn_tpi = psn;
    t->acks_sent++;
    hs_send(s, &p, NULL, 0);
}


/* Result packets: reassemble, Nack holes at a GTR/TTR, ack groups. */
static void
hs_result(struct sim *s, struct hs_txn *t, const struct wtp_pdu *p)
{
    unsigned psn = p->type == WTP_PDU_RESULT ? 0 : p->psn, k, n;
    int single = p->type == WTP_PDU_RESULT && p->ttr;
    int trailer = p->gtr || p->ttr, fresh = 0;
    uint8_t miss[256];
    struct wtp_pdu nk = { 0 };
    size_t total;

    t->invoke_acked = 1;
    if (t->state == HS_SENDING) {
        t->state = HS_WAITING;
    }
    t->deadline = UINT64_MAX;
    if (t->result_done) {
        if (p->rid) {
            /* WAIT TIMEOUT, RID=1: Send Ack PDU (9.5). */
            hs_ack(s, t, 0, !single, (unsigned) t->rttr);
        }
        return;
    }
    if (t->rbuf[psn] == NULL) {
        t->rbuf[psn] = malloc(p->len ? p->len : 1);
        memcpy(t->rbuf[psn], p->data, p->len);
        t->rlen[psn] = p->len;
        fresh = 1;
    }
    if (!fresh && trailer && (int) psn == t->racked) {
        hs_ack(s, t, 0, 1, psn);            /* our group Ack was lost */
        return;
    }
    if ((int) psn < t->rgstart) {
        return;
    }
    if (p->ttr) {
        t->rttr = (int) psn;
    }
    if (trailer && (int) psn > t->rgend) {
        t->rgend = (int) psn;
    }
    if (t->rgend < 0) {
        return;
    }
    n = 0;
    for (k = (unsigned) t->rgstart; k <= (unsigned) t->rgend; k++) {
        if (t->rbuf[k] == NULL) {
            miss[n++] = (uint8_t) k;
        }
    }
    if (n > 0) {
        if (trailer) {
            nk.type = WTP_PDU_NACK;
            nk.tid = t->tid;
            nk.nmissing = n;
            nk.missing = miss;
            hs_send(s, &nk, NULL, 0);
        }
        return;
    }
    psn = (unsigned) t->rgend;
    if ((int) psn == t->rttr) {
        total = 0;
        for (k = 0; k <= psn; k++) {
            total += t->rlen[k];
        }
        t->result = malloc(total ? total : 1);
        t->result_len = 0;
        for (k = 0; k <= psn; k++) {
            memcpy(t->result + t->result_len, t->rbuf[k], t->rlen[k]);
            t->result_len += t->rlen[k];
        }
        t->result_done = 1;
        t->state = HS_DONE;
        hs_ack(s, t, 0, !single, psn);
        return;
    }
    t->racked = (int) psn;
    t->rgstart = (int) psn + 1;
    t->rgend = -1;
    hs_ack(s, t, 0, 1, psn);
}


/* The handset as a (minimal) responder for the gateway's pushes. */
static void
hs_responder(struct sim *s, const struct wtp_pdu *p)
{
    struct wtp_pdu a = { 0 };

    a.type = WTP_PDU_ACK;
    a.tid = p->tid | 0x8000;
    if (s->push_silent) {
        return;
    }
    if (p->type == WTP_PDU_INVOKE) {
        if (p->tidnew) {
            s->push_tidnew++;
        }
        if (s->push_verify && p->tidnew) {
            a.tve_tok = 1;                  /* Ack(TIDve) */
            hs_send(s, &a, NULL, 0);
            return;
        }
        if (!s->push_seen || p->tid != s->push_last_tid) {
            s->push_count++;
            s->push_seen = 1;
            s->push_last_tid = p->tid;
            free(s->push_data);
            s->push_data = malloc(p->len ? p->len : 1);
            memcpy(s->push_data, p->data, p->len);
            s->push_len = p->len;
        }
        if (p->tcl == 1) {
            hs_send(s, &a, NULL, 0);
        }
    } else if (p->type == WTP_PDU_ACK && p->tve_tok) {
        s->push_verify = 0;                 /* TIDok: deliver, ack */
        s->push_count++;
        s->push_seen = 1;
        s->push_last_tid = p->tid;
        hs_send(s, &a, NULL, 0);
    } else if (p->type == WTP_PDU_ABORT) {
        s->push_aborts++;
    }
}


static void
hs_input_pdu(struct sim *s, const uint8_t *d, size_t len)
{
    struct wtp_pdu p;
    struct hs_txn *t = NULL;
    unsigned h, i;
    struct wtp_pdu ab = { 0 };

    if (wtp__pdu_decode(d, len, &p) != 0) {
        ck_abort_msg("gateway sent a malformed PDU");
    }
    if ((p.tid & 0x8000) == 0) {
        hs_responder(s, &p);
        return;
    }
    if (sim_trace) {
        fprintf(stderr, "%llu hs rx type %u psn_tpi %u/%u nmiss %u m0 %u\n",
            (unsigned long long) s->now, p.type, p.has_psn, p.psn_tpi,
            p.nmissing, p.nmissing ? p.missing[0] : 0);
    }
    for (h = 0; h < s->nhs; h++) {
        if (s->hs[h].tid == (p.tid & 0x7FFF)) {
            t = &s->hs[h];
        }
    }
    if (t == NULL || t->state == HS_ABORTED || t->state == HS_GAVE_UP
        || (s->hs_forget_txn && p.type == WTP_PDU_ACK && p.tve_tok))
    {
        if (p.type == WTP_PDU_ACK && p.tve_tok) {
            /* 9.2 Table 37: Tve for nothing outstanding: INVALIDTID. */
            ab.type = WTP_PDU_ABORT;
            ab.tid = p.tid & 0x7FFF;
            ab.abort_reason = WTP_ABORT_INVALIDTID;
            hs_send(s, &ab, NULL, 0);
        }
        return;
    }
    switch (p.type) {
    case WTP_PDU_ACK:
        if (p.tve_tok) {
            hs_ack(s, t, 1, 0, 0);          /* Ack(TIDok) */
            if (p.has_psn && t->state == HS_SENDING && p.psn_tpi == t->glast
                && t->glast + 1 < t->npk)
            {
                t->gfirst = t->glast + 1;
                hs_group(s, t);
            }
            break;
        }
        if (t->state != HS_SENDING) {
            break;
        }
        if (p.has_psn && p.psn_tpi == t->glast && t->glast + 1 < t->npk) {
            t->gfirst = t->glast + 1;
            hs_group(s, t);
        } else if (t->glast + 1 == t->npk
            && (!p.has_psn || p.psn_tpi == t->glast))
        {
            /* Last group acked, or the hold-on Ack. */
            t->invoke_acked = 1;
            t->state = t->tcl == 2 ? HS_WAITING : HS_DONE;
            t->deadline = UINT64_MAX;
        }
        break;
    case WTP_PDU_NACK:
        if (t->state != HS_SENDING) {
            break;
        }
        t->rcr = 0;                         /* the peer is alive */
        if (p.nmissing == 0) {
            for (i = t->gfirst; i <= t->glast; i++) {
                hs_packet(s, t, i, 1);
            }
        }
        for (i = 0; i < p.nmissing; i++) {
            hs_packet(s, t, p.missing[i], 1);
        }
        break;
    case WTP_PDU_RESULT:
    case WTP_PDU_SEG_RESULT:
        if (t->tcl == 2) {
            hs_result(s, t, &p);
        }
        break;
    case WTP_PDU_ABORT:
        t->aborted = 1;
        t->abort_reason = p.abort_reason;
        t->state = HS_ABORTED;
        t->deadline = UINT64_MAX;
        break;
    default:
        break;
    }
}


/* One datagram from the gateway: a PDU, or (first octet 0x00) PDUs each
 * after a 1-octet (bit 7 clear) or 2-octet (bit 7 set, 15 bits) length
 * (WAP-224 8.5; reference/wtp.md 10), separated here independently of
 * wtp__concat_next. */
static void
hs_input(struct sim *s, const uint8_t *d, size_t len)
{
    size_t o = 1, n;

    s->hs_rx_datagrams++;
    ck_assert_uint_gt(len, 0);
    if (d[0] != 0x00) {
        s->hs_rx_pdus++;
        hs_input_pdu(s, d, len);
        return;
    }
    s->hs_rx_concat++;
    ck_assert_msg(len > 1, "empty concatenation");
    while (o < len) {
        if (d[o] & 0x80) {
            ck_assert_msg(len - o >= 2, "truncated length field");
            n = ((size_t) (d[o] & 0x7F) << 8) | d[o + 1];
            o += 2;
        } else {
            n = d[o];
            o += 1;
        }
        ck_assert_msg(n > 0 && n <= len - o, "bad concatenated length");
        ck_assert_msg(d[o] != 0x00, "nested concatenation");
        s->hs_rx_pdus++;
        hs_input_pdu(s, d + o, n);
        o += n;
    }
}


static void
hs_timeout(struct sim *s, struct hs_txn *t)
{
    t->deadline = UINT64_MAX;
    if (sim_trace) {
        fprintf(stderr, "%llu hs timeout state %d rcr %u glast %u\n",
            (unsigned long long) s->now, t->state, t->rcr, t->glast);
    }
    if (t->state != HS_SENDING) {
        return;
    }
    if (t->rcr >= s->hs_max_rcr) {
        t->state = HS_GAVE_UP;
        return;
    }
    t->rcr++;
    hs_packet(s, t, t->glast, 1);       /* only the GTR/TTR (7.14.3) */
    t->deadline = s->now + s->hs_retry_ms;
}


/* ---- the loop ------------------------------------------------------------ */

static size_t
next_pkt(const struct sim *s)
{
    size_t i, best = SIZE_MAX;

    for (i = 0; i < s->qlen; i++) {
        if (best == SIZE_MAX || s->q[i].at < s->q[best].at
            || (s->q[i].at == s->q[best].at && s->q[i].seq < s->q[best].seq))
        {
            best = i;
        }
    }
    return best;
}


void
sim_run(struct sim *s, uint64_t until)
{
    for (;;) {
        uint64_t t = UINT64_MAX, d;
        size_t pi = next_pkt(s);
        unsigned h;

        if (pi != SIZE_MAX) {
            t = s->q[pi].at;
        }
        d = wtp_next_deadline(s->ep);
        if (d < t) {
            t = d;
        }
        for (h = 0; h < s->nhs; h++) {
            if (s->hs[h].deadline < t) {
                t = s->hs[h].deadline;
            }
        }
        if (s->reply_at < t) {
            t = s->reply_at;
        }
        if (t == UINT64_MAX || t >= until) {
            if (t != UINT64_MAX && until > s->now) {
                s->now = until;
            }
            return;
        }
        if (t > s->now) {
            s->now = t;
        }
        if (pi != SIZE_MAX && s->q[pi].at <= s->now) {
            struct sim_pkt p = s->q[pi];

            s->q[pi] = s->q[--s->qlen];
            if (p.dir == SIM_UP) {
                (void) wtp_input(s->ep, &s->hs_addr, p.data, p.len, s->now);
                sim_drain(s);
            } else {
                hs_input(s, p.data, p.len);
            }
            free(p.data);
            continue;
        }
        if (wtp_next_deadline(s->ep) <= s->now) {
            wtp_timeout(s->ep, s->now);
            sim_drain(s);
            continue;
        }
        if (s->reply_at <= s->now) {
            s->reply_at = UINT64_MAX;
            if (wtp_tr_result_req(s->ep, s->reply_handle, s->reply,
                s->reply_len, s->now) != 0)
            {
                (void) wtp_tr_abort_req(s->ep, s->reply_handle, 0xE4,
                    s->now);
            }
            sim_drain(s);
            continue;
        }
        for (h = 0; h < s->nhs; h++) {
            if (s->hs[h].deadline <= s->now) {
                hs_timeout(s, &s->hs[h]);
            }
        }
    }
}
