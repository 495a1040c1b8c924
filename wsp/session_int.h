/*
 * wsp/session_int.h - private declarations shared by wsp/session.c (the
 * server object: lookup, queues, timers, memory) and wsp/session_table.c
 * (the spec's state tables and their guards and actions).
 *
 * Spec: WAP-230-WSP-20010705-a 7.1.5 (event processing), 7.1.6.4 (server
 * session state tables), 7.1.6.5 (server method state tables).
 *
 * Ownership: struct wsp_srv owns every session and method.  A session
 * owns its Connect headers (copy, capped); a method owns a copy of its
 * request PDU (one allocation with the method).  Objects that end are
 * not freed at once but moved to the srv's dead list, because queued
 * actions may still hold views into them; the dead list is freed when
 * the action queue has been drained and the next call comes in.
 */
#ifndef WSP_SESSION_INT_H
#define WSP_SESSION_INT_H

#include <stddef.h>
#include <stdint.h>

#include "wspgw/addr.h"
#include "wspgw/buf.h"
#include "wspgw/wsp.h"
#include "wspgw/wsp_session.h"

/* ---- States and events ------------------------------------------------ */

/*
 * Server session states (7.1.6.4), in the spec's order.  TERMINATING
 * follows S-Disconnect.req in CONNECTING: wspgw gets there only with a
 * Redirect (cfg.n_redirect > 0).  It refuses a Connect in other ways
 * before a proto-session exists (abort CONGESTION, ...), see session.c.
 */
#define WSP_SS_MAP(XX)                                                     \
    XX(NULL,         "NULL")                                               \
    XX(CONNECTING,   "CONNECTING")                                         \
    XX(TERMINATING,  "TERMINATING")                                        \
    XX(CONNECTING_2, "CONNECTING_2")                                       \
    XX(CONNECTED,    "CONNECTED")                                          \
    XX(SUSPENDED,    "SUSPENDED")                                          \
    XX(RESUMING,     "RESUMING")                                           \
    XX(RESUMING_2,   "RESUMING_2")

enum wsp__ss {
#define XX(name, text) WSP_SS_##name,
    WSP_SS_MAP(XX)
#undef XX
    WSP_SS_COUNT,
    WSP_SS_SAME                 /* next state: stay */
};

/* Session events: TR-* indications, pseudo-events (7.1.5), and the
 * primitives of the session user, which session.c plays itself for
 * Connect and Resume (it always accepts what passed its checks). */
#define WSP_SE_MAP(XX)                                                     \
    XX(CONNECT,        "TR-Invoke.ind(Class 2, Connect)")                  \
    XX(S_CONNECT_RES,  "S-Connect.res")                                    \
    XX(S_DISCONNECT_REQ, "S-Disconnect.req")                               \
    XX(DISCONNECT,     "Disconnect")                                       \
    XX(SUSPEND,        "Suspend")                                          \
    XX(METHOD,         "TR-Invoke.ind(Class 2, Method)")                   \
    XX(RESUME,         "TR-Invoke.ind(Class 2, Resume)")                   \
    XX(DISCONNECT_PDU, "TR-Invoke.ind(Class 0, Disconnect)")               \
    XX(SUSPEND_PDU,    "TR-Invoke.ind(Class 0, Suspend)")                  \
    XX(S_RESUME_RES,   "S-Resume.res")                                     \
    XX(RESULT_CNF,     "TR-Result.cnf")                                    \
    XX(ABORT_IND,      "TR-Abort.ind")

enum wsp__se {
#define XX(name, text) WSP_SE_##name,
    WSP_SE_MAP(XX)
#undef XX
    WSP_SE_COUNT,
    WSP_SE_ANY                  /* default rows */
};

/* Server method states (7.1.6.5).  PROCESSING2 is Large Data Transfer
 * only, which wspgw does not offer. */
#define WSP_MS_MAP(XX)                                                     \
    XX(NULL,       "NULL")                                                 \
    XX(HOLDING,    "HOLDING")                                              \
    XX(REQUESTING, "REQUESTING")                                           \
    XX(PROCESSING, "PROCESSING")                                           \
    XX(REPLYING,   "REPLYING")

enum wsp__ms {
#define XX(name, text) WSP_MS_##name,
    WSP_MS_MAP(XX)
#undef XX
    WSP_MS_COUNT,
    WSP_MS_SAME
};

#define WSP_ME_MAP(XX)                                                     \
    XX(INVOKE,        "TR-Invoke.ind(Class 2, Method)")                    \
    XX(RELEASE,       "Release")                                           \
    XX(INVOKE_RES,    "S-MethodInvoke.res")                                \
    XX(S_ABORT_REQ,   "S-MethodAbort.req")                                 \
    XX(ABORT,         "Abort")                                             \
    XX(RESULT_REQ,    "S-MethodResult.req")                                \
    XX(RESULT_CNF,    "TR-Result.cnf")                                     \
    XX(ABORT_IND,     "TR-Abort.ind")

enum wsp__me {
#define XX(name, text) WSP_ME_##name,
    WSP_ME_MAP(XX)
#undef XX
    WSP_ME_COUNT,
    WSP_ME_ANY
};

/* WSP abort reasons (Appendix A Table 35), sent as WTP user aborts. */
#define WSP_ABORT_MAP(XX)                                                  \
    XX(PROTOERR,    0xE0, "protocol error")                                \
    XX(DISCONNECT,  0xE1, "session disconnected")                          \
    XX(SUSPEND,     0xE2, "session suspended")                             \
    XX(RESUME,      0xE3, "session resumed")                               \
    XX(CONGESTION,  0xE4, "peer congested")                                \
    XX(CONNECTERR,  0xE5, "session connect failed")                        \
    XX(MRUEXCEEDED, 0xE6, "maximum receive unit exceeded")                 \
    XX(MOREXCEEDED, 0xE7, "maximum outstanding requests exceeded")         \
    XX(PEERREQ,     0xE8, "peer request")                                  \
    XX(NETERR,      0xE9, "network error")                                 \
    XX(USERREQ,     0xEA, "user request")                                  \
    XX(USERRFS,     0xEB, "push refused")                                  \
    XX(USERPND,     0xEC, "push cannot be delivered")                      \
    XX(USERDCR,     0xED, "push discarded")                                \
    XX(USERDCU,     0xEE, "push content type cannot be processed")

enum wsp__abort {
#define XX(name, val, text) WSP_ABORT_##name = (val),
    WSP_ABORT_MAP(XX)
#undef XX
};

const char *wsp__abort_name(unsigned reason);

/* ---- Objects ---------------------------------------------------------- */

struct wsp__sess;
struct wsp__method;
struct wsp__push;

/* A WTP transaction the session layer waits on, hashed by handle. */
struct wsp__txn {
    struct wsp__txn *next;      /* hash chain */
    uint32_t handle;
    int live;                   /* in the hash; 0 once WTP ended it */
    struct wsp__sess *sess;
    struct wsp__method *method; /* NULL: the Connect/Resume transaction */
    struct wsp__push *push;     /* a confirmed push's class 1 invoke */
};

/*
 * A push (S-Push / S-ConfirmedPush, machine in session.c).  A confirmed
 * push is in PUSHING from S-ConfirmedPush.req until TR-Invoke.cnf or
 * TR-Abort.ind (or its session's abort of all pushes); an unconfirmed
 * one only lives until the gateway took its TR_INVOKE.  Owns a copy of
 * its PDU (one allocation with the push).
 */
struct wsp__push {
    struct wsp__push *next;         /* session's list; then dead list */
    struct wsp__push *id_next;      /* hash by id (confirmed, live) */
    struct wsp__txn txn;            /* live once the invoke was made */
    struct wsp__sess *sess;         /* NULL once ended */
    uint32_t id;
    uint8_t confirmed;
    uint8_t dead;
    uint8_t started;                /* wsp_srv_invoke_req_done seen */
    size_t len;
    uint8_t pdu[];
};

struct wsp__method {
    struct wsp__method *next;       /* session's list; then dead list */
    struct wsp__method *id_next;    /* hash by id */
    struct wsp__txn txn;
    struct wsp__sess *sess;
    uint32_t id;
    uint8_t state;                  /* enum wsp__ms */
    uint8_t dead;                   /* on the dead list */
    size_t fetch_q;                 /* queue index of its FETCH + 1, 0 */
    size_t req_len;
    uint8_t req[];                  /* copy of the Get/Post PDU */
};

struct wsp__sess {
    struct wsp__sess *id_next;      /* hash by id; then dead list */
    struct wsp__sess *peer_next;    /* hash by peer (bound only) */
    struct wsp__sess *lru_prev, *lru_next;
    struct wsp__txn txn;            /* Connect or Resume transaction */
    struct wsp__method *methods;
    struct wsp__push *pushes;       /* outstanding confirmed pushes */
    unsigned n_pushes;
    uint8_t pom;                    /* agreed Push-MOR */
    struct wspgw_addr peer;
    uint32_t id;
    uint8_t state;                  /* enum wsp__ss */
    uint8_t options;                /* agreed Protocol Options */
    uint8_t mom;                    /* agreed Method-MOR */
    uint8_t enc;                    /* Encoding-Version of its headers */
    uint8_t bound;                  /* in the peer hash */
    uint8_t redirected;             /* a proto-session answered with a
                                     * Redirect: never a session (not in
                                     * stats.sessions, no id) */
    unsigned n_methods;             /* N_Methods (7.1.4.1) */
    uint32_t client_sdu;            /* 0 = no limit */
    uint32_t mru;                   /* agreed Server-SDU-Size, 0 = none */
    uint64_t last_ms;               /* last activity */
    uint8_t *hdrs;                  /* Connect headers (copy) */
    size_t hdrs_len;
};

/* One queued action plus what session.c needs to resolve it. */
struct wsp__qent {
    struct wsp_srv_action act;
    size_t off;                     /* TR_RESULT: data at out.data + off */
    struct wsp__method *method;     /* FETCH: NULL once cancelled */
    struct wsp__push *push;         /* TR_INVOKE: its push */
};

struct wsp_srv {
    struct wsp_srv_config cfg;
    struct wsp_srv_stats stats;
    uint32_t nbuckets;              /* power of two */
    struct wsp__sess **by_id;
    struct wsp__sess **by_peer;
    struct wsp__txn **by_handle;
    struct wsp__method **method_by_id;
    struct wsp__sess *lru_head, *lru_tail;
    struct wsp__sess *dead_sess;
    struct wsp__method *dead_methods;
    struct wsp__push *dead_pushes;
    struct wsp__push **push_by_id;
    uint32_t push_counter;
    struct wsp__qent *q;
    size_t q_len, q_head, q_cap;
    struct wspgw_buf out;           /* PDUs of queued TR_RESULTs */
    uint32_t id_counter;
    unsigned n_redirected;          /* proto-sessions in TERMINATING */
    uint32_t method_counter;
    uint32_t *row_hits[2];          /* per table row, for the walk test */
};

/* ---- The tables (session_table.c) ------------------------------------- */

/*
 * Context of one event: the inputs of guards and actions, and what the
 * actions ask the dispatcher to do next.
 */
struct wsp__ev {
    struct wsp_srv *srv;
    unsigned event;                 /* set by the dispatcher */
    struct wsp__sess *sess;
    struct wsp__method *method;     /* method events; method txn events */
    uint32_t handle;                /* the WTP transaction of the event */
    unsigned tcl;
    uint8_t abort_type, reason;     /* TR-Abort.ind; Abort(reason) */
    const struct wspgw_addr *peer;
    const uint8_t *hdrs;            /* Resume: new session headers */
    size_t hdrs_len;
    size_t reply_off, reply_len;    /* pre-built PDU in srv->out */
    int redirect;                   /* Connect: the user answers with
                                     * S-Disconnect.req(Redirect), the
                                     * Redirect PDU at reply_off */
    uint64_t now_ms;
    int rc;                         /* result for the API call */
    uint8_t post[4];                /* session events raised by actions */
    unsigned n_post;
};

typedef int (*wsp__guard_fn)(const struct wsp__ev *ev);
typedef void (*wsp__action_fn)(struct wsp__ev *ev);

/* ROW_SYNC: the row is transcribed for fidelity but cannot fire,
 * because session.c answers S-Connect.ind / S-Resume.ind within the same
 * event (CONNECTING, RESUMING and HOLDING never outlive one call). */
#define WSP_ROW_SYNC 1u
/* ROW_UNUSED: transcribed for fidelity, but the session user (session.c)
 * never issues the primitive (S-Disconnect.req other than Redirect: its
 * refusals are aborts before a proto-session exists). */
#define WSP_ROW_UNUSED 2u

struct wsp__row {
    uint8_t state;
    uint8_t event;
    wsp__guard_fn guard;            /* NULL: always */
    wsp__action_fn action;
    uint8_t next;
    uint8_t flags;
    const char *guard_name;
    const char *action_name;
    const char *ref;                /* spec table and row */
};

/* The rows of the session (machine 0) or method (machine 1) table. */
const struct wsp__row *wsp__table_rows(int machine, size_t *n);
const char *wsp__ss_name(unsigned st);
const char *wsp__se_name(unsigned ev);
const char *wsp__ms_name(unsigned st);
const char *wsp__me_name(unsigned ev);

/* Runs a session event (and the events its actions raise). */
void wsp__session_event(struct wsp__ev *ev, unsigned event);
/* Runs a method event on ev->method. */
void wsp__method_event(struct wsp__ev *ev, unsigned event);

/* Row hit counters of s (machine 0 or 1), n rows. */
const uint32_t *wsp__srv_row_hits(const struct wsp_srv *s, int machine,
    size_t *n);

/* ---- Services of session.c used by the table actions ------------------ */

/* Queues actions.  Space was reserved at the start of the event, so
 * these cannot fail (asserted). */
void wsp__q_abort(struct wsp_srv *s, uint32_t handle, uint8_t reason);
void wsp__q_result(struct wsp_srv *s, uint32_t handle, size_t off,
    size_t len);
void wsp__q_fetch(struct wsp_srv *s, struct wsp__method *m);
void wsp__q_invoke_res(struct wsp_srv *s, uint32_t handle);
void wsp__q_fetch_cancel(struct wsp_srv *s, struct wsp__method *m);

/* Assigns a fresh, unused session id and hashes the session by it. */
void wsp__sess_assign_id(struct wsp_srv *s, struct wsp__sess *ss);
/* Binds ss to peer, first disconnecting any other session bound there. */
void wsp__sess_bind(struct wsp__ev *ev, struct wsp__sess *ss,
    const struct wspgw_addr *peer);
/* Replaces the session headers by a capped copy of hdrs (if non-empty). */
void wsp__sess_set_headers(struct wsp_srv *s, struct wsp__sess *ss,
    const uint8_t *hdrs, size_t len);
/* Unhashes a WTP transaction (it ended). */
void wsp__txn_end(struct wsp_srv *s, struct wsp__txn *t);
/* Hashes t under handle. */
void wsp__txn_start(struct wsp_srv *s, struct wsp__txn *t, uint32_t h);
/* Ends a method in state NULL: unlinks it and moves it to the dead list. */
void wsp__method_end(struct wsp_srv *s, struct wsp__method *m);
/* Aborts every outstanding push of ss (S-PushAbort.ind with reason:
 * the session is disconnected, suspended or resumed elsewhere), with a
 * TR-Abort.req of each push's live transaction. */
void wsp__push_abort_all(struct wsp_srv *s, struct wsp__sess *ss,
    uint8_t reason);
/* Ends a session in state NULL (no methods left). */
void wsp__sess_end(struct wsp_srv *s, struct wsp__sess *ss);
/* Writes v as a uintvar into p (room for 5 octets); returns its size
 * (caps.c). */
size_t wsp__uintvar_put(uint8_t *p, uint32_t v);
/* Formats "a.b.c.d:port" or "[v6]:port" into buf. */
const char *wsp__addr_str(const struct wspgw_addr *a, char *buf,
    size_t len);

#endif /* WSP_SESSION_INT_H */
