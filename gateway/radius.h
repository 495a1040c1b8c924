/*
 * gateway/radius.h - the RADIUS accounting codec (pure: no libuv, no
 * sockets, no clock).
 *
 * Spec: RFC 2865 (packet format, attributes, Vendor-Specific), RFC 2866
 * (Accounting-Request/Response, Acct-Status-Type, the Request and
 * Response Authenticators), RFC 3162 (Framed-IPv6-Prefix), RFC 5080 2.2.2
 * (duplicate detection, used by radius_srv.c), 3GPP TS 29.061 16.4.7
 * (the 3GPP Vendor-Specific attributes, Vendor-Id 10415).
 *
 * What it does: checks one datagram strictly (header, every attribute's
 * length against the packet, the Length field against the datagram, the
 * lengths that RFC 2865/2866/3162 and TS 29.061 fix for the attributes it
 * reads), verifies the Request Authenticator, extracts what a gateway
 * needs to map an IP address to a subscriber, builds the
 * Accounting-Response, and re-signs a request for forwarding.
 *
 * What it does not do: Access-Request/Accept (authentication), CoA,
 * Message-Authenticator (RFC 3579 makes it optional in accounting; it is
 * neither required nor checked here, and it is removed when a packet is
 * re-signed, because the new secret would invalidate it), retransmission
 * state (radius_srv.c).
 *
 * MD5 comes from Debian's nettle (nettle-dev): a tiny API with no
 * allocation, no failure paths and no provider configuration (OpenSSL 3
 * in FIPS mode refuses MD5, which RADIUS cannot do without).
 *
 * Ownership: the parser writes views and copies into a caller-owned
 * struct; text values are copied, NUL-terminated and capped, so nothing
 * points into the datagram after gw_radius_parse returns.
 */
#ifndef WSPGW_GATEWAY_RADIUS_H
#define WSPGW_GATEWAY_RADIUS_H

#include <stddef.h>
#include <stdint.h>

#define GW_RADIUS_HDR_LEN 20        /* Code, Identifier, Length, Auth */
#define GW_RADIUS_MAX_LEN 4096      /* RFC 2865 3: 20..4096 octets */
#define GW_RADIUS_AUTH_LEN 16
#define GW_RADIUS_SECRET_MAX 128    /* our cap on the shared secret */

/* Packet codes (RFC 2865 3, RFC 2866 3). */
#define GW_RADIUS_ACCOUNTING_REQUEST 4
#define GW_RADIUS_ACCOUNTING_RESPONSE 5

/* Attribute types used here (RFC 2865 5, RFC 2866 5, RFC 3162 2.3). */
#define GW_RADIUS_ATTR_MAP(XX)                                             \
    XX(USER_NAME, 1, "User-Name")                                          \
    XX(NAS_IP_ADDRESS, 4, "NAS-IP-Address")                                \
    XX(FRAMED_IP_ADDRESS, 8, "Framed-IP-Address")                          \
    XX(VENDOR_SPECIFIC, 26, "Vendor-Specific")                             \
    XX(CALLED_STATION_ID, 30, "Called-Station-Id")                         \
    XX(CALLING_STATION_ID, 31, "Calling-Station-Id")                       \
    XX(ACCT_STATUS_TYPE, 40, "Acct-Status-Type")                           \
    XX(ACCT_SESSION_ID, 44, "Acct-Session-Id")                             \
    XX(MESSAGE_AUTHENTICATOR, 80, "Message-Authenticator")                 \
    XX(FRAMED_IPV6_PREFIX, 97, "Framed-IPv6-Prefix")

enum gw_radius_attr {
#define XX(name, val, text) GW_RADIUS_ATTR_##name = (val),
    GW_RADIUS_ATTR_MAP(XX)
#undef XX
};

/* Acct-Status-Type values (RFC 2866 5.1). */
#define GW_RADIUS_STATUS_MAP(XX)                                           \
    XX(START, 1, "Start")                                                  \
    XX(STOP, 2, "Stop")                                                    \
    XX(INTERIM_UPDATE, 3, "Interim-Update")                                \
    XX(ACCOUNTING_ON, 7, "Accounting-On")                                  \
    XX(ACCOUNTING_OFF, 8, "Accounting-Off")

enum gw_radius_status {
#define XX(name, val, text) GW_RADIUS_STATUS_##name = (val),
    GW_RADIUS_STATUS_MAP(XX)
#undef XX
};

/* 3GPP Vendor-Specific sub-attributes read here (TS 29.061 16.4.7). */
#define GW_RADIUS_VENDOR_3GPP 10415
#define GW_3GPP_ATTR_MAP(XX)                                               \
    XX(IMSI, 1, "3GPP-IMSI")                                               \
    XX(SGSN_ADDRESS, 6, "3GPP-SGSN-Address")                               \
    XX(IMSI_MCC_MNC, 8, "3GPP-IMSI-MCC-MNC")                               \
    XX(SGSN_MCC_MNC, 18, "3GPP-SGSN-MCC-MNC")                              \
    XX(RAT_TYPE, 21, "3GPP-RAT-Type")

enum gw_3gpp_attr {
#define XX(name, val, text) GW_3GPP_##name = (val),
    GW_3GPP_ATTR_MAP(XX)
#undef XX
};

/* Text caps: longer values are a malformed packet (a gateway has no use
 * for them, and capping keeps the struct fixed-size). */
#define GW_RADIUS_TEXT_MAX 64       /* User-Name, Calling-Station-Id, ... */
#define GW_RADIUS_SHORT_MAX 16      /* IMSI (15 digits), MCC-MNC (6) */

/* What one Accounting-Request says.  has_* flags tell which attributes
 * were present; text fields are "" when absent. */
struct gw_radius_acct {
    uint8_t code;
    uint8_t id;
    uint16_t length;                /* the Length field */
    uint8_t auth[GW_RADIUS_AUTH_LEN];
    unsigned status;                /* Acct-Status-Type, 0 when absent */
    int has_framed_ip;
    uint8_t framed_ip[4];
    int has_framed_ipv6;
    uint8_t framed_ipv6[16];        /* prefix, bits past plen zero */
    unsigned framed_ipv6_plen;
    int has_nas_ip;
    uint8_t nas_ip[4];
    int has_sgsn;
    uint8_t sgsn[4];                /* 3GPP-SGSN-Address (IPv4 form) */
    int rat_type;                   /* 3GPP-RAT-Type, -1 when absent */
    int has_message_authenticator;
    char user_name[GW_RADIUS_TEXT_MAX + 1];
    char calling_station_id[GW_RADIUS_TEXT_MAX + 1];
    char called_station_id[GW_RADIUS_TEXT_MAX + 1];
    char session_id[GW_RADIUS_TEXT_MAX + 1];
    char imsi[GW_RADIUS_SHORT_MAX + 1];
    char imsi_mcc_mnc[GW_RADIUS_SHORT_MAX + 1];
    char sgsn_mcc_mnc[GW_RADIUS_SHORT_MAX + 1];
};

/*
 * Parses one datagram (buf, len; borrowed) as an Accounting-Request.
 * Checks: len >= 20; Length field in 20..4096 and <= len (octets past
 * Length are padding and ignored, RFC 2865 3); code 4; every attribute
 * has Length >= 2 and ends inside the packet, and the attributes end
 * exactly at Length; the attributes read here have their fixed or
 * bounded lengths; 3GPP sub-attributes are checked the same way inside
 * their Vendor-Specific attribute.  Unknown attributes and vendors are
 * skipped (after the length check).
 *
 * Returns 0, WSPGW_ETRUNC (the datagram is shorter than the header or
 * than its Length field), WSPGW_EPROTO (anything else malformed) or
 * WSPGW_ENOTSUP (a well-formed packet that is not an Accounting-Request).
 * *why (may be NULL) receives a static text naming the first problem,
 * with the offset in *where.  Does not check the authenticator.
 */
int gw_radius_parse(const uint8_t *buf, size_t len,
    struct gw_radius_acct *out, const char **why, size_t *where);

/*
 * Whether the Request Authenticator of an Accounting-Request is right:
 * MD5(Code | Identifier | Length | 16 zero octets | Attributes | Secret)
 * over the first Length octets (RFC 2866 3).  buf must have passed
 * gw_radius_parse.  Returns 1 or 0 (compared in constant time).
 */
int gw_radius_verify_request(const uint8_t *buf, size_t len,
    const char *secret, size_t secret_len);

/*
 * Writes the Request Authenticator into octets 4..19 of an
 * Accounting-Request of Length len (what a client does; the test tools
 * and re-signing use it).  buf is modified in place.
 */
void gw_radius_sign_request(uint8_t *buf, size_t len, const char *secret,
    size_t secret_len);

/*
 * Builds the Accounting-Response (code 5, no attributes) for a request
 * with identifier id and Request Authenticator req_auth: Response
 * Authenticator = MD5(5 | id | 20 | req_auth | Secret) (RFC 2866 3).
 * Writes 20 octets to out and returns 20.
 */
size_t gw_radius_response(uint8_t out[GW_RADIUS_HDR_LEN], uint8_t id,
    const uint8_t req_auth[GW_RADIUS_AUTH_LEN], const char *secret,
    size_t secret_len);

/*
 * Whether a datagram is the Accounting-Response to a request we sent
 * (identifier id, Request Authenticator req_auth) under secret: code 5,
 * Length consistent, Response Authenticator right.  Returns 1 or 0.
 */
int gw_radius_response_ok(const uint8_t *buf, size_t len, uint8_t id,
    const uint8_t req_auth[GW_RADIUS_AUTH_LEN], const char *secret,
    size_t secret_len);

/*
 * Copies a verified Accounting-Request (first Length octets of in) into
 * out (capacity outcap) signed with another secret: Message-Authenticator
 * attributes are left out (the new secret would make them wrong) and the
 * Length field and Request Authenticator are recomputed.  Returns the
 * new length, or WSPGW_ENOSPC when out is too small, WSPGW_EPROTO when in
 * does not parse.
 */
int gw_radius_resign(const uint8_t *in, size_t len, uint8_t *out,
    size_t outcap, const char *secret, size_t secret_len);

/* Names for logs: "Start", "unknown(9)" (static or a per-call buffer
 * that the caller passes: buf of at least 16 octets). */
const char *gw_radius_status_name(unsigned status, char *buf, size_t buflen);

#endif /* WSPGW_GATEWAY_RADIUS_H */
