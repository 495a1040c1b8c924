/*
 * gateway/wbxml.h - XML to WBXML for the content the gateway compiles:
 * WML decks for handsets that accept only WMLC (issue 4) and SI/SL for
 * WAP Push (issue 6).  Wraps Debian's libwbxml2; pure code (no libuv).
 */
#ifndef WSPGW_GATEWAY_WBXML_H
#define WSPGW_GATEWAY_WBXML_H

#include <stddef.h>
#include <stdint.h>

#include "wspgw/buf.h"

enum gw_wbxml_lang {
    GW_WBXML_WML = 1,   /* text/vnd.wap.wml    -> application/vnd.wap.wmlc */
    GW_WBXML_SI,        /* text/vnd.wap.si     -> application/vnd.wap.sic */
    GW_WBXML_SL         /* text/vnd.wap.sl     -> application/vnd.wap.slc */
};

/*
 * Compiles xml (len octets, any charset the XML declares; UTF-8 when
 * none) into WBXML appended to out.  Returns 0, or WSPGW_EPROTO with a
 * one-line reason in err (size errlen) when the document does not parse
 * or is not of that language, or a buffer error (WSPGW_EMSGSIZE).
 */
int gw_wbxml_compile(enum gw_wbxml_lang lang, const uint8_t *xml,
    size_t len, struct wspgw_buf *out, char *err, size_t errlen);

/*
 * The same, for a document whose transport names its charset (the
 * charset parameter of an HTTP Content-Type; NULL or "" when none).
 * Which charset applies follows RFC 7303 8.1: UTF-16 (a byte order mark,
 * or "<?" as 16-bit units) first, then this charset, then the XML
 * declaration's encoding, then UTF-8.
 */
int gw_wbxml_compile_charset(enum gw_wbxml_lang lang, const uint8_t *xml,
    size_t len, const char *charset, struct wspgw_buf *out, char *err,
    size_t errlen);

/* The language of a text content type ("text/vnd.wap.si; charset=..."),
 * or 0 when it is none of them. */
enum gw_wbxml_lang gw_wbxml_lang_of(const char *content_type);

/* The content type of the compiled form ("application/vnd.wap.sic"). */
const char *gw_wbxml_content_type(enum gw_wbxml_lang lang);

#endif /* WSPGW_GATEWAY_WBXML_H */
