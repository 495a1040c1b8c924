/*
 * tests/unit/wsp/test_hdrs.c - the text header list (struct wsp_hdrs).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/wsp.h"


START_TEST(test_add_find)
{
    struct wsp_hdrs h;

    wsp_hdrs_init(&h, 1024);
    ck_assert_int_eq(wsp_hdrs_add(&h, "Accept", 6, "text/html", 9), 0);
    ck_assert_int_eq(wsp_hdrs_add(&h, "User-Agent", 10, "", 0), 0);
    ck_assert_int_eq(wsp_hdrs_add(&h, "accept", 6, "image/png", 9), 0);
    ck_assert_uint_eq(h.n, 3);
    ck_assert_str_eq(wsp_hdrs_name(&h, 1), "User-Agent");
    ck_assert_str_eq(wsp_hdrs_value(&h, 1), "");
    ck_assert_str_eq(wsp_hdrs_value(&h, 2), "image/png");
    ck_assert_int_eq(wsp_hdrs_find(&h, "ACCEPT"), 0);
    ck_assert_int_eq(wsp_hdrs_find(&h, "user-agent"), 1);
    ck_assert_int_eq(wsp_hdrs_find(&h, "Host"), -1);
    ck_assert_ptr_null(wsp_hdrs_name(&h, 3));
    ck_assert_ptr_null(wsp_hdrs_value(&h, 3));
    wsp_hdrs_reset(&h);
    ck_assert_uint_eq(h.n, 0);
    ck_assert_int_eq(wsp_hdrs_find(&h, "Accept"), -1);
    ck_assert_int_eq(wsp_hdrs_add(&h, "Host", 4, "example.com", 11), 0);
    ck_assert_str_eq(wsp_hdrs_value(&h, 0), "example.com");
    wsp_hdrs_free(&h);
}
END_TEST


START_TEST(test_limits)
{
    struct wsp_hdrs h;
    unsigned i;

    wsp_hdrs_init(&h, 1 << 16);
    for (i = 0; i < WSP_HDRS_MAX; i++) {
        ck_assert_int_eq(wsp_hdrs_add(&h, "X", 1, "y", 1), 0);
    }
    ck_assert_int_eq(wsp_hdrs_add(&h, "X", 1, "y", 1), WSPGW_ENOSPC);
    ck_assert_uint_eq(h.n, WSP_HDRS_MAX);
    wsp_hdrs_free(&h);

    /* The text ceiling: an entry is added whole or not at all. */
    wsp_hdrs_init(&h, 10);
    ck_assert_int_eq(wsp_hdrs_add(&h, "Ab", 2, "cd", 2), 0);     /* 6 */
    ck_assert_int_eq(wsp_hdrs_add(&h, "Ef", 2, "gh", 2), WSPGW_EMSGSIZE);
    ck_assert_uint_eq(h.n, 1);
    ck_assert_uint_eq(h.text.len, 6);
    ck_assert_int_eq(wsp_hdrs_add(&h, "E", 1, "g", 1), 0);       /* 10 */
    ck_assert_str_eq(wsp_hdrs_value(&h, 1), "g");
    ck_assert_int_eq(wsp_hdrs_add(&h, "X", 1, "a\0b", 3), WSPGW_EINVAL);
    wsp_hdrs_free(&h);
}
END_TEST


START_TEST(test_oom)
{
    struct wsp_hdrs h;

    wsp_hdrs_init(&h, 1024);
    wspgw_alloc_fail_after(0);
    ck_assert_int_eq(wsp_hdrs_add(&h, "A", 1, "b", 1), WSPGW_ENOMEM);
    wspgw_alloc_fail_after(-1);
    ck_assert_uint_eq(h.n, 0);
    ck_assert_int_eq(wsp_hdrs_add(&h, "A", 1, "b", 1), 0);
    wsp_hdrs_free(&h);
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("wsp_hdrs");
    TCase *tc = tcase_create("hdrs");

    tcase_add_test(tc, test_add_find);
    tcase_add_test(tc, test_limits);
    tcase_add_test(tc, test_oom);
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
