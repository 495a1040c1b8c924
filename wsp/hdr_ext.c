/*
 * wsp/hdr_ext.c - the value grammars of the binary header codec that are
 * built on a Value-length: Range, Content-Range (1.1 and 1.3 forms),
 * Retry-After, Authorization / Proxy-Authorization (Basic credentials),
 * WWW-Authenticate / Proxy-Authenticate (Basic challenge), Warning,
 * Content-MD5, TE, Expect and Profile-Warning, plus the helpers that
 * hdr_cookie.c shares.  Each grammar has a decoder and an encoder that
 * codecs[] (hdr_value.c) names.
 *
 * Spec: WAP-230-WSP-20010705-a 8.4.2.5 / 8.4.2.14 / 8.4.2.40
 * (Authorization, Credentials), 8.4.2.39 / 8.4.2.52 (Challenge),
 * 8.4.2.22 (Content-MD5), 8.4.2.23 (Content-Range), 8.4.2.42 (Range),
 * 8.4.2.44 (Retry-After), 8.4.2.51 (Warning), 8.4.2.62 (Profile-Warning),
 * 8.4.2.63 (Expect), 8.4.2.64 (TE).  Facts in
 * shared/reference/wsp-headers.md section 3 and section 8 (warning
 * codes).
 *
 * Design: one HTTP form per grammar, the one an HTTP server or client
 * reads: "bytes=0-99", "bytes=-100", "bytes 0-*\/1000", "Basic <base64>",
 * "Basic realm=\"x\"", "110 agent \"text\"", base64 for the MD5 digest,
 * "gzip; q=0.5", "100-continue".  The encoders accept exactly that form
 * and return WSPGW_EINVAL for any other (multi-range sets, 299 warnings,
 * expectations without a value): the caller then sends the header as an
 * application header, which loses nothing.
 *
 * Other auth schemes (Digest) map "Scheme a=b, c=\"d\"" to and from
 * Auth-params (an HTTP quoted-string is a WSP Quoted-string, so quoting
 * survives).
 *
 * Auth-params: a name WAP-230 Table 38 defines (charset, domain, ...)
 * goes typed when its value fits, every other untyped; the decoder
 * renders both.  Expect extensions "var=value; p=v" go as the
 * Expect-expression.
 *
 * Does not: encode the Profile-Warning dates (decoded, sent as text),
 * multi-range sets, 299 warnings or auth schemes whose parameters are
 * not "name=value" lists (sent as text); Profile-Diff is in hdr_wbxml.c.
 *
 * Invariants: every read is bounded by the value length the generic rule
 * gave; a decoder consumes its value exactly or fails with WSPGW_EPROTO
 * (trailing octets inside a Value-length are not ours to guess at).
 * Text that reaches HTTP passes wsp__hdr_put_checked.
 *
 * Ownership: inputs are borrowed; output is appended to the caller's
 * capped buffer, which the entry points roll back on failure.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wspgw/err.h"
#include "hdr_int.h"

/* ==== Shared helpers ==================================================== */

/*
 * The body of a value that must be Value-length + octets covering all of
 * (v, len), and not empty.
 */
int
wsp__hdr_vl_body(const uint8_t *v, size_t len, const uint8_t **b, size_t *blen)
{
    size_t vl, used;
    int rc;

    if (len == 0 || v[0] > 0x1f) {
        return WSPGW_EPROTO;
    }
    rc = wsp__hdr_get_value_length(v, len, &vl, &used);
    if (rc != 0) {
        return rc;
    }
    if (used + vl != len || vl == 0) {
        return WSPGW_EPROTO;
    }
    *b = v + used;
    *blen = vl;
    return 0;
}


/* One uintvar at (*p, *len); advances. */
int
wsp__hdr_take_uintvar(const uint8_t **p, size_t *len, uint32_t *v)
{
    int n = wsp_uintvar_decode(*p, *len, v);

    if (n < 0) {
        return n == WSPGW_ETRUNC ? WSPGW_EPROTO : n;
    }
    *p += n;
    *len -= (size_t) n;
    return 0;
}


/* One Text-string at (*p, *len), not a Quoted-string; advances. */
int
wsp__hdr_take_text(const uint8_t **p, size_t *len, const uint8_t **s,
    size_t *slen)
{
    size_t used;
    int quoted, rc;

    rc = wsp__hdr_get_text(*p, *len, s, slen, &quoted, &used);
    if (rc != 0) {
        return rc == WSPGW_ETRUNC ? WSPGW_EPROTO : rc;
    }
    if (quoted) {
        return WSPGW_EPROTO;
    }
    *p += used;
    *len -= used;
    return 0;
}


/* Decimal digits of (s, len) that fit a uintvar (32 bits). */
static int
parse_u32(const char *s, size_t len, uint32_t *v)
{
    uint64_t n;

    if (wsp__hdr_parse_uint(s, len, &n) != 0 || n > 0xffffffffu) {
        return WSPGW_EINVAL;
    }
    *v = (uint32_t) n;
    return 0;
}


/* Case-insensitive: does (s, len) start with the literal lit? */
int
wsp__hdr_has_prefix(const char *s, size_t len, const char *lit)
{
    size_t i, n = strlen(lit);

    if (len < n) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        char a = s[i], b = lit[i];

        if (a >= 'A' && a <= 'Z') {
            a = (char) (a - 'A' + 'a');
        }
        if (a != b) {
            return 0;
        }
    }
    return 1;
}


/* Where c first occurs in (s, len), or len. */
size_t
wsp__hdr_index_of(const char *s, size_t len, char c)
{
    const char *p = memchr(s, c, len);

    return p == NULL ? len : (size_t) (p - s);
}


/* Value-length header for the octets written since mark. */
int
wsp__hdr_close_vl(struct wspgw_buf *out, size_t mark, int rc)
{
    return rc != 0 ? rc : wsp__hdr_close_value_length(out, mark);
}


/* A Text-string we write from HTTP text: no quote forms, no controls. */
int
wsp__hdr_put_plain_text(struct wspgw_buf *out, const char *s, size_t len)
{
    size_t i;

    if (len > 0 && s[0] == '"') {
        return WSPGW_EINVAL;
    }
    for (i = 0; i < len; i++) {
        if ((uint8_t) s[i] < 0x20 || s[i] == 0x7f) {
            return WSPGW_EINVAL;
        }
    }
    return wsp__hdr_put_text_string(out, s, len);
}


/* ==== Base64 (RFC 4648, padded) ========================================= */

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";


static int
b64_encode(struct wspgw_buf *out, const uint8_t *s, size_t len)
{
    char q[4];
    uint32_t w;
    size_t i;
    int rc = 0;

    for (i = 0; rc == 0 && i < len; i += 3) {
        w = (uint32_t) s[i] << 16;
        if (i + 1 < len) {
            w |= (uint32_t) s[i + 1] << 8;
        }
        if (i + 2 < len) {
            w |= s[i + 2];
        }
        q[0] = b64[(w >> 18) & 63];
        q[1] = b64[(w >> 12) & 63];
        q[2] = i + 1 < len ? b64[(w >> 6) & 63] : '=';
        q[3] = i + 2 < len ? b64[w & 63] : '=';
        rc = wspgw_buf_append(out, q, 4);
    }
    return rc;
}


static int
b64_val(char c)
{
    const char *p;

    if (c == '\0') {
        return -1;
    }
    p = strchr(b64, c);
    return p == NULL ? -1 : (int) (p - b64);
}


/*
 * Decodes padded base64 (s, len) into dst (room for max octets); sets
 * *n.  WSPGW_EINVAL for anything else, so the caller falls back to text.
 */
static int
b64_decode(const char *s, size_t len, uint8_t *dst, size_t max, size_t *n)
{
    size_t i, o = 0;
    int k, v[4], pad;

    if (len % 4 != 0) {
        return WSPGW_EINVAL;
    }
    for (i = 0; i < len; i += 4) {
        pad = 0;
        for (k = 0; k < 4; k++) {
            if (s[i + k] == '=' && i + 4 == len && k >= 2) {
                v[k] = 0;
                pad++;
            } else if (pad > 0) {
                return WSPGW_EINVAL;
            } else {
                v[k] = b64_val(s[i + k]);
                if (v[k] < 0) {
                    return WSPGW_EINVAL;
                }
            }
        }
        if (o + 3 - (size_t) pad > max) {
            return WSPGW_EINVAL;
        }
        dst[o++] = (uint8_t) ((v[0] << 2) | (v[1] >> 4));
        if (pad < 2) {
            dst[o++] = (uint8_t) (((v[1] & 15) << 4) | (v[2] >> 2));
        }
        if (pad < 1) {
            dst[o++] = (uint8_t) (((v[2] & 3) << 6) | v[3]);
        }
    }
    *n = o;
    return 0;
}


/* ==== Range: 0x80 First-byte-pos [Last-byte-pos] | 0x81 Suffix-length === */

static const char range_prefix[] = "bytes=";
static const char realm_prefix[] = "realm=\"";

int
wsp__hdr_dec_range(const struct wsp__codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    const uint8_t *b;
    size_t blen;
    uint32_t first, last;
    int rc, kind;

    rc = wsp__hdr_vl_body(v, len, &b, &blen);
    if (rc != 0) {
        return rc;
    }
    kind = b[0];
    b++;
    blen--;
    if (kind != 0x80 && kind != 0x81) {
        return WSPGW_EPROTO;
    }
    rc = wsp__hdr_take_uintvar(&b, &blen, &first);
    if (rc != 0) {
        return rc;
    }
    if (kind == 0x81) {
        if (blen != 0) {
            return WSPGW_EPROTO;
        }
        return wspgw_buf_printf(out, "bytes=-%lu", (unsigned long) first);
    }
    if (blen == 0) {
        return wspgw_buf_printf(out, "bytes=%lu-", (unsigned long) first);
    }
    rc = wsp__hdr_take_uintvar(&b, &blen, &last);
    if (rc != 0) {
        return rc;
    }
    if (blen != 0 || last < first) {
        return WSPGW_EPROTO;
    }
    return wspgw_buf_printf(out, "bytes=%lu-%lu", (unsigned long) first,
        (unsigned long) last);
}


/* "bytes=F-L", "bytes=F-" or "bytes=-S"; one range only. */
int
wsp__hdr_enc_range(const struct wsp__codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    size_t mark = out->len, dash;
    uint32_t first, last;
    int rc;

    if (!wsp__hdr_has_prefix(s, len, range_prefix)) {
        return WSPGW_EINVAL;
    }
    s += 6;
    len -= 6;
    dash = wsp__hdr_index_of(s, len, '-');
    if (dash == len) {
        return WSPGW_EINVAL;
    }
    if (dash == 0) {
        if (parse_u32(s + 1, len - 1, &last) != 0) {
            return WSPGW_EINVAL;
        }
        rc = wspgw_buf_putc(out, 0x81);
        if (rc == 0) {
            rc = wsp_uintvar_encode(out, last);
        }
        return wsp__hdr_close_vl(out, mark, rc);
    }
    if (parse_u32(s, dash, &first) != 0) {
        return WSPGW_EINVAL;
    }
    rc = wspgw_buf_putc(out, 0x80);
    if (rc == 0) {
        rc = wsp_uintvar_encode(out, first);
    }
    if (rc == 0 && dash + 1 < len) {
        if (parse_u32(s + dash + 1, len - dash - 1, &last) != 0
            || last < first)
        {
            return WSPGW_EINVAL;
        }
        rc = wsp_uintvar_encode(out, last);
    }
    return wsp__hdr_close_vl(out, mark, rc);
}


/* ==== Content-Range: First-byte-pos Entity-length (uintvar | 0x80) ====== */

/*
 * WSP carries no Last-byte-pos: the receiver takes it from the length of
 * the body.  The decoder renders "bytes F-*\/L" ("*" for the last
 * position, as tshark does not render one either) and the encoder drops
 * the last position of "bytes F-L/T".  The 1.3 grammar (0x3E) adds
 * Unknown-length 0x80, rendered as "*".
 */
int
wsp__hdr_dec_content_range(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out)
{
    const uint8_t *b;
    size_t blen;
    uint32_t first, total;
    int rc;

    rc = wsp__hdr_vl_body(v, len, &b, &blen);
    if (rc != 0) {
        return rc;
    }
    rc = wsp__hdr_take_uintvar(&b, &blen, &first);
    if (rc != 0) {
        return rc;
    }
    if (c->nwords > 0 && blen == 1 && b[0] == 0x80) {
        return wspgw_buf_printf(out, "bytes %lu-*/*", (unsigned long) first);
    }
    rc = wsp__hdr_take_uintvar(&b, &blen, &total);
    if (rc != 0) {
        return rc;
    }
    if (blen != 0 || first >= total) {
        return WSPGW_EPROTO;
    }
    return wspgw_buf_printf(out, "bytes %lu-*/%lu", (unsigned long) first,
        (unsigned long) total);
}


int
wsp__hdr_enc_content_range(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out)
{
    size_t mark = out->len, dash, slash;
    uint32_t first, last = 0, total = 0;
    int rc, unknown, star_last;

    if (!wsp__hdr_has_prefix(s, len, "bytes ")) {
        return WSPGW_EINVAL;
    }
    s += 6;
    len -= 6;
    dash = wsp__hdr_index_of(s, len, '-');
    slash = wsp__hdr_index_of(s, len, '/');
    if (dash >= slash || slash == len) {
        return WSPGW_EINVAL;
    }
    star_last = slash - dash - 1 == 1 && s[dash + 1] == '*';
    unknown = len - slash - 1 == 1 && s[slash + 1] == '*';
    if (parse_u32(s, dash, &first) != 0
        || (!star_last
            && parse_u32(s + dash + 1, slash - dash - 1, &last) != 0)
        || (!star_last && last < first)
        || (!unknown
            && parse_u32(s + slash + 1, len - slash - 1, &total) != 0)
        || (!unknown && first >= total)
        || (!unknown && !star_last && last >= total)
        || (unknown && c->nwords == 0))
    {
        return WSPGW_EINVAL;
    }
    rc = wsp_uintvar_encode(out, first);
    if (rc == 0) {
        rc = unknown ? wspgw_buf_putc(out, 0x80)
            : wsp_uintvar_encode(out, total);
    }
    return wsp__hdr_close_vl(out, mark, rc);
}


/* ==== Retry-After: 0x80 Date-value | 0x81 Delta-seconds ================= */

int
wsp__hdr_dec_retry_after(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out)
{
    const uint8_t *b;
    size_t blen, used;
    uint64_t n;
    int rc;

    rc = wsp__hdr_vl_body(v, len, &b, &blen);
    if (rc != 0) {
        return rc;
    }
    if (blen < 2 || (b[0] != 0x80 && b[0] != 0x81)) {
        return WSPGW_EPROTO;
    }
    rc = wsp__hdr_get_integer(b + 1, blen - 1, &n, &used);
    if (rc != 0) {
        return rc == WSPGW_ETRUNC ? WSPGW_EPROTO : rc;
    }
    if (used != blen - 1) {
        return WSPGW_EPROTO;
    }
    if (b[0] == 0x81) {
        return wspgw_buf_printf(out, "%llu", (unsigned long long) n);
    }
    rc = wsp__date_format(n, out);
    return rc == WSPGW_EINVAL ? WSPGW_EPROTO : rc;
}


int
wsp__hdr_enc_retry_after(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out)
{
    size_t mark = out->len;
    uint64_t n;
    int rc;

    if (wsp__hdr_parse_uint(s, len, &n) == 0) {
        rc = wspgw_buf_putc(out, 0x81);
        if (rc == 0) {
            rc = wsp__hdr_put_integer(out, n);
        }
    } else if (wsp__date_parse(s, len, &n) == 0) {
        rc = wspgw_buf_putc(out, 0x80);
        if (rc == 0) {
            rc = wsp__hdr_put_long(out, n);
        }
    } else {
        return WSPGW_EINVAL;
    }
    return wsp__hdr_close_vl(out, mark, rc);
}


/* ==== Auth-params of other schemes (Digest...) ========================= */

/* A value for an HTTP auth-param: no quote or backslash inside. */
static int
put_auth_value(struct wspgw_buf *out, const uint8_t *s, size_t len,
    int quoted)
{
    if (memchr(s, '"', len) != NULL || memchr(s, '\\', len) != NULL) {
        return WSPGW_EPROTO;
    }
    if (!quoted && len > 0 && wsp__hdr_is_token(s, len)) {
        return wsp__hdr_put_checked(out, s, len);
    }
    return wsp__hdr_put_text(out, s, len, 1);
}


/*
 * *Auth-param (8.4.2.5: Auth-param = Parameter) as HTTP auth-params:
 * "name=value" joined by ", " (the first after sep).  A Typed-parameter
 * renders its Table 38 name and typed value (charset=utf-8,
 * domain="/a /b"); an untyped one its own.  A WSP Quoted-string stays
 * quoted, which Digest needs for nonce, uri...
 */
static int
dec_auth_params(const uint8_t *b, size_t blen, const char *sep,
    struct wspgw_buf *out)
{
    const uint8_t *n, *t;
    size_t nlen, tlen, used;
    uint64_t num;
    int rc = 0, quoted;

    while (rc == 0 && blen > 0) {
        if (b[0] >= 0x80 || b[0] <= 30) {
            rc = wspgw_buf_puts(out, sep);
            if (rc == 0) {
                rc = wsp__hdr_dec_typed_param(b, blen, out, &used);
            }
            if (rc != 0) {
                return rc == WSPGW_ETRUNC ? WSPGW_EPROTO : rc;
            }
            sep = ", ";
            b += used;
            blen -= used;
            continue;
        }
        if (b[0] < 0x20) {
            return WSPGW_EPROTO;
        }
        rc = wsp__hdr_take_text(&b, &blen, &n, &nlen);
        if (rc == 0 && (!wsp__hdr_is_token(n, nlen) || blen == 0)) {
            rc = WSPGW_EPROTO;
        }
        if (rc == 0) {
            rc = wspgw_buf_puts(out, sep);
        }
        if (rc == 0) {
            rc = wspgw_buf_append(out, n, nlen);
        }
        sep = ", ";
        if (rc != 0) {
            break;
        }
        if (b[0] == 0x00) {             /* No-value */
            b++;
            blen--;
            continue;
        }
        rc = wspgw_buf_putc(out, '=');
        if (rc == 0 && (b[0] >= 0x80 || b[0] <= 30)) {
            rc = wsp__hdr_get_integer(b, blen, &num, &used);
            rc = rc == WSPGW_ETRUNC ? WSPGW_EPROTO : rc;
            if (rc == 0) {
                rc = wspgw_buf_printf(out, "%llu", (unsigned long long) num);
            }
        } else if (rc == 0) {
            rc = wsp__hdr_get_text(b, blen, &t, &tlen, &quoted, &used);
            rc = rc == WSPGW_ETRUNC ? WSPGW_EPROTO : rc;
            if (rc == 0) {
                rc = put_auth_value(out, t, tlen, quoted);
            }
        }
        if (rc == 0) {
            b += used;
            blen -= used;
        }
    }
    return rc;
}


/* Token-text auth-scheme at (*b, *blen), rendered. */
static int
dec_auth_scheme(const uint8_t **b, size_t *blen, struct wspgw_buf *out)
{
    const uint8_t *s;
    size_t slen;
    int rc;

    rc = wsp__hdr_take_text(b, blen, &s, &slen);
    if (rc == 0 && !wsp__hdr_is_token(s, slen)) {
        rc = WSPGW_EPROTO;
    }
    return rc != 0 ? rc : wspgw_buf_append(out, s, slen);
}


/*
 * HTTP auth-params "a=b, c=\"d\", e" from (s, len) as WSP parameters
 * (8.4.2.5: Auth-param = Parameter).  A name that WAP-230 Table 38
 * defines goes as a Typed-parameter when its value fits the typed
 * grammar at enc (charset=UTF-8 -> 0x81 0xEA, domain="/x" -> 0x9C or
 * 0x8D Text-string); every other one untyped: Token-text name, then
 * Token-text, Quoted-string (0x22 text NUL) or No-value - never an
 * Integer-value, which would lose Digest's nc=00000001 leading zeros.
 * WSPGW_EINVAL for anything else (escapes, empty values), so the header
 * goes as text.
 */
static int
enc_auth_params(const char *s, size_t len, unsigned enc,
    struct wspgw_buf *out)
{
    const char *end = s + len, *n, *v;
    size_t nlen, vlen, k, eq;
    struct wsp__hparam hp;
    int rc = 0;

    while (rc == 0 && s < end) {
        /* One element: up to a comma outside quotes. */
        k = 0;
        while (s + k < end && s[k] != ',') {
            if (s[k] == '"') {
                k++;
                while (s + k < end && s[k] != '"') {
                    k++;
                }
                if (s + k == end) {
                    return WSPGW_EINVAL;
                }
            }
            k++;
        }
        eq = wsp__hdr_index_of(s, k, '=');
        n = s;
        nlen = eq;
        v = s + (eq < k ? eq + 1 : k);
        vlen = eq < k ? k - eq - 1 : 0;
        wsp__hdr_trim(&n, &nlen);
        wsp__hdr_trim(&v, &vlen);
        s += s + k < end ? k + 1 : k;
        if (!wsp__hdr_is_token((const uint8_t *) n, nlen)) {
            return WSPGW_EINVAL;
        }
        /* Typed when Table 38 has the name and the value fits. */
        memset(&hp, 0, sizeof(hp));
        hp.name = n;
        hp.nlen = nlen;
        hp.has_val = eq < k;
        hp.quoted = vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"';
        hp.val = hp.quoted ? v + 1 : v;
        hp.vlen = hp.quoted ? vlen - 2 : vlen;
        if (hp.has_val && hp.vlen > 0
            && memchr(hp.val, '"', hp.vlen) == NULL
            && memchr(hp.val, '\\', hp.vlen) == NULL)
        {
            rc = wsp__hdr_enc_typed_param(&hp, enc, out);
            if (rc != WSPGW_EINVAL) {
                if (rc != 0) {
                    break;
                }
                continue;
            }
            rc = 0;
        }
        rc = wsp__hdr_put_token_text(out, n, nlen);
        if (rc != 0) {
            break;
        }
        if (eq == k) {
            rc = wspgw_buf_putc(out, 0);            /* No-value */
        } else if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
            if (memchr(v + 1, '\\', vlen - 2) != NULL
                || memchr(v + 1, '"', vlen - 2) != NULL)
            {
                return WSPGW_EINVAL;
            }
            rc = wspgw_buf_append(out, v, vlen - 1);
            if (rc == 0) {
                rc = wspgw_buf_putc(out, 0);
            }
        } else {
            rc = wsp__hdr_put_token_text(out, v, vlen);
        }
    }
    return rc;
}


/* ==== Credentials: Basic 0x80 User-id Password | scheme *Auth-param ==== */

/* Basic credentials are "Basic " base64(user ":" password). */
#define BASIC_MAX 512

int
wsp__hdr_dec_credentials(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out)
{
    uint8_t plain[BASIC_MAX];
    const uint8_t *b, *user, *pass;
    size_t blen, ulen, plen;
    int rc;

    rc = wsp__hdr_vl_body(v, len, &b, &blen);
    if (rc != 0) {
        return rc;
    }
    if (b[0] != 0x80) {
        rc = dec_auth_scheme(&b, &blen, out);
        return rc != 0 ? rc : dec_auth_params(b, blen, " ", out);
    }
    b++;
    blen--;
    rc = wsp__hdr_take_text(&b, &blen, &user, &ulen);
    if (rc == 0) {
        rc = wsp__hdr_take_text(&b, &blen, &pass, &plen);
    }
    if (rc != 0) {
        return rc;
    }
    if (blen != 0 || memchr(user, ':', ulen) != NULL
        || ulen + plen + 1 > sizeof(plain))
    {
        return WSPGW_EPROTO;
    }
    memcpy(plain, user, ulen);
    plain[ulen] = ':';
    memcpy(plain + ulen + 1, pass, plen);
    rc = wspgw_buf_append(out, "Basic ", 6);
    if (rc == 0) {
        rc = b64_encode(out, plain, ulen + plen + 1);
    }
    return rc;
}


int
wsp__hdr_enc_credentials(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out)
{
    uint8_t plain[BASIC_MAX];
    size_t mark = out->len, n, colon, sp;
    int rc;

    if (!wsp__hdr_has_prefix(s, len, "basic ")) {
        sp = wsp__hdr_index_of(s, len, ' ');
        rc = wsp__hdr_put_token_text(out, s, sp);
        if (rc == 0 && sp < len) {
            rc = enc_auth_params(s + sp + 1, len - sp - 1, enc, out);
        }
        return wsp__hdr_close_vl(out, mark, rc);
    }
    s += 6;
    len -= 6;
    while (len > 0 && *s == ' ') {
        s++;
        len--;
    }
    if (b64_decode(s, len, plain, sizeof(plain), &n) != 0) {
        return WSPGW_EINVAL;
    }
    colon = wsp__hdr_index_of((const char *) plain, n, ':');
    if (colon == n || memchr(plain, '\0', n) != NULL) {
        return WSPGW_EINVAL;
    }
    rc = wspgw_buf_putc(out, 0x80);
    if (rc == 0) {
        rc = wsp__hdr_put_plain_text(out, (const char *) plain, colon);
    }
    if (rc == 0) {
        rc = wsp__hdr_put_plain_text(out, (const char *) plain + colon + 1,
            n - colon - 1);
    }
    return wsp__hdr_close_vl(out, mark, rc);
}


/* ==== Challenge: (Basic 0x80 | scheme) Realm-value *Auth-param ========= */

int
wsp__hdr_dec_challenge(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out)
{
    const uint8_t *b, *realm;
    size_t blen, rlen;
    int rc;

    rc = wsp__hdr_vl_body(v, len, &b, &blen);
    if (rc != 0) {
        return rc;
    }
    if (b[0] == 0x80) {
        rc = wspgw_buf_puts(out, "Basic");
        b++;
        blen--;
    } else {
        rc = dec_auth_scheme(&b, &blen, out);
    }
    if (rc == 0) {
        rc = wsp__hdr_take_text(&b, &blen, &realm, &rlen);
    }
    if (rc != 0) {
        return rc;
    }
    if (memchr(realm, '"', rlen) != NULL
        || memchr(realm, '\\', rlen) != NULL)
    {
        return WSPGW_EPROTO;
    }
    rc = wspgw_buf_puts(out, " realm=\"");
    if (rc == 0) {
        rc = wsp__hdr_put_checked(out, realm, rlen);
    }
    if (rc == 0) {
        rc = wspgw_buf_putc(out, '"');
    }
    return rc != 0 ? rc : dec_auth_params(b, blen, ", ", out);
}


/*
 * "Scheme realm=\"x\"[, a=b...]": the realm must come first (it is the
 * Realm-value of the grammar); Basic goes as 0x80.
 */
int
wsp__hdr_enc_challenge(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out)
{
    const char *scheme;
    size_t mark = out->len, sp, q, k;
    int rc;

    sp = wsp__hdr_index_of(s, len, ' ');
    if (sp == len) {
        return WSPGW_EINVAL;
    }
    scheme = s;
    s += sp + 1;
    len -= sp + 1;
    if (!wsp__hdr_has_prefix(s, len, realm_prefix)) {
        return WSPGW_EINVAL;
    }
    s += sizeof(realm_prefix) - 1;
    len -= sizeof(realm_prefix) - 1;
    q = wsp__hdr_index_of(s, len, '"');
    if (q == len || memchr(s, '\\', q) != NULL) {
        return WSPGW_EINVAL;
    }
    /*
     * 8.4.2.5: Challenge = (Basic Realm-value) | (Authentication-scheme
     * Realm-value *Auth-param): Basic with parameters (RFC 7617's
     * charset) has no 0x80 form, so it goes as the Token-text scheme.
     */
    k = q + 1;
    while (k < len && s[k] == ' ') {
        k++;
    }
    rc = sp == 5 && wsp__hdr_has_prefix(scheme, sp, "basic") && k == len
        ? wspgw_buf_putc(out, 0x80) : wsp__hdr_put_token_text(out, scheme,
            sp);
    if (rc == 0) {
        rc = wsp__hdr_put_plain_text(out, s, q);
    }
    s += q + 1;
    len -= q + 1;
    while (len > 0 && *s == ' ') {
        s++;
        len--;
    }
    if (rc == 0 && len > 0) {
        if (*s != ',') {
            return WSPGW_EINVAL;
        }
        rc = enc_auth_params(s + 1, len - 1, enc, out);
    }
    return wsp__hdr_close_vl(out, mark, rc);
}


/* ==== Warning: Warn-code | Value-length Warn-code Warn-agent Warn-text == */

/* WSP warn-code (Short-integer) <-> HTTP code; section 8 of the facts. */
static const struct {
    uint8_t wsp;
    uint16_t http;
} warn_codes[] = {
    { 10, 110 }, { 11, 111 }, { 12, 112 }, { 13, 113 }, { 14, 214 },
    { 99, 199 },
};

#define NWARN (sizeof(warn_codes) / sizeof(warn_codes[0]))


int
wsp__hdr_dec_warning(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out)
{
    const uint8_t *b, *agent, *text;
    size_t blen, alen, tlen, i;
    int rc;

    if (v[0] >= 0x80) {
        b = v;
        blen = len;
    } else {
        rc = wsp__hdr_vl_body(v, len, &b, &blen);
        if (rc != 0) {
            return rc;
        }
    }
    for (i = 0; i < NWARN; i++) {
        if ((b[0] & 0x7f) == warn_codes[i].wsp) {
            break;
        }
    }
    if (b[0] < 0x80 || i == NWARN) {
        return WSPGW_EPROTO;
    }
    rc = wspgw_buf_printf(out, "%u", (unsigned) warn_codes[i].http);
    if (rc != 0 || b == v) {
        return len == 1 ? rc : WSPGW_EPROTO;
    }
    b++;
    blen--;
    rc = wsp__hdr_take_text(&b, &blen, &agent, &alen);
    if (rc == 0) {
        rc = wsp__hdr_take_text(&b, &blen, &text, &tlen);
    }
    if (rc != 0) {
        return rc;
    }
    if (blen != 0 || !wsp__hdr_is_token(agent, alen)
        || memchr(text, '"', tlen) != NULL
        || memchr(text, '\\', tlen) != NULL)
    {
        return WSPGW_EPROTO;
    }
    rc = wspgw_buf_putc(out, ' ');
    if (rc == 0) {
        rc = wsp__hdr_put_checked(out, agent, alen);
    }
    if (rc == 0) {
        rc = wspgw_buf_append(out, " \"", 2);
    }
    if (rc == 0) {
        rc = wsp__hdr_put_checked(out, text, tlen);
    }
    return rc != 0 ? rc : wspgw_buf_putc(out, '"');
}


/* "110" or "110 agent \"text\"" (agent a token, no warn-date). */
int
wsp__hdr_enc_warning(const struct wsp__codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    size_t mark, sp, i, alen;
    uint64_t code;
    const char *agent, *text;
    int rc;

    sp = wsp__hdr_index_of(s, len, ' ');
    if (wsp__hdr_parse_uint(s, sp, &code) != 0) {
        return WSPGW_EINVAL;
    }
    for (i = 0; i < NWARN; i++) {
        if (code == warn_codes[i].http) {
            break;
        }
    }
    if (i == NWARN) {
        return WSPGW_EINVAL;
    }
    if (sp == len) {
        return wsp__hdr_put_short(out, warn_codes[i].wsp);
    }
    agent = s + sp + 1;
    alen = wsp__hdr_index_of(agent, len - sp - 1, ' ');
    text = agent + alen + 1;
    if (alen + 1 >= len - sp - 1
        || !wsp__hdr_is_token((const uint8_t *) agent, alen)
        || s + len - text < 2 || text[0] != '"' || s[len - 1] != '"'
        || memchr(text + 1, '"', (size_t) (s + len - text) - 2) != NULL
        || memchr(text + 1, '\\', (size_t) (s + len - text) - 2) != NULL)
    {
        return WSPGW_EINVAL;
    }
    rc = wsp__hdr_put_short(out, warn_codes[i].wsp);
    if (rc != 0) {
        return rc;
    }
    mark = out->len;
    rc = wsp__hdr_put_plain_text(out, agent, alen);
    if (rc == 0) {
        rc = wsp__hdr_put_plain_text(out, text + 1,
            (size_t) (s + len - text) - 2);
    }
    if (rc != 0) {
        return rc;
    }
    /* The Value-length goes before the code: close over code + texts. */
    return wsp__hdr_close_value_length(out, mark - 1);
}


/* ==== Content-MD5: Value-length Digest (16 octets), base64 in HTTP ===== */

int
wsp__hdr_dec_md5(const struct wsp__codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    const uint8_t *b;
    size_t blen;
    int rc;

    rc = wsp__hdr_vl_body(v, len, &b, &blen);
    if (rc != 0) {
        return rc;
    }
    if (blen != 16) {
        return WSPGW_EPROTO;
    }
    return b64_encode(out, b, blen);
}


int
wsp__hdr_enc_md5(const struct wsp__codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    uint8_t d[16];
    size_t n, mark = out->len;
    int rc;

    if (b64_decode(s, len, d, sizeof(d), &n) != 0 || n != 16) {
        return WSPGW_EINVAL;
    }
    rc = wspgw_buf_append(out, d, n);
    return wsp__hdr_close_vl(out, mark, rc);
}


/* ==== TE: Trailers | Value-length (Well-known-TE | Token-text) [Q] ===== */

static const char *const te_words[] = {
    "chunked", "identity", "gzip", "compress", "deflate"    /* 0x82... */
};

#define NTE (sizeof(te_words) / sizeof(te_words[0]))


int
wsp__hdr_dec_te(const struct wsp__codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    const uint8_t *b, *s;
    size_t blen, slen;
    int rc;

    if (v[0] == 0x81 && len == 1) {
        return wspgw_buf_puts(out, "trailers");
    }
    rc = wsp__hdr_vl_body(v, len, &b, &blen);
    if (rc != 0) {
        return rc;
    }
    if (b[0] >= 0x82 && b[0] < 0x82 + NTE) {
        rc = wspgw_buf_puts(out, te_words[b[0] - 0x82]);
        b++;
        blen--;
    } else {
        rc = wsp__hdr_take_text(&b, &blen, &s, &slen);
        if (rc == 0 && !wsp__hdr_is_token(s, slen)) {
            rc = WSPGW_EPROTO;
        }
        if (rc == 0) {
            rc = wspgw_buf_append(out, s, slen);
        }
    }
    if (rc != 0 || blen == 0) {
        return rc;
    }
    if (b[0] != 0x80 || blen < 2) {
        return WSPGW_EPROTO;
    }
    return wsp__hdr_put_trailing_q(b + 1, blen - 1, out);
}


int
wsp__hdr_enc_te(const struct wsp__codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    const char *item;
    size_t ilen, i, mark = out->len;
    unsigned milli;
    int rc;

    if (len == 8 && wsp__hdr_has_prefix(s, len, "trailers")) {
        return wspgw_buf_putc(out, 0x81);
    }
    if (wsp__hdr_split_item_q(s, len, &item, &ilen, &milli) != 0) {
        return WSPGW_EINVAL;
    }
    for (i = 0; i < NTE; i++) {
        if (ilen == strlen(te_words[i]) && wsp__hdr_has_prefix(item, ilen,
            te_words[i]))
        {
            break;
        }
    }
    rc = i < NTE ? wspgw_buf_putc(out, (uint8_t) (0x82 + i))
        : wsp__hdr_put_token_text(out, item, ilen);
    if (rc == 0 && milli < 1000) {
        rc = wspgw_buf_putc(out, 0x80);
        if (rc == 0) {
            rc = wsp__hdr_put_qvalue(out, milli);
        }
    }
    return wsp__hdr_close_vl(out, mark, rc);
}


/* ==== Expect: 100-continue | Value-length var value *params ============ */

/* A Token-text or Quoted-string at (*p, *len), rendered. */
static int
put_token_or_quoted(const uint8_t **p, size_t *len, struct wspgw_buf *out)
{
    const uint8_t *s;
    size_t slen, used;
    int quoted, rc;

    rc = wsp__hdr_get_text(*p, *len, &s, &slen, &quoted, &used);
    if (rc != 0) {
        return rc == WSPGW_ETRUNC ? WSPGW_EPROTO : rc;
    }
    if (!quoted && !wsp__hdr_is_token(s, slen)) {
        return WSPGW_EPROTO;
    }
    if (quoted && (memchr(s, '"', slen) != NULL
        || memchr(s, '\\', slen) != NULL))
    {
        return WSPGW_EPROTO;
    }
    *p += used;
    *len -= used;
    return wsp__hdr_put_text(out, s, slen, quoted);
}


int
wsp__hdr_dec_expect(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out)
{
    const uint8_t *b;
    size_t blen;
    int rc, first = 1;

    if (v[0] == 0x80 && len == 1) {
        return wspgw_buf_puts(out, "100-continue");
    }
    rc = wsp__hdr_vl_body(v, len, &b, &blen);
    /* var=value, then "; name=value" per Expect-param. */
    while (rc == 0 && blen > 0) {
        if (!first) {
            rc = wspgw_buf_puts(out, "; ");
        }
        if (rc == 0) {
            rc = put_token_or_quoted(&b, &blen, out);
        }
        if (rc == 0 && blen == 0) {
            rc = WSPGW_EPROTO;
        }
        if (rc == 0) {
            rc = wspgw_buf_putc(out, '=');
        }
        if (rc == 0) {
            rc = put_token_or_quoted(&b, &blen, out);
        }
        first = 0;
    }
    return rc;
}


/*
 * One "token" or "\"quoted\"" (no escapes) of the HTTP text at (*p, end),
 * up to the next ';' or '=' (stop), written as Token-text or WSP
 * Quoted-string; advances.  WSPGW_EINVAL for anything else.
 */
static int
put_expect_word(const char **p, const char *end, int allow_quoted,
    struct wspgw_buf *out)
{
    const char *s = *p, *q;
    size_t n;
    int rc;

    while (s < end && *s == ' ') {
        s++;
    }
    if (s < end && *s == '"' && allow_quoted) {
        q = memchr(s + 1, '"', (size_t) (end - s - 1));
        if (q == NULL || memchr(s + 1, '\\', (size_t) (q - s - 1)) != NULL) {
            return WSPGW_EINVAL;
        }
        rc = wspgw_buf_append(out, s, (size_t) (q - s));    /* 0x22 text */
        if (rc == 0) {
            rc = wspgw_buf_putc(out, 0);
        }
        s = q + 1;
    } else {
        q = s;
        while (q < end && *q != ';' && *q != '=' && *q != ' ') {
            q++;
        }
        n = (size_t) (q - s);
        if (n == 0 || !wsp__hdr_is_token((const uint8_t *) s, n)) {
            return WSPGW_EINVAL;
        }
        rc = wsp__hdr_put_token_text(out, s, n);
        s = q;
    }
    while (s < end && *s == ' ') {
        s++;
    }
    *p = s;
    return rc;
}


/*
 * "100-continue", or an expectation extension "var=value[; p=v]..."
 * (RFC 2616 14.20, every value a token or quoted-string) as
 * Expect-expression: Value-length Expression-var Expression-value
 * *Expect-params (8.4.2.63).  A var or param without "=value" has no
 * WSP form (both values are mandatory there): WSPGW_EINVAL, sent as text.
 */
int
wsp__hdr_enc_expect(const struct wsp__codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    const char *p = s, *end = s + len;
    size_t mark = out->len;
    int rc = 0;

    if (len == 12 && wsp__hdr_has_prefix(s, len, "100-continue")) {
        return wspgw_buf_putc(out, 0x80);
    }
    while (rc == 0) {
        rc = put_expect_word(&p, end, 0, out);
        if (rc != 0) {
            break;
        }
        if (p == end || *p != '=') {
            return WSPGW_EINVAL;
        }
        p++;
        rc = put_expect_word(&p, end, 1, out);
        if (rc != 0 || p == end) {
            break;
        }
        if (*p != ';') {
            return WSPGW_EINVAL;
        }
        p++;
    }
    return wsp__hdr_close_vl(out, mark, rc);
}


/* ==== Profile-Warning: Warn-code | Value-length code target *date ====== */

/* WSP code 0x10... <-> CC/PP exchange codes 100...; facts section 8. */
static int
profile_code_ok(unsigned wsp)
{
    return (wsp >= 0x10 && wsp <= 0x12) || (wsp >= 0x20 && wsp <= 0x23);
}


int
wsp__hdr_dec_profile_warning(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out)
{
    const uint8_t *b, *t;
    size_t blen, tlen, used;
    uint64_t date;
    unsigned code;
    int rc;

    if (v[0] >= 0x80) {
        code = v[0] & 0x7fu;
        if (len != 1 || !profile_code_ok(code)) {
            return WSPGW_EPROTO;
        }
        return wspgw_buf_printf(out, "%u", (code >> 4) * 100 + (code & 15));
    }
    rc = wsp__hdr_vl_body(v, len, &b, &blen);
    if (rc != 0) {
        return rc;
    }
    code = b[0] & 0x7fu;
    if (b[0] < 0x80 || !profile_code_ok(code)) {
        return WSPGW_EPROTO;
    }
    b++;
    blen--;
    rc = wsp__hdr_take_text(&b, &blen, &t, &tlen);
    if (rc == 0 && (tlen == 0 || memchr(t, ' ', tlen) != NULL)) {
        rc = WSPGW_EPROTO;
    }
    if (rc == 0) {
        rc = wspgw_buf_printf(out, "%u ", (code >> 4) * 100 + (code & 15));
    }
    if (rc == 0) {
        rc = wsp__hdr_put_checked(out, t, tlen);
    }
    while (rc == 0 && blen > 0) {
        rc = wsp__hdr_get_integer(b, blen, &date, &used);
        if (rc == WSPGW_ETRUNC) {
            rc = WSPGW_EPROTO;
        }
        if (rc == 0) {
            rc = wspgw_buf_puts(out, " \"");
        }
        if (rc == 0) {
            rc = wsp__date_format(date, out);
            rc = rc == WSPGW_EINVAL ? WSPGW_EPROTO : rc;
        }
        if (rc == 0) {
            rc = wspgw_buf_putc(out, '"');
        }
        b += used;
        blen -= used;
    }
    return rc;
}


/* "100" or "100 target"; warn-text and dates go as text. */
int
wsp__hdr_enc_profile_warning(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out)
{
    size_t sp = wsp__hdr_index_of(s, len, ' '), mark;
    uint64_t n;
    unsigned code;
    int rc;

    if (sp != 3 || wsp__hdr_parse_uint(s, 3, &n) != 0) {
        if (len != 3 || wsp__hdr_parse_uint(s, 3, &n) != 0) {
            return WSPGW_EINVAL;
        }
    }
    code = (unsigned) (n / 100) << 4 | (unsigned) (n % 100);
    if (n % 100 > 9 || !profile_code_ok(code)) {
        return WSPGW_EINVAL;
    }
    if (len == 3) {
        return wsp__hdr_put_short(out, code);
    }
    if (len == 4 || memchr(s + 4, ' ', len - 4) != NULL) {
        return WSPGW_EINVAL;
    }
    rc = wsp__hdr_put_short(out, code);
    if (rc != 0) {
        return rc;
    }
    mark = out->len - 1;
    rc = wsp__hdr_put_plain_text(out, s + 4, len - 4);
    return wsp__hdr_close_vl(out, mark, rc);
}
