/*
 * gateway/wmlc.c - WML to WMLC on the fly (issue 4): the decision (see
 * wmlc.h for the exact rules) and the compile step of the reply path.
 *
 * Specs: WAP-236 WAE (application/vnd.wap.wmlc is the form every WAP
 * 1.x user agent reads), RFC 9110 12.5.1 (Accept, q), RFC 7303 8.1
 * (which charset an XML body is in).  The compiler is gateway/wbxml.c.
 *
 * When a deck does not compile, a handset that reads only WMLC would
 * show nothing useful for a text/plain 502, so it gets a WMLC error deck
 * built here from WML text through the same compiler; the reason is
 * escaped for XML (& < > " ') and for WML ($ is a variable reference,
 * so "$$"), and cut to printable ASCII.  Only if that fails too (it
 * cannot, short of memory) is the 502 text/plain.
 *
 * Pure code (no libuv).  Tests: tests/unit/gateway/test_wmlc.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "wspgw/err.h"
#include "wspgw/log.h"
#include "wbxml.h"
#include "wmlc.h"

#define WML_TYPE  "text/vnd.wap.wml"
#define WMLC_TYPE "application/vnd.wap.wmlc"

/* Room for the error page, whatever cap the compiled deck had. */
#define GW_WMLC_ERROR_MAX 1024
/* The text/plain fallback: its fixed part plus a reason of < 200. */
#define GW_WMLC_TEXT_MAX 320

/* How specific the best match so far is: none, * / *, type/ *, exact. */
enum { M_NONE = 0, M_ANY, M_TYPE, M_EXACT };

struct q_of {
    const char *type;       /* "text/vnd.wap.wml" */
    int match;              /* M_* of the range that set q */
    unsigned q;             /* 0..1000 */
};


int
gw_wmlc_mode_parse(const char *text)
{
    if (strcasecmp(text, "auto") == 0) {
        return GW_WMLC_AUTO;
    }
    if (strcasecmp(text, "always") == 0) {
        return GW_WMLC_ALWAYS;
    }
    if (strcasecmp(text, "never") == 0) {
        return GW_WMLC_NEVER;
    }
    return -1;
}


static int
is_ows(char c)
{
    return c == ' ' || c == '\t';
}


/*
 * Parses a qvalue (RFC 9110 12.4.2: "0", "0.5", "1.000") into 0..1000.
 * Lenient where handsets are sloppy: a value it cannot read counts as 1
 * (the range was listed, so it is wanted), values above 1 as 1.
 */
static unsigned
parse_q(const char *s, size_t n)
{
    unsigned v = 0, scale = 1000;
    size_t i = 0;

    if (n == 0 || !isdigit((unsigned char)s[0])) {
        return 1000;
    }
    if (s[0] != '0') {
        return 1000;
    }
    i = 1;
    if (i < n && s[i] == '.') {
        for (i++; i < n && isdigit((unsigned char)s[i]) && scale > 1; i++) {
            scale /= 10;
            v += (unsigned)(s[i] - '0') * scale;
        }
    }
    return v;
}


/*
 * Applies one media range "type/sub; q=0.5; x=y" (n octets at s) to the
 * q of each type in qs.
 */
static void
apply_range(const char *s, size_t n, struct q_of *qs, size_t nq)
{
    const char *p = s, *end = s + n, *semi;
    size_t rlen, tlen, k;
    unsigned q = 1000;
    int m;

    semi = memchr(s, ';', n);
    rlen = (size_t)((semi != NULL ? semi : end) - s);
    while (rlen > 0 && is_ows(s[rlen - 1])) {
        rlen--;
    }
    if (rlen == 0) {
        return;
    }
    /* Parameters: only q matters here. */
    for (p = semi; p != NULL && p < end; ) {
        const char *name, *val, *next;
        size_t nlen, vlen;

        p++;
        next = memchr(p, ';', (size_t)(end - p));
        if (next == NULL) {
            next = end;
        }
        while (p < next && is_ows(*p)) {
            p++;
        }
        name = p;
        while (p < next && *p != '=' && !is_ows(*p)) {
            p++;
        }
        nlen = (size_t)(p - name);
        while (p < next && (is_ows(*p) || *p == '=')) {
            p++;
        }
        val = p;
        vlen = (size_t)(next - val);
        while (vlen > 0 && is_ows(val[vlen - 1])) {
            vlen--;
        }
        if (nlen == 1 && (name[0] == 'q' || name[0] == 'Q')) {
            q = parse_q(val, vlen);
        }
        p = next;
    }
    for (k = 0; k < nq; k++) {
        const char *slash = strchr(qs[k].type, '/');

        tlen = (size_t)(slash - qs[k].type);
        if (rlen == 3 && memcmp(s, "*/*", 3) == 0) {
            m = M_ANY;
        } else if (rlen == tlen + 2 && strncasecmp(s, qs[k].type,
            tlen + 1) == 0 && s[tlen + 1] == '*') {
            m = M_TYPE;
        } else if (rlen == strlen(qs[k].type) &&
            strncasecmp(s, qs[k].type, rlen) == 0) {
            m = M_EXACT;
        } else {
            continue;
        }
        /* The most specific range wins; among equals, the highest q. */
        if (m > qs[k].match || (m == qs[k].match && q > qs[k].q)) {
            qs[k].match = m;
            qs[k].q = q;
        }
    }
}


int
gw_wmlc_handset_needs(const struct wsp_hdrs *req)
{
    struct q_of qs[2] = { { WML_TYPE, M_NONE, 0 }, { WMLC_TYPE, M_NONE, 0 } };
    unsigned i;
    int seen = 0;

    for (i = 0; req != NULL && i < req->n; i++) {
        const char *v, *comma;

        if (strcasecmp(wsp_hdrs_name(req, i), "Accept") != 0) {
            continue;
        }
        seen = 1;
        v = wsp_hdrs_value(req, i);
        /* A media range has no comma outside quoted parameter values,
         * and none of the values that matter here are quoted. */
        for (;;) {
            while (is_ows(*v) || *v == ',') {
                v++;
            }
            if (*v == '\0') {
                break;
            }
            comma = strchr(v, ',');
            if (comma == NULL) {
                comma = v + strlen(v);
            }
            apply_range(v, (size_t)(comma - v), qs, 2);
            v = comma;
        }
    }
    if (!seen) {
        return 1;
    }
    return qs[1].q > 0 && qs[0].q == 0;
}


int
gw_wmlc_wanted(enum gw_wmlc_mode mode, int needs, int status,
    const struct wsp_hdrs *resp, size_t body_len)
{
    int ct;

    if (mode == GW_WMLC_NEVER || (mode == GW_WMLC_AUTO && !needs)) {
        return 0;
    }
    if (resp == NULL || body_len == 0 || status == 206) {
        return 0;
    }
    ct = wsp_hdrs_find(resp, "Content-Type");
    if (ct < 0 || gw_wbxml_lang_of(wsp_hdrs_value(resp, (unsigned)ct)) !=
        GW_WBXML_WML)
    {
        return 0;
    }
    if (wsp_hdrs_find(resp, "Content-Range") >= 0) {
        return 0;
    }
    ct = wsp_hdrs_find(resp, "Content-Encoding");
    if (ct >= 0 && strcasecmp(wsp_hdrs_value(resp, (unsigned)ct),
        "identity") != 0)
    {
        return 0;
    }
    return 1;
}


/*
 * Copies the charset parameter of a Content-Type value into cs ("" when
 * none; quotes removed).
 */
static void
ct_charset(const char *ct, char *cs, size_t cslen)
{
    const char *p = ct;
    size_t n;

    cs[0] = '\0';
    for (;;) {
        p = strchr(p, ';');
        if (p == NULL) {
            return;
        }
        p++;
        while (is_ows(*p)) {
            p++;
        }
        if (strncasecmp(p, "charset", 7) != 0) {
            continue;
        }
        p += 7;
        while (is_ows(*p)) {
            p++;
        }
        if (*p != '=') {
            continue;
        }
        p++;
        while (is_ows(*p)) {
            p++;
        }
        if (*p == '"') {
            p++;
        }
        n = strcspn(p, "\";, \t");
        if (n >= cslen) {
            return;
        }
        memcpy(cs, p, n);
        cs[n] = '\0';
        return;
    }
}


/* Copies resp into hout without the headers that described the text
 * deck, and with ct as the Content-Type. */
static int
copy_headers(const struct wsp_hdrs *resp, const char *ct,
    struct wsp_hdrs *hout)
{
    unsigned i;
    int rc = 0;

    wsp_hdrs_reset(hout);
    for (i = 0; resp != NULL && i < resp->n && rc == 0; i++) {
        const char *name = wsp_hdrs_name(resp, i);
        const char *val = wsp_hdrs_value(resp, i);

        if (strcasecmp(name, "Content-Type") == 0 ||
            strcasecmp(name, "Content-Length") == 0 ||
            strcasecmp(name, "Content-MD5") == 0)
        {
            continue;
        }
        rc = wsp_hdrs_add(hout, name, strlen(name), val, strlen(val));
    }
    if (rc == 0) {
        rc = wsp_hdrs_add(hout, "Content-Type", 12, ct, strlen(ct));
    }
    return rc;
}


/*
 * Builds the WMLC error deck saying why into bout.  Returns 0, or an
 * error when even this did not compile.
 */
static int
error_deck(const char *reason, struct wspgw_buf *bout)
{
    struct wspgw_buf wml;
    char err[128];
    int rc;

    wspgw_buf_init(&wml, 2048);
    rc = wspgw_buf_puts(&wml, "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE wml PUBLIC \"-//WAPFORUM//DTD WML 1.1//EN\" "
        "\"http://www.wapforum.org/DTD/wml_1_1.dtd\">\n"
        "<wml><card id=\"error\" title=\"Page error\"><p>"
        "The gateway could not convert this page for your phone: ");
    if (rc == 0) {
        rc = wspgw_buf_put_xml(&wml, (const uint8_t *) reason,
            strlen(reason), WSPGW_XML_WML_DOLLAR | WSPGW_XML_ASCII_ONLY);
    }
    if (rc == 0) {
        rc = wspgw_buf_puts(&wml, "</p></card></wml>\n");
    }
    if (rc == 0) {
        wspgw_buf_reset(bout);
        rc = gw_wbxml_compile(GW_WBXML_WML, wml.data, wml.len, bout, err,
            sizeof(err));
    }
    wspgw_buf_free(&wml);
    return rc;
}


int
gw_wmlc_compile_reply(const struct wsp_hdrs *resp, const uint8_t *body,
    size_t body_len, size_t max_out, int *status, struct wsp_hdrs *hout,
    struct wspgw_buf *bout, char *reason, size_t reasonlen)
{
    char cs[48], ct[80], why[200];
    const char *type;
    int idx, rc;

    idx = resp != NULL ? wsp_hdrs_find(resp, "Content-Type") : -1;
    cs[0] = '\0';
    if (idx >= 0) {
        ct_charset(wsp_hdrs_value(resp, (unsigned)idx), cs, sizeof(cs));
    }
    /* Room for the text/plain fallback and its headers up front, so
     * that a handset gets a reason even when memory runs short later. */
    wspgw_buf_reset(bout);
    if (bout->max < GW_WMLC_ERROR_MAX) {
        bout->max = GW_WMLC_ERROR_MAX;
    }
    rc = wspgw_buf_reserve(bout, GW_WMLC_TEXT_MAX);
    if (rc == 0) {
        rc = wspgw_buf_reserve(&hout->text, 64);
    }
    if (rc != 0) {
        return rc;
    }
    bout->max = max_out != 0 ? max_out : GW_WMLC_OUT_MAX;
    why[0] = '\0';
    rc = gw_wbxml_compile_charset(GW_WBXML_WML, body, body_len, cs, bout,
        why, sizeof(why));
    if (rc == 0) {
        snprintf(ct, sizeof(ct), "%s%s", WMLC_TYPE,
            cs[0] != '\0' ? "; charset=utf-8" : "");
        rc = copy_headers(resp, ct, hout);
        return rc == 0 ? GW_WMLC_COMPILED : rc;
    }
    if (rc == WSPGW_ENOMEM) {
        return rc;
    }
    if (why[0] == '\0') {
        snprintf(why, sizeof(why), "%s", wspgw_strerror(rc));
    }
    snprintf(reason, reasonlen, "%s", why);
    *status = 502;
    /* The error page must fit even when the deck did not. */
    wspgw_buf_reset(bout);
    if (bout->max < GW_WMLC_ERROR_MAX) {
        bout->max = GW_WMLC_ERROR_MAX;
    }
    if (error_deck(why, bout) == 0) {
        type = WMLC_TYPE;
        rc = GW_WMLC_ERROR_DECK;
    } else {
        wspgw_buf_reset(bout);
        rc = wspgw_buf_printf(bout, "wspgw: the WML deck could not be "
            "compiled for this handset: %s\n", why);
        if (rc != 0) {
            return rc;
        }
        type = "text/plain";
        rc = GW_WMLC_ERROR_TEXT;
    }
    /* The upstream's headers described the deck that failed; the error
     * page carries only its own. */
    wsp_hdrs_reset(hout);
    if (wsp_hdrs_add(hout, "Content-Type", 12, type, strlen(type)) != 0 ||
        wsp_hdrs_add(hout, "Cache-Control", 13, "no-cache", 8) != 0)
    {
        return WSPGW_ENOMEM;
    }
    return rc;
}


int
gw_wmlc_apply(enum gw_wmlc_mode mode, int needs, const char *url,
    size_t max_out, struct gw_wmlc_resp *r, struct wsp_hdrs *hbuf,
    struct wspgw_buf *bbuf, const struct gw_wmlc_counts *counts)
{
    char reason[200];
    int status = r->status, rc;

    if (!gw_wmlc_wanted(mode, needs, r->status, r->headers, r->body_len)) {
        return 0;
    }
    reason[0] = '\0';
    rc = gw_wmlc_compile_reply(r->headers, r->body, r->body_len, max_out,
        &status, hbuf, bbuf, reason, sizeof(reason));
    if (rc < 0) {
        wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_HTTP, "WML deck from %s not "
            "compiled: %s", url, wspgw_strerror(rc));
        if (counts != NULL && counts->failed != NULL) {
            (*counts->failed)++;
        }
        return rc;
    }
    if (rc == GW_WMLC_COMPILED) {
        if (counts != NULL && counts->compiled != NULL) {
            (*counts->compiled)++;
        }
        wspgw_log(WSPGW_LOG_DEBUG, WSPGW_SUB_HTTP, "WML deck from %s "
            "compiled: %zu octets of WML, %zu of WMLC", url, r->body_len,
            bbuf->len);
    } else {
        if (counts != NULL && counts->failed != NULL) {
            (*counts->failed)++;
        }
        wspgw_log(WSPGW_LOG_WARN, WSPGW_SUB_HTTP, "WML deck from %s does "
            "not compile, handset gets a 502 error %s: %s", url,
            rc == GW_WMLC_ERROR_DECK ? "deck" : "text", reason);
    }
    r->status = status;
    r->headers = hbuf;
    r->body = bbuf->data;
    r->body_len = bbuf->len;
    return 0;
}
