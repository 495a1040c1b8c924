/*
 * wtp/init_table.c - the WTP initiator state table (WAP-224 9.5) for the
 * transactions the gateway starts: classes 0 and 1 (push).
 *
 *            TR-Invoke.req (class 1)          RcvAck
 *   NULL ------------------------------> RESULT_WAIT ---------> NULL (end)
 *     ^  \__ TR-Invoke.req (class 0): send, done       | RcvAck(TIDve): Ack(TIDok)
 *     +----------------- abort / RCR == MAX_RCR --------+ TimerTO_R: resend
 *
 * Rows are the spec's, in its order ("9.5 STATE n").  The class 2 rows of
 * RESULT WAIT are kept with their guards but cannot match: the API offers
 * classes 0 and 1 only (tr_invoke_req refuses 2), so the class 2 states
 * RESULT RESP WAIT and WAIT TIMEOUT are not transcribed.  The TIDve rows
 * come first with exclusive guards, so an Ack(TIDve) is never taken for
 * the class 1 acknowledgement.  The initiator does no SAR in this
 * version: an invoke must fit one packet.
 *
 * Guards are pure; actions only change the transaction and queue
 * actions through ep.c.  Every state ends with a default row.
 */
#include "wspgw/err.h"
#include "wtp_int.h"

/* ---- guards ----------------------------------------------------------- */

static int
g_c12(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return t->tcl != 0 && !t->uack;
}


static int
g_c12_uack(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return t->tcl != 0 && t->uack;
}


static int
g_c0(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return t->tcl == 0;
}


static int
is_tve(const struct wtp__ev *ev)
{
    return ev->pdu != NULL && ev->pdu->tve_tok;
}


static int
g_tve_rcr_lt(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return is_tve(ev) && t->tcl != 0
        && t->rcr < wtp__ep_cfg(ep)->max_retransmissions;
}


static int
g_tve(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return is_tve(ev) && t->tcl != 0;
}


static int
g_c2_noholdon(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return t->tcl == 2 && !t->holdon;
}


static int
g_c2_holdon(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return t->tcl == 2 && t->holdon;
}


static int
g_c1(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return t->tcl == 1;
}


static int
g_rcr_lt_notok(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return t->rcr < wtp__ep_cfg(ep)->max_retransmissions && !t->tok_sent;
}


static int
g_rcr_lt_tok(const struct wtp_ep *ep, const struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    return t->rcr < wtp__ep_cfg(ep)->max_retransmissions && t->tok_sent;
}


/* ---- actions ---------------------------------------------------------- */

/* SendTID = GenTID (done by ep.c); Send Invoke PDU; Reset RCR; Start
 * timer, R[RCR]; Uack as requested. */
static void
a_send_invoke(struct wtp_ep *ep, struct wtp__txn *t, const struct wtp__ev *ev)
{
    t->rcr = 0;
    wtp__tx_send_packet(ep, t, 0, 0);
    t->tx.sent_at = ev->now;
    wtp__timer(ep, t, WTP__TIMER_R, wtp__rto(t->peer, wtp__ep_cfg(ep), 0),
        ev->now);
}


/* Class 0: Send Invoke PDU, and the transaction is over. */
static void
a_send_invoke0(struct wtp_ep *ep, struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    wtp__tx_send_packet(ep, t, 0, 0);
    wtp__ep_stats_mut(ep)->txn_completed++;
}


static void
a_abort_user(struct wtp_ep *ep, struct wtp__txn *t, const struct wtp__ev *ev)
{
    wtp__send_abort(ep, t, WTP_ABORT_USER, ev->reason);
    wtp__ep_stats_mut(ep)->txn_aborted_tx++;
}


/* Class 2 only (unreachable here): Stop timer; TR-Invoke.cnf; HoldOn. */
static void
a_holdon(struct wtp_ep *ep, struct wtp__txn *t, const struct wtp__ev *ev)
{
    wtp__timer(ep, t, WTP__TIMER_NONE, 0, ev->now);
    wtp__indicate(ep, t, WTP_ACT_INVOKE_CNF, 0, 0);
    t->holdon = 1;
}


/* Stop timer; Generate TR-Invoke.cnf.  Karn: sample if never resent. */
static void
a_invoke_cnf(struct wtp_ep *ep, struct wtp__txn *t, const struct wtp__ev *ev)
{
    if (t->rcr == 0 && !t->tok_sent && ev->now >= t->tx.sent_at) {
        wtp__rtt_sample(t->peer, wtp__ep_cfg(ep),
            (uint32_t) (ev->now - t->tx.sent_at));
    }
    wtp__indicate(ep, t, WTP_ACT_INVOKE_CNF, 0, 0);
    wtp__ep_stats_mut(ep)->txn_completed++;
}


/* Send Ack(TIDok); Increment RCR; Start timer, R[RCR]. */
static void
a_send_tok(struct wtp_ep *ep, struct wtp__txn *t, const struct wtp__ev *ev)
{
    wtp__send_ack(ep, t, 1, 0, 0);
    t->tok_sent = 1;
    t->rcr++;
    wtp__timer(ep, t, WTP__TIMER_R, wtp__rto(t->peer, wtp__ep_cfg(ep), 0),
        ev->now);
}


static void
a_abort_ind(struct wtp_ep *ep, struct wtp__txn *t, const struct wtp__ev *ev)
{
    wtp__indicate(ep, t, WTP_ACT_ABORT_IND, (uint8_t) ev->pdu->abort_type,
        (uint8_t) ev->pdu->abort_reason);
    wtp__ep_stats_mut(ep)->txn_aborted_rx++;
}


static void
a_abort_protoerr(struct wtp_ep *ep, struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    wtp__send_abort(ep, t, WTP_ABORT_PROVIDER, WTP_ABORT_PROTOERR);
    wtp__indicate(ep, t, WTP_ACT_ABORT_IND, WTP_ABORT_PROVIDER,
        WTP_ABORT_PROTOERR);
    wtp__ep_stats_mut(ep)->txn_aborted_tx++;
}


/* Increment RCR; Start timer R[RCR]; Send Invoke PDU (RID=1). */
static void
a_resend_invoke(struct wtp_ep *ep, struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    t->rcr++;
    wtp__rto_backoff(t->peer, wtp__ep_cfg(ep));
    wtp__timer(ep, t, WTP__TIMER_R, wtp__rto(t->peer, wtp__ep_cfg(ep), 0),
        ev->now);
    wtp__tx_send_packet(ep, t, 0, 1);
}


/* Increment RCR; Start timer R[RCR]; Send Ack(TIDok). */
static void
a_resend_tok(struct wtp_ep *ep, struct wtp__txn *t, const struct wtp__ev *ev)
{
    t->rcr++;
    wtp__rto_backoff(t->peer, wtp__ep_cfg(ep));
    wtp__timer(ep, t, WTP__TIMER_R, wtp__rto(t->peer, wtp__ep_cfg(ep), 0),
        ev->now);
    wtp__send_ack(ep, t, 1, 0, 0);
}


/* Abort transaction; Generate TR-Abort.ind (no answer at all). */
static void
a_abort_ind_noresponse(struct wtp_ep *ep, struct wtp__txn *t,
    const struct wtp__ev *ev)
{
    wtp__indicate(ep, t, WTP_ACT_ABORT_IND, WTP_ABORT_PROVIDER,
        WTP_ABORT_NORESPONSE);
    wtp__ep_stats_mut(ep)->txn_aborted_tx++;
}


/* ---- the table ---------------------------------------------------------- */

#define R(st, ev, g, a, nx, ref) \
    { WTP_IS_##st, WTP_EV_##ev, g, a, WTP_IS_##nx, ref }
#define RANY(st, nx, ref) { WTP_IS_##st, WTP_EV_ANY, NULL, NULL, WTP_IS_##nx, ref }

static const struct wtp__row init_rows[] = {
    R(NULL, TR_INVOKE_REQ, g_c12, a_send_invoke, RESULT_WAIT, "9.5 NULL 1"),
    R(NULL, TR_INVOKE_REQ, g_c12_uack, a_send_invoke, RESULT_WAIT,
        "9.5 NULL 2"),
    R(NULL, TR_INVOKE_REQ, g_c0, a_send_invoke0, NULL, "9.5 NULL 3"),
    RANY(NULL, NULL, "default: ignore"),

    R(RESULT_WAIT, TR_ABORT_REQ, NULL, a_abort_user, NULL,
        "9.5 RESULT WAIT 1"),
    R(RESULT_WAIT, RCV_ACK, g_tve_rcr_lt, a_send_tok, RESULT_WAIT,
        "9.5 RESULT WAIT 5"),
    R(RESULT_WAIT, RCV_ACK, g_tve, NULL, RESULT_WAIT, "9.5 RESULT WAIT 6"),
    R(RESULT_WAIT, RCV_ACK, g_c2_noholdon, a_holdon, RESULT_WAIT,
        "9.5 RESULT WAIT 2 (class 2: not offered)"),
    R(RESULT_WAIT, RCV_ACK, g_c2_holdon, NULL, RESULT_WAIT,
        "9.5 RESULT WAIT 3 (class 2: not offered)"),
    R(RESULT_WAIT, RCV_ACK, g_c1, a_invoke_cnf, NULL, "9.5 RESULT WAIT 4"),
    R(RESULT_WAIT, RCV_ABORT, NULL, a_abort_ind, NULL, "9.5 RESULT WAIT 7"),
    R(RESULT_WAIT, RCV_ERROR, NULL, a_abort_protoerr, NULL,
        "9.5 RESULT WAIT 8"),
    R(RESULT_WAIT, TO_R, g_rcr_lt_notok, a_resend_invoke, RESULT_WAIT,
        "9.5 RESULT WAIT 9"),
    R(RESULT_WAIT, TO_R, g_rcr_lt_tok, a_resend_tok, RESULT_WAIT,
        "9.5 RESULT WAIT 10"),
    R(RESULT_WAIT, TO_R, NULL, a_abort_ind_noresponse, NULL,
        "9.5 RESULT WAIT 11"),
    RANY(RESULT_WAIT, RESULT_WAIT, "default: ignore (RcvResult: class 2)"),
};

static const char *const init_state_names[] = {
#define XX(name, text) text,
    WTP_INIT_STATE_MAP(XX)
#undef XX
};

const struct wtp__table wtp__init_table = {
    "initiator",
    init_rows,
    sizeof(init_rows) / sizeof(init_rows[0]),
    init_state_names,
    WTP_IS_COUNT,
    WTP_IS_NULL
};
