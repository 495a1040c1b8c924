/*
 * wsp/session_table.c - the server session and server method state
 * machines of connection-mode WSP, as tables.
 *
 * Spec: WAP-230-WSP-20010705-a 7.1.6.4 "Server Session State Tables" and
 * 7.1.6.5 "Server Method State Tables", transcribed row for row in the
 * spec's order (STYLE.md 3.6); 7.1.5 for the checks made before an event
 * reaches a table (session.c) and for the default rows.
 *
 *           Connect                S-Connect.res           TR-Result.cnf
 *   NULL ----------> CONNECTING ---------------> CONNECTING_2 ----------+
 *    ^                 (the session user answers  |                     |
 *    |                  at once: session.c)       | S-Disconnect.req    |
 *    |                                            v (Redirect)          |
 *    +<--- TR-Result.cnf, TR-Abort.ind, ----- TERMINATING               |
 *    |     Disconnect, Suspend                                          v
 *    |  Disconnect PDU, Disconnect, TR-Abort.ind(Connect)          CONNECTED
 *    +---- from every state ----------------------------------------   |
 *    |                                                     Suspend PDU, |
 *    |          TR-Result.cnf       S-Resume.res   Resume   Suspend     v
 *    |  CONNECTED <------ RESUMING_2 <------ RESUMING <------------ SUSPENDED
 *    |                                          ^      Resume (also   ^
 *    |                                          +--- from CONNECTED,  |
 *    |                                               CONNECTING_2) ---+
 *
 *   Method:  NULL --Invoke--> HOLDING --Release--> REQUESTING
 *            --S-MethodInvoke.res--> PROCESSING --S-MethodResult.req-->
 *            REPLYING --TR-Result.cnf--> NULL; Abort / TR-Abort.ind /
 *            S-MethodAbort.req lead to NULL from every state.
 *
 * Mapping to wspgw:
 *   - S-Connect.ind / S-Resume.ind go to a session user that session.c
 *     plays itself: it accepts at once (its refusals happen before a
 *     proto-session exists), so CONNECTING and RESUMING never outlive one
 *     event.  Rows that could only fire in them are kept (marked
 *     WSP_ROW_SYNC) so the table stays the spec's.
 *   - S-MethodInvoke.ind is the FETCH action; the gateway's taking of it
 *     (wsp_srv_next_action) is S-MethodInvoke.res.  S-MethodResult.req
 *     is wsp_srv_method_reply, S-MethodAbort.req wsp_srv_method_abort,
 *     S-MethodAbort.ind a FETCH_CANCEL (only while the gateway still owes
 *     a reply; a FETCH still in the queue is withdrawn instead).
 *   - TR-Invoke.res is queued for a method once the gateway took it:
 *     with U/P set, WTP may send hold-on Acks only after it (WAP-224
 *     9.6, INVOKE RESP WAIT), so a slow upstream would otherwise leave
 *     the handset retransmitting and giving up.  Connect and Resume are
 *     answered within the same event, so their Result is the ack.
 *   - S-Disconnect.ind and S-Suspend.ind are logged and counted.
 *   - When redirect addresses are configured, session.c answers every
 *     S-Connect.ind with S-Disconnect.req(Redirect) instead of
 *     S-Connect.res: the CONNECTING row sends the Redirect PDU as the
 *     Connect's TR-Result and the proto-session waits in TERMINATING for
 *     its TR-Result.cnf (or TR-Abort.ind), then ends.  It never becomes
 *     a session: no id, not bound to the peer, not counted.  The
 *     S-Disconnect.req row with another reason (a refusing Reply) is
 *     transcribed but unused (WSP_ROW_UNUSED): refusals are aborts
 *     before a proto-session exists.
 *
 * Not transcribed: S-Disconnect.req in CONNECTING_2, CONNECTED,
 * SUSPENDED, RESUMING and RESUMING_2 (server-initiated Disconnect:
 * idle expiry uses the Disconnect pseudo-event instead), S-Push.req /
 * S-ConfirmedPush.req and the push table (push is not offered), and
 * the Large Data Transfer rows
 * (TR-InvokeData, PROCESSING2, MoreData; LDT is not offered).  Where the
 * spec has no row the default rows of 7.1.5 apply: a class 2 invoke is
 * aborted with PROTOERR, a class 0 invoke or pseudo-event is ignored,
 * any other transaction event disconnects the session with PROTOERR.
 *
 * Guards are pure; actions only change the machine and queue actions
 * through session.c.  Every transition is logged at debug level.
 *
 * Tests: tests/unit/wsp/test_session.c (scenarios and the table walk).
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "wspgw/err.h"
#include "wspgw/log.h"
#include "wspgw/wtp.h"
#include "session_int.h"
#include "wsp_int.h"


const char *
wsp__ss_name(unsigned st)
{
    static const char *const names[] = {
#define XX(name, text) text,
        WSP_SS_MAP(XX)
#undef XX
    };

    return st < WSP_SS_COUNT ? names[st] : "SAME";
}


const char *
wsp__se_name(unsigned ev)
{
    static const char *const names[] = {
#define XX(name, text) text,
        WSP_SE_MAP(XX)
#undef XX
    };

    return ev < WSP_SE_COUNT ? names[ev] : "any";
}


const char *
wsp__ms_name(unsigned st)
{
    static const char *const names[] = {
#define XX(name, text) text,
        WSP_MS_MAP(XX)
#undef XX
    };

    return st < WSP_MS_COUNT ? names[st] : "SAME";
}


const char *
wsp__me_name(unsigned ev)
{
    static const char *const names[] = {
#define XX(name, text) text,
        WSP_ME_MAP(XX)
#undef XX
    };

    return ev < WSP_ME_COUNT ? names[ev] : "any";
}


const char *
wsp__abort_name(unsigned reason)
{
    switch (reason) {
#define XX(name, val, text) case (val): return #name;
    WSP_ABORT_MAP(XX)
#undef XX
    default:
        return wsp__unknown_name(reason);
    }
}


/* Asks the dispatcher to run a session event after the current row. */
static void
post(struct wsp__ev *ev, unsigned event)
{
    assert(ev->n_post < sizeof(ev->post));
    ev->post[ev->n_post++] = (uint8_t) event;
}


static void
log_ind(const struct wsp__ev *ev, const char *prim, unsigned reason)
{
    wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_WSP, "session %08x: %s(%s)",
        (unsigned) ev->sess->id, prim, wsp__abort_name(reason));
}


/* ==== Guards (pure) ===================================================== */

static int
g_resume_on(const struct wsp__ev *ev)
{
    return (ev->sess->options & WSP_OPT_RESUME) != 0;
}


static int
g_resume_off(const struct wsp__ev *ev)
{
    return !g_resume_on(ev);
}


/* The event is about the session's own transaction (Connect or Resume),
 * not a method's. */
static int
g_session_txn(const struct wsp__ev *ev)
{
    return ev->method == NULL;
}


static int
g_method_txn(const struct wsp__ev *ev)
{
    return ev->method != NULL;
}


static int
g_user_reason(const struct wsp__ev *ev, uint8_t reason)
{
    return ev->abort_type == WTP_ABORT_USER && ev->reason == reason;
}


/* "Resume transaction, Reason == DISCONNECT" */
static int
g_session_txn_disconnect(const struct wsp__ev *ev)
{
    return ev->method == NULL && g_user_reason(ev, WSP_ABORT_DISCONNECT);
}


/* S-Disconnect.req "Reason Code == Moved Permanently or Moved
 * Temporarily": the user redirects (its Redirect PDU is at reply_off). */
static int
g_redirect(const struct wsp__ev *ev)
{
    return ev->redirect;
}


/* Default rows: which kind of unmatched event this is (7.1.5). */
static int
g_class2_invoke(const struct wsp__ev *ev)
{
    return ev->event == WSP_SE_METHOD || ev->event == WSP_SE_RESUME
        || ev->event == WSP_SE_CONNECT;
}


static int
g_class0_or_internal(const struct wsp__ev *ev)
{
    return ev->event != WSP_SE_RESULT_CNF && ev->event != WSP_SE_ABORT_IND;
}


/* Method table guards. */
static int
g_mom_reached(const struct wsp__ev *ev)
{
    return ev->sess->n_methods >= ev->sess->mom;
}


static int
g_reason_disconnect(const struct wsp__ev *ev)
{
    return g_user_reason(ev, WSP_ABORT_DISCONNECT);
}


static int
g_reason_suspend(const struct wsp__ev *ev)
{
    return g_user_reason(ev, WSP_ABORT_SUSPEND);
}


/* ==== Session actions =================================================== */

/* Abort(reason) all method and push transactions. */
static void
abort_all(struct wsp__ev *ev, uint8_t reason)
{
    struct wsp__method *m = ev->sess->methods, *next;

    wsp__push_abort_all(ev->srv, ev->sess, reason);
    while (m != NULL) {
        struct wsp__ev mev = *ev;

        next = m->next;
        mev.method = m;
        mev.reason = reason;
        mev.abort_type = WTP_ABORT_USER;
        mev.n_post = 0;
        wsp__method_event(&mev, WSP_ME_ABORT);
        m = next;
    }
}


/* TR-Abort.req(reason) the session's Connect or Resume transaction. */
static void
abort_session_txn(struct wsp__ev *ev, uint8_t reason)
{
    if (ev->sess->txn.live) {
        wsp__q_abort(ev->srv, ev->sess->txn.handle, reason);
        wsp__txn_end(ev->srv, &ev->sess->txn);
    }
}


/* Releases every method in HOLDING (CONNECTING and RESUMING rows). */
static void
release_holding(struct wsp__ev *ev)
{
    struct wsp__method *m = ev->sess->methods, *next;

    while (m != NULL) {
        next = m->next;
        if (m->state == WSP_MS_HOLDING) {
            struct wsp__ev mev = *ev;

            mev.method = m;
            mev.n_post = 0;
            wsp__method_event(&mev, WSP_ME_RELEASE);
        }
        m = next;
    }
}


/* NULL: TR-Invoke.res; N_Methods = 0; S-Connect.ind.  The user (session.c)
 * has already decided: S-Connect.res follows, or S-Disconnect.req with
 * a Redirect when redirect addresses are configured. */
static void
a_connect_ind(struct wsp__ev *ev)
{
    ev->sess->n_methods = 0;
    wsp__txn_start(ev->srv, &ev->sess->txn, ev->handle);
    post(ev, ev->redirect ? WSP_SE_S_DISCONNECT_REQ : WSP_SE_S_CONNECT_RES);
}


/* CONNECTING, S-Connect.res: Disconnect any other session for this peer
 * address quadruplet; assign a Session_ID (chosen by session.c when it
 * built the ConnectReply); TR-Result.req(ConnectReply); release all
 * method transactions in HOLDING. */
static void
a_connect_res(struct wsp__ev *ev)
{
    wsp__sess_bind(ev, ev->sess, ev->peer);
    wsp__q_result(ev->srv, ev->sess->txn.handle, ev->reply_off,
        ev->reply_len);
    release_holding(ev);
}


/* CONNECTING, S-Disconnect.req: TR-Result.req(Redirect) (or, for another
 * reason code, TR-Result.req(Reply)) on the Connect transaction, with
 * the PDU session.c built at reply_off; Abort(DISCONNECT) all method
 * transactions (none can be held: CONNECTING lasts one event).  The
 * Connect transaction stays open until TERMINATING hears of it. */
static void
a_disconnect_result(struct wsp__ev *ev)
{
    wsp__q_result(ev->srv, ev->sess->txn.handle, ev->reply_off,
        ev->reply_len);
    abort_all(ev, WSP_ABORT_DISCONNECT);
}


/* TERMINATING, Disconnect: TR-Abort.req(DISCONNECT) remaining transport
 * transaction.  Reached by idle expiry (a Redirect never acknowledged
 * nor aborted by WTP). */
static void
a_abort_remaining_disconnect(struct wsp__ev *ev)
{
    abort_session_txn(ev, WSP_ABORT_DISCONNECT);
}


/* TERMINATING, Suspend: TR-Abort.req(SUSPEND) remaining transport
 * transaction. */
static void
a_abort_remaining_suspend(struct wsp__ev *ev)
{
    abort_session_txn(ev, WSP_ABORT_SUSPEND);
}


/* TERMINATING, TR-Result.cnf or TR-Abort.ind: "Ignore"; the Connect
 * transaction is over, so it leaves the handle hash. */
static void
a_terminated(struct wsp__ev *ev)
{
    wsp__txn_end(ev->srv, &ev->sess->txn);
}


/* TR-Abort.req(DISCONNECT) the Connect (or Resume) transaction;
 * Abort(DISCONNECT) all methods; S-Disconnect.ind(DISCONNECT). */
static void
a_abort_txn_disconnect(struct wsp__ev *ev)
{
    abort_session_txn(ev, WSP_ABORT_DISCONNECT);
    abort_all(ev, WSP_ABORT_DISCONNECT);
    log_ind(ev, "S-Disconnect.ind", WSP_ABORT_DISCONNECT);
}


/* Suspend without the Resume facility: as above, but the indication
 * says SUSPEND. */
static void
a_abort_txn_disconnect_suspend(struct wsp__ev *ev)
{
    abort_session_txn(ev, WSP_ABORT_DISCONNECT);
    abort_all(ev, WSP_ABORT_DISCONNECT);
    log_ind(ev, "S-Disconnect.ind", WSP_ABORT_SUSPEND);
}


/* TR-Abort.req(SUSPEND) the Connect/Resume transaction; Abort(SUSPEND)
 * all methods; S-Suspend.ind(SUSPEND). */
static void
a_abort_txn_suspend(struct wsp__ev *ev)
{
    abort_session_txn(ev, WSP_ABORT_SUSPEND);
    abort_all(ev, WSP_ABORT_SUSPEND);
    log_ind(ev, "S-Suspend.ind", WSP_ABORT_SUSPEND);
    ev->srv->stats.suspends++;
}


/* Start new method transaction (see method state table). */
static void
a_method_start(struct wsp__ev *ev)
{
    wsp__method_event(ev, WSP_ME_INVOKE);
}


/* Start new method transaction; release it. */
static void
a_method_start_release(struct wsp__ev *ev)
{
    wsp__method_event(ev, WSP_ME_INVOKE);
    if (ev->method->state == WSP_MS_HOLDING) {
        wsp__method_event(ev, WSP_ME_RELEASE);
    }
}


/* TR-Abort.req(DISCONNECT) the TR-Invoke. */
static void
a_abort_invoke_disconnect(struct wsp__ev *ev)
{
    wsp__q_abort(ev->srv, ev->handle, WSP_ABORT_DISCONNECT);
    ev->srv->stats.refused++;
}


/* SUSPENDED: TR-Abort.req(SUSPEND) the TR-Invoke. */
static void
a_abort_invoke_suspend(struct wsp__ev *ev)
{
    wsp__q_abort(ev->srv, ev->handle, WSP_ABORT_SUSPEND);
    ev->srv->stats.refused++;
}


/* S-Resume.ind: the Resume transaction becomes the session's; the user
 * (session.c) accepts: S-Resume.res follows. */
static void
resume_ind(struct wsp__ev *ev)
{
    wsp__txn_start(ev->srv, &ev->sess->txn, ev->handle);
    post(ev, WSP_SE_S_RESUME_RES);
}


/* TR-Invoke.res; TR-Abort.req(RESUME) the Connect (or old Resume)
 * transaction; Abort(RESUME) all methods; S-Suspend.ind(RESUME);
 * S-Resume.ind. */
static void
a_resume_abort_txn(struct wsp__ev *ev)
{
    abort_session_txn(ev, WSP_ABORT_RESUME);
    abort_all(ev, WSP_ABORT_RESUME);
    log_ind(ev, "S-Suspend.ind", WSP_ABORT_RESUME);
    resume_ind(ev);
}


/* CONNECTED: TR-Invoke.res; Abort(RESUME) all methods;
 * S-Suspend.ind(RESUME); S-Resume.ind. */
static void
a_resume_abort_all(struct wsp__ev *ev)
{
    abort_all(ev, WSP_ABORT_RESUME);
    log_ind(ev, "S-Suspend.ind", WSP_ABORT_RESUME);
    resume_ind(ev);
}


/* SUSPENDED: TR-Invoke.res; S-Resume.ind. */
static void
a_resume_ind(struct wsp__ev *ev)
{
    resume_ind(ev);
}


/* RESUMING, S-Resume.res: Disconnect any other session for the peer
 * address quadruplet; bind the session to the new quadruplet;
 * TR-Result.req(Reply); release all methods in HOLDING.  The Resume's
 * headers replace the session headers when it carries any. */
static void
a_resume_res(struct wsp__ev *ev)
{
    wsp__sess_bind(ev, ev->sess, ev->peer);
    wsp__sess_set_headers(ev->srv, ev->sess, ev->hdrs, ev->hdrs_len);
    wsp__q_result(ev->srv, ev->sess->txn.handle, ev->reply_off,
        ev->reply_len);
    release_holding(ev);
    ev->srv->stats.resumes++;
}


/* Abort(DISCONNECT) all methods; S-Disconnect.ind(DISCONNECT). */
static void
a_abort_all_disconnect(struct wsp__ev *ev)
{
    abort_all(ev, WSP_ABORT_DISCONNECT);
    log_ind(ev, "S-Disconnect.ind", WSP_ABORT_DISCONNECT);
}


/* CONNECTED, Suspend without Resume: Abort(DISCONNECT) all methods;
 * S-Disconnect.ind(SUSPEND). */
static void
a_abort_all_disconnect_suspend(struct wsp__ev *ev)
{
    abort_all(ev, WSP_ABORT_DISCONNECT);
    log_ind(ev, "S-Disconnect.ind", WSP_ABORT_SUSPEND);
}


/* Abort(SUSPEND) all methods; S-Suspend.ind(SUSPEND). */
static void
a_abort_all_suspend(struct wsp__ev *ev)
{
    abort_all(ev, WSP_ABORT_SUSPEND);
    log_ind(ev, "S-Suspend.ind", WSP_ABORT_SUSPEND);
    ev->srv->stats.suspends++;
}


/* SUSPENDED: S-Disconnect.ind(DISCONNECT). */
static void
a_disconnect_ind(struct wsp__ev *ev)
{
    log_ind(ev, "S-Disconnect.ind", WSP_ABORT_DISCONNECT);
}


/* TR-Result.cnf of the Connect or Resume transaction. */
static void
a_session_txn_done(struct wsp__ev *ev)
{
    wsp__txn_end(ev->srv, &ev->sess->txn);
}


/* TR-Abort.ind of the Connect (or Resume, reason DISCONNECT)
 * transaction: Abort(DISCONNECT) all methods; S-Disconnect.ind(reason). */
static void
a_session_txn_aborted(struct wsp__ev *ev)
{
    wsp__txn_end(ev->srv, &ev->sess->txn);
    abort_all(ev, WSP_ABORT_DISCONNECT);
    log_ind(ev, "S-Disconnect.ind", ev->reason);
}


/* TR-Abort.ind of the Resume transaction, other reason: Abort(SUSPEND)
 * all methods; S-Suspend.ind(abort reason). */
static void
a_resume_txn_aborted(struct wsp__ev *ev)
{
    wsp__txn_end(ev->srv, &ev->sess->txn);
    abort_all(ev, WSP_ABORT_SUSPEND);
    log_ind(ev, "S-Suspend.ind", ev->reason);
    ev->srv->stats.suspends++;
}


/* "See method state table". */
static void
a_to_method(struct wsp__ev *ev)
{
    wsp__method_event(ev, ev->abort_type == 0xff ? WSP_ME_RESULT_CNF
        : WSP_ME_ABORT_IND);
}


/* Default rows (7.1.5). */
static void
a_abort_invoke_protoerr(struct wsp__ev *ev)
{
    wsp__q_abort(ev->srv, ev->handle, WSP_ABORT_PROTOERR);
    ev->srv->stats.refused++;
}


static void
a_ignore(struct wsp__ev *ev)
{
    (void) ev;
}


/* Abort(PROTOERR) all methods; S-Disconnect.ind(PROTOERR). */
static void
a_protoerr_disconnect(struct wsp__ev *ev)
{
    abort_all(ev, WSP_ABORT_PROTOERR);
    log_ind(ev, "S-Disconnect.ind", WSP_ABORT_PROTOERR);
}


/* ==== Method actions ==================================================== */

/* NULL, N_Methods == MOM: TR-Abort.req(MOREXCEEDED). */
static void
a_m_morexceeded(struct wsp__ev *ev)
{
    wsp__q_abort(ev->srv, ev->handle, WSP_ABORT_MOREXCEEDED);
    ev->srv->stats.mor_exceeded++;
}


/* Store Method; increment N_Methods. */
static void
a_m_store(struct wsp__ev *ev)
{
    struct wsp__method *m = ev->method;
    struct wsp__sess *ss = ev->sess;

    m->sess = ss;
    m->next = ss->methods;
    ss->methods = m;
    ss->n_methods++;
    wsp__txn_start(ev->srv, &m->txn, ev->handle);
    ev->srv->stats.methods++;
    ev->srv->stats.methods_active++;
}


/* Release: S-MethodInvoke.ind (the FETCH action). */
static void
a_m_invoke_ind(struct wsp__ev *ev)
{
    wsp__q_fetch(ev->srv, ev->method);
}


/* S-MethodInvoke.res: TR-Invoke.res. */
static void
a_m_invoke_res(struct wsp__ev *ev)
{
    wsp__q_invoke_res(ev->srv, ev->method->txn.handle);
}


static void
m_finish(struct wsp__ev *ev)
{
    ev->sess->n_methods--;
    ev->srv->stats.methods_active--;
    wsp__txn_end(ev->srv, &ev->method->txn);
}


/* HOLDING, Abort: TR-Abort.req(abort reason); decrement N_Methods. */
static void
a_m_abort_holding(struct wsp__ev *ev)
{
    if (ev->method->txn.live) {
        wsp__q_abort(ev->srv, ev->method->txn.handle, ev->reason);
    }
    m_finish(ev);
    ev->srv->stats.aborted_methods++;
}


/* Abort: decrement N_Methods; TR-Abort.req(abort reason) the method;
 * S-MethodAbort.ind(abort reason). */
static void
a_m_abort(struct wsp__ev *ev)
{
    if (ev->method->txn.live) {
        wsp__q_abort(ev->srv, ev->method->txn.handle, ev->reason);
    }
    m_finish(ev);
    if (ev->method->state != WSP_MS_REPLYING) {
        wsp__q_fetch_cancel(ev->srv, ev->method);
    }
    ev->srv->stats.aborted_methods++;
}


/* S-MethodAbort.req: decrement N_Methods; TR-Abort.req(PEERREQ);
 * S-MethodAbort.ind(USERREQ) goes to the user that asked: nothing to
 * queue, but a FETCH not yet taken is withdrawn. */
static void
a_m_user_abort(struct wsp__ev *ev)
{
    wsp__q_abort(ev->srv, ev->method->txn.handle, WSP_ABORT_PEERREQ);
    m_finish(ev);
    if (ev->method->fetch_q != 0) {
        wsp__q_fetch_cancel(ev->srv, ev->method);
    }
    ev->srv->stats.aborted_methods++;
}


/* PROCESSING, S-MethodResult.req: TR-Result.req(Reply). */
static void
a_m_result(struct wsp__ev *ev)
{
    wsp__q_result(ev->srv, ev->method->txn.handle, ev->reply_off,
        ev->reply_len);
    ev->srv->stats.replies++;
}


/* REPLYING, TR-Result.cnf: decrement N_Methods; S-MethodResult.cnf. */
static void
a_m_done(struct wsp__ev *ev)
{
    m_finish(ev);
}


/* TR-Abort.ind, Reason == DISCONNECT: Disconnect the session. */
static void
a_m_disconnect_session(struct wsp__ev *ev)
{
    wsp__txn_end(ev->srv, &ev->method->txn);
    post(ev, WSP_SE_DISCONNECT);
}


/* TR-Abort.ind, Reason == SUSPEND: Suspend the session. */
static void
a_m_suspend_session(struct wsp__ev *ev)
{
    wsp__txn_end(ev->srv, &ev->method->txn);
    post(ev, WSP_SE_SUSPEND);
}


/* HOLDING, TR-Abort.ind other: decrement N_Methods. */
static void
a_m_aborted_holding(struct wsp__ev *ev)
{
    m_finish(ev);
    ev->srv->stats.aborted_methods++;
}


/* TR-Abort.ind other: decrement N_Methods; S-MethodAbort.ind. */
static void
a_m_aborted(struct wsp__ev *ev)
{
    m_finish(ev);
    if (ev->method->state != WSP_MS_REPLYING) {
        wsp__q_fetch_cancel(ev->srv, ev->method);
    }
    ev->srv->stats.aborted_methods++;
}


/* No row: a primitive of the gateway in the wrong state. */
static void
a_m_unexpected(struct wsp__ev *ev)
{
    ev->rc = WSPGW_EINVAL;
}


/* ==== The tables ======================================================== */

/* Pasted directly (not through a helper macro), so that the state name
 * NULL is not expanded as the C macro first. */
#define ROW(st, ev, g, a, nx, fl, ref) \
    { WSP_SS_##st, WSP_SE_##ev, g, a, WSP_SS_##nx, fl, #g, #a, ref }
#define SYNC WSP_ROW_SYNC
#define UNUSED WSP_ROW_UNUSED
/* 7.1.5: unmatched class 2 invoke -> PROTOERR abort; class 0 invoke or
 * pseudo-event -> ignore; other transaction event -> disconnect. */
#define DEFAULTS(st)                                                       \
    { WSP_SS_##st, WSP_SE_ANY, g_class2_invoke, a_abort_invoke_protoerr,   \
        WSP_SS_SAME, 0, "g_class2_invoke", "a_abort_invoke_protoerr",      \
        "7.1.5 class 1-2 PDU not handled" },                               \
    { WSP_SS_##st, WSP_SE_ANY, g_class0_or_internal, a_ignore,             \
        WSP_SS_SAME, 0, "g_class0_or_internal", "a_ignore",                \
        "7.1.5 class 0 PDU not handled" },                                 \
    { WSP_SS_##st, WSP_SE_ANY, NULL, a_protoerr_disconnect, WSP_SS_NULL,   \
        0, "NULL", "a_protoerr_disconnect", "7.1.5 any other event" }

static const struct wsp__row session_rows[] = {
    /* 7.1.6.4 Server Session NULL */
    ROW(NULL, CONNECT, NULL, a_connect_ind, CONNECTING, 0,
        "NULL: TR-Invoke.ind Class 2, Connect"),
    DEFAULTS(NULL),

    /* 7.1.6.4 Server Session CONNECTING */
    ROW(CONNECTING, S_CONNECT_RES, NULL, a_connect_res, CONNECTING_2, 0,
        "CONNECTING: S-Connect.res"),
    ROW(CONNECTING, S_DISCONNECT_REQ, g_redirect, a_disconnect_result,
        TERMINATING, 0, "CONNECTING: S-Disconnect.req, Reason Code == "
        "Moved Permanently or Moved Temporarily (Redirect)"),
    ROW(CONNECTING, S_DISCONNECT_REQ, NULL, a_disconnect_result,
        TERMINATING, UNUSED, "CONNECTING: S-Disconnect.req, Reason Code "
        "== other (Reply)"),
    ROW(CONNECTING, DISCONNECT, NULL, a_abort_txn_disconnect, NULL, SYNC,
        "CONNECTING: Disconnect"),
    ROW(CONNECTING, SUSPEND, NULL, a_abort_txn_disconnect_suspend, NULL,
        SYNC, "CONNECTING: Suspend"),
    ROW(CONNECTING, METHOD, NULL, a_method_start, SAME, SYNC,
        "CONNECTING: TR-Invoke.ind Class 2, Method"),
    ROW(CONNECTING, RESUME, NULL, a_abort_invoke_disconnect, SAME, SYNC,
        "CONNECTING: TR-Invoke.ind Class 2, Resume"),
    ROW(CONNECTING, ABORT_IND, g_session_txn, a_session_txn_aborted, NULL,
        SYNC, "CONNECTING: TR-Abort.ind Connect transaction"),
    ROW(CONNECTING, ABORT_IND, g_method_txn, a_to_method, SAME, SYNC,
        "CONNECTING: TR-Abort.ind Method transaction"),
    DEFAULTS(CONNECTING),

    /* 7.1.6.4 Server Session TERMINATING */
    ROW(TERMINATING, DISCONNECT, NULL, a_abort_remaining_disconnect, NULL,
        0, "TERMINATING: Disconnect"),
    /* Suspend is raised only by a method's TR-Abort.ind(SUSPEND), and a
     * proto-session that reaches TERMINATING has no methods. */
    ROW(TERMINATING, SUSPEND, NULL, a_abort_remaining_suspend, NULL, SYNC,
        "TERMINATING: Suspend"),
    ROW(TERMINATING, RESULT_CNF, NULL, a_terminated, NULL, 0,
        "TERMINATING: TR-Result.cnf"),
    ROW(TERMINATING, ABORT_IND, NULL, a_terminated, NULL, 0,
        "TERMINATING: TR-Abort.ind"),
    DEFAULTS(TERMINATING),

    /* 7.1.6.4 Server Session CONNECTING_2 */
    ROW(CONNECTING_2, DISCONNECT, NULL, a_abort_txn_disconnect, NULL, 0,
        "CONNECTING_2: Disconnect"),
    ROW(CONNECTING_2, SUSPEND, g_resume_off,
        a_abort_txn_disconnect_suspend, NULL, 0,
        "CONNECTING_2: Suspend, Session Resume disabled"),
    ROW(CONNECTING_2, SUSPEND, g_resume_on, a_abort_txn_suspend, SUSPENDED,
        0, "CONNECTING_2: Suspend, Session Resume enabled"),
    ROW(CONNECTING_2, METHOD, NULL, a_method_start_release, SAME, 0,
        "CONNECTING_2: TR-Invoke.ind Class 2, Method"),
    ROW(CONNECTING_2, RESUME, g_resume_off, a_abort_invoke_disconnect,
        SAME, 0, "CONNECTING_2: TR-Invoke.ind Class 2, Resume, disabled"),
    ROW(CONNECTING_2, RESUME, g_resume_on, a_resume_abort_txn, RESUMING, 0,
        "CONNECTING_2: TR-Invoke.ind Class 2, Resume, enabled"),
    ROW(CONNECTING_2, DISCONNECT_PDU, NULL, a_abort_txn_disconnect, NULL, 0,
        "CONNECTING_2: TR-Invoke.ind Class 0, Disconnect"),
    ROW(CONNECTING_2, SUSPEND_PDU, g_resume_on, a_abort_txn_suspend,
        SUSPENDED, 0, "CONNECTING_2: TR-Invoke.ind Class 0, Suspend, "
        "enabled"),
    ROW(CONNECTING_2, RESULT_CNF, g_session_txn, a_session_txn_done,
        CONNECTED, 0, "CONNECTING_2: TR-Result.cnf Connect transaction"),
    ROW(CONNECTING_2, RESULT_CNF, g_method_txn, a_to_method, SAME, 0,
        "CONNECTING_2: TR-Result.cnf Method transaction"),
    ROW(CONNECTING_2, ABORT_IND, g_session_txn, a_session_txn_aborted, NULL,
        0, "CONNECTING_2: TR-Abort.ind Connect transaction"),
    ROW(CONNECTING_2, ABORT_IND, g_method_txn, a_to_method, SAME, 0,
        "CONNECTING_2: TR-Abort.ind Method transaction"),
    DEFAULTS(CONNECTING_2),

    /* 7.1.6.4 Server Session CONNECTED */
    ROW(CONNECTED, DISCONNECT, NULL, a_abort_all_disconnect, NULL, 0,
        "CONNECTED: Disconnect"),
    ROW(CONNECTED, SUSPEND, g_resume_off, a_abort_all_disconnect_suspend,
        NULL, 0, "CONNECTED: Suspend, Session Resume disabled"),
    ROW(CONNECTED, SUSPEND, g_resume_on, a_abort_all_suspend, SUSPENDED, 0,
        "CONNECTED: Suspend, Session Resume enabled"),
    ROW(CONNECTED, METHOD, NULL, a_method_start_release, SAME, 0,
        "CONNECTED: TR-Invoke.ind Class 2, Method"),
    ROW(CONNECTED, RESUME, g_resume_off, a_abort_invoke_disconnect, SAME, 0,
        "CONNECTED: TR-Invoke.ind Class 2, Resume, disabled"),
    ROW(CONNECTED, RESUME, g_resume_on, a_resume_abort_all, RESUMING, 0,
        "CONNECTED: TR-Invoke.ind Class 2, Resume, enabled"),
    ROW(CONNECTED, DISCONNECT_PDU, NULL, a_abort_all_disconnect, NULL, 0,
        "CONNECTED: TR-Invoke.ind Class 0, Disconnect"),
    ROW(CONNECTED, SUSPEND_PDU, g_resume_on, a_abort_all_suspend, SUSPENDED,
        0, "CONNECTED: TR-Invoke.ind Class 0, Suspend, enabled"),
    ROW(CONNECTED, RESULT_CNF, g_method_txn, a_to_method, SAME, 0,
        "CONNECTED: TR-Result.cnf Method transaction"),
    ROW(CONNECTED, ABORT_IND, g_method_txn, a_to_method, SAME, 0,
        "CONNECTED: TR-Abort.ind Method transaction"),
    DEFAULTS(CONNECTED),

    /* 7.1.6.4 Server Session SUSPENDED */
    ROW(SUSPENDED, DISCONNECT, NULL, a_disconnect_ind, NULL, 0,
        "SUSPENDED: Disconnect"),
    ROW(SUSPENDED, METHOD, NULL, a_abort_invoke_suspend, SAME, 0,
        "SUSPENDED: TR-Invoke.ind Class 2, Method"),
    ROW(SUSPENDED, RESUME, NULL, a_resume_ind, RESUMING, 0,
        "SUSPENDED: TR-Invoke.ind Class 2, Resume"),
    ROW(SUSPENDED, DISCONNECT_PDU, NULL, a_disconnect_ind, NULL, 0,
        "SUSPENDED: TR-Invoke.ind Class 0, Disconnect"),
    DEFAULTS(SUSPENDED),

    /* 7.1.6.4 Server Session RESUMING */
    ROW(RESUMING, DISCONNECT, NULL, a_abort_txn_disconnect, NULL, SYNC,
        "RESUMING: Disconnect"),
    ROW(RESUMING, S_RESUME_RES, NULL, a_resume_res, RESUMING_2, 0,
        "RESUMING: S-Resume.res"),
    ROW(RESUMING, SUSPEND, NULL, a_abort_txn_suspend, SUSPENDED, SYNC,
        "RESUMING: Suspend"),
    ROW(RESUMING, METHOD, NULL, a_method_start, SAME, SYNC,
        "RESUMING: TR-Invoke.ind Class 2, Method"),
    ROW(RESUMING, RESUME, NULL, a_resume_abort_txn, SAME, SYNC,
        "RESUMING: TR-Invoke.ind Class 2, Resume"),
    ROW(RESUMING, SUSPEND_PDU, NULL, a_abort_txn_suspend, SUSPENDED, SYNC,
        "RESUMING: TR-Invoke.ind Class 0, Suspend"),
    ROW(RESUMING, DISCONNECT_PDU, NULL, a_abort_txn_disconnect, NULL, SYNC,
        "RESUMING: TR-Invoke.ind Class 0, Disconnect"),
    ROW(RESUMING, ABORT_IND, g_session_txn_disconnect,
        a_session_txn_aborted, NULL, SYNC,
        "RESUMING: TR-Abort.ind Resume transaction, Reason = DISCONNECT"),
    ROW(RESUMING, ABORT_IND, g_session_txn, a_resume_txn_aborted, SUSPENDED,
        SYNC, "RESUMING: TR-Abort.ind Resume transaction"),
    /* Not in the spec's RESUMING table: a method held since the Resume
     * (HOLDING) can still be aborted by wtp/; the method table says
     * what to do. */
    ROW(RESUMING, ABORT_IND, g_method_txn, a_to_method, SAME, SYNC,
        "RESUMING: TR-Abort.ind Method transaction (method table)"),
    DEFAULTS(RESUMING),

    /* 7.1.6.4 Server Session RESUMING_2 */
    ROW(RESUMING_2, DISCONNECT, NULL, a_abort_txn_disconnect, NULL, 0,
        "RESUMING_2: Disconnect"),
    ROW(RESUMING_2, SUSPEND, NULL, a_abort_txn_suspend, SUSPENDED, 0,
        "RESUMING_2: Suspend"),
    ROW(RESUMING_2, METHOD, NULL, a_method_start_release, SAME, 0,
        "RESUMING_2: TR-Invoke.ind Class 2, Method"),
    ROW(RESUMING_2, RESUME, NULL, a_resume_abort_txn, RESUMING, 0,
        "RESUMING_2: TR-Invoke.ind Class 2, Resume"),
    ROW(RESUMING_2, SUSPEND_PDU, NULL, a_abort_txn_suspend, SUSPENDED, 0,
        "RESUMING_2: TR-Invoke.ind Class 0, Suspend"),
    ROW(RESUMING_2, DISCONNECT_PDU, NULL, a_abort_txn_disconnect, NULL, 0,
        "RESUMING_2: TR-Invoke.ind Class 0, Disconnect"),
    ROW(RESUMING_2, RESULT_CNF, g_session_txn, a_session_txn_done,
        CONNECTED, 0, "RESUMING_2: TR-Result.cnf Resume transaction"),
    ROW(RESUMING_2, RESULT_CNF, g_method_txn, a_to_method, SAME, 0,
        "RESUMING_2: TR-Result.cnf Method transaction"),
    ROW(RESUMING_2, ABORT_IND, g_session_txn_disconnect,
        a_session_txn_aborted, NULL, 0,
        "RESUMING_2: TR-Abort.ind Resume transaction, Reason = DISCONNECT"),
    ROW(RESUMING_2, ABORT_IND, g_session_txn, a_resume_txn_aborted,
        SUSPENDED, 0, "RESUMING_2: TR-Abort.ind Resume transaction"),
    ROW(RESUMING_2, ABORT_IND, g_method_txn, a_to_method, SAME, 0,
        "RESUMING_2: TR-Abort.ind Method transaction"),
    DEFAULTS(RESUMING_2),
};

#undef ROW
#undef DEFAULTS
#define ROW(st, ev, g, a, nx, fl, ref) \
    { WSP_MS_##st, WSP_ME_##ev, g, a, WSP_MS_##nx, fl, #g, #a, ref }
#define DEFAULTS(st)                                                       \
    { WSP_MS_##st, WSP_ME_ANY, NULL, a_m_unexpected, WSP_MS_SAME, 0,       \
        "NULL", "a_m_unexpected", "no row: refused" }

static const struct wsp__row method_rows[] = {
    /* 7.1.6.5 Server Method NULL (MoreData rows: LDT, not offered) */
    ROW(NULL, INVOKE, g_mom_reached, a_m_morexceeded, NULL, 0,
        "NULL: TR-Invoke.ind Class 2, Method, N_Methods == MOM"),
    ROW(NULL, INVOKE, NULL, a_m_store, HOLDING, 0,
        "NULL: TR-Invoke.ind Class 2, Method, MoreData cleared"),
    DEFAULTS(NULL),

    /* 7.1.6.5 Server Method HOLDING */
    ROW(HOLDING, RELEASE, NULL, a_m_invoke_ind, REQUESTING, 0,
        "HOLDING: Release"),
    ROW(HOLDING, ABORT, NULL, a_m_abort_holding, NULL, SYNC,
        "HOLDING: Abort"),
    ROW(HOLDING, ABORT_IND, g_reason_disconnect, a_m_disconnect_session,
        SAME, SYNC, "HOLDING: TR-Abort.ind Reason == DISCONNECT"),
    ROW(HOLDING, ABORT_IND, g_reason_suspend, a_m_suspend_session, SAME,
        SYNC, "HOLDING: TR-Abort.ind Reason == SUSPEND"),
    ROW(HOLDING, ABORT_IND, NULL, a_m_aborted_holding, NULL, SYNC,
        "HOLDING: TR-Abort.ind Other"),
    DEFAULTS(HOLDING),

    /* 7.1.6.5 Server Method REQUESTING */
    ROW(REQUESTING, INVOKE_RES, NULL, a_m_invoke_res, PROCESSING, 0,
        "REQUESTING: S-MethodInvoke.res, complete Invoke received"),
    ROW(REQUESTING, S_ABORT_REQ, NULL, a_m_user_abort, NULL, 0,
        "REQUESTING: S-MethodAbort.req"),
    ROW(REQUESTING, ABORT, NULL, a_m_abort, NULL, 0,
        "REQUESTING: Abort"),
    ROW(REQUESTING, ABORT_IND, g_reason_disconnect, a_m_disconnect_session,
        SAME, 0, "REQUESTING: TR-Abort.ind Reason == DISCONNECT"),
    ROW(REQUESTING, ABORT_IND, g_reason_suspend, a_m_suspend_session, SAME,
        0, "REQUESTING: TR-Abort.ind Reason == SUSPEND"),
    ROW(REQUESTING, ABORT_IND, NULL, a_m_aborted, NULL, 0,
        "REQUESTING: TR-Abort.ind Other"),
    DEFAULTS(REQUESTING),

    /* 7.1.6.5 Server Method PROCESSING (MoreData set: LDT) */
    ROW(PROCESSING, RESULT_REQ, NULL, a_m_result, REPLYING, 0,
        "PROCESSING: S-MethodResult.req, More Data cleared"),
    ROW(PROCESSING, S_ABORT_REQ, NULL, a_m_user_abort, NULL, 0,
        "PROCESSING: S-MethodAbort.req"),
    ROW(PROCESSING, ABORT, NULL, a_m_abort, NULL, 0,
        "PROCESSING: Abort"),
    ROW(PROCESSING, ABORT_IND, g_reason_disconnect, a_m_disconnect_session,
        SAME, 0, "PROCESSING: TR-Abort.ind Reason == DISCONNECT"),
    ROW(PROCESSING, ABORT_IND, g_reason_suspend, a_m_suspend_session, SAME,
        0, "PROCESSING: TR-Abort.ind Reason == SUSPEND"),
    ROW(PROCESSING, ABORT_IND, NULL, a_m_aborted, NULL, 0,
        "PROCESSING: TR-Abort.ind Other"),
    DEFAULTS(PROCESSING),

    /* 7.1.6.5 Server Method REPLYING (TR-ResultData.cnf: LDT) */
    ROW(REPLYING, S_ABORT_REQ, NULL, a_m_user_abort, NULL, 0,
        "REPLYING: S-MethodAbort.req"),
    ROW(REPLYING, ABORT, NULL, a_m_abort, NULL, 0,
        "REPLYING: Abort"),
    ROW(REPLYING, RESULT_CNF, NULL, a_m_done, NULL, 0,
        "REPLYING: TR-Result.cnf"),
    ROW(REPLYING, ABORT_IND, g_reason_disconnect, a_m_disconnect_session,
        SAME, 0, "REPLYING: TR-Abort.ind Reason == DISCONNECT"),
    ROW(REPLYING, ABORT_IND, g_reason_suspend, a_m_suspend_session, SAME,
        0, "REPLYING: TR-Abort.ind Reason == SUSPEND"),
    ROW(REPLYING, ABORT_IND, NULL, a_m_aborted, NULL, 0,
        "REPLYING: TR-Abort.ind Other"),
    DEFAULTS(REPLYING),
};

#undef ROW
#undef DEFAULTS
#undef SYNC
#undef UNUSED


const struct wsp__row *
wsp__table_rows(int machine, size_t *n)
{
    if (machine == 0) {
        *n = sizeof(session_rows) / sizeof(session_rows[0]);
        return session_rows;
    }
    *n = sizeof(method_rows) / sizeof(method_rows[0]);
    return method_rows;
}


/* First row matching (state, event) whose guard holds. */
static size_t
find_row(const struct wsp__row *rows, size_t n, unsigned state,
    unsigned event, unsigned any, const struct wsp__ev *ev)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (rows[i].state != state
            || (rows[i].event != event && rows[i].event != any))
        {
            continue;
        }
        if (rows[i].guard == NULL || rows[i].guard(ev)) {
            return i;
        }
    }
    assert(!"every state ends with an unguarded default row");
    return n;
}


static void
run_session_row(struct wsp__ev *ev, unsigned event)
{
    struct wsp__sess *ss = ev->sess;
    const struct wsp__row *r;
    unsigned from = ss->state;
    size_t i;

    ev->event = event;
    i = find_row(session_rows, sizeof(session_rows) / sizeof(session_rows[0]),
        from, event, WSP_SE_ANY, ev);
    r = &session_rows[i];
    ev->srv->row_hits[0][i]++;
    if (wspgw_log_enabled(WSPGW_LOG_DEBUG, WSPGW_SUB_WSP)) {
        char pa[64];

        wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_WSP,
            "session %08x %s: %s --%s--> %s [%s %s] (7.1.6.4 %s)",
            (unsigned) ss->id, wsp__addr_str(&ss->peer, pa, sizeof(pa)),
            wsp__ss_name(from), wsp__se_name(event),
            wsp__ss_name(r->next == WSP_SS_SAME ? from : r->next),
            r->guard_name, r->action_name, r->ref);
    }
    r->action(ev);
    if (r->next != WSP_SS_SAME) {
        ss->state = r->next;
    }
}


void
wsp__session_event(struct wsp__ev *ev, unsigned event)
{
    unsigned i;

    ev->n_post = 0;
    run_session_row(ev, event);
    /* Events raised by the actions (S-Connect.res, S-Resume.res, the
     * Disconnect or Suspend a method's abort asks for) run after the
     * row that raised them, in order, while the session lives. */
    for (i = 0; i < ev->n_post && ev->sess->state != WSP_SS_NULL; i++) {
        struct wsp__ev pev = *ev;

        pev.method = NULL;
        pev.abort_type = 0xff;
        pev.n_post = 0;
        run_session_row(&pev, ev->post[i]);
        /* A posted event may raise more (bounded: at most one level). */
        if (pev.n_post > 0 && ev->sess->state != WSP_SS_NULL) {
            unsigned j;

            for (j = 0; j < pev.n_post; j++) {
                struct wsp__ev qev = pev;

                qev.n_post = 0;
                run_session_row(&qev, pev.post[j]);
                if (ev->sess->state == WSP_SS_NULL) {
                    break;
                }
            }
        }
        ev->rc = ev->rc != 0 ? ev->rc : pev.rc;
    }
    if (ev->sess->state == WSP_SS_NULL) {
        wsp__sess_end(ev->srv, ev->sess);
    }
}


void
wsp__method_event(struct wsp__ev *ev, unsigned event)
{
    struct wsp__method *m = ev->method;
    const struct wsp__row *r;
    unsigned from = m->state;
    size_t i;

    ev->event = event;
    i = find_row(method_rows, sizeof(method_rows) / sizeof(method_rows[0]),
        from, event, WSP_ME_ANY, ev);
    r = &method_rows[i];
    ev->srv->row_hits[1][i]++;
    if (wspgw_log_enabled(WSPGW_LOG_DEBUG, WSPGW_SUB_WSP)) {
        wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_WSP,
            "session %08x method %u: %s --%s--> %s [%s %s] (7.1.6.5 %s)",
            (unsigned) ev->sess->id, (unsigned) m->id, wsp__ms_name(from),
            wsp__me_name(event),
            wsp__ms_name(r->next == WSP_MS_SAME ? from : r->next),
            r->guard_name, r->action_name, r->ref);
    }
    r->action(ev);
    if (r->next != WSP_MS_SAME) {
        m->state = r->next;
    }
    if (m->state == WSP_MS_NULL) {
        wsp__method_end(ev->srv, m);
    }
}
