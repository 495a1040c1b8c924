/*
 * wsp/headers.c - the binary header codec: WSP header blocks <-> HTTP
 * text headers, and Content-type-values <-> media type text.
 *
 * Spec: WAP-230-WSP-20010705-a 8.4 (header encoding): 8.4.1.2 (field
 * values and the generic length rule), 8.4.2.1 (basic rules), 8.4.2.3
 * (parameters), 8.4.2.24 (content type), and the per-field rules of
 * 8.4.2.7-8.4.2.70.  Facts in shared/reference/wsp-headers.md.
 *
 * Design: every field row in WSP_FIELD_MAP (wsp_int.h) names a value
 * grammar; codecs[] below gives each grammar a decode and an encode
 * function.  Supporting another field is a new row; another grammar, a
 * new pair of functions.
 *
 * Decoding: the extent of a value is always found first by the generic
 * rule (8.4.1.2), then the grammar's decoder renders exactly that span.
 * A value it cannot render (unknown code, grammar not implemented,
 * control characters that would smuggle a CR/LF into HTTP) is dropped and
 * counted, and decoding goes on with the next header; only a block that
 * cannot be delimited (truncation, bad uintvar) or a full output fails.
 * Application headers (Token-text name, Text-string value) are kept;
 * headers on code pages other than 1 are skipped.
 *
 * Encoding: a text header is encoded with the newest field code the
 * peer's encoding version allows.  List-valued fields are split at commas
 * (outside quotes) into one field per element (Kannel does the same).
 * If any element does not fit the field's grammar, the whole header is
 * sent as an application header instead, so nothing is lost.
 *
 * Does not: decode Authorization/Proxy-*, Range, Content-Range, Warning,
 * Profile-Warning/Diff, Retry-After, TE, Expect, cookies, Content-MD5 or
 * the Encoding-Version code-page form (they are skipped on decode and go
 * out as application headers on encode); merge repeated fields on decode
 * (each occurrence is one text header).
 *
 * Ownership: inputs are borrowed; output is appended to the caller's
 * capped buffer or header list.  On error nothing partial is left there.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "wspgw/err.h"
#include "wspgw/wsp.h"
#include "wsp_int.h"

struct codec;

/*
 * Renders the value (v, len) - exactly one value as delimited by the
 * generic rule - as text appended to out.  0, or WSPGW_EPROTO/ETRUNC/
 * ENOTSUP when it cannot (caller skips the header), or a buffer error.
 */
typedef int (*dec_fn)(const struct codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out);

/*
 * Encodes one text value (s, len), already trimmed, at encoding version
 * enc.  0, WSPGW_EINVAL when the text does not fit the grammar (caller
 * falls back to text), or a buffer error.
 */
typedef int (*enc_fn)(const struct codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out);

struct codec {
    dec_fn dec;
    enc_fn enc;
    int list;                       /* split text at commas on encode */
    const char *const *words;       /* Short-integer keywords 0x80... */
    unsigned nwords;
};

/* ==== Decoding primitives: every read is bounded by len ================ */

/*
 * Extent of the value at p by the generic rule of 8.4.1.2.  Sets *span
 * (>= 1).  WSPGW_ETRUNC if it runs past len, WSPGW_EPROTO for a bad
 * uintvar length.
 */
static int
value_span(const uint8_t *p, size_t len, size_t *span)
{
    const uint8_t *nul;
    uint32_t vl;
    int n;

    if (len == 0) {
        return WSPGW_ETRUNC;
    }
    if (p[0] >= 0x80) {
        *span = 1;
        return 0;
    }
    if (p[0] >= 0x20) {
        nul = memchr(p, '\0', len);
        if (nul == NULL) {
            return WSPGW_ETRUNC;
        }
        *span = (size_t) (nul - p) + 1;
        return 0;
    }
    if (p[0] < 0x1f) {
        vl = p[0];
        n = 1;
    } else {
        n = wsp_uintvar_decode(p + 1, len - 1, &vl);
        if (n < 0) {
            return n;
        }
        n++;
    }
    if (vl > len - (size_t) n) {
        return WSPGW_ETRUNC;
    }
    *span = (size_t) n + vl;
    return 0;
}


/* Value-length (0-30, or 31 + uintvar) that must fit in len. */
static int
get_value_length(const uint8_t *p, size_t len, size_t *vl, size_t *used)
{
    uint32_t v;
    int n;

    if (len == 0 || p[0] > 0x1f) {
        return WSPGW_EPROTO;
    }
    if (p[0] < 0x1f) {
        v = p[0];
        n = 1;
    } else {
        n = wsp_uintvar_decode(p + 1, len - 1, &v);
        if (n < 0) {
            return n;
        }
        n++;
    }
    if (v > len - (size_t) n) {
        return WSPGW_ETRUNC;
    }
    *vl = v;
    *used = (size_t) n;
    return 0;
}


/* Integer-value: Short-integer, or Long-integer of 1-8 octets. */
static int
get_integer(const uint8_t *p, size_t len, uint64_t *v, size_t *used)
{
    size_t i, n;

    if (len == 0) {
        return WSPGW_ETRUNC;
    }
    if (p[0] >= 0x80) {
        *v = p[0] & 0x7f;
        *used = 1;
        return 0;
    }
    n = p[0];
    if (n == 0 || n > 30) {
        return WSPGW_EPROTO;
    }
    if (n > 8) {
        return WSPGW_ENOTSUP;           /* legal, but wider than 64 bits */
    }
    if (n > len - 1) {
        return WSPGW_ETRUNC;
    }
    *v = 0;
    for (i = 0; i < n; i++) {
        *v = (*v << 8) | p[1 + i];
    }
    *used = n + 1;
    return 0;
}


/*
 * Text-string (with optional 0x7F Quote) or Quoted-string (0x22): sets
 * the text view without prefix and NUL, *quoted for Quoted-string, and
 * *used including the NUL.
 */
static int
get_text(const uint8_t *p, size_t len, const uint8_t **s, size_t *slen,
    int *quoted, size_t *used)
{
    const uint8_t *nul;
    size_t skip = 0;

    if (len == 0) {
        return WSPGW_ETRUNC;
    }
    if (p[0] != 0 && p[0] < 0x20) {
        return WSPGW_EPROTO;
    }
    if (p[0] >= 0x80) {
        return WSPGW_EPROTO;
    }
    *quoted = p[0] == '"';
    if (p[0] == 0x7f || p[0] == '"') {
        skip = 1;
    }
    nul = memchr(p, '\0', len);
    if (nul == NULL) {
        return WSPGW_ETRUNC;
    }
    if ((size_t) (nul - p) < skip) {
        return WSPGW_EPROTO;
    }
    *s = p + skip;
    *slen = (size_t) (nul - p) - skip;
    *used = (size_t) (nul - p) + 1;
    return 0;
}


/* RFC 7230 3.2.6 tchar. */
static int
is_tchar(int c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9'))
    {
        return 1;
    }
    return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}


static int
is_token(const uint8_t *s, size_t len)
{
    size_t i;

    if (len == 0) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        if (!is_tchar(s[i])) {
            return 0;
        }
    }
    return 1;
}


/*
 * Appends text that is going into an HTTP header.  Control characters
 * (other than HTAB) are refused: a handset must not be able to inject a
 * CR/LF into the request we send upstream.
 */
static int
put_checked(struct wspgw_buf *out, const uint8_t *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if ((s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f) {
            return WSPGW_EPROTO;
        }
    }
    return wspgw_buf_append(out, s, len);
}


/* Renders a Text-string as is, or a Quoted-string with both quotes. */
static int
put_text(struct wspgw_buf *out, const uint8_t *s, size_t len, int quoted)
{
    int rc = 0;

    if (quoted) {
        rc = wspgw_buf_putc(out, '"');
    }
    if (rc == 0) {
        rc = put_checked(out, s, len);
    }
    if (rc == 0 && quoted) {
        rc = wspgw_buf_putc(out, '"');
    }
    return rc;
}


/*
 * Renders a parameter value: bare if it is a token, else as an HTTP
 * quoted-string (with '"' and '\' escaped).
 */
static int
put_param_text(struct wspgw_buf *out, const uint8_t *s, size_t len)
{
    size_t i;
    int rc;

    if (is_token(s, len)) {
        return put_checked(out, s, len);
    }
    rc = wspgw_buf_putc(out, '"');
    for (i = 0; rc == 0 && i < len; i++) {
        if (s[i] == '"' || s[i] == '\\') {
            rc = wspgw_buf_putc(out, '\\');
        }
        if (rc == 0) {
            rc = put_checked(out, s + i, 1);
        }
    }
    if (rc == 0) {
        rc = wspgw_buf_putc(out, '"');
    }
    return rc;
}


/* Renders a q-value in thousandths as "1", "0.5", "0.333". */
static int
put_q(struct wspgw_buf *out, unsigned milli)
{
    char frac[4];
    int i;

    if (milli >= 1000) {
        return wspgw_buf_puts(out, "1");
    }
    frac[0] = (char) ('0' + milli / 100);
    frac[1] = (char) ('0' + milli / 10 % 10);
    frac[2] = (char) ('0' + milli % 10);
    frac[3] = '\0';
    for (i = 2; i > 0 && frac[i] == '0'; i--) {
        frac[i] = '\0';
    }
    return wspgw_buf_printf(out, "0.%s", frac);
}


/*
 * Q-value (8.4.2.3): uintvar 1-100 = (q x 100) + 1, 101-1099 =
 * (q x 1000) + 100.  Kannel's decoder gets the 2-octet case wrong; this
 * one reads a real uintvar.
 */
static int
get_q(const uint8_t *p, size_t len, unsigned *milli, size_t *used)
{
    uint32_t v;
    int n = wsp_uintvar_decode(p, len, &v);

    if (n < 0) {
        return n;
    }
    if (v == 0 || v > 1099) {
        return WSPGW_EPROTO;
    }
    *milli = v <= 100 ? (v - 1) * 10 : v - 100;
    *used = (size_t) n;
    return 0;
}


/* Renders "; q=0.5" for a trailing Q-value filling (p, len) exactly. */
static int
put_trailing_q(const uint8_t *p, size_t len, struct wspgw_buf *out)
{
    unsigned milli;
    size_t used;
    int rc;

    if (len == 0) {
        return 0;
    }
    rc = get_q(p, len, &milli, &used);
    if (rc != 0) {
        return rc;
    }
    if (used != len) {
        return WSPGW_EPROTO;
    }
    rc = wspgw_buf_puts(out, "; q=");
    if (rc == 0) {
        rc = put_q(out, milli);
    }
    return rc;
}


/* Name of num in a table, or NULL. */
static const char *
tab_name(enum wsp__table_id id, uint64_t num)
{
    const struct wsp__entry *e;

    if (num > UINT32_MAX) {
        return NULL;
    }
    e = wsp__by_num(id, (uint32_t) num);
    return e != NULL ? e->name : NULL;
}


/* Renders a Version-value octet (Short-integer form). */
static int
put_version(struct wspgw_buf *out, unsigned v)
{
    unsigned major = (v >> 4) & 0x07;
    unsigned minor = v & 0x0f;

    if (minor == 0x0f) {
        return wspgw_buf_printf(out, "%u", major);
    }
    return wspgw_buf_printf(out, "%u.%u", major, minor);
}


/* ==== Decoders (dec_fn) ================================================= */

/* Text-string or Quoted-string filling the span. */
static int
dec_text(const struct codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    const uint8_t *s;
    size_t slen, used;
    int quoted, rc;

    rc = get_text(v, len, &s, &slen, &quoted, &used);
    if (rc != 0) {
        return rc;
    }
    if (used != len) {
        return WSPGW_EPROTO;
    }
    return put_text(out, s, slen, quoted);
}


/* Token-text filling the span (keyword-ish fields). */
static int
dec_token(const uint8_t *v, size_t len, struct wspgw_buf *out)
{
    const uint8_t *s;
    size_t slen, used;
    int quoted, rc;

    rc = get_text(v, len, &s, &slen, &quoted, &used);
    if (rc != 0) {
        return rc;
    }
    if (used != len || quoted) {
        return WSPGW_EPROTO;
    }
    return put_checked(out, s, slen);
}


static int
dec_int(const struct codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    uint64_t n;
    size_t used;
    int rc;

    rc = get_integer(v, len, &n, &used);
    if (rc != 0) {
        return rc;
    }
    if (used != len) {
        return WSPGW_EPROTO;
    }
    return wspgw_buf_printf(out, "%llu", (unsigned long long) n);
}


static int
dec_short(const struct codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    if (len != 1 || v[0] < 0x80) {
        return WSPGW_EPROTO;
    }
    return wspgw_buf_printf(out, "%u", v[0] & 0x7fu);
}


static int
dec_date(const struct codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    uint64_t n;
    size_t used;
    int rc;

    rc = get_integer(v, len, &n, &used);
    if (rc != 0) {
        return rc;
    }
    if (used != len) {
        return WSPGW_EPROTO;
    }
    rc = wsp__date_format(n, out);
    return rc == WSPGW_EINVAL ? WSPGW_EPROTO : rc;
}


static int
dec_date_or_text(const struct codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    if (v[0] < 0x20) {
        return dec_date(c, v, len, out);
    }
    return dec_text(c, v, len, out);
}


static int dec_params(const uint8_t *p, size_t len, struct wspgw_buf *out);


/* Media (Integer-value or Extension-media) at p; sets *used. */
static int
dec_media_name(const uint8_t *p, size_t len, struct wspgw_buf *out,
    size_t *used)
{
    const uint8_t *s;
    const char *name;
    size_t slen;
    uint64_t n;
    int quoted, rc;

    if (len == 0) {
        return WSPGW_EPROTO;
    }
    if (p[0] >= 0x80 || p[0] <= 30) {
        rc = get_integer(p, len, &n, used);
        if (rc != 0) {
            return rc;
        }
        name = tab_name(WSP_TAB_CTYPE, n);
        if (name == NULL) {
            return WSPGW_ENOTSUP;
        }
        return wspgw_buf_puts(out, name);
    }
    rc = get_text(p, len, &s, &slen, &quoted, used);
    if (rc != 0) {
        return rc;
    }
    if (quoted || slen == 0) {
        return WSPGW_EPROTO;
    }
    return put_checked(out, s, slen);
}


/*
 * Content-type-value / Accept value (8.4.2.24, 8.4.2.7): Constrained-
 * media, or Value-length Media *Parameter (Accept's Q token is the
 * ordinary parameter 0x00).
 */
static int
dec_media(const struct codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    size_t vl, used, mused;
    int rc;

    if (v[0] >= 0x80) {
        if (len != 1) {
            return WSPGW_EPROTO;
        }
        return dec_media_name(v, len, out, &mused);
    }
    if (v[0] >= 0x20) {
        rc = dec_media_name(v, len, out, &mused);
        if (rc == 0 && mused != len) {
            rc = WSPGW_EPROTO;
        }
        return rc;
    }
    rc = get_value_length(v, len, &vl, &used);
    if (rc != 0) {
        return rc;
    }
    if (used + vl != len || vl == 0) {
        return WSPGW_EPROTO;
    }
    rc = dec_media_name(v + used, vl, out, &mused);
    if (rc != 0) {
        return rc;
    }
    return dec_params(v + used + mused, vl - mused, out);
}


/*
 * Typed parameter value of the given grammar at p.  Any typed value may
 * also be sent as a Text-value (8.4.2.4: "if the value cannot be encoded
 * using the expected type, it shall be encoded as text").
 */
static int
dec_typed_value(unsigned grammar, const uint8_t *p, size_t len,
    struct wspgw_buf *out, size_t *used)
{
    const uint8_t *s;
    const char *name;
    size_t slen;
    unsigned milli;
    uint64_t n;
    int quoted, rc;

    if (len == 0) {
        return WSPGW_EPROTO;
    }
    if (p[0] == 0x00 && grammar == WSP_G_NOVALUE) {
        *used = 1;
        return 0;
    }
    /* A Q-value is a uintvar whose octets look like text: never text. */
    if (grammar != WSP_G_QVALUE
        && (p[0] == 0x00 || (p[0] >= 0x20 && p[0] < 0x80)))
    {
        rc = get_text(p, len, &s, &slen, &quoted, used);
        if (rc == 0) {
            rc = wspgw_buf_putc(out, '=');
        }
        return rc != 0 ? rc : put_param_text(out, s, slen);
    }
    rc = wspgw_buf_puts(out, "=");
    if (rc != 0) {
        return rc;
    }
    switch (grammar) {
    case WSP_G_QVALUE:
        rc = get_q(p, len, &milli, used);
        return rc != 0 ? rc : put_q(out, milli);
    case WSP_G_WK_CHARSET:
        if (p[0] == 0x80) {
            *used = 1;
            return wspgw_buf_puts(out, "*");
        }
        rc = get_integer(p, len, &n, used);
        if (rc != 0) {
            return rc;
        }
        name = tab_name(WSP_TAB_CHARSET, n);
        return name == NULL ? WSPGW_ENOTSUP : wspgw_buf_puts(out, name);
    case WSP_G_VERSION:
        if (p[0] < 0x80) {
            return WSPGW_EPROTO;
        }
        *used = 1;
        return put_version(out, p[0]);
    case WSP_G_INT:
    case WSP_G_SHORT:
        rc = get_integer(p, len, &n, used);
        if (rc != 0) {
            return rc;
        }
        return wspgw_buf_printf(out, "%llu", (unsigned long long) n);
    case WSP_G_CENC:
        if (p[0] < 0x80) {
            return WSPGW_EPROTO;
        }
        name = tab_name(WSP_TAB_CTYPE, p[0] & 0x7f);
        if (name == NULL) {
            return WSPGW_ENOTSUP;
        }
        *used = 1;
        return put_param_text(out, (const uint8_t *) name, strlen(name));
    case WSP_G_FIELD_NAME:
        if (p[0] < 0x80) {
            return WSPGW_EPROTO;
        }
        name = tab_name(WSP_TAB_FIELD, p[0] & 0x7f);
        if (name == NULL) {
            return WSPGW_ENOTSUP;
        }
        *used = 1;
        return wspgw_buf_puts(out, name);
    case WSP_G_DATE:
        rc = get_integer(p, len, &n, used);
        if (rc != 0) {
            return rc;
        }
        rc = wspgw_buf_putc(out, '"');
        if (rc == 0) {
            rc = wsp__date_format(n, out);
        }
        if (rc == 0) {
            rc = wspgw_buf_putc(out, '"');
        }
        return rc == WSPGW_EINVAL ? WSPGW_EPROTO : rc;
    default:
        return WSPGW_ENOTSUP;
    }
}


/*
 * *Parameter (8.4.2.4) filling (p, len), each rendered as "; name=value".
 * Typed: Integer-value token from WSP_PARAM_MAP + typed value.
 * Untyped: Token-text name + (Integer-value | Text-value).
 */
static int
dec_params(const uint8_t *p, size_t len, struct wspgw_buf *out)
{
    const struct wsp__entry *e;
    const uint8_t *s;
    size_t off = 0, used, slen;
    uint64_t tok, n;
    int quoted, rc;

    while (off < len) {
        rc = wspgw_buf_puts(out, "; ");
        if (rc != 0) {
            return rc;
        }
        if (p[off] >= 0x80 || p[off] <= 30) {
            rc = get_integer(p + off, len - off, &tok, &used);
            if (rc != 0) {
                return rc;
            }
            off += used;
            e = tok <= 0x7f ? wsp__by_num(WSP_TAB_PARAM, (uint32_t) tok)
                : NULL;
            if (e == NULL) {
                return WSPGW_ENOTSUP;   /* cannot know its value's size */
            }
            rc = wspgw_buf_puts(out, e->name);
            if (rc == 0) {
                rc = dec_typed_value(e->grammar, p + off, len - off, out,
                    &used);
            }
            if (rc != 0) {
                return rc;
            }
            off += used;
            continue;
        }
        rc = get_text(p + off, len - off, &s, &slen, &quoted, &used);
        if (rc != 0) {
            return rc;
        }
        if (quoted || !is_token(s, slen)) {
            return WSPGW_EPROTO;
        }
        off += used;
        rc = wspgw_buf_append(out, s, slen);
        if (rc != 0) {
            return rc;
        }
        if (off >= len) {
            return WSPGW_EPROTO;
        }
        if (p[off] == 0x00) {           /* No-value: "; name" */
            off++;
            continue;
        }
        if (p[off] >= 0x80 || p[off] <= 30) {
            rc = get_integer(p + off, len - off, &n, &used);
            if (rc == 0) {
                rc = wspgw_buf_printf(out, "=%llu", (unsigned long long) n);
            }
        } else {
            rc = get_text(p + off, len - off, &s, &slen, &quoted, &used);
            if (rc == 0) {
                rc = wspgw_buf_putc(out, '=');
            }
            if (rc == 0) {
                rc = put_param_text(out, s, slen);
            }
        }
        if (rc != 0) {
            return rc;
        }
        off += used;
    }
    return 0;
}


/*
 * Shared shape of Accept-Charset, Accept-Language and Accept-Encoding:
 * a short code, a token, or Value-length (code | text) [Q-value].  The
 * code is looked up by lookup(); any_code is the octet meaning "*".
 */
static int
dec_accept_item(const uint8_t *v, size_t len, struct wspgw_buf *out,
    int (*lookup)(const struct codec *, uint64_t, struct wspgw_buf *),
    const struct codec *c)
{
    size_t vl, used, iused;
    uint64_t n;
    int rc;

    if (v[0] >= 0x80) {
        return len == 1 ? lookup(c, v[0] & 0x7f, out) : WSPGW_EPROTO;
    }
    if (v[0] >= 0x20) {
        return dec_token(v, len, out);
    }
    rc = get_value_length(v, len, &vl, &used);
    if (rc != 0) {
        return rc;
    }
    if (used + vl != len || vl == 0) {
        return WSPGW_EPROTO;
    }
    v += used;
    if (v[0] >= 0x80 || v[0] <= 30) {
        rc = get_integer(v, vl, &n, &iused);
        if (rc == 0) {
            rc = lookup(c, n, out);
        }
    } else {
        const uint8_t *s;
        size_t slen;
        int quoted;

        rc = get_text(v, vl, &s, &slen, &quoted, &iused);
        if (rc == 0 && (quoted || !is_token(s, slen))) {
            rc = WSPGW_EPROTO;
        }
        if (rc == 0) {
            rc = wspgw_buf_append(out, s, slen);
        }
    }
    if (rc != 0) {
        return rc;
    }
    return put_trailing_q(v + iused, vl - iused, out);
}


static int
lookup_charset(const struct codec *c, uint64_t n, struct wspgw_buf *out)
{
    const char *name;

    if (n == 0) {
        return wspgw_buf_puts(out, "*");    /* Any-charset, 0x80 */
    }
    name = tab_name(WSP_TAB_CHARSET, n);
    return name == NULL ? WSPGW_ENOTSUP : wspgw_buf_puts(out, name);
}


static int
lookup_language(const struct codec *c, uint64_t n, struct wspgw_buf *out)
{
    const char *name = tab_name(WSP_TAB_LANGUAGE, n);

    return name == NULL ? WSPGW_ENOTSUP : wspgw_buf_puts(out, name);
}


static int
lookup_word(const struct codec *c, uint64_t n, struct wspgw_buf *out)
{
    if (n >= c->nwords) {
        return WSPGW_ENOTSUP;
    }
    return wspgw_buf_puts(out, c->words[n]);
}


static int
dec_charset(const struct codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    return dec_accept_item(v, len, out, lookup_charset, c);
}


static int
dec_accept_lang(const struct codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    return dec_accept_item(v, len, out, lookup_language, c);
}


static int
dec_accept_enc(const struct codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    return dec_accept_item(v, len, out, lookup_word, c);
}


/* Content-language-value: Any-language | Integer-value | Text-string. */
static int
dec_content_lang(const struct codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    uint64_t n;
    size_t used;
    int rc;

    if (v[0] >= 0x20 && v[0] < 0x80) {
        return dec_token(v, len, out);
    }
    rc = get_integer(v, len, &n, &used);
    if (rc != 0) {
        return rc;
    }
    if (used != len) {
        return WSPGW_EPROTO;
    }
    return lookup_language(c, n, out);
}


/* A Short-integer keyword from c->words, or a Token-text. */
static int
dec_keyword(const struct codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    if (v[0] >= 0x80) {
        return len == 1 ? lookup_word(c, v[0] & 0x7f, out) : WSPGW_EPROTO;
    }
    if (v[0] >= 0x20) {
        return dec_token(v, len, out);
    }
    return WSPGW_ENOTSUP;               /* general forms not rendered */
}


/* Allow: Short-integer method only (Public also takes Token-text). */
static int
dec_method(const struct codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    const char *name;

    if (v[0] >= 0x80) {
        name = tab_name(WSP_TAB_METHOD, v[0] & 0x7f);
        if (len != 1 || name == NULL) {
            return WSPGW_EPROTO;
        }
        return wspgw_buf_puts(out, name);
    }
    if (v[0] >= 0x20 && c->words != NULL) {
        return dec_token(v, len, out);
    }
    return WSPGW_EPROTO;
}


/* Version-value: Short-integer (major << 4 | minor) or Text-string. */
static int
dec_version(const struct codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    if (v[0] >= 0x80) {
        return len == 1 ? put_version(out, v[0]) : WSPGW_EPROTO;
    }
    if (v[0] >= 0x20) {
        return dec_text(c, v, len, out);
    }
    return WSPGW_ENOTSUP;       /* Value-length Code-page [Version-value] */
}


/* Field-name: Short-integer field code or Token-text. */
static int
dec_field_name(const struct codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    const char *name;

    if (v[0] >= 0x80) {
        name = tab_name(WSP_TAB_FIELD, v[0] & 0x7f);
        if (len != 1 || name == NULL) {
            return WSPGW_EPROTO;
        }
        return wspgw_buf_puts(out, name);
    }
    if (v[0] >= 0x20) {
        return dec_token(v, len, out);
    }
    return WSPGW_EPROTO;
}


/*
 * Cache-control-value (8.4.2.15): directive Short-integer | Token-text |
 * Value-length (no-cache/private 1*Field-name | max-age/max-stale/
 * min-fresh/s-maxage Delta-seconds).  Cache-extension parameters in the
 * general form are not rendered.
 */
static int
dec_cache_control(const struct codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    const char *name;
    size_t vl, used, fused, off;
    uint64_t n;
    int rc;

    if (v[0] >= 0x80) {
        name = tab_name(WSP_TAB_CACHE, v[0] & 0x7f);
        if (len != 1 || name == NULL) {
            return WSPGW_EPROTO;
        }
        return wspgw_buf_puts(out, name);
    }
    if (v[0] >= 0x20) {
        return dec_token(v, len, out);
    }
    rc = get_value_length(v, len, &vl, &used);
    if (rc != 0) {
        return rc;
    }
    if (used + vl != len || vl < 2 || v[used] < 0x80) {
        return WSPGW_ENOTSUP;
    }
    name = tab_name(WSP_TAB_CACHE, v[used] & 0x7f);
    if (name == NULL) {
        return WSPGW_ENOTSUP;
    }
    rc = wspgw_buf_printf(out, "%s=", name);
    if (rc != 0) {
        return rc;
    }
    off = used + 1;
    switch (v[used] & 0x7f) {
    case WSP_CACHE_MAX_AGE:
    case WSP_CACHE_MAX_STALE:
    case WSP_CACHE_MIN_FRESH:
    case WSP_CACHE_S_MAXAGE:
        rc = get_integer(v + off, len - off, &n, &fused);
        if (rc != 0) {
            return rc;
        }
        if (off + fused != len) {
            return WSPGW_EPROTO;
        }
        return wspgw_buf_printf(out, "%llu", (unsigned long long) n);
    case WSP_CACHE_NO_CACHE:
    case WSP_CACHE_PRIVATE:
        rc = wspgw_buf_putc(out, '"');
        while (rc == 0 && off < len) {
            if (off > used + 1) {
                rc = wspgw_buf_puts(out, ", ");
            }
            if (rc == 0) {
                rc = value_span(v + off, len - off, &fused);
            }
            if (rc == 0) {
                rc = dec_field_name(c, v + off, fused, out);
            }
            off += fused;
        }
        if (rc == 0) {
            rc = wspgw_buf_putc(out, '"');
        }
        return rc;
    default:
        return WSPGW_ENOTSUP;
    }
}


/* X-Wap-Application-Id / Accept-Application: Integer-value | Uri. */
static int
dec_app_id(const struct codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    const char *name;
    uint64_t n;
    size_t used;
    int rc;

    if (v[0] >= 0x20 && v[0] < 0x80) {
        return dec_text(c, v, len, out);
    }
    rc = get_integer(v, len, &n, &used);
    if (rc != 0) {
        return rc;
    }
    if (used != len) {
        return WSPGW_EPROTO;
    }
    name = tab_name(WSP_TAB_APPID, n);
    if (name == NULL) {
        /* Vendor ids (0x8000...) are still meaningful as numbers. */
        return wspgw_buf_printf(out, "%llu", (unsigned long long) n);
    }
    return wspgw_buf_puts(out, name);
}


/*
 * Content-disposition-value (8.4.2.53): Value-length (Form-data |
 * Attachment | Inline | Token-text) *Parameter.
 */
static int
dec_disposition(const struct codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    const uint8_t *s;
    size_t vl, used, tused, slen;
    int quoted, rc;

    if (v[0] > 0x1f) {
        return WSPGW_EPROTO;
    }
    rc = get_value_length(v, len, &vl, &used);
    if (rc != 0) {
        return rc;
    }
    if (used + vl != len || vl == 0) {
        return WSPGW_EPROTO;
    }
    v += used;
    if (v[0] >= 0x80) {
        rc = lookup_word(c, v[0] & 0x7f, out);
        tused = 1;
    } else {
        rc = get_text(v, vl, &s, &slen, &quoted, &tused);
        if (rc == 0 && (quoted || !is_token(s, slen))) {
            rc = WSPGW_EPROTO;
        }
        if (rc == 0) {
            rc = wspgw_buf_append(out, s, slen);
        }
    }
    if (rc != 0) {
        return rc;
    }
    return dec_params(v + tused, vl - tused, out);
}


/* ==== Encoding primitives ============================================== */

static int
put_short(struct wspgw_buf *out, unsigned n)
{
    return wspgw_buf_putc(out, (uint8_t) (0x80 | (n & 0x7f)));
}


/* Long-integer: Short-length + big-endian value in the fewest octets. */
static int
put_long(struct wspgw_buf *out, uint64_t v)
{
    uint8_t tmp[9];
    unsigned n = 1, i;

    while (n < 8 && (v >> (8 * n)) != 0) {
        n++;
    }
    tmp[0] = (uint8_t) n;
    for (i = 0; i < n; i++) {
        tmp[n - i] = (uint8_t) (v >> (8 * i));
    }
    return wspgw_buf_append(out, tmp, n + 1);
}


static int
put_integer(struct wspgw_buf *out, uint64_t v)
{
    return v < 0x80 ? put_short(out, (unsigned) v) : put_long(out, v);
}


/*
 * Text-string: Quote 0x7F only when the first octet is >= 0x80 (the spec
 * rule; Kannel also quotes empty strings, which we do not copy), then the
 * text and its NUL.  Text wrapped in double quotes goes out as a
 * Quoted-string (0x22 text 0x00, no closing quote), which is how WSP
 * carries an HTTP quoted-string such as an entity tag.
 */
static int
put_text_string(struct wspgw_buf *out, const char *s, size_t len)
{
    int rc = 0;

    if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
        len--;                          /* keep the opening quote only */
    } else if (len > 0 && (uint8_t) s[0] >= 0x80) {
        rc = wspgw_buf_putc(out, 0x7f);
    }
    if (rc == 0) {
        rc = wspgw_buf_append(out, s, len);
    }
    if (rc == 0) {
        rc = wspgw_buf_putc(out, 0);
    }
    return rc;
}


static int
put_token_text(struct wspgw_buf *out, const char *s, size_t len)
{
    int rc;

    if (!is_token((const uint8_t *) s, len)) {
        return WSPGW_EINVAL;
    }
    rc = wspgw_buf_append(out, s, len);
    return rc != 0 ? rc : wspgw_buf_putc(out, 0);
}


/*
 * Wraps the octets appended since mark in a Value-length: 1 octet for
 * up to 30, else 0x1F + uintvar.
 */
static int
close_value_length(struct wspgw_buf *out, size_t mark)
{
    uint8_t pre[6];
    size_t body = out->len - mark, plen;
    int rc;

    if (body > UINT32_MAX) {
        return WSPGW_EMSGSIZE;
    }
    if (body <= 30) {
        pre[0] = (uint8_t) body;
        plen = 1;
    } else {
        uint32_t v = (uint32_t) body;
        unsigned n = wsp_uintvar_size(v), i;

        pre[0] = 0x1f;
        for (i = 0; i < n; i++) {
            pre[n - i] = (uint8_t) ((v & 0x7f) | (i == 0 ? 0 : 0x80));
            v >>= 7;
        }
        plen = 1 + n;
    }
    rc = wspgw_buf_reserve(out, plen);
    if (rc != 0) {
        return rc;
    }
    memmove(out->data + mark + plen, out->data + mark, body);
    memcpy(out->data + mark, pre, plen);
    out->len += plen;
    out->data[out->len] = '\0';
    return 0;
}


/* ==== Parsing the HTTP text side ======================================= */

static int
is_ows(int c)
{
    return c == ' ' || c == '\t';
}


static void
trim(const char **s, size_t *len)
{
    while (*len > 0 && is_ows((*s)[0])) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && is_ows((*s)[*len - 1])) {
        (*len)--;
    }
}


/*
 * Next element of a comma list in [*p, end), quotes respected; empty
 * elements are skipped.  1 with (s, len) set, 0 at the end.
 */
static int
next_element(const char **p, const char *end, const char **s, size_t *len)
{
    const char *q;
    int inq;

    while (*p < end) {
        inq = 0;
        for (q = *p; q < end && (inq || *q != ','); q++) {
            if (*q == '"') {
                inq = !inq;
            }
        }
        *s = *p;
        *len = (size_t) (q - *p);
        *p = q < end ? q + 1 : q;
        trim(s, len);
        if (*len > 0) {
            return 1;
        }
    }
    return 0;
}


/* One "; name[=value]" parameter of the HTTP text. */
struct hparam {
    const char *name;
    size_t nlen;
    const char *val;                /* without quotes */
    size_t vlen;
    int has_val;
    int quoted;
};


/*
 * Parses the next ";"-introduced parameter from [*p, end).  1 = got one,
 * 0 = end, WSPGW_EINVAL = malformed.  Quoted values with backslash
 * escapes are refused (WSP has no escape to carry them).
 */
static int
next_param(const char **p, const char *end, struct hparam *hp)
{
    const char *q = *p;

    while (q < end && is_ows(*q)) {
        q++;
    }
    if (q == end) {
        *p = q;
        return 0;
    }
    if (*q != ';') {
        return WSPGW_EINVAL;
    }
    q++;
    while (q < end && is_ows(*q)) {
        q++;
    }
    hp->name = q;
    while (q < end && is_tchar((uint8_t) *q)) {
        q++;
    }
    hp->nlen = (size_t) (q - hp->name);
    if (hp->nlen == 0) {
        return WSPGW_EINVAL;
    }
    while (q < end && is_ows(*q)) {
        q++;
    }
    hp->has_val = 0;
    hp->quoted = 0;
    hp->val = q;
    hp->vlen = 0;
    if (q < end && *q == '=') {
        q++;
        while (q < end && is_ows(*q)) {
            q++;
        }
        hp->has_val = 1;
        if (q < end && *q == '"') {
            hp->quoted = 1;
            hp->val = ++q;
            while (q < end && *q != '"') {
                if (*q == '\\') {
                    return WSPGW_EINVAL;
                }
                q++;
            }
            if (q == end) {
                return WSPGW_EINVAL;
            }
            hp->vlen = (size_t) (q - hp->val);
            q++;
        } else {
            /*
             * A token by the grammar, but senders commonly write
             * type=application/smil unquoted; take anything up to the
             * next delimiter.
             */
            hp->val = q;
            while (q < end && *q != ';' && *q != ',' && *q != '"'
                && !is_ows(*q))
            {
                q++;
            }
            hp->vlen = (size_t) (q - hp->val);
            if (hp->vlen == 0) {
                return WSPGW_EINVAL;
            }
        }
    }
    *p = q;
    return 1;
}


/* Decimal digits only, fitting 64 bits. */
static int
parse_uint(const char *s, size_t len, uint64_t *v)
{
    size_t i;

    if (len == 0 || len > 19) {
        return WSPGW_EINVAL;
    }
    *v = 0;
    for (i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return WSPGW_EINVAL;
        }
        *v = *v * 10 + (uint64_t) (s[i] - '0');
    }
    return 0;
}


/* HTTP qvalue ("0", "0.5", "0.333", "1", "1.000") in thousandths. */
static int
parse_q(const char *s, size_t len, unsigned *milli)
{
    unsigned v = 0, scale = 100;
    size_t i;

    if (len == 0 || (s[0] != '0' && s[0] != '1')) {
        return WSPGW_EINVAL;
    }
    if (len > 1 && (s[1] != '.' || len > 5)) {
        return WSPGW_EINVAL;
    }
    for (i = 2; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return WSPGW_EINVAL;
        }
        v += (unsigned) (s[i] - '0') * scale;
        scale /= 10;
    }
    if (s[0] == '1') {
        if (v != 0) {
            return WSPGW_EINVAL;
        }
        v = 1000;
    }
    *milli = v;
    return 0;
}


/* Q-value for q < 1 (q = 1 is the default and is never sent). */
static int
put_qvalue(struct wspgw_buf *out, unsigned milli)
{
    if (milli % 10 == 0) {
        return wsp_uintvar_encode(out, milli / 10 + 1);
    }
    return wsp_uintvar_encode(out, milli + 100);
}


/*
 * Splits "item[;q=x]" into the item and q (1000 when absent).  Other
 * parameters make it EINVAL (the WSP forms have no room for them).
 */
static int
split_item_q(const char *s, size_t len, const char **item, size_t *ilen,
    unsigned *milli)
{
    const char *p = s, *end = s + len;
    struct hparam hp;
    int rc;

    while (p < end && *p != ';') {
        p++;
    }
    *item = s;
    *ilen = (size_t) (p - s);
    trim(item, ilen);
    *milli = 1000;
    if (*ilen == 0) {
        return WSPGW_EINVAL;
    }
    rc = next_param(&p, end, &hp);
    if (rc == 0) {
        return 0;
    }
    if (rc < 0 || !hp.has_val || hp.nlen != 1
        || (hp.name[0] != 'q' && hp.name[0] != 'Q'))
    {
        return WSPGW_EINVAL;
    }
    rc = parse_q(hp.val, hp.vlen, milli);
    if (rc != 0) {
        return rc;
    }
    return next_param(&p, end, &hp) == 0 ? 0 : WSPGW_EINVAL;
}


/* ==== Encoders (enc_fn) ================================================ */

static int
enc_text(const struct codec *c, const char *s, size_t len, unsigned enc,
    struct wspgw_buf *out)
{
    return put_text_string(out, s, len);
}


static int
enc_int(const struct codec *c, const char *s, size_t len, unsigned enc,
    struct wspgw_buf *out)
{
    uint64_t v;

    if (parse_uint(s, len, &v) != 0) {
        return WSPGW_EINVAL;
    }
    return put_integer(out, v);
}


static int
enc_short(const struct codec *c, const char *s, size_t len, unsigned enc,
    struct wspgw_buf *out)
{
    uint64_t v;

    if (parse_uint(s, len, &v) != 0 || v > 0x7f) {
        return WSPGW_EINVAL;
    }
    return put_short(out, (unsigned) v);
}


static int
enc_date(const struct codec *c, const char *s, size_t len, unsigned enc,
    struct wspgw_buf *out)
{
    uint64_t v;

    if (wsp__date_parse(s, len, &v) != 0) {
        return WSPGW_EINVAL;
    }
    return put_long(out, v);
}


static int
enc_date_or_text(const struct codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    uint64_t v;

    if (wsp__date_parse(s, len, &v) == 0) {
        return put_long(out, v);
    }
    return put_text_string(out, s, len);
}


/* Media type text "type/subtype" (tokens) -> Integer-value or text. */
static int
enc_media_name(const char *s, size_t len, unsigned enc,
    struct wspgw_buf *out, int *short_ok)
{
    const struct wsp__entry *e;
    const char *slash = memchr(s, '/', len);
    int rc;

    if (slash == NULL
        || !is_token((const uint8_t *) s, (size_t) (slash - s))
        || !is_token((const uint8_t *) slash + 1,
            len - (size_t) (slash - s) - 1))
    {
        return WSPGW_EINVAL;
    }
    /*
     * Interop floor: types assigned up to encoding version 1.4 (among
     * them application/vnd.wap.mms-message, 0x3E) are sent as numbers
     * even to a peer that announced an older version or none.  MMS
     * encapsulation itself requires 0x3E, MMS handsets expect it in the
     * Reply, and deployed gateways (Kannel) always send it so.  Numbers
     * of 1.5 and later still wait for the peer to announce them.
     */
    e = wsp__by_name(WSP_TAB_CTYPE, s, len,
        enc < WSP_ENC_1_4 ? WSP_ENC_1_4 : enc);
    if (e != NULL) {
        *short_ok = e->num < 0x80;
        return put_integer(out, e->num);
    }
    *short_ok = 1;                      /* Extension-media is short too */
    rc = wspgw_buf_append(out, s, len);
    return rc != 0 ? rc : wspgw_buf_putc(out, 0);
}


static int enc_param(const struct hparam *hp, unsigned enc,
    struct wspgw_buf *out);


/*
 * Content-type-value and Accept: Constrained-media when there are no
 * parameters and the type is well-known below 0x80 (or is text), else
 * Value-length Media *Parameter.
 */
static int
enc_media(const struct codec *c, const char *s, size_t len, unsigned enc,
    struct wspgw_buf *out)
{
    const char *p = s, *end = s + len;
    const char *mt;
    size_t mlen, mark = out->len, media_end;
    struct hparam hp;
    int short_ok, rc;

    while (p < end && *p != ';') {
        p++;
    }
    mt = s;
    mlen = (size_t) (p - s);
    trim(&mt, &mlen);
    rc = enc_media_name(mt, mlen, enc, out, &short_ok);
    media_end = out->len;
    while (rc == 0) {
        rc = next_param(&p, end, &hp);
        if (rc <= 0) {
            break;
        }
        rc = enc_param(&hp, enc, out);
    }
    if (rc != 0) {
        return rc;
    }
    /* Short form when nothing followed the media (q=1 sends nothing). */
    if (out->len == media_end && short_ok) {
        return 0;
    }
    return close_value_length(out, mark);
}


/*
 * Typed value of one grammar from text; WSPGW_EINVAL if it does not fit,
 * in which case the caller tries another row or an untyped parameter.
 */
static int
enc_typed_value(unsigned grammar, const struct hparam *hp, unsigned enc,
    struct wspgw_buf *out)
{
    const struct wsp__entry *e;
    uint64_t v;
    unsigned milli;
    int short_ok, rc;

    if (grammar == WSP_G_NOVALUE) {
        return hp->has_val ? WSPGW_EINVAL : wspgw_buf_putc(out, 0);
    }
    if (!hp->has_val) {
        return WSPGW_EINVAL;
    }
    switch (grammar) {
    case WSP_G_QVALUE:
        if (parse_q(hp->val, hp->vlen, &milli) != 0 || milli >= 1000) {
            return WSPGW_EINVAL;
        }
        return put_qvalue(out, milli);
    case WSP_G_WK_CHARSET:
        if (hp->vlen == 1 && hp->val[0] == '*') {
            return put_short(out, 0);
        }
        e = wsp__by_name(WSP_TAB_CHARSET, hp->val, hp->vlen, enc);
        return e == NULL ? WSPGW_EINVAL : put_integer(out, e->num);
    case WSP_G_INT:
    case WSP_G_SHORT:
        if (parse_uint(hp->val, hp->vlen, &v) != 0
            || (grammar == WSP_G_SHORT && v > 0x7f))
        {
            return WSPGW_EINVAL;
        }
        return put_integer(out, v);
    case WSP_G_TEXT:
        /* Not put_text_string: the quotes were already taken off. */
        rc = 0;
        if (hp->vlen > 0 && (uint8_t) hp->val[0] >= 0x80) {
            rc = wspgw_buf_putc(out, 0x7f);
        }
        if (rc == 0) {
            rc = wspgw_buf_append(out, hp->val, hp->vlen);
        }
        return rc != 0 ? rc : wspgw_buf_putc(out, 0);
    case WSP_G_CENC:
        /* Constrained-encoding: Short-integer or Extension-media. */
        e = wsp__by_name(WSP_TAB_CTYPE, hp->val, hp->vlen, enc);
        if (e != NULL) {
            return e->num < 0x80 ? put_short(out, e->num) : WSPGW_EINVAL;
        }
        return enc_media_name(hp->val, hp->vlen, enc, out, &short_ok);
    case WSP_G_DATE:
        if (wsp__date_parse(hp->val, hp->vlen, &v) != 0) {
            return WSPGW_EINVAL;
        }
        return put_long(out, v);
    case WSP_G_FIELD_NAME:
        e = wsp__by_name(WSP_TAB_FIELD, hp->val, hp->vlen, enc);
        if (e != NULL) {
            return put_short(out, e->num);
        }
        return put_token_text(out, hp->val, hp->vlen);
    default:
        return WSPGW_EINVAL;
    }
}


/*
 * One parameter.  Well-known names try their rows oldest first: an older
 * token stays valid in newer encodings, and carriers' handsets and MMSCs
 * are known to accept the 1.2 forms (0x85 Name, 0x8A Start) but not
 * always the 1.4 ones (Mozilla's WspPduHelper notes).  Two rows may
 * share a name with different grammars ("type" is Integer-value 0x03 or
 * Constrained-encoding 0x09); the first whose grammar fits wins.  No row
 * fits: Untyped-parameter (Token-text name + Integer-value | Text-value).
 */
static int
enc_param(const struct hparam *hp, unsigned enc, struct wspgw_buf *out)
{
    const struct wsp__entry *t;
    size_t i, n, mark = out->len;
    uint64_t v;
    unsigned milli;
    int rc;

    /* q=1 is the default and is not sent (8.4.2.3). */
    if (hp->nlen == 1 && (hp->name[0] == 'q' || hp->name[0] == 'Q')
        && hp->has_val && parse_q(hp->val, hp->vlen, &milli) == 0
        && milli == 1000)
    {
        return 0;
    }
    t = wsp__table(WSP_TAB_PARAM, &n);
    for (i = 0; i < n; i++) {
        if (t[i].ver > enc || strlen(t[i].name) != hp->nlen
            || strncasecmp(t[i].name, hp->name, hp->nlen) != 0)
        {
            continue;
        }
        rc = put_short(out, t[i].num);
        if (rc == 0) {
            rc = enc_typed_value(t[i].grammar, hp, enc, out);
        }
        if (rc == 0) {
            return 0;
        }
        wsp__buf_truncate(out, mark);
        if (rc != WSPGW_EINVAL) {
            return rc;
        }
    }
    rc = put_token_text(out, hp->name, hp->nlen);
    if (rc != 0) {
        return rc;
    }
    if (!hp->has_val) {
        return wspgw_buf_putc(out, 0);
    }
    if (!hp->quoted && parse_uint(hp->val, hp->vlen, &v) == 0) {
        return put_integer(out, v);
    }
    if (!hp->quoted && is_token((const uint8_t *) hp->val, hp->vlen)) {
        return put_token_text(out, hp->val, hp->vlen);
    }
    /* Quoted-string: 0x22, text, NUL; WSP has no closing quote. */
    rc = wspgw_buf_putc(out, '"');
    if (rc == 0) {
        rc = wspgw_buf_append(out, hp->val, hp->vlen);
    }
    return rc != 0 ? rc : wspgw_buf_putc(out, 0);
}


/*
 * The Accept-Charset/-Language/-Encoding shape: short code when there is
 * no q and the code is < 0x80, text token when there is no q and no
 * code, else Value-length (code | Token-text) Q-value.
 */
static int
enc_accept_item(const char *s, size_t len, struct wspgw_buf *out,
    int have_code, uint64_t code)
{
    const char *item;
    size_t ilen, mark = out->len;
    unsigned milli;
    int rc;

    rc = split_item_q(s, len, &item, &ilen, &milli);
    if (rc != 0) {
        return rc;
    }
    if (milli == 1000 && (!have_code || code < 0x80)) {
        return have_code ? put_short(out, (unsigned) code)
            : put_token_text(out, item, ilen);
    }
    rc = have_code ? put_integer(out, code) : put_token_text(out, item, ilen);
    if (rc == 0 && milli < 1000) {
        rc = put_qvalue(out, milli);
    }
    if (rc == 0) {
        rc = close_value_length(out, mark);
    }
    return rc;
}


/* Looks up the item (before any ';') of s in a table. */
static const struct wsp__entry *
item_entry(enum wsp__table_id id, const char *s, size_t len, unsigned enc)
{
    const char *item;
    size_t ilen;
    unsigned milli;

    if (split_item_q(s, len, &item, &ilen, &milli) != 0) {
        return NULL;
    }
    return wsp__by_name(id, item, ilen, enc);
}


static int
enc_charset(const struct codec *c, const char *s, size_t len, unsigned enc,
    struct wspgw_buf *out)
{
    const struct wsp__entry *e;
    const char *item;
    size_t ilen;
    unsigned milli;

    if (split_item_q(s, len, &item, &ilen, &milli) != 0) {
        return WSPGW_EINVAL;
    }
    if (ilen == 1 && item[0] == '*') {
        return enc_accept_item(s, len, out, 1, 0);      /* Any-charset */
    }
    e = wsp__by_name(WSP_TAB_CHARSET, item, ilen, enc);
    return enc_accept_item(s, len, out, e != NULL, e != NULL ? e->num : 0);
}


static int
enc_accept_lang(const struct codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    const struct wsp__entry *e = item_entry(WSP_TAB_LANGUAGE, s, len, enc);

    return enc_accept_item(s, len, out, e != NULL, e != NULL ? e->num : 0);
}


/* Index of s in c->words (case-insensitive), or -1. */
static int
word_index(const struct codec *c, const char *s, size_t len)
{
    unsigned i;

    for (i = 0; i < c->nwords; i++) {
        if (strlen(c->words[i]) == len
            && strncasecmp(c->words[i], s, len) == 0)
        {
            return (int) i;
        }
    }
    return -1;
}


static int
enc_accept_enc(const struct codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    const char *item;
    size_t ilen;
    unsigned milli;
    int w;

    if (split_item_q(s, len, &item, &ilen, &milli) != 0) {
        return WSPGW_EINVAL;
    }
    w = word_index(c, item, ilen);
    return enc_accept_item(s, len, out, w >= 0, w >= 0 ? (unsigned) w : 0);
}


static int
enc_content_lang(const struct codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    const struct wsp__entry *e = wsp__by_name(WSP_TAB_LANGUAGE, s, len,
        enc);

    if (e != NULL) {
        return put_integer(out, e->num);
    }
    return put_token_text(out, s, len);
}


static int
enc_keyword(const struct codec *c, const char *s, size_t len, unsigned enc,
    struct wspgw_buf *out)
{
    int w = word_index(c, s, len);

    if (w >= 0) {
        return put_short(out, (unsigned) w);
    }
    return put_token_text(out, s, len);
}


/* Pragma and X-WAP-Security only have their short forms. */
static int
enc_word_only(const struct codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    int w = word_index(c, s, len);

    return w >= 0 ? put_short(out, (unsigned) w) : WSPGW_EINVAL;
}


static int
enc_method(const struct codec *c, const char *s, size_t len, unsigned enc,
    struct wspgw_buf *out)
{
    const struct wsp__entry *t;
    size_t i, n;

    /* Methods are case-sensitive (RFC 7231 4.1). */
    t = wsp__table(WSP_TAB_METHOD, &n);
    for (i = 0; i < n; i++) {
        if (strlen(t[i].name) == len && memcmp(t[i].name, s, len) == 0) {
            return put_short(out, t[i].num);
        }
    }
    if (c->words != NULL) {
        return put_token_text(out, s, len);     /* Public */
    }
    return WSPGW_EINVAL;
}


static int
enc_version(const struct codec *c, const char *s, size_t len, unsigned enc,
    struct wspgw_buf *out)
{
    unsigned major, minor = 0x0f;

    if ((len == 1 || len == 3 || len == 4) && s[0] >= '1' && s[0] <= '7') {
        major = (unsigned) (s[0] - '0');
        if (len == 1) {
            return put_short(out, (major << 4) | minor);
        }
        if (s[1] == '.' && s[2] >= '0' && s[2] <= '9') {
            minor = (unsigned) (s[2] - '0');
            if (len == 4) {
                minor = s[3] >= '0' && s[3] <= '9'
                    ? minor * 10 + (unsigned) (s[3] - '0') : 99;
            }
            if (minor <= 14) {
                return put_short(out, (major << 4) | minor);
            }
        }
    }
    return put_text_string(out, s, len);
}


static int
enc_field_name(const struct codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    const struct wsp__entry *e = wsp__by_name(WSP_TAB_FIELD, s, len, enc);

    if (e != NULL) {
        return put_short(out, e->num);
    }
    return put_token_text(out, s, len);
}


/*
 * One Cache-Control directive: short code, Token-text extension, or
 * Value-length code (Delta-seconds | 1*Field-name).
 */
static int
enc_cache_control(const struct codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    const struct wsp__entry *e;
    const char *eq = memchr(s, '=', len);
    const char *name = s, *val, *p, *end, *f;
    size_t nlen = eq != NULL ? (size_t) (eq - s) : len, vlen, flen;
    size_t mark = out->len;
    uint64_t v;
    int rc;

    trim(&name, &nlen);
    e = wsp__by_name(WSP_TAB_CACHE, name, nlen, enc);
    if (eq == NULL) {
        if (e != NULL) {
            return put_short(out, e->num);
        }
        return put_token_text(out, name, nlen);
    }
    if (e == NULL) {
        return WSPGW_EINVAL;            /* extension with a value */
    }
    val = eq + 1;
    vlen = (size_t) (s + len - val);
    trim(&val, &vlen);
    rc = put_short(out, e->num);
    if (rc != 0) {
        return rc;
    }
    switch (e->num) {
    case WSP_CACHE_MAX_AGE:
    case WSP_CACHE_MAX_STALE:
    case WSP_CACHE_MIN_FRESH:
    case WSP_CACHE_S_MAXAGE:
        if (parse_uint(val, vlen, &v) != 0) {
            return WSPGW_EINVAL;
        }
        rc = put_integer(out, v);
        break;
    case WSP_CACHE_NO_CACHE:
    case WSP_CACHE_PRIVATE:
        if (vlen < 2 || val[0] != '"' || val[vlen - 1] != '"') {
            return WSPGW_EINVAL;
        }
        p = val + 1;
        end = val + vlen - 1;
        if (memchr(p, '"', (size_t) (end - p)) != NULL) {
            return WSPGW_EINVAL;
        }
        rc = 0;
        flen = 0;
        while (rc == 0 && next_element(&p, end, &f, &flen)) {
            rc = enc_field_name(c, f, flen, enc, out);
        }
        if (rc == 0 && out->len == mark + 1) {
            rc = WSPGW_EINVAL;          /* no field names */
        }
        break;
    default:
        return WSPGW_EINVAL;
    }
    if (rc == 0) {
        rc = close_value_length(out, mark);
    }
    return rc;
}


static int
enc_app_id(const struct codec *c, const char *s, size_t len, unsigned enc,
    struct wspgw_buf *out)
{
    const struct wsp__entry *e = wsp__by_name(WSP_TAB_APPID, s, len, enc);
    uint64_t v;

    if (e != NULL) {
        return put_integer(out, e->num);
    }
    if (parse_uint(s, len, &v) == 0) {
        return put_integer(out, v);
    }
    return put_text_string(out, s, len);
}


static int
enc_disposition(const struct codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    const char *p = s, *end = s + len, *d;
    size_t dlen, mark = out->len;
    struct hparam hp;
    int w, rc;

    while (p < end && *p != ';') {
        p++;
    }
    d = s;
    dlen = (size_t) (p - s);
    trim(&d, &dlen);
    w = word_index(c, d, dlen);
    rc = w >= 0 ? put_short(out, (unsigned) w) : put_token_text(out, d, dlen);
    while (rc == 0) {
        rc = next_param(&p, end, &hp);
        if (rc <= 0) {
            break;
        }
        rc = enc_param(&hp, enc, out);
    }
    if (rc != 0) {
        return rc;
    }
    return close_value_length(out, mark);
}


/* ==== The grammar table ================================================ */

static const char *const content_enc_words[] = {
    "gzip", "compress", "deflate"
};
static const char *const accept_enc_words[] = {
    "gzip", "compress", "deflate", "*"          /* 0x83: 1.3 code only */
};
static const char *const accept_ranges_words[] = { "none", "bytes" };
static const char *const connection_words[] = { "close" };
static const char *const transfer_enc_words[] = { "chunked" };
static const char *const pragma_words[] = { "no-cache" };
static const char *const security_words[] = { "close-subordinate" };
static const char *const disposition_words[] = {
    "form-data", "attachment", "inline"
};
/* Marker only: Public also accepts Token-text (see dec/enc_method). */
static const char *const public_words[] = { "" };

#define WORDS(a) (a), (unsigned) (sizeof(a) / sizeof((a)[0]))

static const struct codec codecs[] = {
    [WSP_G_NONE] = { NULL, NULL, 0, NULL, 0 },
    [WSP_G_TEXT] = { dec_text, enc_text, 0, NULL, 0 },
    [WSP_G_INT] = { dec_int, enc_int, 0, NULL, 0 },
    [WSP_G_DATE] = { dec_date, enc_date, 0, NULL, 0 },
    [WSP_G_DATE_OR_TEXT] = { dec_date_or_text, enc_date_or_text, 0, NULL,
        0 },
    [WSP_G_ACCEPT] = { dec_media, enc_media, 1, NULL, 0 },
    [WSP_G_CTYPE] = { dec_media, enc_media, 0, NULL, 0 },
    [WSP_G_CHARSET] = { dec_charset, enc_charset, 1, NULL, 0 },
    [WSP_G_ACCEPT_LANG] = { dec_accept_lang, enc_accept_lang, 1, NULL, 0 },
    [WSP_G_CONTENT_LANG] = { dec_content_lang, enc_content_lang, 1, NULL,
        0 },
    [WSP_G_ACCEPT_ENC_11] = { dec_accept_enc, enc_accept_enc, 1,
        WORDS(content_enc_words) },
    [WSP_G_ACCEPT_ENC] = { dec_accept_enc, enc_accept_enc, 1,
        WORDS(accept_enc_words) },
    [WSP_G_CONTENT_ENC] = { dec_keyword, enc_keyword, 1,
        WORDS(content_enc_words) },
    [WSP_G_ACCEPT_RANGES] = { dec_keyword, enc_keyword, 1,
        WORDS(accept_ranges_words) },
    [WSP_G_CONNECTION] = { dec_keyword, enc_keyword, 1,
        WORDS(connection_words) },
    [WSP_G_TRANSFER_ENC] = { dec_keyword, enc_keyword, 1,
        WORDS(transfer_enc_words) },
    [WSP_G_PRAGMA] = { dec_keyword, enc_word_only, 1, WORDS(pragma_words) },
    [WSP_G_SECURITY] = { dec_keyword, enc_word_only, 0,
        WORDS(security_words) },
    [WSP_G_METHOD] = { dec_method, enc_method, 1, NULL, 0 },
    [WSP_G_PUBLIC] = { dec_method, enc_method, 1, WORDS(public_words) },
    [WSP_G_VERSION] = { dec_version, enc_version, 0, NULL, 0 },
    [WSP_G_CACHE_CONTROL] = { dec_cache_control, enc_cache_control, 1,
        NULL, 0 },
    [WSP_G_APP_ID] = { dec_app_id, enc_app_id, 0, NULL, 0 },
    [WSP_G_FIELD_NAME] = { dec_field_name, enc_field_name, 1, NULL, 0 },
    [WSP_G_DISPOSITION] = { dec_disposition, enc_disposition, 0,
        WORDS(disposition_words) },
    [WSP_G_SHORT] = { dec_short, enc_short, 0, NULL, 0 },
};


static const struct codec *
codec_of(unsigned grammar)
{
    if (grammar >= sizeof(codecs) / sizeof(codecs[0])
        || codecs[grammar].dec == NULL)
    {
        return NULL;
    }
    return &codecs[grammar];
}


/* ==== Public entry points ============================================== */

int
wsp_ctype_decode(const uint8_t *buf, size_t len, struct wspgw_buf *out)
{
    size_t span, mark = out->len;
    int rc;

    rc = value_span(buf, len, &span);
    if (rc != 0) {
        return rc;
    }
    rc = dec_media(codec_of(WSP_G_CTYPE), buf, span, out);
    if (rc != 0) {
        wsp__buf_truncate(out, mark);
        if (rc == WSPGW_ETRUNC || rc == WSPGW_ENOTSUP) {
            rc = WSPGW_EPROTO;      /* span was complete: it is bad data */
        }
        return rc;
    }
    return (int) span;
}


/* No control characters (HTAB allowed) and no DEL. */
static int
text_ok(const char *s)
{
    const uint8_t *p;

    for (p = (const uint8_t *) s; *p != '\0'; p++) {
        if ((*p < 0x20 && *p != '\t') || *p == 0x7f) {
            return 0;
        }
    }
    return 1;
}


int
wsp_ctype_encode(const char *text, unsigned enc, struct wspgw_buf *out)
{
    const char *s = text;
    size_t len = strlen(text), mark = out->len;
    int rc;

    if (!text_ok(text)) {
        return WSPGW_EINVAL;
    }
    if (enc < WSP_ENC_1_1) {
        enc = WSP_ENC_1_1;
    }
    trim(&s, &len);
    if (len == 0) {
        return WSPGW_EINVAL;
    }
    rc = enc_media(codec_of(WSP_G_CTYPE), s, len, enc, out);
    if (rc != 0) {
        wsp__buf_truncate(out, mark);
    }
    return rc;
}


/*
 * Decodes one well-known field value into the list; a value that cannot
 * be rendered is rolled back and counted.
 */
static int
add_well_known(struct wsp_hdrs *h, unsigned page, unsigned code,
    const uint8_t *v, size_t span, unsigned *skipped)
{
    const struct wsp__entry *e = NULL;
    const struct codec *c = NULL;
    size_t mark;
    int rc;

    if (page == 1) {
        e = wsp__by_num(WSP_TAB_FIELD, code);
    }
    if (e != NULL) {
        c = codec_of(e->grammar);
    }
    if (c == NULL) {
        (*skipped)++;
        return 0;
    }
    rc = wsp__hdrs_open(h, e->name, strlen(e->name), &mark);
    if (rc != 0) {
        return rc;
    }
    rc = c->dec(c, v, span, &h->text);
    if (rc == WSPGW_EPROTO || rc == WSPGW_ETRUNC || rc == WSPGW_ENOTSUP
        || rc == WSPGW_EINVAL)
    {
        wsp__hdrs_rollback(h, mark);
        (*skipped)++;
        return 0;
    }
    if (rc != 0) {
        wsp__hdrs_rollback(h, mark);
        return rc;
    }
    return wsp__hdrs_commit(h, mark);
}


/* Application header: Token-text name, then a Text-string value. */
static int
add_application(struct wsp_hdrs *h, const uint8_t *name, size_t nlen,
    const uint8_t *v, size_t span, unsigned *skipped)
{
    size_t mark;
    int rc;

    if (!is_token(name, nlen) || (v[0] >= 0x80 || (v[0] != 0 && v[0] < 0x20)))
    {
        (*skipped)++;
        return 0;
    }
    rc = wsp__hdrs_open(h, (const char *) name, nlen, &mark);
    if (rc != 0) {
        return rc;
    }
    rc = dec_text(NULL, v, span, &h->text);
    if (rc == WSPGW_EPROTO || rc == WSPGW_ETRUNC) {
        wsp__hdrs_rollback(h, mark);
        (*skipped)++;
        return 0;
    }
    if (rc != 0) {
        wsp__hdrs_rollback(h, mark);
        return rc;
    }
    return wsp__hdrs_commit(h, mark);
}


int
wsp_hdrs_decode(const uint8_t *buf, size_t len, struct wsp_hdrs *out,
    unsigned *skipped)
{
    const uint8_t *nul;
    unsigned page = 1, dummy = 0, n0 = out->n;
    size_t off = 0, span, nlen, text0 = out->text.len;
    int rc = 0;

    if (skipped == NULL) {
        skipped = &dummy;
    }
    while (off < len) {
        uint8_t b = buf[off];

        if (b == 0x7f) {                /* Shift-delimiter + page */
            if (len - off < 2) {
                rc = WSPGW_ETRUNC;
                break;
            }
            page = buf[off + 1];
            off += 2;
            continue;
        }
        if (b >= 0x01 && b <= 0x1f) {   /* Short-cut-shift-delimiter */
            page = b;
            off++;
            continue;
        }
        if (b == 0x00) {
            rc = WSPGW_EPROTO;          /* neither a field nor a shift */
            break;
        }
        if (b >= 0x80) {
            off++;
            rc = value_span(buf + off, len - off, &span);
            if (rc == 0) {
                rc = add_well_known(out, page, b & 0x7f, buf + off, span,
                    skipped);
            }
        } else {
            nul = memchr(buf + off, '\0', len - off);
            if (nul == NULL) {
                rc = WSPGW_ETRUNC;
                break;
            }
            nlen = (size_t) (nul - (buf + off));
            rc = value_span(nul + 1, len - off - nlen - 1, &span);
            if (rc == 0) {
                rc = add_application(out, buf + off, nlen, nul + 1, span,
                    skipped);
            }
            off += nlen + 1;
        }
        if (rc != 0) {
            break;
        }
        off += span;
    }
    if (rc != 0) {
        /* Leave the list as it was: all of the block or none of it. */
        out->n = n0;
        wsp__buf_truncate(&out->text, text0);
    }
    return rc;
}


/* Application header: Token-text name + Text-string value. */
static int
put_application(const char *name, size_t nlen, const char *v, size_t vlen,
    struct wspgw_buf *out)
{
    int rc = put_token_text(out, name, nlen);

    return rc != 0 ? rc : put_text_string(out, v, vlen);
}


int
wsp_hdr_encode(const char *name, const char *value, unsigned enc,
    struct wspgw_buf *out)
{
    const struct wsp__entry *e;
    const struct codec *c = NULL;
    const char *v = value, *p, *end, *item;
    size_t nlen = strlen(name), vlen = strlen(value), ilen;
    size_t mark = out->len;
    int rc = 0, items = 0;

    if (!is_token((const uint8_t *) name, nlen) || !text_ok(value)) {
        return WSPGW_EINVAL;
    }
    if (enc < WSP_ENC_1_1) {
        enc = WSP_ENC_1_1;
    }
    trim(&v, &vlen);
    e = wsp__by_name(WSP_TAB_FIELD, name, nlen, enc);
    if (e != NULL) {
        c = codec_of(e->grammar);
    }
    if (c != NULL && c->enc != NULL) {
        if (c->list) {
            p = v;
            end = v + vlen;
            while (rc == 0 && next_element(&p, end, &item, &ilen)) {
                rc = put_short(out, e->num);
                if (rc == 0) {
                    rc = c->enc(c, item, ilen, enc, out);
                }
                items++;
            }
        } else if (vlen > 0 || e->grammar == WSP_G_TEXT) {
            rc = put_short(out, e->num);
            if (rc == 0) {
                rc = c->enc(c, v, vlen, enc, out);
            }
            items++;
        }
        if (rc == 0 && items > 0) {
            return 0;
        }
        wsp__buf_truncate(out, mark);
        if (rc != 0 && rc != WSPGW_EINVAL) {
            return rc;
        }
    }
    rc = put_application(name, nlen, v, vlen, out);
    if (rc != 0) {
        wsp__buf_truncate(out, mark);
    }
    return rc;
}
