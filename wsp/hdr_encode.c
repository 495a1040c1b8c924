/*
 * wsp/hdr_encode.c - the binary header codec, encoding side: HTTP text
 * headers -> WSP header fields, and media type text ->
 * Content-type-values.
 *
 * Spec: WAP-230-WSP-20010705-a 8.4 (header encoding): 8.4.1.2 (field
 * values and the generic length rule), 8.4.2.1 (basic rules), 8.4.2.3
 * (parameters), 8.4.2.24 (content type), and the per-field rules of
 * 8.4.2.7-8.4.2.70.  Facts in shared/reference/wsp-headers.md.
 *
 * Encoding: a text header is encoded with the newest field code the
 * peer's encoding version allows.  List-valued fields are split at commas
 * (outside quotes) into one field per element (Kannel does the same).
 * If any element does not fit the field's grammar, the whole header is
 * sent as an application header instead, so nothing is lost.
 *
 * The Value-length grammars are encoded in hdr_ext.c, hdr_cookie.c and
 * hdr_wbxml.c (Profile-Diff); the primitive writers, the HTTP text
 * scanners and the grammar table are in hdr_value.c.
 *
 * Does not: encode text a grammar's encoder does not take (each file
 * lists its forms; e.g. multi-range sets, 299 warnings, Profile-Warning
 * dates, XML that is not the normalised Profile-Diff form): such a
 * header goes out as an application header, which loses nothing; send a
 * field code or a number newer than the peer's encoding version (the
 * header then goes by name; a cache directive or content type then goes
 * as text); escape a quoted-string (WSP has no escape: a value with \"
 * or \\ goes as text).
 *
 * Invariants: a header is encoded whole or not at all: on any failure
 * the output goes back to its mark before the fallback (or the error).
 *
 * Ownership: inputs are borrowed; output is appended to the caller's
 * capped buffer.  On error nothing partial is left there.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "wspgw/err.h"
#include "wspgw/wsp.h"
#include "hdr_int.h"

/* ==== Encoders (wsp__enc_fn) =========================================== */

int
wsp__hdr_enc_text(const struct wsp__codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    return wsp__hdr_put_text_string(out, s, len);
}


int
wsp__hdr_enc_int(const struct wsp__codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    uint64_t v;

    if (wsp__hdr_parse_uint(s, len, &v) != 0) {
        return WSPGW_EINVAL;
    }
    return wsp__hdr_put_integer(out, v);
}


int
wsp__hdr_enc_short(const struct wsp__codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    uint64_t v;

    if (wsp__hdr_parse_uint(s, len, &v) != 0 || v > 0x7f) {
        return WSPGW_EINVAL;
    }
    return wsp__hdr_put_short(out, (unsigned) v);
}


int
wsp__hdr_enc_date(const struct wsp__codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    uint64_t v;

    if (wsp__date_parse(s, len, &v) != 0) {
        return WSPGW_EINVAL;
    }
    return wsp__hdr_put_long(out, v);
}


int
wsp__hdr_enc_date_or_text(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out)
{
    uint64_t v;

    if (wsp__date_parse(s, len, &v) == 0) {
        return wsp__hdr_put_long(out, v);
    }
    return wsp__hdr_put_text_string(out, s, len);
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
        || !wsp__hdr_is_token((const uint8_t *) s, (size_t) (slash - s))
        || !wsp__hdr_is_token((const uint8_t *) slash + 1,
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
        return wsp__hdr_put_integer(out, e->num);
    }
    *short_ok = 1;                      /* Extension-media is short too */
    rc = wspgw_buf_append(out, s, len);
    return rc != 0 ? rc : wspgw_buf_putc(out, 0);
}


static int enc_param(const struct wsp__hparam *hp, unsigned enc,
    struct wspgw_buf *out);


/*
 * Content-type-value and Accept: Constrained-media when there are no
 * parameters and the type is well-known below 0x80 (or is text), else
 * Value-length Media *Parameter.
 */
int
wsp__hdr_enc_media(const struct wsp__codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    const char *p = s, *end = s + len;
    const char *mt;
    size_t mlen, mark = out->len, media_end;
    struct wsp__hparam hp;
    int short_ok, rc;

    while (p < end && *p != ';') {
        p++;
    }
    mt = s;
    mlen = (size_t) (p - s);
    wsp__hdr_trim(&mt, &mlen);
    rc = enc_media_name(mt, mlen, enc, out, &short_ok);
    media_end = out->len;
    while (rc == 0) {
        rc = wsp__hdr_next_param(&p, end, &hp);
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
    return wsp__hdr_close_value_length(out, mark);
}


/*
 * Typed value of one grammar from text; WSPGW_EINVAL if it does not fit,
 * in which case the caller tries another row or an untyped parameter.
 */
static int
enc_typed_value(unsigned grammar, const struct wsp__hparam *hp, unsigned enc,
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
        if (wsp__hdr_parse_q(hp->val, hp->vlen, &milli) != 0
            || milli >= 1000)
        {
            return WSPGW_EINVAL;
        }
        return wsp__hdr_put_qvalue(out, milli);
    case WSP_G_WK_CHARSET:
        if (hp->vlen == 1 && hp->val[0] == '*') {
            return wsp__hdr_put_short(out, 0);
        }
        e = wsp__by_name(WSP_TAB_CHARSET, hp->val, hp->vlen, enc);
        return e == NULL ? WSPGW_EINVAL : wsp__hdr_put_integer(out, e->num);
    case WSP_G_INT:
    case WSP_G_SHORT:
        if (wsp__hdr_parse_uint(hp->val, hp->vlen, &v) != 0
            || (grammar == WSP_G_SHORT && v > 0x7f))
        {
            return WSPGW_EINVAL;
        }
        return wsp__hdr_put_integer(out, v);
    case WSP_G_TEXT:
        /* Not wsp__hdr_put_text_string: the quotes were already taken off. */
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
            return e->num < 0x80 ? wsp__hdr_put_short(out, e->num)
                : WSPGW_EINVAL;
        }
        return enc_media_name(hp->val, hp->vlen, enc, out, &short_ok);
    case WSP_G_DATE:
        if (wsp__date_parse(hp->val, hp->vlen, &v) != 0) {
            return WSPGW_EINVAL;
        }
        return wsp__hdr_put_long(out, v);
    case WSP_G_FIELD_NAME:
        e = wsp__by_name(WSP_TAB_FIELD, hp->val, hp->vlen, enc);
        if (e != NULL) {
            return wsp__hdr_put_short(out, e->num);
        }
        return wsp__hdr_put_token_text(out, hp->val, hp->vlen);
    default:
        return WSPGW_EINVAL;
    }
}


/*
 * One parameter as a Typed-parameter, or WSPGW_EINVAL when no row of
 * WSP_PARAM_MAP fits (then nothing is written).  Well-known names try
 * their rows oldest first: an older
 * token stays valid in newer encodings, and carriers' handsets and MMSCs
 * are known to accept the 1.2 forms (0x85 Name, 0x8A Start) but not
 * always the 1.4 ones (Mozilla's WspPduHelper notes).  Two rows may
 * share a name with different grammars ("type" is Integer-value 0x03 or
 * Constrained-encoding 0x09); the first whose grammar fits wins.
 * enc_param below falls back to an Untyped-parameter (Token-text name +
 * Integer-value | Text-value); Auth-params (hdr_ext.c) use their own.
 */
int
wsp__hdr_enc_typed_param(const struct wsp__hparam *hp, unsigned enc,
    struct wspgw_buf *out)
{
    const struct wsp__entry *t;
    size_t i, n, mark = out->len;
    int rc;

    t = wsp__table(WSP_TAB_PARAM, &n);
    for (i = 0; i < n; i++) {
        if (t[i].ver > enc || strlen(t[i].name) != hp->nlen
            || strncasecmp(t[i].name, hp->name, hp->nlen) != 0)
        {
            continue;
        }
        rc = wsp__hdr_put_short(out, t[i].num);
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
    return WSPGW_EINVAL;
}


static int
enc_param(const struct wsp__hparam *hp, unsigned enc, struct wspgw_buf *out)
{
    uint64_t v;
    unsigned milli;
    int rc;

    /* q=1 is the default and is not sent (8.4.2.3). */
    if (hp->nlen == 1 && (hp->name[0] == 'q' || hp->name[0] == 'Q')
        && hp->has_val && wsp__hdr_parse_q(hp->val, hp->vlen, &milli) == 0
        && milli == 1000)
    {
        return 0;
    }
    rc = wsp__hdr_enc_typed_param(hp, enc, out);
    if (rc != WSPGW_EINVAL) {
        return rc;
    }
    rc = wsp__hdr_put_token_text(out, hp->name, hp->nlen);
    if (rc != 0) {
        return rc;
    }
    if (!hp->has_val) {
        return wspgw_buf_putc(out, 0);
    }
    if (!hp->quoted && wsp__hdr_parse_uint(hp->val, hp->vlen, &v) == 0) {
        return wsp__hdr_put_integer(out, v);
    }
    if (!hp->quoted
        && wsp__hdr_is_token((const uint8_t *) hp->val, hp->vlen))
    {
        return wsp__hdr_put_token_text(out, hp->val, hp->vlen);
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

    rc = wsp__hdr_split_item_q(s, len, &item, &ilen, &milli);
    if (rc != 0) {
        return rc;
    }
    if (milli == 1000 && (!have_code || code < 0x80)) {
        return have_code ? wsp__hdr_put_short(out, (unsigned) code)
            : wsp__hdr_put_token_text(out, item, ilen);
    }
    rc = have_code ? wsp__hdr_put_integer(out, code)
        : wsp__hdr_put_token_text(out, item, ilen);
    if (rc == 0 && milli < 1000) {
        rc = wsp__hdr_put_qvalue(out, milli);
    }
    if (rc == 0) {
        rc = wsp__hdr_close_value_length(out, mark);
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

    if (wsp__hdr_split_item_q(s, len, &item, &ilen, &milli) != 0) {
        return NULL;
    }
    return wsp__by_name(id, item, ilen, enc);
}


int
wsp__hdr_enc_charset(const struct wsp__codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    const struct wsp__entry *e;
    const char *item;
    size_t ilen;
    unsigned milli;

    if (wsp__hdr_split_item_q(s, len, &item, &ilen, &milli) != 0) {
        return WSPGW_EINVAL;
    }
    if (ilen == 1 && item[0] == '*') {
        return enc_accept_item(s, len, out, 1, 0);      /* Any-charset */
    }
    e = wsp__by_name(WSP_TAB_CHARSET, item, ilen, enc);
    return enc_accept_item(s, len, out, e != NULL, e != NULL ? e->num : 0);
}


int
wsp__hdr_enc_accept_lang(const struct wsp__codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    const struct wsp__entry *e = item_entry(WSP_TAB_LANGUAGE, s, len, enc);

    return enc_accept_item(s, len, out, e != NULL, e != NULL ? e->num : 0);
}


/* Index of s in c->words (case-insensitive), or -1. */
static int
word_index(const struct wsp__codec *c, const char *s, size_t len)
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


int
wsp__hdr_enc_accept_enc(const struct wsp__codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    const char *item;
    size_t ilen;
    unsigned milli;
    int w;

    if (wsp__hdr_split_item_q(s, len, &item, &ilen, &milli) != 0) {
        return WSPGW_EINVAL;
    }
    w = word_index(c, item, ilen);
    return enc_accept_item(s, len, out, w >= 0, w >= 0 ? (unsigned) w : 0);
}


int
wsp__hdr_enc_content_lang(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out)
{
    const struct wsp__entry *e = wsp__by_name(WSP_TAB_LANGUAGE, s, len,
        enc);

    if (e != NULL) {
        return wsp__hdr_put_integer(out, e->num);
    }
    return wsp__hdr_put_token_text(out, s, len);
}


int
wsp__hdr_enc_keyword(const struct wsp__codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    int w = word_index(c, s, len);

    if (w >= 0) {
        return wsp__hdr_put_short(out, (unsigned) w);
    }
    return wsp__hdr_put_token_text(out, s, len);
}


/*
 * Pragma-value (8.4.2.38): "no-cache" as 0x80, a pragma extension
 * "name[=value]" as Value-length Parameter (typed when WAP-230 Table 38
 * has the name and the value fits, else untyped).
 */
int
wsp__hdr_enc_pragma(const struct wsp__codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    char tmp[512];
    const char *p = tmp, *end;
    struct wsp__hparam hp;
    size_t mark = out->len;
    int rc, w = word_index(c, s, len);

    if (w >= 0) {
        return wsp__hdr_put_short(out, (unsigned) w);
    }
    /* wsp__hdr_next_param reads "; name=value": give it that. */
    if (len + 1 > sizeof(tmp)) {
        return WSPGW_EINVAL;
    }
    tmp[0] = ';';
    memcpy(tmp + 1, s, len);
    end = tmp + len + 1;
    if (wsp__hdr_next_param(&p, end, &hp) != 1
        || wsp__hdr_next_param(&p, end, &hp) != 0)
    {
        return WSPGW_EINVAL;
    }
    rc = enc_param(&hp, enc, out);
    if (rc == 0 && out->len == mark) {
        return WSPGW_EINVAL;            /* q=1: nothing to send */
    }
    return wsp__hdr_close_vl(out, mark, rc);
}


/* X-WAP-Security only has its short form. */
int
wsp__hdr_enc_word_only(const struct wsp__codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    int w = word_index(c, s, len);

    return w >= 0 ? wsp__hdr_put_short(out, (unsigned) w) : WSPGW_EINVAL;
}


int
wsp__hdr_enc_method(const struct wsp__codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    const struct wsp__entry *t;
    size_t i, n;

    /* Methods are case-sensitive (RFC 7231 4.1). */
    t = wsp__table(WSP_TAB_METHOD, &n);
    for (i = 0; i < n; i++) {
        if (strlen(t[i].name) == len && memcmp(t[i].name, s, len) == 0) {
            return wsp__hdr_put_short(out, t[i].num);
        }
    }
    if (c->words != NULL) {
        return wsp__hdr_put_token_text(out, s, len);     /* Public */
    }
    return WSPGW_EINVAL;
}


int
wsp__hdr_enc_version(const struct wsp__codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    unsigned major, minor = 0x0f;

    if ((len == 1 || len == 3 || len == 4) && s[0] >= '1' && s[0] <= '7') {
        major = (unsigned) (s[0] - '0');
        if (len == 1) {
            return wsp__hdr_put_short(out, (major << 4) | minor);
        }
        if (s[1] == '.' && s[2] >= '0' && s[2] <= '9') {
            minor = (unsigned) (s[2] - '0');
            if (len == 4) {
                minor = s[3] >= '0' && s[3] <= '9'
                    ? minor * 10 + (unsigned) (s[3] - '0') : 99;
            }
            if (minor <= 14) {
                return wsp__hdr_put_short(out, (major << 4) | minor);
            }
        }
    }
    return wsp__hdr_put_text_string(out, s, len);
}


int
wsp__hdr_enc_field_name(const struct wsp__codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    const struct wsp__entry *e = wsp__by_name(WSP_TAB_FIELD, s, len, enc);

    if (e != NULL) {
        return wsp__hdr_put_short(out, e->num);
    }
    return wsp__hdr_put_token_text(out, s, len);
}


/*
 * "name=value" of a cache-extension (RFC 9111 5.2.3) as Value-length
 * Cache-extension Untyped-value (8.4.2.15): digits as an Integer-value,
 * a token as Token-text, a quoted-string (no escapes) as a WSP
 * Quoted-string.  WSPGW_EINVAL for anything else.
 */
static int
enc_cache_extension(const char *name, size_t nlen, const char *val,
    size_t vlen, struct wspgw_buf *out)
{
    size_t mark = out->len;
    uint64_t v;
    int rc;

    if (!wsp__hdr_is_token((const uint8_t *) name, nlen) || vlen == 0) {
        return WSPGW_EINVAL;
    }
    rc = wsp__hdr_put_token_text(out, name, nlen);
    if (rc != 0) {
        return rc;
    }
    if (wsp__hdr_parse_uint(val, vlen, &v) == 0) {
        rc = wsp__hdr_put_integer(out, v);
    } else if (wsp__hdr_is_token((const uint8_t *) val, vlen)) {
        rc = wsp__hdr_put_token_text(out, val, vlen);
    } else if (vlen >= 2 && val[0] == '"' && val[vlen - 1] == '"'
        && memchr(val + 1, '"', vlen - 2) == NULL
        && memchr(val + 1, '\\', vlen - 2) == NULL)
    {
        rc = wspgw_buf_append(out, val, vlen - 1);   /* 0x22 text */
        if (rc == 0) {
            rc = wspgw_buf_putc(out, 0);
        }
    } else {
        return WSPGW_EINVAL;
    }
    return rc != 0 ? rc : wsp__hdr_close_value_length(out, mark);
}


/*
 * One Cache-Control directive: short code, Token-text extension, or
 * Value-length code (Delta-seconds | 1*Field-name), or Value-length
 * Cache-extension Untyped-value.
 */
int
wsp__hdr_enc_cache_control(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out)
{
    const struct wsp__entry *e;
    const char *eq = memchr(s, '=', len);
    const char *name = s, *val, *p, *end, *f;
    size_t nlen = eq != NULL ? (size_t) (eq - s) : len, vlen, flen;
    size_t mark = out->len;
    uint64_t v;
    int rc;

    wsp__hdr_trim(&name, &nlen);
    e = wsp__by_name(WSP_TAB_CACHE, name, nlen, enc);
    if (eq == NULL) {
        if (e != NULL) {
            return wsp__hdr_put_short(out, e->num);
        }
        return wsp__hdr_put_token_text(out, name, nlen);
    }
    val = eq + 1;
    vlen = (size_t) (s + len - val);
    wsp__hdr_trim(&val, &vlen);
    if (e == NULL) {
        return enc_cache_extension(name, nlen, val, vlen, out);
    }
    rc = wsp__hdr_put_short(out, e->num);
    if (rc != 0) {
        return rc;
    }
    switch (e->num) {
    case WSP_CACHE_MAX_AGE:
    case WSP_CACHE_MAX_STALE:
    case WSP_CACHE_MIN_FRESH:
    case WSP_CACHE_S_MAXAGE:
        if (wsp__hdr_parse_uint(val, vlen, &v) != 0) {
            return WSPGW_EINVAL;
        }
        rc = wsp__hdr_put_integer(out, v);
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
        while (rc == 0 && wsp__hdr_next_element(&p, end, &f, &flen)) {
            rc = wsp__hdr_enc_field_name(c, f, flen, enc, out);
        }
        if (rc == 0 && out->len == mark + 1) {
            rc = WSPGW_EINVAL;          /* no field names */
        }
        break;
    default:
        return WSPGW_EINVAL;
    }
    if (rc == 0) {
        rc = wsp__hdr_close_value_length(out, mark);
    }
    return rc;
}


int
wsp__hdr_enc_app_id(const struct wsp__codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    const struct wsp__entry *e = wsp__by_name(WSP_TAB_APPID, s, len, enc);
    uint64_t v;

    if (e != NULL) {
        return wsp__hdr_put_integer(out, e->num);
    }
    if (wsp__hdr_parse_uint(s, len, &v) == 0) {
        return wsp__hdr_put_integer(out, v);
    }
    return wsp__hdr_put_text_string(out, s, len);
}


int
wsp__hdr_enc_disposition(const struct wsp__codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    const char *p = s, *end = s + len, *d;
    size_t dlen, mark = out->len;
    struct wsp__hparam hp;
    int w, rc;

    while (p < end && *p != ';') {
        p++;
    }
    d = s;
    dlen = (size_t) (p - s);
    wsp__hdr_trim(&d, &dlen);
    w = word_index(c, d, dlen);
    rc = w >= 0 ? wsp__hdr_put_short(out, (unsigned) w)
        : wsp__hdr_put_token_text(out, d, dlen);
    while (rc == 0) {
        rc = wsp__hdr_next_param(&p, end, &hp);
        if (rc <= 0) {
            break;
        }
        rc = enc_param(&hp, enc, out);
    }
    if (rc != 0) {
        return rc;
    }
    return wsp__hdr_close_value_length(out, mark);
}


/* ==== Public entry points ============================================== */

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
    wsp__hdr_trim(&s, &len);
    if (len == 0) {
        return WSPGW_EINVAL;
    }
    rc = wsp__hdr_enc_media(wsp__hdr_codec_of(WSP_G_CTYPE), s, len, enc, out);
    if (rc != 0) {
        wsp__buf_truncate(out, mark);
    }
    return rc;
}


/* Application header: Token-text name + Text-string value. */
static int
put_application(const char *name, size_t nlen, const char *v, size_t vlen,
    struct wspgw_buf *out)
{
    int rc = wsp__hdr_put_token_text(out, name, nlen);

    return rc != 0 ? rc : wsp__hdr_put_text_string(out, v, vlen);
}


int
wsp_hdr_encode(const char *name, const char *value, unsigned enc,
    struct wspgw_buf *out)
{
    const struct wsp__entry *e;
    const struct wsp__codec *c = NULL;
    const char *v = value, *p, *end, *item;
    size_t nlen = strlen(name), vlen = strlen(value), ilen;
    size_t mark = out->len;
    int rc = 0, items = 0;

    if (!wsp__hdr_is_token((const uint8_t *) name, nlen) || !text_ok(value)) {
        return WSPGW_EINVAL;
    }
    if (enc < WSP_ENC_1_1) {
        enc = WSP_ENC_1_1;
    }
    wsp__hdr_trim(&v, &vlen);
    e = wsp__by_name(WSP_TAB_FIELD, name, nlen, enc);
    if (e != NULL) {
        c = wsp__hdr_codec_of(e->grammar);
    }
    if (c != NULL && c->enc != NULL) {
        if (c->list) {
            p = v;
            end = v + vlen;
            while (rc == 0 && wsp__hdr_next_element(&p, end, &item, &ilen)) {
                rc = wsp__hdr_put_short(out, e->num);
                if (rc == 0) {
                    rc = c->enc(c, item, ilen, enc, out);
                }
                items++;
            }
        } else if (vlen > 0 || e->grammar == WSP_G_TEXT) {
            rc = wsp__hdr_put_short(out, e->num);
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


/* enc_param for hdr_ext.c (Set-Cookie parameters). */
int
wsp__hdr_enc_param(const struct wsp__hparam *hp, unsigned enc,
    struct wspgw_buf *out)
{
    return enc_param(hp, enc, out);
}
