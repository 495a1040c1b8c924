/*
 * tests/unit/wsp/test_status.c - WSP <-> HTTP status (WAP-230 Table 36,
 * reference/wsp-headers.md section 10).
 */
#include <check.h>
#include <stdlib.h>

#include "wspgw/wsp.h"

static const struct {
    uint8_t wsp;
    int http;
} table[] = {
    { 0x10, 100 }, { 0x11, 101 },
    { 0x20, 200 }, { 0x21, 201 }, { 0x22, 202 }, { 0x23, 203 },
    { 0x24, 204 }, { 0x25, 205 }, { 0x26, 206 },
    { 0x30, 300 }, { 0x31, 301 }, { 0x32, 302 }, { 0x33, 303 },
    { 0x34, 304 }, { 0x35, 305 }, { 0x37, 307 },
    { 0x40, 400 }, { 0x41, 401 }, { 0x42, 402 }, { 0x43, 403 },
    { 0x44, 404 }, { 0x45, 405 }, { 0x46, 406 }, { 0x47, 407 },
    { 0x48, 408 }, { 0x49, 409 }, { 0x4A, 410 }, { 0x4B, 411 },
    { 0x4C, 412 }, { 0x4D, 413 }, { 0x4E, 414 }, { 0x4F, 415 },
    { 0x50, 416 }, { 0x51, 417 },
    { 0x60, 500 }, { 0x61, 501 }, { 0x62, 502 }, { 0x63, 503 },
    { 0x64, 504 }, { 0x65, 505 },
};


START_TEST(test_table_both_ways)
{
    size_t i;
    unsigned n = 0, v;

    for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        ck_assert_uint_eq(wsp_status_from_http(table[i].http), table[i].wsp);
        ck_assert_int_eq(wsp_status_to_http(table[i].wsp), table[i].http);
    }
    /* Exactly the 40 assigned octets map back to HTTP. */
    for (v = 0; v < 256; v++) {
        if (wsp_status_to_http((uint8_t) v) != 0) {
            n++;
        }
    }
    ck_assert_uint_eq(n, 40);
}
END_TEST


START_TEST(test_unknown_to_class_base)
{
    ck_assert_uint_eq(wsp_status_from_http(102), 0x10);
    ck_assert_uint_eq(wsp_status_from_http(226), 0x20);
    ck_assert_uint_eq(wsp_status_from_http(308), 0x30);
    ck_assert_uint_eq(wsp_status_from_http(429), 0x40);
    ck_assert_uint_eq(wsp_status_from_http(451), 0x40);
    ck_assert_uint_eq(wsp_status_from_http(507), 0x60);
    ck_assert_uint_eq(wsp_status_from_http(599), 0x60);
    ck_assert_uint_eq(wsp_status_from_http(0), 0x60);
    ck_assert_uint_eq(wsp_status_from_http(-1), 0x60);
    ck_assert_uint_eq(wsp_status_from_http(99), 0x60);
    ck_assert_uint_eq(wsp_status_from_http(600), 0x60);
    ck_assert_uint_eq(wsp_status_from_http(1000), 0x60);
    ck_assert_int_eq(wsp_status_to_http(0x00), 0);
    ck_assert_int_eq(wsp_status_to_http(0x36), 0);
    ck_assert_int_eq(wsp_status_to_http(0x5D), 0);
    ck_assert_int_eq(wsp_status_to_http(0xFF), 0);
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("wsp_status");
    TCase *tc = tcase_create("status");

    tcase_add_test(tc, test_table_both_ways);
    tcase_add_test(tc, test_unknown_to_class_base);
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
