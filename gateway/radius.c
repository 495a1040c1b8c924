/*
 * gateway/radius.c - the RADIUS accounting codec (see radius.h for the
 * specs, the contract and what is left out).
 *
 * Every read is bounds-checked against the Length field, which is itself
 * checked against the datagram first; an attribute whose Length would
 * overrun the packet, or is below 2, stops the parse at that offset with
 * WSPGW_EPROTO.  Nothing here allocates.
 */
#include <stdio.h>
#include <string.h>

#include <nettle/md5.h>

#include "wspgw/err.h"
#include "radius.h"


static uint16_t
get16(const uint8_t *p)
{
    return (uint16_t) ((p[0] << 8) | p[1]);
}


static uint32_t
get32(const uint8_t *p)
{
    return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16)
        | ((uint32_t) p[2] << 8) | p[3];
}


static int
fail(const char **why, size_t *where, const char *text, size_t off, int rc)
{
    if (why != NULL) {
        *why = text;
    }
    if (where != NULL) {
        *where = off;
    }
    return rc;
}


/*
 * Copies a text value (RFC 2865 5: "text", 1-253 octets, no NUL) into
 * dst (capacity cap + 1).  Returns 0, or -1 for an empty value, a NUL
 * inside, or a value longer than cap.
 */
static int
copy_text(char *dst, size_t cap, const uint8_t *v, size_t n)
{
    if (n == 0 || n > cap || memchr(v, 0, n) != NULL) {
        return -1;
    }
    memcpy(dst, v, n);
    dst[n] = '\0';
    return 0;
}


/* The 3GPP sub-attributes of one Vendor-Specific attribute (value v of
 * n octets after the Vendor-Id). */
static int
parse_3gpp(const uint8_t *v, size_t n, size_t base,
    struct gw_radius_acct *out, const char **why, size_t *where)
{
    size_t off = 0;

    while (off < n) {
        uint8_t type, alen;
        const uint8_t *val;
        size_t vlen;

        if (n - off < 2) {
            return fail(why, where, "truncated 3GPP sub-attribute header",
                base + off, WSPGW_EPROTO);
        }
        type = v[off];
        alen = v[off + 1];
        if (alen < 2) {
            return fail(why, where, "3GPP sub-attribute length below 2",
                base + off, WSPGW_EPROTO);
        }
        if (alen > n - off) {
            return fail(why, where, "3GPP sub-attribute overruns its "
                "Vendor-Specific attribute", base + off, WSPGW_EPROTO);
        }
        val = v + off + 2;
        vlen = (size_t) alen - 2;
        switch (type) {
        case GW_3GPP_IMSI:
            if (copy_text(out->imsi, GW_RADIUS_SHORT_MAX, val, vlen) != 0) {
                return fail(why, where, "bad 3GPP-IMSI", base + off,
                    WSPGW_EPROTO);
            }
            break;
        case GW_3GPP_IMSI_MCC_MNC:
            if (copy_text(out->imsi_mcc_mnc, GW_RADIUS_SHORT_MAX, val, vlen)
                != 0)
            {
                return fail(why, where, "bad 3GPP-IMSI-MCC-MNC", base + off,
                    WSPGW_EPROTO);
            }
            break;
        case GW_3GPP_SGSN_MCC_MNC:
            if (copy_text(out->sgsn_mcc_mnc, GW_RADIUS_SHORT_MAX, val, vlen)
                != 0)
            {
                return fail(why, where, "bad 3GPP-SGSN-MCC-MNC", base + off,
                    WSPGW_EPROTO);
            }
            break;
        case GW_3GPP_SGSN_ADDRESS:
            /* TS 29.061: an IPv4 address, 4 octets (IPv6 SGSNs use
             * 3GPP-SGSN-IPv6-Address, type 15, not read here). */
            if (vlen != 4) {
                return fail(why, where, "3GPP-SGSN-Address is not 4 "
                    "octets", base + off, WSPGW_EPROTO);
            }
            memcpy(out->sgsn, val, 4);
            out->has_sgsn = 1;
            break;
        case GW_3GPP_RAT_TYPE:
            if (vlen != 1) {
                return fail(why, where, "3GPP-RAT-Type is not 1 octet",
                    base + off, WSPGW_EPROTO);
            }
            out->rat_type = val[0];
            break;
        default:
            break;
        }
        off += alen;
    }
    return 0;
}


/* One attribute (type, value v of n octets) at packet offset off. */
static int
parse_attr(uint8_t type, const uint8_t *v, size_t n, size_t off,
    struct gw_radius_acct *out, const char **why, size_t *where)
{
    switch (type) {
    case GW_RADIUS_ATTR_USER_NAME:
        if (copy_text(out->user_name, GW_RADIUS_TEXT_MAX, v, n) != 0) {
            return fail(why, where, "bad User-Name", off, WSPGW_EPROTO);
        }
        break;
    case GW_RADIUS_ATTR_CALLING_STATION_ID:
        if (copy_text(out->calling_station_id, GW_RADIUS_TEXT_MAX, v, n)
            != 0)
        {
            return fail(why, where, "bad Calling-Station-Id", off,
                WSPGW_EPROTO);
        }
        break;
    case GW_RADIUS_ATTR_CALLED_STATION_ID:
        if (copy_text(out->called_station_id, GW_RADIUS_TEXT_MAX, v, n)
            != 0)
        {
            return fail(why, where, "bad Called-Station-Id", off,
                WSPGW_EPROTO);
        }
        break;
    case GW_RADIUS_ATTR_ACCT_SESSION_ID:
        if (copy_text(out->session_id, GW_RADIUS_TEXT_MAX, v, n) != 0) {
            return fail(why, where, "bad Acct-Session-Id", off,
                WSPGW_EPROTO);
        }
        break;
    case GW_RADIUS_ATTR_ACCT_STATUS_TYPE:
        if (n != 4) {
            return fail(why, where, "Acct-Status-Type is not 4 octets", off,
                WSPGW_EPROTO);
        }
        out->status = get32(v);
        break;
    case GW_RADIUS_ATTR_FRAMED_IP_ADDRESS:
        if (n != 4) {
            return fail(why, where, "Framed-IP-Address is not 4 octets",
                off, WSPGW_EPROTO);
        }
        memcpy(out->framed_ip, v, 4);
        out->has_framed_ip = 1;
        break;
    case GW_RADIUS_ATTR_NAS_IP_ADDRESS:
        if (n != 4) {
            return fail(why, where, "NAS-IP-Address is not 4 octets", off,
                WSPGW_EPROTO);
        }
        memcpy(out->nas_ip, v, 4);
        out->has_nas_ip = 1;
        break;
    case GW_RADIUS_ATTR_FRAMED_IPV6_PREFIX: {
        /* RFC 3162 2.3: Reserved, Prefix-Length (0..128), then the
         * prefix, at most 16 octets; it must hold Prefix-Length bits. */
        unsigned plen;
        size_t need;

        if (n < 2 || n > 18) {
            return fail(why, where, "Framed-IPv6-Prefix length out of "
                "range", off, WSPGW_EPROTO);
        }
        plen = v[1];
        need = (plen + 7) / 8;
        if (plen > 128 || n - 2 < need) {
            return fail(why, where, "Framed-IPv6-Prefix shorter than its "
                "Prefix-Length", off, WSPGW_EPROTO);
        }
        memset(out->framed_ipv6, 0, sizeof(out->framed_ipv6));
        memcpy(out->framed_ipv6, v + 2, need);
        if (plen % 8 != 0) {
            out->framed_ipv6[need - 1] &= (uint8_t) (0xff << (8 - plen % 8));
        }
        out->framed_ipv6_plen = plen;
        out->has_framed_ipv6 = 1;
        break;
    }
    case GW_RADIUS_ATTR_MESSAGE_AUTHENTICATOR:
        if (n != 16) {
            return fail(why, where, "Message-Authenticator is not 16 "
                "octets", off, WSPGW_EPROTO);
        }
        out->has_message_authenticator = 1;
        break;
    case GW_RADIUS_ATTR_VENDOR_SPECIFIC:
        /* RFC 2865 5.26: Vendor-Id (4 octets, high octet 0), then the
         * vendor's string; 3GPP uses the suggested sub-attribute form. */
        if (n < 4) {
            return fail(why, where, "Vendor-Specific shorter than its "
                "Vendor-Id", off, WSPGW_EPROTO);
        }
        if (get32(v) == GW_RADIUS_VENDOR_3GPP) {
            return parse_3gpp(v + 4, n - 4, off + 6, out, why, where);
        }
        break;
    default:
        break;
    }
    return 0;
}


int
gw_radius_parse(const uint8_t *buf, size_t len, struct gw_radius_acct *out,
    const char **why, size_t *where)
{
    size_t plen, off;
    int rc;

    memset(out, 0, sizeof(*out));
    out->rat_type = -1;
    if (len < GW_RADIUS_HDR_LEN) {
        return fail(why, where, "shorter than the 20-octet header", len,
            WSPGW_ETRUNC);
    }
    plen = get16(buf + 2);
    if (plen < GW_RADIUS_HDR_LEN || plen > GW_RADIUS_MAX_LEN) {
        return fail(why, where, "Length field outside 20..4096", 2,
            WSPGW_EPROTO);
    }
    if (plen > len) {
        return fail(why, where, "datagram shorter than its Length field",
            len, WSPGW_ETRUNC);
    }
    out->code = buf[0];
    out->id = buf[1];
    out->length = (uint16_t) plen;
    memcpy(out->auth, buf + 4, GW_RADIUS_AUTH_LEN);
    for (off = GW_RADIUS_HDR_LEN; off < plen; ) {
        uint8_t type, alen;

        if (plen - off < 2) {
            return fail(why, where, "truncated attribute header", off,
                WSPGW_EPROTO);
        }
        type = buf[off];
        alen = buf[off + 1];
        if (alen < 2) {
            return fail(why, where, "attribute length below 2", off,
                WSPGW_EPROTO);
        }
        if (alen > plen - off) {
            return fail(why, where, "attribute overruns the packet", off,
                WSPGW_EPROTO);
        }
        rc = parse_attr(type, buf + off + 2, (size_t) alen - 2, off, out,
            why, where);
        if (rc != 0) {
            return rc;
        }
        off += alen;
    }
    if (out->code != GW_RADIUS_ACCOUNTING_REQUEST) {
        return fail(why, where, "not an Accounting-Request", 0,
            WSPGW_ENOTSUP);
    }
    if (out->status == 0) {
        /* RFC 2866 5.1: every Accounting-Request carries one. */
        return fail(why, where, "no Acct-Status-Type", 0, WSPGW_EPROTO);
    }
    return 0;
}


/* MD5(buf[0..4) | auth | buf[20..len) | secret) into digest. */
static void
md5_packet(const uint8_t *buf, size_t len, const uint8_t *auth,
    const char *secret, size_t secret_len, uint8_t digest[MD5_DIGEST_SIZE])
{
    struct md5_ctx ctx;

    md5_init(&ctx);
    md5_update(&ctx, 4, buf);
    md5_update(&ctx, GW_RADIUS_AUTH_LEN, auth);
    if (len > GW_RADIUS_HDR_LEN) {
        md5_update(&ctx, len - GW_RADIUS_HDR_LEN, buf + GW_RADIUS_HDR_LEN);
    }
    md5_update(&ctx, secret_len, (const uint8_t *) secret);
    md5_digest(&ctx, MD5_DIGEST_SIZE, digest);
}


static int
equal_ct(const uint8_t *a, const uint8_t *b, size_t n)
{
    uint8_t d = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        d |= (uint8_t) (a[i] ^ b[i]);
    }
    return d == 0;
}


int
gw_radius_verify_request(const uint8_t *buf, size_t len, const char *secret,
    size_t secret_len)
{
    static const uint8_t zero[GW_RADIUS_AUTH_LEN];
    uint8_t digest[MD5_DIGEST_SIZE];
    size_t plen;

    if (len < GW_RADIUS_HDR_LEN) {
        return 0;
    }
    plen = get16(buf + 2);
    if (plen < GW_RADIUS_HDR_LEN || plen > len) {
        return 0;
    }
    md5_packet(buf, plen, zero, secret, secret_len, digest);
    return equal_ct(digest, buf + 4, GW_RADIUS_AUTH_LEN);
}


void
gw_radius_sign_request(uint8_t *buf, size_t len, const char *secret,
    size_t secret_len)
{
    static const uint8_t zero[GW_RADIUS_AUTH_LEN];
    uint8_t digest[MD5_DIGEST_SIZE];

    md5_packet(buf, len, zero, secret, secret_len, digest);
    memcpy(buf + 4, digest, GW_RADIUS_AUTH_LEN);
}


size_t
gw_radius_response(uint8_t out[GW_RADIUS_HDR_LEN], uint8_t id,
    const uint8_t req_auth[GW_RADIUS_AUTH_LEN], const char *secret,
    size_t secret_len)
{
    uint8_t digest[MD5_DIGEST_SIZE];

    out[0] = GW_RADIUS_ACCOUNTING_RESPONSE;
    out[1] = id;
    out[2] = 0;
    out[3] = GW_RADIUS_HDR_LEN;
    md5_packet(out, GW_RADIUS_HDR_LEN, req_auth, secret, secret_len,
        digest);
    memcpy(out + 4, digest, GW_RADIUS_AUTH_LEN);
    return GW_RADIUS_HDR_LEN;
}


int
gw_radius_response_ok(const uint8_t *buf, size_t len, uint8_t id,
    const uint8_t req_auth[GW_RADIUS_AUTH_LEN], const char *secret,
    size_t secret_len)
{
    uint8_t digest[MD5_DIGEST_SIZE];
    size_t plen;

    if (len < GW_RADIUS_HDR_LEN || buf[0] != GW_RADIUS_ACCOUNTING_RESPONSE
        || buf[1] != id)
    {
        return 0;
    }
    plen = get16(buf + 2);
    if (plen < GW_RADIUS_HDR_LEN || plen > len) {
        return 0;
    }
    md5_packet(buf, plen, req_auth, secret, secret_len, digest);
    return equal_ct(digest, buf + 4, GW_RADIUS_AUTH_LEN);
}


int
gw_radius_resign(const uint8_t *in, size_t len, uint8_t *out, size_t outcap,
    const char *secret, size_t secret_len)
{
    struct gw_radius_acct acct;
    size_t plen, off, o;

    if (gw_radius_parse(in, len, &acct, NULL, NULL) != 0) {
        return WSPGW_EPROTO;
    }
    plen = acct.length;
    if (outcap < plen) {
        return WSPGW_ENOSPC;
    }
    memcpy(out, in, GW_RADIUS_HDR_LEN);
    o = GW_RADIUS_HDR_LEN;
    for (off = GW_RADIUS_HDR_LEN; off < plen; off += in[off + 1]) {
        if (in[off] == GW_RADIUS_ATTR_MESSAGE_AUTHENTICATOR) {
            continue;
        }
        memcpy(out + o, in + off, in[off + 1]);
        o += in[off + 1];
    }
    out[2] = (uint8_t) (o >> 8);
    out[3] = (uint8_t) (o & 0xff);
    gw_radius_sign_request(out, o, secret, secret_len);
    return (int) o;
}


const char *
gw_radius_status_name(unsigned status, char *buf, size_t buflen)
{
    switch (status) {
#define XX(name, val, text) case (val): return (text);
    GW_RADIUS_STATUS_MAP(XX)
#undef XX
    default:
        break;
    }
    if (buf == NULL || buflen == 0) {
        return "unknown";
    }
    snprintf(buf, buflen, "unknown(%u)", status);
    return buf;
}
