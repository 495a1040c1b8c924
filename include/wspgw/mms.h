/*
 * include/wspgw/mms.h - MMS encapsulation (OMA-MMS-ENC 1.0-1.3) as far as
 * a WAP gateway needs it: the headers of MM1 PDUs decoded for logging,
 * counting and limits, and m-notification-ind encoded for the PPG.
 *
 * Pure code in wsp/mms.c (no I/O, no clock): decoders are functions over
 * (buf, len) with bounds checks.  Field codes and values: see
 * ../shared/reference/mms.md.
 */
#ifndef WSPGW_MMS_H
#define WSPGW_MMS_H

#include <stddef.h>
#include <stdint.h>

#include "wspgw/buf.h"

/* X-Mms-Message-Type values (OMA-MMS-ENC 7.3.30). */
#define WSP_MMS_SEND_REQ            0x80
#define WSP_MMS_SEND_CONF           0x81
#define WSP_MMS_NOTIFICATION_IND    0x82
#define WSP_MMS_NOTIFYRESP_IND      0x83
#define WSP_MMS_RETRIEVE_CONF       0x84
#define WSP_MMS_ACKNOWLEDGE_IND     0x85
#define WSP_MMS_DELIVERY_IND        0x86

/* The header fields a gateway looks at (field code without the 0x80). */
#define WSP_MMS_F_BCC               0x01
#define WSP_MMS_F_CC                0x02
#define WSP_MMS_F_CONTENT_LOCATION  0x03
#define WSP_MMS_F_CONTENT_TYPE      0x04
#define WSP_MMS_F_DATE              0x05
#define WSP_MMS_F_EXPIRY            0x08
#define WSP_MMS_F_FROM              0x09
#define WSP_MMS_F_MESSAGE_CLASS     0x0A
#define WSP_MMS_F_MESSAGE_ID        0x0B
#define WSP_MMS_F_MESSAGE_TYPE      0x0C
#define WSP_MMS_F_MMS_VERSION       0x0D
#define WSP_MMS_F_MESSAGE_SIZE      0x0E
#define WSP_MMS_F_RESPONSE_STATUS   0x12
#define WSP_MMS_F_RESPONSE_TEXT     0x13
#define WSP_MMS_F_STATUS            0x15
#define WSP_MMS_F_SUBJECT           0x16
#define WSP_MMS_F_TO                0x17
#define WSP_MMS_F_TRANSACTION_ID    0x18

/* Summary of one MMS PDU's headers (views into the caller's buffer are
 * not kept: text is copied, truncated to the array size). */
struct wsp_mms_info {
    unsigned message_type;          /* 0x80..0x97, 0: not decoded */
    char transaction_id[128];
    unsigned version;               /* major<<4 | minor, e.g. 0x12 */
    char to[256];                   /* the first To, "" when none */
    unsigned n_to;                  /* To + Cc + Bcc recipients */
    uint64_t message_size;          /* X-Mms-Message-Size, or 0 */
    int has_message_size;
    unsigned response_status;       /* X-Mms-Response-Status, 0: none */
    unsigned status;                /* X-Mms-Status, 0: none */
    char content_location[512];
    char message_id[128];
};

/*
 * Decodes the headers of an MMS PDU up to Content-Type (the body is not
 * examined).  The first header must be X-Mms-Message-Type with a value
 * 0x80-0x97.  To, Cc and Bcc are counted in n_to; the first To is kept.
 * Headers the summary has no field for are skipped by their value's
 * form (Short-integer, Text-string, Value-length); application headers
 * (Token-text + Text-string) likewise.  Texts longer than their array
 * are truncated (still NUL-terminated); an Encoded-string-value in
 * another charset is copied as its octets.
 *
 * Returns 0, WSPGW_EPROTO (not an MMS PDU, or a value that breaks the
 * grammar) or WSPGW_ETRUNC (the buffer ends inside a header).  On error
 * *out holds what was decoded before the bad header.
 */
int wsp_mms_decode(const uint8_t *buf, size_t len, struct wsp_mms_info *out);

/* The name of a message type ("m-send-req"), or "unknown". */
const char *wsp_mms_type_name(unsigned message_type);

/*
 * X-Mms-Response-Status values a gateway sends itself (OMA-MMS-ENC
 * 7.3.48; reference/mms.md section 5).  0xC0-0xDF are transient (the
 * handset may send again later), 0xE0 and above permanent.
 */
#define WSP_MMS_RS_OK                           0x80
#define WSP_MMS_RS_TRANSIENT_FAILURE            0xC0
#define WSP_MMS_RS_PERMANENT_FAILURE            0xE0
#define WSP_MMS_RS_PERMANENT_SERVICE_DENIED     0xE1
#define WSP_MMS_RS_PERMANENT_CONTENT_NOT_ACCEPTED 0xE5

/* The name of an X-Mms-Response-Status value ("ok",
 * "error-transient-failure", ...), or "unknown". */
const char *wsp_mms_response_status_name(unsigned v);

/* The name of an X-Mms-Status value ("retrieved", ...), or "unknown". */
const char *wsp_mms_status_name(unsigned v);

/*
 * m-send-conf (OMA-MMS-ENC 6.1.2) as a gateway answers an m-send-req it
 * refuses itself: Message-Type, the request's Transaction-Id (handsets
 * compare them), MMS-Version, Response-Status and, when text is not
 * NULL, X-Mms-Response-Text (US-ASCII Text-string).  All strings
 * borrowed.  version 0 means 1.0 (0x10).  Returns 0, WSPGW_EINVAL (no or
 * empty transaction_id, a control character in a text, a status below
 * 0x80 or a version above 0x7F) or a buffer error; on error out is left
 * as it was.
 */
int wsp_mms_send_conf_encode(const char *transaction_id, unsigned version,
    unsigned response_status, const char *text, struct wspgw_buf *out);

/* m-notification-ind (OMA-MMS-ENC 6.2) as the PPG builds it. */
struct wsp_mms_notification {
    const char *transaction_id;     /* required */
    unsigned version;               /* 0: 1.2 (0x12) */
    const char *from;               /* NULL: no From (insert-address) */
    const char *subject;            /* NULL: none; UTF-8 allowed */
    unsigned message_class;         /* 0x80 personal (0: personal) */
    uint64_t size;                  /* X-Mms-Message-Size, octets */
    uint64_t expiry_s;              /* relative (Delta-seconds), > 0 */
    const char *location;           /* X-Mms-Content-Location, required */
};

/*
 * Appends the encoded m-notification-ind to out, headers in this order:
 * Message-Type, Transaction-Id, MMS-Version (the three that must come
 * first), From (Value-length Address-present-token Encoded-string-value,
 * or Value-length Insert-address-token when n->from is NULL), Subject
 * (Text-string when ASCII, else Value-length utf-8 Text-string),
 * Message-Class, Message-Size (Long-integer always: Android and Gecko
 * decode only that form), Expiry (relative), Content-Location.
 *
 * Returns 0, WSPGW_EINVAL (transaction_id or location missing or empty,
 * expiry_s 0, a message class other than 0x80-0x83, a version above
 * 0x7F, or a control character in any text) or a buffer error; on error
 * out is left as it was.
 */
int wsp_mms_notification_ind_encode(const struct wsp_mms_notification *n,
    struct wspgw_buf *out);

#endif /* WSPGW_MMS_H */
