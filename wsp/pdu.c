/*
 * wsp/pdu.c - WSP PDU layouts: split a datagram into views, and build the
 * few PDUs the gateway sends.
 *
 * Spec: WAP-230-WSP-20010705-a 8.2 (PDU formats), Table 34 (PDU types),
 * 8.2.1 (connectionless mode: one TID octet before the PDU).  Facts in
 * shared/reference/wsp.md sections 2-4 and 10.
 *
 * Layouts handled here:
 *   Get family  0x40-0x5F: Type URILen(uintvar) URI Headers(rest)
 *   Post family 0x60-0x7F: Type URILen HeadersLen URI ContentType Headers
 *                          Data(rest)   - both lengths precede the URI
 *   Reply       0x04:      Type Status HeadersLen ContentType Headers Data
 *   Push        0x06/0x07: Type HeadersLen ContentType Headers Data
 *                          (Push encoded too, for the PPG)
 *   Redirect    0x03:      Type Flags Addresses(rest), encoded only
 *                          (8.2.2.3; wsp.md 10): per address 0xC0 |
 *                          length, bearer type, port, address octets
 * HeadersLen counts ContentType + Headers; ContentType is a bare
 * Content-type-value (no 0x91 field octet), delimited by the generic
 * value-length rule of 8.4.1.2.
 *
 * Does not: decode headers (hdr_decode.c), sessions (Connect, Resume,
 * ...), capabilities, or Data Fragment PDUs; those types come back as
 * WSPGW_ENOTSUP with type/tid set.
 *
 * Ownership: struct wsp_pdu holds views into the caller's datagram.
 * Encoders copy everything into the caller's capped buffer.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wspgw/err.h"
#include "wspgw/wsp.h"
#include "wsp_int.h"


const char *
wsp_pdu_type_name(unsigned type)
{
    switch (type) {
#define XX(name, val, text) case (val): return text;
    WSP_PDU_TYPE_MAP(XX)
#undef XX
    default:
        return wsp__unknown_name(type);
    }
}


int
wsp_pdu_is_get_family(unsigned type)
{
    return type >= 0x40 && type <= 0x5f;
}


int
wsp_pdu_is_post_family(unsigned type)
{
    return type >= 0x60 && type <= 0x7f;
}


const char *
wsp_pdu_http_method(unsigned type)
{
    switch (type) {
    case WSP_PDU_GET:
        return "GET";
    case WSP_PDU_OPTIONS:
        return "OPTIONS";
    case WSP_PDU_HEAD:
        return "HEAD";
    case WSP_PDU_DELETE:
        return "DELETE";
    case WSP_PDU_TRACE:
        return "TRACE";
    case WSP_PDU_POST:
        return "POST";
    case WSP_PDU_PUT:
        return "PUT";
    default:
        return NULL;
    }
}


/*
 * Length of the Content-type-value at the start of a header block of len
 * octets, by the generic rule (8.4.1.2): Short-integer = 1 octet, text up
 * to its NUL, or a Value-length and that many octets.  Returns the length
 * (0 for an empty block) or WSPGW_EPROTO when it does not fit the block.
 */
static int
ctype_span(const uint8_t *p, size_t len, size_t *span)
{
    const uint8_t *nul;
    uint32_t vl;
    int n;

    if (len == 0) {
        *span = 0;
        return 0;
    }
    if (p[0] >= 0x80) {
        *span = 1;
        return 0;
    }
    if (p[0] >= 0x20) {
        nul = memchr(p, '\0', len);
        if (nul == NULL) {
            return WSPGW_EPROTO;
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
            return WSPGW_EPROTO;
        }
        n++;
    }
    if (vl > len - (size_t) n) {
        return WSPGW_EPROTO;
    }
    *span = (size_t) n + vl;
    return 0;
}


/* Reads a uintvar at *off and advances it.  ETRUNC/EPROTO as decode. */
static int
get_uintvar(const uint8_t *buf, size_t len, size_t *off, uint32_t *v)
{
    int n = wsp_uintvar_decode(buf + *off, len - *off, v);

    if (n < 0) {
        return n;
    }
    *off += (size_t) n;
    return 0;
}


/*
 * Splits a HeadersLen-counted block (ContentType + Headers) and the Data
 * that follows it to the end of the PDU.
 */
static int
split_block(const uint8_t *buf, size_t len, size_t off, uint32_t hlen,
    struct wsp_pdu *out)
{
    size_t span;
    int rc;

    if (hlen > len - off) {
        return WSPGW_ETRUNC;
    }
    rc = ctype_span(buf + off, hlen, &span);
    if (rc != 0) {
        return rc;
    }
    out->ctype = buf + off;
    out->ctype_len = span;
    out->headers = buf + off + span;
    out->headers_len = hlen - span;
    off += hlen;
    out->data = buf + off;
    out->data_len = len - off;
    return 0;
}


int
wsp_pdu_decode(const uint8_t *buf, size_t len, int connectionless,
    struct wsp_pdu *out)
{
    size_t off = 0;
    uint32_t ulen, hlen;
    int rc;

    memset(out, 0, sizeof(*out));
    if (connectionless) {
        if (len < 1) {
            return WSPGW_EPROTO;
        }
        out->tid = buf[0];
        off = 1;
    }
    if (off >= len) {
        return WSPGW_EPROTO;            /* no type octet: empty PDU */
    }
    out->type = buf[off++];

    if (wsp_pdu_is_get_family(out->type)) {
        rc = get_uintvar(buf, len, &off, &ulen);
        if (rc != 0) {
            return rc;
        }
        if (ulen > len - off) {
            return WSPGW_ETRUNC;
        }
        out->uri = buf + off;
        out->uri_len = ulen;
        off += ulen;
        out->headers = buf + off;
        out->headers_len = len - off;
        return 0;
    }

    if (wsp_pdu_is_post_family(out->type)) {
        rc = get_uintvar(buf, len, &off, &ulen);
        if (rc == 0) {
            rc = get_uintvar(buf, len, &off, &hlen);
        }
        if (rc != 0) {
            return rc;
        }
        if (ulen > len - off) {
            return WSPGW_ETRUNC;
        }
        out->uri = buf + off;
        out->uri_len = ulen;
        off += ulen;
        return split_block(buf, len, off, hlen, out);
    }

    switch (out->type) {
    case WSP_PDU_REPLY:
        if (off >= len) {
            return WSPGW_ETRUNC;
        }
        out->status = buf[off++];
        /* FALLTHROUGH */
    case WSP_PDU_PUSH:
    case WSP_PDU_CONFIRMED_PUSH:
        rc = get_uintvar(buf, len, &off, &hlen);
        if (rc != 0) {
            return rc;
        }
        return split_block(buf, len, off, hlen, out);
    case WSP_PDU_CONNECT:
    case WSP_PDU_CONNECT_REPLY:
    case WSP_PDU_REDIRECT:
    case WSP_PDU_DISCONNECT:
    case WSP_PDU_SUSPEND:
    case WSP_PDU_RESUME:
    case WSP_PDU_DATA_FRAGMENT:
        return WSPGW_ENOTSUP;
    default:
        return WSPGW_EPROTO;            /* 0x00, 0x0A-0x3F, 0x81-0xFF */
    }
}


/*
 * Appends HeadersLen ContentType Headers Data, all-or-nothing with
 * respect to the caller's view: on error out->len is restored.
 */
static int
put_block(struct wspgw_buf *out, const uint8_t *ctype, size_t ctype_len,
    const uint8_t *headers, size_t headers_len,
    const uint8_t *data, size_t data_len)
{
    size_t hlen = ctype_len + headers_len;
    int rc;

    if (hlen < ctype_len || hlen > UINT32_MAX) {
        return WSPGW_EMSGSIZE;
    }
    rc = wsp_uintvar_encode(out, (uint32_t) hlen);
    if (rc == 0) {
        rc = wspgw_buf_append(out, ctype, ctype_len);
    }
    if (rc == 0) {
        rc = wspgw_buf_append(out, headers, headers_len);
    }
    if (rc == 0) {
        rc = wspgw_buf_append(out, data, data_len);
    }
    return rc;
}


/* Appends the optional TID octet and the type octet. */
static int
put_start(struct wspgw_buf *out, int connectionless, uint8_t tid,
    uint8_t type)
{
    int rc = 0;

    if (connectionless) {
        rc = wspgw_buf_putc(out, tid);
    }
    if (rc == 0) {
        rc = wspgw_buf_putc(out, type);
    }
    return rc;
}


int
wsp_reply_encode(struct wspgw_buf *out, int connectionless, uint8_t tid,
    uint8_t status, const uint8_t *ctype, size_t ctype_len,
    const uint8_t *headers, size_t headers_len,
    const uint8_t *data, size_t data_len)
{
    size_t start = out->len;
    int rc;

    rc = put_start(out, connectionless, tid, WSP_PDU_REPLY);
    if (rc == 0) {
        rc = wspgw_buf_putc(out, status);
    }
    if (rc == 0) {
        rc = put_block(out, ctype, ctype_len, headers, headers_len, data,
            data_len);
    }
    if (rc != 0) {
        wsp__buf_truncate(out, start);
    }
    return rc;
}


int
wsp_push_encode(struct wspgw_buf *out, int connectionless, uint8_t tid,
    const uint8_t *ctype, size_t ctype_len,
    const uint8_t *headers, size_t headers_len,
    const uint8_t *data, size_t data_len)
{
    size_t start = out->len;
    int rc;

    rc = put_start(out, connectionless, tid, WSP_PDU_PUSH);
    if (rc == 0) {
        rc = put_block(out, ctype, ctype_len, headers, headers_len, data,
            data_len);
    }
    if (rc != 0) {
        wsp__buf_truncate(out, start);
    }
    return rc;
}


int
wsp_redirect_encode(struct wspgw_buf *out, unsigned flags,
    const struct wspgw_addr *addrs, unsigned n)
{
    size_t start = out->len;
    unsigned i;
    int rc;

    if (n == 0) {
        return WSPGW_EINVAL;
    }
    for (i = 0; i < n; i++) {
        if (addrs[i].family != WSPGW_AF_INET
            && addrs[i].family != WSPGW_AF_INET6)
        {
            return WSPGW_EINVAL;
        }
    }
    rc = put_start(out, 0, 0, WSP_PDU_REDIRECT);
    if (rc == 0) {
        rc = wspgw_buf_putc(out, (uint8_t) (flags
            & (WSP_REDIRECT_PERMANENT | WSP_REDIRECT_REUSE_SECURITY)));
    }
    for (i = 0; rc == 0 && i < n; i++) {
        const struct wspgw_addr *a = &addrs[i];
        int v6 = a->family == WSPGW_AF_INET6;
        uint8_t head[4];

        /* The address length is 6 bits: 4 and 16 both fit. */
        head[0] = (uint8_t) (0x80 | 0x40 | (v6 ? 16 : 4));
        head[1] = v6 ? WSP_BEARER_IPV6 : WSP_BEARER_IPV4;
        head[2] = (uint8_t) (a->port >> 8);
        head[3] = (uint8_t) a->port;
        rc = wspgw_buf_append(out, head, sizeof(head));
        if (rc == 0) {
            rc = wspgw_buf_append(out, a->ip, v6 ? 16 : 4);
        }
    }
    if (rc != 0) {
        wsp__buf_truncate(out, start);
    }
    return rc;
}


int
wsp_get_encode(struct wspgw_buf *out, int connectionless, uint8_t tid,
    uint8_t type, const char *uri, size_t uri_len,
    const uint8_t *headers, size_t headers_len)
{
    size_t start = out->len;
    int rc;

    if (!wsp_pdu_is_get_family(type) || uri_len > UINT32_MAX) {
        return WSPGW_EINVAL;
    }
    rc = put_start(out, connectionless, tid, type);
    if (rc == 0) {
        rc = wsp_uintvar_encode(out, (uint32_t) uri_len);
    }
    if (rc == 0) {
        rc = wspgw_buf_append(out, uri, uri_len);
    }
    if (rc == 0) {
        rc = wspgw_buf_append(out, headers, headers_len);
    }
    if (rc != 0) {
        wsp__buf_truncate(out, start);
    }
    return rc;
}


int
wsp_post_encode(struct wspgw_buf *out, int connectionless, uint8_t tid,
    uint8_t type, const char *uri, size_t uri_len,
    const uint8_t *ctype, size_t ctype_len,
    const uint8_t *headers, size_t headers_len,
    const uint8_t *data, size_t data_len)
{
    size_t start = out->len;
    size_t hlen = ctype_len + headers_len;
    int rc;

    if (!wsp_pdu_is_post_family(type) || uri_len > UINT32_MAX
        || hlen < ctype_len || hlen > UINT32_MAX)
    {
        return WSPGW_EINVAL;
    }
    rc = put_start(out, connectionless, tid, type);
    if (rc == 0) {
        rc = wsp_uintvar_encode(out, (uint32_t) uri_len);
    }
    if (rc == 0) {
        rc = wsp_uintvar_encode(out, (uint32_t) hlen);
    }
    if (rc == 0) {
        rc = wspgw_buf_append(out, uri, uri_len);
    }
    if (rc == 0) {
        rc = wspgw_buf_append(out, ctype, ctype_len);
    }
    if (rc == 0) {
        rc = wspgw_buf_append(out, headers, headers_len);
    }
    if (rc == 0) {
        rc = wspgw_buf_append(out, data, data_len);
    }
    if (rc != 0) {
        wsp__buf_truncate(out, start);
    }
    return rc;
}
