/*
 * tests/unit/gateway/test_wbxml.c - the XML to WBXML compiler
 * (gateway/wbxml.c): named vectors with exact expected octets, errors
 * with their one-line reasons, caps, truncation at every offset, garbage
 * and an allocation-failure loop.
 *
 * Where the expected octets come from: each vector's output was decoded
 * by two decoders that share no code with the compiler's choices here:
 * tshark 4.0's WBXML dissector (the octets as the body of a WSP Reply
 * with content type 0x14/0x2E/0x30 in a pcap, `tshark -O wbxml`; the
 * rendering matched the source element by element, dates included) and
 * wbxml2xml (libwbxml2-utils).  The SI and SL vectors are also the
 * octets of ../shared/reference/push.md section 8, which were checked
 * against Kannel's compilers and tshark independently.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wbxml.h"

struct vec {
    const char *name;
    enum gw_wbxml_lang lang;
    const char *xml;
    const char *hex;            /* expected WBXML */
};

/* WML 1.1 with a string table (a string used twice), an &nbsp; (the
 * rewritten DOCTYPE declares it) and an href split by attribute value
 * tokens ("http://" attrStart, ".com/" value). */
#define DECK11_BODY                                                        \
    "<wml><card id=\"main\" title=\"Hello\"><p>Hello &amp; world&nbsp;x "  \
    "<a href=\"http://example.com/next\">next</a></p></card></wml>\n"
#define DECK11_HEX                                                         \
    "01046a0648656c6c6f007fe755036d61696e003683000160830003202620776f72"   \
    "6c64c2a0782000dc4b036578616d706c650085036e6578740001036e6578740001"   \
    "010101"

/* WML 1.3: do/go/postfield, input, select/option, br, a character
 * reference and &nbsp;; the DOCTYPE spans two lines. */
#define DECK13                                                             \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                         \
    "<!DOCTYPE wml PUBLIC \"-//WAPFORUM//DTD WML 1.3//EN\"\n"              \
    "  \"http://www.wapforum.org/DTD/wml13.dtd\">\n"                       \
    "<wml><card id=\"c1\" title=\"Menu\"><do type=\"accept\" label=\"Go\">" \
    "<go href=\"/search\" method=\"post\"><postfield name=\"q\" "          \
    "value=\"x\"/></go></do><p>Search: <input name=\"q\" size=\"10\"/>"    \
    "<select name=\"s\"><option value=\"1\">One</option><option "          \
    "value=\"2\">Two</option></select><br/>caf&#233; &nbsp;end</p>"        \
    "</card></wml>\n"
#define DECK13_HEX                                                         \
    "030a6a007fe7550363310036034d656e750001e8381803476f0001eb4a032f7365"   \
    "61726368001c01a1210371004d03780001010160035365617263683a2000af2103"   \
    "7100310331300001f72103730001f54d03310001034f6e650001f54d0332000103"   \
    "54776f0001012603636166c3a920c2a0656e6400010101"

/* WML 1.2 in ISO-8859-1 with an internal subset of its own, a comment
 * before the root, and white space between inline elements kept. */
#define DECK12                                                             \
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"                    \
    "<!DOCTYPE wml PUBLIC '-//WAPFORUM//DTD WML 1.2//EN' "                 \
    "'http://www.wapforum.org/DTD/wml12.dtd' [\n"                          \
    "<!ENTITY copy \"&#169;\">\n"                                          \
    "]>\n"                                                                 \
    "<!-- a comment -->\n"                                                 \
    "<wml><card><p>&copy; gr\xfc" "e &#xe9;<b>x</b> <i>y</i></p></card>"   \
    "</wml>\n"
#define DECK12_HEX                                                         \
    "02096a007f676003c2a9206772c3bc6520c3a90064037800010320006d03790001"   \
    "010101"

#define SI_DOC                                                             \
    "<?xml version=\"1.0\"?>\n"                                            \
    "<!DOCTYPE si PUBLIC \"-//WAPFORUM//DTD SI 1.0//EN\" "                 \
    "\"http://www.wapforum.org/DTD/si.dtd\">\n"                            \
    "<si><indication href=\"http://www.example.com/inbox\" si-id=\"msg-1\"" \
    " created=\"2025-01-01T12:00:00Z\" si-expires=\"2025-02-01T00:00:00Z\"" \
    " action=\"signal-high\">You have mail</indication></si>\n"
static const char si_hex[] =
    "02056a0045c60d036578616d706c6500"  /* header, <si>, <indication */
    "8503696e626f7800"                  /* .com/ "inbox" */
    "11036d73672d3100"                  /* si-id="msg-1" */
    "0ac3052025010112"                  /* created=2025-01-01T12 */
    "10c30420250201"                    /* si-expires=2025-02-01 */
    "08"                                /* action="signal-high" */
    "0103596f752068617665206d61696c00"  /* > "You have mail" */
    "0101";

/* Indentation inside element-only content (wml, card, do, select) is
 * dropped; text in p and option is kept with its spaces; variables
 * become EXT_I_2 (none/n), EXT_I_0 (escape), EXT_I_1 (unesc); "$$" is a
 * "$"; a "$" that starts no valid reference stays text.  tshark shows
 * "Variable substitution - escaped: 'q'" etc. for these octets. */
#define DECKVAR                                                            \
    "<?xml version=\"1.0\"?>\n"                                            \
    "<!DOCTYPE wml PUBLIC \"-//WAPFORUM//DTD WML 1.1//EN\" "               \
    "\"http://www.wapforum.org/DTD/wml_1_1.dtd\">\n"                       \
    "<wml>\n"                                                              \
    "  <card id=\"main\" title=\"Hi $(user)\">\n"                          \
    "    <do type=\"accept\">\n"                                           \
    "      <go href=\"/s?q=$(q:escape)&amp;r=$r\"/>\n"                     \
    "    </do>\n"                                                          \
    "    <p>Cost: $$5 for $(name:n) $(x:unesc) $ 5 $(bad:zz) one "         \
    "<b>two</b> three</p>\n"                                               \
    "    <select name=\"s\">\n"                                            \
    "      <option value=\"1\">One</option>\n"                             \
    "    </select>\n"                                                      \
    "  </card>\n"                                                          \
    "</wml>\n"
#define DECKVAR_HEX                                                        \
    "01046a007fe755036d61696e0036034869200042757365720001e83801ab4a032f73" \
    "3f713d004071000326723d0042720001016003436f73743a202400033520666f7220" \
    "00426e616d650003200041780003202420352024286261643a7a7a29206f6e652000" \
    "640374776f0001032074687265650001f72103730001f54d03310001034f6e650001" \
    "010101"

static const struct vec vecs[] = {
    { "WML 1.1 declared", GW_WBXML_WML,
      "<?xml version=\"1.0\"?>\n<!DOCTYPE wml PUBLIC \"-//WAPFORUM//DTD "
      "WML 1.1//EN\" \"http://www.wapforum.org/DTD/wml_1_1.dtd\">\n"
      DECK11_BODY, DECK11_HEX },
    { "WML without DOCTYPE is compiled as WML 1.1", GW_WBXML_WML,
      "<?xml version=\"1.0\"?>\n" DECK11_BODY, DECK11_HEX },
    { "WML without XML declaration", GW_WBXML_WML, DECK11_BODY,
      DECK11_HEX },
    { "WML with a UTF-8 BOM", GW_WBXML_WML, "\xEF\xBB\xBF" DECK11_BODY,
      DECK11_HEX },
    { "WML 1.0 is compiled as WML 1.1", GW_WBXML_WML,
      "<!DOCTYPE wml PUBLIC \"-//WAPFORUM//DTD WML 1.0//EN\" "
      "\"http://www.wapforum.org/DTD/wml.xml\">" DECK11_BODY, DECK11_HEX },
    { "WML public id in lower case", GW_WBXML_WML,
      "<!DOCTYPE wml PUBLIC \"-//wapforum//dtd wml 1.1//en\" "
      "\"x.dtd\">" DECK11_BODY, DECK11_HEX },
    { "WML SYSTEM DOCTYPE", GW_WBXML_WML,
      "<!DOCTYPE wml SYSTEM \"wml.dtd\">" DECK11_BODY, DECK11_HEX },
    { "WML 1.3", GW_WBXML_WML, DECK13, DECK13_HEX },
    { "WML 1.2, ISO-8859-1, own subset", GW_WBXML_WML, DECK12, DECK12_HEX },
    { "WML 1.2 in windows-1252 (iconv)", GW_WBXML_WML,
      "<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n"
      "<!DOCTYPE wml PUBLIC \"-//WAPFORUM//DTD WML 1.2//EN\" \"x\">"
      "<wml><card><p>\x80</p></card></wml>",
      "02096a007f676003e282ac00010101" },
    { "WML variables and indentation", GW_WBXML_WML, DECKVAR, DECKVAR_HEX },
    { "WML variable in a string-table string (STR_T inlined)",
      GW_WBXML_WML,
      "<wml><card title=\"Hello $(who)\"><p>Hello $(who)</p></card></wml>",
      "01046a0d48656c6c6f20242877686f29007fe7360348656c6c6f20004277686f00"
      "01600348656c6c6f20004277686f00010101" },
    { "WML short variable", GW_WBXML_WML,
      "<wml><card title=\"$a\"><p>$a</p></card></wml>",
      "01046a007fe7364261000160426100010101" },
    { "SI (push.md section 8)", GW_WBXML_SI, SI_DOC, NULL },
    { "SI without DOCTYPE", GW_WBXML_SI,
      "<si><indication href=\"http://www.example.com/inbox\" si-id=\"msg-1\""
      " created=\"2025-01-01T12:00:00Z\" si-expires=\"2025-02-01T00:00:00Z\""
      " action=\"signal-high\">You have mail</indication></si>", NULL },
    { "SL (push.md section 8)", GW_WBXML_SL,
      "<?xml version=\"1.0\"?>\n<!DOCTYPE sl PUBLIC \"-//WAPFORUM//DTD SL "
      "1.0//EN\" \"http://www.wapforum.org/DTD/sl.dtd\">\n"
      "<sl href=\"https://www.example.com/x\" action=\"execute-high\"/>",
      "02066a00850c036578616d706c650085037800" "0601" },
};


static size_t
unhex(const char *hex, uint8_t *out, size_t max)
{
    size_t n = 0;
    unsigned v;

    while (hex[0] != '\0' && hex[1] != '\0' && n < max) {
        ck_assert_int_eq(sscanf(hex, "%2x", &v), 1);
        out[n++] = (uint8_t)v;
        hex += 2;
    }
    ck_assert_msg(hex[0] == '\0', "odd hex length");
    return n;
}


static int
compile(enum gw_wbxml_lang lang, const char *xml, size_t len,
    struct wspgw_buf *out, char *err, size_t errlen)
{
    return gw_wbxml_compile(lang, (const uint8_t *)xml, len, out, err,
        errlen);
}


static void
expect_hex(const struct wspgw_buf *out, const char *hex, const char *name)
{
    uint8_t want[4096];
    size_t n = unhex(hex, want, sizeof(want)), i;
    char got[8192];

    for (i = 0; i < out->len && i < 4000; i++) {
        snprintf(got + 2 * i, 3, "%02x", out->data[i]);
    }
    got[2 * i] = '\0';
    ck_assert_msg(out->len == n && memcmp(out->data, want, n) == 0,
        "%s: got %s, want %s", name, got, hex);
}


START_TEST(test_vectors)
{
    const struct vec *v = &vecs[_i];
    struct wspgw_buf out;
    char err[160];
    int rc;

    wspgw_buf_init(&out, 65536);
    rc = compile(v->lang, v->xml, strlen(v->xml), &out, err, sizeof(err));
    ck_assert_msg(rc == 0, "%s: rc %d (%s)", v->name, rc, err);
    expect_hex(&out, v->hex != NULL ? v->hex : si_hex, v->name);
    wspgw_buf_free(&out);
}
END_TEST


/* The same deck in UTF-16 (both byte orders, with a BOM and without)
 * compiles to the same octets as in UTF-8. */
START_TEST(test_utf16)
{
    static const char *body = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>"
        "\n" DECK11_BODY;
    uint8_t in[1024];
    struct wspgw_buf out;
    char err[160];
    size_t n, i, k;
    int le, bom;

    for (k = 0; k < 4; k++) {
        le = (int)(k & 1);
        bom = (int)(k >> 1);
        n = 0;
        if (bom) {
            in[n++] = le ? 0xFF : 0xFE;
            in[n++] = le ? 0xFE : 0xFF;
        }
        /* DECK11_BODY is ASCII except &nbsp; (an entity, ASCII too). */
        for (i = 0; body[i] != '\0'; i++) {
            in[n++] = le ? (uint8_t)body[i] : 0;
            in[n++] = le ? 0 : (uint8_t)body[i];
        }
        wspgw_buf_init(&out, 65536);
        ck_assert_msg(gw_wbxml_compile(GW_WBXML_WML, in, n, &out, err,
            sizeof(err)) == 0, "utf-16 le=%d bom=%d: %s", le, bom, err);
        expect_hex(&out, DECK11_HEX, "utf-16");
        wspgw_buf_free(&out);
    }
}
END_TEST


struct bad {
    const char *name;
    enum gw_wbxml_lang lang;
    const char *xml;
    int rc;
    const char *reason;         /* substring of the one-line reason */
};

static const struct bad bads[] = {
    { "empty", GW_WBXML_WML, "", WSPGW_EPROTO, "empty document" },
    { "not XML", GW_WBXML_WML, "hello", WSPGW_EPROTO,
      "XML error at line 1, column 1: syntax error" },
    { "mismatched tag, line kept across our DOCTYPE", GW_WBXML_WML,
      "<?xml version=\"1.0\"?>\n<wml>\n<card><p>x</b></card></wml>",
      WSPGW_EPROTO, "XML error at line 3, column 13: mismatched tag" },
    { "mismatched tag after a two-line DOCTYPE", GW_WBXML_WML,
      "<!DOCTYPE wml PUBLIC \"-//WAPFORUM//DTD WML 1.3//EN\"\n"
      " \"http://www.wapforum.org/DTD/wml13.dtd\">\n<wml><card><p>x</i>"
      "</p></card></wml>", WSPGW_EPROTO,
      "XML error at line 3, column 18: mismatched tag" },
    { "unclosed", GW_WBXML_WML, "<wml><card>", WSPGW_EPROTO,
      "XML error at line 1, column 12: no element found" },
    { "undefined entity", GW_WBXML_WML,
      "<wml>\n<card><p>gr&uuml;n</p></card></wml>", WSPGW_EPROTO,
      "undefined entity &uuml; at line 2, column 12" },
    { "unknown charset", GW_WBXML_WML,
      "<?xml version=\"1.0\" encoding=\"x-nothing\"?><wml/>", WSPGW_EPROTO,
      "unsupported charset \"x-nothing\"" },
    { "invalid UTF-8", GW_WBXML_WML, "<wml><card><p>\xC3(</p></card></wml>",
      WSPGW_EPROTO, "not well-formed" },
    { "HTML is not WML", GW_WBXML_WML,
      "<html><body>hi</body></html>", WSPGW_EPROTO,
      "not WML: the root element is <html>, not <wml>" },
    { "WML is not SI", GW_WBXML_SI, DECK11_BODY, WSPGW_EPROTO,
      "not SI: the root element is <wml>, not <si>" },
    { "SI is not SL", GW_WBXML_SL, SI_DOC, WSPGW_EPROTO,
      "not SL: the root element is <si>, not <sl>" },
    { "long root name cut", GW_WBXML_WML, "<abcdefghijklmnop/>",
      WSPGW_EPROTO, "<abcdefghij...>" },
    { "two DOCTYPEs", GW_WBXML_WML,
      "<!DOCTYPE wml SYSTEM \"a\"><!DOCTYPE wml SYSTEM \"a\"><wml/>",
      WSPGW_EPROTO, "XML error at line 1" },
    { "bad SI date", GW_WBXML_SI,
      "<si><indication created=\"yesterday\">x</indication></si>",
      WSPGW_EPROTO, "WBXML encoding failed" },
    { "billion laughs", GW_WBXML_WML,
      "<!DOCTYPE wml [<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">"
      "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
      "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
      "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
      "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
      "]><wml><card><p>&e;</p></card></wml>", WSPGW_EPROTO,
      "amplification" },
    { "text after the root", GW_WBXML_SL, "<sl href=\"x\"/>junk",
      WSPGW_EPROTO, "junk after document element" },
};


START_TEST(test_bad)
{
    const struct bad *b = &bads[_i];
    struct wspgw_buf out;
    char err[160];
    int rc;

    wspgw_buf_init(&out, 65536);
    rc = compile(b->lang, b->xml, strlen(b->xml), &out, err, sizeof(err));
    ck_assert_msg(rc == b->rc, "%s: rc %d want %d (%s)", b->name, rc,
        b->rc, err);
    ck_assert_msg(strstr(err, b->reason) != NULL, "%s: reason \"%s\"",
        b->name, err);
    ck_assert_msg(strchr(err, '\n') == NULL, "%s: reason not one line",
        b->name);
    ck_assert_uint_eq(out.len, 0);
    wspgw_buf_free(&out);
}
END_TEST


/* A NULL err is allowed, and a short one is cut, never overrun. */
START_TEST(test_err_buffer)
{
    struct wspgw_buf out;
    char err[8];

    wspgw_buf_init(&out, 65536);
    ck_assert_int_eq(compile(GW_WBXML_WML, "<html/>", 7, &out, NULL, 0),
        WSPGW_EPROTO);
    ck_assert_int_eq(compile(GW_WBXML_WML, "<html/>", 7, &out, err,
        sizeof(err)), WSPGW_EPROTO);
    ck_assert_str_eq(err, "not WML");
    ck_assert_int_eq(gw_wbxml_compile((enum gw_wbxml_lang)9,
        (const uint8_t *)"<wml/>", 6, &out, err, sizeof(err)),
        WSPGW_EINVAL);
    wspgw_buf_free(&out);
}
END_TEST


/* The output goes into the caller's capped buffer: too small a ceiling
 * is WSPGW_EMSGSIZE with the buffer unchanged; the input has its own. */
START_TEST(test_caps)
{
    struct wspgw_buf out;
    char err[160], *big;
    size_t n = 512 * 1024 + 1, i;

    wspgw_buf_init(&out, 20);
    ck_assert_int_eq(compile(GW_WBXML_WML, DECK11_BODY,
        strlen(DECK11_BODY), &out, err, sizeof(err)), WSPGW_EMSGSIZE);
    ck_assert_str_eq(err, "compiled document too large");
    ck_assert_uint_eq(out.len, 0);
    wspgw_buf_free(&out);

    /* Appending: what was in the buffer stays in front. */
    wspgw_buf_init(&out, 4096);
    ck_assert_int_eq(wspgw_buf_puts(&out, "AB"), 0);
    ck_assert_int_eq(compile(GW_WBXML_WML, DECK11_BODY,
        strlen(DECK11_BODY), &out, err, sizeof(err)), 0);
    ck_assert_int_eq(memcmp(out.data, "AB\x01\x04", 4), 0);
    wspgw_buf_free(&out);

    big = malloc(n);
    ck_assert_ptr_nonnull(big);
    memcpy(big, "<wml><card><p>", 14);
    for (i = 14; i < n; i++) {
        big[i] = 'x';
    }
    wspgw_buf_init(&out, 1 << 22);
    ck_assert_int_eq(compile(GW_WBXML_WML, big, n, &out, err, sizeof(err)),
        WSPGW_EMSGSIZE);
    ck_assert_str_eq(err, "document too large to compile");
    free(big);
    wspgw_buf_free(&out);
}
END_TEST


/* Every prefix of every good document: 0 or WSPGW_EPROTO with a reason,
 * never a crash or an over-read (the prefix is copied into a buffer of
 * exactly its length so ASan sees any read past it). */
START_TEST(test_truncated)
{
    const struct vec *v = &vecs[_i];
    size_t len = strlen(v->xml), k;
    struct wspgw_buf out;
    char err[160];
    uint8_t *p;
    int rc;

    for (k = 0; k < len; k++) {
        p = malloc(k ? k : 1);
        ck_assert_ptr_nonnull(p);
        memcpy(p, v->xml, k);
        wspgw_buf_init(&out, 65536);
        err[0] = 'x';
        rc = gw_wbxml_compile(v->lang, p, k, &out, err, sizeof(err));
        ck_assert_msg(rc == 0 || (rc == WSPGW_EPROTO && err[0] != '\0' &&
            out.len == 0), "%s cut at %zu: rc %d", v->name, k, rc);
        wspgw_buf_free(&out);
        free(p);
    }
}
END_TEST


/* Random octets and random mutations of a good deck. */
START_TEST(test_garbage)
{
    uint8_t buf[600];
    struct wspgw_buf out;
    char err[160];
    size_t n, i, len = strlen(DECK13);
    int round, rc;

    srand(4);
    for (round = 0; round < 400; round++) {
        if (round % 2 == 0) {
            n = (size_t)rand() % sizeof(buf);
            for (i = 0; i < n; i++) {
                buf[i] = (uint8_t)rand();
            }
            if (n > 0 && round % 4 == 0) {
                buf[0] = '<';
            }
        } else {
            n = len;
            memcpy(buf, DECK13, n);
            for (i = 0; i < 4; i++) {
                buf[(size_t)rand() % n] = (uint8_t)rand();
            }
        }
        wspgw_buf_init(&out, 65536);
        rc = gw_wbxml_compile(GW_WBXML_WML, buf, n, &out, err, sizeof(err));
        ck_assert_msg(rc == 0 || rc == WSPGW_EPROTO, "round %d: rc %d",
            round, rc);
        wspgw_buf_free(&out);
    }
}
END_TEST


/* Failing the Nth of our allocations gives WSPGW_ENOMEM (or, once the
 * compile needs fewer, success), never a crash or a leak (ASan). */
START_TEST(test_oom)
{
    struct wspgw_buf out;
    char err[160];
    long n;
    int rc = -1;

    for (n = 0; n < 50 && rc != 0; n++) {
        wspgw_buf_init(&out, 65536);
        wspgw_alloc_fail_after(n);
        rc = compile(GW_WBXML_WML, DECK12, strlen(DECK12), &out, err,
            sizeof(err));
        wspgw_alloc_fail_after(-1);
        ck_assert_msg(rc == 0 || rc == WSPGW_ENOMEM, "n %ld: rc %d", n, rc);
        if (rc == 0) {
            expect_hex(&out, DECK12_HEX, "after OOM loop");
        }
        wspgw_buf_free(&out);
    }
    ck_assert_int_eq(rc, 0);
}
END_TEST


START_TEST(test_types)
{
    ck_assert_int_eq(gw_wbxml_lang_of("text/vnd.wap.wml"), GW_WBXML_WML);
    ck_assert_int_eq(gw_wbxml_lang_of(" Text/VND.WAP.WML ; charset=utf-8"),
        GW_WBXML_WML);
    ck_assert_int_eq(gw_wbxml_lang_of("text/vnd.wap.si"), GW_WBXML_SI);
    ck_assert_int_eq(gw_wbxml_lang_of("text/vnd.wap.sl;charset=x"),
        GW_WBXML_SL);
    ck_assert_int_eq(gw_wbxml_lang_of("text/vnd.wap.wmls"), 0);
    ck_assert_int_eq(gw_wbxml_lang_of("text/vnd.wap.wm"), 0);
    ck_assert_int_eq(gw_wbxml_lang_of("application/vnd.wap.wmlc"), 0);
    ck_assert_int_eq(gw_wbxml_lang_of(""), 0);
    ck_assert_int_eq(gw_wbxml_lang_of(NULL), 0);
    ck_assert_str_eq(gw_wbxml_content_type(GW_WBXML_WML),
        "application/vnd.wap.wmlc");
    ck_assert_str_eq(gw_wbxml_content_type(GW_WBXML_SI),
        "application/vnd.wap.sic");
    ck_assert_str_eq(gw_wbxml_content_type(GW_WBXML_SL),
        "application/vnd.wap.slc");
    ck_assert_ptr_null(gw_wbxml_content_type((enum gw_wbxml_lang)0));
}
END_TEST


static Suite *
wbxml_suite(void)
{
    Suite *s = suite_create("wbxml");
    TCase *tc = tcase_create("core");
    int nv = (int)(sizeof(vecs) / sizeof(vecs[0]));

    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_vectors, 0, nv);
    tcase_add_test(tc, test_utf16);
    tcase_add_loop_test(tc, test_bad, 0,
        (int)(sizeof(bads) / sizeof(bads[0])));
    tcase_add_test(tc, test_err_buffer);
    tcase_add_test(tc, test_caps);
    tcase_add_loop_test(tc, test_truncated, 0, nv);
    tcase_add_test(tc, test_garbage);
    tcase_add_test(tc, test_oom);
    tcase_add_test(tc, test_types);
    suite_add_tcase(s, tc);
    return s;
}


int
main(void)
{
    SRunner *sr = srunner_create(wbxml_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
