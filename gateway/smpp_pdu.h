/*
 * gateway/smpp_pdu.h - SMPP 3.4 PDUs as the ESME side needs them.
 *
 * Pure code (no libuv): building bind / submit_sm / enquire_link /
 * responses, framing a TCP byte stream into PDUs, and reading what an
 * SMSC sends (bind_*_resp, submit_sm_resp, deliver_sm with delivery
 * receipts, enquire_link, unbind, generic_nack).
 *
 * Building uses libsmpp34 (smpp34_pack): the bytes come from our own
 * structs, and Net::SMPP and tshark check them in the tests.  Reading
 * is a small bounds-checked parser of our own: libsmpp34's unpack has
 * had out-of-bounds reads on hostile input (CVE-2026-75895, fixed in
 * Debian's 1.14.1-3+deb12u1) and copies TLV values into fixed-size
 * unions, and reading is exactly where the SMSC's bytes are untrusted.
 *
 * Spec: SMPP v3.4 (1999-10-12) 2.2.1 (header), 4.1 (bind), 4.4
 * (submit_sm), 4.6 (deliver_sm), 4.11 (enquire_link), 5.1.3
 * (command_status), 5.2.12 (esm_class), 5.3.2.12 (receipted_message_id),
 * Appendix B (delivery receipt text).  Facts: shared/reference/push.md 7.
 */
#ifndef WSPGW_GATEWAY_SMPP_PDU_H
#define WSPGW_GATEWAY_SMPP_PDU_H

#include <stddef.h>
#include <stdint.h>

#define GW_SMPP_HDR 16
#define GW_SMPP_PDU_MAX 4096        /* longest PDU accepted from an SMSC */

#define GW_SMPP_GENERIC_NACK 0x80000000u
#define GW_SMPP_BIND_TX 0x00000002u
#define GW_SMPP_BIND_TRX 0x00000009u
#define GW_SMPP_SUBMIT_SM 0x00000004u
#define GW_SMPP_DELIVER_SM 0x00000005u
#define GW_SMPP_UNBIND 0x00000006u
#define GW_SMPP_ENQUIRE_LINK 0x00000015u
#define GW_SMPP_RESP 0x80000000u

#define GW_SMPP_ESM_UDHI 0x40       /* esm_class: UDH in short_message */
#define GW_SMPP_ESM_RECEIPT 0x04    /* deliver_sm: SMSC delivery receipt */

struct gw_smpp_hdr {
    uint32_t len;
    uint32_t id;
    uint32_t status;
    uint32_t seq;
};

/*
 * How many octets at the start of buf make one PDU: 0 if more are
 * needed, the PDU length if it is whole, WSPGW_EPROTO if command_length
 * is below 16 or above GW_SMPP_PDU_MAX (the stream cannot be trusted
 * past that: close the connection).
 */
int gw_smpp_frame(const uint8_t *buf, size_t len);

/* Reads the header of a whole PDU (buf holds at least 16 octets). */
void gw_smpp_hdr_read(const uint8_t *buf, struct gw_smpp_hdr *h);

struct gw_smpp_bind {
    int transceiver;                /* bind_transceiver, else transmitter */
    const char *system_id;          /* <= 15 chars */
    const char *password;           /* <= 8 chars */
    const char *system_type;        /* <= 12 chars */
};

struct gw_smpp_submit {
    const char *service_type;       /* <= 5 chars, "" default */
    uint8_t src_ton, src_npi;
    const char *src_addr;           /* <= 20 chars */
    uint8_t dst_ton, dst_npi;
    const char *dst_addr;           /* <= 20 chars */
    uint8_t esm_class;
    uint8_t protocol_id;
    uint8_t registered_delivery;    /* 1: receipt on success or failure */
    uint8_t data_coding;
    const uint8_t *sm;              /* short_message, borrowed */
    size_t sm_len;                  /* <= 254 */
};

/*
 * Each builder writes one whole PDU into buf (cap octets) and returns
 * its length, or WSPGW_EINVAL (a field too long for SMPP) /
 * WSPGW_EMSGSIZE (cap too small).
 */
int gw_smpp_build_bind(uint8_t *buf, size_t cap, uint32_t seq,
    const struct gw_smpp_bind *b);
int gw_smpp_build_submit(uint8_t *buf, size_t cap, uint32_t seq,
    const struct gw_smpp_submit *s);
/* A PDU that is only a header: enquire_link, unbind, their responses,
 * generic_nack. */
int gw_smpp_build_header(uint8_t *buf, size_t cap, uint32_t id,
    uint32_t status, uint32_t seq);
/* deliver_sm_resp (body: an empty message_id). */
int gw_smpp_build_deliver_resp(uint8_t *buf, size_t cap, uint32_t status,
    uint32_t seq);

/*
 * The message_id of a submit_sm_resp (or the system_id of a bind resp):
 * the C-octet string after the header, copied into out (size outlen,
 * NUL-terminated).  A resp with an error status may have no body:
 * out is then "".  Returns 0 or WSPGW_EPROTO (no NUL inside the PDU, or
 * longer than 65 octets).
 */
int gw_smpp_read_cstr_body(const uint8_t *pdu, size_t len, char *out,
    size_t outlen);

/* What a deliver_sm says, as far as receipts go. */
struct gw_smpp_deliver {
    uint8_t esm_class;
    uint8_t data_coding;
    const uint8_t *sm;              /* view into the PDU */
    size_t sm_len;
    char source[21];
    int is_receipt;                 /* esm_class says delivery receipt */
    char msg_id[66];                /* receipted_message_id, or id: text */
    int message_state;              /* TLV message_state, or from stat: */
};

/* SMPP message_state values (5.2.28). */
#define GW_SMPP_STATE_DELIVERED 2
#define GW_SMPP_STATE_EXPIRED 3
#define GW_SMPP_STATE_DELETED 4
#define GW_SMPP_STATE_UNDELIVERABLE 5
#define GW_SMPP_STATE_ACCEPTED 6
#define GW_SMPP_STATE_UNKNOWN 7
#define GW_SMPP_STATE_REJECTED 8

/*
 * Parses a deliver_sm.  The receipt's message id comes from the
 * receipted_message_id TLV when present, else from the "id:" field of
 * the receipt text (Appendix B); the state from the message_state TLV,
 * else from "stat:" (DELIVRD, EXPIRED, DELETED, UNDELIV, ACCEPTD,
 * UNKNOWN, REJECTD).  Returns 0 or WSPGW_EPROTO / WSPGW_ETRUNC.
 */
int gw_smpp_read_deliver(const uint8_t *pdu, size_t len,
    struct gw_smpp_deliver *d);

/*
 * Whether a submit_sm_resp error is worth trying again later (queue
 * full, throttled, system error, temporary application error, not
 * bound): 1; or permanent for this message (bad address, bad
 * parameters, rejected): 0.
 */
int gw_smpp_status_temporary(uint32_t status);

/* "ESME_RTHROTTLED" etc., or "0x%08x" for others (static buffer per
 * call site; logs only). */
const char *gw_smpp_status_name(uint32_t status);

#endif /* WSPGW_GATEWAY_SMPP_PDU_H */
