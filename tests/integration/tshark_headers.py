#!/usr/bin/env python3
"""tests/integration/tshark_headers.py - compares tshark's decoding of the
header corpus (tshark -T pdml output) with wspgw's own (issue 4).

Usage: tshark_headers.py CORPUS.pdml CORPUS.expect

CORPUS.expect is what tests/unit/wsp/hdr_corpus wrote: "FRAME<TAB>Name:
value" per header, as wsp_hdrs_decode rendered it.  The PDML is tshark's
-T pdml of the same pcap.  Per frame, both sides are reduced to a multiset
of (lower-case name, value); tshark's presentation (dates as "Nov 14,
2023 22:13:20 UTC", q=0.50, "English (en)", MD5 in hex, Range and
Content-Range as parameter lists, Basic credentials as user-id/password)
is rewritten to the HTTP form wspgw produces, so that only the *values*
are compared.  A Profile-Diff (WBXML UAProf) is compared as XML: the text
is rebuilt from tshark's own token-by-token WBXML decoding (its UAProf
code pages), independently of wspgw's tables.  A difference left over must match an entry of KNOWN (a
case where tshark 4.0 itself decodes wrongly or not at all, with the
reason); anything else fails the test.

Prints one line per known disagreement and a summary; exit status 0 when
every difference is explained, 1 otherwise.
"""

import base64
import binascii
import datetime
import re
import sys
import xml.etree.ElementTree as ET

# (header or "*", regex on wspgw's value, reason).  A frame whose differences
# are all wspgw entries matching one of these (and tshark's rendering of
# the same header) is counted as a known tshark disagreement.
KNOWN = [
    ("range", r"^bytes=-\d+$",
     "tshark 4.0 misreads the Suffix-length uintvar (octets 81 64, "
     "bytes=-100, show as suffix-length=228)"),
    ("retry-after", r".*",
     "tshark 4.0 leaves Retry-After undecoded (\"Undecoded value in "
     "general form with length indicator\")"),
    ("te", r"^trailers$",
     "tshark 4.0 decodes TE 0x81 as trailers but labels the field "
     "Encoding-Version"),
    ("te", r"^[-a-z]+; q=",
     "tshark 4.0 rejects the TE general form with a Q-parameter "
     "(Value-length Well-known-TE 0x80 Q-value): 'Invalid header value'"),
    ("expect", r"^100-continue$",
     "tshark 4.0 does not decode the 100-continue octet 0x80 of Expect "
     "(0x38 and 0x48): 'Undecoded well-known value 0x00'"),
    ("profile-warning", r"^\d{3} \S+",
     "tshark 4.0 rejects the long Profile-Warning form (Value-length "
     "Warn-code Warn-target, 8.4.2.62): 'Invalid header value'"),
    ("set-cookie", r".*",
     "tshark 4.0 leaves Set-Cookie (0x41, 8.4.2.68) undecoded"),
    ("cookie", r".*",
     "tshark 4.0 leaves Cookie (0x42, 8.4.2.69) undecoded"),
    ("accept", r"^[-+.\w]+/[-+.\w]+; q=",
     "tshark 4.0 drops the Q parameter after an Extension-media (a media "
     "type sent as text): 'application/x-foo; q=0.5' shows without q"),
    ("*", r"^[\x80-\xff]",
     "tshark 4.0 keeps the 0x7F Quote of a Text-string whose first octet "
     "is >= 0x80 as part of the text ('\\177...'), and flags such an "
     "application header value as 'Invalid value for the textual header'"),
    ("cache-control", r"^(?!(max-age|max-stale|min-fresh)=)[-\w]+=",
     "tshark 4.0 misreads Value-length Cache-extension Untyped-value "
     "(8.4.2.15): it takes the name from its second octet and the value "
     "from the name again ('x-ext=5' shows as '-ext-ext')"),
    ("cache-control", r'^(no-cache|private)="',
     "tshark 4.0 looks the Field-names of no-cache/private up with the "
     "high bit still set ('<Unknown WSP header field 0xC1>' for "
     "Set-Cookie) and joins them without a separator"),
    ("expect", r"^[-!#$%&'*+.^_`|~0-9A-Za-z]+=",
     "tshark 4.0 leaves the Expect-expression (8.4.2.63) undecoded: "
     "'Undecoded value in general form with length indicator'"),
    ("x-empty", r"^$",
     "tshark 4.0 flags an empty application header value (a lone NUL, "
     "a valid empty Text-string) as 'Invalid value for the textual "
     "header' and drops it"),
]

TS_NAMES = {
    "initiator-uri": "x-wap-initiator-uri",
    "content-uri": "x-wap-content-uri",
}

PUSH_FLAGS = {
    "Initiator URI authenticated": 1,
    "Content trusted": 2,
    "Last push message": 4,
}

BEARERS = {"IPv4": "0", "IPv6": "1"}


def ts_date(v):
    """'Nov  6, 1994 08:49:37[.000000000] UTC' -> IMF-fixdate."""
    m = re.match(r"^(\w{3}) +(\d+), (\d{4}) (\d\d:\d\d:\d\d)(\.\d+)? UTC$",
                 v)
    if not m:
        return v
    d = datetime.datetime.strptime(
        "%s %s %s %s" % (m.group(1), m.group(2), m.group(3), m.group(4)),
        "%b %d %Y %H:%M:%S")
    return d.strftime("%a, %d %b %Y %H:%M:%S GMT")


def params(v):
    out = {}
    for p in v.split(";"):
        p = p.strip()
        if "=" in p:
            k, x = p.split("=", 1)
            out[k.strip()] = x.strip()
    return out


TOKEN = re.compile(r"^[-!#$%&'*+.^_`|~0-9A-Za-z]+$")


def auth_params(params):
    """tshark shows typed Auth-params (8.4.2.5) by their Table 38 label
    ("Domain=/a /b", "charset=UTF-8"): the HTTP form has the parameter
    name in lower case, a value that is no token quoted, and a charset
    name in lower case (as wspgw's tables spell it)."""
    out = []
    for p in params:
        if "=" in p:
            k, x = p.split("=", 1)
            if k in ("Domain", "Comment", "Path", "Charset"):
                k = k.lower()
            if k == "charset":
                x = x.lower()
            if not x.startswith('"') and not TOKEN.match(x):
                x = '"%s"' % x
            p = "%s=%s" % (k, x)
        out.append(p)
    return ", ".join(out)


def normalize(name, v):
    """tshark's (name, value) -> wspgw's form."""
    n = TS_NAMES.get(name.lower(), name.lower())
    # Q-values: tshark prints two or three decimals (q=0.50).
    v = re.sub(r"q=(\d\.\d*?)0+(?=$|;|,)", r"q=\1", v)
    v = re.sub(r"q=(\d)\.(?=$|;|,)", r"q=\1", v)
    if n in ("date", "expires", "if-modified-since", "if-unmodified-since",
             "last-modified", "x-wap-tod"):
        v = ts_date(v)
    elif n in ("accept-language", "content-language"):
        v = re.sub(r"^[A-Za-z ()-]+ \(([A-Za-z-]+)\)", r"\1", v)
    elif n in ("age",):
        v = re.sub(r" seconds$", "", v)
    elif n == "cache-control":
        v = re.sub(r" seconds$", "", v)
        # 0x8B: tshark's name is s-max-age, the HTTP directive s-maxage.
        v = re.sub(r"^s-max-age=", "s-maxage=", v)
    elif n == "pragma":
        # Value-length Parameter: tshark shows "; name=value", a typed
        # parameter by its Table 38 label ("Comment").
        v = auth_params([re.sub(r"^; ", "", v)])
    elif n in ("allow", "public"):
        v = v.upper()
    elif n == "accept-charset":
        v = v.lower()
    elif n in ("authorization", "proxy-authorization"):
        p = params(v)
        if v.startswith("basic;") and "user-id" in p:
            cred = "%s:%s" % (p["user-id"], p.get("password", ""))
            v = "Basic " + base64.b64encode(cred.encode("latin-1")).decode()
    elif n in ("www-authenticate", "proxy-authenticate"):
        p = params(v)
        if v.startswith("basic;") and "realm" in p:
            v = 'Basic realm="%s"' % p["realm"]
        else:
            v = re.sub(r"; realm=([^;\"]*)(?=;|$)", r'; realm="\1"', v)
    if n in ("authorization", "proxy-authorization", "www-authenticate",
             "proxy-authenticate") and not v.startswith("Basic "):
        # Other schemes: tshark shows "Scheme; a=b; c=d".
        m = re.match(r"^([-\w]+); (.*)$", v)
        if m:
            v = m.group(1) + " " + auth_params(m.group(2).split("; "))
    elif n == "content-md5":
        if re.match(r"^[0-9a-f]{32}$", v):
            v = base64.b64encode(binascii.unhexlify(v)).decode()
    elif n == "content-range":
        p = params(v)
        if "first-byte-pos" in p:
            el = p.get("entity-length", "")
            v = "bytes %s-*/%s" % (p["first-byte-pos"],
                                   "*" if el == "unknown" else el)
    elif n == "range":
        p = params(v)
        if v.startswith("byte-range;"):
            v = "bytes=%s-%s" % (p.get("first-byte-pos", ""),
                                 p.get("last-byte-pos", ""))
        elif v.startswith("suffix-byte-range;"):
            v = "bytes=-%s" % p.get("suffix-length", "")
    elif n == "warning":
        m = re.match(r"^(\d{3}) [A-Za-z]", v)
        if m:
            v = m.group(1)
        p = params(v)
        if "code" in p:
            v = '%s %s "%s"' % (p["code"], p.get("agent", ""),
                                p.get("text", ""))
    elif n == "encoding-version":
        v = re.sub(r"^code-page=(\d+): (.+)$", r"code-page=\1; version=\2", v)
    elif n == "profile-warning":
        m = re.match(r"^(\d{3}) [A-Za-z]", v)
        if m:
            v = m.group(1)
    elif n == "push-flag":
        bits = 0
        for label, bit in PUSH_FLAGS.items():
            if "(%s)" % label in v:
                bits |= bit
        v = str(bits)
    elif n == "bearer-indication":
        v = BEARERS.get(v, v)
    elif n in ("etag", "if-match", "if-none-match", "if-range",
               "content-id"):
        # tshark shows a Quoted-string without its closing quote.
        if v.startswith('"') and not v.endswith('"'):
            v += '"'
    if n == "content-disposition":
        v = re.sub(r"; ([A-Za-z-]+)=",
                   lambda m: "; " + m.group(1).lower() + "=", v)
    return n, v


def xml_escape(s, attr):
    """Text as wspgw renders it: & < > (and " in values) escaped,
    characters outside printable ASCII as &#xH; references."""
    out = []
    for ch in s:
        o = ord(ch)
        if ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch == '"' and attr:
            out.append("&quot;")
        elif o > 0x7e:
            out.append("&#x%X;" % o)
        else:
            out.append(ch)
    return "".join(out)


def wbxml_xml(node):
    """Rebuilds the XML text of a Profile-Diff from tshark's token-by-token
    WBXML decoding (its UAProf tables, WAP-248 8.3), in the normalised
    form of WAP-248 9.1.1.1 that wspgw renders: declaration, attributes in
    double quotes, one space for each white-space run."""
    out = ['<?xml version="1.0"?>']
    flags = ""
    quote = False
    for f in node.iter("field"):
        n = f.get("name") or ""
        show = f.get("show") or ""
        sn = f.get("showname") or ""
        cols = sn.split("|")
        attr_state = len(cols) > 1 and cols[1].strip() == "Attr"
        rendering = cols[-1].strip() if len(cols) > 4 else ""
        is_tag = n in ("wbxml.known_tag", "wbxml.literal_a",
                       "wbxml.literal_c", "wbxml.literal_ac") or (
            n == "wbxml.literal" and "Literal Tag" in sn)
        if is_tag:
            m = re.search(r"\(([A.][C.])\) \|", sn)
            flags = m.group(1) if m else ".."
            out.append("<" + show)
            if flags[0] != "A":
                out.append(">" if flags[1] == "C" else "/>")
        elif n == "wbxml.known_attrstart" or (
                n == "wbxml.literal" and "Literal Attribute" in sn):
            if quote:
                out.append('"')
            m = re.match(r"^([^=]+)='(.*)'$", show)
            name, prefix = (m.group(1), m.group(2)) if m else (show, "")
            out.append(" %s=\"%s" % (name, xml_escape(prefix, True)))
            quote = True
        elif n in ("wbxml.str_i", "wbxml.str_t", "wbxml.known_attrvalue"):
            out.append(xml_escape(show, attr_state))
        elif n == "wbxml.entity":
            out.append("&#x%X;" % int(show))
        elif n.startswith("wbxml.end"):
            if quote:
                out.append('"')
                quote = False
            if n == "wbxml.end_attribute_list":
                out.append(">" if flags[1] == "C" else "/>")
            elif rendering.startswith("</"):
                out.append(rendering)
            else:
                out.append("/>")
    return re.sub(r"[ \t\r\n]+", " ", "".join(out)).strip()


def header_fields(node, out):
    """Header value fields under wsp.headers, not their sub-fields."""
    for c in node:
        name = c.get("name") or ""
        show = c.get("showname") or c.get("show") or ""
        if name in ("wsp.header.name_value", "wsp.header.name_string"):
            continue
        if name == "wsp.header.profile_diff":
            out.append("Profile-Diff: " + wbxml_xml(c))
        elif name.startswith("wsp.header"):
            out.append(show)
        elif name == "_ws.expert":
            out.append("!" + show)
        elif name == "":
            header_fields(c, out)


def read_tshark(path):
    frames = {}
    root = ET.parse(path).getroot()
    for pkt in root.iter("packet"):
        num = None
        hdrs = []
        for f in pkt.iter("field"):
            if f.get("name") == "frame.number":
                num = int(f.get("show"))
            elif f.get("name") == "wsp.headers":
                header_fields(f, hdrs)
        frames[num] = hdrs
    return frames


def read_expect(path):
    frames = {}
    with open(path, encoding="latin-1") as fh:
        for line in fh:
            line = line.rstrip("\n")
            num, hv = line.split("\t", 1)
            name, value = hv.split(": ", 1) if ": " in hv else (hv[:-1], "")
            frames.setdefault(int(num), []).append((name.lower(), value))
    return frames


def known_reason(name, value):
    for kn, pat, why in KNOWN:
        if kn in (name, "*") and re.match(pat, value):
            return why
    return None


def main():
    sys.stdout.reconfigure(errors="backslashreplace")
    ts = read_tshark(sys.argv[1])
    exp = read_expect(sys.argv[2])
    nframes = max(list(ts.keys()) + list(exp.keys()))
    bad = 0
    known = 0
    agreed = 0
    for f in range(1, nframes + 1):
        ours = list(exp.get(f, []))
        theirs = []
        experts = []
        for s in ts.get(f, []):
            if s.startswith("!"):
                experts.append(s)
                continue
            if ": " in s:
                name, value = s.split(": ", 1)
            else:
                name, value = s.rstrip(":"), ""
            theirs.append(normalize(name, value))
        left_ours = []
        for h in ours:
            if h in theirs:
                theirs.remove(h)
                agreed += 1
            else:
                left_ours.append(h)
        explained = set()
        for name, value in left_ours:
            why = known_reason(name, value)
            if why is None:
                print("FAIL frame %d: wspgw %s: %s; tshark %s" %
                      (f, name, value, theirs or experts or "(nothing)"))
                bad += 1
            else:
                print("known frame %d: %s: %s -- %s" % (f, name, value, why))
                known += 1
                explained.add(name)
        if "te" in explained:
            explained.add("encoding-version")
        for name, value in theirs:
            if name not in explained:
                print("FAIL frame %d: tshark only %s: %s" % (f, name, value))
                bad += 1
    print("corpus: %d blocks, %d headers agreed, %d known tshark "
          "disagreements, %d unexplained" % (nframes, agreed, known, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
