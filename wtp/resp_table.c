/*
 * wtp/resp_table.c - the WTP responder state table (WAP-224 9.6), with
 * the rows this design adds for SAR (7.14), which 9.1 leaves out of the
 * spec's tables, and for bounding waits the spec leaves open.
 *
 *                 RcvInvoke (valid TID)              TR-Result.req
 *   LISTEN ---------------------------> INVOKE_RESP_WAIT ---------+
 *     |  \ RcvInvoke (invalid TID)          |  TO_A (class 2,     |
 *     |   +--> TIDOK_WAIT --RcvAck(Tok)-----+  no U/P): hold-on   v
 *     |           ^   \__ (SAR, partial) __     Ack            RESULT_RESP_WAIT
 *     | packet 0  |                        \      |                 |  RcvAck
 *     | TTR=0     | first group, bad TID    v     v                 v
 *     +------> RECEIVING ---- SegDone ---> (as RcvInvoke)  -> LISTEN (end)
 *                                      RESULT_WAIT --TR-Result.req--^
 *   class 1: INVOKE_RESP_WAIT --TR-Invoke.res / TO_A--> WAIT_TIMEOUT --W--> end
 *
 * Entering LISTEN ends the transaction (ep.c frees it); a transaction is
 * born in LISTEN (unsegmented Invoke) or RECEIVING (packet 0 with TTR=0,
 * or a Segmented Invoke whose packet 0 was lost).
 *
 * Rows are the spec's, in its order; "9.6 STATE n" names row n of that
 * state's table.  Rows marked "SAR" or "ext" are ours:
 *   - RECEIVING: packets of a segmented invoke; a group is acked with a
 *     PSN TPI only when complete, holes are nacked, TID verification
 *     happens on the first complete group (10.6.3);
 *   - RESULT_RESP_WAIT: Acks of our Result's groups and Nacks;
 *   - TIDOK_WAIT and RESULT_WAIT get a timer (the spec has none there, so
 *     a silent peer would pin memory forever); RESULT_WAIT counts A
 *     expirations up to AEC_MAX, which is how long the WTP user (WSP and
 *     the upstream HTTP fetch) may take: see wtp_config_defaults.
 * Where the spec's rows overlap (e.g. "RID=1" and "RID=1, Ack already
 * sent"), guards are made exclusive so first-match gives the spec's
 * meaning.  ExitInfo rows are kept but never match: the API has no exit
 * info (7.4 is optional).
 *
 * Guards are pure.  Actions only change the transaction and queue
 * actions through ep.c.  Every state ends with a default row.
 */
#include "wspgw/err.h"
#include "wtp_int.h"

/* ---- guards ----------------------------------------------------------- */

static int
g_c12_valid_up(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return t->tcl != 0 && t->tid_ok && t->uack;
}


static int
g_c12_valid(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return t->tcl != 0 && t->tid_ok;
}


static int
g_c0(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return t->tcl == 0;
}


static int
g_c12_invalid(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return t->tcl != 0 && !t->tid_ok;
}


static int
g_tidok_complete(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return ev->pdu != NULL && ev->pdu->tve_tok && t->tcl != 0
        && (t->rx == NULL
            || (t->rx->ttr >= 0 && t->rx->last_acked == t->rx->ttr));
}


static int
g_tidok_partial(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return ev->pdu != NULL && ev->pdu->tve_tok && t->tcl != 0;
}


static int
g_rid0(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return t->last_rid == 0;
}


static int
g_rid1(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return t->last_rid == 1;
}


static int
g_rid1_noack(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return t->last_rid == 1 && !t->ack_sent;
}


static int
g_rid1_acked(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return t->last_rid == 1 && t->ack_sent;
}


/* The API carries no exit info (7.4 is optional): never true. */
static int
g_exitinfo(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return 0;
}


static int
g_c1(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return t->tcl == 1;
}


static int
g_c2(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return t->tcl == 2;
}


static int
g_uack_aec_lt(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return t->uack && t->aec < wtp__ep_cfg(ep)->max_ack_expirations;
}


static int
g_uack_aec_max(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return t->uack;
}


static int
g_c1_nouack(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return t->tcl == 1 && !t->uack;
}


static int
g_c2_nouack(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return t->tcl == 2 && !t->uack;
}


static int
g_noack_sent(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return !t->ack_sent;
}


static int
g_aec_lt(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return t->aec < wtp__ep_cfg(ep)->max_ack_expirations;
}


static int
g_tidok(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return ev->pdu != NULL && ev->pdu->tve_tok;
}


static int
g_tidok_rid1(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return ev->pdu != NULL && ev->pdu->tve_tok && ev->pdu->rid;
}


/* SAR: an Ack for the group in flight that is not the last group. */
static int
g_ack_next_group(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    const struct wtp__sar_tx *tx = &t->tx;

    return t->has_tx && tx->npk > 1 && tx->gtr_sends > 0
        && ev->pdu->has_psn && ev->pdu->psn_tpi == tx->glast
        && !wtp__sar_tx_last_group(tx);
}


/* SAR: an Ack that is not for the message: stale group, or a plain Ack
 * before the last group went out.  Ignored: no amplification. */
static int
g_ack_stale(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    const struct wtp__sar_tx *tx = &t->tx;

    if (!t->has_tx || tx->npk == 1) {
        return 0;
    }
    if (!wtp__sar_tx_last_group(tx) || tx->gtr_sends == 0) {
        return 1;
    }
    return ev->pdu->has_psn && ev->pdu->psn_tpi != tx->glast;
}


static int
g_nack_credit(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return t->has_tx && t->tx.nacks_done < t->tx.gtr_sends
        && t->tx.nacks_done < wtp__ep_cfg(ep)->max_retransmissions;
}


static int
g_rcr_lt(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return t->rcr < wtp__ep_cfg(ep)->max_retransmissions;
}


static int
g_first_group_bad_tid(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return !t->tid_ok;
}


/* ---- actions ---------------------------------------------------------- */

static unsigned
ack_psn(const struct wtp__txn *t, int *has)
{
    *has = t->in_seg;
    return t->ttr_psn;
}


/* Generate TR-Invoke.ind; Start timer, A; Uack = U/P (LISTEN 1, 2). */
static void
a_invoke_ind(struct wtp_ep *ep, struct wtp__txn *t, const struct wtp__ev *ev)
{
    wtp__indicate(ep, t, WTP_ACT_INVOKE_IND, 0, 0);
    t->aec = 0;
    wtp__timer(ep, t, WTP__TIMER_A, wtp__ep_cfg(ep)->ack_interval_ms,
        ev->now);
}


/* Class 0: Generate TR-Invoke.ind and forget (LISTEN 3). */
static void
a_invoke_ind0(struct wtp_ep *ep, struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    wtp__indicate(ep, t, WTP_ACT_INVOKE_IND, 0, 0);
}


/* Send Ack(TIDve) (LISTEN 4, TIDOK WAIT 5); for a segmented invoke it
 * also acks the first group (10.6.3).  W bounds the wait (ext). */
static void
a_send_tve(struct wtp_ep *ep, struct wtp__txn *t, const struct wtp__ev *ev)
{
    int has;
    unsigned psn = t->rx != NULL ? (unsigned) t->rx->last_acked : 0;

    has = t->rx != NULL && t->rx->last_acked >= 0;
    wtp__send_ack(ep, t, 1, has, psn);
    wtp__ep_stats_mut(ep)->tid_verifications++;
    wtp__timer(ep, t, WTP__TIMER_W, wtp__ep_cfg(ep)->wait_timeout_ms,
        ev->now);
}


/* Send Abort PDU (PROTOERR); the user never saw the transaction. */
static void
a_abort_protoerr_noind(struct wtp_ep *ep, struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    wtp__send_abort(ep, t, WTP_ABORT_PROVIDER, WTP_ABORT_PROTOERR);
}


/* Abort / clear transaction, nothing sent, nothing indicated. */
static void
a_clear(struct wtp_ep *ep, struct wtp__txn *t, const struct wtp__ev *ev)
{
}


/* TIDok: the verified invoke starts (Table 9) and is delivered. */
static void
a_verified_ind(struct wtp_ep *ep, struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    wtp__tid_verified(t->peer, t->rtid, t->tidnew);
    t->tid_ok = 1;
    a_invoke_ind(ep, t, ev);
}


/* SAR, TIDok before the whole message is in: go on receiving. */
static void
a_verified_more(struct wtp_ep *ep, struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    wtp__tid_verified(t->peer, t->rtid, t->tidnew);
    t->tid_ok = 1;
    wtp__timer(ep, t, WTP__TIMER_W, wtp__ep_cfg(ep)->wait_timeout_ms,
        ev->now);
}


/* Queue(A) Ack PDU [with Info TPI]; Start timer, W (class 1). */
static void
a_ack_w(struct wtp_ep *ep, struct wtp__txn *t, const struct wtp__ev *ev)
{
    int has;
    unsigned psn = ack_psn(t, &has);

    wtp__send_ack(ep, t, 0, has, psn);
    t->ack_sent = 1;
    wtp__timer(ep, t, WTP__TIMER_W, wtp__ep_cfg(ep)->wait_timeout_ms,
        ev->now);
    wtp__release_msg(ep, t);
}


/* TR-Invoke.res on class 2: Start timer, A. */
static void
a_start_a(struct wtp_ep *ep, struct wtp__txn *t, const struct wtp__ev *ev)
{
    t->aec = 0;
    wtp__timer(ep, t, WTP__TIMER_A, wtp__ep_cfg(ep)->ack_interval_ms,
        ev->now);
}


/* Reset RCR; Start timer R[RCR]; Send Result PDU (its first group). */
static void
a_send_result(struct wtp_ep *ep, struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    t->rcr = 0;
    wtp__release_msg(ep, t);
    wtp__tx_send_group(ep, t, ev->now);
    wtp__timer(ep, t, WTP__TIMER_R, wtp__rto(t->peer, wtp__ep_cfg(ep), 0),
        ev->now);
}


/* Abort transaction; Send Abort PDU (USER). */
static void
a_abort_user(struct wtp_ep *ep, struct wtp__txn *t, const struct wtp__ev *ev)
{
    wtp__send_abort(ep, t, WTP_ABORT_USER, ev->reason);
    wtp__ep_stats_mut(ep)->txn_aborted_tx++;
}


/* Generate TR-Abort.ind; Abort transaction. */
static void
a_abort_ind(struct wtp_ep *ep, struct wtp__txn *t, const struct wtp__ev *ev)
{
    wtp__indicate(ep, t, WTP_ACT_ABORT_IND, (uint8_t) ev->pdu->abort_type,
        (uint8_t) ev->pdu->abort_reason);
    wtp__ep_stats_mut(ep)->txn_aborted_rx++;
}


/* Abort; Send Abort PDU (PROTOERR); Generate TR-Abort.ind. */
static void
a_abort_protoerr(struct wtp_ep *ep, struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    wtp__send_abort(ep, t, WTP_ABORT_PROVIDER, WTP_ABORT_PROTOERR);
    wtp__indicate(ep, t, WTP_ACT_ABORT_IND, WTP_ABORT_PROVIDER,
        WTP_ABORT_PROTOERR);
    wtp__ep_stats_mut(ep)->txn_aborted_tx++;
}


/* Abort; Send Abort PDU (NORESPONSE); Generate TR-Abort.ind. */
static void
a_abort_noresponse(struct wtp_ep *ep, struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    wtp__send_abort(ep, t, WTP_ABORT_PROVIDER, WTP_ABORT_NORESPONSE);
    wtp__indicate(ep, t, WTP_ACT_ABORT_IND, WTP_ABORT_PROVIDER,
        WTP_ABORT_NORESPONSE);
    wtp__ep_stats_mut(ep)->txn_aborted_tx++;
}


/* SAR: the sender went silent before the message was whole.  The user
 * never saw it; tell the sender (ext). */
static void
a_abort_noresponse_noind(struct wtp_ep *ep, struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    wtp__send_abort(ep, t, WTP_ABORT_PROVIDER, WTP_ABORT_NORESPONSE);
    wtp__ep_stats_mut(ep)->txn_aborted_tx++;
}


/* A cap was hit (MESSAGETOOLARGE, CAPTEMPEXCEEDED): abort with it. */
static void
a_abort_cap(struct wtp_ep *ep, struct wtp__txn *t, const struct wtp__ev *ev)
{
    wtp__send_abort(ep, t, WTP_ABORT_PROVIDER, ev->reason);
    if (t->state >= WTP_RS_INVOKE_RESP_WAIT) {
        wtp__indicate(ep, t, WTP_ACT_ABORT_IND, WTP_ABORT_PROVIDER,
            ev->reason);
    }
    wtp__ep_stats_mut(ep)->refused_caps++;
    wtp__ep_stats_mut(ep)->txn_aborted_tx++;
}


/* Increment AEC; Start timer, A. */
static void
a_aec_tick(struct wtp_ep *ep, struct wtp__txn *t, const struct wtp__ev *ev)
{
    t->aec++;
    wtp__timer(ep, t, WTP__TIMER_A, wtp__ep_cfg(ep)->ack_interval_ms,
        ev->now);
}


/* Send Ack PDU (the hold-on Ack, 7.1.5.3).  For a segmented invoke it
 * carries the TTR packet's PSN, so it also closes the last group.  A
 * restarts to count how long the user takes (ext). */
static void
a_send_holdon(struct wtp_ep *ep, struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    int has;
    unsigned psn = ack_psn(t, &has);

    wtp__send_ack(ep, t, 0, has, psn);
    t->ack_sent = 1;
    t->aec = 0;
    wtp__timer(ep, t, WTP__TIMER_A, wtp__ep_cfg(ep)->ack_interval_ms,
        ev->now);
}


/* Resend Ack PDU (answers a retransmitted invoke; never on a timer). */
static void
a_resend_ack(struct wtp_ep *ep, struct wtp__txn *t, const struct wtp__ev *ev)
{
    int has;
    unsigned psn = ack_psn(t, &has);

    wtp__send_ack(ep, t, 0, has, psn);
}


/* Generate TR-Result.cnf.  Karn: sample the RTT only if nothing of the
 * last group was sent twice. */
static void
a_result_cnf(struct wtp_ep *ep, struct wtp__txn *t, const struct wtp__ev *ev)
{
    if (t->has_tx && !t->tx.retx && t->tx.gtr_sends == 1
        && ev->now >= t->tx.sent_at)
    {
        wtp__rtt_sample(t->peer, wtp__ep_cfg(ep),
            (uint32_t) (ev->now - t->tx.sent_at));
    }
    wtp__indicate(ep, t, WTP_ACT_RESULT_CNF, 0, 0);
    wtp__ep_stats_mut(ep)->txn_completed++;
}


/* SAR: the group in flight is acked; send the next one. */
static void
a_send_next_group(struct wtp_ep *ep, struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    if (!t->tx.retx && t->tx.gtr_sends == 1 && ev->now >= t->tx.sent_at) {
        wtp__rtt_sample(t->peer, wtp__ep_cfg(ep),
            (uint32_t) (ev->now - t->tx.sent_at));
    }
    (void) wtp__sar_tx_on_ack(&t->tx, 1, ev->pdu->psn_tpi);
    t->rcr = 0;
    wtp__tx_send_group(ep, t, ev->now);
    wtp__timer(ep, t, WTP__TIMER_R, wtp__rto(t->peer, wtp__ep_cfg(ep), 0),
        ev->now);
}


/*
 * SAR: resend exactly the packets the Nack lists (7.14.4).  A Nack shows
 * the peer alive, so RCR (retransmissions without an answer) restarts;
 * the guard caps Nack rounds per group at MAX_RCR, so a group costs at
 * most gsize + MAX_RCR * gsize + (MAX_RCR + 1) * MAX_RCR datagrams.
 */
static void
a_resend_missing(struct wtp_ep *ep, struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    uint8_t resend[WTP_MAX_PACKETS];
    unsigned n, i;

    wtp__ep_stats_mut(ep)->nacks_rx++;
    n = wtp__sar_tx_on_nack(&t->tx, ev->pdu->nmissing, ev->pdu->missing,
        resend);
    for (i = 0; i < n; i++) {
        wtp__tx_send_packet(ep, t, resend[i], 1);
    }
    t->rcr = 0;
    wtp__timer(ep, t, WTP__TIMER_R, wtp__rto(t->peer, wtp__ep_cfg(ep), 0),
        ev->now);
}


/* Increment RCR; Send Result PDU (only the GTR/TTR packet of the group
 * in flight, 7.14.3); Start timer, R[RCR]. */
static void
a_resend_result(struct wtp_ep *ep, struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    t->rcr++;
    t->tx.retx = 1;
    wtp__rto_backoff(t->peer, wtp__ep_cfg(ep));
    wtp__tx_send_packet(ep, t, t->tx.glast, 1);
    wtp__timer(ep, t, WTP__TIMER_R, wtp__rto(t->peer, wtp__ep_cfg(ep), 0),
        ev->now);
}


/* Generate TR-Abort.ind (NORESPONSE); Abort transaction. */
static void
a_abort_ind_noresponse(struct wtp_ep *ep, struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    wtp__indicate(ep, t, WTP_ACT_ABORT_IND, WTP_ABORT_PROVIDER,
        WTP_ABORT_NORESPONSE);
    wtp__ep_stats_mut(ep)->txn_aborted_tx++;
}


/* SAR: a group of the invoke is complete: Ack with its PSN TPI. */
static void
a_ack_group(struct wtp_ep *ep, struct wtp__txn *t, const struct wtp__ev *ev)
{
    wtp__send_ack(ep, t, 0, 1, ev->psn);
    wtp__timer(ep, t, WTP__TIMER_W, wtp__ep_cfg(ep)->wait_timeout_ms,
        ev->now);
}


/* SAR: Nack the holes of the open group. */
static void
a_send_nack(struct wtp_ep *ep, struct wtp__txn *t, const struct wtp__ev *ev)
{
    struct wtp_pdu p = { 0 };

    p.type = WTP_PDU_NACK;
    p.nmissing = ev->nmissing;
    p.missing = ev->missing;
    wtp__send(ep, t, &p, NULL, 0);
    wtp__ep_stats_mut(ep)->nacks_tx++;
    wtp__timer(ep, t, WTP__TIMER_W, wtp__ep_cfg(ep)->wait_timeout_ms,
        ev->now);
}


/* SAR: progress; restart W. */
static void
a_restart_w(struct wtp_ep *ep, struct wtp__txn *t, const struct wtp__ev *ev)
{
    wtp__timer(ep, t, WTP__TIMER_W, wtp__ep_cfg(ep)->wait_timeout_ms,
        ev->now);
}


/* ---- the table ---------------------------------------------------------- */

#define R(st, ev, g, a, nx, ref) \
    { WTP_RS_##st, WTP_EV_##ev, g, a, WTP_RS_##nx, ref }
#define RANY(st, nx, ref) { WTP_RS_##st, WTP_EV_ANY, NULL, NULL, WTP_RS_##nx, ref }

static const struct wtp__row resp_rows[] = {
    /* LISTEN: a transaction being born from a whole Invoke. */
    R(LISTEN, RCV_INVOKE, g_c12_valid_up, a_invoke_ind, INVOKE_RESP_WAIT,
        "9.6 LISTEN 1"),
    R(LISTEN, RCV_INVOKE, g_c12_valid, a_invoke_ind, INVOKE_RESP_WAIT,
        "9.6 LISTEN 2"),
    R(LISTEN, RCV_INVOKE, g_c0, a_invoke_ind0, LISTEN, "9.6 LISTEN 3"),
    R(LISTEN, RCV_INVOKE, g_c12_invalid, a_send_tve, TIDOK_WAIT,
        "9.6 LISTEN 4"),
    R(LISTEN, RCV_ERROR, NULL, a_abort_protoerr_noind, LISTEN,
        "9.6 LISTEN 5"),
    R(LISTEN, CAP, NULL, a_abort_cap, LISTEN, "9.2 Table 37 (caps)"),
    RANY(LISTEN, LISTEN, "default: ignore"),

    /* TIDOK WAIT */
    R(TIDOK_WAIT, RCV_ACK, g_tidok_complete, a_verified_ind,
        INVOKE_RESP_WAIT, "9.6 TIDOK WAIT 1"),
    R(TIDOK_WAIT, RCV_ACK, g_tidok_partial, a_verified_more, RECEIVING,
        "SAR 10.6.3: verified, more groups to come"),
    R(TIDOK_WAIT, RCV_ERROR, NULL, a_abort_protoerr_noind, LISTEN,
        "9.6 TIDOK WAIT 2"),
    R(TIDOK_WAIT, RCV_ABORT, NULL, a_clear, LISTEN, "9.6 TIDOK WAIT 3"),
    R(TIDOK_WAIT, RCV_INVOKE, g_rid0, NULL, TIDOK_WAIT, "9.6 TIDOK WAIT 4"),
    R(TIDOK_WAIT, RCV_INVOKE, g_rid1, a_send_tve, TIDOK_WAIT,
        "9.6 TIDOK WAIT 5"),
    R(TIDOK_WAIT, SEG_DUP_ACKED, NULL, a_send_tve, TIDOK_WAIT,
        "SAR: repeated first-group GTR = TIDOK WAIT 5"),
    R(TIDOK_WAIT, CAP, NULL, a_abort_cap, LISTEN, "9.2 Table 37 (caps)"),
    R(TIDOK_WAIT, TO_W, NULL, a_clear, LISTEN,
        "ext: no Tok within W, forget the invoke"),
    RANY(TIDOK_WAIT, TIDOK_WAIT, "default: ignore"),

    /* RECEIVING (SAR, 7.14): the packets of a segmented invoke. */
    R(RECEIVING, SEG_MORE, NULL, a_restart_w, RECEIVING, "SAR 7.14.3 store"),
    R(RECEIVING, SEG_GROUP, g_first_group_bad_tid, a_send_tve, TIDOK_WAIT,
        "SAR 10.6.3: verify on the first group = 9.6 LISTEN 4"),
    R(RECEIVING, SEG_GROUP, NULL, a_ack_group, RECEIVING,
        "SAR 7.14.3: ack a complete group"),
    R(RECEIVING, SEG_DONE, g_c12_invalid, a_send_tve, TIDOK_WAIT,
        "SAR 10.6.3 = 9.6 LISTEN 4"),
    R(RECEIVING, SEG_DONE, g_c12_valid_up, a_invoke_ind, INVOKE_RESP_WAIT,
        "SAR 7.14.3 = 9.6 LISTEN 1"),
    R(RECEIVING, SEG_DONE, g_c12_valid, a_invoke_ind, INVOKE_RESP_WAIT,
        "SAR 7.14.3 = 9.6 LISTEN 2"),
    R(RECEIVING, SEG_NACK, NULL, a_send_nack, RECEIVING, "SAR 7.14.4"),
    R(RECEIVING, SEG_DUP_ACKED, NULL, a_ack_group, RECEIVING,
        "SAR 7.14.3: the sender lost our group Ack"),
    R(RECEIVING, RCV_ABORT, NULL, a_clear, LISTEN, "SAR = 9.6 TIDOK WAIT 3"),
    R(RECEIVING, RCV_ERROR, NULL, a_abort_protoerr_noind, LISTEN,
        "SAR = 9.6 TIDOK WAIT 2"),
    R(RECEIVING, CAP, NULL, a_abort_cap, LISTEN, "9.2 Table 37 (caps)"),
    R(RECEIVING, TO_W, NULL, a_abort_noresponse_noind, LISTEN,
        "ext: the sender went silent mid-message"),
    RANY(RECEIVING, RECEIVING, "default: ignore"),

    /* INVOKE RESP WAIT */
    R(INVOKE_RESP_WAIT, TR_INVOKE_RES, g_exitinfo, a_ack_w, WAIT_TIMEOUT,
        "9.6 INVOKE RESP WAIT 1 (ExitInfo: unused)"),
    R(INVOKE_RESP_WAIT, TR_INVOKE_RES, g_c1, a_ack_w, WAIT_TIMEOUT,
        "9.6 INVOKE RESP WAIT 2"),
    R(INVOKE_RESP_WAIT, TR_INVOKE_RES, g_c2, a_start_a, RESULT_WAIT,
        "9.6 INVOKE RESP WAIT 3"),
    R(INVOKE_RESP_WAIT, TR_RESULT_REQ, NULL, a_send_result,
        RESULT_RESP_WAIT, "9.6 INVOKE RESP WAIT 4"),
    R(INVOKE_RESP_WAIT, TR_ABORT_REQ, NULL, a_abort_user, LISTEN,
        "9.6 INVOKE RESP WAIT 5"),
    R(INVOKE_RESP_WAIT, RCV_ABORT, NULL, a_abort_ind, LISTEN,
        "9.6 INVOKE RESP WAIT 6"),
    R(INVOKE_RESP_WAIT, RCV_INVOKE, NULL, NULL, INVOKE_RESP_WAIT,
        "9.6 INVOKE RESP WAIT 7"),
    R(INVOKE_RESP_WAIT, RCV_ERROR, NULL, a_abort_protoerr, LISTEN,
        "9.6 INVOKE RESP WAIT 8"),
    R(INVOKE_RESP_WAIT, TO_A, g_uack_aec_lt, a_aec_tick, INVOKE_RESP_WAIT,
        "9.6 INVOKE RESP WAIT 9 (with U/P)"),
    R(INVOKE_RESP_WAIT, TO_A, g_uack_aec_max, a_abort_noresponse, LISTEN,
        "9.6 INVOKE RESP WAIT 10 (with U/P)"),
    R(INVOKE_RESP_WAIT, TO_A, g_c1_nouack, a_ack_w, WAIT_TIMEOUT,
        "9.6 INVOKE RESP WAIT 11"),
    R(INVOKE_RESP_WAIT, TO_A, g_c2_nouack, a_send_holdon, RESULT_WAIT,
        "9.6 INVOKE RESP WAIT 12 (hold-on Ack)"),
    RANY(INVOKE_RESP_WAIT, INVOKE_RESP_WAIT, "default: ignore"),

    /* RESULT WAIT (class 2) */
    R(RESULT_WAIT, TR_RESULT_REQ, NULL, a_send_result, RESULT_RESP_WAIT,
        "9.6 RESULT WAIT 1"),
    R(RESULT_WAIT, RCV_INVOKE, g_rid0, NULL, RESULT_WAIT,
        "9.6 RESULT WAIT 2"),
    R(RESULT_WAIT, RCV_INVOKE, g_rid1_noack, NULL, RESULT_WAIT,
        "9.6 RESULT WAIT 3"),
    R(RESULT_WAIT, RCV_INVOKE, g_rid1_acked, a_resend_ack, RESULT_WAIT,
        "9.6 RESULT WAIT 4"),
    R(RESULT_WAIT, RCV_ERROR, NULL, a_abort_protoerr, LISTEN,
        "9.6 RESULT WAIT 5"),
    R(RESULT_WAIT, TR_ABORT_REQ, NULL, a_abort_user, LISTEN,
        "9.6 RESULT WAIT 6"),
    R(RESULT_WAIT, RCV_ABORT, NULL, a_abort_ind, LISTEN,
        "9.6 RESULT WAIT 7"),
    R(RESULT_WAIT, TO_A, g_noack_sent, a_send_holdon, RESULT_WAIT,
        "9.6 RESULT WAIT 8"),
    R(RESULT_WAIT, TO_A, g_aec_lt, a_aec_tick, RESULT_WAIT,
        "ext: count A expirations while the user works"),
    R(RESULT_WAIT, TO_A, NULL, a_abort_noresponse, LISTEN,
        "ext: AEC_MAX reached, the user gave no result"),
    RANY(RESULT_WAIT, RESULT_WAIT, "default: ignore"),

    /* RESULT RESP WAIT (class 2) */
    R(RESULT_RESP_WAIT, TR_ABORT_REQ, NULL, a_abort_user, LISTEN,
        "9.6 RESULT RESP WAIT 1"),
    R(RESULT_RESP_WAIT, RCV_ABORT, NULL, a_abort_ind, LISTEN,
        "9.6 RESULT RESP WAIT 2"),
    R(RESULT_RESP_WAIT, RCV_ACK, g_tidok, NULL, RESULT_RESP_WAIT,
        "9.6 RESULT RESP WAIT 3"),
    R(RESULT_RESP_WAIT, RCV_ACK, g_ack_next_group, a_send_next_group,
        RESULT_RESP_WAIT, "SAR 7.14.3: group acked, send the next"),
    R(RESULT_RESP_WAIT, RCV_ACK, g_ack_stale, NULL, RESULT_RESP_WAIT,
        "SAR: late or duplicated Ack, ignore (no amplification)"),
    R(RESULT_RESP_WAIT, RCV_ACK, NULL, a_result_cnf, LISTEN,
        "9.6 RESULT RESP WAIT 4"),
    R(RESULT_RESP_WAIT, RCV_NACK, g_nack_credit, a_resend_missing,
        RESULT_RESP_WAIT, "SAR 7.14.4: resend what is missing"),
    R(RESULT_RESP_WAIT, RCV_NACK, NULL, NULL, RESULT_RESP_WAIT,
        "SAR: duplicated Nack, ignore (no amplification)"),
    R(RESULT_RESP_WAIT, RCV_ERROR, NULL, a_abort_protoerr, LISTEN,
        "9.6 RESULT RESP WAIT 5"),
    R(RESULT_RESP_WAIT, TO_R, g_rcr_lt, a_resend_result, RESULT_RESP_WAIT,
        "9.6 RESULT RESP WAIT 6"),
    R(RESULT_RESP_WAIT, TO_R, NULL, a_abort_ind_noresponse, LISTEN,
        "9.6 RESULT RESP WAIT 7"),
    RANY(RESULT_RESP_WAIT, RESULT_RESP_WAIT, "default: ignore"),

    /* WAIT TIMEOUT (class 1) */
    R(WAIT_TIMEOUT, RCV_INVOKE, g_rid0, NULL, WAIT_TIMEOUT,
        "9.6 WAIT TIMEOUT 1"),
    R(WAIT_TIMEOUT, RCV_INVOKE, g_rid1, a_resend_ack, WAIT_TIMEOUT,
        "9.6 WAIT TIMEOUT 2"),
    R(WAIT_TIMEOUT, RCV_INVOKE, g_exitinfo, a_resend_ack, WAIT_TIMEOUT,
        "9.6 WAIT TIMEOUT 3 (ExitInfo: unused)"),
    R(WAIT_TIMEOUT, RCV_ACK, g_tidok_rid1, a_resend_ack, WAIT_TIMEOUT,
        "9.6 WAIT TIMEOUT 4"),
    R(WAIT_TIMEOUT, RCV_ACK, g_exitinfo, a_resend_ack, WAIT_TIMEOUT,
        "9.6 WAIT TIMEOUT 5 (ExitInfo: unused)"),
    R(WAIT_TIMEOUT, RCV_ERROR, NULL, a_abort_protoerr, LISTEN,
        "9.6 WAIT TIMEOUT 6"),
    R(WAIT_TIMEOUT, RCV_ABORT, NULL, a_abort_ind, LISTEN,
        "9.6 WAIT TIMEOUT 7"),
    R(WAIT_TIMEOUT, TO_W, NULL, a_clear, LISTEN, "9.6 WAIT TIMEOUT 8"),
    R(WAIT_TIMEOUT, TR_ABORT_REQ, NULL, a_abort_user, LISTEN,
        "9.6 WAIT TIMEOUT 9"),
    RANY(WAIT_TIMEOUT, WAIT_TIMEOUT, "default: ignore"),
};

static const char *const resp_state_names[] = {
#define XX(name, text) text,
    WTP_RESP_STATE_MAP(XX)
#undef XX
};

const struct wtp__table wtp__resp_table = {
    "responder",
    resp_rows,
    sizeof(resp_rows) / sizeof(resp_rows[0]),
    resp_state_names,
    WTP_RS_COUNT,
    WTP_RS_LISTEN
};
