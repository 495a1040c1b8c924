/*
 * include/wspgw/wtp.h - the sans-I/O WTP core (WAP-224-WTP-20010710-a,
 * with OMA-WAP-224_002-WTP-SIN-20020827-a).
 *
 * One endpoint (struct wtp_ep) serves one local UDP port: it is the
 * responder for transactions handsets start (classes 0, 1, 2) and the
 * initiator for those the gateway starts (classes 0 and 1, for push).
 *
 * Shape (STYLE.md 3.1): bytes, the peer and the current time go in
 * (wtp_input, wtp_timeout and the TR-* request functions); actions come
 * out, pulled with wtp_next_action: datagrams to send and indications for
 * the WTP user (WSP).  wtp_next_deadline says when to call wtp_timeout.
 * No sockets, no clock, no globals: tests run it in virtual time over a
 * simulated network.
 *
 * Transactions are named by a 32-bit handle, unique per endpoint and
 * never reused while the endpoint lives (wraps after 2^32).
 *
 * Memory: every transaction, reassembly buffer and queue has a cap from
 * struct wtp_config; beyond a cap the spec's abort is sent (e.g.
 * MESSAGETOOLARGE, CAPTEMPEXCEEDED), memory never grows without bound.
 */
#ifndef WSPGW_WTP_H
#define WSPGW_WTP_H

#include <stddef.h>
#include <stdint.h>

#include "wspgw/addr.h"

/* ---- PDU types and codes (WAP-224 section 8, Appendix) --------------- */

#define WTP_PDU_TYPE_MAP(XX)                                               \
    XX(CONCAT,     0x00, "Concatenated")                                   \
    XX(INVOKE,     0x01, "Invoke")                                         \
    XX(RESULT,     0x02, "Result")                                         \
    XX(ACK,        0x03, "Ack")                                            \
    XX(ABORT,      0x04, "Abort")                                          \
    XX(SEG_INVOKE, 0x05, "Segmented Invoke")                               \
    XX(SEG_RESULT, 0x06, "Segmented Result")                               \
    XX(NACK,       0x07, "Negative Ack")

enum wtp_pdu_type {
#define XX(name, val, text) WTP_PDU_##name = (val),
    WTP_PDU_TYPE_MAP(XX)
#undef XX
};

/* Abort types (WAP-224 8.3.4) */
#define WTP_ABORT_PROVIDER 0
#define WTP_ABORT_USER 1

/* Provider abort reasons (WAP-224 Table "Abort reasons"). */
#define WTP_ABORT_REASON_MAP(XX)                                           \
    XX(UNKNOWN,            0x00, "unknown")                                \
    XX(PROTOERR,           0x01, "protocol error")                         \
    XX(INVALIDTID,         0x02, "invalid TID")                            \
    XX(NOTIMPLEMENTEDCL2,  0x03, "class 2 not implemented")                \
    XX(NOTIMPLEMENTEDSAR,  0x04, "SAR not implemented")                    \
    XX(NOTIMPLEMENTEDUACK, 0x05, "user ack not implemented")               \
    XX(WTPVERSIONONE,      0x06, "WTP version one")                        \
    XX(CAPTEMPEXCEEDED,    0x07, "capacity temporarily exceeded")          \
    XX(NORESPONSE,         0x08, "no response")                            \
    XX(MESSAGETOOLARGE,    0x09, "message too large")                      \
    XX(NOTIMPLEMENTEDESAR, 0x0A, "extended SAR not implemented")

enum wtp_abort_reason {
#define XX(name, val, text) WTP_ABORT_##name = (val),
    WTP_ABORT_REASON_MAP(XX)
#undef XX
};

const char *wtp_pdu_type_name(unsigned type);
const char *wtp_abort_reason_name(unsigned reason);

/* ---- Configuration ---------------------------------------------------- */

struct wtp_config {
    /* Timers (ms).  Retransmission adapts per peer (RFC 6298 style)
     * between retry_min_ms and retry_max_ms, starting at retry_init_ms. */
    unsigned ack_interval_ms;       /* timer A: hold-on Ack, ack delay */
    unsigned retry_init_ms;         /* timer R before any RTT sample */
    unsigned retry_min_ms;
    unsigned retry_max_ms;
    unsigned wait_timeout_ms;       /* timer W */
    unsigned max_retransmissions;   /* MAX_RCR */
    unsigned max_ack_expirations;   /* AEC_MAX */
    /* SAR */
    unsigned segment_size;          /* outgoing packet payload octets */
    unsigned group_size;            /* outgoing packets per group */
    /* Caps */
    size_t max_message;             /* one reassembled or sent message */
    size_t max_reassembly_per_peer; /* octets being reassembled per peer */
    size_t max_reassembly_total;
    unsigned max_txn_per_peer;
    unsigned max_txn_total;
    unsigned max_peers;             /* TID cache entries */
    /* TID verification (7.8.2.2): for this long after the endpoint
     * starts or evicts a TID cache entry, an invoke from a peer without
     * a cache entry is verified (an old duplicate could pass otherwise).
     * 0 accepts unknown peers at once. */
    unsigned mpl_ms;                /* maximum packet lifetime */
    /* Bounded queue of pending actions; past it SENDs are dropped and
     * counted (retransmission recovers), see wtp_next_action. */
    unsigned max_actions;
    /* Concatenation of outgoing PDUs (8.5): with concatenate set, a PDU
     * queued right after a SEND to the same peer that nobody has taken
     * yet joins that datagram, as long as it stays within max_datagram
     * octets.  A PDU is never split: one larger than max_datagram goes
     * alone.  Off by default (the reason is in wtp/ep.c). */
    int concatenate;
    unsigned max_datagram;
};

/* Fills c with the defaults (safe for GPRS; the reasons are in wtp/ep.c
 * above wtp_config_defaults).  The user's time for a class 2 result is
 * about ack_interval_ms * (1 + max_ack_expirations): keep it above the
 * upstream HTTP timeout plus a margin. */
void wtp_config_defaults(struct wtp_config *c);

/* ---- Endpoint ----------------------------------------------------------- */

struct wtp_ep;

/* Creates an endpoint (copies cfg).  NULL on out-of-memory. */
struct wtp_ep *wtp_ep_new(const struct wtp_config *cfg);

/* Frees the endpoint and every transaction; no action is produced. */
void wtp_ep_free(struct wtp_ep *ep);

/* Replaces the configuration for transactions started afterwards. */
void wtp_ep_set_config(struct wtp_ep *ep, const struct wtp_config *cfg);

/*
 * Feeds one datagram from peer (borrowed).  Malformed input is counted
 * and answered as the spec says (Abort PROTOERR where a transaction
 * exists, else ignored); it never fails the endpoint.
 * Returns 0, or WSPGW_EPROTO/WSPGW_ETRUNC for a datagram that was
 * dropped (for counters and logs), or WSPGW_ENOMEM.
 */
int wtp_input(struct wtp_ep *ep, const struct wspgw_addr *peer,
    const uint8_t *buf, size_t len, uint64_t now_ms);

/* Runs every timer due at now_ms. */
void wtp_timeout(struct wtp_ep *ep, uint64_t now_ms);

/* Earliest time wtp_timeout must run, or UINT64_MAX when none. */
uint64_t wtp_next_deadline(const struct wtp_ep *ep);

/* ---- Primitives from the WTP user (WAP-224 section 6) ------------------ */

/*
 * TR-Result.req: data (copied) answers the class 2 transaction handle
 * (after its INVOKE_IND, with or without TR-Invoke.res).  Segmented into
 * groups when the handset does SAR.  Returns 0, WSPGW_EINVAL (unknown
 * handle, not class 2, wrong state, a second result), WSPGW_EMSGSIZE
 * (over max_message, or more than 256 segments, or over one datagram for
 * a handset without SAR: answer with a short error instead) or
 * WSPGW_ENOMEM.  The invoke data of INVOKE_IND is released here.
 */
int wtp_tr_result_req(struct wtp_ep *ep, uint32_t handle,
    const uint8_t *data, size_t len, uint64_t now_ms);

/* TR-Invoke.res: the user acknowledges an invoke that asked for it (U/P).
 * 0 or WSPGW_EINVAL (unknown handle or wrong state). */
int wtp_tr_invoke_res(struct wtp_ep *ep, uint32_t handle, uint64_t now_ms);

/* TR-Abort.req with a user abort reason (WSP 0xE0-0xEE).  0 or
 * WSPGW_ENOENT (no such live transaction). */
int wtp_tr_abort_req(struct wtp_ep *ep, uint32_t handle, uint8_t reason,
    uint64_t now_ms);

/*
 * TR-Invoke.req as initiator, class 0 or 1 (push).  data is copied.
 * *handle receives the new transaction's handle.  The first invoke to a
 * peer since start-up carries TIDnew.  Returns 0, WSPGW_EINVAL (class 2
 * is not offered), WSPGW_EMSGSIZE (over segment_size: the initiator does
 * no SAR yet), WSPGW_ENOSPC (caps) or WSPGW_ENOMEM.
 */
int wtp_tr_invoke_req(struct wtp_ep *ep, const struct wspgw_addr *peer,
    unsigned tcl, int user_ack, const uint8_t *data, size_t len,
    uint64_t now_ms, uint32_t *handle);

/* ---- Actions ----------------------------------------------------------- */

enum wtp_action_type {
    WTP_ACT_NONE = 0,
    WTP_ACT_SEND,           /* send data/len to peer */
    WTP_ACT_INVOKE_IND,     /* TR-Invoke.ind: data = the whole message */
    WTP_ACT_RESULT_CNF,     /* TR-Result.cnf: the handset acked the Result */
    WTP_ACT_INVOKE_CNF,     /* TR-Invoke.cnf (initiator, class 1 acked) */
    WTP_ACT_ABORT_IND       /* TR-Abort.ind: abort_type/abort_reason */
};

struct wtp_action {
    enum wtp_action_type type;
    uint32_t handle;
    struct wspgw_addr peer;
    unsigned tcl;           /* INVOKE_IND */
    int user_ack;           /* INVOKE_IND: U/P was set */
    uint8_t abort_type;     /* ABORT_IND */
    uint8_t abort_reason;
    const uint8_t *data;    /* SEND, INVOKE_IND: borrowed from the endpoint, */
    size_t len;             /* valid until the next call into it */
};
/* A SEND's handle is the transaction of its first PDU; a concatenated
 * datagram (data[0] == 0x00) may carry PDUs of several transactions of
 * the same peer. */

/*
 * Takes the next action; returns 1, or 0 when there is none.  Drain the
 * queue after every call into the endpoint: buffers are recycled (and
 * ended transactions freed) only when the queue is empty at the next
 * call, and past max_actions SENDs are dropped (counted).
 */
int wtp_next_action(struct wtp_ep *ep, struct wtp_action *out);

/* ---- Counters (for /metrics and tests) ---------------------------------- */

struct wtp_stats {
    uint64_t rx_pdus, rx_malformed, rx_duplicates;
    uint64_t tx_pdus, tx_retransmissions;
    uint64_t txn_started, txn_completed, txn_aborted_rx, txn_aborted_tx;
    uint64_t tid_verifications;
    uint64_t nacks_rx, nacks_tx;
    uint64_t refused_caps;
    uint64_t actions_dropped;   /* SENDs dropped: action queue full */
    uint64_t tx_datagrams;      /* SEND actions (tx_pdus - tx_concatenated) */
    uint64_t tx_concatenated;   /* PDUs that joined another's datagram */
    size_t reassembly_octets;   /* current */
    unsigned txn_active;        /* current */
};

const struct wtp_stats *wtp_ep_stats(const struct wtp_ep *ep);

#endif /* WSPGW_WTP_H */
