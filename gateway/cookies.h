/*
 * gateway/cookies.h - a cookie jar kept by the gateway for one WSP
 * session ([wsp] cookie-jar), for handsets that cannot keep cookies.
 *
 * Spec: RFC 6265 section 5 (the user-agent side): 5.1.1 dates, 5.1.3
 * domain matching, 5.1.4 paths, 5.2 the Set-Cookie header, 5.3 the
 * storage model, 5.4 the Cookie header; with two rules of RFC 6265bis:
 * a Secure cookie is accepted only from an https URL (and an http
 * response cannot replace one), and attribute values over 1024 octets
 * are ignored.
 *
 * The subset a gateway needs: one user agent per jar, HTTP only (so
 * HttpOnly is kept but changes nothing), no public suffix list: a
 * Domain attribute naming a single label ("com", "localhost") is refused
 * unless it is the request host itself (then the cookie is host-only).
 * Cookies never leave the jar for another purpose; the jar dies with its
 * session, so "persistent" cookies are kept no longer than a session
 * cookie (only their expiry is honoured).
 *
 * Caps (struct gw_cookie_limits): cookies per jar, octets per cookie
 * (name + value), octets per jar (name, value, domain and path of every
 * cookie).  A new cookie that does not fit evicts expired cookies
 * first, then the least recently set ones.
 *
 * Time: "now" is passed in (seconds since the Unix epoch, wall clock,
 * because Expires is a calendar date); this module reads no clock and
 * does no I/O (a pure gateway helper, unit-tested with ASan).
 *
 * Ownership: the jar copies everything it keeps; every pointer argument
 * is borrowed for the call.
 */
#ifndef WSPGW_GATEWAY_COOKIES_H
#define WSPGW_GATEWAY_COOKIES_H

#include <stddef.h>
#include <stdint.h>

#include "wspgw/buf.h"
#include "wspgw/wsp.h"

/* RFC 6265 6.1 asks for at least 4096 octets per cookie. */
#define GW_COOKIE_MAX_COOKIE 4096
/* RFC 6265bis: attribute values longer than this are ignored. */
#define GW_COOKIE_MAX_ATTR 1024
/* Longest Cookie header value gw_cookie_apply builds: below the HTTP
 * client's cap on one request header line (GW_HTTP_REQ_LINE_MAX, 8192
 * with the name), which would drop the header whole. */
#define GW_COOKIE_HEADER_MAX 8000

struct gw_cookie_limits {
    unsigned max_cookies;   /* cookies per jar (>= 1) */
    size_t max_cookie;      /* octets of name + value of one cookie */
    size_t max_bytes;       /* octets of all cookies of the jar */
};

struct gw_cookie_jar;

/* An empty jar with these caps (copied); NULL on out-of-memory. */
struct gw_cookie_jar *gw_cookie_jar_new(const struct gw_cookie_limits *lim);

/* Frees the jar and every cookie in it; NULL is fine. */
void gw_cookie_jar_free(struct gw_cookie_jar *j);

/* Cookies and octets held (expired ones included until purged). */
unsigned gw_cookie_jar_count(const struct gw_cookie_jar *j);
size_t gw_cookie_jar_bytes(const struct gw_cookie_jar *j);

/* What gw_cookie_jar_set did with an acceptable header. */
#define GW_COOKIE_STORED 0      /* new, or replaced one of the same name,
                                   domain and path */
#define GW_COOKIE_REMOVED 1     /* already expired: removed its namesake
                                   (how servers delete cookies) */

/*
 * Files one Set-Cookie header value received in the response to url
 * (the absolute http(s) URL that answered).  *evicted (may be NULL)
 * receives the number of cookies evicted to make room.
 * Returns GW_COOKIE_STORED or GW_COOKIE_REMOVED, or
 *   WSPGW_EINVAL    malformed: no "=", empty name, control characters,
 *                   or url is not an http(s) URL with a host;
 *   WSPGW_EACCES    refused: Domain does not cover the request host, or
 *                   is a single label, or Secure from an http URL, or an
 *                   http response trying to replace a Secure cookie;
 *   WSPGW_EMSGSIZE  name + value over max_cookie (or the jar's total);
 *   WSPGW_ENOMEM    (the jar is unchanged).
 * Never reads past the NUL of either string.
 */
int gw_cookie_jar_set(struct gw_cookie_jar *j, const char *url,
    const char *set_cookie, int64_t now, unsigned *evicted);

/* Counters of gw_cookie_jar_store. */
struct gw_cookie_counts {
    unsigned stored;        /* GW_COOKIE_STORED or REMOVED */
    unsigned rejected;      /* any error */
    unsigned evicted;
};

/*
 * Files every Set-Cookie header of a response (h) received from url, in
 * order; adds to *c (may be NULL).  Returns the number of Set-Cookie
 * headers seen.
 */
unsigned gw_cookie_jar_store(struct gw_cookie_jar *j, const char *url,
    const struct wsp_hdrs *h, int64_t now, struct gw_cookie_counts *c);

/* Whether h has at least one Set-Cookie header. */
int gw_cookie_has_set_cookie(const struct wsp_hdrs *h);

/*
 * Appends to out the value of the Cookie header for a request to url:
 * first own (the Cookie header the handset sent itself, as it is; may
 * be NULL or ""), then, after "; ", each unexpired cookie of the jar
 * (j may be NULL) that matches url's host, path and scheme, whose name
 * is not in own (the handset's own cookies win by name), longest path
 * first, then oldest first (RFC 6265 5.4).  A cookie that does not fit
 * out's ceiling is left out, as are the rest.  Expired cookies are
 * purged.  Returns the number of jar cookies added, or WSPGW_EINVAL (url
 * not an http(s) URL) or WSPGW_ENOMEM.
 */
int gw_cookie_jar_header(struct gw_cookie_jar *j, const char *url,
    const char *own, int64_t now, struct wspgw_buf *out);

/*
 * Appends to out the values of every Cookie header of h (the handset's
 * own cookies), joined with "; ", empty values skipped.  Returns 0 or a
 * buffer error (WSPGW_EMSGSIZE past out's ceiling, WSPGW_ENOMEM).
 */
int gw_cookie_join_own(const struct wsp_hdrs *h, struct wspgw_buf *out);

/*
 * Rewrites the request headers h for url: when the jar has cookies for
 * it, every Cookie header of h is replaced by one Cookie header carrying
 * the handset's own cookies (its Cookie headers joined with "; ") and
 * the jar's (gw_cookie_jar_header).  h is left as it was when the jar
 * adds nothing or on error.  The value is capped at
 * GW_COOKIE_HEADER_MAX (jar cookies that do not fit are left out; own
 * cookies over it: WSPGW_EMSGSIZE).  Returns the number of jar cookies
 * added, or a WSPGW_E* code (WSPGW_EMSGSIZE, WSPGW_ENOSPC: h is full).
 */
int gw_cookie_apply(struct gw_cookie_jar *j, const char *url, int64_t now,
    struct wsp_hdrs *h);

/* Whether two http(s) URLs name the same host (case-insensitive, port
 * ignored, as cookies ignore it: RFC 6265 8.5).  0 when either does
 * not parse. */
int gw_cookie_same_host(const char *url_a, const char *url_b);

/* RFC 6265 5.1.1: a cookie date as seconds since the epoch.  0 or
 * WSPGW_EINVAL.  Exposed for the unit tests. */
int gw_cookie_parse_date(const char *s, size_t len, int64_t *out);

#endif /* WSPGW_GATEWAY_COOKIES_H */
