/*
 * gateway/subs.c - the subscriber table (see subs.h for the contract).
 *
 * Each table is a chained hash on the whole key (family, prefix length,
 * masked address), FNV-1a with a per-table seed.  The bucket array
 * doubles when the entries outnumber the buckets, so chains stay short;
 * growing rehashes every entry at once (log2(n) times in a table's
 * life).  Measured by tests/unit/gateway/test_subs.c (test_timing_million,
 * CPU time on the shared 2-CPU build machine, load ~17): a million
 * inserts, every rehash included, 3.1 s; a lookup in the million-entry
 * table 0.55 us, dominated by two cache misses (bucket, node).  Per
 * family, a count of entries per prefix length tells lookup which
 * lengths to probe, longest first.
 *
 * Invariants:
 *   - t->n <= t->max; t->nbuckets is a power of two;
 *   - t->plens[f][l] is the number of entries of family f with plen l;
 *   - keys are canonical (gw_subs_key_*): bits past plen are zero, the
 *     unused octets of an IPv4 key are zero, so memcmp compares keys.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "radius.h"
#include "subs.h"

#define INITIAL_BUCKETS 64

struct node {
    struct node *next;
    struct gw_subscriber s;
};

struct gw_subs_tab {
    struct node **buckets;
    unsigned nbuckets;
    unsigned n;
    unsigned max;
    uint32_t seed;
    unsigned plens[2][129];         /* [0] IPv4, [1] IPv6 */
};


static uint32_t
key_hash(const struct gw_subs_key *k, uint32_t seed)
{
    uint32_t h = 2166136261u ^ seed;
    unsigned i;

    h = (h ^ k->family) * 16777619u;
    h = (h ^ k->plen) * 16777619u;
    for (i = 0; i < 16; i++) {
        h = (h ^ k->ip[i]) * 16777619u;
    }
    /* FNV's multiply only carries upwards, and the bucket index takes the
     * low bits: finish with MurmurHash3's fmix32 so that every input bit
     * reaches them (without it, a /16 of consecutive addresses piles
     * into a few buckets). */
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}


static int
key_eq(const struct gw_subs_key *a, const struct gw_subs_key *b)
{
    return a->family == b->family && a->plen == b->plen
        && memcmp(a->ip, b->ip, 16) == 0;
}


struct gw_subs_tab *
gw_subs_tab_new(unsigned max, uint32_t seed)
{
    struct gw_subs_tab *t = wspgw_calloc(1, sizeof(*t));

    if (t == NULL) {
        return NULL;
    }
    t->buckets = wspgw_calloc(INITIAL_BUCKETS, sizeof(*t->buckets));
    if (t->buckets == NULL) {
        wspgw_free(t);
        return NULL;
    }
    t->nbuckets = INITIAL_BUCKETS;
    t->max = max > 0 ? max : 1;
    t->seed = seed;
    return t;
}


void
gw_subs_tab_free(struct gw_subs_tab *t)
{
    unsigned i;

    if (t == NULL) {
        return;
    }
    for (i = 0; i < t->nbuckets; i++) {
        struct node *n = t->buckets[i];

        while (n != NULL) {
            struct node *next = n->next;

            wspgw_free(n);
            n = next;
        }
    }
    wspgw_free(t->buckets);
    wspgw_free(t);
}


unsigned
gw_subs_tab_count(const struct gw_subs_tab *t)
{
    return t != NULL ? t->n : 0;
}


static struct node **
find_slot(const struct gw_subs_tab *t, const struct gw_subs_key *k)
{
    struct node **pp = &t->buckets[key_hash(k, t->seed) & (t->nbuckets - 1)];

    while (*pp != NULL && !key_eq(&(*pp)->s.key, k)) {
        pp = &(*pp)->next;
    }
    return pp;
}


/* Doubles the bucket array; on out-of-memory the table stays as it is
 * (longer chains, still correct). */
static void
grow(struct gw_subs_tab *t)
{
    unsigned nb = t->nbuckets * 2, i;
    struct node **b;

    if (nb < t->nbuckets) {
        return;
    }
    b = wspgw_calloc(nb, sizeof(*b));
    if (b == NULL) {
        return;
    }
    for (i = 0; i < t->nbuckets; i++) {
        struct node *n = t->buckets[i];

        while (n != NULL) {
            struct node *next = n->next;
            uint32_t h = key_hash(&n->s.key, t->seed) & (nb - 1);

            n->next = b[h];
            b[h] = n;
            n = next;
        }
    }
    wspgw_free(t->buckets);
    t->buckets = b;
    t->nbuckets = nb;
}


static unsigned *
plen_count(struct gw_subs_tab *t, const struct gw_subs_key *k)
{
    return &t->plens[k->family == 6 ? 1 : 0][k->plen];
}


int
gw_subs_tab_put(struct gw_subs_tab *t, const struct gw_subscriber *s,
    struct gw_subscriber *old, int *replaced)
{
    struct node **pp = find_slot(t, &s->key);
    struct node *n;

    if (replaced != NULL) {
        *replaced = 0;
    }
    if (*pp != NULL) {
        if (old != NULL) {
            *old = (*pp)->s;
        }
        if (replaced != NULL) {
            *replaced = 1;
        }
        (*pp)->s = *s;
        return 0;
    }
    if (t->n >= t->max) {
        return WSPGW_ENOSPC;
    }
    n = wspgw_malloc(sizeof(*n));
    if (n == NULL) {
        return WSPGW_ENOMEM;
    }
    n->s = *s;
    n->next = NULL;
    *pp = n;
    t->n++;
    (*plen_count(t, &s->key))++;
    if (t->n > t->nbuckets) {
        grow(t);
    }
    return 0;
}


int
gw_subs_tab_del(struct gw_subs_tab *t, const struct gw_subs_key *k,
    struct gw_subscriber *old)
{
    struct node **pp = find_slot(t, k);
    struct node *n = *pp;

    if (n == NULL) {
        return WSPGW_ENOENT;
    }
    if (old != NULL) {
        *old = n->s;
    }
    *pp = n->next;
    (*plen_count(t, &n->s.key))--;
    t->n--;
    wspgw_free(n);
    return 0;
}


const struct gw_subscriber *
gw_subs_tab_get(const struct gw_subs_tab *t, const struct gw_subs_key *k)
{
    struct node **pp = find_slot(t, k);

    return *pp != NULL ? &(*pp)->s : NULL;
}


/* Clears the bits of ip past plen (ip has 4 or 16 octets). */
static void
mask_ip(uint8_t *ip, unsigned octets, unsigned plen)
{
    unsigned i;

    for (i = 0; i < octets; i++) {
        unsigned bit = i * 8;

        if (bit >= plen) {
            ip[i] = 0;
        } else if (plen - bit < 8) {
            ip[i] &= (uint8_t) (0xff << (8 - (plen - bit)));
        }
    }
}


const struct gw_subscriber *
gw_subs_tab_lookup(const struct gw_subs_tab *t, int family, const uint8_t *ip)
{
    struct gw_subs_key k;
    unsigned octets = family == 6 ? 16 : 4, bits = octets * 8;
    const unsigned *counts = t->plens[family == 6 ? 1 : 0];
    int l;

    if (t->n == 0) {
        return NULL;
    }
    for (l = (int) bits; l >= 0; l--) {
        const struct gw_subscriber *s;

        if (counts[l] == 0) {
            continue;
        }
        memset(&k, 0, sizeof(k));
        k.family = (uint8_t) family;
        k.plen = (uint8_t) l;
        memcpy(k.ip, ip, octets);
        mask_ip(k.ip, octets, (unsigned) l);
        s = gw_subs_tab_get(t, &k);
        if (s != NULL) {
            return s;
        }
    }
    return NULL;
}


void
gw_subs_tab_foreach(const struct gw_subs_tab *t,
    void (*fn)(void *ctx, const struct gw_subscriber *s), void *ctx)
{
    unsigned i;

    for (i = 0; i < t->nbuckets; i++) {
        const struct node *n;

        for (n = t->buckets[i]; n != NULL; n = n->next) {
            fn(ctx, &n->s);
        }
    }
}


unsigned
gw_subs_tab_clear_nas(struct gw_subs_tab *t, const char *nas)
{
    unsigned i, gone = 0;

    for (i = 0; i < t->nbuckets; i++) {
        struct node **pp = &t->buckets[i];

        while (*pp != NULL) {
            struct node *n = *pp;

            if (nas == NULL || strcmp(n->s.nas, nas) == 0) {
                *pp = n->next;
                (*plen_count(t, &n->s.key))--;
                t->n--;
                wspgw_free(n);
                gone++;
            } else {
                pp = &n->next;
            }
        }
    }
    return gone;
}


/* ---- Keys and values ---------------------------------------------------- */


void
gw_subs_key_from_ip(struct gw_subs_key *k, int family, const uint8_t *ip)
{
    static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0xff, 0xff };

    memset(k, 0, sizeof(*k));
    if (family == 6 && memcmp(ip, mapped, sizeof(mapped)) == 0) {
        k->family = 4;
        k->plen = 32;
        memcpy(k->ip, ip + 12, 4);
        return;
    }
    k->family = (uint8_t) (family == 6 ? 6 : 4);
    k->plen = (uint8_t) (family == 6 ? 128 : 32);
    memcpy(k->ip, ip, family == 6 ? 16 : 4);
}


void
gw_subs_key_from_prefix(struct gw_subs_key *k, const uint8_t ip[16],
    unsigned plen)
{
    memset(k, 0, sizeof(*k));
    k->family = 6;
    k->plen = (uint8_t) (plen > 128 ? 128 : plen);
    memcpy(k->ip, ip, 16);
    mask_ip(k->ip, 16, k->plen);
}


int
gw_subs_key_parse(const char *text, struct gw_subs_key *k)
{
    char addr[GW_SUBS_KEY_TEXT_MAX];
    const char *slash = strchr(text, '/');
    size_t n = slash != NULL ? (size_t) (slash - text) : strlen(text);
    unsigned long plen = 0;
    uint8_t ip[16], masked[16];
    int family;

    if (n == 0 || n >= sizeof(addr)) {
        return WSPGW_EINVAL;
    }
    memcpy(addr, text, n);
    addr[n] = '\0';
    memset(ip, 0, sizeof(ip));
    if (inet_pton(AF_INET, addr, ip) == 1) {
        family = 4;
    } else if (inet_pton(AF_INET6, addr, ip) == 1) {
        family = 6;
    } else {
        return WSPGW_EINVAL;
    }
    if (slash != NULL) {
        char *end;
        const char *p = slash + 1;

        if (*p < '0' || *p > '9' || strlen(p) > 3) {
            return WSPGW_EINVAL;
        }
        errno = 0;
        plen = strtoul(p, &end, 10);
        if (errno != 0 || *end != '\0'
            || plen > (family == 6 ? 128UL : 32UL))
        {
            return WSPGW_EINVAL;
        }
        memcpy(masked, ip, sizeof(masked));
        mask_ip(masked, family == 6 ? 16 : 4, (unsigned) plen);
        if (memcmp(masked, ip, sizeof(ip)) != 0) {
            return WSPGW_EINVAL;    /* host bits set: a typo, say so */
        }
        memset(k, 0, sizeof(*k));
        k->family = (uint8_t) family;
        k->plen = (uint8_t) plen;
        memcpy(k->ip, ip, 16);
        return 0;
    }
    gw_subs_key_from_ip(k, family, ip);
    return 0;
}


void
gw_subs_key_text(const struct gw_subs_key *k, char *out, size_t outlen)
{
    char a[INET6_ADDRSTRLEN];
    int host = k->plen == (k->family == 6 ? 128 : 32);

    if (inet_ntop(k->family == 6 ? AF_INET6 : AF_INET, k->ip, a,
        sizeof(a)) == NULL)
    {
        snprintf(a, sizeof(a), "?");
    }
    if (host) {
        snprintf(out, outlen, "%s", a);
    } else {
        snprintf(out, outlen, "%s/%u", a, k->plen);
    }
}


static int
all_digits(const char *s, size_t lo, size_t hi)
{
    size_t n = strlen(s), i;

    if (n < lo || n > hi) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    return 1;
}


int
gw_subs_msisdn_ok(const char *s)
{
    return all_digits(s[0] == '+' ? s + 1 : s, 1, 20);
}


int
gw_subs_imsi_ok(const char *s)
{
    return all_digits(s, 6, GW_SUBS_IMSI_MAX);
}


/* ---- The static map ------------------------------------------------------ */


/* Copies field [start, end) trimmed of blanks into out (cap octets with
 * the NUL).  Returns 0 or -1 when it does not fit. */
static int
field(const char *start, const char *end, char *out, size_t cap)
{
    size_t n;

    while (start < end && (*start == ' ' || *start == '\t')) {
        start++;
    }
    while (end > start && (end[-1] == ' ' || end[-1] == '\t'
        || end[-1] == '\r' || end[-1] == '\n'))
    {
        end--;
    }
    n = (size_t) (end - start);
    if (n >= cap) {
        return -1;
    }
    memcpy(out, start, n);
    out[n] = '\0';
    return 0;
}


int
gw_subs_csv_line(const char *line, struct gw_subscriber *out,
    const char **why)
{
    const char *c1 = strchr(line, ','), *c2, *end = line + strlen(line);
    char ip[GW_SUBS_KEY_TEXT_MAX];

    memset(out, 0, sizeof(*out));
    out->source = GW_SUBS_SRC_MAP;
    if (c1 == NULL) {
        *why = "want ip,msisdn,imsi";
        return WSPGW_EINVAL;
    }
    c2 = strchr(c1 + 1, ',');
    if (c2 != NULL && strchr(c2 + 1, ',') != NULL) {
        *why = "more than three fields";
        return WSPGW_EINVAL;
    }
    if (field(line, c1, ip, sizeof(ip)) != 0
        || gw_subs_key_parse(ip, &out->key) != 0)
    {
        *why = "bad IP address or prefix";
        return WSPGW_EINVAL;
    }
    if (field(c1 + 1, c2 != NULL ? c2 : end, out->msisdn,
            sizeof(out->msisdn)) != 0 || !gw_subs_msisdn_ok(out->msisdn))
    {
        *why = "bad MSISDN (want an optional + and 1-20 digits)";
        return WSPGW_EINVAL;
    }
    if (c2 != NULL && (field(c2 + 1, end, out->imsi, sizeof(out->imsi)) != 0
        || (out->imsi[0] != '\0' && !gw_subs_imsi_ok(out->imsi))))
    {
        *why = "bad IMSI (want 6-15 digits, or nothing)";
        return WSPGW_EINVAL;
    }
    return 0;
}


/* Whether a line is blank or a comment. */
static int
skip_line(const char *s)
{
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    return *s == '\0' || *s == '\n' || *s == '\r' || *s == '#' || *s == ';';
}


static int
is_header(const char *s)
{
    char h[32];

    if (field(s, s + strlen(s), h, sizeof(h)) != 0) {
        return 0;
    }
    return strcasecmp(h, "ip,msisdn,imsi") == 0;
}


int
gw_subs_load_csv(const char *path, unsigned max, uint32_t seed, int64_t now,
    struct gw_subs_tab **out, char *err, size_t errlen)
{
    FILE *fp;
    struct gw_subs_tab *t;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned lineno = 0, data_lines = 0;
    int rc = 0;

    *out = NULL;
    fp = fopen(path, "r");
    if (fp == NULL) {
        snprintf(err, errlen, "%s:0: cannot open: %s", path, strerror(errno));
        return -1;
    }
    t = gw_subs_tab_new(max, seed);
    if (t == NULL) {
        fclose(fp);
        return WSPGW_ENOMEM;
    }
    for (;;) {
        struct gw_subscriber s;
        const char *why = NULL;
        int r;

        len = getline(&line, &cap, fp);
        if (len < 0) {
            break;
        }
        lineno++;
        if ((size_t) len > GW_SUBS_CSV_LINE_MAX) {
            snprintf(err, errlen, "%s:%u: line longer than %d characters",
                path, lineno, GW_SUBS_CSV_LINE_MAX);
            rc = -1;
            break;
        }
        if (memchr(line, '\0', (size_t) len) != NULL) {
            snprintf(err, errlen, "%s:%u: NUL character", path, lineno);
            rc = -1;
            break;
        }
        if (skip_line(line)) {
            continue;
        }
        data_lines++;
        if (data_lines == 1 && is_header(line)) {
            continue;
        }
        if (gw_subs_csv_line(line, &s, &why) != 0) {
            snprintf(err, errlen, "%s:%u: %s", path, lineno, why);
            rc = -1;
            break;
        }
        if (gw_subs_tab_get(t, &s.key) != NULL) {
            char k[GW_SUBS_KEY_TEXT_MAX];

            gw_subs_key_text(&s.key, k, sizeof(k));
            snprintf(err, errlen, "%s:%u: %s is listed twice", path, lineno,
                k);
            rc = -1;
            break;
        }
        s.updated = now;
        r = gw_subs_tab_put(t, &s, NULL, NULL);
        if (r == WSPGW_ENOSPC) {
            snprintf(err, errlen, "%s:%u: more than %u entries "
                "([enrichment] max-subscribers)", path, lineno, max);
            rc = -1;
            break;
        }
        if (r != 0) {
            rc = r;
            break;
        }
    }
    if (rc == 0 && ferror(fp)) {
        snprintf(err, errlen, "%s:%u: read error", path, lineno);
        rc = -1;
    }
    free(line);
    fclose(fp);
    if (rc != 0) {
        gw_subs_tab_free(t);
        return rc;
    }
    *out = t;
    return 0;
}


/* ---- Applying RADIUS accounting ------------------------------------------ */


/* Whether a Stop for s is about the entry cur (see gw_subs_apply_acct). */
static int
same_session(const struct gw_subscriber *cur, const struct gw_subscriber *s)
{
    if (cur->session[0] != '\0' && s->session[0] != '\0') {
        return strcmp(cur->session, s->session) == 0;
    }
    return strcmp(cur->msisdn, s->msisdn) == 0;
}


int
gw_subs_apply_acct(struct gw_subs_tab *t, unsigned status,
    const struct gw_subscriber *s, struct gw_subs_change *chg)
{
    const struct gw_subscriber *cur;
    struct gw_subscriber old;
    int rc, replaced = 0;

    memset(chg, 0, sizeof(*chg));
    chg->op = GW_SUBS_OP_NONE;
    chg->s = *s;
    chg->s.source = GW_SUBS_SRC_RADIUS;
    switch (status) {
    case GW_RADIUS_STATUS_ACCOUNTING_ON:
    case GW_RADIUS_STATUS_ACCOUNTING_OFF:
        chg->cleared = gw_subs_tab_clear_nas(t, s->nas);
        chg->op = GW_SUBS_OP_CLEAR_NAS;
        return 0;
    case GW_RADIUS_STATUS_START:
    case GW_RADIUS_STATUS_INTERIM_UPDATE:
        if (!gw_subs_msisdn_ok(s->msisdn)) {
            chg->why = "no usable MSISDN (Calling-Station-Id)";
            return WSPGW_EINVAL;
        }
        if (s->imsi[0] != '\0' && !gw_subs_imsi_ok(s->imsi)) {
            chg->why = "bad 3GPP-IMSI";
            return WSPGW_EINVAL;
        }
        cur = gw_subs_tab_get(t, &s->key);
        if (cur != NULL && strcmp(cur->msisdn, s->msisdn) == 0
            && strcmp(cur->imsi, s->imsi) == 0
            && strcmp(cur->session, s->session) == 0
            && strcmp(cur->nas, s->nas) == 0
            && cur->updated == s->updated)
        {
            chg->why = "unchanged";
            return 0;
        }
        rc = gw_subs_tab_put(t, &chg->s, &old, &replaced);
        if (rc != 0) {
            chg->why = "table full";
            return rc;
        }
        chg->op = GW_SUBS_OP_PUT;
        chg->replaced = replaced && strcmp(old.msisdn, s->msisdn) != 0;
        return 0;
    case GW_RADIUS_STATUS_STOP:
        cur = gw_subs_tab_get(t, &s->key);
        if (cur == NULL) {
            chg->why = "no mapping for this address";
            return 0;
        }
        if (!same_session(cur, s)) {
            chg->why = "the address belongs to another session now";
            return 0;
        }
        (void) gw_subs_tab_del(t, &s->key, &chg->s);
        chg->op = GW_SUBS_OP_DEL;
        return 0;
    default:
        chg->why = "Acct-Status-Type not handled";
        return WSPGW_EINVAL;
    }
}


/* ---- Both layers ----------------------------------------------------- */


const struct gw_subscriber *
gw_subs_lookup(const struct gw_subs_tab *learned, const struct gw_subs_tab *map,
    const struct sockaddr *sa)
{
    struct gw_subs_key k;
    const struct gw_subscriber *s = NULL;

    if (sa->sa_family == AF_INET) {
        gw_subs_key_from_ip(&k, 4,
            (const uint8_t *) &((const struct sockaddr_in *) sa)->sin_addr);
    } else if (sa->sa_family == AF_INET6) {
        gw_subs_key_from_ip(&k, 6,
            (const uint8_t *) &((const struct sockaddr_in6 *) sa)->sin6_addr);
    } else {
        return NULL;
    }
    if (learned != NULL) {
        s = gw_subs_tab_lookup(learned, k.family, k.ip);
    }
    if (s == NULL && map != NULL) {
        s = gw_subs_tab_lookup(map, k.family, k.ip);
    }
    return s;
}
