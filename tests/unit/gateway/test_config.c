/*
 * tests/unit/gateway/test_config.c - configuration parsing and errors.
 *
 * Every error must name FILE:LINE of the offending line.
 */
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wspgw/log.h"
#include "config.h"

static char path[64];


static void
write_file(const char *text)
{
    FILE *fp;
    int fd;

    snprintf(path, sizeof(path), "/tmp/wspgw-test-XXXXXX");
    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    fp = fdopen(fd, "w");
    fputs(text, fp);
    fclose(fp);
}


/* Loads text; returns the error message ("" when valid). */
static const char *
load(const char *text, struct gw_config *c)
{
    static char err[600];
    int rc;

    write_file(text);
    err[0] = '\0';
    rc = gw_config_load(path, c, err, sizeof(err));
    unlink(path);
    if (rc == 0) {
        ck_assert_str_eq(err, "");
    } else {
        ck_assert_str_ne(err, "");
    }
    return err;
}


/* Checks err starts with "PATH:LINE: " and contains what. */
static void
assert_error_at(const char *err, unsigned line, const char *what)
{
    char prefix[128];

    snprintf(prefix, sizeof(prefix), "%s:%u: ", path, line);
    ck_assert_msg(strncmp(err, prefix, strlen(prefix)) == 0,
        "error \"%s\" does not start with \"%s\"", err, prefix);
    ck_assert_msg(strstr(err, what) != NULL,
        "error \"%s\" does not mention \"%s\"", err, what);
}


START_TEST(test_defaults)
{
    struct gw_config *c = malloc(sizeof(*c));

    gw_config_defaults(c);
    ck_assert_uint_eq(c->wsp_port, 9200);
    ck_assert_uint_eq(c->wtp_port, 9201);
    ck_assert_uint_eq(c->n_bind, 0);
    ck_assert_uint_eq(c->timeout_s, 30);
    ck_assert_uint_eq(c->allow.n, 0);
    ck_assert_str_eq(c->access_log, "");
    ck_assert_str_eq(c->admin_listen, "127.0.0.1:13000");
    ck_assert_int_eq(c->log_level, WSPGW_LOG_INFO);
    ck_assert_uint_eq(c->max_requests, 1024);
    free(c);
}
END_TEST


START_TEST(test_full_file)
{
    struct gw_config *c = malloc(sizeof(*c));
    const char *err = load(
        "; sample\n"
        "[gateway]\n"
        "bind = 127.0.0.1, ::1          ; both families\n"
        "bind = [::1]\n"
        "wsp-port = 19200\n"
        "wtp-port = 19201\n"
        "access-log = -\n"
        "log-level = debug\n"
        "[upstream]\n"
        "allow = 127.0.0.1:8081, [::1]:8082\n"
        "allow = mmsc.example.net:80\n"
        "timeout = 5\n"
        "[admin]\n"
        "listen = [::1]:13001\n", c);

    ck_assert_str_eq(err, "");
    ck_assert_uint_eq(c->n_bind, 2);
    ck_assert_str_eq(c->bind[0].text, "127.0.0.1");
    ck_assert_str_eq(c->bind[1].text, "::1");
    ck_assert_int_eq(c->bind[1].addr.ss_family, AF_INET6);
    ck_assert_uint_eq(c->wsp_port, 19200);
    ck_assert_uint_eq(c->wtp_port, 19201);
    ck_assert_str_eq(c->access_log, "-");
    ck_assert_int_eq(c->log_level, WSPGW_LOG_DEBUG);
    ck_assert_uint_eq(c->allow.n, 3);
    ck_assert_uint_eq(c->allow.entry[1].port, 8082);
    ck_assert_int_eq(c->allow.entry[1].is_ip, 1);
    ck_assert_str_eq(c->allow.entry[2].host, "mmsc.example.net");
    ck_assert_uint_eq(c->timeout_s, 5);
    ck_assert_int_eq(c->admin_addr.ss_family, AF_INET6);
    ck_assert_uint_eq(ntohs(((struct sockaddr_in6 *) &c->admin_addr)
        ->sin6_port), 13001);
    free(c);
}
END_TEST


/* [wsp] redirect: IP literals of both families, in order, the key may
 * repeat, duplicates kept once; redirect-permanent. */
START_TEST(test_redirect)
{
    static const uint8_t v4[4] = { 192, 0, 2, 1 };
    static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 1 };
    struct gw_config *c = malloc(sizeof(*c));
    struct wspgw_addr a;
    const char *err;

    gw_config_defaults(c);
    ck_assert_uint_eq(c->wsp.n_redirect, 0);
    ck_assert_int_eq(c->wsp.redirect_permanent, 0);

    err = load("[wsp]\n"
        "redirect = 192.0.2.1:9201, [2001:db8::1]:9201\n"
        "redirect = 192.0.2.1:9201, 198.51.100.7:9301\n"
        "redirect-permanent = yes\n", c);
    ck_assert_str_eq(err, "");
    ck_assert_uint_eq(c->wsp.n_redirect, 3);
    wspgw_addr_init(&a, WSPGW_AF_INET, v4, 9201);
    ck_assert(wspgw_addr_eq(&c->wsp.redirect[0], &a));
    wspgw_addr_init(&a, WSPGW_AF_INET6, v6, 9201);
    ck_assert(wspgw_addr_eq(&c->wsp.redirect[1], &a));
    ck_assert_uint_eq(c->wsp.redirect[2].port, 9301);
    ck_assert_uint_eq(c->wsp.redirect[2].ip[3], 7);
    ck_assert_int_eq(c->wsp.redirect_permanent, 1);

    err = load("[wsp]\nredirect =\n", c);
    ck_assert_str_eq(err, "");
    ck_assert_uint_eq(c->wsp.n_redirect, 0);

    err = load("[wsp]\n\nredirect = wap.example.net:9201\n", c);
    assert_error_at(err, 3, "not an IP literal");
    err = load("[wsp]\nredirect = 192.0.2.1\n", c);
    assert_error_at(err, 2, "missing port");
    err = load("[wsp]\nredirect = 10.0.0.1:1, 10.0.0.2:1, 10.0.0.3:1, "
        "10.0.0.4:1, 10.0.0.5:1\nredirect = 10.0.0.6:1, 10.0.0.7:1, "
        "10.0.0.8:1, 10.0.0.9:1\n", c);
    assert_error_at(err, 3, "at most 8");
    err = load("[wsp]\nredirect-permanent = maybe\n", c);
    assert_error_at(err, 2, "not a boolean");
    free(c);
}
END_TEST


/* [wtp] concatenate (default no) and max-datagram (default 1500). */
START_TEST(test_concatenate)
{
    struct gw_config *c = malloc(sizeof(*c));
    const char *err;

    gw_config_defaults(c);
    ck_assert_int_eq(c->wtp.concatenate, 0);
    ck_assert_uint_eq(c->wtp.max_datagram, 1500);
    err = load("[wtp]\nconcatenate = yes\nmax-datagram = 576\n", c);
    ck_assert_str_eq(err, "");
    ck_assert_int_eq(c->wtp.concatenate, 1);
    ck_assert_uint_eq(c->wtp.max_datagram, 576);
    err = load("[wtp]\nmax-datagram = 100\n", c);
    assert_error_at(err, 2, "out of range");
    err = load("[wtp]\n\nconcatenate = sometimes\n", c);
    assert_error_at(err, 3, "not a boolean");
    free(c);
}
END_TEST


START_TEST(test_upstream_headers)
{
    struct gw_config *c = malloc(sizeof(*c));
    const char *err;

    gw_config_defaults(c);
    ck_assert_int_eq(c->via, 1);
    ck_assert_str_eq(c->client_ip_header, "X-WAP-Network-Client-IP");
    err = load("[upstream]\nvia = no\nclient-ip-header = X-Forwarded-For\n",
        c);
    ck_assert_str_eq(err, "");
    ck_assert_int_eq(c->via, 0);
    ck_assert_str_eq(c->client_ip_header, "X-Forwarded-For");
    err = load("[upstream]\nclient-ip-header =\n", c);
    ck_assert_str_eq(err, "");
    ck_assert_str_eq(c->client_ip_header, "");
    err = load("[upstream]\n\nclient-ip-header = X Client\n", c);
    assert_error_at(err, 3, "not a header name");
    err = load("[upstream]\nclient-ip-header = X-Client:\n", c);
    assert_error_at(err, 2, "not a header name");
    err = load("[upstream]\nclient-ip-header = "
        "X-0123456789012345678901234567890123456789012345678901234567890123\n",
        c);
    assert_error_at(err, 2, "too long");
    err = load("[upstream]\nvia = maybe\n", c);
    assert_error_at(err, 2, "not a boolean");
    ck_assert_int_eq(c->follow_redirects, 0);
    ck_assert_uint_eq(c->max_redirects, 5);
    err = load("[upstream]\nfollow-redirects = yes\nmax-redirects = 20\n",
        c);
    ck_assert_str_eq(err, "");
    ck_assert_int_eq(c->follow_redirects, 1);
    ck_assert_uint_eq(c->max_redirects, 20);
    err = load("[upstream]\nmax-redirects = 0\n", c);
    assert_error_at(err, 2, "out of range");
    err = load("[upstream]\nmax-redirects = 21\n", c);
    assert_error_at(err, 2, "out of range");
    err = load("[upstream]\nmax-redirects =\n", c);
    assert_error_at(err, 2, "may not be empty");
    err = load("[upstream]\nfollow-redirects = sometimes\n", c);
    assert_error_at(err, 2, "not a boolean");
    free(c);
}
END_TEST


START_TEST(test_empty_values)
{
    struct gw_config *c = malloc(sizeof(*c));
    const char *err = load(
        "[gateway]\naccess-log =\n[upstream]\nallow =\n[admin]\nlisten =\n",
        c);

    ck_assert_str_eq(err, "");
    ck_assert_str_eq(c->access_log, "");
    ck_assert_uint_eq(c->allow.n, 0);
    ck_assert_str_eq(c->admin_listen, "");
    free(c);
}
END_TEST

/* Bad files: the text, the line the error must name, a word it says. */
static const struct {
    const char *name;
    const char *text;
    unsigned line;
    const char *what;
} bad[] = {
    { "unknown key", "[gateway]\nwsp-port = 9200\nfoo = 1\n", 3,
      "unknown key \"foo\"" },
    { "unknown section", "[gateway]\n\n[nosuch]\nx = 1\n", 4,
      "unknown section [nosuch]" },
    { "key outside section", "wsp-port = 1\n", 1, "outside any section" },
    { "port zero", "[gateway]\nwsp-port = 0\n", 2, "out of range" },
    { "port too big", "[gateway]\n\nwtp-port = 65536\n", 3, "out of range" },
    { "port not a number", "[gateway]\nwsp-port = 92x\n", 2,
      "not a number" },
    { "port empty", "[gateway]\nwsp-port =\n", 2, "may not be empty" },
    { "bad bind", "[gateway]\nbind = 127.0.0.1, 300.1.1.1\n", 2,
      "300.1.1.1" },
    { "bind host name", "[gateway]\nbind = localhost\n", 2,
      "not an IPv4 or IPv6" },
    { "allow without port", "[upstream]\nallow = 127.0.0.1\n", 2,
      "bad allow entry" },
    { "allow bad v6", "[upstream]\nallow = ::1:80\n", 2, "bad allow entry" },
    { "timeout zero", "[upstream]\ntimeout = 0\n", 2, "out of range" },
    { "duplicate key", "[upstream]\ntimeout = 3\ntimeout = 4\n", 3,
      "duplicate key" },
    { "bad level", "[gateway]\nlog-level = loud\n", 2, "unknown log level" },
    { "listen name", "[admin]\nlisten = localhost:1300\n", 2,
      "bad listen address" },
    { "syntax", "[gateway]\nwsp-port 9200\n", 2, "syntax error" },
    { "open section", "[gateway\nwsp-port = 1\n", 1, "syntax error" },
    { "same ports", "[gateway]\nwsp-port = 9300\n\nwtp-port = 9300\n", 4,
      "must differ" },
    { "same default port", "[gateway]\nwtp-port = 9200\n", 2,
      "must differ" },
    { "unwritable log", "[gateway]\naccess-log = /nonexistent/dir/a.log\n",
      2, "cannot write" },
};


START_TEST(test_bad_files)
{
    struct gw_config *c = malloc(sizeof(*c));
    const char *err = load(bad[_i].text, c);

    ck_assert_msg(err[0] != '\0', "%s: accepted", bad[_i].name);
    assert_error_at(err, bad[_i].line, bad[_i].what);
    free(c);
}
END_TEST


/* ---- [push] and [push-user NAME] (issue 6, h/pap) ---- */

START_TEST(test_push_users)
{
    struct gw_config *c = malloc(sizeof(*c));
    const struct gw_push_user *u;
    const char *err = load(
        "[push]\nlisten = 127.0.0.1:8080\nqueue = /tmp/q.db\n"
        "[push-user mmsc]\npassword = s3cret\n"
        "allow-ip = 127.0.0.1/32, 10.0.0.0/8\nallow-ip = ::1\n"
        "allow-prefix = +1555, +4477\nallow-prefix = 192.0.2.0/24\n"
        "[gateway]\nwsp-port = 9300\n"
        "[push-user  other]\npassword = x\nallow-ip = 0.0.0.0/0\n", c);

    ck_assert_str_eq(err, "");
    ck_assert_str_eq(c->push_listen, "127.0.0.1:8080");
    ck_assert_str_eq(c->push_queue, "/tmp/q.db");
    ck_assert_uint_eq(c->push_users.n, 2);
    u = gw_push_user_find(&c->push_users, "mmsc");
    ck_assert_ptr_nonnull(u);
    ck_assert_str_eq(u->password, "s3cret");
    ck_assert_uint_eq(u->n_allow_ip, 3);
    ck_assert_uint_eq(u->n_prefix, 2);
    ck_assert_uint_eq(u->n_dest_ip, 1);
    u = gw_push_user_find(&c->push_users, "other");
    ck_assert_ptr_nonnull(u);
    ck_assert_uint_eq(u->n_prefix, 0);
    ck_assert_ptr_null(gw_push_user_find(&c->push_users, "nobody"));
    ck_assert_uint_eq(c->push_max_lifetime_s, 86400);
    free(c);
}
END_TEST

static const struct {
    const char *name;
    const char *text;
    unsigned line;
    const char *what;
} push_bad[] = {
    { "no name", "[push-user]\npassword = x\n", 2, "needs a name" },
    { "colon in name", "[push-user a:b]\npassword = x\n", 2, "':'" },
    { "unknown user key", "[push-user a]\npassword = x\ncolour = red\n",
      3, "unknown key \"colour\"" },
    { "duplicate password", "[push-user a]\npassword = x\npassword = y\n",
      3, "duplicate key" },
    { "empty password", "[push-user a]\npassword =\n", 2, "password" },
    { "bad cidr", "[push-user a]\npassword = x\nallow-ip = 10.0.0.0/33\n",
      3, "10.0.0.0/33" },
    { "host name ip", "[push-user a]\npassword = x\nallow-ip = localhost\n",
      3, "localhost" },
    { "bad prefix", "[push-user a]\npassword = x\nallow-ip = ::1\n"
      "allow-prefix = +1a\n", 4, "+1a" },
    { "missing allow-ip", "[gateway]\nwsp-port = 9300\n\n"
      "[push-user a]\npassword = x\n", 5, "needs allow-ip" },
    { "missing password", "[push-user a]\nallow-ip = ::1\n", 2,
      "needs password" },
    { "section twice", "[push-user a]\npassword = x\nallow-ip = ::1\n"
      "[gateway]\nwsp-port = 9300\n[push-user a]\npassword = y\n", 7,
      "duplicate section" },
    { "listen without queue", "[push]\nlisten = 127.0.0.1:8080\n", 2,
      "needs push.queue" },
    { "listen name", "[push]\nlisten = ppg:8080\nqueue = /tmp/q\n", 2,
      "bad listen address" },
    { "max-request small", "[push]\nmax-request = 10\n", 2,
      "out of range" },
};


START_TEST(test_push_bad)
{
    struct gw_config *c = malloc(sizeof(*c));
    const char *err = load(push_bad[_i].text, c);

    ck_assert_msg(err[0] != '\0', "%s: accepted", push_bad[_i].name);
    assert_error_at(err, push_bad[_i].line, push_bad[_i].what);
    free(c);
}
END_TEST

/* ---- end [push] ---- */



START_TEST(test_long_line)
{
    struct gw_config *c = malloc(sizeof(*c));
    char text[1024];
    const char *err;

    snprintf(text, sizeof(text), "[upstream]\nallow = %0*d:80\n", 250, 1);
    err = load(text, c);
    assert_error_at(err, 2, "longer than");
    free(c);
}
END_TEST


START_TEST(test_missing_file)
{
    struct gw_config *c = malloc(sizeof(*c));
    char err[600];

    ck_assert_int_eq(gw_config_load("/nonexistent/wspgw.conf", c, err,
        sizeof(err)), -1);
    ck_assert_msg(strncmp(err, "/nonexistent/wspgw.conf:0: ", 27) == 0,
        "%s", err);
    free(c);
}
END_TEST


static int restart_calls;


static void
count_restart(void *ctx, const char *key)
{
    restart_calls++;
    ck_assert_str_eq(key, (const char *) ctx);
}


START_TEST(test_restart_needed)
{
    struct gw_config *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));

    gw_config_defaults(a);
    gw_config_defaults(b);
    b->timeout_s = 3;
    restart_calls = 0;
    gw_config_restart_needed(a, b, count_restart, (void *) "none");
    ck_assert_int_eq(restart_calls, 0);
    b->wsp_port = 1;
    gw_config_restart_needed(a, b, count_restart,
        (void *) "gateway.wsp-port");
    ck_assert_int_eq(restart_calls, 1);
    free(a);
    free(b);
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("config");

    tcase_add_test(tc, test_defaults);
    tcase_add_test(tc, test_full_file);
    tcase_add_test(tc, test_empty_values);
    tcase_add_test(tc, test_redirect);
    tcase_add_test(tc, test_concatenate);
    tcase_add_test(tc, test_upstream_headers);
    tcase_add_loop_test(tc, test_bad_files, 0,
        (int) (sizeof(bad) / sizeof(bad[0])));
    tcase_add_test(tc, test_long_line);
    tcase_add_test(tc, test_missing_file);
    tcase_add_test(tc, test_restart_needed);
    tcase_add_test(tc, test_push_users);
    tcase_add_loop_test(tc, test_push_bad, 0,
        (int) (sizeof(push_bad) / sizeof(push_bad[0])));
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
