/*
 * gateway/radius_srv.c - the RADIUS accounting listener (see
 * radius_srv.h for what happens to each datagram).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/log.h"
#include "gw.h"
#include "radius.h"
#include "radius_srv.h"
#include "subs_db.h"

#define DEDUP_SLOTS 1024
#define DEDUP_MS 30000
#define STATE_SLOW_US 50000     /* a state write slower than this is logged */

struct dedup {
    struct sockaddr_storage src;
    uint64_t at_ms;
    uint8_t id;
    uint8_t used;
    uint8_t auth[GW_RADIUS_AUTH_LEN];
    uint8_t resp[GW_RADIUS_HDR_LEN];
};

struct gw_radius_srv {
    struct gw *g;
    uv_udp_t udp;
    uv_udp_t fwd;
    int fwd_open;
    int open_handles;
    /* One datagram: one octet more than the largest packet, so that an
     * oversized one is seen as such. */
    uint8_t rbuf[GW_RADIUS_MAX_LEN + 1];
    uint8_t fbuf[GW_RADIUS_MAX_LEN + 1];
    uint8_t fwd_out[GW_RADIUS_MAX_LEN];
    uint8_t fwd_auth[256][GW_RADIUS_AUTH_LEN];  /* by Identifier */
    uint8_t fwd_sent[256];
    struct gw_ratelimit rl;
    struct dedup dedup[DEDUP_SLOTS];
};


static void
addr_text(const struct sockaddr *sa, char *out, size_t outlen)
{
    char ip[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;

    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *) sa;

        inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof(ip));
        port = ntohs(s4->sin_port);
        snprintf(out, outlen, "%s:%u", ip, port);
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *) sa;

        inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof(ip));
        port = ntohs(s6->sin6_port);
        snprintf(out, outlen, "[%s]:%u", ip, port);
    } else {
        snprintf(out, outlen, "?");
    }
}


static size_t
sa_len(const struct sockaddr *sa)
{
    return sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
        : sizeof(struct sockaddr_in);
}


/* Same address family, address and port. */
static int
same_src(const struct sockaddr_storage *a, const struct sockaddr *b)
{
    if (a->ss_family != b->sa_family) {
        return 0;
    }
    return memcmp(a, b, sa_len(b)) == 0;
}


static struct dedup *
dedup_slot(struct gw_radius_srv *s, const struct sockaddr *src, uint8_t id)
{
    const uint8_t *p = (const uint8_t *) src;
    size_t i, n = sa_len(src);
    uint32_t h = 2166136261u ^ id;

    for (i = 0; i < n; i++) {
        h = (h ^ p[i]) * 16777619u;
    }
    h ^= h >> 15;
    return &s->dedup[h % DEDUP_SLOTS];
}


static void
log_drop(struct gw_radius_srv *s, const struct sockaddr *src,
    const uint8_t *buf, size_t len, const char *what, const char *why,
    size_t where)
{
    char peer[80], hex[100];
    uint64_t suppressed = 0;

    if (!gw_ratelimit_allow(&s->rl, uv_now(s->g->loop), &suppressed)) {
        return;
    }
    addr_text(src, peer, sizeof(peer));
    wspgw_hex_sample(hex, sizeof(hex), buf, len, 24);
    wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_CORE, "radius %s: %s dropped: %s "
        "(offset %zu, %zu octets: %s)%s", peer, what, why, where, len, hex,
        suppressed > 0 ? " (earlier lines suppressed)" : "");
}


static void
send_to(uv_udp_t *h, const struct sockaddr *to, const uint8_t *buf,
    size_t len)
{
    uv_buf_t b = uv_buf_init((char *) buf, (unsigned) len);

    /* A datagram of at most 4 KiB on an idle socket: try_send either
     * sends it or fails with EAGAIN, and then the peer retransmits. */
    (void) uv_udp_try_send(h, &b, 1, to);
}


static void
forward(struct gw_radius_srv *s, const uint8_t *buf, size_t len,
    const struct gw_radius_acct *a)
{
    const struct gw_config *c = s->g->cfg;
    const uint8_t *out = buf;
    size_t n = a->length;

    if (!s->fwd_open) {
        return;
    }
    if (c->radius_forward_secret[0] != '\0'
        && strcmp(c->radius_forward_secret, c->radius_secret) != 0)
    {
        int r = gw_radius_resign(buf, len, s->fwd_out, sizeof(s->fwd_out),
            c->radius_forward_secret, strlen(c->radius_forward_secret));

        if (r < 0) {
            return;
        }
        out = s->fwd_out;
        n = (size_t) r;
    }
    memcpy(s->fwd_auth[out[1]], out + 4, GW_RADIUS_AUTH_LEN);
    s->fwd_sent[out[1]] = 1;
    send_to(&s->fwd, (const struct sockaddr *) &c->radius_forward_addr, out,
        n);
    s->g->stats.radius_forwarded++;
}


/* Copies src into dst (size cap) when it fits, else writes "". */
static void
copy_bounded(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);

    if (n >= cap) {
        n = 0;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}


/*
 * The subscriber record of an accounting request, and its keys: the
 * Framed-IP-Address and the Framed-IPv6-Prefix (a dual-stack PDP context
 * or PDN connection has both, and the handset may use either).  Returns
 * the number of keys written to keys[0..1].
 */
static unsigned
make_record(const struct gw_radius_acct *a, const struct sockaddr *src,
    struct gw_subscriber *r, struct gw_subs_key keys[2])
{
    unsigned n = 0;

    memset(r, 0, sizeof(*r));
    if (a->has_framed_ip) {
        gw_subs_key_from_ip(&keys[n++], 4, a->framed_ip);
    }
    if (a->has_framed_ipv6) {
        gw_subs_key_from_prefix(&keys[n++], a->framed_ipv6,
            a->framed_ipv6_plen);
    }
    /* Too long for the table is left empty: gw_subs_apply_acct then
     * refuses it as not an MSISDN / IMSI. */
    copy_bounded(r->msisdn, sizeof(r->msisdn), a->calling_station_id);
    copy_bounded(r->imsi, sizeof(r->imsi), a->imsi);
    copy_bounded(r->session, sizeof(r->session), a->session_id);
    if (a->has_nas_ip) {
        inet_ntop(AF_INET, a->nas_ip, r->nas, sizeof(r->nas));
    } else if (src->sa_family == AF_INET) {
        inet_ntop(AF_INET, &((const struct sockaddr_in *) src)->sin_addr,
            r->nas, sizeof(r->nas));
    } else {
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *) src)->sin6_addr,
            r->nas, sizeof(r->nas));
    }
    r->updated = (int64_t) time(NULL);
    return n;
}


/*
 * Applies one record r (its key set) to the learned table and writes the
 * change through.  Returns 0 (recorded, possibly as "nothing to do"),
 * 1 (refused as invalid: nothing changed) or -1 (could not be recorded).
 */
static int
apply_one(struct gw_radius_srv *s, unsigned status,
    const struct gw_subscriber *r, const char *peer)
{
    struct gw *g = s->g;
    struct gw_enrich *e = &g->enrich;
    struct gw_subs_change chg;
    char key[GW_SUBS_KEY_TEXT_MAX], err[300], sbuf[24];
    const char *sname = gw_radius_status_name(status, sbuf, sizeof(sbuf));
    uint64_t t0;
    int rc;

    rc = gw_subs_apply_acct(e->learned, status, r, &chg);
    gw_subs_key_text(&r->key, key, sizeof(key));
    if (rc == WSPGW_EINVAL) {
        wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_CORE, "radius %s: %s for %s: "
            "%s; no mapping", peer, sname, key,
            chg.why != NULL ? chg.why : "invalid");
        return 1;
    }
    if (rc != 0) {
        wspgw_log(WSPGW_LOG_ERROR, WSPGW_SUB_CORE, "radius %s: cannot map "
            "%s: %s (max-subscribers %u); not answered", peer, key,
            wspgw_strerror(rc), g->cfg->max_subscribers);
        return -1;
    }
    if (chg.op == GW_SUBS_OP_NONE) {
        wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_CORE, "radius %s: %s for %s: "
            "%s", peer, sname, key, chg.why != NULL ? chg.why : "no change");
        return status == GW_RADIUS_STATUS_STOP ? 1 : 0;
    }
    if (chg.op == GW_SUBS_OP_CLEAR_NAS) {
        wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_CORE, "radius %s: %s from NAS "
            "%s: %u mappings cleared", peer, sname, r->nas, chg.cleared);
    } else {
        wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_CORE, "radius %s: %s: %s %s "
            "(MSISDN %s, session %s)%s", peer, sname,
            chg.op == GW_SUBS_OP_PUT ? "mapped" : "unmapped", key,
            chg.s.msisdn, chg.s.session[0] != '\0' ? chg.s.session : "-",
            chg.replaced ? ", replacing another subscriber" : "");
    }
    if (e->db == NULL) {
        return 0;
    }
    t0 = uv_hrtime();
    rc = gw_subs_db_apply(e->db, &chg, err, sizeof(err));
    t0 = (uv_hrtime() - t0) / 1000;
    g->stats.state_writes++;
    g->stats.state_write_us += t0;
    if (t0 > STATE_SLOW_US) {
        wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_DB, "state write for %s took "
            "%llu ms", key, (unsigned long long) (t0 / 1000));
    }
    if (rc != 0) {
        wspgw_log(WSPGW_LOG_ERROR, WSPGW_SUB_DB, "state %s: %s; %s not "
            "answered (the NAS will retry)", g->cfg->enrich_state, err, peer);
        return -1;
    }
    return 0;
}


/*
 * Applies the request to the learned table and the state file, once per
 * address it carries.  Returns 0 when the request was recorded (answer
 * it), -1 when not.
 */
static int
apply(struct gw_radius_srv *s, const struct gw_radius_acct *a,
    const struct sockaddr *src, const char *peer)
{
    struct gw *g = s->g;
    struct gw_subscriber r;
    struct gw_subs_key keys[2];
    char sbuf[24];
    unsigned n = make_record(a, src, &r, keys), i;
    int rc, unmapped = 0;

    switch (a->status) {
    case GW_RADIUS_STATUS_START:
        g->stats.radius_start++;
        break;
    case GW_RADIUS_STATUS_INTERIM_UPDATE:
        g->stats.radius_interim++;
        break;
    case GW_RADIUS_STATUS_STOP:
        g->stats.radius_stop++;
        break;
    case GW_RADIUS_STATUS_ACCOUNTING_ON:
    case GW_RADIUS_STATUS_ACCOUNTING_OFF:
        g->stats.radius_on_off++;
        /* About the NAS, not an address: once, whatever the keys. */
        memset(&r.key, 0, sizeof(r.key));
        rc = apply_one(s, a->status, &r, peer);
        if (rc < 0) {
            g->stats.radius_unrecorded++;
        }
        return rc < 0 ? -1 : 0;
    default:
        g->stats.radius_other++;
        return 0;       /* recorded as nothing: answered */
    }
    if (n == 0) {
        g->stats.radius_unmapped++;
        wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_CORE, "radius %s: %s without "
            "Framed-IP-Address or Framed-IPv6-Prefix; no mapping", peer,
            gw_radius_status_name(a->status, sbuf, sizeof(sbuf)));
        return 0;
    }
    for (i = 0; i < n; i++) {
        r.key = keys[i];
        rc = apply_one(s, a->status, &r, peer);
        if (rc < 0) {
            g->stats.radius_unrecorded++;
            return -1;
        }
        unmapped |= rc;
    }
    if (unmapped) {
        g->stats.radius_unmapped++;
    }
    return 0;
}


static void
on_request(struct gw_radius_srv *s, const uint8_t *buf, size_t len,
    const struct sockaddr *src)
{
    struct gw *g = s->g;
    const char *secret = g->cfg->radius_secret;
    struct gw_radius_acct a;
    struct dedup *d;
    const char *why = NULL;
    size_t where = 0;
    char peer[80];
    uint64_t now = uv_now(g->loop);
    int rc;

    rc = gw_radius_parse(buf, len, &a, &why, &where);
    if (rc != 0) {
        g->stats.radius_malformed++;
        log_drop(s, src, buf, len, "malformed request", why, where);
        return;
    }
    if (!gw_radius_verify_request(buf, len, secret, strlen(secret))) {
        g->stats.radius_bad_auth++;
        log_drop(s, src, buf, len, "request", "wrong Request Authenticator "
            "(radius-secret differs?)", 4);
        return;
    }
    addr_text(src, peer, sizeof(peer));
    d = dedup_slot(s, src, a.id);
    if (d->used && d->id == a.id && now - d->at_ms < DEDUP_MS
        && same_src(&d->src, src)
        && memcmp(d->auth, a.auth, GW_RADIUS_AUTH_LEN) == 0)
    {
        g->stats.radius_duplicates++;
        send_to(&s->udp, src, d->resp, sizeof(d->resp));
        g->stats.radius_responses++;
        wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_CORE, "radius %s: "
            "retransmission of id %u answered again", peer, a.id);
        return;
    }
    if (apply(s, &a, src, peer) != 0) {
        return;
    }
    memset(d, 0, sizeof(*d));
    memcpy(&d->src, src, sa_len(src));
    d->id = a.id;
    d->used = 1;
    d->at_ms = now;
    memcpy(d->auth, a.auth, GW_RADIUS_AUTH_LEN);
    gw_radius_response(d->resp, a.id, a.auth, secret, strlen(secret));
    send_to(&s->udp, src, d->resp, sizeof(d->resp));
    g->stats.radius_responses++;
    forward(s, buf, len, &a);
}


static void
alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    struct gw_radius_srv *s = h->data;

    if ((uv_udp_t *) h == &s->fwd) {
        *buf = uv_buf_init((char *) s->fbuf, sizeof(s->fbuf));
    } else {
        *buf = uv_buf_init((char *) s->rbuf, sizeof(s->rbuf));
    }
}


static void
recv_cb(uv_udp_t *h, ssize_t nread, const uv_buf_t *buf,
    const struct sockaddr *src, unsigned flags)
{
    struct gw_radius_srv *s = h->data;

    if (nread <= 0 || src == NULL) {
        return;
    }
    if ((size_t) nread > GW_RADIUS_MAX_LEN || (flags & UV_UDP_PARTIAL)) {
        s->g->stats.radius_malformed++;
        log_drop(s, src, (const uint8_t *) buf->base, (size_t) nread,
            "request", "longer than 4096 octets", GW_RADIUS_MAX_LEN);
        return;
    }
    on_request(s, (const uint8_t *) buf->base, (size_t) nread, src);
}


/* Answers from the radius-forward server: verified against what we sent
 * with that Identifier, counted, otherwise ignored. */
static void
fwd_recv_cb(uv_udp_t *h, ssize_t nread, const uv_buf_t *buf,
    const struct sockaddr *src, unsigned flags)
{
    struct gw_radius_srv *s = h->data;
    const struct gw_config *c = s->g->cfg;
    const char *secret = c->radius_forward_secret[0] != '\0'
        ? c->radius_forward_secret : c->radius_secret;
    const uint8_t *p = (const uint8_t *) buf->base;

    if (nread < GW_RADIUS_HDR_LEN || src == NULL
        || !same_src(&c->radius_forward_addr, src) || !s->fwd_sent[p[1]])
    {
        return;
    }
    if (gw_radius_response_ok(p, (size_t) nread, p[1], s->fwd_auth[p[1]],
        secret, strlen(secret)))
    {
        s->fwd_sent[p[1]] = 0;
        s->g->stats.radius_forward_answers++;
    }
}


static void
on_closed(uv_handle_t *h)
{
    struct gw_radius_srv *s = h->data;

    if (--s->open_handles == 0) {
        wspgw_free(s);
    }
}


void
gw_radius_srv_close(struct gw_radius_srv *s)
{
    if (s == NULL) {
        return;
    }
    if (s->open_handles == 0) {
        wspgw_free(s);
        return;
    }
    uv_close((uv_handle_t *) &s->udp, on_closed);
    if (s->fwd_open) {
        uv_close((uv_handle_t *) &s->fwd, on_closed);
    }
}


int
gw_radius_srv_open(struct gw_radius_srv **out, struct gw *g, char *err,
    size_t errlen)
{
    const struct gw_config *c = g->cfg;
    struct gw_radius_srv *s;
    struct sockaddr_storage any;
    int rc;

    *out = NULL;
    s = wspgw_calloc(1, sizeof(*s));
    if (s == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    s->g = g;
    gw_ratelimit_init(&s->rl, 10, 1000);
    rc = uv_udp_init(g->loop, &s->udp);
    if (rc != 0) {
        wspgw_free(s);
        snprintf(err, errlen, "radius-acct: %s", uv_strerror(rc));
        return -1;
    }
    s->udp.data = s;
    s->open_handles = 1;
    *out = s;
    rc = uv_udp_bind(&s->udp, (const struct sockaddr *) &c->radius_acct_addr,
        0);
    if (rc == 0) {
        rc = uv_udp_recv_start(&s->udp, alloc_cb, recv_cb);
    }
    if (rc != 0) {
        snprintf(err, errlen, "cannot listen for RADIUS accounting on UDP "
            "%s: %s", c->radius_acct, uv_strerror(rc));
        return -1;
    }
    if (c->radius_forward[0] != '\0') {
        rc = uv_udp_init(g->loop, &s->fwd);
        if (rc != 0) {
            snprintf(err, errlen, "radius-forward: %s", uv_strerror(rc));
            return -1;
        }
        s->fwd.data = s;
        s->fwd_open = 1;
        s->open_handles++;
        memset(&any, 0, sizeof(any));
        any.ss_family = c->radius_forward_addr.ss_family;
        rc = uv_udp_bind(&s->fwd, (const struct sockaddr *) &any, 0);
        if (rc == 0) {
            rc = uv_udp_recv_start(&s->fwd, alloc_cb, fwd_recv_cb);
        }
        if (rc != 0) {
            snprintf(err, errlen, "radius-forward socket: %s",
                uv_strerror(rc));
            return -1;
        }
    }
    wspgw_log(WSPGW_LOG_INFO, WSPGW_SUB_CORE, "listening for RADIUS "
        "accounting on UDP %s%s%s", c->radius_acct,
        c->radius_forward[0] != '\0' ? ", forwarding to " : "",
        c->radius_forward);
    return 0;
}
