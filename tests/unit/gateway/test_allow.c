/*
 * tests/unit/gateway/test_allow.c - the upstream allow list: parsing
 * vectors (good and bad, picohttpparser-style named tables) and the two
 * matching steps (URL host, then connect address).
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/err.h"
#include "allow.h"

struct good_vec {
    const char *name;
    const char *text;
    const char *host;
    unsigned port;
    int is_ip;
};

static const struct good_vec good[] = {
    { "name", "mmsc.example.com:80", "mmsc.example.com", 80, 0 },
    { "name, blanks around", "  portal.example:8080\t", "portal.example",
      8080, 0 },
    { "name, upper case kept", "MMSC.Example.COM:443", "MMSC.Example.COM",
      443, 0 },
    { "single label", "localhost:1", "localhost", 1, 0 },
    { "trailing root dot dropped", "example.com.:80", "example.com", 80, 0 },
    { "hyphen inside label", "a-b.c-d.e:65535", "a-b.c-d.e", 65535, 0 },
    { "digits in labels", "10.example.net:81", "10.example.net", 81, 0 },
    { "IPv4", "10.0.0.1:8080", "10.0.0.1", 8080, 1 },
    { "IPv6 loopback", "[::1]:9000", "::1", 9000, 1 },
    { "IPv6 full", "[2001:db8:0:0:0:0:0:1]:80", "2001:db8:0:0:0:0:0:1",
      80, 1 },
    { "IPv4-mapped IPv6", "[::ffff:192.0.2.1]:80", "::ffff:192.0.2.1",
      80, 1 },
    { "port with leading zero", "host.example:080", "host.example", 80, 0 },
};

struct bad_vec {
    const char *name;
    const char *text;
};

static const struct bad_vec bad[] = {
    { "empty", "" },
    { "blanks only", "   " },
    { "missing port", "mmsc.example.com" },
    { "empty port", "mmsc.example.com:" },
    { "port 0", "mmsc.example.com:0" },
    { "port 65536", "mmsc.example.com:65536" },
    { "port 99999", "mmsc.example.com:99999" },
    { "port too many digits", "mmsc.example.com:000080" },
    { "port negative", "mmsc.example.com:-1" },
    { "port plus", "mmsc.example.com:+80" },
    { "port junk", "mmsc.example.com:80x" },
    { "port with blank", "mmsc.example.com: 80" },
    { "empty host", ":80" },
    { "junk", "!!!:80" },
    { "underscore", "my_host.example:80" },
    { "blank inside name", "my host:80" },
    { "scheme", "http://mmsc.example.com:80" },
    { "path", "mmsc.example.com:80/path" },
    { "empty label", "a..b:80" },
    { "leading dot", ".example.com:80" },
    { "label starts with hyphen", "-a.example:80" },
    { "label ends with hyphen", "a-.example:80" },
    { "numeric name", "12345:80" },
    { "short IPv4 form", "127.1:80" },
    { "IPv4 octet too big", "1.2.3.256:80" },
    { "IPv6 without brackets", "::1:80" },
    { "IPv6 without brackets, no port", "2001:db8::1" },
    { "IPv6 missing ]", "[::1:80" },
    { "IPv6 missing port", "[::1]" },
    { "IPv6 empty port", "[::1]:" },
    { "IPv6 junk after ]", "[::1]x80" },
    { "IPv6 bad address", "[::g]:80" },
    { "IPv4 in brackets", "[10.0.0.1]:80" },
    { "name in brackets", "[localhost]:80" },
    { "IPv6 zone id", "[fe80::1%eth0]:80" },
    { "non-ASCII", "caf\xc3\xa9.example:80" },
};


START_TEST(test_parse_good)
{
    const struct good_vec *v = &good[_i];
    struct gw_allow_entry e;
    const char *why = NULL;

    ck_assert_msg(gw_allow_parse_entry(v->text, &e, &why) == 0,
        "%s: rejected (%s)", v->name, why != NULL ? why : "?");
    ck_assert_str_eq(e.host, v->host);
    ck_assert_uint_eq(e.port, v->port);
    ck_assert_int_eq(e.is_ip, v->is_ip);
    if (v->is_ip) {
        ck_assert(e.addr.ss_family == AF_INET
            || e.addr.ss_family == AF_INET6);
    }
}
END_TEST


START_TEST(test_parse_bad)
{
    const struct bad_vec *v = &bad[_i];
    struct gw_allow_entry e;
    const char *why = NULL;

    ck_assert_msg(gw_allow_parse_entry(v->text, &e, &why) == WSPGW_EINVAL,
        "%s: accepted", v->name);
    ck_assert_msg(why != NULL && why[0] != '\0', "%s: no reason", v->name);
}
END_TEST


START_TEST(test_parse_long_names)
{
    char text[600];
    struct gw_allow_entry e;
    const char *why;
    size_t i;

    /* 63-octet label: fine; 64: refused. */
    memset(text, 'a', 63);
    snprintf(text + 63, sizeof(text) - 63, ".example:80");
    ck_assert_int_eq(gw_allow_parse_entry(text, &e, &why), 0);
    memset(text, 'a', 64);
    snprintf(text + 64, sizeof(text) - 64, ".example:80");
    ck_assert_int_eq(gw_allow_parse_entry(text, &e, &why), WSPGW_EINVAL);

    /* 255 octets in all (labels of 15 + dot): fine; 256: refused. */
    for (i = 0; i < 255; i++) {
        text[i] = (i % 16 == 15) ? '.' : 'b';
    }
    text[254] = 'z';
    snprintf(text + 255, sizeof(text) - 255, ":80");
    ck_assert_msg(gw_allow_parse_entry(text, &e, &why) == 0, "%s", why);
    ck_assert_uint_eq(strlen(e.host), 255);
    for (i = 0; i < 256; i++) {
        text[i] = (i % 16 == 15) ? '.' : 'b';
    }
    text[255] = 'z';
    snprintf(text + 256, sizeof(text) - 256, ":80");
    ck_assert_int_eq(gw_allow_parse_entry(text, &e, &why), WSPGW_EINVAL);

    /* Far over the limit (no buffer overrun either). */
    memset(text, 'c', 590);
    snprintf(text + 590, sizeof(text) - 590, ":80");
    ck_assert_int_eq(gw_allow_parse_entry(text, &e, &why), WSPGW_EINVAL);
    ck_assert_int_eq(gw_allow_parse_entry(NULL, &e, &why), WSPGW_EINVAL);
}
END_TEST


static void
add(struct gw_allow *a, const char *text)
{
    struct gw_allow_entry e;
    const char *why = NULL;

    ck_assert_msg(gw_allow_parse_entry(text, &e, &why) == 0, "%s: %s", text,
        why);
    ck_assert_int_eq(gw_allow_add(a, &e), 0);
}


static struct sockaddr_storage
sa(const char *ip, unsigned port)
{
    struct sockaddr_storage ss;
    struct sockaddr_in *in = (struct sockaddr_in *) &ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) &ss;

    memset(&ss, 0, sizeof(ss));
    if (inet_pton(AF_INET, ip, &in->sin_addr) == 1) {
        in->sin_family = AF_INET;
        in->sin_port = htons((uint16_t) port);
    } else {
        ck_assert_int_eq(inet_pton(AF_INET6, ip, &in6->sin6_addr), 1);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t) port);
    }
    return ss;
}


START_TEST(test_add_dedup_and_full)
{
    static struct gw_allow a;
    struct gw_allow_entry e;
    const char *why;
    char text[64];
    unsigned i;

    memset(&a, 0, sizeof(a));
    add(&a, "mmsc.example:80");
    add(&a, "MMSC.example:80");
    add(&a, "mmsc.example.:80");
    ck_assert_uint_eq(a.n, 1);
    add(&a, "mmsc.example:81");
    ck_assert_uint_eq(a.n, 2);
    add(&a, "[::1]:80");
    add(&a, "[0:0::1]:80");
    ck_assert_uint_eq(a.n, 3);
    add(&a, "192.0.2.1:80");
    add(&a, "[::ffff:192.0.2.1]:80");
    ck_assert_uint_eq(a.n, 4);

    for (i = a.n; i < GW_ALLOW_MAX; i++) {
        snprintf(text, sizeof(text), "h%u.example:80", i);
        add(&a, text);
    }
    ck_assert_uint_eq(a.n, GW_ALLOW_MAX);
    ck_assert_int_eq(gw_allow_parse_entry("one-more.example:80", &e, &why),
        0);
    ck_assert_int_eq(gw_allow_add(&a, &e), WSPGW_ENOSPC);
    /* A duplicate is still accepted when full. */
    ck_assert_int_eq(gw_allow_parse_entry("h5.example:80", &e, &why), 0);
    ck_assert_int_eq(gw_allow_add(&a, &e), 0);
}
END_TEST


START_TEST(test_match_host)
{
    struct gw_allow a;
    const struct gw_allow_entry *e;

    memset(&a, 0, sizeof(a));
    add(&a, "mmsc.example.com:8002");
    add(&a, "10.1.2.3:80");
    add(&a, "[2001:db8::1]:443");
    add(&a, "[::ffff:192.0.2.7]:80");

    /* Names: case-insensitive, trailing dot, exact port. */
    e = gw_allow_match_host(&a, "MMSC.Example.Com", 8002);
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(e->host, "mmsc.example.com");
    ck_assert_ptr_nonnull(gw_allow_match_host(&a, "mmsc.example.com.",
        8002));
    ck_assert_ptr_null(gw_allow_match_host(&a, "mmsc.example.com", 80));
    ck_assert_ptr_null(gw_allow_match_host(&a, "mmsc.example.co", 8002));
    ck_assert_ptr_null(gw_allow_match_host(&a, "x.mmsc.example.com", 8002));
    ck_assert_ptr_null(gw_allow_match_host(&a, "", 8002));
    ck_assert_ptr_null(gw_allow_match_host(&a, "mmsc.example.com", 0));
    ck_assert_ptr_null(gw_allow_match_host(&a, "mmsc.example.com", 73538));

    /* IPv4 literal, compared as an address. */
    ck_assert_ptr_nonnull(gw_allow_match_host(&a, "10.1.2.3", 80));
    ck_assert_ptr_null(gw_allow_match_host(&a, "10.1.2.3", 81));
    ck_assert_ptr_null(gw_allow_match_host(&a, "10.1.2.4", 80));
    ck_assert_ptr_nonnull(gw_allow_match_host(&a, "::ffff:10.1.2.3", 80));

    /* IPv6: any spelling of the same address, brackets or not. */
    ck_assert_ptr_nonnull(gw_allow_match_host(&a, "2001:db8::1", 443));
    ck_assert_ptr_nonnull(gw_allow_match_host(&a, "2001:0db8:0::0:1", 443));
    ck_assert_ptr_nonnull(gw_allow_match_host(&a, "[2001:DB8::1]", 443));
    ck_assert_ptr_null(gw_allow_match_host(&a, "2001:db8::2", 443));
    ck_assert_ptr_null(gw_allow_match_host(&a, "2001:db8::1", 80));

    /* An IPv4-mapped entry matches the plain IPv4 address. */
    ck_assert_ptr_nonnull(gw_allow_match_host(&a, "192.0.2.7", 80));

    /* A name never matches an IP entry, nor the other way round. */
    ck_assert_ptr_null(gw_allow_match_host(&a, "localhost", 80));
    memset(&a, 0, sizeof(a));
    add(&a, "127.0.0.1:8080");
    ck_assert_ptr_null(gw_allow_match_host(&a, "localhost", 8080));
    ck_assert_ptr_null(gw_allow_match_host(&a, "localhost", 8081));
    ck_assert_ptr_null(gw_allow_match_host(NULL, "127.0.0.1", 8080));
}
END_TEST


START_TEST(test_match_addr)
{
    struct gw_allow a;
    struct sockaddr_storage ss;
    struct sockaddr unix_sa;

    memset(&a, 0, sizeof(a));
    add(&a, "mmsc.example.com:8002");
    add(&a, "10.1.2.3:80");
    add(&a, "[2001:db8::1]:443");

    /* Name entry: the port must match; the address came from the name. */
    ss = sa("192.0.2.99", 8002);
    ck_assert_int_eq(gw_allow_match_addr(&a.entry[0],
        (struct sockaddr *) &ss), 1);
    ss = sa("2001:db8::99", 8002);
    ck_assert_int_eq(gw_allow_match_addr(&a.entry[0],
        (struct sockaddr *) &ss), 1);
    ss = sa("192.0.2.99", 8003);
    ck_assert_int_eq(gw_allow_match_addr(&a.entry[0],
        (struct sockaddr *) &ss), 0);

    /* IPv4 entry: that address and port only; the mapped form too. */
    ss = sa("10.1.2.3", 80);
    ck_assert_int_eq(gw_allow_match_addr(&a.entry[1],
        (struct sockaddr *) &ss), 1);
    ss = sa("::ffff:10.1.2.3", 80);
    ck_assert_int_eq(gw_allow_match_addr(&a.entry[1],
        (struct sockaddr *) &ss), 1);
    ss = sa("10.1.2.4", 80);
    ck_assert_int_eq(gw_allow_match_addr(&a.entry[1],
        (struct sockaddr *) &ss), 0);
    ss = sa("10.1.2.3", 8080);
    ck_assert_int_eq(gw_allow_match_addr(&a.entry[1],
        (struct sockaddr *) &ss), 0);
    ss = sa("::1", 80);
    ck_assert_int_eq(gw_allow_match_addr(&a.entry[1],
        (struct sockaddr *) &ss), 0);

    /* IPv6 entry. */
    ss = sa("2001:db8:0::1", 443);
    ck_assert_int_eq(gw_allow_match_addr(&a.entry[2],
        (struct sockaddr *) &ss), 1);
    ss = sa("2001:db8::1", 444);
    ck_assert_int_eq(gw_allow_match_addr(&a.entry[2],
        (struct sockaddr *) &ss), 0);

    /* Other families never match. */
    memset(&unix_sa, 0, sizeof(unix_sa));
    unix_sa.sa_family = AF_UNIX;
    ck_assert_int_eq(gw_allow_match_addr(&a.entry[0], &unix_sa), 0);
    ck_assert_int_eq(gw_allow_match_addr(NULL, &unix_sa), 0);
}
END_TEST


/* A sockaddr for ip:port. */
static struct sockaddr_storage
sa_port(const char *ip, unsigned port)
{
    struct sockaddr_storage ss;
    struct sockaddr_in *in = (struct sockaddr_in *) &ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) &ss;

    memset(&ss, 0, sizeof(ss));
    if (inet_pton(AF_INET, ip, &in->sin_addr) == 1) {
        in->sin_family = AF_INET;
        in->sin_port = htons((uint16_t) port);
        return ss;
    }
    ck_assert_msg(inet_pton(AF_INET6, ip, &in6->sin6_addr) == 1, "%s", ip);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons((uint16_t) port);
    return ss;
}


static const struct {
    const char *ip;
    const char *range;      /* NULL: ordinary */
} special_vec[] = {
    { "127.0.0.1", "loopback" },
    { "127.255.255.254", "loopback" },
    { "0.0.0.0", "this network" },
    { "0.1.2.3", "this network" },
    { "169.254.169.254", "cloud metadata" },
    { "169.254.0.1", "link-local" },
    { "169.254.255.255", "link-local" },
    { "100.100.100.200", "cloud metadata" },
    { "224.0.0.1", "multicast" },
    { "239.255.255.255", "multicast" },
    { "255.255.255.255", "reserved" },
    { "::", "unspecified" },
    { "::1", "loopback" },
    { "::ffff:127.0.0.1", "loopback" },
    { "::ffff:169.254.169.254", "cloud metadata" },
    { "64:ff9b::7f00:1", "loopback" },
    { "64:ff9b::a9fe:a9fe", "cloud metadata" },
    { "::127.0.0.1", "IPv4-compatible" },
    { "fe80::1", "link-local" },
    { "febf:ffff::1", "link-local" },
    { "fd00:ec2::254", "cloud metadata" },
    { "ff02::1", "multicast" },
    /* Ordinary: private ranges are where MMSCs live. */
    { "10.1.1.1", NULL },
    { "172.16.0.1", NULL },
    { "192.168.1.1", NULL },
    { "128.0.0.1", NULL },
    { "126.255.255.255", NULL },
    { "169.253.255.255", NULL },
    { "169.255.0.0", NULL },
    { "223.255.255.255", NULL },
    { "2001:db8::1", NULL },
    { "fd00:ec2::253", NULL },
    { "fec0::1", NULL },
    { "::2:0:0:1", NULL },
    { "64:ff9b::a01:101", NULL },
    { "::ffff:10.0.0.1", NULL },
};


START_TEST(test_special)
{
    struct sockaddr_storage ss = sa_port(special_vec[_i].ip, 80);
    const char *got = gw_allow_special((struct sockaddr *) &ss);

    if (special_vec[_i].range == NULL) {
        ck_assert_msg(got == NULL, "%s: %s", special_vec[_i].ip, got);
    } else {
        ck_assert_msg(got != NULL
            && strcmp(got, special_vec[_i].range) == 0, "%s: %s, want %s",
            special_vec[_i].ip, got != NULL ? got : "(ordinary)",
            special_vec[_i].range);
    }
}
END_TEST


START_TEST(test_connect_ok)
{
    static struct gw_allow a;
    const struct gw_allow_entry *mmsc, *lh, *lit, *md;
    struct sockaddr_storage lo = sa_port("127.0.0.1", 8081),
        lo_other = sa_port("127.0.0.1", 8082),
        lo6 = sa_port("::1", 8081),
        mapped = sa_port("::ffff:127.0.0.1", 8081),
        meta = sa_port("169.254.169.254", 80),
        meta6 = sa_port("fd00:ec2::254", 80),
        pub = sa_port("10.1.1.1", 80),
        pub_other_port = sa_port("10.1.1.1", 81);
    const char *why = NULL;

    memset(&a, 0, sizeof(a));
    add(&a, "mmsc.example:80");
    add(&a, "localhost:8081");
    add(&a, "127.0.0.1:8081");
    add(&a, "169.254.169.254:80");
    mmsc = gw_allow_match_host(&a, "mmsc.example", 80);
    lh = gw_allow_match_host(&a, "localhost", 8081);
    lit = gw_allow_match_host(&a, "127.0.0.1", 8081);
    md = gw_allow_match_host(&a, "169.254.169.254", 80);
    ck_assert_ptr_nonnull(mmsc);
    ck_assert_ptr_nonnull(lh);
    ck_assert_ptr_nonnull(lit);
    ck_assert_ptr_nonnull(md);

    /* A name resolving to an ordinary address: fine. */
    ck_assert(gw_allow_connect_ok(&a, mmsc, (struct sockaddr *) &pub, &why));
    /* ...but the port is the entry's. */
    ck_assert(!gw_allow_connect_ok(&a, mmsc,
        (struct sockaddr *) &pub_other_port, &why));
    /* mmsc.example resolving to the metadata address is allowed here
     * only because 169.254.169.254:80 is an entry of its own: an entry
     * naming the address and port makes it explicit. */
    ck_assert(gw_allow_connect_ok(&a, mmsc, (struct sockaddr *) &meta,
        &why));
    /* The IPv6 metadata address has no entry: refused. */
    ck_assert(!gw_allow_connect_ok(&a, mmsc, (struct sockaddr *) &meta6,
        &why));
    ck_assert_str_eq(why, "cloud metadata");
    /* mmsc.example:80 resolving to loopback port 80: no 127.0.0.1:80
     * entry, refused. */
    {
        struct sockaddr_storage lo80 = sa_port("127.0.0.1", 80);

        ck_assert(!gw_allow_connect_ok(&a, mmsc, (struct sockaddr *) &lo80,
            &why));
        ck_assert_str_eq(why, "loopback");
    }
    /* localhost:8081 with the 127.0.0.1:8081 entry: allowed, also in the
     * IPv4-mapped form; ::1 has no entry: refused. */
    ck_assert(gw_allow_connect_ok(&a, lh, (struct sockaddr *) &lo, &why));
    ck_assert(gw_allow_connect_ok(&a, lh, (struct sockaddr *) &mapped,
        &why));
    ck_assert(!gw_allow_connect_ok(&a, lh, (struct sockaddr *) &lo6, &why));
    ck_assert(!gw_allow_connect_ok(&a, lh, (struct sockaddr *) &lo_other,
        &why));
    /* An IP-literal entry is explicit by itself. */
    ck_assert(gw_allow_connect_ok(&a, lit, (struct sockaddr *) &lo, &why));
    ck_assert(gw_allow_connect_ok(&a, md, (struct sockaddr *) &meta, &why));
    ck_assert(!gw_allow_connect_ok(&a, lit, (struct sockaddr *) &pub, &why));

    /* Without the literal, localhost is refused. */
    memset(&a, 0, sizeof(a));
    add(&a, "localhost:8081");
    lh = gw_allow_match_host(&a, "localhost", 8081);
    ck_assert(!gw_allow_connect_ok(&a, lh, (struct sockaddr *) &lo, &why));
    ck_assert_str_eq(why, "loopback");
    ck_assert(!gw_allow_connect_ok(&a, NULL, (struct sockaddr *) &lo, NULL));
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("gateway/allow");
    TCase *tc = tcase_create("allow");

    tcase_add_loop_test(tc, test_parse_good, 0,
        (int) (sizeof(good) / sizeof(good[0])));
    tcase_add_loop_test(tc, test_parse_bad, 0,
        (int) (sizeof(bad) / sizeof(bad[0])));
    tcase_add_test(tc, test_parse_long_names);
    tcase_add_test(tc, test_add_dedup_and_full);
    tcase_add_test(tc, test_match_host);
    tcase_add_test(tc, test_match_addr);
    tcase_add_loop_test(tc, test_special, 0,
        (int) (sizeof(special_vec) / sizeof(special_vec[0])));
    tcase_add_test(tc, test_connect_ok);
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
