/*
 * tests/unit/gateway/test_push_user.c - push initiators
 * (gateway/push_user.c): section names, key values, the password,
 * source CIDR and destination checks.
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "push_user.h"


static void
user(struct gw_push_user *u, const char *ip, const char *prefix)
{
    char why[200];

    memset(u, 0, sizeof(*u));
    snprintf(u->name, sizeof(u->name), "u");
    ck_assert_int_eq(gw_push_user_set(u, "password", "s3cret", why,
        sizeof(why)), 0);
    ck_assert_int_eq(gw_push_user_set(u, "allow-ip", ip, why, sizeof(why)),
        0);
    if (prefix != NULL) {
        ck_assert_int_eq(gw_push_user_set(u, "allow-prefix", prefix, why,
            sizeof(why)), 0);
    }
}


static int
ip_ok(const struct gw_push_user *u, const char *text)
{
    struct sockaddr_in sin;
    struct sockaddr_in6 sin6;

    memset(&sin, 0, sizeof(sin));
    memset(&sin6, 0, sizeof(sin6));
    if (inet_pton(AF_INET, text, &sin.sin_addr) == 1) {
        sin.sin_family = AF_INET;
        return gw_push_user_ip_ok(u, (struct sockaddr *) &sin);
    }
    ck_assert_int_eq(inet_pton(AF_INET6, text, &sin6.sin6_addr), 1);
    sin6.sin6_family = AF_INET6;
    return gw_push_user_ip_ok(u, (struct sockaddr *) &sin6);
}


START_TEST(test_section)
{
    char name[64], why[120];

    ck_assert_int_eq(gw_push_user_section("push-user mmsc", name,
        sizeof(name), why, sizeof(why)), 1);
    ck_assert_str_eq(name, "mmsc");
    ck_assert_int_eq(gw_push_user_section("push-user \t a.b-c_1", name,
        sizeof(name), why, sizeof(why)), 1);
    ck_assert_str_eq(name, "a.b-c_1");
    ck_assert_int_eq(gw_push_user_section("push", name, sizeof(name), why,
        sizeof(why)), 0);
    ck_assert_int_eq(gw_push_user_section("push-users x", name, sizeof(name),
        why, sizeof(why)), 0);
    ck_assert_int_eq(gw_push_user_section("push-user", name, sizeof(name),
        why, sizeof(why)), -1);
    ck_assert_int_eq(gw_push_user_section("push-user a b", name,
        sizeof(name), why, sizeof(why)), -1);
    ck_assert_int_eq(gw_push_user_section("push-user a:b", name,
        sizeof(name), why, sizeof(why)), -1);
}
END_TEST


START_TEST(test_password)
{
    struct gw_push_user u;

    user(&u, "::1", NULL);
    ck_assert(gw_push_user_password_ok(&u, "s3cret", 6));
    ck_assert(!gw_push_user_password_ok(&u, "s3cre", 5));
    ck_assert(!gw_push_user_password_ok(&u, "s3crett", 7));
    ck_assert(!gw_push_user_password_ok(&u, "S3cret", 6));
    ck_assert(!gw_push_user_password_ok(&u, "", 0));
    /* A prefix-and-repeat of the password is not it either. */
    ck_assert(!gw_push_user_password_ok(&u, "s3crets3cret", 12));
    u.has_password = 0;
    ck_assert(!gw_push_user_password_ok(&u, "s3cret", 6));
}
END_TEST


START_TEST(test_source)
{
    struct gw_push_user u;

    char why[160];

    /* Host bits under the mask are refused (gateway/cidr.c), as for
     * [gateway] allow-client: "192.0.2.129/25" is a typo, not a range. */
    memset(&u, 0, sizeof(u));
    ck_assert_int_eq(gw_push_user_set(&u, "allow-ip", "192.0.2.129/25", why,
        sizeof(why)), -1);
    ck_assert_ptr_nonnull(strstr(why, "192.0.2.129/25"));
    user(&u, "127.0.0.1, 10.1.0.0/16, 2001:db8::/33, 192.0.2.128/25", NULL);
    ck_assert(ip_ok(&u, "127.0.0.1"));
    ck_assert(!ip_ok(&u, "127.0.0.2"));
    ck_assert(ip_ok(&u, "10.1.255.3"));
    ck_assert(!ip_ok(&u, "10.2.0.1"));
    ck_assert(ip_ok(&u, "192.0.2.200"));
    ck_assert(!ip_ok(&u, "192.0.2.100"));
    ck_assert(ip_ok(&u, "2001:db8:7fff::1"));
    ck_assert(!ip_ok(&u, "2001:db8:8000::1"));
    /* A dual-stack listener sees IPv4 peers as v4-mapped IPv6. */
    ck_assert(ip_ok(&u, "::ffff:10.1.2.3"));
    ck_assert(!ip_ok(&u, "::ffff:10.2.2.3"));
    ck_assert(!ip_ok(&u, "::1"));
    user(&u, "0.0.0.0/0", NULL);
    ck_assert(ip_ok(&u, "203.0.113.9"));
    ck_assert(!ip_ok(&u, "2001:db8::1"));
}
END_TEST


START_TEST(test_destination)
{
    struct gw_push_user u;

    user(&u, "::1", NULL);
    ck_assert(gw_push_user_dest_ok(&u, GW_PUSH_PLMN, "+4477001"));
    ck_assert(gw_push_user_dest_ok(&u, GW_PUSH_IPV4, "192.0.2.1"));
    user(&u, "::1", "+1555, +358");
    ck_assert(gw_push_user_dest_ok(&u, GW_PUSH_PLMN, "+15551234567"));
    ck_assert(gw_push_user_dest_ok(&u, GW_PUSH_PLMN, "+358401234567"));
    ck_assert(!gw_push_user_dest_ok(&u, GW_PUSH_PLMN, "+1556"));
    ck_assert(!gw_push_user_dest_ok(&u, GW_PUSH_PLMN, "1555"));
    ck_assert(!gw_push_user_dest_ok(&u, GW_PUSH_IPV4, "192.0.2.1"));
    user(&u, "::1", "+1555, 192.0.2.0/24, 2001:db8::/32");
    ck_assert(gw_push_user_dest_ok(&u, GW_PUSH_IPV4, "192.0.2.1"));
    ck_assert(!gw_push_user_dest_ok(&u, GW_PUSH_IPV4, "192.0.3.1"));
    ck_assert(gw_push_user_dest_ok(&u, GW_PUSH_IPV6, "2001:db8::5"));
    ck_assert(!gw_push_user_dest_ok(&u, GW_PUSH_IPV6, "2001:db9::5"));
    ck_assert(!gw_push_user_dest_ok(&u, GW_PUSH_IPV6, "not an address"));
}
END_TEST


START_TEST(test_bad_values)
{
    struct gw_push_user u;
    char why[200];

    memset(&u, 0, sizeof(u));
    ck_assert_str_eq(gw_push_user_missing(&u), "password");
    ck_assert_int_eq(gw_push_user_set(&u, "allow-ip", "1.2.3.4/", why,
        sizeof(why)), -1);
    ck_assert_int_eq(gw_push_user_set(&u, "allow-ip", "::1/129", why,
        sizeof(why)), -1);
    ck_assert_int_eq(gw_push_user_set(&u, "allow-ip", "1.2.3.4/-1", why,
        sizeof(why)), -1);
    ck_assert_int_eq(gw_push_user_set(&u, "allow-prefix", "+", why,
        sizeof(why)), -1);
    ck_assert_int_eq(gw_push_user_set(&u, "allow-prefix", "1.2.3.0/40",
        why, sizeof(why)), -1);
    ck_assert_int_eq(gw_push_user_set(&u, "nope", "x", why, sizeof(why)),
        -1);
    ck_assert_ptr_nonnull(strstr(why, "nope"));
    ck_assert_int_eq(gw_push_user_set(&u, "password", "p", why, sizeof(why)),
        0);
    ck_assert_str_eq(gw_push_user_missing(&u), "allow-ip");
}
END_TEST


START_TEST(test_caps)
{
    struct gw_push_user u;
    char why[200], item[40];
    unsigned i;

    memset(&u, 0, sizeof(u));
    for (i = 0; i < GW_PUSH_USER_CIDRS_MAX; i++) {
        snprintf(item, sizeof(item), "10.0.%u.0/24", i);
        ck_assert_int_eq(gw_push_user_set(&u, "allow-ip", item, why,
            sizeof(why)), 0);
    }
    ck_assert_int_eq(gw_push_user_set(&u, "allow-ip", "10.1.0.0/24", why,
        sizeof(why)), -1);
    ck_assert_ptr_nonnull(strstr(why, "too many"));
    for (i = 0; i < GW_PUSH_USER_PREFIX_MAX; i++) {
        snprintf(item, sizeof(item), "+%u", 100 + i);
        ck_assert_int_eq(gw_push_user_set(&u, "allow-prefix", item, why,
            sizeof(why)), 0);
    }
    ck_assert_int_eq(gw_push_user_set(&u, "allow-prefix", "+9", why,
        sizeof(why)), -1);
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("gateway/push_user");
    TCase *tc = tcase_create("push_user");

    tcase_add_test(tc, test_section);
    tcase_add_test(tc, test_password);
    tcase_add_test(tc, test_source);
    tcase_add_test(tc, test_destination);
    tcase_add_test(tc, test_bad_values);
    tcase_add_test(tc, test_caps);
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
