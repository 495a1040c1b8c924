/*
 * gateway/pushq.h - the durable push queue and the delivery engine's
 * contract with the PPG front end (PAP listener, /mms-notify).
 *
 * The front end (gateway/ppg.c) parses and authorises a push, compiles
 * its content (SI/SL to WBXML, m-notification-ind built), then calls
 * gw_pushq_add: when that returns 0 the push is committed to disk
 * (SQLite, WAL) and only then is 1001 answered.  The delivery engine
 * (gateway/push_deliver.c) takes due pushes from the queue, sends them
 * over SMS (SMPP / HTTP sendsms) or UDP, and reports every final outcome
 * through the result callback, from which the front end sends PAP
 * resultnotification-message when the initiator asked for one.
 *
 * Times are milliseconds since the Unix epoch (wall clock, because they
 * survive a restart and come from PAP's deliver-before/after).
 */
#ifndef WSPGW_GATEWAY_PUSHQ_H
#define WSPGW_GATEWAY_PUSHQ_H

#include <stddef.h>
#include <stdint.h>

struct gw_pushq;

enum gw_push_addr_type {
    GW_PUSH_PLMN = 1,       /* address: "+15551234567" (SMS bearer) */
    GW_PUSH_IPV4,           /* address: "192.0.2.1" (UDP 2948) */
    GW_PUSH_IPV6            /* address: "2001:db8::1" */
};

enum gw_push_state {
    GW_PUSH_PENDING = 1,    /* accepted, not yet delivered */
    GW_PUSH_DELIVERED,      /* handed to the SMSC / sent by UDP */
    GW_PUSH_EXPIRED,        /* deliver-before or max-lifetime passed */
    GW_PUSH_FAILED,         /* permanent error (e.g. SMSC refused) */
    GW_PUSH_CANCELLED       /* cancel-message */
};

/* What the front end hands the queue (all borrowed for the call). */
struct gw_push_msg {
    const char *push_id;            /* PAP push-id; unique per user */
    const char *user;               /* [push-user NAME] */
    enum gw_push_addr_type addr_type;
    const char *address;
    const char *content_type;       /* of body as it goes on the air,
                                       e.g. "application/vnd.wap.sic" */
    const uint8_t *body;            /* already compiled for the air */
    size_t body_len;
    const char *app_id;             /* X-Wap-Application-Id text, e.g.
                                       "x-wap-application:mms.ua";
                                       NULL or "": none */
    int minimal_headers;            /* only Content-Type + App-Id */
    uint64_t deliver_after_ms;      /* 0: at once */
    uint64_t deliver_before_ms;     /* 0: now + [push] max-lifetime */
    const char *notify_to;          /* ppg-notify-requested-to, or NULL */
};

/* A push as the queue knows it (strings owned by the record). */
struct gw_push_rec {
    int64_t id;
    char push_id[128];
    char user[64];
    enum gw_push_addr_type addr_type;
    char address[64];
    enum gw_push_state state;
    uint64_t created_ms;
    uint64_t updated_ms;            /* time of the last state change */
    unsigned attempts;
    char notify_to[512];
    char detail[128];               /* last error / SMSC message id */
};

/* Called for every final outcome (DELIVERED, EXPIRED, FAILED,
 * CANCELLED), on the loop, after the state is committed. */
typedef void (*gw_push_result_fn)(void *ctx, const struct gw_push_rec *r);

/*
 * Commits m.  Returns 0 (durable on return) with *id set, WSPGW_EEXIST
 * when (user, push_id) is already queued, WSPGW_ENOSPC when the queue is
 * at its cap, or WSPGW_EIO when the database fails.
 */
int gw_pushq_add(struct gw_pushq *q, const struct gw_push_msg *m,
    uint64_t now_ms, int64_t *id);

/* Looks a push up by (user, push_id).  Returns 0 or WSPGW_ENOENT. */
int gw_pushq_lookup(struct gw_pushq *q, const char *user,
    const char *push_id, struct gw_push_rec *out);

/* Cancels a push that is still PENDING.  Returns 0, WSPGW_ENOENT, or
 * WSPGW_EBUSY when it is already delivered / in flight / final. */
int gw_pushq_cancel(struct gw_pushq *q, const char *user,
    const char *push_id, uint64_t now_ms);

/* ---- Extensions (h/deliver): opening, callbacks, the engine's side ----
 *
 * Everything below runs on the loop thread, on one SQLite connection.
 * The states a push goes through in the database:
 *
 *   add -> PENDING --take--> SENDING --all parts accepted--> DELIVERED
 *            ^  |               |  \--receipts wanted--> SUBMITTED
 *            |  |               |                          |  receipt
 *            |  |   retry ------+                          v
 *            +--+---------------+ (and at open)     DELIVERED/FAILED/
 *               |                                   EXPIRED
 *               +--cancel--> CANCELLED   PENDING/SUBMITTED past
 *                                        deliver-before --> EXPIRED
 *
 * SENDING and SUBMITTED are internal: gw_pushq_lookup reports both as
 * GW_PUSH_PENDING (with the detail saying which).  At open every SENDING
 * push becomes PENDING again, so a push whose submit_sm was in flight at
 * a crash is sent again (the only source of duplicates).
 */

#define GW_PUSHQ_MAX_BODY 65536     /* octets of one push's body */
#define GW_PUSHQ_MAX_PARTS 255      /* SMS segments of one push */

struct gw_pushq_opts {
    unsigned max_queued;            /* non-final pushes; more: ENOSPC */
    uint64_t max_lifetime_ms;       /* deliver-before when none given */
    uint64_t keep_final_ms;         /* final pushes kept for lookups */
    int sync_full;                  /* 1: synchronous=FULL, 0: NORMAL */
};

/*
 * Opens (creating if needed) the queue database at path in WAL mode and
 * recovers it: pushes left SENDING by a crash become PENDING.  path ""
 * or ":memory:" gives an in-memory queue (tests only: not durable).
 * Returns 0 with *out set, or WSPGW_EIO / WSPGW_ENOMEM with a message in
 * err (size errlen).
 */
int gw_pushq_open(struct gw_pushq **out, const char *path,
    const struct gw_pushq_opts *o, char *err, size_t errlen);

/* Closes the database (SENDING pushes stay SENDING: the next open
 * recovers them).  q may be NULL. */
void gw_pushq_close(struct gw_pushq *q);

/* Applies new limits (reload). */
void gw_pushq_set_opts(struct gw_pushq *q, const struct gw_pushq_opts *o);

/* Who hears final outcomes (the front end); fn may be NULL. */
void gw_pushq_set_result_fn(struct gw_pushq *q, gw_push_result_fn fn,
    void *ctx);

/* A second listener for final outcomes, called before the result fn:
 * the delivery engine's counters and log lines. */
void gw_pushq_set_observer_fn(struct gw_pushq *q, gw_push_result_fn fn,
    void *ctx);

/* Who hears that a push was added (the delivery engine, to wake up). */
void gw_pushq_set_wake_fn(struct gw_pushq *q, void (*fn)(void *ctx),
    void *ctx);

/* Non-final pushes (PENDING, SENDING, SUBMITTED) in the queue. */
unsigned gw_pushq_live(const struct gw_pushq *q);

/* Pushes that open found SENDING and made PENDING again. */
unsigned gw_pushq_recovered(const struct gw_pushq *q);

/* A push taken for delivery (owned by the caller until
 * gw_push_item_free). */
struct gw_push_item {
    struct gw_push_rec rec;
    char content_type[128];
    char app_id[128];
    int minimal_headers;
    uint8_t *body;
    size_t body_len;
    uint64_t deliver_after_ms;
    uint64_t deliver_before_ms;
    unsigned concat_ref;            /* 16 bits, fixed at add */
    uint8_t part_done[32];          /* bit n-1: SMS part n was accepted */
};

void gw_push_item_free(struct gw_push_item *it);

/*
 * Groups the calls below into one transaction (one commit, one fsync);
 * result callbacks of pushes finished inside run after the commit.
 * Nesting is counted.  end returns WSPGW_EIO if the commit failed (then
 * nothing of the batch happened).
 */
void gw_pushq_batch_begin(struct gw_pushq *q);
int gw_pushq_batch_end(struct gw_pushq *q);

/*
 * Finalises what is overdue at now_ms: PENDING or SUBMITTED pushes past
 * deliver-before become EXPIRED (callbacks), final pushes older than
 * keep_final are deleted.  Returns the number expired or WSPGW_EIO.
 */
int gw_pushq_expire(struct gw_pushq *q, uint64_t now_ms);

/*
 * Takes the next due PENDING push (deliver-after and next-try reached,
 * deliver-before not) of one of the given address kinds (kinds: bit
 * 1u << GW_PUSH_* set for each kind that may be taken; 0: any), makes
 * it SENDING,
 * counts an attempt and fills *out.  Returns 0, WSPGW_ENOENT (nothing
 * due), WSPGW_ENOMEM or WSPGW_EIO.
 */
int gw_pushq_take(struct gw_pushq *q, uint64_t now_ms, unsigned kinds,
    struct gw_push_item *out);

/*
 * When the next PENDING push becomes due or a PENDING/SUBMITTED one
 * expires (ms since the epoch).  0 or WSPGW_ENOENT (nothing waits).
 */
int gw_pushq_next_due(struct gw_pushq *q, uint64_t *when_ms);

/* Records that SMS part (1-based) of push id was accepted by the SMSC
 * with message id msg_id (may be NULL or ""). */
int gw_pushq_part_sent(struct gw_pushq *q, int64_t id, unsigned part,
    const char *msg_id, uint64_t now_ms);

/*
 * The whole push went out.  await_receipt 0: DELIVERED (final, callback);
 * 1: SUBMITTED until every part's delivery receipt came.
 */
int gw_pushq_sent(struct gw_pushq *q, int64_t id, int await_receipt,
    const char *detail, uint64_t now_ms);

/* SENDING -> PENDING, to be tried again at next_try_ms. */
int gw_pushq_retry(struct gw_pushq *q, int64_t id, uint64_t next_try_ms,
    const char *detail, uint64_t now_ms);

/* SENDING or SUBMITTED -> state (DELIVERED, FAILED or EXPIRED), final. */
int gw_pushq_finish(struct gw_pushq *q, int64_t id, enum gw_push_state st,
    const char *detail, uint64_t now_ms);

/*
 * A delivery receipt for SMSC message id msg_id: delivered says whether
 * the part reached the handset (else final is the state to give the
 * push: FAILED or EXPIRED).  The push becomes DELIVERED when all its
 * parts' receipts said delivered.  A receipt may also come while the
 * push is SENDING or PENDING again (another part failed for the time
 * being): it is recorded, and a failure ends the push at once.  Returns
 * 0, or WSPGW_ENOENT when no push that is not final has that message
 * id.
 */
int gw_pushq_receipt(struct gw_pushq *q, const char *msg_id, int delivered,
    enum gw_push_state final, const char *detail, uint64_t now_ms);

#endif /* WSPGW_GATEWAY_PUSHQ_H */
