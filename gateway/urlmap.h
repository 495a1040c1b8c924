/*
 * gateway/urlmap.h - where a handset's URL really goes ([mmsc] section).
 *
 * Handsets are provisioned with an MMSC URL (the "MMSC URL" of their MMS
 * settings, e.g. http://mms.operator/) that often names no host the
 * gateway can or should reach; some handsets were even provisioned with
 * a bare host ("mms").  The gateway rewrites such URLs before the fetch,
 * the way operators know from Kannel's map-url:
 *
 *   [mmsc]
 *   url       = http://mms.operator/           ; as handsets know it
 *   short-url = mms, mms.operator              ; bare forms that mean url
 *   map-url   = http://mms.operator/mms* http://10.1.1.1:8002/mms*
 *   map-url   = http://mms.operator/ http://10.1.1.1:8002/mms/
 *   proxy     = proxy.operator:3128            ; for MMSC traffic only
 *
 * gw_urlmap_apply, in this order:
 *   1. Short URL: a handset URL that is exactly a short-url name, or
 *      "http://" + that name (case-insensitive, nothing after it, not
 *      even "/"), or the bare host of url with or without "http://",
 *      is replaced by url.  Needs url.
 *   2. MMSC traffic: the URL (after 1) has url's scheme and authority
 *      (compared case-insensitively) followed by end, '/', '?' or '#'.
 *   3. map-url rules, first match wins.  "SRC DST", optionally in double
 *      quotes (Kannel's spelling).  SRC ending in '*' is a prefix: a URL
 *      starting with the rest of SRC matches, and when DST ends in '*'
 *      too, what followed the prefix is appended to DST (minus the '*')
 *      verbatim.  Without '*', SRC must equal the whole URL.  The scheme
 *      and host part of SRC (up to the first '/', '?' or '#' after
 *      "://", or of a scheme-less SRC) compares case-insensitively
 *      (RFC 3986 6.2.2.1), everything after it byte for byte.
 *   No URL is ever normalised: no dot segments removed, no percent
 *   decoding, no '/' added or dropped.  "http://mms/x" and "http://mms/x/"
 *   are different URLs to some MMSCs and handsets, and stay different.
 *
 * A prefix SRC must end at or after the '/' that ends its authority:
 * "http://mms*" is refused, because it would also match
 * "http://mms.evil.example/"; write the '/' before the '*' (and an
 * exact rule "http://mms" for the URL without a path).  DST is an absolute http or
 * https URL.  The result still has to pass [upstream] allow (http.c).
 *
 * Pure code: no libuv, no curl, no allocation.
 */
#ifndef WSPGW_GATEWAY_URLMAP_H
#define WSPGW_GATEWAY_URLMAP_H

#include <stddef.h>

#define GW_URLMAP_URL_MAX 200       /* one side of a rule, url, a name */
#define GW_URLMAP_RULES_MAX 32
#define GW_URLMAP_SHORT_MAX 16

struct gw_urlmap_rule {
    char from[GW_URLMAP_URL_MAX + 1];   /* without the '*' */
    char to[GW_URLMAP_URL_MAX + 1];     /* without the '*' */
    int from_prefix;                    /* SRC ended in '*' */
    int to_append;                      /* DST ended in '*' */
};

struct gw_urlmap {
    char url[GW_URLMAP_URL_MAX + 1];    /* [mmsc] url, "" none */
    char short_name[GW_URLMAP_SHORT_MAX][GW_URLMAP_URL_MAX + 1];
    unsigned n_short;
    struct gw_urlmap_rule rule[GW_URLMAP_RULES_MAX];
    unsigned n_rules;
};

/* What gw_urlmap_apply did (bits of *how). */
#define GW_URLMAP_SHORT  0x1    /* a short URL became url */
#define GW_URLMAP_MMSC   0x2    /* MMSC traffic (step 2) */
#define GW_URLMAP_MAPPED 0x4    /* a map-url rule rewrote it */

/*
 * Parses one map-url value into *out.  Returns 0 or WSPGW_EINVAL with a
 * static reason in *why.
 */
int gw_urlmap_parse_rule(const char *text, struct gw_urlmap_rule *out,
    const char **why);

/* Appends a rule: 0 or WSPGW_ENOSPC past GW_URLMAP_RULES_MAX. */
int gw_urlmap_add_rule(struct gw_urlmap *m, const struct gw_urlmap_rule *r);

/*
 * Sets [mmsc] url: an absolute http or https URL with a host, no blanks,
 * no '*'; "" clears it.  0 or WSPGW_EINVAL (reason in *why).
 */
int gw_urlmap_set_url(struct gw_urlmap *m, const char *url,
    const char **why);

/*
 * Adds a short-url name: a host name ("mms", "mms.operator"), letters,
 * digits, '-' and '.', optionally written with "http://".  0,
 * WSPGW_EINVAL (reason in *why) or WSPGW_ENOSPC.
 */
int gw_urlmap_add_short(struct gw_urlmap *m, const char *name,
    const char **why);

/*
 * Rewrites in (NUL-terminated) into out (size outlen, always
 * terminated on success).  *how (may be NULL) gets GW_URLMAP_* bits;
 * 0 means out is a copy of in.  Returns 0, or WSPGW_EMSGSIZE when the
 * result does not fit (out is then "").
 */
int gw_urlmap_apply(const struct gw_urlmap *m, const char *in, char *out,
    size_t outlen, unsigned *how);

#endif /* WSPGW_GATEWAY_URLMAP_H */
