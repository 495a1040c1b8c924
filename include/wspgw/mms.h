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

/* Decodes the headers of an MMS PDU (the body is not examined).  Returns
 * 0, WSPGW_EPROTO (not an MMS PDU / bad encoding) or WSPGW_ETRUNC. */
int wsp_mms_decode(const uint8_t *buf, size_t len, struct wsp_mms_info *out);

/* The name of a message type ("m-send-req"), or "unknown". */
const char *wsp_mms_type_name(unsigned message_type);

/* m-notification-ind (OMA-MMS-ENC 6.2) as the PPG builds it. */
struct wsp_mms_notification {
    const char *transaction_id;     /* required */
    unsigned version;               /* 0: 1.2 (0x12) */
    const char *from;               /* NULL: no From (insert-address) */
    const char *subject;            /* NULL: none; UTF-8 allowed */
    unsigned message_class;         /* 0x80 personal (0: personal) */
    uint64_t size;                  /* X-Mms-Message-Size, octets */
    uint64_t expiry_s;              /* relative (Delta-seconds) */
    const char *location;           /* X-Mms-Content-Location, required */
};

/* Appends the encoded m-notification-ind to out.  Returns 0,
 * WSPGW_EINVAL (a required field missing) or a buffer error. */
int wsp_mms_notification_ind_encode(const struct wsp_mms_notification *n,
    struct wspgw_buf *out);

#endif /* WSPGW_MMS_H */
