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


static void
count_key(void *ctx, const char *key)
{
    unsigned *n = ctx;

    ck_assert_msg(strncmp(key, "enrichment.", 11) == 0, "%s", key);
    (*n)++;
}


/* [enrichment] (issue 5): defaults, a full section, msisdn-header
 * replacing (not adding to) its default, the restart-only keys. */
START_TEST(test_enrichment)
{
    struct gw_config *c = malloc(sizeof(*c));
    struct gw_config *d = malloc(sizeof(*d));
    const char *err;
    unsigned restart = 0;

    gw_config_defaults(c);
    ck_assert_uint_eq(c->n_msisdn_headers, 1);
    ck_assert_str_eq(c->msisdn_headers[0], "X-MSISDN");
    ck_assert_str_eq(c->imsi_header, "X-IMSI");
    ck_assert_str_eq(c->enrich_map, "");
    ck_assert_str_eq(c->radius_acct, "");
    ck_assert_str_eq(c->enrich_state, "");
    ck_assert_uint_eq(c->enrich_hosts.n, 0);
    ck_assert_uint_eq(c->max_subscribers, 1000000);
    err = load("[enrichment]\n"
        "radius-acct = [::1]:1813\n"
        "radius-secret = s3cret with spaces\n"
        "msisdn-header = X-WAP-Network-Client-MSISDN, x-up-calling-line-id\n"
        "imsi-header =\n"
        "hosts = 127.0.0.1:8081, mmsc.example:80\n"
        "hosts = [2001:db8::1]:80\n"
        "state = /tmp/wspgw-state.db\n"
        "radius-forward = 192.0.2.1:1813\n"
        "radius-forward-secret = other\n"
        "max-subscribers = 10\n", c);
    ck_assert_str_eq(err, "");
    ck_assert_str_eq(c->radius_acct, "[::1]:1813");
    ck_assert_int_eq(c->radius_acct_addr.ss_family, AF_INET6);
    ck_assert_str_eq(c->radius_secret, "s3cret with spaces");
    ck_assert_uint_eq(c->n_msisdn_headers, 2);
    ck_assert_str_eq(c->msisdn_headers[0], "X-WAP-Network-Client-MSISDN");
    ck_assert_str_eq(c->msisdn_headers[1], "x-up-calling-line-id");
    ck_assert_str_eq(c->imsi_header, "");
    ck_assert_uint_eq(c->enrich_hosts.n, 3);
    ck_assert_str_eq(c->enrich_state, "/tmp/wspgw-state.db");
    ck_assert_str_eq(c->radius_forward, "192.0.2.1:1813");
    ck_assert_str_eq(c->radius_forward_secret, "other");
    ck_assert_uint_eq(c->max_subscribers, 10);
    err = load("[enrichment]\nmsisdn-header =\n", c);
    ck_assert_str_eq(err, "");
    ck_assert_uint_eq(c->n_msisdn_headers, 0);
    err = load("[enrichment]\nmsisdn-header = X-A, x-a, X-B\n", c);
    ck_assert_str_eq(err, "");
    ck_assert_uint_eq(c->n_msisdn_headers, 2);  /* duplicates once */

    gw_config_defaults(c);
    gw_config_defaults(d);
    snprintf(d->radius_acct, sizeof(d->radius_acct), "127.0.0.1:1");
    snprintf(d->enrich_state, sizeof(d->enrich_state), "x.db");
    d->max_subscribers = 5;
    snprintf(d->radius_forward, sizeof(d->radius_forward), "127.0.0.1:2");
    snprintf(d->radius_secret, sizeof(d->radius_secret), "applied");
    gw_config_restart_needed(c, d, count_key, &restart);
    ck_assert_uint_eq(restart, 4);
    free(c);
    free(d);
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
    /* [enrichment] (issue 5) */
    { "radius-acct without secret",
      "[enrichment]\n\nradius-acct = 127.0.0.1:1813\n", 3,
      "enrichment.radius-acct needs enrichment.radius-secret" },
    { "radius-acct host name",
      "[enrichment]\nradius-acct = radius.example:1813\n", 2,
      "not an IP literal" },
    { "radius-acct no port", "[enrichment]\nradius-acct = 127.0.0.1\n", 2,
      "bad address" },
    { "radius-forward without radius-acct",
      "[enrichment]\nradius-forward = 127.0.0.1:1813\n", 2,
      "needs enrichment.radius-acct" },
    { "bad msisdn-header", "[enrichment]\nmsisdn-header = X-A, X B\n", 2,
      "not a header name" },
    { "nine msisdn-header names", "[enrichment]\nmsisdn-header = A,B,C,D,"
      "E,F,G,H,I\n", 2, "too many header names" },
    { "bad imsi-header", "[enrichment]\nimsi-header = X-IMSI:\n", 2,
      "not a header name" },
    { "bad hosts", "[enrichment]\nhosts = mmsc.example\n", 2,
      "bad host" },
    { "unreadable map", "[enrichment]\nmap = /nonexistent/map.csv\n", 2,
      "cannot read" },
    { "max-subscribers 0", "[enrichment]\nmax-subscribers = 0\n", 2,
      "out of range" },
    { "radius-secret too long", "[enrichment]\nradius-secret = "
      "0123456789012345678901234567890123456789012345678901234567890123456789"
      "01234567890123456789012345678901234567890123456789012345678901\n", 2,
      "too long" },
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


/* ---- routing (issue 5) ------------------------------------------------ */


START_TEST(test_routing_keys)
{
    struct gw_config *c = malloc(sizeof(*c));
    const char *err;
    char out[512];
    unsigned how;

    gw_config_defaults(c);
    ck_assert_str_eq(c->mmsc.url, "");
    ck_assert_uint_eq(c->mmsc.n_rules, 0);
    ck_assert_str_eq(c->mmsc_proxy, "");
    ck_assert_uint_eq(c->allow_client.n, 0);
    ck_assert_uint_eq(c->deny_client.n, 0);

    err = load("[mmsc]\n"
        "url = http://mms.operator/\n"
        "short-url = mms, MMS2\n"
        "short-url = http://mms3\n"
        "map-url = \"http://mms.operator/* http://10.1.1.1:8002/mms/*\"\n"
        "map-url = http://a/b,c http://10.0.0.2/x,y\n"
        "proxy = proxy.operator:3128\n"
        "[gateway]\n"
        "allow-client = 10.0.0.0/8, 2001:db8::/32\n"
        "allow-client = 192.0.2.1\n"
        "deny-client = 10.9.0.0/16\n", c);
    ck_assert_str_eq(err, "");
    ck_assert_str_eq(c->mmsc.url, "http://mms.operator/");
    ck_assert_uint_eq(c->mmsc.n_short, 3);
    ck_assert_uint_eq(c->mmsc.n_rules, 2);
    /* A comma inside a map-url rule is part of the URL. */
    ck_assert_str_eq(c->mmsc.rule[1].from, "http://a/b,c");
    ck_assert_str_eq(c->mmsc_proxy, "http://proxy.operator:3128");
    ck_assert_uint_eq(c->allow_client.n, 3);
    ck_assert_uint_eq(c->deny_client.n, 1);
    ck_assert_int_eq(gw_urlmap_apply(&c->mmsc, "mms", out, sizeof(out),
        &how), 0);
    ck_assert_str_eq(out, "http://10.1.1.1:8002/mms/");

    err = load("[mmsc]\nproxy = [::1]:3128\n", c);
    ck_assert_str_eq(err, "");
    ck_assert_str_eq(c->mmsc_proxy, "http://[::1]:3128");
    err = load("[mmsc]\nproxy =\n", c);
    ck_assert_str_eq(err, "");
    ck_assert_str_eq(c->mmsc_proxy, "");

    err = load("[mmsc]\n\nurl = mms\n", c);
    assert_error_at(err, 3, "bad URL");
    err = load("[mmsc]\nurl = http://a/\nurl = http://b/\n", c);
    assert_error_at(err, 3, "duplicate key");
    err = load("[mmsc]\nmap-url = http://mms* http://b/*\n", c);
    assert_error_at(err, 2, "must include the '/'");
    err = load("[mmsc]\nmap-url = http://a/\n", c);
    assert_error_at(err, 2, "bad rule");
    err = load("[mmsc]\nmap-url = http://a/ /relative\n", c);
    assert_error_at(err, 2, "absolute");
    err = load("[mmsc]\nshort-url = mms/x\n", c);
    assert_error_at(err, 2, "bad short URL");
    err = load("[mmsc]\nproxy = proxy.operator\n", c);
    assert_error_at(err, 2, "bad proxy");
    err = load("[mmsc]\nproxy = http://proxy:3128\n", c);
    assert_error_at(err, 2, "bad proxy");
    err = load("[gateway]\nallow-client = 10.1.2.3/8\n", c);
    assert_error_at(err, 2, "bits set below");
    err = load("[gateway]\ndeny-client = localhost\n", c);
    assert_error_at(err, 2, "bad address or prefix");
    err = load("[gateway]\ndeny-client = [::1]\n", c);
    assert_error_at(err, 2, "without brackets");
    free(c);
}
END_TEST


START_TEST(test_routing_caps)
{
    struct gw_config *c = malloc(sizeof(*c));
    char *text = malloc(64 * 1024);
    size_t n = 0;
    unsigned i;
    const char *err;

    /* 64 client prefixes fit, the 65th is refused at its own line. */
    n += (size_t) snprintf(text + n, 64 * 1024 - n, "[gateway]\n");
    for (i = 0; i <= GW_CIDR_LIST_MAX; i++) {
        n += (size_t) snprintf(text + n, 64 * 1024 - n,
            "deny-client = 10.%u.0.0/16\n", i);
    }
    err = load(text, c);
    assert_error_at(err, GW_CIDR_LIST_MAX + 2, "too many prefixes");
    /* 32 map-url rules fit, the 33rd is refused. */
    n = (size_t) snprintf(text, 64 * 1024, "[mmsc]\n");
    for (i = 0; i <= GW_URLMAP_RULES_MAX; i++) {
        n += (size_t) snprintf(text + n, 64 * 1024 - n,
            "map-url = http://a/%u http://b/\n", i);
    }
    err = load(text, c);
    assert_error_at(err, GW_URLMAP_RULES_MAX + 2, "too many map-url rules");
    free(text);
    free(c);
}
END_TEST


/* push delivery (h/deliver): [push] and [smsc]. */
START_TEST(test_push_keys)
{
    struct gw_config *c = malloc(sizeof(*c));
    const char *err;

    gw_config_defaults(c);
    ck_assert_str_eq(c->push_queue, "");
    ck_assert_uint_eq(c->push_max_lifetime_s, 86400);
    ck_assert_int_eq(c->push_queue_sync_full, 1);
    ck_assert_int_eq(c->smsc_type, GW_SMSC_SMPP);
    ck_assert_uint_eq(c->smsc_port, 2775);
    ck_assert_int_eq(c->smsc_transceiver, 1);
    ck_assert_uint_eq(c->smsc_window, 10);
    ck_assert_uint_eq(c->smsc_data_coding, 0x04);
    ck_assert_uint_eq(c->smsc_concat_ref_bits, 8);
    ck_assert_str_eq(c->smsc_path, "/cgi-bin/sendsms");

    err = load("[push]\nqueue = /tmp/q.db\nmax-lifetime = 600\n"
        "queue-sync = normal\n[smsc]\ntype = http\nhost = 127.0.0.1\n"
        "port = 13013\nsystem-id = wspgw\npassword = SECRET\n"
        "bind = transmitter\ndata-coding = 0xF5\nconcat-ref-bits = 16\n"
        "window = 50\nthroughput = 100\n", c);
    ck_assert_str_eq(err, "");
    ck_assert_str_eq(c->push_queue, "/tmp/q.db");
    ck_assert_uint_eq(c->push_max_lifetime_s, 600);
    ck_assert_int_eq(c->push_queue_sync_full, 0);
    ck_assert_int_eq(c->smsc_type, GW_SMSC_HTTP);
    ck_assert_str_eq(c->smsc_host, "127.0.0.1");
    ck_assert_uint_eq(c->smsc_port, 13013);
    ck_assert_str_eq(c->smsc_system_id, "wspgw");
    ck_assert_str_eq(c->smsc_password, "SECRET");
    ck_assert_int_eq(c->smsc_transceiver, 0);
    ck_assert_uint_eq(c->smsc_data_coding, 0xf5);
    ck_assert_uint_eq(c->smsc_concat_ref_bits, 16);
    ck_assert_uint_eq(c->smsc_window, 50);
    ck_assert_uint_eq(c->smsc_throughput, 100);

    assert_error_at(load("[smsc]\ntype = ucp\n", c), 2, "unknown value");
    assert_error_at(load("[smsc]\n\npassword = 123456789\n", c), 3,
        "too long");
    assert_error_at(load("[smsc]\ndata-coding = 0x00\n", c), 2,
        "unknown value");
    assert_error_at(load("[smsc]\nconcat-ref-bits = 12\n", c), 2,
        "8 or 16");
    assert_error_at(load("[smsc]\nwindow = 0\n", c), 2, "out of range");
    assert_error_at(load("[push]\nretry-min = 100\nretry-max = 50\n",
        c), 2, "retry-min");
    assert_error_at(load("[push]\n\nqueue = /nonexistent-dir/q.db\n", c),
        3, "cannot write /nonexistent-dir/q.db");
    free(c);
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
    tcase_add_test(tc, test_routing_keys);
    tcase_add_test(tc, test_routing_caps);
    tcase_add_test(tc, test_enrichment);
    tcase_add_loop_test(tc, test_bad_files, 0,
        (int) (sizeof(bad) / sizeof(bad[0])));
    tcase_add_test(tc, test_long_line);
    tcase_add_test(tc, test_missing_file);
    tcase_add_test(tc, test_restart_needed);
    tcase_add_test(tc, test_push_keys);
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
