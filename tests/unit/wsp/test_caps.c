/*
 * tests/unit/wsp/test_caps.c - WSP capabilities (WAP-230 8.3, 6.3.2):
 * decode, encode, server negotiation.  Vectors: reference/wsp.md
 * section 12 (the tshark-verified Connect and ConnectReply); truncation
 * at every offset; seeded garbage; an OOM loop on the encoder.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/wsp.h"
#include "wspgw/wsp_session.h"
#include "wsp_test.h"

/* Capabilities of the verified Connect (wsp.md 12): Client/Server SDU
 * 3000, Protocol Options 0x00, Method/Push MOR 1, Client/Server Message
 * Size 307200. */
#define FW_CAPS "03 80 97 38 03 81 97 38 02 82 00 02 83 01 02 84 01 " \
    "04 88 92 E0 00 04 89 92 E0 00"

static void
check_bytes(const struct wspgw_buf *b, const char *hex)
{
    uint8_t want[512];
    char s1[2048], s2[2048];
    size_t n = hex_parse(hex, want, sizeof(want));

    ck_assert_msg(b->len == n && (n == 0 || memcmp(b->data, want, n) == 0),
        "got  %s\nwant %s", hex_str(b->data, b->len, s1, sizeof(s1)),
        hex_str(want, n, s2, sizeof(s2)));
}


static void
decode_hex(const char *hex, struct wsp_caps *c, int want_rc)
{
    uint8_t buf[512];
    size_t n = hex_parse(hex, buf, sizeof(buf));
    static uint8_t keep[512];

    memcpy(keep, buf, n);       /* views must outlive this frame */
    ck_assert_int_eq(wsp_caps_decode(keep, n, c), want_rc);
}


START_TEST(decode_fakewap_connect)
{
    struct wsp_caps c;

    decode_hex(FW_CAPS, &c, 0);
    ck_assert_uint_eq(c.present, 0x31f);
    ck_assert_uint_eq(c.client_sdu, 3000);
    ck_assert_uint_eq(c.server_sdu, 3000);
    ck_assert_uint_eq(c.options, 0);
    ck_assert_uint_eq(c.method_mor, 1);
    ck_assert_uint_eq(c.push_mor, 1);
    ck_assert_uint_eq(c.client_message, 307200);
    ck_assert_uint_eq(c.server_message, 307200);
    ck_assert_uint_eq(c.n_unknown, 0);
    ck_assert_uint_eq(c.bad, 0);
}
END_TEST


START_TEST(encode_verified_connect_reply)
{
    struct wsp_caps c;
    struct wspgw_buf b;

    memset(&c, 0, sizeof(c));
    c.present = 0x1b;           /* 0, 1, 3, 4 */
    c.client_sdu = c.server_sdu = 3000;
    c.method_mor = c.push_mor = 1;
    wspgw_buf_init(&b, 1024);
    ck_assert_int_eq(wsp_caps_encode(&c, &b), 0);
    /* wsp.md 12: ConnectReply capabilities, tshark-verified. */
    check_bytes(&b, "03 80 97 38 03 81 97 38 02 83 01 02 84 01");
    wspgw_buf_free(&b);
}
END_TEST


static void
negotiate_hex(const char *req_hex, const struct wsp_srv_config *cfg,
    const char *want_reply, struct wsp_caps *agreed)
{
    struct wsp_caps req, reply;
    struct wspgw_buf b;

    decode_hex(req_hex, &req, 0);
    wsp_caps_negotiate(&req, cfg, &reply, agreed);
    wspgw_buf_init(&b, 1024);
    ck_assert_int_eq(wsp_caps_encode(&reply, &b), 0);
    check_bytes(&b, want_reply);
    wspgw_buf_free(&b);
}


START_TEST(negotiate_fakewap)
{
    struct wsp_srv_config cfg;
    struct wsp_caps a;

    wsp_srv_config_defaults(&cfg);
    negotiate_hex(FW_CAPS, &cfg, FW_CAPS, &a);
    ck_assert_uint_eq(a.client_sdu, 3000);
    ck_assert_uint_eq(a.server_sdu, 3000);
    ck_assert_uint_eq(a.options, 0);
    ck_assert_uint_eq(a.method_mor, 1);
}
END_TEST


START_TEST(negotiate_limits_and_options)
{
    struct wsp_srv_config cfg;
    struct wsp_caps a;

    wsp_srv_config_defaults(&cfg);
    cfg.server_sdu = 2000;
    cfg.server_message = 100000;
    cfg.method_mor = 4;
    cfg.push_mor = 1;
    /* Client: SDU unlimited both ways, every option, MOR 10/5,
     * server message 1 MB. */
    negotiate_hex("02 80 00 02 81 00 02 82 F8 02 83 0A 02 84 05 "
        "04 89 BD 84 40", &cfg,
        "02 80 00 03 81 8F 50 02 82 E0 02 83 04 02 84 01 04 89 86 8D 20",
        &a);
    ck_assert_uint_eq(a.client_sdu, 0);
    ck_assert_uint_eq(a.server_sdu, 2000);
    ck_assert_uint_eq(a.options, WSP_OPT_RESUME | WSP_OPT_PUSH
        | WSP_OPT_CONFIRMED_PUSH);
    ck_assert_uint_eq(a.method_mor, 4);
    ck_assert_uint_eq(a.server_message, 100000);
    ck_assert_uint_eq(a.push_mor, 1);
    /* Push off ([wsp] push = no): Resume only. */
    cfg.push = 0;
    negotiate_hex("02 80 00 02 81 00 02 82 F8 02 83 0A 02 84 05 "
        "04 89 BD 84 40", &cfg,
        "02 80 00 03 81 8F 50 02 82 20 02 83 04 02 84 01 04 89 86 8D 20",
        &a);
    ck_assert_uint_eq(a.options, WSP_OPT_RESUME);
    /* Push-MOR: the smaller of the proposal and ours. */
    cfg.push = 1;
    cfg.push_mor = 3;
    negotiate_hex("02 84 05", &cfg, "02 84 03", &a);
    ck_assert_uint_eq(a.push_mor, 3);
    negotiate_hex("02 84 02", &cfg, "02 84 02", &a);
    ck_assert_uint_eq(a.push_mor, 2);
    /* Only Confirmed Push proposed: only it is agreed. */
    negotiate_hex("02 82 80", &cfg, "02 82 80", &a);
    ck_assert_uint_eq(a.options, WSP_OPT_CONFIRMED_PUSH);
    /* Without resume and push we offer nothing at all. */
    cfg.resume = 0;
    cfg.push = 0;
    negotiate_hex("02 82 F8", &cfg, "02 82 00", &a);
    ck_assert_uint_eq(a.options, 0);
    /* A client asking less than our limit keeps its value. */
    negotiate_hex("03 81 87 68 02 83 01", &cfg, "03 81 87 68 02 83 01", &a);
    ck_assert_uint_eq(a.server_sdu, 1000);
}
END_TEST


START_TEST(negotiate_absent_is_default)
{
    struct wsp_srv_config cfg;
    struct wsp_caps a;

    wsp_srv_config_defaults(&cfg);
    negotiate_hex("", &cfg, "", &a);
    ck_assert_uint_eq(a.client_sdu, 1400);
    ck_assert_uint_eq(a.server_sdu, 1400);
    ck_assert_uint_eq(a.client_message, 1400);
    ck_assert_uint_eq(a.server_message, 1400);
    ck_assert_uint_eq(a.method_mor, 1);
    ck_assert_uint_eq(a.push_mor, 1);
    ck_assert_uint_eq(a.options, 0);
}
END_TEST


START_TEST(negotiate_refusals)
{
    struct wsp_srv_config cfg;
    struct wsp_caps a;

    wsp_srv_config_defaults(&cfg);
    /* Extended Methods (0x50 "SEARCH"), Header Code Pages (0x02
     * "x-page"), Aliases (an IPv4 address), an unassigned id 0x0A and a
     * named capability "X-Foo": the first two and the unknown ones come
     * back empty ("refused"); Aliases are informational, not echoed. */
    negotiate_hex("09 85 50 'SEARCH' 00 09 86 02 'x-page' 00 "
        "09 87 C4 00 23 F1 C0 00 02 01 01 8A 08 'X-Foo' 00 01 02", &cfg,
        "01 85 01 86 01 8A 06 'X-Foo' 00", &a);
}
END_TEST


START_TEST(decode_alternatives_and_bad_params)
{
    struct wsp_caps c;

    /* Two Method-MOR instances: the first (most preferred) wins. */
    decode_hex("02 83 03 02 83 07", &c, 0);
    ck_assert_uint_eq(c.method_mor, 3);
    /* MOR 0, a two-octet MOR, an SDU with a trailing octet, options
     * with no octet, a broken extended method list: skipped, counted. */
    decode_hex("02 83 00 03 84 01 01 04 80 97 38 00 01 82 03 85 50 41", &c,
        0);
    ck_assert_uint_eq(c.present, 0);
    ck_assert_uint_eq(c.bad, 5);
    /* Protocol Options: trailing octets and reserved bits ignored. */
    decode_hex("04 82 FF 12 34", &c, 0);
    ck_assert_uint_eq(c.options, 0xF8);
}
END_TEST


START_TEST(decode_framing_errors)
{
    struct wsp_caps c;

    decode_hex("05 80 97", &c, WSPGW_EPROTO);      /* length past end */
    decode_hex("00", &c, WSPGW_EPROTO);            /* empty capability */
    decode_hex("02 05 01", &c, WSPGW_EPROTO);      /* id not a token */
    decode_hex("03 'ab'", &c, WSPGW_EPROTO);       /* name without NUL */
    decode_hex("8F FF FF FF FF 7F", &c, WSPGW_EPROTO); /* bad uintvar */
}
END_TEST


/* Cut the verified field at every offset: either a clean prefix of whole
 * capabilities (0) or EPROTO; never a crash or an over-read (ASan). */
START_TEST(truncation_every_offset)
{
    uint8_t buf[64];
    size_t n = hex_parse(FW_CAPS, buf, sizeof(buf)), i;
    static const size_t bounds[] = { 0, 4, 8, 11, 14, 17, 22, 27 };

    for (i = 0; i <= n; i++) {
        struct wsp_caps c;
        uint8_t *copy = malloc(i + 1);
        size_t k;
        int whole = 0, rc;

        memcpy(copy, buf, i);
        rc = wsp_caps_decode(copy, i, &c);
        for (k = 0; k < sizeof(bounds) / sizeof(bounds[0]); k++) {
            whole |= bounds[k] == i;
        }
        ck_assert_int_eq(rc, whole ? 0 : WSPGW_EPROTO);
        free(copy);
    }
}
END_TEST


START_TEST(garbage_roundtrip)
{
    uint32_t seed = 0x5eed1234;
    struct wsp_srv_config cfg;
    int i;

    wsp_srv_config_defaults(&cfg);
    for (i = 0; i < 20000; i++) {
        uint8_t buf[48];
        size_t n = xorshift32(&seed) % sizeof(buf), k;
        struct wsp_caps c, reply, agreed, again;
        struct wspgw_buf b;

        for (k = 0; k < n; k++) {
            uint32_t r = xorshift32(&seed);

            /* Mostly small lengths and well-known ids. */
            buf[k] = (uint8_t) ((r & 3) == 0 ? r >> 8 : (r >> 8) % 12);
            if ((r & 0x30) == 0) {
                buf[k] |= 0x80;
            }
        }
        if (wsp_caps_decode(buf, n, &c) != 0) {
            continue;
        }
        wsp_caps_negotiate(&c, &cfg, &reply, &agreed);
        ck_assert(agreed.method_mor >= 1 && agreed.method_mor <= 4);
        ck_assert((agreed.options & ~(WSP_OPT_RESUME | WSP_OPT_PUSH
            | WSP_OPT_CONFIRMED_PUSH)) == 0);
        wspgw_buf_init(&b, 4096);
        ck_assert_int_eq(wsp_caps_encode(&reply, &b), 0);
        /* What we send decodes again (no capability over-claims). */
        ck_assert_int_eq(wsp_caps_decode(b.data, b.len, &again), 0);
        ck_assert_uint_eq(again.present & ~reply.refused,
            reply.present & ~reply.refused);
        wspgw_buf_free(&b);
    }
}
END_TEST


START_TEST(encode_oom_loop)
{
    struct wsp_caps c;
    long n;
    int rc;

    decode_hex(FW_CAPS, &c, 0);
    for (n = 0;; n++) {
        struct wspgw_buf b;

        wspgw_buf_init(&b, 4096);
        wspgw_alloc_fail_after(n);
        rc = wsp_caps_encode(&c, &b);
        wspgw_alloc_fail_after(-1);
        if (rc == 0) {
            check_bytes(&b, FW_CAPS);
            wspgw_buf_free(&b);
            break;
        }
        ck_assert_int_eq(rc, WSPGW_ENOMEM);
        ck_assert_uint_eq(b.len, 0);
        wspgw_buf_free(&b);
    }
    ck_assert(n >= 1);
}
END_TEST


START_TEST(encode_capped)
{
    struct wsp_caps c;
    struct wspgw_buf b;

    decode_hex(FW_CAPS, &c, 0);
    wspgw_buf_init(&b, 10);
    ck_assert_int_eq(wspgw_buf_append(&b, "ab", 2), 0);
    ck_assert_int_eq(wsp_caps_encode(&c, &b), WSPGW_EMSGSIZE);
    ck_assert_uint_eq(b.len, 2);    /* left as it was */
    wspgw_buf_free(&b);
}
END_TEST


START_TEST(names)
{
    ck_assert_str_eq(wsp_cap_name(3), "Method-MOR");
    ck_assert_str_eq(wsp_cap_name(9), "Server-Message-Size");
    ck_assert_str_eq(wsp_cap_name(0x0A), "unknown(0x0a)");
}
END_TEST


static Suite *
caps_suite(void)
{
    Suite *s = suite_create("wsp_caps");
    TCase *tc = tcase_create("caps");

    tcase_add_test(tc, decode_fakewap_connect);
    tcase_add_test(tc, encode_verified_connect_reply);
    tcase_add_test(tc, negotiate_fakewap);
    tcase_add_test(tc, negotiate_limits_and_options);
    tcase_add_test(tc, negotiate_absent_is_default);
    tcase_add_test(tc, negotiate_refusals);
    tcase_add_test(tc, decode_alternatives_and_bad_params);
    tcase_add_test(tc, decode_framing_errors);
    tcase_add_test(tc, truncation_every_offset);
    tcase_add_test(tc, garbage_roundtrip);
    tcase_add_test(tc, encode_oom_loop);
    tcase_add_test(tc, encode_capped);
    tcase_add_test(tc, names);
    suite_add_tcase(s, tc);
    return s;
}


int
main(void)
{
    SRunner *sr = srunner_create(caps_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
