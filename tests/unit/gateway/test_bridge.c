/*
 * tests/unit/gateway/test_bridge.c - WSP request -> HTTP headers, HTTP
 * response -> WSP Reply (gateway/bridge.c).
 *
 * Expected bytes follow WAP-230 8.2.3.3 (Reply) and the assigned numbers
 * in ../shared/reference/wsp-headers.md (tshark-verified).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/err.h"
#include "wspgw/wsp.h"
#include "bridge.h"


static void
assert_bytes(const struct wspgw_buf *b, const uint8_t *want, size_t n)
{
    size_t i;

    ck_assert_uint_eq(b->len, n);
    for (i = 0; i < n; i++) {
        ck_assert_msg(b->data[i] == want[i], "octet %zu: %02x, want %02x",
            i, b->data[i], want[i]);
    }
}


START_TEST(test_request_headers)
{
    /* TID 1, Post, URI "http://h/", HeadersLen, ctype mms-message,
     * Accept wmlc, User-Agent "UA", Encoding-Version 1.3,
     * Connection: close; body "xy". */
    static const uint8_t dgram[] = {
        0x01, 0x60, 0x09, 0x0b,
        'h', 't', 't', 'p', ':', '/', '/', 'h', '/',
        0xbe, 0x80, 0x94, 0xa9, 'U', 'A', 0x00, 0xc3, 0x93, 0x89, 0x80,
        'x', 'y'
    };
    struct wsp_pdu pdu;
    struct wsp_hdrs h;
    unsigned enc = 0, skipped = 0;
    int i;

    ck_assert_int_eq(wsp_pdu_decode(dgram, sizeof(dgram), 1, &pdu), 0);
    ck_assert_uint_eq(pdu.type, WSP_PDU_POST);
    ck_assert_uint_eq(pdu.data_len, 2);
    wsp_hdrs_init(&h, 4096);
    ck_assert_int_eq(gw_bridge_request_headers(&pdu, &h, &enc, &skipped), 0);
    ck_assert_uint_eq(enc, WSP_ENC_1_3);
    i = wsp_hdrs_find(&h, "Content-Type");
    ck_assert_int_ge(i, 0);
    ck_assert_str_eq(wsp_hdrs_value(&h, (unsigned) i),
        "application/vnd.wap.mms-message");
    i = wsp_hdrs_find(&h, "Accept");
    ck_assert_int_ge(i, 0);
    ck_assert_str_eq(wsp_hdrs_value(&h, (unsigned) i),
        "application/vnd.wap.wmlc");
    i = wsp_hdrs_find(&h, "User-Agent");
    ck_assert_int_ge(i, 0);
    ck_assert_str_eq(wsp_hdrs_value(&h, (unsigned) i), "UA");
    ck_assert_int_eq(wsp_hdrs_find(&h, "Connection"), -1);
    ck_assert_int_eq(wsp_hdrs_find(&h, "Encoding-Version"), -1);
    ck_assert_uint_eq(h.n, 3);
    wsp_hdrs_free(&h);
}
END_TEST


START_TEST(test_reply)
{
    static const uint8_t want[] = {
        0x01, 0x04, 0x20, 0x09, 0x03, 0x83, 0x81, 0xea,
        0xa6, 'x', 0x00, 0x8d, 0x82, 'h', 'i'
    };
    struct wsp_hdrs h;
    struct wspgw_buf out;
    unsigned dropped = 9;

    wsp_hdrs_init(&h, 4096);
    ck_assert_int_eq(wsp_hdrs_add(&h, "Content-Type", 12,
        "text/plain; charset=utf-8", 25), 0);
    ck_assert_int_eq(wsp_hdrs_add(&h, "Connection", 10, "keep-alive", 10),
        0);
    ck_assert_int_eq(wsp_hdrs_add(&h, "Server", 6, "x", 1), 0);
    ck_assert_int_eq(wsp_hdrs_add(&h, "Transfer-Encoding", 17, "chunked", 7),
        0);
    ck_assert_int_eq(wsp_hdrs_add(&h, "Content-Length", 14, "99", 2), 0);
    wspgw_buf_init(&out, 65507);
    ck_assert_int_eq(gw_bridge_reply(&out, 1, 1, 200, &h,
        (const uint8_t *) "hi", 2, WSP_ENC_1_2, &dropped), 0);
    ck_assert_uint_eq(dropped, 0);
    assert_bytes(&out, want, sizeof(want));
    wspgw_buf_free(&out);
    wsp_hdrs_free(&h);
}
END_TEST


START_TEST(test_reply_without_content_type)
{
    struct wspgw_buf out;
    struct wsp_pdu pdu;
    unsigned dropped;

    wspgw_buf_init(&out, 65507);
    ck_assert_int_eq(gw_bridge_reply(&out, 1, 7, 404, NULL, NULL, 0,
        WSP_ENC_1_2, &dropped), 0);
    ck_assert_int_eq(wsp_pdu_decode(out.data, out.len, 1, &pdu), 0);
    ck_assert_uint_eq(pdu.tid, 7);
    ck_assert_uint_eq(pdu.type, WSP_PDU_REPLY);
    ck_assert_uint_eq(pdu.status, 0x44);
    /* 0x5A has no encoding version ("TBD"): sent as text. */
    ck_assert_uint_eq(pdu.ctype_len, 25);
    ck_assert(memcmp(pdu.ctype, "application/octet-stream", 25) == 0);
    wspgw_buf_free(&out);
}
END_TEST


START_TEST(test_head_keeps_length)
{
    /* HEAD: no body, the upstream's Content-Length (5) is kept. */
    static const uint8_t want[] = { 0x09, 0x04, 0x20, 0x03, 0x83, 0x8d, 0x85 };
    struct wsp_hdrs h;
    struct wspgw_buf out;
    unsigned dropped;

    wsp_hdrs_init(&h, 4096);
    ck_assert_int_eq(wsp_hdrs_add(&h, "Content-Type", 12, "text/plain", 10),
        0);
    ck_assert_int_eq(wsp_hdrs_add(&h, "Content-Length", 14, "5", 1), 0);
    wspgw_buf_init(&out, 65507);
    ck_assert_int_eq(gw_bridge_reply(&out, 1, 9, 200, &h, NULL, 0,
        WSP_ENC_1_2, &dropped), 0);
    assert_bytes(&out, want, sizeof(want));
    /* A nonsense length from the upstream is replaced by the truth. */
    wsp_hdrs_reset(&h);
    ck_assert_int_eq(wsp_hdrs_add(&h, "Content-Length", 14, "5x", 2), 0);
    wspgw_buf_reset(&out);
    ck_assert_int_eq(gw_bridge_reply(&out, 1, 9, 200, &h, NULL, 0,
        WSP_ENC_1_2, &dropped), 0);
    ck_assert_uint_eq(out.data[out.len - 1], 0x80);
    wspgw_buf_free(&out);
    wsp_hdrs_free(&h);
}
END_TEST


START_TEST(test_error_reply)
{
    struct wspgw_buf out;
    struct wsp_pdu pdu;

    wspgw_buf_init(&out, 65507);
    ck_assert_int_eq(gw_bridge_error_reply(&out, 1, 3, 403, "no\n"), 0);
    ck_assert_int_eq(wsp_pdu_decode(out.data, out.len, 1, &pdu), 0);
    ck_assert_uint_eq(pdu.status, 0x43);
    ck_assert_uint_eq(pdu.ctype_len, 1);
    ck_assert_uint_eq(pdu.ctype[0], 0x83);          /* text/plain */
    ck_assert_uint_eq(pdu.data_len, 3);
    ck_assert(memcmp(pdu.data, "no\n", 3) == 0);
    wspgw_buf_free(&out);
}
END_TEST


START_TEST(test_reply_too_large)
{
    struct wspgw_buf out;
    uint8_t *body = calloc(1, 70000);
    unsigned dropped;

    wspgw_buf_init(&out, 65507);
    ck_assert_int_eq(gw_bridge_reply(&out, 1, 1, 200, NULL, body, 70000,
        WSP_ENC_1_2, &dropped), WSPGW_EMSGSIZE);
    wspgw_buf_free(&out);
    free(body);
}
END_TEST


START_TEST(test_session_headers)
{
    /* Session: User-Agent "S", Accept-Language en, Connection close.
     * Request already has User-Agent "R". */
    static const uint8_t sess[] = {
        0xa9, 'S', 0x00, 0x83, 0x99, 0x89, 0x80
    };
    struct wsp_hdrs h;
    int i;

    wsp_hdrs_init(&h, 4096);
    ck_assert_int_eq(wsp_hdrs_add(&h, "User-Agent", 10, "R", 1), 0);
    ck_assert_int_eq(gw_bridge_merge_session_headers(sess, sizeof(sess), &h),
        0);
    ck_assert_uint_eq(h.n, 2);
    i = wsp_hdrs_find(&h, "User-Agent");
    ck_assert_str_eq(wsp_hdrs_value(&h, (unsigned) i), "R");
    i = wsp_hdrs_find(&h, "Accept-Language");
    ck_assert_int_ge(i, 0);
    ck_assert_str_eq(wsp_hdrs_value(&h, (unsigned) i), "en");
    ck_assert_int_eq(wsp_hdrs_find(&h, "Connection"), -1);
    ck_assert_int_eq(gw_bridge_merge_session_headers(sess, 2, &h),
        WSPGW_ETRUNC);
    wsp_hdrs_free(&h);
}
END_TEST


START_TEST(test_http_error_and_url)
{
    char text[200];

    ck_assert_int_eq(gw_bridge_http_error(WSPGW_EACCES, NULL, 0, text,
        sizeof(text)), 403);
    ck_assert(strstr(text, "allow list") != NULL);
    ck_assert_int_eq(gw_bridge_http_error(WSPGW_ETIMEDOUT, NULL, 0, text,
        sizeof(text)), 504);
    ck_assert_int_eq(gw_bridge_http_error(WSPGW_EMSGSIZE, NULL, 1400, text,
        sizeof(text)), 502);
    ck_assert(strstr(text, "1400") != NULL);
    ck_assert_int_eq(gw_bridge_http_error(WSPGW_EIO, "reset", 0, text,
        sizeof(text)), 502);
    ck_assert(strstr(text, "reset") != NULL);
    ck_assert(gw_bridge_url_ok((const uint8_t *) "http://a/b", 10, 100));
    ck_assert(!gw_bridge_url_ok((const uint8_t *) "http://a/ b", 11, 100));
    ck_assert(!gw_bridge_url_ok((const uint8_t *) "http://a/\r", 10, 100));
    ck_assert(!gw_bridge_url_ok((const uint8_t *) "http://a/b", 10, 9));
    ck_assert(!gw_bridge_url_ok((const uint8_t *) "", 0, 9));
}
END_TEST


START_TEST(test_hop_by_hop)
{
    ck_assert(gw_bridge_is_hop_by_hop("connection"));
    ck_assert(gw_bridge_is_hop_by_hop("Transfer-Encoding"));
    ck_assert(gw_bridge_is_hop_by_hop("Host"));
    ck_assert(!gw_bridge_is_hop_by_hop("Accept"));
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("bridge");
    TCase *tc = tcase_create("bridge");

    tcase_add_test(tc, test_request_headers);
    tcase_add_test(tc, test_reply);
    tcase_add_test(tc, test_reply_without_content_type);
    tcase_add_test(tc, test_head_keeps_length);
    tcase_add_test(tc, test_error_reply);
    tcase_add_test(tc, test_reply_too_large);
    tcase_add_test(tc, test_session_headers);
    tcase_add_test(tc, test_http_error_and_url);
    tcase_add_test(tc, test_hop_by_hop);
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
