/*
 * tests/unit/common/test_buf.c - capped buffers, errors, allocation hooks.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/buf.h"
#include "wspgw/err.h"
#include "wspgw/log.h"


START_TEST(test_append_and_cap)
{
    struct wspgw_buf b;

    wspgw_buf_init(&b, 10);
    ck_assert_int_eq(wspgw_buf_puts(&b, "hello"), 0);
    ck_assert_int_eq(wspgw_buf_puts(&b, "world"), 0);
    ck_assert_str_eq(wspgw_buf_str(&b), "helloworld");
    ck_assert_int_eq(wspgw_buf_putc(&b, '!'), WSPGW_EMSGSIZE);
    ck_assert_uint_eq(b.len, 10);
    ck_assert_str_eq(wspgw_buf_str(&b), "helloworld");
    wspgw_buf_reset(&b);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_str_eq(wspgw_buf_str(&b), "");
    wspgw_buf_free(&b);
}
END_TEST


START_TEST(test_printf_long)
{
    struct wspgw_buf b;
    char big[600];

    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    wspgw_buf_init(&b, 1000);
    ck_assert_int_eq(wspgw_buf_printf(&b, "<%s>", big), 0);
    ck_assert_uint_eq(b.len, 601);
    ck_assert_int_eq(wspgw_buf_printf(&b, "%s", big), WSPGW_EMSGSIZE);
    ck_assert_uint_eq(b.len, 601);
    wspgw_buf_free(&b);
}
END_TEST


START_TEST(test_oom_leaves_buffer_unchanged)
{
    struct wspgw_buf b;

    wspgw_buf_init(&b, 1 << 20);
    ck_assert_int_eq(wspgw_buf_puts(&b, "abc"), 0);
    wspgw_alloc_fail_after(0);
    ck_assert_int_eq(wspgw_buf_append(&b, NULL, 0), 0);
    ck_assert_int_eq(wspgw_buf_reserve(&b, 4096), WSPGW_ENOMEM);
    wspgw_alloc_fail_after(-1);
    ck_assert_str_eq(wspgw_buf_str(&b), "abc");
    wspgw_buf_free(&b);
}
END_TEST


START_TEST(test_err_names)
{
    ck_assert_str_eq(wspgw_err_name(WSPGW_EPROTO), "EPROTO");
    ck_assert_str_eq(wspgw_strerror(WSPGW_EMSGSIZE), "message too large");
    ck_assert_str_eq(wspgw_err_name(-999), "EUNKNOWN");
}
END_TEST


START_TEST(test_hex_sample)
{
    char out[64];
    const unsigned char in[] = { 0x01, 0xab, 0xff, 0x00, 0x10 };

    wspgw_hex_sample(out, sizeof(out), in, sizeof(in), 3);
    ck_assert_str_eq(out, "01 ab ff ...");
    wspgw_hex_sample(out, sizeof(out), in, 2, 8);
    ck_assert_str_eq(out, "01 ab");
}
END_TEST


START_TEST(test_put_xml)
{
    static const uint8_t in[] = "a&b<c>\"'$\t\n\x01\x7f\xc3\xa9z";
    struct wspgw_buf b;

    wspgw_buf_init(&b, 256);
    ck_assert_int_eq(wspgw_buf_put_xml(&b, in, sizeof(in) - 1, 0), 0);
    ck_assert_str_eq(wspgw_buf_str(&b),
        "a&amp;b&lt;c&gt;&quot;&apos;$&#9;&#10;\xc3\xa9z");
    wspgw_buf_reset(&b);
    ck_assert_int_eq(wspgw_buf_put_xml(&b, in, sizeof(in) - 1,
        WSPGW_XML_WML_DOLLAR | WSPGW_XML_ASCII_ONLY), 0);
    ck_assert_str_eq(wspgw_buf_str(&b),
        "a&amp;b&lt;c&gt;&quot;&apos;$$&#9;&#10;??z");
    wspgw_buf_free(&b);
    /* The cap holds: escaping grows the text past it. */
    wspgw_buf_init(&b, 8);
    ck_assert_int_eq(wspgw_buf_put_xml(&b, (const uint8_t *) "&&&", 3, 0),
        WSPGW_EMSGSIZE);
    ck_assert_uint_le(b.len, 8);
    wspgw_buf_free(&b);
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("common");
    TCase *tc = tcase_create("buf");

    tcase_add_test(tc, test_append_and_cap);
    tcase_add_test(tc, test_printf_long);
    tcase_add_test(tc, test_oom_leaves_buffer_unchanged);
    tcase_add_test(tc, test_err_names);
    tcase_add_test(tc, test_hex_sample);
    tcase_add_test(tc, test_put_xml);
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
