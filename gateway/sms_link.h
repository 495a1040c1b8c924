/*
 * gateway/sms_link.h - what the push delivery engine needs from an SMS
 * bearer: room to send, submit one SMS, hear how it went.  Two links
 * implement it: SMPP 3.4 (smpp.c) and Kannel-compatible HTTP sendsms
 * (sendsms.c).
 *
 * Every callback runs on the loop, never from inside the call that
 * caused it (gw_sms_link_submit completes later, also when it fails
 * early), so the engine is never re-entered.
 */
#ifndef WSPGW_GATEWAY_SMS_LINK_H
#define WSPGW_GATEWAY_SMS_LINK_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "config.h"

enum gw_sms_result {
    GW_SMS_OK = 0,          /* accepted by the SMSC */
    GW_SMS_TEMP,            /* not sent, or unknown (connection lost):
                               try again later */
    GW_SMS_PERM             /* refused for good (bad address, ...) */
};

struct gw_sms_cb {
    /* One SMS finished.  msg_id: the SMSC's message id ("" if none);
     * detail: text for logs and PAP ("ESME_RTHROTTLED", ...). */
    void (*done)(void *ctx, int64_t push, unsigned part,
        enum gw_sms_result r, const char *msg_id, const char *detail);
    /* A delivery receipt: delivered or not (then final is
     * GW_PUSH_FAILED or GW_PUSH_EXPIRED, see pushq.h). */
    void (*receipt)(void *ctx, const char *msg_id, int delivered,
        int final, const char *detail);
    /* There may be room again (a response came, the link came up). */
    void (*ready)(void *ctx);
    /* Around each batch of callbacks from one read (begin 1, then 0),
     * so the engine can commit them at once. */
    void (*batch)(void *ctx, int begin);
    void *ctx;
};

struct gw_sms_out {
    const char *dst;                /* "+15551234567" or national digits */
    const uint8_t *ud;              /* TP-UD: UDH + payload (borrowed) */
    size_t len;
    int64_t push;                   /* returned in done */
    unsigned part;                  /* 1-based */
};

struct gw_sms_link;

/* Link counters, exported by the engine. */
struct gw_sms_link_stats {
    uint64_t submitted;             /* submit_sm / sendsms requests sent */
    uint64_t accepted;
    uint64_t temp_errors;
    uint64_t perm_errors;
    uint64_t receipts;
    uint64_t connects;              /* successful binds */
    uint64_t disconnects;
};

/*
 * Starts the link configured in cfg (type smpp or http; cfg copied).
 * SMPP connects and binds at once and keeps reconnecting.  Returns NULL
 * on out-of-memory.
 */
struct gw_sms_link *gw_sms_link_new(uv_loop_t *loop,
    const struct gw_config *cfg, const struct gw_sms_cb *cb);

/* How many SMS may be submitted now (0 while down, the window full or
 * the throughput limit reached; ready is called when that changes). */
unsigned gw_sms_link_room(struct gw_sms_link *l);

/* Submits one SMS (copied).  0, or WSPGW_EBUSY (no room) /
 * WSPGW_EINVAL / WSPGW_ENOMEM; done is called only after 0. */
int gw_sms_link_submit(struct gw_sms_link *l, const struct gw_sms_out *m);

const struct gw_sms_link_stats *gw_sms_link_stats(
    const struct gw_sms_link *l);

/*
 * Stops: SMPP sends unbind when bound, then closes.  No callback runs
 * after close: SMS in flight stay unanswered, and their pushes stay
 * SENDING in the queue, which makes them pending again at the next
 * start.  Frees itself once libuv has closed its handles.
 */
void gw_sms_link_close(struct gw_sms_link *l);

/* ---- for the implementations (smpp.c, sendsms.c) ---- */

struct gw_sms_link_ops {
    unsigned (*room)(struct gw_sms_link *l);
    int (*submit)(struct gw_sms_link *l, const struct gw_sms_out *m);
    void (*close)(struct gw_sms_link *l);
};

struct gw_sms_link {
    const struct gw_sms_link_ops *ops;
    struct gw_sms_cb cb;
    struct gw_sms_link_stats stats;
};

struct gw_sms_link *gw_smpp_link_new(uv_loop_t *loop,
    const struct gw_config *cfg, const struct gw_sms_cb *cb);
struct gw_sms_link *gw_sendsms_link_new(uv_loop_t *loop,
    const struct gw_config *cfg, const struct gw_sms_cb *cb);

#endif /* WSPGW_GATEWAY_SMS_LINK_H */
