/*
 * wtp/ep.c - the WTP endpoint: transactions, timers, actions, caps
 * (WAP-224 9.2 event processing, Table 37 tests of incoming events).
 *
 * One endpoint serves one local port.  It owns:
 *   - a hash of live transactions keyed by (peer, TID as received): a
 *     handset's transaction has the direction bit clear, one we started
 *     has it set in what the peer sends back;
 *   - the per-peer records (tid.c): TID cache, RTT estimate, counts;
 *   - a binary min-heap of transaction timers ordered by (deadline,
 *     start sequence), so ties fire in start order (libuv);
 *   - the action queue: a ring that grows to cfg.max_actions, and a send
 *     arena where datagrams are built.  Both keep their memory; the
 *     arena is rewound when the queue has been drained, so a steady
 *     state allocates nothing per packet.
 *
 * Concatenation out (8.5, cfg.concatenate): a PDU for the peer of the
 * SEND at the tail of the queue joins that datagram, which becomes
 * 0x00 then length-prefixed PDUs (1 or 2 octets, not a uintvar), as
 * long as the result stays within cfg.max_datagram.  The spec lets any
 * WTP PDUs to the same address quadruplet share a datagram (one local
 * port per endpoint: the same peer).  Only the tail is joined, so PDUs
 * leave in the order they were queued, interleaved indications keep
 * their place, and a datagram already taken by the user is never
 * touched.  Concatenations are never nested, PDUs never split.
 * Transactions that end go to a graveyard and are freed at the next
 * entry into the endpoint with an empty queue: an INVOKE_IND's data
 * (borrowed from the transaction) stays valid until then.
 *
 * Incoming PDUs are validated here (Table 37: version, class, caps,
 * TID test) and turned into table events; the tables (resp_table.c,
 * init_table.c) decide what to do.  SAR verdicts (sar.c) become SEG_*
 * events.  Nothing here sleeps, reads a clock or touches a socket.
 *
 * Invariants:
 *   - ep->active == the number of transactions in the hash, each pins
 *     its peer record (peer->ntxn);
 *   - ep->rsm_total == the sum of peer->rsm_bytes == the sum of
 *     t->counted over live transactions;
 *   - a transaction is in the heap iff t->timer != WTP__TIMER_NONE;
 *   - a SEND in the queue owns arena[off, off + len); only the tail SEND
 *     may end the arena, and only it is ever extended.
 */
#include <stdio.h>
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/log.h"
#include "wtp_int.h"



/* ---- configuration ----------------------------------------------------- */

/*
 * Defaults, chosen for GPRS (median RTT 0.5-1.5 s, spikes of several
 * seconds, 10% loss not rare):
 *   retry_init_ms 2000   R before any sample: above most GPRS RTTs, far
 *                        below Kannel's fixed 7 s.
 *   retry_min_ms 1000    floor (RFC 6298 2.4's 1 s): GPRS delay jitter
 *                        of several hundred ms would otherwise cause
 *                        spurious resends (each costs one datagram: only
 *                        the GTR/TTR packet goes again).
 *   retry_max_ms 8000    ceiling for the backed-off RTO, which stays with
 *                        the peer until a clean sample (RFC 6298 5.7).
 *   ack_interval_ms 2000 A: delay before the hold-on Ack (and the class 1
 *                        Ack), shorter than common handset retry timers
 *                        (3-5 s) so they rarely resend a whole invoke.
 *   max_ack_expirations 20: the WTP user (WSP, HTTP) has about
 *                        A * (1 + AEC_MAX) = 42 s before Abort
 *                        NORESPONSE; this MUST exceed the upstream HTTP
 *                        timeout (README: 30 s) plus the time to build
 *                        the 504 Reply, so the handset gets the 504 and
 *                        not a WTP abort.  gateway/ sets it from config:
 *                        AEC_MAX = ceil((timeout + 5 s) / A).
 *   wait_timeout_ms 30000 W (Kannel's value): class 1 state lifetime, a
 *                        stalled incoming SAR message, a TID
 *                        verification left unanswered.
 *   max_retransmissions 12 MAX_RCR: retransmissions that got no answer
 *                        at all (a Nack restarts the count).  At 30% loss
 *                        each way one gets an answer with p = 0.49, so
 *                        Kannel's 8 gives up on ~0.2% of groups (about
 *                        one 300 KB transfer in five); 12 on ~0.02%.  A
 *                        dead handset is given up after 2+4+8*10 s, about
 *                        1.5 min.  A group costs at most gsize + MAX_RCR
 *                        Nack rounds * gsize + (MAX_RCR + 1)^2 datagrams.
 *   segment_size 1400, group_size 3 (Kannel's; fakewap refuses segments
 *                        over 1500).  256 * 1400 = 358400 octets max.
 *   caps: 1 MiB per message, 2 MiB reassembly per peer, 64 MiB total,
 *         32 transactions per peer, 20000 in total, 65536 TID cache
 *         entries; mpl_ms 30000.
 *   concatenate 0        outgoing concatenation (8.5) is off.
 *                        Separating concatenated PDUs is mandatory for
 *                        every WTP receiver, but Kannel (the gateway many
 *                        deployed handsets were last tested against) only
 *                        separates what it receives and sends one PDU per
 *                        datagram, so a handset's separation code is
 *                        rarely exercised, and a handset that gets it
 *                        wrong loses whole transactions.  The gain is
 *                        small: a datagram is saved only when two PDUs
 *                        for one peer are due at once (hold-on Acks of
 *                        several methods, an Ack and an Abort, the
 *                        aborts of a Disconnect).  Turn it on for a known
 *                        handset population.
 *   max_datagram 1500    when it is on: an Ethernet MTU, the most
 *                        fakewap accepts; above segment_size (1400) plus
 *                        a header, so small PDUs can join a segment.
 */
void
wtp_config_defaults(struct wtp_config *c)
{
    memset(c, 0, sizeof(*c));
    c->ack_interval_ms = 2000;
    c->retry_init_ms = 2000;
    c->retry_min_ms = 1000;
    c->retry_max_ms = 8000;
    c->wait_timeout_ms = 30000;
    c->max_retransmissions = 12;
    c->max_ack_expirations = 20;
    c->segment_size = 1400;
    c->group_size = 3;
    c->max_message = 1024 * 1024;
    c->max_reassembly_per_peer = 2 * 1024 * 1024;
    c->max_reassembly_total = 64 * 1024 * 1024;
    c->max_txn_per_peer = 32;
    c->max_txn_total = 20000;
    c->max_peers = 65536;
    c->mpl_ms = 30000;
    c->max_actions = 65536;
    c->concatenate = 0;
    c->max_datagram = 1500;
}


static void
sanitize(struct wtp_config *c)
{
    if (c->retry_min_ms == 0) {
        c->retry_min_ms = 1;
    }
    if (c->retry_max_ms < c->retry_min_ms) {
        c->retry_max_ms = c->retry_min_ms;
    }
    if (c->segment_size == 0 || c->segment_size > 0x7FF0) {
        c->segment_size = 1400;
    }
    if (c->group_size == 0) {
        c->group_size = 1;
    }
    if (c->max_txn_total == 0) {
        c->max_txn_total = 1;
    }
    if (c->max_actions < 16) {
        c->max_actions = 16;
    }
}


const struct wtp_config *
wtp__ep_cfg(const struct wtp_ep *ep)
{
    return &ep->cfg;
}


struct wtp_stats *
wtp__ep_stats_mut(struct wtp_ep *ep)
{
    return &ep->stats;
}


const struct wtp_stats *
wtp_ep_stats(const struct wtp_ep *ep)
{
    return &ep->stats;
}


struct wtp_ep *
wtp_ep_new(const struct wtp_config *cfg)
{
    struct wtp_ep *ep = wspgw_calloc(1, sizeof(*ep));
    unsigned n = 64;

    if (ep == NULL) {
        return NULL;
    }
    ep->cfg = *cfg;
    sanitize(&ep->cfg);
    ep->seed = 0x9E3779B9u ^ (uint32_t) (uintptr_t) ep;
    while (n < ep->cfg.max_txn_total && n < (1u << 20)) {
        n <<= 1;
    }
    ep->buckets = wspgw_calloc(n, sizeof(*ep->buckets));
    if (ep->buckets == NULL) {
        wspgw_free(ep);
        return NULL;
    }
    ep->nbuckets = n;
    ep->hbuckets = wspgw_calloc(n, sizeof(*ep->hbuckets));
    if (ep->hbuckets == NULL) {
        wspgw_free(ep->buckets);
        wspgw_free(ep);
        return NULL;
    }
    if (wtp__tidc_init(&ep->tidc, ep->cfg.max_peers, ep->seed) != 0) {
        wspgw_free(ep->hbuckets);
        wspgw_free(ep->buckets);
        wspgw_free(ep);
        return NULL;
    }
    wspgw_buf_init(&ep->arena, 64u * 1024 * 1024);
    ep->next_handle = 1;
    ep->next_tid = 1;
    ep->listen.state = WTP_RS_LISTEN;
    return ep;
}


void
wtp_ep_set_config(struct wtp_ep *ep, const struct wtp_config *cfg)
{
    unsigned max_peers = ep->tidc.max;

    ep->cfg = *cfg;
    sanitize(&ep->cfg);
    /* The TID cache and hash keep their size; the cap moves. */
    ep->tidc.max = cfg->max_peers > 0 ? cfg->max_peers : max_peers;
}


/* ---- transactions: hash, counts, memory ------------------------------- */

static unsigned
txn_bucket(const struct wtp_ep *ep, const struct wspgw_addr *a,
    unsigned rtid)
{
    return (wspgw_addr_hash(a, ep->seed) ^ (rtid * 2654435761u))
        & (ep->nbuckets - 1);
}


static struct wtp__txn *
txn_find(struct wtp_ep *ep, const struct wspgw_addr *a, unsigned rtid)
{
    struct wtp__txn *t;

    for (t = ep->buckets[txn_bucket(ep, a, rtid)]; t != NULL; t = t->hnext) {
        if (t->rtid == rtid && wspgw_addr_eq(&t->addr, a)) {
            return t;
        }
    }
    return NULL;
}


static struct wtp__txn *
txn_by_handle(struct wtp_ep *ep, uint32_t handle)
{
    struct wtp__txn *t;

    for (t = ep->hbuckets[handle & (ep->nbuckets - 1)]; t != NULL;
        t = t->hhnext)
    {
        if (t->handle == handle) {
            return t;
        }
    }
    return NULL;
}


static void heap_remove(struct wtp_ep *ep, struct wtp__txn *t);


/* Grows the timer heap; done when a transaction is created, so that
 * starting a timer never allocates (or fails). */
static int
heap_grow(struct wtp_ep *ep)
{
    size_t ncap = ep->heap_cap == 0 ? 64 : ep->heap_cap * 2;
    struct wtp__txn **nh = wspgw_realloc(ep->heap, ncap * sizeof(*nh));

    if (nh == NULL) {
        return WSPGW_ENOMEM;
    }
    ep->heap = nh;
    ep->heap_cap = ncap;
    return 0;
}


static void
count_bytes(struct wtp_ep *ep, struct wtp__txn *t, size_t now_bytes)
{
    ep->rsm_total -= t->counted;
    t->peer->rsm_bytes -= t->counted;
    t->counted = now_bytes;
    ep->rsm_total += now_bytes;
    t->peer->rsm_bytes += now_bytes;
    ep->stats.reassembly_octets = ep->rsm_total;
}


void
wtp__release_msg(struct wtp_ep *ep, struct wtp__txn *t)
{
    /* The user has the message (it called back after INVOKE_IND). */
    wspgw_buf_free(&t->msg);
    if (t->rx != NULL) {
        wtp__sar_rx_free(t->rx);
        wspgw_free(t->rx);
        t->rx = NULL;
    }
    count_bytes(ep, t, 0);
}


/* Unlinks t from the hash and the counts; it goes to the graveyard. */
static void
txn_end(struct wtp_ep *ep, struct wtp__txn *t)
{
    struct wtp__txn **pp = &ep->buckets[txn_bucket(ep, &t->addr, t->rtid)];

    if (t->dead) {
        return;
    }
    while (*pp != NULL && *pp != t) {
        pp = &(*pp)->hnext;
    }
    if (*pp == t) {
        *pp = t->hnext;
    }
    pp = &ep->hbuckets[t->handle & (ep->nbuckets - 1)];
    while (*pp != NULL && *pp != t) {
        pp = &(*pp)->hhnext;
    }
    if (*pp == t) {
        *pp = t->hhnext;
    }
    if (t->timer != WTP__TIMER_NONE) {
        heap_remove(ep, t);
    }
    count_bytes(ep, t, 0);
    t->peer->ntxn--;
    ep->active--;
    ep->stats.txn_active = ep->active;
    t->dead = 1;
    t->hnext = ep->graveyard;
    ep->graveyard = t;
}


static void
txn_free(struct wtp__txn *t)
{
    wspgw_buf_free(&t->msg);
    if (t->rx != NULL) {
        wtp__sar_rx_free(t->rx);
        wspgw_free(t->rx);
    }
    if (t->has_tx) {
        wtp__sar_tx_free(&t->tx);
    }
    wspgw_free(t);
}


/*
 * Creates a transaction for (peer a, rtid), checking the caps.
 * Returns it, or NULL with *reason set (CAPTEMPEXCEEDED).
 */
static struct wtp__txn *
txn_new(struct wtp_ep *ep, const struct wspgw_addr *a, unsigned rtid,
    uint64_t now, int *created, unsigned *reason)
{
    struct wtp__peer *p;
    struct wtp__txn *t;
    unsigned b;
    int err;

    *reason = WTP_ABORT_CAPTEMPEXCEEDED;
    *created = 0;
    if (ep->active >= ep->cfg.max_txn_total) {
        return NULL;
    }
    p = wtp__tidc_get(&ep->tidc, a, now, ep->cfg.mpl_ms, created, &err);
    if (p == NULL) {
        return NULL;
    }
    if (p->ntxn >= ep->cfg.max_txn_per_peer) {
        return NULL;
    }
    if (ep->heap_len == ep->heap_cap && heap_grow(ep) != 0) {
        return NULL;
    }
    t = wspgw_calloc(1, sizeof(*t));
    if (t == NULL) {
        return NULL;
    }
    t->peer = p;
    t->addr = *a;
    t->rtid = rtid;
    t->handle = ep->next_handle++;
    if (ep->next_handle == 0) {
        ep->next_handle = 1;
    }
    wspgw_buf_init(&t->msg, ep->cfg.max_message);
    b = txn_bucket(ep, a, rtid);
    t->hnext = ep->buckets[b];
    ep->buckets[b] = t;
    t->hhnext = ep->hbuckets[t->handle & (ep->nbuckets - 1)];
    ep->hbuckets[t->handle & (ep->nbuckets - 1)] = t;
    p->ntxn++;
    ep->active++;
    ep->stats.txn_active = ep->active;
    ep->stats.txn_started++;
    return t;
}


static void
flush(struct wtp_ep *ep)
{
    struct wtp__txn *t, *next;

    if (ep->act_len > 0) {
        return;
    }
    wspgw_buf_reset(&ep->arena);
    for (t = ep->graveyard; t != NULL; t = next) {
        next = t->hnext;
        txn_free(t);
    }
    ep->graveyard = NULL;
}


void
wtp_ep_free(struct wtp_ep *ep)
{
    unsigned b;
    struct wtp__txn *t, *next;

    if (ep == NULL) {
        return;
    }
    for (b = 0; b < ep->nbuckets; b++) {
        for (t = ep->buckets[b]; t != NULL; t = next) {
            next = t->hnext;
            txn_free(t);
        }
    }
    for (t = ep->graveyard; t != NULL; t = next) {
        next = t->hnext;
        txn_free(t);
    }
    wtp__tidc_free(&ep->tidc);
    wspgw_free(ep->hbuckets);
    wspgw_free(ep->buckets);
    wspgw_free(ep->heap);
    wspgw_free(ep->acts);
    wspgw_buf_free(&ep->arena);
    wspgw_free(ep);
}


/* ---- timers: a binary min-heap ---------------------------------------- */

static int
heap_less(const struct wtp__txn *a, const struct wtp__txn *b)
{
    return a->deadline < b->deadline
        || (a->deadline == b->deadline && a->tseq < b->tseq);
}


static void
heap_set(struct wtp_ep *ep, size_t i, struct wtp__txn *t)
{
    ep->heap[i] = t;
    t->heap_idx = i;
}


static void
heap_up(struct wtp_ep *ep, size_t i)
{
    struct wtp__txn *t = ep->heap[i];

    while (i > 0 && heap_less(t, ep->heap[(i - 1) / 2])) {
        heap_set(ep, i, ep->heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    heap_set(ep, i, t);
}


static void
heap_down(struct wtp_ep *ep, size_t i)
{
    struct wtp__txn *t = ep->heap[i];
    size_t c;

    for (;;) {
        c = 2 * i + 1;
        if (c >= ep->heap_len) {
            break;
        }
        if (c + 1 < ep->heap_len && heap_less(ep->heap[c + 1], ep->heap[c])) {
            c++;
        }
        if (!heap_less(ep->heap[c], t)) {
            break;
        }
        heap_set(ep, i, ep->heap[c]);
        i = c;
    }
    heap_set(ep, i, t);
}


static void
heap_remove(struct wtp_ep *ep, struct wtp__txn *t)
{
    size_t i = t->heap_idx;
    struct wtp__txn *last = ep->heap[--ep->heap_len];

    t->timer = WTP__TIMER_NONE;
    if (last == t) {
        return;
    }
    heap_set(ep, i, last);
    heap_up(ep, i);
    heap_down(ep, last->heap_idx);
}


void
wtp__timer(struct wtp_ep *ep, struct wtp__txn *t, unsigned kind,
    uint32_t ms, uint64_t now)
{
    if (t->timer != WTP__TIMER_NONE) {
        heap_remove(ep, t);
    }
    if (kind == WTP__TIMER_NONE || t->dead || t == &ep->listen) {
        return;
    }
    /* txn_new reserved a slot: heap_len < heap_cap here. */
    t->timer = kind;
    t->deadline = now + ms;
    t->tseq = ep->tseq++;
    ep->heap[ep->heap_len] = t;
    t->heap_idx = ep->heap_len++;
    heap_up(ep, t->heap_idx);
}


uint64_t
wtp_next_deadline(const struct wtp_ep *ep)
{
    return ep->heap_len > 0 ? ep->heap[0]->deadline : UINT64_MAX;
}


/* ---- dispatch ----------------------------------------------------------- */

const char *
wtp__ev_name(unsigned ev)
{
    static const char *const names[] = {
#define XX(name, text) text,
        WTP_EV_MAP(XX)
#undef XX
    };

    return ev < WTP_EV_COUNT ? names[ev] : "any";
}


void
wtp__addr_str(const struct wspgw_addr *a, char *out, size_t cap)
{
    if (a->family == WSPGW_AF_INET6) {
        snprintf(out, cap, "[%02x%02x:%02x%02x:...:%02x%02x]:%u",
            a->ip[0], a->ip[1], a->ip[2], a->ip[3], a->ip[14], a->ip[15],
            a->port);
    } else {
        snprintf(out, cap, "%u.%u.%u.%u:%u", a->ip[0], a->ip[1], a->ip[2],
            a->ip[3], a->port);
    }
}


int
wtp__dispatch(struct wtp_ep *ep, const struct wtp__table *tab,
    struct wtp__txn *t, const struct wtp__ev *ev)
{
    size_t i;
    const struct wtp__row *r;
    char peer[64];
    unsigned from = t->state;

    for (i = 0; i < tab->nrows; i++) {
        r = &tab->rows[i];
        if (r->state != t->state
            || (r->event != WTP_EV_ANY && r->event != ev->type))
        {
            continue;
        }
        if (r->guard != NULL && !r->guard(ep, t, ev)) {
            continue;
        }
        if (r->action != NULL) {
            r->action(ep, t, ev);
        }
        t->state = r->next;
        if (wspgw_log_enabled(WSPGW_LOG_DEBUG, WSPGW_SUB_WTP)) {
            wtp__addr_str(&t->addr, peer, sizeof(peer));
            wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_WTP,
                "%s %s tid %u handle %u: %s --%s--> %s (%s)", tab->name,
                peer, t->rtid & WTP_TID_MASK, (unsigned) t->handle,
                tab->state_names[from], wtp__ev_name(ev->type),
                tab->state_names[r->next], r->ref);
        }
        if (r->next == tab->end_state && t != &ep->listen) {
            txn_end(ep, t);
        }
        return (int) i;
    }
    return -1;
}


/* Feeds an event to t's machine (responder or initiator table). */
static void
resp_event(struct wtp_ep *ep, struct wtp__txn *t, unsigned type,
    const struct wtp_pdu *p, uint64_t now)
{
    struct wtp__ev ev = { 0 };

    ev.type = type;
    ev.pdu = p;
    ev.now = now;
    (void) wtp__dispatch(ep, t->initiator ? &wtp__init_table
        : &wtp__resp_table, t, &ev);
}


/* A stateless answer (LISTEN rows without a transaction). */
static void
listen_event(struct wtp_ep *ep, const struct wspgw_addr *peer,
    unsigned rtid, unsigned type, unsigned reason, uint64_t now)
{
    struct wtp__ev ev = { 0 };
    struct wtp__txn *t = &ep->listen;

    memset(t, 0, sizeof(*t));
    t->addr = *peer;
    t->rtid = rtid;
    t->state = WTP_RS_LISTEN;
    ev.type = type;
    ev.reason = (uint8_t) reason;
    ev.now = now;
    (void) wtp__dispatch(ep, &wtp__resp_table, t, &ev);
}


static void
cap_event(struct wtp_ep *ep, struct wtp__txn *t, unsigned reason,
    uint64_t now)
{
    struct wtp__ev ev = { 0 };

    ev.type = WTP_EV_CAP;
    ev.reason = (uint8_t) reason;
    ev.now = now;
    (void) wtp__dispatch(ep, &wtp__resp_table, t, &ev);
}


/* ---- incoming: responder side ---------------------------------------- */

/* Records what packet 0 says about the transaction. */
static void
take_header(struct wtp_ep *ep, struct wtp__txn *t, const struct wtp_pdu *p)
{
    t->hdr_known = 1;
    t->tcl = p->tcl;
    t->uack = p->up;
    t->tidnew = p->tidnew;
    t->peer_sar = !(p->gtr && p->ttr);
    if (p->has_max_group && p->max_group > 0) {
        t->peer_max_group = p->max_group;
    }
}


/* Table 37 checks on packet 0 of a new invoke.  0, or the abort reason
 * to answer with (with *silent when the spec says ignore). */
static unsigned
invoke_checks(const struct wtp_ep *ep, const struct wtp_pdu *p, int *silent)
{
    *silent = 0;
    if (p->version != 0) {
        return WTP_ABORT_WTPVERSIONONE;
    }
    if (p->tcl > 2) {
        return WTP_ABORT_PROTOERR;
    }
    if (p->tcl == 0 && !p->ttr) {
        *silent = 1;                    /* class 0 cannot do SAR */
        return WTP_ABORT_NOTIMPLEMENTEDSAR;
    }
    if (p->len > ep->cfg.max_message
        || (p->has_total_size && p->total_size > ep->cfg.max_message))
    {
        return WTP_ABORT_MESSAGETOOLARGE;
    }
    return 0;
}


/* Whether the reassembly caps allow len more octets for t. */
static int
room_for(const struct wtp_ep *ep, const struct wtp__txn *t, size_t len)
{
    return t->peer->rsm_bytes + len <= ep->cfg.max_reassembly_per_peer
        && ep->rsm_total + len <= ep->cfg.max_reassembly_total;
}


/* Feeds one packet of a segmented invoke to t's reassembly. */
static void
sar_packet(struct wtp_ep *ep, struct wtp__txn *t, const struct wtp_pdu *p,
    unsigned psn, uint64_t now)
{
    uint8_t missing[WTP_MAX_PACKETS];
    unsigned nmissing = 0, out_psn = 0;
    struct wtp__ev ev = { 0 };
    int v;

    if (!room_for(ep, t, p->len)) {
        cap_event(ep, t, WTP_ABORT_CAPTEMPEXCEEDED, now);
        return;
    }
    v = wtp__sar_rx_add(t->rx, psn, p->gtr, p->ttr, p->data, p->len,
        &out_psn, missing, &nmissing);
    count_bytes(ep, t, wtp__sar_rx_bytes(t->rx));
    if (v == WSPGW_EMSGSIZE) {
        cap_event(ep, t, WTP_ABORT_MESSAGETOOLARGE, now);
        return;
    }
    if (v == WSPGW_ENOMEM) {
        cap_event(ep, t, WTP_ABORT_CAPTEMPEXCEEDED, now);
        return;
    }
    if (v < 0) {
        ep->stats.rx_malformed++;
        resp_event(ep, t, WTP_EV_RCV_ERROR, p, now);
        return;
    }
    if (v == WTP__SAR_DUP || v == WTP__SAR_DUP_ACKED) {
        ep->stats.rx_duplicates++;
    }
    if (v == WTP__SAR_DONE) {
        t->ttr_psn = out_psn;
        if (wtp__sar_rx_take(t->rx, &t->msg) != 0) {
            cap_event(ep, t, WTP_ABORT_CAPTEMPEXCEEDED, now);
            return;
        }
        count_bytes(ep, t, t->msg.len);
    }
    ev.now = now;
    ev.pdu = p;
    ev.psn = out_psn;
    ev.missing = missing;
    ev.nmissing = nmissing;
    switch (v) {
    case WTP__SAR_MORE:
        ev.type = WTP_EV_SEG_MORE;
        break;
    case WTP__SAR_GROUP:
        ev.type = WTP_EV_SEG_GROUP;
        break;
    case WTP__SAR_DONE:
        ev.type = WTP_EV_SEG_DONE;
        break;
    case WTP__SAR_NACK:
        ev.type = WTP_EV_SEG_NACK;
        break;
    case WTP__SAR_DUP_ACKED:
        ev.type = WTP_EV_SEG_DUP_ACKED;
        break;
    default:
        ev.type = WTP_EV_SEG_DUP;
        break;
    }
    (void) wtp__dispatch(ep, &wtp__resp_table, t, &ev);
}


/* Runs the TID test for t once its header is known. */
static void
tid_test(struct wtp_ep *ep, struct wtp__txn *t, int created, uint64_t now)
{
    if (t->tcl == 0) {
        t->tid_ok = 1;      /* class 0: no verification (9.6 LISTEN 3) */
        return;
    }
    t->tid_ok = wtp__tid_check(&ep->tidc, t->peer, created,
        t->rtid & WTP_TID_MASK, t->tidnew, now) == WTP__TID_OK;
}


static int
new_rx(struct wtp__txn *t, const struct wtp_config *c)
{
    t->rx = wspgw_malloc(sizeof(*t->rx));
    if (t->rx == NULL) {
        return WSPGW_ENOMEM;
    }
    wtp__sar_rx_init(t->rx, c->max_message);
    t->in_seg = 1;
    return 0;
}


/* An Invoke or Segmented Invoke for which no transaction exists. */
static void
resp_new(struct wtp_ep *ep, const struct wspgw_addr *peer,
    const struct wtp_pdu *p, uint64_t now)
{
    struct wtp__txn *t;
    unsigned reason;
    int created, silent;

    if (p->type == WTP_PDU_INVOKE) {
        reason = invoke_checks(ep, p, &silent);
        if (reason != 0) {
            if (!silent) {
                listen_event(ep, peer, p->tid, WTP_EV_CAP, reason, now);
            }
            return;
        }
    }
    t = txn_new(ep, peer, p->tid, now, &created, &reason);
    if (t == NULL) {
        ep->stats.refused_caps++;
        if (p->type != WTP_PDU_INVOKE || p->tcl != 0) {
            listen_event(ep, peer, p->tid, WTP_EV_CAP, reason, now);
        }
        return;
    }
    t->last_rid = p->rid;
    if (p->type == WTP_PDU_INVOKE) {
        take_header(ep, t, p);
        tid_test(ep, t, created, now);
        if (p->ttr) {
            /* Whole message in one packet: TTR=1 with GTR=0 or 1. */
            if (wspgw_buf_append(&t->msg, p->data, p->len) != 0) {
                cap_event(ep, t, WTP_ABORT_CAPTEMPEXCEEDED, now);
                return;
            }
            count_bytes(ep, t, t->msg.len);
            resp_event(ep, t, WTP_EV_RCV_INVOKE, p, now);
            return;
        }
    }
    /* Segmented: packet 0 with TTR=0, or a later packet that arrived
     * first (packet 0 lost).  Collect; verify once the header is in. */
    t->state = WTP_RS_RECEIVING;
    if (new_rx(t, &ep->cfg) != 0) {
        cap_event(ep, t, WTP_ABORT_CAPTEMPEXCEEDED, now);
        return;
    }
    t->tid_ok = p->type == WTP_PDU_INVOKE ? t->tid_ok : 0;
    if (p->type == WTP_PDU_INVOKE && p->has_total_size
        && room_for(ep, t, p->total_size))
    {
        /* Total Message Size TPI (8.4.4): one exact allocation. */
        wtp__sar_rx_hint(t->rx, p->total_size);
    }
    wtp__timer(ep, t, WTP__TIMER_W, ep->cfg.wait_timeout_ms, now);
    sar_packet(ep, t, p, p->type == WTP_PDU_INVOKE ? 0 : p->psn, now);
}


/* An Invoke or Segmented Invoke for a live responder transaction. */
static void
resp_invoke(struct wtp_ep *ep, struct wtp__txn *t, const struct wtp_pdu *p,
    uint64_t now)
{
    unsigned psn = p->type == WTP_PDU_INVOKE ? 0 : p->psn;
    unsigned reason;
    int silent;

    t->last_rid = p->rid;
    if (t->rx != NULL && (t->state == WTP_RS_RECEIVING
        || t->state == WTP_RS_TIDOK_WAIT))
    {
        if (p->type == WTP_PDU_INVOKE && !t->hdr_known) {
            reason = invoke_checks(ep, p, &silent);
            if (reason != 0 || p->ttr) {
                cap_event(ep, t, reason != 0 ? reason
                    : WTP_ABORT_PROTOERR, now);
                return;
            }
            take_header(ep, t, p);
            tid_test(ep, t, 0, now);
        }
        sar_packet(ep, t, p, psn, now);
        return;
    }
    if (t->in_seg) {
        /* After the message is whole only a repeat of the TTR packet
         * matters (the sender lost our answer); others are ignored. */
        if (psn != t->ttr_psn || p->type == WTP_PDU_INVOKE) {
            t->last_rid = 0;
        }
    } else if (p->type != WTP_PDU_INVOKE) {
        ep->stats.rx_malformed++;
        return;                     /* a segment of an unsegmented invoke */
    }
    ep->stats.rx_duplicates++;
    resp_event(ep, t, WTP_EV_RCV_INVOKE, p, now);
}


static void
handle_pdu(struct wtp_ep *ep, const struct wspgw_addr *peer,
    const uint8_t *buf, size_t len, uint64_t now, int *rc)
{
    struct wtp_pdu p;
    struct wtp__txn *t;
    unsigned tid, type;
    int r;

    ep->stats.rx_pdus++;
    r = wtp__pdu_decode(buf, len, &p);
    if (r != 0) {
        ep->stats.rx_malformed++;
        *rc = r;
        if (len < 3) {
            return;
        }
        tid = ((unsigned) buf[1] << 8) | buf[2];
        type = (buf[0] >> 3) & 0x0F;
        t = txn_find(ep, peer, tid);
        if (t != NULL) {
            resp_event(ep, t, WTP_EV_RCV_ERROR, NULL, now);
        } else if (t == NULL && (tid & WTP_TID_DIR) == 0
            && (type == WTP_PDU_INVOKE || type == WTP_PDU_SEG_INVOKE))
        {
            listen_event(ep, peer, tid, WTP_EV_RCV_ERROR, 0, now);
        }
        return;
    }
    t = txn_find(ep, peer, p.tid);
    if (p.tid & WTP_TID_DIR) {
        /* From a responder: for a transaction we started. */
        if (t == NULL) {
            /* An Ack(TIDve) for no transaction of ours is refused with
             * INVALIDTID; anything else is ignored (9.2 Table 37). */
            if (p.type == WTP_PDU_ACK && p.tve_tok) {
                listen_event(ep, peer, p.tid, WTP_EV_CAP,
                    WTP_ABORT_INVALIDTID, now);
            }
            return;
        }
        switch (p.type) {
        case WTP_PDU_ACK:
            resp_event(ep, t, WTP_EV_RCV_ACK, &p, now);
            break;
        case WTP_PDU_ABORT:
            resp_event(ep, t, WTP_EV_RCV_ABORT, &p, now);
            break;
        case WTP_PDU_RESULT:
        case WTP_PDU_SEG_RESULT:
            resp_event(ep, t, WTP_EV_RCV_RESULT, &p, now);
            break;
        case WTP_PDU_NACK:
            break;                  /* our invokes are one packet */
        default:
            ep->stats.rx_malformed++;
            resp_event(ep, t, WTP_EV_RCV_ERROR, &p, now);
            break;
        }
        return;
    }
    if (t == NULL) {
        if (p.type == WTP_PDU_INVOKE || p.type == WTP_PDU_SEG_INVOKE) {
            resp_new(ep, peer, &p, now);
        }
        /* Ack, Nack, Result, Abort for nothing: ignore (Table 37). */
        return;
    }
    switch (p.type) {
    case WTP_PDU_INVOKE:
    case WTP_PDU_SEG_INVOKE:
        resp_invoke(ep, t, &p, now);
        break;
    case WTP_PDU_ACK:
        resp_event(ep, t, WTP_EV_RCV_ACK, &p, now);
        break;
    case WTP_PDU_NACK:
        resp_event(ep, t, WTP_EV_RCV_NACK, &p, now);
        break;
    case WTP_PDU_ABORT:
        resp_event(ep, t, WTP_EV_RCV_ABORT, &p, now);
        break;
    default:
        /* A Result toward a responder: not ours to get. */
        ep->stats.rx_malformed++;
        resp_event(ep, t, WTP_EV_RCV_ERROR, &p, now);
        break;
    }
}


int
wtp_input(struct wtp_ep *ep, const struct wspgw_addr *peer,
    const uint8_t *buf, size_t len, uint64_t now_ms)
{
    const uint8_t *pdu;
    size_t off = 0, pdu_len;
    int r, rc = 0;

    flush(ep);
    for (;;) {
        r = wtp__concat_next(buf, len, &off, &pdu, &pdu_len);
        if (r <= 0) {
            if (r < 0) {
                ep->stats.rx_malformed++;
                rc = r;
            }
            break;
        }
        handle_pdu(ep, peer, pdu, pdu_len, now_ms, &rc);
    }
    return rc;
}


void
wtp_timeout(struct wtp_ep *ep, uint64_t now_ms)
{
    struct wtp__txn *t;
    unsigned kind, ev;

    flush(ep);
    while (ep->heap_len > 0 && ep->heap[0]->deadline <= now_ms) {
        t = ep->heap[0];
        kind = t->timer;
        heap_remove(ep, t);
        ev = kind == WTP__TIMER_A ? WTP_EV_TO_A
            : kind == WTP__TIMER_R ? WTP_EV_TO_R : WTP_EV_TO_W;
        resp_event(ep, t, ev, NULL, now_ms);
    }
}


/* ---- primitives from the user ----------------------------------------- */

static struct wtp__txn *
user_txn(struct wtp_ep *ep, uint32_t handle)
{
    struct wtp__txn *t;

    flush(ep);
    t = txn_by_handle(ep, handle);
    return t != NULL && !t->dead ? t : NULL;
}


int
wtp_tr_result_req(struct wtp_ep *ep, uint32_t handle, const uint8_t *data,
    size_t len, uint64_t now_ms)
{
    struct wtp__txn *t = user_txn(ep, handle);
    unsigned seg = ep->cfg.segment_size, gsize = ep->cfg.group_size;
    int rc;

    if (t == NULL || t->initiator || t->tcl != 2 || t->has_tx
        || (t->state != WTP_RS_INVOKE_RESP_WAIT
            && t->state != WTP_RS_RESULT_WAIT))
    {
        return WSPGW_EINVAL;
    }
    if (len > ep->cfg.max_message) {
        return WSPGW_EMSGSIZE;
    }
    if (t->peer_max_group > 0) {
        /* The peer's Maximum Group TPI: octets per group (8.4.4). */
        if (t->peer_max_group < seg) {
            seg = t->peer_max_group;
        }
        if (t->peer_max_group / seg < gsize) {
            gsize = t->peer_max_group / seg;
        }
    }
    if (!t->peer_sar && len > 0x7FFF - WTP_HDR_MAX) {
        return WSPGW_EMSGSIZE;      /* one datagram, no SAR at the peer */
    }
    rc = wtp__sar_tx_init(&t->tx, data, len, seg, gsize, t->peer_sar);
    if (rc != 0) {
        return rc;
    }
    t->has_tx = 1;
    resp_event(ep, t, WTP_EV_TR_RESULT_REQ, NULL, now_ms);
    return 0;
}


int
wtp_tr_invoke_res(struct wtp_ep *ep, uint32_t handle, uint64_t now_ms)
{
    struct wtp__txn *t = user_txn(ep, handle);

    if (t == NULL || t->initiator || t->state != WTP_RS_INVOKE_RESP_WAIT) {
        return WSPGW_EINVAL;
    }
    resp_event(ep, t, WTP_EV_TR_INVOKE_RES, NULL, now_ms);
    return 0;
}


int
wtp_tr_abort_req(struct wtp_ep *ep, uint32_t handle, uint8_t reason,
    uint64_t now_ms)
{
    struct wtp__txn *t = user_txn(ep, handle);
    struct wtp__ev ev = { 0 };

    if (t == NULL) {
        return WSPGW_ENOENT;
    }
    ev.type = WTP_EV_TR_ABORT_REQ;
    ev.reason = reason;
    ev.now = now_ms;
    (void) wtp__dispatch(ep, t->initiator ? &wtp__init_table
        : &wtp__resp_table, t, &ev);
    return 0;
}


int
wtp_tr_invoke_req(struct wtp_ep *ep, const struct wspgw_addr *peer,
    unsigned tcl, int user_ack, const uint8_t *data, size_t len,
    uint64_t now_ms, uint32_t *handle)
{
    struct wtp__txn *t;
    struct wtp__ev ev = { 0 };
    unsigned tid, tries, reason;
    int created, rc;

    flush(ep);
    if (tcl > 1) {
        return WSPGW_EINVAL;        /* classes 0 and 1 only (push) */
    }
    if (len > ep->cfg.segment_size) {
        return WSPGW_EMSGSIZE;      /* the initiator does no SAR */
    }
    /* GenTID (9.4.3): the next TID not in use toward this peer. */
    for (tries = 0; tries < 64; tries++) {
        tid = ep->next_tid & WTP_TID_MASK;
        ep->next_tid = (ep->next_tid + 1) & WTP_TID_MASK;
        if (txn_find(ep, peer, tid | WTP_TID_DIR) == NULL) {
            break;
        }
    }
    if (tries == 64) {
        return WSPGW_ENOSPC;
    }
    t = txn_new(ep, peer, tid | WTP_TID_DIR, now_ms, &created, &reason);
    if (t == NULL) {
        ep->stats.refused_caps++;
        return WSPGW_ENOSPC;
    }
    t->initiator = 1;
    t->state = WTP_IS_NULL;
    t->tcl = tcl;
    t->uack = user_ack != 0;
    /* TIDnew (7.8.3.2): the first invoke to a peer since we started (it
     * may cache a TID of ours from before), or after our TIDs wrapped
     * below the last one it saw. */
    t->tidnew = !t->peer->has_sent_tid || tid < t->peer->last_sent_tid;
    t->peer->has_sent_tid = 1;
    t->peer->last_sent_tid = tid;
    rc = wtp__sar_tx_init(&t->tx, data, len, ep->cfg.segment_size, 1, 0);
    if (rc != 0) {
        txn_end(ep, t);
        return rc;
    }
    t->has_tx = 1;
    *handle = t->handle;
    ev.type = WTP_EV_TR_INVOKE_REQ;
    ev.now = now_ms;
    (void) wtp__dispatch(ep, &wtp__init_table, t, &ev);
    return 0;
}
