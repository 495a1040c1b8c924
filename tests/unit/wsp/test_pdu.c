/*
 * tests/unit/wsp/test_pdu.c - PDU layouts (WAP-230 8.2).
 * Datagrams: reference/wsp.md section 12 (tshark-verified) plus
 * hand-built ones for each branch; truncation at every offset; seeded
 * garbage.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/wsp.h"
#include "wsp_test.h"

struct pdu_vec {
    const char *name;
    int connectionless;
    const char *hex;
    int rc;
    unsigned type, tid, status;
    const char *uri;            /* NULL: no URI */
    const char *ctype;          /* hex of the content type view */
    const char *headers;        /* hex of the headers view */
    const char *data;           /* hex of the data view */
};

static const struct pdu_vec vectors[] = {
    { "connectionless reply (wsp.md 12)", 1, "01 04 20 01 BE 8C 81",
        0, 0x04, 0x01, 0x20, NULL, "BE", "", "8C 81" },
    { "connectionless push (wsp.md 12)", 1, "01 06 03 BE AF 84 8C 82",
        0, 0x06, 0x01, 0, NULL, "BE", "AF 84", "8C 82" },
    { "post mms (wsp.md 12)", 0,
        "60 18 01 'http://mmsc.example.net/' BE 8C 80",
        0, 0x60, 0, 0, "http://mmsc.example.net/", "BE", "", "8C 80" },
    { "get with headers", 1, "07 40 05 'http:' 80 A9 'UA' 00",
        0, 0x40, 0x07, 0, "http:", "", "80 A9 'UA' 00", "" },
    { "get no headers", 0, "40 01 'x'",
        0, 0x40, 0, 0, "x", "", "", "" },
    { "extended get method", 0, "5F 00",
        0, 0x5F, 0, 0, "", "", "", "" },
    { "options", 0, "41 01 '*' 8D 80",
        0, 0x41, 0, 0, "*", "", "8D 80", "" },
    { "post, general-form ctype + header + data", 1,
        "02 60 02 06 '/p' 03 83 81 EA 8D 82 'hi'",
        0, 0x60, 0x02, 0, "/p", "03 83 81 EA", "8D 82", "'hi'" },
    { "post, text ctype", 0, "61 01 0B '/' 'text/x-y' 00 8D 80 'b'",
        0, 0x61, 0, 0, "/", "'text/x-y' 00", "8D 80", "'b'" },
    { "post, HeadersLen 0", 0, "60 01 00 '/' 'body'",
        0, 0x60, 0, 0, "/", "", "", "'body'" },
    { "reply, 0x1F-length ctype", 0,
        "04 44 22 1F 20 'application/x-long-content-type' 00 'z'",
        0, 0x04, 0, 0x44, NULL,
        "1F 20 'application/x-long-content-type' 00", "", "'z'" },
    { "reply, empty body", 0, "04 20 01 83", 0, 0x04, 0, 0x20, NULL,
        "83", "", "" },
    { "confirmed push", 0, "07 01 B0 'd'", 0, 0x07, 0, 0, NULL, "B0", "",
        "'d'" },
    { "connect: not split", 0, "01 10 00 00", WSPGW_ENOTSUP, 0x01, 0, 0,
        NULL, "", "", "" },
    { "disconnect: not split", 1, "09 05 A4 34", WSPGW_ENOTSUP, 0x05, 0x09,
        0, NULL, "", "", "" },
    { "data fragment: not split", 0, "80 00", WSPGW_ENOTSUP, 0x80, 0, 0,
        NULL, "", "", "" },
    { "reserved 0x00", 0, "00", WSPGW_EPROTO, 0x00, 0, 0, NULL, "", "", "" },
    { "unassigned 0x0A", 0, "0A", WSPGW_EPROTO, 0x0A, 0, 0, NULL, "", "",
        "" },
    { "reserved 0x81", 1, "01 81", WSPGW_EPROTO, 0x81, 1, 0, NULL, "", "",
        "" },
    { "empty", 0, "", WSPGW_EPROTO, 0, 0, 0, NULL, "", "", "" },
    { "tid only", 1, "05", WSPGW_EPROTO, 0, 5, 0, NULL, "", "", "" },
    { "get uri past end", 0, "40 05 'ab'", WSPGW_ETRUNC, 0x40, 0, 0, NULL,
        "", "", "" },
    { "post headers past end", 0, "60 01 05 '/' 83", WSPGW_ETRUNC, 0x60,
        0, 0, NULL, "", "", "" },
    { "post ctype longer than HeadersLen", 0, "60 01 02 '/' 05 83 81 EA",
        WSPGW_EPROTO, 0x60, 0, 0, NULL, "", "", "" },
    { "get bad uintvar", 0, "40 80 80 80 80 80 00", WSPGW_EPROTO, 0x40, 0,
        0, NULL, "", "", "" },
};

#define NVEC (sizeof(vectors) / sizeof(vectors[0]))


static void
check_view(const char *what, const uint8_t *p, size_t len, const char *hex)
{
    uint8_t want[256];
    size_t n = hex_parse(hex, want, sizeof(want));

    ck_assert_msg(len == n, "%s: length %zu, want %zu", what, len, n);
    if (n > 0) {
        ck_assert_mem_eq(p, want, n);
    }
}


START_TEST(test_decode_vectors)
{
    const struct pdu_vec *v = &vectors[_i];
    uint8_t in[256];
    size_t n = hex_parse(v->hex, in, sizeof(in));
    struct wsp_pdu pdu;
    int rc = wsp_pdu_decode(in, n, v->connectionless, &pdu);

    ck_assert_msg(rc == v->rc, "%s: rc %d want %d", v->name, rc, v->rc);
    ck_assert_uint_eq(pdu.type, v->type);
    ck_assert_uint_eq(pdu.tid, v->tid);
    if (rc != 0) {
        return;
    }
    ck_assert_uint_eq(pdu.status, v->status);
    if (v->uri != NULL) {
        ck_assert_uint_eq(pdu.uri_len, strlen(v->uri));
        ck_assert_mem_eq(pdu.uri, v->uri, pdu.uri_len);
    } else {
        ck_assert_ptr_null(pdu.uri);
    }
    check_view("ctype", pdu.ctype, pdu.ctype_len, v->ctype);
    check_view("headers", pdu.headers, pdu.headers_len, v->headers);
    check_view("data", pdu.data, pdu.data_len, v->data);
}
END_TEST


/*
 * Every prefix of every vector: an error, or a result whose views lie
 * inside the prefix.  (ASan checks that nothing reads past it: the copy
 * is malloc'ed to the exact length.)
 */
START_TEST(test_truncation)
{
    const struct pdu_vec *v = &vectors[_i];
    uint8_t in[256];
    size_t n = hex_parse(v->hex, in, sizeof(in)), k;
    struct wsp_pdu pdu;
    uint8_t *copy;
    int rc;

    for (k = 0; k <= n; k++) {
        copy = malloc(k == 0 ? 1 : k);
        memcpy(copy, in, k);
        rc = wsp_pdu_decode(copy, k, v->connectionless, &pdu);
        if (rc == 0) {
            ck_assert(pdu.uri == NULL || pdu.uri + pdu.uri_len <= copy + k);
            ck_assert(pdu.ctype == NULL
                || pdu.ctype + pdu.ctype_len <= copy + k);
            ck_assert(pdu.headers == NULL
                || pdu.headers + pdu.headers_len <= copy + k);
            ck_assert(pdu.data == NULL
                || pdu.data + pdu.data_len <= copy + k);
        } else {
            ck_assert(rc == WSPGW_ETRUNC || rc == WSPGW_EPROTO
                || rc == WSPGW_ENOTSUP);
        }
        free(copy);
    }
}
END_TEST


START_TEST(test_garbage)
{
    uint32_t seed = 0xC0FFEE;
    uint8_t *buf;
    size_t len, i;
    struct wsp_pdu pdu;
    int round, rc;

    for (round = 0; round < 5000; round++) {
        len = xorshift32(&seed) % 64;
        buf = malloc(len == 0 ? 1 : len);
        for (i = 0; i < len; i++) {
            buf[i] = (uint8_t) xorshift32(&seed);
        }
        /* Make the interesting types likely. */
        if (len > 1 && (round & 1)) {
            static const uint8_t types[] = {
                0x04, 0x06, 0x07, 0x40, 0x44, 0x60, 0x61, 0x7F
            };
            buf[1] = types[xorshift32(&seed) % sizeof(types)];
        }
        rc = wsp_pdu_decode(buf, len, round & 1, &pdu);
        ck_assert(rc == 0 || rc == WSPGW_ETRUNC || rc == WSPGW_EPROTO
            || rc == WSPGW_ENOTSUP);
        if (rc == 0) {
            ck_assert(pdu.data == NULL || pdu.data + pdu.data_len
                <= buf + len);
            ck_assert(pdu.headers + pdu.headers_len <= buf + len);
        }
        free(buf);
    }
}
END_TEST


START_TEST(test_reply_encode)
{
    struct wspgw_buf b;
    uint8_t want[32];
    size_t n;
    const uint8_t ctype[] = { 0xBE };
    const uint8_t body[] = { 0x8C, 0x81 };
    struct wsp_pdu pdu;

    wspgw_buf_init(&b, 64);
    ck_assert_int_eq(wsp_reply_encode(&b, 1, 0x01, 0x20, ctype, 1, NULL, 0,
        body, 2), 0);
    n = hex_parse("01 04 20 01 BE 8C 81", want, sizeof(want));
    ck_assert_uint_eq(b.len, n);
    ck_assert_mem_eq(b.data, want, n);
    ck_assert_int_eq(wsp_pdu_decode(b.data, b.len, 1, &pdu), 0);
    ck_assert_uint_eq(pdu.status, 0x20);
    wspgw_buf_free(&b);

    /* Over the cap: error, and nothing left behind. */
    wspgw_buf_init(&b, 5);
    ck_assert_int_eq(wspgw_buf_puts(&b, "ab"), 0);
    ck_assert_int_eq(wsp_reply_encode(&b, 1, 0x01, 0x20, ctype, 1, NULL, 0,
        body, 2), WSPGW_EMSGSIZE);
    ck_assert_uint_eq(b.len, 2);
    wspgw_buf_free(&b);
}
END_TEST


START_TEST(test_get_post_encode)
{
    struct wspgw_buf b;
    uint8_t want[64];
    size_t n;
    const uint8_t ctype[] = { 0xBE };
    const uint8_t body[] = { 0x8C, 0x80 };
    const uint8_t hdr[] = { 0x80, 0xA9, 'U', 'A', 0x00 };
    const char *uri = "http://mmsc.example.net/";
    struct wsp_pdu pdu;

    wspgw_buf_init(&b, 256);
    ck_assert_int_eq(wsp_post_encode(&b, 0, 0, WSP_PDU_POST, uri,
        strlen(uri), ctype, 1, NULL, 0, body, 2), 0);
    n = hex_parse("60 18 01 'http://mmsc.example.net/' BE 8C 80", want,
        sizeof(want));
    ck_assert_uint_eq(b.len, n);
    ck_assert_mem_eq(b.data, want, n);

    wspgw_buf_reset(&b);
    ck_assert_int_eq(wsp_get_encode(&b, 1, 7, WSP_PDU_GET, "http:", 5, hdr,
        sizeof(hdr)), 0);
    n = hex_parse("07 40 05 'http:' 80 A9 'UA' 00", want, sizeof(want));
    ck_assert_uint_eq(b.len, n);
    ck_assert_mem_eq(b.data, want, n);
    ck_assert_int_eq(wsp_pdu_decode(b.data, b.len, 1, &pdu), 0);
    ck_assert_uint_eq(pdu.headers_len, sizeof(hdr));

    wspgw_buf_reset(&b);
    ck_assert_int_eq(wsp_get_encode(&b, 0, 0, WSP_PDU_POST, "x", 1, NULL,
        0), WSPGW_EINVAL);
    ck_assert_int_eq(wsp_post_encode(&b, 0, 0, WSP_PDU_GET, "x", 1, NULL, 0,
        NULL, 0, NULL, 0), WSPGW_EINVAL);
    ck_assert_uint_eq(b.len, 0);
    wspgw_buf_free(&b);
}
END_TEST


/* Redirect (8.2.2.3): the tshark-verified datagram of wsp.md 10, an
 * IPv6 address (checked with tshark by hand: "IPv6 Address:
 * 2001:db8::1", no expert items), and the refusals. */
START_TEST(test_redirect_encode)
{
    static const uint8_t v4[4] = { 192, 0, 2, 1 };
    static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 1 };
    struct wspgw_addr a[2];
    struct wspgw_buf b;
    uint8_t want[64];
    size_t n;

    wspgw_addr_init(&a[0], WSPGW_AF_INET, v4, 9201);
    wspgw_buf_init(&b, 64);
    ck_assert_int_eq(wsp_redirect_encode(&b, WSP_REDIRECT_PERMANENT, a, 1),
        0);
    n = hex_parse("03 80 C4 00 23 F1 C0 00 02 01", want, sizeof(want));
    ck_assert_uint_eq(b.len, n);
    ck_assert_mem_eq(b.data, want, n);

    wspgw_buf_reset(&b);
    wspgw_addr_init(&a[0], WSPGW_AF_INET6, v6, 9201);
    wspgw_addr_init(&a[1], WSPGW_AF_INET, v4, 9201);
    ck_assert_int_eq(wsp_redirect_encode(&b, WSP_REDIRECT_REUSE_SECURITY
        | 0x01, a, 2), 0);
    n = hex_parse("03 40 D0 01 23 F1 20 01 0D B8 00 00 00 00 00 00 00 00 "
        "00 00 00 01 C4 00 23 F1 C0 00 02 01", want, sizeof(want));
    ck_assert_uint_eq(b.len, n);
    ck_assert_mem_eq(b.data, want, n);

    /* No address, a bad family, over the cap: nothing left behind. */
    wspgw_buf_reset(&b);
    ck_assert_int_eq(wsp_redirect_encode(&b, 0, a, 0), WSPGW_EINVAL);
    a[1].family = 0;
    ck_assert_int_eq(wsp_redirect_encode(&b, 0, a, 2), WSPGW_EINVAL);
    ck_assert_uint_eq(b.len, 0);
    wspgw_buf_free(&b);
    wspgw_buf_init(&b, 20);
    ck_assert_int_eq(wsp_redirect_encode(&b, 0, a, 1), WSPGW_EMSGSIZE);
    ck_assert_uint_eq(b.len, 0);
    wspgw_buf_free(&b);
}
END_TEST


START_TEST(test_encode_oom)
{
    struct wspgw_buf b;
    const uint8_t ctype[] = { 0xBE };
    long n;
    int rc;

    for (n = 0;; n++) {
        wspgw_buf_init(&b, 256);
        wspgw_alloc_fail_after(n);
        rc = wsp_reply_encode(&b, 1, 1, 0x20, ctype, 1, NULL, 0, NULL, 0);
        wspgw_alloc_fail_after(-1);
        if (rc == 0) {
            wspgw_buf_free(&b);
            break;
        }
        ck_assert_int_eq(rc, WSPGW_ENOMEM);
        ck_assert_uint_eq(b.len, 0);
        wspgw_buf_free(&b);
    }
    ck_assert_int_ge(n, 1);
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("wsp_pdu");
    TCase *tc = tcase_create("pdu");

    tcase_add_loop_test(tc, test_decode_vectors, 0, NVEC);
    tcase_add_loop_test(tc, test_truncation, 0, NVEC);
    tcase_add_test(tc, test_garbage);
    tcase_add_test(tc, test_reply_encode);
    tcase_add_test(tc, test_get_post_encode);
    tcase_add_test(tc, test_redirect_encode);
    tcase_add_test(tc, test_encode_oom);
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
