/*
 * wtp/tid.c - per-peer records: the TID cache (WAP-224 7.8, 7.9) and
 * the round-trip estimate (RFC 6298) used for adaptive retransmission.
 *
 * The responder keeps LastTID per initiator (peer address and port).  A
 * new invoke passes the window test of 7.8.2.3 (W = 2^14 on 15-bit TIDs)
 * or triggers TID verification (7.9): that is what stops an old
 * duplicate invoke from being delivered twice.
 *
 * Table 6 (7.8.2.2), as implemented:
 *   test Ok          -> LastTID = RcvTID, start the transaction;
 *   test Fail        -> verify (our transport can duplicate);
 *   TIDnew set       -> LastTID = 0, verify;
 *   no record        -> create it, LastTID = RcvTID, start, UNLESS we
 *                       may have lost the peer's record within the last
 *                       maximum packet lifetime (endpoint start, or an
 *                       LRU eviction): then verify.  That is the spec's
 *                       "cached for MPL and not re-booted" condition.
 * Table 9 (7.9.3) on Tok: TIDnew -> LastTID = RcvTID; else unchanged
 * (an unknown peer verified during the MPL window gets LastTID = RcvTID,
 * as its record is new).
 *
 * Invariants:
 *   - count <= max; a record with ntxn > 0 is never evicted.
 *   - The LRU list holds every record, most recently used first.
 *
 * Ownership: records are allocated here and freed by wtp__tidc_free or
 * eviction.  No I/O, no clock: now_ms comes from the caller.
 */
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wtp_int.h"


int
wtp__tidc_init(struct wtp__tidc *tc, unsigned max, uint32_t seed)
{
    unsigned n = 16;

    memset(tc, 0, sizeof(*tc));
    if (max == 0) {
        max = 1;
    }
    while (n < max && n < (1u << 20)) {
        n <<= 1;
    }
    tc->buckets = wspgw_calloc(n, sizeof(*tc->buckets));
    if (tc->buckets == NULL) {
        return WSPGW_ENOMEM;
    }
    tc->nbuckets = n;
    tc->max = max;
    tc->seed = seed;
    return 0;
}


void
wtp__tidc_free(struct wtp__tidc *tc)
{
    struct wtp__peer *p = tc->lru_head, *next;

    while (p != NULL) {
        next = p->lru_next;
        wspgw_free(p);
        p = next;
    }
    wspgw_free(tc->buckets);
    memset(tc, 0, sizeof(*tc));
}


static void
lru_unlink(struct wtp__tidc *tc, struct wtp__peer *p)
{
    if (p->lru_prev != NULL) {
        p->lru_prev->lru_next = p->lru_next;
    } else {
        tc->lru_head = p->lru_next;
    }
    if (p->lru_next != NULL) {
        p->lru_next->lru_prev = p->lru_prev;
    } else {
        tc->lru_tail = p->lru_prev;
    }
    p->lru_prev = p->lru_next = NULL;
}


static void
lru_push(struct wtp__tidc *tc, struct wtp__peer *p)
{
    p->lru_prev = NULL;
    p->lru_next = tc->lru_head;
    if (tc->lru_head != NULL) {
        tc->lru_head->lru_prev = p;
    } else {
        tc->lru_tail = p;
    }
    tc->lru_head = p;
}


static unsigned
bucket_of(const struct wtp__tidc *tc, const struct wspgw_addr *a)
{
    return wspgw_addr_hash(a, tc->seed) & (tc->nbuckets - 1);
}


struct wtp__peer *
wtp__tidc_find(struct wtp__tidc *tc, const struct wspgw_addr *a)
{
    struct wtp__peer *p;

    for (p = tc->buckets[bucket_of(tc, a)]; p != NULL; p = p->hnext) {
        if (wspgw_addr_eq(&p->addr, a)) {
            if (tc->lru_head != p) {
                lru_unlink(tc, p);
                lru_push(tc, p);
            }
            return p;
        }
    }
    return NULL;
}


static void
evict(struct wtp__tidc *tc, struct wtp__peer *victim)
{
    struct wtp__peer **pp = &tc->buckets[bucket_of(tc, &victim->addr)];

    while (*pp != victim) {
        pp = &(*pp)->hnext;
    }
    *pp = victim->hnext;
    lru_unlink(tc, victim);
    tc->count--;
    wspgw_free(victim);
}


struct wtp__peer *
wtp__tidc_get(struct wtp__tidc *tc, const struct wspgw_addr *a,
    uint64_t now_ms, unsigned mpl_ms, int *created, int *err)
{
    struct wtp__peer *p, *v;
    unsigned b;

    *created = 0;
    *err = 0;
    if (!tc->started) {
        /* Records from before a restart are lost: one MPL of doubt. */
        tc->started = 1;
        tc->unsure_until = now_ms + mpl_ms;
    }
    p = wtp__tidc_find(tc, a);
    if (p != NULL) {
        return p;
    }
    if (tc->count >= tc->max) {
        /* Evict the least recently used record that pins nothing. */
        for (v = tc->lru_tail; v != NULL && v->ntxn > 0; v = v->lru_prev) {
        }
        if (v == NULL) {
            *err = WSPGW_ENOSPC;
            return NULL;
        }
        evict(tc, v);
        tc->unsure_until = now_ms + mpl_ms;
    }
    p = wspgw_calloc(1, sizeof(*p));
    if (p == NULL) {
        *err = WSPGW_ENOMEM;
        return NULL;
    }
    p->addr = *a;
    b = bucket_of(tc, a);
    p->hnext = tc->buckets[b];
    tc->buckets[b] = p;
    lru_push(tc, p);
    tc->count++;
    *created = 1;
    return p;
}


int
wtp__tid_window_ok(unsigned last, unsigned rcv)
{
    unsigned d;

    last &= WTP_TID_MASK;
    rcv &= WTP_TID_MASK;
    if (rcv >= last) {
        d = rcv - last;                 /* Table 7 */
        return d != 0 && d <= WTP_TID_WINDOW;
    }
    d = last - rcv;                     /* Table 8 */
    return d >= WTP_TID_WINDOW;
}


enum wtp__tid_verdict
wtp__tid_check(struct wtp__tidc *tc, struct wtp__peer *p, int created,
    unsigned rcv, unsigned tidnew, uint64_t now_ms)
{
    rcv &= WTP_TID_MASK;
    if (tidnew) {
        p->has_last = 1;
        p->last_tid = 0;
        return WTP__TID_VERIFY;
    }
    if (created || !p->has_last) {
        if (now_ms < tc->unsure_until) {
            return WTP__TID_VERIFY;
        }
        p->has_last = 1;
        p->last_tid = rcv;
        return WTP__TID_OK;
    }
    if (wtp__tid_window_ok(p->last_tid, rcv)) {
        p->last_tid = rcv;
        return WTP__TID_OK;
    }
    return WTP__TID_VERIFY;
}


void
wtp__tid_verified(struct wtp__peer *p, unsigned rcv, unsigned tidnew)
{
    if (tidnew || !p->has_last) {
        p->has_last = 1;
        p->last_tid = rcv & WTP_TID_MASK;
    }
}


void
wtp__rtt_sample(struct wtp__peer *p, const struct wtp_config *c,
    uint32_t r)
{
    uint32_t d, rto;

    if (!p->has_rtt) {
        p->has_rtt = 1;
        p->srtt = r;
        p->rttvar = r / 2;
    } else {
        d = p->srtt > r ? p->srtt - r : r - p->srtt;
        p->rttvar = (3 * p->rttvar + d) / 4;        /* beta = 1/4 */
        p->srtt = (7 * p->srtt + r) / 8;            /* alpha = 1/8 */
    }
    rto = p->srtt + (4 * p->rttvar > 10 ? 4 * p->rttvar : 10);
    if (rto < c->retry_min_ms) {
        rto = c->retry_min_ms;
    }
    if (rto > c->retry_max_ms) {
        rto = c->retry_max_ms;
    }
    p->rto = rto;
}


uint32_t
wtp__rto(const struct wtp__peer *p, const struct wtp_config *c, unsigned n)
{
    uint64_t rto = p != NULL && p->rto != 0 ? p->rto : c->retry_init_ms;

    while (n-- > 0 && rto < c->retry_max_ms) {
        rto *= 2;
    }
    if (rto < c->retry_min_ms) {
        rto = c->retry_min_ms;
    }
    if (rto > c->retry_max_ms) {
        rto = c->retry_max_ms;
    }
    return (uint32_t) rto;
}


void
wtp__rto_backoff(struct wtp__peer *p, const struct wtp_config *c)
{
    /* RFC 6298 5.5 and 5.7: the doubled RTO stays with the peer until a
     * sample from an exchange without retransmission (Karn) resets it. */
    p->rto = wtp__rto(p, c, 1);
}
