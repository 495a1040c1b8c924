/*
 * tests/unit/wsp/test_tables.c - assigned-number tables (WAP-230
 * Appendix A) and their lookups, against reference/wsp-headers.md.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/wsp.h"
#include "../../../wsp/wsp_int.h"


START_TEST(test_field_names)
{
    const struct wsp__entry *e;
    size_t n, i;

    ck_assert_str_eq(wsp__by_num(WSP_TAB_FIELD, 0x00)->name, "Accept");
    ck_assert_str_eq(wsp__by_num(WSP_TAB_FIELD, 0x29)->name, "User-Agent");
    ck_assert_str_eq(wsp__by_num(WSP_TAB_FIELD, 0x2F)->name,
        "X-Wap-Application-Id");
    /* Wireshark's numbering of 0x48-0x4A (Kannel is off by one). */
    ck_assert_str_eq(wsp__by_num(WSP_TAB_FIELD, 0x48)->name, "Expect");
    ck_assert_str_eq(wsp__by_num(WSP_TAB_FIELD, 0x49)->name,
        "X-Wap-Loc-Invocation");
    ck_assert_str_eq(wsp__by_num(WSP_TAB_FIELD, 0x4A)->name,
        "X-Wap-Loc-Delivery");
    ck_assert_ptr_null(wsp__by_num(WSP_TAB_FIELD, 0x4B));
    /* 0x00-0x4A, no holes. */
    wsp__table(WSP_TAB_FIELD, &n);
    ck_assert_uint_eq(n, 0x4B);
    for (i = 0; i < 0x4B; i++) {
        e = wsp__by_num(WSP_TAB_FIELD, (uint32_t) i);
        ck_assert_ptr_nonnull(e);
        ck_assert_uint_ge(e->ver, 0x11);
        ck_assert_uint_le(e->ver, 0x15);
    }
}
END_TEST


START_TEST(test_field_newest_code)
{
    /* Accept-Charset 0x3B at >= 1.3, else 0x01 (reference section 3). */
    ck_assert_uint_eq(wsp__by_name(WSP_TAB_FIELD, "accept-charset", 14,
        WSP_ENC_1_2)->num, 0x01);
    ck_assert_uint_eq(wsp__by_name(WSP_TAB_FIELD, "Accept-Charset", 14,
        WSP_ENC_1_3)->num, 0x3B);
    ck_assert_uint_eq(wsp__by_name(WSP_TAB_FIELD, "CACHE-CONTROL", 13,
        WSP_ENC_1_2)->num, 0x08);
    ck_assert_uint_eq(wsp__by_name(WSP_TAB_FIELD, "Cache-Control", 13,
        WSP_ENC_1_3)->num, 0x3D);
    ck_assert_uint_eq(wsp__by_name(WSP_TAB_FIELD, "Cache-Control", 13,
        WSP_ENC_1_4)->num, 0x47);
    ck_assert_uint_eq(wsp__by_name(WSP_TAB_FIELD, "Content-Disposition", 19,
        WSP_ENC_1_5)->num, 0x45);
    ck_assert_uint_eq(wsp__by_name(WSP_TAB_FIELD, "Expect", 6,
        WSP_ENC_1_3)->num, 0x38);
    ck_assert_uint_eq(wsp__by_name(WSP_TAB_FIELD, "Expect", 6,
        WSP_ENC_1_5)->num, 0x48);
    ck_assert_ptr_null(wsp__by_name(WSP_TAB_FIELD, "Encoding-Version", 16,
        WSP_ENC_1_2));
    ck_assert_ptr_null(wsp__by_name(WSP_TAB_FIELD, "Accep", 5,
        WSP_ENC_1_5));
    /* An embedded NUL never matches a shorter name. */
    ck_assert_ptr_null(wsp__by_name(WSP_TAB_FIELD, "Age\0xx", 6,
        WSP_ENC_1_5));
}
END_TEST


START_TEST(test_content_types)
{
    ck_assert_str_eq(wsp__by_num(WSP_TAB_CTYPE, 0x03)->name, "text/plain");
    ck_assert_str_eq(wsp__by_num(WSP_TAB_CTYPE, 0x3E)->name,
        "application/vnd.wap.mms-message");
    ck_assert_str_eq(wsp__by_num(WSP_TAB_CTYPE, 0x5A)->name,
        "application/octet-stream");
    ck_assert_ptr_null(wsp__by_num(WSP_TAB_CTYPE, 0x59));
    ck_assert_str_eq(wsp__by_num(WSP_TAB_CTYPE, 0x0201)->name,
        "application/vnd.uplanet.cacheop-wbxml");
    ck_assert_str_eq(wsp__by_num(WSP_TAB_CTYPE, 0x030A)->name,
        "application/vnd.wap.emn+wbxml");
    ck_assert_uint_eq(wsp__by_name(WSP_TAB_CTYPE, "IMAGE/JPEG", 10,
        WSP_ENC_1_1)->num, 0x1E);
    /* mms-message came with 1.4. */
    ck_assert_ptr_null(wsp__by_name(WSP_TAB_CTYPE,
        "application/vnd.wap.mms-message", 31, WSP_ENC_1_3));
    ck_assert_uint_eq(wsp__by_name(WSP_TAB_CTYPE,
        "application/vnd.wap.mms-message", 31, WSP_ENC_1_4)->num, 0x3E);
}
END_TEST


START_TEST(test_small_tables)
{
    ck_assert_str_eq(wsp__by_num(WSP_TAB_CHARSET, 106)->name, "utf-8");
    ck_assert_uint_eq(wsp__by_name(WSP_TAB_CHARSET, "UTF-8", 5,
        WSP_ENC_1_1)->num, 106);
    ck_assert_uint_eq(wsp__by_name(WSP_TAB_CHARSET, "windows-1252", 12,
        WSP_ENC_1_1)->num, 2252);
    ck_assert_str_eq(wsp__by_num(WSP_TAB_LANGUAGE, 0x19)->name, "en");
    ck_assert_str_eq(wsp__by_num(WSP_TAB_APPID, 0x04)->name,
        "x-wap-application:mms.ua");
    ck_assert_str_eq(wsp__by_num(WSP_TAB_APPID, 0x00)->name,
        "x-wap-application:*");
    ck_assert_str_eq(wsp__by_num(WSP_TAB_METHOD, 0x60)->name, "POST");
    ck_assert_str_eq(wsp__by_num(WSP_TAB_CACHE, 0x02)->name, "max-age");
    ck_assert_ptr_null(wsp__by_name(WSP_TAB_CACHE, "s-maxage", 8,
        WSP_ENC_1_2));
    ck_assert_str_eq(wsp__by_num(WSP_TAB_PARAM, 0x01)->name, "charset");
    ck_assert_ptr_null(wsp__by_num(WSP_TAB_PARAM, 0x04));
    ck_assert_uint_eq(wsp__by_num(WSP_TAB_PARAM, 0x1D)->ver, 0x14);
}
END_TEST


START_TEST(test_pdu_names)
{
    ck_assert_str_eq(wsp_pdu_type_name(0x40), "Get");
    ck_assert_str_eq(wsp_pdu_type_name(0x04), "Reply");
    ck_assert_str_eq(wsp_pdu_type_name(0x80), "DataFragment");
    ck_assert_str_eq(wsp_pdu_type_name(0x00), "unknown(0x00)");
    ck_assert_str_eq(wsp_pdu_type_name(0x5f), "unknown(0x5f)");
    ck_assert_str_eq(wsp_pdu_type_name(0xff), "unknown(0xff)");
    ck_assert_str_eq(wsp_pdu_http_method(0x42), "HEAD");
    ck_assert_str_eq(wsp_pdu_http_method(0x61), "PUT");
    ck_assert_ptr_null(wsp_pdu_http_method(0x50));
    ck_assert_ptr_null(wsp_pdu_http_method(0x04));
    ck_assert_int_eq(wsp_pdu_is_get_family(0x5f), 1);
    ck_assert_int_eq(wsp_pdu_is_get_family(0x60), 0);
    ck_assert_int_eq(wsp_pdu_is_post_family(0x7f), 1);
    ck_assert_int_eq(wsp_pdu_is_post_family(0x80), 0);
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("wsp_tables");
    TCase *tc = tcase_create("tables");

    tcase_add_test(tc, test_field_names);
    tcase_add_test(tc, test_field_newest_code);
    tcase_add_test(tc, test_content_types);
    tcase_add_test(tc, test_small_tables);
    tcase_add_test(tc, test_pdu_names);
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
