/*
 * tests/unit/wsp/test_headers.c - the binary header codec (WAP-230 8.4).
 *
 * Vectors come from reference/wsp-headers.md (byte examples verified with
 * tshark 4.0.17) and from the grammar rules there.  Each decoder vector
 * is also decoded at every truncation; garbage and OOM loops follow.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/wsp.h"
#include "wsp_test.h"

/* ---- decode: hex block -> "Name: value\n"... plus skipped count ---- */

struct dec_vec {
    const char *name;
    const char *hex;
    const char *text;
    unsigned skipped;
};

static const struct dec_vec dec_vectors[] = {
    { "Accept short", "80 83", "Accept: text/plain\n", 0 },
    { "Accept */*", "80 80", "Accept: */*\n", 0 },
    { "Accept q=0.5", "80 03 82 80 33", "Accept: text/html; q=0.5\n", 0 },
    { "Accept q=0.333", "80 04 82 80 83 31",
        "Accept: text/html; q=0.333\n", 0 },
    { "Accept extension media", "80 'application/x-foo' 00",
        "Accept: application/x-foo\n", 0 },
    { "Accept-Charset 1.1", "81 EA", "Accept-Charset: utf-8\n", 0 },
    { "Accept-Charset any", "BB 80", "Accept-Charset: *\n", 0 },
    { "Accept-Charset q", "BB 02 EA 33", "Accept-Charset: utf-8; q=0.5\n",
        0 },
    { "Accept-Charset long", "BB 03 02 03 E8",
        "Accept-Charset: iso-10646-ucs-2\n", 0 },
    { "Accept-Charset token q", "BB 05 'foo' 00 64",
        "Accept-Charset: foo; q=0.99\n", 0 },
    { "Accept-Charset unknown MIBenum", "81 81", "", 1 },
    { "Accept-Language en", "83 99", "Accept-Language: en\n", 0 },
    { "Accept-Language q", "83 02 99 51", "Accept-Language: en; q=0.8\n",
        0 },
    { "Accept-Language text", "83 'en-gb' 00", "Accept-Language: en-gb\n",
        0 },
    { "Accept-Language long unknown", "83 02 01 81", "", 1 },
    { "Accept-Encoding", "82 80 BC 83",
        "Accept-Encoding: gzip\nAccept-Encoding: *\n", 0 },
    { "Accept-Encoding q", "BC 02 81 33",
        "Accept-Encoding: compress; q=0.5\n", 0 },
    { "Accept-Ranges", "84 81 84 80",
        "Accept-Ranges: bytes\nAccept-Ranges: none\n", 0 },
    { "Age", "85 8A", "Age: 10\n", 0 },
    { "Allow", "86 C0 86 E0", "Allow: GET\nAllow: POST\n", 0 },
    { "Connection", "89 80", "Connection: close\n", 0 },
    { "Content-Encoding", "8B 80 8B 'br' 00",
        "Content-Encoding: gzip\nContent-Encoding: br\n", 0 },
    { "Content-Language", "8C 99", "Content-Language: en\n", 0 },
    { "Content-Length short", "8D 82", "Content-Length: 2\n", 0 },
    { "Content-Length long", "8D 02 01 F4", "Content-Length: 500\n", 0 },
    { "Content-Location", "8E 'http://a/b' 00",
        "Content-Location: http://a/b\n", 0 },
    { "Content-Type charset", "91 03 83 81 EA",
        "Content-Type: text/plain; charset=utf-8\n", 0 },
    { "Content-Type multipart.related",
        "91 1B B3 89 'application/smil' 00 8A '<smil>' 00",
        "Content-Type: application/vnd.wap.multipart.related; "
        "type=\"application/smil\"; start=\"<smil>\"\n", 0 },
    { "Content-Type untyped param", "91 09 83 'foo' 00 'bar' 00",
        "Content-Type: text/plain; foo=bar\n", 0 },
    { "Content-Type untyped int param", "91 06 83 'foo' 00 85",
        "Content-Type: text/plain; foo=5\n", 0 },
    { "Content-Type registered", "91 03 02 02 01",
        "Content-Type: application/vnd.uplanet.cacheop-wbxml\n", 0 },
    { "Content-Type 1.4 name", "91 06 9E 97 'a b' 00",
        "Content-Type: image/jpeg; name=\"a b\"\n", 0 },
    { "Content-Type unknown code", "91 FF", "", 1 },
    { "Date", "92 04 65 53 F1 00",
        "Date: Tue, 14 Nov 2023 22:13:20 GMT\n", 0 },
    { "Date epoch", "94 01 00", "Expires: Thu, 01 Jan 1970 00:00:00 GMT\n",
        0 },
    { "Last-Modified leap day", "9D 04 38 BB B4 C0",
        "Last-Modified: Tue, 29 Feb 2000 12:00:00 GMT\n", 0 },
    { "Date too far", "92 08 7F FF FF FF FF FF FF FF", "", 1 },
    { "Etag quoted", "93 22 'abc' 00", "Etag: \"abc\"\n", 0 },
    { "Host", "96 'example.com' 00", "Host: example.com\n", 0 },
    { "If-Range text", "9A 22 'x' 00", "If-Range: \"x\"\n", 0 },
    { "If-Range date", "9A 04 65 53 F1 00",
        "If-Range: Tue, 14 Nov 2023 22:13:20 GMT\n", 0 },
    { "Location", "9C 'http://x/' 00", "Location: http://x/\n", 0 },
    { "Max-Forwards", "9E 85", "Max-Forwards: 5\n", 0 },
    { "Pragma", "9F 80", "Pragma: no-cache\n", 0 },
    { "Pragma extension", "9F 04 'x' 00 'y' 00", "Pragma: x=y\n", 0 },
    { "Pragma extension integer", "9F 03 'x' 00 85", "Pragma: x=5\n", 0 },
    { "Pragma extension no-value", "9F 03 'x' 00 00", "Pragma: x\n", 0 },
    { "Pragma typed", "9F 04 8C 'hi' 00", "Pragma: comment=hi\n", 0 },
    { "Pragma two parameters", "9F 08 'x' 00 'y' 00 'z' 00 'w' 00", "", 1 },
    { "Pragma empty", "9F 00", "", 1 },
    { "Pragma unknown typed token", "9F 02 BF 80", "", 1 },
    { "Referer", "A4 'http://r/' 00", "Referer: http://r/\n", 0 },
    { "Server", "A6 'srv' 00", "Server: srv\n", 0 },
    { "User-Agent", "A9 'Nokia6230/2.0' 00", "User-Agent: Nokia6230/2.0\n",
        0 },
    { "User-Agent quoted high octet", "A9 7F E9 'te' 00",
        "User-Agent: \xe9te\n", 0 },
    { "Vary", "AA A9", "Vary: User-Agent\n", 0 },
    { "Via", "AB '1.1 gw' 00", "Via: 1.1 gw\n", 0 },
    { "X-Wap-Application-Id short", "AF 84",
        "X-Wap-Application-Id: x-wap-application:mms.ua\n", 0 },
    { "X-Wap-Application-Id text", "AF 'x-wap-application:wml.ua' 00",
        "X-Wap-Application-Id: x-wap-application:wml.ua\n", 0 },
    { "X-Wap-Application-Id vendor", "AF 02 80 00",
        "X-Wap-Application-Id: 32768\n", 0 },
    { "Push-Flag", "B4 81", "Push-Flag: 1\n", 0 },
    { "Profile", "B5 'http://p/ua.xml' 00", "Profile: http://p/ua.xml\n",
        0 },
    { "Cache-Control no-cache", "BD 80", "Cache-Control: no-cache\n", 0 },
    { "Cache-Control max-age", "BD 04 82 02 0E 10",
        "Cache-Control: max-age=3600\n", 0 },
    { "Cache-Control private fields", "C7 03 87 A9 96",
        "Cache-Control: private=\"User-Agent, Host\"\n", 0 },
    { "Cache-Control no-cache token field", "BD 08 80 'X-Foo' 00 A9",
        "Cache-Control: no-cache=\"X-Foo, User-Agent\"\n", 0 },
    { "Cache-Control max-stale long", "BD 04 83 02 01 2C",
        "Cache-Control: max-stale=300\n", 0 },
    { "Cache-Control min-fresh, s-maxage", "BD 02 84 8A BD 02 8B BC",
        "Cache-Control: min-fresh=10\nCache-Control: s-maxage=60\n", 0 },
    { "Cache-Control extension integer", "BD 07 'x-ext' 00 85",
        "Cache-Control: x-ext=5\n", 0 },
    { "Cache-Control extension long integer", "BD 09 'x-ext' 00 02 01 F4",
        "Cache-Control: x-ext=500\n", 0 },
    { "Cache-Control extension token", "BD 0A 'x-ext' 00 'tok' 00",
        "Cache-Control: x-ext=tok\n", 0 },
    { "Cache-Control extension quoted", "BD 0B 'x-ext' 00 22 'a b' 00",
        "Cache-Control: x-ext=\"a b\"\n", 0 },
    { "Cache-Control extension no-value", "BD 07 'x-ext' 00 00",
        "Cache-Control: x-ext\n", 0 },
    { "Cache-Control extension empty value", "BD 06 'x-ext' 00",
        "Cache-Control: x-ext\n", 0 },
    { "Cache-Control extension bad name", "BD 06 'x ex' 00 85", "", 1 },
    { "Cache-Control extension trailing", "BD 08 'x-ext' 00 85 85", "", 1 },
    { "Cache-Control extension quote inside", "BD 07 'x' 00 22 'a\"b' 00",
        "", 1 },
    { "Cache-Control extension bad token value", "BD 06 'x' 00 'a b' 00",
        "", 1 },
    { "Cache-Control max-age no value", "BD 01 82", "", 1 },
    { "Cache-Control unknown directive code", "BD 02 8F 80", "", 1 },
    { "Content-ID", "C0 22 '<a@b>' 00", "Content-ID: \"<a@b>\"\n", 0 },
    { "Encoding-Version", "C3 93", "Encoding-Version: 1.3\n", 0 },
    { "Encoding-Version major", "C3 9F", "Encoding-Version: 1\n", 0 },
    { "Content-Disposition", "C5 08 81 98 'a.txt' 00",
        "Content-Disposition: attachment; filename=a.txt\n", 0 },
    { "X-WAP-Security", "C6 80", "X-WAP-Security: close-subordinate\n", 0 },
    { "application header", "'X-Foo' 00 'bar' 00", "X-Foo: bar\n", 0 },
    { "application header empty value", "'X-Foo' 00 00", "X-Foo: \n", 0 },
    { "application header bad name", "'X F' 00 'bar' 00", "", 1 },
    { "Authorization Basic", "87 05 80 'u' 00 'p' 00",
        "Authorization: Basic dTpw\n", 0 },
    { "Authorization typed auth-param without value", "87 08 'Digest' 00 80",
        "", 1 },
    { "Authorization typed auth-param domain", "87 0B 'Digest' 00 9C '/a' 00",
        "Authorization: Digest domain=\"/a\"\n", 0 },
    { "Authorization typed and untyped", "87 0F 'Digest' 00 'u' 00 22 'x' 00"
        " 8D 'b' 00", "Authorization: Digest u=\"x\", domain=b\n", 0 },
    { "Authorization unknown typed token", "87 09 'Digest' 00 BF 80", "",
        1 },
    { "WWW-Authenticate Basic typed charset", "AD 05 80 'r' 00 81 EA",
        "WWW-Authenticate: Basic realm=\"r\", charset=utf-8\n", 0 },
    { "Authorization Digest", "87 0F 'Digest' 00 'u' 00 22 'x' 00 'n' 00 85",
        "Authorization: Digest u=\"x\", n=5\n", 0 },
    { "Authorization Digest no-value", "87 0A 'Digest' 00 'a' 00 00",
        "Authorization: Digest a\n", 0 },
    { "Authorization Digest dangling name", "87 0A 'Digest' 00 'ab' 00",
        "", 1 },
    { "WWW-Authenticate Digest",
        "AD 11 'Digest' 00 'r' 00 'q' 00 22 'auth' 00",
        "WWW-Authenticate: Digest realm=\"r\", q=\"auth\"\n", 0 },
    { "WWW-Authenticate Basic charset", "AD 0C 80 'r' 00 'charset' 00 85",
        "WWW-Authenticate: Basic realm=\"r\", charset=5\n", 0 },
    { "Proxy-Authorization empty password", "A1 07 80 'user' 00 00",
        "Proxy-Authorization: Basic dXNlcjo=\n", 0 },
    { "Authorization colon in user", "87 06 80 'u:v' 00 00", "", 1 },
    { "Authorization trailing octet", "87 06 80 'u' 00 'p' 00 00", "", 1 },
    { "WWW-Authenticate Basic", "AD 05 80 'wap' 00",
        "WWW-Authenticate: Basic realm=\"wap\"\n", 0 },
    { "Proxy-Authenticate Basic", "A0 03 80 'r' 00",
        "Proxy-Authenticate: Basic realm=\"r\"\n", 0 },
    { "WWW-Authenticate quote in realm", "AD 04 80 'a\"' 00", "", 1 },
    { "Range first-last", "A3 03 80 00 63", "Range: bytes=0-99\n", 0 },
    { "Range open", "A3 03 80 81 00", "Range: bytes=128-\n", 0 },
    { "Range suffix", "A3 02 81 64", "Range: bytes=-100\n", 0 },
    { "Range last before first", "A3 03 80 05 04", "", 1 },
    { "Range unknown kind", "A3 02 82 64", "", 1 },
    { "Range bad uintvar", "A3 02 80 80", "", 1 },
    { "Content-Range 1.1", "90 03 00 87 68", "Content-Range: bytes 0-*/1000\n",
        0 },
    { "Content-Range 1.3", "BE 04 81 00 87 68",
        "Content-Range: bytes 128-*/1000\n", 0 },
    { "Content-Range 1.3 unknown length", "BE 02 0A 80",
        "Content-Range: bytes 10-*/*\n", 0 },
    { "Content-Range 1.1 no unknown length", "90 02 0A 80", "", 1 },
    { "Content-Range first past length", "BE 02 0A 0A", "", 1 },
    { "Retry-After delta", "A5 02 81 BC", "Retry-After: 60\n", 0 },
    { "Retry-After date", "A5 06 80 04 65 53 F1 00",
        "Retry-After: Tue, 14 Nov 2023 22:13:20 GMT\n", 0 },
    { "Retry-After bad kind", "A5 02 82 BC", "", 1 },
    { "Warning short", "AC 8A", "Warning: 110\n", 0 },
    { "Warning long", "AC 0A 8E 'gw' 00 'Xform' 00",
        "Warning: 214 gw \"Xform\"\n", 0 },
    { "Warning unknown code", "AC 85", "", 1 },
    { "Content-MD5", "8F 10 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F",
        "Content-MD5: AAECAwQFBgcICQoLDA0ODw==\n", 0 },
    { "Content-MD5 short digest", "8F 02 00 01", "", 1 },
    { "TE trailers", "B9 81", "TE: trailers\n", 0 },
    { "TE gzip q", "B9 03 84 80 33", "TE: gzip; q=0.5\n", 0 },
    { "TE token", "B9 04 'x-y' 00", "TE: x-y\n", 0 },
    { "TE token q", "B9 06 'x-y' 00 80 33", "TE: x-y; q=0.5\n", 0 },
    { "TE bad q", "B9 02 84 81", "", 1 },
    { "Expect 100-continue 1.3", "B8 80", "Expect: 100-continue\n", 0 },
    { "Expect 100-continue 1.5", "C8 80", "Expect: 100-continue\n", 0 },
    { "Expect expression", "C8 0B 'a' 00 22 'b c' 00 'p' 00 'v' 00",
        "Expect: a=\"b c\"; p=v\n", 0 },
    { "Expect dangling var", "C8 02 'a' 00", "", 1 },
    { "Profile-Warning short", "C4 90", "Profile-Warning: 100\n", 0 },
    { "Profile-Warning 1.2 short", "B7 A3", "Profile-Warning: 203\n", 0 },
    { "Profile-Warning target date", "C4 0B A1 'h:80' 00 04 65 53 F1 00",
        "Profile-Warning: 201 h:80 \"Tue, 14 Nov 2023 22:13:20 GMT\"\n",
        0 },
    { "Profile-Warning bad code", "C4 95", "", 1 },
    { "Set-Cookie", "C1 0A 8F 'id' 00 '42' 00 8F '/' 00",
        "Set-Cookie: id=42; path=/\n", 0 },
    { "Set-Cookie version 1", "C1 0C 9F 'id' 00 '42' 00 90 00 9D '/' 00",
        "Set-Cookie: id=42; secure; path=/; Version=1\n", 0 },
    { "Set-Cookie bad name", "C1 06 8F 'a b' 00 00", "", 1 },
    { "Cookie", "C2 0A 8F 04 'a' 00 'b' 00 03 'c' 00 00",
        "Cookie: a=b; c=\n", 0 },
    { "Cookie 2109", "C2 0C 9F 0A 'a' 00 'b' 00 '/' 00 'x.y' 00",
        "Cookie: $Version=1; a=b; $Path=/; $Domain=x.y\n", 0 },
    { "Cookie length past end", "C2 05 8F 05 'a' 00 00", "", 1 },
    { "Cookie no cookie", "C2 01 8F", "", 1 },
    { "Encoding-Version page 1", "C3 02 81 94", "Encoding-Version: 1.4\n",
        0 },
    { "Encoding-Version page 5", "C3 02 85 91",
        "Encoding-Version: code-page=5; version=1.1\n", 0 },
    { "Encoding-Version page only", "C3 01 82",
        "Encoding-Version: code-page=2\n", 0 },
    { "Encoding-Version page text version", "C3 05 82 '1.3' 00",
        "Encoding-Version: code-page=2; version=1.3\n", 0 },
    { "Encoding-Version page 1 text version", "C3 05 81 '1.4' 00",
        "Encoding-Version: 1.4\n", 0 },
    { "Encoding-Version page bad text version", "C3 05 82 '1;3' 00", "",
        1 },
    { "Encoding-Version page text version trailing", "C3 06 82 '1.3' 00 00",
        "", 1 },
    { "X-Wap-Loc-Invocation text", "C9 'cell=1' 00",
        "X-Wap-Loc-Invocation: cell=1\n", 0 },
    { "X-Wap-Loc-Delivery binary", "CA 02 80 81", "", 1 },
    { "unknown field code", "CB 80 A9 'x' 00", "User-Agent: x\n", 1 },
    { "CR/LF refused", "A9 'a' 0D 0A 'b' 00 96 'h' 00", "Host: h\n", 1 },
    { "page shift 0x7F", "7F 02 80 83 A9 'x' 00 7F 01 8D 80",
        "Content-Length: 0\n", 2 },
    { "page shortcut", "02 80 81 01 A9 'x' 00", "User-Agent: x\n", 1 },
    { "app header on other page kept", "05 'X-A' 00 'b' 00 01 8D 80",
        "X-A: b\nContent-Length: 0\n", 0 },
    { "long value length", "A9 1F 03 'ab' 00", "", 1 },
    { "several", "80 83 81 EA 83 99 A9 'UA' 00 8D 82",
        "Accept: text/plain\nAccept-Charset: utf-8\nAccept-Language: en\n"
        "User-Agent: UA\nContent-Length: 2\n", 0 },
    { "trailing NUL padding tolerated", "80 83 00 00",
        "Accept: text/plain\n", 0 },
    { "only NUL padding", "00", "", 0 },
    { "empty block", "", "", 0 },
};

#define NDEC (sizeof(dec_vectors) / sizeof(dec_vectors[0]))


/* "Name: value\n" for every header, into out. */
static void
render(const struct wsp_hdrs *h, char *out, size_t max)
{
    unsigned i;
    size_t o = 0;

    out[0] = '\0';
    for (i = 0; i < h->n; i++) {
        o += (size_t) snprintf(out + o, max - o, "%s: %s\n",
            wsp_hdrs_name(h, i), wsp_hdrs_value(h, i));
        ck_assert(o < max);
    }
}


START_TEST(test_decode_vectors)
{
    const struct dec_vec *v = &dec_vectors[_i];
    uint8_t in[256];
    char got[1024];
    size_t n = hex_parse(v->hex, in, sizeof(in));
    struct wsp_hdrs h;
    unsigned skipped = 0;
    int rc;

    wsp_hdrs_init(&h, 4096);
    rc = wsp_hdrs_decode(in, n, &h, &skipped);
    ck_assert_msg(rc == 0, "%s: rc %d", v->name, rc);
    render(&h, got, sizeof(got));
    ck_assert_msg(strcmp(got, v->text) == 0, "%s: got [%s] want [%s]",
        v->name, got, v->text);
    ck_assert_msg(skipped == v->skipped, "%s: skipped %u want %u", v->name,
        skipped, v->skipped);
    wsp_hdrs_free(&h);
}
END_TEST


/* Every prefix decodes to an error or to a list; never a crash. */
START_TEST(test_decode_truncation)
{
    const struct dec_vec *v = &dec_vectors[_i];
    uint8_t in[256];
    size_t n = hex_parse(v->hex, in, sizeof(in)), k;
    struct wsp_hdrs h;
    uint8_t *copy;
    unsigned skipped;
    int rc;

    wsp_hdrs_init(&h, 4096);
    for (k = 0; k < n; k++) {
        copy = malloc(k == 0 ? 1 : k);
        memcpy(copy, in, k);
        skipped = 0;
        wsp_hdrs_reset(&h);
        rc = wsp_hdrs_decode(copy, k, &h, &skipped);
        ck_assert(rc == 0 || rc == WSPGW_ETRUNC || rc == WSPGW_EPROTO);
        if (rc != 0) {
            ck_assert_uint_eq(h.n, 0);  /* all or nothing */
            ck_assert_uint_eq(h.text.len, 0);
        }
        free(copy);
    }
    wsp_hdrs_free(&h);
}
END_TEST


START_TEST(test_decode_errors)
{
    static const char *const bad[] = {
        "80",                   /* field with no value */
        "A9 'abc'",             /* text without NUL */
        "'X-Foo'",              /* name without NUL */
        "'X-Foo' 00",           /* name without value */
        "7F",                   /* shift without page */
        "91 1F 85",             /* uintvar length past end */
        "91 1F 80 80 80 80 80 01 00", /* bad uintvar */
        "00 80 83",             /* not a header */
        "80 83 00 8D 80",       /* stray NUL between headers */
    };
    struct wsp_hdrs h;
    uint8_t in[64];
    size_t i, n;
    int rc;

    wsp_hdrs_init(&h, 4096);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        n = hex_parse(bad[i], in, sizeof(in));
        wsp_hdrs_reset(&h);
        rc = wsp_hdrs_decode(in, n, &h, NULL);
        ck_assert_msg(rc == WSPGW_ETRUNC || rc == WSPGW_EPROTO,
            "%s: rc %d", bad[i], rc);
        ck_assert_uint_eq(h.n, 0);
    }
    wsp_hdrs_free(&h);
}
END_TEST


START_TEST(test_decode_limits)
{
    struct wsp_hdrs h;
    uint8_t in[2 * (WSP_HDRS_MAX + 1)], blk[64];
    size_t i, n;

    /* Text ceiling: EMSGSIZE, and the list is left as it was. */
    wsp_hdrs_init(&h, 16);
    ck_assert_int_eq(wsp_hdrs_add(&h, "A", 1, "b", 1), 0);
    n = hex_parse("A9 'a long user agent' 00", blk, sizeof(blk));
    ck_assert_int_eq(wsp_hdrs_decode(blk, n, &h, NULL), WSPGW_EMSGSIZE);
    ck_assert_uint_eq(h.n, 1);
    ck_assert_str_eq(wsp_hdrs_value(&h, 0), "b");
    wsp_hdrs_free(&h);

    /* Count ceiling. */
    for (i = 0; i < WSP_HDRS_MAX + 1; i++) {
        in[2 * i] = 0x8D;
        in[2 * i + 1] = 0x80;
    }
    wsp_hdrs_init(&h, 1 << 16);
    ck_assert_int_eq(wsp_hdrs_decode(in, 2 * WSP_HDRS_MAX, &h, NULL), 0);
    ck_assert_uint_eq(h.n, WSP_HDRS_MAX);
    wsp_hdrs_reset(&h);
    ck_assert_int_eq(wsp_hdrs_decode(in, sizeof(in), &h, NULL),
        WSPGW_ENOSPC);
    ck_assert_uint_eq(h.n, 0);
    wsp_hdrs_free(&h);
}
END_TEST


/* ---- encode: (name, value, enc) -> hex ---- */

struct enc_vec {
    const char *name;
    const char *value;
    unsigned enc;
    const char *hex;
};

static const struct enc_vec enc_vectors[] = {
    { "Accept", "text/plain", WSP_ENC_1_2, "80 83" },
    { "accept", "*/*", WSP_ENC_1_2, "80 80" },
    { "Accept", "text/html;q=0.5", WSP_ENC_1_2, "80 03 82 80 33" },
    { "Accept", "text/html; q=0.333", WSP_ENC_1_2, "80 04 82 80 83 31" },
    { "Accept", "text/html;q=1", WSP_ENC_1_2, "80 82" },
    { "Accept", "text/html, image/png", WSP_ENC_1_2, "80 82 80 A0" },
    { "Accept", "application/x-foo", WSP_ENC_1_2,
        "80 'application/x-foo' 00" },
    { "Accept-Charset", "utf-8", WSP_ENC_1_3, "BB EA" },
    { "Accept-Charset", "utf-8", WSP_ENC_1_2, "81 EA" },
    { "Accept-Charset", "*", WSP_ENC_1_3, "BB 80" },
    { "Accept-Charset", "utf-8;q=0.5", WSP_ENC_1_3, "BB 02 EA 33" },
    { "Accept-Charset", "UTF-8; q=0.333", WSP_ENC_1_3, "BB 03 EA 83 31" },
    { "Accept-Charset", "iso-10646-ucs-2", WSP_ENC_1_3, "BB 03 02 03 E8" },
    { "Accept-Charset", "x-foo", WSP_ENC_1_3, "BB 'x-foo' 00" },
    { "Accept-Charset", "x-foo;q=0.8", WSP_ENC_1_3, "BB 07 'x-foo' 00 51" },
    { "Accept-Encoding", "gzip, *", WSP_ENC_1_3, "BC 80 BC 83" },
    { "Accept-Encoding", "gzip", WSP_ENC_1_2, "82 80" },
    { "Accept-Encoding", "deflate;q=0.5", WSP_ENC_1_3, "BC 02 82 33" },
    { "Accept-Language", "en", WSP_ENC_1_2, "83 99" },
    { "Accept-Language", "en;q=0.8", WSP_ENC_1_2, "83 02 99 51" },
    { "Accept-Language", "en-gb", WSP_ENC_1_2, "83 'en-gb' 00" },
    { "Accept-Ranges", "bytes", WSP_ENC_1_2, "84 81" },
    { "Age", "10", WSP_ENC_1_2, "85 8A" },
    { "Allow", "GET, POST", WSP_ENC_1_2, "86 C0 86 E0" },
    { "Cache-Control", "no-cache", WSP_ENC_1_2, "88 80" },
    { "Cache-Control", "no-cache", WSP_ENC_1_3, "BD 80" },
    { "Cache-Control", "no-cache", WSP_ENC_1_4, "C7 80" },
    { "Cache-Control", "max-age=3600", WSP_ENC_1_3, "BD 04 82 02 0E 10" },
    { "Cache-Control", "no-cache, max-age=0", WSP_ENC_1_3,
        "BD 80 BD 02 82 80" },
    { "Cache-Control", "private=\"User-Agent, Host\"", WSP_ENC_1_4,
        "C7 03 87 A9 96" },
    { "Connection", "close", WSP_ENC_1_2, "89 80" },
    { "Pragma", "x=y", WSP_ENC_1_2, "9F 04 'x' 00 'y' 00" },
    { "Pragma", "x=\"a b\", no-cache", WSP_ENC_1_2,
        "9F 07 'x' 00 22 'a b' 00 9F 80" },
    { "Pragma", "q=1", WSP_ENC_1_2, "'Pragma' 00 'q=1' 00" },
    { "Pragma", "a=b; c=d", WSP_ENC_1_2, "'Pragma' 00 'a=b; c=d' 00" },
    { "Content-Encoding", "gzip", WSP_ENC_1_2, "8B 80" },
    { "Content-Language", "en", WSP_ENC_1_2, "8C 99" },
    { "Content-Length", "2", WSP_ENC_1_2, "8D 82" },
    { "Content-Length", "500", WSP_ENC_1_2, "8D 02 01 F4" },
    { "Content-Length", "0", WSP_ENC_1_2, "8D 80" },
    { "Content-Type", "text/plain; charset=utf-8", WSP_ENC_1_2,
        "91 03 83 81 EA" },
    { "Content-Type", "application/vnd.wap.multipart.related; "
        "type=\"application/smil\"; start=\"<smil>\"", WSP_ENC_1_2,
        "91 1B B3 89 'application/smil' 00 8A '<smil>' 00" },
    { "Date", "Tue, 14 Nov 2023 22:13:20 GMT", WSP_ENC_1_2,
        "92 04 65 53 F1 00" },
    { "Etag", "\"abc\"", WSP_ENC_1_2, "93 22 'abc' 00" },
    { "Host", "example.com", WSP_ENC_1_2, "96 'example.com' 00" },
    { "Location", "http://x/", WSP_ENC_1_2, "9C 'http://x/' 00" },
    { "User-Agent", "  Foo/1.0 ", WSP_ENC_1_2, "A9 'Foo/1.0' 00" },
    { "Encoding-Version", "1.3", WSP_ENC_1_3, "C3 93" },
    { "Encoding-Version", "1.3", WSP_ENC_1_2,
        "'Encoding-Version' 00 '1.3' 00" },
    { "X-Wap-Application-Id", "x-wap-application:mms.ua", WSP_ENC_1_2,
        "AF 84" },
    { "X-Wap-Application-Id", "x-wap-application:mms.ua", WSP_ENC_1_1,
        "'X-Wap-Application-Id' 00 'x-wap-application:mms.ua' 00" },
    { "Content-Disposition", "attachment; filename=a.txt", WSP_ENC_1_4,
        "C5 08 81 86 'a.txt' 00" },
    /* Fallbacks to an application header. */
    { "Content-Length", "abc", WSP_ENC_1_2, "'Content-Length' 00 'abc' 00" },
    { "Date", "yesterday", WSP_ENC_1_2, "'Date' 00 'yesterday' 00" },
    { "Accept", "text/html;level", WSP_ENC_1_2,
        "80 08 82 'level' 00 00" },
    { "Content-Type", "application/vnd.wap.multipart.related; "
        "type=application/smil", WSP_ENC_1_2,
        "91 13 B3 89 'application/smil' 00" },
    { "Accept", "bad type", WSP_ENC_1_2, "'Accept' 00 'bad type' 00" },
    { "X-Foo", "bar", WSP_ENC_1_2, "'X-Foo' 00 'bar' 00" },
    { "X-Foo", "", WSP_ENC_1_2, "'X-Foo' 00 00" },
    { "X-Foo", "\xe9t\xe9", WSP_ENC_1_2, "'X-Foo' 00 7F E9 74 E9 00" },
    { "X-Foo", "\"q\"", WSP_ENC_1_2, "'X-Foo' 00 22 'q' 00" },
    { "Authorization", "Basic dTpw", WSP_ENC_1_2, "87 05 80 'u' 00 'p' 00" },
    { "Authorization", "basic  dTpw", WSP_ENC_1_2, "87 05 80 'u' 00 'p' 00" },
    { "Authorization", "Basic dTp\xe9", WSP_ENC_1_2,
        "'Authorization' 00 'Basic dTp' E9 00" },
    { "Authorization", "Basic !!!!", WSP_ENC_1_2,
        "'Authorization' 00 'Basic !!!!' 00" },
    { "Authorization", "Basic dXNlcg==", WSP_ENC_1_2,
        "'Authorization' 00 'Basic dXNlcg==' 00" },
    { "Authorization", "Digest u=\"x\", n=5", WSP_ENC_1_2,
        "87 10 'Digest' 00 'u' 00 22 'x' 00 'n' 00 '5' 00" },
    { "Authorization", "Digest u=\"a\\\\b\"", WSP_ENC_1_2,
        "'Authorization' 00 'Digest u=\"a\\\\b\"' 00" },
    { "WWW-Authenticate", "Digest realm=\"r\", q=\"auth\"", WSP_ENC_1_2,
        "AD 11 'Digest' 00 'r' 00 'q' 00 22 'auth' 00" },
    { "WWW-Authenticate", "Digest nonce=\"n\", realm=\"r\"", WSP_ENC_1_2,
        "'WWW-Authenticate' 00 'Digest nonce=\"n\", realm=\"r\"' 00" },
    { "WWW-Authenticate", "Basic realm=\"wap\"", WSP_ENC_1_2,
        "AD 05 80 'wap' 00" },
    { "WWW-Authenticate", "Basic realm=wap", WSP_ENC_1_2,
        "'WWW-Authenticate' 00 'Basic realm=wap' 00" },
    { "Range", "bytes=0-99", WSP_ENC_1_2, "A3 03 80 00 63" },
    { "Range", "bytes=128-", WSP_ENC_1_2, "A3 03 80 81 00" },
    { "Range", "bytes=-100", WSP_ENC_1_2, "A3 02 81 64" },
    { "Range", "bytes=0-1,5-6", WSP_ENC_1_2,
        "'Range' 00 'bytes=0-1,5-6' 00" },
    { "Range", "bytes=9-1", WSP_ENC_1_2, "'Range' 00 'bytes=9-1' 00" },
    { "Range", "bytes=0-4294967296", WSP_ENC_1_2,
        "'Range' 00 'bytes=0-4294967296' 00" },
    { "Content-Range", "bytes 0-99/1000", WSP_ENC_1_2, "90 03 00 87 68" },
    { "Content-Range", "bytes 128-999/1000", WSP_ENC_1_3,
        "BE 04 81 00 87 68" },
    { "Content-Range", "bytes 10-19/*", WSP_ENC_1_3, "BE 02 0A 80" },
    { "Content-Range", "bytes 10-19/*", WSP_ENC_1_2,
        "'Content-Range' 00 'bytes 10-19/*' 00" },
    { "Content-Range", "bytes 0-1000/1000", WSP_ENC_1_3,
        "'Content-Range' 00 'bytes 0-1000/1000' 00" },
    { "Retry-After", "60", WSP_ENC_1_2, "A5 02 81 BC" },
    { "Retry-After", "Tue, 14 Nov 2023 22:13:20 GMT", WSP_ENC_1_2,
        "A5 06 80 04 65 53 F1 00" },
    { "Retry-After", "soon", WSP_ENC_1_2, "'Retry-After' 00 'soon' 00" },
    { "Warning", "110", WSP_ENC_1_2, "AC 8A" },
    { "Warning", "214 gw \"Xform\"", WSP_ENC_1_2,
        "AC 0A 8E 'gw' 00 'Xform' 00" },
    { "Warning", "299 gw \"x\"", WSP_ENC_1_2,
        "'Warning' 00 '299 gw \"x\"' 00" },
    { "Content-MD5", "AAECAwQFBgcICQoLDA0ODw==", WSP_ENC_1_2,
        "8F 10 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F" },
    { "Content-MD5", "AAEC", WSP_ENC_1_2, "'Content-MD5' 00 'AAEC' 00" },
    { "TE", "trailers, gzip;q=0.5", WSP_ENC_1_3, "B9 81 B9 03 84 80 33" },
    { "TE", "trailers", WSP_ENC_1_2, "'TE' 00 'trailers' 00" },
    { "Expect", "100-continue", WSP_ENC_1_5, "C8 80" },
    { "Expect", "100-continue", WSP_ENC_1_3, "B8 80" },
    { "Expect", "x=y", WSP_ENC_1_5, "C8 04 'x' 00 'y' 00" },
    { "Expect", "a=\"b c\"; p=v", WSP_ENC_1_5,
        "C8 0B 'a' 00 22 'b c' 00 'p' 00 'v' 00" },
    { "Expect", "a=b", WSP_ENC_1_3, "B8 04 'a' 00 'b' 00" },
    { "Expect", "x", WSP_ENC_1_5, "'Expect' 00 'x' 00" },
    { "Expect", "x=y; p", WSP_ENC_1_5, "'Expect' 00 'x=y; p' 00" },
    { "Expect", "x=y;", WSP_ENC_1_5, "'Expect' 00 'x=y;' 00" },
    { "Expect", "x=\"a\\\"b\"", WSP_ENC_1_5,
        "'Expect' 00 'x=\"a\\\"b\"' 00" },
    { "Expect", "x y=z", WSP_ENC_1_5, "'Expect' 00 'x y=z' 00" },
    { "Cache-Control", "x-ext=5", WSP_ENC_1_3, "BD 07 'x-ext' 00 85" },
    { "Cache-Control", "x-ext=tok", WSP_ENC_1_3,
        "BD 0A 'x-ext' 00 'tok' 00" },
    { "Cache-Control", "x-ext=\"a b\"", WSP_ENC_1_4,
        "C7 0B 'x-ext' 00 22 'a b' 00" },
    { "Cache-Control", "x-ext=500", WSP_ENC_1_2,
        "88 09 'x-ext' 00 02 01 F4" },
    { "Cache-Control", "no-cache=\"Set-Cookie\", private=\"X-Foo\"",
        WSP_ENC_1_3, "BD 02 80 C1 BD 07 87 'X-Foo' 00" },
    { "Cache-Control", "max-stale=30, min-fresh=10", WSP_ENC_1_3,
        "BD 02 83 9E BD 02 84 8A" },
    /* s-maxage has no code before 1.3: the extension form instead. */
    { "Cache-Control", "s-maxage=60", WSP_ENC_1_2,
        "88 0A 's-maxage' 00 BC" },
    { "Cache-Control", "x-ext=\"a\\\"b\"", WSP_ENC_1_3,
        "'Cache-Control' 00 'x-ext=\"a\\\"b\"' 00" },
    { "Cache-Control", "x-ext=", WSP_ENC_1_3,
        "'Cache-Control' 00 'x-ext=' 00" },
    { "WWW-Authenticate", "Basic realm=\"r\", charset=\"UTF-8\"",
        WSP_ENC_1_2, "AD 0A 'Basic' 00 'r' 00 81 EA" },
    { "WWW-Authenticate", "Basic realm=\"r\"  ", WSP_ENC_1_2,
        "AD 03 80 'r' 00" },
    { "Authorization", "Digest username=\"u\", domain=\"/a /b\", "
        "nc=00000001", WSP_ENC_1_4,
        "87 1F 26 'Digest' 00 'username' 00 22 'u' 00 8D '/a /b' 00 'nc' 00"
        " '00000001' 00" },
    { "Authorization", "Digest domain=\"/a\"", WSP_ENC_1_2,
        "87 12 'Digest' 00 'domain' 00 22 '/a' 00" },
    { "Profile-Warning", "100", WSP_ENC_1_4, "C4 90" },
    { "Profile-Warning", "202", WSP_ENC_1_2, "B7 A2" },
    { "Profile-Warning", "201 h:80", WSP_ENC_1_4, "C4 06 A1 'h:80' 00" },
    { "Profile-Warning", "199", WSP_ENC_1_4, "'Profile-Warning' 00 '199' 00" },
    { "Set-Cookie", "id=42; Path=/", WSP_ENC_1_3,
        "C1 0A 8F 'id' 00 '42' 00 8F '/' 00" },
    { "Set-Cookie", "id=42; path=/", WSP_ENC_1_4,
        "C1 0A 8F 'id' 00 '42' 00 8F '/' 00" },
    { "Set-Cookie", "id=42", WSP_ENC_1_2, "'Set-Cookie' 00 'id=42' 00" },
    { "Cookie", "a=b; c=", WSP_ENC_1_3,
        "C2 0A 8F 04 'a' 00 'b' 00 03 'c' 00 00" },
    { "Cookie", "$Version=1; a=b; $Path=/; $Domain=x.y", WSP_ENC_1_3,
        "C2 0C 9F 0A 'a' 00 'b' 00 '/' 00 'x.y' 00" },
    { "Cookie", "a=\"q\"", WSP_ENC_1_3, "'Cookie' 00 'a=' 22 'q' 22 00" },
    { "Encoding-Version", "code-page=5; version=1.1", WSP_ENC_1_3,
        "C3 02 85 91" },
    { "X-Wap-Loc-Delivery", "x", WSP_ENC_1_5,
        "'X-Wap-Loc-Delivery' 00 'x' 00" },
    { "Encoding-Version", "code-page=200", WSP_ENC_1_3,
        "'Encoding-Version' 00 'code-page=200' 00" },
    { "Encoding-Version", "code-page=3; version=2.15", WSP_ENC_1_3,
        "C3 06 83 '2.15' 00" },
    { "Encoding-Version", "code-page=3; version=x", WSP_ENC_1_3,
        "'Encoding-Version' 00 'code-page=3; version=x' 00" },
};

#define NENC (sizeof(enc_vectors) / sizeof(enc_vectors[0]))


START_TEST(test_encode_vectors)
{
    const struct enc_vec *v = &enc_vectors[_i];
    uint8_t want[256];
    char got[1024], exp[1024];
    size_t n = hex_parse(v->hex, want, sizeof(want));
    struct wspgw_buf b;
    int rc;

    wspgw_buf_init(&b, 1024);
    rc = wsp_hdr_encode(v->name, v->value, v->enc, &b);
    ck_assert_msg(rc == 0, "%s: %s: rc %d", v->name, v->value, rc);
    ck_assert_msg(b.len == n && memcmp(b.data, want, n) == 0,
        "%s: %s: got [%s] want [%s]", v->name, v->value,
        hex_str(b.data, b.len, got, sizeof(got)),
        hex_str(want, n, exp, sizeof(exp)));
    wspgw_buf_free(&b);
}
END_TEST


START_TEST(test_encode_invalid)
{
    static const struct {
        const char *name, *value;
    } bad[] = {
        { "", "x" },
        { "Bad Name", "x" },
        { "X:Y", "x" },
        { "X\x01", "x" },
        { "X-Foo", "a\r\nInjected: yes" },
        { "X-Foo", "a\nb" },
        { "User-Agent", "a\rb" },
        { "X-Foo", "a\x7f" },
        { "X-\xe9", "x" },
    };
    struct wspgw_buf b;
    size_t i;

    wspgw_buf_init(&b, 1024);
    ck_assert_int_eq(wspgw_buf_puts(&b, "keep"), 0);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_int_eq(wsp_hdr_encode(bad[i].name, bad[i].value,
            WSP_ENC_1_3, &b), WSPGW_EINVAL);
        ck_assert_uint_eq(b.len, 4);
    }
    /* Horizontal tab is allowed inside a value. */
    ck_assert_int_eq(wsp_hdr_encode("X-Foo", "a\tb", WSP_ENC_1_3, &b), 0);
    wspgw_buf_free(&b);
}
END_TEST


START_TEST(test_encode_cap)
{
    struct wspgw_buf b;

    wspgw_buf_init(&b, 6);
    ck_assert_int_eq(wspgw_buf_puts(&b, "ab"), 0);
    ck_assert_int_eq(wsp_hdr_encode("User-Agent", "abcdef", WSP_ENC_1_3,
        &b), WSPGW_EMSGSIZE);
    ck_assert_uint_eq(b.len, 2);
    ck_assert_int_eq(wsp_hdr_encode("Accept", "text/html, image/png, "
        "image/jpeg", WSP_ENC_1_3, &b), WSPGW_EMSGSIZE);
    ck_assert_uint_eq(b.len, 2);
    wspgw_buf_free(&b);
}
END_TEST


/* ---- round trips: text -> binary -> text ---- */

struct rt_vec {
    const char *name;
    const char *value;          /* canonical text, as the decoder writes */
    unsigned enc;
};

static const struct rt_vec rt_vectors[] = {
    { "Accept", "text/plain", WSP_ENC_1_2 },
    { "Accept", "text/html; q=0.5, image/*, */*; q=0.01", WSP_ENC_1_2 },
    { "Accept", "application/vnd.wap.wmlc; q=0.333", WSP_ENC_1_2 },
    { "Accept", "application/x-foo; level=2", WSP_ENC_1_2 },
    { "Accept-Charset", "utf-8, iso-8859-1; q=0.5, *; q=0.1", WSP_ENC_1_3 },
    { "Accept-Charset", "utf-8, windows-1252", WSP_ENC_1_2 },
    { "Accept-Encoding", "gzip, deflate; q=0.5, *", WSP_ENC_1_3 },
    { "Accept-Encoding", "gzip, br", WSP_ENC_1_2 },
    { "Accept-Language", "en, fr; q=0.8, en-gb, *; q=0.1", WSP_ENC_1_2 },
    { "Accept-Ranges", "bytes", WSP_ENC_1_2 },
    { "Age", "3600", WSP_ENC_1_2 },
    { "Allow", "GET, HEAD, POST", WSP_ENC_1_2 },
    { "Cache-Control", "no-cache, no-store, max-age=0", WSP_ENC_1_4 },
    { "Cache-Control", "s-maxage=60, x-ext", WSP_ENC_1_3 },
    { "Cache-Control", "no-cache=\"Accept, X-Foo\"", WSP_ENC_1_3 },
    { "Connection", "close, x-keep", WSP_ENC_1_2 },
    { "Content-Base", "http://base/", WSP_ENC_1_2 },
    { "Content-Disposition", "form-data; name=field", WSP_ENC_1_2 },
    { "Content-Disposition", "inline; filename=\"a b.txt\"", WSP_ENC_1_4 },
    { "Content-Encoding", "gzip, deflate", WSP_ENC_1_2 },
    { "Content-ID", "\"<part1@x>\"", WSP_ENC_1_3 },
    { "Content-Language", "en, de", WSP_ENC_1_2 },
    { "Content-Length", "123456789012", WSP_ENC_1_2 },
    { "Content-Location", "http://a/b?c=d", WSP_ENC_1_2 },
    { "Content-Type", "text/plain; charset=utf-8", WSP_ENC_1_2 },
    { "Content-Type", "text/vnd.wap.wml; charset=iso-8859-1", WSP_ENC_1_2 },
    { "Content-Type", "application/vnd.wap.multipart.related; "
        "type=\"application/smil\"; start=\"<smil>\"", WSP_ENC_1_2 },
    { "Content-Type", "application/vnd.wap.multipart.related; "
        "type=\"application/vnd.wap.wmlc\"", WSP_ENC_1_2 },
    { "Content-Type", "application/vnd.wap.mms-message", WSP_ENC_1_4 },
    { "Content-Type", "application/vnd.wap.mms-message", WSP_ENC_1_2 },
    { "Content-Type", "application/vnd.uplanet.alert-wbxml", WSP_ENC_1_2 },
    { "Content-Type", "image/jpeg; name=\"photo 1.jpg\"", WSP_ENC_1_4 },
    { "Content-Type", "text/plain; format=flowed; x", WSP_ENC_1_2 },
    { "Content-Type", "text/plain; size=1000", WSP_ENC_1_4 },
    { "Content-Type", "text/plain; creation-date="
        "\"Tue, 14 Nov 2023 22:13:20 GMT\"", WSP_ENC_1_4 },
    { "Content-Type", "multipart/form-data; boundary=\"a:b\"", WSP_ENC_1_2 },
    { "Date", "Tue, 14 Nov 2023 22:13:20 GMT", WSP_ENC_1_2 },
    { "Date", "Thu, 01 Jan 1970 00:00:00 GMT", WSP_ENC_1_2 },
    { "Date", "Fri, 31 Dec 9999 23:59:59 GMT", WSP_ENC_1_2 },
    { "Encoding-Version", "1.4", WSP_ENC_1_4 },
    { "Etag", "\"v1\"", WSP_ENC_1_2 },
    { "Expires", "Sat, 29 Feb 2020 00:00:01 GMT", WSP_ENC_1_2 },
    { "From", "a@b.c", WSP_ENC_1_2 },
    { "Host", "wap.example.com:8080", WSP_ENC_1_2 },
    { "If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT", WSP_ENC_1_2 },
    { "If-Range", "\"etag\"", WSP_ENC_1_2 },
    { "Last-Modified", "Mon, 01 Mar 2100 00:00:00 GMT", WSP_ENC_1_2 },
    { "Location", "http://x.example/y", WSP_ENC_1_2 },
    { "Max-Forwards", "10", WSP_ENC_1_2 },
    { "Pragma", "no-cache", WSP_ENC_1_2 },
    { "Pragma", "no-cache, x=\"a b\", comment=hi, y, z=7", WSP_ENC_1_4 },
    { "Profile", "http://nds.nokia.com/uaprof/N6230r100.xml", WSP_ENC_1_2 },
    { "Public", "GET, X-CUSTOM", WSP_ENC_1_2 },
    { "Referer", "http://ref/", WSP_ENC_1_2 },
    { "Server", "Apache/2.4", WSP_ENC_1_2 },
    { "Transfer-Encoding", "chunked", WSP_ENC_1_2 },
    { "Upgrade", "HTTP/2.0", WSP_ENC_1_2 },
    { "User-Agent", "Nokia6230/2.0 (03.15) Profile/MIDP-2.0", WSP_ENC_1_2 },
    { "Vary", "Accept, X-Foo", WSP_ENC_1_2 },
    { "Via", "1.1 wspgw", WSP_ENC_1_2 },
    { "X-Wap-Application-Id", "x-wap-application:wml.ua", WSP_ENC_1_2 },
    { "X-Wap-Application-Id", "x-oma-application:ulp.ua", WSP_ENC_1_2 },
    { "X-Wap-Application-Id", "x-custom:app", WSP_ENC_1_2 },
    { "X-Wap-Initiator-URI", "http://ppg/", WSP_ENC_1_2 },
    { "X-Wap-Tod", "Tue, 14 Nov 2023 22:13:20 GMT", WSP_ENC_1_3 },
    { "Push-Flag", "3", WSP_ENC_1_2 },
    { "Bearer-Indication", "0", WSP_ENC_1_2 },
    { "X-WAP-Security", "close-subordinate", WSP_ENC_1_4 },
    { "Trailer", "Content-MD5", WSP_ENC_1_3 },
    { "X-Foo", "anything at all: 1, 2", WSP_ENC_1_2 },
    { "X-Empty", "", WSP_ENC_1_2 },
    { "Authorization", "Basic dXNlcjpwYXNz", WSP_ENC_1_2 },
    { "Content-Length", "not a number", WSP_ENC_1_2 },
    { "Authorization", "Basic dXNlcjo=", WSP_ENC_1_1 },
    { "Proxy-Authorization", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
        WSP_ENC_1_2 },
    { "Proxy-Authorization", "Basic OjpwYXNz", WSP_ENC_1_2 },
    { "Authorization", "Digest username=\"u\", realm=\"r\"", WSP_ENC_1_2 },
    { "Authorization", "Digest username=\"Mufasa\", realm=\"testrealm\", "
        "nonce=\"dcd98b\", uri=\"/dir/index.html\", qop=auth, "
        "nc=00000001, cnonce=\"0a4f113b\", response=\"6629fae4\"",
        WSP_ENC_1_2 },
    { "Proxy-Authorization", "Negotiate", WSP_ENC_1_2 },
    { "WWW-Authenticate", "Digest realm=\"x@y\", qop=\"auth,auth-int\", "
        "nonce=\"dcd98b\", opaque=\"5ccc\"", WSP_ENC_1_2 },
    { "WWW-Authenticate", "Basic realm=\"r\", charset=utf-8",
        WSP_ENC_1_2 },
    { "Authorization", "Digest username=\"u\", domain=\"/a /b\", "
        "nc=00000001, comment=x", WSP_ENC_1_4 },
    { "Cache-Control", "x-ext=5, x-a=tok, x-b=\"q r\", max-stale=30, "
        "min-fresh=10, s-maxage=60, private=\"X-Foo, Accept\"",
        WSP_ENC_1_4 },
    { "Cache-Control", "x-ext=123456", WSP_ENC_1_1 },
    { "Expect", "100-continue, a=\"b c\"; p=v; q=\"w x\", z=y",
        WSP_ENC_1_5 },
    { "WWW-Authenticate", "Basic realm=\"WAP Portal\"", WSP_ENC_1_2 },
    { "Proxy-Authenticate", "Basic realm=\"\"", WSP_ENC_1_2 },
    { "Range", "bytes=0-99", WSP_ENC_1_2 },
    { "Range", "bytes=4294967295-", WSP_ENC_1_2 },
    { "Range", "bytes=-1", WSP_ENC_1_2 },
    { "Range", "bytes=0-1, 5-6", WSP_ENC_1_2 },
    { "Content-Range", "bytes 0-*/1000", WSP_ENC_1_1 },
    { "Content-Range", "bytes 500-*/100000", WSP_ENC_1_4 },
    { "Content-Range", "bytes 7-*/*", WSP_ENC_1_3 },
    { "Retry-After", "0", WSP_ENC_1_2 },
    { "Retry-After", "86400", WSP_ENC_1_2 },
    { "Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT", WSP_ENC_1_2 },
    { "Warning", "199", WSP_ENC_1_2 },
    { "Warning", "113 wspgw.example \"Heuristic expiration\"",
        WSP_ENC_1_2 },
    { "Warning", "299 - \"misc\"", WSP_ENC_1_2 },
    { "Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg==", WSP_ENC_1_2 },
    { "TE", "trailers, deflate; q=0.333, x-foo", WSP_ENC_1_3 },
    { "TE", "identity, chunked; q=0.1", WSP_ENC_1_4 },
    { "Expect", "100-continue", WSP_ENC_1_5 },
    { "Profile-Warning", "102", WSP_ENC_1_2 },
    { "Profile-Warning", "200 proxy.example:8080", WSP_ENC_1_4 },
    { "Set-Cookie", "SID=31d4d96e407aad42", WSP_ENC_1_3 },
    { "Set-Cookie", "id=a3fWa; max-age=2592000; secure; path=/; "
        "domain=example.com; HttpOnly; Version=1", WSP_ENC_1_4 },
    { "Set-Cookie", "lang=en; expires=Wed, 09 Jun 2021 10:18:14 GMT",
        WSP_ENC_1_3 },
    { "Cookie", "SID=31d4d96e407aad42; lang=en-US", WSP_ENC_1_3 },
    { "Encoding-Version", "code-page=2", WSP_ENC_1_3 },
    { "Accept-Application", "x-wap-application:push.sia", WSP_ENC_1_2 },
    { "If-Match", "\"abc\"", WSP_ENC_1_2 },
    { "If-None-Match", "\"xyz\"", WSP_ENC_1_2 },
    { "If-Unmodified-Since", "Sun, 06 Nov 1994 08:49:37 GMT", WSP_ENC_1_2 },
    { "X-Wap-Content-URI", "http://content/", WSP_ENC_1_2 },
    { "X-Wap-Loc-Invocation", "cell=1", WSP_ENC_1_5 },
    { "X-Wap-Loc-Delivery", "x", WSP_ENC_1_5 },
    { "Profile-Diff", "<?xml version=\"1.0\"?><rdf/>", WSP_ENC_1_2 },
    { "Encoding-Version", "code-page=9; version=2.3", WSP_ENC_1_5 },
    { "Encoding-Version", "code-page=4; version=2.15", WSP_ENC_1_5 },
    { "Encoding-Version", "code-page=4; version=1.10", WSP_ENC_1_5 },
    { "Cookie", "$Version=1; Customer=WILE_E; $Path=/acme; Part=Rocket; "
        "$Domain=x.example", WSP_ENC_1_3 },
};

#define NRT (sizeof(rt_vectors) / sizeof(rt_vectors[0]))


/* Joins the values of all headers (one name) with ", ". */
static void
joined(const struct wsp_hdrs *h, const char *name, char *out, size_t max)
{
    unsigned i;
    size_t o = 0;

    out[0] = '\0';
    for (i = 0; i < h->n; i++) {
        ck_assert_str_eq(wsp_hdrs_name(h, i), name);
        o += (size_t) snprintf(out + o, max - o, "%s%s", i ? ", " : "",
            wsp_hdrs_value(h, i));
        ck_assert(o < max);
    }
}


START_TEST(test_round_trip)
{
    const struct rt_vec *v = &rt_vectors[_i];
    struct wspgw_buf b;
    struct wsp_hdrs h;
    char got[1024], hex[1024];
    unsigned skipped = 0;
    int rc;

    wspgw_buf_init(&b, 1024);
    wsp_hdrs_init(&h, 4096);
    ck_assert_int_eq(wsp_hdr_encode(v->name, v->value, v->enc, &b), 0);
    rc = wsp_hdrs_decode(b.data, b.len, &h, &skipped);
    ck_assert_msg(rc == 0, "%s: rc %d", v->name, rc);
    ck_assert_uint_eq(skipped, 0);
    ck_assert_uint_ge(h.n, 1);
    joined(&h, v->name, got, sizeof(got));
    ck_assert_msg(strcmp(got, v->value) == 0, "%s: got [%s] want [%s] (%s)",
        v->name, got, v->value, hex_str(b.data, b.len, hex, sizeof(hex)));
    wsp_hdrs_free(&h);
    wspgw_buf_free(&b);
}
END_TEST


/* Truncating any encoded header never crashes the decoder. */
START_TEST(test_round_trip_truncation)
{
    const struct rt_vec *v = &rt_vectors[_i];
    struct wspgw_buf b;
    struct wsp_hdrs h;
    uint8_t *copy;
    size_t k;
    int rc;

    wspgw_buf_init(&b, 1024);
    wsp_hdrs_init(&h, 4096);
    ck_assert_int_eq(wsp_hdr_encode(v->name, v->value, v->enc, &b), 0);
    for (k = 0; k < b.len; k++) {
        copy = malloc(k == 0 ? 1 : k);
        memcpy(copy, b.data, k);
        wsp_hdrs_reset(&h);
        rc = wsp_hdrs_decode(copy, k, &h, NULL);
        ck_assert(rc == 0 || rc == WSPGW_ETRUNC || rc == WSPGW_EPROTO);
        free(copy);
    }
    wsp_hdrs_free(&h);
    wspgw_buf_free(&b);
}
END_TEST


/* ---- content type entry points ---- */

START_TEST(test_ctype)
{
    static const struct {
        const char *text;
        unsigned enc;
        const char *hex;
    } v[] = {
        { "image/jpeg", WSP_ENC_1_2, "9E" },
        { "text/plain; charset=utf-8", WSP_ENC_1_2, "03 83 81 EA" },
        { "application/vnd.uplanet.cacheop-wbxml", WSP_ENC_1_2,
            "03 02 02 01" },
        { "application/x-foo", WSP_ENC_1_2, "'application/x-foo' 00" },
        { "application/vnd.wap.mms-message", WSP_ENC_1_4, "BE" },
        /* Interop floor: 1.4 numbers go to older peers too. */
        { "application/vnd.wap.mms-message", WSP_ENC_1_2, "BE" },
        /* 1.5 numbers wait for a 1.5 peer. */
        { "application/vnd.wap.xhtml+xml", WSP_ENC_1_5, "C5" },
        { "application/vnd.wap.xhtml+xml", WSP_ENC_1_4,
            "'application/vnd.wap.xhtml+xml' 00" },
        /* "TBD" numbers are never sent. */
        { "application/octet-stream", WSP_ENC_1_5,
            "'application/octet-stream' 00" },
        { "Text/HTML", WSP_ENC_1_1, "82" },
        { "application/vnd.wap.multipart.related; type=\"application/smil\";"
            " start=\"<smil>\"", WSP_ENC_1_4,
            "1B B3 89 'application/smil' 00 8A '<smil>' 00" },
        { "text/plain; charset=x-unknown", WSP_ENC_1_2,
            "13 83 'charset' 00 'x-unknown' 00" },
    };
    static const char *const bad[] = {
        "", "   ", "foo", "a/b/c", "text/plain; =x", "text/plain;;",
        "text/plain; a=\"unterminated", "text/plain\r\n", "/x", "x/",
    };
    struct wspgw_buf b;
    uint8_t want[128];
    char got[512], exp[512];
    size_t i, n;
    int rc;

    wspgw_buf_init(&b, 256);
    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        n = hex_parse(v[i].hex, want, sizeof(want));
        wspgw_buf_reset(&b);
        ck_assert_int_eq(wsp_ctype_encode(v[i].text, v[i].enc, &b), 0);
        ck_assert_msg(b.len == n && memcmp(b.data, want, n) == 0,
            "%s: got [%s] want [%s]", v[i].text,
            hex_str(b.data, b.len, got, sizeof(got)),
            hex_str(want, n, exp, sizeof(exp)));
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        wspgw_buf_reset(&b);
        rc = wsp_ctype_encode(bad[i], WSP_ENC_1_4, &b);
        ck_assert_msg(rc == WSPGW_EINVAL, "[%s]: rc %d", bad[i], rc);
        ck_assert_uint_eq(b.len, 0);
    }

    /* Decoding stops at the end of the value. */
    n = hex_parse("03 83 81 EA 8D 80", want, sizeof(want));
    wspgw_buf_reset(&b);
    ck_assert_int_eq(wsp_ctype_decode(want, n, &b), 4);
    ck_assert_str_eq(wspgw_buf_str(&b), "text/plain; charset=utf-8");
    wspgw_buf_reset(&b);
    ck_assert_int_eq(wsp_ctype_decode(want, 3, &b), WSPGW_ETRUNC);
    ck_assert_int_eq(wsp_ctype_decode(want, 0, &b), WSPGW_ETRUNC);
    ck_assert_uint_eq(b.len, 0);
    n = hex_parse("BE", want, sizeof(want));
    ck_assert_int_eq(wsp_ctype_decode(want, n, &b), 1);
    ck_assert_str_eq(wspgw_buf_str(&b), "application/vnd.wap.mms-message");
    wspgw_buf_reset(&b);
    n = hex_parse("FF", want, sizeof(want));
    ck_assert_int_eq(wsp_ctype_decode(want, n, &b), WSPGW_EPROTO);
    n = hex_parse("02 83 'x' 00", want, sizeof(want));
    ck_assert_int_eq(wsp_ctype_decode(want, n, &b), WSPGW_EPROTO);
    ck_assert_uint_eq(b.len, 0);
    wspgw_buf_free(&b);
}
END_TEST


/* ---- garbage ---- */

START_TEST(test_garbage)
{
    uint32_t seed = 0x5EED1234;
    struct wsp_hdrs h;
    struct wspgw_buf b;
    uint8_t *buf;
    size_t len, i;
    int round, rc;

    wsp_hdrs_init(&h, 8192);
    wspgw_buf_init(&b, 8192);
    for (round = 0; round < 5000; round++) {
        len = xorshift32(&seed) % 48;
        buf = malloc(len == 0 ? 1 : len);
        for (i = 0; i < len; i++) {
            uint32_t r = xorshift32(&seed);

            /* Bias towards short lengths and NULs so values close. */
            if ((r & 7) == 0) {
                buf[i] = 0x00;
            } else if ((r & 7) == 1) {
                buf[i] = (uint8_t) ((r >> 8) % 8);
            } else {
                buf[i] = (uint8_t) (r >> 8);
            }
        }
        wsp_hdrs_reset(&h);
        rc = wsp_hdrs_decode(buf, len, &h, NULL);
        ck_assert(rc == 0 || rc == WSPGW_ETRUNC || rc == WSPGW_EPROTO
            || rc == WSPGW_ENOSPC);
        wspgw_buf_reset(&b);
        rc = wsp_ctype_decode(buf, len, &b);
        ck_assert(rc > 0 || rc == WSPGW_ETRUNC || rc == WSPGW_EPROTO);
        ck_assert(rc <= 0 || (size_t) rc <= len);
        free(buf);
    }
    wspgw_buf_free(&b);
    wsp_hdrs_free(&h);
}
END_TEST


/*
 * The Value-length grammars (hdr_ext.c, hdr_cookie.c, hdr_wbxml.c, the
 * Cache-Control and Pragma forms): each field code with a random
 * body behind a Value-length that may be right, short or long, at every
 * length up to 40.  Errors only, never a crash or an over-read (ASan).
 */
START_TEST(test_garbage_value_length)
{
    static const uint8_t codes[] = {
        0x07, 0x0F, 0x10, 0x20, 0x21, 0x23, 0x25, 0x2C, 0x2D, 0x37, 0x38,
        0x39, 0x3E, 0x41, 0x42, 0x44, 0x48,
        0x08, 0x3D, 0x47, 0x1F, 0x36, 0x43,     /* cache, pragma, diff... */
    };
    uint32_t seed = 0xC0FFEE;
    struct wsp_hdrs h;
    uint8_t *buf;
    size_t len, i;
    int round, rc;

    wsp_hdrs_init(&h, 8192);
    for (round = 0; round < 20000; round++) {
        len = 2 + xorshift32(&seed) % 40;
        buf = malloc(len);
        buf[0] = (uint8_t) (0x80 | codes[round % sizeof(codes)]);
        buf[1] = (uint8_t) (round % 3 == 0 ? xorshift32(&seed) % 32
            : len - 2 - (round % 3 == 1 ? 0 : 1));
        for (i = 2; i < len; i++) {
            uint32_t r = xorshift32(&seed);

            buf[i] = (r & 3) == 0 ? 0x00 : (r & 3) == 1
                ? (uint8_t) (0x80 | ((r >> 8) & 0x7f)) : (uint8_t) (r >> 8);
        }
        wsp_hdrs_reset(&h);
        rc = wsp_hdrs_decode(buf, len, &h, NULL);
        ck_assert(rc == 0 || rc == WSPGW_ETRUNC || rc == WSPGW_EPROTO
            || rc == WSPGW_ENOSPC);
        free(buf);
    }
    wsp_hdrs_free(&h);
}
END_TEST


/* Random text through the encoder: valid or EINVAL, and decodable. */
START_TEST(test_garbage_encode)
{
    static const char *const names[] = {
        "Accept", "Accept-Charset", "Accept-Language", "Cache-Control",
        "Content-Type", "Date", "Content-Length", "X-Foo",
        "Content-Disposition", "Encoding-Version", "Allow",
        "Range", "Content-Range", "Retry-After", "Authorization",
        "WWW-Authenticate", "Warning", "Content-MD5", "TE", "Expect",
        "Profile-Warning", "Set-Cookie", "Cookie", "Profile-Diff",
        "Proxy-Authenticate",
    };
    static const char alphabet[] = "ab/;=,\" *q0.1-9\xe9\tA$=BG";
    uint32_t seed = 77;
    struct wspgw_buf b;
    struct wsp_hdrs h;
    char value[24];
    size_t i, len;
    int round, rc;

    wspgw_buf_init(&b, 1024);
    wsp_hdrs_init(&h, 4096);
    for (round = 0; round < 5000; round++) {
        len = xorshift32(&seed) % (sizeof(value) - 1);
        for (i = 0; i < len; i++) {
            value[i] = alphabet[xorshift32(&seed) % (sizeof(alphabet) - 1)];
        }
        value[len] = '\0';
        wspgw_buf_reset(&b);
        rc = wsp_hdr_encode(names[round % (sizeof(names) / sizeof(names[0]))],
            value, WSP_ENC_1_1 + (unsigned) (round % 5), &b);
        ck_assert_int_eq(rc, 0);
        wsp_hdrs_reset(&h);
        ck_assert_int_eq(wsp_hdrs_decode(b.data, b.len, &h, NULL), 0);
    }
    wsp_hdrs_free(&h);
    wspgw_buf_free(&b);
}
END_TEST


/* ---- OOM loops ---- */

START_TEST(test_decode_oom)
{
    uint8_t in[4096];
    size_t n = 0, i;
    struct wsp_hdrs h;
    long k;
    int rc;

    /* The first 100 decode vectors back to back (fewer than
     * WSP_HDRS_MAX headers). */
    for (i = 0; i < NDEC && i < 100; i++) {
        n += hex_parse(dec_vectors[i].hex, in + n, sizeof(in) - n);
    }
    for (k = 0;; k++) {
        wsp_hdrs_init(&h, 1 << 16);
        wspgw_alloc_fail_after(k);
        rc = wsp_hdrs_decode(in, n, &h, NULL);
        wspgw_alloc_fail_after(-1);
        if (rc == 0) {
            ck_assert_uint_gt(h.n, 40);
            wsp_hdrs_free(&h);
            break;
        }
        ck_assert_int_eq(rc, WSPGW_ENOMEM);
        ck_assert_uint_eq(h.n, 0);
        wsp_hdrs_free(&h);
    }
    ck_assert_int_ge(k, 1);
}
END_TEST


START_TEST(test_encode_oom)
{
    struct wspgw_buf b;
    size_t i;
    long k;
    int rc = 0;

    for (k = 0;; k++) {
        wspgw_buf_init(&b, 1 << 16);
        wspgw_alloc_fail_after(k);
        for (i = 0; i < NENC && rc == 0; i++) {
            rc = wsp_hdr_encode(enc_vectors[i].name, enc_vectors[i].value,
                enc_vectors[i].enc, &b);
        }
        for (i = 0; i < NRT && rc == 0; i++) {
            rc = wsp_hdr_encode(rt_vectors[i].name, rt_vectors[i].value,
                rt_vectors[i].enc, &b);
        }
        if (rc == 0) {
            rc = wsp_ctype_encode("application/vnd.wap.multipart.related; "
                "type=\"application/smil\"; start=\"<smil>\"", WSP_ENC_1_4,
                &b);
        }
        wspgw_alloc_fail_after(-1);
        wspgw_buf_free(&b);
        if (rc == 0) {
            break;
        }
        ck_assert_int_eq(rc, WSPGW_ENOMEM);
        rc = 0;
    }
    ck_assert_int_ge(k, 1);
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("wsp_headers");
    TCase *tc = tcase_create("headers");

    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_decode_vectors, 0, NDEC);
    tcase_add_loop_test(tc, test_decode_truncation, 0, NDEC);
    tcase_add_test(tc, test_decode_errors);
    tcase_add_test(tc, test_decode_limits);
    tcase_add_loop_test(tc, test_encode_vectors, 0, NENC);
    tcase_add_test(tc, test_encode_invalid);
    tcase_add_test(tc, test_encode_cap);
    tcase_add_loop_test(tc, test_round_trip, 0, NRT);
    tcase_add_loop_test(tc, test_round_trip_truncation, 0, NRT);
    tcase_add_test(tc, test_ctype);
    tcase_add_test(tc, test_garbage);
    tcase_add_test(tc, test_garbage_encode);
    tcase_add_test(tc, test_garbage_value_length);
    tcase_add_test(tc, test_decode_oom);
    tcase_add_test(tc, test_encode_oom);
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
