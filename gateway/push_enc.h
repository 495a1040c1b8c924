/*
 * gateway/push_enc.h - what a push looks like on the air: the
 * connectionless WSP Push PDU, and WDP over GSM SMS (user data headers).
 *
 * Pure code (no libuv, no SQLite): bytes in, bytes out, unit-tested with
 * exact vectors and checked against tshark in the integration tests.
 *
 * Specs: WAP-230-WSP 8.2.4.1 (Push PDU), WAP-259-WDP 6.5 / Annex A (WDP
 * over GSM SMS: port addressing IE, ports 2948/9200), 3GPP TS 23.040
 * 9.2.3.24 (UDH information elements 0x00, 0x05, 0x08).  Facts:
 * shared/reference/push.md sections 5 and 6.
 */
#ifndef WSPGW_GATEWAY_PUSH_ENC_H
#define WSPGW_GATEWAY_PUSH_ENC_H

#include <stddef.h>
#include <stdint.h>

#include "wspgw/buf.h"

#define GW_WDP_PORT_PUSH 2948       /* WAP push connectionless (client) */
#define GW_WDP_PORT_WSP 9200        /* WSP connectionless (server) */
#define GW_SMS_UD_MAX 140           /* TP-UD octets of one 8-bit SMS */
#define GW_SMS_PARTS_MAX 255

/*
 * Builds a connectionless WSP Push PDU into out: TID, 0x06, HeadersLen,
 * the Content-Type (well-known number when WSP encoding 1.4 has one,
 * e.g. 0xBE for application/vnd.wap.mms-message, else text), then
 * X-Wap-Application-Id when app_id is neither NULL nor "" (well-known
 * code such as 0x84 for x-wap-application:mms.ua, else text), then,
 * unless minimal, Content-Length; then the body.
 *
 * Some handsets reject push headers they do not expect: minimal != 0
 * sends only Content-Type and X-Wap-Application-Id.
 *
 * Returns 0, WSPGW_EINVAL (content type or app id that cannot be
 * encoded), or a buffer error.  On error out is left as it was.
 */
int gw_push_pdu_build(struct wspgw_buf *out, uint8_t tid,
    const char *content_type, const char *app_id, int minimal,
    const uint8_t *body, size_t body_len);

/* One SMS of a WDP datagram: TP-UD (UDH + payload), at most 140 octets. */
struct gw_sms_part {
    uint8_t ud[GW_SMS_UD_MAX];
    size_t len;
};

/*
 * Splits a WDP datagram (here: a WSP Push PDU) into SMS user data, each
 * part with the 16-bit application port IE (0x05: dport, sport) and,
 * when more than one part is needed, a concatenation IE: 0x00 with the
 * low 8 bits of ref (ref16 == 0), or 0x08 with 16 bits (ref16 != 0).
 * One part carries 133 octets of payload; with concatenation 128 (8-bit
 * reference) or 127 (16-bit reference).
 *
 * parts (borrowed, max entries) receives the parts in order; *n their
 * number.  Returns 0, WSPGW_EMSGSIZE when more than max (or 255) parts
 * would be needed, WSPGW_EINVAL for an empty datagram.
 */
int gw_wdp_sms_split(const uint8_t *dgram, size_t len, uint16_t dport,
    uint16_t sport, unsigned ref, int ref16, struct gw_sms_part *parts,
    unsigned max, unsigned *n);

/* Number of SMS parts gw_wdp_sms_split would make (0 for len 0). */
unsigned gw_wdp_sms_count(size_t len, int ref16);

#endif /* WSPGW_GATEWAY_PUSH_ENC_H */
