/*
 * wsp/wsp_int.h - private declarations shared by the files of wsp/.
 *
 * Spec: WAP-230-WSP-20010705-a, Appendix A (assigned numbers) and 8.4
 * (header encoding).  Facts cross-checked in shared/reference/
 * wsp-headers.md; where sources disagree the choice is noted at the list.
 *
 * Holds the X-macro lists of assigned numbers (STYLE.md 3.3) and the
 * lookups over them, the value-grammar identifiers that tie a header
 * field to its codec (codecs[] in hdr_value.c), and helpers that let
 * hdr_decode.c render straight into a struct wsp_hdrs without a scratch
 * copy.  The header codec's own internals are in hdr_int.h.
 *
 * Nothing here allocates except through struct wspgw_buf.  No globals:
 * the tables are static const arrays inside tables.c.
 */
#ifndef WSP_WSP_INT_H
#define WSP_WSP_INT_H

#include <stddef.h>
#include <stdint.h>

#include "wspgw/buf.h"
#include "wspgw/wsp.h"

/*
 * Value grammars of header fields and parameters (WAP-230 8.4.2).  Each
 * field row names one; codecs[] in hdr_value.c maps each to a decode
 * (hdr_decode.c) and an encode (hdr_encode.c) function.  Adding a
 * grammar = one enum value + one codec row + the pair of functions.
 */
enum wsp__grammar {
    WSP_G_NONE = 0,         /* not rendered: skipped / sent as text */
    WSP_G_TEXT,             /* Text-string or Quoted-string */
    WSP_G_INT,              /* Integer-value (decimal) */
    WSP_G_DATE,             /* Date-value (RFC 1123 text) */
    WSP_G_DATE_OR_TEXT,     /* If-Range: Text-string | Date-value */
    WSP_G_ACCEPT,           /* Accept: media range + parameters */
    WSP_G_CTYPE,            /* Content-type-value */
    WSP_G_CHARSET,          /* Accept-charset-value */
    WSP_G_ACCEPT_LANG,      /* Accept-language-value */
    WSP_G_CONTENT_LANG,     /* Content-language-value */
    WSP_G_ACCEPT_ENC_11,    /* Accept-Encoding 0x02 (no "*" code) */
    WSP_G_ACCEPT_ENC,       /* Accept-Encoding 0x3C */
    WSP_G_CONTENT_ENC,      /* gzip | compress | deflate | Token-text */
    WSP_G_ACCEPT_RANGES,    /* none | bytes | Token-text */
    WSP_G_CONNECTION,       /* close | Token-text */
    WSP_G_TRANSFER_ENC,     /* chunked | Token-text */
    WSP_G_PRAGMA,           /* no-cache | Value-length Parameter */
    WSP_G_SECURITY,         /* close-subordinate */
    WSP_G_METHOD,           /* Allow: well-known method */
    WSP_G_PUBLIC,           /* Public: well-known method | Token-text */
    WSP_G_VERSION,          /* Version-value */
    WSP_G_CACHE_CONTROL,    /* Cache-control-value */
    WSP_G_APP_ID,           /* X-Wap-Application-Id: Uri | Integer */
    WSP_G_FIELD_NAME,       /* Vary, Trailer: Field-name */
    WSP_G_DISPOSITION,      /* Content-Disposition */
    WSP_G_RANGE,            /* Range (hdr_ext.c) */
    WSP_G_CRANGE_11,        /* Content-Range 0x10 */
    WSP_G_CRANGE,           /* Content-Range 0x3E: adds Unknown-length */
    WSP_G_RETRY_AFTER,      /* Retry-After: Date | Delta-seconds */
    WSP_G_CREDENTIALS,      /* Authorization: Basic credentials */
    WSP_G_CHALLENGE,        /* WWW-Authenticate: Basic challenge */
    WSP_G_WARNING,          /* Warning */
    WSP_G_MD5,              /* Content-MD5: 16-octet digest */
    WSP_G_TE,               /* TE: trailers | general form with Q */
    WSP_G_EXPECT,           /* Expect: 100-continue | expression */
    WSP_G_PROFILE_WARNING,  /* Profile-Warning */
    WSP_G_SET_COOKIE,       /* Set-Cookie */
    WSP_G_COOKIE,           /* Cookie */
    WSP_G_ENC_VERSION,      /* Encoding-Version, with the code-page form */
    WSP_G_LOC,              /* X-Wap-Loc-*: text in, never encoded */
    WSP_G_PROFILE_DIFF,     /* Profile-Diff: WBXML UAProf <-> XML text */
    /* Parameter-only grammars (typed parameter values, 8.4.2.4). */
    WSP_G_QVALUE,           /* Q-value */
    WSP_G_WK_CHARSET,       /* Well-known-charset */
    WSP_G_CENC,             /* Constrained-encoding (media) */
    WSP_G_NOVALUE,          /* No-value */
    WSP_G_SHORT             /* Short-integer */
};

/*
 * Header field names, code page 1 (WAP-230 Appendix A Table 39, "Field
 * Name Assignments").  XX(NAME, code, "Name", version, grammar).
 * Follows Wireshark on 0x48-0x4A (Expect 1.5, X-Wap-Loc-Invocation,
 * X-Wap-Loc-Delivery); Kannel omits Expect-1.5 and is off by one there.
 */
#define WSP_FIELD_MAP(XX)                                                  \
    XX(ACCEPT,              0x00, "Accept",              0x11, ACCEPT)     \
    XX(ACCEPT_CHARSET_11,   0x01, "Accept-Charset",      0x11, CHARSET)    \
    XX(ACCEPT_ENCODING_11,  0x02, "Accept-Encoding",     0x11,             \
        ACCEPT_ENC_11)                                                     \
    XX(ACCEPT_LANGUAGE,     0x03, "Accept-Language",     0x11, ACCEPT_LANG)\
    XX(ACCEPT_RANGES,       0x04, "Accept-Ranges",       0x11,             \
        ACCEPT_RANGES)                                                     \
    XX(AGE,                 0x05, "Age",                 0x11, INT)        \
    XX(ALLOW,               0x06, "Allow",               0x11, METHOD)     \
    XX(AUTHORIZATION,       0x07, "Authorization",       0x11,             \
        CREDENTIALS)                                                       \
    XX(CACHE_CONTROL_11,    0x08, "Cache-Control",       0x11,             \
        CACHE_CONTROL)                                                     \
    XX(CONNECTION,          0x09, "Connection",          0x11, CONNECTION) \
    XX(CONTENT_BASE,        0x0A, "Content-Base",        0x11, TEXT)       \
    XX(CONTENT_ENCODING,    0x0B, "Content-Encoding",    0x11, CONTENT_ENC)\
    XX(CONTENT_LANGUAGE,    0x0C, "Content-Language",    0x11,             \
        CONTENT_LANG)                                                      \
    XX(CONTENT_LENGTH,      0x0D, "Content-Length",      0x11, INT)        \
    XX(CONTENT_LOCATION,    0x0E, "Content-Location",    0x11, TEXT)       \
    XX(CONTENT_MD5,         0x0F, "Content-MD5",         0x11, MD5)        \
    XX(CONTENT_RANGE_11,    0x10, "Content-Range",       0x11, CRANGE_11)  \
    XX(CONTENT_TYPE,        0x11, "Content-Type",        0x11, CTYPE)      \
    XX(DATE,                0x12, "Date",                0x11, DATE)       \
    XX(ETAG,                0x13, "Etag",                0x11, TEXT)       \
    XX(EXPIRES,             0x14, "Expires",             0x11, DATE)       \
    XX(FROM,                0x15, "From",                0x11, TEXT)       \
    XX(HOST,                0x16, "Host",                0x11, TEXT)       \
    XX(IF_MODIFIED_SINCE,   0x17, "If-Modified-Since",   0x11, DATE)       \
    XX(IF_MATCH,            0x18, "If-Match",            0x11, TEXT)       \
    XX(IF_NONE_MATCH,       0x19, "If-None-Match",       0x11, TEXT)       \
    XX(IF_RANGE,            0x1A, "If-Range",            0x11,             \
        DATE_OR_TEXT)                                                      \
    XX(IF_UNMODIFIED_SINCE, 0x1B, "If-Unmodified-Since", 0x11, DATE)       \
    XX(LOCATION,            0x1C, "Location",            0x11, TEXT)       \
    XX(LAST_MODIFIED,       0x1D, "Last-Modified",       0x11, DATE)       \
    XX(MAX_FORWARDS,        0x1E, "Max-Forwards",        0x11, INT)        \
    XX(PRAGMA,              0x1F, "Pragma",              0x11, PRAGMA)     \
    XX(PROXY_AUTHENTICATE,  0x20, "Proxy-Authenticate",  0x11, CHALLENGE)  \
    XX(PROXY_AUTHORIZATION, 0x21, "Proxy-Authorization", 0x11,             \
        CREDENTIALS)                                                       \
    XX(PUBLIC,              0x22, "Public",              0x11, PUBLIC)     \
    XX(RANGE,               0x23, "Range",               0x11, RANGE)      \
    XX(REFERER,             0x24, "Referer",             0x11, TEXT)       \
    XX(RETRY_AFTER,         0x25, "Retry-After",         0x11,             \
        RETRY_AFTER)                                                       \
    XX(SERVER,              0x26, "Server",              0x11, TEXT)       \
    XX(TRANSFER_ENCODING,   0x27, "Transfer-Encoding",   0x11,             \
        TRANSFER_ENC)                                                      \
    XX(UPGRADE,             0x28, "Upgrade",             0x11, TEXT)       \
    XX(USER_AGENT,          0x29, "User-Agent",          0x11, TEXT)       \
    XX(VARY,                0x2A, "Vary",                0x11, FIELD_NAME) \
    XX(VIA,                 0x2B, "Via",                 0x11, TEXT)       \
    XX(WARNING,             0x2C, "Warning",             0x11, WARNING)    \
    XX(WWW_AUTHENTICATE,    0x2D, "WWW-Authenticate",    0x11, CHALLENGE)  \
    XX(CONTENT_DISPOSITION_11, 0x2E, "Content-Disposition", 0x11,          \
        DISPOSITION)                                                       \
    XX(X_WAP_APPLICATION_ID, 0x2F, "X-Wap-Application-Id", 0x12, APP_ID)   \
    XX(X_WAP_CONTENT_URI,   0x30, "X-Wap-Content-URI",   0x12, TEXT)       \
    XX(X_WAP_INITIATOR_URI, 0x31, "X-Wap-Initiator-URI", 0x12, TEXT)       \
    XX(ACCEPT_APPLICATION,  0x32, "Accept-Application",  0x12, APP_ID)     \
    XX(BEARER_INDICATION,   0x33, "Bearer-Indication",   0x12, INT)        \
    XX(PUSH_FLAG,           0x34, "Push-Flag",           0x12, SHORT)      \
    XX(PROFILE,             0x35, "Profile",             0x12, TEXT)       \
    XX(PROFILE_DIFF,        0x36, "Profile-Diff",        0x12,             \
        PROFILE_DIFF)       \
    XX(PROFILE_WARNING_12,  0x37, "Profile-Warning",     0x12,             \
        PROFILE_WARNING)                                                   \
    XX(EXPECT_13,           0x38, "Expect",              0x13, EXPECT)     \
    XX(TE,                  0x39, "TE",                  0x13, TE)         \
    XX(TRAILER,             0x3A, "Trailer",             0x13, FIELD_NAME) \
    XX(ACCEPT_CHARSET,      0x3B, "Accept-Charset",      0x13, CHARSET)    \
    XX(ACCEPT_ENCODING,     0x3C, "Accept-Encoding",     0x13, ACCEPT_ENC) \
    XX(CACHE_CONTROL_13,    0x3D, "Cache-Control",       0x13,             \
        CACHE_CONTROL)                                                     \
    XX(CONTENT_RANGE,       0x3E, "Content-Range",       0x13, CRANGE)     \
    XX(X_WAP_TOD,           0x3F, "X-Wap-Tod",           0x13, DATE)       \
    XX(CONTENT_ID,          0x40, "Content-ID",          0x13, TEXT)       \
    XX(SET_COOKIE,          0x41, "Set-Cookie",          0x13, SET_COOKIE) \
    XX(COOKIE,              0x42, "Cookie",              0x13, COOKIE)     \
    XX(ENCODING_VERSION,    0x43, "Encoding-Version",    0x13,             \
        ENC_VERSION)                                                       \
    XX(PROFILE_WARNING,     0x44, "Profile-Warning",     0x14,             \
        PROFILE_WARNING)                                                   \
    XX(CONTENT_DISPOSITION, 0x45, "Content-Disposition", 0x14, DISPOSITION)\
    XX(X_WAP_SECURITY,      0x46, "X-WAP-Security",      0x14, SECURITY)   \
    XX(CACHE_CONTROL,       0x47, "Cache-Control",       0x14,             \
        CACHE_CONTROL)                                                     \
    XX(EXPECT,              0x48, "Expect",              0x15, EXPECT)     \
    XX(X_WAP_LOC_INVOCATION, 0x49, "X-Wap-Loc-Invocation", 0x15, LOC)      \
    XX(X_WAP_LOC_DELIVERY,  0x4A, "X-Wap-Loc-Delivery",  0x15, LOC)

enum wsp__field {
#define XX(name, code, text, ver, g) WSP_FIELD_##name = (code),
    WSP_FIELD_MAP(XX)
#undef XX
};

/*
 * Well-known parameters (WAP-230 Appendix A Table 38, "Well-Known
 * Parameter Assignments").  XX(NAME, token, "name", version, grammar).
 * 0x04 is unassigned (Kannel's "uaprof" appears in no other source).
 * The 1.4 Text-value rows (0x17-0x1D) duplicate older Text-string rows.
 */
#define WSP_PARAM_MAP(XX)                                                  \
    XX(Q,                 0x00, "q",                 0x11, QVALUE)         \
    XX(CHARSET,           0x01, "charset",           0x11, WK_CHARSET)     \
    XX(LEVEL,             0x02, "level",             0x11, VERSION)        \
    XX(TYPE,              0x03, "type",              0x11, INT)            \
    XX(NAME_11,           0x05, "name",              0x11, TEXT)           \
    XX(FILENAME_11,       0x06, "filename",          0x11, TEXT)           \
    XX(DIFFERENCES,       0x07, "differences",       0x11, FIELD_NAME)     \
    XX(PADDING,           0x08, "padding",           0x11, SHORT)          \
    XX(TYPE_MULTIPART,    0x09, "type",              0x12, CENC)           \
    XX(START_12,          0x0A, "start",             0x12, TEXT)           \
    XX(START_INFO_12,     0x0B, "start-info",        0x12, TEXT)           \
    XX(COMMENT_13,        0x0C, "comment",           0x13, TEXT)           \
    XX(DOMAIN_13,         0x0D, "domain",            0x13, TEXT)           \
    XX(MAX_AGE,           0x0E, "max-age",           0x13, INT)            \
    XX(PATH_13,           0x0F, "path",              0x13, TEXT)           \
    XX(SECURE,            0x10, "secure",            0x13, NOVALUE)        \
    XX(SEC,               0x11, "sec",               0x14, SHORT)          \
    XX(MAC,               0x12, "mac",               0x14, TEXT)           \
    XX(CREATION_DATE,     0x13, "creation-date",     0x14, DATE)           \
    XX(MODIFICATION_DATE, 0x14, "modification-date", 0x14, DATE)           \
    XX(READ_DATE,         0x15, "read-date",         0x14, DATE)           \
    XX(SIZE,              0x16, "size",              0x14, INT)            \
    XX(NAME,              0x17, "name",              0x14, TEXT)           \
    XX(FILENAME,          0x18, "filename",          0x14, TEXT)           \
    XX(START,             0x19, "start",             0x14, TEXT)           \
    XX(START_INFO,        0x1A, "start-info",        0x14, TEXT)           \
    XX(COMMENT,           0x1B, "comment",           0x14, TEXT)           \
    XX(DOMAIN,            0x1C, "domain",            0x14, TEXT)           \
    XX(PATH,              0x1D, "path",              0x14, TEXT)

enum wsp__param {
#define XX(name, code, text, ver, g) WSP_PARAM_##name = (code),
    WSP_PARAM_MAP(XX)
#undef XX
};

/*
 * Content types (WAP-230 Appendix A Table 40, "Content Type Assignments",
 * as extended by the OMNA registry).  XX(code, "type", version); codes
 * >= 0x100 are the registered values that only travel as a Long-integer
 * in the general form.  Versions 1.6 and "TBD" are written 0x16/0x17 so
 * the encoder never picks them for a 1.x peer that did not say so.
 * 0x0A/0x16 names follow AN, MZ and UT (Wireshark and Kannel differ).
 */
#define WSP_CTYPE_MAP(XX)                                                  \
    XX(0x00, "*/*", 0x11)                                                  \
    XX(0x01, "text/*", 0x11)                                               \
    XX(0x02, "text/html", 0x11)                                            \
    XX(0x03, "text/plain", 0x11)                                           \
    XX(0x04, "text/x-hdml", 0x11)                                          \
    XX(0x05, "text/x-ttml", 0x11)                                          \
    XX(0x06, "text/x-vCalendar", 0x11)                                     \
    XX(0x07, "text/x-vCard", 0x11)                                         \
    XX(0x08, "text/vnd.wap.wml", 0x11)                                     \
    XX(0x09, "text/vnd.wap.wmlscript", 0x11)                               \
    XX(0x0A, "text/vnd.wap.wta-event", 0x11)                               \
    XX(0x0B, "multipart/*", 0x11)                                          \
    XX(0x0C, "multipart/mixed", 0x11)                                      \
    XX(0x0D, "multipart/form-data", 0x11)                                  \
    XX(0x0E, "multipart/byteranges", 0x11)                                 \
    XX(0x0F, "multipart/alternative", 0x11)                                \
    XX(0x10, "application/*", 0x11)                                        \
    XX(0x11, "application/java-vm", 0x11)                                  \
    XX(0x12, "application/x-www-form-urlencoded", 0x11)                    \
    XX(0x13, "application/x-hdmlc", 0x11)                                  \
    XX(0x14, "application/vnd.wap.wmlc", 0x11)                             \
    XX(0x15, "application/vnd.wap.wmlscriptc", 0x11)                       \
    XX(0x16, "application/vnd.wap.wta-eventc", 0x11)                       \
    XX(0x17, "application/vnd.wap.uaprof", 0x11)                           \
    XX(0x18, "application/vnd.wap.wtls-ca-certificate", 0x11)              \
    XX(0x19, "application/vnd.wap.wtls-user-certificate", 0x11)            \
    XX(0x1A, "application/x-x509-ca-cert", 0x11)                           \
    XX(0x1B, "application/x-x509-user-cert", 0x11)                         \
    XX(0x1C, "image/*", 0x11)                                              \
    XX(0x1D, "image/gif", 0x11)                                            \
    XX(0x1E, "image/jpeg", 0x11)                                           \
    XX(0x1F, "image/tiff", 0x11)                                           \
    XX(0x20, "image/png", 0x11)                                            \
    XX(0x21, "image/vnd.wap.wbmp", 0x11)                                   \
    XX(0x22, "application/vnd.wap.multipart.*", 0x11)                      \
    XX(0x23, "application/vnd.wap.multipart.mixed", 0x11)                  \
    XX(0x24, "application/vnd.wap.multipart.form-data", 0x11)              \
    XX(0x25, "application/vnd.wap.multipart.byteranges", 0x11)             \
    XX(0x26, "application/vnd.wap.multipart.alternative", 0x11)            \
    XX(0x27, "application/xml", 0x11)                                      \
    XX(0x28, "text/xml", 0x11)                                             \
    XX(0x29, "application/vnd.wap.wbxml", 0x11)                            \
    XX(0x2A, "application/x-x968-cross-cert", 0x11)                        \
    XX(0x2B, "application/x-x968-ca-cert", 0x11)                           \
    XX(0x2C, "application/x-x968-user-cert", 0x11)                         \
    XX(0x2D, "text/vnd.wap.si", 0x11)                                      \
    XX(0x2E, "application/vnd.wap.sic", 0x12)                              \
    XX(0x2F, "text/vnd.wap.sl", 0x12)                                      \
    XX(0x30, "application/vnd.wap.slc", 0x12)                              \
    XX(0x31, "text/vnd.wap.co", 0x12)                                      \
    XX(0x32, "application/vnd.wap.coc", 0x12)                              \
    XX(0x33, "application/vnd.wap.multipart.related", 0x12)                \
    XX(0x34, "application/vnd.wap.sia", 0x12)                              \
    XX(0x35, "text/vnd.wap.connectivity-xml", 0x13)                        \
    XX(0x36, "application/vnd.wap.connectivity-wbxml", 0x13)               \
    XX(0x37, "application/pkcs7-mime", 0x14)                               \
    XX(0x38, "application/vnd.wap.hashed-certificate", 0x14)               \
    XX(0x39, "application/vnd.wap.signed-certificate", 0x14)               \
    XX(0x3A, "application/vnd.wap.cert-response", 0x14)                    \
    XX(0x3B, "application/xhtml+xml", 0x14)                                \
    XX(0x3C, "application/wml+xml", 0x14)                                  \
    XX(0x3D, "text/css", 0x14)                                             \
    XX(0x3E, "application/vnd.wap.mms-message", 0x14)                      \
    XX(0x3F, "application/vnd.wap.rollover-certificate", 0x14)             \
    XX(0x40, "application/vnd.wap.locc+wbxml", 0x15)                       \
    XX(0x41, "application/vnd.wap.loc+xml", 0x15)                          \
    XX(0x42, "application/vnd.syncml.dm+wbxml", 0x15)                      \
    XX(0x43, "application/vnd.syncml.dm+xml", 0x15)                        \
    XX(0x44, "application/vnd.syncml.notification", 0x15)                  \
    XX(0x45, "application/vnd.wap.xhtml+xml", 0x15)                        \
    XX(0x46, "application/vnd.wv.csp.cir", 0x15)                           \
    XX(0x47, "application/vnd.oma.dd+xml", 0x15)                           \
    XX(0x48, "application/vnd.oma.drm.message", 0x15)                      \
    XX(0x49, "application/vnd.oma.drm.content", 0x15)                      \
    XX(0x4A, "application/vnd.oma.drm.rights+xml", 0x15)                   \
    XX(0x4B, "application/vnd.oma.drm.rights+wbxml", 0x15)                 \
    XX(0x4C, "application/vnd.wv.csp+xml", 0x15)                           \
    XX(0x4D, "application/vnd.wv.csp+wbxml", 0x15)                         \
    XX(0x4E, "application/vnd.syncml.ds.notification", 0x15)               \
    XX(0x4F, "audio/*", 0x16)                                              \
    XX(0x50, "video/*", 0x16)                                              \
    XX(0x51, "application/vnd.oma.dd2+xml", 0x17)                          \
    XX(0x52, "application/mikey", 0x17)                                    \
    XX(0x53, "application/vnd.oma.dcd", 0x17)                              \
    XX(0x54, "application/vnd.oma.dcdc", 0x17)                             \
    XX(0x55, "text/x-vMessage", 0x17)                                      \
    XX(0x56, "application/vnd.omads-email+wbxml", 0x17)                    \
    XX(0x57, "text/x-vBookmark", 0x17)                                     \
    XX(0x58, "application/vnd.syncml.dm.notification", 0x17)               \
    XX(0x5A, "application/octet-stream", 0x17)                             \
    XX(0x0201, "application/vnd.uplanet.cacheop-wbxml", 0x11)              \
    XX(0x0202, "application/vnd.uplanet.signal", 0x11)                     \
    XX(0x0203, "application/vnd.uplanet.alert-wbxml", 0x11)                \
    XX(0x0204, "application/vnd.uplanet.list-wbxml", 0x11)                 \
    XX(0x0205, "application/vnd.uplanet.listcmd-wbxml", 0x11)              \
    XX(0x0206, "application/vnd.uplanet.channel-wbxml", 0x11)              \
    XX(0x0207, "application/vnd.uplanet.provisioning-status-uri", 0x11)    \
    XX(0x0208, "x-wap.multipart/vnd.uplanet.header-set", 0x11)             \
    XX(0x0209, "application/vnd.uplanet.bearer-choice-wbxml", 0x11)        \
    XX(0x020A, "application/vnd.phonecom.mmc-wbxml", 0x11)                 \
    XX(0x020B, "application/vnd.nokia.syncset+wbxml", 0x11)                \
    XX(0x020C, "image/x-up-wpng", 0x11)                                    \
    XX(0x0300, "application/iota.mmc-wbxml", 0x11)                         \
    XX(0x0301, "application/iota.mmc-xml", 0x11)                           \
    XX(0x0302, "application/vnd.syncml+xml", 0x11)                         \
    XX(0x0303, "application/vnd.syncml+wbxml", 0x11)                       \
    XX(0x0304, "text/vnd.wap.emn+xml", 0x11)                               \
    XX(0x0305, "text/calendar", 0x11)                                      \
    XX(0x030A, "application/vnd.wap.emn+wbxml", 0x11)

/*
 * Character sets as IANA MIBenum (WAP-230 Appendix A Table 42, which
 * defers to the IANA registry).  XX(mibenum, "name").  Names are the
 * IANA preferred MIME names; lookups are case-insensitive.
 */
#define WSP_CHARSET_MAP(XX)                                                \
    XX(3, "us-ascii")                                                      \
    XX(4, "iso-8859-1")                                                    \
    XX(5, "iso-8859-2")                                                    \
    XX(6, "iso-8859-3")                                                    \
    XX(7, "iso-8859-4")                                                    \
    XX(8, "iso-8859-5")                                                    \
    XX(9, "iso-8859-6")                                                    \
    XX(10, "iso-8859-7")                                                   \
    XX(11, "iso-8859-8")                                                   \
    XX(12, "iso-8859-9")                                                   \
    XX(13, "iso-8859-10")                                                  \
    XX(17, "shift_JIS")                                                    \
    XX(18, "euc-jp")                                                       \
    XX(37, "iso-2022-kr")                                                  \
    XX(38, "euc-kr")                                                       \
    XX(39, "iso-2022-jp")                                                  \
    XX(106, "utf-8")                                                       \
    XX(1000, "iso-10646-ucs-2")                                            \
    XX(1015, "utf-16")                                                     \
    XX(2025, "gb2312")                                                     \
    XX(2026, "big5")                                                       \
    XX(2084, "koi8-r")                                                     \
    XX(2252, "windows-1252")

/*
 * Languages (WAP-230 Appendix A Table 41, ISO 639 codes).  Only the
 * short list of reference/wsp-headers.md section 8; other codes travel
 * as text.  XX(code, "tag").
 */
#define WSP_LANGUAGE_MAP(XX)                                               \
    XX(0x00, "*")                                                          \
    XX(0x05, "ar")                                                         \
    XX(0x16, "de")                                                         \
    XX(0x19, "en")                                                         \
    XX(0x1B, "es")                                                         \
    XX(0x22, "fr")                                                         \
    XX(0x34, "it")                                                         \
    XX(0x36, "ja")                                                         \
    XX(0x3D, "ko")                                                         \
    XX(0x41, "zh")                                                         \
    XX(0x5A, "pt")                                                         \
    XX(0x5F, "ru")                                                         \
    XX(0x7B, "tr")

/*
 * Cache-Control directives (WAP-230 8.4.2.15 and Appendix A Table 39
 * notes).  XX(NAME, code, "directive", version).  s-maxage (Kannel's
 * spelling; Wireshark says "s-max-age") came with encoding 1.3.
 */
#define WSP_CACHE_MAP(XX)                                                  \
    XX(NO_CACHE,         0x00, "no-cache",         0x11)                   \
    XX(NO_STORE,         0x01, "no-store",         0x11)                   \
    XX(MAX_AGE,          0x02, "max-age",          0x11)                   \
    XX(MAX_STALE,        0x03, "max-stale",        0x11)                   \
    XX(MIN_FRESH,        0x04, "min-fresh",        0x11)                   \
    XX(ONLY_IF_CACHED,   0x05, "only-if-cached",   0x11)                   \
    XX(PUBLIC,           0x06, "public",           0x11)                   \
    XX(PRIVATE,          0x07, "private",          0x11)                   \
    XX(NO_TRANSFORM,     0x08, "no-transform",     0x11)                   \
    XX(MUST_REVALIDATE,  0x09, "must-revalidate",  0x11)                   \
    XX(PROXY_REVALIDATE, 0x0A, "proxy-revalidate", 0x11)                   \
    XX(S_MAXAGE,         0x0B, "s-maxage",         0x13)

enum wsp__cache {
#define XX(name, code, text, ver) WSP_CACHE_##name = (code),
    WSP_CACHE_MAP(XX)
#undef XX
};

/*
 * Well-known methods for Allow and Public (WAP-230 8.4.2, Allow and
 * Public fields: the method's PDU type from Table 34, sent as a
 * Short-integer).
 * XX(NAME, pdu type, "METHOD").
 */
#define WSP_METHOD_MAP(XX)                                                 \
    XX(GET,     0x40, "GET")                                               \
    XX(OPTIONS, 0x41, "OPTIONS")                                           \
    XX(HEAD,    0x42, "HEAD")                                              \
    XX(DELETE,  0x43, "DELETE")                                            \
    XX(TRACE,   0x44, "TRACE")                                             \
    XX(POST,    0x60, "POST")                                              \
    XX(PUT,     0x61, "PUT")

/*
 * Push application ids (WAP-230 8.4.2.54 X-Wap-Application-Id; numbers
 * from the OMNA "Push Application ID" registry, cross-checked K, WS,
 * AN(MTK)).  XX(code, "uri").  0x00 is the wildcard, not push.sia.
 */
#define WSP_APPID_MAP(XX)                                                  \
    XX(0x00, "x-wap-application:*")                                        \
    XX(0x01, "x-wap-application:push.sia")                                 \
    XX(0x02, "x-wap-application:wml.ua")                                   \
    XX(0x03, "x-wap-application:wta.ua")                                   \
    XX(0x04, "x-wap-application:mms.ua")                                   \
    XX(0x05, "x-wap-application:push.syncml")                              \
    XX(0x06, "x-wap-application:loc.ua")                                   \
    XX(0x07, "x-wap-application:syncml.dm")                                \
    XX(0x08, "x-wap-application:drm.ua")                                   \
    XX(0x09, "x-wap-application:emn.ua")                                   \
    XX(0x0A, "x-wap-application:wv.ua")                                    \
    XX(0x10, "x-oma-application:ulp.ua")                                   \
    XX(0x11, "x-oma-application:dlota.ua")                                 \
    XX(0x12, "x-oma-application:java-ams")                                 \
    XX(0x13, "x-oma-application:bcast.ua")                                 \
    XX(0x14, "x-oma-application:dpe.ua")                                   \
    XX(0x15, "x-oma-application:cpm:ua")

/* One row of any of the lists above, as the lookups see it. */
struct wsp__entry {
    uint32_t num;
    const char *name;
    uint8_t ver;            /* encoding version, 0x11 when not versioned */
    uint8_t grammar;        /* enum wsp__grammar, WSP_G_NONE if none */
};

enum wsp__table_id {
    WSP_TAB_FIELD,
    WSP_TAB_PARAM,
    WSP_TAB_CTYPE,
    WSP_TAB_CHARSET,
    WSP_TAB_LANGUAGE,
    WSP_TAB_CACHE,
    WSP_TAB_METHOD,
    WSP_TAB_APPID
};

/* The rows of one table (static storage), count in *n. */
const struct wsp__entry *wsp__table(enum wsp__table_id id, size_t *n);

/* First row whose number is num, or NULL. */
const struct wsp__entry *wsp__by_num(enum wsp__table_id id, uint32_t num);

/*
 * Row whose name equals (name, len) case-insensitively and whose version
 * is <= enc; among several, the newest version (fields: "use the newest
 * code the peer allows").  NULL if none.
 */
const struct wsp__entry *wsp__by_name(enum wsp__table_id id,
    const char *name, size_t len, unsigned enc);

/* "unknown(0xNN)" for any octet, from a static const table. */
const char *wsp__unknown_name(unsigned v);

/* ---- hdrs.c: rendering straight into a list --------------------------- */

/*
 * Starts a header in h: checks the count, appends name and its NUL, and
 * stores the text offset in *mark.  The value is then appended to
 * h->text by the caller; wsp__hdrs_commit adds the NUL and the entry,
 * wsp__hdrs_rollback drops everything since *mark.
 */
int wsp__hdrs_open(struct wsp_hdrs *h, const char *name, size_t name_len,
    size_t *mark);
int wsp__hdrs_commit(struct wsp_hdrs *h, size_t mark);
void wsp__hdrs_rollback(struct wsp_hdrs *h, size_t mark);

/* Drops octets of b past len (keeps the memory). */
void wsp__buf_truncate(struct wspgw_buf *b, size_t len);

/* ---- date.c: RFC 1123 dates without the C library's time zone --------- */

/* Latest second wsp__date_format renders: 9999-12-31T23:59:59Z. */
#define WSP_DATE_MAX 253402300799ULL

/*
 * Appends secs (since 1970-01-01T00:00:00Z) as an IMF-fixdate (RFC 7231
 * 7.1.1.1), e.g. "Sun, 06 Nov 1994 08:49:37 GMT".  0, WSPGW_EINVAL past
 * WSP_DATE_MAX, or a buffer error.
 */
int wsp__date_format(uint64_t secs, struct wspgw_buf *out);

/*
 * Parses exactly one IMF-fixdate in (s, len) into seconds since the
 * epoch.  0 or WSPGW_EINVAL (other formats, out-of-range fields, dates
 * before 1970).  The day name must be one of the seven but is not
 * checked against the date.
 */
int wsp__date_parse(const char *s, size_t len, uint64_t *secs);

#endif /* WSP_WSP_INT_H */
