/*
 * gateway/pap.h - the Push Access Protocol (WAP-247 PAP 2.0, also 1.0 and
 * 2.1 documents) as the PPG front end needs it: the multipart/related
 * request envelope, the control entity (push-message, cancel-message,
 * statusquery-message), client addresses (WAP-249 PPG Service 7.1), and
 * the XML answers (push-response, badmessage-response, cancel-response,
 * statusquery-response, resultnotification-message).
 *
 * Pure code (libxml2 and libc only: no libuv, no clock, no globals).  The
 * caller passes "now" in and does all I/O (gateway/ppg.c).
 *
 * XML safety: documents are parsed from memory with XML_PARSE_NONET and
 * without entity substitution, DTD loading or DTD validation; a document
 * that declares anything in an internal DTD subset (<!ENTITY ...>, ...)
 * is refused before libxml2 sees it, so there is no XXE and no entity
 * expansion.  The DOCTYPE line is read only to learn the PAP version.
 *
 * Ownership: parse results are copied into fixed-size fields of the
 * caller's structs; views into the request body (struct gw_pap_part)
 * borrow the caller's buffer.
 */
#ifndef WSPGW_GATEWAY_PAP_H
#define WSPGW_GATEWAY_PAP_H

#include <stddef.h>
#include <stdint.h>

#include "wspgw/buf.h"
#include "pushq.h"

/* Caps (see pap.c for the reasons). */
#define GW_PAP_DOC_MAX          (64 * 1024) /* control entity octets */
#define GW_PAP_PART_HEAD_MAX    4096        /* header block of one part */
#define GW_PAP_PARTS_MAX        3           /* control, content, caps */
#define GW_PAP_ADDR_MAX         16          /* address elements read */
#define GW_PAP_FRAGMENT_MAX     200         /* bad-message-fragment */

/*
 * PAP result codes (WAP-247 9.13; push.md section 4).  XX(NAME, code,
 * "description").
 */
#define GW_PAP_CODE_MAP(XX)                                                \
    XX(OK,                     1000, "The request succeeded")             \
    XX(ACCEPTED,               1001, "The request has been accepted for " \
                                     "processing")                        \
    XX(BAD_REQUEST,            2000, "Bad request")                       \
    XX(FORBIDDEN,              2001, "Forbidden")                         \
    XX(ADDRESS_ERROR,          2002, "Address error")                     \
    XX(ADDRESS_NOT_FOUND,      2003, "Address not found")                 \
    XX(PUSH_ID_NOT_FOUND,      2004, "Push ID not found")                 \
    XX(CAPABILITIES_MISMATCH,  2005, "Capabilities mismatch")             \
    XX(REQUIRED_CAPS,          2006, "Required capabilities not "         \
                                     "supported")                         \
    XX(DUPLICATE_PUSH_ID,      2007, "Duplicate push ID")                 \
    XX(CANCEL_NOT_POSSIBLE,    2008, "Cancellation not possible")         \
    XX(INTERNAL_ERROR,         3000, "Internal server error")             \
    XX(NOT_IMPLEMENTED,        3001, "Not implemented")                   \
    XX(VERSION_NOT_SUPPORTED,  3002, "Version not supported")             \
    XX(NOT_POSSIBLE,           3003, "Not possible")                      \
    XX(CAPS_MATCHING,          3004, "Capability matching not supported") \
    XX(MULTIPLE_ADDRESSES,     3005, "Multiple addresses not supported")  \
    XX(TRANSFORMATION_FAILURE, 3006, "Transformation failure")            \
    XX(DELIVERY_METHOD,        3007, "Specified delivery method not "     \
                                     "possible")                          \
    XX(CAPS_NOT_AVAILABLE,     3008, "Capabilities not available")        \
    XX(NETWORK_NOT_AVAILABLE,  3009, "Required network not available")    \
    XX(BEARER_NOT_AVAILABLE,   3010, "Required bearer not available")     \
    XX(REPLACEMENT,            3011, "Replacement not supported")         \
    XX(SERVICE_FAILURE,        4000, "Service failure")                   \
    XX(SERVICE_UNAVAILABLE,    4001, "Service unavailable")               \
    XX(CLIENT_ABORTED,         5000, "Mobile client aborted")

enum gw_pap_code {
#define XX(name, code, text) GW_PAP_##name = (code),
    GW_PAP_CODE_MAP(XX)
#undef XX
};

/* The code's description; for an unlisted code, that of its class
 * (x000), as WAP-247 9.13 tells a receiver to treat unknown codes. */
const char *gw_pap_code_text(int code);

/* message-state values (WAP-247 9.10; "unknown" exists from PAP 2.0). */
#define GW_PAP_STATE_MAP(XX)                                               \
    XX(UNDELIVERABLE, 1, "undeliverable")                                  \
    XX(PENDING,       2, "pending")                                        \
    XX(EXPIRED,       3, "expired")                                        \
    XX(DELIVERED,     4, "delivered")                                      \
    XX(ABORTED,       5, "aborted")                                        \
    XX(TIMEOUT,       6, "timeout")                                        \
    XX(CANCELLED,     7, "cancelled")                                      \
    XX(UNKNOWN,       8, "unknown")

enum gw_pap_state {
#define XX(name, val, text) GW_PAP_STATE_##name = (val),
    GW_PAP_STATE_MAP(XX)
#undef XX
};

const char *gw_pap_state_name(enum gw_pap_state s);

/* The PAP version of a document, from its DOCTYPE (2.0 when none). */
enum gw_pap_version {
    GW_PAP_V10 = 1,
    GW_PAP_V20,
    GW_PAP_V21
};

/* ---- the multipart/related envelope (RFC 2387, RFC 2046 5.1) ---- */

struct gw_pap_part {
    const uint8_t *data;            /* body of the part (borrowed) */
    size_t len;
    char content_type[128];         /* "" when the part had none */
    char app_id[128];               /* X-Wap-Application-Id, or "" */
    char cte[32];                   /* Content-Transfer-Encoding, or "" */
};

struct gw_pap_mime {
    struct gw_pap_part part[GW_PAP_PARTS_MAX];
    unsigned n_part;                /* 1..GW_PAP_PARTS_MAX */
};

/*
 * Splits a PAP request body.  content_type is the HTTP Content-Type; it
 * must be multipart/related with a boundary (a type parameter, when
 * present, must be application/xml).  Preamble and epilogue are ignored;
 * CRLF and bare LF line ends are both accepted (Kannel's test_ppg -d lf).
 * The first part must be application/xml (the control entity).
 *
 * Returns 0, or WSPGW_EPROTO with a one-line reason in why (size whylen).
 */
int gw_pap_mime_split(const char *content_type, const uint8_t *body,
    size_t len, struct gw_pap_mime *out, char *why, size_t whylen);

/*
 * Undoes the part's Content-Transfer-Encoding into out: identity for
 * none, 7bit, 8bit and binary; base64 decoded (blanks and line ends
 * skipped).  Returns 0, WSPGW_EPROTO (bad base64, or an encoding not
 * supported: reason in why) or a buffer error (out's cap).
 */
int gw_pap_part_decode(const struct gw_pap_part *p, struct wspgw_buf *out,
    char *why, size_t whylen);

/*
 * Decodes base64 (RFC 4648 alphabet, "=" padding optional at the end;
 * blanks, CR and LF skipped) appended to out.  Returns 0, WSPGW_EPROTO or
 * a buffer error.  Also used for HTTP Basic credentials (ppg.c).
 */
int gw_pap_base64_decode(const char *s, size_t len, struct wspgw_buf *out);

/* ---- client addresses (WAP-249 7.1) ---- */

struct gw_pap_addr {
    enum gw_push_addr_type type;
    char value[64];     /* "+15551234567", "192.0.2.1", "2001:db8::1" */
};

/*
 * Parses an address-value: WAPPUSH=client/TYPE=PLMN|IPv4|IPv6 with an
 * optional @ppg-specifier.  Lenient as real MMSCs need: "wappush" and
 * "type" in any case, the type name in any case, @ppg missing, %-escapes
 * in the client part.  A PLMN number is "+" and 1-20 digits (a number
 * without "+" is accepted as written).  TYPE=USER and other user-defined
 * types are refused with GW_PAP_NOT_IMPLEMENTED.
 *
 * Returns 0, or a PAP code (GW_PAP_ADDRESS_ERROR, GW_PAP_NOT_IMPLEMENTED)
 * with the reason in why.
 */
int gw_pap_addr_parse(const char *text, struct gw_pap_addr *out,
    char *why, size_t whylen);

/* Writes "WAPPUSH=<value>/TYPE=<type>" (for answers about a stored push).
 * Returns 0 or WSPGW_ENOSPC. */
int gw_pap_addr_format(enum gw_push_addr_type type, const char *value,
    char *out, size_t outlen);

/* ---- the control entity ---- */

enum gw_pap_kind {
    GW_PAP_PUSH = 1,
    GW_PAP_CANCEL,
    GW_PAP_STATUSQUERY
};

enum gw_pap_method {
    GW_PAP_NOTSPECIFIED = 0,
    GW_PAP_CONFIRMED,
    GW_PAP_PREFERCONFIRMED,
    GW_PAP_UNCONFIRMED
};

struct gw_pap_msg {
    enum gw_pap_kind kind;
    enum gw_pap_version version;
    char push_id[128];
    struct gw_pap_addr addr;            /* the (first) address */
    char addr_text[256];                /* its address-value as written */
    unsigned n_addr;                    /* push: 1; cancel/query: 0 or 1 */
    uint64_t deliver_before_ms;         /* 0: none */
    uint64_t deliver_after_ms;          /* 0: none */
    char notify_to[512];                /* ppg-notify-requested-to */
    char source_reference[128];
    int progress_notes;                 /* progress-notes-requested */
    /* quality-of-service */
    enum gw_pap_method delivery_method;
    char bearer[32];
    int bearer_required;
    char network[32];
    int network_required;
};

/* Why a document was refused. */
struct gw_pap_error {
    int code;                   /* PAP code */
    int bad_message;            /* 1: answer with badmessage-response (no
                                   usable push-id); 0: with the kind's
                                   own response, push_id is set */
    char desc[200];
    uint8_t fragment[GW_PAP_FRAGMENT_MAX];  /* for bad-message-fragment */
    size_t fragment_len;
};

/*
 * Parses and checks a PAP control entity (len octets of XML).  now_ms is
 * the wall clock (ms since the epoch) for deliver-before checks.  On
 * success fills out and returns 0.  On a refusal returns the PAP code
 * (also in err->code) with err filled; when err->bad_message is 0, out
 * has kind, version and push_id so the refusal can name the push.
 *
 * Checks: well-formed XML under GW_PAP_DOC_MAX, no DTD internal subset,
 * a known PAP version, root <pap> with exactly one message element of a
 * kind the PPG implements (others: 3001), known attributes with legal
 * values, push-id present and at most 127 octets, exactly one address for
 * a push (several: 3005), timestamps YYYY-MM-DDThh:mm:ssZ with
 * deliver-after before deliver-before and deliver-before not yet passed,
 * replace-push-id refused (3011), delivery-method="confirmed" refused
 * (3007: no confirmed push), a required bearer or network that cannot
 * reach the address type refused (3010, 3009).
 */
int gw_pap_parse(const uint8_t *xml, size_t len, uint64_t now_ms,
    struct gw_pap_msg *out, struct gw_pap_error *err);

/* Parses a PAP Datetime ("2026-01-31T12:00:00Z") into ms since the epoch.
 * Returns 0 or WSPGW_EPROTO. */
int gw_pap_time_parse(const char *text, uint64_t *ms);

/* Formats ms since the epoch as a PAP Datetime into out (>= 21 octets). */
void gw_pap_time_format(uint64_t ms, char *out, size_t outlen);

/*
 * Normalises an X-Wap-Application-Id for the queue: a WINA short name
 * ("mms.ua", "x-wap-application:mms.ua") or a registered number ("4",
 * "0x04") becomes "x-wap-application:NAME"; any other absolute URI or
 * number is kept as written.  Returns 0, or WSPGW_EPROTO for a value with
 * blanks or control characters, or WSPGW_ENOSPC.
 */
int gw_pap_app_id(const char *in, char *out, size_t outlen);

/*
 * Finds field name in an application/x-www-form-urlencoded body (len
 * octets) and copies its decoded value ('+' is a blank, %XX an octet)
 * into out (size outlen).  Returns 1 found, 0 absent, WSPGW_EPROTO for a
 * bad %-escape, a NUL or a repeated field, WSPGW_ENOSPC when the value
 * does not fit.  (For POST /mms-notify.)
 */
int gw_pap_form_field(const uint8_t *body, size_t len, const char *name,
    char *out, size_t outlen);

/* ---- answers ---- */

enum gw_pap_resp_kind {
    GW_PAP_PUSH_RESPONSE = 1,
    GW_PAP_BADMESSAGE_RESPONSE,
    GW_PAP_CANCEL_RESPONSE,
    GW_PAP_STATUSQUERY_RESPONSE,
    GW_PAP_RESULTNOTIFICATION
};

struct gw_pap_resp {
    enum gw_pap_resp_kind kind;
    enum gw_pap_version version;    /* 0: 2.0 */
    const char *push_id;            /* all but badmessage */
    int code;
    const char *desc;               /* NULL: gw_pap_code_text(code) */
    const char *sender_name;        /* NULL: none */
    uint64_t time_ms;               /* reply-time / event-time; 0: none */
    uint64_t received_ms;           /* resultnotification received-time */
    enum gw_pap_state state;        /* statusquery, resultnotification */
    const char *address;            /* address-value; NULL: none */
    const uint8_t *fragment;        /* badmessage: the offending text */
    size_t fragment_len;
};

/*
 * Appends the XML answer (declaration, DOCTYPE of r->version, <pap>) to
 * out.  Attribute values are escaped; a fragment is cut to
 * GW_PAP_FRAGMENT_MAX octets at a UTF-8 boundary with control characters
 * dropped.  Returns 0, WSPGW_EINVAL (a field the kind needs is missing)
 * or a buffer error.
 */
int gw_pap_build(struct wspgw_buf *out, const struct gw_pap_resp *r);

#endif /* WSPGW_GATEWAY_PAP_H */
