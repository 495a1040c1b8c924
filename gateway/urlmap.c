/*
 * gateway/urlmap.c - [mmsc] URL mapping: short URLs, MMSC traffic and
 * map-url rules (the rules are in urlmap.h).
 *
 * Matching works on the URL text exactly as the handset sent it; the
 * only case-folding is in the scheme and authority, which RFC 3986
 * 6.2.2.1 makes case-insensitive.  Nothing is decoded or normalised, so
 * what a rule's DST receives is the handset's own remainder, octet for
 * octet.
 *
 * Tests: tests/unit/gateway/test_urlmap.c.
 */
#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "wspgw/err.h"
#include "urlmap.h"


/*
 * Length of the scheme-and-authority part of s[0..len): after "://"
 * (when s starts with a scheme) up to the first '/', '?' or '#', or
 * the whole text.  For a scheme-less "mms/x" it is "mms".
 */
static size_t
auth_len(const char *s, size_t len)
{
    size_t i = 0, start = 0;

    while (i < len && (isalnum((unsigned char) s[i]) || s[i] == '+'
            || s[i] == '-' || s[i] == '.'))
    {
        i++;
    }
    if (i > 0 && i + 3 <= len && memcmp(s + i, "://", 3) == 0) {
        start = i + 3;
    }
    for (i = start; i < len; i++) {
        if (s[i] == '/' || s[i] == '?' || s[i] == '#') {
            return i;
        }
    }
    return len;
}


/* Whether s has a character that never appears in a URL we accept. */
static int
has_bad_char(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char ch = (unsigned char) s[i];

        if (ch <= 0x20 || ch >= 0x7f || ch == '"' || ch == '*') {
            return 1;
        }
    }
    return 0;
}


/* Whether s[0..len) is an absolute http(s) URL with a non-empty host. */
static int
is_http_url(const char *s, size_t len)
{
    size_t skip;

    if (len >= 7 && strncasecmp(s, "http://", 7) == 0) {
        skip = 7;
    } else if (len >= 8 && strncasecmp(s, "https://", 8) == 0) {
        skip = 8;
    } else {
        return 0;
    }
    return auth_len(s, len) > skip;
}


/*
 * Whether url begins with (or, !prefix, equals) pat[0..plen): the
 * pattern's scheme and authority compare case-insensitively, the rest
 * exactly.
 */
static int
pattern_match(const char *pat, size_t plen, const char *url, size_t ulen,
    int prefix)
{
    size_t k = auth_len(pat, plen);

    if (ulen < plen || (!prefix && ulen != plen)) {
        return 0;
    }
    if (strncasecmp(pat, url, k) != 0) {
        return 0;
    }
    return memcmp(pat + k, url + k, plen - k) == 0;
}


int
gw_urlmap_parse_rule(const char *text, struct gw_urlmap_rule *out,
    const char **why)
{
    const char *p, *end, *src, *dst;
    size_t slen, dlen;
    const char *dummy;

    if (why == NULL) {
        why = &dummy;
    }
    memset(out, 0, sizeof(*out));
    if (text == NULL) {
        *why = "empty rule";
        return WSPGW_EINVAL;
    }
    p = text;
    end = text + strlen(text);
    while (p < end && (*p == ' ' || *p == '\t')) {
        p++;
    }
    while (end > p && (end[-1] == ' ' || end[-1] == '\t')) {
        end--;
    }
    if (p < end && *p == '"') {
        if (end - p < 2 || end[-1] != '"') {
            *why = "unbalanced double quote";
            return WSPGW_EINVAL;
        }
        p++;
        end--;
        while (p < end && (*p == ' ' || *p == '\t')) {
            p++;
        }
        while (end > p && (end[-1] == ' ' || end[-1] == '\t')) {
            end--;
        }
    }
    src = p;
    while (p < end && *p != ' ' && *p != '\t') {
        p++;
    }
    slen = (size_t) (p - src);
    while (p < end && (*p == ' ' || *p == '\t')) {
        p++;
    }
    dst = p;
    while (p < end && *p != ' ' && *p != '\t') {
        p++;
    }
    dlen = (size_t) (p - dst);
    if (slen == 0 || dlen == 0 || p != end) {
        *why = "want \"SOURCE DESTINATION\" (two URLs, blank-separated)";
        return WSPGW_EINVAL;
    }
    if (src[slen - 1] == '*') {
        out->from_prefix = 1;
        slen--;
    }
    if (dst[dlen - 1] == '*') {
        out->to_append = 1;
        dlen--;
    }
    if (slen > GW_URLMAP_URL_MAX || dlen > GW_URLMAP_URL_MAX) {
        *why = "URL too long";
        return WSPGW_EINVAL;
    }
    if (has_bad_char(src, slen) || has_bad_char(dst, dlen)) {
        *why = "'*' only at the end; no blanks, quotes or control or "
            "non-ASCII characters";
        return WSPGW_EINVAL;
    }
    if (slen == 0) {
        *why = "empty source";
        return WSPGW_EINVAL;
    }
    if (out->to_append && !out->from_prefix) {
        *why = "destination ends in '*' but the source does not";
        return WSPGW_EINVAL;
    }
    if (out->from_prefix && auth_len(src, slen) >= slen) {
        *why = "a source prefix must include the '/' after the host "
            "(http://mms/*), or it would match other hosts too";
        return WSPGW_EINVAL;
    }
    if (!is_http_url(dst, dlen)) {
        *why = "destination must be an absolute http:// or https:// URL";
        return WSPGW_EINVAL;
    }
    memcpy(out->from, src, slen);
    out->from[slen] = '\0';
    memcpy(out->to, dst, dlen);
    out->to[dlen] = '\0';
    return 0;
}


int
gw_urlmap_add_rule(struct gw_urlmap *m, const struct gw_urlmap_rule *r)
{
    if (m->n_rules >= GW_URLMAP_RULES_MAX) {
        return WSPGW_ENOSPC;
    }
    m->rule[m->n_rules++] = *r;
    return 0;
}


int
gw_urlmap_set_url(struct gw_urlmap *m, const char *url, const char **why)
{
    size_t len = strlen(url);
    const char *dummy;

    if (why == NULL) {
        why = &dummy;
    }
    if (len == 0) {
        m->url[0] = '\0';
        return 0;
    }
    if (len > GW_URLMAP_URL_MAX) {
        *why = "URL too long";
        return WSPGW_EINVAL;
    }
    if (has_bad_char(url, len) || !is_http_url(url, len)) {
        *why = "want an absolute http:// or https:// URL";
        return WSPGW_EINVAL;
    }
    memcpy(m->url, url, len + 1);
    return 0;
}


int
gw_urlmap_add_short(struct gw_urlmap *m, const char *name, const char **why)
{
    size_t i, len;
    const char *dummy;

    if (why == NULL) {
        why = &dummy;
    }
    if (strncasecmp(name, "http://", 7) == 0) {
        name += 7;
    }
    len = strlen(name);
    if (len == 0 || len > GW_URLMAP_URL_MAX) {
        *why = "want a host name such as mms";
        return WSPGW_EINVAL;
    }
    for (i = 0; i < len; i++) {
        unsigned char ch = (unsigned char) name[i];

        if (!(isascii(ch) && (isalnum(ch) || ch == '-' || ch == '.'))) {
            *why = "want a host name such as mms (letters, digits, '-', "
                "'.')";
            return WSPGW_EINVAL;
        }
    }
    for (i = 0; i < m->n_short; i++) {
        if (strcasecmp(m->short_name[i], name) == 0) {
            return 0;
        }
    }
    if (m->n_short >= GW_URLMAP_SHORT_MAX) {
        return WSPGW_ENOSPC;
    }
    memcpy(m->short_name[m->n_short++], name, len + 1);
    return 0;
}


/* Whether in is name or "http://" + name, case-insensitively. */
static int
is_short_form(const char *in, const char *name, size_t nlen)
{
    if (strncasecmp(in, "http://", 7) == 0) {
        in += 7;
    }
    return strlen(in) == nlen && strncasecmp(in, name, nlen) == 0;
}


/* Whether in is one of m's short URLs (step 1). */
static int
is_short(const struct gw_urlmap *m, const char *in)
{
    size_t ulen = strlen(m->url), k = auth_len(m->url, ulen);
    const char *host = strstr(m->url, "://");
    unsigned i;

    if (m->url[0] == '\0') {
        return 0;
    }
    for (i = 0; i < m->n_short; i++) {
        if (is_short_form(in, m->short_name[i],
                strlen(m->short_name[i])))
        {
            return 1;
        }
    }
    /* url's own authority, when url is http (https has no short form). */
    if (host != NULL && strncasecmp(m->url, "http://", 7) == 0) {
        host += 3;
        return is_short_form(in, host, (size_t) (m->url + k - host));
    }
    return 0;
}


/* Copies a[0..alen) + b[0..blen) into out; 0 or WSPGW_EMSGSIZE. */
static int
join(char *out, size_t outlen, const char *a, size_t alen, const char *b,
    size_t blen)
{
    if (alen + blen + 1 > outlen) {
        if (outlen > 0) {
            out[0] = '\0';
        }
        return WSPGW_EMSGSIZE;
    }
    memmove(out, a, alen);
    memcpy(out + alen, b, blen);
    out[alen + blen] = '\0';
    return 0;
}


int
gw_urlmap_apply(const struct gw_urlmap *m, const char *in, char *out,
    size_t outlen, unsigned *how)
{
    const char *cur = in;
    unsigned bits = 0, i;
    size_t len, k;

    if (how != NULL) {
        *how = 0;
    }
    if (m != NULL && is_short(m, in)) {
        cur = m->url;
        bits |= GW_URLMAP_SHORT;
    }
    len = strlen(cur);
    if (m != NULL && m->url[0] != '\0') {
        k = auth_len(m->url, strlen(m->url));
        if (len >= k && strncasecmp(cur, m->url, k) == 0
            && (cur[k] == '\0' || cur[k] == '/' || cur[k] == '?'
                || cur[k] == '#'))
        {
            bits |= GW_URLMAP_MMSC;
        }
    }
    for (i = 0; m != NULL && i < m->n_rules; i++) {
        const struct gw_urlmap_rule *r = &m->rule[i];
        size_t flen = strlen(r->from);
        int rc;

        if (!pattern_match(r->from, flen, cur, len, r->from_prefix)) {
            continue;
        }
        if (how != NULL) {
            *how = bits | GW_URLMAP_MAPPED;
        }
        if (r->to_append) {
            rc = join(out, outlen, r->to, strlen(r->to), cur + flen,
                len - flen);
        } else {
            rc = join(out, outlen, r->to, strlen(r->to), "", 0);
        }
        if (rc != 0 && how != NULL) {
            *how = 0;
        }
        return rc;
    }
    if (how != NULL) {
        *how = bits;
    }
    return join(out, outlen, cur, len, "", 0);
}
