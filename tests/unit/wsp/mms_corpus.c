/*
 * tests/unit/wsp/mms_corpus.c - writes MMS PDUs made by wsp/mms.c into a
 * pcap for tests/integration/test_tshark_mms.sh (issue 5): Wireshark's
 * MMSE dissector is the independent decoder.
 *
 * Usage: mms_corpus OUT.pcap OUT.expect
 *
 * Frames: m-notification-ind from wsp_mms_notification_ind_encode inside
 * a connectionless WSP Push (01 06 03 BE AF 84: Content-Type
 * application/vnd.wap.mms-message, X-Wap-Application-Id mms.ua), UDP
 * 9200 -> 2948, as the PPG will send it; m-send-conf from
 * wsp_mms_send_conf_encode inside a connectionless WSP Reply (01 04 20 01
 * BE), UDP 9200 -> 49152, as the gateway answers a refused m-send-req.
 *
 * OUT.expect has one line per frame, written from the inputs given to the
 * encoders (not from wspgw's decoder):
 *   FRAME|type|transaction-id|version|from|subject-hex|class|size|
 *   expiry-s|location|response-status|response-text
 * with empty fields where the PDU has no such header.  The subject is in
 * hex because tshark 4.0 prints UTF-8 subjects as Latin-1.
 *
 * Not a unit test: exit 1 only if an encoder fails.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/buf.h"
#include "wspgw/err.h"
#include "wspgw/mms.h"

static int
put_u32(FILE *f, uint32_t v)
{
    return fwrite(&v, 4, 1, f) == 1 ? 0 : -1;
}


/* One raw-IPv4/UDP frame 127.0.0.1:sport -> 127.0.0.1:dport. */
static int
write_frame(FILE *f, unsigned n, unsigned sport, unsigned dport,
    const uint8_t *p, size_t len)
{
    uint8_t h[28];
    size_t ip_len = 28 + len, udp_len = 8 + len;
    uint32_t sum = 0;
    unsigned i;

    memset(h, 0, sizeof(h));
    h[0] = 0x45;
    h[2] = (uint8_t) (ip_len >> 8);
    h[3] = (uint8_t) ip_len;
    h[8] = 64;
    h[9] = 17;
    h[12] = 127;
    h[15] = 1;
    h[16] = 127;
    h[19] = 1;
    for (i = 0; i < 20; i += 2) {
        sum += (uint32_t) (h[i] << 8 | h[i + 1]);
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    h[10] = (uint8_t) (~sum >> 8);
    h[11] = (uint8_t) ~sum;
    h[20] = (uint8_t) (sport >> 8);
    h[21] = (uint8_t) sport;
    h[22] = (uint8_t) (dport >> 8);
    h[23] = (uint8_t) dport;
    h[24] = (uint8_t) (udp_len >> 8);
    h[25] = (uint8_t) udp_len;
    if (put_u32(f, n) != 0 || put_u32(f, 0) != 0
        || put_u32(f, (uint32_t) ip_len) != 0
        || put_u32(f, (uint32_t) ip_len) != 0
        || fwrite(h, 1, sizeof(h), f) != sizeof(h)
        || fwrite(p, 1, len, f) != len)
    {
        return -1;
    }
    return 0;
}


static void
hex_of(const char *s, char *out, size_t max)
{
    size_t o = 0;

    out[0] = '\0';
    for (; s != NULL && *s != '\0' && o + 3 < max; s++) {
        o += (size_t) snprintf(out + o, max - o, "%02x",
            (unsigned char) *s);
    }
}


static const struct wsp_mms_notification notes[] = {
    /* mms.md section 7, From present. */
    { "T0001", 0x12, "+15551230000/TYPE=PLMN", NULL, 0x80, 30000, 604800,
      "http://mmsc.example.net/m/0001" },
    /* From NULL (insert-address-token), ASCII subject, 1.0. */
    { "tid-2", 0x10, NULL, "Holiday pictures", 0x81, 1, 60,
      "http://mmsc.example.net/m/2" },
    /* UTF-8 subject, e-mail From, Auto class, 1.3, large size. */
    { "0123456789abcdef0123456789abcdef", 0x13, "joe@example.com",
      "Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln", 0x83, 4000000000ULL, 86400,
      "http://mmsc.example.net/retrieve?id=0123456789abcdef&x=1" },
    /* A long From (0x1F + uintvar Value-length), Informational, 1.1. */
    { "T4", 0x11, "+1555000000000000000000000000000000000000/TYPE=PLMN",
      "\xc3\xa9t\xc3\xa9", 0x82, 307200, 1209600, "http://m/4" },
};

static const struct {
    const char *tid;
    unsigned version;
    unsigned status;
    const char *text;
} confs[] = {
    { "T0001", 0x12, WSP_MMS_RS_PERMANENT_CONTENT_NOT_ACCEPTED,
      "wspgw: message too large (400000 octets; at most 307200)" },
    { "tid-2", 0x10, WSP_MMS_RS_TRANSIENT_FAILURE,
      "wspgw: too many messages; try again in 60 s" },
    { "x", 0x13, WSP_MMS_RS_OK, NULL },
};


int
main(int argc, char **argv)
{
    static const uint8_t push[] = { 0x01, 0x06, 0x03, 0xBE, 0xAF, 0x84 };
    static const uint8_t reply[] = { 0x01, 0x04, 0x20, 0x01, 0xBE };
    struct wspgw_buf b;
    FILE *pcap, *exp;
    unsigned frame = 1;
    size_t i;
    char subj[200];

    if (argc != 3) {
        fprintf(stderr, "usage: mms_corpus OUT.pcap OUT.expect\n");
        return 2;
    }
    pcap = fopen(argv[1], "wb");
    exp = fopen(argv[2], "w");
    if (pcap == NULL || exp == NULL) {
        perror("mms_corpus");
        return 1;
    }
    if (put_u32(pcap, 0xa1b2c3d4u) != 0 || put_u32(pcap, 0x00040002u) != 0
        || put_u32(pcap, 0) != 0 || put_u32(pcap, 0) != 0
        || put_u32(pcap, 65535) != 0 || put_u32(pcap, 101) != 0)
    {
        return 1;
    }
    wspgw_buf_init(&b, 65000);
    for (i = 0; i < sizeof(notes) / sizeof(notes[0]); i++) {
        const struct wsp_mms_notification *n = &notes[i];

        wspgw_buf_reset(&b);
        if (wspgw_buf_append(&b, push, sizeof(push)) != 0
            || wsp_mms_notification_ind_encode(n, &b) != 0
            || write_frame(pcap, frame, 9200, 2948, b.data, b.len) != 0)
        {
            fprintf(stderr, "mms_corpus: notification %zu failed\n", i);
            return 1;
        }
        hex_of(n->subject, subj, sizeof(subj));
        fprintf(exp, "%u|0x82|%s|%u.%u|%s|%s|0x%02x|%llu|%llu|%s||\n",
            frame++, n->transaction_id, n->version >> 4, n->version & 15,
            n->from != NULL ? n->from : "<insert address>", subj,
            n->message_class, (unsigned long long) n->size,
            (unsigned long long) n->expiry_s, n->location);
    }
    for (i = 0; i < sizeof(confs) / sizeof(confs[0]); i++) {
        wspgw_buf_reset(&b);
        if (wspgw_buf_append(&b, reply, sizeof(reply)) != 0
            || wsp_mms_send_conf_encode(confs[i].tid, confs[i].version,
                confs[i].status, confs[i].text, &b) != 0
            || write_frame(pcap, frame, 9200, 49152, b.data, b.len) != 0)
        {
            fprintf(stderr, "mms_corpus: send-conf %zu failed\n", i);
            return 1;
        }
        fprintf(exp, "%u|0x81|%s|%u.%u|||||||0x%02x|%s\n", frame++,
            confs[i].tid, confs[i].version >> 4, confs[i].version & 15,
            confs[i].status, confs[i].text != NULL ? confs[i].text : "");
    }
    wspgw_buf_free(&b);
    if (fclose(pcap) != 0 || fclose(exp) != 0) {
        return 1;
    }
    printf("%u\n", frame - 1);
    return 0;
}
