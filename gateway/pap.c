/*
 * gateway/pap.c - PAP request envelope, control entity and answers (see
 * pap.h).
 *
 * Spec: WAP-247-PAP-20010429-a (PAP 2.0; element and attribute names,
 * 9.13 result codes), WAP-164 (PAP 1.0), WAP-249 PPG Service 7.1 (client
 * addresses), RFC 2046 5.1 and RFC 2387 (multipart/related), RFC 4648
 * (base64).  Facts checked in ../shared/reference/push.md.
 *
 * What it does not do: it does not validate against the PAP DTD (the DTD
 * is never loaded; the checks below are the DTD's content model written
 * out, with PAP codes instead of a validator's messages), and it does not
 * implement ccq-message (answered 3001) or confirmed delivery (3007).
 *
 * Caps: the control entity is at most GW_PAP_DOC_MAX octets (a push
 * control document is well under 2 KB; 64 KiB leaves room for long
 * comments and still bounds libxml2's work), at most GW_PAP_ADDR_MAX
 * address elements are examined, every copied string has a fixed field
 * and a longer value is refused, never cut.
 *
 * No allocation of its own except libxml2's document, freed before
 * return.  No I/O, no clock: times come in as arguments.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "wspgw/err.h"
#include "pap.h"

#define WHY(...) set_why(why, whylen, __VA_ARGS__)


static void
set_why(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_why(char *why, size_t whylen, const char *fmt, ...)
{
    va_list ap;

    if (why == NULL || whylen == 0) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
}


const char *
gw_pap_code_text(int code)
{
    switch (code) {
#define XX(name, c, text) case c: return text;
    GW_PAP_CODE_MAP(XX)
#undef XX
    default:
        break;
    }
    if (code >= 1000 && code < 2000) {
        return gw_pap_code_text(1000);
    }
    if (code >= 2000 && code < 3000) {
        return gw_pap_code_text(2000);
    }
    if (code >= 3000 && code < 4000) {
        return gw_pap_code_text(3000);
    }
    if (code >= 4000 && code < 5000) {
        return gw_pap_code_text(4000);
    }
    return gw_pap_code_text(5000);
}


const char *
gw_pap_state_name(enum gw_pap_state s)
{
    switch (s) {
#define XX(name, val, text) case GW_PAP_STATE_##name: return text;
    GW_PAP_STATE_MAP(XX)
#undef XX
    default:
        return "unknown";
    }
}


/* Case-insensitive "does s (n octets) start with the C string p". */
static int
ci_prefix(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);

    return n >= k && strncasecmp(s, p, k) == 0;
}


static int
is_blank(int c)
{
    return c == ' ' || c == '\t';
}


/* Copies (s, n) trimmed of blanks into out; -1 when it does not fit. */
static int
copy_trim(const char *s, size_t n, char *out, size_t outlen)
{
    while (n > 0 && is_blank((unsigned char) s[0])) {
        s++;
        n--;
    }
    while (n > 0 && (is_blank((unsigned char) s[n - 1]) || s[n - 1] == '\r'
        || s[n - 1] == '\n'))
    {
        n--;
    }
    if (n >= outlen) {
        return -1;
    }
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}


/* ==== Content-Type parameters (RFC 2045 5.1) ========================== */

/*
 * Finds parameter name in a Content-Type value and copies its value
 * (token or quoted-string, unquoted) into out.  Returns 1 found, 0 absent,
 * -1 malformed or too long.
 */
static int
ct_param(const char *ct, const char *name, char *out, size_t outlen)
{
    const char *p = strchr(ct, ';');
    size_t nlen = strlen(name);

    while (p != NULL && *p == ';') {
        const char *n0;
        size_t o = 0;
        int match;

        p++;
        while (is_blank((unsigned char) *p)) {
            p++;
        }
        n0 = p;
        while (*p != '\0' && *p != '=' && *p != ';') {
            p++;
        }
        if (*p != '=') {
            continue;   /* a parameter without value: skip it */
        }
        {
            size_t k = (size_t) (p - n0);

            while (k > 0 && is_blank((unsigned char) n0[k - 1])) {
                k--;
            }
            match = k == nlen && strncasecmp(n0, name, nlen) == 0;
        }
        p++;
        while (is_blank((unsigned char) *p)) {
            p++;
        }
        if (*p == '"') {
            p++;
            while (*p != '\0' && *p != '"') {
                if (*p == '\\' && p[1] != '\0') {
                    p++;
                }
                if (match) {
                    if (o + 1 >= outlen) {
                        return -1;
                    }
                    out[o++] = *p;
                }
                p++;
            }
            if (*p != '"') {
                return -1;
            }
            p++;
        } else {
            while (*p != '\0' && *p != ';' && !is_blank((unsigned char) *p)) {
                if (match) {
                    if (o + 1 >= outlen) {
                        return -1;
                    }
                    out[o++] = *p;
                }
                p++;
            }
        }
        if (match) {
            out[o] = '\0';
            return 1;
        }
        while (*p != '\0' && *p != ';') {
            p++;
        }
    }
    return 0;
}


/* Does the media type of ct (before any ';') equal type, ignoring case? */
static int
ct_is(const char *ct, const char *type)
{
    size_t n = strlen(type);

    while (is_blank((unsigned char) *ct)) {
        ct++;
    }
    if (strncasecmp(ct, type, n) != 0) {
        return 0;
    }
    ct += n;
    while (is_blank((unsigned char) *ct)) {
        ct++;
    }
    return *ct == '\0' || *ct == ';';
}


/* ==== multipart/related =============================================== */

/*
 * Finds the next delimiter line "--boundary" that starts a line (or the
 * body) at or after from.  On success *at is the position of the line's
 * first "-", *line_start the position where the preceding line end
 * begins (the content before the delimiter ends there), *next the
 * position after the delimiter line, *close 1 for the close delimiter.
 * Returns 0 or -1 (none).
 */
static int
find_delim(const uint8_t *b, size_t len, size_t from, const char *bnd,
    size_t blen, size_t *line_start, size_t *next, int *close)
{
    size_t i = from;

    while (i + 2 + blen <= len) {
        const uint8_t *hit = memchr(b + i, '-', len - i);
        size_t at, j;

        if (hit == NULL) {
            return -1;
        }
        at = (size_t) (hit - b);
        i = at + 1;
        if (at + 2 + blen > len || b[at + 1] != '-'
            || memcmp(b + at + 2, bnd, blen) != 0)
        {
            continue;
        }
        if (at != 0 && b[at - 1] != '\n') {
            continue;
        }
        j = at + 2 + blen;
        if (j + 2 <= len && b[j] == '-' && b[j + 1] == '-') {
            *close = 1;
            j += 2;
        } else {
            *close = 0;
        }
        while (j < len && is_blank(b[j])) {
            j++;
        }
        if (j < len && b[j] == '\r') {
            j++;
        }
        if (j < len && b[j] == '\n') {
            j++;
        } else if (j < len && !*close) {
            /* "--boundaryX": the boundary is a prefix of this text. */
            continue;
        }
        *line_start = at;
        if (at > 0) {
            *line_start = at - 1;
            if (at > 1 && b[at - 2] == '\r') {
                *line_start = at - 2;
            }
        }
        *next = j;
        return 0;
    }
    return -1;
}


/* Reads one part's header block; sets *body to where its body starts. */
static int
part_headers(const uint8_t *b, size_t len, struct gw_pap_part *p,
    size_t *body, char *why, size_t whylen)
{
    size_t i = 0;
    char line[GW_PAP_PART_HEAD_MAX];

    memset(p, 0, sizeof(*p));
    for (;;) {
        size_t s = i, e, n = 0;
        const char *colon;
        char *v;

        if (i >= len) {
            WHY("part headers not ended by an empty line");
            return WSPGW_EPROTO;
        }
        if (i > GW_PAP_PART_HEAD_MAX) {
            WHY("part headers longer than %d octets", GW_PAP_PART_HEAD_MAX);
            return WSPGW_EPROTO;
        }
        if (b[i] == '\n' || (b[i] == '\r' && i + 1 < len && b[i + 1] == '\n'))
        {
            *body = i + (b[i] == '\r' ? 2 : 1);
            return 0;
        }
        /* One logical header: a line plus its folded continuations. */
        for (;;) {
            const uint8_t *nl = memchr(b + i, '\n', len - i);

            if (nl == NULL) {
                WHY("part headers not ended by an empty line");
                return WSPGW_EPROTO;
            }
            e = (size_t) (nl - b);
            i = e + 1;
            if (i >= len || !is_blank(b[i])) {
                break;
            }
        }
        for (; s < e; s++) {
            if (b[s] == '\r' || b[s] == '\n') {
                continue;
            }
            if (b[s] == 0) {
                WHY("NUL in part headers");
                return WSPGW_EPROTO;
            }
            if (n + 1 >= sizeof(line)) {
                WHY("part header too long");
                return WSPGW_EPROTO;
            }
            line[n++] = (char) b[s];
        }
        line[n] = '\0';
        colon = strchr(line, ':');
        if (colon == NULL || colon == line) {
            WHY("malformed part header \"%.40s\"", line);
            return WSPGW_EPROTO;
        }
        v = (char *) colon + 1;
        if (ci_prefix(line, n, "Content-Type:")) {
            if (copy_trim(v, strlen(v), p->content_type,
                sizeof(p->content_type)) != 0)
            {
                WHY("part Content-Type too long");
                return WSPGW_EPROTO;
            }
        } else if (ci_prefix(line, n, "X-Wap-Application-Id:")) {
            if (copy_trim(v, strlen(v), p->app_id, sizeof(p->app_id)) != 0) {
                WHY("X-Wap-Application-Id too long");
                return WSPGW_EPROTO;
            }
        } else if (ci_prefix(line, n, "Content-Transfer-Encoding:")) {
            if (copy_trim(v, strlen(v), p->cte, sizeof(p->cte)) != 0) {
                WHY("Content-Transfer-Encoding too long");
                return WSPGW_EPROTO;
            }
        }
    }
}


int
gw_pap_mime_split(const char *content_type, const uint8_t *body, size_t len,
    struct gw_pap_mime *out, char *why, size_t whylen)
{
    char bnd[80], type[64];
    size_t blen, pos, ls, next;
    int close = 0, rc;

    memset(out, 0, sizeof(*out));
    if (content_type == NULL || !ct_is(content_type, "multipart/related")) {
        WHY("Content-Type is not multipart/related");
        return WSPGW_EPROTO;
    }
    rc = ct_param(content_type, "boundary", bnd, sizeof(bnd));
    if (rc <= 0) {
        WHY(rc == 0 ? "multipart/related without a boundary"
            : "malformed or over-long boundary parameter");
        return WSPGW_EPROTO;
    }
    blen = strlen(bnd);
    if (blen == 0 || blen > 70) {
        WHY("boundary must have 1 to 70 characters (RFC 2046)");
        return WSPGW_EPROTO;
    }
    rc = ct_param(content_type, "type", type, sizeof(type));
    if (rc < 0 || (rc == 1 && !ct_is(type, "application/xml"))) {
        WHY("multipart/related type must be application/xml");
        return WSPGW_EPROTO;
    }
    if (find_delim(body, len, 0, bnd, blen, &ls, &pos, &close) != 0) {
        WHY("no boundary delimiter in the body");
        return WSPGW_EPROTO;
    }
    while (!close) {
        struct gw_pap_part *p;
        size_t start = pos, hb;

        if (find_delim(body, len, start, bnd, blen, &ls, &next, &close)
            != 0)
        {
            WHY("body truncated: no closing boundary");
            return WSPGW_EPROTO;
        }
        if (out->n_part == GW_PAP_PARTS_MAX) {
            WHY("more than %d parts", GW_PAP_PARTS_MAX);
            return WSPGW_EPROTO;
        }
        p = &out->part[out->n_part];
        rc = part_headers(body + start, ls - start, p, &hb, why, whylen);
        if (rc != 0) {
            return rc;
        }
        p->data = body + start + hb;
        p->len = ls - start - hb;
        out->n_part++;
        pos = next;
    }
    if (out->n_part == 0) {
        WHY("multipart body without parts");
        return WSPGW_EPROTO;
    }
    if (!ct_is(out->part[0].content_type, "application/xml")
        && !ct_is(out->part[0].content_type, "text/xml"))
    {
        WHY("the first part (PAP control entity) must be application/xml, "
            "not \"%s\"", out->part[0].content_type);
        return WSPGW_EPROTO;
    }
    return 0;
}


/* ==== base64 and transfer encodings =================================== */

static int
b64_value(int c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+') {
        return 62;
    }
    if (c == '/') {
        return 63;
    }
    return -1;
}


int
gw_pap_base64_decode(const char *s, size_t len, struct wspgw_buf *out)
{
    uint32_t acc = 0;
    unsigned bits = 0, pad = 0, nch = 0;
    size_t i;
    int rc;

    for (i = 0; i < len; i++) {
        int c = (unsigned char) s[i], v;

        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            continue;
        }
        if (c == '=') {
            pad++;
            nch++;
            continue;
        }
        if (pad > 0) {
            return WSPGW_EPROTO;    /* data after padding */
        }
        v = b64_value(c);
        if (v < 0) {
            return WSPGW_EPROTO;
        }
        nch++;
        acc = (acc << 6) | (uint32_t) v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            rc = wspgw_buf_putc(out, (uint8_t) (acc >> bits));
            if (rc != 0) {
                return rc;
            }
            acc &= (1u << bits) - 1;
        }
    }
    if (pad > 2 || (pad > 0 && nch % 4 != 0) || nch % 4 == 1) {
        return WSPGW_EPROTO;
    }
    return 0;
}


int
gw_pap_part_decode(const struct gw_pap_part *p, struct wspgw_buf *out,
    char *why, size_t whylen)
{
    int rc;

    if (p->cte[0] == '\0' || strcasecmp(p->cte, "7bit") == 0
        || strcasecmp(p->cte, "8bit") == 0
        || strcasecmp(p->cte, "binary") == 0)
    {
        return wspgw_buf_append(out, p->data, p->len);
    }
    if (strcasecmp(p->cte, "base64") == 0) {
        rc = gw_pap_base64_decode((const char *) p->data, p->len, out);
        if (rc == WSPGW_EPROTO) {
            WHY("content entity is not valid base64");
        }
        return rc;
    }
    WHY("Content-Transfer-Encoding \"%s\" not supported (base64, 7bit, "
        "8bit, binary)", p->cte);
    return WSPGW_EPROTO;
}


/* ==== client addresses ================================================ */

static int
hexval(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}


int
gw_pap_addr_parse(const char *text, struct gw_pap_addr *out, char *why,
    size_t whylen)
{
    static const char scheme[] = "WAPPUSH=", type_key[] = "/TYPE=";
    const char *s = text, *end, *t, *type, *type_end;
    size_t n, o = 0;
    char client[64];

    memset(out, 0, sizeof(*out));
    while (is_blank((unsigned char) *s)) {
        s++;
    }
    n = strlen(s);
    while (n > 0 && is_blank((unsigned char) s[n - 1])) {
        n--;
    }
    end = s + n;
    if (!ci_prefix(s, n, scheme)) {
        WHY("address must start with WAPPUSH=");
        return GW_PAP_ADDRESS_ERROR;
    }
    s += 8;
    /* The last "/TYPE=" separates the client address from its type. */
    type = NULL;
    for (t = s; t + 6 <= end; t++) {
        if (ci_prefix(t, (size_t) (end - t), type_key)) {
            type = t;
        }
    }
    if (type == NULL) {
        WHY("address without /TYPE=");
        return GW_PAP_ADDRESS_ERROR;
    }
    for (t = s; t < type; t++) {
        int c = (unsigned char) *t;

        if (c == '%') {
            int hi = t + 2 < type ? hexval((unsigned char) t[1]) : -1;
            int lo = hi >= 0 ? hexval((unsigned char) t[2]) : -1;

            if (lo < 0) {
                WHY("bad %%-escape in address");
                return GW_PAP_ADDRESS_ERROR;
            }
            c = hi * 16 + lo;
            t += 2;
        }
        if (o + 1 >= sizeof(client)) {
            WHY("client address too long");
            return GW_PAP_ADDRESS_ERROR;
        }
        client[o++] = (char) c;
    }
    client[o] = '\0';
    if (o == 0) {
        WHY("empty client address");
        return GW_PAP_ADDRESS_ERROR;
    }
    type += 6;
    type_end = memchr(type, '@', (size_t) (end - type));
    if (type_end == NULL) {
        type_end = end;    /* the @ppg specifier is optional */
    }
    n = (size_t) (type_end - type);
    if (n == 4 && strncasecmp(type, "PLMN", 4) == 0) {
        size_t i = client[0] == '+' ? 1 : 0, digits = 0;

        for (; client[i] != '\0'; i++) {
            if (client[i] < '0' || client[i] > '9') {
                WHY("PLMN address \"%s\" is not a number", client);
                return GW_PAP_ADDRESS_ERROR;
            }
            digits++;
        }
        if (digits == 0 || digits > 20) {
            WHY("PLMN address \"%s\" must have 1 to 20 digits", client);
            return GW_PAP_ADDRESS_ERROR;
        }
        out->type = GW_PUSH_PLMN;
        memcpy(out->value, client, o + 1);
        return 0;
    }
    if (n == 4 && strncasecmp(type, "IPv4", 4) == 0) {
        struct in_addr a4;

        if (inet_pton(AF_INET, client, &a4) != 1) {
            WHY("\"%s\" is not an IPv4 address", client);
            return GW_PAP_ADDRESS_ERROR;
        }
        out->type = GW_PUSH_IPV4;
        inet_ntop(AF_INET, &a4, out->value, sizeof(out->value));
        return 0;
    }
    if (n == 4 && strncasecmp(type, "IPv6", 4) == 0) {
        struct in6_addr a6;

        if (inet_pton(AF_INET6, client, &a6) != 1) {
            WHY("\"%s\" is not an IPv6 address", client);
            return GW_PAP_ADDRESS_ERROR;
        }
        out->type = GW_PUSH_IPV6;
        inet_ntop(AF_INET6, &a6, out->value, sizeof(out->value));
        return 0;
    }
    if (n == 4 && strncasecmp(type, "USER", 4) == 0) {
        WHY("TYPE=USER addresses are not supported (PLMN, IPv4, IPv6 are)");
        return GW_PAP_NOT_IMPLEMENTED;
    }
    WHY("unknown address type \"%.*s\" (PLMN, IPv4 or IPv6)", (int) (n > 20
        ? 20 : n), type);
    return GW_PAP_ADDRESS_ERROR;
}


int
gw_pap_addr_format(enum gw_push_addr_type type, const char *value, char *out,
    size_t outlen)
{
    const char *tn = type == GW_PUSH_PLMN ? "PLMN"
        : type == GW_PUSH_IPV4 ? "IPv4" : "IPv6";
    int n = snprintf(out, outlen, "WAPPUSH=%s/TYPE=%s", value, tn);

    return n < 0 || (size_t) n >= outlen ? WSPGW_ENOSPC : 0;
}


/* ==== times =========================================================== */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned) (y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t) doe - 719468;
}


static void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t era;
    unsigned doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned) (z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t) yoe + era * 400 + (*m <= 2);
}


static int
num(const char *s, unsigned n, unsigned *v)
{
    unsigned i;

    *v = 0;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        *v = *v * 10 + (unsigned) (s[i] - '0');
    }
    return 0;
}


int
gw_pap_time_parse(const char *s, uint64_t *ms)
{
    static const unsigned mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
        31, 30, 31 };
    unsigned y, mo, d, h, mi, se;
    int leap;

    if (strlen(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T'
        || s[13] != ':' || s[16] != ':' || s[19] != 'Z'
        || num(s, 4, &y) != 0 || num(s + 5, 2, &mo) != 0
        || num(s + 8, 2, &d) != 0 || num(s + 11, 2, &h) != 0
        || num(s + 14, 2, &mi) != 0 || num(s + 17, 2, &se) != 0)
    {
        return WSPGW_EPROTO;
    }
    leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1]
        || (mo == 2 && d == 29 && !leap) || h > 23 || mi > 59 || se > 60)
    {
        return WSPGW_EPROTO;
    }
    *ms = ((uint64_t) days_from_civil(y, mo, d) * 86400 + h * 3600u
        + mi * 60u + se) * 1000;
    return 0;
}


void
gw_pap_time_format(uint64_t ms, char *out, size_t outlen)
{
    uint64_t secs = ms / 1000;
    int64_t y;
    unsigned m, d, sod = (unsigned) (secs % 86400);

    civil_from_days((int64_t) (secs / 86400), &y, &m, &d);
    snprintf(out, outlen, "%04lld-%02u-%02uT%02u:%02u:%02uZ", (long long) y,
        m, d, sod / 3600, sod / 60 % 60, sod % 60);
}


/* ==== application ids ================================================= */

/* The WINA push application ids with a registered number. */
static const char *const app_names[] = {
    "*", "push.sia", "wml.ua", "wta.ua", "mms.ua", "push.syncml", "loc.ua",
    "syncml.dm", "drm.ua", "emn.ua", "wv.ua"
};

#define N_APP_NAMES (sizeof(app_names) / sizeof(app_names[0]))


int
gw_pap_app_id(const char *in, char *out, size_t outlen)
{
    char v[128];
    const char *name;
    size_t i, n;
    int w;

    if (copy_trim(in, strlen(in), v, sizeof(v)) != 0) {
        return WSPGW_ENOSPC;
    }
    n = strlen(v);
    for (i = 0; i < n; i++) {
        if ((unsigned char) v[i] <= ' ' || v[i] == 0x7f) {
            return WSPGW_EPROTO;
        }
    }
    name = v;
    if (n > 0 && strspn(v, "0123456789") == n) {
        unsigned long x = n <= 6 ? strtoul(v, NULL, 10) : ULONG_MAX;

        if (x < N_APP_NAMES) {
            name = app_names[x];
        }
    } else if (n > 2 && (v[0] == '0') && (v[1] == 'x' || v[1] == 'X')
        && strspn(v + 2, "0123456789abcdefABCDEF") == n - 2 && n <= 10)
    {
        unsigned long x = strtoul(v + 2, NULL, 16);

        if (x < N_APP_NAMES) {
            name = app_names[x];
        } else {
            w = snprintf(out, outlen, "%lu", x);
            return w < 0 || (size_t) w >= outlen ? WSPGW_ENOSPC : 0;
        }
    } else if (ci_prefix(v, n, "x-wap-application:")) {
        name = v + 18;
    }
    for (i = 0; i < N_APP_NAMES; i++) {
        if (strcasecmp(name, app_names[i]) == 0) {
            w = snprintf(out, outlen, "x-wap-application:%s", app_names[i]);
            return w < 0 || (size_t) w >= outlen ? WSPGW_ENOSPC : 0;
        }
    }
    /* A bare name with no scheme is a short name of the WINA space. */
    if (name == v && n > 0 && strchr(v, ':') == NULL
        && strspn(v, "0123456789") != n)
    {
        w = snprintf(out, outlen, "x-wap-application:%s", v);
    } else {
        w = snprintf(out, outlen, "%s", v);
    }
    return w < 0 || (size_t) w >= outlen ? WSPGW_ENOSPC : 0;
}


/* ==== application/x-www-form-urlencoded =============================== */

/* Decodes one form component (s, n) into out; -1 bad, -2 too long. */
static int
form_decode(const uint8_t *s, size_t n, char *out, size_t outlen)
{
    size_t i, o = 0;

    for (i = 0; i < n; i++) {
        int c = s[i];

        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
            int lo = hi >= 0 ? hexval(s[i + 2]) : -1;

            if (lo < 0) {
                return -1;
            }
            c = hi * 16 + lo;
            i += 2;
        }
        if (c == 0) {
            return -1;
        }
        if (o + 1 >= outlen) {
            return -2;
        }
        out[o++] = (char) c;
    }
    out[o] = '\0';
    return 0;
}


int
gw_pap_form_field(const uint8_t *body, size_t len, const char *name,
    char *out, size_t outlen)
{
    size_t i = 0;
    int found = 0;

    while (i < len) {
        const uint8_t *amp = memchr(body + i, '&', len - i);
        size_t end = amp != NULL ? (size_t) (amp - body) : len;
        const uint8_t *eq = memchr(body + i, '=', end - i);
        size_t kend = eq != NULL ? (size_t) (eq - body) : end;
        char key[64];
        int rc;

        /* A line end after the last field (curl --data-binary @file). */
        while (end > i && (body[end - 1] == '\r' || body[end - 1] == '\n')) {
            end--;
            if (kend > end) {
                kend = end;
            }
        }
        rc = form_decode(body + i, kend - i, key, sizeof(key));
        if (rc == 0 && strcmp(key, name) == 0) {
            if (found) {
                return WSPGW_EPROTO;
            }
            found = 1;
            rc = eq != NULL && kend < end ? form_decode(body + kend + 1,
                end - kend - 1, out, outlen) : form_decode(body, 0, out,
                outlen);
            if (rc == -1) {
                return WSPGW_EPROTO;
            }
            if (rc == -2) {
                return WSPGW_ENOSPC;
            }
        } else if (rc == -1) {
            return WSPGW_EPROTO;
        }
        i = amp != NULL ? (size_t) (amp - body) + 1 : len;
    }
    return found;
}


/* ==== the control entity ============================================== */

static int
fail(struct gw_pap_error *err, int code, int bad_message, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static int
fail(struct gw_pap_error *err, int code, int bad_message, const char *fmt,
    ...)
{
    va_list ap;

    err->code = code;
    err->bad_message = bad_message;
    va_start(ap, fmt);
    vsnprintf(err->desc, sizeof(err->desc), fmt, ap);
    va_end(ap);
    return code;
}


static void
set_fragment(struct gw_pap_error *err, const uint8_t *p, size_t n)
{
    if (n > sizeof(err->fragment)) {
        n = sizeof(err->fragment);
    }
    memcpy(err->fragment, p, n);
    err->fragment_len = n;
}


/*
 * Refuses a DOCTYPE with an internal subset, and any entity or notation
 * declaration, before libxml2 parses: the PAP DTD declares only parameter
 * entities in the external subset, so a request has no reason to declare
 * anything, and refusing here rules out XXE and entity expansion bombs
 * whatever libxml2's defaults are.
 */
static int
declares_dtd_subset(const uint8_t *x, size_t len)
{
    static const char *const bad[] = { "<!ENTITY", "<!ELEMENT", "<!ATTLIST",
        "<!NOTATION" };
    const uint8_t *dt = NULL;
    size_t i, k;
    uint8_t q = 0;

    for (i = 0; i + 9 <= len; i++) {
        for (k = 0; k < 4; k++) {
            size_t bl = strlen(bad[k]);

            if (i + bl <= len && memcmp(x + i, bad[k], bl) == 0) {
                return 1;
            }
        }
        if (dt == NULL && memcmp(x + i, "<!DOCTYPE", 9) == 0) {
            dt = x + i;
        }
    }
    if (dt == NULL) {
        return 0;
    }
    for (i = (size_t) (dt - x) + 9; i < len; i++) {
        if (q != 0) {
            if (x[i] == q) {
                q = 0;
            }
        } else if (x[i] == '"' || x[i] == '\'') {
            q = x[i];
        } else if (x[i] == '[') {
            return 1;
        } else if (x[i] == '>') {
            return 0;
        }
    }
    return 0;
}


static int
version_of(xmlDocPtr doc, enum gw_pap_version *v, struct gw_pap_error *err)
{
    xmlDtdPtr dtd = doc->intSubset;
    const char *pub, *sys;

    *v = GW_PAP_V20;
    if (dtd == NULL) {
        return 0;
    }
    if (dtd->name == NULL || strcmp((const char *) dtd->name, "pap") != 0) {
        return fail(err, GW_PAP_BAD_REQUEST, 1,
            "DOCTYPE is not pap");
    }
    pub = (const char *) dtd->ExternalID;
    sys = (const char *) dtd->SystemID;
    if (pub != NULL) {
        if (strcasecmp(pub, "-//WAPFORUM//DTD PAP 1.0//EN") == 0
            || strcasecmp(pub, "-//WAPFORUM//DTD PAP//EN") == 0)
        {
            *v = GW_PAP_V10;
        } else if (strcasecmp(pub, "-//WAPFORUM//DTD PAP 2.0//EN") == 0) {
            *v = GW_PAP_V20;
        } else if (strcasecmp(pub, "-//WAPFORUM//DTD PAP 2.1//EN") == 0
            || strcasecmp(pub, "-//OMA//DTD PAP 2.1//EN") == 0)
        {
            *v = GW_PAP_V21;
        } else {
            return fail(err, GW_PAP_VERSION_NOT_SUPPORTED, 1,
                "PAP version \"%.60s\" not supported (1.0, 2.0, 2.1)", pub);
        }
        return 0;
    }
    if (sys != NULL) {
        if (strstr(sys, "pap_1.0") != NULL) {
            *v = GW_PAP_V10;
        } else if (strstr(sys, "pap_2.0") != NULL) {
            *v = GW_PAP_V20;
        } else if (strstr(sys, "pap_2.1") != NULL) {
            *v = GW_PAP_V21;
        } else {
            return fail(err, GW_PAP_VERSION_NOT_SUPPORTED, 1,
                "PAP DTD \"%.60s\" not supported (1.0, 2.0, 2.1)", sys);
        }
    }
    return 0;
}


/* Is node an element named name? */
static int
is_elem(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE
        && strcmp((const char *) n->name, name) == 0;
}


/*
 * Checks that a node's children are only blanks, comments, PIs and
 * elements (no text, no entity references: nothing in PAP has content).
 */
static int
only_elements(xmlNodePtr parent, struct gw_pap_error *err, int bad)
{
    xmlNodePtr c;

    for (c = parent->children; c != NULL; c = c->next) {
        if (c->type == XML_ELEMENT_NODE || c->type == XML_COMMENT_NODE
            || c->type == XML_PI_NODE)
        {
            continue;
        }
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            const xmlChar *t = c->content;

            while (t != NULL && *t != '\0') {
                if (*t != ' ' && *t != '\t' && *t != '\r' && *t != '\n') {
                    return fail(err, GW_PAP_BAD_REQUEST, bad,
                        "text inside <%s>", (const char *) parent->name);
                }
                t++;
            }
            continue;
        }
        return fail(err, GW_PAP_BAD_REQUEST, bad,
            "unexpected node inside <%s>", (const char *) parent->name);
    }
    return 0;
}


/*
 * Checks every attribute of n against allowed (NULL-terminated) and
 * copies nothing; refuses namespaced or unknown attributes and entity
 * references in values.
 */
static int
check_attrs(xmlNodePtr n, const char *const *allowed,
    struct gw_pap_error *err, int bad)
{
    xmlAttrPtr a;

    for (a = n->properties; a != NULL; a = a->next) {
        size_t i;
        int ok = 0;

        for (i = 0; allowed[i] != NULL; i++) {
            if (strcmp((const char *) a->name, allowed[i]) == 0) {
                ok = 1;
            }
        }
        if (!ok || a->ns != NULL) {
            return fail(err, GW_PAP_BAD_REQUEST, bad,
                "unknown attribute %.40s in <%s>", (const char *) a->name,
                (const char *) n->name);
        }
        if (a->children != NULL && (a->children->type != XML_TEXT_NODE
            || a->children->next != NULL))
        {
            return fail(err, GW_PAP_BAD_REQUEST, bad,
                "entity reference in attribute %s", (const char *) a->name);
        }
    }
    return 0;
}


/* The attribute's value (libxml2's own string), or NULL. */
static const char *
attr(xmlNodePtr n, const char *name)
{
    xmlAttrPtr a;

    for (a = n->properties; a != NULL; a = a->next) {
        if (strcmp((const char *) a->name, name) == 0) {
            if (a->children == NULL || a->children->content == NULL) {
                return "";
            }
            return (const char *) a->children->content;
        }
    }
    return NULL;
}


static int
copy_attr(const char *v, char *out, size_t outlen)
{
    size_t n = strlen(v);

    if (n >= outlen) {
        return -1;
    }
    memcpy(out, v, n + 1);
    return 0;
}


/* (true|false) as PAP spells it; returns -1 for anything else. */
static int
parse_bool(const char *v)
{
    if (v == NULL) {
        return 0;
    }
    if (strcmp(v, "true") == 0) {
        return 1;
    }
    if (strcmp(v, "false") == 0) {
        return 0;
    }
    return -1;
}


static int
parse_qos(xmlNodePtr q, struct gw_pap_msg *m, struct gw_pap_error *err)
{
    static const char *const qos_attrs[] = { "priority", "delivery-method",
        "network", "network-required", "bearer", "bearer-required", NULL };
    const char *v;
    int b;

    if (check_attrs(q, qos_attrs, err, 0) != 0) {
        return err->code;
    }
    if (q->children != NULL && only_elements(q, err, 0) != 0) {
        return err->code;
    }
    if (q->children != NULL) {
        xmlNodePtr c;

        for (c = q->children; c != NULL; c = c->next) {
            if (c->type == XML_ELEMENT_NODE) {
                return fail(err, GW_PAP_BAD_REQUEST, 0,
                    "<quality-of-service> has no child elements");
            }
        }
    }
    v = attr(q, "priority");
    if (v != NULL && strcmp(v, "high") != 0 && strcmp(v, "medium") != 0
        && strcmp(v, "low") != 0)
    {
        return fail(err, GW_PAP_BAD_REQUEST, 0,
            "priority must be high, medium or low");
    }
    v = attr(q, "delivery-method");
    if (v == NULL || strcmp(v, "notspecified") == 0) {
        m->delivery_method = GW_PAP_NOTSPECIFIED;
    } else if (strcmp(v, "unconfirmed") == 0) {
        m->delivery_method = GW_PAP_UNCONFIRMED;
    } else if (strcmp(v, "preferconfirmed") == 0) {
        m->delivery_method = GW_PAP_PREFERCONFIRMED;
    } else if (strcmp(v, "confirmed") == 0) {
        m->delivery_method = GW_PAP_CONFIRMED;
        return fail(err, GW_PAP_DELIVERY_METHOD, 0,
            "confirmed delivery is not offered (unconfirmed or "
            "preferconfirmed)");
    } else {
        return fail(err, GW_PAP_BAD_REQUEST, 0,
            "delivery-method must be confirmed, preferconfirmed, "
            "unconfirmed or notspecified");
    }
    b = parse_bool(attr(q, "network-required"));
    if (b < 0) {
        return fail(err, GW_PAP_BAD_REQUEST, 0,
            "network-required must be true or false");
    }
    m->network_required = b;
    b = parse_bool(attr(q, "bearer-required"));
    if (b < 0) {
        return fail(err, GW_PAP_BAD_REQUEST, 0,
            "bearer-required must be true or false");
    }
    m->bearer_required = b;
    v = attr(q, "network");
    if (v != NULL && copy_attr(v, m->network, sizeof(m->network)) != 0) {
        return fail(err, GW_PAP_BAD_REQUEST, 0, "network too long");
    }
    v = attr(q, "bearer");
    if (v != NULL && copy_attr(v, m->bearer, sizeof(m->bearer)) != 0) {
        return fail(err, GW_PAP_BAD_REQUEST, 0, "bearer too long");
    }
    return 0;
}


/*
 * A required bearer or network must be one that reaches the address: a
 * PLMN number goes over GSM SMS (WDP over SMS, 3GPP TS 23.040), an IP
 * address over any IP bearer (WAP-259 WDP Appendix C names them).
 */
static int
check_bearer(struct gw_pap_msg *m, struct gw_pap_error *err)
{
    static const char *const ip_bearers[] = { "Any", "CSD", "GPRS",
        "Packet Data", "USSD", NULL };
    size_t i;
    int ok;

    if (m->bearer_required && m->bearer[0] != '\0') {
        if (m->addr.type == GW_PUSH_PLMN) {
            ok = strcasecmp(m->bearer, "SMS") == 0
                || strcasecmp(m->bearer, "Any") == 0;
        } else {
            ok = 0;
            for (i = 0; ip_bearers[i] != NULL; i++) {
                if (strcasecmp(m->bearer, ip_bearers[i]) == 0) {
                    ok = 1;
                }
            }
        }
        if (!ok) {
            return fail(err, GW_PAP_BEARER_NOT_AVAILABLE, 0,
                "required bearer %s cannot reach a %s address", m->bearer,
                m->addr.type == GW_PUSH_PLMN ? "PLMN" : "IP");
        }
    }
    if (m->network_required && m->network[0] != '\0'
        && m->addr.type == GW_PUSH_PLMN && strcasecmp(m->network, "GSM") != 0
        && strcasecmp(m->network, "Any") != 0)
    {
        return fail(err, GW_PAP_NETWORK_NOT_AVAILABLE, 0,
            "required network %s not available (GSM SMS only)", m->network);
    }
    return 0;
}


/* Reads the address children of a message element. */
static int
parse_addresses(xmlNodePtr msg, struct gw_pap_msg *m,
    struct gw_pap_error *err, xmlNodePtr *qos)
{
    static const char *const addr_attrs[] = { "address-value", NULL };
    xmlNodePtr c;
    int rc;

    *qos = NULL;
    for (c = msg->children; c != NULL; c = c->next) {
        const char *v;
        struct gw_pap_addr a;
        char why[160];

        if (c->type != XML_ELEMENT_NODE) {
            continue;
        }
        if (is_elem(c, "quality-of-service") && m->kind == GW_PAP_PUSH
            && *qos == NULL)
        {
            *qos = c;
            continue;
        }
        if (!is_elem(c, "address") || *qos != NULL) {
            return fail(err, GW_PAP_BAD_REQUEST, 0,
                "unexpected <%.40s> in <%s>", (const char *) c->name,
                (const char *) msg->name);
        }
        if (check_attrs(c, addr_attrs, err, 0) != 0
            || only_elements(c, err, 0) != 0)
        {
            return err->code;
        }
        if (c->children != NULL) {
            xmlNodePtr e;

            for (e = c->children; e != NULL; e = e->next) {
                if (e->type == XML_ELEMENT_NODE) {
                    return fail(err, GW_PAP_BAD_REQUEST, 0,
                        "<address> has no child elements");
                }
            }
        }
        if (++m->n_addr > GW_PAP_ADDR_MAX) {
            return fail(err, GW_PAP_MULTIPLE_ADDRESSES, 0,
                "more than %d addresses", GW_PAP_ADDR_MAX);
        }
        v = attr(c, "address-value");
        if (v == NULL) {
            return fail(err, GW_PAP_BAD_REQUEST, 0,
                "<address> without address-value");
        }
        rc = gw_pap_addr_parse(v, &a, why, sizeof(why));
        if (rc != 0) {
            return fail(err, rc, 0, "%s", why);
        }
        if (m->n_addr == 1) {
            m->addr = a;
            if (copy_attr(v, m->addr_text, sizeof(m->addr_text)) != 0) {
                return fail(err, GW_PAP_ADDRESS_ERROR, 0,
                    "address-value too long");
            }
        }
    }
    return 0;
}


static int
parse_push(xmlNodePtr pm, uint64_t now_ms, struct gw_pap_msg *m,
    struct gw_pap_error *err)
{
    static const char *const push_attrs[] = { "push-id", "replace-push-id",
        "replace-method", "deliver-before-timestamp",
        "deliver-after-timestamp", "source-reference",
        "ppg-notify-requested-to", "progress-notes-requested", NULL };
    xmlNodePtr qos;
    const char *v;
    int b, rc;

    if (check_attrs(pm, push_attrs, err, 0) != 0
        || only_elements(pm, err, 0) != 0)
    {
        return err->code;
    }
    if (attr(pm, "replace-push-id") != NULL) {
        return fail(err, GW_PAP_REPLACEMENT, 0,
            "replace-push-id is not supported (cancel, then push)");
    }
    v = attr(pm, "deliver-before-timestamp");
    if (v != NULL && gw_pap_time_parse(v, &m->deliver_before_ms) != 0) {
        return fail(err, GW_PAP_BAD_REQUEST, 0,
            "deliver-before-timestamp is not YYYY-MM-DDThh:mm:ssZ");
    }
    v = attr(pm, "deliver-after-timestamp");
    if (v != NULL && gw_pap_time_parse(v, &m->deliver_after_ms) != 0) {
        return fail(err, GW_PAP_BAD_REQUEST, 0,
            "deliver-after-timestamp is not YYYY-MM-DDThh:mm:ssZ");
    }
    if (m->deliver_before_ms != 0 && now_ms != 0
        && m->deliver_before_ms <= now_ms)
    {
        return fail(err, GW_PAP_BAD_REQUEST, 0,
            "deliver-before-timestamp has already passed");
    }
    if (m->deliver_before_ms != 0
        && m->deliver_after_ms >= m->deliver_before_ms)
    {
        return fail(err, GW_PAP_BAD_REQUEST, 0,
            "deliver-after-timestamp is not before deliver-before-timestamp");
    }
    v = attr(pm, "source-reference");
    if (v != NULL && copy_attr(v, m->source_reference,
        sizeof(m->source_reference)) != 0)
    {
        return fail(err, GW_PAP_BAD_REQUEST, 0, "source-reference too long");
    }
    v = attr(pm, "ppg-notify-requested-to");
    if (v != NULL) {
        if (strncasecmp(v, "http://", 7) != 0
            && strncasecmp(v, "https://", 8) != 0)
        {
            return fail(err, GW_PAP_BAD_REQUEST, 0,
                "ppg-notify-requested-to must be an http(s) URL");
        }
        if (copy_attr(v, m->notify_to, sizeof(m->notify_to)) != 0) {
            return fail(err, GW_PAP_BAD_REQUEST, 0,
                "ppg-notify-requested-to too long");
        }
    }
    b = parse_bool(attr(pm, "progress-notes-requested"));
    if (b < 0) {
        return fail(err, GW_PAP_BAD_REQUEST, 0,
            "progress-notes-requested must be true or false");
    }
    m->progress_notes = b;
    v = attr(pm, "replace-method");
    if (v != NULL && strcmp(v, "all") != 0 && strcmp(v, "pending-only") != 0)
    {
        return fail(err, GW_PAP_BAD_REQUEST, 0,
            "replace-method must be all or pending-only");
    }
    rc = parse_addresses(pm, m, err, &qos);
    if (rc != 0) {
        return rc;
    }
    if (m->n_addr == 0) {
        return fail(err, GW_PAP_BAD_REQUEST, 0,
            "<push-message> without <address>");
    }
    if (m->n_addr > 1) {
        return fail(err, GW_PAP_MULTIPLE_ADDRESSES, 0,
            "one address per push-message (got %u)", m->n_addr);
    }
    if (qos != NULL) {
        rc = parse_qos(qos, m, err);
        if (rc != 0) {
            return rc;
        }
    }
    return check_bearer(m, err);
}


static int
parse_message(xmlNodePtr root, uint64_t now_ms, struct gw_pap_msg *m,
    struct gw_pap_error *err)
{
    static const char *const pap_attrs[] = { "product-name", NULL };
    static const char *const id_attrs[] = { "push-id", NULL };
    xmlNodePtr c, msg = NULL, qos;
    const char *id;

    if (root == NULL || !is_elem(root, "pap") || root->ns != NULL) {
        return fail(err, GW_PAP_BAD_REQUEST, 1, "root element is not <pap>");
    }
    if (check_attrs(root, pap_attrs, err, 1) != 0
        || only_elements(root, err, 1) != 0)
    {
        return err->code;
    }
    for (c = root->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) {
            continue;
        }
        if (msg != NULL) {
            return fail(err, GW_PAP_BAD_REQUEST, 1,
                "<pap> holds more than one message");
        }
        msg = c;
    }
    if (msg == NULL) {
        return fail(err, GW_PAP_BAD_REQUEST, 1, "<pap> holds no message");
    }
    if (is_elem(msg, "push-message")) {
        m->kind = GW_PAP_PUSH;
    } else if (is_elem(msg, "cancel-message")) {
        m->kind = GW_PAP_CANCEL;
    } else if (is_elem(msg, "statusquery-message")) {
        m->kind = GW_PAP_STATUSQUERY;
    } else if (is_elem(msg, "ccq-message")) {
        return fail(err, GW_PAP_NOT_IMPLEMENTED, 1,
            "ccq-message (client capabilities query) is not implemented");
    } else {
        return fail(err, GW_PAP_BAD_REQUEST, 1,
            "<%.40s> is not a request a PPG accepts",
            (const char *) msg->name);
    }
    id = attr(msg, "push-id");
    if (id == NULL || id[0] == '\0') {
        return fail(err, GW_PAP_BAD_REQUEST, 1, "<%s> without push-id",
            (const char *) msg->name);
    }
    if (copy_attr(id, m->push_id, sizeof(m->push_id)) != 0) {
        return fail(err, GW_PAP_BAD_REQUEST, 1,
            "push-id longer than %zu octets", sizeof(m->push_id) - 1);
    }
    if (m->kind == GW_PAP_PUSH) {
        return parse_push(msg, now_ms, m, err);
    }
    if (check_attrs(msg, id_attrs, err, 0) != 0
        || only_elements(msg, err, 0) != 0)
    {
        return err->code;
    }
    return parse_addresses(msg, m, err, &qos);
}


/* Does the tree hold an entity reference anywhere (never valid in PAP)? */
static int
has_entity_ref(xmlNodePtr n)
{
    for (; n != NULL; n = n->next) {
        if (n->type == XML_ENTITY_REF_NODE || n->type == XML_ENTITY_NODE) {
            return 1;
        }
        if (n->type == XML_ELEMENT_NODE && has_entity_ref(n->children)) {
            return 1;
        }
    }
    return 0;
}


int
gw_pap_parse(const uint8_t *xml, size_t len, uint64_t now_ms,
    struct gw_pap_msg *out, struct gw_pap_error *err)
{
    xmlParserCtxtPtr ctx;
    xmlDocPtr doc;
    int rc;

    memset(out, 0, sizeof(*out));
    memset(err, 0, sizeof(*err));
    out->version = GW_PAP_V20;
    set_fragment(err, xml, len);
    if (len == 0) {
        return fail(err, GW_PAP_BAD_REQUEST, 1, "empty PAP control entity");
    }
    if (len > GW_PAP_DOC_MAX) {
        return fail(err, GW_PAP_BAD_REQUEST, 1,
            "PAP control entity larger than %d octets", GW_PAP_DOC_MAX);
    }
    if (memchr(xml, 0, len) != NULL) {
        return fail(err, GW_PAP_BAD_REQUEST, 1, "NUL in PAP control entity");
    }
    if (declares_dtd_subset(xml, len)) {
        return fail(err, GW_PAP_BAD_REQUEST, 1,
            "DTD declarations (internal subset, entities) are not accepted");
    }
    ctx = xmlNewParserCtxt();
    if (ctx == NULL) {
        return fail(err, GW_PAP_INTERNAL_ERROR, 1, "out of memory");
    }
    /* No network, no DTD loading, no entity substitution, no validation,
     * no messages on stderr. */
    doc = xmlCtxtReadMemory(ctx, (const char *) xml, (int) len, "pap.xml",
        NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING
        | XML_PARSE_NOCDATA);
    if (doc == NULL) {
        const xmlError *e = xmlCtxtGetLastError(ctx);
        char msg[120];
        size_t n;

        snprintf(msg, sizeof(msg), "%s", e != NULL && e->message != NULL
            ? e->message : "not well-formed");
        n = strlen(msg);
        while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' ')) {
            msg[--n] = '\0';
        }
        rc = fail(err, GW_PAP_BAD_REQUEST, 1, "XML error at line %d: %s",
            e != NULL ? e->line : 0, msg);
        xmlFreeParserCtxt(ctx);
        return rc;
    }
    xmlFreeParserCtxt(ctx);
    if (doc->intSubset != NULL && doc->intSubset->children != NULL) {
        rc = fail(err, GW_PAP_BAD_REQUEST, 1,
            "DTD declarations are not accepted");
    } else if (has_entity_ref(doc->children)) {
        rc = fail(err, GW_PAP_BAD_REQUEST, 1,
            "entity references are not accepted");
    } else {
        rc = version_of(doc, &out->version, err);
        if (rc == 0) {
            rc = parse_message(xmlDocGetRootElement(doc), now_ms, out, err);
        }
    }
    xmlFreeDoc(doc);
    if (rc != 0 && err->bad_message) {
        out->push_id[0] = '\0';
    }
    return rc;
}


/* ==== answers ========================================================= */

/* Length of a valid UTF-8 sequence at s (n left), or 0. */
static size_t
utf8_len(const uint8_t *s, size_t n)
{
    size_t k, i;
    uint32_t cp;

    if (s[0] < 0x80) {
        return 1;
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        k = 2;
        cp = s[0] & 0x1F;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        k = 3;
        cp = s[0] & 0x0F;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        k = 4;
        cp = s[0] & 0x07;
    } else {
        return 0;
    }
    if (k > n) {
        return 0;
    }
    for (i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((k == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)))
        || (k == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
    {
        return 0;
    }
    return k;
}


/* An escaped attribute value from untrusted octets: invalid UTF-8 becomes
 * '?', and the value is cut at max octets on a character boundary. */
static int
put_fragment(struct wspgw_buf *b, const uint8_t *s, size_t n, size_t max)
{
    size_t i = 0;
    int rc = 0;

    if (n > max) {
        n = max;
    }
    while (i < n && rc == 0) {
        size_t k = utf8_len(s + i, n - i);

        if (k == 0) {
            rc = wspgw_buf_putc(b, '?');
            i++;
            continue;
        }
        rc = wspgw_buf_put_xml(b, s + i, k, 0);
        i += k;
    }
    return rc;
}


static int
put_attr(struct wspgw_buf *b, const char *name, const char *value)
{
    int rc;

    if (value == NULL) {
        return 0;
    }
    rc = wspgw_buf_printf(b, " %s=\"", name);
    if (rc == 0) {
        rc = wspgw_buf_put_xml(b, (const uint8_t *) value, strlen(value),
            0);
    }
    if (rc == 0) {
        rc = wspgw_buf_putc(b, '"');
    }
    return rc;
}


static int
put_time_attr(struct wspgw_buf *b, const char *name, uint64_t ms)
{
    char t[32];

    if (ms == 0) {
        return 0;
    }
    gw_pap_time_format(ms, t, sizeof(t));
    return put_attr(b, name, t);
}


static int
put_address(struct wspgw_buf *b, const char *indent, const char *address)
{
    int rc;

    if (address == NULL) {
        return 0;
    }
    rc = wspgw_buf_printf(b, "%s<address", indent);
    if (rc == 0) {
        rc = put_attr(b, "address-value", address);
    }
    if (rc == 0) {
        rc = wspgw_buf_puts(b, "/>\n");
    }
    return rc;
}


static const char *
doctype(enum gw_pap_version v)
{
    switch (v) {
    case GW_PAP_V10:
        return "<!DOCTYPE pap PUBLIC \"-//WAPFORUM//DTD PAP 1.0//EN\" "
            "\"http://www.wapforum.org/DTD/pap_1.0.dtd\">";
    case GW_PAP_V21:
        return "<!DOCTYPE pap PUBLIC \"-//WAPFORUM//DTD PAP 2.1//EN\" "
            "\"http://www.openmobilealliance.org/tech/DTD/pap_2.1.dtd\">";
    default:
        return "<!DOCTYPE pap PUBLIC \"-//WAPFORUM//DTD PAP 2.0//EN\" "
            "\"http://www.wapforum.org/DTD/pap_2.0.dtd\">";
    }
}


int
gw_pap_build(struct wspgw_buf *out, const struct gw_pap_resp *r)
{
    const char *desc = r->desc != NULL ? r->desc : gw_pap_code_text(r->code);
    char code[16];
    const char *state;
    int rc;

    if (r->kind != GW_PAP_BADMESSAGE_RESPONSE && r->push_id == NULL) {
        return WSPGW_EINVAL;
    }
    if (r->kind == GW_PAP_RESULTNOTIFICATION && r->address == NULL) {
        return WSPGW_EINVAL;
    }
    snprintf(code, sizeof(code), "%d", r->code);
    state = gw_pap_state_name(r->state);
    if (r->state == GW_PAP_STATE_UNKNOWN && r->version == GW_PAP_V10) {
        state = "undeliverable";    /* PAP 1.0 has no "unknown" */
    }
    rc = wspgw_buf_printf(out, "<?xml version=\"1.0\"?>\n%s\n<pap",
        doctype(r->version));
    if (rc == 0) {
        rc = wspgw_buf_puts(out, ">\n");
    }
    switch (r->kind) {
    case GW_PAP_PUSH_RESPONSE:
        rc = rc != 0 ? rc : wspgw_buf_puts(out, "  <push-response");
        rc = rc != 0 ? rc : put_attr(out, "push-id", r->push_id);
        rc = rc != 0 ? rc : put_attr(out, "sender-name", r->sender_name);
        rc = rc != 0 ? rc : put_time_attr(out, "reply-time", r->time_ms);
        rc = rc != 0 ? rc : wspgw_buf_puts(out, ">\n    <response-result");
        rc = rc != 0 ? rc : put_attr(out, "code", code);
        rc = rc != 0 ? rc : put_attr(out, "desc", desc);
        rc = rc != 0 ? rc : wspgw_buf_puts(out, "/>\n  </push-response>\n");
        break;
    case GW_PAP_BADMESSAGE_RESPONSE:
        rc = rc != 0 ? rc : wspgw_buf_puts(out, "  <badmessage-response");
        rc = rc != 0 ? rc : put_attr(out, "code", code);
        rc = rc != 0 ? rc : put_attr(out, "desc", desc);
        if (rc == 0 && r->fragment != NULL) {
            rc = wspgw_buf_puts(out, " bad-message-fragment=\"");
            rc = rc != 0 ? rc : put_fragment(out, r->fragment,
                r->fragment_len, GW_PAP_FRAGMENT_MAX);
            rc = rc != 0 ? rc : wspgw_buf_putc(out, '"');
        }
        rc = rc != 0 ? rc : wspgw_buf_puts(out, "/>\n");
        break;
    case GW_PAP_CANCEL_RESPONSE:
        rc = rc != 0 ? rc : wspgw_buf_puts(out, "  <cancel-response");
        rc = rc != 0 ? rc : put_attr(out, "push-id", r->push_id);
        rc = rc != 0 ? rc : wspgw_buf_puts(out, ">\n    <cancel-result");
        rc = rc != 0 ? rc : put_attr(out, "code", code);
        rc = rc != 0 ? rc : put_attr(out, "desc", desc);
        if (r->address != NULL) {
            rc = rc != 0 ? rc : wspgw_buf_puts(out, ">\n");
            rc = rc != 0 ? rc : put_address(out, "      ", r->address);
            rc = rc != 0 ? rc : wspgw_buf_puts(out, "    </cancel-result>\n");
        } else {
            rc = rc != 0 ? rc : wspgw_buf_puts(out, "/>\n");
        }
        rc = rc != 0 ? rc : wspgw_buf_puts(out, "  </cancel-response>\n");
        break;
    case GW_PAP_STATUSQUERY_RESPONSE:
        rc = rc != 0 ? rc : wspgw_buf_puts(out, "  <statusquery-response");
        rc = rc != 0 ? rc : put_attr(out, "push-id", r->push_id);
        rc = rc != 0 ? rc : wspgw_buf_puts(out, ">\n    <statusquery-result");
        rc = rc != 0 ? rc : put_time_attr(out, "event-time", r->time_ms);
        rc = rc != 0 ? rc : put_attr(out, "message-state", state);
        rc = rc != 0 ? rc : put_attr(out, "code", code);
        rc = rc != 0 ? rc : put_attr(out, "desc", desc);
        if (r->address != NULL) {
            rc = rc != 0 ? rc : wspgw_buf_puts(out, ">\n");
            rc = rc != 0 ? rc : put_address(out, "      ", r->address);
            rc = rc != 0 ? rc
                : wspgw_buf_puts(out, "    </statusquery-result>\n");
        } else {
            rc = rc != 0 ? rc : wspgw_buf_puts(out, "/>\n");
        }
        rc = rc != 0 ? rc : wspgw_buf_puts(out, "  </statusquery-response>\n");
        break;
    case GW_PAP_RESULTNOTIFICATION:
        rc = rc != 0 ? rc
            : wspgw_buf_puts(out, "  <resultnotification-message");
        rc = rc != 0 ? rc : put_attr(out, "push-id", r->push_id);
        rc = rc != 0 ? rc : put_attr(out, "sender-name", r->sender_name);
        rc = rc != 0 ? rc : put_time_attr(out, "received-time",
            r->received_ms);
        rc = rc != 0 ? rc : put_time_attr(out, "event-time", r->time_ms);
        rc = rc != 0 ? rc : put_attr(out, "message-state", state);
        rc = rc != 0 ? rc : put_attr(out, "code", code);
        rc = rc != 0 ? rc : put_attr(out, "desc", desc);
        rc = rc != 0 ? rc : wspgw_buf_puts(out, ">\n");
        rc = rc != 0 ? rc : put_address(out, "    ", r->address);
        rc = rc != 0 ? rc
            : wspgw_buf_puts(out, "  </resultnotification-message>\n");
        break;
    default:
        return WSPGW_EINVAL;
    }
    rc = rc != 0 ? rc : wspgw_buf_puts(out, "</pap>\n");
    return rc;
}
