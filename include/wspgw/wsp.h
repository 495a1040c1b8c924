/*
 * include/wspgw/wsp.h - the sans-I/O WSP codec (WAP-230-WSP-20010705-a).
 *
 * Pure functions over (buf, len): PDU layouts (section 8.2), uintvar
 * (8.1.2), the binary header codec (8.4) and the status-code mapping
 * (Appendix A, Table 36).  No I/O, no clock, no globals.
 *
 * Decoded PDUs are views into the caller's datagram; text produced by the
 * header decoder is copied into a caller-owned struct wsp_hdrs, whose
 * buffer has a hard ceiling.  Encoders append to a caller-owned
 * struct wspgw_buf (also capped).
 *
 * Facts: ../shared/reference/wsp.md and wsp-headers.md.
 */
#ifndef WSPGW_WSP_H
#define WSPGW_WSP_H

#include <stddef.h>
#include <stdint.h>

#include "wspgw/addr.h"
#include "wspgw/buf.h"

/* ---- PDU types (WAP-230 Table 34) ------------------------------------ */

#define WSP_PDU_TYPE_MAP(XX)                                               \
    XX(CONNECT,        0x01, "Connect")                                    \
    XX(CONNECT_REPLY,  0x02, "ConnectReply")                               \
    XX(REDIRECT,       0x03, "Redirect")                                   \
    XX(REPLY,          0x04, "Reply")                                      \
    XX(DISCONNECT,     0x05, "Disconnect")                                 \
    XX(PUSH,           0x06, "Push")                                       \
    XX(CONFIRMED_PUSH, 0x07, "ConfirmedPush")                              \
    XX(SUSPEND,        0x08, "Suspend")                                    \
    XX(RESUME,         0x09, "Resume")                                     \
    XX(GET,            0x40, "Get")                                        \
    XX(OPTIONS,        0x41, "Options")                                    \
    XX(HEAD,           0x42, "Head")                                       \
    XX(DELETE,         0x43, "Delete")                                     \
    XX(TRACE,          0x44, "Trace")                                      \
    XX(POST,           0x60, "Post")                                       \
    XX(PUT,            0x61, "Put")                                        \
    XX(DATA_FRAGMENT,  0x80, "DataFragment")

enum wsp_pdu_type {
#define XX(name, val, text) WSP_PDU_##name = (val),
    WSP_PDU_TYPE_MAP(XX)
#undef XX
};

/* "Get", "Post", ... or "unknown(0x%02x)" (buffer is static per call
 * site; only for logs). */
const char *wsp_pdu_type_name(unsigned type);

/* 1 if type is in the Get family (0x40-0x5F), 0 otherwise. */
int wsp_pdu_is_get_family(unsigned type);
/* 1 if type is in the Post family (0x60-0x7F), 0 otherwise. */
int wsp_pdu_is_post_family(unsigned type);

/* HTTP method for a Get/Post family PDU type: "GET", "OPTIONS", "HEAD",
 * "DELETE", "TRACE", "POST", "PUT"; NULL for extended/unassigned ones. */
const char *wsp_pdu_http_method(unsigned type);

/* ---- uintvar (8.1.2) -------------------------------------------------- */

/* Decodes a uintvar (1-5 octets, value fits 32 bits).  Returns octets
 * consumed, WSPGW_ETRUNC if buf ends inside it, WSPGW_EPROTO if it is
 * longer than 5 octets or overflows 32 bits. */
int wsp_uintvar_decode(const uint8_t *buf, size_t len, uint32_t *out);

/* Appends v as a uintvar.  0 or a buffer error. */
int wsp_uintvar_encode(struct wspgw_buf *out, uint32_t v);

/* Number of octets v takes as a uintvar (1-5). */
unsigned wsp_uintvar_size(uint32_t v);

/* ---- PDUs (8.2) ------------------------------------------------------- */

/*
 * A decoded request PDU: every pointer is a view into the datagram given
 * to wsp_pdu_decode (borrowed; valid while the datagram is).
 */
struct wsp_pdu {
    uint8_t type;
    uint8_t tid;            /* connectionless only */
    uint8_t status;         /* Reply only */
    const uint8_t *uri;     /* Get/Post family */
    size_t uri_len;
    const uint8_t *ctype;   /* Post/Reply/Push: Content-type-value */
    size_t ctype_len;
    const uint8_t *headers; /* header block after the content type */
    size_t headers_len;
    const uint8_t *data;    /* Post/Reply/Push body */
    size_t data_len;
};

/*
 * Decodes one WSP PDU.  connectionless != 0 means the PDU starts with the
 * TID octet (port 9200).  Handles the Get family, the Post family, Reply
 * and Push; other types decode type (and tid) only and return
 * WSPGW_ENOTSUP so the caller can answer or count them.
 *
 * Returns 0, WSPGW_ETRUNC (a length field points past the end),
 * WSPGW_EPROTO (bad uintvar, empty PDU, or a type that is reserved),
 * WSPGW_ENOTSUP (valid type this decoder does not split).
 */
int wsp_pdu_decode(const uint8_t *buf, size_t len, int connectionless,
    struct wsp_pdu *out);

/*
 * Appends a Reply PDU: [tid] 0x04 status HeadersLen ContentType Headers
 * Data.  ctype/headers are already-encoded binary (ctype is a
 * Content-type-value; headers a header block), data is the body.  All
 * borrowed.  Returns 0 or a buffer error (WSPGW_EMSGSIZE past out->max).
 */
int wsp_reply_encode(struct wspgw_buf *out, int connectionless, uint8_t tid,
    uint8_t status, const uint8_t *ctype, size_t ctype_len,
    const uint8_t *headers, size_t headers_len,
    const uint8_t *data, size_t data_len);

/*
 * Appends a Push PDU (8.2.4.1): [tid] 0x06 HeadersLen ContentType
 * Headers Data.  For connectionless push (port 2948) connectionless is 1
 * and the TID octet comes first; in a session it is 0.  ctype is an
 * encoded Content-type-value, headers an encoded header block (e.g.
 * X-Wap-Application-Id), data the body; all borrowed.  Returns 0 or a
 * buffer error; on error out is left as it was.
 */
int wsp_push_encode(struct wspgw_buf *out, int connectionless, uint8_t tid,
    const uint8_t *ctype, size_t ctype_len,
    const uint8_t *headers, size_t headers_len,
    const uint8_t *data, size_t data_len);

/* Redirect PDU flags (8.2.2.3, reference/wsp.md 10). */
#define WSP_REDIRECT_PERMANENT 0x80
#define WSP_REDIRECT_REUSE_SECURITY 0x40

/* Bearer types of a Redirect or Alias address (WDP; wsp.md 10). */
#define WSP_BEARER_IPV4 0x00
#define WSP_BEARER_IPV6 0x01

/*
 * Appends a Redirect PDU (8.2.2.3: Type, Flags, RedirectAddresses; no
 * TID octet: it only exists in connection mode).  flags are
 * WSP_REDIRECT_* bits.  Each of the n addresses (borrowed) is written
 * with bearer type and port: octet 0x80 (bearer type included) | 0x40
 * (port included) | address length, then the bearer type (IPv4 0x00,
 * IPv6 0x01), the port (2 octets, network order) and the address
 * octets.  Returns 0, WSPGW_EINVAL (n == 0, or an address of another
 * family) or a buffer error; on error out is left as it was.
 */
int wsp_redirect_encode(struct wspgw_buf *out, unsigned flags,
    const struct wspgw_addr *addrs, unsigned n);

/*
 * Appends a Get-family request PDU (for test clients and the simulator).
 * WSPGW_EINVAL if type is not in the Get family; on any error out is
 * left as it was.
 */
int wsp_get_encode(struct wspgw_buf *out, int connectionless, uint8_t tid,
    uint8_t type, const char *uri, size_t uri_len,
    const uint8_t *headers, size_t headers_len);

/*
 * Appends a Post-family request PDU.  WSPGW_EINVAL if type is not in the
 * Post family; on any error out is left as it was.
 */
int wsp_post_encode(struct wspgw_buf *out, int connectionless, uint8_t tid,
    uint8_t type, const char *uri, size_t uri_len,
    const uint8_t *ctype, size_t ctype_len,
    const uint8_t *headers, size_t headers_len,
    const uint8_t *data, size_t data_len);

/* ---- Text headers (the HTTP side of the bridge) ----------------------- */

/* Cap on the number of headers one decoded block may hold. */
#define WSP_HDRS_MAX 128

/*
 * A list of HTTP-style headers as text.  Names and values are stored
 * NUL-terminated in text ("name\0value\0..."); off[i] is the offset of
 * the i-th name.  The text buffer has a hard ceiling (wsp_hdrs_init).
 */
struct wsp_hdrs {
    struct wspgw_buf text;
    uint32_t off[WSP_HDRS_MAX];
    unsigned n;
};

/* Starts an empty list whose text may hold at most max_text octets. */
void wsp_hdrs_init(struct wsp_hdrs *h, size_t max_text);
void wsp_hdrs_free(struct wsp_hdrs *h);
void wsp_hdrs_reset(struct wsp_hdrs *h);

/* Adds a header (copies both).  0, WSPGW_ENOSPC (WSP_HDRS_MAX reached),
 * WSPGW_EMSGSIZE or WSPGW_ENOMEM; WSPGW_EINVAL if name or value contains
 * a NUL.  On error the list is unchanged. */
int wsp_hdrs_add(struct wsp_hdrs *h, const char *name, size_t name_len,
    const char *value, size_t value_len);

const char *wsp_hdrs_name(const struct wsp_hdrs *h, unsigned i);
const char *wsp_hdrs_value(const struct wsp_hdrs *h, unsigned i);

/* Index of the first header named name (case-insensitive), or -1. */
int wsp_hdrs_find(const struct wsp_hdrs *h, const char *name);

/* ---- Binary header codec (8.4) ---------------------------------------- */

/* Encoding versions as (major << 4 | minor): 0x11 = 1.1 ... 0x15 = 1.5. */
#define WSP_ENC_1_1 0x11
#define WSP_ENC_1_2 0x12
#define WSP_ENC_1_3 0x13
#define WSP_ENC_1_4 0x14
#define WSP_ENC_1_5 0x15

/*
 * Decodes a Content-type-value (8.4.2.24) at buf into text such as
 * "text/plain; charset=utf-8" appended to out.  Returns octets consumed,
 * or WSPGW_ETRUNC / WSPGW_EPROTO / a buffer error.
 */
int wsp_ctype_decode(const uint8_t *buf, size_t len, struct wspgw_buf *out);

/*
 * Encodes a textual content type ("image/jpeg", "multipart/related;
 * type=application/smil; start=<x>") as a Content-type-value, using
 * well-known numbers and parameter tokens allowed at encoding version
 * enc.  Appends to out.  0, WSPGW_EINVAL (empty or unparsable text), or a
 * buffer error.
 *
 * A content type whose number the peer's encoding version does not know
 * (e.g. application/vnd.wap.mms-message below 1.4, anything from the
 * 1.6/"TBD" range such as application/octet-stream 0x5A) is sent as
 * Extension-media text.  Parameters without a typed token at enc go as
 * untyped (Token-text) parameters.
 */
int wsp_ctype_encode(const char *text, unsigned enc, struct wspgw_buf *out);

/*
 * Decodes a header block (well-known headers, application headers, code
 * page shifts) into text headers appended to out.  A well-known header
 * whose value this decoder cannot render is skipped by the generic rule
 * (8.4.1.2) and counted in *skipped (may be NULL).  Returns 0,
 * WSPGW_ETRUNC / WSPGW_EPROTO on malformed input, or a list/buffer error.
 *
 * Also skipped and counted: headers on code pages other than 1, values
 * with control characters (a CR/LF must never reach the HTTP side) and
 * application headers whose name is not a token.  Repeated fields stay
 * separate entries.  On error the list is left as it was (all or none of
 * the block).  Text renders as HTTP would write it: a Quoted-string gets
 * both quotes, parameter values are quoted when they are not tokens,
 * dates are IMF-fixdates, q-values are "q=0.5".
 */
int wsp_hdrs_decode(const uint8_t *buf, size_t len, struct wsp_hdrs *out,
    unsigned *skipped);

/*
 * Encodes one text header (name, value) and appends the binary form to
 * out: a well-known field code with an encoded value when the name is
 * known at encoding version enc and the value parses, else an application
 * header (Token-text name, Text-string value).  Returns 0, WSPGW_EINVAL
 * (name not a token, or text with control characters), or a buffer error.
 *
 * List-valued fields (Accept*, Allow, Cache-Control, Connection, ...) are
 * split at commas into one field per element; if any element does not
 * fit the grammar, the whole header goes out as an application header.
 * enc below WSP_ENC_1_1 is taken as 1.1.  On error out is left as it was.
 */
int wsp_hdr_encode(const char *name, const char *value, unsigned enc,
    struct wspgw_buf *out);

/* ---- Status codes (Table 36) ----------------------------------------- */

/* HTTP status -> WSP status octet.  Codes with no WSP equivalent map to
 * their class base (4xx -> 0x40, 5xx -> 0x60, ...); nonsense -> 0x60. */
uint8_t wsp_status_from_http(int http_status);

/* WSP status octet -> HTTP status (0 if the octet is not assigned). */
int wsp_status_to_http(uint8_t wsp_status);

#endif /* WSPGW_WSP_H */
