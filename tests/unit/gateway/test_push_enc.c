/*
 * tests/unit/gateway/test_push_enc.c - the Push PDU, WDP over SMS and
 * SMPP PDUs, with exact bytes (shared/reference/push.md 5-7).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/wsp.h"
#include "push_enc.h"
#include "smpp_pdu.h"


static void
assert_bytes(const uint8_t *got, size_t got_len, const uint8_t *want,
    size_t want_len)
{
    size_t i;

    ck_assert_uint_eq(got_len, want_len);
    for (i = 0; i < want_len; i++) {
        ck_assert_msg(got[i] == want[i], "octet %zu: got %02x want %02x", i,
            got[i], want[i]);
    }
}


START_TEST(push_mms_minimal)
{
    static const uint8_t body[] = { 0x8c, 0x82, 0x98, 0x41, 0x00 };
    static const uint8_t want[] = { 0x01, 0x06, 0x03, 0xbe, 0xaf, 0x84,
        0x8c, 0x82, 0x98, 0x41, 0x00 };
    struct wspgw_buf b;
    struct wsp_pdu p;

    wspgw_buf_init(&b, 1024);
    ck_assert_int_eq(gw_push_pdu_build(&b, 0x01,
        "application/vnd.wap.mms-message", "x-wap-application:mms.ua", 1,
        body, sizeof(body)), 0);
    assert_bytes(b.data, b.len, want, sizeof(want));
    /* Our own decoder agrees. */
    ck_assert_int_eq(wsp_pdu_decode(b.data, b.len, 1, &p), 0);
    ck_assert_int_eq(p.type, WSP_PDU_PUSH);
    ck_assert_uint_eq(p.data_len, sizeof(body));
    wspgw_buf_free(&b);
}
END_TEST


START_TEST(push_si_sl_full)
{
    static const uint8_t body[] = { 0x02, 0x05, 0x6a, 0x00 };
    static const uint8_t want_si[] = { 0x10, 0x06, 0x05, 0xae, 0xaf, 0x82,
        0x8d, 0x84, 0x02, 0x05, 0x6a, 0x00 };
    static const uint8_t want_sl[] = { 0x11, 0x06, 0x01, 0xb0,
        0x02, 0x05, 0x6a, 0x00 };
    struct wspgw_buf b;

    wspgw_buf_init(&b, 1024);
    /* Not minimal: Content-Length (0x8D, short integer 4) follows. */
    ck_assert_int_eq(gw_push_pdu_build(&b, 0x10, "application/vnd.wap.sic",
        "x-wap-application:wml.ua", 0, body, sizeof(body)), 0);
    assert_bytes(b.data, b.len, want_si, sizeof(want_si));
    wspgw_buf_reset(&b);
    /* No application id: the header is left out (wml.ua is implied). */
    ck_assert_int_eq(gw_push_pdu_build(&b, 0x11, "application/vnd.wap.slc",
        NULL, 1, body, sizeof(body)), 0);
    assert_bytes(b.data, b.len, want_sl, sizeof(want_sl));
    wspgw_buf_free(&b);
}
END_TEST


START_TEST(push_text_values)
{
    static const uint8_t want[] = { 0x07, 0x06, 0x1d,
        'a', 'p', 'p', 'l', 'i', 'c', 'a', 't', 'i', 'o', 'n', '/', 'x',
        '-', 'f', 'o', 'o', 0x00,
        0xaf, 'x', '-', 'c', 'o', 'm', ':', 'a', 'p', 'p', 0x00,
        'B' };
    struct wspgw_buf b;

    wspgw_buf_init(&b, 1024);
    ck_assert_int_eq(gw_push_pdu_build(&b, 0x07, "application/x-foo",
        "x-com:app", 1, (const uint8_t *) "B", 1), 0);
    assert_bytes(b.data, b.len, want, sizeof(want));
    wspgw_buf_reset(&b);
    ck_assert_int_eq(gw_push_pdu_build(&b, 0x07, "", NULL, 1,
        (const uint8_t *) "B", 1), WSPGW_EINVAL);
    ck_assert_uint_eq(b.len, 0);
    wspgw_buf_free(&b);
    /* A buffer too small: an error, and nothing left behind. */
    wspgw_buf_init(&b, 4);
    ck_assert_int_eq(gw_push_pdu_build(&b, 0x07, "application/x-foo", NULL,
        1, (const uint8_t *) "B", 1), WSPGW_EMSGSIZE);
    ck_assert_uint_eq(b.len, 0);
    wspgw_buf_free(&b);
}
END_TEST


static uint8_t dgram[40000];


static void
fill(size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        dgram[i] = (uint8_t) (i * 7 + 1);
    }
}


START_TEST(wdp_single)
{
    static const uint8_t udh[] = { 0x06, 0x05, 0x04, 0x0b, 0x84, 0x23,
        0xf0 };
    struct gw_sms_part parts[4];
    unsigned n;

    fill(133);
    ck_assert_uint_eq(gw_wdp_sms_count(133, 0), 1);
    ck_assert_int_eq(gw_wdp_sms_split(dgram, 133, 2948, 9200, 0x1234, 0,
        parts, 4, &n), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(parts[0].len, 140);
    assert_bytes(parts[0].ud, 7, udh, sizeof(udh));
    ck_assert_int_eq(memcmp(parts[0].ud + 7, dgram, 133), 0);
    ck_assert_int_eq(gw_wdp_sms_split(dgram, 0, 2948, 9200, 1, 0, parts, 4,
        &n), WSPGW_EINVAL);
}
END_TEST


START_TEST(wdp_concat8)
{
    static const uint8_t udh1[] = { 0x0b, 0x05, 0x04, 0x0b, 0x84, 0x23,
        0xf0, 0x00, 0x03, 0x34, 0x02, 0x01 };
    static const uint8_t udh2[] = { 0x0b, 0x05, 0x04, 0x0b, 0x84, 0x23,
        0xf0, 0x00, 0x03, 0x34, 0x02, 0x02 };
    struct gw_sms_part parts[4];
    unsigned n;

    fill(204);
    ck_assert_uint_eq(gw_wdp_sms_count(134, 0), 2);
    ck_assert_int_eq(gw_wdp_sms_split(dgram, 204, 2948, 9200, 0x1234, 0,
        parts, 4, &n), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(parts[0].len, 140);
    ck_assert_uint_eq(parts[1].len, 12 + 76);
    assert_bytes(parts[0].ud, 12, udh1, sizeof(udh1));
    assert_bytes(parts[1].ud, 12, udh2, sizeof(udh2));
    ck_assert_int_eq(memcmp(parts[0].ud + 12, dgram, 128), 0);
    ck_assert_int_eq(memcmp(parts[1].ud + 12, dgram + 128, 76), 0);
    /* Not enough room for the parts. */
    ck_assert_int_eq(gw_wdp_sms_split(dgram, 204, 2948, 9200, 1, 0, parts,
        1, &n), WSPGW_EMSGSIZE);
}
END_TEST


START_TEST(wdp_concat16)
{
    static const uint8_t udh1[] = { 0x0c, 0x05, 0x04, 0x0b, 0x84, 0x23,
        0xf0, 0x08, 0x04, 0x12, 0x34, 0x02, 0x01 };
    struct gw_sms_part parts[4];
    unsigned n;

    fill(204);
    ck_assert_int_eq(gw_wdp_sms_split(dgram, 204, 2948, 9200, 0x1234, 1,
        parts, 4, &n), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(parts[0].len, 140);
    ck_assert_uint_eq(parts[1].len, 13 + 77);
    assert_bytes(parts[0].ud, 13, udh1, sizeof(udh1));
    ck_assert_int_eq(parts[1].ud[12], 2);
}
END_TEST


START_TEST(wdp_max_parts)
{
    static struct gw_sms_part parts[255];
    unsigned n;

    fill(sizeof(dgram));
    ck_assert_uint_eq(gw_wdp_sms_count(128 * 255, 0), 255);
    ck_assert_int_eq(gw_wdp_sms_split(dgram, 128 * 255, 2948, 9200, 9, 0,
        parts, 255, &n), 0);
    ck_assert_uint_eq(n, 255);
    ck_assert_int_eq(parts[254].ud[11], 255);
    ck_assert_int_eq(gw_wdp_sms_split(dgram, 128 * 255 + 1, 2948, 9200, 9,
        0, parts, 255, &n), WSPGW_EMSGSIZE);
}
END_TEST


START_TEST(smpp_submit_bytes)
{
    static const uint8_t ud[] = { 0x06, 0x05, 0x04, 0x0b, 0x84, 0x23, 0xf0,
        0x01, 0x06 };
    static const uint8_t want[] = {
        0x00, 0x00, 0x00, 0x35, 0x00, 0x00, 0x00, 0x04,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07,
        0x00,                                   /* service_type "" */
        0x01, 0x01, '1', '2', '3', 0x00,        /* source */
        0x01, 0x01, '+', '1', '5', '5', '5', '5', '0', '1', 0x00,
        0x40, 0x00, 0x00,                       /* esm, pid, priority */
        0x00, 0x00,                             /* schedule, validity */
        0x01, 0x00, 0xf5, 0x00,                 /* receipt, replace, dcs */
        0x09,
        0x06, 0x05, 0x04, 0x0b, 0x84, 0x23, 0xf0, 0x01, 0x06 };
    struct gw_smpp_submit s;
    struct gw_smpp_hdr h;
    uint8_t buf[512];
    int n;

    memset(&s, 0, sizeof(s));
    s.src_ton = 1;
    s.src_npi = 1;
    s.src_addr = "123";
    s.dst_ton = 1;
    s.dst_npi = 1;
    s.dst_addr = "+1555501";
    s.esm_class = GW_SMPP_ESM_UDHI;
    s.registered_delivery = 1;
    s.data_coding = 0xf5;
    s.sm = ud;
    s.sm_len = sizeof(ud);
    n = gw_smpp_build_submit(buf, sizeof(buf), 7, &s);
    ck_assert_int_gt(n, 0);
    assert_bytes(buf, (size_t) n, want, sizeof(want));
    ck_assert_int_eq(gw_smpp_frame(buf, (size_t) n), n);
    ck_assert_int_eq(gw_smpp_frame(buf, (size_t) n - 1), 0);
    gw_smpp_hdr_read(buf, &h);
    ck_assert_uint_eq(h.id, GW_SMPP_SUBMIT_SM);
    ck_assert_uint_eq(h.seq, 7);
    /* Too long for SMPP fields. */
    s.dst_addr = "+123456789012345678901";
    ck_assert_int_eq(gw_smpp_build_submit(buf, sizeof(buf), 8, &s),
        WSPGW_EINVAL);
    s.dst_addr = "+1";
    s.sm_len = 255;
    ck_assert_int_eq(gw_smpp_build_submit(buf, sizeof(buf), 8, &s),
        WSPGW_EINVAL);
}
END_TEST


START_TEST(smpp_bind_and_header)
{
    static const uint8_t want_bind[] = {
        0x00, 0x00, 0x00, 0x25, 0x00, 0x00, 0x00, 0x09,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
        'w', 's', 'p', 'g', 'w', 0x00, 's', 'e', 'c', 'r', 'e', 't', 0x00,
        'W', 'A', 'P', 0x00, 0x34, 0x00, 0x00, 0x00 };
    static const uint8_t want_el[] = {
        0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x15,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02 };
    struct gw_smpp_bind b;
    uint8_t buf[256];
    int n;

    memset(&b, 0, sizeof(b));
    b.transceiver = 1;
    b.system_id = "wspgw";
    b.password = "secret";
    b.system_type = "WAP";
    n = gw_smpp_build_bind(buf, sizeof(buf), 1, &b);
    ck_assert_int_gt(n, 0);
    assert_bytes(buf, (size_t) n, want_bind, sizeof(want_bind));
    b.password = "123456789";
    ck_assert_int_eq(gw_smpp_build_bind(buf, sizeof(buf), 1, &b),
        WSPGW_EINVAL);
    n = gw_smpp_build_header(buf, sizeof(buf), GW_SMPP_ENQUIRE_LINK, 0, 2);
    assert_bytes(buf, (size_t) n, want_el, sizeof(want_el));
    ck_assert_int_eq(gw_smpp_build_header(buf, sizeof(buf),
        GW_SMPP_SUBMIT_SM, 0, 2), WSPGW_EINVAL);
    n = gw_smpp_build_deliver_resp(buf, sizeof(buf), 0, 9);
    ck_assert_int_eq(n, 17);
    ck_assert_int_eq(buf[7], 0x05);
    ck_assert_int_eq(buf[4], 0x80);
}
END_TEST


START_TEST(smpp_frame_limits)
{
    uint8_t b[8] = { 0x00, 0x00, 0x00, 0x0f, 0, 0, 0, 0 };

    ck_assert_int_eq(gw_smpp_frame(b, 3), 0);
    ck_assert_int_eq(gw_smpp_frame(b, 8), WSPGW_EPROTO);
    b[3] = 0x10;
    ck_assert_int_eq(gw_smpp_frame(b, 8), 0);
    b[2] = 0x10;        /* 4112 > GW_SMPP_PDU_MAX */
    ck_assert_int_eq(gw_smpp_frame(b, 8), WSPGW_EPROTO);
    b[0] = 0xff;
    ck_assert_int_eq(gw_smpp_frame(b, 8), WSPGW_EPROTO);
}
END_TEST


/* A deliver_sm carrying a receipt, built by hand. */
static size_t
receipt_pdu(uint8_t *p, const char *text, int with_tlv)
{
    size_t n = 16, tl = strlen(text);
    static const char src[] = "+15550001";

    memset(p, 0, 16);
    p[7] = 0x05;
    p[15] = 0x03;
    p[n++] = 0;                         /* service_type */
    p[n++] = 1;
    p[n++] = 1;
    memcpy(p + n, src, sizeof(src));
    n += sizeof(src);
    p[n++] = 1;
    p[n++] = 1;
    memcpy(p + n, "123", 4);
    n += 4;
    p[n++] = 0x04;                      /* esm_class: receipt */
    p[n++] = 0;
    p[n++] = 0;
    p[n++] = 0;
    p[n++] = 0;
    p[n++] = 0;
    p[n++] = 0;
    p[n++] = 0x00;                      /* data_coding */
    p[n++] = 0;
    p[n++] = (uint8_t) tl;
    memcpy(p + n, text, tl);
    n += tl;
    if (with_tlv) {
        p[n++] = 0x00;
        p[n++] = 0x1e;
        p[n++] = 0x00;
        p[n++] = 0x04;
        memcpy(p + n, "tlv", 4);
        n += 4;
        p[n++] = 0x04;
        p[n++] = 0x27;
        p[n++] = 0x00;
        p[n++] = 0x01;
        p[n++] = GW_SMPP_STATE_UNDELIVERABLE;
    }
    p[2] = (uint8_t) (n >> 8);
    p[3] = (uint8_t) n;
    return n;
}


START_TEST(smpp_receipts)
{
    struct gw_smpp_deliver d;
    uint8_t p[512];
    size_t n, i;

    n = receipt_pdu(p, "id:A1B2 sub:001 dlvrd:001 submit date:2611250000 "
        "done date:2611250001 stat:DELIVRD err:000 text:", 0);
    ck_assert_int_eq(gw_smpp_read_deliver(p, n, &d), 0);
    ck_assert(d.is_receipt);
    ck_assert_str_eq(d.msg_id, "A1B2");
    ck_assert_str_eq(d.source, "+15550001");
    ck_assert_int_eq(d.message_state, GW_SMPP_STATE_DELIVERED);

    /* TLVs win over the text. */
    n = receipt_pdu(p, "id:A1B2 stat:DELIVRD", 1);
    ck_assert_int_eq(gw_smpp_read_deliver(p, n, &d), 0);
    ck_assert_str_eq(d.msg_id, "tlv");
    ck_assert_int_eq(d.message_state, GW_SMPP_STATE_UNDELIVERABLE);

    /* Every truncation is an error, never a read past the end. */
    for (i = 0; i < n; i++) {
        uint8_t *copy = malloc(i > 0 ? i : 1);

        memcpy(copy, p, i);
        ck_assert_int_lt(gw_smpp_read_deliver(copy, i, &d), 0);
        free(copy);
    }
    /* A C-string with no NUL inside its field. */
    n = receipt_pdu(p, "x", 0);
    memset(p + 19, 'A', 30);
    ck_assert_int_lt(gw_smpp_read_deliver(p, n, &d), 0);
}
END_TEST


START_TEST(smpp_resp_body)
{
    uint8_t p[100];
    char id[66];

    memset(p, 0, sizeof(p));
    memcpy(p + 16, "abc", 4);
    ck_assert_int_eq(gw_smpp_read_cstr_body(p, 20, id, sizeof(id)), 0);
    ck_assert_str_eq(id, "abc");
    ck_assert_int_eq(gw_smpp_read_cstr_body(p, 16, id, sizeof(id)), 0);
    ck_assert_str_eq(id, "");
    ck_assert_int_eq(gw_smpp_read_cstr_body(p, 19, id, sizeof(id)),
        WSPGW_EPROTO);
    memset(p + 16, 'x', 80);
    ck_assert_int_eq(gw_smpp_read_cstr_body(p, 96, id, sizeof(id)),
        WSPGW_EPROTO);
    ck_assert(gw_smpp_status_temporary(0x58));
    ck_assert(gw_smpp_status_temporary(0x14));
    ck_assert(!gw_smpp_status_temporary(0x0b));
    ck_assert_str_eq(gw_smpp_status_name(0x58), "ESME_RTHROTTLED");
    ck_assert_str_eq(gw_smpp_status_name(0x1234), "0x00001234");
}
END_TEST


START_TEST(push_oom_loop)
{
    static const uint8_t body[] = { 0x8c, 0x82 };
    struct wspgw_buf b;
    long n;
    int rc, ok = 0;

    for (n = 0; n < 40; n++) {
        wspgw_buf_init(&b, 1024);
        wspgw_alloc_fail_after(n);
        rc = gw_push_pdu_build(&b, 1, "application/vnd.wap.mms-message",
            "x-wap-application:mms.ua", 0, body, sizeof(body));
        wspgw_alloc_fail_after(-1);
        ck_assert(rc == 0 || rc == WSPGW_ENOMEM);
        if (rc != 0) {
            ck_assert_uint_eq(b.len, 0);
        } else {
            ok++;
        }
        wspgw_buf_free(&b);
    }
    ck_assert_int_gt(ok, 0);
}
END_TEST


START_TEST(smpp_deliver_garbage)
{
    struct gw_smpp_deliver d;
    uint8_t p[300];
    unsigned seed = 12345, i, round;

    /* Random bodies under a valid header: errors or a parse, never a
     * read outside p (ASan build). */
    for (round = 0; round < 20000; round++) {
        size_t len = 16 + (seed >> 8) % 280;

        for (i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            p[i] = (uint8_t) (seed >> 16);
        }
        p[0] = 0;
        p[1] = 0;
        p[2] = (uint8_t) (len >> 8);
        p[3] = (uint8_t) len;
        (void) gw_smpp_read_deliver(p, len, &d);
        ck_assert(strlen(d.msg_id) < sizeof(d.msg_id));
    }
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("push_enc");
    TCase *tc = tcase_create("push_enc");

    tcase_add_test(tc, push_mms_minimal);
    tcase_add_test(tc, push_si_sl_full);
    tcase_add_test(tc, push_text_values);
    tcase_add_test(tc, wdp_single);
    tcase_add_test(tc, wdp_concat8);
    tcase_add_test(tc, wdp_concat16);
    tcase_add_test(tc, wdp_max_parts);
    tcase_add_test(tc, smpp_submit_bytes);
    tcase_add_test(tc, smpp_bind_and_header);
    tcase_add_test(tc, smpp_frame_limits);
    tcase_add_test(tc, smpp_receipts);
    tcase_add_test(tc, smpp_resp_body);
    tcase_add_test(tc, push_oom_loop);
    tcase_add_test(tc, smpp_deliver_garbage);
    suite_add_tcase(s, tc);
    return s;
}


int
main(void)
{
    SRunner *sr = srunner_create(suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
