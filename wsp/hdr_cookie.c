/*
 * wsp/hdr_cookie.c - the Set-Cookie (8.4.2.68), Cookie (8.4.2.69) and
 * Encoding-Version (8.4.2.70, with the code-page form) grammars of the
 * binary header codec; codecs[] (hdr_value.c) names their decoders and
 * encoders.  Split from hdr_ext.c, whose Value-length helpers they use.
 *
 * Design: Set-Cookie renders "name=value; attr...; Version=V" (version 0,
 * the Netscape form, is not shown); Cookie renders "a=b; c=d", or the
 * RFC 2109 form "$Version=1; a=b; $Path=/; $Domain=x".  The encoders take
 * exactly those forms; anything else goes out as an application header.
 *
 * Does not: encode a Set-Cookie with a Version of more than one digit
 * or an attribute the parameter grammar cannot carry (a quoted value
 * with escapes), a Cookie in another form than the two above, or an
 * Encoding-Version text version other than digits and dots: each goes as
 * text (application header).  Attributes without a Table 38 token
 * (expires, HttpOnly, SameSite) go untyped and come back the same.
 *
 * Invariants and ownership as in hdr_ext.c: bounded reads, exact
 * consumption, text checked before it reaches HTTP; output appended to
 * the caller's capped buffer, rolled back by the entry points.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wspgw/err.h"
#include "hdr_int.h"

/* ==== Set-Cookie and Cookie: Cookie-version name value ... ============== */

/*
 * Cookie-version (Version-value) at (*p, *len): the Short-integer form
 * in *ver (0x0F for version "0"), or the Text-string form in (*vs,
 * *vslen) with *ver = -1.
 */
static int
take_cookie_version(const uint8_t **p, size_t *len, int *ver,
    const uint8_t **vs, size_t *vslen)
{
    if (*len == 0) {
        return WSPGW_EPROTO;
    }
    if ((*p)[0] >= 0x80) {
        *ver = (*p)[0] & 0x7f;
        (*p)++;
        (*len)--;
        return 0;
    }
    *ver = -1;
    return wsp__hdr_take_text(p, len, vs, vslen);
}


/* Renders a cookie version; version 0 (Netscape cookies) is not shown. */
static int
put_cookie_version(struct wspgw_buf *out, const char *prefix, int ver,
    const uint8_t *vs, size_t vslen)
{
    int rc;

    if (ver == 0x0f) {
        return 0;
    }
    rc = wspgw_buf_puts(out, prefix);
    if (rc != 0) {
        return rc;
    }
    if (ver >= 0) {
        return wsp__hdr_put_version(out, (unsigned) ver);
    }
    if (!wsp__hdr_is_token(vs, vslen)) {
        return WSPGW_EPROTO;
    }
    return wspgw_buf_append(out, vs, vslen);
}


/* Cookie-name Cookie-val as "name=value". */
static int
take_cookie_pair(const uint8_t **p, size_t *len, struct wspgw_buf *out)
{
    const uint8_t *n, *v;
    size_t nlen, vlen;
    int rc;

    rc = wsp__hdr_take_text(p, len, &n, &nlen);
    if (rc == 0) {
        rc = wsp__hdr_take_text(p, len, &v, &vlen);
    }
    if (rc != 0) {
        return rc;
    }
    if (!wsp__hdr_is_token(n, nlen) || memchr(v, ';', vlen) != NULL) {
        return WSPGW_EPROTO;
    }
    rc = wspgw_buf_append(out, n, nlen);
    if (rc == 0) {
        rc = wspgw_buf_putc(out, '=');
    }
    return rc != 0 ? rc : wsp__hdr_put_checked(out, v, vlen);
}


int
wsp__hdr_dec_set_cookie(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out)
{
    const uint8_t *b, *vs = NULL;
    size_t blen, vslen = 0, pmark, i, k;
    int rc, ver;

    rc = wsp__hdr_vl_body(v, len, &b, &blen);
    if (rc == 0) {
        rc = take_cookie_version(&b, &blen, &ver, &vs, &vslen);
    }
    if (rc == 0) {
        rc = take_cookie_pair(&b, &blen, out);
    }
    pmark = out->len;
    if (rc == 0 && blen > 0) {
        rc = wsp__hdr_dec_params(b, blen, out);
    }
    if (rc != 0) {
        return rc;
    }
    /*
     * Cookie attributes are never quoted in HTTP (RFC 6265 would keep the
     * quotes as part of Path or Expires): drop the quotes the parameter
     * renderer puts around non-token values such as "/" or a date.
     */
    for (i = pmark, k = pmark; i < out->len; i++) {
        if (out->data[i] != '"') {
            out->data[k++] = out->data[i];
        }
    }
    wsp__buf_truncate(out, k);
    return put_cookie_version(out, "; Version=", ver, vs, vslen);
}


/* A one-digit cookie version "0".."7" as a Version-value octet. */
static int
cookie_version_octet(const char *s, size_t len, unsigned *octet)
{
    if (len != 1 || s[0] < '0' || s[0] > '7') {
        return WSPGW_EINVAL;
    }
    *octet = (unsigned) (s[0] - '0') << 4 | 0x0f;
    return 0;
}


/* "name=value" of (s, len), trimmed; the value may be empty. */
static int
split_pair(const char *s, size_t len, const char **n, size_t *nlen,
    const char **v, size_t *vlen)
{
    size_t eq = wsp__hdr_index_of(s, len, '=');

    if (eq == len) {
        return WSPGW_EINVAL;
    }
    *n = s;
    *nlen = eq;
    wsp__hdr_trim(n, nlen);
    *v = s + eq + 1;
    *vlen = len - eq - 1;
    wsp__hdr_trim(v, vlen);
    if (!wsp__hdr_is_token((const uint8_t *) *n, *nlen)
        || memchr(*v, ',', *vlen) != NULL)
    {
        return WSPGW_EINVAL;
    }
    return 0;
}


/*
 * "name=value; attr[=value]..." with a one-digit Version attribute or
 * none (version 0).  Attributes go through the parameter encoder: path,
 * domain, max-age, secure, comment are well-known from 1.3 on, others
 * (expires, HttpOnly) untyped; anything the parameter grammar cannot
 * carry makes the whole header go as text.
 */
int
wsp__hdr_enc_set_cookie(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out)
{
    const char *p, *end = s + len, *n, *v;
    size_t semi = wsp__hdr_index_of(s, len, ';'), nlen, vlen, mark = out->len;
    struct wsp__hparam hp;
    unsigned ver = 0x0f;
    int rc;

    if (split_pair(s, semi, &n, &nlen, &v, &vlen) != 0) {
        return WSPGW_EINVAL;
    }
    p = s + semi;
    for (;;) {
        rc = wsp__hdr_next_param(&p, end, &hp);
        if (rc != 1) {
            break;
        }
        if (hp.nlen == 7 && wsp__hdr_has_prefix(hp.name, hp.nlen, "version")
            && (!hp.has_val
                || cookie_version_octet(hp.val, hp.vlen, &ver) != 0))
        {
            return WSPGW_EINVAL;
        }
    }
    if (rc != 0) {
        return WSPGW_EINVAL;
    }
    rc = wsp__hdr_put_short(out, ver);
    if (rc == 0) {
        rc = wsp__hdr_put_plain_text(out, n, nlen);
    }
    if (rc == 0) {
        rc = wsp__hdr_put_plain_text(out, v, vlen);
    }
    p = s + semi;
    while (rc == 0 && wsp__hdr_next_param(&p, end, &hp) == 1) {
        if (!(hp.nlen == 7
            && wsp__hdr_has_prefix(hp.name, hp.nlen, "version")))
        {
            rc = wsp__hdr_enc_param(&hp, enc, out);
        }
    }
    return wsp__hdr_close_vl(out, mark, rc);
}


int
wsp__hdr_dec_cookie(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out)
{
    const uint8_t *b, *vs = NULL, *sub, *t;
    size_t blen, vslen = 0, sublen, tlen;
    uint32_t cl;
    int rc, ver, n = 0;

    rc = wsp__hdr_vl_body(v, len, &b, &blen);
    if (rc == 0) {
        rc = take_cookie_version(&b, &blen, &ver, &vs, &vslen);
    }
    if (rc == 0) {
        rc = put_cookie_version(out, "$Version=", ver, vs, vslen);
    }
    while (rc == 0 && blen > 0) {
        rc = wsp__hdr_take_uintvar(&b, &blen, &cl);
        if (rc == 0 && (cl > blen || cl == 0)) {
            rc = WSPGW_EPROTO;
        }
        if (rc != 0) {
            break;
        }
        sub = b;
        sublen = cl;
        b += cl;
        blen -= cl;
        if (n > 0 || ver != 0x0f) {
            rc = wspgw_buf_puts(out, "; ");
        }
        if (rc == 0) {
            rc = take_cookie_pair(&sub, &sublen, out);
        }
        /* Cookie-parameters: Path (empty = none) [Domain]. */
        if (rc == 0 && sublen > 0) {
            rc = wsp__hdr_take_text(&sub, &sublen, &t, &tlen);
            if (rc == 0 && tlen > 0) {
                rc = wspgw_buf_puts(out, "; $Path=");
                if (rc == 0) {
                    rc = wsp__hdr_put_checked(out, t, tlen);
                }
            }
        }
        if (rc == 0 && sublen > 0) {
            rc = wsp__hdr_take_text(&sub, &sublen, &t, &tlen);
            if (rc == 0 && tlen > 0) {
                rc = wspgw_buf_puts(out, "; $Domain=");
                if (rc == 0) {
                    rc = wsp__hdr_put_checked(out, t, tlen);
                }
            }
        }
        if (rc == 0 && sublen != 0) {
            rc = WSPGW_EPROTO;
        }
        n++;
    }
    if (rc == 0 && n == 0) {
        rc = WSPGW_EPROTO;
    }
    return rc;
}


/* Inserts the uintvar length of the octets written since mark. */
static int
close_uintvar(struct wspgw_buf *out, size_t mark, int rc)
{
    size_t body = out->len - mark;
    uint32_t v = (uint32_t) body;
    uint8_t tmp[5];
    unsigned n, i;

    if (rc != 0) {
        return rc;
    }
    n = wsp_uintvar_size(v);
    for (i = 0; i < n; i++) {
        tmp[n - 1 - i] = (uint8_t) ((v & 0x7f) | (i == 0 ? 0 : 0x80));
        v >>= 7;
    }
    rc = wspgw_buf_reserve(out, n);
    if (rc != 0) {
        return rc;
    }
    memmove(out->data + mark + n, out->data + mark, body);
    memcpy(out->data + mark, tmp, n);
    out->len += n;
    out->data[out->len] = '\0';
    return 0;
}


/*
 * "a=b; c=d", or the RFC 2109 form "$Version=1; a=b; $Path=/; $Domain=x"
 * ($Version first, $Path and $Domain after the cookie they belong to).
 */
int
wsp__hdr_enc_cookie(const struct wsp__codec *c, const char *s, size_t len,
    unsigned enc, struct wspgw_buf *out)
{
    const char *p = s, *end = s + len, *n, *v, *path = NULL, *dom = NULL;
    size_t k, nlen, vlen, plen = 0, dlen = 0, mark = out->len, cmark = 0;
    unsigned ver = 0x0f;
    int rc = 0, first = 1, open = 0, started = 0;

    while (rc == 0 && p < end) {
        k = wsp__hdr_index_of(p, (size_t) (end - p), ';');
        if (split_pair(p, k, &n, &nlen, &v, &vlen) != 0) {
            return WSPGW_EINVAL;
        }
        p += k < (size_t) (end - p) ? k + 1 : k;
        if (n[0] == '$') {
            if (nlen == 8 && first
                && wsp__hdr_has_prefix(n, nlen, "$version"))
            {
                if (cookie_version_octet(v, vlen, &ver) != 0) {
                    return WSPGW_EINVAL;
                }
            } else if (nlen == 5 && open && path == NULL
                && wsp__hdr_has_prefix(n, nlen, "$path"))
            {
                path = v;
                plen = vlen;
            } else if (nlen == 7 && open && dom == NULL
                && wsp__hdr_has_prefix(n, nlen, "$domain"))
            {
                dom = v;
                dlen = vlen;
            } else {
                return WSPGW_EINVAL;
            }
            first = 0;
            continue;
        }
        if (!started) {
            rc = wsp__hdr_put_short(out, ver);
            started = 1;
        }
        if (open) {
            if (rc == 0 && (path != NULL || dom != NULL)) {
                rc = wsp__hdr_put_plain_text(out, path, plen);
            }
            if (rc == 0 && dom != NULL) {
                rc = wsp__hdr_put_plain_text(out, dom, dlen);
            }
            rc = close_uintvar(out, cmark, rc);
        }
        first = 0;
        path = NULL;
        dom = NULL;
        plen = 0;
        dlen = 0;
        cmark = out->len;
        open = 1;
        if (rc == 0) {
            rc = wsp__hdr_put_plain_text(out, n, nlen);
        }
        if (rc == 0) {
            rc = wsp__hdr_put_plain_text(out, v, vlen);
        }
    }
    if (!open) {
        return WSPGW_EINVAL;
    }
    if (rc == 0 && (path != NULL || dom != NULL)) {
        rc = wsp__hdr_put_plain_text(out, path, plen);
    }
    if (rc == 0 && dom != NULL) {
        rc = wsp__hdr_put_plain_text(out, dom, dlen);
    }
    rc = close_uintvar(out, cmark, rc);
    return wsp__hdr_close_vl(out, mark, rc);
}


/* ==== Encoding-Version: Version-value | Value-length Code-page [V] ===== */

static const char code_page_prefix[] = "code-page=";
static const char version_prefix[] = "; version=";

/*
 * The code-page form of 8.4.2.70.  Code page 1 (the WAP headers) with a
 * version is the same statement as the plain form and renders as the
 * plain version, which is what the gateway negotiates on; another page
 * renders "code-page=N[; version=V]", which no version parser takes for
 * ours.  The version is a Short-integer or a Text-string of digits and
 * dots (Version-value, 8.4.2.3).
 */
/* A version in text: digits and dots only ("1.3", "2"), not empty. */
static int
is_version_text(const uint8_t *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) {
            return 0;
        }
    }
    return len > 0;
}


int
wsp__hdr_dec_enc_version(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out)
{
    const uint8_t *b, *t = NULL;
    size_t blen, tlen = 0;
    unsigned page;
    int rc;

    if (v[0] >= 0x20) {
        return wsp__hdr_dec_version(c, v, len, out);
    }
    rc = wsp__hdr_vl_body(v, len, &b, &blen);
    if (rc != 0) {
        return rc;
    }
    if (b[0] < 0x80 || (blen == 2 && b[1] < 0x80)) {
        return WSPGW_EPROTO;
    }
    page = b[0] & 0x7fu;
    b++;
    blen--;
    /* Version-value: Short-integer, or a Text-string filling the rest. */
    if (blen > 1) {
        rc = wsp__hdr_take_text(&b, &blen, &t, &tlen);
        if (rc == 0 && (blen != 0 || !is_version_text(t, tlen))) {
            rc = WSPGW_EPROTO;
        }
        if (rc != 0) {
            return rc;
        }
    }
    if (page == 1 && (t != NULL || blen == 1)) {
        return t != NULL ? wspgw_buf_append(out, t, tlen)
            : wsp__hdr_put_version(out, b[0]);
    }
    rc = wspgw_buf_printf(out, "%s%u", code_page_prefix, page);
    if (rc == 0 && (t != NULL || blen == 1)) {
        rc = wspgw_buf_puts(out, version_prefix);
        if (rc == 0) {
            rc = t != NULL ? wspgw_buf_append(out, t, tlen)
                : wsp__hdr_put_version(out, b[0]);
        }
    }
    return rc;
}


int
wsp__hdr_enc_enc_version(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out)
{
    size_t semi, mark = out->len;
    uint64_t page;
    int rc;

    if (!wsp__hdr_has_prefix(s, len, code_page_prefix)) {
        return wsp__hdr_enc_version(c, s, len, enc, out);
    }
    s += sizeof(code_page_prefix) - 1;
    len -= sizeof(code_page_prefix) - 1;
    semi = wsp__hdr_index_of(s, len, ';');
    if (wsp__hdr_parse_uint(s, semi, &page) != 0 || page > 0x7f) {
        return WSPGW_EINVAL;
    }
    rc = wsp__hdr_put_short(out, (unsigned) page);
    if (rc == 0 && semi < len) {
        s += semi;
        len -= semi;
        if (!wsp__hdr_has_prefix(s, len, version_prefix)) {
            return WSPGW_EINVAL;
        }
        s += sizeof(version_prefix) - 1;
        len -= sizeof(version_prefix) - 1;
        if (!is_version_text((const uint8_t *) s, len)) {
            return WSPGW_EINVAL;        /* the decoder takes no other */
        }
        rc = wsp__hdr_enc_version(c, s, len, enc, out);
    }
    return wsp__hdr_close_vl(out, mark, rc);
}
