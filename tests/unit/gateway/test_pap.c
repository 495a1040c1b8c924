/*
 * tests/unit/gateway/test_pap.c - PAP envelope, control entity, addresses
 * and answers (gateway/pap.c): Kannel test_ppg's exact requests, named
 * vectors for addresses, times and application ids, refusals with their
 * PAP codes, XXE and entity-expansion attempts, multipart edge cases and
 * truncation at every offset.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "wspgw/buf.h"
#include "wspgw/err.h"
#include "pap.h"

/* 2026-01-01T00:00:00Z: "now" for the tests. */
#define NOW_MS 1767225600000ULL

/* Kannel test_ppg, file mode: test/smstestppg.txt and test/si.txt as it
 * sends them (CRLF delimiters, LF inside the files, a leading CRLF, no
 * CRLF after the close delimiter). */
static const char ppg_ct[] = "multipart/related; boundary=asdlfkjiurwghasf; "
    "type=\"application/xml\"";
static const char ppg_body[] =
    "\r\n"
    "--asdlfkjiurwghasf\r\n"
    "Content-Type: application/xml\r\n"
    "\r\n"
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE pap PUBLIC \"-//WAPFORUM//DTD PAP//EN\"\n"
    "          \"http://www.wapforum.org/DTD/pap_1.0.dtd\">\n"
    "<pap>\n"
    "  <push-message push-id=\"9fjeo39jf084@pi.com\"\n"
    "  deliver-after-timestamp=\"2001-02-28T06:45:00Z\"\n"
    "  progress-notes-requested=\"false\">\n"
    "    <address address-value=\"WAPPUSH=+358408201681/TYPE=PLMN@ppg.carrier"
    ".com\">\n"
    "    </address>\n"
    "    <quality-of-service\n"
    "    priority=\"low\"\n"
    "    delivery-method=\"unconfirmed\"\n"
    "    network-required=\"true\"\n"
    "    network=\"gsm\"\n"
    "    bearer-required=\"true\"\n"
    "    bearer=\"sms\">\n"
    "    </quality-of-service>\n"
    "  </push-message>\n"
    "</pap>\n"
    "\r\n"
    "--asdlfkjiurwghasf\r\n"
    "X-WAP-Application-Id: http://www.wiral.com:wml.ua\r\n"
    "Content-Type: text/vnd.wap.si\r\n"
    "\r\n"
    "<?xml version=\"1.0\"?>\n"
    "<si><indication href=\"http://www.gni.ch\" si-id=\"1@gni.ch\" "
    "action=\"signal-high\">You have 4 new emails</indication></si>\n"
    "\r\n"
    "--asdlfkjiurwghasf--";

/* Kannel test_ppg -H (its hard-coded message, one line per document). */
static const char ppg_h_ct[] = "multipart/related; boundary=asdlfkjiurwgasf; "
    "type=\"application/xml\"";
static const char ppg_h_body[] =
    "\r\n\r\n"
    "--asdlfkjiurwgasf\r\n"
    "Content-Type: application/xml\r\n\r\n"
    "<?xml version=\"1.0\"?><!DOCTYPE pap PUBLIC \"-//WAPFORUM//DTD PAP//EN\" "
    "\"http://www.wapforum.org/DTD/pap_1.0.dtd\"><pap><push-message push-id="
    "\"9fjeo39jf084@pi.com\" deliver-before-timestamp=\"2002-11-01T06:45:00Z\" "
    "deliver-after-timestamp=\"2000-02-27T06:45:00Z\" progress-notes-requested"
    "=\"false\"><address address-value=\"WAPPUSH=+358408676001/TYPE=PLMN@ppg."
    "carrier.com\"></address><quality-of-service priority=\"low\" delivery-"
    "method=\"unconfirmed\" network-required=\"true\" network=\"GSM\" bearer-"
    "required=\"true\" bearer=\"SMS\"></quality-of-service></push-message>"
    "</pap>\r\n\r\n"
    "--asdlfkjiurwgasf\r\n"
    "Content-Type: text/vnd.wap.si\r\n\r\n"
    "<?xml version=\"1.0\"?><si><indication href=\"http://wap.iobox.fi\" "
    "si-id=\"1@wiral.com\">Want to test a fetch?</indication></si>\r\n\r\n"
    "--asdlfkjiurwgasf--\r\n\r\n";

static const char pap2_head[] = "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE pap PUBLIC \"-//WAPFORUM//DTD PAP 2.0//EN\" "
    "\"http://www.wapforum.org/DTD/pap_2.0.dtd\">\n";


static int
parse_str(const char *xml, struct gw_pap_msg *m, struct gw_pap_error *e)
{
    return gw_pap_parse((const uint8_t *) xml, strlen(xml), NOW_MS, m, e);
}


/* A PAP 2.0 document whose <pap> holds body. */
static const char *
doc2(const char *body)
{
    static char buf[8192];

    snprintf(buf, sizeof(buf), "%s<pap>%s</pap>", pap2_head, body);
    return buf;
}


START_TEST(test_kannel_file_mode)
{
    struct gw_pap_mime mm;
    struct gw_pap_msg m;
    struct gw_pap_error e;
    char why[200] = "";

    ck_assert_int_eq(gw_pap_mime_split(ppg_ct, (const uint8_t *) ppg_body,
        strlen(ppg_body), &mm, why, sizeof(why)), 0);
    ck_assert_uint_eq(mm.n_part, 2);
    ck_assert_str_eq(mm.part[0].content_type, "application/xml");
    ck_assert_str_eq(mm.part[1].content_type, "text/vnd.wap.si");
    ck_assert_str_eq(mm.part[1].app_id, "http://www.wiral.com:wml.ua");
    /* The CRLF before a delimiter belongs to the delimiter. */
    ck_assert_int_eq(mm.part[1].data[mm.part[1].len - 1], '\n');
    ck_assert_int_eq(mm.part[1].data[mm.part[1].len - 2], '>');
    ck_assert_int_eq(gw_pap_parse(mm.part[0].data, mm.part[0].len, NOW_MS,
        &m, &e), 0);
    ck_assert_int_eq(m.kind, GW_PAP_PUSH);
    ck_assert_int_eq(m.version, GW_PAP_V10);
    ck_assert_str_eq(m.push_id, "9fjeo39jf084@pi.com");
    ck_assert_int_eq(m.addr.type, GW_PUSH_PLMN);
    ck_assert_str_eq(m.addr.value, "+358408201681");
    ck_assert_str_eq(m.addr_text,
        "WAPPUSH=+358408201681/TYPE=PLMN@ppg.carrier.com");
    ck_assert_uint_eq(m.deliver_after_ms, 983342700000ULL);
    ck_assert_uint_eq(m.deliver_before_ms, 0);
    ck_assert_int_eq(m.delivery_method, GW_PAP_UNCONFIRMED);
    ck_assert_int_eq(m.bearer_required, 1);
    ck_assert_str_eq(m.bearer, "sms");
}
END_TEST


START_TEST(test_kannel_hardcoded)
{
    struct gw_pap_mime mm;
    struct gw_pap_msg m;
    struct gw_pap_error e;
    char why[200] = "";

    ck_assert_int_eq(gw_pap_mime_split(ppg_h_ct,
        (const uint8_t *) ppg_h_body, strlen(ppg_h_body), &mm, why,
        sizeof(why)), 0);
    ck_assert_uint_eq(mm.n_part, 2);
    ck_assert_str_eq(mm.part[1].app_id, "");
    /* Its deliver-before (2002) has passed: refused, but with its id. */
    ck_assert_int_eq(gw_pap_parse(mm.part[0].data, mm.part[0].len, NOW_MS,
        &m, &e), GW_PAP_BAD_REQUEST);
    ck_assert_int_eq(e.bad_message, 0);
    ck_assert_str_eq(m.push_id, "9fjeo39jf084@pi.com");
    ck_assert_ptr_nonnull(strstr(e.desc, "deliver-before"));
    /* In 2001 it was fine. */
    ck_assert_int_eq(gw_pap_parse(mm.part[0].data, mm.part[0].len,
        1000000000000ULL, &m, &e), 0);
    ck_assert_str_eq(m.addr.value, "+358408676001");
}
END_TEST


START_TEST(test_ipv4_csd)
{
    struct gw_pap_msg m;
    struct gw_pap_error e;

    ck_assert_int_eq(parse_str("<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE pap PUBLIC \"-//WAPFORUM//DTD PAP//EN\"\n"
        " \"http://www.wapforum.org/DTD/pap_1.0.dtd\">\n"
        "<pap><push-message push-id=\"9fjeo39jf084@pi.com\">"
        "<address address-value=\"WAPPUSH=213.243.140.102/TYPE=IPv4@ppg."
        "carrier.com\"></address><quality-of-service priority=\"low\" "
        "delivery-method=\"unconfirmed\" bearer-required=\"true\" "
        "bearer=\"CSD\" network-required=\"true\" network=\"GSM\">"
        "</quality-of-service></push-message></pap>", &m, &e), 0);
    ck_assert_int_eq(m.addr.type, GW_PUSH_IPV4);
    ck_assert_str_eq(m.addr.value, "213.243.140.102");
}
END_TEST


START_TEST(test_pap20_mms)
{
    struct gw_pap_msg m;
    struct gw_pap_error e;

    ck_assert_int_eq(parse_str(doc2(
        "<push-message push-id=\"mmsc-0001@mmsc.example.net\" "
        "deliver-before-timestamp=\"2026-01-02T00:00:00Z\" "
        "deliver-after-timestamp=\"2026-01-01T06:00:00Z\" "
        "ppg-notify-requested-to=\"http://127.0.0.1:9999/notify\" "
        "source-reference=\"mmsc\">\n"
        "  <address address-value=\"WAPPUSH=+15559990000/TYPE=PLMN@ppg."
        "example.net\"/>\n  <quality-of-service delivery-method="
        "\"preferconfirmed\" bearer=\"SMS\" bearer-required=\"true\"/>\n"
        "</push-message>"), &m, &e), 0);
    ck_assert_int_eq(m.version, GW_PAP_V20);
    ck_assert_uint_eq(m.deliver_before_ms, NOW_MS + 86400000ULL);
    ck_assert_uint_eq(m.deliver_after_ms, NOW_MS + 6 * 3600000ULL);
    ck_assert_str_eq(m.notify_to, "http://127.0.0.1:9999/notify");
    ck_assert_str_eq(m.source_reference, "mmsc");
    ck_assert_int_eq(m.delivery_method, GW_PAP_PREFERCONFIRMED);
}
END_TEST


START_TEST(test_versions)
{
    struct gw_pap_msg m;
    struct gw_pap_error e;
    static const char body[] = "<pap><push-message push-id=\"a\"><address "
        "address-value=\"WAPPUSH=+1/TYPE=PLMN\"/></push-message></pap>";
    char buf[1024];

    ck_assert_int_eq(parse_str(body, &m, &e), 0);
    ck_assert_int_eq(m.version, GW_PAP_V20);
    snprintf(buf, sizeof(buf), "<!DOCTYPE pap PUBLIC \"-//WAPFORUM//DTD PAP "
        "2.1//EN\" \"http://www.openmobilealliance.org/tech/DTD/pap_2.1.dtd\""
        ">%s", body);
    ck_assert_int_eq(parse_str(buf, &m, &e), 0);
    ck_assert_int_eq(m.version, GW_PAP_V21);
    snprintf(buf, sizeof(buf), "<!DOCTYPE pap SYSTEM \"http://www.wapforum."
        "org/DTD/pap_1.0.dtd\">%s", body);
    ck_assert_int_eq(parse_str(buf, &m, &e), 0);
    ck_assert_int_eq(m.version, GW_PAP_V10);
    snprintf(buf, sizeof(buf), "<!DOCTYPE pap PUBLIC \"-//WAPFORUM//DTD PAP "
        "3.0//EN\" \"http://x/pap_3.0.dtd\">%s", body);
    ck_assert_int_eq(parse_str(buf, &m, &e), GW_PAP_VERSION_NOT_SUPPORTED);
    ck_assert_int_eq(e.bad_message, 1);
    snprintf(buf, sizeof(buf), "<!DOCTYPE html PUBLIC \"-//WAPFORUM//DTD PAP "
        "2.0//EN\" \"x\">%s", body);
    ck_assert_int_eq(parse_str(buf, &m, &e), GW_PAP_BAD_REQUEST);
}
END_TEST


/* Refusals: document, PAP code, badmessage or not, text in desc. */
struct refusal {
    const char *name;
    const char *body;       /* inside <pap> (PAP 2.0), or whole when
                               whole is set */
    int whole;
    int code;
    int bad_message;
    const char *desc_has;
};

static const struct refusal refusals[] = {
    { "not well-formed", "<?xml version=\"1.0\"?><pap><push-message", 1,
      GW_PAP_BAD_REQUEST, 1, "XML error" },
    { "not xml", "hello", 1, GW_PAP_BAD_REQUEST, 1, "XML error" },
    { "root not pap", "<foo/>", 1, GW_PAP_BAD_REQUEST, 1, "<pap>" },
    { "empty pap", "", 0, GW_PAP_BAD_REQUEST, 1, "no message" },
    { "two messages", "<statusquery-message push-id=\"a\"/>"
      "<statusquery-message push-id=\"b\"/>", 0, GW_PAP_BAD_REQUEST, 1,
      "more than one" },
    { "text in pap", "hi<statusquery-message push-id=\"a\"/>", 0,
      GW_PAP_BAD_REQUEST, 1, "text" },
    { "unknown pap attribute", "", 1, 0, 0, NULL },
    { "ccq", "<ccq-message query-id=\"q\" app-id=\"x\"><address address-value"
      "=\"WAPPUSH=+1/TYPE=PLMN\"/></ccq-message>", 0, GW_PAP_NOT_IMPLEMENTED,
      1, "ccq" },
    { "response sent to PPG", "<push-response push-id=\"a\"><response-result "
      "code=\"1001\"/></push-response>", 0, GW_PAP_BAD_REQUEST, 1,
      "push-response" },
    { "missing push-id", "<push-message><address address-value=\"WAPPUSH=+1/"
      "TYPE=PLMN\"/></push-message>", 0, GW_PAP_BAD_REQUEST, 1, "push-id" },
    { "empty push-id", "<push-message push-id=\"\"><address address-value="
      "\"WAPPUSH=+1/TYPE=PLMN\"/></push-message>", 0, GW_PAP_BAD_REQUEST, 1,
      "push-id" },
    { "push-id too long", "<push-message push-id=\"aaaaaaaaaaaaaaaaaaaaaaaaaaa"
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"><address address-value=\"WAPPUSH=+1"
      "/TYPE=PLMN\"/></push-message>", 0, GW_PAP_BAD_REQUEST, 1, "push-id" },
    { "no address", "<push-message push-id=\"a\"></push-message>", 0,
      GW_PAP_BAD_REQUEST, 0, "without <address>" },
    { "two addresses", "<push-message push-id=\"a\"><address address-value="
      "\"WAPPUSH=+1/TYPE=PLMN\"/><address address-value=\"WAPPUSH=+2/TYPE="
      "PLMN\"/></push-message>", 0, GW_PAP_MULTIPLE_ADDRESSES, 0, "one "
      "address" },
    { "address without value", "<push-message push-id=\"a\"><address/>"
      "</push-message>", 0, GW_PAP_BAD_REQUEST, 0, "address-value" },
    { "bad address", "<push-message push-id=\"a\"><address address-value="
      "\"+1555\"/></push-message>", 0, GW_PAP_ADDRESS_ERROR, 0, "WAPPUSH" },
    { "user address", "<push-message push-id=\"a\"><address address-value="
      "\"WAPPUSH=john%40example.com/TYPE=USER@ppg\"/></push-message>", 0,
      GW_PAP_NOT_IMPLEMENTED, 0, "USER" },
    { "unknown attribute", "<push-message push-id=\"a\" colour=\"red\">"
      "<address address-value=\"WAPPUSH=+1/TYPE=PLMN\"/></push-message>", 0,
      GW_PAP_BAD_REQUEST, 0, "colour" },
    { "unknown child", "<push-message push-id=\"a\"><address address-value="
      "\"WAPPUSH=+1/TYPE=PLMN\"/><foo/></push-message>", 0,
      GW_PAP_BAD_REQUEST, 0, "foo" },
    { "qos before address", "<push-message push-id=\"a\"><quality-of-service/>"
      "<address address-value=\"WAPPUSH=+1/TYPE=PLMN\"/></push-message>", 0,
      GW_PAP_BAD_REQUEST, 0, "address" },
    { "bad timestamp", "<push-message push-id=\"a\" deliver-before-timestamp="
      "\"2026-13-01T00:00:00Z\"><address address-value=\"WAPPUSH=+1/TYPE=PLMN"
      "\"/></push-message>", 0, GW_PAP_BAD_REQUEST, 0, "deliver-before" },
    { "deliver-before passed", "<push-message push-id=\"a\" deliver-before-"
      "timestamp=\"2025-12-31T23:59:59Z\"><address address-value=\"WAPPUSH=+1"
      "/TYPE=PLMN\"/></push-message>", 0, GW_PAP_BAD_REQUEST, 0, "passed" },
    { "after not before before", "<push-message push-id=\"a\" deliver-before-"
      "timestamp=\"2026-02-01T00:00:00Z\" deliver-after-timestamp=\"2026-02-"
      "01T00:00:00Z\"><address address-value=\"WAPPUSH=+1/TYPE=PLMN\"/>"
      "</push-message>", 0, GW_PAP_BAD_REQUEST, 0, "deliver-after" },
    { "notify not http", "<push-message push-id=\"a\" ppg-notify-requested-to"
      "=\"mailto:x@y\"><address address-value=\"WAPPUSH=+1/TYPE=PLMN\"/>"
      "</push-message>", 0, GW_PAP_BAD_REQUEST, 0, "http" },
    { "replace", "<push-message push-id=\"a\" replace-push-id=\"b\"><address "
      "address-value=\"WAPPUSH=+1/TYPE=PLMN\"/></push-message>", 0,
      GW_PAP_REPLACEMENT, 0, "replace" },
    { "confirmed", "<push-message push-id=\"a\"><address address-value="
      "\"WAPPUSH=+1/TYPE=PLMN\"/><quality-of-service delivery-method="
      "\"confirmed\"/></push-message>", 0, GW_PAP_DELIVERY_METHOD, 0,
      "confirmed" },
    { "bad delivery-method", "<push-message push-id=\"a\"><address address-"
      "value=\"WAPPUSH=+1/TYPE=PLMN\"/><quality-of-service delivery-method="
      "\"maybe\"/></push-message>", 0, GW_PAP_BAD_REQUEST, 0,
      "delivery-method" },
    { "bad priority", "<push-message push-id=\"a\"><address address-value="
      "\"WAPPUSH=+1/TYPE=PLMN\"/><quality-of-service priority=\"urgent\"/>"
      "</push-message>", 0, GW_PAP_BAD_REQUEST, 0, "priority" },
    { "bad boolean", "<push-message push-id=\"a\" progress-notes-requested="
      "\"yes\"><address address-value=\"WAPPUSH=+1/TYPE=PLMN\"/>"
      "</push-message>", 0, GW_PAP_BAD_REQUEST, 0, "progress" },
    { "PLMN over CSD required", "<push-message push-id=\"a\"><address "
      "address-value=\"WAPPUSH=+1/TYPE=PLMN\"/><quality-of-service bearer="
      "\"CSD\" bearer-required=\"true\"/></push-message>", 0,
      GW_PAP_BEARER_NOT_AVAILABLE, 0, "CSD" },
    { "IP over SMS required", "<push-message push-id=\"a\"><address "
      "address-value=\"WAPPUSH=192.0.2.1/TYPE=IPv4\"/><quality-of-service "
      "bearer=\"SMS\" bearer-required=\"true\"/></push-message>", 0,
      GW_PAP_BEARER_NOT_AVAILABLE, 0, "SMS" },
    { "network required", "<push-message push-id=\"a\"><address "
      "address-value=\"WAPPUSH=+1/TYPE=PLMN\"/><quality-of-service network="
      "\"PDC\" network-required=\"true\"/></push-message>", 0,
      GW_PAP_NETWORK_NOT_AVAILABLE, 0, "PDC" },
    { "text in address", "<push-message push-id=\"a\"><address address-value"
      "=\"WAPPUSH=+1/TYPE=PLMN\">x</address></push-message>", 0,
      GW_PAP_BAD_REQUEST, 0, "text" },
};


START_TEST(test_refusals)
{
    const struct refusal *r = &refusals[_i];
    struct gw_pap_msg m;
    struct gw_pap_error e;
    int rc;

    if (r->code == 0) {
        /* An unknown attribute on <pap> itself. */
        rc = parse_str("<pap colour=\"red\"><statusquery-message push-id="
            "\"a\"/></pap>", &m, &e);
        ck_assert_int_eq(rc, GW_PAP_BAD_REQUEST);
        ck_assert_int_eq(e.bad_message, 1);
        return;
    }
    rc = parse_str(r->whole ? r->body : doc2(r->body), &m, &e);
    ck_assert_msg(rc == r->code, "%s: got %d (%s), want %d", r->name, rc,
        e.desc, r->code);
    ck_assert_int_eq(e.code, r->code);
    ck_assert_msg(e.bad_message == r->bad_message, "%s: bad_message %d",
        r->name, e.bad_message);
    ck_assert_msg(strstr(e.desc, r->desc_has) != NULL, "%s: desc \"%s\"",
        r->name, e.desc);
    if (!e.bad_message) {
        ck_assert_str_eq(m.push_id, "a");
    } else {
        ck_assert_str_eq(m.push_id, "");
        ck_assert_uint_gt(e.fragment_len, 0);
    }
}
END_TEST


/*
 * XXE and entity expansion: an external entity that names a local file,
 * a parameter entity, the billion-laughs bomb, an undeclared entity
 * hidden behind an external DTD, and a DTD that points at the network.
 * All are refused before or by the parser; none reads a file.
 */
static const char *const xxe[] = {
    "<?xml version=\"1.0\"?><!DOCTYPE pap [<!ENTITY x SYSTEM \"file:///etc/"
    "passwd\">]><pap><statusquery-message push-id=\"&x;\"/></pap>",
    "<?xml version=\"1.0\"?><!DOCTYPE pap [<!ENTITY % p SYSTEM \"http://"
    "127.0.0.1:1/x.dtd\"> %p;]><pap/>",
    "<?xml version=\"1.0\"?><!DOCTYPE pap [<!ENTITY a \"aaaaaaaaaa\">"
    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;"
    "&b;&b;&b;&b;&b;&b;\">]><pap><statusquery-message push-id=\"&c;\"/></pap>",
    "<?xml version=\"1.0\"?><!DOCTYPE pap PUBLIC \"-//WAPFORUM//DTD PAP 2.0"
    "//EN\" \"http://www.wapforum.org/DTD/pap_2.0.dtd\"><pap>"
    "<statusquery-message push-id=\"&ext;\"/></pap>",
    "<?xml version=\"1.0\"?><!DOCTYPE pap PUBLIC \"-//WAPFORUM//DTD PAP 2.0"
    "//EN\" \"http://www.wapforum.org/DTD/pap_2.0.dtd\"><pap>&ext;"
    "<statusquery-message push-id=\"a\"/></pap>",
    "<?xml version=\"1.0\"?><!DOCTYPE pap SYSTEM \"file:///etc/passwd\">"
    "<pap><statusquery-message push-id=\"a\"/></pap>",
    "<?xml version=\"1.0\"?><!DOCTYPE pap [ ]><pap><statusquery-message "
    "push-id=\"a\"/></pap>",
};


START_TEST(test_xxe)
{
    struct gw_pap_msg m;
    struct gw_pap_error e;
    int rc = parse_str(xxe[_i], &m, &e);

    ck_assert_msg(rc == GW_PAP_BAD_REQUEST
        || rc == GW_PAP_VERSION_NOT_SUPPORTED, "case %d: %d %s", _i, rc,
        e.desc);
    ck_assert_int_eq(e.bad_message, 1);
    ck_assert_ptr_null(strstr(m.push_id, "root:"));
}
END_TEST


START_TEST(test_cancel_statusquery)
{
    struct gw_pap_msg m;
    struct gw_pap_error e;

    ck_assert_int_eq(parse_str(doc2("<cancel-message push-id=\"p1\"/>"), &m,
        &e), 0);
    ck_assert_int_eq(m.kind, GW_PAP_CANCEL);
    ck_assert_str_eq(m.push_id, "p1");
    ck_assert_uint_eq(m.n_addr, 0);
    ck_assert_int_eq(parse_str(doc2("<statusquery-message push-id=\"p&amp;2\">"
        "<address address-value=\"wappush=192.0.2.7/type=ipv4\"/>"
        "</statusquery-message>"), &m, &e), 0);
    ck_assert_int_eq(m.kind, GW_PAP_STATUSQUERY);
    ck_assert_str_eq(m.push_id, "p&2");
    ck_assert_uint_eq(m.n_addr, 1);
    ck_assert_str_eq(m.addr.value, "192.0.2.7");
    ck_assert_int_eq(parse_str(doc2("<cancel-message push-id=\"p1\" x=\"1\"/>"),
        &m, &e), GW_PAP_BAD_REQUEST);
    ck_assert_int_eq(e.bad_message, 0);
}
END_TEST


START_TEST(test_limits)
{
    static uint8_t big[GW_PAP_DOC_MAX + 1];
    struct gw_pap_msg m;
    struct gw_pap_error e;

    memset(big, ' ', sizeof(big));
    ck_assert_int_eq(gw_pap_parse(big, sizeof(big), NOW_MS, &m, &e),
        GW_PAP_BAD_REQUEST);
    ck_assert_ptr_nonnull(strstr(e.desc, "larger"));
    ck_assert_int_eq(gw_pap_parse(big, 0, NOW_MS, &m, &e),
        GW_PAP_BAD_REQUEST);
    ck_assert_int_eq(gw_pap_parse((const uint8_t *) "<pap>\0</pap>", 12,
        NOW_MS, &m, &e), GW_PAP_BAD_REQUEST);
    ck_assert_ptr_nonnull(strstr(e.desc, "NUL"));
}
END_TEST


/* ---- addresses ---- */

struct addr_vec {
    const char *text;
    int rc;
    int type;
    const char *value;
};

static const struct addr_vec addrs[] = {
    { "WAPPUSH=+358408201681/TYPE=PLMN@ppg.carrier.com", 0, GW_PUSH_PLMN,
      "+358408201681" },
    { "wappush=+15551234567/type=plmn@ppg", 0, GW_PUSH_PLMN, "+15551234567" },
    { "WAPPUSH=+15551234567/TYPE=PLMN", 0, GW_PUSH_PLMN, "+15551234567" },
    { "  WAPPUSH=+15551234567/TYPE=PLMN@  ", 0, GW_PUSH_PLMN,
      "+15551234567" },
    { "WAPPUSH=0401234567/TYPE=PLMN", 0, GW_PUSH_PLMN, "0401234567" },
    { "WAPPUSH=%2B15551234567/TYPE=PLMN", 0, GW_PUSH_PLMN, "+15551234567" },
    { "WAPPUSH=213.243.140.102/TYPE=IPv4@ppg.carrier.com", 0, GW_PUSH_IPV4,
      "213.243.140.102" },
    { "WAPPUSH=2001:DB8:0:0:0:0:0:1/TYPE=IPv6@ppg", 0, GW_PUSH_IPV6,
      "2001:db8::1" },
    { "WAPPUSH=::1/TYPE=ipv6", 0, GW_PUSH_IPV6, "::1" },
    { "WAPPUSH=+1555/TYPE=PLMN/TYPE=PLMN", GW_PAP_ADDRESS_ERROR, 0, NULL },
    { "+15551234567", GW_PAP_ADDRESS_ERROR, 0, NULL },
    { "WAPPUSH=+15551234567", GW_PAP_ADDRESS_ERROR, 0, NULL },
    { "WAPPUSH=/TYPE=PLMN", GW_PAP_ADDRESS_ERROR, 0, NULL },
    { "WAPPUSH=+1555x/TYPE=PLMN", GW_PAP_ADDRESS_ERROR, 0, NULL },
    { "WAPPUSH=+/TYPE=PLMN", GW_PAP_ADDRESS_ERROR, 0, NULL },
    { "WAPPUSH=+123456789012345678901/TYPE=PLMN", GW_PAP_ADDRESS_ERROR, 0,
      NULL },
    { "WAPPUSH=1.2.3/TYPE=IPv4", GW_PAP_ADDRESS_ERROR, 0, NULL },
    { "WAPPUSH=1.2.3.4/TYPE=IPv6", GW_PAP_ADDRESS_ERROR, 0, NULL },
    { "WAPPUSH=%zz/TYPE=PLMN", GW_PAP_ADDRESS_ERROR, 0, NULL },
    { "WAPPUSH=%2/TYPE=PLMN", GW_PAP_ADDRESS_ERROR, 0, NULL },
    { "WAPPUSH=john/TYPE=USER@ppg", GW_PAP_NOT_IMPLEMENTED, 0, NULL },
    { "WAPPUSH=x/TYPE=MAN", GW_PAP_ADDRESS_ERROR, 0, NULL },
    { "WAPPUSH=x/TYPE=", GW_PAP_ADDRESS_ERROR, 0, NULL },
    { "", GW_PAP_ADDRESS_ERROR, 0, NULL },
};


START_TEST(test_addr)
{
    const struct addr_vec *v = &addrs[_i];
    struct gw_pap_addr a;
    char why[160] = "";
    int rc = gw_pap_addr_parse(v->text, &a, why, sizeof(why));

    ck_assert_msg(rc == v->rc, "\"%s\": %d (%s)", v->text, rc, why);
    if (rc == 0) {
        ck_assert_int_eq(a.type, v->type);
        ck_assert_str_eq(a.value, v->value);
    } else {
        ck_assert_str_ne(why, "");
    }
}
END_TEST


START_TEST(test_addr_format)
{
    char out[80];

    ck_assert_int_eq(gw_pap_addr_format(GW_PUSH_PLMN, "+1555", out,
        sizeof(out)), 0);
    ck_assert_str_eq(out, "WAPPUSH=+1555/TYPE=PLMN");
    ck_assert_int_eq(gw_pap_addr_format(GW_PUSH_IPV6, "::1", out,
        sizeof(out)), 0);
    ck_assert_str_eq(out, "WAPPUSH=::1/TYPE=IPv6");
    ck_assert_int_eq(gw_pap_addr_format(GW_PUSH_IPV4, "192.0.2.1", out, 10),
        WSPGW_ENOSPC);
}
END_TEST


/* ---- times, app ids, base64 ---- */

START_TEST(test_times)
{
    uint64_t ms;
    char out[32];
    static const char *const bad[] = { "2026-01-01T00:00:00", "2026-01-01 "
        "00:00:00Z", "2026-02-29T00:00:00Z", "1969-12-31T23:59:59Z",
        "2026-01-01T24:00:00Z", "2026-00-01T00:00:00Z", "2026-01-32T00:00:00Z",
        "2026-1-01T00:00:00Z", "", "2026-01-01T00:00:00Z " };
    size_t i;

    ck_assert_int_eq(gw_pap_time_parse("2026-01-01T00:00:00Z", &ms), 0);
    ck_assert_uint_eq(ms, NOW_MS);
    ck_assert_int_eq(gw_pap_time_parse("2024-02-29T23:59:59Z", &ms), 0);
    gw_pap_time_format(ms, out, sizeof(out));
    ck_assert_str_eq(out, "2024-02-29T23:59:59Z");
    ck_assert_int_eq(gw_pap_time_parse("1970-01-01T00:00:00Z", &ms), 0);
    ck_assert_uint_eq(ms, 0);
    gw_pap_time_format(983342700999ULL, out, sizeof(out));
    ck_assert_str_eq(out, "2001-02-28T06:45:00Z");
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(gw_pap_time_parse(bad[i], &ms) == WSPGW_EPROTO, "%s",
            bad[i]);
    }
}
END_TEST


START_TEST(test_app_id)
{
    static const char *const v[][2] = {
        { "mms.ua", "x-wap-application:mms.ua" },
        { "x-wap-application:mms.ua", "x-wap-application:mms.ua" },
        { "X-WAP-Application:WML.UA", "x-wap-application:wml.ua" },
        { " 4 ", "x-wap-application:mms.ua" },
        { "2", "x-wap-application:wml.ua" },
        { "0x04", "x-wap-application:mms.ua" },
        { "0", "x-wap-application:*" },
        { "36864", "36864" },
        { "0x9000", "36864" },
        { "push.example", "x-wap-application:push.example" },
        { "http://www.wiral.com:wml.ua", "http://www.wiral.com:wml.ua" },
    };
    char out[128];
    size_t i;

    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        ck_assert_int_eq(gw_pap_app_id(v[i][0], out, sizeof(out)), 0);
        ck_assert_str_eq(out, v[i][1]);
    }
    ck_assert_int_eq(gw_pap_app_id("no appid at all", out, sizeof(out)),
        WSPGW_EPROTO);
    ck_assert_int_eq(gw_pap_app_id("mms.ua", out, 10), WSPGW_ENOSPC);
}
END_TEST


START_TEST(test_base64)
{
    struct wspgw_buf b;

    wspgw_buf_init(&b, 64);
    ck_assert_int_eq(gw_pap_base64_decode("dHJvbzpmYXI=", 12, &b), 0);
    ck_assert_uint_eq(b.len, 8);
    ck_assert_int_eq(memcmp(b.data, "troo:far", 8), 0);
    wspgw_buf_reset(&b);
    ck_assert_int_eq(gw_pap_base64_decode("aGVs\r\nbG8", 9, &b), 0);
    ck_assert_int_eq(memcmp(b.data, "hello", 5), 0);
    wspgw_buf_reset(&b);
    ck_assert_int_eq(gw_pap_base64_decode("a", 1, &b), WSPGW_EPROTO);
    ck_assert_int_eq(gw_pap_base64_decode("aG=a", 4, &b), WSPGW_EPROTO);
    ck_assert_int_eq(gw_pap_base64_decode("a===", 4, &b), WSPGW_EPROTO);
    ck_assert_int_eq(gw_pap_base64_decode("a!bc", 4, &b), WSPGW_EPROTO);
    wspgw_buf_free(&b);
    wspgw_buf_init(&b, 2);
    ck_assert_int_eq(gw_pap_base64_decode("aGVsbG8=", 8, &b),
        WSPGW_EMSGSIZE);
    wspgw_buf_free(&b);
}
END_TEST


/* ---- multipart ---- */

struct mime_vec {
    const char *name;
    const char *ct;
    const char *body;
    int rc;
    unsigned n_part;
    const char *last_body;      /* expected body of the last part */
};

#define CTL "Content-Type: application/xml\r\n\r\n<pap/>"

static const struct mime_vec mimes[] = {
    { "quoted boundary, more params", "Multipart/Related; type=\"application/"
      "xml\"; boundary=\"a b;c\"; start=\"<x>\"",
      "--a b;c\r\n" CTL "\r\n--a b;c\r\nContent-Type: text/plain\r\n\r\nhi"
      "\r\n--a b;c--\r\n", 0, 2, "hi" },
    { "LF only", "multipart/related; boundary=B",
      "--B\nContent-Type: application/xml\n\n<pap/>\n--B\nContent-Type: "
      "x/y\n\nbody\n--B--", 0, 2, "body" },
    { "preamble and epilogue", "multipart/related; boundary=B",
      "preamble --B text\r\n--B\r\n" CTL "\r\n--B--\r\nepilogue --B\r\n", 0,
      1, "<pap/>" },
    { "boundary as prefix in content", "multipart/related; boundary=B",
      "--B\r\n" CTL "\r\n--B\r\nContent-Type: x/y\r\n\r\n--BB\r\n--B \r\n"
      "\r\nz\r\n--B--", 0, 3, "z" },
    { "folded header", "multipart/related; boundary=B",
      "--B\r\nContent-Type:\r\n application/xml\r\n\r\n<pap/>\r\n--B--", 0,
      1, "<pap/>" },
    { "empty content part", "multipart/related; boundary=B",
      "--B\r\n" CTL "\r\n--B\r\nContent-Type: x/y\r\n\r\n\r\n--B--", 0, 2,
      "" },
    { "not multipart", "application/xml", "<pap/>", WSPGW_EPROTO, 0, NULL },
    { "multipart/mixed", "multipart/mixed; boundary=B", "--B--",
      WSPGW_EPROTO, 0, NULL },
    { "no boundary", "multipart/related; type=\"application/xml\"", "",
      WSPGW_EPROTO, 0, NULL },
    { "empty boundary", "multipart/related; boundary=\"\"", "",
      WSPGW_EPROTO, 0, NULL },
    { "unterminated quote", "multipart/related; boundary=\"B", "",
      WSPGW_EPROTO, 0, NULL },
    { "wrong type param", "multipart/related; boundary=B; type=text/plain",
      "--B\r\n" CTL "\r\n--B--", WSPGW_EPROTO, 0, NULL },
    { "no delimiter", "multipart/related; boundary=B", "hello",
      WSPGW_EPROTO, 0, NULL },
    { "no close", "multipart/related; boundary=B", "--B\r\n" CTL "\r\n",
      WSPGW_EPROTO, 0, NULL },
    { "close only", "multipart/related; boundary=B", "--B--\r\n",
      WSPGW_EPROTO, 0, NULL },
    { "headers not ended", "multipart/related; boundary=B",
      "--B\r\nContent-Type: application/xml\r\n--B--", WSPGW_EPROTO, 0,
      NULL },
    { "header without colon", "multipart/related; boundary=B",
      "--B\r\nContent-Type application/xml\r\n\r\nx\r\n--B--", WSPGW_EPROTO,
      0, NULL },
    { "first part not xml", "multipart/related; boundary=B",
      "--B\r\nContent-Type: text/vnd.wap.si\r\n\r\nx\r\n--B--",
      WSPGW_EPROTO, 0, NULL },
    { "four parts", "multipart/related; boundary=B",
      "--B\r\n" CTL "\r\n--B\r\n\r\na\r\n--B\r\n\r\nb\r\n--B\r\n\r\nc\r\n"
      "--B--", WSPGW_EPROTO, 0, NULL },
};


START_TEST(test_mime)
{
    const struct mime_vec *v = &mimes[_i];
    struct gw_pap_mime mm;
    char why[200] = "";
    int rc = gw_pap_mime_split(v->ct, (const uint8_t *) v->body,
        strlen(v->body), &mm, why, sizeof(why));

    ck_assert_msg(rc == v->rc, "%s: %d (%s)", v->name, rc, why);
    if (rc != 0) {
        ck_assert_str_ne(why, "");
        return;
    }
    ck_assert_uint_eq(mm.n_part, v->n_part);
    ck_assert_uint_eq(mm.part[v->n_part - 1].len, strlen(v->last_body));
    ck_assert_int_eq(memcmp(mm.part[v->n_part - 1].data, v->last_body,
        strlen(v->last_body)), 0);
}
END_TEST


START_TEST(test_part_decode)
{
    struct gw_pap_part p;
    struct wspgw_buf b;
    char why[120];

    memset(&p, 0, sizeof(p));
    wspgw_buf_init(&b, 1024);
    p.data = (const uint8_t *) "jIKYAQ==\r\n";
    p.len = 10;
    snprintf(p.cte, sizeof(p.cte), "BASE64");
    ck_assert_int_eq(gw_pap_part_decode(&p, &b, why, sizeof(why)), 0);
    ck_assert_uint_eq(b.len, 4);
    ck_assert_int_eq(b.data[0], 0x8C);
    ck_assert_int_eq(b.data[3], 0x01);
    wspgw_buf_reset(&b);
    snprintf(p.cte, sizeof(p.cte), "binary");
    ck_assert_int_eq(gw_pap_part_decode(&p, &b, why, sizeof(why)), 0);
    ck_assert_uint_eq(b.len, 10);
    wspgw_buf_reset(&b);
    snprintf(p.cte, sizeof(p.cte), "quoted-printable");
    ck_assert_int_eq(gw_pap_part_decode(&p, &b, why, sizeof(why)),
        WSPGW_EPROTO);
    ck_assert_ptr_nonnull(strstr(why, "quoted-printable"));
    p.data = (const uint8_t *) "not base64!";
    p.len = 11;
    snprintf(p.cte, sizeof(p.cte), "base64");
    ck_assert_int_eq(gw_pap_part_decode(&p, &b, why, sizeof(why)),
        WSPGW_EPROTO);
    wspgw_buf_free(&b);
}
END_TEST


/* Every prefix of a real request: an error or a success, never a crash
 * or a read past the prefix (ASan checks the copy's bounds). */
START_TEST(test_truncation)
{
    size_t n, len = strlen(ppg_body);

    for (n = 0; n <= len; n++) {
        uint8_t *copy = malloc(n + 1);
        struct gw_pap_mime mm;
        struct gw_pap_msg m;
        struct gw_pap_error e;
        char why[200];

        memcpy(copy, ppg_body, n);
        if (gw_pap_mime_split(ppg_ct, copy, n, &mm, why, sizeof(why)) == 0)
        {
            (void) gw_pap_parse(mm.part[0].data, mm.part[0].len, NOW_MS, &m,
                &e);
        }
        (void) gw_pap_parse(copy, n, NOW_MS, &m, &e);
        free(copy);
    }
}
END_TEST


START_TEST(test_form)
{
    static const char f[] = "to=%2B15551234&location=http%3A%2F%2Fm%2Fx%3Fa"
        "%3D1&subject=Hello+world&empty=&flag&x%41y=1&dup=1&dup=2\r\n";
    const uint8_t *b = (const uint8_t *) f;
    size_t n = strlen(f);
    char out[64];

    ck_assert_int_eq(gw_pap_form_field(b, n, "to", out, sizeof(out)), 1);
    ck_assert_str_eq(out, "+15551234");
    ck_assert_int_eq(gw_pap_form_field(b, n, "location", out, sizeof(out)),
        1);
    ck_assert_str_eq(out, "http://m/x?a=1");
    ck_assert_int_eq(gw_pap_form_field(b, n, "subject", out, sizeof(out)),
        1);
    ck_assert_str_eq(out, "Hello world");
    ck_assert_int_eq(gw_pap_form_field(b, n, "empty", out, sizeof(out)), 1);
    ck_assert_str_eq(out, "");
    ck_assert_int_eq(gw_pap_form_field(b, n, "flag", out, sizeof(out)), 1);
    ck_assert_str_eq(out, "");
    ck_assert_int_eq(gw_pap_form_field(b, n, "xAy", out, sizeof(out)), 1);
    ck_assert_int_eq(gw_pap_form_field(b, n, "size", out, sizeof(out)), 0);
    ck_assert_int_eq(gw_pap_form_field(b, n, "dup", out, sizeof(out)),
        WSPGW_EPROTO);
    ck_assert_int_eq(gw_pap_form_field(b, n, "location", out, 5),
        WSPGW_ENOSPC);
    ck_assert_int_eq(gw_pap_form_field((const uint8_t *) "a=%zz", 5, "a",
        out, sizeof(out)), WSPGW_EPROTO);
    ck_assert_int_eq(gw_pap_form_field((const uint8_t *) "a=%00", 5, "a",
        out, sizeof(out)), WSPGW_EPROTO);
    ck_assert_int_eq(gw_pap_form_field((const uint8_t *) "a=%4", 4, "a",
        out, sizeof(out)), WSPGW_EPROTO);
    ck_assert_int_eq(gw_pap_form_field((const uint8_t *) "", 0, "a", out,
        sizeof(out)), 0);
}
END_TEST


/* ---- answers ---- */

static const char *
build(const struct gw_pap_resp *r)
{
    static struct wspgw_buf b;
    xmlDocPtr doc;

    wspgw_buf_free(&b);
    wspgw_buf_init(&b, 8192);
    ck_assert_int_eq(gw_pap_build(&b, r), 0);
    /* Every answer is well-formed XML. */
    doc = xmlReadMemory((const char *) b.data, (int) b.len, NULL, NULL,
        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    ck_assert_ptr_nonnull(doc);
    xmlFreeDoc(doc);
    return wspgw_buf_str(&b);
}


START_TEST(test_push_response_exact)
{
    struct gw_pap_resp r;

    memset(&r, 0, sizeof(r));
    r.kind = GW_PAP_PUSH_RESPONSE;
    r.version = GW_PAP_V20;
    r.push_id = "9fjeo39jf084@pi.com";
    r.code = GW_PAP_ACCEPTED;
    r.sender_name = "wspgw";
    r.time_ms = NOW_MS;
    ck_assert_str_eq(build(&r),
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE pap PUBLIC \"-//WAPFORUM//DTD PAP 2.0//EN\" "
        "\"http://www.wapforum.org/DTD/pap_2.0.dtd\">\n"
        "<pap>\n"
        "  <push-response push-id=\"9fjeo39jf084@pi.com\" sender-name=\"wspgw\""
        " reply-time=\"2026-01-01T00:00:00Z\">\n"
        "    <response-result code=\"1001\" desc=\"The request has been "
        "accepted for processing\"/>\n"
        "  </push-response>\n"
        "</pap>\n");
    r.version = GW_PAP_V10;
    r.code = GW_PAP_DUPLICATE_PUSH_ID;
    r.desc = "push-id \"x\" <again> & again";
    ck_assert_ptr_nonnull(strstr(build(&r), "-//WAPFORUM//DTD PAP 1.0//EN"));
    ck_assert_ptr_nonnull(strstr(build(&r), "code=\"2007\" desc=\"push-id "
        "&quot;x&quot; &lt;again&gt; &amp; again\""));
}
END_TEST


START_TEST(test_other_answers)
{
    struct gw_pap_resp r;
    static const uint8_t frag[] = "<pap><push-message\x01\xff\xc3\xa9\n";
    const char *s;
    struct wspgw_buf b;

    memset(&r, 0, sizeof(r));
    r.kind = GW_PAP_BADMESSAGE_RESPONSE;
    r.code = GW_PAP_BAD_REQUEST;
    r.desc = "XML error";
    r.fragment = frag;
    r.fragment_len = sizeof(frag) - 1;
    s = build(&r);
    ck_assert_ptr_nonnull(strstr(s, "<badmessage-response code=\"2000\" "
        "desc=\"XML error\" bad-message-fragment=\"&lt;pap&gt;&lt;push-"
        "message?\xc3\xa9&#10;\"/>"));

    memset(&r, 0, sizeof(r));
    r.kind = GW_PAP_STATUSQUERY_RESPONSE;
    r.push_id = "p1";
    r.code = GW_PAP_OK;
    r.state = GW_PAP_STATE_PENDING;
    r.time_ms = NOW_MS;
    r.address = "WAPPUSH=+1555/TYPE=PLMN";
    s = build(&r);
    ck_assert_ptr_nonnull(strstr(s, "<statusquery-response push-id=\"p1\">\n"
        "    <statusquery-result event-time=\"2026-01-01T00:00:00Z\" "
        "message-state=\"pending\" code=\"1000\" desc=\"The request "
        "succeeded\">\n      <address address-value=\"WAPPUSH=+1555/TYPE="
        "PLMN\"/>\n    </statusquery-result>\n  </statusquery-response>\n"));
    r.state = GW_PAP_STATE_UNKNOWN;
    r.code = GW_PAP_PUSH_ID_NOT_FOUND;
    r.address = NULL;
    ck_assert_ptr_nonnull(strstr(build(&r), "message-state=\"unknown\" "
        "code=\"2004\" desc=\"Push ID not found\"/>"));
    r.version = GW_PAP_V10;
    ck_assert_ptr_nonnull(strstr(build(&r), "\"undeliverable\""));

    memset(&r, 0, sizeof(r));
    r.kind = GW_PAP_CANCEL_RESPONSE;
    r.push_id = "p1";
    r.code = GW_PAP_CANCEL_NOT_POSSIBLE;
    ck_assert_ptr_nonnull(strstr(build(&r), "<cancel-response push-id=\"p1\">"
        "\n    <cancel-result code=\"2008\" desc=\"Cancellation not possible\""
        "/>\n  </cancel-response>\n"));

    memset(&r, 0, sizeof(r));
    r.kind = GW_PAP_RESULTNOTIFICATION;
    r.push_id = "p1";
    r.code = GW_PAP_OK;
    r.state = GW_PAP_STATE_DELIVERED;
    r.received_ms = NOW_MS;
    r.time_ms = NOW_MS + 61000;
    r.address = "WAPPUSH=+1555/TYPE=PLMN";
    ck_assert_ptr_nonnull(strstr(build(&r), "<resultnotification-message "
        "push-id=\"p1\" received-time=\"2026-01-01T00:00:00Z\" event-time="
        "\"2026-01-01T00:01:01Z\" message-state=\"delivered\" code=\"1000\" "
        "desc=\"The request succeeded\">\n    <address address-value="
        "\"WAPPUSH=+1555/TYPE=PLMN\"/>\n  </resultnotification-message>\n"));

    /* Missing fields and a full buffer are errors, not crashes. */
    wspgw_buf_init(&b, 64);
    r.address = NULL;
    ck_assert_int_eq(gw_pap_build(&b, &r), WSPGW_EINVAL);
    r.address = "WAPPUSH=+1555/TYPE=PLMN";
    ck_assert_int_eq(gw_pap_build(&b, &r), WSPGW_EMSGSIZE);
    r.kind = GW_PAP_PUSH_RESPONSE;
    r.push_id = NULL;
    ck_assert_int_eq(gw_pap_build(&b, &r), WSPGW_EINVAL);
    wspgw_buf_free(&b);
}
END_TEST


START_TEST(test_code_text)
{
    ck_assert_str_eq(gw_pap_code_text(1001),
        "The request has been accepted for processing");
    ck_assert_str_eq(gw_pap_code_text(3006), "Transformation failure");
    ck_assert_str_eq(gw_pap_code_text(2099), "Bad request");
    ck_assert_str_eq(gw_pap_code_text(5026), "Mobile client aborted");
    ck_assert_str_eq(gw_pap_state_name(GW_PAP_STATE_CANCELLED), "cancelled");
}
END_TEST


static Suite *
suite(void)
{
    Suite *s = suite_create("gateway/pap");
    TCase *tc = tcase_create("pap");

    tcase_add_test(tc, test_kannel_file_mode);
    tcase_add_test(tc, test_kannel_hardcoded);
    tcase_add_test(tc, test_ipv4_csd);
    tcase_add_test(tc, test_pap20_mms);
    tcase_add_test(tc, test_versions);
    tcase_add_loop_test(tc, test_refusals, 0,
        (int) (sizeof(refusals) / sizeof(refusals[0])));
    tcase_add_loop_test(tc, test_xxe, 0, (int) (sizeof(xxe) / sizeof(xxe[0])));
    tcase_add_test(tc, test_cancel_statusquery);
    tcase_add_test(tc, test_limits);
    tcase_add_loop_test(tc, test_addr, 0,
        (int) (sizeof(addrs) / sizeof(addrs[0])));
    tcase_add_test(tc, test_addr_format);
    tcase_add_test(tc, test_times);
    tcase_add_test(tc, test_app_id);
    tcase_add_test(tc, test_base64);
    tcase_add_loop_test(tc, test_mime, 0,
        (int) (sizeof(mimes) / sizeof(mimes[0])));
    tcase_add_test(tc, test_part_decode);
    tcase_add_test(tc, test_truncation);
    tcase_add_test(tc, test_form);
    tcase_add_test(tc, test_push_response_exact);
    tcase_add_test(tc, test_other_answers);
    tcase_add_test(tc, test_code_text);
    tcase_set_timeout(tc, 60);
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
