/*
 * tests/unit/gateway/test_subs.c - the subscriber table (gateway/subs.c):
 * keys and prefixes, longest-prefix lookup, the cap, growth, the CSV map
 * (good files, each kind of bad line with its FILE:LINE), RADIUS
 * accounting rules (Start replaces, Interim creates, Stop only for its
 * own session, Accounting-On clears its NAS), learned over map, and an
 * allocation-failure loop.
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "radius.h"
#include "subs.h"
#include "subs_db.h"


static struct gw_subscriber
sub(const char *key, const char *msisdn, const char *imsi,
    const char *session, const char *nas)
{
    struct gw_subscriber s;

    memset(&s, 0, sizeof(s));
    ck_assert_int_eq(gw_subs_key_parse(key, &s.key), 0);
    snprintf(s.msisdn, sizeof(s.msisdn), "%s", msisdn);
    snprintf(s.imsi, sizeof(s.imsi), "%s", imsi);
    snprintf(s.session, sizeof(s.session), "%s", session);
    snprintf(s.nas, sizeof(s.nas), "%s", nas);
    return s;
}


static const struct gw_subscriber *
lookup_text(const struct gw_subs_tab *learned, const struct gw_subs_tab *map,
    const char *ip)
{
    struct sockaddr_in sin;
    struct sockaddr_in6 sin6;

    memset(&sin, 0, sizeof(sin));
    memset(&sin6, 0, sizeof(sin6));
    if (inet_pton(AF_INET, ip, &sin.sin_addr) == 1) {
        sin.sin_family = AF_INET;
        sin.sin_port = htons(1234);
        return gw_subs_lookup(learned, map, (struct sockaddr *) &sin);
    }
    ck_assert_int_eq(inet_pton(AF_INET6, ip, &sin6.sin6_addr), 1);
    sin6.sin6_family = AF_INET6;
    return gw_subs_lookup(learned, map, (struct sockaddr *) &sin6);
}


START_TEST(test_keys)
{
    struct gw_subs_key k;
    char t[GW_SUBS_KEY_TEXT_MAX];
    static const char *const bad[] = {
        "", "1.2.3", "1.2.3.4/33", "1.2.3.4/", "1.2.3.4/x", "2001:db8::1/64",
        "2001:db8::/129", "10.0.0.1/24", "::g", "1.2.3.4 ", "/24",
        "2001:db8::/0064",
    };
    size_t i;

    ck_assert_int_eq(gw_subs_key_parse("192.0.2.1", &k), 0);
    ck_assert_uint_eq(k.family, 4);
    ck_assert_uint_eq(k.plen, 32);
    gw_subs_key_text(&k, t, sizeof(t));
    ck_assert_str_eq(t, "192.0.2.1");
    ck_assert_int_eq(gw_subs_key_parse("2001:DB8:1:2::/64", &k), 0);
    ck_assert_uint_eq(k.family, 6);
    ck_assert_uint_eq(k.plen, 64);
    gw_subs_key_text(&k, t, sizeof(t));
    ck_assert_str_eq(t, "2001:db8:1:2::/64");
    /* v4-mapped IPv6 is IPv4. */
    ck_assert_int_eq(gw_subs_key_parse("::ffff:192.0.2.9", &k), 0);
    ck_assert_uint_eq(k.family, 4);
    gw_subs_key_text(&k, t, sizeof(t));
    ck_assert_str_eq(t, "192.0.2.9");
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(gw_subs_key_parse(bad[i], &k) == WSPGW_EINVAL,
            "accepted \"%s\"", bad[i]);
    }
    ck_assert_int_eq(gw_subs_msisdn_ok("358401234567"), 1);
    ck_assert_int_eq(gw_subs_msisdn_ok("+358401234567"), 1);
    ck_assert_int_eq(gw_subs_msisdn_ok("+"), 0);
    ck_assert_int_eq(gw_subs_msisdn_ok(""), 0);
    ck_assert_int_eq(gw_subs_msisdn_ok("3584x"), 0);
    ck_assert_int_eq(gw_subs_msisdn_ok("358\r\nX-A: b"), 0);
    ck_assert_int_eq(gw_subs_msisdn_ok("123456789012345678901"), 0);
    ck_assert_int_eq(gw_subs_imsi_ok("244051234567890"), 1);
    ck_assert_int_eq(gw_subs_imsi_ok("2440512345678901"), 0);
    ck_assert_int_eq(gw_subs_imsi_ok("24405"), 0);
}
END_TEST


START_TEST(test_lookup_prefixes)
{
    struct gw_subs_tab *t = gw_subs_tab_new(100, 7);
    struct gw_subscriber s;
    const struct gw_subscriber *r;

    s = sub("2001:db8:1:2::/64", "111", "", "", "");
    ck_assert_int_eq(gw_subs_tab_put(t, &s, NULL, NULL), 0);
    s = sub("2001:db8:1:2::99", "222", "", "", "");
    ck_assert_int_eq(gw_subs_tab_put(t, &s, NULL, NULL), 0);
    s = sub("10.0.0.0/8", "333", "", "", "");
    ck_assert_int_eq(gw_subs_tab_put(t, &s, NULL, NULL), 0);
    s = sub("10.1.2.3", "444", "", "", "");
    ck_assert_int_eq(gw_subs_tab_put(t, &s, NULL, NULL), 0);
    ck_assert_uint_eq(gw_subs_tab_count(t), 4);

    r = lookup_text(t, NULL, "2001:db8:1:2:aaaa:bbbb:cccc:dddd");
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(r->msisdn, "111");
    r = lookup_text(t, NULL, "2001:db8:1:2::99");
    ck_assert_str_eq(r->msisdn, "222");     /* longest prefix wins */
    ck_assert_ptr_null(lookup_text(t, NULL, "2001:db8:1:3::1"));
    r = lookup_text(t, NULL, "10.200.0.1");
    ck_assert_str_eq(r->msisdn, "333");
    r = lookup_text(t, NULL, "10.1.2.3");
    ck_assert_str_eq(r->msisdn, "444");
    r = lookup_text(t, NULL, "::ffff:10.1.2.3");
    ck_assert_str_eq(r->msisdn, "444");
    ck_assert_ptr_null(lookup_text(t, NULL, "11.1.2.3"));
    gw_subs_tab_free(t);
}
END_TEST


START_TEST(test_cap_and_growth)
{
    struct gw_subs_tab *t = gw_subs_tab_new(5000, 1);
    struct gw_subscriber s;
    unsigned i;
    int replaced;

    memset(&s, 0, sizeof(s));
    snprintf(s.msisdn, sizeof(s.msisdn), "1");
    for (i = 0; i < 5000; i++) {
        uint8_t ip[4] = { 10, (uint8_t) (i >> 16), (uint8_t) (i >> 8),
            (uint8_t) i };

        gw_subs_key_from_ip(&s.key, 4, ip);
        ck_assert_int_eq(gw_subs_tab_put(t, &s, NULL, &replaced), 0);
        ck_assert_int_eq(replaced, 0);
    }
    ck_assert_uint_eq(gw_subs_tab_count(t), 5000);
    s.key.ip[3] ^= 0xff;
    s.key.ip[1] = 0x7f;
    ck_assert_int_eq(gw_subs_tab_put(t, &s, NULL, NULL), WSPGW_ENOSPC);
    /* A replacement is not a new entry: allowed at the cap. */
    {
        uint8_t ip[4] = { 10, 0, 0, 7 };

        gw_subs_key_from_ip(&s.key, 4, ip);
        snprintf(s.msisdn, sizeof(s.msisdn), "2");
        ck_assert_int_eq(gw_subs_tab_put(t, &s, NULL, &replaced), 0);
        ck_assert_int_eq(replaced, 1);
        ck_assert_str_eq(lookup_text(t, NULL, "10.0.0.7")->msisdn, "2");
    }
    for (i = 0; i < 5000; i++) {
        uint8_t ip[4] = { 10, (uint8_t) (i >> 16), (uint8_t) (i >> 8),
            (uint8_t) i };
        struct gw_subs_key k;

        gw_subs_key_from_ip(&k, 4, ip);
        ck_assert_ptr_nonnull(gw_subs_tab_get(t, &k));
        ck_assert_int_eq(gw_subs_tab_del(t, &k, NULL), 0);
        ck_assert_int_eq(gw_subs_tab_del(t, &k, NULL), WSPGW_ENOENT);
    }
    ck_assert_uint_eq(gw_subs_tab_count(t), 0);
    gw_subs_tab_free(t);
}
END_TEST


/* How long a lookup and a rehash take at a million entries (printed, for
 * the numbers quoted in subs.c; asserted only loosely).  Under ASan the
 * timing means nothing and the memory is large: 100000 entries there. */
#if defined(__SANITIZE_ADDRESS__)
#define TIMING_N 100000u
#else
#define TIMING_N 1000000u
#endif
START_TEST(test_timing_million)
{
    struct gw_subs_tab *t = gw_subs_tab_new(TIMING_N, 3);
    struct gw_subscriber s;
    struct timespec a, b;
    double put_s, get_s;
    unsigned i, hits = 0;

    memset(&s, 0, sizeof(s));
    snprintf(s.msisdn, sizeof(s.msisdn), "358400000000");
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
    for (i = 0; i < TIMING_N; i++) {
        uint8_t ip[4] = { 10, (uint8_t) (i >> 16), (uint8_t) (i >> 8),
            (uint8_t) i };

        gw_subs_key_from_ip(&s.key, 4, ip);
        ck_assert_int_eq(gw_subs_tab_put(t, &s, NULL, NULL), 0);
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
    put_s = (double) (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
    for (i = 0; i < TIMING_N; i++) {
        uint8_t ip[4] = { 10, (uint8_t) (i >> 16), (uint8_t) (i >> 8),
            (uint8_t) i };

        hits += gw_subs_tab_lookup(t, 4, ip) != NULL;
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
    get_s = (double) (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
    ck_assert_uint_eq(hits, TIMING_N);
    fprintf(stderr, "subs: CPU time: %u puts (with every rehash) %.3f s, "
        "%u lookups %.3f s (%.0f ns each)\n", TIMING_N, put_s, TIMING_N,
        get_s, get_s * 1e9 / TIMING_N);
    gw_subs_tab_free(t);
}
END_TEST


static const char *
write_file(const char *text)
{
    static char path[64];
    FILE *fp;

    snprintf(path, sizeof(path), "/tmp/test_subs.%d.csv", (int) getpid());
    fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fputs(text, fp);
    fclose(fp);
    return path;
}


START_TEST(test_csv_good)
{
    struct gw_subs_tab *t = NULL;
    char err[512] = "";
    const char *path = write_file(
        "ip,msisdn,imsi\n"
        "# a comment\n"
        "\n"
        "   ; another\n"
        "192.0.2.1,358401000001,244051000000001\n"
        " 192.0.2.2 , +358401000002 , \r\n"
        "192.0.2.3,358401000003\n"
        "2001:db8:1:2::/64,358401000004,244051000000004\n");

    ck_assert_int_eq(gw_subs_load_csv(path, 10, 1, 1700000000, &t, err,
        sizeof(err)), 0);
    ck_assert_uint_eq(gw_subs_tab_count(t), 4);
    ck_assert_str_eq(lookup_text(NULL, t, "192.0.2.1")->imsi,
        "244051000000001");
    ck_assert_str_eq(lookup_text(NULL, t, "192.0.2.2")->msisdn,
        "+358401000002");
    ck_assert_str_eq(lookup_text(NULL, t, "192.0.2.2")->imsi, "");
    ck_assert_str_eq(lookup_text(NULL, t, "192.0.2.3")->imsi, "");
    ck_assert_int_eq(lookup_text(NULL, t, "192.0.2.3")->source,
        GW_SUBS_SRC_MAP);
    ck_assert_str_eq(lookup_text(NULL, t, "2001:db8:1:2::5")->msisdn,
        "358401000004");
    ck_assert_int_eq((int) lookup_text(NULL, t, "192.0.2.3")->updated,
        1700000000);
    gw_subs_tab_free(t);
    unlink(path);
}
END_TEST


struct csv_bad {
    const char *text;
    const char *err;        /* expected suffix after the path */
};

static const struct csv_bad csv_bad[] = {
    { "192.0.2.1,358401\nnonsense\n", ":2: want ip,msisdn,imsi" },
    { "192.0.2.1,3584x01,\n", ":1: bad MSISDN" },
    { "192.0.2.1,,\n", ":1: bad MSISDN" },
    { "192.0.2.1,358401,12345\n", ":1: bad IMSI" },
    { "192.0.2.1,358401,1234567890123456\n", ":1: bad IMSI" },
    { "192.0.2.300,358401,\n", ":1: bad IP address" },
    { "10.0.0.1/8,358401,\n", ":1: bad IP address" },
    { "192.0.2.1,358401,,\n", ":1: more than three fields" },
    { "# c\n192.0.2.1,1\n192.0.2.1,2\n", ":3: 192.0.2.1 is listed twice" },
    { "192.0.2.1,1\n192.0.2.2,2\n192.0.2.3,3\n192.0.2.4,4\n",
      ":4: more than 3 entries" },
    { "ip,msisdn,imsi\nip,msisdn,imsi\n", ":2: bad IP address" },
    { "192.0.2.1,1\n192.0.2.2,2\r\nX-Evil: 1,2\n", ":3: bad IP address" },
};


START_TEST(test_csv_bad)
{
    const struct csv_bad *v = &csv_bad[_i];
    struct gw_subs_tab *t = (struct gw_subs_tab *) 1;
    char err[512] = "", want[256];
    const char *path = write_file(v->text);

    ck_assert_int_eq(gw_subs_load_csv(path, 3, 1, 0, &t, err, sizeof(err)),
        -1);
    ck_assert_ptr_null(t);
    snprintf(want, sizeof(want), "%s%s", path, v->err);
    ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "got \"%s\", "
        "want \"%s...\"", err, want);
    unlink(path);
}
END_TEST


START_TEST(test_csv_long_line_and_missing)
{
    char text[800], err[512];
    struct gw_subs_tab *t;
    const char *path;

    memset(text, '1', sizeof(text));
    memcpy(text, "192.0.2.1,", 10);
    text[sizeof(text) - 2] = '\n';
    text[sizeof(text) - 1] = '\0';
    path = write_file(text);
    ck_assert_int_eq(gw_subs_load_csv(path, 3, 1, 0, &t, err, sizeof(err)),
        -1);
    ck_assert_ptr_nonnull(strstr(err, ":1: line longer than 512"));
    unlink(path);
    ck_assert_int_eq(gw_subs_load_csv("/nonexistent/map.csv", 3, 1, 0, &t,
        err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/map.csv:0: cannot "
        "open"));
}
END_TEST


START_TEST(test_acct_rules)
{
    struct gw_subs_tab *t = gw_subs_tab_new(100, 9);
    struct gw_subs_tab *map = gw_subs_tab_new(100, 9);
    struct gw_subs_change c;
    struct gw_subscriber s;

    /* The map says 10.0.0.1 is A; RADIUS says B: RADIUS wins. */
    s = sub("10.0.0.1", "111", "", "", "");
    ck_assert_int_eq(gw_subs_tab_put(map, &s, NULL, NULL), 0);
    ck_assert_str_eq(lookup_text(t, map, "10.0.0.1")->msisdn, "111");
    s = sub("10.0.0.1", "222", "244050000000222", "s1", "192.0.2.10");
    ck_assert_int_eq(gw_subs_apply_acct(t, GW_RADIUS_STATUS_START, &s, &c),
        0);
    ck_assert_int_eq(c.op, GW_SUBS_OP_PUT);
    ck_assert_int_eq(c.replaced, 0);
    ck_assert_str_eq(lookup_text(t, map, "10.0.0.1")->msisdn, "222");
    ck_assert_int_eq(lookup_text(t, map, "10.0.0.1")->source,
        GW_SUBS_SRC_RADIUS);

    /* A new Start for the reused address replaces the mapping. */
    s = sub("10.0.0.1", "333", "", "s2", "192.0.2.10");
    ck_assert_int_eq(gw_subs_apply_acct(t, GW_RADIUS_STATUS_START, &s, &c),
        0);
    ck_assert_int_eq(c.replaced, 1);
    ck_assert_str_eq(lookup_text(t, map, "10.0.0.1")->msisdn, "333");

    /* The old session's late Stop does not remove the new mapping. */
    s = sub("10.0.0.1", "222", "", "s1", "192.0.2.10");
    ck_assert_int_eq(gw_subs_apply_acct(t, GW_RADIUS_STATUS_STOP, &s, &c),
        0);
    ck_assert_int_eq(c.op, GW_SUBS_OP_NONE);
    ck_assert_str_eq(lookup_text(t, map, "10.0.0.1")->msisdn, "333");

    /* Interim for an unknown address creates one. */
    s = sub("10.0.0.2", "444", "", "s3", "192.0.2.11");
    ck_assert_int_eq(gw_subs_apply_acct(t,
        GW_RADIUS_STATUS_INTERIM_UPDATE, &s, &c), 0);
    ck_assert_int_eq(c.op, GW_SUBS_OP_PUT);
    ck_assert_str_eq(lookup_text(t, map, "10.0.0.2")->msisdn, "444");

    /* Stop without a session id matches on the MSISDN. */
    s = sub("10.0.0.2", "444", "", "", "192.0.2.11");
    ck_assert_int_eq(gw_subs_apply_acct(t, GW_RADIUS_STATUS_STOP, &s, &c),
        0);
    ck_assert_int_eq(c.op, GW_SUBS_OP_DEL);
    ck_assert_ptr_null(lookup_text(t, map, "10.0.0.2"));

    /* The right Stop removes it, and the map shows through again. */
    s = sub("10.0.0.1", "333", "", "s2", "192.0.2.10");
    ck_assert_int_eq(gw_subs_apply_acct(t, GW_RADIUS_STATUS_STOP, &s, &c),
        0);
    ck_assert_int_eq(c.op, GW_SUBS_OP_DEL);
    ck_assert_str_eq(lookup_text(t, map, "10.0.0.1")->msisdn, "111");

    /* Bad values change nothing. */
    s = sub("10.0.0.3", "12ab", "", "", "");
    ck_assert_int_eq(gw_subs_apply_acct(t, GW_RADIUS_STATUS_START, &s, &c),
        WSPGW_EINVAL);
    s = sub("10.0.0.3", "123", "12", "", "");
    ck_assert_int_eq(gw_subs_apply_acct(t, GW_RADIUS_STATUS_START, &s, &c),
        WSPGW_EINVAL);
    ck_assert_int_eq(gw_subs_apply_acct(t, 99, &s, &c), WSPGW_EINVAL);
    ck_assert_uint_eq(gw_subs_tab_count(t), 0);

    /* Accounting-On from one NAS clears only that NAS's entries. */
    s = sub("10.0.1.1", "1", "", "a", "192.0.2.10");
    gw_subs_apply_acct(t, GW_RADIUS_STATUS_START, &s, &c);
    s = sub("10.0.1.2", "2", "", "b", "192.0.2.10");
    gw_subs_apply_acct(t, GW_RADIUS_STATUS_START, &s, &c);
    s = sub("10.0.1.3", "3", "", "c", "192.0.2.99");
    gw_subs_apply_acct(t, GW_RADIUS_STATUS_START, &s, &c);
    s = sub("0.0.0.0", "1", "", "", "192.0.2.10");
    ck_assert_int_eq(gw_subs_apply_acct(t, GW_RADIUS_STATUS_ACCOUNTING_ON,
        &s, &c), 0);
    ck_assert_int_eq(c.op, GW_SUBS_OP_CLEAR_NAS);
    ck_assert_uint_eq(c.cleared, 2);
    ck_assert_uint_eq(gw_subs_tab_count(t), 1);
    ck_assert_str_eq(lookup_text(t, NULL, "10.0.1.3")->msisdn, "3");
    gw_subs_tab_free(t);
    gw_subs_tab_free(map);
}
END_TEST


/* The state file: changes written through survive a reopen; rows that no
 * longer validate are skipped at load. */
START_TEST(test_state_db)
{
    char path[64], err[400];
    struct gw_subs_db *db;
    struct gw_subs_tab *t = gw_subs_tab_new(100, 1), *t2;
    struct gw_subs_change c;
    struct gw_subscriber s;
    unsigned loaded, skipped;

    snprintf(path, sizeof(path), "/tmp/test_subs.%d.db", (int) getpid());
    unlink(path);
    ck_assert_int_eq(gw_subs_db_open(path, &db, err, sizeof(err)), 0);
    s = sub("10.0.0.1", "111", "244050000000111", "a", "192.0.2.1");
    s.updated = 1700000001;
    ck_assert_int_eq(gw_subs_apply_acct(t, GW_RADIUS_STATUS_START, &s, &c),
        0);
    ck_assert_int_eq(gw_subs_db_apply(db, &c, err, sizeof(err)), 0);
    s = sub("2001:db8:1:2::/64", "222", "", "b", "192.0.2.1");
    gw_subs_apply_acct(t, GW_RADIUS_STATUS_START, &s, &c);
    ck_assert_int_eq(gw_subs_db_apply(db, &c, err, sizeof(err)), 0);
    s = sub("10.0.0.3", "333", "", "c", "192.0.2.2");
    gw_subs_apply_acct(t, GW_RADIUS_STATUS_START, &s, &c);
    ck_assert_int_eq(gw_subs_db_apply(db, &c, err, sizeof(err)), 0);
    /* Replace, then stop one, then the NAS of another restarts. */
    s = sub("10.0.0.1", "112", "", "a2", "192.0.2.1");
    gw_subs_apply_acct(t, GW_RADIUS_STATUS_START, &s, &c);
    ck_assert_int_eq(gw_subs_db_apply(db, &c, err, sizeof(err)), 0);
    s = sub("2001:db8:1:2::/64", "222", "", "b", "192.0.2.1");
    gw_subs_apply_acct(t, GW_RADIUS_STATUS_STOP, &s, &c);
    ck_assert_int_eq(c.op, GW_SUBS_OP_DEL);
    ck_assert_int_eq(gw_subs_db_apply(db, &c, err, sizeof(err)), 0);
    s = sub("0.0.0.0", "1", "", "", "192.0.2.2");
    gw_subs_apply_acct(t, GW_RADIUS_STATUS_ACCOUNTING_OFF, &s, &c);
    ck_assert_int_eq(gw_subs_db_apply(db, &c, err, sizeof(err)), 0);
    gw_subs_db_close(db);

    t2 = gw_subs_tab_new(100, 2);
    ck_assert_int_eq(gw_subs_db_open(path, &db, err, sizeof(err)), 0);
    ck_assert_int_eq(gw_subs_db_load(db, t2, &loaded, &skipped, err,
        sizeof(err)), 0);
    ck_assert_uint_eq(loaded, 1);
    ck_assert_uint_eq(skipped, 0);
    ck_assert_uint_eq(gw_subs_tab_count(t2), gw_subs_tab_count(t));
    ck_assert_str_eq(lookup_text(t2, NULL, "10.0.0.1")->msisdn, "112");
    ck_assert_str_eq(lookup_text(t2, NULL, "10.0.0.1")->session, "a2");
    ck_assert_int_eq(lookup_text(t2, NULL, "10.0.0.1")->source,
        GW_SUBS_SRC_RADIUS);
    gw_subs_db_close(db);
    gw_subs_tab_free(t2);
    gw_subs_tab_free(t);
    unlink(path);
    snprintf(err, sizeof(err), "%s-wal", path);
    unlink(err);
    snprintf(err, sizeof(err), "%s-shm", path);
    unlink(err);
    ck_assert_int_eq(gw_subs_db_open("/nonexistent/dir/x.db", &db, err,
        sizeof(err)), -1);
    ck_assert_ptr_null(db);
}
END_TEST


/* Fail the Nth allocation for every N: no leak (ASan), no crash, and a
 * table that still answers. */
START_TEST(test_oom)
{
    long n;

    for (n = 0; n < 200; n++) {
        struct gw_subs_tab *t;
        struct gw_subscriber s;
        unsigned i;
        int ok = 1;

        wspgw_alloc_fail_after(n);
        t = gw_subs_tab_new(1000, 1);
        if (t == NULL) {
            wspgw_alloc_fail_after(-1);
            continue;
        }
        memset(&s, 0, sizeof(s));
        snprintf(s.msisdn, sizeof(s.msisdn), "1");
        for (i = 0; i < 150; i++) {
            uint8_t ip[4] = { 10, 0, (uint8_t) (i >> 8), (uint8_t) i };
            int rc;

            gw_subs_key_from_ip(&s.key, 4, ip);
            rc = gw_subs_tab_put(t, &s, NULL, NULL);
            ck_assert(rc == 0 || rc == WSPGW_ENOMEM);
            if (rc != 0) {
                ok = 0;
            }
        }
        wspgw_alloc_fail_after(-1);
        if (ok) {
            ck_assert_uint_eq(gw_subs_tab_count(t), 150);
        }
        gw_subs_tab_free(t);
    }
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("gateway/subs");
    TCase *tc = tcase_create("subs");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_keys);
    tcase_add_test(tc, test_lookup_prefixes);
    tcase_add_test(tc, test_cap_and_growth);
    tcase_add_test(tc, test_timing_million);
    tcase_add_test(tc, test_csv_good);
    tcase_add_loop_test(tc, test_csv_bad, 0,
        (int) (sizeof(csv_bad) / sizeof(csv_bad[0])));
    tcase_add_test(tc, test_csv_long_line_and_missing);
    tcase_add_test(tc, test_acct_rules);
    tcase_add_test(tc, test_state_db);
    tcase_add_test(tc, test_oom);
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
