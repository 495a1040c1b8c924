/*
 * tests/unit/gateway/test_cookies.c - the per-session cookie jar
 * (gateway/cookies.c, RFC 6265 section 5): cookie dates, Set-Cookie
 * parsing edge cases, domain and path matching, Secure, expiry against
 * a given "now", replacement and deletion, the caps and their eviction
 * order, the Cookie header (order, the handset's own cookies winning by
 * name, the length cap), the header rewrite, and garbage: truncation at
 * every offset, random octets, and failed allocations (run under ASan
 * with --enable-asan).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/wsp.h"
#include "cookies.h"

#define NOW 1764000000      /* 2025-11-24T16:00:00Z */

static const struct gw_cookie_limits lim_default = { 32, 4096, 8192 };


/* The Cookie header the jar builds for url (own: the handset's), in a
 * static buffer; "ERR" on error. */
static const char *
hdr_own(struct gw_cookie_jar *j, const char *url, const char *own,
    int64_t now)
{
    static char text[9000];
    struct wspgw_buf b;
    int rc;

    wspgw_buf_init(&b, 8000);
    rc = gw_cookie_jar_header(j, url, own, now, &b);
    snprintf(text, sizeof(text), "%s", rc < 0 ? "ERR" : wspgw_buf_str(&b));
    wspgw_buf_free(&b);
    return text;
}


static const char *
hdr(struct gw_cookie_jar *j, const char *url)
{
    return hdr_own(j, url, NULL, NOW);
}


static struct gw_cookie_jar *
jar(void)
{
    struct gw_cookie_jar *j = gw_cookie_jar_new(&lim_default);

    ck_assert_ptr_nonnull(j);
    return j;
}


/* ---- Dates -------------------------------------------------------------- */

struct date_vec {
    const char *text;
    int64_t t;              /* -1: must be refused */
};

static const struct date_vec dates[] = {
    { "Wed, 21 Oct 2015 07:28:00 GMT", 1445412480 },
    { "Sunday, 06-Nov-94 08:49:37 GMT", 784111777 },      /* RFC 850 */
    { "Sun Nov  6 08:49:37 1994", 784111777 },            /* asctime */
    { "6 nov 1970 00:00:00", 26697600 },
    { "Thu, 01 Jan 69 00:00:00 GMT", 3124224000 },         /* 69 -> 2069 */
    { "01 Jan 1601 00:00:00", -11644473600LL },
    { "Thu, 29 Feb 2024 12:00:00 GMT", 1709208000 },
    { "31 Dec 9999 23:59:59", 253402300799LL },
    { "Wed, 21-October-2015 7:28:0 GMT", 1445412480 },    /* lenient */
    { "21st Oct 2015 07:28:00", 1445412480 },             /* 1*2DIGIT+ */
    { "", -1 },
    { "Wed, 21 Oct 2015 GMT", -1 },                       /* no time */
    { "Wed, Oct 2015 07:28:00 GMT", -1 },                 /* no day */
    { "Wed, 21 2015 07:28:00 GMT", -1 },                  /* no month */
    { "Wed, 21 Oct 07:28:00 GMT", -1 },                   /* no year */
    { "Fri, 29 Feb 2019 00:00:00 GMT", -1 },              /* no such day */
    { "32 Jan 2020 00:00:00", -1 },
    { "0 Jan 2020 00:00:00", -1 },
    { "1 Jan 1600 00:00:00", -1 },
    { "1 Jan 2020 24:00:00", -1 },
    { "1 Jan 2020 23:60:00", -1 },
    { "1 Jan 2020 23:59:60", -1 },
    { "1 Jan 20201 00:00:00", -1 },                       /* 5 digits */
    { "123 Jan 2020 00:00:00", -1 },
};


START_TEST(test_dates)
{
    const struct date_vec *v = &dates[_i];
    int64_t t = 0;
    int rc = gw_cookie_parse_date(v->text, strlen(v->text), &t);

    if (v->t == -1) {
        ck_assert_msg(rc == WSPGW_EINVAL, "'%s' accepted as %lld", v->text,
            (long long) t);
    } else {
        ck_assert_msg(rc == 0, "'%s' refused", v->text);
        ck_assert_msg(t == v->t, "'%s': %lld, want %lld", v->text,
            (long long) t, (long long) v->t);
    }
}
END_TEST


/* ---- Set-Cookie parsing -------------------------------------------------- */

struct set_vec {
    const char *name;
    const char *url;
    const char *set_cookie;
    int rc;
    const char *get_url;    /* then the Cookie header for this URL */
    const char *want;
};

static const struct set_vec sets[] = {
    { "plain", "http://a.example/x/y", "sid=42", GW_COOKIE_STORED,
      "http://a.example/x/z", "sid=42" },
    { "blanks trimmed", "http://a.example/", "  sid = 4 2 ;  Path = / ",
      GW_COOKIE_STORED, "http://a.example/q", "sid=4 2" },
    { "empty value", "http://a.example/", "sid=", GW_COOKIE_STORED,
      "http://a.example/", "sid=" },
    { "quoted value kept", "http://a.example/", "sid=\"a b\"",
      GW_COOKIE_STORED, "http://a.example/", "sid=\"a b\"" },
    { "value with =", "http://a.example/", "t=a=b=c; Path=/",
      GW_COOKIE_STORED, "http://a.example/", "t=a=b=c" },
    { "no =", "http://a.example/", "sid", WSPGW_EINVAL,
      "http://a.example/", "" },
    { "empty name", "http://a.example/", "=42", WSPGW_EINVAL,
      "http://a.example/", "" },
    { "only attributes", "http://a.example/", "; Path=/", WSPGW_EINVAL,
      "http://a.example/", "" },
    { "control char in value", "http://a.example/", "a=b\001c",
      WSPGW_EINVAL, "http://a.example/", "" },
    { "DEL in name", "http://a.example/", "a\177=b", WSPGW_EINVAL,
      "http://a.example/", "" },
    { "unknown attributes ignored", "http://a.example/",
      "a=b; SameSite=Lax; Priority=High; Comment=x; HttpOnly",
      GW_COOKIE_STORED, "http://a.example/", "a=b" },
    { "attribute names any case", "http://a.example/",
      "a=b; PATH=/p; DOMAIN=EXAMPLE", WSPGW_EACCES,
      "http://a.example/p", "" },
    { "not http(s)", "ftp://a.example/", "a=b", WSPGW_EINVAL,
      "http://a.example/", "" },
    { "no host", "http:///x", "a=b", WSPGW_EINVAL, "http://a.example/", "" },
    { "bad host", "http://a b/", "a=b", WSPGW_EINVAL, "http://a.example/",
      "" },
    { "userinfo and port ignored", "http://u:p@A.Example:8080/d/f", "a=b",
      GW_COOKIE_STORED, "http://a.example/d/g", "a=b" },
    { "default path is the directory", "http://a.example/d/e/f", "a=b",
      GW_COOKIE_STORED, "http://a.example/d/f", "" },
    { "default path matches below", "http://a.example/d/e/f", "a=b",
      GW_COOKIE_STORED, "http://a.example/d/e/x/y", "a=b" },
    { "default path of /x is /", "http://a.example/x", "a=b",
      GW_COOKIE_STORED, "http://a.example/other", "a=b" },
    { "path attr not starting with / is default", "http://a.example/d/f",
      "a=b; Path=zz", GW_COOKIE_STORED, "http://a.example/d/q", "a=b" },
    { "path prefix needs a / boundary", "http://a.example/", "a=b; Path=/a",
      GW_COOKIE_STORED, "http://a.example/ab", "" },
    { "path prefix at /", "http://a.example/", "a=b; Path=/a",
      GW_COOKIE_STORED, "http://a.example/a/b?q=1", "a=b" },
    { "path equal, query ignored", "http://a.example/", "a=b; Path=/a",
      GW_COOKIE_STORED, "http://a.example/a?x=/", "a=b" },
    { "path with trailing /", "http://a.example/", "a=b; Path=/a/",
      GW_COOKIE_STORED, "http://a.example/a/x", "a=b" },
    { "host-only not sent to a subdomain", "http://example.com/", "a=b",
      GW_COOKIE_STORED, "http://www.example.com/", "" },
    { "domain cookie sent to a subdomain", "http://example.com/",
      "a=b; Domain=.Example.COM", GW_COOKIE_STORED,
      "http://www.example.com/", "a=b" },
    { "domain from a subdomain to its parent", "http://m.shop.example/",
      "a=b; Domain=shop.example", GW_COOKIE_STORED, "http://shop.example/",
      "a=b" },
    { "domain not a suffix on a label boundary", "http://example.com/",
      "a=b; domain=ample.com", WSPGW_EACCES, "http://ample.com/", "" },
    { "another domain", "http://a.example/", "a=b; Domain=evil.example",
      WSPGW_EACCES, "http://evil.example/", "" },
    { "sibling domain", "http://a.shop.example/",
      "a=b; Domain=b.shop.example", WSPGW_EACCES, "http://b.shop.example/",
      "" },
    { "single label (public suffix like)", "http://a.example/",
      "a=b; Domain=example", WSPGW_EACCES, "http://b.example/", "" },
    { "single label = host: host-only", "http://localhost/",
      "a=b; Domain=localhost", GW_COOKIE_STORED, "http://localhost/",
      "a=b" },
    { "empty Domain ignored", "http://a.example/", "a=b; Domain=",
      GW_COOKIE_STORED, "http://a.example/", "a=b" },
    { "IP host, other Domain", "http://10.0.0.1/", "a=b; Domain=0.0.1",
      WSPGW_EACCES, "http://10.0.0.1/", "" },
    { "IP host, Domain = host", "http://10.0.0.1/", "a=b; Domain=10.0.0.1",
      GW_COOKIE_STORED, "http://10.0.0.1/", "a=b" },
    { "IP host, not to another IP", "http://10.0.0.1/", "a=b",
      GW_COOKIE_STORED, "http://110.0.0.1/", "" },
    { "IPv6 host", "http://[::1]:8080/", "a=b", GW_COOKIE_STORED,
      "http://[::1]/", "a=b" },
    { "Secure from http refused", "http://a.example/", "a=b; Secure",
      WSPGW_EACCES, "https://a.example/", "" },
    { "Secure from https, sent over https", "https://a.example/",
      "a=b; Secure", GW_COOKIE_STORED, "https://a.example/", "a=b" },
    { "Secure not sent over http", "https://a.example/", "a=b; Secure",
      GW_COOKIE_STORED, "http://a.example/", "" },
    { "not Secure, sent over https", "http://a.example/", "a=b",
      GW_COOKIE_STORED, "https://a.example/", "a=b" },
    { "Max-Age in the future", "http://a.example/", "a=b; Max-Age=60",
      GW_COOKIE_STORED, "http://a.example/", "a=b" },
    { "Max-Age=0", "http://a.example/", "a=b; Max-Age=0", GW_COOKIE_REMOVED,
      "http://a.example/", "" },
    { "Max-Age negative", "http://a.example/", "a=b; Max-Age=-5",
      GW_COOKIE_REMOVED, "http://a.example/", "" },
    { "Max-Age garbage ignored", "http://a.example/", "a=b; Max-Age=1x",
      GW_COOKIE_STORED, "http://a.example/", "a=b" },
    { "Max-Age huge", "http://a.example/",
      "a=b; Max-Age=99999999999999999999999999", GW_COOKIE_STORED,
      "http://a.example/", "a=b" },
    { "Expires past", "http://a.example/",
      "a=b; Expires=Thu, 01 Jan 1970 00:00:00 GMT", GW_COOKIE_REMOVED,
      "http://a.example/", "" },
    { "Expires future", "http://a.example/",
      "a=b; Expires=Fri, 01 Jan 2100 00:00:00 GMT", GW_COOKIE_STORED,
      "http://a.example/", "a=b" },
    { "Expires garbage ignored", "http://a.example/",
      "a=b; Expires=tomorrow", GW_COOKIE_STORED, "http://a.example/",
      "a=b" },
    { "Max-Age wins over Expires", "http://a.example/",
      "a=b; Max-Age=0; Expires=Fri, 01 Jan 2100 00:00:00 GMT",
      GW_COOKIE_REMOVED, "http://a.example/", "" },
    { "Max-Age wins over earlier Expires", "http://a.example/",
      "a=b; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=100",
      GW_COOKIE_STORED, "http://a.example/", "a=b" },
};


START_TEST(test_set)
{
    const struct set_vec *v = &sets[_i];
    struct gw_cookie_jar *j = jar();
    int rc = gw_cookie_jar_set(j, v->url, v->set_cookie, NOW, NULL);

    ck_assert_msg(rc == v->rc, "%s: rc %d, want %d", v->name, rc, v->rc);
    ck_assert_msg(strcmp(hdr(j, v->get_url), v->want) == 0,
        "%s: Cookie '%s', want '%s'", v->name, hdr(j, v->get_url), v->want);
    gw_cookie_jar_free(j);
}
END_TEST


/* ---- Jar behaviour ---------------------------------------------------- */

START_TEST(test_replace_delete_expire)
{
    struct gw_cookie_jar *j = jar();
    const char *u = "http://a.example/";

    ck_assert_int_eq(gw_cookie_jar_set(j, u, "a=1", NOW, NULL), 0);
    ck_assert_int_eq(gw_cookie_jar_set(j, u, "b=2", NOW, NULL), 0);
    ck_assert_int_eq(gw_cookie_jar_set(j, u, "a=3", NOW, NULL), 0);
    /* Replaced in place: the creation order stays (5.3 step 11.3). */
    ck_assert_str_eq(hdr(j, u), "a=3; b=2");
    ck_assert_uint_eq(gw_cookie_jar_count(j), 2);
    /* Same name, other path: a second cookie, longer path first. */
    ck_assert_int_eq(gw_cookie_jar_set(j, u, "a=4; Path=/x", NOW, NULL), 0);
    ck_assert_str_eq(hdr(j, "http://a.example/x/y"), "a=4; a=3; b=2");
    /* Deletion hits only the same name, domain and path. */
    ck_assert_int_eq(gw_cookie_jar_set(j, u, "a=; Max-Age=0", NOW, NULL),
        GW_COOKIE_REMOVED);
    ck_assert_str_eq(hdr(j, "http://a.example/x/y"), "a=4; b=2");
    /* Expiry against the given now. */
    ck_assert_int_eq(gw_cookie_jar_set(j, u, "t=1; Max-Age=10", NOW, NULL),
        0);
    ck_assert_str_eq(hdr_own(j, u, NULL, NOW + 9), "b=2; t=1");
    ck_assert_str_eq(hdr_own(j, u, NULL, NOW + 10), "b=2");
    /* ... and the expired one was purged. */
    ck_assert_uint_eq(gw_cookie_jar_count(j), 2);
    ck_assert_int_eq(gw_cookie_jar_set(j, u,
        "e=1; Expires=Wed, 26 Nov 2025 00:00:00 GMT", NOW, NULL), 0);
    ck_assert_str_eq(hdr_own(j, u, NULL, 1764115199), "b=2; e=1");
    ck_assert_str_eq(hdr_own(j, u, NULL, 1764115200), "b=2");
    /* An http response cannot replace a Secure cookie. */
    ck_assert_int_eq(gw_cookie_jar_set(j, "https://a.example/",
        "s=1; Secure", NOW, NULL), 0);
    ck_assert_int_eq(gw_cookie_jar_set(j, u, "s=2", NOW, NULL),
        WSPGW_EACCES);
    ck_assert_str_eq(hdr(j, "https://a.example/"), "b=2; s=1");
    gw_cookie_jar_free(j);
}
END_TEST


START_TEST(test_own_cookies_win)
{
    struct gw_cookie_jar *j = jar();
    const char *u = "http://a.example/";

    ck_assert_int_eq(gw_cookie_jar_set(j, u, "sid=jar", NOW, NULL), 0);
    ck_assert_int_eq(gw_cookie_jar_set(j, u, "lang=en", NOW, NULL), 0);
    ck_assert_str_eq(hdr_own(j, u, "sid=own", NOW), "sid=own; lang=en");
    ck_assert_str_eq(hdr_own(j, u, " x=1 ;sid = own2 ", NOW),
        "x=1 ;sid = own2; lang=en");
    /* Names are case-sensitive; RFC 2109 $attributes are not names. */
    ck_assert_str_eq(hdr_own(j, u, "SID=1; $Version=1", NOW),
        "SID=1; $Version=1; sid=jar; lang=en");
    ck_assert_str_eq(hdr_own(j, u, "", NOW), "sid=jar; lang=en");
    ck_assert_str_eq(hdr_own(NULL, u, "a=b", NOW), "a=b");
    ck_assert_str_eq(hdr_own(j, "nonsense", "a=b", NOW), "ERR");
    gw_cookie_jar_free(j);
}
END_TEST


START_TEST(test_caps)
{
    struct gw_cookie_limits lim = { 3, 20, 60 };
    struct gw_cookie_jar *j = gw_cookie_jar_new(&lim);
    const char *u = "http://a.example/";
    unsigned ev = 99;
    char big[64];

    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(gw_cookie_jar_set(j, u, "a=1", NOW, &ev), 0);
    ck_assert_uint_eq(ev, 0);
    ck_assert_int_eq(gw_cookie_jar_set(j, u, "b=1", NOW, NULL), 0);
    ck_assert_int_eq(gw_cookie_jar_set(j, u, "c=1", NOW, NULL), 0);
    /* Setting a again makes b the least recently set. */
    ck_assert_int_eq(gw_cookie_jar_set(j, u, "a=2", NOW, NULL), 0);
    ck_assert_int_eq(gw_cookie_jar_set(j, u, "d=1", NOW, &ev), 0);
    ck_assert_uint_eq(ev, 1);
    ck_assert_uint_eq(gw_cookie_jar_count(j), 3);
    ck_assert_str_eq(hdr(j, u), "a=2; c=1; d=1");
    /* An expired cookie goes before any live one. */
    ck_assert_int_eq(gw_cookie_jar_set(j, u, "a=3; Max-Age=1", NOW, NULL),
        0);
    ck_assert_int_eq(gw_cookie_jar_set(j, u, "e=1", NOW + 5, &ev), 0);
    ck_assert_uint_eq(ev, 0);
    ck_assert_str_eq(hdr_own(j, u, NULL, NOW + 5), "c=1; d=1; e=1");
    /* Octets per cookie: name + value over 20. */
    memset(big, 'v', sizeof(big));
    snprintf(big, sizeof(big), "n=%.*s", 20, "vvvvvvvvvvvvvvvvvvvvvvvv");
    ck_assert_int_eq(gw_cookie_jar_set(j, u, big, NOW + 5, NULL),
        WSPGW_EMSGSIZE);
    ck_assert_uint_eq(gw_cookie_jar_count(j), 3);
    snprintf(big, sizeof(big), "n=%.*s", 19, "vvvvvvvvvvvvvvvvvvvvvvvv");
    ck_assert_int_eq(gw_cookie_jar_set(j, u, big, NOW + 5, &ev), 0);
    ck_assert_uint_eq(ev, 1);
    /* Octets per jar (name, value, domain 9, path 1): 12 + 12 + 30. */
    ck_assert_uint_eq(gw_cookie_jar_bytes(j), 54);
    ck_assert_uint_eq(gw_cookie_jar_count(j), 3);
    ck_assert_str_eq(hdr_own(j, u, NULL, NOW + 5),
        "d=1; e=1; n=vvvvvvvvvvvvvvvvvvv");
    /* The byte cap alone: a second 30-octet cookie evicts two. */
    ck_assert_int_eq(gw_cookie_jar_set(j, u, "o=vvvvvvvvvvvvvvvvvvv", NOW + 5,
        &ev), 0);
    ck_assert_uint_eq(ev, 2);
    ck_assert_str_eq(hdr_own(j, u, NULL, NOW + 5),
        "n=vvvvvvvvvvvvvvvvvvv; o=vvvvvvvvvvvvvvvvvvv");
    /* A cookie that alone exceeds the jar cap is refused, nothing lost. */
    ck_assert_int_eq(gw_cookie_jar_set(j, u, "m=1; Path=/"
        "pppppppppppppppppppppppppppppppppppppppppppppppppppp", NOW + 5,
        NULL), WSPGW_EMSGSIZE);
    ck_assert_uint_eq(gw_cookie_jar_count(j), 2);
    ck_assert_uint_eq(gw_cookie_jar_bytes(j), 60);
    gw_cookie_jar_free(j);
}
END_TEST


START_TEST(test_header_cap)
{
    struct gw_cookie_jar *j = jar();
    const char *u = "http://a.example/";
    struct wspgw_buf b;

    ck_assert_int_eq(gw_cookie_jar_set(j, u, "a=1111", NOW, NULL), 0);
    ck_assert_int_eq(gw_cookie_jar_set(j, u, "b=2222", NOW, NULL), 0);
    ck_assert_int_eq(gw_cookie_jar_set(j, u, "c=3", NOW, NULL), 0);
    /* Room for "a=1111; b=2222" (14) only: the rest is left out. */
    wspgw_buf_init(&b, 15);
    ck_assert_int_eq(gw_cookie_jar_header(j, u, NULL, NOW, &b), 2);
    ck_assert_str_eq(wspgw_buf_str(&b), "a=1111; b=2222");
    wspgw_buf_free(&b);
    /* Own cookies over the cap: an error, nothing built. */
    wspgw_buf_init(&b, 4);
    ck_assert_int_eq(gw_cookie_jar_header(j, u, "own=12345", NOW, &b),
        WSPGW_EMSGSIZE);
    wspgw_buf_free(&b);
    gw_cookie_jar_free(j);
}
END_TEST


START_TEST(test_apply)
{
    struct gw_cookie_jar *j = jar();
    const char *u = "http://a.example/p";
    struct wsp_hdrs h;
    int i;

    wsp_hdrs_init(&h, 4096);
    ck_assert_int_eq(wsp_hdrs_add(&h, "Accept", 6, "*/*", 3), 0);
    ck_assert_int_eq(wsp_hdrs_add(&h, "Cookie", 6, "x=1", 3), 0);
    ck_assert_int_eq(wsp_hdrs_add(&h, "User-Agent", 10, "UA", 2), 0);
    ck_assert_int_eq(wsp_hdrs_add(&h, "cookie", 6, "sid=own", 7), 0);
    /* An empty jar changes nothing. */
    ck_assert_int_eq(gw_cookie_apply(j, u, NOW, &h), 0);
    ck_assert_uint_eq(h.n, 4);
    ck_assert_int_eq(gw_cookie_apply(NULL, u, NOW, &h), 0);
    ck_assert_int_eq(gw_cookie_jar_set(j, u, "sid=jar", NOW, NULL), 0);
    ck_assert_int_eq(gw_cookie_apply(j, u, NOW, &h), 0);
    ck_assert_uint_eq(h.n, 4);
    /* One more: the two Cookie headers become one, jar cookie last. */
    ck_assert_int_eq(gw_cookie_jar_set(j, u, "k=v", NOW, NULL), 0);
    ck_assert_int_eq(gw_cookie_apply(j, u, NOW, &h), 1);
    ck_assert_uint_eq(h.n, 3);
    ck_assert_str_eq(wsp_hdrs_name(&h, 0), "Accept");
    ck_assert_str_eq(wsp_hdrs_name(&h, 1), "User-Agent");
    i = wsp_hdrs_find(&h, "Cookie");
    ck_assert_int_eq(i, 2);
    ck_assert_str_eq(wsp_hdrs_value(&h, (unsigned) i), "x=1; sid=own; k=v");
    wsp_hdrs_free(&h);
    /* Without own cookies: one Cookie header with the jar's. */
    wsp_hdrs_init(&h, 4096);
    ck_assert_int_eq(gw_cookie_apply(j, u, NOW, &h), 2);
    ck_assert_str_eq(wsp_hdrs_value(&h, 0), "sid=jar; k=v");
    wsp_hdrs_free(&h);
    gw_cookie_jar_free(j);
}
END_TEST


START_TEST(test_store_and_same_host)
{
    struct gw_cookie_jar *j = jar();
    struct gw_cookie_counts cnt;
    struct wsp_hdrs h;

    memset(&cnt, 0, sizeof(cnt));
    wsp_hdrs_init(&h, 4096);
    ck_assert_int_eq(gw_cookie_has_set_cookie(&h), 0);
    ck_assert_int_eq(wsp_hdrs_add(&h, "Content-Type", 12, "text/plain",
        10), 0);
    ck_assert_int_eq(wsp_hdrs_add(&h, "Set-Cookie", 10, "a=1", 3), 0);
    ck_assert_int_eq(wsp_hdrs_add(&h, "set-cookie", 10, "b", 1), 0);
    ck_assert_int_eq(wsp_hdrs_add(&h, "Set-Cookie", 10, "c=3; Path=/", 11),
        0);
    ck_assert_int_eq(gw_cookie_has_set_cookie(&h), 1);
    ck_assert_uint_eq(gw_cookie_jar_store(j, "http://a.example/", &h, NOW,
        &cnt), 3);
    ck_assert_uint_eq(cnt.stored, 2);
    ck_assert_uint_eq(cnt.rejected, 1);
    ck_assert_str_eq(hdr(j, "http://a.example/"), "a=1; c=3");
    wsp_hdrs_free(&h);
    gw_cookie_jar_free(j);

    ck_assert_int_eq(gw_cookie_same_host("http://A.example:81/x",
        "https://a.example/y"), 1);
    ck_assert_int_eq(gw_cookie_same_host("http://a.example/",
        "http://b.example/"), 0);
    ck_assert_int_eq(gw_cookie_same_host("http://a.example/", "junk"), 0);
}
END_TEST


/* ---- Garbage ------------------------------------------------------------- */

/* Every prefix of a busy header: no crash, no over-read (each prefix is
 * an exact-size heap copy, so ASan sees a read past its NUL). */
START_TEST(test_truncation)
{
    static const char full[] = "sid=abc; Domain=.a.example; Path=/x/y; "
        "Expires=Wed, 21 Oct 2099 07:28:00 GMT; Max-Age=100; Secure; "
        "HttpOnly; SameSite=Strict";
    static const char url[] = "https://www.a.example:8443/x/y/z?q=1#f";
    struct gw_cookie_jar *j = jar();
    size_t n;

    for (n = 0; n <= sizeof(full) - 1; n++) {
        char *s = malloc(n + 1);

        memcpy(s, full, n);
        s[n] = '\0';
        (void) gw_cookie_jar_set(j, url, s, NOW, NULL);
        (void) hdr(j, url);
        free(s);
    }
    for (n = 0; n <= sizeof(url) - 1; n++) {
        char *s = malloc(n + 1);

        memcpy(s, url, n);
        s[n] = '\0';
        (void) gw_cookie_jar_set(j, s, full, NOW, NULL);
        (void) hdr(j, s);
        (void) gw_cookie_same_host(s, url);
        free(s);
    }
    for (n = 0; n <= 40; n++) {
        char *s = malloc(n + 1);

        memcpy(s, "Wed, 21 Oct 2015 07:28:00 GMT trailing..", n);
        s[n] = '\0';
        {
            int64_t t;

            (void) gw_cookie_parse_date(s, n, &t);
        }
        free(s);
    }
    ck_assert(gw_cookie_jar_count(j) <= lim_default.max_cookies);
    gw_cookie_jar_free(j);
}
END_TEST


/* Random octets (a fixed seed) as Set-Cookie values, URLs and own
 * headers; the caps hold throughout. */
START_TEST(test_random)
{
    static const char alphabet[] = "ab=; ,/.:-\"\t\001\177\377AZ09Max-Age"
        "ExpiresDomainPathSecure[]@?#";
    struct gw_cookie_limits lim = { 8, 64, 300 };
    struct gw_cookie_jar *j = gw_cookie_jar_new(&lim);
    uint32_t x = 12345;
    int round;

    ck_assert_ptr_nonnull(j);
    for (round = 0; round < 20000; round++) {
        char s[80], url[40];
        size_t n, k;

        x = x * 1103515245u + 12345u;
        n = (x >> 16) % sizeof(s);
        for (k = 0; k + 1 < n; k++) {
            x = x * 1103515245u + 12345u;
            s[k] = alphabet[(x >> 16) % (sizeof(alphabet) - 1)];
        }
        s[n > 0 ? n - 1 : 0] = '\0';
        snprintf(url, sizeof(url), "%s://%c.example/%c",
            (x & 1) ? "http" : "https", 'a' + (int) ((x >> 8) % 3),
            s[0] != '\0' ? s[0] : 'x');
        (void) gw_cookie_jar_set(j, url, s, NOW + round, NULL);
        (void) gw_cookie_jar_set(j, s, "a=b", NOW + round, NULL);
        (void) hdr_own(j, url, s, NOW + round);
        ck_assert(gw_cookie_jar_count(j) <= 8);
        ck_assert(gw_cookie_jar_bytes(j) <= 300);
    }
    gw_cookie_jar_free(j);
}
END_TEST


/* Fail the n-th allocation for n = 0, 1, ...: an error, never a crash,
 * and the jar stays usable. */
START_TEST(test_oom)
{
    long n;

    for (n = 0; n < 16; n++) {
        struct gw_cookie_jar *j;
        struct wsp_hdrs h;
        int rc;

        wspgw_alloc_fail_after(n);
        j = gw_cookie_jar_new(&lim_default);
        if (j == NULL) {
            wspgw_alloc_fail_after(-1);
            continue;
        }
        rc = gw_cookie_jar_set(j, "http://a.example/", "a=1", NOW, NULL);
        ck_assert(rc == 0 || rc == WSPGW_ENOMEM);
        rc = gw_cookie_jar_set(j, "http://a.example/", "b=2", NOW, NULL);
        ck_assert(rc == 0 || rc == WSPGW_ENOMEM);
        wsp_hdrs_init(&h, 4096);
        rc = gw_cookie_apply(j, "http://a.example/", NOW, &h);
        ck_assert(rc >= 0 || rc == WSPGW_ENOMEM);
        wsp_hdrs_free(&h);
        wspgw_alloc_fail_after(-1);
        ck_assert(gw_cookie_jar_count(j) <= 2);
        gw_cookie_jar_free(j);
    }
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("gateway/cookies");
    TCase *tc = tcase_create("cookies");

    tcase_add_loop_test(tc, test_dates, 0,
        (int) (sizeof(dates) / sizeof(dates[0])));
    tcase_add_loop_test(tc, test_set, 0,
        (int) (sizeof(sets) / sizeof(sets[0])));
    tcase_add_test(tc, test_replace_delete_expire);
    tcase_add_test(tc, test_own_cookies_win);
    tcase_add_test(tc, test_caps);
    tcase_add_test(tc, test_header_cap);
    tcase_add_test(tc, test_apply);
    tcase_add_test(tc, test_store_and_same_host);
    tcase_add_test(tc, test_truncation);
    tcase_add_test(tc, test_random);
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
