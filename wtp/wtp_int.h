/*
 * wtp/wtp_int.h - private declarations shared by the files of wtp/.
 *
 * Spec: WAP-224-WTP-20010710-a with OMA-WAP-224_002-WTP-SIN-20020827-a.
 * Wire facts: /work/shared/reference/wtp.md (tshark-verified).
 *
 * Layers, bottom up (each file's header says more):
 *   pdu.c         PDU codec: decoded PDUs are views into the datagram;
 *                 concatenation (8.5) in and out.
 *   tid.c         per-peer record: TID cache with LRU eviction (7.8),
 *                 the TID test, and the peer's RTT estimate (RFC 6298).
 *   sar.c         segmentation and re-assembly (7.14): incoming packets
 *                 with selective Nack, outgoing groups that retransmit
 *                 only what is missing.
 *   resp_table.c  responder state table (9.6) plus the SAR rows.
 *   init_table.c  initiator state table (9.5), classes 0 and 1.
 *   ep.c          the endpoint: transaction hash, timers (a heap), the
 *                 action queue, caps, the public API.
 *
 * Names: wtp_ public (include/wspgw/wtp.h), wtp__ shared within wtp/,
 * statics unprefixed (STYLE.md 3.2).
 */
#ifndef WTP_INT_H
#define WTP_INT_H

#include <stddef.h>
#include <stdint.h>

#include "wspgw/addr.h"
#include "wspgw/buf.h"
#include "wspgw/wtp.h"

#define WTP_TID_MASK 0x7FFFu        /* the 15-bit TID proper */
#define WTP_TID_DIR 0x8000u         /* set in PDUs the responder sends */
#define WTP_TID_WINDOW 0x4000u      /* W = 2^14 (7.8.2.3) */
#define WTP_MAX_PACKETS 256         /* 8-bit PSN, no wrap (7.14.2) */
#define WTP_HDR_MAX 48              /* largest header we build */

/* TPI identities (WAP-224 8.4.1, Table 26). */
#define WTP_TPI_MAP(XX)                                                    \
    XX(ERROR,          0x00, "Error")                                      \
    XX(INFO,           0x01, "Info")                                       \
    XX(OPTION,         0x02, "Option")                                     \
    XX(PSN,            0x03, "Packet sequence number")                     \
    XX(SDU_BOUNDARY,   0x04, "SDU boundary")                               \
    XX(FRAME_BOUNDARY, 0x05, "Frame boundary")

enum wtp__tpi {
#define XX(name, val, text) WTP_TPI_##name = (val),
    WTP_TPI_MAP(XX)
#undef XX
};

/* Option TPI identities (WAP-224 8.4.4, Table 30). */
#define WTP_OPT_MAP(XX)                                                    \
    XX(MAX_RECEIVE_UNIT,   0x01, "Maximum receive unit")                   \
    XX(TOTAL_MESSAGE_SIZE, 0x02, "Total message size")                     \
    XX(DELAY_TRANSMISSION, 0x03, "Delay transmission timer")               \
    XX(MAX_GROUP,          0x04, "Maximum group")                          \
    XX(CURRENT_TID,        0x05, "Current TID")                            \
    XX(NO_CACHED_TID,      0x06, "No cached TID")                          \
    XX(NUM_GROUPS,         0x07, "NumGroups")

enum wtp__opt {
#define XX(name, val, text) WTP_OPT_##name = (val),
    WTP_OPT_MAP(XX)
#undef XX
};

/* ---- pdu.c ---------------------------------------------------------- */

/*
 * One decoded PDU.  Pointers are views into the datagram (borrowed).
 * Fields that a PDU type does not have are zero.
 */
struct wtp_pdu {
    unsigned type;          /* WTP_PDU_* (never CONCAT here) */
    unsigned con;
    unsigned gtr, ttr, rid;
    unsigned tid;           /* the 16-bit field, direction bit included */
    /* Invoke */
    unsigned version, tidnew, up, tcl;
    /* Ack */
    unsigned tve_tok;
    /* Abort */
    unsigned abort_type, abort_reason;
    /* Segmented Invoke / Result */
    unsigned psn;
    /* Negative Ack */
    unsigned nmissing;
    const uint8_t *missing;
    /* TPIs that matter to us (others are skipped) */
    unsigned has_psn;       /* PSN TPI present; psn_tpi its value */
    uint32_t psn_tpi;
    unsigned psn_tpi_len;   /* > 1 means extended SAR */
    unsigned has_max_group;
    uint32_t max_group;     /* octets per group the peer can take */
    unsigned has_total_size;
    uint32_t total_size;
    unsigned has_num_groups;  /* extended SAR offered */
    const uint8_t *info;    /* Info TPI data (exit info) */
    size_t info_len;
    /* user data */
    const uint8_t *data;
    size_t len;
};

/* Fixed header length of a PDU type, 0 for an unknown type. */
size_t wtp__pdu_fixed_len(unsigned type);

/*
 * Decodes one PDU (not a concatenation) from buf/len (borrowed; p keeps
 * pointers into it).  Returns 0, WSPGW_ETRUNC (too short for its header
 * or TPIs) or WSPGW_EPROTO (type 0 or > 7, bad abort type, TPI length
 * mismatch).  Never reads past buf + len.
 */
int wtp__pdu_decode(const uint8_t *buf, size_t len, struct wtp_pdu *p);

/*
 * Encodes the header of p (fixed part and the TPIs flagged in it: PSN,
 * Maximum group, Total message size, Info) into out (cap octets).  The
 * user data is not copied; the caller appends p->data.  CON is computed.
 * Returns the header length or WSPGW_ENOSPC.
 */
int wtp__pdu_encode_hdr(const struct wtp_pdu *p, uint8_t *out, size_t cap);

/*
 * Walks a datagram: for a concatenation (first octet 0x00, 8.5) returns
 * each PDU in turn; for a plain datagram returns it once.  *off starts at
 * 0.  Returns 1 with *pdu and *pdu_len set, 0 at the end, WSPGW_ETRUNC when a
 * length field runs past the datagram, WSPGW_EPROTO for a zero length.
 * The lengths are 1 octet (bit 7 clear, 0-127) or 2 octets (bit 7 set,
 * 15 bits): NOT a uintvar.
 */
int wtp__concat_next(const uint8_t *buf, size_t len, size_t *off,
    const uint8_t **pdu, size_t *pdu_len);

/* Appends one PDU with its length field to a concatenation in b (the
 * caller writes the 0x00 marker first).  0, WSPGW_EMSGSIZE, ENOMEM or
 * WSPGW_EINVAL for a PDU longer than 32767 octets. */
int wtp__concat_put(struct wspgw_buf *b, const uint8_t *pdu, size_t len);

/* Largest PDU a concatenation can carry (15-bit length). */
#define WTP_CONCAT_PDU_MAX 0x7FFF

/* Writes the length field of a concatenated PDU of len octets (1 to
 * WTP_CONCAT_PDU_MAX) into out (2 octets of room); returns its size, 1
 * or 2.  Not a uintvar (8.5). */
size_t wtp__concat_len_put(uint8_t *out, size_t len);

/* ---- tid.c: per-peer records --------------------------------------- */

struct wtp__peer {
    struct wspgw_addr addr;
    struct wtp__peer *hnext;                /* hash chain */
    struct wtp__peer *lru_prev, *lru_next;  /* most recent at head */
    unsigned has_last;      /* LastTID is cached */
    unsigned last_tid;      /* LastTID (15 bits) */
    unsigned ntxn;          /* live transactions (pins the record) */
    size_t rsm_bytes;       /* reassembly octets held for this peer */
    /* RFC 6298 estimator, ms; has_rtt == 0 until the first sample */
    unsigned has_rtt;
    uint32_t srtt, rttvar, rto;
    /* initiator side: last TID we sent to this peer, for TIDnew */
    unsigned has_sent_tid;
    unsigned last_sent_tid;
};

struct wtp__tidc {
    struct wtp__peer **buckets;
    unsigned nbuckets;      /* power of two */
    unsigned count, max;
    struct wtp__peer *lru_head, *lru_tail;
    uint32_t seed;
    uint64_t unsure_until;  /* before this, an unknown peer is verified */
    unsigned started;
};

enum wtp__tid_verdict {
    WTP__TID_OK = 0,        /* start the transaction */
    WTP__TID_VERIFY = 1     /* invoke TID verification (7.9) */
};

int wtp__tidc_init(struct wtp__tidc *tc, unsigned max, uint32_t seed);
void wtp__tidc_free(struct wtp__tidc *tc);

/* Looks a peer up (touching its LRU position).  NULL when absent. */
struct wtp__peer *wtp__tidc_find(struct wtp__tidc *tc,
    const struct wspgw_addr *a);

/*
 * Finds or creates the record of peer a.  Creating may evict the least
 * recently used record that pins no transaction; the eviction opens a
 * window of mpl_ms during which unknown peers are verified (a replay
 * from the evicted peer could otherwise pass).  Sets *created.
 * Returns NULL when the table is full of pinned records (the caller
 * answers CAPTEMPEXCEEDED) or on out-of-memory (*err tells which).
 */
struct wtp__peer *wtp__tidc_get(struct wtp__tidc *tc,
    const struct wspgw_addr *a, uint64_t now_ms, unsigned mpl_ms,
    int *created, int *err);

/* The window test of 7.8.2.3 on 15-bit TIDs: 1 = Ok, 0 = Fail. */
int wtp__tid_window_ok(unsigned last, unsigned rcv);

/*
 * The decision of 7.8.2.2 (Table 6) for a new invoke with TID rcv (15
 * bits) and its TIDnew flag, on peer p (created says the record is new).
 * Updates LastTID as the table says.
 */
enum wtp__tid_verdict wtp__tid_check(struct wtp__tidc *tc,
    struct wtp__peer *p, int created, unsigned rcv, unsigned tidnew,
    uint64_t now_ms);

/* Table 9: verification succeeded (Tok) for rcv. */
void wtp__tid_verified(struct wtp__peer *p, unsigned rcv, unsigned tidnew);

/* RFC 6298: feeds one RTT sample (ms); Karn's rule is the caller's. */
void wtp__rtt_sample(struct wtp__peer *p, const struct wtp_config *c,
    uint32_t rtt_ms);

/* The peer's retransmission timeout, doubled n times, within
 * [retry_min_ms, retry_max_ms]; retry_init_ms before any sample. */
uint32_t wtp__rto(const struct wtp__peer *p, const struct wtp_config *c,
    unsigned n);

/* A retransmission timer expired: double the peer's RTO (kept until the
 * next valid sample). */
void wtp__rto_backoff(struct wtp__peer *p, const struct wtp_config *c);

/* ---- sar.c ---------------------------------------------------------- */

enum wtp__sar_verdict {
    WTP__SAR_MORE = 0,      /* stored; nothing to send yet */
    WTP__SAR_GROUP,         /* a group is complete: ack out_psn */
    WTP__SAR_DONE,          /* the message is complete (last group) */
    WTP__SAR_NACK,          /* GTR/TTR seen with holes: nack them */
    WTP__SAR_DUP_ACKED,     /* repeat of the last acked GTR: re-ack */
    WTP__SAR_DUP            /* duplicate, ignore */
};

#define WTP_SAR_CHUNK 65536          /* reassembly storage unit */

struct wtp__sar_rx {
    /* Packets are copied in arrival order into chunks of 64 KiB (or the
     * Total Message Size hint), so memory tracks what arrived: no
     * doubling, no realloc copies. */
    uint8_t **chunks;
    unsigned nchunks, chunks_cap;
    size_t chunk_size, chunk_used;  /* of the last chunk */
    size_t bytes, max_bytes, hint;
    const uint8_t *pkt[WTP_MAX_PACKETS];
    uint32_t plen[WTP_MAX_PACKETS];
    uint8_t have[WTP_MAX_PACKETS / 8];
    unsigned npk;                   /* packets held */
    unsigned gstart;                /* first PSN of the open group */
    int gend;                       /* GTR/TTR PSN of open group, or -1 */
    int last_acked;                 /* end PSN of the last acked group */
    int ttr;                        /* PSN of the TTR packet, or -1 */
    unsigned max_psn;               /* highest PSN held */
};

void wtp__sar_rx_init(struct wtp__sar_rx *rx, size_t max_bytes);
void wtp__sar_rx_free(struct wtp__sar_rx *rx);

/*
 * Files one packet (PSN psn, its GTR/TTR flags, payload borrowed and
 * copied) and says what to answer.  *out_psn is the PSN to ack for GROUP,
 * DONE and DUP_ACKED; for NACK, missing[0..*nmissing) lists the holes of
 * the open group (at most 255).  Returns a verdict (>= 0) or
 * WSPGW_EMSGSIZE (over the cap: MESSAGETOOLARGE), WSPGW_EPROTO (a PSN
 * past the TTR packet, a second TTR), WSPGW_ENOMEM (state unchanged).
 */
int wtp__sar_rx_add(struct wtp__sar_rx *rx, unsigned psn, unsigned gtr,
    unsigned ttr, const uint8_t *data, size_t len, unsigned *out_psn,
    uint8_t *missing, unsigned *nmissing);

/* Sizes the first chunk for a message of total octets (Total Message
 * Size TPI), so it is stored in one exact allocation. */
void wtp__sar_rx_hint(struct wtp__sar_rx *rx, size_t total);

/* Octets held (for the reassembly caps). */
size_t wtp__sar_rx_bytes(const struct wtp__sar_rx *rx);

/* Whether packet 0 is held. */
int wtp__sar_rx_has(const struct wtp__sar_rx *rx, unsigned psn);

/*
 * After DONE: copies the whole message, in PSN order, into out (one
 * exact allocation; out's old content is freed) and frees the chunks.
 * 0 or WSPGW_ENOMEM (rx unchanged).
 */
int wtp__sar_rx_take(struct wtp__sar_rx *rx, struct wspgw_buf *out);

/* Outgoing message, segmented into groups (7.14.2-7.14.4). */
struct wtp__sar_tx {
    uint8_t *msg;           /* owned copy */
    size_t len;
    unsigned seg;           /* payload octets per packet */
    unsigned npk;           /* packets; 1 = not segmented */
    unsigned gsize;         /* packets per group */
    unsigned gfirst, glast; /* the group in flight */
    unsigned gtr_sends;     /* GTR/TTR transmissions of this group */
    unsigned nacks_done;    /* Nacks answered in this group */
    unsigned retx;          /* any packet of the group resent (Karn) */
    uint64_t sent_at;       /* first transmission of the group */
    unsigned sar;           /* the peer does SAR */
};

enum wtp__sar_ack {
    WTP__SAR_ACK_STALE = 0, /* not for the group in flight: ignore */
    WTP__SAR_ACK_NEXT,      /* group acked; the next one is now current */
    WTP__SAR_ACK_LAST       /* the last group is acked: message done */
};

/*
 * Copies data and plans packets of seg octets, gsize per group.  sar = 0
 * sends one packet whatever the size (peer without SAR).  Returns 0,
 * WSPGW_EMSGSIZE (more than 256 packets) or WSPGW_ENOMEM.
 */
int wtp__sar_tx_init(struct wtp__sar_tx *tx, const uint8_t *data,
    size_t len, unsigned seg, unsigned gsize, unsigned sar);
void wtp__sar_tx_free(struct wtp__sar_tx *tx);

/* Payload and trailer flags of packet psn. */
void wtp__sar_tx_packet(const struct wtp__sar_tx *tx, unsigned psn,
    const uint8_t **data, size_t *len, unsigned *gtr, unsigned *ttr);

/* Whether the group in flight is the last one. */
int wtp__sar_tx_last_group(const struct wtp__sar_tx *tx);

/* An Ack with PSN TPI psn (has_psn = 0: a plain Ack). */
enum wtp__sar_ack wtp__sar_tx_on_ack(struct wtp__sar_tx *tx,
    unsigned has_psn, unsigned psn);

/*
 * A Nack listing n PSNs.  Each GTR/TTR transmission earns one Nack
 * answer, so a duplicated or late Nack resends nothing (no
 * amplification).  Fills resend[] with the PSNs to send again (all of
 * the group for n == 0, 7.14.4), returns their count (0: ignore).
 */
unsigned wtp__sar_tx_on_nack(struct wtp__sar_tx *tx, unsigned n,
    const uint8_t *list, uint8_t *resend);


/* ---- transactions and the endpoint (ep.c, *_table.c) ---------------- */

enum wtp__timer {
    WTP__TIMER_NONE = 0,
    WTP__TIMER_A,           /* acknowledgement interval */
    WTP__TIMER_R,           /* retry interval (adaptive) */
    WTP__TIMER_W            /* wait timeout */
};

struct wtp__txn {
    struct wtp__txn *hnext;         /* hash chain; graveyard link */
    struct wtp__txn *hhnext;        /* chain in the handle hash */
    struct wtp__peer *peer;         /* pinned (ntxn) while we live */
    struct wspgw_addr addr;
    uint32_t handle;
    unsigned rtid;                  /* TID as received (16 bits): key */
    unsigned state;
    unsigned initiator;             /* 1: we started it (init_table.c) */
    unsigned dead;
    /* from the Invoke */
    unsigned hdr_known;             /* packet 0 seen */
    unsigned tcl, uack, tidnew;
    unsigned tid_ok;                /* TID test passed or verified */
    unsigned peer_sar;              /* packet 0 was not GTR=TTR=1 */
    unsigned peer_gsize;            /* from the peer's Maximum Group */
    uint32_t peer_max_group;
    /* state variables (9.4) */
    unsigned rcr, aec;
    unsigned holdon;                /* initiator: hold-on Ack received */
    unsigned ack_sent;              /* responder: an Ack went out */
    unsigned tok_sent;              /* initiator: Ack(TIDok) went out */
    unsigned last_rid;              /* RID of the PDU being handled */
    /* timer */
    unsigned timer;                 /* enum wtp__timer */
    uint64_t deadline;
    uint64_t tseq;                  /* ties fire in start order */
    size_t heap_idx;
    /* incoming message */
    struct wtp__sar_rx *rx;         /* NULL unless segmented */
    unsigned in_seg;                /* the invoke was segmented */
    unsigned ttr_psn;               /* its last PSN */
    struct wspgw_buf msg;           /* the whole invoke once complete */
    size_t counted;                 /* octets counted in the caps */
    /* outgoing message (Result, or our Invoke) */
    unsigned has_tx;
    struct wtp__sar_tx tx;
    uint8_t abort_reason;           /* for TR-Abort.req */
};

/* What the dispatcher hands to guards and actions. */
struct wtp__ev {
    unsigned type;
    const struct wtp_pdu *pdu;      /* RCV_* (may be NULL) */
    uint64_t now;
    unsigned psn;                   /* SEG_GROUP/DONE/DUP_ACKED: PSN */
    const uint8_t *missing;         /* SEG_NACK */
    unsigned nmissing;
    uint8_t reason;                 /* TR_ABORT_REQ, CAP: abort reason */
};

/* Events of both tables (9.2 plus the SAR events of this design). */
#define WTP_EV_MAP(XX)                                                     \
    XX(RCV_INVOKE,    "RcvInvoke")                                         \
    XX(RCV_RESULT,    "RcvResult")                                         \
    XX(RCV_ACK,       "RcvAck")                                            \
    XX(RCV_NACK,      "RcvNack")                                           \
    XX(RCV_ABORT,     "RcvAbort")                                          \
    XX(RCV_ERROR,     "RcvErrorPDU")                                       \
    XX(SEG_MORE,      "SegStored")                                         \
    XX(SEG_GROUP,     "SegGroupDone")                                      \
    XX(SEG_DONE,      "SegMessageDone")                                    \
    XX(SEG_NACK,      "SegHoles")                                          \
    XX(SEG_DUP_ACKED, "SegRepeatAcked")                                    \
    XX(SEG_DUP,       "SegDuplicate")                                      \
    XX(CAP,           "CapExceeded")                                       \
    XX(TR_INVOKE_REQ, "TR-Invoke.req")                                     \
    XX(TR_INVOKE_RES, "TR-Invoke.res")                                     \
    XX(TR_RESULT_REQ, "TR-Result.req")                                     \
    XX(TR_RESULT_RES, "TR-Result.res")                                     \
    XX(TR_ABORT_REQ,  "TR-Abort.req")                                      \
    XX(TO_A,          "TimerTO_A")                                         \
    XX(TO_R,          "TimerTO_R")                                         \
    XX(TO_W,          "TimerTO_W")

enum wtp__ev_type {
#define XX(name, text) WTP_EV_##name,
    WTP_EV_MAP(XX)
#undef XX
    WTP_EV_COUNT,
    WTP_EV_ANY = 0xFF               /* a state's default row */
};

const char *wtp__ev_name(unsigned ev);

struct wtp_ep;

typedef int (*wtp__guard_fn)(const struct wtp_ep *ep,
    const struct wtp__txn *t, const struct wtp__ev *ev);
typedef void (*wtp__action_fn)(struct wtp_ep *ep, struct wtp__txn *t,
    const struct wtp__ev *ev);

/* One row of a state table (STYLE.md 3.6). */
struct wtp__row {
    uint8_t state;
    uint8_t event;                  /* or WTP_EV_ANY */
    wtp__guard_fn guard;            /* NULL: always */
    wtp__action_fn action;          /* NULL: ignore */
    uint8_t next;
    const char *ref;                /* spec row, e.g. "9.6 LISTEN 1" */
};

struct wtp__table {
    const char *name;
    const struct wtp__row *rows;
    size_t nrows;
    const char *const *state_names;
    unsigned nstates;
    unsigned end_state;             /* entering it ends the transaction */
};

/* Responder states (9.6, plus RECEIVING for SAR). */
#define WTP_RESP_STATE_MAP(XX)                                             \
    XX(LISTEN,           "LISTEN")                                         \
    XX(TIDOK_WAIT,       "TIDOK_WAIT")                                     \
    XX(RECEIVING,        "RECEIVING")                                      \
    XX(INVOKE_RESP_WAIT, "INVOKE_RESP_WAIT")                               \
    XX(RESULT_WAIT,      "RESULT_WAIT")                                    \
    XX(RESULT_RESP_WAIT, "RESULT_RESP_WAIT")                               \
    XX(WAIT_TIMEOUT,     "WAIT_TIMEOUT")

enum wtp__resp_state {
#define XX(name, text) WTP_RS_##name,
    WTP_RESP_STATE_MAP(XX)
#undef XX
    WTP_RS_COUNT
};

/* Initiator states (9.5). */
#define WTP_INIT_STATE_MAP(XX)                                             \
    XX(NULL,             "NULL")                                           \
    XX(RESULT_WAIT,      "RESULT_WAIT")

enum wtp__init_state {
#define XX(name, text) WTP_IS_##name,
    WTP_INIT_STATE_MAP(XX)
#undef XX
    WTP_IS_COUNT
};

extern const struct wtp__table wtp__resp_table;
extern const struct wtp__table wtp__init_table;

/*
 * Runs ev through table for t: the first row whose state, event and
 * guard match wins; its action runs and t moves to its next state (and
 * ends, when that is the table's end state).  Logs the transition.
 * Returns the row index, or -1 when no row matched (a table bug: every
 * state has a default row).
 */
int wtp__dispatch(struct wtp_ep *ep, const struct wtp__table *tab,
    struct wtp__txn *t, const struct wtp__ev *ev);

/* Services for table actions (ep.c). */
const struct wtp_config *wtp__ep_cfg(const struct wtp_ep *ep);
struct wtp_stats *wtp__ep_stats_mut(struct wtp_ep *ep);
/* Builds p's header plus data into the send arena and queues a SEND of
 * it to t's peer.  p->tid is set from t.  Counts tx_pdus. */
void wtp__send(struct wtp_ep *ep, struct wtp__txn *t, struct wtp_pdu *p,
    const uint8_t *data, size_t len);
/* Sends an Abort of the given type and reason for t. */
void wtp__send_abort(struct wtp_ep *ep, struct wtp__txn *t, unsigned type,
    unsigned reason);
/* Sends an Ack (tve_tok as given; the PSN TPI when t's invoke was
 * segmented and psn_tpi is set). */
void wtp__send_ack(struct wtp_ep *ep, struct wtp__txn *t, unsigned tve_tok,
    int has_psn, unsigned psn);
/* Queues an indication for the user (data borrowed from t). */
void wtp__indicate(struct wtp_ep *ep, struct wtp__txn *t,
    enum wtp_action_type type, uint8_t abort_type, uint8_t abort_reason);
/* Starts (or restarts) t's timer; stops it for WTP__TIMER_NONE. */
void wtp__timer(struct wtp_ep *ep, struct wtp__txn *t, unsigned kind,
    uint32_t ms, uint64_t now);
/* Sends packets of t->tx: the whole group in flight (rid 0), or one
 * packet again (rid 1).  Stamps the group for Karn's rule. */
void wtp__tx_send_group(struct wtp_ep *ep, struct wtp__txn *t,
    uint64_t now);
void wtp__tx_send_packet(struct wtp_ep *ep, struct wtp__txn *t,
    unsigned psn, unsigned rid);
/* Releases the reassembled invoke (the user has it) and its caps. */
void wtp__release_msg(struct wtp_ep *ep, struct wtp__txn *t);

/* ---- logging helper -------------------------------------------------- */

/* "1.2.3.4:5678" (or [v6]:port) into out. */
void wtp__addr_str(const struct wspgw_addr *a, char *out, size_t cap);

/* ---- the endpoint (ep.c, send.c) -------------------------------------- */

struct wtp__act {
    enum wtp_action_type type;
    uint32_t handle;
    struct wspgw_addr peer;
    uint8_t tcl, user_ack, abort_type, abort_reason;
    uint8_t concat;         /* SEND: already a concatenation (0x00 ...) */
    const uint8_t *ptr;     /* borrowed data, or NULL: arena[off] */
    size_t off, len;
};

struct wtp_ep {
    struct wtp_config cfg;
    struct wtp_stats stats;
    struct wtp__tidc tidc;
    struct wtp__txn **buckets;      /* by (peer, TID) */
    struct wtp__txn **hbuckets;     /* by handle */
    unsigned nbuckets;
    unsigned active;
    size_t rsm_total;
    uint32_t next_handle;
    uint32_t seed;
    /* timers */
    struct wtp__txn **heap;
    size_t heap_len, heap_cap;
    uint64_t tseq;
    /* actions */
    struct wtp__act *acts;
    size_t act_cap, act_head, act_len;
    struct wspgw_buf arena;
    struct wtp__txn *graveyard;
    /* the stateless transaction used for LISTEN rows without one */
    struct wtp__txn listen;
    unsigned next_tid;      /* initiator GenTID */
};

#endif /* WTP_INT_H */
