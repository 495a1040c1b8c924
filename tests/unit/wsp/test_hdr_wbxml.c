/*
 * tests/unit/wsp/test_hdr_wbxml.c - Profile-Diff (0x36): WBXML UAProf
 * documents <-> one line of XML text (wsp/hdr_wbxml.c).
 *
 * Vectors are WBXML documents built by hand from WAP-192 (structure,
 * global tokens) and WAP-248 8.3 (UAProf token tables); the first one was
 * also fed to tshark 4.0, which renders the same tree.  Each document is
 * wrapped in a Profile-Diff field (B6, Value-length).  Every prefix of
 * every document, re-wrapped in a correct Value-length and copied to an
 * exact-size allocation (ASan sees any over-read), and every single-octet
 * mutation must give a dropped value or clean text; random documents
 * likewise.  Encoding is checked byte for byte and by round trip.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wspgw/wsp.h"
#include "wsp_test.h"

#define DECL "<?xml version=\"1.0\"?>"
#define HW "HardwarePlatform"
#define SCHEMA "http://www.wapforum.org/profiles/UAPROF/ccppschema-20010430#"

/* ---- decode: WBXML document (hex) -> value, or NULL = dropped ---- */

struct dvec {
    const char *name;
    const char *doc;
    const char *text;
};

static const struct dvec dvecs[] = {
    { "tokens, attribute, page switch",
        "03 01 6A 00 45 C6 05 03 '" HW "' 00 01 00 01 4F 03 'Yes' 00 01 01"
        " 01",
        DECL "<rdf:RDF><rdf:Description ID=\"" HW "\"><prf:ColorCapable>"
        "Yes</prf:ColorCapable></rdf:Description></rdf:RDF>" },
    { "empty root", "03 01 6A 00 05", DECL "<rdf:RDF/>" },
    { "WBXML 1.1, ISO-8859-1 (WAP-248 9.2.2.2 example header)",
        "01 05 04 00 05", DECL "<rdf:RDF/>" },
    { "literal tag and STR_T",
        "03 01 6A 0C 'prf:Foo' 00 'a b' 00 45 44 00 83 08 01 01",
        DECL "<rdf:RDF><prf:Foo>a b</prf:Foo></rdf:RDF>" },
    { "literal attribute, LITERAL_AC",
        "03 01 6A 08 'x:a' 00 'x:b' 00 C4 00 04 04 03 'v' 00 01 03 't' 00"
        " 01",
        DECL "<x:a x:b=\"v\">t</x:a>" },
    { "LITERAL_A", "03 01 6A 06 'x:a' 00 'y' 00 84 00 04 04 01",
        DECL "<x:a y=\"\"/>" },
    { "attribute start with value prefix",
        "03 01 6A 00 45 86 00 01 11 01 01",
        DECL "<rdf:RDF><rdf:Description prf:ColorCapable=\"Yes\"/>"
        "</rdf:RDF>" },
    { "schema prefix and value continuation",
        "03 01 6A 00 00 01 86 00 01 06 01",
        DECL "<rdf:Description rdf:resource=\"" SCHEMA HW "\"/>" },
    { "attribute value tokens",
        "03 01 6A 00 86 0B 87 03 'example' 00 8B 03 'ua.xml' 00 01",
        DECL "<rdf:Description rdf:resource=\"http://www.example.com/"
        "ua.xml\"/>" },
    { "two attributes, value token Yes on page 2",
        "03 01 6A 00 86 05 03 'b' 00 00 02 19 03 'x' 00 00 01 78 85 01",
        DECL "<rdf:Description ID=\"b\" prf:BrowserName=\"x\" "
        "prf:CcppAccept-Charset=\"No\"/>" },
    { "bag of items, page 4 tag",
        "03 01 6A 00 00 04 52 00 00 48 4A 03 'text/plain' 00 01 4A 03"
        " 'image/gif' 00 01 01 01",
        DECL "<prf:CcppAccept><rdf:Bag><rdf:li>text/plain</rdf:li><rdf:li>"
        "image/gif</rdf:li></rdf:Bag></prf:CcppAccept>" },
    { "white space collapsed, not leading or trailing",
        "03 01 6A 00 45 00 01 5D 03 '  a ' 0D 0A 09 ' b  ' 00 01 03 ' ' 00"
        " 01",
        DECL "<rdf:RDF><prf:Vendor> a b </prf:Vendor> </rdf:RDF>" },
    { "escaping in text and attribute",
        "03 01 6A 00 C5 05 03 'a<b&\"c' 00 01 03 'a<b&\"c>' 00 01",
        DECL "<rdf:RDF ID=\"a&lt;b&amp;&quot;c\">a&lt;b&amp;\"c&gt;"
        "</rdf:RDF>" },
    { "UTF-8 as character references",
        "03 01 6A 00 45 03 'caf' C3 A9 ' ' E2 82 AC F0 9F 98 80 00 01",
        DECL "<rdf:RDF>caf&#xE9; &#x20AC;&#x1F600;</rdf:RDF>" },
    { "ISO-8859-1", "03 01 04 00 45 03 'caf' E9 00 01",
        DECL "<rdf:RDF>caf&#xE9;</rdf:RDF>" },
    { "ENTITY", "03 01 6A 00 45 02 81 20 02 0A 01",
        DECL "<rdf:RDF>&#xA0;&#xA;</rdf:RDF>" },
    { "DEL as a reference", "03 01 6A 00 45 03 'a' 7F 00 01",
        DECL "<rdf:RDF>a&#x7F;</rdf:RDF>" },
    { "public id as a string",
        "03 00 00 6A 05 '-//x' 00 05", DECL "<rdf:RDF/>" },
    { "page switch before the root", "03 01 6A 00 00 02 05",
        DECL "<rdf:Description/>" },
    /* Dropped (skipped, counted): cannot be rendered faithfully. */
    { "unknown tag token", "03 01 6A 00 45 3F 01", NULL },
    { "unknown code page", "03 01 6A 00 00 09 05", NULL },
    { "unknown attribute start", "03 01 6A 00 85 3F 01", NULL },
    { "unknown attribute value", "03 01 6A 00 85 05 9F 01", NULL },
    { "UCS-2 charset", "03 01 87 68 00 05", NULL },
    { "charset 0", "03 01 00 00 05", NULL },
    { "WBXML 1.0", "00 01 00 05", NULL },
    { "WBXML 2.0", "10 01 6A 00 05", NULL },
    { "OPAQUE content", "03 01 6A 00 45 C3 01 00 01", NULL },
    { "EXT_0 content", "03 01 6A 00 45 C0 01", NULL },
    { "EXT_I_0 in attribute", "03 01 6A 00 85 05 40 'x' 00 01", NULL },
    { "processing instruction", "03 01 6A 00 43 05 01 05", NULL },
    { "no root", "03 01 6A 00", NULL },
    { "root not closed", "03 01 6A 00 45", NULL },
    { "child not closed", "03 01 6A 00 45 46 01", NULL },
    { "END before any tag", "03 01 6A 00 01", NULL },
    { "second root", "03 01 6A 00 05 05", NULL },
    { "trailing octet", "03 01 6A 00 05 00", NULL },
    { "text outside the root", "03 01 6A 00 03 'x' 00 05", NULL },
    { "STR_I without NUL", "03 01 6A 00 45 03 'abc'", NULL },
    { "STR_T past the table", "03 01 6A 02 'a' 00 45 83 02 01", NULL },
    { "STR_T into an unterminated entry", "03 01 6A 02 'ab' 45 83 00 01",
        NULL },
    { "string table past the end", "03 01 6A 09 'abc' 00", NULL },
    { "public id index past the table", "03 00 05 6A 02 'a' 00 05", NULL },
    { "literal name not a name", "03 01 6A 04 'a b' 00 04 00", NULL },
    { "literal name empty", "03 01 6A 01 00 04 00", NULL },
    { "literal name non-ASCII", "03 01 6A 03 'a' E9 00 04 00", NULL },
    { "attribute value before a start", "03 01 6A 00 85 03 'x' 00 01",
        NULL },
    { "LITERAL_C in attribute list", "03 01 6A 02 'a' 00 85 44 00 01",
        NULL },
    { "bad UTF-8", "03 01 6A 00 45 03 C3 28 00 01", NULL },
    { "overlong UTF-8", "03 01 6A 00 45 03 C0 AF 00 01", NULL },
    { "UTF-8 surrogate", "03 01 6A 00 45 03 ED A0 80 00 01", NULL },
    { "8-bit octet in US-ASCII", "03 01 03 00 45 03 E9 00 01", NULL },
    { "control character", "03 01 6A 00 45 03 'a' 01 00 01", NULL },
    { "ENTITY zero", "03 01 6A 00 45 02 00 01", NULL },
    { "ENTITY surrogate", "03 01 6A 00 45 02 83 B0 00 01", NULL },
    { "ENTITY past Unicode", "03 01 6A 00 45 02 84 C4 80 00 01", NULL },
    { "bad uintvar", "03 80 80 80 80 80 01 6A 00 05", NULL },
    { "SWITCH_PAGE without page", "03 01 6A 00 00", NULL },
    { "empty document", "", NULL },
};

#define NDVEC (sizeof(dvecs) / sizeof(dvecs[0]))


/* B6 + Value-length + doc (doc_len octets) into out; returns length. */
static size_t
wrap(const uint8_t *doc, size_t doc_len, uint8_t *out, size_t max)
{
    size_t n = 0;

    ck_assert(doc_len + 8 <= max);
    out[n++] = 0xB6;
    if (doc_len < 31) {
        out[n++] = (uint8_t) doc_len;
    } else {
        uint8_t tmp[5];
        size_t k = 0, i;
        uint32_t v = (uint32_t) doc_len;

        out[n++] = 0x1F;
        do {
            tmp[k++] = (uint8_t) (v & 0x7f);
            v >>= 7;
        } while (v != 0);
        for (i = k; i > 0; i--) {
            out[n++] = (uint8_t) (tmp[i - 1] | (i > 1 ? 0x80 : 0));
        }
    }
    memcpy(out + n, doc, doc_len);
    return n + doc_len;
}


/*
 * Decodes the block in an exact-size copy.  Returns the value or NULL
 * (dropped); *skipped gets the count.  The rendered value is checked to
 * be one line of printable ASCII.
 */
static const char *
decode_copy(const uint8_t *blk, size_t n, struct wsp_hdrs *h,
    unsigned *skipped)
{
    uint8_t *copy = malloc(n == 0 ? 1 : n);
    const char *v, *p;
    int rc;

    memcpy(copy, blk, n);
    wsp_hdrs_reset(h);
    *skipped = 0;
    rc = wsp_hdrs_decode(copy, n, h, skipped);
    free(copy);
    ck_assert_msg(rc == 0, "rc %d", rc);
    if (h->n == 0) {
        ck_assert_uint_eq(*skipped, 1);
        return NULL;
    }
    ck_assert_uint_eq(h->n, 1);
    ck_assert_str_eq(wsp_hdrs_name(h, 0), "Profile-Diff");
    v = wsp_hdrs_value(h, 0);
    ck_assert_uint_le(strlen(v), WSP_PROFILE_DIFF_MAX);
    for (p = v; *p != '\0'; p++) {
        ck_assert_msg(*p >= 0x20 && *p < 0x7f, "octet %02x in [%s]",
            (unsigned) (uint8_t) *p, v);
    }
    ck_assert(v[0] != ' ' && v[strlen(v) - 1] != ' ');
    ck_assert(strstr(v, "  ") == NULL);
    return v;
}


START_TEST(test_decode)
{
    const struct dvec *d = &dvecs[_i];
    uint8_t doc[512], blk[520];
    size_t n = hex_parse(d->doc, doc, sizeof(doc));
    struct wsp_hdrs h;
    unsigned skipped;
    const char *v;

    wsp_hdrs_init(&h, 8192);
    n = wrap(doc, n, blk, sizeof(blk));
    v = decode_copy(blk, n, &h, &skipped);
    if (d->text == NULL) {
        ck_assert_msg(v == NULL, "%s: rendered [%s]", d->name, v);
    } else {
        ck_assert_msg(v != NULL, "%s: dropped", d->name);
        ck_assert_msg(strcmp(v, d->text) == 0, "%s: got [%s] want [%s]",
            d->name, v, d->text);
        ck_assert_uint_eq(skipped, 0);
    }
    wsp_hdrs_free(&h);
}
END_TEST


/*
 * Every strict prefix of a good document, in a correct Value-length:
 * dropped, never rendered, never an over-read.  And the whole block cut
 * at every offset: an error or the headers before it, never a crash.
 */
START_TEST(test_truncation)
{
    const struct dvec *d = &dvecs[_i];
    uint8_t doc[512], blk[520], *copy;
    size_t n = hex_parse(d->doc, doc, sizeof(doc)), bn, k;
    struct wsp_hdrs h;
    unsigned skipped;
    int rc;

    wsp_hdrs_init(&h, 8192);
    for (k = 0; k < n; k++) {
        bn = wrap(doc, k, blk, sizeof(blk));
        if (d->text != NULL) {
            ck_assert_msg(decode_copy(blk, bn, &h, &skipped) == NULL,
                "%s: prefix %zu rendered", d->name, k);
        } else {
            (void) decode_copy(blk, bn, &h, &skipped);
        }
    }
    bn = wrap(doc, n, blk, sizeof(blk));
    for (k = 0; k < bn; k++) {
        copy = malloc(k == 0 ? 1 : k);
        memcpy(copy, blk, k);
        wsp_hdrs_reset(&h);
        rc = wsp_hdrs_decode(copy, k, &h, NULL);
        ck_assert(rc == 0 || rc == WSPGW_ETRUNC || rc == WSPGW_EPROTO);
        ck_assert_uint_eq(h.n, 0);
        free(copy);
    }
    wsp_hdrs_free(&h);
}
END_TEST


/* Every octet of every good document set to every value. */
START_TEST(test_mutation)
{
    uint8_t doc[512], blk[520];
    size_t d, n, k, bn;
    struct wsp_hdrs h;
    unsigned skipped, b;

    wsp_hdrs_init(&h, 8192);
    for (d = 0; d < NDVEC; d++) {
        if (dvecs[d].text == NULL) {
            continue;
        }
        n = hex_parse(dvecs[d].doc, doc, sizeof(doc));
        for (k = 0; k < n; k++) {
            uint8_t keep = doc[k];

            for (b = 0; b < 256; b++) {
                doc[k] = (uint8_t) b;
                bn = wrap(doc, n, blk, sizeof(blk));
                (void) decode_copy(blk, bn, &h, &skipped);
            }
            doc[k] = keep;
        }
    }
    wsp_hdrs_free(&h);
}
END_TEST


/* Random documents with a plausible header, tokens biased to globals. */
START_TEST(test_garbage)
{
    uint32_t seed = 0xB1A5ED;
    uint8_t doc[96], blk[104];
    size_t n, i, bn;
    struct wsp_hdrs h;
    unsigned skipped, round;

    wsp_hdrs_init(&h, 8192);
    for (round = 0; round < 50000; round++) {
        n = 4 + xorshift32(&seed) % 60;
        doc[0] = 0x03;
        doc[1] = 0x01;
        doc[2] = round % 3 == 0 ? 0x04 : 0x6A;
        doc[3] = (uint8_t) (xorshift32(&seed) % 6);
        for (i = 4; i < n; i++) {
            uint32_t r = xorshift32(&seed);

            switch (r & 7) {
            case 0:
                doc[i] = (uint8_t) ((r >> 8) % 5);          /* globals */
                break;
            case 1:
                doc[i] = (uint8_t) (0x05 + (r >> 8) % 0x3a);
                break;
            case 2:
                doc[i] = (uint8_t) (0x45 + (r >> 8) % 0x3a);
                break;
            case 3:
                doc[i] = (uint8_t) (0x85 + (r >> 8) % 0x3a);
                break;
            case 4:
                doc[i] = (uint8_t) (0xC5 + (r >> 8) % 0x3a);
                break;
            case 5:
                doc[i] = (uint8_t) ('a' + (r >> 8) % 26);
                break;
            default:
                doc[i] = (uint8_t) (r >> 8);
                break;
            }
        }
        bn = wrap(doc, n, blk, sizeof(blk));
        (void) decode_copy(blk, bn, &h, &skipped);
    }
    wsp_hdrs_free(&h);
}
END_TEST


/* Deep nesting: 32 levels render, 33 are dropped. */
START_TEST(test_depth_and_cap)
{
    uint8_t doc[8192], blk[8200];
    size_t n, i, bn;
    struct wsp_hdrs h;
    unsigned skipped;
    const char *v;
    int depth;

    wsp_hdrs_init(&h, 1 << 16);
    for (depth = 32; depth <= 33; depth++) {
        n = 0;
        doc[n++] = 0x03;
        doc[n++] = 0x01;
        doc[n++] = 0x6A;
        doc[n++] = 0x00;
        for (i = 0; i < (size_t) depth; i++) {
            doc[n++] = 0x48;                /* rdf:Bag with content */
        }
        for (i = 0; i < (size_t) depth; i++) {
            doc[n++] = 0x01;
        }
        bn = wrap(doc, n, blk, sizeof(blk));
        v = decode_copy(blk, bn, &h, &skipped);
        ck_assert(depth == 32 ? v != NULL : v == NULL);
    }
    /* Text that renders to WSP_PROFILE_DIFF_MAX + 1 octets: dropped. */
    for (i = 0; i < 2; i++) {
        size_t room = WSP_PROFILE_DIFF_MAX - strlen(DECL "<rdf:RDF>"
            "</rdf:RDF>") + i, k;

        n = 0;
        doc[n++] = 0x03;
        doc[n++] = 0x01;
        doc[n++] = 0x6A;
        doc[n++] = 0x00;
        doc[n++] = 0x45;
        doc[n++] = 0x03;
        for (k = 0; k < room; k++) {
            doc[n++] = 'x';
        }
        doc[n++] = 0x00;
        doc[n++] = 0x01;
        bn = wrap(doc, n, blk, sizeof(blk));
        v = decode_copy(blk, bn, &h, &skipped);
        ck_assert(i == 0 ? v != NULL && strlen(v) == WSP_PROFILE_DIFF_MAX
            : v == NULL);
    }
    wsp_hdrs_free(&h);
}
END_TEST


/* ---- encode: text -> WBXML, byte for byte ---- */

struct evec {
    const char *text;
    const char *hex;            /* whole field; NULL: sent as text */
};

static const struct evec evecs[] = {
    { DECL "<rdf:RDF/>", "B6 05 03 01 6A 00 05" },
    { "<rdf:RDF/>", "B6 05 03 01 6A 00 05" },
    { DECL "<rdf:RDF><rdf:Description ID=\"" HW "\"><prf:ColorCapable>"
        "Yes</prf:ColorCapable></rdf:Description></rdf:RDF>",
        "B6 1F 25 03 01 6A 00 45 C6 05 03 '" HW "' 00 01 00 01 4F 03 'Yes'"
        " 00 01 01 01" },
    { DECL "<rdf:Description prf:ColorCapable=\"Yes\"/>",
        "B6 09 03 01 6A 00 86 00 01 11 01" },
    { DECL "<rdf:Description rdf:resource=\"" SCHEMA "BrowserUA\"/>",
        "B6 09 03 01 6A 00 86 00 01 0A 01" },
    { DECL "<x:a x:b=\"v\">t</x:a>",
        "B6 18 03 01 6A 08 'x:a' 00 'x:b' 00 C4 00 04 04 03 'v' 00 01 03"
        " 't' 00 01" },
    { DECL "<rdf:RDF>caf&#xE9; &amp;&lt;&gt;&quot;&apos;</rdf:RDF>",
        "B6 16 03 01 6A 00 45 03 'caf' 00 02 81 69 03 ' &<>\"' 27 00 01" },
    { DECL "<rdf:RDF>&#10;</rdf:RDF>", "B6 08 03 01 6A 00 45 02 0A 01" },
    /* Not the normalised form: sent as an application header. */
    { DECL "<a>", NULL },
    { DECL "<a></b>", NULL },
    { DECL "<a/><b/>", NULL },
    { DECL "text", NULL },
    { DECL "<a>x &nbsp; y</a>", NULL },
    { DECL "<a>&#0;</a>", NULL },
    { DECL "<a>&#xD800;</a>", NULL },
    { DECL "<a b=c/>", NULL },
    { DECL "<a b=\"c/>", NULL },
    { DECL "<!-- c --><a/>", NULL },
    { DECL "<a>caf\xc3\xa9</a>", NULL },
    { "", NULL },
};

#define NEVEC (sizeof(evecs) / sizeof(evecs[0]))


START_TEST(test_encode)
{
    const struct evec *e = &evecs[_i];
    uint8_t want[512];
    char got[2048], exp[2048];
    size_t n;
    struct wspgw_buf b;

    wspgw_buf_init(&b, 8192);
    ck_assert_int_eq(wsp_hdr_encode("Profile-Diff", e->text, WSP_ENC_1_2,
        &b), 0);
    if (e->hex == NULL) {
        ck_assert_msg(b.len > 0 && b.data[0] == 'P', "%s: encoded as %s",
            e->text, hex_str(b.data, b.len, got, sizeof(got)));
    } else {
        n = hex_parse(e->hex, want, sizeof(want));
        ck_assert_msg(b.len == n && memcmp(b.data, want, n) == 0,
            "%s: got [%s] want [%s]", e->text,
            hex_str(b.data, b.len, got, sizeof(got)),
            hex_str(want, n, exp, sizeof(exp)));
    }
    /* Profile-Diff is 1.2: at 1.1 it is always text. */
    wspgw_buf_reset(&b);
    ck_assert_int_eq(wsp_hdr_encode("Profile-Diff", e->text, WSP_ENC_1_1,
        &b), 0);
    ck_assert(b.data[0] == 'P');
    wspgw_buf_free(&b);
}
END_TEST


/* decode(encode(x)) == x for the normalised form; and every good
 * decoded vector re-encodes to a document that decodes the same. */
START_TEST(test_round_trip)
{
    static const char *const texts[] = {
        DECL "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax"
        "-ns#\" xmlns:prf=\"" SCHEMA "\"><rdf:Description ID=\"Profile\">"
        "<prf:component><rdf:Description ID=\"" HW "\"><rdf:type "
        "rdf:resource=\"" SCHEMA HW "\"/><prf:ScreenSize>128x160"
        "</prf:ScreenSize><prf:ColorCapable>Yes</prf:ColorCapable>"
        "</rdf:Description></prf:component></rdf:Description></rdf:RDF>",
        DECL "<rdf:RDF><rdf:Description ID=\"BrowserUA\"><prf:CcppAccept>"
        "<rdf:Bag><rdf:li>image/png</rdf:li><rdf:li>text/html</rdf:li>"
        "</rdf:Bag></prf:CcppAccept><prf:TablesCapable>No"
        "</prf:TablesCapable><prf:HtmlVersion>4.0</prf:HtmlVersion>"
        "</rdf:Description></rdf:RDF>",
        DECL "<rdf:Description prf:JavaScriptEnabled=\"Yes\" "
        "prf:HtmlVersion=\"3.2\" prf:Push-MsgSize=\"1400\"/>",
        DECL "<rdf:RDF><x:vendor x:y=\"1 &amp; 2\">a &lt;b&gt; "
        "&#xE9;&#x1F600;</x:vendor><x:vendor/></rdf:RDF>",
        DECL "<rdf:RDF> <prf:Vendor>Nokia</prf:Vendor> </rdf:RDF>",
    };
    struct wspgw_buf b;
    struct wsp_hdrs h;
    uint8_t doc[512], blk[520];
    unsigned skipped;
    size_t i, n;
    const char *v;
    char again[8192];

    wspgw_buf_init(&b, 8192);
    wsp_hdrs_init(&h, 16384);
    for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        wspgw_buf_reset(&b);
        ck_assert_int_eq(wsp_hdr_encode("Profile-Diff", texts[i],
            WSP_ENC_1_4, &b), 0);
        ck_assert_msg(b.data[0] == 0xB6, "%s: not encoded", texts[i]);
        v = decode_copy(b.data, b.len, &h, &skipped);
        ck_assert_msg(v != NULL && strcmp(v, texts[i]) == 0,
            "got [%s] want [%s]", v, texts[i]);
    }
    for (i = 0; i < NDVEC; i++) {
        if (dvecs[i].text == NULL) {
            continue;
        }
        n = hex_parse(dvecs[i].doc, doc, sizeof(doc));
        n = wrap(doc, n, blk, sizeof(blk));
        v = decode_copy(blk, n, &h, &skipped);
        ck_assert(strlen(v) < sizeof(again));
        strcpy(again, v);
        wspgw_buf_reset(&b);
        ck_assert_int_eq(wsp_hdr_encode("Profile-Diff", again, WSP_ENC_1_4,
            &b), 0);
        ck_assert_msg(b.data[0] == 0xB6, "%s: not encoded", again);
        v = decode_copy(b.data, b.len, &h, &skipped);
        ck_assert_msg(v != NULL && strcmp(v, again) == 0,
            "%s: got [%s] want [%s]", dvecs[i].name, v, again);
    }
    wsp_hdrs_free(&h);
    wspgw_buf_free(&b);
}
END_TEST


/* Random near-XML text: encodes (as WBXML or text) and decodes. */
START_TEST(test_garbage_encode)
{
    static const char *const parts[] = {
        "<", ">", "/", "</", "/>", "rdf:RDF", "prf:Vendor", "x:y", " ",
        "=\"", "\"", "a", "&amp;", "&#xE9;", "&#10;", "ID", "&", "'",
        "rdf:resource", "http://www.", "Yes", DECL,
    };
    uint32_t seed = 4242;
    struct wspgw_buf b;
    struct wsp_hdrs h;
    char text[256];
    unsigned round, k, np;
    int rc;

    wspgw_buf_init(&b, 8192);
    wsp_hdrs_init(&h, 16384);
    for (round = 0; round < 20000; round++) {
        text[0] = '\0';
        np = xorshift32(&seed) % 12;
        for (k = 0; k < np; k++) {
            strcat(text, parts[xorshift32(&seed)
                % (sizeof(parts) / sizeof(parts[0]))]);
        }
        wspgw_buf_reset(&b);
        rc = wsp_hdr_encode("Profile-Diff", text, WSP_ENC_1_4, &b);
        ck_assert_int_eq(rc, 0);
        wsp_hdrs_reset(&h);
        ck_assert_int_eq(wsp_hdrs_decode(b.data, b.len, &h, NULL), 0);
        ck_assert_uint_eq(h.n, 1);
    }
    wsp_hdrs_free(&h);
    wspgw_buf_free(&b);
}
END_TEST


START_TEST(test_encode_oom)
{
    struct wspgw_buf b;
    long k;
    int rc;

    for (k = 0;; k++) {
        wspgw_buf_init(&b, 8192);
        wspgw_alloc_fail_after(k);
        rc = wsp_hdr_encode("Profile-Diff", evecs[2].text, WSP_ENC_1_4, &b);
        wspgw_alloc_fail_after(-1);
        if (rc == 0) {
            ck_assert_uint_eq(b.data[0], 0xB6);
            wspgw_buf_free(&b);
            break;
        }
        ck_assert_int_eq(rc, WSPGW_ENOMEM);
        ck_assert_uint_eq(b.len, 0);
        wspgw_buf_free(&b);
    }
    ck_assert_int_ge(k, 2);
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("wsp_hdr_wbxml");
    TCase *tc = tcase_create("profile_diff");

    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_decode, 0, NDVEC);
    tcase_add_loop_test(tc, test_truncation, 0, NDVEC);
    tcase_add_test(tc, test_mutation);
    tcase_add_test(tc, test_garbage);
    tcase_add_test(tc, test_depth_and_cap);
    tcase_add_loop_test(tc, test_encode, 0, NEVEC);
    tcase_add_test(tc, test_round_trip);
    tcase_add_test(tc, test_garbage_encode);
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
