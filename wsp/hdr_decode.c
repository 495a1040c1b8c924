/*
 * wsp/hdr_decode.c - the binary header codec, decoding side: WSP header
 * blocks -> HTTP text headers, and Content-type-values -> media type
 * text.
 *
 * Spec: WAP-230-WSP-20010705-a 8.4 (header encoding): 8.4.1.2 (field
 * values and the generic length rule), 8.4.2.1 (basic rules), 8.4.2.3
 * (parameters), 8.4.2.15 (Cache-Control, with Cache-extension
 * Untyped-value), 8.4.2.24 (content type), 8.4.2.38 (Pragma, with
 * Value-length Parameter), and the per-field rules of 8.4.2.7-8.4.2.70.
 * Facts in shared/reference/wsp-headers.md.
 *
 * Decoding: the extent of a value is always found first by the generic
 * rule (8.4.1.2), then the grammar's decoder renders exactly that span.
 * A value it cannot render (unknown code, grammar not implemented,
 * control characters that would smuggle a CR/LF into HTTP) is dropped and
 * counted, and decoding goes on with the next header; only a block that
 * cannot be delimited (truncation, bad uintvar) or a full output fails.
 * NUL padding at the end of a block is tolerated (sloppy handsets).
 * Application headers (Token-text name, Text-string value) are kept;
 * headers on code pages other than 1 are skipped.
 *
 * The Value-length grammars of Range, auth, Warning, TE, Expect and the
 * like are in hdr_ext.c, those of cookies and Encoding-Version in
 * hdr_cookie.c, Profile-Diff (WBXML) in hdr_wbxml.c; the primitive
 * readers and the grammar table are in hdr_value.c.
 *
 * Does not: render a value whose codes no table lists (an unknown
 * parameter token, charset, language, cache directive or content type
 * number; a field code above 0x4A or on another code page) or a general
 * (Value-length) form of the keyword fields, which WAP-230 does not
 * define (Content-Encoding, Accept-Ranges, Connection,
 * Transfer-Encoding): those are skipped and counted; merge repeated
 * fields (each occurrence is one text header).
 *
 * Invariants: a decoder never reads past the span it is given, so a
 * value it rejects cannot desynchronise the rest of the block.
 *
 * Ownership: inputs are borrowed; output is appended to the caller's
 * capped buffer or header list.  On error nothing partial is left there.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wspgw/err.h"
#include "wspgw/wsp.h"
#include "hdr_int.h"

/* ==== Decoders (wsp__dec_fn) =========================================== */

/* Text-string or Quoted-string filling the span. */
int
wsp__hdr_dec_text(const struct wsp__codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    const uint8_t *s;
    size_t slen, used;
    int quoted, rc;

    rc = wsp__hdr_get_text(v, len, &s, &slen, &quoted, &used);
    if (rc != 0) {
        return rc;
    }
    if (used != len) {
        return WSPGW_EPROTO;
    }
    return wsp__hdr_put_text(out, s, slen, quoted);
}


/* Token-text filling the span (keyword-ish fields). */
static int
dec_token(const uint8_t *v, size_t len, struct wspgw_buf *out)
{
    const uint8_t *s;
    size_t slen, used;
    int quoted, rc;

    rc = wsp__hdr_get_text(v, len, &s, &slen, &quoted, &used);
    if (rc != 0) {
        return rc;
    }
    if (used != len || quoted) {
        return WSPGW_EPROTO;
    }
    return wsp__hdr_put_checked(out, s, slen);
}


int
wsp__hdr_dec_int(const struct wsp__codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    uint64_t n;
    size_t used;
    int rc;

    rc = wsp__hdr_get_integer(v, len, &n, &used);
    if (rc != 0) {
        return rc;
    }
    if (used != len) {
        return WSPGW_EPROTO;
    }
    return wspgw_buf_printf(out, "%llu", (unsigned long long) n);
}


int
wsp__hdr_dec_short(const struct wsp__codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    if (len != 1 || v[0] < 0x80) {
        return WSPGW_EPROTO;
    }
    return wspgw_buf_printf(out, "%u", v[0] & 0x7fu);
}


int
wsp__hdr_dec_date(const struct wsp__codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    uint64_t n;
    size_t used;
    int rc;

    rc = wsp__hdr_get_integer(v, len, &n, &used);
    if (rc != 0) {
        return rc;
    }
    if (used != len) {
        return WSPGW_EPROTO;
    }
    rc = wsp__date_format(n, out);
    return rc == WSPGW_EINVAL ? WSPGW_EPROTO : rc;
}


int
wsp__hdr_dec_date_or_text(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out)
{
    if (v[0] < 0x20) {
        return wsp__hdr_dec_date(c, v, len, out);
    }
    return wsp__hdr_dec_text(c, v, len, out);
}


static int dec_params(const uint8_t *p, size_t len, struct wspgw_buf *out);
static int dec_params_n(const uint8_t *p, size_t len, struct wspgw_buf *out,
    unsigned *count);


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
        rc = wsp__hdr_get_integer(p, len, &n, used);
        if (rc != 0) {
            return rc;
        }
        name = wsp__hdr_tab_name(WSP_TAB_CTYPE, n);
        if (name == NULL) {
            return WSPGW_ENOTSUP;
        }
        return wspgw_buf_puts(out, name);
    }
    rc = wsp__hdr_get_text(p, len, &s, &slen, &quoted, used);
    if (rc != 0) {
        return rc;
    }
    if (quoted || slen == 0) {
        return WSPGW_EPROTO;
    }
    return wsp__hdr_put_checked(out, s, slen);
}


/*
 * Content-type-value / Accept value (8.4.2.24, 8.4.2.7): Constrained-
 * media, or Value-length Media *Parameter (Accept's Q token is the
 * ordinary parameter 0x00).
 */
int
wsp__hdr_dec_media(const struct wsp__codec *c, const uint8_t *v, size_t len,
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
    rc = wsp__hdr_get_value_length(v, len, &vl, &used);
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
        rc = wsp__hdr_get_text(p, len, &s, &slen, &quoted, used);
        if (rc == 0) {
            rc = wspgw_buf_putc(out, '=');
        }
        return rc != 0 ? rc : wsp__hdr_put_param_text(out, s, slen);
    }
    rc = wspgw_buf_puts(out, "=");
    if (rc != 0) {
        return rc;
    }
    switch (grammar) {
    case WSP_G_QVALUE:
        rc = wsp__hdr_get_q(p, len, &milli, used);
        return rc != 0 ? rc : wsp__hdr_put_q(out, milli);
    case WSP_G_WK_CHARSET:
        if (p[0] == 0x80) {
            *used = 1;
            return wspgw_buf_puts(out, "*");
        }
        rc = wsp__hdr_get_integer(p, len, &n, used);
        if (rc != 0) {
            return rc;
        }
        name = wsp__hdr_tab_name(WSP_TAB_CHARSET, n);
        return name == NULL ? WSPGW_ENOTSUP : wspgw_buf_puts(out, name);
    case WSP_G_VERSION:
        if (p[0] < 0x80) {
            return WSPGW_EPROTO;
        }
        *used = 1;
        return wsp__hdr_put_version(out, p[0]);
    case WSP_G_INT:
    case WSP_G_SHORT:
        rc = wsp__hdr_get_integer(p, len, &n, used);
        if (rc != 0) {
            return rc;
        }
        return wspgw_buf_printf(out, "%llu", (unsigned long long) n);
    case WSP_G_CENC:
        if (p[0] < 0x80) {
            return WSPGW_EPROTO;
        }
        name = wsp__hdr_tab_name(WSP_TAB_CTYPE, p[0] & 0x7f);
        if (name == NULL) {
            return WSPGW_ENOTSUP;
        }
        *used = 1;
        return wsp__hdr_put_param_text(out, (const uint8_t *) name,
            strlen(name));
    case WSP_G_FIELD_NAME:
        if (p[0] < 0x80) {
            return WSPGW_EPROTO;
        }
        name = wsp__hdr_tab_name(WSP_TAB_FIELD, p[0] & 0x7f);
        if (name == NULL) {
            return WSPGW_ENOTSUP;
        }
        *used = 1;
        return wspgw_buf_puts(out, name);
    case WSP_G_DATE:
        rc = wsp__hdr_get_integer(p, len, &n, used);
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
 * One Typed-parameter (8.4.2.4: Well-known-parameter-token Typed-value)
 * at p, rendered "name=value" ("name" for No-value); *used gets its
 * length.  WSPGW_ENOTSUP for a token WSP_PARAM_MAP does not list (its
 * value's size cannot be known).  Also used for Auth-params (hdr_ext.c).
 */
int
wsp__hdr_dec_typed_param(const uint8_t *p, size_t len, struct wspgw_buf *out,
    size_t *used)
{
    const struct wsp__entry *e;
    size_t tused, vused;
    uint64_t tok;
    int rc;

    rc = wsp__hdr_get_integer(p, len, &tok, &tused);
    if (rc != 0) {
        return rc;
    }
    e = tok <= 0x7f ? wsp__by_num(WSP_TAB_PARAM, (uint32_t) tok) : NULL;
    if (e == NULL) {
        return WSPGW_ENOTSUP;
    }
    rc = wspgw_buf_puts(out, e->name);
    if (rc == 0) {
        rc = dec_typed_value(e->grammar, p + tused, len - tused, out,
            &vused);
    }
    if (rc == 0) {
        *used = tused + vused;
    }
    return rc;
}


/*
 * *Parameter (8.4.2.4) filling (p, len), each rendered as "; name=value".
 * Typed: Integer-value token from WSP_PARAM_MAP + typed value.
 * Untyped: Token-text name + (Integer-value | Text-value).
 */
static int
dec_params(const uint8_t *p, size_t len, struct wspgw_buf *out)
{
    unsigned count;

    return dec_params_n(p, len, out, &count);
}


/* dec_params, and *count gets how many parameters there were. */
static int
dec_params_n(const uint8_t *p, size_t len, struct wspgw_buf *out,
    unsigned *count)
{
    const uint8_t *s;
    size_t off = 0, used, slen;
    uint64_t n;
    int quoted, rc;

    *count = 0;
    while (off < len) {
        rc = wspgw_buf_puts(out, "; ");
        if (rc != 0) {
            return rc;
        }
        (*count)++;
        if (p[off] >= 0x80 || p[off] <= 30) {
            rc = wsp__hdr_dec_typed_param(p + off, len - off, out, &used);
            if (rc != 0) {
                return rc;
            }
            off += used;
            continue;
        }
        rc = wsp__hdr_get_text(p + off, len - off, &s, &slen, &quoted, &used);
        if (rc != 0) {
            return rc;
        }
        if (quoted || !wsp__hdr_is_token(s, slen)) {
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
            rc = wsp__hdr_get_integer(p + off, len - off, &n, &used);
            if (rc == 0) {
                rc = wspgw_buf_printf(out, "=%llu", (unsigned long long) n);
            }
        } else {
            rc = wsp__hdr_get_text(p + off, len - off, &s, &slen, &quoted,
                &used);
            if (rc == 0) {
                rc = wspgw_buf_putc(out, '=');
            }
            if (rc == 0) {
                rc = wsp__hdr_put_param_text(out, s, slen);
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
    int (*lookup)(const struct wsp__codec *, uint64_t, struct wspgw_buf *),
    const struct wsp__codec *c)
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
    rc = wsp__hdr_get_value_length(v, len, &vl, &used);
    if (rc != 0) {
        return rc;
    }
    if (used + vl != len || vl == 0) {
        return WSPGW_EPROTO;
    }
    v += used;
    if (v[0] >= 0x80 || v[0] <= 30) {
        rc = wsp__hdr_get_integer(v, vl, &n, &iused);
        if (rc == 0) {
            rc = lookup(c, n, out);
        }
    } else {
        const uint8_t *s;
        size_t slen;
        int quoted;

        rc = wsp__hdr_get_text(v, vl, &s, &slen, &quoted, &iused);
        if (rc == 0 && (quoted || !wsp__hdr_is_token(s, slen))) {
            rc = WSPGW_EPROTO;
        }
        if (rc == 0) {
            rc = wspgw_buf_append(out, s, slen);
        }
    }
    if (rc != 0) {
        return rc;
    }
    return wsp__hdr_put_trailing_q(v + iused, vl - iused, out);
}


static int
lookup_charset(const struct wsp__codec *c, uint64_t n, struct wspgw_buf *out)
{
    const char *name;

    if (n == 0) {
        return wspgw_buf_puts(out, "*");    /* Any-charset, 0x80 */
    }
    name = wsp__hdr_tab_name(WSP_TAB_CHARSET, n);
    return name == NULL ? WSPGW_ENOTSUP : wspgw_buf_puts(out, name);
}


static int
lookup_language(const struct wsp__codec *c, uint64_t n, struct wspgw_buf *out)
{
    const char *name = wsp__hdr_tab_name(WSP_TAB_LANGUAGE, n);

    return name == NULL ? WSPGW_ENOTSUP : wspgw_buf_puts(out, name);
}


static int
lookup_word(const struct wsp__codec *c, uint64_t n, struct wspgw_buf *out)
{
    if (n >= c->nwords) {
        return WSPGW_ENOTSUP;
    }
    return wspgw_buf_puts(out, c->words[n]);
}


int
wsp__hdr_dec_charset(const struct wsp__codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    return dec_accept_item(v, len, out, lookup_charset, c);
}


int
wsp__hdr_dec_accept_lang(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out)
{
    return dec_accept_item(v, len, out, lookup_language, c);
}


int
wsp__hdr_dec_accept_enc(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out)
{
    return dec_accept_item(v, len, out, lookup_word, c);
}


/* Content-language-value: Any-language | Integer-value | Text-string. */
int
wsp__hdr_dec_content_lang(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out)
{
    uint64_t n;
    size_t used;
    int rc;

    if (v[0] >= 0x20 && v[0] < 0x80) {
        return dec_token(v, len, out);
    }
    rc = wsp__hdr_get_integer(v, len, &n, &used);
    if (rc != 0) {
        return rc;
    }
    if (used != len) {
        return WSPGW_EPROTO;
    }
    return lookup_language(c, n, out);
}


/* A Short-integer keyword from c->words, or a Token-text. */
int
wsp__hdr_dec_keyword(const struct wsp__codec *c, const uint8_t *v, size_t len,
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


/*
 * Pragma-value (8.4.2.38): No-cache | Value-length Parameter, the
 * parameter rendered "name=value" (RFC 9111 5.4 pragma extension).
 */
int
wsp__hdr_dec_pragma(const struct wsp__codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    const uint8_t *b;
    size_t blen, mark = out->len;
    unsigned count;
    int rc;

    if (v[0] >= 0x20) {
        return wsp__hdr_dec_keyword(c, v, len, out);
    }
    rc = wsp__hdr_vl_body(v, len, &b, &blen);
    if (rc == 0) {
        rc = dec_params_n(b, blen, out, &count);
    }
    if (rc == 0 && count != 1) {
        rc = WSPGW_EPROTO;
    }
    if (rc != 0) {
        return rc;
    }
    /* Drop the "; " dec_params puts before every parameter. */
    memmove(out->data + mark, out->data + mark + 2, out->len - mark - 2);
    wsp__buf_truncate(out, out->len - 2);
    return 0;
}


/* Allow: Short-integer method only (Public also takes Token-text). */
int
wsp__hdr_dec_method(const struct wsp__codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    const char *name;

    if (v[0] >= 0x80) {
        name = wsp__hdr_tab_name(WSP_TAB_METHOD, v[0] & 0x7f);
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
int
wsp__hdr_dec_version(const struct wsp__codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    if (v[0] >= 0x80) {
        return len == 1 ? wsp__hdr_put_version(out, v[0]) : WSPGW_EPROTO;
    }
    if (v[0] >= 0x20) {
        return wsp__hdr_dec_text(c, v, len, out);
    }
    return WSPGW_ENOTSUP;       /* Value-length Code-page [Version-value] */
}


/* Field-name: Short-integer field code or Token-text. */
int
wsp__hdr_dec_field_name(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out)
{
    const char *name;

    if (v[0] >= 0x80) {
        name = wsp__hdr_tab_name(WSP_TAB_FIELD, v[0] & 0x7f);
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
 * Value-length Cache-extension Untyped-value (8.4.2.15), the body (p,
 * len) after the Value-length: "name=5", "name=token", "name=\"text\"",
 * or "name" for No-value.  An empty value is taken as No-value (lenient).
 */
static int
dec_cache_extension(const uint8_t *p, size_t len, struct wspgw_buf *out)
{
    const uint8_t *s;
    size_t slen, used;
    uint64_t n;
    int quoted, rc;

    rc = wsp__hdr_get_text(p, len, &s, &slen, &quoted, &used);
    if (rc != 0) {
        return rc;
    }
    if (quoted || !wsp__hdr_is_token(s, slen)) {
        return WSPGW_EPROTO;
    }
    rc = wspgw_buf_append(out, s, slen);
    p += used;
    len -= used;
    if (rc != 0 || len == 0 || (len == 1 && p[0] == 0x00)) {
        return rc;
    }
    if (p[0] >= 0x80 || p[0] <= 30) {
        rc = wsp__hdr_get_integer(p, len, &n, &used);
        if (rc == 0 && used != len) {
            rc = WSPGW_EPROTO;
        }
        return rc != 0 ? rc
            : wspgw_buf_printf(out, "=%llu", (unsigned long long) n);
    }
    rc = wsp__hdr_get_text(p, len, &s, &slen, &quoted, &used);
    if (rc != 0) {
        return rc;
    }
    if (used != len || (!quoted && !wsp__hdr_is_token(s, slen))
        || memchr(s, '"', slen) != NULL || memchr(s, '\\', slen) != NULL)
    {
        return WSPGW_EPROTO;
    }
    rc = wspgw_buf_putc(out, '=');
    return rc != 0 ? rc : wsp__hdr_put_text(out, s, slen, quoted);
}


/*
 * Cache-control-value (8.4.2.15): directive Short-integer | Token-text |
 * Value-length (no-cache/private 1*Field-name | max-age/max-stale/
 * min-fresh/s-maxage Delta-seconds | Cache-extension Untyped-value).
 */
int
wsp__hdr_dec_cache_control(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out)
{
    const char *name;
    size_t vl, used, fused, off;
    uint64_t n;
    int rc;

    if (v[0] >= 0x80) {
        name = wsp__hdr_tab_name(WSP_TAB_CACHE, v[0] & 0x7f);
        if (len != 1 || name == NULL) {
            return WSPGW_EPROTO;
        }
        return wspgw_buf_puts(out, name);
    }
    if (v[0] >= 0x20) {
        return dec_token(v, len, out);
    }
    rc = wsp__hdr_get_value_length(v, len, &vl, &used);
    if (rc != 0) {
        return rc;
    }
    if (used + vl != len || vl < 1) {
        return WSPGW_EPROTO;
    }
    if (v[used] >= 0x20 && v[used] < 0x80) {
        return dec_cache_extension(v + used, vl, out);
    }
    if (vl < 2 || v[used] < 0x80) {
        return WSPGW_EPROTO;
    }
    name = wsp__hdr_tab_name(WSP_TAB_CACHE, v[used] & 0x7f);
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
        rc = wsp__hdr_get_integer(v + off, len - off, &n, &fused);
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
                rc = wsp__hdr_value_span(v + off, len - off, &fused);
            }
            if (rc == 0) {
                rc = wsp__hdr_dec_field_name(c, v + off, fused, out);
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
int
wsp__hdr_dec_app_id(const struct wsp__codec *c, const uint8_t *v, size_t len,
    struct wspgw_buf *out)
{
    const char *name;
    uint64_t n;
    size_t used;
    int rc;

    if (v[0] >= 0x20 && v[0] < 0x80) {
        return wsp__hdr_dec_text(c, v, len, out);
    }
    rc = wsp__hdr_get_integer(v, len, &n, &used);
    if (rc != 0) {
        return rc;
    }
    if (used != len) {
        return WSPGW_EPROTO;
    }
    name = wsp__hdr_tab_name(WSP_TAB_APPID, n);
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
int
wsp__hdr_dec_disposition(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out)
{
    const uint8_t *s;
    size_t vl, used, tused, slen;
    int quoted, rc;

    if (v[0] > 0x1f) {
        return WSPGW_EPROTO;
    }
    rc = wsp__hdr_get_value_length(v, len, &vl, &used);
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
        rc = wsp__hdr_get_text(v, vl, &s, &slen, &quoted, &tused);
        if (rc == 0 && (quoted || !wsp__hdr_is_token(s, slen))) {
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


/* ==== Public entry points ============================================== */

int
wsp_ctype_decode(const uint8_t *buf, size_t len, struct wspgw_buf *out)
{
    size_t span, mark = out->len;
    int rc;

    rc = wsp__hdr_value_span(buf, len, &span);
    if (rc != 0) {
        return rc;
    }
    rc = wsp__hdr_dec_media(wsp__hdr_codec_of(WSP_G_CTYPE), buf, span, out);
    if (rc != 0) {
        wsp__buf_truncate(out, mark);
        if (rc == WSPGW_ETRUNC || rc == WSPGW_ENOTSUP) {
            rc = WSPGW_EPROTO;      /* span was complete: it is bad data */
        }
        return rc;
    }
    return (int) span;
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
    const struct wsp__codec *c = NULL;
    size_t mark;
    int rc;

    if (page == 1) {
        e = wsp__by_num(WSP_TAB_FIELD, code);
    }
    if (e != NULL) {
        c = wsp__hdr_codec_of(e->grammar);
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

    if (!wsp__hdr_is_token(name, nlen)
        || (v[0] >= 0x80 || (v[0] != 0 && v[0] < 0x20)))
    {
        (*skipped)++;
        return 0;
    }
    rc = wsp__hdrs_open(h, (const char *) name, nlen, &mark);
    if (rc != 0) {
        return rc;
    }
    rc = wsp__hdr_dec_text(NULL, v, span, &h->text);
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
            /*
             * Neither a field nor a shift.  NUL padding after the last
             * header (handsets that round the block up, or count the
             * terminator twice) is tolerated; anything after it is not.
             */
            while (off < len && buf[off] == 0x00) {
                off++;
            }
            if (off < len) {
                rc = WSPGW_EPROTO;
            }
            break;
        }
        if (b >= 0x80) {
            off++;
            rc = wsp__hdr_value_span(buf + off, len - off, &span);
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
            rc = wsp__hdr_value_span(nul + 1, len - off - nlen - 1, &span);
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


/* dec_params for hdr_ext.c (Set-Cookie parameters). */
int
wsp__hdr_dec_params(const uint8_t *p, size_t len, struct wspgw_buf *out)
{
    return dec_params(p, len, out);
}
