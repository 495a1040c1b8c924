/*
 * gateway/wmlc.h - WML to WMLC on the fly in the reply path (issue 4):
 * which handsets get a compiled deck, and the compile step itself, with
 * the error deck a handset gets when a deck does not compile.
 *
 * Pure code (no libuv): cl.c and co.c call it, tests link it.
 */
#ifndef WSPGW_GATEWAY_WMLC_H
#define WSPGW_GATEWAY_WMLC_H

#include <stddef.h>
#include <stdint.h>

#include "wspgw/buf.h"
#include "wspgw/wsp.h"

/* [upstream] compile-wml. */
enum gw_wmlc_mode {
    GW_WMLC_AUTO = 0,       /* compile for handsets that accept only WMLC */
    GW_WMLC_ALWAYS,         /* compile every WML response */
    GW_WMLC_NEVER           /* pass WML through */
};

/* Parses "auto", "always" or "never" (any case).  -1 for other text. */
int gw_wmlc_mode_parse(const char *text);

/*
 * Whether a handset, judged by the request headers it sent (in session
 * mode with the session's Connect headers merged in), reads WMLC but not
 * WML:
 *   - Every Accept header counts; each media range of each, with its q
 *     (RFC 9110 12.5.1; q absent = 1, q=0 = "not acceptable").  The q
 *     that applies to a type is that of the most specific range that
 *     matches it (type/subtype over type/ over * / *).
 *   - 1 when application/vnd.wap.wmlc gets q > 0 and text/vnd.wap.wml
 *     gets q = 0 (it is not listed, nor text/ *, nor * / *, or listed
 *     with q=0).  A handset that accepts both gets WML as the origin
 *     sent it, whatever it prefers.
 *   - 1 when the handset sent no Accept header at all: a WAP 1.x user
 *     agent must read WMLC (WAE), textual WML is optional, and such
 *     handsets are what operators put behind a WAP gateway; HTTP's "no
 *     Accept means anything" was written for browsers that read text.
 *   - 0 otherwise (Accept headers that list neither: the handset did not
 *     ask for a deck at all).
 * req is borrowed.
 */
int gw_wmlc_handset_needs(const struct wsp_hdrs *req);

/*
 * Whether to compile this response: its Content-Type is text/vnd.wap.wml
 * (parameters allowed) and mode is always, or auto with needs (the value
 * gw_wmlc_handset_needs gave at request time).  A response without body
 * (HEAD, 204, 304) or with a Content-Encoding or a Content-Range (a 206
 * part) is never compiled: there is no whole deck to compile.
 */
int gw_wmlc_wanted(enum gw_wmlc_mode mode, int needs, int status,
    const struct wsp_hdrs *resp, size_t body_len);

/* What gw_wmlc_compile_reply did. */
enum gw_wmlc_outcome {
    GW_WMLC_COMPILED = 0,   /* 200-as-upstream, application/vnd.wap.wmlc */
    GW_WMLC_ERROR_DECK,     /* 502 with a WMLC deck saying why */
    GW_WMLC_ERROR_TEXT      /* 502 text/plain (the error deck failed too) */
};

#define GW_WMLC_OUT_MAX (256 * 1024)    /* cap on one compiled deck */

/*
 * The compile step.  Compiles body (the WML deck of a response whose
 * headers are resp) and fills hout (initialised by the caller, emptied
 * here) and bout (likewise):
 *   - compiled: the status stays; hout is resp with Content-Type
 *     application/vnd.wap.wmlc (a charset parameter becomes
 *     charset=utf-8: the WBXML strings are UTF-8; other parameters are
 *     dropped) and without Content-Length and Content-MD5, which
 *     described the text deck (bridge.c sets Content-Length to the
 *     compiled size); bout is the WMLC.
 *   - the deck does not compile: *status 502 and a small WML 1.1 error
 *     deck, compiled through the same library, that says why (the
 *     reason is escaped for XML and WML variables), or text/plain if
 *     even that fails.  reason receives libwbxml2's / expat's one-line
 *     reason for the log.
 * At most max_out octets of WMLC (0: GW_WMLC_OUT_MAX).  Returns the
 * outcome (>= 0), or WSPGW_ENOMEM / a list error when nothing could be
 * built (the caller answers with its own error Reply).
 */
int gw_wmlc_compile_reply(const struct wsp_hdrs *resp, const uint8_t *body,
    size_t body_len, size_t max_out, int *status, struct wsp_hdrs *hout,
    struct wspgw_buf *bout, char *reason, size_t reasonlen);

/* The response the reply path encodes: the upstream's, or the compiled
 * one (pointing into the caller's buffers). */
struct gw_wmlc_resp {
    int status;
    const struct wsp_hdrs *headers;
    const uint8_t *body;
    size_t body_len;
};

/* Counters the compile step bumps (fields of struct gw_stats). */
struct gw_wmlc_counts {
    uint64_t *compiled;
    uint64_t *failed;
};

/*
 * The compile step as cl.c and co.c run it: when gw_wmlc_wanted says
 * so, compiles r's body into hbuf/bbuf (the caller's, reused) and points
 * r at the result; a deck that does not compile is logged at warn with
 * url and the reason and counted, and r becomes the 502 error page.
 * Returns 0 (r is what to send), or WSPGW_ENOMEM (r unchanged: the
 * caller answers with its own error Reply).
 */
int gw_wmlc_apply(enum gw_wmlc_mode mode, int needs, const char *url,
    size_t max_out, struct gw_wmlc_resp *r, struct wsp_hdrs *hbuf,
    struct wspgw_buf *bbuf, const struct gw_wmlc_counts *counts);

#endif /* WSPGW_GATEWAY_WMLC_H */
