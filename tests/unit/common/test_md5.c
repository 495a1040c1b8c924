/*
 * tests/unit/common/test_md5.c - MD5 against the RFC 1321 A.5 test
 * suite, lengths around the padding boundaries (values computed with
 * Python's hashlib, an independent implementation), and the base64 form.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/md5.h"

static void
hex(const uint8_t *d, char *out)
{
    int i;

    for (i = 0; i < WSPGW_MD5_LEN; i++) {
        snprintf(out + 2 * i, 3, "%02x", d[i]);
    }
}


START_TEST(test_rfc1321_suite)
{
    static const struct {
        const char *in, *md5;
    } v[] = {
        { "", "d41d8cd98f00b204e9800998ecf8427e" },
        { "a", "0cc175b9c0f1b6a831c399e269772661" },
        { "abc", "900150983cd24fb0d6963f7d28e17f72" },
        { "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
        { "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
        { "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            "d174ab98d277d9f5a5611c2c9f419d9f" },
        { "1234567890123456789012345678901234567890123456789012345678901234"
            "5678901234567890", "57edf4a22be3c955ac49da2e2107b67a" },
    };
    uint8_t d[WSPGW_MD5_LEN];
    char h[33];
    size_t i;

    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        wspgw_md5(v[i].in, strlen(v[i].in), d);
        hex(d, h);
        ck_assert_str_eq(h, v[i].md5);
    }
}
END_TEST


/* 55, 56, 63, 64 and 65 octets of 'x': both padding paths. */
START_TEST(test_boundaries)
{
    static const struct {
        size_t n;
        const char *md5;
    } v[] = {
        { 55, "04364420e25c512fd958a70738aa8f72" },
        { 56, "668a72d5ba17f08e62dabcafad6db14b" },
        { 63, "7dc2ca208106a2f703567bdff99d8981" },
        { 64, "c1bb4f81d892b2d57947682aeb252456" },
        { 65, "1bc932052302d074bdec39795fe00cf6" },
    };
    char buf[80], h[33];
    uint8_t d[WSPGW_MD5_LEN];
    size_t i;

    memset(buf, 'x', sizeof(buf));
    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        wspgw_md5(buf, v[i].n, d);
        hex(d, h);
        ck_assert_msg(strcmp(h, v[i].md5) == 0, "%zu: %s", v[i].n, h);
    }
}
END_TEST


START_TEST(test_base64)
{
    char b[WSPGW_MD5_B64_LEN + 1];

    wspgw_md5_base64("", 0, b);
    ck_assert_str_eq(b, "1B2M2Y8AsgTpgAmY7PhCfg==");
    wspgw_md5_base64("abc", 3, b);
    ck_assert_str_eq(b, "kAFQmDzST7DWlj99KOF/cg==");
}
END_TEST


int
main(void)
{
    Suite *s = suite_create("md5");
    TCase *tc = tcase_create("md5");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_rfc1321_suite);
    tcase_add_test(tc, test_boundaries);
    tcase_add_test(tc, test_base64);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
