/*
 * tests/unit/gateway/test_wmlc.c - WML to WMLC in the reply path
 * (gateway/wmlc.c): which handsets get WMLC (named Accept vectors),
 * which responses are compiled, the compiled reply's headers, the
 * charset parameter, and the error deck for a deck that does not
 * compile (escaping included).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wbxml.h"
#include "wmlc.h"

#define DECK "<?xml version=\"1.0\"?>\n<wml><card id=\"a\"><p>Hello</p>" \
    "</card></wml>\n"

struct needs_vec {
    const char *name;
    const char *accept[4];      /* Accept header values, NULL-ended */
    int none;                   /* 1: no Accept header at all */
    int want;
};

static const struct needs_vec needs_vecs[] = {
    { "no Accept header", { NULL }, 1, 1 },
    { "WMLC only", { "application/vnd.wap.wmlc", NULL }, 0, 1 },
    { "WMLC and WMLScript, two headers",
      { "application/vnd.wap.wmlc", "application/vnd.wap.wmlscriptc",
        NULL }, 0, 1 },
    { "WMLC in a comma list with images",
      { "image/vnd.wap.wbmp, application/vnd.wap.wmlc, image/gif", NULL },
      0, 1 },
    { "upper case", { "APPLICATION/VND.WAP.WMLC", NULL }, 0, 1 },
    { "WMLC with q", { "application/vnd.wap.wmlc; q=0.8", NULL }, 0, 1 },
    { "WML listed too", { "application/vnd.wap.wmlc", "text/vnd.wap.wml",
      NULL }, 0, 0 },
    { "WML preferred less still counts",
      { "application/vnd.wap.wmlc, text/vnd.wap.wml;q=0.1", NULL }, 0, 0 },
    { "text/* accepts WML", { "application/vnd.wap.wmlc, text/*", NULL },
      0, 0 },
    { "*/* accepts WML", { "application/vnd.wap.wmlc", "*/*", NULL }, 0, 0 },
    { "WML with q=0", { "application/vnd.wap.wmlc, text/vnd.wap.wml;q=0",
      NULL }, 0, 1 },
    { "WML q=0.000 beats */*",
      { "*/*", "text/vnd.wap.wml; q=0.000", NULL }, 0, 1 },
    { "text/* q=0 and */*: WML refused, WMLC through */*",
      { "*/*", "text/*;q=0", NULL }, 0, 1 },
    { "text/* q=0, WMLC listed", { "application/vnd.wap.wmlc, text/*;q=0",
      NULL }, 0, 1 },
    { "WMLC q=0", { "application/vnd.wap.wmlc;q=0", NULL }, 0, 0 },
    { "application/* covers WMLC", { "application/*", NULL }, 0, 1 },
    { "application/* but WMLC q=0",
      { "application/*, application/vnd.wap.wmlc;q=0", NULL }, 0, 0 },
    { "neither listed", { "image/gif", NULL }, 0, 0 },
    { "empty Accept", { "", NULL }, 0, 0 },
    { "sloppy q value counts as listed",
      { "application/vnd.wap.wmlc;q=high", NULL }, 0, 1 },
    { "similar type is not WML",
      { "application/vnd.wap.wmlc, text/vnd.wap.wmlscript", NULL }, 0, 1 },
};


START_TEST(test_needs)
{
    const struct needs_vec *v = &needs_vecs[_i];
    struct wsp_hdrs h;
    int k;

    wsp_hdrs_init(&h, 4096);
    ck_assert_int_eq(wsp_hdrs_add(&h, "User-Agent", 10, "T/1", 3), 0);
    for (k = 0; !v->none && v->accept[k] != NULL; k++) {
        ck_assert_int_eq(wsp_hdrs_add(&h, "Accept", 6, v->accept[k],
            strlen(v->accept[k])), 0);
    }
    ck_assert_msg(gw_wmlc_handset_needs(&h) == v->want, "%s", v->name);
    wsp_hdrs_free(&h);
}
END_TEST


static void
add(struct wsp_hdrs *h, const char *name, const char *value)
{
    ck_assert_int_eq(wsp_hdrs_add(h, name, strlen(name), value,
        strlen(value)), 0);
}


START_TEST(test_wanted)
{
    struct wsp_hdrs h;

    wsp_hdrs_init(&h, 4096);
    add(&h, "Content-Type", "text/vnd.wap.wml; charset=utf-8");
    ck_assert_int_eq(gw_wmlc_wanted(GW_WMLC_AUTO, 1, 200, &h, 10), 1);
    ck_assert_int_eq(gw_wmlc_wanted(GW_WMLC_AUTO, 0, 200, &h, 10), 0);
    ck_assert_int_eq(gw_wmlc_wanted(GW_WMLC_ALWAYS, 0, 200, &h, 10), 1);
    ck_assert_int_eq(gw_wmlc_wanted(GW_WMLC_NEVER, 1, 200, &h, 10), 0);
    /* An origin's own WML error page is compiled too. */
    ck_assert_int_eq(gw_wmlc_wanted(GW_WMLC_AUTO, 1, 404, &h, 10), 1);
    /* No body (HEAD, 304), a part (206). */
    ck_assert_int_eq(gw_wmlc_wanted(GW_WMLC_ALWAYS, 1, 200, &h, 0), 0);
    ck_assert_int_eq(gw_wmlc_wanted(GW_WMLC_ALWAYS, 1, 206, &h, 10), 0);
    ck_assert_int_eq(gw_wmlc_wanted(GW_WMLC_ALWAYS, 1, 200, NULL, 10), 0);
    add(&h, "Content-Encoding", "identity");
    ck_assert_int_eq(gw_wmlc_wanted(GW_WMLC_ALWAYS, 1, 200, &h, 10), 1);
    wsp_hdrs_reset(&h);
    add(&h, "Content-Type", "text/vnd.wap.wml");
    add(&h, "Content-Encoding", "gzip");
    ck_assert_int_eq(gw_wmlc_wanted(GW_WMLC_ALWAYS, 1, 200, &h, 10), 0);
    wsp_hdrs_reset(&h);
    add(&h, "Content-Type", "text/vnd.wap.wml");
    add(&h, "Content-Range", "bytes 0-9/20");
    ck_assert_int_eq(gw_wmlc_wanted(GW_WMLC_ALWAYS, 1, 200, &h, 10), 0);
    wsp_hdrs_reset(&h);
    add(&h, "Content-Type", "application/vnd.wap.wmlc");
    ck_assert_int_eq(gw_wmlc_wanted(GW_WMLC_ALWAYS, 1, 200, &h, 10), 0);
    wsp_hdrs_reset(&h);
    add(&h, "Content-Type", "text/html");
    ck_assert_int_eq(gw_wmlc_wanted(GW_WMLC_ALWAYS, 1, 200, &h, 10), 0);
    wsp_hdrs_reset(&h);
    ck_assert_int_eq(gw_wmlc_wanted(GW_WMLC_ALWAYS, 1, 200, &h, 10), 0);
    wsp_hdrs_free(&h);
}
END_TEST


START_TEST(test_mode_parse)
{
    ck_assert_int_eq(gw_wmlc_mode_parse("auto"), GW_WMLC_AUTO);
    ck_assert_int_eq(gw_wmlc_mode_parse("ALWAYS"), GW_WMLC_ALWAYS);
    ck_assert_int_eq(gw_wmlc_mode_parse("never"), GW_WMLC_NEVER);
    ck_assert_int_eq(gw_wmlc_mode_parse("yes"), -1);
    ck_assert_int_eq(gw_wmlc_mode_parse(""), -1);
}
END_TEST


static const char *
hval(const struct wsp_hdrs *h, const char *name)
{
    int i = wsp_hdrs_find(h, name);

    return i < 0 ? NULL : wsp_hdrs_value(h, (unsigned)i);
}


START_TEST(test_compiled)
{
    struct wsp_hdrs resp, hout;
    struct wspgw_buf body, want;
    char reason[200] = "";
    int status = 200;

    wsp_hdrs_init(&resp, 4096);
    wsp_hdrs_init(&hout, 4096);
    wspgw_buf_init(&body, 0);
    wspgw_buf_init(&want, 65536);
    add(&resp, "Content-Type", "text/vnd.wap.wml");
    add(&resp, "Content-Length", "71");
    add(&resp, "Content-MD5", "x");
    add(&resp, "Cache-Control", "max-age=60");
    add(&resp, "ETag", "\"v1\"");
    ck_assert_int_eq(gw_wmlc_compile_reply(&resp, (const uint8_t *)DECK,
        strlen(DECK), 0, &status, &hout, &body, reason, sizeof(reason)),
        GW_WMLC_COMPILED);
    ck_assert_int_eq(status, 200);
    ck_assert_str_eq(hval(&hout, "Content-Type"), "application/vnd.wap.wmlc");
    ck_assert_ptr_null(hval(&hout, "Content-Length"));
    ck_assert_ptr_null(hval(&hout, "Content-MD5"));
    ck_assert_str_eq(hval(&hout, "Cache-Control"), "max-age=60");
    ck_assert_str_eq(hval(&hout, "ETag"), "\"v1\"");
    ck_assert_int_eq(gw_wbxml_compile(GW_WBXML_WML, (const uint8_t *)DECK,
        strlen(DECK), &want, NULL, 0), 0);
    ck_assert_uint_eq(body.len, want.len);
    ck_assert_int_eq(memcmp(body.data, want.data, want.len), 0);
    ck_assert_str_eq(reason, "");
    wsp_hdrs_free(&resp);
    wsp_hdrs_free(&hout);
    wspgw_buf_free(&body);
    wspgw_buf_free(&want);
}
END_TEST


/* The HTTP charset applies (RFC 7303): Latin-1 octets without an XML
 * declaration, and the parameter of the result says UTF-8. */
START_TEST(test_charset)
{
    static const char deck[] = "<wml><card><p>caf\xe9</p></card></wml>";
    static const uint8_t want[] = { 0x01, 0x04, 0x6a, 0x00, 0x7f, 0x67,
        0x60, 0x03, 'c', 'a', 'f', 0xc3, 0xa9, 0x00, 0x01, 0x01, 0x01 };
    struct wsp_hdrs resp, hout;
    struct wspgw_buf body;
    char reason[200];
    int status = 200;

    wsp_hdrs_init(&resp, 4096);
    wsp_hdrs_init(&hout, 4096);
    wspgw_buf_init(&body, 0);
    add(&resp, "Content-Type", "text/vnd.wap.wml; charset=\"ISO-8859-1\"");
    ck_assert_int_eq(gw_wmlc_compile_reply(&resp, (const uint8_t *)deck,
        strlen(deck), 0, &status, &hout, &body, reason, sizeof(reason)),
        GW_WMLC_COMPILED);
    ck_assert_str_eq(hval(&hout, "Content-Type"),
        "application/vnd.wap.wmlc; charset=utf-8");
    ck_assert_uint_eq(body.len, sizeof(want));
    ck_assert_int_eq(memcmp(body.data, want, sizeof(want)), 0);

    /* Without the parameter the same octets are not UTF-8. */
    wsp_hdrs_reset(&resp);
    add(&resp, "Content-Type", "text/vnd.wap.wml");
    ck_assert_int_eq(gw_wmlc_compile_reply(&resp, (const uint8_t *)deck,
        strlen(deck), 0, &status, &hout, &body, reason, sizeof(reason)),
        GW_WMLC_ERROR_DECK);
    ck_assert_int_eq(status, 502);
    ck_assert_msg(strstr(reason, "not well-formed") != NULL, "%s", reason);
    wsp_hdrs_free(&resp);
    wsp_hdrs_free(&hout);
    wspgw_buf_free(&body);
}
END_TEST


/* Finds needle in the octets of b. */
static int
contains(const struct wspgw_buf *b, const char *needle)
{
    size_t n = strlen(needle), i;

    for (i = 0; i + n <= b->len; i++) {
        if (memcmp(b->data + i, needle, n) == 0) {
            return 1;
        }
    }
    return 0;
}


START_TEST(test_error_deck)
{
    static const char broken[] = "<wml>\n<card><p>x</b></card></wml>";
    static const char odd[] =
        "<?xml version=\"1.0\" encoding=\"x$y<&\"?><wml/>";
    struct wsp_hdrs resp, hout;
    struct wspgw_buf body;
    char reason[200];
    int status = 200;

    wsp_hdrs_init(&resp, 4096);
    wsp_hdrs_init(&hout, 4096);
    wspgw_buf_init(&body, 0);
    add(&resp, "Content-Type", "text/vnd.wap.wml");
    add(&resp, "ETag", "\"v1\"");
    ck_assert_int_eq(gw_wmlc_compile_reply(&resp, (const uint8_t *)broken,
        strlen(broken), 0, &status, &hout, &body, reason, sizeof(reason)),
        GW_WMLC_ERROR_DECK);
    ck_assert_int_eq(status, 502);
    ck_assert_str_eq(reason, "XML error at line 2, column 13: mismatched tag");
    ck_assert_str_eq(hval(&hout, "Content-Type"), "application/vnd.wap.wmlc");
    ck_assert_str_eq(hval(&hout, "Cache-Control"), "no-cache");
    ck_assert_ptr_null(hval(&hout, "ETag"));
    /* A WML 1.1 deck whose text carries the reason. */
    ck_assert_uint_ge(body.len, 4);
    ck_assert_int_eq(body.data[0], 0x01);
    ck_assert_int_eq(body.data[1], 0x04);
    ck_assert(contains(&body, "could not convert this page"));
    ck_assert(contains(&body, "line 2, column 13: mismatched tag"));

    /* Markup and "$" in the reason: escaped for XML, "$$" for WML, so
     * the handset shows them as written (a "$" stays one "$" in the
     * compiled text, never a variable token). */
    wsp_hdrs_reset(&resp);
    add(&resp, "Content-Type", "text/vnd.wap.wml");
    ck_assert_int_eq(gw_wmlc_compile_reply(&resp, (const uint8_t *)odd,
        strlen(odd), 0, &status, &hout, &body, reason, sizeof(reason)),
        GW_WMLC_ERROR_DECK);
    ck_assert_str_eq(reason, "unsupported charset \"x$y<&\"");
    ck_assert(contains(&body, "unsupported charset \"x$"));
    ck_assert(contains(&body, "y<&\""));
    ck_assert(!contains(&body, "\x42y"));       /* no EXT_I_2 "y" */

    /* Not WML at all (an HTML page labelled as WML). */
    ck_assert_int_eq(gw_wmlc_compile_reply(&resp,
        (const uint8_t *)"<html><body>x</body></html>", 27, 0, &status,
        &hout, &body, reason, sizeof(reason)), GW_WMLC_ERROR_DECK);
    ck_assert(contains(&body, "the root element is <html>"));
    wsp_hdrs_free(&resp);
    wsp_hdrs_free(&hout);
    wspgw_buf_free(&body);
}
END_TEST


/* A cap the compiled deck does not fit: an error page, never a bigger
 * reply than allowed. */
START_TEST(test_cap)
{
    struct wsp_hdrs resp, hout;
    struct wspgw_buf body;
    char reason[200];
    int status = 200, rc;

    wsp_hdrs_init(&resp, 4096);
    wsp_hdrs_init(&hout, 4096);
    wspgw_buf_init(&body, 0);
    add(&resp, "Content-Type", "text/vnd.wap.wml");
    rc = gw_wmlc_compile_reply(&resp, (const uint8_t *)DECK, strlen(DECK),
        10, &status, &hout, &body, reason, sizeof(reason));
    ck_assert_int_eq(rc, GW_WMLC_ERROR_DECK);
    ck_assert_int_eq(status, 502);
    ck_assert_str_eq(reason, "compiled document too large");
    ck_assert_str_eq(hval(&hout, "Content-Type"), "application/vnd.wap.wmlc");
    wsp_hdrs_free(&resp);
    wsp_hdrs_free(&hout);
    wspgw_buf_free(&body);
}
END_TEST


/* Allocation failures at every step: an error deck, the text/plain
 * fallback (the error deck itself failed) or ENOMEM; never a crash or a
 * leak, and the fallback is reached. */
START_TEST(test_oom)
{
    static const char broken[] = "<wml><card><p>x</b></card></wml>";
    struct wsp_hdrs resp, hout;
    struct wspgw_buf body;
    char reason[200];
    int status, rc, seen_text = 0;
    long n;

    wsp_hdrs_init(&resp, 4096);
    add(&resp, "Content-Type", "text/vnd.wap.wml");
    for (n = 0; n < 40; n++) {
        wsp_hdrs_init(&hout, 4096);
        wspgw_buf_init(&body, 0);
        status = 200;
        wspgw_alloc_fail_after(n);
        rc = gw_wmlc_compile_reply(&resp, (const uint8_t *)broken,
            strlen(broken), 0, &status, &hout, &body, reason,
            sizeof(reason));
        wspgw_alloc_fail_after(-1);
        ck_assert_msg(rc == GW_WMLC_ERROR_DECK || rc == GW_WMLC_ERROR_TEXT
            || rc == WSPGW_ENOMEM, "n %ld: rc %d", n, rc);
        if (rc == GW_WMLC_ERROR_TEXT) {
            seen_text = 1;
            ck_assert_str_eq(hval(&hout, "Content-Type"), "text/plain");
            ck_assert(contains(&body, "mismatched tag"));
        }
        wsp_hdrs_free(&hout);
        wspgw_buf_free(&body);
    }
    ck_assert(seen_text);
    wsp_hdrs_free(&resp);
}
END_TEST


START_TEST(test_apply)
{
    struct wsp_hdrs resp, hbuf;
    struct wspgw_buf bbuf;
    uint64_t compiled = 0, failed = 0;
    struct gw_wmlc_counts c = { &compiled, &failed };
    struct gw_wmlc_resp r;

    wsp_hdrs_init(&resp, 4096);
    wsp_hdrs_init(&hbuf, 4096);
    wspgw_buf_init(&bbuf, 0);
    add(&resp, "Content-Type", "text/vnd.wap.wml");

    r.status = 200;
    r.headers = &resp;
    r.body = (const uint8_t *)DECK;
    r.body_len = strlen(DECK);
    ck_assert_int_eq(gw_wmlc_apply(GW_WMLC_AUTO, 0, "http://x/", 0, &r,
        &hbuf, &bbuf, &c), 0);
    ck_assert_ptr_eq(r.headers, &resp);         /* not wanted: unchanged */
    ck_assert_uint_eq(compiled + failed, 0);

    ck_assert_int_eq(gw_wmlc_apply(GW_WMLC_AUTO, 1, "http://x/", 0, &r,
        &hbuf, &bbuf, &c), 0);
    ck_assert_ptr_eq(r.headers, &hbuf);
    ck_assert_ptr_eq(r.body, bbuf.data);
    ck_assert_uint_eq(r.body_len, bbuf.len);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(compiled, 1);

    r.headers = &resp;
    r.body = (const uint8_t *)"<wml>";
    r.body_len = 5;
    ck_assert_int_eq(gw_wmlc_apply(GW_WMLC_ALWAYS, 0, "http://x/bad", 0,
        &r, &hbuf, &bbuf, &c), 0);
    ck_assert_int_eq(r.status, 502);
    ck_assert_uint_eq(failed, 1);

    /* Out of memory: the caller's own error path, response unchanged. */
    r.status = 200;
    r.headers = &resp;
    r.body = (const uint8_t *)DECK;
    r.body_len = strlen(DECK);
    wspgw_buf_free(&bbuf);
    wspgw_alloc_fail_after(0);
    ck_assert_int_eq(gw_wmlc_apply(GW_WMLC_ALWAYS, 0, "http://x/", 0, &r,
        &hbuf, &bbuf, &c), WSPGW_ENOMEM);
    wspgw_alloc_fail_after(-1);
    ck_assert_ptr_eq(r.headers, &resp);
    ck_assert_uint_eq(failed, 2);
    wsp_hdrs_free(&resp);
    wsp_hdrs_free(&hbuf);
    wspgw_buf_free(&bbuf);
}
END_TEST


static Suite *
wmlc_suite(void)
{
    Suite *s = suite_create("wmlc");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, test_needs, 0,
        (int)(sizeof(needs_vecs) / sizeof(needs_vecs[0])));
    tcase_add_test(tc, test_wanted);
    tcase_add_test(tc, test_mode_parse);
    tcase_add_test(tc, test_compiled);
    tcase_add_test(tc, test_charset);
    tcase_add_test(tc, test_error_deck);
    tcase_add_test(tc, test_cap);
    tcase_add_test(tc, test_oom);
    tcase_add_test(tc, test_apply);
    suite_add_tcase(s, tc);
    return s;
}


int
main(void)
{
    SRunner *sr = srunner_create(wmlc_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
