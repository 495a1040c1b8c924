/*
 * tests/unit/gateway/test_cidr.c - address prefixes: parsing vectors
 * (good and bad, named), matching at the prefix boundaries of both
 * families, IPv4-mapped addresses, the list cap, and the client access
 * decision (deny wins, empty allow admits all).
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/err.h"
#include "cidr.h"

/* Builds a sockaddr for an IP literal (port 1234). */
static struct sockaddr_storage
sa_of(const char *ip)
{
    struct sockaddr_storage ss;
    struct sockaddr_in *in = (struct sockaddr_in *) &ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) &ss;

    memset(&ss, 0, sizeof(ss));
    if (inet_pton(AF_INET, ip, &in->sin_addr) == 1) {
        in->sin_family = AF_INET;
        in->sin_port = htons(1234);
        return ss;
    }
    ck_assert_msg(inet_pton(AF_INET6, ip, &in6->sin6_addr) == 1,
        "bad test address %s", ip);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(1234);
    return ss;
}


static int
matches(const char *prefix, const char *ip)
{
    struct gw_cidr p;
    struct sockaddr_storage ss = sa_of(ip);

    ck_assert_msg(gw_cidr_parse(prefix, &p, NULL) == 0, "parse %s", prefix);
    return gw_cidr_match(&p, (struct sockaddr *) &ss);
}


struct good_vec {
    const char *name;
    const char *text;
    int family;
    unsigned bits;
};

static const struct good_vec good[] = {
    { "IPv4 /8", "10.0.0.0/8", AF_INET, 8 },
    { "IPv4 bare address", "192.0.2.7", AF_INET, 32 },
    { "IPv4 /0", "0.0.0.0/0", AF_INET, 0 },
    { "IPv4 /32", "192.0.2.7/32", AF_INET, 32 },
    { "IPv4 /31", "192.0.2.6/31", AF_INET, 31 },
    { "blanks around", "  10.1.0.0/16\t", AF_INET, 16 },
    { "IPv6 /32", "2001:db8::/32", AF_INET6, 32 },
    { "IPv6 bare", "2001:db8::1", AF_INET6, 128 },
    { "IPv6 /0", "::/0", AF_INET6, 0 },
    { "IPv6 /128", "::1/128", AF_INET6, 128 },
    { "IPv6 /127", "2001:db8::/127", AF_INET6, 127 },
    { "IPv4-mapped bare becomes IPv4", "::ffff:10.0.0.1", AF_INET, 32 },
    { "IPv4-mapped /104 becomes IPv4 /8", "::ffff:10.0.0.0/104", AF_INET,
      8 },
    { "IPv4-mapped /96 becomes IPv4 /0", "::ffff:0.0.0.0/96", AF_INET, 0 },
};

static const struct {
    const char *name;
    const char *text;
} bad[] = {
    { "empty", "" },
    { "blanks", "  " },
    { "name", "localhost" },
    { "name with prefix", "example.com/24" },
    { "short IPv4", "10.1/16" },
    { "hex IPv4", "0x0a.0.0.0/8" },
    { "octet too big", "10.0.0.256" },
    { "host bits set", "10.1.2.3/8" },
    { "IPv6 host bits set", "2001:db8::1/32" },
    { "prefix too long v4", "10.0.0.0/33" },
    { "prefix too long v6", "::/129" },
    { "prefix 4 digits", "10.0.0.0/0008" },
    { "empty prefix", "10.0.0.0/" },
    { "negative prefix", "10.0.0.0/-1" },
    { "prefix junk", "10.0.0.0/8x" },
    { "prefix blank", "10.0.0.0/ 8" },
    { "two slashes", "10.0.0.0/8/8" },
    { "brackets", "[::1]" },
    { "brackets and prefix", "[2001:db8::]/32" },
    { "zone id", "fe80::1%eth0" },
    { "port", "10.0.0.1:80" },
    { "covers the mapped range", "::/80" },
    { "slash only", "/8" },
};


START_TEST(test_parse_good)
{
    const struct good_vec *v = &good[_i];
    struct gw_cidr p;
    const char *why = NULL;

    ck_assert_msg(gw_cidr_parse(v->text, &p, &why) == 0, "%s: %s", v->name,
        why != NULL ? why : "?");
    ck_assert_msg(p.family == v->family, "%s: family", v->name);
    ck_assert_msg(p.bits == v->bits, "%s: bits %u", v->name, p.bits);
}
END_TEST


START_TEST(test_parse_bad)
{
    struct gw_cidr p;
    const char *why = NULL;

    ck_assert_msg(gw_cidr_parse(bad[_i].text, &p, &why) == WSPGW_EINVAL,
        "%s: accepted", bad[_i].name);
    ck_assert_msg(why != NULL && why[0] != '\0', "%s: no reason",
        bad[_i].name);
    ck_assert_int_eq(p.family, 0);
    ck_assert_int_eq(gw_cidr_parse(NULL, &p, NULL), WSPGW_EINVAL);
}
END_TEST


START_TEST(test_match_boundaries)
{
    /* IPv4 /8: first and last inside, neighbours outside. */
    ck_assert(matches("10.0.0.0/8", "10.0.0.0"));
    ck_assert(matches("10.0.0.0/8", "10.255.255.255"));
    ck_assert(!matches("10.0.0.0/8", "9.255.255.255"));
    ck_assert(!matches("10.0.0.0/8", "11.0.0.0"));
    /* Non-octet boundary: /12 and /31. */
    ck_assert(matches("172.16.0.0/12", "172.31.255.255"));
    ck_assert(!matches("172.16.0.0/12", "172.32.0.0"));
    ck_assert(!matches("172.16.0.0/12", "172.15.255.255"));
    ck_assert(matches("192.0.2.6/31", "192.0.2.7"));
    ck_assert(!matches("192.0.2.6/31", "192.0.2.8"));
    ck_assert(matches("192.0.2.7", "192.0.2.7"));
    ck_assert(!matches("192.0.2.7", "192.0.2.6"));
    ck_assert(matches("0.0.0.0/0", "203.0.113.9"));
    /* IPv6 /10 and /127. */
    ck_assert(matches("fe80::/10", "febf:ffff::1"));
    ck_assert(!matches("fe80::/10", "fec0::1"));
    ck_assert(matches("2001:db8::/127", "2001:db8::1"));
    ck_assert(!matches("2001:db8::/127", "2001:db8::2"));
    ck_assert(matches("::/0", "2001:db8::2"));
    /* Families never cross... */
    ck_assert(!matches("0.0.0.0/0", "2001:db8::1"));
    ck_assert(!matches("::/0", "10.0.0.1"));
    /* ...except that an IPv4-mapped address is its IPv4 address, both
     * as the address matched and as the prefix written. */
    ck_assert(matches("10.0.0.0/8", "::ffff:10.1.2.3"));
    ck_assert(!matches("10.0.0.0/8", "::ffff:11.1.2.3"));
    ck_assert(matches("::ffff:10.0.0.0/104", "10.9.9.9"));
    ck_assert(!matches("::/0", "::ffff:10.1.2.3"));
}
END_TEST


START_TEST(test_match_other_family)
{
    struct gw_cidr p;
    struct sockaddr sa;

    ck_assert_int_eq(gw_cidr_parse("0.0.0.0/0", &p, NULL), 0);
    memset(&sa, 0, sizeof(sa));
    sa.sa_family = AF_UNIX;
    ck_assert_int_eq(gw_cidr_match(&p, &sa), 0);
    ck_assert_int_eq(gw_cidr_match(&p, NULL), 0);
}
END_TEST


START_TEST(test_list_cap_and_dedup)
{
    static struct gw_cidr_list l;
    struct gw_cidr p;
    char text[32];
    unsigned i;

    memset(&l, 0, sizeof(l));
    for (i = 0; i < GW_CIDR_LIST_MAX; i++) {
        snprintf(text, sizeof(text), "10.%u.0.0/16", i);
        ck_assert_int_eq(gw_cidr_parse(text, &p, NULL), 0);
        ck_assert_int_eq(gw_cidr_list_add(&l, &p), 0);
        /* The same prefix again is no new entry. */
        ck_assert_int_eq(gw_cidr_list_add(&l, &p), 0);
    }
    ck_assert_uint_eq(l.n, GW_CIDR_LIST_MAX);
    ck_assert_int_eq(gw_cidr_parse("192.0.2.0/24", &p, NULL), 0);
    ck_assert_int_eq(gw_cidr_list_add(&l, &p), WSPGW_ENOSPC);
    ck_assert_uint_eq(l.n, GW_CIDR_LIST_MAX);
}
END_TEST


START_TEST(test_client_ok)
{
    static struct gw_cidr_list allow, deny;
    struct gw_cidr p;
    struct sockaddr_storage a = sa_of("10.1.2.3"), b = sa_of("10.9.9.9"),
        c = sa_of("192.0.2.1"), d = sa_of("2001:db8::5"),
        m = sa_of("::ffff:10.9.9.9");

    memset(&allow, 0, sizeof(allow));
    memset(&deny, 0, sizeof(deny));
    /* Both empty: everyone. */
    ck_assert(gw_cidr_client_ok(&allow, &deny, (struct sockaddr *) &c));
    ck_assert(gw_cidr_client_ok(NULL, NULL, (struct sockaddr *) &d));
    /* Deny only: everyone but the denied. */
    ck_assert_int_eq(gw_cidr_parse("10.9.0.0/16", &p, NULL), 0);
    gw_cidr_list_add(&deny, &p);
    ck_assert(gw_cidr_client_ok(&allow, &deny, (struct sockaddr *) &a));
    ck_assert(!gw_cidr_client_ok(&allow, &deny, (struct sockaddr *) &b));
    ck_assert(!gw_cidr_client_ok(&allow, &deny, (struct sockaddr *) &m));
    ck_assert(gw_cidr_client_ok(&allow, &deny, (struct sockaddr *) &c));
    /* Allow 10/8 and the IPv6 /32: deny still wins inside it. */
    ck_assert_int_eq(gw_cidr_parse("10.0.0.0/8", &p, NULL), 0);
    gw_cidr_list_add(&allow, &p);
    ck_assert_int_eq(gw_cidr_parse("2001:db8::/32", &p, NULL), 0);
    gw_cidr_list_add(&allow, &p);
    ck_assert(gw_cidr_client_ok(&allow, &deny, (struct sockaddr *) &a));
    ck_assert(!gw_cidr_client_ok(&allow, &deny, (struct sockaddr *) &b));
    ck_assert(!gw_cidr_client_ok(&allow, &deny, (struct sockaddr *) &c));
    ck_assert(gw_cidr_client_ok(&allow, &deny, (struct sockaddr *) &d));
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("gateway/cidr");
    TCase *tc = tcase_create("cidr");

    tcase_add_loop_test(tc, test_parse_good, 0,
        (int) (sizeof(good) / sizeof(good[0])));
    tcase_add_loop_test(tc, test_parse_bad, 0,
        (int) (sizeof(bad) / sizeof(bad[0])));
    tcase_add_test(tc, test_match_boundaries);
    tcase_add_test(tc, test_match_other_family);
    tcase_add_test(tc, test_list_cap_and_dedup);
    tcase_add_test(tc, test_client_ok);
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
