/*
 * tests/unit/gateway/test_urlmap.c - [mmsc] URL mapping: rule parsing
 * (good and bad, named), short URLs, MMSC traffic detection, exact and
 * prefix rules, first match wins, no normalisation (trailing '/', dot
 * segments, percent-encoding and case of the path kept), and results
 * that do not fit.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/err.h"
#include "urlmap.h"

static struct gw_urlmap map;


static void
rule(const char *text)
{
    struct gw_urlmap_rule r;
    const char *why = NULL;

    ck_assert_msg(gw_urlmap_parse_rule(text, &r, &why) == 0, "rule %s: %s",
        text, why != NULL ? why : "?");
    ck_assert_int_eq(gw_urlmap_add_rule(&map, &r), 0);
}


/* Applies map to in; checks the result text and the GW_URLMAP_* bits. */
static void
expect(const char *in, const char *want, unsigned want_how)
{
    char out[512];
    unsigned how = 99;

    ck_assert_msg(gw_urlmap_apply(&map, in, out, sizeof(out), &how) == 0,
        "apply %s", in);
    ck_assert_msg(strcmp(out, want) == 0, "%s -> %s, want %s", in, out,
        want);
    ck_assert_msg(how == want_how, "%s: how %#x, want %#x", in, how,
        want_how);
}


static void
setup(void)
{
    memset(&map, 0, sizeof(map));
}


static const struct {
    const char *name;
    const char *text;
    const char *from, *to;
    int from_prefix, to_append;
} good[] = {
    { "Kannel's quoted prefix rule",
      "\"http://mms/* http://10.1.1.1:8002/mms/*\"",
      "http://mms/", "http://10.1.1.1:8002/mms/", 1, 1 },
    { "unquoted, blanks around and between", "  http://a/x\t \thttp://b/y ",
      "http://a/x", "http://b/y", 0, 0 },
    { "prefix to one URL", "http://mms.op/* http://10.0.0.1/mms",
      "http://mms.op/", "http://10.0.0.1/mms", 1, 0 },
    { "scheme-less short source", "mms http://10.0.0.1:8002/mms",
      "mms", "http://10.0.0.1:8002/mms", 0, 0 },
    { "scheme-less prefix with path", "mms/* http://10.0.0.1/*", "mms/",
      "http://10.0.0.1/", 1, 1 },
    { "https destination", "http://a/ HTTPS://b/", "http://a/",
      "HTTPS://b/", 0, 0 },
    { "query prefix", "http://a?* http://b/?*", "http://a?",
      "http://b/?", 1, 1 },
    { "quoted, blanks inside quotes", "\" http://a/ http://b/ \"",
      "http://a/", "http://b/", 0, 0 },
};

static const struct {
    const char *name;
    const char *text;
} bad[] = {
    { "empty", "" },
    { "blanks", "   " },
    { "one URL", "http://a/" },
    { "three URLs", "http://a/ http://b/ http://c/" },
    { "prefix inside the host", "http://mms* http://b/*" },
    { "scheme-less prefix inside the host", "mms* http://b/" },
    { "star alone", "* http://b/" },
    { "star inside source", "http://a/*/x http://b/" },
    { "star inside destination", "http://a/* http://b/*/x" },
    { "append without prefix", "http://a/ http://b/*" },
    { "relative destination", "http://a/ /mms" },
    { "ftp destination", "http://a/ ftp://b/" },
    { "destination without host", "http://a/ http:///x" },
    { "destination scheme-less", "http://a/ mms.op/x" },
    { "unbalanced quote", "\"http://a/ http://b/" },
    { "quote inside", "http://a/\" http://b/" },
    { "control character", "http://a/\001 http://b/" },
    { "non-ASCII", "http://a/\xc3\xa9 http://b/" },
};


START_TEST(test_parse_good)
{
    struct gw_urlmap_rule r;
    const char *why = NULL;

    ck_assert_msg(gw_urlmap_parse_rule(good[_i].text, &r, &why) == 0,
        "%s: %s", good[_i].name, why != NULL ? why : "?");
    ck_assert_str_eq(r.from, good[_i].from);
    ck_assert_str_eq(r.to, good[_i].to);
    ck_assert_int_eq(r.from_prefix, good[_i].from_prefix);
    ck_assert_int_eq(r.to_append, good[_i].to_append);
}
END_TEST


START_TEST(test_parse_bad)
{
    struct gw_urlmap_rule r;
    const char *why = NULL;

    ck_assert_msg(gw_urlmap_parse_rule(bad[_i].text, &r, &why)
        == WSPGW_EINVAL, "%s: accepted", bad[_i].name);
    ck_assert_msg(why != NULL && why[0] != '\0', "%s: no reason",
        bad[_i].name);
    ck_assert_int_eq(gw_urlmap_parse_rule(NULL, &r, NULL), WSPGW_EINVAL);
}
END_TEST


START_TEST(test_parse_lengths)
{
    struct gw_urlmap_rule r;
    char text[2 * GW_URLMAP_URL_MAX + 16], src[GW_URLMAP_URL_MAX + 2];

    /* A source of exactly GW_URLMAP_URL_MAX fits, one more does not. */
    memset(src, 'a', sizeof(src));
    memcpy(src, "http://h/", 9);
    src[GW_URLMAP_URL_MAX] = '\0';
    snprintf(text, sizeof(text), "%s http://b/", src);
    ck_assert_int_eq(gw_urlmap_parse_rule(text, &r, NULL), 0);
    src[GW_URLMAP_URL_MAX] = 'a';
    src[GW_URLMAP_URL_MAX + 1] = '\0';
    snprintf(text, sizeof(text), "%s http://b/", src);
    ck_assert_int_eq(gw_urlmap_parse_rule(text, &r, NULL), WSPGW_EINVAL);
}
END_TEST


START_TEST(test_no_rules_copies)
{
    expect("http://example.com/a", "http://example.com/a", 0);
    expect("mms", "mms", 0);
    /* A NULL map copies too. */
    {
        char out[64];
        unsigned how = 7;

        ck_assert_int_eq(gw_urlmap_apply(NULL, "http://x/", out,
            sizeof(out), &how), 0);
        ck_assert_str_eq(out, "http://x/");
        ck_assert_uint_eq(how, 0);
    }
}
END_TEST


START_TEST(test_prefix_keeps_remainder_verbatim)
{
    rule("\"http://mms/* http://10.1.1.1:8002/mms/*\"");
    expect("http://mms/", "http://10.1.1.1:8002/mms/", GW_URLMAP_MAPPED);
    expect("http://mms/x", "http://10.1.1.1:8002/mms/x", GW_URLMAP_MAPPED);
    /* The trailing slash, dot segments, %-escapes, case and query pass
     * through as they are. */
    expect("http://mms/x/", "http://10.1.1.1:8002/mms/x/",
        GW_URLMAP_MAPPED);
    expect("http://mms/a/../B%2f?q=1&r=/#f",
        "http://10.1.1.1:8002/mms/a/../B%2f?q=1&r=/#f", GW_URLMAP_MAPPED);
    /* Scheme and host are case-insensitive. */
    expect("HTTP://MMS/Up", "http://10.1.1.1:8002/mms/Up", GW_URLMAP_MAPPED);
    /* Not the same host: no match. */
    expect("http://mms.evil.example/", "http://mms.evil.example/", 0);
    expect("http://mmsx/", "http://mmsx/", 0);
    /* Without the '/', the prefix does not match. */
    expect("http://mms", "http://mms", 0);
    expect("http://mms:80/", "http://mms:80/", 0);
}
END_TEST


START_TEST(test_exact_and_path_case)
{
    rule("http://mms.op/mms http://10.0.0.1/real");
    expect("http://mms.op/mms", "http://10.0.0.1/real", GW_URLMAP_MAPPED);
    expect("http://MMS.OP/mms", "http://10.0.0.1/real", GW_URLMAP_MAPPED);
    /* The path compares exactly: a trailing slash or case differs. */
    expect("http://mms.op/mms/", "http://mms.op/mms/", 0);
    expect("http://mms.op/MMS", "http://mms.op/MMS", 0);
    expect("http://mms.op/mm", "http://mms.op/mm", 0);
}
END_TEST


START_TEST(test_first_match_wins)
{
    rule("http://a/special http://10.0.0.2/s");
    rule("http://a/* http://10.0.0.1/*");
    rule("http://a/special http://10.0.0.3/never");
    expect("http://a/special", "http://10.0.0.2/s", GW_URLMAP_MAPPED);
    expect("http://a/special2", "http://10.0.0.1/special2",
        GW_URLMAP_MAPPED);
    expect("http://a/", "http://10.0.0.1/", GW_URLMAP_MAPPED);
}
END_TEST


START_TEST(test_short_urls_and_mmsc)
{
    const char *why = NULL;

    ck_assert_int_eq(gw_urlmap_set_url(&map, "http://mms.op/", &why), 0);
    ck_assert_int_eq(gw_urlmap_add_short(&map, "mms", &why), 0);
    ck_assert_int_eq(gw_urlmap_add_short(&map, "http://MMS2", &why), 0);
    rule("http://mms.op/* http://10.1.1.1:8002/mms/*");

    /* Short forms become url, then the rule applies. */
    expect("mms", "http://10.1.1.1:8002/mms/",
        GW_URLMAP_SHORT | GW_URLMAP_MMSC | GW_URLMAP_MAPPED);
    expect("http://mms", "http://10.1.1.1:8002/mms/",
        GW_URLMAP_SHORT | GW_URLMAP_MMSC | GW_URLMAP_MAPPED);
    expect("MMS2", "http://10.1.1.1:8002/mms/",
        GW_URLMAP_SHORT | GW_URLMAP_MMSC | GW_URLMAP_MAPPED);
    /* url's own host, bare or with http://, is short too. */
    expect("mms.op", "http://10.1.1.1:8002/mms/",
        GW_URLMAP_SHORT | GW_URLMAP_MMSC | GW_URLMAP_MAPPED);
    expect("http://mms.op", "http://10.1.1.1:8002/mms/",
        GW_URLMAP_SHORT | GW_URLMAP_MMSC | GW_URLMAP_MAPPED);
    /* Anything after a short name and it is not short. */
    expect("mms/", "mms/", 0);
    expect("http://mms/x", "http://mms/x", 0);
    expect("mmsx", "mmsx", 0);
    /* A full MMSC URL: MMSC traffic, mapped with its path. */
    expect("http://mms.op/send/", "http://10.1.1.1:8002/mms/send/",
        GW_URLMAP_MMSC | GW_URLMAP_MAPPED);
    /* Another host: neither. */
    expect("http://portal.op/", "http://portal.op/", 0);
    /* A look-alike host is not MMSC traffic. */
    expect("http://mms.op.evil/", "http://mms.op.evil/", 0);
}
END_TEST


START_TEST(test_mmsc_without_rules)
{
    ck_assert_int_eq(gw_urlmap_set_url(&map, "http://10.0.0.9:8002/mms",
        NULL), 0);
    expect("http://10.0.0.9:8002/mms", "http://10.0.0.9:8002/mms",
        GW_URLMAP_MMSC);
    /* url's host alone is its short form: it becomes url. */
    expect("http://10.0.0.9:8002", "http://10.0.0.9:8002/mms",
        GW_URLMAP_SHORT | GW_URLMAP_MMSC);
    expect("http://10.0.0.9:8002?x", "http://10.0.0.9:8002?x",
        GW_URLMAP_MMSC);
    expect("http://10.0.0.9:80021/", "http://10.0.0.9:80021/", 0);
    /* The short form of an http url's host ("10.0.0.9:8002"). */
    expect("10.0.0.9:8002", "http://10.0.0.9:8002/mms",
        GW_URLMAP_SHORT | GW_URLMAP_MMSC);
}
END_TEST


START_TEST(test_bad_settings)
{
    const char *why = NULL;
    unsigned i;
    char name[16];

    ck_assert_int_eq(gw_urlmap_set_url(&map, "mms", &why), WSPGW_EINVAL);
    ck_assert_int_eq(gw_urlmap_set_url(&map, "ftp://a/", &why),
        WSPGW_EINVAL);
    ck_assert_int_eq(gw_urlmap_set_url(&map, "http://a/ b", &why),
        WSPGW_EINVAL);
    ck_assert_int_eq(gw_urlmap_set_url(&map, "http:///", &why),
        WSPGW_EINVAL);
    ck_assert_int_eq(gw_urlmap_set_url(&map, "", &why), 0);
    ck_assert_str_eq(map.url, "");
    ck_assert_int_eq(gw_urlmap_add_short(&map, "", &why), WSPGW_EINVAL);
    ck_assert_int_eq(gw_urlmap_add_short(&map, "mms/x", &why),
        WSPGW_EINVAL);
    ck_assert_int_eq(gw_urlmap_add_short(&map, "http://", &why),
        WSPGW_EINVAL);
    ck_assert_int_eq(gw_urlmap_add_short(&map, "m_s", &why), WSPGW_EINVAL);
    for (i = 0; i < GW_URLMAP_SHORT_MAX; i++) {
        snprintf(name, sizeof(name), "mms%u", i);
        ck_assert_int_eq(gw_urlmap_add_short(&map, name, &why), 0);
    }
    ck_assert_int_eq(gw_urlmap_add_short(&map, "mms0", &why), 0);
    ck_assert_int_eq(gw_urlmap_add_short(&map, "more", &why),
        WSPGW_ENOSPC);
    /* Without url, short names do nothing. */
    expect("mms1", "mms1", 0);
}
END_TEST


START_TEST(test_rules_cap)
{
    struct gw_urlmap_rule r;
    unsigned i;

    ck_assert_int_eq(gw_urlmap_parse_rule("http://a/ http://b/", &r, NULL),
        0);
    for (i = 0; i < GW_URLMAP_RULES_MAX; i++) {
        ck_assert_int_eq(gw_urlmap_add_rule(&map, &r), 0);
    }
    ck_assert_int_eq(gw_urlmap_add_rule(&map, &r), WSPGW_ENOSPC);
}
END_TEST


START_TEST(test_result_too_long)
{
    char out[32];
    unsigned how = 5;

    rule("http://a/* http://10.0.0.1:8002/some/long/path/*");
    ck_assert_int_eq(gw_urlmap_apply(&map, "http://a/xyz", out, sizeof(out),
        &how), WSPGW_EMSGSIZE);
    ck_assert_str_eq(out, "");
    ck_assert_uint_eq(how, 0);
    /* Exactly fitting: 31 characters and the NUL. */
    ck_assert_int_eq(gw_urlmap_apply(&map, "http://a/", out, sizeof(out),
        &how), WSPGW_EMSGSIZE);
    memset(&map, 0, sizeof(map));
    rule("http://a/* http://10.0.0.1/*");
    ck_assert_int_eq(gw_urlmap_apply(&map, "http://a/0123456789abcde", out,
        sizeof(out), &how), 0);
    ck_assert_uint_eq(strlen(out), 31);
    ck_assert_int_eq(gw_urlmap_apply(&map, "http://a/0123456789abcdef", out,
        sizeof(out), &how), WSPGW_EMSGSIZE);
    /* No rule: the copy must fit too. */
    ck_assert_int_eq(gw_urlmap_apply(&map, "http://x/0123456789012345678901"
        "234567890", out, sizeof(out), &how), WSPGW_EMSGSIZE);
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("gateway/urlmap");
    TCase *tc = tcase_create("urlmap");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_loop_test(tc, test_parse_good, 0,
        (int) (sizeof(good) / sizeof(good[0])));
    tcase_add_loop_test(tc, test_parse_bad, 0,
        (int) (sizeof(bad) / sizeof(bad[0])));
    tcase_add_test(tc, test_parse_lengths);
    tcase_add_test(tc, test_no_rules_copies);
    tcase_add_test(tc, test_prefix_keeps_remainder_verbatim);
    tcase_add_test(tc, test_exact_and_path_case);
    tcase_add_test(tc, test_first_match_wins);
    tcase_add_test(tc, test_short_urls_and_mmsc);
    tcase_add_test(tc, test_mmsc_without_rules);
    tcase_add_test(tc, test_bad_settings);
    tcase_add_test(tc, test_rules_cap);
    tcase_add_test(tc, test_result_too_long);
    suite_add_tcase(s, tc);
    return s;
}


int
main(void)
{
    SRunner *sr = srunner_create(suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
