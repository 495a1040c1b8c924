/*
 * wsp/mms.c - MMS encapsulation headers (OMA-MMS-ENC 1.0-1.3, section 7)
 * for a WAP gateway: a summary decoder for logging, counting and limits,
 * and the encoders of the two PDUs a gateway writes itself
 * (m-notification-ind for the PPG, m-send-conf for its own refusals).
 *
 * Facts: ../shared/reference/mms.md (field codes section 4, values
 * section 5, vectors sections 7-9, verified with tshark 4.0).
 *
 * An MMS PDU is a run of headers without a length field: each header is
 * a field code as Short-integer (0x80 | code) and a value; X-Mms-Message-
 * Type comes first; Content-Type, when present, is the last header and
 * the body follows it.  The decoder stops there: it never looks at the
 * body (a multipart for m-send-req and m-retrieve-conf).
 *
 * What this file does not do: decode every field's meaning (only those
 * in struct wsp_mms_info), check which headers are mandatory per PDU
 * (the MMSC decides; the gateway passes PDUs through), or parse bodies.
 *
 * Pure: no I/O, no clock, no allocation beyond the caller's buffer.
 * Every read is bounded by the (buf, len) given; a value whose length or
 * terminator lies past the end is WSPGW_ETRUNC, never an over-read.
 */
#include <string.h>

#include "wspgw/err.h"
#include "wspgw/mms.h"
#include "wspgw/wsp.h"
#include "hdr_int.h"

/*
 * X-Mms-Message-Type values (OMA-MMS-ENC 7.3.30; mms.md section 3).
 * XX(value, "name").
 */
#define WSP_MMS_TYPE_MAP(XX)                                               \
    XX(0x80, "m-send-req")                                                 \
    XX(0x81, "m-send-conf")                                                \
    XX(0x82, "m-notification-ind")                                         \
    XX(0x83, "m-notifyresp-ind")                                           \
    XX(0x84, "m-retrieve-conf")                                            \
    XX(0x85, "m-acknowledge-ind")                                          \
    XX(0x86, "m-delivery-ind")                                             \
    XX(0x87, "m-read-rec-ind")                                             \
    XX(0x88, "m-read-orig-ind")                                            \
    XX(0x89, "m-forward-req")                                              \
    XX(0x8A, "m-forward-conf")                                             \
    XX(0x8B, "m-mbox-store-req")                                           \
    XX(0x8C, "m-mbox-store-conf")                                          \
    XX(0x8D, "m-mbox-view-req")                                            \
    XX(0x8E, "m-mbox-view-conf")                                           \
    XX(0x8F, "m-mbox-upload-req")                                          \
    XX(0x90, "m-mbox-upload-conf")                                         \
    XX(0x91, "m-mbox-delete-req")                                          \
    XX(0x92, "m-mbox-delete-conf")                                         \
    XX(0x93, "m-mbox-descr")                                               \
    XX(0x94, "m-delete-req")                                               \
    XX(0x95, "m-delete-conf")                                              \
    XX(0x96, "m-cancel-req")                                               \
    XX(0x97, "m-cancel-conf")

/*
 * X-Mms-Response-Status (OMA-MMS-ENC 7.3.48; mms.md section 5; 0xE7 as
 * Wireshark and Gecko, not Android's duplicate 0xE6).  XX(value, "name").
 */
#define WSP_MMS_RS_MAP(XX)                                                 \
    XX(0x80, "ok")                                                         \
    XX(0x81, "error-unspecified")                                          \
    XX(0x82, "error-service-denied")                                       \
    XX(0x83, "error-message-format-corrupt")                               \
    XX(0x84, "error-sending-address-unresolved")                           \
    XX(0x85, "error-message-not-found")                                    \
    XX(0x86, "error-network-problem")                                      \
    XX(0x87, "error-content-not-accepted")                                 \
    XX(0x88, "error-unsupported-message")                                  \
    XX(0xC0, "error-transient-failure")                                    \
    XX(0xC1, "error-transient-sending-address-unresolved")                 \
    XX(0xC2, "error-transient-message-not-found")                          \
    XX(0xC3, "error-transient-network-problem")                            \
    XX(0xC4, "error-transient-partial-success")                            \
    XX(0xE0, "error-permanent-failure")                                    \
    XX(0xE1, "error-permanent-service-denied")                             \
    XX(0xE2, "error-permanent-message-format-corrupt")                     \
    XX(0xE3, "error-permanent-sending-address-unresolved")                 \
    XX(0xE4, "error-permanent-message-not-found")                          \
    XX(0xE5, "error-permanent-content-not-accepted")                       \
    XX(0xE6, "error-permanent-reply-charging-limitations-not-met")         \
    XX(0xE7, "error-permanent-reply-charging-request-not-accepted")        \
    XX(0xE8, "error-permanent-reply-charging-forwarding-denied")           \
    XX(0xE9, "error-permanent-reply-charging-not-supported")               \
    XX(0xEA, "error-permanent-address-hiding-not-supported")               \
    XX(0xEB, "error-permanent-lack-of-prepaid")

/* X-Mms-Status (OMA-MMS-ENC 7.3.54; mms.md section 5). */
#define WSP_MMS_STATUS_MAP(XX)                                             \
    XX(0x80, "expired")                                                    \
    XX(0x81, "retrieved")                                                  \
    XX(0x82, "rejected")                                                   \
    XX(0x83, "deferred")                                                   \
    XX(0x84, "unrecognised")                                               \
    XX(0x85, "indeterminate")                                              \
    XX(0x86, "forwarded")                                                  \
    XX(0x87, "unreachable")

/* Field codes with a special value form that the decoder skips. */
#define F_FROM_TOKEN_PRESENT 0x80
#define F_FROM_TOKEN_INSERT 0x81
#define F_EXPIRY_RELATIVE 0x81
#define CHARSET_UTF8 106


const char *
wsp_mms_type_name(unsigned message_type)
{
    switch (message_type) {
#define XX(v, name) case (v): return (name);
    WSP_MMS_TYPE_MAP(XX)
#undef XX
    default:
        return "unknown";
    }
}


const char *
wsp_mms_response_status_name(unsigned v)
{
    switch (v) {
#define XX(val, name) case (val): return (name);
    WSP_MMS_RS_MAP(XX)
#undef XX
    default:
        return "unknown";
    }
}


const char *
wsp_mms_status_name(unsigned v)
{
    switch (v) {
#define XX(val, name) case (val): return (name);
    WSP_MMS_STATUS_MAP(XX)
#undef XX
    default:
        return "unknown";
    }
}


/* ---- decoding ---------------------------------------------------------- */

/* Copies (s, n) into dst (size max >= 1), truncated, NUL-terminated. */
static void
copy_text(char *dst, size_t max, const uint8_t *s, size_t n)
{
    if (n > max - 1) {
        n = max - 1;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
}


/*
 * Text-string at p (len octets available): sets the view (without the
 * 0x7F quote and NUL) and *used.  A Quoted-string (0x22) is taken as
 * text too, as handsets send Message-IDs that way.
 */
static int
get_text(const uint8_t *p, size_t len, const uint8_t **s, size_t *n,
    size_t *used)
{
    int quoted;

    return wsp__hdr_get_text(p, len, s, n, &quoted, used);
}


/* Integer-value (Short-integer or Long-integer up to 8 octets). */
static int
get_integer(const uint8_t *p, size_t len, uint64_t *v, size_t *used)
{
    int rc = wsp__hdr_get_integer(p, len, v, used);

    return rc == WSPGW_ENOTSUP ? WSPGW_EPROTO : rc;
}


/*
 * Encoded-string-value (OMA-MMS-ENC 7.2.9): Text-string, or Value-length
 * Char-set Text-string where the text must end inside the value.
 */
static int
get_encoded_string(const uint8_t *p, size_t len, const uint8_t **s,
    size_t *n, size_t *used)
{
    size_t vl, hl, cl, tl;
    uint64_t charset;
    int rc;

    if (len == 0) {
        return WSPGW_ETRUNC;
    }
    if (p[0] >= 0x20) {
        return get_text(p, len, s, n, used);
    }
    rc = wsp__hdr_get_value_length(p, len, &vl, &hl);
    if (rc != 0) {
        return rc;
    }
    rc = get_integer(p + hl, vl, &charset, &cl);
    if (rc != 0) {
        /* The charset must end inside the Value-length too. */
        return WSPGW_EPROTO;
    }
    rc = get_text(p + hl + cl, vl - cl, s, n, &tl);
    if (rc != 0) {
        /* The text must end inside its Value-length. */
        return WSPGW_EPROTO;
    }
    if (cl + tl != vl) {
        return WSPGW_EPROTO;
    }
    *used = hl + vl;
    return 0;
}


/*
 * Span of a value the summary does not keep: Short-integer (one octet
 * >= 0x80), Text-string (to its NUL) or Value-length + that many
 * octets.  Long-integer values (Date, Reply-Charging-Size) have the
 * Value-length shape (a length octet 1-30), so they are covered.
 */
static int
skip_value(const uint8_t *p, size_t len, size_t *used)
{
    return wsp__hdr_value_span(p, len, used);
}


/* An octet value (0x80-0xFF) such as Response-Status or Status. */
static int
get_octet(const uint8_t *p, size_t len, unsigned *v, size_t *used)
{
    if (len == 0) {
        return WSPGW_ETRUNC;
    }
    if (p[0] < 0x80) {
        return WSPGW_EPROTO;
    }
    *v = p[0];
    *used = 1;
    return 0;
}


/*
 * X-Mms-Content-Location: Uri-value (Text-string), or in m-mbox-delete-
 * conf and m-delete-conf Value-length Integer-value Uri-value
 * (mms.md section 4, code 0x03).
 */
static int
get_location(const uint8_t *p, size_t len, const uint8_t **s, size_t *n,
    size_t *used)
{
    size_t vl, hl, il, tl;
    uint64_t idx;
    int rc;

    if (len == 0) {
        return WSPGW_ETRUNC;
    }
    if (p[0] >= 0x20) {
        return get_text(p, len, s, n, used);
    }
    rc = wsp__hdr_get_value_length(p, len, &vl, &hl);
    if (rc != 0) {
        return rc;
    }
    rc = get_integer(p + hl, vl, &idx, &il);
    if (rc != 0) {
        return WSPGW_EPROTO;
    }
    rc = get_text(p + hl + il, vl - il, s, n, &tl);
    if (rc != 0 || il + tl != vl) {
        return WSPGW_EPROTO;
    }
    *used = hl + vl;
    return 0;
}


/* One header's value for field code f at p; fills out, sets *used. */
static int
decode_field(unsigned f, const uint8_t *p, size_t len,
    struct wsp_mms_info *out, size_t *used)
{
    const uint8_t *s;
    uint64_t v;
    size_t n;
    int rc;

    switch (f) {
    case WSP_MMS_F_MESSAGE_TYPE:
        /* Only the first header may be the message type. */
        return WSPGW_EPROTO;
    case WSP_MMS_F_TRANSACTION_ID:
        rc = get_text(p, len, &s, &n, used);
        if (rc == 0) {
            copy_text(out->transaction_id, sizeof(out->transaction_id), s,
                n);
        }
        return rc;
    case WSP_MMS_F_MMS_VERSION:
        /* Short-integer: major << 4 | minor, 0x90 = 1.0. */
        rc = get_octet(p, len, &out->version, used);
        out->version &= 0x7f;
        return rc;
    case WSP_MMS_F_TO:
    case WSP_MMS_F_CC:
    case WSP_MMS_F_BCC:
        rc = get_encoded_string(p, len, &s, &n, used);
        if (rc != 0) {
            return rc;
        }
        if (f == WSP_MMS_F_TO && out->to[0] == '\0') {
            copy_text(out->to, sizeof(out->to), s, n);
        }
        out->n_to++;
        return 0;
    case WSP_MMS_F_MESSAGE_SIZE:
        /* Long-integer by the spec; a Short-integer is tolerated. */
        rc = get_integer(p, len, &v, used);
        if (rc == 0) {
            out->message_size = v;
            out->has_message_size = 1;
        }
        return rc;
    case WSP_MMS_F_RESPONSE_STATUS:
        return get_octet(p, len, &out->response_status, used);
    case WSP_MMS_F_STATUS:
        return get_octet(p, len, &out->status, used);
    case WSP_MMS_F_CONTENT_LOCATION:
        rc = get_location(p, len, &s, &n, used);
        if (rc == 0) {
            copy_text(out->content_location, sizeof(out->content_location),
                s, n);
        }
        return rc;
    case WSP_MMS_F_MESSAGE_ID:
        rc = get_text(p, len, &s, &n, used);
        if (rc == 0) {
            copy_text(out->message_id, sizeof(out->message_id), s, n);
        }
        return rc;
    default:
        return skip_value(p, len, used);
    }
}


int
wsp_mms_decode(const uint8_t *buf, size_t len, struct wsp_mms_info *out)
{
    size_t pos, used;
    int rc;

    memset(out, 0, sizeof(*out));
    if (len == 0) {
        return WSPGW_ETRUNC;
    }
    if (buf[0] != (0x80 | WSP_MMS_F_MESSAGE_TYPE)) {
        return WSPGW_EPROTO;
    }
    if (len < 2) {
        return WSPGW_ETRUNC;
    }
    if (buf[1] < 0x80 || buf[1] > 0x97) {
        return WSPGW_EPROTO;
    }
    out->message_type = buf[1];
    pos = 2;
    while (pos < len) {
        uint8_t b = buf[pos];

        if (b >= 0x80) {
            unsigned f = b & 0x7f;

            if (f == WSP_MMS_F_CONTENT_TYPE) {
                /* The last header; the body follows its value. */
                return 0;
            }
            pos++;
            rc = decode_field(f, buf + pos, len - pos, out, &used);
        } else if (b >= 0x20 && b < 0x7f) {
            /* Application header: Token-text name, Text-string value. */
            const uint8_t *s;
            size_t n, nl;

            rc = get_text(buf + pos, len - pos, &s, &n, &nl);
            if (rc == 0 && !wsp__hdr_is_token(s, n)) {
                rc = WSPGW_EPROTO;
            }
            if (rc == 0) {
                pos += nl;
                rc = get_text(buf + pos, len - pos, &s, &n, &used);
            }
        } else {
            return WSPGW_EPROTO;
        }
        if (rc != 0) {
            return rc;
        }
        pos += used;
    }
    return 0;
}


/* ---- encoding ---------------------------------------------------------- */

/* Whether s is text an MMS header may carry: no control characters. */
static int
text_ok(const char *s)
{
    const unsigned char *p;

    for (p = (const unsigned char *) s; *p != '\0'; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            return 0;
        }
    }
    return 1;
}


static int
is_ascii(const char *s)
{
    const unsigned char *p;

    for (p = (const unsigned char *) s; *p != '\0'; p++) {
        if (*p >= 0x80) {
            return 0;
        }
    }
    return 1;
}


/* Text-string: the 0x7F Quote before a first octet >= 0x80 (WAP-230
 * 8.4.2.1), the text, its NUL. */
static int
put_text(struct wspgw_buf *out, const char *s)
{
    int rc = 0;

    if ((unsigned char) s[0] >= 0x80) {
        rc = wspgw_buf_putc(out, 0x7f);
    }
    if (rc == 0) {
        rc = wspgw_buf_append(out, s, strlen(s) + 1);
    }
    return rc;
}


/* Value-length for n octets (0-30 short, else 31 + uintvar). */
static int
put_value_length(struct wspgw_buf *out, size_t n)
{
    int rc;

    if (n > UINT32_MAX) {
        return WSPGW_EMSGSIZE;
    }
    if (n < 31) {
        return wspgw_buf_putc(out, (uint8_t) n);
    }
    rc = wspgw_buf_putc(out, 31);
    if (rc == 0) {
        rc = wsp_uintvar_encode(out, (uint32_t) n);
    }
    return rc;
}


/* Long-integer: Short-length (1-8) and the value's octets, big-endian,
 * at least one octet. */
static int
put_long(struct wspgw_buf *out, uint64_t v)
{
    uint8_t b[9];
    unsigned n = 0, i;

    do {
        n++;
    } while (n < 8 && (v >> (8 * n)) != 0);
    b[0] = (uint8_t) n;
    for (i = 0; i < n; i++) {
        b[1 + i] = (uint8_t) (v >> (8 * (n - 1 - i)));
    }
    return wspgw_buf_append(out, b, n + 1);
}


/* Octets of Text-string s: the Quote when needed, the text, the NUL. */
static size_t
text_size(const char *s)
{
    return ((unsigned char) s[0] >= 0x80 ? 1 : 0) + strlen(s) + 1;
}


/* Octets of a Value-length for n. */
static size_t
value_length_size(size_t n)
{
    return n < 31 ? 1 : 1 + wsp_uintvar_size((uint32_t) n);
}


/* Octets put_encoded_string writes for s. */
static size_t
encoded_string_size(const char *s)
{
    size_t inner = 1 + text_size(s);

    if (is_ascii(s)) {
        return text_size(s);
    }
    return value_length_size(inner) + inner;
}


/*
 * Encoded-string-value: plain Text-string for ASCII, else Value-length
 * utf-8 (0xEA) Text-string (mms.md section 4: "use utf-8 0xEA when not
 * ASCII").
 */
static int
put_encoded_string(struct wspgw_buf *out, const char *s)
{
    int rc;

    if (is_ascii(s)) {
        return put_text(out, s);
    }
    rc = put_value_length(out, 1 + text_size(s));
    if (rc == 0) {
        rc = wspgw_buf_putc(out, 0x80 | CHARSET_UTF8);
    }
    if (rc == 0) {
        rc = put_text(out, s);
    }
    return rc;
}


/* Field code octet. */
static int
put_field(struct wspgw_buf *out, unsigned f)
{
    return wspgw_buf_putc(out, (uint8_t) (0x80 | f));
}


/* From (7.3.21): Value-length (Address-present-token Encoded-string-value
 * | Insert-address-token). */
static int
put_from(struct wspgw_buf *out, const char *from)
{
    int rc;

    if (from == NULL) {
        uint8_t b[3] = { 0x80 | WSP_MMS_F_FROM, 0x01, F_FROM_TOKEN_INSERT };

        return wspgw_buf_append(out, b, sizeof(b));
    }
    rc = put_field(out, WSP_MMS_F_FROM);
    if (rc == 0) {
        rc = put_value_length(out, 1 + encoded_string_size(from));
    }
    if (rc == 0) {
        rc = wspgw_buf_putc(out, F_FROM_TOKEN_PRESENT);
    }
    if (rc == 0) {
        rc = put_encoded_string(out, from);
    }
    return rc;
}


/* Expiry (7.3.20), relative: Value-length Relative-token Long-integer
 * (at most 1 + 9 octets, so the Value-length is one octet). */
static int
put_expiry(struct wspgw_buf *out, uint64_t secs)
{
    uint8_t b[12];
    unsigned n = 0, i;

    do {
        n++;
    } while (n < 8 && (secs >> (8 * n)) != 0);
    b[0] = 0x80 | WSP_MMS_F_EXPIRY;
    b[1] = (uint8_t) (2 + n);
    b[2] = F_EXPIRY_RELATIVE;
    b[3] = (uint8_t) n;
    for (i = 0; i < n; i++) {
        b[4 + i] = (uint8_t) (secs >> (8 * (n - 1 - i)));
    }
    return wspgw_buf_append(out, b, 4 + n);
}


/* Rolls out back to mark when rc is an error; returns rc. */
static int
finish(struct wspgw_buf *out, size_t mark, int rc)
{
    if (rc != 0) {
        wsp__buf_truncate(out, mark);
    }
    return rc;
}


/* The three headers that must open every PDU (mms.md section 2). */
static int
put_preamble(struct wspgw_buf *out, unsigned type, const char *tid,
    unsigned version)
{
    int rc = put_field(out, WSP_MMS_F_MESSAGE_TYPE);

    if (rc == 0) {
        rc = wspgw_buf_putc(out, (uint8_t) type);
    }
    if (rc == 0) {
        rc = put_field(out, WSP_MMS_F_TRANSACTION_ID);
    }
    if (rc == 0) {
        rc = put_text(out, tid);
    }
    if (rc == 0) {
        rc = put_field(out, WSP_MMS_F_MMS_VERSION);
    }
    if (rc == 0) {
        rc = wspgw_buf_putc(out, (uint8_t) (0x80 | version));
    }
    return rc;
}


int
wsp_mms_notification_ind_encode(const struct wsp_mms_notification *n,
    struct wspgw_buf *out)
{
    size_t mark = out->len;
    unsigned version = n->version != 0 ? n->version : 0x12;
    unsigned mclass = n->message_class != 0 ? n->message_class : 0x80;
    int rc;

    if (n->transaction_id == NULL || n->transaction_id[0] == '\0'
        || n->location == NULL || n->location[0] == '\0'
        || n->expiry_s == 0 || version > 0x7f
        || mclass < 0x80 || mclass > 0x83
        || !text_ok(n->transaction_id) || !text_ok(n->location)
        || (n->from != NULL && (n->from[0] == '\0' || !text_ok(n->from)))
        || (n->subject != NULL && !text_ok(n->subject)))
    {
        return WSPGW_EINVAL;
    }
    rc = put_preamble(out, WSP_MMS_NOTIFICATION_IND, n->transaction_id,
        version);
    if (rc == 0) {
        rc = put_from(out, n->from);
    }
    if (rc == 0 && n->subject != NULL) {
        rc = put_field(out, WSP_MMS_F_SUBJECT);
        if (rc == 0) {
            rc = put_encoded_string(out, n->subject);
        }
    }
    if (rc == 0) {
        rc = put_field(out, WSP_MMS_F_MESSAGE_CLASS);
    }
    if (rc == 0) {
        rc = wspgw_buf_putc(out, (uint8_t) mclass);
    }
    if (rc == 0) {
        rc = put_field(out, WSP_MMS_F_MESSAGE_SIZE);
    }
    if (rc == 0) {
        rc = put_long(out, n->size);
    }
    if (rc == 0) {
        rc = put_expiry(out, n->expiry_s);
    }
    if (rc == 0) {
        rc = put_field(out, WSP_MMS_F_CONTENT_LOCATION);
    }
    if (rc == 0) {
        rc = put_text(out, n->location);
    }
    return finish(out, mark, rc);
}


int
wsp_mms_send_conf_encode(const char *transaction_id, unsigned version,
    unsigned response_status, const char *text, struct wspgw_buf *out)
{
    size_t mark = out->len;
    int rc;

    if (version == 0) {
        version = 0x10;
    }
    if (transaction_id == NULL || transaction_id[0] == '\0'
        || !text_ok(transaction_id) || version > 0x7f
        || response_status < 0x80 || response_status > 0xff
        || (text != NULL && (!text_ok(text) || !is_ascii(text))))
    {
        return WSPGW_EINVAL;
    }
    rc = put_preamble(out, WSP_MMS_SEND_CONF, transaction_id, version);
    if (rc == 0) {
        rc = put_field(out, WSP_MMS_F_RESPONSE_STATUS);
    }
    if (rc == 0) {
        rc = wspgw_buf_putc(out, (uint8_t) response_status);
    }
    if (rc == 0 && text != NULL) {
        rc = put_field(out, WSP_MMS_F_RESPONSE_TEXT);
        if (rc == 0) {
            rc = put_text(out, text);
        }
    }
    return finish(out, mark, rc);
}
