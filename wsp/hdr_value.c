/*
 * wsp/hdr_value.c - the binary header codec's primitives and its grammar
 * table: reading and rendering the basic WSP value types, writing them,
 * scanning the HTTP text forms, and codecs[], which gives each value
 * grammar its decoder (hdr_decode.c) and its encoder (hdr_encode.c).
 *
 * Spec: WAP-230-WSP-20010705-a 8.4 (header encoding): 8.4.1.2 (field
 * values and the generic length rule), 8.4.2.1 (basic rules), 8.4.2.3
 * (parameters, Q-value).  Facts in shared/reference/wsp-headers.md
 * sections 1-2.
 *
 * Design: every field row in WSP_FIELD_MAP (wsp_int.h) names a value
 * grammar; codecs[] below gives each grammar a decode and an encode
 * function.  Supporting another field is a new row; another grammar, a
 * new pair of functions (declared in hdr_int.h) and a row in codecs[].
 *
 * Does not: delimit header blocks or render whole field values
 * (hdr_decode.c), choose field codes or decide which fields are lists
 * (hdr_encode.c), or convert dates (date.c).
 *
 * Invariants: every read is bounded by the length it is given; text that
 * goes into an HTTP header passes wsp__hdr_put_checked (no CR/LF
 * smuggling).  A writer may leave part of an item in the buffer when it
 * fails: the entry points in hdr_decode.c and hdr_encode.c roll back to
 * their mark.
 *
 * Ownership: inputs are borrowed; results are views into the input or
 * octets appended to the caller's capped buffer.  codecs[] and the
 * keyword lists are static const.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wspgw/err.h"
#include "hdr_int.h"

/* ==== Decoding primitives: every read is bounded by len ================ */

/*
 * Extent of the value at p by the generic rule of 8.4.1.2.  Sets *span
 * (>= 1).  WSPGW_ETRUNC if it runs past len, WSPGW_EPROTO for a bad
 * uintvar length.
 */
int
wsp__hdr_value_span(const uint8_t *p, size_t len, size_t *span)
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
int
wsp__hdr_get_value_length(const uint8_t *p, size_t len, size_t *vl,
    size_t *used)
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
int
wsp__hdr_get_integer(const uint8_t *p, size_t len, uint64_t *v, size_t *used)
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
int
wsp__hdr_get_text(const uint8_t *p, size_t len, const uint8_t **s,
    size_t *slen, int *quoted, size_t *used)
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


int
wsp__hdr_is_token(const uint8_t *s, size_t len)
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
int
wsp__hdr_put_checked(struct wspgw_buf *out, const uint8_t *s, size_t len)
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
int
wsp__hdr_put_text(struct wspgw_buf *out, const uint8_t *s, size_t len,
    int quoted)
{
    int rc = 0;

    if (quoted) {
        rc = wspgw_buf_putc(out, '"');
    }
    if (rc == 0) {
        rc = wsp__hdr_put_checked(out, s, len);
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
int
wsp__hdr_put_param_text(struct wspgw_buf *out, const uint8_t *s, size_t len)
{
    size_t i;
    int rc;

    if (wsp__hdr_is_token(s, len)) {
        return wsp__hdr_put_checked(out, s, len);
    }
    rc = wspgw_buf_putc(out, '"');
    for (i = 0; rc == 0 && i < len; i++) {
        if (s[i] == '"' || s[i] == '\\') {
            rc = wspgw_buf_putc(out, '\\');
        }
        if (rc == 0) {
            rc = wsp__hdr_put_checked(out, s + i, 1);
        }
    }
    if (rc == 0) {
        rc = wspgw_buf_putc(out, '"');
    }
    return rc;
}


/* Renders a q-value in thousandths as "1", "0.5", "0.333". */
int
wsp__hdr_put_q(struct wspgw_buf *out, unsigned milli)
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
int
wsp__hdr_get_q(const uint8_t *p, size_t len, unsigned *milli, size_t *used)
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
int
wsp__hdr_put_trailing_q(const uint8_t *p, size_t len, struct wspgw_buf *out)
{
    unsigned milli;
    size_t used;
    int rc;

    if (len == 0) {
        return 0;
    }
    rc = wsp__hdr_get_q(p, len, &milli, &used);
    if (rc != 0) {
        return rc;
    }
    if (used != len) {
        return WSPGW_EPROTO;
    }
    rc = wspgw_buf_puts(out, "; q=");
    if (rc == 0) {
        rc = wsp__hdr_put_q(out, milli);
    }
    return rc;
}


/* Name of num in a table, or NULL. */
const char *
wsp__hdr_tab_name(enum wsp__table_id id, uint64_t num)
{
    const struct wsp__entry *e;

    if (num > UINT32_MAX) {
        return NULL;
    }
    e = wsp__by_num(id, (uint32_t) num);
    return e != NULL ? e->name : NULL;
}


/* Renders a Version-value octet (Short-integer form). */
int
wsp__hdr_put_version(struct wspgw_buf *out, unsigned v)
{
    unsigned major = (v >> 4) & 0x07;
    unsigned minor = v & 0x0f;

    if (minor == 0x0f) {
        return wspgw_buf_printf(out, "%u", major);
    }
    return wspgw_buf_printf(out, "%u.%u", major, minor);
}


/* ==== Encoding primitives ============================================== */

int
wsp__hdr_put_short(struct wspgw_buf *out, unsigned n)
{
    return wspgw_buf_putc(out, (uint8_t) (0x80 | (n & 0x7f)));
}


/* Long-integer: Short-length + big-endian value in the fewest octets. */
int
wsp__hdr_put_long(struct wspgw_buf *out, uint64_t v)
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


int
wsp__hdr_put_integer(struct wspgw_buf *out, uint64_t v)
{
    return v < 0x80 ? wsp__hdr_put_short(out, (unsigned) v)
        : wsp__hdr_put_long(out, v);
}


/*
 * Text-string: Quote 0x7F only when the first octet is >= 0x80 (the spec
 * rule; Kannel also quotes empty strings, which we do not copy), then the
 * text and its NUL.  Text wrapped in double quotes goes out as a
 * Quoted-string (0x22 text 0x00, no closing quote), which is how WSP
 * carries an HTTP quoted-string such as an entity tag.
 */
int
wsp__hdr_put_text_string(struct wspgw_buf *out, const char *s, size_t len)
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


int
wsp__hdr_put_token_text(struct wspgw_buf *out, const char *s, size_t len)
{
    int rc;

    if (!wsp__hdr_is_token((const uint8_t *) s, len)) {
        return WSPGW_EINVAL;
    }
    rc = wspgw_buf_append(out, s, len);
    return rc != 0 ? rc : wspgw_buf_putc(out, 0);
}


/*
 * Wraps the octets appended since mark in a Value-length: 1 octet for
 * up to 30, else 0x1F + uintvar.
 */
int
wsp__hdr_close_value_length(struct wspgw_buf *out, size_t mark)
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


void
wsp__hdr_trim(const char **s, size_t *len)
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
int
wsp__hdr_next_element(const char **p, const char *end, const char **s,
    size_t *len)
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
        wsp__hdr_trim(s, len);
        if (*len > 0) {
            return 1;
        }
    }
    return 0;
}


/*
 * Parses the next ";"-introduced parameter from [*p, end).  1 = got one,
 * 0 = end, WSPGW_EINVAL = malformed.  Quoted values with backslash
 * escapes are refused (WSP has no escape to carry them).
 */
int
wsp__hdr_next_param(const char **p, const char *end, struct wsp__hparam *hp)
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
int
wsp__hdr_parse_uint(const char *s, size_t len, uint64_t *v)
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
int
wsp__hdr_parse_q(const char *s, size_t len, unsigned *milli)
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
int
wsp__hdr_put_qvalue(struct wspgw_buf *out, unsigned milli)
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
int
wsp__hdr_split_item_q(const char *s, size_t len, const char **item,
    size_t *ilen, unsigned *milli)
{
    const char *p = s, *end = s + len;
    struct wsp__hparam hp;
    int rc;

    while (p < end && *p != ';') {
        p++;
    }
    *item = s;
    *ilen = (size_t) (p - s);
    wsp__hdr_trim(item, ilen);
    *milli = 1000;
    if (*ilen == 0) {
        return WSPGW_EINVAL;
    }
    rc = wsp__hdr_next_param(&p, end, &hp);
    if (rc == 0) {
        return 0;
    }
    if (rc < 0 || !hp.has_val || hp.nlen != 1
        || (hp.name[0] != 'q' && hp.name[0] != 'Q'))
    {
        return WSPGW_EINVAL;
    }
    rc = wsp__hdr_parse_q(hp.val, hp.vlen, milli);
    if (rc != 0) {
        return rc;
    }
    return wsp__hdr_next_param(&p, end, &hp) == 0 ? 0 : WSPGW_EINVAL;
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
/*
 * Marker only: Public also accepts Token-text (see wsp__hdr_dec_method,
 * wsp__hdr_enc_method).
 */
static const char *const public_words[] = { "" };
/* Marker only: the 1.3 Content-Range has Unknown-length (hdr_ext.c). */
static const char *const unknown_len_words[] = { "*" };

#define WORDS(a) (a), (unsigned) (sizeof(a) / sizeof((a)[0]))

static const struct wsp__codec codecs[] = {
    [WSP_G_NONE] = { NULL, NULL, 0, NULL, 0 },
    [WSP_G_TEXT] = { wsp__hdr_dec_text, wsp__hdr_enc_text, 0, NULL, 0 },
    [WSP_G_INT] = { wsp__hdr_dec_int, wsp__hdr_enc_int, 0, NULL, 0 },
    [WSP_G_DATE] = { wsp__hdr_dec_date, wsp__hdr_enc_date, 0, NULL, 0 },
    [WSP_G_DATE_OR_TEXT] = { wsp__hdr_dec_date_or_text,
        wsp__hdr_enc_date_or_text, 0, NULL, 0 },
    [WSP_G_ACCEPT] = { wsp__hdr_dec_media, wsp__hdr_enc_media, 1, NULL, 0 },
    [WSP_G_CTYPE] = { wsp__hdr_dec_media, wsp__hdr_enc_media, 0, NULL, 0 },
    [WSP_G_CHARSET] = { wsp__hdr_dec_charset,
        wsp__hdr_enc_charset, 1, NULL, 0 },
    [WSP_G_ACCEPT_LANG] = { wsp__hdr_dec_accept_lang,
        wsp__hdr_enc_accept_lang, 1, NULL, 0 },
    [WSP_G_CONTENT_LANG] = { wsp__hdr_dec_content_lang,
        wsp__hdr_enc_content_lang, 1, NULL, 0 },
    [WSP_G_ACCEPT_ENC_11] = { wsp__hdr_dec_accept_enc,
        wsp__hdr_enc_accept_enc, 1, WORDS(content_enc_words) },
    [WSP_G_ACCEPT_ENC] = { wsp__hdr_dec_accept_enc,
        wsp__hdr_enc_accept_enc, 1, WORDS(accept_enc_words) },
    [WSP_G_CONTENT_ENC] = { wsp__hdr_dec_keyword,
        wsp__hdr_enc_keyword, 1, WORDS(content_enc_words) },
    [WSP_G_ACCEPT_RANGES] = { wsp__hdr_dec_keyword,
        wsp__hdr_enc_keyword, 1, WORDS(accept_ranges_words) },
    [WSP_G_CONNECTION] = { wsp__hdr_dec_keyword,
        wsp__hdr_enc_keyword, 1, WORDS(connection_words) },
    [WSP_G_TRANSFER_ENC] = { wsp__hdr_dec_keyword,
        wsp__hdr_enc_keyword, 1, WORDS(transfer_enc_words) },
    [WSP_G_PRAGMA] = { wsp__hdr_dec_pragma,
        wsp__hdr_enc_pragma, 1, WORDS(pragma_words) },
    [WSP_G_SECURITY] = { wsp__hdr_dec_keyword,
        wsp__hdr_enc_word_only, 0, WORDS(security_words) },
    [WSP_G_METHOD] = { wsp__hdr_dec_method, wsp__hdr_enc_method, 1, NULL, 0 },
    [WSP_G_PUBLIC] = { wsp__hdr_dec_method,
        wsp__hdr_enc_method, 1, WORDS(public_words) },
    [WSP_G_VERSION] = { wsp__hdr_dec_version,
        wsp__hdr_enc_version, 0, NULL, 0 },
    [WSP_G_CACHE_CONTROL] = { wsp__hdr_dec_cache_control,
        wsp__hdr_enc_cache_control, 1, NULL, 0 },
    [WSP_G_APP_ID] = { wsp__hdr_dec_app_id, wsp__hdr_enc_app_id, 0, NULL, 0 },
    [WSP_G_FIELD_NAME] = { wsp__hdr_dec_field_name,
        wsp__hdr_enc_field_name, 1, NULL, 0 },
    [WSP_G_DISPOSITION] = { wsp__hdr_dec_disposition,
        wsp__hdr_enc_disposition, 0, WORDS(disposition_words) },
    [WSP_G_RANGE] = { wsp__hdr_dec_range, wsp__hdr_enc_range, 0, NULL, 0 },
    [WSP_G_CRANGE_11] = { wsp__hdr_dec_content_range,
        wsp__hdr_enc_content_range, 0, NULL, 0 },
    [WSP_G_CRANGE] = { wsp__hdr_dec_content_range,
        wsp__hdr_enc_content_range, 0, WORDS(unknown_len_words) },
    [WSP_G_RETRY_AFTER] = { wsp__hdr_dec_retry_after,
        wsp__hdr_enc_retry_after, 0, NULL, 0 },
    [WSP_G_CREDENTIALS] = { wsp__hdr_dec_credentials,
        wsp__hdr_enc_credentials, 0, NULL, 0 },
    [WSP_G_CHALLENGE] = { wsp__hdr_dec_challenge,
        wsp__hdr_enc_challenge, 0, NULL, 0 },
    [WSP_G_WARNING] = { wsp__hdr_dec_warning, wsp__hdr_enc_warning, 0, NULL,
        0 },
    [WSP_G_MD5] = { wsp__hdr_dec_md5, wsp__hdr_enc_md5, 0, NULL, 0 },
    [WSP_G_TE] = { wsp__hdr_dec_te, wsp__hdr_enc_te, 1, NULL, 0 },
    [WSP_G_EXPECT] = { wsp__hdr_dec_expect, wsp__hdr_enc_expect, 1, NULL,
        0 },
    [WSP_G_PROFILE_WARNING] = { wsp__hdr_dec_profile_warning,
        wsp__hdr_enc_profile_warning, 0, NULL, 0 },
    [WSP_G_SET_COOKIE] = { wsp__hdr_dec_set_cookie,
        wsp__hdr_enc_set_cookie, 0, NULL, 0 },
    [WSP_G_COOKIE] = { wsp__hdr_dec_cookie, wsp__hdr_enc_cookie, 0, NULL,
        0 },
    [WSP_G_ENC_VERSION] = { wsp__hdr_dec_enc_version,
        wsp__hdr_enc_enc_version, 0, NULL, 0 },
    /*
     * WAP-230 gives X-Wap-Loc-Invocation/-Delivery no value grammar: a
     * Text-string is read (lenient), and we send them as application
     * headers only, never a code a handset may parse differently.
     */
    [WSP_G_LOC] = { wsp__hdr_dec_text, NULL, 0, NULL, 0 },
    [WSP_G_PROFILE_DIFF] = { wsp__hdr_dec_profile_diff,
        wsp__hdr_enc_profile_diff, 0, NULL, 0 },
    [WSP_G_SHORT] = { wsp__hdr_dec_short, wsp__hdr_enc_short, 0, NULL, 0 },
};


const struct wsp__codec *
wsp__hdr_codec_of(unsigned grammar)
{
    if (grammar >= sizeof(codecs) / sizeof(codecs[0])
        || codecs[grammar].dec == NULL)
    {
        return NULL;
    }
    return &codecs[grammar];
}
