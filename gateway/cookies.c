/*
 * gateway/cookies.c - the per-session cookie jar (see cookies.h).
 *
 * Spec: RFC 6265 5.1.1 (cookie dates), 5.1.3 (domain matching), 5.1.4
 * (paths), 5.2 (Set-Cookie syntax as user agents parse it: lenient),
 * 5.3 (storage model), 5.4 (the Cookie header); RFC 6265bis for Secure
 * from insecure origins and the 1024-octet attribute cap.
 *
 * Not done, on purpose: a public suffix list (single-label Domain
 * attributes are refused instead), SameSite (a gateway has no notion
 * of a site: every request is the handset's own navigation), cookie
 * prefixes (__Host-, __Secure-), RFC 2965 Set-Cookie2 (obsolete, RFC
 * 6265 made it historic), ports (RFC 6265 8.5: cookies ignore them).
 *
 * Invariants:
 *   - j->n <= lim.max_cookies and j->bytes <= lim.max_bytes after every
 *     call; every cookie has a non-empty name, no control characters in
 *     name or value, name + value <= lim.max_cookie.
 *   - No two cookies share (name, domain, path).
 *   - Strings are parsed with explicit lengths; nothing reads past the
 *     terminating NUL of an input.
 *
 * Storage: a singly linked list, one allocation per cookie (struct plus
 * its four strings).  Jars are small (tens of cookies), so the linear
 * scans cost less than an index would.
 *
 * Tests: tests/unit/gateway/test_cookies.c.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "cookies.h"

#define HOST_MAX 255
#define EXPIRES_NEVER INT64_MAX
/* Dates before 1601 are refused by 5.1.1; after 9999 clamp. */
#define YEAR_MIN 1601
#define YEAR_MAX 9999

struct cookie {
    struct cookie *next;
    const char *name, *value, *domain, *path;   /* into data[] */
    size_t name_len, value_len, domain_len, path_len;
    int64_t expires;            /* EXPIRES_NEVER: until the jar dies */
    uint64_t created;           /* order of first creation (5.3 step 11) */
    uint64_t set;               /* order of the last set: eviction */
    unsigned host_only : 1;
    unsigned secure : 1;
    unsigned http_only : 1;
    char data[];
};

struct gw_cookie_jar {
    struct gw_cookie_limits lim;
    struct cookie *head;
    unsigned n;
    size_t bytes;
    uint64_t seq;
};

/* A request URL split for cookie purposes (views into the URL). */
struct url_view {
    int secure;
    int is_ip;
    char host[HOST_MAX + 1];    /* lower case, no brackets, no port */
    size_t host_len;
    const char *path;           /* "/..." without query or fragment */
    size_t path_len;
};

/* A parsed Set-Cookie (views into the header value). */
struct set_view {
    const char *name, *value;
    size_t name_len, value_len;
    const char *domain, *path;  /* NULL: attribute absent */
    size_t domain_len, path_len;
    int has_max_age, has_expires;
    int64_t max_age;            /* delta-seconds, <= 0: expire now */
    int64_t expires;
    int secure, http_only;
};


/* ---- Small helpers ----------------------------------------------------- */

static int
is_wsp(char c)
{
    return c == ' ' || c == '\t';
}


static int
is_ctl(unsigned char c)
{
    return c < 0x20 || c == 0x7f;
}


static int
is_digit(char c)
{
    return c >= '0' && c <= '9';
}


static char
lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char) (c - 'A' + 'a') : c;
}


/* Trims blanks from both ends of (*p, *len). */
static void
trim(const char **p, size_t *len)
{
    while (*len > 0 && is_wsp(**p)) {
        (*p)++;
        (*len)--;
    }
    while (*len > 0 && is_wsp((*p)[*len - 1])) {
        (*len)--;
    }
}


static int
eq_nocase(const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b);

    return alen == blen && strncasecmp(a, b, alen) == 0;
}


/* ---- URLs -------------------------------------------------------------- */

/*
 * Splits an absolute http(s) URL: scheme, host (lower-cased, brackets
 * and port dropped, userinfo skipped), path (up to '?' or '#'; "" when
 * absent).  0 or WSPGW_EINVAL.
 */
static int
url_split(const char *url, struct url_view *u)
{
    const char *p = url, *auth, *auth_end, *h, *h_end, *at;
    size_t i, n;
    int only_digits_dots = 1;

    memset(u, 0, sizeof(*u));
    if (strncasecmp(p, "http://", 7) == 0) {
        p += 7;
    } else if (strncasecmp(p, "https://", 8) == 0) {
        p += 8;
        u->secure = 1;
    } else {
        return WSPGW_EINVAL;
    }
    auth = p;
    auth_end = auth + strcspn(auth, "/?#");
    at = NULL;
    for (h = auth; h < auth_end; h++) {
        if (*h == '@') {
            at = h;
        }
    }
    h = at != NULL ? at + 1 : auth;
    if (h < auth_end && *h == '[') {
        h++;
        h_end = memchr(h, ']', (size_t) (auth_end - h));
        if (h_end == NULL) {
            return WSPGW_EINVAL;
        }
        u->is_ip = 1;
    } else {
        h_end = memchr(h, ':', (size_t) (auth_end - h));
        if (h_end == NULL) {
            h_end = auth_end;
        }
    }
    n = (size_t) (h_end - h);
    if (n > 0 && h[n - 1] == '.' && !u->is_ip) {
        n--;                    /* "example.com." is example.com */
    }
    if (n == 0 || n > HOST_MAX) {
        return WSPGW_EINVAL;
    }
    for (i = 0; i < n; i++) {
        char c = lower(h[i]);

        if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '-' || c == '.'
                || c == '_' || (u->is_ip && c == ':')))
        {
            return WSPGW_EINVAL;
        }
        if (!is_digit(c) && c != '.') {
            only_digits_dots = 0;
        }
        u->host[i] = c;
    }
    u->host[n] = '\0';
    u->host_len = n;
    if (only_digits_dots) {
        u->is_ip = 1;           /* IPv4 literal: no domain matching */
    }
    u->path = auth_end;
    u->path_len = strcspn(auth_end, "?#");
    return 0;
}


/* RFC 6265 5.1.4: the default-path of a request path. */
static void
default_path(const struct url_view *u, const char **p, size_t *len)
{
    size_t i, last = 0;

    if (u->path_len == 0 || u->path[0] != '/') {
        *p = "/";
        *len = 1;
        return;
    }
    for (i = 0; i < u->path_len; i++) {
        if (u->path[i] == '/') {
            last = i;
        }
    }
    if (last == 0) {
        *p = "/";
        *len = 1;
        return;
    }
    *p = u->path;
    *len = last;
}


/* RFC 6265 5.1.4 path-match of a request path and a cookie path. */
static int
path_match(const char *req, size_t req_len, const char *cp, size_t cp_len)
{
    if (req_len == 0) {
        req = "/";
        req_len = 1;
    }
    if (cp_len > req_len || memcmp(req, cp, cp_len) != 0) {
        return 0;
    }
    return cp_len == req_len || cp[cp_len - 1] == '/' || req[cp_len] == '/';
}


/* RFC 6265 5.1.3 domain-match (both lower case). */
static int
domain_match(const struct url_view *u, const char *d, size_t dlen)
{
    if (dlen == u->host_len && memcmp(u->host, d, dlen) == 0) {
        return 1;
    }
    return !u->is_ip && dlen < u->host_len
        && memcmp(u->host + u->host_len - dlen, d, dlen) == 0
        && u->host[u->host_len - dlen - 1] == '.';
}


int
gw_cookie_same_host(const char *url_a, const char *url_b)
{
    struct url_view a, b;

    if (url_split(url_a, &a) != 0 || url_split(url_b, &b) != 0) {
        return 0;
    }
    return a.host_len == b.host_len && memcmp(a.host, b.host, a.host_len)
        == 0;
}


/* ---- Dates (RFC 6265 5.1.1) ---------------------------------------------- */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's
 * days_from_civil arithmetic). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned) (y - era * 400);
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t) doe - 719468;
}


static unsigned
days_in_month(int64_t y, unsigned m)
{
    static const unsigned dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
        31, 30, 31 };

    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) {
        return 29;
    }
    return dim[m - 1];
}


static int
is_date_delim(unsigned char c)
{
    return c == 0x09 || (c >= 0x20 && c <= 0x2f) || (c >= 0x3b && c <= 0x40)
        || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
}


/* 1*max DIGIT at t (token of length n) followed by nothing or a
 * non-digit; the value in *v.  Returns the digits used, 0 if none. */
static size_t
take_digits(const char *t, size_t n, size_t min, size_t max, unsigned *v)
{
    size_t i = 0;

    *v = 0;
    while (i < n && i < max && is_digit(t[i])) {
        *v = *v * 10 + (unsigned) (t[i] - '0');
        i++;
    }
    if (i < min || (i < n && is_digit(t[i]))) {
        return 0;
    }
    return i;
}


/* time = hms-time ( non-digit *OCTET ); hms-time = 1*2DIGIT ":" 1*2DIGIT
 * ":" 1*2DIGIT. */
static int
date_time(const char *t, size_t n, unsigned *h, unsigned *mi, unsigned *s)
{
    size_t k, off = 0;

    k = take_digits(t, n, 1, 2, h);
    if (k == 0 || k >= n || t[k] != ':') {
        return 0;
    }
    off = k + 1;
    k = take_digits(t + off, n - off, 1, 2, mi);
    if (k == 0 || off + k >= n || t[off + k] != ':') {
        return 0;
    }
    off += k + 1;
    k = take_digits(t + off, n - off, 1, 2, s);
    return k != 0;
}


int
gw_cookie_parse_date(const char *s, size_t len, int64_t *out)
{
    static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
    unsigned hour = 0, min = 0, sec = 0, dom = 0, month = 0, year = 0, v;
    int f_time = 0, f_dom = 0, f_month = 0, f_year = 0;
    size_t i = 0, start, n, m;

    while (i < len) {
        while (i < len && is_date_delim((unsigned char) s[i])) {
            i++;
        }
        start = i;
        while (i < len && !is_date_delim((unsigned char) s[i])) {
            i++;
        }
        n = i - start;
        if (n == 0) {
            continue;
        }
        if (!f_time && date_time(s + start, n, &hour, &min, &sec)) {
            f_time = 1;
        } else if (!f_dom && take_digits(s + start, n, 1, 2, &v) != 0) {
            f_dom = 1;
            dom = v;
        } else if (!f_month && n >= 3) {
            for (m = 0; m < 12; m++) {
                if (lower(s[start]) == months[3 * m]
                    && lower(s[start + 1]) == months[3 * m + 1]
                    && lower(s[start + 2]) == months[3 * m + 2])
                {
                    break;
                }
            }
            if (m < 12) {
                f_month = 1;
                month = (unsigned) m + 1;
            } else if (!f_year && take_digits(s + start, n, 2, 4, &v) != 0)
            {
                f_year = 1;
                year = v;
            }
        } else if (!f_year && take_digits(s + start, n, 2, 4, &v) != 0) {
            f_year = 1;
            year = v;
        }
    }
    if (!f_time || !f_dom || !f_month || !f_year) {
        return WSPGW_EINVAL;
    }
    if (year >= 70 && year <= 99) {
        year += 1900;
    } else if (year <= 69) {
        year += 2000;
    }
    if (year < YEAR_MIN || year > YEAR_MAX || dom < 1
        || dom > days_in_month(year, month) || hour > 23 || min > 59
        || sec > 59)
    {
        return WSPGW_EINVAL;
    }
    *out = days_from_civil(year, month, dom) * 86400 + (int64_t) hour * 3600
        + (int64_t) min * 60 + sec;
    return 0;
}


/* ---- Set-Cookie (RFC 6265 5.2) ------------------------------------------- */

/* Max-Age: "-"? 1*DIGIT; 0 or WSPGW_EINVAL (attribute ignored). */
static int
parse_max_age(const char *v, size_t n, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    int64_t x = 0;

    if (n > 0 && v[0] == '-') {
        neg = 1;
        i = 1;
    }
    if (i >= n) {
        return WSPGW_EINVAL;
    }
    for (; i < n; i++) {
        if (!is_digit(v[i])) {
            return WSPGW_EINVAL;
        }
        if (x < INT64_MAX / 20) {
            x = x * 10 + (v[i] - '0');
        }
    }
    *out = neg ? -x : x;
    return 0;
}


static int
parse_set_cookie(const char *s, struct set_view *c)
{
    const char *end = s + strlen(s), *semi, *eq, *a, *v;
    size_t alen, vlen, i;

    memset(c, 0, sizeof(*c));
    semi = memchr(s, ';', (size_t) (end - s));
    if (semi == NULL) {
        semi = end;
    }
    eq = memchr(s, '=', (size_t) (semi - s));
    if (eq == NULL) {
        return WSPGW_EINVAL;    /* 5.2 step 2: ignore the whole header */
    }
    c->name = s;
    c->name_len = (size_t) (eq - s);
    c->value = eq + 1;
    c->value_len = (size_t) (semi - eq - 1);
    trim(&c->name, &c->name_len);
    trim(&c->value, &c->value_len);
    if (c->name_len == 0) {
        return WSPGW_EINVAL;
    }
    for (i = 0; i < c->name_len; i++) {
        if (is_ctl((unsigned char) c->name[i])) {
            return WSPGW_EINVAL;
        }
    }
    for (i = 0; i < c->value_len; i++) {
        if (is_ctl((unsigned char) c->value[i])) {
            return WSPGW_EINVAL;
        }
    }
    while (semi < end) {
        a = semi + 1;
        semi = memchr(a, ';', (size_t) (end - a));
        if (semi == NULL) {
            semi = end;
        }
        eq = memchr(a, '=', (size_t) (semi - a));
        if (eq != NULL) {
            alen = (size_t) (eq - a);
            v = eq + 1;
            vlen = (size_t) (semi - v);
        } else {
            alen = (size_t) (semi - a);
            v = semi;
            vlen = 0;
        }
        trim(&a, &alen);
        trim(&v, &vlen);
        if (vlen > GW_COOKIE_MAX_ATTR) {
            continue;
        }
        if (eq_nocase(a, alen, "expires")) {
            int64_t t;

            if (gw_cookie_parse_date(v, vlen, &t) == 0) {
                c->has_expires = 1;
                c->expires = t;
            }
        } else if (eq_nocase(a, alen, "max-age")) {
            int64_t d;

            if (parse_max_age(v, vlen, &d) == 0) {
                c->has_max_age = 1;
                c->max_age = d;
            }
        } else if (eq_nocase(a, alen, "domain")) {
            if (vlen > 0 && v[0] == '.') {
                v++;
                vlen--;
            }
            /* An empty Domain is ignored (5.2.3), the last one wins. */
            if (vlen > 0) {
                c->domain = v;
                c->domain_len = vlen;
            }
        } else if (eq_nocase(a, alen, "path")) {
            if (vlen > 0 && v[0] == '/') {
                c->path = v;
                c->path_len = vlen;
            } else {
                c->path = NULL;     /* 5.2.4: the default-path */
            }
        } else if (eq_nocase(a, alen, "secure")) {
            c->secure = 1;
        } else if (eq_nocase(a, alen, "httponly")) {
            c->http_only = 1;
        }
        /* Anything else (SameSite, Priority, Comment, ...) is ignored. */
    }
    return 0;
}


/* ---- The jar ---------------------------------------------------------- */

struct gw_cookie_jar *
gw_cookie_jar_new(const struct gw_cookie_limits *lim)
{
    struct gw_cookie_jar *j = wspgw_calloc(1, sizeof(*j));

    if (j == NULL) {
        return NULL;
    }
    j->lim = *lim;
    if (j->lim.max_cookies < 1) {
        j->lim.max_cookies = 1;
    }
    if (j->lim.max_cookie < 1) {
        j->lim.max_cookie = 1;
    }
    return j;
}


void
gw_cookie_jar_free(struct gw_cookie_jar *j)
{
    if (j == NULL) {
        return;
    }
    while (j->head != NULL) {
        struct cookie *c = j->head;

        j->head = c->next;
        wspgw_free(c);
    }
    wspgw_free(j);
}


unsigned
gw_cookie_jar_count(const struct gw_cookie_jar *j)
{
    return j != NULL ? j->n : 0;
}


size_t
gw_cookie_jar_bytes(const struct gw_cookie_jar *j)
{
    return j != NULL ? j->bytes : 0;
}


static size_t
cookie_size(const struct cookie *c)
{
    return c->name_len + c->value_len + c->domain_len + c->path_len;
}


/* Unlinks *pp and frees it. */
static void
remove_at(struct gw_cookie_jar *j, struct cookie **pp)
{
    struct cookie *c = *pp;

    *pp = c->next;
    j->n--;
    j->bytes -= cookie_size(c);
    wspgw_free(c);
}


static void
purge_expired(struct gw_cookie_jar *j, int64_t now)
{
    struct cookie **pp = &j->head;

    while (*pp != NULL) {
        if ((*pp)->expires <= now) {
            remove_at(j, pp);
        } else {
            pp = &(*pp)->next;
        }
    }
}


/* Evicts the least recently set cookie; 0, or -1 when the jar is empty. */
static int
evict_oldest(struct gw_cookie_jar *j)
{
    struct cookie **pp, **old = NULL;

    for (pp = &j->head; *pp != NULL; pp = &(*pp)->next) {
        if (old == NULL || (*pp)->set < (*old)->set) {
            old = pp;
        }
    }
    if (old == NULL) {
        return -1;
    }
    remove_at(j, old);
    return 0;
}


static struct cookie *
cookie_new(const struct set_view *sv, const char *domain, size_t dlen,
    const char *path, size_t plen)
{
    size_t total = sv->name_len + sv->value_len + dlen + plen + 4;
    struct cookie *c = wspgw_malloc(sizeof(*c) + total);
    char *p;

    if (c == NULL) {
        return NULL;
    }
    memset(c, 0, sizeof(*c));
    p = c->data;
    c->name = p;
    c->name_len = sv->name_len;
    memcpy(p, sv->name, sv->name_len);
    p += sv->name_len;
    *p++ = '\0';
    c->value = p;
    c->value_len = sv->value_len;
    memcpy(p, sv->value, sv->value_len);
    p += sv->value_len;
    *p++ = '\0';
    c->domain = p;
    c->domain_len = dlen;
    memcpy(p, domain, dlen);
    p += dlen;
    *p++ = '\0';
    c->path = p;
    c->path_len = plen;
    memcpy(p, path, plen);
    p[plen] = '\0';
    return c;
}


int
gw_cookie_jar_set(struct gw_cookie_jar *j, const char *url,
    const char *set_cookie, int64_t now, unsigned *evicted)
{
    struct url_view u;
    struct set_view sv;
    struct cookie *c, **pp, **same = NULL;
    char dom[HOST_MAX + 1];
    const char *path;
    size_t dlen, plen, i;
    int64_t expires = EXPIRES_NEVER;
    int host_only = 1;

    if (evicted != NULL) {
        *evicted = 0;
    }
    if (url_split(url, &u) != 0 || parse_set_cookie(set_cookie, &sv) != 0)
    {
        return WSPGW_EINVAL;
    }
    if (sv.name_len + sv.value_len > j->lim.max_cookie) {
        return WSPGW_EMSGSIZE;
    }
    /* 5.3 step 3: Max-Age wins over Expires. */
    if (sv.has_max_age) {
        if (sv.max_age <= 0) {
            expires = INT64_MIN;
        } else {
            expires = now > INT64_MAX - sv.max_age ? EXPIRES_NEVER - 1
                : now + sv.max_age;
        }
    } else if (sv.has_expires) {
        expires = sv.expires;
    }
    /* 5.3 steps 4-6: the domain. */
    if (sv.domain != NULL) {
        if (sv.domain_len > HOST_MAX) {
            return WSPGW_EACCES;
        }
        for (i = 0; i < sv.domain_len; i++) {
            dom[i] = lower(sv.domain[i]);
        }
        dlen = sv.domain_len;
        if (dlen > 0 && dom[dlen - 1] == '.') {
            dlen--;
        }
        dom[dlen] = '\0';
        if (dlen == 0) {
            return WSPGW_EACCES;
        }
        if (dlen == u.host_len && memcmp(dom, u.host, dlen) == 0) {
            /* Domain = the host itself: allowed, host-only when it has
             * no dot (a public-suffix-like label, 5.3 step 5). */
            host_only = memchr(dom, '.', dlen) == NULL;
        } else if (memchr(dom, '.', dlen) == NULL
            || !domain_match(&u, dom, dlen))
        {
            return WSPGW_EACCES;
        } else {
            host_only = 0;
        }
    } else {
        memcpy(dom, u.host, u.host_len + 1);
        dlen = u.host_len;
    }
    /* RFC 6265bis: Secure only from a secure origin. */
    if (sv.secure && !u.secure) {
        return WSPGW_EACCES;
    }
    if (sv.path != NULL) {
        path = sv.path;
        plen = sv.path_len;
    } else {
        default_path(&u, &path, &plen);
    }
    if (sv.name_len + sv.value_len + dlen + plen > j->lim.max_bytes) {
        return WSPGW_EMSGSIZE;
    }
    for (pp = &j->head; *pp != NULL; pp = &(*pp)->next) {
        c = *pp;
        if (c->name_len != sv.name_len
            || memcmp(c->name, sv.name, sv.name_len) != 0)
        {
            continue;
        }
        /* RFC 6265bis "leave secure cookies alone": an insecure response
         * may not touch a Secure cookie whose domain and path overlap. */
        if (!u.secure && c->secure
            && domain_match(&u, c->domain, c->domain_len))
        {
            return WSPGW_EACCES;
        }
        if (c->domain_len == dlen && memcmp(c->domain, dom, dlen) == 0
            && c->path_len == plen && memcmp(c->path, path, plen) == 0)
        {
            same = pp;
        }
    }
    if (expires <= now) {
        if (same != NULL) {
            remove_at(j, same);
        }
        return GW_COOKIE_REMOVED;
    }
    c = cookie_new(&sv, dom, dlen, path, plen);
    if (c == NULL) {
        return WSPGW_ENOMEM;
    }
    c->expires = expires;
    c->host_only = host_only != 0;
    c->secure = sv.secure != 0;
    c->http_only = sv.http_only != 0;
    c->set = ++j->seq;
    if (same != NULL) {
        c->created = (*same)->created;      /* 5.3 step 11.3 */
        remove_at(j, same);
    } else {
        c->created = c->set;
    }
    /* Room: expired ones first, then the least recently set. */
    if (j->n + 1 > j->lim.max_cookies
        || j->bytes + cookie_size(c) > j->lim.max_bytes)
    {
        purge_expired(j, now);
    }
    while (j->n + 1 > j->lim.max_cookies
        || j->bytes + cookie_size(c) > j->lim.max_bytes)
    {
        if (evict_oldest(j) != 0) {
            break;              /* cannot happen: size checked above */
        }
        if (evicted != NULL) {
            (*evicted)++;
        }
    }
    c->next = j->head;
    j->head = c;
    j->n++;
    j->bytes += cookie_size(c);
    return GW_COOKIE_STORED;
}


int
gw_cookie_has_set_cookie(const struct wsp_hdrs *h)
{
    return wsp_hdrs_find(h, "Set-Cookie") >= 0;
}


unsigned
gw_cookie_jar_store(struct gw_cookie_jar *j, const char *url,
    const struct wsp_hdrs *h, int64_t now, struct gw_cookie_counts *cnt)
{
    unsigned i, seen = 0, ev;
    int rc;

    for (i = 0; i < h->n; i++) {
        if (strcasecmp(wsp_hdrs_name(h, i), "Set-Cookie") != 0) {
            continue;
        }
        seen++;
        rc = gw_cookie_jar_set(j, url, wsp_hdrs_value(h, i), now, &ev);
        if (cnt != NULL) {
            if (rc >= 0) {
                cnt->stored++;
            } else {
                cnt->rejected++;
            }
            cnt->evicted += ev;
        }
    }
    return seen;
}


/* ---- The Cookie header (RFC 6265 5.4) ------------------------------------ */

/* Whether the Cookie header value own has a cookie named (name, len). */
static int
own_has(const char *own, const char *name, size_t len)
{
    const char *p = own, *semi, *eq, *n;
    size_t nl;

    while (p != NULL && *p != '\0') {
        semi = strchr(p, ';');
        if (semi == NULL) {
            semi = p + strlen(p);
        }
        eq = memchr(p, '=', (size_t) (semi - p));
        n = p;
        nl = (size_t) ((eq != NULL ? eq : semi) - p);
        trim(&n, &nl);
        if (nl == len && memcmp(n, name, len) == 0) {
            return 1;
        }
        p = *semi != '\0' ? semi + 1 : NULL;
    }
    return 0;
}


static int
cookie_matches(const struct cookie *c, const struct url_view *u,
    int64_t now)
{
    if (c->expires <= now) {
        return 0;
    }
    if (c->host_only) {
        if (c->domain_len != u->host_len
            || memcmp(c->domain, u->host, u->host_len) != 0)
        {
            return 0;
        }
    } else if (!domain_match(u, c->domain, c->domain_len)) {
        return 0;
    }
    if (c->secure && !u->secure) {
        return 0;
    }
    return path_match(u->path, u->path_len, c->path, c->path_len);
}


/* 5.4 step 2: longer paths first, then earlier creation. */
static int
goes_before(const struct cookie *a, const struct cookie *b)
{
    if (a->path_len != b->path_len) {
        return a->path_len > b->path_len;
    }
    return a->created < b->created;
}


int
gw_cookie_jar_header(struct gw_cookie_jar *j, const char *url,
    const char *own, int64_t now, struct wspgw_buf *out)
{
    struct url_view u;
    const struct cookie *c, *best, *prev = NULL;
    size_t own_len = 0;
    int added = 0, rc;

    if (url_split(url, &u) != 0) {
        return WSPGW_EINVAL;
    }
    if (own != NULL) {
        own_len = strlen(own);
        trim(&own, &own_len);
        rc = wspgw_buf_append(out, own, own_len);
        if (rc != 0) {
            return rc == WSPGW_ENOMEM ? rc : WSPGW_EMSGSIZE;
        }
    }
    if (j == NULL) {
        return 0;
    }
    purge_expired(j, now);
    /* Selection in sort order without a temporary array: each round
     * picks the first matching cookie after prev in that order.  O(n^2)
     * for n <= max_cookies. */
    for (;;) {
        best = NULL;
        for (c = j->head; c != NULL; c = c->next) {
            if (prev != NULL && !goes_before(prev, c)) {
                continue;
            }
            if (best != NULL && !goes_before(c, best)) {
                continue;
            }
            if (!cookie_matches(c, &u, now)) {
                continue;
            }
            if (own_len > 0 && own_has(own, c->name, c->name_len)) {
                continue;
            }
            best = c;
        }
        if (best == NULL) {
            break;
        }
        prev = best;
        if (out->len + 2 + best->name_len + 1 + best->value_len
            > out->max)
        {
            break;              /* a full header: leave out the rest */
        }
        if (out->len > 0) {
            rc = wspgw_buf_append(out, "; ", 2);
        } else {
            rc = 0;
        }
        if (rc == 0) {
            rc = wspgw_buf_append(out, best->name, best->name_len);
        }
        if (rc == 0) {
            rc = wspgw_buf_putc(out, '=');
        }
        if (rc == 0) {
            rc = wspgw_buf_append(out, best->value, best->value_len);
        }
        if (rc != 0) {
            return rc;
        }
        added++;
    }
    return added;
}


int
gw_cookie_join_own(const struct wsp_hdrs *h, struct wspgw_buf *out)
{
    unsigned i;
    int rc = 0;

    for (i = 0; rc == 0 && i < h->n; i++) {
        const char *v = wsp_hdrs_value(h, i);

        if (strcasecmp(wsp_hdrs_name(h, i), "Cookie") != 0 || v[0] == '\0')
        {
            continue;
        }
        if (out->len > 0) {
            rc = wspgw_buf_append(out, "; ", 2);
        }
        if (rc == 0) {
            rc = wspgw_buf_puts(out, v);
        }
    }
    return rc;
}


int
gw_cookie_apply(struct gw_cookie_jar *j, const char *url, int64_t now,
    struct wsp_hdrs *h)
{
    struct wspgw_buf own, val;
    struct wsp_hdrs out;
    unsigned i;
    int rc = 0, added;

    if (j == NULL) {
        return 0;
    }
    wspgw_buf_init(&own, GW_COOKIE_HEADER_MAX);
    wspgw_buf_init(&val, GW_COOKIE_HEADER_MAX);
    rc = gw_cookie_join_own(h, &own);
    added = rc != 0 ? rc : gw_cookie_jar_header(j, url, wspgw_buf_str(&own),
        now, &val);
    if (added <= 0) {
        wspgw_buf_free(&own);
        wspgw_buf_free(&val);
        return added;
    }
    wsp_hdrs_init(&out, h->text.max);
    for (i = 0; rc == 0 && i < h->n; i++) {
        const char *n = wsp_hdrs_name(h, i), *v = wsp_hdrs_value(h, i);

        if (strcasecmp(n, "Cookie") == 0) {
            continue;
        }
        rc = wsp_hdrs_add(&out, n, strlen(n), v, strlen(v));
    }
    if (rc == 0) {
        rc = wsp_hdrs_add(&out, "Cookie", 6, (const char *) val.data,
            val.len);
    }
    if (rc == 0) {
        wsp_hdrs_free(h);
        *h = out;
    } else {
        wsp_hdrs_free(&out);
    }
    wspgw_buf_free(&own);
    wspgw_buf_free(&val);
    return rc != 0 ? rc : added;
}
