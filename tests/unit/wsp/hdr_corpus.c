/*
 * tests/unit/wsp/hdr_corpus.c - writes the header cross-check corpus for
 * tests/integration/test_tshark_headers.sh (issue 4, Evidence).
 *
 * Usage: hdr_corpus OUT.pcap OUT.expect
 *
 * Builds header blocks with wsp_hdr_encode from the table below: every
 * entry alone, then two rounds of pairs and one of triples, so the
 * corpus holds more than 300 blocks.  Each block goes out as a
 * connectionless WSP Reply (TID, 0x04, 200 OK, Content-Type text/plain,
 * the block) in a raw-IPv4/UDP pcap frame from port 9200; wspgw's own
 * decoding of the block (wsp_hdrs_decode) is written to OUT.expect as
 * one line per header: "FRAME<TAB>Name: value".  The shell test decodes
 * the pcap with tshark and compares.
 *
 * Not a unit test: it asserts only that every block encodes and decodes
 * (exit 1 otherwise); the comparison is the integration test's job.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/buf.h"
#include "wspgw/err.h"
#include "wspgw/wsp.h"

#define PD_DECL "<?xml version=\"1.0\"?>"
#define PD_SCHEMA "http://www.wapforum.org/profiles/UAPROF/ccppschema-20010430#"

struct item {
    const char *name;
    const char *value;
    unsigned enc;
};

static const struct item items[] = {
    { "Accept", "text/plain", WSP_ENC_1_2 },
    { "Accept", "text/html; q=0.5", WSP_ENC_1_2 },
    { "Accept", "application/vnd.wap.wmlc", WSP_ENC_1_2 },
    { "Accept", "application/x-foo", WSP_ENC_1_2 },
    { "Accept", "image/*", WSP_ENC_1_2 },
    { "Accept", "*/*", WSP_ENC_1_2 },
    { "Accept", "application/x-foo; q=0.5", WSP_ENC_1_2 },
    { "User-Agent", "\xe9t\xe9 phone", WSP_ENC_1_2 },
    { "X-Foo", "\xe9t\xe9", WSP_ENC_1_2 },
    { "Accept", "application/vnd.wap.mms-message", WSP_ENC_1_4 },
    { "Accept-Charset", "utf-8", WSP_ENC_1_3 },
    { "Accept-Charset", "utf-8", WSP_ENC_1_2 },
    { "Accept-Charset", "iso-8859-1; q=0.5", WSP_ENC_1_3 },
    { "Accept-Charset", "*", WSP_ENC_1_3 },
    { "Accept-Charset", "iso-10646-ucs-2", WSP_ENC_1_3 },
    { "Accept-Encoding", "gzip", WSP_ENC_1_3 },
    { "Accept-Encoding", "deflate; q=0.5", WSP_ENC_1_3 },
    { "Accept-Encoding", "compress", WSP_ENC_1_2 },
    { "Accept-Language", "en", WSP_ENC_1_2 },
    { "Accept-Language", "fr; q=0.8", WSP_ENC_1_2 },
    { "Accept-Language", "en-gb", WSP_ENC_1_2 },
    { "Accept-Ranges", "bytes", WSP_ENC_1_2 },
    { "Accept-Ranges", "none", WSP_ENC_1_2 },
    { "Age", "3600", WSP_ENC_1_2 },
    { "Age", "10", WSP_ENC_1_2 },
    { "Allow", "GET", WSP_ENC_1_2 },
    { "Allow", "POST", WSP_ENC_1_2 },
    { "Authorization", "Basic dXNlcjpwYXNz", WSP_ENC_1_2 },
    { "Proxy-Authorization", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
        WSP_ENC_1_2 },
    { "WWW-Authenticate", "Basic realm=\"WAP\"", WSP_ENC_1_2 },
    { "Proxy-Authenticate", "Basic realm=\"gw\"", WSP_ENC_1_2 },
    { "Cache-Control", "no-cache", WSP_ENC_1_4 },
    { "Cache-Control", "no-store", WSP_ENC_1_3 },
    { "Cache-Control", "max-age=3600", WSP_ENC_1_3 },
    { "Cache-Control", "private", WSP_ENC_1_2 },
    { "Cache-Control", "must-revalidate", WSP_ENC_1_2 },
    { "Connection", "close", WSP_ENC_1_2 },
    { "Content-Base", "http://base/", WSP_ENC_1_2 },
    { "Content-Encoding", "gzip", WSP_ENC_1_2 },
    { "Content-Encoding", "deflate", WSP_ENC_1_2 },
    { "Content-Language", "en", WSP_ENC_1_2 },
    { "Content-Language", "de", WSP_ENC_1_2 },
    { "Content-Length", "123456", WSP_ENC_1_2 },
    { "Content-Length", "2", WSP_ENC_1_2 },
    { "Content-Length", "0", WSP_ENC_1_2 },
    { "Content-Location", "http://a/b?c=d", WSP_ENC_1_2 },
    { "Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg==", WSP_ENC_1_2 },
    { "Content-Range", "bytes 0-*/1000", WSP_ENC_1_1 },
    { "Content-Range", "bytes 500-*/100000", WSP_ENC_1_4 },
    { "Content-Range", "bytes 7-*/*", WSP_ENC_1_3 },
    { "Date", "Tue, 14 Nov 2023 22:13:20 GMT", WSP_ENC_1_2 },
    { "Date", "Thu, 01 Jan 1970 00:00:01 GMT", WSP_ENC_1_2 },
    { "Date", "Sun, 06 Nov 1994 08:49:37 GMT", WSP_ENC_1_2 },
    { "Encoding-Version", "1.4", WSP_ENC_1_4 },
    { "Encoding-Version", "1.3", WSP_ENC_1_4 },
    { "Etag", "\"v1\"", WSP_ENC_1_2 },
    { "Etag", "abc", WSP_ENC_1_2 },
    { "Expires", "Sat, 29 Feb 2020 00:00:01 GMT", WSP_ENC_1_2 },
    { "From", "a@b.c", WSP_ENC_1_2 },
    { "Host", "wap.example.com:8080", WSP_ENC_1_2 },
    { "If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT", WSP_ENC_1_2 },
    { "If-Unmodified-Since", "Mon, 01 Mar 2100 00:00:00 GMT", WSP_ENC_1_2 },
    { "If-Match", "\"x\"", WSP_ENC_1_2 },
    { "If-None-Match", "\"y\"", WSP_ENC_1_2 },
    { "If-Range", "\"etag\"", WSP_ENC_1_2 },
    { "Last-Modified", "Mon, 01 Mar 2100 00:00:00 GMT", WSP_ENC_1_2 },
    { "Location", "http://x.example/y", WSP_ENC_1_2 },
    { "Max-Forwards", "10", WSP_ENC_1_2 },
    { "Pragma", "no-cache", WSP_ENC_1_2 },
    { "Profile", "http://nds.nokia.com/uaprof/N6230r100.xml", WSP_ENC_1_2 },
    { "Public", "GET", WSP_ENC_1_2 },
    { "Range", "bytes=0-99", WSP_ENC_1_2 },
    { "Range", "bytes=100-", WSP_ENC_1_2 },
    { "Range", "bytes=-100", WSP_ENC_1_2 },
    { "Referer", "http://ref/", WSP_ENC_1_2 },
    { "Retry-After", "120", WSP_ENC_1_2 },
    { "Retry-After", "Tue, 14 Nov 2023 22:13:20 GMT", WSP_ENC_1_2 },
    { "Server", "Apache/2.4", WSP_ENC_1_2 },
    { "Transfer-Encoding", "chunked", WSP_ENC_1_2 },
    { "Upgrade", "HTTP/2.0", WSP_ENC_1_2 },
    { "User-Agent", "Nokia6230/2.0 (03.15) Profile/MIDP-2.0", WSP_ENC_1_2 },
    { "User-Agent", "SonyEricssonK750i/R1AA", WSP_ENC_1_2 },
    { "Vary", "Accept", WSP_ENC_1_2 },
    { "Vary", "X-Foo", WSP_ENC_1_2 },
    { "Via", "1.1 wspgw", WSP_ENC_1_2 },
    { "Warning", "110", WSP_ENC_1_2 },
    { "Warning", "214 gw \"Transformed\"", WSP_ENC_1_2 },
    { "X-Wap-Application-Id", "x-wap-application:wml.ua", WSP_ENC_1_2 },
    { "X-Wap-Application-Id", "x-custom:app", WSP_ENC_1_2 },
    { "X-Wap-Initiator-URI", "http://ppg/", WSP_ENC_1_2 },
    { "X-Wap-Content-URI", "http://c/", WSP_ENC_1_2 },
    { "X-Wap-Tod", "Tue, 14 Nov 2023 22:13:20 GMT", WSP_ENC_1_3 },
    { "Push-Flag", "3", WSP_ENC_1_2 },
    { "Bearer-Indication", "0", WSP_ENC_1_2 },
    { "X-WAP-Security", "close-subordinate", WSP_ENC_1_4 },
    { "Trailer", "Content-MD5", WSP_ENC_1_3 },
    { "Content-ID", "\"<part1@x>\"", WSP_ENC_1_3 },
    { "Content-Disposition", "attachment; filename=a.txt", WSP_ENC_1_4 },
    { "Content-Disposition", "form-data; name=field", WSP_ENC_1_2 },
    { "TE", "trailers", WSP_ENC_1_3 },
    { "TE", "gzip; q=0.5", WSP_ENC_1_3 },
    { "TE", "x-foo", WSP_ENC_1_3 },
    { "Expect", "100-continue", WSP_ENC_1_5 },
    { "Expect", "100-continue", WSP_ENC_1_3 },
    { "Profile-Warning", "100", WSP_ENC_1_4 },
    { "Profile-Warning", "201 proxy.example:8080", WSP_ENC_1_4 },
    { "Set-Cookie", "SID=31d4d96e407aad42; path=/", WSP_ENC_1_3 },
    { "Set-Cookie", "id=1; max-age=60; secure; Version=1", WSP_ENC_1_4 },
    { "Cookie", "SID=31d4d96e407aad42; lang=en-US", WSP_ENC_1_3 },
    { "Cookie", "$Version=1; a=b; $Path=/acme", WSP_ENC_1_3 },
    { "Encoding-Version", "1.5", WSP_ENC_1_5 },
    { "Encoding-Version", "code-page=2; version=1.1", WSP_ENC_1_5 },
    { "Warning", "113 wspgw \"Heuristic expiration\"", WSP_ENC_1_2 },
    { "Retry-After", "0", WSP_ENC_1_2 },
    { "Range", "bytes=4096-8191", WSP_ENC_1_2 },
    { "Content-Range", "bytes 4096-8191/1048576", WSP_ENC_1_3 },
    { "WWW-Authenticate", "Basic realm=\"\"", WSP_ENC_1_2 },
    { "Authorization", "Basic Og==", WSP_ENC_1_2 },
    { "Authorization", "Digest username=\"u\", realm=\"r\", nc=00000001",
        WSP_ENC_1_2 },
    { "WWW-Authenticate", "Digest realm=\"r\", nonce=\"abc\"", WSP_ENC_1_2 },
    { "X-Foo", "bar", WSP_ENC_1_2 },
    { "X-Operator-Id", "12345", WSP_ENC_1_2 },
    /* Pragma-value: Value-length Parameter (8.4.2.38). */
    { "Pragma", "x-ext=on", WSP_ENC_1_2 },
    { "Pragma", "comment=hi", WSP_ENC_1_4 },
    /* Encoding-Version, code-page form with a text Version-value. */
    { "Encoding-Version", "code-page=2; version=2.15", WSP_ENC_1_5 },
    /* Cache-Control Value-length forms (8.4.2.15). */
    { "Cache-Control", "x-ext=5", WSP_ENC_1_3 },
    { "Cache-Control", "x-ext=tok", WSP_ENC_1_3 },
    { "Cache-Control", "x-ext=\"a b\"", WSP_ENC_1_4 },
    { "Cache-Control", "no-cache=\"Set-Cookie\"", WSP_ENC_1_3 },
    { "Cache-Control", "private=\"X-Foo, Accept\"", WSP_ENC_1_4 },
    { "Cache-Control", "max-stale=30", WSP_ENC_1_3 },
    { "Cache-Control", "min-fresh=10", WSP_ENC_1_3 },
    { "Cache-Control", "s-maxage=60", WSP_ENC_1_3 },
    { "Cache-Control", "s-maxage=60", WSP_ENC_1_2 },
    /* Typed Auth-params (8.4.2.5, Table 38 names). */
    { "WWW-Authenticate", "Basic realm=\"r\", charset=\"UTF-8\"",
        WSP_ENC_1_2 },
    { "Authorization", "Digest username=\"u\", domain=\"/a /b\", "
        "nc=00000001", WSP_ENC_1_4 },
    /* Expect-expression (8.4.2.63). */
    { "Expect", "a=\"b c\"; p=v", WSP_ENC_1_5 },
    { "Expect", "x=y", WSP_ENC_1_3 },
    /* Profile-Diff: WBXML UAProf (WAP-248 8), tokens of pages 0-4. */
    { "Profile-Diff", PD_DECL "<rdf:RDF><rdf:Description "
        "ID=\"HardwarePlatform\"><prf:ColorCapable>Yes</prf:ColorCapable>"
        "<prf:ScreenSize>128x160</prf:ScreenSize></rdf:Description>"
        "</rdf:RDF>", WSP_ENC_1_2 },
    { "Profile-Diff", PD_DECL "<rdf:Description rdf:resource=\""
        PD_SCHEMA "BrowserUA\" prf:ColorCapable=\"No\" "
        "prf:HtmlVersion=\"4.0\" prf:Push-MsgSize=\"1400\"/>",
        WSP_ENC_1_3 },
    { "Profile-Diff", PD_DECL "<rdf:RDF xmlns:rdf=\""
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description "
        "ID=\"BrowserUA\"><prf:CcppAccept><rdf:Bag><rdf:li>image/png"
        "</rdf:li><rdf:li>text/html</rdf:li></rdf:Bag></prf:CcppAccept>"
        "<prf:TablesCapable>No</prf:TablesCapable></rdf:Description>"
        "</rdf:RDF>", WSP_ENC_1_4 },
    { "Profile-Diff", PD_DECL "<rdf:RDF><x:vendor x:y=\"1 &amp; 2\">"
        "a &lt;b&gt; c</x:vendor><x:vendor/></rdf:RDF>", WSP_ENC_1_2 },
    { "Profile-Diff", PD_DECL "<rdf:RDF><prf:Vendor>caf&#xE9;</prf:Vendor>"
        "</rdf:RDF>", WSP_ENC_1_2 },
    { "X-Empty", "", WSP_ENC_1_2 },
};

#define NITEMS (sizeof(items) / sizeof(items[0]))


static int
put_u32(FILE *f, uint32_t v, int le)
{
    uint8_t b[4];

    if (le) {
        b[0] = (uint8_t) v;
        b[1] = (uint8_t) (v >> 8);
        b[2] = (uint8_t) (v >> 16);
        b[3] = (uint8_t) (v >> 24);
    } else {
        b[0] = (uint8_t) (v >> 24);
        b[1] = (uint8_t) (v >> 16);
        b[2] = (uint8_t) (v >> 8);
        b[3] = (uint8_t) v;
    }
    return fwrite(b, 1, 4, f) == 4 ? 0 : -1;
}


/* One raw-IPv4 frame: 127.0.0.1:9200 -> 127.0.0.1:49152, payload p. */
static int
write_frame(FILE *f, unsigned n, const uint8_t *p, size_t len)
{
    uint8_t h[28];
    size_t ip_len = 28 + len, udp_len = 8 + len;
    uint32_t sum = 0;
    unsigned i;

    memset(h, 0, sizeof(h));
    h[0] = 0x45;
    h[2] = (uint8_t) (ip_len >> 8);
    h[3] = (uint8_t) ip_len;
    h[8] = 64;
    h[9] = 17;
    h[12] = 127;
    h[15] = 1;
    h[16] = 127;
    h[19] = 1;
    for (i = 0; i < 20; i += 2) {
        sum += (uint32_t) (h[i] << 8 | h[i + 1]);
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    h[10] = (uint8_t) (~sum >> 8);
    h[11] = (uint8_t) ~sum;
    h[20] = 9200 >> 8;
    h[21] = 9200 & 0xff;
    h[22] = 0xc0;
    h[23] = 0x00;
    h[24] = (uint8_t) (udp_len >> 8);
    h[25] = (uint8_t) udp_len;
    if (put_u32(f, n, 1) != 0 || put_u32(f, 0, 1) != 0
        || put_u32(f, (uint32_t) ip_len, 1) != 0
        || put_u32(f, (uint32_t) ip_len, 1) != 0
        || fwrite(h, 1, sizeof(h), f) != sizeof(h)
        || fwrite(p, 1, len, f) != len)
    {
        return -1;
    }
    return 0;
}


/* Encodes the items, wraps them in a Reply, writes frame + expectation. */
static int
one_block(FILE *pcap, FILE *exp, unsigned frame, const unsigned *idx,
    unsigned n)
{
    struct wspgw_buf hb, pdu;
    struct wsp_hdrs h;
    unsigned i, skipped = 0;
    int rc = 0;

    wspgw_buf_init(&hb, 4096);
    wspgw_buf_init(&pdu, 8192);
    wsp_hdrs_init(&h, 8192);
    for (i = 0; rc == 0 && i < n; i++) {
        rc = wsp_hdr_encode(items[idx[i]].name, items[idx[i]].value,
            items[idx[i]].enc, &hb);
    }
    if (rc == 0) {
        rc = wsp_hdrs_decode(hb.data, hb.len, &h, &skipped);
    }
    if (rc != 0 || skipped != 0) {
        fprintf(stderr, "hdr_corpus: frame %u (%s): rc %d skipped %u\n",
            frame, items[idx[0]].name, rc, skipped);
        rc = -1;
    }
    /* TID, Reply, 200 OK, HeadersLen (1 + block), text/plain, block. */
    if (rc == 0) {
        rc = wspgw_buf_putc(&pdu, (uint8_t) frame);
    }
    if (rc == 0) {
        rc = wspgw_buf_putc(&pdu, 0x04);
    }
    if (rc == 0) {
        rc = wspgw_buf_putc(&pdu, 0x20);
    }
    if (rc == 0) {
        rc = wsp_uintvar_encode(&pdu, (uint32_t) hb.len + 1);
    }
    if (rc == 0) {
        rc = wspgw_buf_putc(&pdu, 0x83);
    }
    if (rc == 0) {
        rc = wspgw_buf_append(&pdu, hb.data, hb.len);
    }
    if (rc == 0) {
        rc = write_frame(pcap, frame, pdu.data, pdu.len);
    }
    for (i = 0; rc == 0 && i < h.n; i++) {
        if (fprintf(exp, "%u\t%s: %s\n", frame, wsp_hdrs_name(&h, i),
            wsp_hdrs_value(&h, i)) < 0)
        {
            rc = -1;
        }
    }
    wsp_hdrs_free(&h);
    wspgw_buf_free(&pdu);
    wspgw_buf_free(&hb);
    return rc;
}


int
main(int argc, char **argv)
{
    FILE *pcap, *exp;
    unsigned idx[3], i, frame = 1;
    int rc = 0;

    if (argc != 3) {
        fprintf(stderr, "usage: hdr_corpus OUT.pcap OUT.expect\n");
        return 2;
    }
    pcap = fopen(argv[1], "wb");
    exp = fopen(argv[2], "w");
    if (pcap == NULL || exp == NULL) {
        perror("hdr_corpus");
        return 1;
    }
    /* pcap global header: magic, 2.4, tz 0, sigfigs 0, snaplen, RAW. */
    if (put_u32(pcap, 0xa1b2c3d4u, 1) != 0
        || put_u32(pcap, 0x00040002u, 1) != 0 || put_u32(pcap, 0, 1) != 0
        || put_u32(pcap, 0, 1) != 0 || put_u32(pcap, 65535, 1) != 0
        || put_u32(pcap, 101, 1) != 0)
    {
        rc = -1;
    }
    for (i = 0; rc == 0 && i < NITEMS; i++) {
        idx[0] = i;
        rc = one_block(pcap, exp, frame++, idx, 1);
    }
    for (i = 0; rc == 0 && i < NITEMS; i++) {
        idx[0] = i;
        idx[1] = (i * 7 + 3) % NITEMS;
        rc = one_block(pcap, exp, frame++, idx, 2);
    }
    for (i = 0; rc == 0 && i < NITEMS; i++) {
        idx[0] = (i * 5 + 1) % NITEMS;
        idx[1] = i;
        idx[2] = (i * 11 + 2) % NITEMS;
        rc = one_block(pcap, exp, frame++, idx, 3);
    }
    for (i = 0; rc == 0 && i < NITEMS; i++) {
        idx[0] = (i * 13 + 5) % NITEMS;
        idx[1] = (i * 3 + 7) % NITEMS;
        rc = one_block(pcap, exp, frame++, idx, 2);
    }
    if (fclose(pcap) != 0 || fclose(exp) != 0) {
        rc = -1;
    }
    if (rc != 0) {
        fprintf(stderr, "hdr_corpus: failed at frame %u\n", frame - 1);
        return 1;
    }
    printf("%u\n", frame - 1);
    return 0;
}
