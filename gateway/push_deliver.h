/*
 * gateway/push_deliver.h - the push delivery engine: takes due pushes
 * from the queue (pushq.h), sends them over SMS (sms_link.h: SMPP or
 * HTTP sendsms) or UDP, and records every outcome in the queue.
 *
 * Runs on the gateway's loop.  Started by main.c when [push] queue is
 * set; the front end never calls it (it only adds to the queue, which
 * wakes the engine).
 */
#ifndef WSPGW_GATEWAY_PUSH_DELIVER_H
#define WSPGW_GATEWAY_PUSH_DELIVER_H

struct gw;
struct gw_pushq;
struct gw_config;
struct gw_push_deliver;

/*
 * Starts delivering from q, with g's loop, bearer and configuration (the
 * SMSC link starts connecting at once when [smsc] host is set).  Returns
 * 0 or WSPGW_ENOMEM.
 */
int gw_push_deliver_start(struct gw_push_deliver **out, struct gw *g,
    struct gw_pushq *q);

/* Reload: retry delays (the [smsc] settings need a restart). */
void gw_push_deliver_set_config(struct gw_push_deliver *d,
    const struct gw_config *cfg);

/* Stops; pushes being sent stay SENDING in the queue and are sent again
 * after the next start.  d may be NULL. */
void gw_push_deliver_stop(struct gw_push_deliver *d);

#endif /* WSPGW_GATEWAY_PUSH_DELIVER_H */
