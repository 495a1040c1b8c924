/*
 * gateway/push_enc.c - the Push PDU and WDP over SMS (see push_enc.h).
 *
 * The WSP codec (wsp/) does the encoding of values: wsp_ctype_encode for
 * the Content-Type, wsp_hdr_encode for X-Wap-Application-Id and
 * Content-Length, wsp_push_encode for the PDU layout.  This file only
 * decides which headers a push carries and cuts the PDU into SMS.
 *
 * Encoding version: a push has no negotiated version (there is no
 * session), so values are encoded as WSP 1.4 knows them: that is the
 * version that assigned application/vnd.wap.mms-message (0x3E), which
 * every MMS handset understands, and it has X-Wap-Application-Id (1.2).
 */
#include <stdio.h>
#include <string.h>

#include "wspgw/err.h"
#include "wspgw/wsp.h"
#include "push_enc.h"

#define PUSH_ENC WSP_ENC_1_4

/* UDH sizes including the UDHL octet (push.md 6). */
#define UDH_PORTS 7             /* 06 05 04 dp dp sp sp */
#define UDH_CONCAT8 12          /* + 00 03 ref total n */
#define UDH_CONCAT16 13         /* + 08 04 ref ref total n */


int
gw_push_pdu_build(struct wspgw_buf *out, uint8_t tid,
    const char *content_type, const char *app_id, int minimal,
    const uint8_t *body, size_t body_len)
{
    struct wspgw_buf ct, hd;
    size_t start = out->len;
    char num[24];
    int rc;

    wspgw_buf_init(&ct, 1024);
    wspgw_buf_init(&hd, 1024);
    rc = wsp_ctype_encode(content_type, PUSH_ENC, &ct);
    if (rc == 0 && app_id != NULL && app_id[0] != '\0') {
        rc = wsp_hdr_encode("X-Wap-Application-Id", app_id, PUSH_ENC, &hd);
    }
    if (rc == 0 && !minimal) {
        snprintf(num, sizeof(num), "%zu", body_len);
        rc = wsp_hdr_encode("Content-Length", num, PUSH_ENC, &hd);
    }
    if (rc == 0) {
        rc = wsp_push_encode(out, 1, tid, ct.data, ct.len, hd.data, hd.len,
            body, body_len);
    }
    wspgw_buf_free(&ct);
    wspgw_buf_free(&hd);
    if (rc != 0) {
        out->len = start;
    }
    return rc;
}


static size_t
per_part(unsigned count, int ref16)
{
    if (count <= 1) {
        return GW_SMS_UD_MAX - UDH_PORTS;
    }
    return GW_SMS_UD_MAX - (ref16 ? UDH_CONCAT16 : UDH_CONCAT8);
}


unsigned
gw_wdp_sms_count(size_t len, int ref16)
{
    size_t each;

    if (len == 0) {
        return 0;
    }
    if (len <= per_part(1, ref16)) {
        return 1;
    }
    each = per_part(2, ref16);
    if (len / each + 1 > 100000) {
        return 100000;          /* far more than any SMS chain */
    }
    return (unsigned) ((len + each - 1) / each);
}


int
gw_wdp_sms_split(const uint8_t *dgram, size_t len, uint16_t dport,
    uint16_t sport, unsigned ref, int ref16, struct gw_sms_part *parts,
    unsigned max, unsigned *n)
{
    unsigned count = gw_wdp_sms_count(len, ref16), i;
    size_t each, off = 0;

    *n = 0;
    if (len == 0) {
        return WSPGW_EINVAL;
    }
    if (count > max || count > GW_SMS_PARTS_MAX) {
        return WSPGW_EMSGSIZE;
    }
    each = per_part(count, ref16);
    for (i = 0; i < count; i++) {
        struct gw_sms_part *p = &parts[i];
        size_t take = len - off < each ? len - off : each;
        uint8_t *u = p->ud;
        size_t h = 1;

        /* Application port addressing, 16-bit (IEI 0x05, length 4). */
        u[h++] = 0x05;
        u[h++] = 0x04;
        u[h++] = (uint8_t) (dport >> 8);
        u[h++] = (uint8_t) dport;
        u[h++] = (uint8_t) (sport >> 8);
        u[h++] = (uint8_t) sport;
        if (count > 1 && !ref16) {
            /* Concatenated SM, 8-bit reference (IEI 0x00, length 3). */
            u[h++] = 0x00;
            u[h++] = 0x03;
            u[h++] = (uint8_t) ref;
            u[h++] = (uint8_t) count;
            u[h++] = (uint8_t) (i + 1);
        } else if (count > 1) {
            /* Concatenated SM, 16-bit reference (IEI 0x08, length 4). */
            u[h++] = 0x08;
            u[h++] = 0x04;
            u[h++] = (uint8_t) (ref >> 8);
            u[h++] = (uint8_t) ref;
            u[h++] = (uint8_t) count;
            u[h++] = (uint8_t) (i + 1);
        }
        u[0] = (uint8_t) (h - 1);
        memcpy(u + h, dgram + off, take);
        p->len = h + take;
        off += take;
    }
    *n = count;
    return 0;
}
