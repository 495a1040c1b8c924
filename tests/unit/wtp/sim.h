/*
 * tests/unit/wtp/sim.h - a simulated bearer in virtual time between one
 * wtp_ep (the gateway) and a scripted handset: a minimal client-side WTP
 * initiator for class 2 (and 0/1) with SAR both ways, written for the
 * tests only (picoquic's sim_link idea).
 *
 * The handset separates concatenated datagrams (WAP-224 8.5) with its
 * own code, not the codec under test.
 *
 * Loss: a 64-bit mask per direction (bit n drops the n-th datagram) and
 * a seeded rate; duplication and reordering by seeded rates.  Time only
 * moves when nothing is due: every run is deterministic for a seed.
 */
#ifndef WTP_SIM_H
#define WTP_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "wspgw/addr.h"
#include "wspgw/wtp.h"

#define SIM_UP 0        /* handset -> gateway */
#define SIM_DOWN 1      /* gateway -> handset */

struct sim_link {
    uint64_t loss_mask;     /* bit n: drop the n-th datagram */
    unsigned loss_pct;      /* then a seeded rate */
    unsigned dup_pct;
    unsigned reorder_pct;   /* delayed by up to 3x the one-way delay */
    uint64_t sent, dropped, bytes;
};

struct sim_pkt {
    uint64_t at, seq;
    int dir;
    uint8_t *data;
    size_t len;
};

/* The handset's view of one transaction it started. */
struct hs_txn {
    unsigned tid;           /* 15 bits */
    unsigned tcl, up, tidnew;
    const uint8_t *req;
    size_t req_len;
    unsigned seg, gsize, npk, gfirst, glast;
    int state;              /* HS_* */
    unsigned rcr;
    uint64_t deadline;      /* retry timer; UINT64_MAX when off */
    unsigned sar;           /* segment / accept SAR results */
    /* result reassembly */
    uint8_t *rbuf[256];
    size_t rlen[256];
    int rttr, rgstart, rgend, racked;
    uint8_t *result;
    size_t result_len;
    unsigned result_done, invoke_acked, aborted, abort_reason;
    unsigned acks_sent;
};

enum {
    HS_SENDING = 1,         /* sending invoke groups */
    HS_WAITING,             /* invoke acked (or hold-on), waiting */
    HS_DONE,                /* result complete and acked */
    HS_ABORTED,
    HS_GAVE_UP
};

struct sim {
    uint64_t now;
    struct wtp_ep *ep;
    struct wspgw_addr hs_addr;
    unsigned delay_ms;      /* one way */
    uint64_t rng;
    struct sim_link link[2];
    struct sim_pkt *q;
    size_t qlen, qcap;
    uint64_t seq;
    /* the handset */
    struct hs_txn hs[8];
    unsigned nhs;
    unsigned hs_retry_ms;
    unsigned hs_max_rcr;     /* handset's MAX_RCR (12, as ours) */
    unsigned hs_forget_txn;  /* answer Tve with INVALIDTID (no txn) */
    /* the gateway's user (WSP stand-in) */
    unsigned ind_count, cnf_count, abort_ind_count;
    uint32_t last_handle;
    unsigned last_tcl;
    uint8_t last_abort_reason;
    uint8_t *ind_data;
    size_t ind_len;
    const uint8_t *reply;   /* sent as TR-Result.req */
    size_t reply_len;
    unsigned reply_delay_ms;
    int reply_never;
    uint64_t reply_at;      /* UINT64_MAX when none pending */
    uint32_t reply_handle;
    unsigned gw_sends;      /* SEND actions */
    unsigned invoke_cnf_count;
    /* the handset as responder (push from the gateway) */
    unsigned push_count, push_aborts, push_tidnew;
    unsigned push_verify;   /* answer the next TIDnew invoke with Tve */
    unsigned push_silent;   /* never answer */
    unsigned push_seen, push_last_tid;
    uint8_t *push_data;
    size_t push_len;
    /* concatenation (8.5) seen by the handset */
    unsigned max_datagram;  /* the endpoint's, for the size check */
    unsigned hs_rx_datagrams, hs_rx_pdus, hs_rx_concat;
};

extern int sim_trace;

void sim_init(struct sim *s, const struct wtp_config *cfg, uint64_t seed);
void sim_free(struct sim *s);

/* Starts a handset transaction; returns its index. */
unsigned sim_hs_start(struct sim *s, unsigned tid, unsigned tcl,
    const uint8_t *req, size_t len, unsigned seg, unsigned gsize,
    unsigned sar);

/* Runs until nothing is pending or until now >= until. */
void sim_run(struct sim *s, uint64_t until);

/* Raw injection from the handset side (bypasses the loss model). */
void sim_inject(struct sim *s, const uint8_t *pdu, size_t len);

/* Drains the endpoint's actions (done by sim_run after each call). */
void sim_drain(struct sim *s);

#endif /* WTP_SIM_H */
