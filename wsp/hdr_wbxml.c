/*
 * wsp/hdr_wbxml.c - the Profile-Diff grammar of the binary header codec:
 * a WBXML-encoded UAProf (CC/PP, RDF) document <-> the XML text that
 * goes into the HTTP x-wap-profile-diff header.  codecs[] (hdr_value.c)
 * names the decoder and the encoder.
 *
 * Spec: WAP-230-WSP-20010705-a 8.4.2 (Profile-Diff 0x36, Value-length
 * WBXML); WAP-248-UAProf-20011020-a 8 (binary encoding: token tables of
 * 8.3, four code pages plus page 4, namespaces of 8.2.1), 9.1.1.2 (the
 * x-wap-profile-diff value: one XML/RDF document, LWS compressed per RFC
 * 2616 2.2), 9.2.2.2 (Profile-diff-field-value = Value-length
 * CCPP-profile), 9.2.3.3 rule [19] (each Profile-Diff becomes one
 * x-wap-profile-diff, "WBXML encoding of the profile section MUST be
 * decoded, leaving the profile section as XML text");
 * WAP-192-WBXML-20010725-a 5.3-5.8 and 7.1 (document structure, global
 * tokens).  The token tables below were read from WAP-248 8.3 and
 * checked against Wireshark's UAProf code pages (packet-wbxml.c; facts
 * only): they agree token for token.
 *
 * Decoding renders one document on one line, exactly as the spec's
 * digest normalisation (9.1.1.1) sees it: an XML declaration, then the
 * elements; every run of white space in the data becomes one space, none
 * leads or trails; attributes in double quotes; & < > (and " in
 * attributes) escaped; characters outside printable ASCII as hexadecimal
 * character references (&#xE9;), so the HTTP header stays ASCII and
 * carries no CR/LF.  Tag and attribute names come from the tables or
 * from the string table (LITERAL, 8.2.3: equivalent to a token) and must
 * be ASCII XML names.  The result is capped at WSP_PROFILE_DIFF_MAX
 * octets: a longer document is not rendered (a cut-off XML document is
 * worse than none).  The gateway (gateway/bridge.c) adds the sequence
 * number ("1;") and the x-wap-profile reference with the MD5 digest.
 *
 * Encoding takes that same normalised form (optionally with the XML
 * declaration) and writes WBXML 1.3, public id 1 (unknown: UAProf has
 * none assigned), UTF-8, tags and attribute starts as tokens where the
 * tables have them (value prefixes included), LITERAL with a string
 * table otherwise, text as STR_I and character references as ENTITY.
 *
 * Does not: render tokens no table defines (vendor code pages, EXT_*,
 * OPAQUE, processing instructions), WBXML 1.0 (no charset field) or
 * character sets other than UTF-8, US-ASCII and ISO-8859-1 - such a
 * value is dropped and counted like any other the codec cannot render;
 * add xmlns declarations the handset left out (the document is rendered
 * as sent); parse general XML on the encoding side (comments, CDATA,
 * DOCTYPE, namespaces beyond names: anything but the normalised form is
 * WSPGW_EINVAL, so the caller sends text).
 *
 * Invariants: every read is bounded by the Value-length; element nesting
 * is capped at WBXML_DEPTH_MAX (no recursion, a fixed stack of views);
 * nothing is allocated beyond the caller's capped buffer.
 *
 * Ownership: inputs are borrowed; output is appended to the caller's
 * capped buffer, which the entry points roll back on failure.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wspgw/err.h"
#include "wspgw/wsp.h"
#include "hdr_int.h"

/* ==== UAProf token tables (WAP-248 8.3) ================================ */

#define UAPROF_SCHEMA "http://www.wapforum.org/profiles/UAPROF/" \
    "ccppschema-20010430#"

/*
 * Tag tokens, WAP-248 Tables 8.2-8.5 and 8.3.2.  XX(page, token, "name").
 * 0x1B on page 2 is printed "Prf:XhtmlVersion" in WAP-248 (and
 * Wireshark); the prefix is the fixed "prf" of Table 8.1, so a typo.
 */
#define UAPROF_TAG_MAP(XX)                                                 \
    XX(0, 0x05, "rdf:RDF")                                                 \
    XX(0, 0x06, "rdf:Description")                                         \
    XX(0, 0x07, "rdf:Alt")                                                 \
    XX(0, 0x08, "rdf:Bag")                                                 \
    XX(0, 0x09, "rdf:Seq")                                                 \
    XX(0, 0x0A, "rdf:li")                                                  \
    XX(0, 0x0B, "rdf:type")                                                \
    XX(0, 0x0C, "rdf:value")                                               \
    XX(0, 0x0D, "rdf:subject")                                             \
    XX(0, 0x0E, "rdf:predicate")                                           \
    XX(0, 0x0F, "rdf:object")                                              \
    XX(1, 0x06, "rdf:Description")                                         \
    XX(1, 0x07, "rdf:Alt")                                                 \
    XX(1, 0x08, "rdf:Bag")                                                 \
    XX(1, 0x09, "rdf:Seq")                                                 \
    XX(1, 0x0A, "rdf:li")                                                  \
    XX(1, 0x0B, "rdf:type")                                                \
    XX(1, 0x0C, "prf:component")                                           \
    XX(1, 0x0D, "prf:defaults")                                            \
    XX(1, 0x0E, "prf:BitsPerPixel")                                        \
    XX(1, 0x0F, "prf:ColorCapable")                                        \
    XX(1, 0x10, "prf:CPU")                                                 \
    XX(1, 0x11, "prf:ImageCapable")                                        \
    XX(1, 0x12, "prf:InputCharSet")                                        \
    XX(1, 0x13, "prf:Keyboard")                                            \
    XX(1, 0x15, "prf:Model")                                               \
    XX(1, 0x16, "prf:OutputCharSet")                                       \
    XX(1, 0x17, "prf:PointingResolution")                                  \
    XX(1, 0x18, "prf:ScreenSize")                                          \
    XX(1, 0x19, "prf:ScreenSizeChar")                                      \
    XX(1, 0x1A, "prf:NumberOfSoftKeys")                                    \
    XX(1, 0x1B, "prf:SoundOutputCapable")                                  \
    XX(1, 0x1C, "prf:TextInputCapable")                                    \
    XX(1, 0x1D, "prf:Vendor")                                              \
    XX(1, 0x1E, "prf:VoiceInputCapable")                                   \
    XX(1, 0x1F, "prf:AcceptDownloadableSoftware")                          \
    XX(1, 0x20, "prf:AudioInputEncoder")                                   \
    XX(1, 0x21, "prf:DownloadableSoftwareSupport")                         \
    XX(1, 0x22, "prf:JavaEnabled")                                         \
    XX(1, 0x23, "prf:JVMVersion")                                          \
    XX(1, 0x24, "prf:MexeClassmark")                                       \
    XX(1, 0x25, "prf:MexeSpec")                                            \
    XX(1, 0x26, "prf:OSName")                                              \
    XX(1, 0x27, "prf:OSVendor")                                            \
    XX(1, 0x28, "prf:OSVersion")                                           \
    XX(1, 0x29, "prf:RecipientAppAgent")                                   \
    XX(1, 0x2A, "prf:SoftwareNumber")                                      \
    XX(1, 0x2B, "prf:VideoInputEncoder")                                   \
    XX(1, 0x2C, "prf:CurrentBearerService")                                \
    XX(1, 0x2D, "prf:SecuritySupport")                                     \
    XX(1, 0x2E, "prf:SupportedBearers")                                    \
    XX(1, 0x2F, "prf:WapDeviceClass")                                      \
    XX(1, 0x30, "prf:WapPushMsgPriority")                                  \
    XX(1, 0x31, "prf:WapPushMsgSize")                                      \
    XX(1, 0x32, "prf:WapVersion")                                          \
    XX(1, 0x33, "prf:WmlDeckSize")                                         \
    XX(1, 0x34, "prf:WmlScriptLibraries")                                  \
    XX(1, 0x35, "prf:WmlScriptVersion")                                    \
    XX(1, 0x36, "prf:WmlVersion")                                          \
    XX(1, 0x37, "prf:WtaiLibraries")                                       \
    XX(1, 0x38, "prf:WtaVersion")                                          \
    XX(1, 0x39, "prf:PixelAspectRatio")                                    \
    XX(1, 0x3A, "prf:StandardFontProportional")                            \
    XX(1, 0x3B, "prf:WapSupportedApplications")                            \
    XX(1, 0x3C, "prf:BluetoothProfile")                                    \
    XX(1, 0x3D, "prf:MexeClassmarks")                                      \
    XX(1, 0x3E, "prf:MexeSecureDomains")                                   \
    XX(2, 0x05, "rdf:Description")                                         \
    XX(2, 0x06, "rdf:Alt")                                                 \
    XX(2, 0x07, "rdf:Bag")                                                 \
    XX(2, 0x08, "rdf:Seq")                                                 \
    XX(2, 0x09, "rdf:li")                                                  \
    XX(2, 0x0A, "rdf:type")                                                \
    XX(2, 0x0B, "prf:component")                                           \
    XX(2, 0x0C, "prf:defaults")                                            \
    XX(2, 0x0D, "prf:BrowserName")                                         \
    XX(2, 0x0E, "prf:BrowserVersion")                                      \
    XX(2, 0x0F, "prf:CcppAccept")                                          \
    XX(2, 0x10, "prf:CcppAccept-Charset")                                  \
    XX(2, 0x11, "prf:CcppAccept-Encoding")                                 \
    XX(2, 0x12, "prf:CcppAccept-Language")                                 \
    XX(2, 0x13, "prf:DownloadableBrowserApps")                             \
    XX(2, 0x14, "prf:FramesCapable")                                       \
    XX(2, 0x15, "prf:HtmlVersion")                                         \
    XX(2, 0x16, "prf:JavaAppletEnabled")                                   \
    XX(2, 0x17, "prf:JavaScriptEnabled")                                   \
    XX(2, 0x18, "prf:JavaScriptVersion")                                   \
    XX(2, 0x19, "prf:PreferenceForFrames")                                 \
    XX(2, 0x1A, "prf:TablesCapable")                                       \
    XX(2, 0x1B, "prf:XhtmlVersion")                                        \
    XX(2, 0x1C, "prf:XhtmlModules")                                        \
    XX(3, 0x05, "rdf:Description")                                         \
    XX(3, 0x06, "rdf:Alt")                                                 \
    XX(3, 0x07, "rdf:Bag")                                                 \
    XX(3, 0x08, "rdf:Seq")                                                 \
    XX(3, 0x09, "rdf:li")                                                  \
    XX(3, 0x0A, "rdf:type")                                                \
    XX(3, 0x0B, "prf:component")                                           \
    XX(3, 0x0C, "prf:defaults")                                            \
    XX(3, 0x0D, "prf:Push-Accept")                                         \
    XX(3, 0x0E, "prf:Push-Accept-Charset")                                 \
    XX(3, 0x0F, "prf:Push-Accept-Encoding")                                \
    XX(3, 0x10, "prf:Push-Accept-Language")                                \
    XX(3, 0x11, "prf:Push-Accept-AppID")                                   \
    XX(3, 0x12, "prf:Push-MsgSize")                                        \
    XX(3, 0x13, "prf:Push-MaxPushReq")                                     \
    XX(4, 0x10, "prf:SupportedBluetoothVersion")                           \
    XX(4, 0x11, "prf:SupportedPictogramSet")                               \
    XX(4, 0x12, "prf:CcppAccept")                                          \
    XX(4, 0x13, "prf:CcppAccept-Charset")                                  \
    XX(4, 0x14, "prf:CcppAccept-Encoding")                                 \
    XX(4, 0x15, "prf:CcppAccept-Language")

/*
 * Attribute start tokens, WAP-248 Tables 8.6-8.9.  XX(page, token,
 * "name", "value prefix").  Table 8.7 lists 0x21-0x3E twice (identical
 * rows); they are listed once here.
 */
#define UAPROF_ATTR_MAP(XX)                                                \
    XX(0, 0x05, "ID", "")                                                  \
    XX(0, 0x06, "rdf:about", "")                                           \
    XX(0, 0x07, "rdf:aboutEach", "")                                       \
    XX(0, 0x08, "rdf:aboutEachPrefix", "")                                 \
    XX(0, 0x09, "rdf:bagID", "")                                           \
    XX(0, 0x0A, "rdf:type", "")                                            \
    XX(0, 0x0B, "rdf:resource", "")                                        \
    XX(0, 0x0C, "rdf:parseType", "Literal")                                \
    XX(0, 0x0D, "rdf:parseType", "Resource")                               \
    XX(0, 0x0E, "xml:lang", "")                                            \
    XX(0, 0x0F, "xmlns:prf", "")                                           \
    XX(0, 0x10, "xmlns:rdf", "")                                           \
    XX(1, 0x05, "rdf:resource", "")                                        \
    XX(1, 0x06, "rdf:resource", UAPROF_SCHEMA "HardwarePlatform")          \
    XX(1, 0x07, "rdf:resource", UAPROF_SCHEMA "SoftwarePlatform")          \
    XX(1, 0x08, "rdf:resource", UAPROF_SCHEMA "NetworkCharacteristics")    \
    XX(1, 0x09, "rdf:resource", UAPROF_SCHEMA "WapCharacteristics")        \
    XX(1, 0x0A, "rdf:resource", UAPROF_SCHEMA "BrowserUA")                 \
    XX(1, 0x0B, "rdf:resource", UAPROF_SCHEMA "PushCharacteristics")       \
    XX(1, 0x10, "prf:BitsPerPixel", "")                                    \
    XX(1, 0x11, "prf:ColorCapable", "Yes")                                 \
    XX(1, 0x12, "prf:ColorCapable", "No")                                  \
    XX(1, 0x13, "prf:CPU", "")                                             \
    XX(1, 0x14, "prf:ImageCapable", "Yes")                                 \
    XX(1, 0x15, "prf:ImageCapable", "No")                                  \
    XX(1, 0x16, "prf:InputCharSet", "")                                    \
    XX(1, 0x17, "prf:Keyboard", "")                                        \
    XX(1, 0x19, "prf:Model", "")                                           \
    XX(1, 0x1A, "prf:OutputCharSet", "")                                   \
    XX(1, 0x1B, "prf:PointingResolution", "")                              \
    XX(1, 0x1C, "prf:ScreenSize", "")                                      \
    XX(1, 0x1D, "prf:ScreenSizeChar", "")                                  \
    XX(1, 0x1E, "prf:NumberOfSoftKeys", "Yes")                             \
    XX(1, 0x20, "prf:SoundOutputCapable", "Yes")                           \
    XX(1, 0x21, "prf:SoundOutputCapable", "No")                            \
    XX(1, 0x22, "prf:TextInputCapable", "Yes")                             \
    XX(1, 0x23, "prf:TextInputCapable", "No")                              \
    XX(1, 0x24, "prf:Vendor", "")                                          \
    XX(1, 0x25, "prf:VoiceInputCapable", "Yes")                            \
    XX(1, 0x26, "prf:VoiceInputCapable", "No")                             \
    XX(1, 0x27, "prf:PixelAspectRatio", "")                                \
    XX(1, 0x28, "prf:StandardFontProportional", "Yes")                     \
    XX(1, 0x29, "prf:StandardFontProportional", "No")                      \
    XX(1, 0x30, "prf:AcceptDownloadableSoftware", "Yes")                   \
    XX(1, 0x31, "prf:AcceptDownloadableSoftware", "No")                    \
    XX(1, 0x32, "prf:AudioInputEncoder", "")                               \
    XX(1, 0x33, "prf:DownloadableSoftwareSupport", "")                     \
    XX(1, 0x35, "prf:JavaEnabled", "Yes")                                  \
    XX(1, 0x36, "prf:JavaEnabled", "No")                                   \
    XX(1, 0x37, "prf:JVMVersion", "")                                      \
    XX(1, 0x38, "prf:MexeClassmark", "")                                   \
    XX(1, 0x39, "prf:MexeSpec", "")                                        \
    XX(1, 0x3A, "prf:OSName", "")                                          \
    XX(1, 0x3B, "prf:OSVendor", "")                                        \
    XX(1, 0x3C, "prf:OSVersion", "")                                       \
    XX(1, 0x3D, "prf:RecipientAppAgent", "")                               \
    XX(1, 0x3E, "prf:SoftwareNumber", "")                                  \
    XX(1, 0x3F, "prf:VideoInputEncoder", "")                               \
    XX(1, 0x50, "prf:CurrentBearerService", "")                            \
    XX(1, 0x51, "prf:SecuritySupport", "")                                 \
    XX(1, 0x52, "prf:SupportedBearers", "")                                \
    XX(1, 0x60, "prf:WapDeviceClass", "")                                  \
    XX(1, 0x61, "prf:WapPushMsgPriority", "")                              \
    XX(1, 0x62, "prf:WapPushMsgSize", "")                                  \
    XX(1, 0x63, "prf:WapVersion", "")                                      \
    XX(1, 0x64, "prf:WmlDeckSize", "")                                     \
    XX(1, 0x65, "prf:WmlScriptLibraries", "")                              \
    XX(1, 0x66, "prf:WmlScriptVersion", "")                                \
    XX(1, 0x67, "prf:WmlVersion", "")                                      \
    XX(1, 0x68, "prf:WtaiLibraries", "")                                   \
    XX(1, 0x69, "prf:WtaVersion", "")                                      \
    XX(1, 0x70, "prf:WapSupportedApplications", "")                       \
    XX(1, 0x71, "prf:BluetoothProfile", "")                                \
    XX(1, 0x72, "prf:MexeClassmarks", "")                                  \
    XX(1, 0x73, "prf:MexeSecureDomains", "YES")                            \
    XX(1, 0x74, "prf:MexeSecureDomains", "NO")                             \
    XX(1, 0x75, "prf:SupportedBluetoothVersion", "")                       \
    XX(1, 0x76, "prf:SupportedPictogramSet", "")                           \
    XX(1, 0x77, "prf:CcppAccept", "")                                      \
    XX(1, 0x78, "prf:CcppAccept-Charset", "")                              \
    XX(1, 0x79, "prf:CcppAccept-Encoding", "")                             \
    XX(1, 0x7F, "prf:CcppAccept-Language", "")                             \
    XX(2, 0x05, "prf:CcppAccept", "")                                      \
    XX(2, 0x06, "prf:CcppAccept-Charset", "")                              \
    XX(2, 0x07, "prf:CcppAccept-Encoding", "")                             \
    XX(2, 0x08, "prf:CcppAccept-Language", "")                             \
    XX(2, 0x09, "prf:DownloadableBrowserApps", "")                         \
    XX(2, 0x0A, "prf:FramesCapable", "Yes")                                \
    XX(2, 0x0B, "prf:FramesCapable", "No")                                 \
    XX(2, 0x0C, "prf:HtmlVersion", "3.2")                                  \
    XX(2, 0x0D, "prf:HtmlVersion", "4.0")                                  \
    XX(2, 0x0E, "prf:JavaAppletEnabled", "Yes")                            \
    XX(2, 0x0F, "prf:JavaAppletEnabled", "No")                             \
    XX(2, 0x10, "prf:JavaScriptEnabled", "Yes")                            \
    XX(2, 0x11, "prf:JavaScriptEnabled", "No")                             \
    XX(2, 0x12, "prf:JavaScriptVersion", "")                               \
    XX(2, 0x13, "prf:PreferenceForFrames", "Yes")                          \
    XX(2, 0x14, "prf:PreferenceForFrames", "No")                           \
    XX(2, 0x15, "prf:TablesCapable", "Yes")                                \
    XX(2, 0x16, "prf:TablesCapable", "No")                                 \
    XX(2, 0x17, "prf:XhtmlVersion", "")                                    \
    XX(2, 0x18, "prf:XhtmlModules", "")                                    \
    XX(2, 0x19, "prf:BrowserName", "")                                     \
    XX(2, 0x1A, "prf:BrowserVersion", "")                                  \
    XX(3, 0x05, "prf:Push-Accept", "")                                     \
    XX(3, 0x06, "prf:Push-Accept-Charset", "")                             \
    XX(3, 0x07, "prf:Push-Accept-Encoding", "")                            \
    XX(3, 0x08, "prf:Push-Accept-Language", "")                            \
    XX(3, 0x09, "prf:Push-Accept-AppID", "")                               \
    XX(3, 0x0A, "prf:Push-MsgSize", "")                                    \
    XX(3, 0x0B, "prf:Push-MaxPushReq", "")

/* Attribute value tokens, WAP-248 Tables 8.10-8.12.  XX(page, token, "v"). */
#define UAPROF_VALUE_MAP(XX)                                               \
    XX(0, 0x85, "rdf:Statement")                                           \
    XX(0, 0x86, "http://")                                                 \
    XX(0, 0x87, "http://www.")                                             \
    XX(0, 0x88, "https://")                                                \
    XX(0, 0x89, "https://www.")                                            \
    XX(0, 0x8A, "www.")                                                    \
    XX(0, 0x8B, ".com/")                                                   \
    XX(0, 0x8C, ".edu/")                                                   \
    XX(0, 0x8D, ".net/")                                                   \
    XX(0, 0x8E, ".org/")                                                   \
    XX(1, 0x85, "No")                                                      \
    XX(1, 0x86, "Yes")                                                     \
    XX(2, 0x85, "No")                                                      \
    XX(2, 0x86, "Yes")

struct uaprof_tok {
    uint8_t page;
    uint8_t token;
    const char *name;
    const char *prefix;             /* attribute starts only */
};

static const struct uaprof_tok uaprof_tags[] = {
#define XX(page, tok, name) { page, tok, name, NULL },
    UAPROF_TAG_MAP(XX)
#undef XX
};

static const struct uaprof_tok uaprof_attrs[] = {
#define XX(page, tok, name, prefix) { page, tok, name, prefix },
    UAPROF_ATTR_MAP(XX)
#undef XX
};

static const struct uaprof_tok uaprof_values[] = {
#define XX(page, tok, v) { page, tok, v, NULL },
    UAPROF_VALUE_MAP(XX)
#undef XX
};

#define NTAGS (sizeof(uaprof_tags) / sizeof(uaprof_tags[0]))
#define NATTRS (sizeof(uaprof_attrs) / sizeof(uaprof_attrs[0]))
#define NVALUES (sizeof(uaprof_values) / sizeof(uaprof_values[0]))


static const struct uaprof_tok *
tok_find(const struct uaprof_tok *t, size_t n, unsigned page, unsigned tok)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (t[i].page == page && t[i].token == tok) {
            return &t[i];
        }
    }
    return NULL;
}


/* ==== WBXML global tokens (WAP-192 7.1) ================================ */

#define WBX_SWITCH_PAGE 0x00
#define WBX_END         0x01
#define WBX_ENTITY      0x02
#define WBX_STR_I       0x03
#define WBX_LITERAL     0x04
#define WBX_PI          0x43
#define WBX_LITERAL_C   0x44
#define WBX_STR_T       0x83
#define WBX_LITERAL_A   0x84
#define WBX_OPAQUE      0xC3
#define WBX_LITERAL_AC  0xC4

/* The WBXML version we write: 1.3 (0x03); we read 1.1-1.3. */
#define WBX_VERSION     0x03

/* Public id "unknown or missing" (WAP-192 Table 5): UAProf has none. */
#define WBX_PUBID_UNKNOWN 0x01

/* Charsets (IANA MIBenum) whose strings end with one NUL octet. */
#define CS_US_ASCII     3
#define CS_ISO_8859_1   4
#define CS_UTF_8        106

/* Nesting cap: UAProf documents are 4-5 levels deep. */
#define WBXML_DEPTH_MAX 32

/* Global tokens that are the same in every code space (WAP-192 7.1). */
static int
is_global(uint8_t t)
{
    return (t & 0x3f) <= 0x04;
}


/* ==== Decoding ========================================================= */

/* The reader: one document, and the writer of its text. */
struct wbx {
    const uint8_t *p;
    size_t len, off;
    const uint8_t *strtbl;
    size_t strtbl_len;
    unsigned charset;
    unsigned tag_page, attr_page;
    struct wspgw_buf *out;
    size_t mark;
    int space;                      /* a white-space run is pending */
};


static int
rd_byte(struct wbx *x, uint8_t *b)
{
    if (x->off >= x->len) {
        return WSPGW_EPROTO;
    }
    *b = x->p[x->off++];
    return 0;
}


static int
rd_uint(struct wbx *x, uint32_t *v)
{
    int n = wsp_uintvar_decode(x->p + x->off, x->len - x->off, v);

    if (n < 0) {
        return WSPGW_EPROTO;
    }
    x->off += (size_t) n;
    return 0;
}


/* A NUL-terminated string inline (STR_I) at the reader. */
static int
rd_termstr(struct wbx *x, const uint8_t **s, size_t *slen)
{
    const uint8_t *nul = memchr(x->p + x->off, 0, x->len - x->off);

    if (nul == NULL) {
        return WSPGW_EPROTO;
    }
    *s = x->p + x->off;
    *slen = (size_t) (nul - *s);
    x->off += *slen + 1;
    return 0;
}


/* The string table entry at index (STR_T, LITERAL): up to its NUL. */
static int
rd_table_str(struct wbx *x, const uint8_t **s, size_t *slen)
{
    const uint8_t *nul;
    uint32_t idx;
    int rc = rd_uint(x, &idx);

    if (rc != 0) {
        return rc;
    }
    if (idx >= x->strtbl_len) {
        return WSPGW_EPROTO;
    }
    nul = memchr(x->strtbl + idx, 0, x->strtbl_len - idx);
    if (nul == NULL) {
        return WSPGW_EPROTO;
    }
    *s = x->strtbl + idx;
    *slen = (size_t) (nul - *s);
    return 0;
}


/* Appends markup or escaped data, first a pending space (not leading). */
static int
wr(struct wbx *x, const char *s, size_t n)
{
    int rc = 0;

    if (x->space && x->out->len > x->mark) {
        rc = wspgw_buf_putc(x->out, ' ');
    }
    x->space = 0;
    if (rc == 0) {
        rc = wspgw_buf_append(x->out, s, n);
    }
    if (rc == 0 && x->out->len - x->mark > WSP_PROFILE_DIFF_MAX) {
        return WSPGW_ENOTSUP;       /* over the cap: not rendered at all */
    }
    return rc;
}


static int
wr_str(struct wbx *x, const char *s)
{
    return wr(x, s, strlen(s));
}


/* A character reference for a code point XML allows (XML 1.0 2.2). */
static int
wr_charref(struct wbx *x, uint32_t cp)
{
    char ref[16];
    static const char hex[] = "0123456789ABCDEF";
    size_t n = sizeof(ref);
    int started = 0, shift;

    if (cp == 0 || (cp < 0x20 && cp != 0x09 && cp != 0x0a && cp != 0x0d)
        || (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff
        || cp > 0x10ffff)
    {
        return WSPGW_EPROTO;
    }
    n = 0;
    ref[n++] = '&';
    ref[n++] = '#';
    ref[n++] = 'x';
    for (shift = 20; shift >= 0; shift -= 4) {
        unsigned d = (cp >> shift) & 15u;

        if (d != 0 || started || shift == 0) {
            ref[n++] = hex[d];
            started = 1;
        }
    }
    ref[n++] = ';';
    return wr(x, ref, n);
}


/* One ASCII character of data, escaped for text or an attribute value. */
static int
wr_ascii(struct wbx *x, uint8_t c, int attr)
{
    char ch = (char) c;

    switch (c) {
    case ' ':
    case '\t':
    case '\r':
    case '\n':
        x->space = 1;               /* LWS run -> one SP (RFC 2616 2.2) */
        return 0;
    case '&':
        return wr_str(x, "&amp;");
    case '<':
        return wr_str(x, "&lt;");
    case '>':
        return wr_str(x, "&gt;");
    case '"':
        return attr ? wr_str(x, "&quot;") : wr(x, &ch, 1);
    default:
        if (c < 0x20 || c == 0x7f) {
            return c == 0x7f ? wr_charref(x, c) : WSPGW_EPROTO;
        }
        return wr(x, &ch, 1);
    }
}


/* Length of a UTF-8 sequence at s (strict: no overlong, no surrogate). */
static int
utf8_take(const uint8_t *s, size_t len, uint32_t *cp, size_t *used)
{
    size_t n, i;
    uint32_t v, min;

    if (s[0] < 0x80) {
        *cp = s[0];
        *used = 1;
        return 0;
    }
    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        n = 2;
        v = s[0] & 0x1fu;
        min = 0x80;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        n = 3;
        v = s[0] & 0x0fu;
        min = 0x800;
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        n = 4;
        v = s[0] & 0x07u;
        min = 0x10000;
    } else {
        return WSPGW_EPROTO;
    }
    if (n > len) {
        return WSPGW_EPROTO;
    }
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            return WSPGW_EPROTO;
        }
        v = v << 6 | (s[i] & 0x3fu);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
        return WSPGW_EPROTO;
    }
    *cp = v;
    *used = n;
    return 0;
}


/* String data in the document's charset, escaped. */
static int
wr_data(struct wbx *x, const uint8_t *s, size_t len, int attr)
{
    size_t i = 0, used;
    uint32_t cp;
    int rc = 0;

    while (rc == 0 && i < len) {
        if (s[i] < 0x80) {
            rc = wr_ascii(x, s[i], attr);
            i++;
        } else if (x->charset == CS_ISO_8859_1) {
            rc = wr_charref(x, s[i]);
            i++;
        } else if (x->charset == CS_UTF_8) {
            rc = utf8_take(s + i, len - i, &cp, &used);
            if (rc == 0) {
                rc = wr_charref(x, cp);
            }
            i += used;
        } else {
            rc = WSPGW_EPROTO;      /* 8-bit octet in US-ASCII */
        }
    }
    return rc;
}


/* An ASCII XML name (the subset UAProf needs: letters, digits, - _ . :). */
static int
is_xml_name(const uint8_t *s, size_t len)
{
    size_t i;

    if (len == 0 || !((s[0] >= 'A' && s[0] <= 'Z')
        || (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
    {
        return 0;
    }
    for (i = 1; i < len; i++) {
        uint8_t c = s[i];

        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
            || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'
            || c == ':'))
        {
            return 0;
        }
    }
    return 1;
}


/* STR_I, STR_T or ENTITY as data (content or attribute value). */
static int
dec_string_token(struct wbx *x, uint8_t t, int attr)
{
    const uint8_t *s;
    size_t slen;
    uint32_t cp;
    int rc;

    if (t == WBX_ENTITY) {
        rc = rd_uint(x, &cp);
        return rc != 0 ? rc : wr_charref(x, cp);
    }
    rc = t == WBX_STR_I ? rd_termstr(x, &s, &slen)
        : rd_table_str(x, &s, &slen);
    return rc != 0 ? rc : wr_data(x, s, slen, attr);
}


/*
 * Attribute list up to its END (WAP-192 5.8.3): attrStart *attrValue per
 * attribute, rendered ' name="prefix..."'.
 */
static int
dec_attrs(struct wbx *x)
{
    const struct uaprof_tok *e;
    const uint8_t *s;
    size_t slen;
    uint8_t t;
    int rc, in_value = 0;

    for (;;) {
        rc = rd_byte(x, &t);
        if (rc != 0) {
            return rc;
        }
        if (t == WBX_SWITCH_PAGE) {
            rc = rd_byte(x, &t);
            x->attr_page = t;
            if (rc != 0) {
                return rc;
            }
            continue;
        }
        if (t == WBX_END || t == WBX_LITERAL || (t < 0x80 && !is_global(t))) {
            if (in_value) {
                rc = wr(x, "\"", 1);
                in_value = 0;
            }
            if (rc != 0 || t == WBX_END) {
                return rc;
            }
            x->space = 0;           /* one space before the name */
            if (t == WBX_LITERAL) {
                rc = rd_table_str(x, &s, &slen);
                if (rc == 0 && !is_xml_name(s, slen)) {
                    rc = WSPGW_EPROTO;
                }
                if (rc == 0) {
                    x->space = 1;
                    rc = wr(x, (const char *) s, slen);
                }
                if (rc == 0) {
                    rc = wr(x, "=\"", 2);
                }
            } else {
                e = tok_find(uaprof_attrs, NATTRS, x->attr_page, t);
                if (e == NULL) {
                    return WSPGW_ENOTSUP;
                }
                x->space = 1;
                rc = wr_str(x, e->name);
                if (rc == 0) {
                    rc = wr(x, "=\"", 2);
                }
                if (rc == 0) {
                    rc = wr_data(x, (const uint8_t *) e->prefix,
                        strlen(e->prefix), 1);
                }
            }
            in_value = 1;
            if (rc != 0) {
                return rc;
            }
            continue;
        }
        if (!in_value) {
            return WSPGW_EPROTO;    /* a value before any attribute start */
        }
        if (t == WBX_STR_I || t == WBX_STR_T || t == WBX_ENTITY) {
            rc = dec_string_token(x, t, 1);
        } else if (t >= 0x80 && !is_global(t)) {
            e = tok_find(uaprof_values, NVALUES, x->attr_page, t);
            rc = e == NULL ? WSPGW_ENOTSUP
                : wr_data(x, (const uint8_t *) e->name, strlen(e->name), 1);
        } else if (t == WBX_LITERAL_A || t == WBX_LITERAL_C
            || t == WBX_LITERAL_AC)
        {
            rc = WSPGW_EPROTO;
        } else {
            rc = WSPGW_ENOTSUP;     /* EXT_*, OPAQUE, PI: no UAProf use */
        }
        if (rc != 0) {
            return rc;
        }
    }
}


/* An open element: its name, for the END that closes it. */
struct wbx_open {
    const char *name;
    size_t len;
};


/*
 * The body: one element with its content, iteratively (the stack holds
 * views of the open elements' names).  WAP-192 5.3:
 * element = ([switchPage] stag) [1*attribute END] [*content END].
 */
static int
dec_body(struct wbx *x)
{
    struct wbx_open stack[WBXML_DEPTH_MAX];
    const struct uaprof_tok *e;
    const uint8_t *s;
    size_t slen, depth = 0;
    const char *name;
    size_t nlen;
    uint8_t t, id;
    int rc, root_done = 0;

    while (!root_done) {
        rc = rd_byte(x, &t);
        if (rc != 0) {
            return rc;
        }
        if (t == WBX_SWITCH_PAGE) {
            rc = rd_byte(x, &id);
            x->tag_page = id;
            if (rc != 0) {
                return rc;
            }
            continue;
        }
        if (t == WBX_END) {
            if (depth == 0) {
                return WSPGW_EPROTO;
            }
            depth--;
            rc = wr(x, "</", 2);
            if (rc == 0) {
                rc = wr(x, stack[depth].name, stack[depth].len);
            }
            if (rc == 0) {
                rc = wr(x, ">", 1);
            }
            if (rc != 0) {
                return rc;
            }
            root_done = depth == 0;
            continue;
        }
        if (t == WBX_STR_I || t == WBX_STR_T || t == WBX_ENTITY) {
            if (depth == 0) {
                return WSPGW_EPROTO;    /* text outside the root */
            }
            rc = dec_string_token(x, t, 0);
            if (rc != 0) {
                return rc;
            }
            continue;
        }
        /* A start tag: LITERAL* with a name, or a token of the page. */
        if ((t & 0x3f) == WBX_LITERAL) {
            rc = rd_table_str(x, &s, &slen);
            if (rc != 0) {
                return rc;
            }
            if (!is_xml_name(s, slen)) {
                return WSPGW_EPROTO;
            }
            name = (const char *) s;
            nlen = slen;
        } else if (is_global(t)) {
            return WSPGW_ENOTSUP;       /* EXT_*, PI, OPAQUE */
        } else {
            e = tok_find(uaprof_tags, NTAGS, x->tag_page, t & 0x3fu);
            if (e == NULL) {
                return WSPGW_ENOTSUP;
            }
            name = e->name;
            nlen = strlen(e->name);
        }
        rc = wr(x, "<", 1);
        if (rc == 0) {
            rc = wr(x, name, nlen);
        }
        if (rc == 0 && (t & 0x80)) {
            rc = dec_attrs(x);
        }
        if (rc != 0) {
            return rc;
        }
        x->space = 0;                   /* no space inside the markup */
        if (t & 0x40) {
            if (depth == WBXML_DEPTH_MAX) {
                return WSPGW_ENOTSUP;
            }
            stack[depth].name = name;
            stack[depth].len = nlen;
            depth++;
            rc = wr(x, ">", 1);
        } else {
            rc = wr(x, "/>", 2);
            root_done = depth == 0;
        }
        if (rc != 0) {
            return rc;
        }
    }
    return x->off == x->len ? 0 : WSPGW_EPROTO;
}


/*
 * Profile-Diff: Value-length, then the WBXML document (WAP-192 5.3:
 * version publicid charset strtbl body), rendered as one line of XML.
 */
int
wsp__hdr_dec_profile_diff(const struct wsp__codec *c, const uint8_t *v,
    size_t len, struct wspgw_buf *out)
{
    struct wbx x;
    uint32_t pubid, pub_idx = 0, cs, slen;
    uint8_t version;
    int rc;

    memset(&x, 0, sizeof(x));
    rc = wsp__hdr_vl_body(v, len, &x.p, &x.len);
    if (rc != 0) {
        return rc;
    }
    x.out = out;
    x.mark = out->len;
    rc = rd_byte(&x, &version);
    if (rc == 0 && (version < 0x01 || version > 0x03)) {
        return WSPGW_ENOTSUP;           /* 1.0 has no charset field */
    }
    if (rc == 0) {
        rc = rd_uint(&x, &pubid);
    }
    if (rc == 0 && pubid == 0) {
        rc = rd_uint(&x, &pub_idx);
    }
    if (rc == 0) {
        rc = rd_uint(&x, &cs);
    }
    if (rc == 0 && cs != CS_UTF_8 && cs != CS_US_ASCII
        && cs != CS_ISO_8859_1)
    {
        return WSPGW_ENOTSUP;
    }
    if (rc == 0) {
        rc = rd_uint(&x, &slen);
    }
    if (rc != 0) {
        return rc;
    }
    if (slen > x.len - x.off) {
        return WSPGW_EPROTO;
    }
    if (pubid == 0 && pub_idx >= slen) {
        return WSPGW_EPROTO;            /* public id as a string: in table */
    }
    x.charset = cs;
    x.strtbl = x.p + x.off;
    x.strtbl_len = slen;
    x.off += slen;
    rc = wr_str(&x, "<?xml version=\"1.0\"?>");
    return rc != 0 ? rc : dec_body(&x);
}


/* ==== Encoding ========================================================= */

/* The writer: body and string table are built separately, then joined. */
struct wbw {
    const char *p, *end;            /* the XML text being read */
    struct wspgw_buf body;          /* tokens */
    struct wspgw_buf strtbl;        /* LITERAL names */
    unsigned tag_page, attr_page;
};


static int
w_put(struct wbw *w, uint8_t b)
{
    return wspgw_buf_putc(&w->body, b);
}


static int
w_page(struct wbw *w, unsigned *cur, unsigned page)
{
    int rc = 0;

    if (*cur != page) {
        rc = w_put(w, WBX_SWITCH_PAGE);
        if (rc == 0) {
            rc = w_put(w, (uint8_t) page);
        }
        *cur = page;
    }
    return rc;
}


/* Index of (s, n) in the string table, adding it when new. */
static int
w_strtbl(struct wbw *w, const char *s, size_t n, uint32_t *idx)
{
    size_t off = 0;
    int rc;

    while (off < w->strtbl.len) {
        size_t l = strlen((const char *) w->strtbl.data + off);

        if (l == n && memcmp(w->strtbl.data + off, s, n) == 0) {
            *idx = (uint32_t) off;
            return 0;
        }
        off += l + 1;
    }
    *idx = (uint32_t) w->strtbl.len;
    rc = wspgw_buf_append(&w->strtbl, s, n);
    return rc != 0 ? rc : wspgw_buf_putc(&w->strtbl, 0);
}


/* The name at the reader (ASCII XML name). */
static int
r_name(struct wbw *w, const char **s, size_t *n)
{
    const char *q = w->p;

    while (q < w->end && (*q == ':' || *q == '-' || *q == '_' || *q == '.'
        || (*q >= '0' && *q <= '9') || (*q >= 'A' && *q <= 'Z')
        || (*q >= 'a' && *q <= 'z')))
    {
        q++;
    }
    if (!is_xml_name((const uint8_t *) w->p, (size_t) (q - w->p))) {
        return WSPGW_EINVAL;
    }
    *s = w->p;
    *n = (size_t) (q - w->p);
    w->p = q;
    return 0;
}


static void
r_space(struct wbw *w)
{
    while (w->p < w->end && *w->p == ' ') {
        w->p++;
    }
}


/* Writes an inline UTF-8 string of n octets when n > 0. */
static int
w_str_i(struct wbw *w, const char *s, size_t n)
{
    int rc = 0;

    if (n > 0) {
        rc = w_put(w, WBX_STR_I);
        if (rc == 0) {
            rc = wspgw_buf_append(&w->body, s, n);
        }
        if (rc == 0) {
            rc = w_put(w, 0);
        }
    }
    return rc;
}


/*
 * Character data up to stop ('<' in content, the quote in a value):
 * runs of plain text as STR_I, &amp; &lt; &gt; &quot; &apos; as their
 * characters, numeric references as ENTITY (WAP-192 5.8.4.3).
 */
static int
w_chars(struct wbw *w, char stop)
{
    static const struct {
        const char *ref;
        char c;
    } named[] = {
        { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
        { "&quot;", '"' }, { "&apos;", '\'' },
    };
    char run[256];
    size_t n = 0, i, k;
    uint64_t cp;
    int rc = 0, hexa;

    while (rc == 0 && w->p < w->end && *w->p != stop) {
        char c = *w->p;

        if (n == sizeof(run)) {
            rc = w_str_i(w, run, n);
            n = 0;
            continue;
        }
        if (c == '<' || (uint8_t) c < 0x20 || (uint8_t) c >= 0x7f) {
            return WSPGW_EINVAL;        /* normalised text is ASCII */
        }
        if (c != '&') {
            run[n++] = c;
            w->p++;
            continue;
        }
        for (i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
            k = strlen(named[i].ref);
            if ((size_t) (w->end - w->p) >= k
                && memcmp(w->p, named[i].ref, k) == 0)
            {
                break;
            }
        }
        if (i < sizeof(named) / sizeof(named[0])) {
            run[n++] = named[i].c;
            w->p += strlen(named[i].ref);
            continue;
        }
        if (w->end - w->p < 4 || w->p[1] != '#') {
            return WSPGW_EINVAL;
        }
        hexa = w->p[2] == 'x';
        w->p += hexa ? 3 : 2;
        cp = 0;
        k = 0;
        while (w->p < w->end && *w->p != ';' && k < 8) {
            c = *w->p;
            if (c >= '0' && c <= '9') {
                cp = cp * (hexa ? 16 : 10) + (uint64_t) (c - '0');
            } else if (hexa && c >= 'A' && c <= 'F') {
                cp = cp * 16 + (uint64_t) (c - 'A' + 10);
            } else if (hexa && c >= 'a' && c <= 'f') {
                cp = cp * 16 + (uint64_t) (c - 'a' + 10);
            } else {
                return WSPGW_EINVAL;
            }
            w->p++;
            k++;
        }
        if (k == 0 || w->p == w->end || *w->p != ';' || cp == 0
            || cp > 0x10ffff || (cp < 0x20 && cp != 9 && cp != 10
                && cp != 13) || (cp >= 0xd800 && cp <= 0xdfff))
        {
            return WSPGW_EINVAL;
        }
        w->p++;
        rc = w_str_i(w, run, n);
        n = 0;
        if (rc == 0) {
            rc = w_put(w, WBX_ENTITY);
        }
        if (rc == 0) {
            rc = wsp_uintvar_encode(&w->body, (uint32_t) cp);
        }
    }
    return rc != 0 ? rc : w_str_i(w, run, n);
}


/* The attribute start for (name, value): the row with the longest value
 * prefix that the value starts with, on the current page if possible. */
static const struct uaprof_tok *
attr_lookup(const char *name, size_t nlen, const char *val, size_t vlen,
    unsigned page)
{
    const struct uaprof_tok *best = NULL;
    size_t i, pl, best_pl = 0;

    for (i = 0; i < NATTRS; i++) {
        const struct uaprof_tok *e = &uaprof_attrs[i];

        pl = strlen(e->prefix);
        if (strlen(e->name) != nlen || memcmp(e->name, name, nlen) != 0
            || pl > vlen || memcmp(e->prefix, val, pl) != 0)
        {
            continue;
        }
        if (best == NULL || pl > best_pl
            || (pl == best_pl && e->page == page && best->page != page))
        {
            best = e;
            best_pl = pl;
        }
    }
    return best;
}


/* ' name="value"' inside a start tag. */
static int
w_attr(struct wbw *w)
{
    const struct uaprof_tok *e;
    const char *name, *val, *q;
    size_t nlen;
    uint32_t idx;
    char quote;
    int rc;

    rc = r_name(w, &name, &nlen);
    if (rc != 0) {
        return rc;
    }
    if (w->end - w->p < 2 || w->p[0] != '=' || (w->p[1] != '"'
        && w->p[1] != '\''))
    {
        return WSPGW_EINVAL;
    }
    quote = w->p[1];
    w->p += 2;
    val = w->p;
    q = memchr(val, quote, (size_t) (w->end - val));
    if (q == NULL) {
        return WSPGW_EINVAL;
    }
    /* The value prefix is compared raw: prefixes hold no '&'. */
    e = attr_lookup(name, nlen, val, (size_t) (q - val), w->attr_page);
    if (e != NULL) {
        rc = w_page(w, &w->attr_page, e->page);
        if (rc == 0) {
            rc = w_put(w, e->token);
        }
        w->p += strlen(e->prefix);
    } else {
        rc = w_strtbl(w, name, nlen, &idx);
        if (rc == 0) {
            rc = w_put(w, WBX_LITERAL);
        }
        if (rc == 0) {
            rc = wsp_uintvar_encode(&w->body, idx);
        }
    }
    if (rc == 0) {
        rc = w_chars(w, quote);
    }
    if (rc == 0) {
        w->p++;                         /* the closing quote */
    }
    return rc;
}


/*
 * The element at the reader (after its '<'), content and end tag
 * included, iteratively.
 */
static int
w_body(struct wbw *w)
{
    struct wbx_open stack[WBXML_DEPTH_MAX];
    const struct uaprof_tok *e;
    const char *name;
    size_t nlen, depth = 0, i, tokpos;
    uint32_t idx;
    int rc, empty;

    do {
        if (w->p == w->end) {
            return WSPGW_EINVAL;        /* an element left open */
        }
        if (*w->p != '<') {
            if (depth == 0) {
                return WSPGW_EINVAL;
            }
            rc = w_chars(w, '<');
            if (rc != 0) {
                return rc;
            }
            continue;
        }
        w->p++;
        if (w->p < w->end && *w->p == '/') {
            w->p++;
            rc = r_name(w, &name, &nlen);
            if (rc != 0 || depth == 0 || nlen != stack[depth - 1].len
                || memcmp(name, stack[depth - 1].name, nlen) != 0
                || w->p == w->end || *w->p != '>')
            {
                return WSPGW_EINVAL;
            }
            w->p++;
            depth--;
            rc = w_put(w, WBX_END);
            if (rc != 0) {
                return rc;
            }
            continue;
        }
        rc = r_name(w, &name, &nlen);
        if (rc != 0) {
            return rc;
        }
        /* The tag token: this page, else another page, else LITERAL. */
        e = NULL;
        for (i = 0; i < NTAGS; i++) {
            if (strlen(uaprof_tags[i].name) == nlen
                && memcmp(uaprof_tags[i].name, name, nlen) == 0
                && (e == NULL || uaprof_tags[i].page == w->tag_page))
            {
                e = &uaprof_tags[i];
            }
        }
        if (e != NULL) {
            rc = w_page(w, &w->tag_page, e->page);
            tokpos = w->body.len;
            if (rc == 0) {
                rc = w_put(w, e->token);
            }
        } else {
            rc = w_strtbl(w, name, nlen, &idx);
            tokpos = w->body.len;
            if (rc == 0) {
                rc = w_put(w, WBX_LITERAL);
            }
            if (rc == 0) {
                rc = wsp_uintvar_encode(&w->body, idx);
            }
        }
        if (rc != 0) {
            return rc;
        }
        r_space(w);
        if (w->p < w->end && *w->p != '>' && *w->p != '/') {
            w->body.data[tokpos] |= 0x80;
            while (rc == 0 && w->p < w->end && *w->p != '>'
                && *w->p != '/')
            {
                rc = w_attr(w);
                r_space(w);
            }
            if (rc == 0) {
                rc = w_put(w, WBX_END);
            }
            if (rc != 0) {
                return rc;
            }
        }
        empty = w->p < w->end && *w->p == '/';
        if (empty) {
            w->p++;
        }
        if (w->p == w->end || *w->p != '>') {
            return WSPGW_EINVAL;
        }
        w->p++;
        if (!empty) {
            if (depth == WBXML_DEPTH_MAX) {
                return WSPGW_EINVAL;
            }
            w->body.data[tokpos] |= 0x40;
            stack[depth].name = name;
            stack[depth].len = nlen;
            depth++;
        }
    } while (depth > 0);
    return w->p == w->end ? 0 : WSPGW_EINVAL;
}


/*
 * Profile-Diff from the normalised XML text the decoder renders: an
 * optional XML declaration, then one element.
 */
int
wsp__hdr_enc_profile_diff(const struct wsp__codec *c, const char *s,
    size_t len, unsigned enc, struct wspgw_buf *out)
{
    static const char decl[] = "<?xml version=\"1.0\"?>";
    struct wbw w;
    size_t mark = out->len;
    int rc;

    memset(&w, 0, sizeof(w));
    if (len > WSP_PROFILE_DIFF_MAX) {
        return WSPGW_EINVAL;
    }
    w.p = s;
    w.end = s + len;
    if (len >= sizeof(decl) - 1 && memcmp(s, decl, sizeof(decl) - 1) == 0) {
        w.p += sizeof(decl) - 1;
    }
    wspgw_buf_init(&w.body, out->max);
    wspgw_buf_init(&w.strtbl, out->max);
    rc = w_body(&w);
    if (rc == 0) {
        rc = wspgw_buf_putc(out, WBX_VERSION);
    }
    if (rc == 0) {
        rc = wspgw_buf_putc(out, WBX_PUBID_UNKNOWN);
    }
    if (rc == 0) {
        rc = wsp_uintvar_encode(out, CS_UTF_8);
    }
    if (rc == 0) {
        rc = wsp_uintvar_encode(out, (uint32_t) w.strtbl.len);
    }
    if (rc == 0) {
        rc = wspgw_buf_append(out, w.strtbl.data, w.strtbl.len);
    }
    if (rc == 0) {
        rc = wspgw_buf_append(out, w.body.data, w.body.len);
    }
    wspgw_buf_free(&w.body);
    wspgw_buf_free(&w.strtbl);
    return wsp__hdr_close_vl(out, mark, rc);
}
