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

#endif /* WSPGW_GATEWAY_PUSHQ_H */
