/*
 * wtp/send.c - the endpoint's action queue: what the WTP user pulls
 * with wtp_next_action, how datagrams are built in the send arena, and
 * concatenation out (WAP-224 8.5).  Split from ep.c, whose header
 * comment describes the queue, the arena and their invariants.
 *
 * No I/O: a SEND action is a view into the arena, sent by gateway/.
 */
#include <stdio.h>
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/log.h"
#include "wtp_int.h"

/* ---- actions ----------------------------------------------------------- */

static struct wtp__act *
act_push(struct wtp_ep *ep)
{
    struct wtp__act *na;
    size_t ncap, i;

    if (ep->act_len == ep->act_cap) {
        if (ep->act_cap >= ep->cfg.max_actions) {
            return NULL;
        }
        ncap = ep->act_cap == 0 ? 64 : ep->act_cap * 2;
        na = wspgw_malloc(ncap * sizeof(*na));
        if (na == NULL) {
            return NULL;
        }
        for (i = 0; i < ep->act_len; i++) {
            na[i] = ep->acts[(ep->act_head + i) % ep->act_cap];
        }
        wspgw_free(ep->acts);
        ep->acts = na;
        ep->act_cap = ncap;
        ep->act_head = 0;
    }
    na = &ep->acts[(ep->act_head + ep->act_len) % ep->act_cap];
    ep->act_len++;
    memset(na, 0, sizeof(*na));
    return na;
}


int
wtp_next_action(struct wtp_ep *ep, struct wtp_action *out)
{
    struct wtp__act *a;

    if (ep->act_len == 0) {
        memset(out, 0, sizeof(*out));
        return 0;
    }
    a = &ep->acts[ep->act_head];
    ep->act_head = (ep->act_head + 1) % ep->act_cap;
    ep->act_len--;
    memset(out, 0, sizeof(*out));
    out->type = a->type;
    out->handle = a->handle;
    out->peer = a->peer;
    out->tcl = a->tcl;
    out->user_ack = a->user_ack;
    out->abort_type = a->abort_type;
    out->abort_reason = a->abort_reason;
    out->data = a->ptr != NULL ? a->ptr : ep->arena.data + a->off;
    out->len = a->len;
    return 1;
}


/*
 * The SEND a PDU of pdu_len octets for peer may join (8.5): the tail of
 * the queue, not taken yet, a SEND to the same peer that ends the arena,
 * and the joined datagram within cfg.max_datagram (counting the 0x00
 * marker and the tail's own length field when it is still a single PDU).
 * NULL: the PDU goes in a datagram of its own.
 */
static struct wtp__act *
concat_target(struct wtp_ep *ep, const struct wspgw_addr *peer,
    size_t pdu_len)
{
    struct wtp__act *a;
    uint8_t lf[2];
    size_t total;

    if (!ep->cfg.concatenate || ep->act_len == 0
        || pdu_len > WTP_CONCAT_PDU_MAX)
    {
        return NULL;
    }
    a = &ep->acts[(ep->act_head + ep->act_len - 1) % ep->act_cap];
    if (a->type != WTP_ACT_SEND || a->ptr != NULL
        || !wspgw_addr_eq(&a->peer, peer)
        || a->off + a->len != ep->arena.len)
    {
        return NULL;
    }
    total = a->len;
    if (!a->concat) {
        if (a->len > WTP_CONCAT_PDU_MAX) {
            return NULL;
        }
        total += 1 + wtp__concat_len_put(lf, a->len);
    }
    total += wtp__concat_len_put(lf, pdu_len) + pdu_len;
    return total <= ep->cfg.max_datagram ? a : NULL;
}


/*
 * Appends the PDU hdr + data to the tail SEND a (from concat_target),
 * first turning a into a concatenation if it is a single PDU.  0, or
 * WSPGW_ENOMEM with a unchanged.
 */
static int
concat_append(struct wtp_ep *ep, struct wtp__act *a, const uint8_t *hdr,
    size_t h, const uint8_t *data, size_t len)
{
    uint8_t head[3], lf[2];
    size_t k = 0, n = wtp__concat_len_put(lf, h + len);
    uint8_t *p;

    if (!a->concat) {
        head[0] = 0x00;
        k = 1 + wtp__concat_len_put(head + 1, a->len);
    }
    if (wspgw_buf_reserve(&ep->arena, k + n + h + len) != 0) {
        return WSPGW_ENOMEM;
    }
    if (k > 0) {
        /* Make room in front of the tail's PDU for the marker and its
         * length field (the tail ends the arena: nothing else moves). */
        (void) wspgw_buf_append(&ep->arena, head, k);
        p = ep->arena.data + a->off;
        memmove(p + k, p, a->len);
        memcpy(p, head, k);
        a->len += k;
        a->concat = 1;
    }
    (void) wspgw_buf_append(&ep->arena, lf, n);
    (void) wspgw_buf_append(&ep->arena, hdr, h);
    if (len > 0) {
        (void) wspgw_buf_append(&ep->arena, data, len);
    }
    a->len += n + h + len;
    return 0;
}


void
wtp__send(struct wtp_ep *ep, struct wtp__txn *t, struct wtp_pdu *p,
    const uint8_t *data, size_t len)
{
    uint8_t hdr[WTP_HDR_MAX + 256];
    struct wtp__act *a;
    size_t off;
    int h;

    p->tid = t->rtid ^ WTP_TID_DIR;
    h = wtp__pdu_encode_hdr(p, hdr, sizeof(hdr));
    if (h < 0) {
        return;
    }
    a = concat_target(ep, &t->addr, (size_t) h + len);
    if (a != NULL) {
        if (concat_append(ep, a, hdr, (size_t) h, data, len) != 0) {
            ep->stats.actions_dropped++;
            return;
        }
        ep->stats.tx_pdus++;
        ep->stats.tx_concatenated++;
        if (p->rid) {
            ep->stats.tx_retransmissions++;
        }
        return;
    }
    off = ep->arena.len;
    if (wspgw_buf_reserve(&ep->arena, (size_t) h + len) != 0) {
        ep->stats.actions_dropped++;
        return;
    }
    a = act_push(ep);
    if (a == NULL) {
        ep->stats.actions_dropped++;
        return;
    }
    (void) wspgw_buf_append(&ep->arena, hdr, (size_t) h);
    if (len > 0) {
        (void) wspgw_buf_append(&ep->arena, data, len);
    }
    a->type = WTP_ACT_SEND;
    a->handle = t->handle;
    a->peer = t->addr;
    a->off = off;
    a->len = (size_t) h + len;
    ep->stats.tx_pdus++;
    ep->stats.tx_datagrams++;
    if (p->rid) {
        ep->stats.tx_retransmissions++;
    }
}


void
wtp__send_abort(struct wtp_ep *ep, struct wtp__txn *t, unsigned type,
    unsigned reason)
{
    struct wtp_pdu p = { 0 };

    p.type = WTP_PDU_ABORT;
    p.abort_type = type;
    p.abort_reason = reason;
    wtp__send(ep, t, &p, NULL, 0);
}


void
wtp__send_ack(struct wtp_ep *ep, struct wtp__txn *t, unsigned tve_tok,
    int has_psn, unsigned psn)
{
    struct wtp_pdu p = { 0 };

    p.type = WTP_PDU_ACK;
    p.tve_tok = tve_tok;
    p.has_psn = has_psn != 0;
    p.psn_tpi = psn;
    wtp__send(ep, t, &p, NULL, 0);
}


void
wtp__indicate(struct wtp_ep *ep, struct wtp__txn *t,
    enum wtp_action_type type, uint8_t abort_type, uint8_t abort_reason)
{
    struct wtp__act *a = act_push(ep);

    if (a == NULL) {
        /* The user does not drain the queue; nothing sane is left. */
        ep->stats.actions_dropped++;
        return;
    }
    a->type = type;
    a->handle = t->handle;
    a->peer = t->addr;
    a->tcl = (uint8_t) t->tcl;
    a->user_ack = (uint8_t) t->uack;
    a->abort_type = abort_type;
    a->abort_reason = abort_reason;
    if (type == WTP_ACT_INVOKE_IND) {
        a->ptr = t->msg.data != NULL ? t->msg.data : (const uint8_t *) "";
        a->len = t->msg.len;
    } else {
        a->ptr = (const uint8_t *) "";
    }
}


void
wtp__tx_send_packet(struct wtp_ep *ep, struct wtp__txn *t, unsigned psn,
    unsigned rid)
{
    struct wtp_pdu p = { 0 };
    const uint8_t *d;
    size_t len;
    unsigned gtr, ttr;

    wtp__sar_tx_packet(&t->tx, psn, &d, &len, &gtr, &ttr);
    if (psn == 0) {
        p.type = t->initiator ? WTP_PDU_INVOKE : WTP_PDU_RESULT;
    } else {
        p.type = t->initiator ? WTP_PDU_SEG_INVOKE : WTP_PDU_SEG_RESULT;
        p.psn = psn;
    }
    p.gtr = gtr;
    p.ttr = ttr;
    p.rid = rid;
    if (t->initiator && psn == 0) {
        p.tcl = t->tcl;
        p.up = t->uack;
        p.tidnew = t->tidnew;
    }
    if (gtr || ttr) {
        t->tx.gtr_sends++;
    }
    wtp__send(ep, t, &p, d, len);
}


void
wtp__tx_send_group(struct wtp_ep *ep, struct wtp__txn *t, uint64_t now)
{
    unsigned psn;

    t->tx.sent_at = now;
    for (psn = t->tx.gfirst; psn <= t->tx.glast; psn++) {
        wtp__tx_send_packet(ep, t, psn, 0);
    }
}
