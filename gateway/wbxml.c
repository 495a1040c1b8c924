/*
 * gateway/wbxml.c - XML to WBXML for WML decks, SI and SL (wraps
 * Debian's libwbxml2 0.11).
 *
 * Specs: WAP-192-WBXML-20010725-a (the binary format), WAP-191-WML
 * (WML 1.1 to 1.3 and their public identifiers 0x04, 0x09, 0x0A),
 * WAP-167-ServiceInd (SI, public id 0x05, dates as OPAQUE), WAP-168-
 * ServiceLoad (SL, public id 0x06).  Token tables are libwbxml2's.
 *
 * libwbxml2 picks the token tables from the DOCTYPE's public identifier
 * and, without one, from the root element's name (which for <wml> means
 * WML 1.0, a pre-standard version no handset needs).  So before handing
 * the document over, this file reads the prolog itself and rewrites the
 * DOCTYPE, which makes the outcome ours to decide:
 *
 *   - WML: a deck that declares WML 1.1, 1.2 or 1.3 is compiled as that
 *     version, with the WBXML version of the same WAP release (WML 1.1
 *     with WBXML 1.1, 1.2 with 1.2, 1.3 with 1.3), so a WAP 1.1 handset
 *     is never sent a version octet it does not know for a deck it can
 *     read.  A deck that declares nothing, WML 1.0 or an unknown
 *     identifier is compiled as WML 1.1 (public id 0x04, WBXML 1.1): every
 *     WAP 1.x handset reads it, and libwbxml2 uses the same WML 1.3 token
 *     tables for every version, so nothing a deck uses is lost.
 *   - SI and SL: always SI 1.0 / SL 1.0 in WBXML 1.2 (0x02), the version
 *     of the WAP 1.2 push specs' examples and what Kannel sends.  Dates
 *     (created, si-expires) become OPAQUE BCD with trailing zero octets
 *     dropped (WAP-167 8.2.2), which libwbxml2 does itself.
 *   - The root element must be <wml>, <si> or <sl> respectively;
 *     anything else is WSPGW_EPROTO "not WML/SI/SL".
 *   - WML predefines &nbsp; and &shy; in its DTD, which no XML parser
 *     here reads; with an external DTD expat silently drops entities it
 *     does not know, so a deck's non-breaking spaces would vanish.  The
 *     rewritten DOCTYPE declares both in its internal subset (after the
 *     deck's own subset, whose definitions therefore win).
 *   - White space in text is kept as written (libwbxml2's default
 *     strips it at both ends of every text node, which glues
 *     "a <b>b</b>" into "a" "b"); WML browsers collapse it themselves
 *     (WML 1.3 11.8).  Indentation where the WML DTD allows no text is
 *     dropped, and WML variable references become the EXT_I tokens
 *     WML 1.3 section 14 prescribes, both in a post-pass over
 *     libwbxml2's output (wml_post).  The string table stays as
 *     libwbxml2 wrote it, even where an entry is then unused.
 *
 * Charsets: expat reads UTF-8, UTF-16, US-ASCII and ISO-8859-1.  A
 * document in another charset its XML declaration names (windows-1252,
 * ISO-8859-15, ...) or in UTF-16 is converted to UTF-8 with iconv first
 * and its declaration replaced.  The WBXML output is always UTF-8
 * (charset 0x6A).  Line numbers in error messages are those of the
 * document as sent: the rewritten parts keep their line breaks.
 *
 * Caps: the input is at most GW_WBXML_IN_MAX octets (WSPGW_EMSGSIZE);
 * the output is appended to the caller's buffer, whose ceiling applies.
 *
 * The transport's charset (gw_wbxml_compile_charset: the charset
 * parameter of the HTTP Content-Type) wins over the XML declaration, as
 * RFC 7303 8.1 says; without either a document is UTF-8 (XML 1.0
 * 4.3.3).
 *
 * Not done here: HTML to WML, WMLScript compilation, DTD validation (an
 * element WML does not know is sent as a WBXML LITERAL, as libwbxml2
 * does).
 *
 * Pure code (no libuv).  libwbxml2 and expat allocate with malloc; what
 * this file allocates goes through wspgw_malloc.
 *
 * Tests: tests/unit/gateway/test_wbxml.c.
 */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Debian's expat is built with DTD support (XML_DTD), which declares the
 * entity-expansion limits used in check_xml; a build without it fails
 * to link instead of running without the limits. */
#ifndef XML_DTD
#define XML_DTD 1
#endif
#include <expat.h>
#include <wbxml/wbxml.h>

#include "wspgw/alloc.h"
#include "wspgw/err.h"
#include "wbxml.h"

/* libwbxml2 frees what it returns with wbxml_free (wbxml_mem.h), a
 * header Debian's libwbxml2-dev does not install; the symbol is
 * exported. */
WBXML_DECLARE(void) wbxml_free(void *memblock);

/* The largest document compiled; WML decks are a few KB (handsets
 * take 1.4 to 64 KB), push content less. */
#define GW_WBXML_IN_MAX (512 * 1024)

/* Entity expansion allowed (expat 2.4+): any amount up to this many
 * octets of output, past it at most this factor over the input. */
#define GW_WBXML_EXPAND_AFTER (256 * 1024)
#define GW_WBXML_EXPAND_MAX 10.0f

/* One language version the compiler produces. */
struct lang_ver {
    enum gw_wbxml_lang lang;
    const char *root;           /* root element */
    const char *public_id;      /* XML public identifier */
    const char *system_id;      /* its DTD */
    uint8_t wbxml_public_id;    /* WAP-192 7.2.1 / WINA registry */
    uint8_t wbxml_version;      /* 0x01 = 1.1, 0x02 = 1.2, 0x03 = 1.3 */
};

/* The first entry of a language is its default (see the file header). */
static const struct lang_ver lang_vers[] = {
    { GW_WBXML_WML, "wml", "-//WAPFORUM//DTD WML 1.1//EN",
      "http://www.wapforum.org/DTD/wml_1_1.dtd", 0x04, 0x01 },
    { GW_WBXML_WML, "wml", "-//WAPFORUM//DTD WML 1.2//EN",
      "http://www.wapforum.org/DTD/wml12.dtd", 0x09, 0x02 },
    { GW_WBXML_WML, "wml", "-//WAPFORUM//DTD WML 1.3//EN",
      "http://www.wapforum.org/DTD/wml13.dtd", 0x0A, 0x03 },
    { GW_WBXML_SI, "si", "-//WAPFORUM//DTD SI 1.0//EN",
      "http://www.wapforum.org/DTD/si.dtd", 0x05, 0x02 },
    { GW_WBXML_SL, "sl", "-//WAPFORUM//DTD SL 1.0//EN",
      "http://www.wapforum.org/DTD/sl.dtd", 0x06, 0x02 },
};

/* WML 1.3 DTD: the two entities a WML deck may use without declaring. */
static const char wml_entities[] =
    "<!ENTITY nbsp \"&#160;\"><!ENTITY shy \"&#173;\">";

/* What scan_prolog finds; offsets into the (UTF-8 or 8-bit) document. */
struct prolog {
    size_t decl_start, decl_end;    /* XML declaration, or both 0 */
    char encoding[48];              /* its encoding, or "" */
    size_t dt_start, dt_end;        /* DOCTYPE, or both = root_start */
    const uint8_t *pub;             /* public id (no quotes) or NULL */
    size_t pub_len;
    const uint8_t *subset;          /* internal subset (no brackets) */
    size_t subset_len;
    size_t root_start;              /* the '<' of the root element */
    const uint8_t *root;            /* root element name */
    size_t root_len;
};


static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));


/* Writes the one-line reason (when the caller wants one). */
static void
set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL || errlen == 0) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}


static int
is_space(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}


/* Is d[pos..] the text s? */
static int
at(const uint8_t *d, size_t len, size_t pos, const char *s)
{
    size_t n = strlen(s);

    return pos <= len && len - pos >= n && memcmp(d + pos, s, n) == 0;
}


/* Position just past the next occurrence of s at or after pos, or 0. */
static size_t
past(const uint8_t *d, size_t len, size_t pos, const char *s)
{
    size_t n = strlen(s);

    while (pos <= len && len - pos >= n) {
        if (memcmp(d + pos, s, n) == 0) {
            return pos + n;
        }
        pos++;
    }
    return 0;
}


static size_t
skip_space(const uint8_t *d, size_t len, size_t pos)
{
    while (pos < len && is_space(d[pos])) {
        pos++;
    }
    return pos;
}


/* Name characters as far as the prolog needs them (XML 1.0 2.3, ASCII
 * plus any non-ASCII octet of a UTF-8 sequence). */
static int
is_name(uint8_t c)
{
    return isalnum(c) || c == '_' || c == ':' || c == '-' || c == '.' ||
        c >= 0x80;
}


/* Reads a quoted literal at pos; *s, *n receive its content.  Returns the
 * position past the closing quote, or 0. */
static size_t
quoted(const uint8_t *d, size_t len, size_t pos, const uint8_t **s,
    size_t *n)
{
    uint8_t q;
    size_t i;

    if (pos >= len || (d[pos] != '"' && d[pos] != '\'')) {
        return 0;
    }
    q = d[pos];
    for (i = pos + 1; i < len; i++) {
        if (d[i] == q) {
            *s = d + pos + 1;
            *n = i - pos - 1;
            return i + 1;
        }
    }
    return 0;
}


/* Copies the encoding="..." pseudo-attribute of the XML declaration
 * d[start..end) into enc ("" when absent or too long). */
static void
decl_encoding(const uint8_t *d, size_t start, size_t end, char *enc,
    size_t enclen)
{
    size_t p = past(d, end, start, "encoding");
    const uint8_t *s;
    size_t n;

    enc[0] = '\0';
    if (p == 0) {
        return;
    }
    p = skip_space(d, end, p);
    if (p >= end || d[p] != '=') {
        return;
    }
    p = skip_space(d, end, p + 1);
    if (quoted(d, end, p, &s, &n) == 0 || n == 0 || n >= enclen) {
        return;
    }
    memcpy(enc, s, n);
    enc[n] = '\0';
}


/* Parses the DOCTYPE starting at pos (at "<!DOCTYPE").  Returns the
 * position past its '>', or 0 when it is not one we can read. */
static size_t
scan_doctype(const uint8_t *d, size_t len, size_t pos, struct prolog *pr)
{
    const uint8_t *s;
    size_t n, p = pos + strlen("<!DOCTYPE");

    if (p >= len || !is_space(d[p])) {
        return 0;
    }
    p = skip_space(d, len, p);
    while (p < len && is_name(d[p])) {
        p++;
    }
    p = skip_space(d, len, p);
    if (at(d, len, p, "PUBLIC")) {
        p = skip_space(d, len, p + 6);
        p = quoted(d, len, p, &s, &n);
        if (p == 0) {
            return 0;
        }
        pr->pub = s;
        pr->pub_len = n;
        p = skip_space(d, len, p);
        if (p < len && (d[p] == '"' || d[p] == '\'')) {
            p = quoted(d, len, p, &s, &n);
            if (p == 0) {
                return 0;
            }
        }
    } else if (at(d, len, p, "SYSTEM")) {
        p = skip_space(d, len, p + 6);
        p = quoted(d, len, p, &s, &n);
        if (p == 0) {
            return 0;
        }
    }
    p = skip_space(d, len, p);
    if (p < len && d[p] == '[') {
        size_t start = p + 1;

        /* The subset ends at the first ']' outside literals and
         * comments (XML 1.0 2.8, markupdecl). */
        for (p = start; p < len && d[p] != ']'; p++) {
            if (d[p] == '"' || d[p] == '\'') {
                p = quoted(d, len, p, &s, &n);
                if (p == 0) {
                    return 0;
                }
                p--;
            } else if (at(d, len, p, "<!--")) {
                p = past(d, len, p + 4, "-->");
                if (p == 0) {
                    return 0;
                }
                p--;
            }
        }
        if (p >= len) {
            return 0;
        }
        pr->subset = d + start;
        pr->subset_len = p - start;
        p = skip_space(d, len, p + 1);
    }
    if (p >= len || d[p] != '>') {
        return 0;
    }
    return p + 1;
}


/*
 * Reads the prolog of an ASCII-compatible document (XML 1.0 2.8): BOM,
 * XML declaration, comments, PIs, DOCTYPE, up to the root element's
 * name.  Returns 0, or -1 when it does not look like XML (the caller
 * lets expat say precisely why).
 */
static int
scan_prolog(const uint8_t *d, size_t len, struct prolog *pr)
{
    size_t p = 0, q;

    memset(pr, 0, sizeof(*pr));
    if (at(d, len, 0, "\xEF\xBB\xBF")) {
        p = 3;
    }
    if (at(d, len, p, "<?xml") && p + 5 < len && is_space(d[p + 5])) {
        q = past(d, len, p, "?>");
        if (q == 0) {
            return -1;
        }
        pr->decl_start = p;
        pr->decl_end = q;
        decl_encoding(d, p, q, pr->encoding, sizeof(pr->encoding));
        p = q;
    }
    for (;;) {
        p = skip_space(d, len, p);
        if (at(d, len, p, "<!--")) {
            q = past(d, len, p + 4, "-->");
        } else if (at(d, len, p, "<?")) {
            q = past(d, len, p + 2, "?>");
        } else if (at(d, len, p, "<!DOCTYPE")) {
            if (pr->dt_end != 0) {
                return -1;
            }
            pr->dt_start = p;
            q = scan_doctype(d, len, p, pr);
            pr->dt_end = q;
        } else {
            break;
        }
        if (q == 0) {
            return -1;
        }
        p = q;
    }
    if (p >= len || d[p] != '<') {
        return -1;
    }
    pr->root_start = p;
    pr->root = d + p + 1;
    for (q = p + 1; q < len && is_name(d[q]); q++) {
        /* only advances */
    }
    pr->root_len = q - p - 1;
    if (pr->root_len == 0) {
        return -1;
    }
    if (pr->dt_end == 0) {
        pr->dt_start = pr->dt_end = p;
    }
    return 0;
}


/* Counts line breaks in d[start..end), so a rewrite can keep them. */
static size_t
count_lines(const uint8_t *d, size_t start, size_t end)
{
    size_t n = 0;

    for (; start < end; start++) {
        n += d[start] == '\n';
    }
    return n;
}


static int
put_lines(struct wspgw_buf *b, size_t n)
{
    int rc = 0;

    while (n-- > 0 && rc == 0) {
        rc = wspgw_buf_putc(b, '\n');
    }
    return rc;
}


/* Is enc a charset expat reads itself (XML_ParserCreate, no handler)? */
static int
expat_native(const char *enc)
{
    return enc[0] == '\0' || strcasecmp(enc, "UTF-8") == 0 ||
        strcasecmp(enc, "US-ASCII") == 0 ||
        strcasecmp(enc, "ISO-8859-1") == 0 ||
        strcasecmp(enc, "UTF-16") == 0;
}


/* The UTF-16 flavour of d when it starts like a UTF-16 XML document
 * (BOM or "<?" as 16-bit units, XML 1.0 F.1), else NULL. */
static const char *
utf16_of(const uint8_t *d, size_t len)
{
    if (len >= 2 && d[0] == 0xFE && d[1] == 0xFF) {
        return "UTF-16";
    }
    if (len >= 2 && d[0] == 0xFF && d[1] == 0xFE) {
        return "UTF-16";
    }
    if (len >= 4 && d[0] == 0 && d[1] == '<' && d[2] == 0 && d[3] == '?') {
        return "UTF-16BE";
    }
    if (len >= 4 && d[0] == '<' && d[1] == 0 && d[2] == '?' && d[3] == 0) {
        return "UTF-16LE";
    }
    return NULL;
}


/*
 * Converts d from charset from to UTF-8 into out (initialised by the
 * caller).  A UTF-8 BOM the conversion produces is dropped.  Returns 0,
 * WSPGW_EPROTO (unknown charset or invalid sequence, reason in err) or a
 * buffer error.
 */
static int
to_utf8(const char *from, const uint8_t *d, size_t len,
    struct wspgw_buf *out, char *err, size_t errlen)
{
    iconv_t cd = iconv_open("UTF-8", from);
    char *in = (char *)(uintptr_t)d, *o;
    size_t inleft = len, oleft, r;
    int rc;

    if (cd == (iconv_t)-1) {
        set_err(err, errlen, "unsupported charset \"%s\"", from);
        return WSPGW_EPROTO;
    }
    /* UTF-8 from any charset iconv knows takes at most 3 octets per
     * input octet (a BMP character from one octet), 2 from UTF-16. */
    rc = wspgw_buf_reserve(out, len * 3 + 1);
    if (rc != 0) {
        iconv_close(cd);
        return rc;
    }
    o = (char *)out->data + out->len;
    oleft = out->cap - out->len - 1;
    r = iconv(cd, &in, &inleft, &o, &oleft);
    iconv_close(cd);
    if (r == (size_t)-1) {
        set_err(err, errlen, "invalid or incomplete %s sequence", from);
        return WSPGW_EPROTO;
    }
    out->len = (size_t)((uint8_t *)o - out->data);
    out->data[out->len] = '\0';
    if (at(out->data, out->len, 0, "\xEF\xBB\xBF")) {
        memmove(out->data, out->data + 3, out->len - 3);
        out->len -= 3;
        out->data[out->len] = '\0';
    }
    return 0;
}


/* The version to compile as: the declared one when we know it, else the
 * language's default (the first entry). */
static const struct lang_ver *
pick_version(enum gw_wbxml_lang lang, const struct prolog *pr)
{
    const struct lang_ver *def = NULL;
    size_t i;

    for (i = 0; i < sizeof(lang_vers) / sizeof(lang_vers[0]); i++) {
        const struct lang_ver *v = &lang_vers[i];

        if (v->lang != lang) {
            continue;
        }
        if (def == NULL) {
            def = v;
        }
        /* libwbxml2 compares public ids ignoring case too. */
        if (pr->pub != NULL && strlen(v->public_id) == pr->pub_len &&
            strncasecmp(v->public_id, (const char *)pr->pub,
                pr->pub_len) == 0)
        {
            return v;
        }
    }
    return def;
}


/*
 * Builds the document libwbxml2 compiles: d with a UTF-8-only XML
 * declaration when it was converted, and the DOCTYPE replaced by ours
 * (see the file header).  Line breaks of the replaced parts are kept.
 */
static int
rewrite(const uint8_t *d, size_t len, const struct prolog *pr,
    const struct lang_ver *v, int converted, struct wspgw_buf *out,
    size_t *doc_tail)
{
    size_t start = 0;
    int rc = 0;

    if (converted && pr->decl_end != 0) {
        rc = wspgw_buf_append(out, d, pr->decl_start);
        if (rc == 0) {
            rc = wspgw_buf_puts(out, "<?xml version=\"1.0\"?>");
        }
        if (rc == 0) {
            rc = put_lines(out, count_lines(d, pr->decl_start,
                pr->decl_end));
        }
        start = pr->decl_end;
    }
    if (rc == 0) {
        rc = wspgw_buf_append(out, d + start, pr->dt_start - start);
    }
    if (rc == 0) {
        rc = wspgw_buf_printf(out, "<!DOCTYPE %s PUBLIC \"%s\" \"%s\" [",
            v->root, v->public_id, v->system_id);
    }
    if (rc == 0 && pr->subset != NULL) {
        rc = wspgw_buf_append(out, pr->subset, pr->subset_len);
    }
    if (rc == 0 && v->lang == GW_WBXML_WML) {
        rc = wspgw_buf_puts(out, wml_entities);
    }
    if (rc == 0) {
        rc = wspgw_buf_puts(out, "]");
    }
    if (rc == 0) {
        rc = put_lines(out, count_lines(d, pr->dt_start, pr->dt_end) -
            (pr->subset != NULL ? count_lines(pr->subset, 0,
                pr->subset_len) : 0));
    }
    if (rc == 0) {
        rc = wspgw_buf_puts(out, ">");
    }
    *doc_tail = out->len;
    if (rc == 0) {
        rc = wspgw_buf_append(out, d + pr->dt_end, len - pr->dt_end);
    }
    return rc;
}


/* Where the part of a rewritten document that is the original's tail
 * starts, in both: error positions past it map back one to one. */
struct tail_map {
    const uint8_t *orig;        /* the document as sent (UTF-8 view) */
    size_t orig_len;
    size_t orig_tail;           /* offset of the tail in orig */
    size_t doc_tail;            /* offset of the tail in the rewrite */
};


/* Maps an offset in the rewritten document back to a line and column
 * (in octets, both from 1) of the document as sent. */
static void
where(const struct tail_map *m, size_t o, size_t *line, size_t *col)
{
    size_t i;

    if (o >= m->doc_tail) {
        o = o - m->doc_tail + m->orig_tail;
    } else if (o > m->orig_tail) {
        o = m->orig_tail;
    }
    if (o > m->orig_len) {
        o = m->orig_len;
    }
    *line = 1;
    *col = 1;
    for (i = 0; i < o; i++) {
        if (m->orig[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}


/* State of the checking pass (check_xml). */
struct check_ctx {
    XML_Parser p;
    char entity[32];            /* first undefined entity, or "" */
    size_t at;                  /* its offset */
};


/* Expat reports an entity reference it has no declaration for (legal
 * only because a DTD it did not read might declare it). */
static void XMLCALL
on_skipped(void *data, const XML_Char *name, int is_param)
{
    struct check_ctx *c = data;
    XML_Index idx;

    if (is_param || c->entity[0] != '\0') {
        return;
    }
    snprintf(c->entity, sizeof(c->entity), "%s", name);
    idx = XML_GetCurrentByteIndex(c->p);
    c->at = idx < 0 ? 0 : (size_t)idx;
}


/*
 * Parses d with expat, the parser libwbxml2 uses, before libwbxml2
 * does: libwbxml2 neither says where a document is broken nor notices
 * an undefined entity (&szlig; in a deck), which expat skips and
 * libwbxml2 would silently drop from the text.  Returns 0, or
 * WSPGW_EPROTO with "XML error at line 3, column 7: mismatched tag" or
 * "undefined entity &szlig; at line 2, column 9" (positions in the
 * document as sent), or WSPGW_ENOMEM.
 */
static int
check_xml(const uint8_t *d, size_t len, const struct tail_map *m,
    char *err, size_t errlen)
{
    struct check_ctx c;
    size_t line, col;
    XML_Index idx;
    int rc = 0;

    memset(&c, 0, sizeof(c));
    c.p = XML_ParserCreate(NULL);
    if (c.p == NULL) {
        return WSPGW_ENOMEM;
    }
    XML_SetUserData(c.p, &c);
    XML_SetSkippedEntityHandler(c.p, on_skipped);
#if XML_MAJOR_VERSION > 2 || (XML_MAJOR_VERSION == 2 && XML_MINOR_VERSION >= 4)
    /* Entity expansion ("billion laughs"): expat's own limits allow 100
     * times the input past 8 MiB, and libwbxml2 would build a tree of
     * all of it.  A deck needs little expansion; this pass refuses more,
     * so libwbxml2 never sees such a document. */
    XML_SetBillionLaughsAttackProtectionActivationThreshold(c.p,
        GW_WBXML_EXPAND_AFTER);
    XML_SetBillionLaughsAttackProtectionMaximumAmplification(c.p,
        GW_WBXML_EXPAND_MAX);
#endif
    if (XML_Parse(c.p, (const char *)d, (int)len, 1) != XML_STATUS_OK) {
        if (XML_GetErrorCode(c.p) == XML_ERROR_NO_MEMORY) {
            rc = WSPGW_ENOMEM;
        } else {
            idx = XML_GetCurrentByteIndex(c.p);
            where(m, idx < 0 ? 0 : (size_t)idx, &line, &col);
            set_err(err, errlen, "XML error at line %zu, column %zu: %s",
                line, col, XML_ErrorString(XML_GetErrorCode(c.p)));
            rc = WSPGW_EPROTO;
        }
    } else if (c.entity[0] != '\0') {
        where(m, c.at, &line, &col);
        set_err(err, errlen, "undefined entity &%s; at line %zu, column %zu",
            c.entity, line, col);
        rc = WSPGW_EPROTO;
    }
    XML_ParserFree(c.p);
    return rc;
}


static const char *
lang_name(enum gw_wbxml_lang lang)
{
    switch (lang) {
    case GW_WBXML_WML:
        return "WML";
    case GW_WBXML_SI:
        return "SI";
    case GW_WBXML_SL:
        return "SL";
    }
    return "?";
}


/*
 * WML post-pass over libwbxml2's output (WAP-191 WML 1.3 section 14).
 * libwbxml2 leaves two things undone that WML handsets depend on:
 *
 *   - Variable references ($name, $(name), $(name:escape|unesc|noesc),
 *     and the abbreviations e/u/n, WML 1.3 10.3.1) must reach the
 *     handset as the global extension tokens EXT_I_0 (escape), EXT_I_1
 *     (unesc) and EXT_I_2 (no conversion given, or noesc), with the
 *     variable name as the inline string; "$$" is a literal "$".  In an
 *     inline string they would be shown as text.  A "$" that starts no
 *     valid reference is kept as text (the deck is wrong; the handset
 *     shows what the author wrote).
 *   - White-space-only text directly inside an element whose content
 *     the WML DTD allows to be elements only (wml, head, template, card,
 *     do, onevent, go, prev, refresh, select, optgroup, table, tr) is
 *     indentation, not content: it is dropped, as a WML DTD-validating
 *     tokenizer does, so strict handset parsers never see text there.
 *
 * Everything else is copied token for token.  The input is libwbxml2's
 * own output, but it is still read with every length checked; an
 * inconsistency is WSPGW_EPROTO.
 */

/* The WBXML global tokens (WAP-192 7.1). */
enum {
    WB_SWITCH_PAGE = 0x00, WB_END = 0x01, WB_ENTITY = 0x02,
    WB_STR_I = 0x03, WB_LITERAL = 0x04, WB_EXT_I_0 = 0x40,
    WB_EXT_I_2 = 0x42, WB_PI = 0x43, WB_LITERAL_C = 0x44,
    WB_EXT_T_0 = 0x80, WB_EXT_T_2 = 0x82, WB_STR_T = 0x83,
    WB_LITERAL_A = 0x84, WB_EXT_0 = 0xC0, WB_EXT_2 = 0xC2,
    WB_OPAQUE = 0xC3, WB_LITERAL_AC = 0xC4
};

#define WML_DEPTH_MAX 64        /* nesting the post-pass follows */

/* WML 1.3 tag tokens (code page 0) whose content is elements only. */
static int
wml_element_only(uint8_t tag)
{
    switch (tag) {
    case 0x3F: case 0x2C: case 0x3B: case 0x27: case 0x28: case 0x33:
    case 0x2B: case 0x32: case 0x36: case 0x37: case 0x34: case 0x1F:
    case 0x1E:
        return 1;
    }
    return 0;
}


/* A reader over one WBXML document. */
struct wbr {
    const uint8_t *d;
    size_t len, pos;
    int bad;
};


static uint8_t
wbr_byte(struct wbr *r)
{
    if (r->pos >= r->len) {
        r->bad = 1;
        return 0;
    }
    return r->d[r->pos++];
}


/* mb_u_int32 (WAP-192 5.1): at most 5 octets. */
static uint32_t
wbr_mb(struct wbr *r)
{
    uint32_t v = 0;
    uint8_t c;
    int i;

    for (i = 0; i < 5; i++) {
        c = wbr_byte(r);
        v = (v << 7) | (c & 0x7F);
        if (!(c & 0x80)) {
            return v;
        }
    }
    r->bad = 1;
    return 0;
}


/* A NUL-terminated string at pos; *n excludes the NUL. */
static const uint8_t *
wbr_str(struct wbr *r, size_t *n)
{
    const uint8_t *s = r->d + r->pos, *z;

    if (r->pos >= r->len) {
        r->bad = 1;
        return NULL;
    }
    z = memchr(s, 0, r->len - r->pos);
    if (z == NULL) {
        r->bad = 1;
        return NULL;
    }
    *n = (size_t)(z - s);
    r->pos += *n + 1;
    return s;
}


static int
is_var_start(uint8_t c)
{
    return isalpha(c) || c == '_';
}


static int
is_var_char(uint8_t c)
{
    return isalnum(c) || c == '_';
}


/* The EXT_I token of a conversion name (WML 1.3 10.3.1), or 0. */
static uint8_t
var_conv(const uint8_t *s, size_t n)
{
    static const struct {
        const char *name;
        uint8_t tok;
    } convs[] = {
        { "e", 0x40 }, { "escape", 0x40 }, { "u", 0x41 }, { "unesc", 0x41 },
        { "n", 0x42 }, { "noesc", 0x42 },
    };
    size_t i;

    for (i = 0; i < sizeof(convs) / sizeof(convs[0]); i++) {
        if (strlen(convs[i].name) == n &&
            strncasecmp(convs[i].name, (const char *)s, n) == 0)
        {
            return convs[i].tok;
        }
    }
    return 0;
}


static int
put_str_i(struct wspgw_buf *out, const uint8_t *s, size_t n)
{
    int rc;

    if (n == 0) {
        return 0;
    }
    rc = wspgw_buf_putc(out, WB_STR_I);
    if (rc == 0) {
        rc = wspgw_buf_append(out, s, n);
    }
    if (rc == 0) {
        rc = wspgw_buf_putc(out, 0);
    }
    return rc;
}


/*
 * Writes the text s[0..n) as inline strings and variable tokens.
 * Returns 0 or a buffer error.
 */
static int
put_wml_text(struct wspgw_buf *out, const uint8_t *s, size_t n)
{
    size_t i = 0, lit = 0, name, name_len, j;
    uint8_t tok;
    int rc = 0;

    while (i < n && rc == 0) {
        if (s[i] != '$') {
            i++;
            continue;
        }
        if (i + 1 < n && s[i + 1] == '$') {
            /* "$$": one literal "$"; the text so far ends with it. */
            rc = put_str_i(out, s + lit, i + 1 - lit);
            i += 2;
            lit = i;
            continue;
        }
        tok = WB_EXT_I_2;
        if (i + 1 < n && s[i + 1] == '(') {
            name = i + 2;
            for (j = name; j < n && is_var_char(s[j]); j++) {
                /* only advances */
            }
            name_len = j - name;
            if (j < n && s[j] == ':') {
                size_t c = j + 1;

                for (j = c; j < n && isalpha(s[j]); j++) {
                    /* only advances */
                }
                tok = var_conv(s + c, j - c);
            }
            if (name_len == 0 || !is_var_start(s[name]) || tok == 0 ||
                j >= n || s[j] != ')') {
                i++;
                continue;
            }
            j++;
        } else {
            name = i + 1;
            for (j = name; j < n && is_var_char(s[j]); j++) {
                /* only advances */
            }
            name_len = j - name;
            if (name_len == 0 || !is_var_start(s[name])) {
                i++;
                continue;
            }
        }
        rc = put_str_i(out, s + lit, i - lit);
        if (rc == 0) {
            rc = wspgw_buf_putc(out, tok);
        }
        if (rc == 0) {
            rc = wspgw_buf_append(out, s + name, name_len);
        }
        if (rc == 0) {
            rc = wspgw_buf_putc(out, 0);
        }
        i = j;
        lit = i;
    }
    if (rc == 0) {
        rc = put_str_i(out, s + lit, n - lit);
    }
    return rc;
}


static int
all_space(const uint8_t *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (!is_space(s[i])) {
            return 0;
        }
    }
    return 1;
}


/* The string at strtbl[idx] (NUL-terminated inside the table). */
static const uint8_t *
strtbl_at(const uint8_t *tbl, size_t tbl_len, uint32_t idx, size_t *n)
{
    const uint8_t *z;

    if (idx >= tbl_len) {
        return NULL;
    }
    z = memchr(tbl + idx, 0, tbl_len - idx);
    if (z == NULL) {
        return NULL;
    }
    *n = (size_t)(z - (tbl + idx));
    return tbl + idx;
}


/*
 * Copies the WML document wb (len octets) to out with variables as
 * tokens and indentation dropped (see above).  Returns 0, WSPGW_EPROTO
 * (wb is not what libwbxml2 writes) or a buffer error.
 */
static int
wml_post(const uint8_t *wb, size_t len, struct wspgw_buf *out)
{
    struct wbr r = { wb, len, 0, 0 };
    uint8_t stack[WML_DEPTH_MAX], tok, page = 0;
    const uint8_t *tbl, *s;
    size_t depth = 0, tbl_len, start, n;
    int in_attrs = 0, pending = 0, rc = 0;
    uint8_t pending_tag = 0;
    uint32_t idx;

    /* Header: version, public id (0 = a string table index follows),
     * charset, string table (WAP-192 5.3). */
    (void)wbr_byte(&r);
    if (wbr_mb(&r) == 0) {
        (void)wbr_mb(&r);
    }
    (void)wbr_mb(&r);
    tbl_len = wbr_mb(&r);
    if (r.bad || tbl_len > len - r.pos) {
        return WSPGW_EPROTO;
    }
    tbl = wb + r.pos;
    r.pos += tbl_len;
    rc = wspgw_buf_append(out, wb, r.pos);

    while (rc == 0 && !r.bad && r.pos < len) {
        start = r.pos;
        tok = wbr_byte(&r);
        switch (tok) {
        case WB_SWITCH_PAGE:
            page = wbr_byte(&r);
            break;
        case WB_END:
            if (in_attrs) {
                in_attrs = 0;
                if (pending) {
                    if (depth == WML_DEPTH_MAX) {
                        return WSPGW_EPROTO;
                    }
                    stack[depth++] = pending_tag;
                    pending = 0;
                }
            } else if (depth > 0) {
                depth--;
            } else {
                r.bad = 1;
            }
            break;
        case WB_ENTITY:
            (void)wbr_mb(&r);
            break;
        case WB_STR_I:
        case WB_STR_T:
            if (tok == WB_STR_I) {
                s = wbr_str(&r, &n);
            } else {
                idx = wbr_mb(&r);
                s = r.bad ? NULL : strtbl_at(tbl, tbl_len, idx, &n);
                if (s == NULL) {
                    r.bad = 1;
                }
            }
            if (r.bad) {
                break;
            }
            if (!in_attrs && depth > 0 && stack[depth - 1] != 0 &&
                all_space(s, n))
            {
                continue;               /* indentation: dropped */
            }
            if (memchr(s, '$', n) != NULL) {
                rc = put_wml_text(out, s, n);
                continue;
            }
            break;
        case WB_OPAQUE:
            n = wbr_mb(&r);
            if (!r.bad && n > len - r.pos) {
                r.bad = 1;
            } else {
                r.pos += n;
            }
            break;
        case WB_PI:
            in_attrs = 1;
            pending = 0;
            break;
        default:
            if ((tok >= WB_EXT_I_0 && tok <= WB_EXT_I_2)) {
                (void)wbr_str(&r, &n);
            } else if (tok >= WB_EXT_T_0 && tok <= WB_EXT_T_2) {
                (void)wbr_mb(&r);
            } else if (tok >= WB_EXT_0 && tok <= WB_EXT_2) {
                /* only advances */
            } else if (in_attrs) {
                if (tok == WB_LITERAL) {
                    (void)wbr_mb(&r);   /* attribute name literal */
                }
                /* else an attrStart or attrValue token */
            } else {
                /* A tag: known, or LITERAL(_C/_A/_AC) with a name. */
                if ((tok & 0x3F) == WB_LITERAL) {
                    (void)wbr_mb(&r);
                }
                pending_tag = (uint8_t)(((tok & 0x3F) != WB_LITERAL &&
                    page == 0 && wml_element_only(tok & 0x3F)) ? 1 : 0);
                if (tok & 0x80) {
                    in_attrs = 1;
                    pending = (tok & 0x40) != 0;
                } else if (tok & 0x40) {
                    if (depth == WML_DEPTH_MAX) {
                        return WSPGW_EPROTO;
                    }
                    stack[depth++] = pending_tag;
                }
            }
            break;
        }
        if (!r.bad && rc == 0) {
            rc = wspgw_buf_append(out, wb + start, r.pos - start);
        }
    }
    if (rc != 0) {
        return rc;
    }
    return r.bad ? WSPGW_EPROTO : 0;
}


/* Runs libwbxml2 on the prepared document and checks its header. */
static int
run_libwbxml(const struct lang_ver *v, const struct wspgw_buf *doc,
    struct wspgw_buf *out, char *err, size_t errlen)
{
    WBXMLConvXML2WBXML *conv = NULL;
    WB_UTINY *wb = NULL;
    WB_ULONG wblen = 0;
    WBXMLError werr;
    size_t mark;
    int rc;

    werr = wbxml_conv_xml2wbxml_create(&conv);
    if (werr != WBXML_OK) {
        return WSPGW_ENOMEM;
    }
    wbxml_conv_xml2wbxml_set_version(conv, (WBXMLVersion)v->wbxml_version);
    wbxml_conv_xml2wbxml_enable_preserve_whitespaces(conv);
    werr = wbxml_conv_xml2wbxml_run(conv, doc->data, (WB_ULONG)doc->len,
        &wb, &wblen);
    wbxml_conv_xml2wbxml_destroy(conv);
    if (werr == WBXML_ERROR_NOT_ENOUGH_MEMORY) {
        rc = WSPGW_ENOMEM;
    } else if (werr != WBXML_OK) {
        set_err(err, errlen, "WBXML encoding failed: %s",
            (const char *)wbxml_errors_string(werr));
        rc = WSPGW_EPROTO;
    } else if (wblen < 4 || wb[0] != v->wbxml_version ||
        wb[1] != v->wbxml_public_id) {
        /* Cannot happen with the DOCTYPE we wrote; never send a handset
         * a document of another language. */
        set_err(err, errlen, "libwbxml2 chose another language");
        rc = WSPGW_EPROTO;
    } else if (v->lang == GW_WBXML_WML) {
        mark = out->len;
        rc = wml_post(wb, wblen, out);
        if (rc != 0) {
            out->len = mark;        /* nothing half-written stays */
            if (out->cap > 0) {
                out->data[mark] = '\0';
            }
        }
        if (rc == WSPGW_EPROTO) {
            set_err(err, errlen, "libwbxml2 wrote WBXML we cannot read");
        }
    } else {
        rc = wspgw_buf_append(out, wb, wblen);
    }
    if (wb != NULL) {
        wbxml_free(wb);
    }
    return rc;
}


int
gw_wbxml_compile(enum gw_wbxml_lang lang, const uint8_t *xml, size_t len,
    struct wspgw_buf *out, char *err, size_t errlen)
{
    return gw_wbxml_compile_charset(lang, xml, len, NULL, out, err, errlen);
}


/* Does the transport's charset cs leave the octets as expat reads them
 * (so no conversion is needed)?  decl is the declaration's encoding. */
static int
charset_agrees(const char *cs, const char *decl)
{
    if (decl[0] == '\0') {
        return strcasecmp(cs, "UTF-8") == 0 ||
            strcasecmp(cs, "US-ASCII") == 0;
    }
    return strcasecmp(cs, decl) == 0 && expat_native(decl) &&
        strcasecmp(decl, "UTF-16") != 0;
}


int
gw_wbxml_compile_charset(enum gw_wbxml_lang lang, const uint8_t *xml,
    size_t len, const char *charset, struct wspgw_buf *out, char *err,
    size_t errlen)
{
    struct wspgw_buf conv, doc;
    struct prolog pr;
    struct tail_map map;
    const struct lang_ver *v;
    const uint8_t *d = xml;
    const char *from;
    char root[16];
    int rc, converted = 0;

    if (err != NULL && errlen > 0) {
        err[0] = '\0';
    }
    if (lang != GW_WBXML_WML && lang != GW_WBXML_SI && lang != GW_WBXML_SL) {
        return WSPGW_EINVAL;
    }
    if (len > GW_WBXML_IN_MAX) {
        set_err(err, errlen, "document too large to compile");
        return WSPGW_EMSGSIZE;
    }
    if (len == 0) {
        set_err(err, errlen, "empty document");
        return WSPGW_EPROTO;
    }
    wspgw_buf_init(&conv, GW_WBXML_IN_MAX * 3 + 1);
    wspgw_buf_init(&doc, GW_WBXML_IN_MAX * 3 + 1024);

    /* Step 1: an ASCII-compatible view of the document. */
    from = utf16_of(xml, len);
    if (from == NULL && charset != NULL && charset[0] != '\0') {
        if (scan_prolog(xml, len, &pr) != 0) {
            pr.encoding[0] = '\0';
        }
        if (!charset_agrees(charset, pr.encoding)) {
            from = charset;
        }
    } else if (from == NULL && scan_prolog(xml, len, &pr) == 0 &&
        !expat_native(pr.encoding)) {
        from = pr.encoding;
    }
    if (from != NULL) {
        rc = to_utf8(from, xml, len, &conv, err, errlen);
        if (rc != 0) {
            goto done;
        }
        d = conv.data;
        len = conv.len;
        converted = 1;
    }

    /* Step 2: the prolog decides the version; the root the language. */
    memset(&map, 0, sizeof(map));
    map.orig = d;
    map.orig_len = len;
    if (scan_prolog(d, len, &pr) != 0) {
        rc = check_xml(d, len, &map, err, errlen);
        if (rc == 0) {
            set_err(err, errlen, "cannot read the XML prolog");
            rc = WSPGW_EPROTO;
        }
        goto done;
    }
    v = pick_version(lang, &pr);
    if (pr.root_len != strlen(v->root) ||
        memcmp(pr.root, v->root, pr.root_len) != 0) {
        snprintf(root, sizeof(root), "%.*s",
            (int)(pr.root_len < 10 ? pr.root_len : 10), pr.root);
        if (err != NULL && errlen > 0) {
            snprintf(err, errlen,
                "not %s: the root element is <%s%s>, not <%s>",
                lang_name(lang), root, pr.root_len > 10 ? "..." : "",
                v->root);
        }
        rc = WSPGW_EPROTO;
        goto done;
    }

    /* Step 3: our DOCTYPE, then libwbxml2. */
    rc = rewrite(d, len, &pr, v, converted, &doc, &map.doc_tail);
    map.orig_tail = pr.dt_end;
    if (rc == 0) {
        rc = check_xml(doc.data, doc.len, &map, err, errlen);
    }
    if (rc == 0) {
        rc = run_libwbxml(v, &doc, out, err, errlen);
    }
    if (rc == WSPGW_EMSGSIZE && err != NULL && err[0] == '\0') {
        set_err(err, errlen, "compiled document too large");
    }

done:
    wspgw_buf_free(&conv);
    wspgw_buf_free(&doc);
    return rc;
}


enum gw_wbxml_lang
gw_wbxml_lang_of(const char *content_type)
{
    static const struct {
        const char *type;
        enum gw_wbxml_lang lang;
    } types[] = {
        { "text/vnd.wap.wml", GW_WBXML_WML },
        { "text/vnd.wap.si", GW_WBXML_SI },
        { "text/vnd.wap.sl", GW_WBXML_SL },
    };
    size_t i, n;

    if (content_type == NULL) {
        return (enum gw_wbxml_lang)0;
    }
    while (*content_type == ' ' || *content_type == '\t') {
        content_type++;
    }
    n = strcspn(content_type, ";");
    while (n > 0 && (content_type[n - 1] == ' ' ||
        content_type[n - 1] == '\t'))
    {
        n--;
    }
    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        if (strlen(types[i].type) == n &&
            strncasecmp(types[i].type, content_type, n) == 0)
        {
            return types[i].lang;
        }
    }
    return (enum gw_wbxml_lang)0;
}


const char *
gw_wbxml_content_type(enum gw_wbxml_lang lang)
{
    switch (lang) {
    case GW_WBXML_WML:
        return "application/vnd.wap.wmlc";
    case GW_WBXML_SI:
        return "application/vnd.wap.sic";
    case GW_WBXML_SL:
        return "application/vnd.wap.slc";
    }
    return NULL;
}
