/*
 * tests/unit/gateway/test_bridge.c - WSP request -> HTTP headers, HTTP
 * response -> WSP Reply (gateway/bridge.c).
 *
 * Expected bytes follow WAP-230 8.2.3.3 (Reply) and the assigned numbers
 * in ../shared/reference/wsp-headers.md (tshark-verified).
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "wspgw/err.h"
#include "wspgw/wsp.h"
#include "bridge.h"


static void
assert_bytes(const struct wspgw_buf *b, const uint8_t *want, size_t n)
{
    size_t i;

    ck_assert_uint_eq(b->len, n);
    for (i = 0; i < n; i++) {
        ck_assert_msg(b->data[i] == want[i], "octet %zu: %02x, want %02x",
            i, b->data[i], want[i]);
    }
}


START_TEST(test_request_headers)
{
    /* TID 1, Post, URI "http://h/", HeadersLen, ctype mms-message,
     * Accept wmlc, User-Agent "UA", Encoding-Version 1.3,
     * Connection: close; body "xy". */
    static const uint8_t dgram[] = {
        0x01, 0x60, 0x09, 0x0b,
        'h', 't', 't', 'p', ':', '/', '/', 'h', '/',
        0xbe, 0x80, 0x94, 0xa9, 'U', 'A', 0x00, 0xc3, 0x93, 0x89, 0x80,
        'x', 'y'
    };
    struct wsp_pdu pdu;
    struct wsp_hdrs h;
    unsigned enc = 0, skipped = 0;
    int i;

    ck_assert_int_eq(wsp_pdu_decode(dgram, sizeof(dgram), 1, &pdu), 0);
    ck_assert_uint_eq(pdu.type, WSP_PDU_POST);
    ck_assert_uint_eq(pdu.data_len, 2);
    wsp_hdrs_init(&h, 4096);
    ck_assert_int_eq(gw_bridge_request_headers(&pdu, &h, &enc, &skipped), 0);
    ck_assert_uint_eq(enc, WSP_ENC_1_3);
    i = wsp_hdrs_find(&h, "Content-Type");
    ck_assert_int_ge(i, 0);
    ck_assert_str_eq(wsp_hdrs_value(&h, (unsigned) i),
        "application/vnd.wap.mms-message");
    i = wsp_hdrs_find(&h, "Accept");
    ck_assert_int_ge(i, 0);
    ck_assert_str_eq(wsp_hdrs_value(&h, (unsigned) i),
        "application/vnd.wap.wmlc");
    i = wsp_hdrs_find(&h, "User-Agent");
    ck_assert_int_ge(i, 0);
    ck_assert_str_eq(wsp_hdrs_value(&h, (unsigned) i), "UA");
    ck_assert_int_eq(wsp_hdrs_find(&h, "Connection"), -1);
    ck_assert_int_eq(wsp_hdrs_find(&h, "Encoding-Version"), -1);
    ck_assert_uint_eq(h.n, 3);
    wsp_hdrs_free(&h);
}
END_TEST


START_TEST(test_request_enc_code_page)
{
    /* Connectionless Get "http://h/" with Encoding-Version in the
     * code-page form (8.4.2.70): page 1, version 1.4 -> answer in 1.4;
     * a version for page 2 alone says nothing about page 1 (default). */
    static const uint8_t page1[] = {
        0x02, 0x40, 0x09, 'h', 't', 't', 'p', ':', '/', '/', 'h', '/',
        0xc3, 0x02, 0x81, 0x94
    };
    static const uint8_t page2[] = {
        0x03, 0x40, 0x09, 'h', 't', 't', 'p', ':', '/', '/', 'h', '/',
        0xc3, 0x02, 0x82, 0x95
    };
    struct wsp_pdu pdu;
    struct wsp_hdrs h;
    unsigned enc = 0, skipped = 0;

    ck_assert_int_eq(wsp_pdu_decode(page1, sizeof(page1), 1, &pdu), 0);
    wsp_hdrs_init(&h, 4096);
    ck_assert_int_eq(gw_bridge_request_headers(&pdu, &h, &enc, &skipped), 0);
    ck_assert_uint_eq(enc, WSP_ENC_1_4);
    ck_assert_uint_eq(h.n, 0);
    wsp_hdrs_free(&h);
    ck_assert_int_eq(wsp_pdu_decode(page2, sizeof(page2), 1, &pdu), 0);
    wsp_hdrs_init(&h, 4096);
    ck_assert_int_eq(gw_bridge_request_headers(&pdu, &h, &enc, &skipped), 0);
    ck_assert_uint_eq(enc, GW_DEFAULT_ENC);
    ck_assert_uint_eq(h.n, 0);
    wsp_hdrs_free(&h);
}
END_TEST


START_TEST(test_reply)
{
    static const uint8_t want[] = {
        0x01, 0x04, 0x20, 0x09, 0x03, 0x83, 0x81, 0xea,
        0xa6, 'x', 0x00, 0x8d, 0x82, 'h', 'i'
    };
    struct wsp_hdrs h;
    struct wspgw_buf out;
    unsigned dropped = 9;

    wsp_hdrs_init(&h, 4096);
    ck_assert_int_eq(wsp_hdrs_add(&h, "Content-Type", 12,
        "text/plain; charset=utf-8", 25), 0);
    ck_assert_int_eq(wsp_hdrs_add(&h, "Connection", 10, "keep-alive", 10),
        0);
    ck_assert_int_eq(wsp_hdrs_add(&h, "Server", 6, "x", 1), 0);
    ck_assert_int_eq(wsp_hdrs_add(&h, "Transfer-Encoding", 17, "chunked", 7),
        0);
    ck_assert_int_eq(wsp_hdrs_add(&h, "Content-Length", 14, "99", 2), 0);
    wspgw_buf_init(&out, 65507);
    ck_assert_int_eq(gw_bridge_reply(&out, 1, 1, 200, &h,
        (const uint8_t *) "hi", 2, WSP_ENC_1_2, &dropped), 0);
    ck_assert_uint_eq(dropped, 0);
    assert_bytes(&out, want, sizeof(want));
    wspgw_buf_free(&out);
    wsp_hdrs_free(&h);
}
END_TEST


START_TEST(test_reply_without_content_type)
{
    struct wspgw_buf out;
    struct wsp_pdu pdu;
    unsigned dropped;

    wspgw_buf_init(&out, 65507);
    ck_assert_int_eq(gw_bridge_reply(&out, 1, 7, 404, NULL, NULL, 0,
        WSP_ENC_1_2, &dropped), 0);
    ck_assert_int_eq(wsp_pdu_decode(out.data, out.len, 1, &pdu), 0);
    ck_assert_uint_eq(pdu.tid, 7);
    ck_assert_uint_eq(pdu.type, WSP_PDU_REPLY);
    ck_assert_uint_eq(pdu.status, 0x44);
    /* 0x5A has no encoding version ("TBD"): sent as text. */
    ck_assert_uint_eq(pdu.ctype_len, 25);
    ck_assert(memcmp(pdu.ctype, "application/octet-stream", 25) == 0);
    wspgw_buf_free(&out);
}
END_TEST


START_TEST(test_head_keeps_length)
{
    /* HEAD: no body, the upstream's Content-Length (5) is kept. */
    static const uint8_t want[] = { 0x09, 0x04, 0x20, 0x03, 0x83, 0x8d, 0x85 };
    struct wsp_hdrs h;
    struct wspgw_buf out;
    unsigned dropped;

    wsp_hdrs_init(&h, 4096);
    ck_assert_int_eq(wsp_hdrs_add(&h, "Content-Type", 12, "text/plain", 10),
        0);
    ck_assert_int_eq(wsp_hdrs_add(&h, "Content-Length", 14, "5", 1), 0);
    wspgw_buf_init(&out, 65507);
    ck_assert_int_eq(gw_bridge_reply(&out, 1, 9, 200, &h, NULL, 0,
        WSP_ENC_1_2, &dropped), 0);
    assert_bytes(&out, want, sizeof(want));
    /* A nonsense length from the upstream is replaced by the truth. */
    wsp_hdrs_reset(&h);
    ck_assert_int_eq(wsp_hdrs_add(&h, "Content-Length", 14, "5x", 2), 0);
    wspgw_buf_reset(&out);
    ck_assert_int_eq(gw_bridge_reply(&out, 1, 9, 200, &h, NULL, 0,
        WSP_ENC_1_2, &dropped), 0);
    ck_assert_uint_eq(out.data[out.len - 1], 0x80);
    wspgw_buf_free(&out);
    wsp_hdrs_free(&h);
}
END_TEST


START_TEST(test_error_reply)
{
    struct wspgw_buf out;
    struct wsp_pdu pdu;

    wspgw_buf_init(&out, 65507);
    ck_assert_int_eq(gw_bridge_error_reply(&out, 1, 3, 403, "no\n"), 0);
    ck_assert_int_eq(wsp_pdu_decode(out.data, out.len, 1, &pdu), 0);
    ck_assert_uint_eq(pdu.status, 0x43);
    ck_assert_uint_eq(pdu.ctype_len, 1);
    ck_assert_uint_eq(pdu.ctype[0], 0x83);          /* text/plain */
    ck_assert_uint_eq(pdu.data_len, 3);
    ck_assert(memcmp(pdu.data, "no\n", 3) == 0);
    wspgw_buf_free(&out);
}
END_TEST


START_TEST(test_reply_too_large)
{
    struct wspgw_buf out;
    uint8_t *body = calloc(1, 70000);
    unsigned dropped;

    wspgw_buf_init(&out, 65507);
    ck_assert_int_eq(gw_bridge_reply(&out, 1, 1, 200, NULL, body, 70000,
        WSP_ENC_1_2, &dropped), WSPGW_EMSGSIZE);
    wspgw_buf_free(&out);
    free(body);
}
END_TEST


START_TEST(test_session_headers)
{
    /* Session: User-Agent "S", Accept-Language en, Connection close.
     * Request already has User-Agent "R". */
    static const uint8_t sess[] = {
        0xa9, 'S', 0x00, 0x83, 0x99, 0x89, 0x80
    };
    struct wsp_hdrs h;
    int i;

    wsp_hdrs_init(&h, 4096);
    ck_assert_int_eq(wsp_hdrs_add(&h, "User-Agent", 10, "R", 1), 0);
    ck_assert_int_eq(gw_bridge_merge_session_headers(sess, sizeof(sess), &h),
        0);
    ck_assert_uint_eq(h.n, 2);
    i = wsp_hdrs_find(&h, "User-Agent");
    ck_assert_str_eq(wsp_hdrs_value(&h, (unsigned) i), "R");
    i = wsp_hdrs_find(&h, "Accept-Language");
    ck_assert_int_ge(i, 0);
    ck_assert_str_eq(wsp_hdrs_value(&h, (unsigned) i), "en");
    /* Session headers first, the request's after (WAP-248 [18]). */
    ck_assert_int_lt(i, wsp_hdrs_find(&h, "User-Agent"));
    ck_assert_int_eq(wsp_hdrs_find(&h, "Connection"), -1);
    ck_assert_int_eq(gw_bridge_merge_session_headers(sess, 2, &h),
        WSPGW_ETRUNC);
    ck_assert_uint_eq(h.n, 2);
    wsp_hdrs_free(&h);
}
END_TEST


START_TEST(test_http_error_and_url)
{
    char text[200];

    ck_assert_int_eq(gw_bridge_http_error(WSPGW_EACCES, NULL, 0, text,
        sizeof(text)), 403);
    ck_assert(strstr(text, "allow list") != NULL);
    ck_assert_int_eq(gw_bridge_http_error(WSPGW_ETIMEDOUT, NULL, 0, text,
        sizeof(text)), 504);
    ck_assert_int_eq(gw_bridge_http_error(WSPGW_EMSGSIZE, NULL, 1400, text,
        sizeof(text)), 502);
    ck_assert(strstr(text, "1400") != NULL);
    ck_assert_int_eq(gw_bridge_http_error(WSPGW_EIO, "reset", 0, text,
        sizeof(text)), 502);
    ck_assert(strstr(text, "reset") != NULL);
    ck_assert(gw_bridge_url_ok((const uint8_t *) "http://a/b", 10, 100));
    ck_assert(!gw_bridge_url_ok((const uint8_t *) "http://a/ b", 11, 100));
    ck_assert(!gw_bridge_url_ok((const uint8_t *) "http://a/\r", 10, 100));
    ck_assert(!gw_bridge_url_ok((const uint8_t *) "http://a/b", 10, 9));
    ck_assert(!gw_bridge_url_ok((const uint8_t *) "", 0, 9));
}
END_TEST


START_TEST(test_hop_by_hop)
{
    ck_assert(gw_bridge_is_hop_by_hop("connection"));
    ck_assert(gw_bridge_is_hop_by_hop("Transfer-Encoding"));
    ck_assert(gw_bridge_is_hop_by_hop("Host"));
    ck_assert(!gw_bridge_is_hop_by_hop("Accept"));
}
END_TEST


static const char *
value_of(const struct wsp_hdrs *h, const char *name)
{
    int i = wsp_hdrs_find(h, name);

    return i >= 0 ? wsp_hdrs_value(h, (unsigned) i) : NULL;
}


static unsigned
count_of(const struct wsp_hdrs *h, const char *name)
{
    unsigned i, n = 0;

    for (i = 0; i < h->n; i++) {
        if (strcasecmp(wsp_hdrs_name(h, i), name) == 0) {
            n++;
        }
    }
    return n;
}


static void
add(struct wsp_hdrs *h, const char *name, const char *value)
{
    ck_assert_int_eq(wsp_hdrs_add(h, name, strlen(name), value,
        strlen(value)), 0);
}


START_TEST(test_uaprof_unquoted)
{
    /* The WSP Profile field as text (the codec's name for 0x35) and
     * Profile-Diff; the URI gets quoted, the diff gets its sequence
     * number, and x-wap-profile references it with the base64 MD5 of
     * the XML (digest computed with Python's hashlib). */
    struct gw_bridge_upstream u = { 0, NULL, NULL, NULL, 0 };
    struct wsp_hdrs h;

    wsp_hdrs_init(&h, 4096);
    add(&h, "Accept", "*/*");
    add(&h, "Profile", "http://uaprof.example/n.rdf");
    add(&h, "Profile-Diff", "<rdf:RDF/>");
    ck_assert_int_eq(gw_bridge_upstream_headers(&h, &u), 0);
    ck_assert_str_eq(value_of(&h, "x-wap-profile"),
        "\"http://uaprof.example/n.rdf\", \"1-+k4S+PewQfNZTj+QPH68/Q==\"");
    ck_assert_str_eq(value_of(&h, "x-wap-profile-diff"), "1;<rdf:RDF/>");
    ck_assert_int_eq(wsp_hdrs_find(&h, "Profile"), -1);
    ck_assert_int_eq(wsp_hdrs_find(&h, "Profile-Diff"), -1);
    ck_assert_str_eq(value_of(&h, "Accept"), "*/*");
    ck_assert_int_eq(wsp_hdrs_find(&h, "Via"), -1);
    ck_assert_uint_eq(h.n, 3);
    wsp_hdrs_free(&h);
}
END_TEST


START_TEST(test_session_profile_then_request_diff)
{
    /* Session: Profile "http://p/s.rdf"; request: a Profile-Diff (WBXML
     * <rdf:RDF/>).  The session's Profile stays (9.2.1.2: a request may
     * append diffs to cached profiles) and comes first in x-wap-profile
     * (9.2.3.2 [18]). */
    static const uint8_t sess[] = {
        0xb5, 'h', 't', 't', 'p', ':', '/', '/', 'p', '/', 's', '.', 'r',
        'd', 'f', 0x00
    };
    static const uint8_t req[] = { 0xb6, 0x05, 0x03, 0x01, 0x6a, 0x00, 0x05 };
    struct gw_bridge_upstream u = { 0, NULL, NULL, NULL, 0 };
    struct wsp_hdrs h;
    unsigned skipped = 0;

    wsp_hdrs_init(&h, 4096);
    ck_assert_int_eq(wsp_hdrs_decode(req, sizeof(req), &h, &skipped), 0);
    ck_assert_uint_eq(skipped, 0);
    ck_assert_int_eq(gw_bridge_merge_session_headers(sess, sizeof(sess), &h),
        0);
    ck_assert_int_eq(gw_bridge_upstream_headers(&h, &u), 0);
    ck_assert_str_eq(value_of(&h, "x-wap-profile"),
        "\"http://p/s.rdf\", \"1-xhIKKdQNfqwTLSLBvygxtQ==\"");
    ck_assert_str_eq(value_of(&h, "x-wap-profile-diff"),
        "1;<?xml version=\"1.0\"?><rdf:RDF/>");
    wsp_hdrs_free(&h);
}
END_TEST


START_TEST(test_uaprof_several)
{
    /* WAP-248 9.2.3.3's example: Profile URIx, Profile-Diff AA, Profile
     * URIy, Profile-Diff BB -> one x-wap-profile listing all four in that
     * order, and two x-wap-profile-diff headers numbered 1 and 2. */
    static const char *const xa = "<?xml version=\"1.0\"?><rdf:RDF/>";
    static const char *const xb =
        "<?xml version=\"1.0\"?><prf:Vendor>Nokia</prf:Vendor>";
    struct gw_bridge_upstream u = { 0, NULL, NULL, NULL, 0 };
    struct wsp_hdrs h;
    unsigned i, diffs = 0;

    wsp_hdrs_init(&h, 4096);
    add(&h, "Profile", "http://p/x.rdf");
    add(&h, "Profile-Diff", xa);
    add(&h, "Profile", "http://p/y.rdf");
    add(&h, "Profile-Diff", xb);
    ck_assert_int_eq(gw_bridge_upstream_headers(&h, &u), 0);
    ck_assert_uint_eq(count_of(&h, "x-wap-profile"), 1);
    ck_assert_str_eq(value_of(&h, "x-wap-profile"),
        "\"http://p/x.rdf\", \"1-xhIKKdQNfqwTLSLBvygxtQ==\", "
        "\"http://p/y.rdf\", \"2-nPl3PeKMqDaThOb8m4SMiw==\"");
    for (i = 0; i < h.n; i++) {
        if (strcmp(wsp_hdrs_name(&h, i), "x-wap-profile-diff") == 0) {
            ck_assert_str_eq(wsp_hdrs_value(&h, i), diffs == 0
                ? "1;<?xml version=\"1.0\"?><rdf:RDF/>"
                : "2;<?xml version=\"1.0\"?><prf:Vendor>Nokia</prf:Vendor>");
            diffs++;
        }
    }
    ck_assert_uint_eq(diffs, 2);
    ck_assert_uint_eq(h.n, 3);
    wsp_hdrs_free(&h);

    /* The handset's own x-wap-profile-diff text wins over the field. */
    wsp_hdrs_init(&h, 4096);
    add(&h, "X-Wap-Profile-Diff", "1;<a/>");
    add(&h, "Profile-Diff", xa);
    add(&h, "Profile", "http://p/x.rdf");
    ck_assert_int_eq(gw_bridge_upstream_headers(&h, &u), 0);
    ck_assert_uint_eq(count_of(&h, "x-wap-profile-diff"), 1);
    ck_assert_str_eq(value_of(&h, "x-wap-profile-diff"), "1;<a/>");
    ck_assert_str_eq(value_of(&h, "x-wap-profile"), "\"http://p/x.rdf\"");
    wsp_hdrs_free(&h);
}
END_TEST


START_TEST(test_uaprof_quoted_and_application)
{
    struct gw_bridge_upstream u = { 0, NULL, NULL, NULL, 0 };
    struct wsp_hdrs h;

    /* Already quoted: kept as it is. */
    wsp_hdrs_init(&h, 4096);
    add(&h, "Profile", "\"http://p/a.rdf\"");
    ck_assert_int_eq(gw_bridge_upstream_headers(&h, &u), 0);
    ck_assert_str_eq(value_of(&h, "x-wap-profile"), "\"http://p/a.rdf\"");
    ck_assert_uint_eq(h.n, 1);
    wsp_hdrs_free(&h);

    /* Sent as an application header: unchanged (even unquoted), and it
     * wins over a Profile field. */
    wsp_hdrs_init(&h, 4096);
    add(&h, "X-Wap-Profile", "http://p/app.rdf");
    add(&h, "Profile", "http://p/field.rdf");
    ck_assert_int_eq(gw_bridge_upstream_headers(&h, &u), 0);
    ck_assert_uint_eq(count_of(&h, "x-wap-profile"), 1);
    ck_assert_str_eq(value_of(&h, "x-wap-profile"), "http://p/app.rdf");
    ck_assert_uint_eq(h.n, 1);
    wsp_hdrs_free(&h);

    /* No profile at all is fine. */
    wsp_hdrs_init(&h, 4096);
    ck_assert_int_eq(gw_bridge_upstream_headers(&h, &u), 0);
    ck_assert_uint_eq(h.n, 0);
    wsp_hdrs_free(&h);
}
END_TEST


START_TEST(test_uaprof_from_pdu)
{
    /* TID 2, Get "http://h/", headers: application header
     * "Profile: http://p/x.rdf" (Token-text, Text-string) - the form a
     * handset without the binary code uses; User-Agent "UA". */
    static const uint8_t dgram[] = {
        0x02, 0x40, 0x09,
        'h', 't', 't', 'p', ':', '/', '/', 'h', '/',
        'P', 'r', 'o', 'f', 'i', 'l', 'e', 0x00,
        'h', 't', 't', 'p', ':', '/', '/', 'p', '/', 'x', '.', 'r', 'd',
        'f', 0x00,
        0xa9, 'U', 'A', 0x00
    };
    struct gw_bridge_upstream u = { 1, "X-WAP-Network-Client-IP",
        "192.0.2.7", NULL, 0 };
    struct wsp_pdu pdu;
    struct wsp_hdrs h;
    unsigned enc = 0, skipped = 0;

    ck_assert_int_eq(wsp_pdu_decode(dgram, sizeof(dgram), 1, &pdu), 0);
    wsp_hdrs_init(&h, 4096);
    ck_assert_int_eq(gw_bridge_request_headers(&pdu, &h, &enc, &skipped), 0);
    ck_assert_int_eq(gw_bridge_upstream_headers(&h, &u), 0);
    ck_assert_str_eq(value_of(&h, "x-wap-profile"), "\"http://p/x.rdf\"");
    ck_assert_str_eq(value_of(&h, "User-Agent"), "UA");
    ck_assert_str_eq(value_of(&h, "Via"), GW_BRIDGE_VIA);
    ck_assert_str_eq(value_of(&h, "X-WAP-Network-Client-IP"), "192.0.2.7");
    wsp_hdrs_free(&h);
}
END_TEST


/* The reply headers of a Reply built at enc, as text. */
static void
reply_headers(struct wsp_hdrs *h, const char *name, const char *value,
    unsigned enc)
{
    struct wsp_hdrs in;
    struct wspgw_buf out;
    struct wsp_pdu pdu;
    unsigned dropped, skipped = 0;

    wsp_hdrs_init(&in, 4096);
    add(&in, name, value);
    wspgw_buf_init(&out, 65507);
    ck_assert_int_eq(gw_bridge_reply(&out, 1, 1, 200, &in, NULL, 0, enc,
        &dropped), 0);
    ck_assert_uint_eq(dropped, 0);
    ck_assert_int_eq(wsp_pdu_decode(out.data, out.len, 1, &pdu), 0);
    ck_assert_int_eq(wsp_hdrs_decode(pdu.headers, pdu.headers_len, h,
        &skipped), 0);
    ck_assert_uint_eq(skipped, 0);
    wspgw_buf_free(&out);
    wsp_hdrs_free(&in);
}


START_TEST(test_profile_warning_reply)
{
    struct wsp_hdrs h;
    const char *v;

    /* x-wap-profile-warning from the origin is WSP's Profile-Warning. */
    wsp_hdrs_init(&h, 4096);
    reply_headers(&h, "x-wap-profile-warning", "100", WSP_ENC_1_2);
    v = value_of(&h, "Profile-Warning");
    if (v == NULL) {
        /* A codec without Profile-Warning sends the HTTP name as text. */
        v = value_of(&h, "x-wap-profile-warning");
    }
    ck_assert_ptr_nonnull(v);
    ck_assert_str_eq(v, "100");
    wsp_hdrs_free(&h);
}
END_TEST


START_TEST(test_via)
{
    struct gw_bridge_upstream on = { 1, NULL, NULL, NULL, 0 };
    struct gw_bridge_upstream off = { 0, NULL, NULL, NULL, 0 };
    struct wsp_hdrs h;

    /* None sent: one added. */
    wsp_hdrs_init(&h, 4096);
    add(&h, "Accept", "*/*");
    ck_assert_int_eq(gw_bridge_upstream_headers(&h, &on), 0);
    ck_assert_str_eq(value_of(&h, "Via"), "1.1 wspgw");
    ck_assert_uint_eq(h.n, 2);
    wsp_hdrs_free(&h);

    /* Two sent: appended to the last, the first left alone. */
    wsp_hdrs_init(&h, 4096);
    add(&h, "Via", "1.0 a");
    add(&h, "Accept", "*/*");
    add(&h, "via", "1.1 b");
    ck_assert_int_eq(gw_bridge_upstream_headers(&h, &on), 0);
    ck_assert_uint_eq(count_of(&h, "Via"), 2);
    ck_assert_str_eq(wsp_hdrs_value(&h, 0), "1.0 a");
    ck_assert_str_eq(wsp_hdrs_name(&h, 2), "via");
    ck_assert_str_eq(wsp_hdrs_value(&h, 2), "1.1 b, 1.1 wspgw");
    wsp_hdrs_free(&h);

    /* Off: the handset's Via passes, nothing is added. */
    wsp_hdrs_init(&h, 4096);
    add(&h, "Via", "1.0 a");
    ck_assert_int_eq(gw_bridge_upstream_headers(&h, &off), 0);
    ck_assert_str_eq(value_of(&h, "Via"), "1.0 a");
    ck_assert_uint_eq(h.n, 1);
    wsp_hdrs_free(&h);
}
END_TEST


START_TEST(test_client_ip)
{
    struct gw_bridge_upstream xff = { 0, "X-Forwarded-For", "2001:db8::1",
        NULL, 0 };
    struct gw_bridge_upstream none = { 0, "", "192.0.2.1", NULL, 0 };
    struct wsp_hdrs h;

    /* Forged client-address headers are removed; ours is added once. */
    wsp_hdrs_init(&h, 4096);
    add(&h, "x-forwarded-for", "10.0.0.1");
    add(&h, "X-WAP-Network-Client-IP", "10.0.0.2");
    add(&h, "Accept", "*/*");
    ck_assert_int_eq(gw_bridge_upstream_headers(&h, &xff), 0);
    ck_assert_uint_eq(count_of(&h, "X-Forwarded-For"), 1);
    ck_assert_str_eq(value_of(&h, "X-Forwarded-For"), "2001:db8::1");
    ck_assert_int_eq(wsp_hdrs_find(&h, "X-WAP-Network-Client-IP"), -1);
    ck_assert_uint_eq(h.n, 2);
    wsp_hdrs_free(&h);

    /* No header configured: the forged ones still go, none is added. */
    wsp_hdrs_init(&h, 4096);
    add(&h, "X-Forwarded-For", "10.0.0.1");
    add(&h, "X-WAP-Network-Client-IP", "10.0.0.2");
    ck_assert_int_eq(gw_bridge_upstream_headers(&h, &none), 0);
    ck_assert_uint_eq(h.n, 0);
    wsp_hdrs_free(&h);

    /* A custom name is stripped from the handset's headers too. */
    {
        struct gw_bridge_upstream custom = { 0, "X-Client", "192.0.2.9",
            NULL, 0 };

        wsp_hdrs_init(&h, 4096);
        add(&h, "x-client", "10.0.0.3");
        ck_assert_int_eq(gw_bridge_upstream_headers(&h, &custom), 0);
        ck_assert_uint_eq(h.n, 1);
        ck_assert_str_eq(value_of(&h, "X-Client"), "192.0.2.9");
        wsp_hdrs_free(&h);
    }
}
END_TEST


/* Header enrichment (issue 5): every identity header a handset sends is
 * removed, whatever its case or "_" for "-", the configured names too;
 * other headers pass in order. */
START_TEST(test_identity_headers_stripped)
{
    static const char *const names[] = { "X-Operator-Subscriber",
        "X-IMSI-Custom" };
    struct gw_bridge_upstream u = { 0, "X-WAP-Network-Client-IP",
        "192.0.2.1", names, 2 };
    static const char *const forged[] = {
        "x-msisdn", "X-MSISDN", "X-Msisdn", "X_MSISDN", "x_Msisdn", "MSISDN",
        "X-WAP-Network-Client-MSISDN", "x-wap-network-client-msisdn",
        "X-Up-Calling-Line-Id", "X-UP-CALLING-LINE-ID", "X-Up-Subno",
        "X-Nokia-MSISDN", "X-Nokia-IMSI", "X-Nokia-Alias", "X-Network-Info",
        "X-H3G-MSISDN", "X-IMSI", "x-imsi", "X-WAP-3GPP-IMSI",
        "X-WAP-3GPP-SGSN-Address", "X-WAP-3GPP-SGSN-MCC-MNC",
        "X-WAP-3GPP-RAT-Type", "X-WAP-Client-IP", "X-Forwarded-For",
        "Forwarded", "X-Real-IP", "X-Client-IP", "x-wap-network-client-ip",
        "x-operator-subscriber", "X_OPERATOR_SUBSCRIBER", "x-imsi-custom",
    };
    struct wsp_hdrs h;
    size_t i;

    wsp_hdrs_init(&h, 8192);
    add(&h, "Accept", "*/*");
    for (i = 0; i < sizeof(forged) / sizeof(forged[0]); i++) {
        ck_assert_msg(gw_bridge_is_identity_header(forged[i], &u),
            "%s not recognised", forged[i]);
        add(&h, forged[i], "358409999999");
    }
    add(&h, "User-Agent", "Nokia6230");
    add(&h, "X-MSISDNX", "kept: another name");
    add(&h, "X-MSISD", "kept too");
    ck_assert_int_eq(gw_bridge_upstream_headers(&h, &u), 0);
    ck_assert_uint_eq(h.n, 5);
    ck_assert_str_eq(wsp_hdrs_name(&h, 0), "Accept");
    ck_assert_str_eq(wsp_hdrs_name(&h, 1), "User-Agent");
    ck_assert_str_eq(wsp_hdrs_name(&h, 2), "X-MSISDNX");
    ck_assert_str_eq(wsp_hdrs_name(&h, 3), "X-MSISD");
    ck_assert_str_eq(wsp_hdrs_name(&h, 4), "X-WAP-Network-Client-IP");
    ck_assert_str_eq(wsp_hdrs_value(&h, 4), "192.0.2.1");
    wsp_hdrs_free(&h);
    ck_assert_int_eq(gw_bridge_is_identity_header("Accept", &u), 0);
    ck_assert_int_eq(gw_bridge_is_identity_header("X-MSISDN-", &u), 0);
    ck_assert_int_eq(gw_bridge_is_identity_header("", &u), 0);
}
END_TEST


START_TEST(test_enrich_headers)
{
    static const char *const names[] = { "X-MSISDN",
        "X-WAP-Network-Client-MSISDN", "" };
    struct wsp_hdrs h;

    wsp_hdrs_init(&h, 4096);
    ck_assert_int_eq(gw_bridge_enrich_headers(&h, names, 3, "358401234567",
        "X-IMSI", "244051234567890"), 0);
    ck_assert_uint_eq(h.n, 3);
    ck_assert_str_eq(value_of(&h, "X-MSISDN"), "358401234567");
    ck_assert_str_eq(value_of(&h, "X-WAP-Network-Client-MSISDN"),
        "358401234567");
    ck_assert_str_eq(value_of(&h, "X-IMSI"), "244051234567890");
    wsp_hdrs_reset(&h);
    /* No IMSI known, no IMSI name, or no MSISDN: nothing of that kind. */
    ck_assert_int_eq(gw_bridge_enrich_headers(&h, names, 1, "1", "X-IMSI",
        ""), 0);
    ck_assert_uint_eq(h.n, 1);
    wsp_hdrs_reset(&h);
    ck_assert_int_eq(gw_bridge_enrich_headers(&h, names, 2, "", "",
        "244051234567890"), 0);
    ck_assert_uint_eq(h.n, 0);
    wsp_hdrs_free(&h);
}
END_TEST


START_TEST(test_upstream_headers_full)
{
    /* The list is full: an error, and h is left as it was. */
    struct gw_bridge_upstream u = { 1, NULL, NULL, NULL, 0 };
    struct wsp_hdrs h;

    wsp_hdrs_init(&h, 24);
    add(&h, "Accept", "0123456789");
    ck_assert_int_lt(gw_bridge_upstream_headers(&h, &u), 0);
    ck_assert_uint_eq(h.n, 1);
    ck_assert_str_eq(value_of(&h, "Accept"), "0123456789");
    wsp_hdrs_free(&h);
}
END_TEST


START_TEST(test_ip_text)
{
    struct sockaddr_in s4;
    struct sockaddr_in6 s6;
    char ip[64];

    memset(&s4, 0, sizeof(s4));
    s4.sin_family = AF_INET;
    s4.sin_port = htons(9200);
    ck_assert_int_eq(inet_pton(AF_INET, "192.0.2.5", &s4.sin_addr), 1);
    gw_bridge_ip_text((const struct sockaddr *) &s4, ip, sizeof(ip));
    ck_assert_str_eq(ip, "192.0.2.5");
    memset(&s6, 0, sizeof(s6));
    s6.sin6_family = AF_INET6;
    ck_assert_int_eq(inet_pton(AF_INET6, "2001:db8::5", &s6.sin6_addr), 1);
    gw_bridge_ip_text((const struct sockaddr *) &s6, ip, sizeof(ip));
    ck_assert_str_eq(ip, "2001:db8::5");
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("bridge");
    TCase *tc = tcase_create("bridge");

    tcase_add_test(tc, test_request_headers);
    tcase_add_test(tc, test_reply);
    tcase_add_test(tc, test_reply_without_content_type);
    tcase_add_test(tc, test_head_keeps_length);
    tcase_add_test(tc, test_error_reply);
    tcase_add_test(tc, test_reply_too_large);
    tcase_add_test(tc, test_session_headers);
    tcase_add_test(tc, test_http_error_and_url);
    tcase_add_test(tc, test_hop_by_hop);
    tcase_add_test(tc, test_uaprof_unquoted);
    tcase_add_test(tc, test_uaprof_quoted_and_application);
    tcase_add_test(tc, test_uaprof_several);
    tcase_add_test(tc, test_request_enc_code_page);
    tcase_add_test(tc, test_session_profile_then_request_diff);
    tcase_add_test(tc, test_uaprof_from_pdu);
    tcase_add_test(tc, test_via);
    tcase_add_test(tc, test_profile_warning_reply);
    tcase_add_test(tc, test_client_ip);
    tcase_add_test(tc, test_identity_headers_stripped);
    tcase_add_test(tc, test_enrich_headers);
    tcase_add_test(tc, test_upstream_headers_full);
    tcase_add_test(tc, test_ip_text);
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
