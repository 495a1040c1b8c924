/*
 * wsp/session.c - the sans-I/O WSP server session layer: the object that
 * holds the sessions and their methods, routes WTP indications to the
 * state tables of session_table.c, queues the actions and runs the idle
 * timer.
 *
 * Spec: WAP-230-WSP-20010705-a 7.1 (connection-mode WSP), in particular
 * 7.1.5 (the checks an event passes before the state tables: MRU, new
 * proto-session for Connect, Resume found by SessionId, no session,
 * PDUs the tables do not handle), 7.1.4.3 (session ids), 8.2.2 and
 * 8.2.5 (Connect, ConnectReply, Redirect, Disconnect, Suspend, Resume
 * layouts), 8.2.3.3 (Reply).  Facts: reference/wsp.md sections 3, 5, 6,
 * 10 and 11.
 *
 * Routing: a Connect or method is bound to the session of its peer
 * address (7.1.5: the peer address quadruplet identifies the session; one
 * srv serves one local port, so the client's address and port are the
 * key).  A Disconnect or Suspend must come from the session's peer and
 * carry its id (else a class 0 invoke the tables do not handle:
 * ignored).  A Resume is looked up by its SessionId alone and may come
 * from a new address (8.2.5.2); an unknown id is aborted with DISCONNECT.
 * A method without a session is aborted with DISCONNECT.
 *
 * Policy where the spec leaves a choice:
 *   - Refused Connect: over max_sessions -> TR-Abort CONGESTION (6.2.5:
 *     "could not process the request due to lack of resources"; no
 *     proto-session is created, so nothing is held for it); out of
 *     memory -> CONNECTERR; malformed -> PROTOERR (7.1.5).  A Connect
 *     from a peer that has a session replaces it and is never refused
 *     for the cap.
 *   - Session ids: a 28-bit bijective mix of a counter and cfg->id_seed
 *     (a uintvar of at most 4 octets), never 0, never one in use: unique
 *     for 2^28 sessions (7.1.4.3) and not guessable-sequential, with no
 *     clock or random source.
 *   - Session headers: whole headers up to max_session_headers are kept,
 *     the rest dropped (counted).  A Resume carrying headers replaces
 *     them.  Their Encoding-Version (8.4.2.70, short or code-page form,
 *     page 1 only) becomes the FETCH's enc (0: none).
 *   - Idle expiry: the Disconnect pseudo-event (7.1.5) for a session
 *     with no activity for idle_timeout_ms, also when SUSPENDED (6.3.3.3:
 *     "SHOULD eventually terminate").  A session with a method in flight
 *     is not idle.
 *   - A Reply larger than the client's SDU (Large Data Transfer is not
 *     offered) becomes a 502 Reply with a text/plain body saying why,
 *     cut to fit the SDU (Kannel sends an empty 502).
 *   - Extended and unassigned methods (none negotiated) abort PROTOERR.
 *   - Redirect (8.2.2.3, configured with cfg->n_redirect > 0): every
 *     well-formed Connect is answered with a Redirect PDU listing the
 *     configured addresses (bearer type and port included), flags from
 *     cfg (permanent, reuse security), as the Connect's TR-Result
 *     (S-Disconnect.req in CONNECTING, then TERMINATING).  No session
 *     is made: the proto-session has no id, is not bound to the peer
 *     (a session the peer already has is left alone: the spec's
 *     S-Disconnect.req row does not touch it) and ends with the Connect
 *     transaction.  Proto-sessions waiting for that end are capped by
 *     max_sessions (then CONGESTION, as for sessions).
 *
 * Push (S-Push, S-ConfirmedPush; offered with cfg->push, agreed only
 * when the client proposes the facility): reference/ holds no transcript
 * of WAP-230's push state tables, so the machine is the spec's service
 * description, in our words.  A confirmed push is NULL -> PUSHING on
 * S-ConfirmedPush.req (wsp_srv_push: TR-Invoke.req class 1, the PDU
 * without TID octet); PUSHING -> NULL on TR-Invoke.cnf
 * (S-ConfirmedPush.cnf: PUSH_CNF), on TR-Abort.ind (S-PushAbort.ind:
 * PUSH_ABORT with the abort reason), and when the session aborts all its
 * transactions (Disconnect, Suspend, Resume elsewhere, idle expiry: the
 * same Abort(reason) the methods get, TR-Abort.req of the push's live
 * transaction plus PUSH_ABORT).  Only a CONNECTED session takes pushes.
 * Push-MOR caps the confirmed pushes in PUSHING per session
 * (WSPGW_EBUSY beyond).  S-Push.req is TR-Invoke.req class 0 and has no
 * outcome.  Push ids are a 32-bit counter, never 0, unique among the
 * live ones.
 *
 * Memory: every allocation is a session (struct + header copy) or a
 * method (struct + copy of its request) or a push (struct + copy of its
 * PDU).  All are capped: max_sessions, Method-MOR and Push-MOR per
 * session, max_session_headers, Server-SDU-Size.  Queued
 * actions and their PDUs live in s->q / s->out, reserved before a state
 * changes (so table actions cannot fail) and reset once drained.  Ended
 * objects wait on a dead list until then, because a queued FETCH views
 * its method's request and its session's headers.
 *
 * Tests: tests/unit/wsp/test_session.c, tests/unit/wsp/test_push_session.c.
 */
#include <assert.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/log.h"
#include "wspgw/wtp.h"
#include "session_int.h"
#include "wsp_int.h"

#define ID_BITS_MASK 0x0fffffffu
#define BUCKETS_MAX (1u << 16)
#define BUCKETS_MIN 16u
/* Ceiling of the buffer holding queued Result PDUs (a Reply is also
 * capped by the client's SDU when it sent one). */
#define OUT_MAX ((size_t) 64 * 1024 * 1024)
/* Above this the out buffer is freed when drained, not kept. */
#define OUT_KEEP ((size_t) 64 * 1024)
/* Unknown capability names longer than this are not echoed. */
#define UNKNOWN_ID_MAX 64


void
wsp_srv_config_defaults(struct wsp_srv_config *c)
{
    memset(c, 0, sizeof(*c));
    c->server_sdu = 1024 * 1024;
    c->server_message = 1024 * 1024;
    c->method_mor = 4;
    c->push_mor = 1;
    c->max_sessions = 10000;
    c->max_session_headers = 2048;
    c->idle_timeout_ms = 10 * 60 * 1000;
    c->resume = 1;
    c->push = 1;
    c->id_seed = 0;
}


const char *
wsp__addr_str(const struct wspgw_addr *a, char *buf, size_t len)
{
    if (a->family == WSPGW_AF_INET6) {
        snprintf(buf, len, "[%x:%x:%x:%x:%x:%x:%x:%x]:%u",
            a->ip[0] << 8 | a->ip[1], a->ip[2] << 8 | a->ip[3],
            a->ip[4] << 8 | a->ip[5], a->ip[6] << 8 | a->ip[7],
            a->ip[8] << 8 | a->ip[9], a->ip[10] << 8 | a->ip[11],
            a->ip[12] << 8 | a->ip[13], a->ip[14] << 8 | a->ip[15],
            (unsigned) a->port);
    } else {
        snprintf(buf, len, "%u.%u.%u.%u:%u", a->ip[0], a->ip[1], a->ip[2],
            a->ip[3], (unsigned) a->port);
    }
    return buf;
}


/* ---- Hashing ------------------------------------------------------------ */

static uint32_t
mix32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}


/* A bijection on 28 bits (xor-shifts and odd multipliers mod 2^28). */
static uint32_t
mix28(uint32_t x)
{
    x &= ID_BITS_MASK;
    x ^= x >> 15;
    x = (x * 0x2c1b3c6dU) & ID_BITS_MASK;
    x ^= x >> 12;
    x = (x * 0x297a2d39U) & ID_BITS_MASK;
    x ^= x >> 15;
    return x;
}


static uint32_t
bucket(const struct wsp_srv *s, uint32_t key)
{
    return mix32(key) & (s->nbuckets - 1);
}


static uint32_t
peer_bucket(const struct wsp_srv *s, const struct wspgw_addr *a)
{
    return wspgw_addr_hash(a, s->cfg.id_seed) & (s->nbuckets - 1);
}


static struct wsp__sess *
sess_by_id(const struct wsp_srv *s, uint32_t id)
{
    struct wsp__sess *ss;

    for (ss = s->by_id[bucket(s, id)]; ss != NULL; ss = ss->id_next) {
        if (ss->id == id) {
            return ss;
        }
    }
    return NULL;
}


static struct wsp__sess *
sess_by_peer(const struct wsp_srv *s, const struct wspgw_addr *a)
{
    struct wsp__sess *ss;

    for (ss = s->by_peer[peer_bucket(s, a)]; ss != NULL;
        ss = ss->peer_next)
    {
        if (wspgw_addr_eq(&ss->peer, a)) {
            return ss;
        }
    }
    return NULL;
}


static struct wsp__txn *
txn_by_handle(const struct wsp_srv *s, uint32_t h)
{
    struct wsp__txn *t;

    for (t = s->by_handle[bucket(s, h)]; t != NULL; t = t->next) {
        if (t->handle == h) {
            return t;
        }
    }
    return NULL;
}


static struct wsp__method *
method_by_id(const struct wsp_srv *s, uint32_t id)
{
    struct wsp__method *m;

    for (m = s->method_by_id[bucket(s, id)]; m != NULL; m = m->id_next) {
        if (m->id == id) {
            return m;
        }
    }
    return NULL;
}


void
wsp__txn_start(struct wsp_srv *s, struct wsp__txn *t, uint32_t h)
{
    uint32_t b = bucket(s, h);

    assert(!t->live);
    t->handle = h;
    t->live = 1;
    t->next = s->by_handle[b];
    s->by_handle[b] = t;
}


void
wsp__txn_end(struct wsp_srv *s, struct wsp__txn *t)
{
    struct wsp__txn **pp;

    if (!t->live) {
        return;
    }
    for (pp = &s->by_handle[bucket(s, t->handle)]; *pp != NULL;
        pp = &(*pp)->next)
    {
        if (*pp == t) {
            *pp = t->next;
            break;
        }
    }
    t->live = 0;
    t->next = NULL;
}


static void
unhash_peer(struct wsp_srv *s, struct wsp__sess *ss)
{
    struct wsp__sess **pp;

    if (!ss->bound) {
        return;
    }
    for (pp = &s->by_peer[peer_bucket(s, &ss->peer)]; *pp != NULL;
        pp = &(*pp)->peer_next)
    {
        if (*pp == ss) {
            *pp = ss->peer_next;
            break;
        }
    }
    ss->bound = 0;
}


/* ---- LRU (idle expiry) -------------------------------------------------- */

static void
lru_remove(struct wsp_srv *s, struct wsp__sess *ss)
{
    if (ss->lru_prev != NULL) {
        ss->lru_prev->lru_next = ss->lru_next;
    } else if (s->lru_head == ss) {
        s->lru_head = ss->lru_next;
    }
    if (ss->lru_next != NULL) {
        ss->lru_next->lru_prev = ss->lru_prev;
    } else if (s->lru_tail == ss) {
        s->lru_tail = ss->lru_prev;
    }
    ss->lru_prev = ss->lru_next = NULL;
}


/* Marks activity: the session goes to the tail of the idle list. */
static void
touch(struct wsp_srv *s, struct wsp__sess *ss, uint64_t now)
{
    lru_remove(s, ss);
    if (now > ss->last_ms) {
        ss->last_ms = now;
    }
    ss->lru_prev = s->lru_tail;
    if (s->lru_tail != NULL) {
        s->lru_tail->lru_next = ss;
    } else {
        s->lru_head = ss;
    }
    s->lru_tail = ss;
}


/* ---- Action queue ------------------------------------------------------- */

/* Makes room for n more actions.  0 or WSPGW_ENOMEM. */
static int
q_reserve(struct wsp_srv *s, size_t n)
{
    struct wsp__qent *q;
    size_t cap;

    if (s->q_len + n <= s->q_cap) {
        return 0;
    }
    cap = s->q_cap < 16 ? 16 : s->q_cap;
    while (cap < s->q_len + n) {
        cap *= 2;
    }
    q = wspgw_realloc(s->q, cap * sizeof(*q));
    if (q == NULL) {
        return WSPGW_ENOMEM;
    }
    s->q = q;
    s->q_cap = cap;
    return 0;
}


/* Worst case of actions one event can queue: the session's methods and
 * those of a session it replaces, each aborted and cancelled, plus the
 * event's own abort or result, plus a SESSION_END for each of the two
 * sessions. */
static int
q_reserve_event(struct wsp_srv *s)
{
    /* Each outstanding push of the two sessions: a TR_ABORT and a
     * PUSH_ABORT. */
    return q_reserve(s, 4 * (size_t) s->cfg.method_mor
        + 4 * (size_t) s->cfg.push_mor + 10);
}


static struct wsp__qent *
q_push(struct wsp_srv *s, enum wsp_srv_action_type type, uint32_t handle)
{
    struct wsp__qent *e;

    assert(s->q_len < s->q_cap);
    e = &s->q[s->q_len++];
    memset(e, 0, sizeof(*e));
    e->act.type = type;
    e->act.wtp_handle = handle;
    return e;
}


void
wsp__q_abort(struct wsp_srv *s, uint32_t handle, uint8_t reason)
{
    struct wsp__qent *e = q_push(s, WSP_SRV_ACT_TR_ABORT, handle);

    e->act.reason = reason;
}


void
wsp__q_result(struct wsp_srv *s, uint32_t handle, size_t off, size_t len)
{
    struct wsp__qent *e = q_push(s, WSP_SRV_ACT_TR_RESULT, handle);

    e->off = off;
    e->act.len = len;
}


void
wsp__q_fetch(struct wsp_srv *s, struct wsp__method *m)
{
    struct wsp__qent *e = q_push(s, WSP_SRV_ACT_FETCH, m->txn.handle);

    e->method = m;
    m->fetch_q = s->q_len;      /* index + 1 */
}


void
wsp__q_invoke_res(struct wsp_srv *s, uint32_t handle)
{
    /* Queued from wsp_srv_next_action, outside an event's reservation.
     * Without memory the ack is skipped: WTP then only lacks hold-on
     * Acks, the Result still acknowledges the invoke. */
    if (q_reserve(s, 1) == 0) {
        (void) q_push(s, WSP_SRV_ACT_TR_INVOKE_RES, handle);
    }
}


void
wsp__q_fetch_cancel(struct wsp_srv *s, struct wsp__method *m)
{
    struct wsp__qent *e;

    if (m->fetch_q != 0) {
        /* The gateway has not taken the FETCH yet: withdraw it. */
        s->q[m->fetch_q - 1].method = NULL;
        m->fetch_q = 0;
        return;
    }
    e = q_push(s, WSP_SRV_ACT_FETCH_CANCEL, m->txn.handle);
    e->act.method_id = m->id;
    e->act.session_id = m->sess->id;
    e->act.peer = m->sess->peer;
}


/* Frees what ended and empties the queue, once the gateway has taken
 * every action (their views are then no longer promised). */
static void
gc(struct wsp_srv *s)
{
    if (s->q_head < s->q_len) {
        return;
    }
    s->q_head = s->q_len = 0;
    while (s->dead_methods != NULL) {
        struct wsp__method *m = s->dead_methods;

        s->dead_methods = m->next;
        wspgw_free(m);
    }
    while (s->dead_pushes != NULL) {
        struct wsp__push *p = s->dead_pushes;

        s->dead_pushes = p->next;
        wspgw_free(p);
    }
    while (s->dead_sess != NULL) {
        struct wsp__sess *ss = s->dead_sess;

        s->dead_sess = ss->id_next;
        wspgw_free(ss->hdrs);
        wspgw_free(ss);
    }
    if (s->out.cap > OUT_KEEP) {
        wspgw_buf_free(&s->out);
    } else {
        wspgw_buf_reset(&s->out);
    }
}


/* ---- Sessions and methods ------------------------------------------------ */

void
wsp__sess_assign_id(struct wsp_srv *s, struct wsp__sess *ss)
{
    uint32_t id, b;

    do {
        id = mix28(s->id_counter++ + s->cfg.id_seed);
    } while (id == 0 || sess_by_id(s, id) != NULL);
    ss->id = id;
    b = bucket(s, id);
    ss->id_next = s->by_id[b];
    s->by_id[b] = ss;
}


void
wsp__sess_bind(struct wsp__ev *ev, struct wsp__sess *ss,
    const struct wspgw_addr *peer)
{
    struct wsp_srv *s = ev->srv;
    struct wsp__sess *other = sess_by_peer(s, peer);
    uint32_t b;

    if (other != NULL && other != ss) {
        struct wsp__ev oev;

        /* "Disconnect any other session for this peer address
         * quadruplet" (7.1.6.4 CONNECTING and RESUMING). */
        memset(&oev, 0, sizeof(oev));
        oev.srv = s;
        oev.sess = other;
        oev.peer = &other->peer;
        oev.abort_type = 0xff;
        oev.now_ms = ev->now_ms;
        wsp__session_event(&oev, WSP_SE_DISCONNECT);
    }
    if (ss->bound && wspgw_addr_eq(&ss->peer, peer)) {
        return;
    }
    unhash_peer(s, ss);
    ss->peer = *peer;
    b = peer_bucket(s, peer);
    ss->peer_next = s->by_peer[b];
    s->by_peer[b] = ss;
    ss->bound = 1;
}


/*
 * The encoding version one Version-value filling (v, len) states: the
 * Short-integer (major << 4 | minor, 8.4.2.3) or the Text-string "d.d"
 * with its NUL.  0 for anything else or a version below 1.1.
 */
static uint8_t
version_of(const uint8_t *v, size_t len)
{
    if (len == 1 && v[0] >= 0x80) {
        return (v[0] & 0x7f) >= WSP_ENC_1_1 ? (uint8_t) (v[0] & 0x7f) : 0;
    }
    if (len == 4 && v[0] >= '1' && v[0] <= '7' && v[1] == '.'
        && v[2] >= '0' && v[2] <= '9' && v[3] == '\0')
    {
        return (uint8_t) ((v[0] - '0') << 4 | (v[2] - '0'));
    }
    return 0;
}


/*
 * The encoding version an Encoding-Version value (8.4.2.70) states for
 * the WAP Forum header page.  Encoding-version-value = Version-value |
 * Value-length Code-page [Version-value]: the first form is page 1's
 * (val, vlen: the whole value); the second (body, blen: after the
 * Value-length) only when Code-page is 1 and a version follows - a
 * version for an extended code page says nothing about page 1, and a
 * page without a version states no version.  0: none stated.
 */
static uint8_t
enc_version_of(const uint8_t *val, size_t vlen, const uint8_t *body,
    size_t blen)
{
    if (val[0] > 31) {
        return version_of(val, vlen);
    }
    if (blen < 2 || body[0] != (0x80 | 1)) {
        return 0;
    }
    return version_of(body + 1, blen - 1);
}


/*
 * Skips one header (8.4.1: shift sequence, well-known or application
 * header, value by the generic length rule of 8.4.1.2).  Returns its
 * length, or 0 if it does not parse.  *page tracks the code page; *enc
 * receives the Encoding-Version (page 1, field 0x43) when one states a
 * version for page 1, in either form of 8.4.2.70.
 */
static size_t
header_span(const uint8_t *p, size_t len, unsigned *page, uint8_t *enc)
{
    const uint8_t *nul;
    size_t off = 0, vstart;
    unsigned field = 0x100;
    uint32_t vl;
    int n;

    if (p[0] == 0x7f) {
        if (len < 2) {
            return 0;
        }
        *page = p[1];
        return 2;
    }
    if (p[0] >= 0x01 && p[0] <= 0x1f) {
        *page = p[0];
        return 1;
    }
    if (p[0] >= 0x80) {
        field = p[0] & 0x7fu;
        off = 1;
    } else if (p[0] >= 0x20) {
        nul = memchr(p, '\0', len);
        if (nul == NULL) {
            return 0;
        }
        off = (size_t) (nul - p) + 1;
    } else {
        return 0;
    }
    if (off >= len) {
        return 0;
    }
    vstart = off;
    if (p[off] <= 30) {
        vl = p[off];
        off++;
    } else if (p[off] == 31) {
        n = wsp_uintvar_decode(p + off + 1, len - off - 1, &vl);
        if (n < 0) {
            return 0;
        }
        off += 1 + (size_t) n;
    } else if (p[off] < 0x80) {
        nul = memchr(p + off, '\0', len - off);
        if (nul == NULL) {
            return 0;
        }
        vl = 0;
        off = (size_t) (nul - p) + 1;
    } else {
        vl = 1;
    }
    if (vl > len - off) {
        return 0;
    }
    if (*page == 1 && field == WSP_FIELD_ENCODING_VERSION) {
        uint8_t v = enc_version_of(p + vstart, off + vl - vstart, p + off,
            vl);

        if (v != 0) {
            *enc = v;
        }
    }
    return off + vl;
}


/* Whole headers of (h, len) that fit in max octets; *enc as above. */
static size_t
headers_keep(const uint8_t *h, size_t len, size_t max, uint8_t *enc)
{
    unsigned page = 1;
    size_t off = 0, n;

    while (off < len) {
        n = header_span(h + off, len - off, &page, enc);
        if (n == 0 || n > max - off) {
            break;
        }
        off += n;
    }
    return off;
}


/* Copies the session headers (capped).  0 or WSPGW_ENOMEM. */
static int
sess_copy_headers(struct wsp_srv *s, struct wsp__sess *ss,
    const uint8_t *h, size_t len)
{
    uint8_t enc = 0, *copy = NULL;
    size_t keep = headers_keep(h, len, s->cfg.max_session_headers, &enc);

    if (keep < len) {
        s->stats.headers_truncated++;
    }
    if (keep > 0) {
        copy = wspgw_malloc(keep);
        if (copy == NULL) {
            return WSPGW_ENOMEM;
        }
        memcpy(copy, h, keep);
    }
    s->stats.session_bytes -= ss->hdrs_len;
    wspgw_free(ss->hdrs);
    ss->hdrs = copy;
    ss->hdrs_len = keep;
    ss->enc = enc;
    s->stats.session_bytes += keep;
    return 0;
}


void
wsp__sess_set_headers(struct wsp_srv *s, struct wsp__sess *ss,
    const uint8_t *hdrs, size_t len)
{
    /* Out of memory here keeps the old headers: the Resume goes on. */
    if (len > 0 && sess_copy_headers(s, ss, hdrs, len) != 0) {
        wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_WSP, "session %08x: out of "
            "memory, Resume headers not kept", (unsigned) ss->id);
    }
}


void
wsp__method_end(struct wsp_srv *s, struct wsp__method *m)
{
    struct wsp__method **pp;

    if (m->dead) {
        return;
    }
    wsp__txn_end(s, &m->txn);
    if (m->sess != NULL) {
        for (pp = &m->sess->methods; *pp != NULL; pp = &(*pp)->next) {
            if (*pp == m) {
                *pp = m->next;
                break;
            }
        }
    }
    for (pp = &s->method_by_id[bucket(s, m->id)]; *pp != NULL;
        pp = &(*pp)->id_next)
    {
        if (*pp == m) {
            *pp = m->id_next;
            break;
        }
    }
    if (m->fetch_q != 0) {
        s->q[m->fetch_q - 1].method = NULL;
        m->fetch_q = 0;
    }
    s->stats.session_bytes -= sizeof(*m) + m->req_len;
    m->dead = 1;
    m->next = s->dead_methods;
    s->dead_methods = m;
}


void
wsp__sess_end(struct wsp_srv *s, struct wsp__sess *ss)
{
    struct wsp__sess **pp;

    assert(ss->methods == NULL);
    /* Every path to NULL aborts the pushes first (abort_all); this is
     * the backstop so none is left waiting on a freed session. */
    wsp__push_abort_all(s, ss, WSP_ABORT_DISCONNECT);
    for (pp = &s->by_id[bucket(s, ss->id)]; *pp != NULL;
        pp = &(*pp)->id_next)
    {
        if (*pp == ss) {
            *pp = ss->id_next;
            break;
        }
    }
    unhash_peer(s, ss);
    lru_remove(s, ss);
    wsp__txn_end(s, &ss->txn);
    if (ss->redirected) {
        s->n_redirected--;
    } else {
        struct wsp__qent *e;

        s->stats.sessions--;
        s->stats.disconnects++;
        /* Tell the gateway, after the cancellations the ending queued
         * (reserved with the event: q_reserve_event). */
        e = q_push(s, WSP_SRV_ACT_SESSION_END, 0);
        e->act.session_id = ss->id;
        e->act.peer = ss->peer;
    }
    s->stats.session_bytes -= sizeof(*ss) + ss->hdrs_len;
    ss->id_next = s->dead_sess;
    s->dead_sess = ss;
}


/* ---- Construction ------------------------------------------------------- */

struct wsp_srv *
wsp_srv_new(const struct wsp_srv_config *cfg)
{
    struct wsp_srv *s = wspgw_calloc(1, sizeof(*s));
    size_t nrows;
    uint32_t nb = BUCKETS_MIN;

    if (s == NULL) {
        return NULL;
    }
    s->cfg = *cfg;
    if (s->cfg.method_mor < 1) {
        s->cfg.method_mor = 1;
    }
    if (s->cfg.method_mor > 255) {
        s->cfg.method_mor = 255;
    }
    if (s->cfg.push_mor < 1) {
        s->cfg.push_mor = 1;
    }
    if (s->cfg.push_mor > 255) {
        s->cfg.push_mor = 255;
    }
    if (s->cfg.n_redirect > WSP_REDIRECT_MAX) {
        s->cfg.n_redirect = WSP_REDIRECT_MAX;
    }
    while (nb < BUCKETS_MAX && nb < s->cfg.max_sessions) {
        nb *= 2;
    }
    s->nbuckets = nb;
    s->id_counter = 1;
    wspgw_buf_init(&s->out, OUT_MAX);
    s->by_id = wspgw_calloc(nb, sizeof(*s->by_id));
    s->by_peer = wspgw_calloc(nb, sizeof(*s->by_peer));
    s->by_handle = wspgw_calloc(nb, sizeof(*s->by_handle));
    s->method_by_id = wspgw_calloc(nb, sizeof(*s->method_by_id));
    s->push_by_id = wspgw_calloc(nb, sizeof(*s->push_by_id));
    wsp__table_rows(0, &nrows);
    s->row_hits[0] = wspgw_calloc(nrows, sizeof(uint32_t));
    wsp__table_rows(1, &nrows);
    s->row_hits[1] = wspgw_calloc(nrows, sizeof(uint32_t));
    if (s->by_id == NULL || s->by_peer == NULL || s->by_handle == NULL
        || s->method_by_id == NULL || s->push_by_id == NULL
        || s->row_hits[0] == NULL
        || s->row_hits[1] == NULL || q_reserve_event(s) != 0)
    {
        wsp_srv_free(s);
        return NULL;
    }
    return s;
}


void
wsp_srv_free(struct wsp_srv *s)
{
    uint32_t b;

    if (s == NULL) {
        return;
    }
    /* Move everything to the dead lists, then free them.  Redirected
     * proto-sessions have no id: they are found on the idle list. */
    while (s->n_redirected > 0 && s->lru_head != NULL) {
        struct wsp__sess *ss = s->lru_head;

        lru_remove(s, ss);
        if (ss->redirected) {
            s->n_redirected--;
            ss->id_next = s->dead_sess;
            s->dead_sess = ss;
        }
    }
    if (s->by_id != NULL) {
        for (b = 0; b < s->nbuckets; b++) {
            while (s->by_id[b] != NULL) {
                struct wsp__sess *ss = s->by_id[b];

                s->by_id[b] = ss->id_next;
                while (ss->methods != NULL) {
                    struct wsp__method *m = ss->methods;

                    ss->methods = m->next;
                    m->next = s->dead_methods;
                    s->dead_methods = m;
                }
                while (ss->pushes != NULL) {
                    struct wsp__push *p = ss->pushes;

                    ss->pushes = p->next;
                    p->next = s->dead_pushes;
                    s->dead_pushes = p;
                }
                ss->id_next = s->dead_sess;
                s->dead_sess = ss;
            }
        }
    }
    s->q_head = s->q_len;
    gc(s);
    wspgw_buf_free(&s->out);
    wspgw_free(s->q);
    wspgw_free(s->by_id);
    wspgw_free(s->by_peer);
    wspgw_free(s->by_handle);
    wspgw_free(s->method_by_id);
    wspgw_free(s->push_by_id);
    wspgw_free(s->row_hits[0]);
    wspgw_free(s->row_hits[1]);
    wspgw_free(s);
}


const struct wsp_srv_stats *
wsp_srv_stats(const struct wsp_srv *s)
{
    return &s->stats;
}


const uint32_t *
wsp__srv_row_hits(const struct wsp_srv *s, int machine, size_t *n)
{
    wsp__table_rows(machine, n);
    return s->row_hits[machine != 0];
}


/* ---- Events in ---------------------------------------------------------- */

static void
ev_init(struct wsp__ev *ev, struct wsp_srv *s, struct wsp__sess *ss,
    uint32_t handle, unsigned tcl, const struct wspgw_addr *peer,
    uint64_t now)
{
    memset(ev, 0, sizeof(*ev));
    ev->srv = s;
    ev->sess = ss;
    ev->handle = handle;
    ev->tcl = tcl;
    ev->peer = peer;
    ev->abort_type = 0xff;
    ev->now_ms = now;
}


/* A refusal before any session or table: TR-Abort.req(reason). */
static int
refuse(struct wsp_srv *s, uint32_t handle, const struct wspgw_addr *peer,
    uint8_t reason, const char *why, const uint8_t *pdu, size_t len)
{
    char pa[64], hex[64];

    wsp__q_abort(s, handle, reason);
    s->stats.refused++;
    if (wspgw_log_enabled(WSPGW_LOG_INFO, WSPGW_SUB_WSP)) {
        wspgw_hex_sample(hex, sizeof(hex), pdu, len, 16);
        wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_WSP, "%s handle %u: %s: "
            "abort %s (%s)", wsp__addr_str(peer, pa, sizeof(pa)),
            (unsigned) handle, why, wsp__abort_name(reason), hex);
    }
    return 0;
}


/*
 * Appends the ConnectReply (8.2.2.2: Type, ServerSessionId,
 * CapabilitiesLen, HeadersLen, Capabilities, Headers) to s->out: the
 * capabilities are encoded first, then shifted behind the fixed part.
 */
static int
build_connect_reply(struct wsp_srv *s, uint32_t id,
    const struct wsp_caps *reply, size_t *off, size_t *len)
{
    size_t start = s->out.len, clen, hlen;
    uint8_t head[16];
    int rc;

    rc = wsp_caps_encode(reply, &s->out);
    if (rc != 0) {
        return rc;
    }
    clen = s->out.len - start;
    head[0] = WSP_PDU_CONNECT_REPLY;
    hlen = 1;
    hlen += wsp__uintvar_put(head + hlen, id);
    hlen += wsp__uintvar_put(head + hlen, (uint32_t) clen);
    hlen += wsp__uintvar_put(head + hlen, 0);  /* no server headers */
    rc = wspgw_buf_reserve(&s->out, hlen);
    if (rc != 0) {
        wsp__buf_truncate(&s->out, start);
        return rc;
    }
    memmove(s->out.data + start + hlen, s->out.data + start, clen);
    memcpy(s->out.data + start, head, hlen);
    s->out.len += hlen;
    s->out.data[s->out.len] = '\0';
    *off = start;
    *len = hlen + clen;
    return 0;
}


/*
 * The session user's answer to a Connect when redirect addresses are
 * configured: S-Disconnect.req(Redirect) (7.1.6.4 CONNECTING).  A
 * proto-session carries the Connect transaction until the Redirect is
 * acknowledged or aborted (TERMINATING).  Returns what on_connect does.
 */
static int
connect_redirect(struct wsp_srv *s, uint32_t handle,
    const struct wspgw_addr *peer, unsigned tcl, const uint8_t *pdu,
    size_t len, uint64_t now)
{
    size_t roff = s->out.len;
    unsigned flags = 0;
    struct wsp__sess *ss;
    struct wsp__ev ev;

    if (s->n_redirected >= s->cfg.max_sessions) {
        return refuse(s, handle, peer, WSP_ABORT_CONGESTION,
            "max_sessions Connects being redirected", pdu, len);
    }
    if (s->cfg.redirect_permanent) {
        flags |= WSP_REDIRECT_PERMANENT;
    }
    if (s->cfg.redirect_reuse_security) {
        flags |= WSP_REDIRECT_REUSE_SECURITY;
    }
    ss = wspgw_calloc(1, sizeof(*ss));
    if (ss == NULL) {
        return refuse(s, handle, peer, WSP_ABORT_CONNECTERR,
            "out of memory", pdu, len);
    }
    if (wsp_redirect_encode(&s->out, flags, s->cfg.redirect,
        s->cfg.n_redirect) != 0)
    {
        wspgw_free(ss);
        return refuse(s, handle, peer, WSP_ABORT_CONNECTERR,
            "cannot build the Redirect", pdu, len);
    }
    ss->peer = *peer;
    ss->txn.sess = ss;
    ss->state = WSP_SS_NULL;
    ss->redirected = 1;
    s->n_redirected++;
    s->stats.redirects++;
    s->stats.session_bytes += sizeof(*ss);
    touch(s, ss, now);
    if (wspgw_log_enabled(WSPGW_LOG_INFO, WSPGW_SUB_WSP)) {
        char pa[64], ra[64];

        wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_WSP, "%s handle %u: Connect "
            "redirected (%s) to %s%s", wsp__addr_str(peer, pa, sizeof(pa)),
            (unsigned) handle, s->cfg.redirect_permanent ? "permanent"
            : "temporary", wsp__addr_str(&s->cfg.redirect[0], ra,
            sizeof(ra)), s->cfg.n_redirect > 1 ? " and others" : "");
    }
    ev_init(&ev, s, ss, handle, tcl, peer, now);
    ev.redirect = 1;
    ev.reply_off = roff;
    ev.reply_len = s->out.len - roff;
    wsp__session_event(&ev, WSP_SE_CONNECT);
    return ev.rc;
}


static int
on_connect(struct wsp_srv *s, uint32_t handle,
    const struct wspgw_addr *peer, unsigned tcl, const uint8_t *pdu,
    size_t len, uint64_t now)
{
    struct wsp_caps req, reply, agreed;
    struct wsp__sess *ss;
    struct wsp__ev ev;
    uint32_t clen, hlen;
    size_t off = 2, roff, rlen;
    unsigned i, k;
    int n;

    if (tcl != 2) {
        return tcl == 0 ? 0 : refuse(s, handle, peer, WSP_ABORT_PROTOERR,
            "Connect not in class 2", pdu, len);
    }
    if (s->cfg.server_sdu != 0 && len > s->cfg.server_sdu) {
        return refuse(s, handle, peer, WSP_ABORT_MRUEXCEEDED,
            "Connect larger than the MRU", pdu, len);
    }
    if (len < 2 || (pdu[1] >> 4) != 1) {
        return refuse(s, handle, peer, len < 2 ? WSP_ABORT_PROTOERR
            : WSP_ABORT_CONNECTERR, "Connect: bad version", pdu, len);
    }
    n = wsp_uintvar_decode(pdu + off, len - off, &clen);
    if (n > 0) {
        off += (size_t) n;
        n = wsp_uintvar_decode(pdu + off, len - off, &hlen);
    }
    if (n <= 0 || clen > len - off - (size_t) n
        || hlen > len - off - (size_t) n - clen)
    {
        return refuse(s, handle, peer, WSP_ABORT_PROTOERR,
            "malformed Connect", pdu, len);
    }
    off += (size_t) n;
    if (wsp_caps_decode(pdu + off, clen, &req) != 0) {
        return refuse(s, handle, peer, WSP_ABORT_PROTOERR,
            "malformed Connect capabilities", pdu, len);
    }
    /* Long unknown capability names are not echoed (bounded reply). */
    for (i = k = 0; i < req.n_unknown; i++) {
        if (req.unknown[i].len <= UNKNOWN_ID_MAX) {
            req.unknown[k++] = req.unknown[i];
        }
    }
    req.n_unknown = k;
    if (s->cfg.n_redirect > 0) {
        return connect_redirect(s, handle, peer, tcl, pdu, len, now);
    }
    if (s->stats.sessions >= s->cfg.max_sessions
        && sess_by_peer(s, peer) == NULL)
    {
        return refuse(s, handle, peer, WSP_ABORT_CONGESTION,
            "max_sessions reached", pdu, len);
    }
    wsp_caps_negotiate(&req, &s->cfg, &reply, &agreed);

    ss = wspgw_calloc(1, sizeof(*ss));
    if (ss == NULL) {
        return refuse(s, handle, peer, WSP_ABORT_CONNECTERR,
            "out of memory", pdu, len);
    }
    if (sess_copy_headers(s, ss, pdu + off + clen, hlen) != 0) {
        wspgw_free(ss);
        return refuse(s, handle, peer, WSP_ABORT_CONNECTERR,
            "out of memory", pdu, len);
    }
    wsp__sess_assign_id(s, ss);
    if (build_connect_reply(s, ss->id, &reply, &roff, &rlen) != 0) {
        struct wsp__sess **pp;

        for (pp = &s->by_id[bucket(s, ss->id)]; *pp != ss;
            pp = &(*pp)->id_next)
        {
        }
        *pp = ss->id_next;
        s->stats.session_bytes -= ss->hdrs_len;
        wspgw_free(ss->hdrs);
        wspgw_free(ss);
        return refuse(s, handle, peer, WSP_ABORT_CONNECTERR,
            "out of memory", pdu, len);
    }
    ss->peer = *peer;
    ss->txn.sess = ss;
    ss->state = WSP_SS_NULL;
    ss->options = agreed.options;
    ss->mom = agreed.method_mor;
    ss->pom = agreed.push_mor;
    ss->client_sdu = agreed.client_sdu;
    ss->mru = agreed.server_sdu;
    s->stats.sessions++;
    s->stats.connects++;
    s->stats.session_bytes += sizeof(*ss);
    touch(s, ss, now);

    ev_init(&ev, s, ss, handle, tcl, peer, now);
    ev.reply_off = roff;
    ev.reply_len = rlen;
    wsp__session_event(&ev, WSP_SE_CONNECT);
    return ev.rc;
}


/* Disconnect / Suspend (class 0): from the session's peer, with its id. */
static int
on_disconnect_suspend(struct wsp_srv *s, uint32_t handle,
    const struct wspgw_addr *peer, unsigned tcl, const uint8_t *pdu,
    size_t len, uint64_t now)
{
    struct wsp__sess *ss;
    struct wsp__ev ev;
    uint32_t id;
    int n;

    if (tcl != 0) {
        /* 7.1.1: Disconnect and Suspend ride class 0. */
        return refuse(s, handle, peer, WSP_ABORT_PROTOERR,
            "Disconnect/Suspend not in class 0", pdu, len);
    }
    n = wsp_uintvar_decode(pdu + 1, len - 1, &id);
    ss = sess_by_peer(s, peer);
    if (n < 0 || ss == NULL || ss->id != id) {
        s->stats.refused++;
        return 0;               /* class 0 not handled: ignore (7.1.5) */
    }
    touch(s, ss, now);
    ev_init(&ev, s, ss, handle, tcl, peer, now);
    wsp__session_event(&ev, pdu[0] == WSP_PDU_DISCONNECT
        ? WSP_SE_DISCONNECT_PDU : WSP_SE_SUSPEND_PDU);
    return ev.rc;
}


/* Resume (class 2): looked up by SessionId, maybe from a new address. */
static int
on_resume(struct wsp_srv *s, uint32_t handle, const struct wspgw_addr *peer,
    unsigned tcl, const uint8_t *pdu, size_t len, uint64_t now)
{
    static const uint8_t ok_reply[] = { WSP_PDU_REPLY, 0x20, 0x00 };
    struct wsp__sess *ss;
    struct wsp__ev ev;
    uint32_t id, clen;
    size_t off = 1;
    int n;

    if (tcl != 2) {
        return tcl == 0 ? 0 : refuse(s, handle, peer, WSP_ABORT_PROTOERR,
            "Resume not in class 2", pdu, len);
    }
    n = wsp_uintvar_decode(pdu + off, len - off, &id);
    if (n > 0) {
        off += (size_t) n;
        n = wsp_uintvar_decode(pdu + off, len - off, &clen);
    }
    if (n <= 0 || clen > len - off - (size_t) n) {
        return refuse(s, handle, peer, WSP_ABORT_PROTOERR,
            "malformed Resume", pdu, len);
    }
    off += (size_t) n + clen;   /* Capabilities: reserved (8.2.5.2) */
    ss = sess_by_id(s, id);
    if (ss == NULL || ss->state == WSP_SS_NULL) {
        return refuse(s, handle, peer, WSP_ABORT_DISCONNECT,
            "Resume of an unknown session", pdu, len);
    }
    if (ss->mru != 0 && len > ss->mru) {
        return refuse(s, handle, peer, WSP_ABORT_MRUEXCEEDED,
            "Resume larger than the MRU", pdu, len);
    }
    ev_init(&ev, s, ss, handle, tcl, peer, now);
    ev.hdrs = pdu + off;
    ev.hdrs_len = len - off;
    /* The Reply of S-Resume.res (8.2.5.3): 200, no server headers. */
    ev.reply_off = s->out.len;
    ev.reply_len = sizeof(ok_reply);
    if (wspgw_buf_append(&s->out, ok_reply, sizeof(ok_reply)) != 0) {
        return WSPGW_ENOMEM;
    }
    touch(s, ss, now);
    wsp__session_event(&ev, WSP_SE_RESUME);
    return ev.rc;
}


/* Get / Post family (class 2) on the peer's session. */
static int
on_method(struct wsp_srv *s, uint32_t handle, const struct wspgw_addr *peer,
    unsigned tcl, const uint8_t *pdu, size_t len, uint64_t now)
{
    struct wsp__sess *ss;
    struct wsp__method *m;
    struct wsp__ev ev;
    struct wsp_pdu p;
    uint32_t b;

    if (tcl != 2) {
        /* 7.1.1: methods ride class 2; class 0 is ignored. */
        return tcl == 0 ? 0 : refuse(s, handle, peer, WSP_ABORT_PROTOERR,
            "method not in class 2", pdu, len);
    }
    ss = sess_by_peer(s, peer);
    if (ss == NULL) {
        return refuse(s, handle, peer, WSP_ABORT_DISCONNECT,
            "method without a session", pdu, len);
    }
    touch(s, ss, now);
    if (ss->mru != 0 && len > ss->mru) {
        return refuse(s, handle, peer, WSP_ABORT_MRUEXCEEDED,
            "request larger than the MRU", pdu, len);
    }
    if (wsp_pdu_decode(pdu, len, 0, &p) != 0
        || wsp_pdu_http_method(p.type) == NULL)
    {
        /* Malformed, or an extended/unassigned method: none was
         * negotiated (we refuse Extended Methods). */
        return refuse(s, handle, peer, WSP_ABORT_PROTOERR,
            "bad or unsupported method PDU", pdu, len);
    }
    m = wspgw_malloc(sizeof(*m) + len);
    if (m == NULL) {
        return WSPGW_ENOMEM;
    }
    memset(m, 0, sizeof(*m));
    memcpy(m->req, pdu, len);
    m->req_len = len;
    do {
        m->id = ++s->method_counter;
    } while (m->id == 0 || method_by_id(s, m->id) != NULL);
    m->state = WSP_MS_NULL;
    m->txn.method = m;
    m->txn.sess = ss;
    b = bucket(s, m->id);
    m->id_next = s->method_by_id[b];
    s->method_by_id[b] = m;
    s->stats.session_bytes += sizeof(*m) + m->req_len;

    ev_init(&ev, s, ss, handle, tcl, peer, now);
    ev.method = m;
    wsp__session_event(&ev, WSP_SE_METHOD);
    if (m->sess == NULL) {
        /* Never stored (SUSPENDED, session refused it): no view of it
         * was queued, but it ends the common way. */
        wsp__method_end(s, m);
    }
    return ev.rc;
}


int
wsp_srv_invoke_ind(struct wsp_srv *s, uint32_t wtp_handle,
    const struct wspgw_addr *peer, unsigned tcl, const uint8_t *pdu,
    size_t len, uint64_t now_ms)
{
    int rc;

    gc(s);
    rc = q_reserve_event(s);
    if (rc != 0) {
        return rc;
    }
    if (len == 0) {
        return tcl == 0 ? 0 : refuse(s, wtp_handle, peer,
            WSP_ABORT_PROTOERR, "empty PDU", pdu, len);
    }
    switch (pdu[0]) {
    case WSP_PDU_CONNECT:
        return on_connect(s, wtp_handle, peer, tcl, pdu, len, now_ms);
    case WSP_PDU_DISCONNECT:
    case WSP_PDU_SUSPEND:
        return on_disconnect_suspend(s, wtp_handle, peer, tcl, pdu, len,
            now_ms);
    case WSP_PDU_RESUME:
        return on_resume(s, wtp_handle, peer, tcl, pdu, len, now_ms);
    default:
        if (wsp_pdu_is_get_family(pdu[0]) || wsp_pdu_is_post_family(pdu[0])) {
            return on_method(s, wtp_handle, peer, tcl, pdu, len, now_ms);
        }
        /* 7.1.5: a PDU no table handles. */
        if (tcl == 0) {
            s->stats.refused++;
            return 0;
        }
        return refuse(s, wtp_handle, peer, WSP_ABORT_PROTOERR,
            "PDU not handled", pdu, len);
    }
}


/* ---- Push (S-Push, S-ConfirmedPush; see the file header) ----------------- */

static struct wsp__push *
push_by_id(const struct wsp_srv *s, uint32_t id)
{
    struct wsp__push *p;

    for (p = s->push_by_id[bucket(s, id)]; p != NULL; p = p->id_next) {
        if (p->id == id) {
            return p;
        }
    }
    return NULL;
}


/* Ends a confirmed push: unhashed, off its session, on the dead list
 * (a queued TR_INVOKE may still view its PDU). */
static void
push_end(struct wsp_srv *s, struct wsp__push *p)
{
    struct wsp__push **pp;

    if (p->dead) {
        return;
    }
    wsp__txn_end(s, &p->txn);
    for (pp = &s->push_by_id[bucket(s, p->id)]; *pp != NULL;
        pp = &(*pp)->id_next)
    {
        if (*pp == p) {
            *pp = p->id_next;
            break;
        }
    }
    if (p->sess != NULL) {
        for (pp = &p->sess->pushes; *pp != NULL; pp = &(*pp)->next) {
            if (*pp == p) {
                *pp = p->next;
                break;
            }
        }
        p->sess->n_pushes--;
        p->sess = NULL;
    }
    s->stats.pushes_active--;
    s->stats.session_bytes -= sizeof(*p) + p->len;
    p->dead = 1;
    p->next = s->dead_pushes;
    s->dead_pushes = p;
}


/* Queues the push's outcome (room reserved by the caller). */
static void
push_outcome(struct wsp_srv *s, struct wsp__push *p,
    enum wsp_srv_action_type type, uint8_t reason)
{
    struct wsp__qent *e = q_push(s, type, p->txn.live ? p->txn.handle : 0);

    e->act.push_id = p->id;
    e->act.reason = reason;
    if (p->sess != NULL) {
        e->act.session_id = p->sess->id;
        e->act.peer = p->sess->peer;
    }
    if (type == WSP_SRV_ACT_PUSH_CNF) {
        s->stats.pushes_confirmed++;
    } else {
        s->stats.pushes_aborted++;
    }
}


void
wsp__push_abort_all(struct wsp_srv *s, struct wsp__sess *ss, uint8_t reason)
{
    /* Server push state table, PUSHING: Abort(reason) -> TR-Abort.req,
     * S-PushAbort.ind, NULL.  The queue room is part of
     * q_reserve_event. */
    while (ss->pushes != NULL) {
        struct wsp__push *p = ss->pushes;

        if (p->txn.live) {
            wsp__q_abort(s, p->txn.handle, reason);
        }
        push_outcome(s, p, WSP_SRV_ACT_PUSH_ABORT, reason);
        push_end(s, p);
    }
}


/* TR-Invoke.cnf / TR-Abort.ind of a confirmed push's transaction. */
static int
push_txn_event(struct wsp_srv *s, struct wsp__push *p, unsigned event,
    uint8_t reason, uint64_t now)
{
    char a[64];

    if (q_reserve(s, 1) != 0) {
        return WSPGW_ENOMEM;
    }
    if (p->sess != NULL) {
        touch(s, p->sess, now);
    }
    if (event == WSP_SE_ABORT_IND) {
        wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_WSP, "push %u to %s: aborted "
            "(0x%02x)", (unsigned) p->id, p->sess != NULL
            ? wsp__addr_str(&p->sess->peer, a, sizeof(a)) : "-",
            (unsigned) reason);
        push_outcome(s, p, WSP_SRV_ACT_PUSH_ABORT, reason);
    } else if (event == WSP_SE_RESULT_CNF) {
        return WSPGW_ENOENT;    /* a push has no Result */
    } else {
        push_outcome(s, p, WSP_SRV_ACT_PUSH_CNF, 0);
    }
    push_end(s, p);
    return 0;
}


int
wsp_srv_push(struct wsp_srv *s, const struct wspgw_addr *peer,
    int confirmed, const uint8_t *pdu, size_t len, uint64_t now_ms,
    uint32_t *push_id)
{
    struct wsp__sess *ss;
    struct wsp__push *p;
    struct wsp__qent *e;
    uint32_t id;

    gc(s);
    if (len < 3 || (pdu[0] != WSP_PDU_PUSH
        && pdu[0] != WSP_PDU_CONFIRMED_PUSH))
    {
        return WSPGW_EINVAL;
    }
    ss = sess_by_peer(s, peer);
    if (ss == NULL || ss->state != WSP_SS_CONNECTED) {
        return WSPGW_ENOENT;
    }
    if (!(ss->options & (confirmed ? WSP_OPT_CONFIRMED_PUSH
        : WSP_OPT_PUSH)))
    {
        return WSPGW_ENOTSUP;
    }
    if (confirmed && ss->n_pushes >= ss->pom) {
        return WSPGW_EBUSY;     /* Push-MOR (8.3.2.5) */
    }
    if (ss->client_sdu != 0 && len > ss->client_sdu) {
        return WSPGW_EMSGSIZE;
    }
    if (q_reserve(s, 1) != 0) {
        return WSPGW_ENOMEM;
    }
    p = wspgw_calloc(1, sizeof(*p) + len);
    if (p == NULL) {
        return WSPGW_ENOMEM;
    }
    do {
        id = ++s->push_counter;
    } while (id == 0 || push_by_id(s, id) != NULL);
    p->id = id;
    p->confirmed = confirmed != 0;
    p->len = len;
    memcpy(p->pdu, pdu, len);
    p->pdu[0] = confirmed ? WSP_PDU_CONFIRMED_PUSH : WSP_PDU_PUSH;
    p->txn.push = p;
    s->stats.pushes++;
    e = q_push(s, WSP_SRV_ACT_TR_INVOKE, 0);
    e->push = p;
    e->act.push_id = id;
    e->act.tcl = confirmed ? 1 : 0;
    e->act.session_id = ss->id;
    e->act.peer = ss->peer;
    touch(s, ss, now_ms);
    if (confirmed) {
        uint32_t b = bucket(s, id);

        p->sess = ss;
        p->next = ss->pushes;
        ss->pushes = p;
        ss->n_pushes++;
        p->id_next = s->push_by_id[b];
        s->push_by_id[b] = p;
        s->stats.pushes_active++;
        s->stats.session_bytes += sizeof(*p) + len;
    } else {
        /* S-Push.req: TR-Invoke.req class 0, nothing to wait for.  The
         * PDU lives on the dead list until the action was taken. */
        p->dead = 1;
        p->next = s->dead_pushes;
        s->dead_pushes = p;
    }
    *push_id = id;
    return 0;
}


int
wsp_srv_find_by_ip(const struct wsp_srv *s, const struct wspgw_addr *ip,
    int confirmed, struct wspgw_addr *peer)
{
    const struct wsp__sess *ss;
    size_t n = ip->family == WSPGW_AF_INET6 ? 16 : 4;
    int found = 0;

    /* From the tail of the idle list: most recently active first. */
    for (ss = s->lru_tail; ss != NULL; ss = ss->lru_prev) {
        if (ss->redirected || ss->state != WSP_SS_CONNECTED || !ss->bound
            || ss->peer.family != ip->family
            || memcmp(ss->peer.ip, ip->ip, n) != 0)
        {
            continue;
        }
        if (ss->options & (confirmed ? WSP_OPT_CONFIRMED_PUSH
            : WSP_OPT_PUSH))
        {
            *peer = ss->peer;
            return 0;
        }
        found = 1;
    }
    return found ? WSPGW_ENOTSUP : WSPGW_ENOENT;
}


int
wsp_srv_invoke_req_done(struct wsp_srv *s, uint32_t push_id, int rc,
    uint32_t wtp_handle, uint64_t now_ms)
{
    struct wsp__push *p;

    gc(s);
    p = push_by_id(s, push_id);
    if (p == NULL || p->started) {
        return WSPGW_ENOENT;
    }
    if (q_reserve(s, 1) != 0) {
        return WSPGW_ENOMEM;
    }
    if (rc == 0 && txn_by_handle(s, wtp_handle) != NULL) {
        return WSPGW_EINVAL;    /* the handle is some other transaction */
    }
    p->started = 1;
    if (rc != 0) {
        push_outcome(s, p, WSP_SRV_ACT_PUSH_ABORT, WSP_ABORT_NETERR);
        push_end(s, p);
        return 0;
    }
    wsp__txn_start(s, &p->txn, wtp_handle);
    if (p->sess != NULL) {
        touch(s, p->sess, now_ms);
    }
    return 0;
}


int
wsp_srv_invoke_cnf(struct wsp_srv *s, uint32_t wtp_handle, uint64_t now_ms)
{
    struct wsp__txn *t;

    gc(s);
    t = txn_by_handle(s, wtp_handle);
    if (t == NULL || t->push == NULL) {
        return WSPGW_ENOENT;
    }
    /* WSP_SE_COUNT stands for TR-Invoke.cnf, which the session table
     * has no event for (it only reaches the push machine). */
    return push_txn_event(s, t->push, WSP_SE_COUNT, 0, now_ms);
}

/* TR-Result.cnf / TR-Abort.ind: the transaction's session gets it. */
static int
on_txn_event(struct wsp_srv *s, uint32_t handle, unsigned event,
    uint8_t abort_type, uint8_t reason, uint64_t now)
{
    struct wsp__txn *t;
    struct wsp__ev ev;
    int rc;

    gc(s);
    t = txn_by_handle(s, handle);
    if (t == NULL) {
        return WSPGW_ENOENT;
    }
    if (t->push != NULL) {
        return push_txn_event(s, t->push, event, reason, now);
    }
    rc = q_reserve_event(s);
    if (rc != 0) {
        return rc;
    }
    touch(s, t->sess, now);
    ev_init(&ev, s, t->sess, handle, 2, &t->sess->peer, now);
    ev.method = t->method;
    ev.abort_type = abort_type;
    ev.reason = reason;
    wsp__session_event(&ev, event);
    return ev.rc;
}


int
wsp_srv_result_cnf(struct wsp_srv *s, uint32_t wtp_handle, uint64_t now_ms)
{
    return on_txn_event(s, wtp_handle, WSP_SE_RESULT_CNF, 0xff, 0, now_ms);
}


int
wsp_srv_abort_ind(struct wsp_srv *s, uint32_t wtp_handle,
    uint8_t abort_type, uint8_t reason, uint64_t now_ms)
{
    /* 0xff is our "not an abort" mark; WTP abort types are 3 bits. */
    return on_txn_event(s, wtp_handle, WSP_SE_ABORT_IND,
        (uint8_t) (abort_type & 0x07), reason, now_ms);
}


/*
 * Appends a 502 Reply whose text/plain body says why the real one was
 * not sent, cut so the whole PDU fits sdu octets.
 */
static int
build_oversize_reply(struct wsp_srv *s, size_t len, uint32_t sdu)
{
    static const uint8_t text_plain = 0x83;     /* Table 40: 0x03 */
    char text[160];
    size_t n, room;

    n = (size_t) snprintf(text, sizeof(text), "wspgw: the response "
        "(%zu octets) is larger than this phone accepts in one message "
        "(Client-SDU-Size %u octets)\n", len, (unsigned) sdu);
    if (n >= sizeof(text)) {
        n = sizeof(text) - 1;
    }
    /* Type, Status, HeadersLen (1 octet), ContentType: 4 octets. */
    room = sdu > 4 ? sdu - 4 : 0;
    if (n > room) {
        n = room;
    }
    return wsp_reply_encode(&s->out, 0, 0, 0x62, &text_plain, 1, NULL, 0,
        (const uint8_t *) text, n);
}


int
wsp_srv_method_reply(struct wsp_srv *s, uint32_t method_id,
    const uint8_t *reply, size_t len, uint64_t now_ms)
{
    struct wsp__method *m;
    struct wsp__sess *ss;
    struct wsp__ev ev;
    size_t start;
    int rc;

    gc(s);
    m = method_by_id(s, method_id);
    if (m == NULL) {
        return WSPGW_ENOENT;
    }
    if (len < 3 || reply[0] != WSP_PDU_REPLY) {
        return WSPGW_EINVAL;
    }
    if (m->state != WSP_MS_PROCESSING) {
        return WSPGW_EINVAL;    /* no row takes S-MethodResult.req */
    }
    rc = q_reserve_event(s);
    if (rc != 0) {
        return rc;
    }
    ss = m->sess;
    start = s->out.len;
    if (ss->client_sdu != 0 && len > ss->client_sdu
        && !(ss->options & WSP_OPT_LARGE_DATA))
    {
        rc = build_oversize_reply(s, len, ss->client_sdu);
        s->stats.oversize_replies += rc == 0;
    } else {
        rc = wspgw_buf_append(&s->out, reply, len);
        if (rc == WSPGW_EMSGSIZE) {
            rc = build_oversize_reply(s, len, (uint32_t) (OUT_MAX > UINT32_MAX
                ? UINT32_MAX : OUT_MAX));
        }
    }
    if (rc != 0) {
        wsp__buf_truncate(&s->out, start);
        return rc;
    }
    touch(s, ss, now_ms);
    ev_init(&ev, s, ss, m->txn.handle, 2, &ss->peer, now_ms);
    ev.method = m;
    ev.reply_off = start;
    ev.reply_len = s->out.len - start;
    wsp__method_event(&ev, WSP_ME_RESULT_REQ);
    return ev.rc;
}


int
wsp_srv_method_abort(struct wsp_srv *s, uint32_t method_id, uint64_t now_ms)
{
    struct wsp__method *m;
    struct wsp__ev ev;
    int rc;

    gc(s);
    m = method_by_id(s, method_id);
    if (m == NULL) {
        return WSPGW_ENOENT;
    }
    rc = q_reserve_event(s);
    if (rc != 0) {
        return rc;
    }
    ev_init(&ev, s, m->sess, m->txn.handle, 2, &m->sess->peer, now_ms);
    ev.method = m;
    wsp__method_event(&ev, WSP_ME_S_ABORT_REQ);
    return ev.rc;
}


/* ---- Timers -------------------------------------------------------------- */

void
wsp_srv_timeout(struct wsp_srv *s, uint64_t now_ms)
{
    uint64_t idle = s->cfg.idle_timeout_ms;

    gc(s);
    if (idle == 0) {
        return;
    }
    while (s->lru_head != NULL && s->lru_head->last_ms + idle <= now_ms) {
        struct wsp__sess *ss = s->lru_head;
        struct wsp__ev ev;

        if (ss->n_methods > 0) {
            touch(s, ss, now_ms);   /* a method in flight: not idle */
            continue;
        }
        if (q_reserve_event(s) != 0) {
            return;                 /* try again at the next call */
        }
        wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_WSP, "session %08x: idle for "
            "%llu ms, disconnected", (unsigned) ss->id,
            (unsigned long long) (now_ms - ss->last_ms));
        s->stats.expired++;
        ev_init(&ev, s, ss, 0, 0, &ss->peer, now_ms);
        wsp__session_event(&ev, WSP_SE_DISCONNECT);
    }
}


uint64_t
wsp_srv_next_deadline(const struct wsp_srv *s)
{
    if (s->cfg.idle_timeout_ms == 0 || s->lru_head == NULL) {
        return UINT64_MAX;
    }
    return s->lru_head->last_ms + s->cfg.idle_timeout_ms;
}


/* ---- Actions out ------------------------------------------------------ */

int
wsp_srv_next_action(struct wsp_srv *s, struct wsp_srv_action *out)
{
    gc(s);
    while (s->q_head < s->q_len) {
        struct wsp__qent *e = &s->q[s->q_head++];
        struct wsp__method *m;
        struct wsp__sess *ss;
        struct wsp__ev ev;

        if (e->act.type == WSP_SRV_ACT_FETCH && e->method == NULL) {
            continue;           /* withdrawn before it was taken */
        }
        if (e->act.type == WSP_SRV_ACT_TR_INVOKE && e->push->confirmed
            && e->push->dead)
        {
            continue;           /* aborted (and reported) before taken */
        }
        *out = e->act;
        if (e->act.type == WSP_SRV_ACT_TR_RESULT) {
            out->data = s->out.data + e->off;
        }
        if (e->act.type == WSP_SRV_ACT_TR_INVOKE) {
            out->data = e->push->pdu;
            out->len = e->push->len;
        }
        if (e->act.type != WSP_SRV_ACT_FETCH) {
            return 1;
        }
        m = e->method;
        ss = m->sess;
        m->fetch_q = 0;
        out->method_id = m->id;
        out->session_id = ss->id;
        out->peer = ss->peer;
        out->enc = ss->enc;
        out->client_sdu = (ss->options & WSP_OPT_LARGE_DATA) ? 0
            : ss->client_sdu;
        if (wsp_pdu_decode(m->req, m->req_len, 0, &out->pdu) != 0) {
            assert(!"a stored request decoded before");
        }
        out->session_headers = ss->hdrs;
        out->session_headers_len = ss->hdrs_len;
        /* The gateway took the indication: S-MethodInvoke.res. */
        ev_init(&ev, s, ss, m->txn.handle, 2, &ss->peer, 0);
        ev.method = m;
        wsp__method_event(&ev, WSP_ME_INVOKE_RES);
        return 1;
    }
    return 0;
}
