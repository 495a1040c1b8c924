#!/usr/bin/env python3
"""
tests/integration/wspclient.py - an independent connectionless WSP client.

Spec: WAP-230-WSP-20010705-a, 8.2 (PDUs), 8.1.2 (uintvar), 8.4 (headers),
Appendix A (assigned numbers); wire facts as in ../shared/reference/wsp.md
and wsp-headers.md.  Written from those tables only (no code of the
gateway and none from other projects), so that it checks the daemon
instead of agreeing with it.

What it does: encodes one Get-family or Post-family PDU behind a TID octet
(connectionless WSP, port 9200 style), sends it over UDP (IPv4 or IPv6),
waits for the Reply, decodes it and prints one JSON object on stdout.
Optionally writes the body to a file and every datagram sent or received
to a pcap file (LINKTYPE_RAW, synthetic IPv4/IPv6 + UDP headers with the
real addresses and ports, so `tshark -d udp.port==N,wsp` dissects it).

What it does not do: WTP, sessions, SAR, push.

Exit status: 0 a reply arrived and decoded; 2 no reply within the
timeout (JSON {"reply": null}); 1 usage, socket or decode error.
With --expect-silence the meaning of 0 and 2 is swapped for the caller's
convenience: 0 = silence, 2 = something came back (and is printed).

Standard library only.
"""

import argparse
import hashlib
import json
import os
import random
import socket
import struct
import sys
import time

# ---- assigned numbers (wsp-headers.md sections 3, 6, 7, 8) -------------

HEADER_NAMES = [
    "Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language",
    "Accept-Ranges", "Age", "Allow", "Authorization", "Cache-Control",
    "Connection", "Content-Base", "Content-Encoding", "Content-Language",
    "Content-Length", "Content-Location", "Content-MD5", "Content-Range",
    "Content-Type", "Date", "Etag", "Expires", "From", "Host",
    "If-Modified-Since", "If-Match", "If-None-Match", "If-Range",
    "If-Unmodified-Since", "Location", "Last-Modified", "Max-Forwards",
    "Pragma", "Proxy-Authenticate", "Proxy-Authorization", "Public",
    "Range", "Referer", "Retry-After", "Server", "Transfer-Encoding",
    "Upgrade", "User-Agent", "Vary", "Via", "Warning", "WWW-Authenticate",
    "Content-Disposition", "X-Wap-Application-Id", "X-Wap-Content-URI",
    "X-Wap-Initiator-URI", "Accept-Application", "Bearer-Indication",
    "Push-Flag", "Profile", "Profile-Diff", "Profile-Warning", "Expect",
    "TE", "Trailer", "Accept-Charset", "Accept-Encoding", "Cache-Control",
    "Content-Range", "X-Wap-Tod", "Content-ID", "Set-Cookie", "Cookie",
    "Encoding-Version", "Profile-Warning", "Content-Disposition",
    "X-WAP-Security", "Cache-Control", "Expect", "X-Wap-Loc-Invocation",
    "X-Wap-Loc-Delivery",
]
assert len(HEADER_NAMES) == 0x4B

# Headers whose value is a Date-value / Integer-value / Text-string.
DATE_HEADERS = {0x12, 0x14, 0x17, 0x1B, 0x1D, 0x3F}
INT_HEADERS = {0x05, 0x0D, 0x1E}
TEXT_HEADERS = {0x0A, 0x0E, 0x13, 0x15, 0x16, 0x18, 0x19, 0x1C, 0x24, 0x26,
                0x28, 0x29, 0x2B, 0x30, 0x31, 0x35}

CONTENT_TYPES = [
    "*/*", "text/*", "text/html", "text/plain", "text/x-hdml",
    "text/x-ttml", "text/x-vCalendar", "text/x-vCard", "text/vnd.wap.wml",
    "text/vnd.wap.wmlscript", "text/vnd.wap.wta-event", "multipart/*",
    "multipart/mixed", "multipart/form-data", "multipart/byteranges",
    "multipart/alternative", "application/*", "application/java-vm",
    "application/x-www-form-urlencoded", "application/x-hdmlc",
    "application/vnd.wap.wmlc", "application/vnd.wap.wmlscriptc",
    "application/vnd.wap.wta-eventc", "application/vnd.wap.uaprof",
    "application/vnd.wap.wtls-ca-certificate",
    "application/vnd.wap.wtls-user-certificate",
    "application/x-x509-ca-cert", "application/x-x509-user-cert",
    "image/*", "image/gif", "image/jpeg", "image/tiff", "image/png",
    "image/vnd.wap.wbmp", "application/vnd.wap.multipart.*",
    "application/vnd.wap.multipart.mixed",
    "application/vnd.wap.multipart.form-data",
    "application/vnd.wap.multipart.byteranges",
    "application/vnd.wap.multipart.alternative", "application/xml",
    "text/xml", "application/vnd.wap.wbxml",
    "application/x-x968-cross-cert", "application/x-x968-ca-cert",
    "application/x-x968-user-cert", "text/vnd.wap.si",
    "application/vnd.wap.sic", "text/vnd.wap.sl", "application/vnd.wap.slc",
    "text/vnd.wap.co", "application/vnd.wap.coc",
    "application/vnd.wap.multipart.related", "application/vnd.wap.sia",
    "text/vnd.wap.connectivity-xml",
    "application/vnd.wap.connectivity-wbxml", "application/pkcs7-mime",
    "application/vnd.wap.hashed-certificate",
    "application/vnd.wap.signed-certificate",
    "application/vnd.wap.cert-response", "application/xhtml+xml",
    "application/wml+xml", "text/css", "application/vnd.wap.mms-message",
    "application/vnd.wap.rollover-certificate",
    "application/vnd.wap.locc+wbxml", "application/vnd.wap.loc+xml",
    "application/vnd.syncml.dm+wbxml", "application/vnd.syncml.dm+xml",
    "application/vnd.syncml.notification",
    "application/vnd.wap.xhtml+xml", "application/vnd.wv.csp.cir",
    "application/vnd.oma.dd+xml", "application/vnd.oma.drm.message",
    "application/vnd.oma.drm.content", "application/vnd.oma.drm.rights+xml",
    "application/vnd.oma.drm.rights+wbxml", "application/vnd.wv.csp+xml",
    "application/vnd.wv.csp+wbxml", "application/vnd.syncml.ds.notification",
    "audio/*", "video/*", "application/vnd.oma.dd2+xml", "application/mikey",
    "application/vnd.oma.dcd", "application/vnd.oma.dcdc", "text/x-vMessage",
    "application/vnd.omads-email+wbxml", "text/x-vBookmark",
    "application/vnd.syncml.dm.notification", None,
    "application/octet-stream",
]
assert len(CONTENT_TYPES) == 0x5B
CT_CODE = {t.lower(): i for i, t in enumerate(CONTENT_TYPES) if t}

CHARSETS = {3: "us-ascii", 4: "iso-8859-1", 5: "iso-8859-2",
            6: "iso-8859-3", 7: "iso-8859-4", 8: "iso-8859-5",
            9: "iso-8859-6", 10: "iso-8859-7", 11: "iso-8859-8",
            12: "iso-8859-9", 13: "iso-8859-10", 17: "shift_jis",
            18: "euc-jp", 37: "iso-2022-kr", 38: "euc-kr",
            39: "iso-2022-jp", 106: "utf-8", 1000: "iso-10646-ucs-2",
            1015: "utf-16", 2025: "gb2312", 2026: "big5", 2084: "koi8-r",
            2252: "windows-1252"}
CHARSET_CODE = {v: k for k, v in CHARSETS.items()}

LANGUAGES = {"*": 0x00, "en": 0x19, "de": 0x16, "fr": 0x22, "es": 0x1B,
             "it": 0x34, "pt": 0x5A, "ru": 0x5F, "zh": 0x41, "ja": 0x36,
             "ko": 0x3D, "ar": 0x05, "tr": 0x7B}

METHODS = {"get": 0x40, "options": 0x41, "head": 0x42, "delete": 0x43,
           "trace": 0x44, "post": 0x60, "put": 0x61}

PARAM_NAMES = {0x00: "q", 0x01: "charset", 0x02: "level", 0x03: "type",
               0x05: "name", 0x06: "filename", 0x07: "differences",
               0x08: "padding", 0x09: "type", 0x0A: "start",
               0x0B: "start-info", 0x0C: "comment", 0x0D: "domain",
               0x0E: "max-age", 0x0F: "path", 0x10: "secure",
               0x11: "sec", 0x12: "mac", 0x13: "creation-date",
               0x14: "modification-date", 0x15: "read-date",
               0x16: "size", 0x17: "name", 0x18: "filename",
               0x19: "start", 0x1A: "start-info", 0x1B: "comment",
               0x1C: "domain", 0x1D: "path"}


class DecodeError(Exception):
    pass


# ---- encoders -------------------------------------------------------------

def uintvar(v):
    """WSP 8.1.2: 7 bits per octet, most significant first."""
    if v < 0 or v > 0xFFFFFFFF:
        raise ValueError("uintvar out of range")
    out = [v & 0x7F]
    v >>= 7
    while v:
        out.append(0x80 | (v & 0x7F))
        v >>= 7
    return bytes(reversed(out))


def text_string(s):
    b = s.encode("utf-8") if isinstance(s, str) else bytes(s)
    if b and b[0] >= 0x80:
        b = b"\x7f" + b     # Quote, wsp-headers.md 2
    return b + b"\x00"


def long_integer(v):
    b = v.to_bytes(max(1, (v.bit_length() + 7) // 8), "big")
    if len(b) > 30:
        raise ValueError("long integer too long")
    return bytes([len(b)]) + b


def integer_value(v):
    return bytes([0x80 | v]) if v < 0x80 else long_integer(v)


def encode_content_type(ct):
    """Content-type-value: short form for a well-known type without
    parameters, general form (Value-length Media *Parameter) when there
    are parameters, Extension-media text otherwise."""
    parts = [p.strip() for p in ct.split(";")]
    media, params = parts[0], [p for p in parts[1:] if p]
    code = CT_CODE.get(media.lower())
    if not params:
        return bytes([0x80 | code]) if code is not None else text_string(
            media)
    body = integer_value(code) if code is not None else text_string(media)
    for p in params:
        name, _, val = p.partition("=")
        name, val = name.strip().lower(), val.strip().strip('"')
        if name == "charset" and val.lower() in CHARSET_CODE:
            body += b"\x81" + integer_value(CHARSET_CODE[val.lower()])
        else:   # Untyped-parameter: Token-text + Text-value
            body += text_string(name) + text_string(val)
    if len(body) <= 30:
        return bytes([len(body)]) + body
    return b"\x1f" + uintvar(len(body)) + body


def encode_headers(args):
    """The well-known request headers this client offers, then any
    application headers (Token-text name + Text-string value)."""
    h = b""
    for a in args.accept or []:
        code = CT_CODE.get(a.lower())
        h += b"\x80" + (bytes([0x80 | code]) if code is not None
                        else text_string(a))
    for c in args.accept_charset or []:
        hcode = 0xBB if args.charset_code == "1.3" else 0x81
        if c == "*":
            v = b"\x80"
        elif c.lower() in CHARSET_CODE:
            v = integer_value(CHARSET_CODE[c.lower()])
        else:
            v = text_string(c)
        h += bytes([hcode]) + v
    for lang in args.accept_language or []:
        code = LANGUAGES.get(lang.lower())
        h += b"\x83" + (bytes([0x80 | code]) if code is not None
                        else text_string(lang))
    if args.user_agent is not None:
        h += b"\xa9" + text_string(args.user_agent)
    for x in args.header or []:
        name, sep, val = x.partition(":")
        if not sep:
            raise SystemExit("--header wants NAME:VALUE")
        h += text_string(name.strip()) + text_string(val.strip())
    for x in args.raw_header or []:
        h += bytes.fromhex(x)
    return h


def encode_request(args, body):
    pdu_type = args.pdu_type if args.pdu_type is not None \
        else METHODS[args.method]
    uri = args.url.encode("utf-8")
    headers = encode_headers(args)
    out = bytes([args.tid & 0xFF, pdu_type])
    if 0x60 <= pdu_type <= 0x7F:
        ct = encode_content_type(args.content_type)
        out += uintvar(len(uri)) + uintvar(len(ct) + len(headers)) + uri
        out += ct + headers + body
    else:
        out += uintvar(len(uri)) + uri + headers
    return out


# ---- decoders -------------------------------------------------------------

class Reader:
    def __init__(self, data, pos=0, end=None):
        self.d = data
        self.p = pos
        self.end = len(data) if end is None else end

    def left(self):
        return self.end - self.p

    def byte(self):
        if self.p >= self.end:
            raise DecodeError("truncated at offset %d" % self.p)
        b = self.d[self.p]
        self.p += 1
        return b

    def peek(self):
        if self.p >= self.end:
            raise DecodeError("truncated at offset %d" % self.p)
        return self.d[self.p]

    def take(self, n):
        if n > self.left():
            raise DecodeError("length %d past the end at offset %d"
                              % (n, self.p))
        b = self.d[self.p:self.p + n]
        self.p += n
        return b

    def uintvar(self):
        v = 0
        for i in range(5):
            b = self.byte()
            v = (v << 7) | (b & 0x7F)
            if not b & 0x80:
                if v > 0xFFFFFFFF:
                    raise DecodeError("uintvar overflows 32 bits")
                return v
        raise DecodeError("uintvar longer than 5 octets")

    def text(self):
        z = self.d.find(b"\x00", self.p, self.end)
        if z < 0:
            raise DecodeError("unterminated text at offset %d" % self.p)
        b = self.d[self.p:z]
        self.p = z + 1
        if b[:1] == b"\x7f":
            b = b[1:]
        if b[:1] == b'"':
            b = b[1:]
        return b.decode("utf-8", "replace")

    def value_length(self):
        b = self.byte()
        if b <= 30:
            return b
        if b == 31:
            return self.uintvar()
        raise DecodeError("bad value-length 0x%02x" % b)

    def integer(self):
        b = self.byte()
        if b & 0x80:
            return b & 0x7F
        if 1 <= b <= 30:
            return int.from_bytes(self.take(b), "big")
        raise DecodeError("bad integer-value 0x%02x" % b)


def ct_name(code):
    if code < len(CONTENT_TYPES) and CONTENT_TYPES[code]:
        return CONTENT_TYPES[code]
    return "unknown(0x%x)" % code


def decode_media(r):
    b = r.peek()
    if b & 0x80 or 1 <= b <= 30:
        return ct_name(r.integer())
    return r.text()


def decode_content_type(r):
    """Returns (media, {param: value}); wsp-headers.md 4."""
    b = r.peek()
    if b >= 0x80:
        return ct_name(r.byte() & 0x7F), {}
    if b >= 0x20:
        return r.text(), {}
    n = r.value_length()
    sub = Reader(r.d, r.p, r.p + n)
    if sub.end > r.end:
        raise DecodeError("content-type length %d past the end" % n)
    r.p += n
    media = decode_media(sub)
    params = {}
    while sub.left():
        t = sub.peek()
        if t & 0x80 or t <= 30:
            tok = sub.integer()
            name = PARAM_NAMES.get(tok, "param(0x%x)" % tok)
            if tok == 0x01:
                v = sub.peek()
                if v == 0x80:
                    sub.byte()
                    val = "*"
                elif v & 0x80 or v <= 30:
                    cs = sub.integer()
                    val = CHARSETS.get(cs, "mib%d" % cs)
                else:
                    val = sub.text()
            else:
                val = generic_value(sub)
        else:
            name = sub.text()
            val = generic_value(sub)
        params[name] = val
    return media, params


def generic_value(r):
    """Skip rule of wsp-headers.md 1, keeping something printable."""
    b = r.peek()
    if b >= 0x80:
        return r.byte() & 0x7F
    if b >= 0x20:
        return r.text()
    if b == 0:
        r.byte()
        return ""
    n = r.value_length()
    return "hex:" + r.take(n).hex()


def decode_header_value(code, r):
    if code == 0x11:
        media, params = decode_content_type(r)
        return media + "".join("; %s=%s" % kv for kv in params.items())
    if code in DATE_HEADERS or code in INT_HEADERS:
        return r.integer()
    if code in TEXT_HEADERS:
        return r.text()
    return generic_value(r)


def decode_headers(data, start, end):
    """Header list: well-known (Short-integer name), application (Token-
    text name + Text-string value), shift sequences."""
    r = Reader(data, start, end)
    out = []
    page = 1
    while r.left():
        b = r.peek()
        if b == 0x7F:
            r.byte()
            page = r.byte()
            continue
        if 0x01 <= b <= 0x1F:
            page = r.byte()
            continue
        if b >= 0x80:
            code = r.byte() & 0x7F
            if page != 1:
                out.append(["page%d(0x%02x)" % (page, code),
                            generic_value(r)])
                continue
            name = HEADER_NAMES[code] if code < len(HEADER_NAMES) \
                else "unknown(0x%02x)" % code
            out.append([name, decode_header_value(code, r)])
        else:
            name = r.text()
            out.append([name, r.text()])
    return out


def decode_reply(data, connectionless=True):
    r = Reader(data)
    res = {"len": len(data)}
    if connectionless:
        res["tid"] = r.byte()
    res["type"] = r.byte()
    if res["type"] != 0x04:
        raise DecodeError("PDU type 0x%02x is not Reply" % res["type"])
    res["status"] = r.byte()
    res["status_hex"] = "0x%02x" % res["status"]
    res["status_http"] = wsp_to_http(res["status"])
    hl = r.uintvar()
    res["headers_len"] = hl
    hstart = r.p
    if hl > r.left():
        raise DecodeError("HeadersLen %d past the end (%d left)"
                          % (hl, r.left()))
    hr = Reader(data, hstart, hstart + hl)
    if hl:
        media, params = decode_content_type(hr)
    else:
        media, params = None, {}
    res["content_type"] = media
    res["content_type_params"] = params
    res["content_type_hex"] = data[hstart:hr.p].hex()
    res["headers"] = decode_headers(data, hr.p, hstart + hl)
    res["headers_hex"] = data[hr.p:hstart + hl].hex()
    body = data[hstart + hl:]
    res["body_len"] = len(body)
    res["body_sha256"] = hashlib.sha256(body).hexdigest()
    res["body_head"] = body[:200].decode("latin-1")
    return res, body


def wsp_to_http(s):
    """wsp-headers.md 10: 5xx sits one row up (0x60 = 500)."""
    hi, lo = s >> 4, s & 0x0F
    if 0x10 <= s <= 0x3F:
        return hi * 100 + lo
    if 0x40 <= s <= 0x5F:
        return 400 + (s - 0x40)
    if 0x60 <= s <= 0x6F:
        return 500 + lo
    return None


# ---- pcap (LINKTYPE_RAW = 101) ---------------------------------------------

def _csum(b):
    if len(b) % 2:
        b += b"\x00"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ip_udp_packet(src, dst, payload):
    """src/dst are (address, port); returns an IPv4 or IPv6 packet."""
    sport, dport = src[1], dst[1]
    ulen = 8 + len(payload)
    if ":" in src[0]:
        sa = socket.inet_pton(socket.AF_INET6, src[0])
        da = socket.inet_pton(socket.AF_INET6, dst[0])
        udp = struct.pack("!HHHH", sport, dport, ulen, 0) + payload
        pseudo = sa + da + struct.pack("!IxxxB", ulen, 17)
        c = _csum(pseudo + udp) or 0xFFFF
        udp = udp[:6] + struct.pack("!H", c) + udp[8:]
        ip = struct.pack("!IHBB", 0x60000000, ulen, 17, 64) + sa + da
        return ip + udp
    sa = socket.inet_aton(src[0])
    da = socket.inet_aton(dst[0])
    tot = 20 + ulen
    if tot > 0xFFFF:
        raise ValueError("datagram too large for one IPv4 packet")
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, tot, 0, 0x4000, 64, 17, 0,
                      sa, da)
    hdr = hdr[:10] + struct.pack("!H", _csum(hdr)) + hdr[12:]
    # UDP checksum 0 = "not computed", legal for IPv4 (RFC 768).
    return hdr + struct.pack("!HHHH", sport, dport, ulen, 0) + payload


class Pcap:
    def __init__(self, path, append=False):
        exists = append and os.path.exists(path) and \
            os.path.getsize(path) > 0
        self.f = open(path, "ab" if append else "wb")
        if not exists:
            self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0,
                                     262144, 101))

    def write(self, src, dst, payload):
        pkt = ip_udp_packet(src, dst, payload)
        t = time.time()
        self.f.write(struct.pack("<IIII", int(t), int((t % 1) * 1e6),
                                 len(pkt), len(pkt)) + pkt)
        self.f.flush()

    def close(self):
        self.f.close()


# ---- main -----------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Connectionless WSP test client (Get/Post/Reply).")
    p.add_argument("url", nargs="?", help="absolute URL for the PDU")
    p.add_argument("--host", default="127.0.0.1",
                   help="gateway address (IPv4 or IPv6 literal)")
    p.add_argument("--source", default=None,
                   help="local address to send from (e.g. 127.0.0.2: the "
                   "handset's IP as the gateway sees it)")
    p.add_argument("--port", type=int, required=True, help="WSP port")
    p.add_argument("--tid", type=lambda s: int(s, 0), default=None,
                   help="TID octet (default: random)")
    p.add_argument("--method", default=None, choices=sorted(METHODS),
                   help="default get, or post when --data-file is given")
    p.add_argument("--pdu-type", type=lambda s: int(s, 0), default=None,
                   help="raw PDU type octet (overrides --method)")
    p.add_argument("--accept", action="append")
    p.add_argument("--accept-charset", action="append")
    p.add_argument("--charset-code", choices=["1.1", "1.3"], default="1.1",
                   help="send Accept-Charset as 0x81 (1.1) or 0xBB (1.3)")
    p.add_argument("--accept-language", action="append")
    p.add_argument("--user-agent")
    p.add_argument("--header", action="append",
                   help="application header NAME:VALUE (text)")
    p.add_argument("--raw-header", action="append",
                   help="already-encoded header octets in hex")
    p.add_argument("--content-type", default="application/octet-stream",
                   help="Post content type; parameters allowed")
    p.add_argument("--data-file", help="Post body")
    p.add_argument("--data-hex", help="Post body as hex")
    p.add_argument("--raw", help="send this datagram (hex) as is")
    p.add_argument("--timeout", type=float, default=5.0)
    p.add_argument("--retries", type=int, default=0,
                   help="resend after each timeout this many times")
    p.add_argument("--expect-silence", action="store_true")
    p.add_argument("--out", help="write the Reply body here")
    p.add_argument("--pcap", help="write sent/received datagrams here")
    p.add_argument("--pcap-append", action="store_true")
    p.add_argument("--decode", help="decode this Reply datagram (hex), "
                   "no network")
    p.add_argument("--field", help="print only this field of the result "
                   "(e.g. status_hex) instead of the JSON; 'silence' when "
                   "no Reply came")
    return p.parse_args(argv)


def main(argv):
    a = parse_args(argv)
    if a.decode:
        res, _ = decode_reply(bytes.fromhex(a.decode))
        print(json.dumps(res, sort_keys=True))
        return 0
    if a.tid is None:
        a.tid = random.randrange(256)
    if a.raw:
        dgram = bytes.fromhex(a.raw)
    else:
        if a.url is None:
            print("wspclient: a URL (or --raw) is required", file=sys.stderr)
            return 1
        body = b""
        if a.data_file:
            with open(a.data_file, "rb") as f:
                body = f.read()
        elif a.data_hex:
            body = bytes.fromhex(a.data_hex)
        if a.method is None:
            a.method = "post" if (a.data_file or a.data_hex) else "get"
        dgram = encode_request(a, body)

    fam = socket.AF_INET6 if ":" in a.host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    if a.source:
        s.bind((a.source, 0))
    s.connect((a.host, a.port))     # only the gateway's datagrams arrive
    local = s.getsockname()[:2]
    remote = (a.host, a.port)
    pcap = Pcap(a.pcap, a.pcap_append) if a.pcap else None

    reply = None
    t0 = time.monotonic()
    for attempt in range(a.retries + 1):
        s.send(dgram)
        if pcap:
            pcap.write(local, remote, dgram)
        s.settimeout(a.timeout)
        try:
            reply = s.recv(1 << 17)
            break
        except socket.timeout:
            continue
        except ConnectionRefusedError:
            # ICMP port unreachable from an earlier datagram: nobody there.
            print(json.dumps({"reply": None, "error": "connection refused",
                              "sent_len": len(dgram)}))
            return 0 if a.expect_silence else 2
    elapsed = time.monotonic() - t0
    if pcap and reply is not None:
        pcap.write(remote, local, reply)
    if pcap:
        pcap.close()
    s.close()

    if reply is None:
        if a.field:
            print("silence")
        else:
            print(json.dumps({"reply": None, "sent_len": len(dgram),
                              "sent_hex": dgram[:64].hex()}))
        return 0 if a.expect_silence else 2
    try:
        res, body = decode_reply(reply)
    except DecodeError as e:
        print(json.dumps({"reply": "undecodable", "error": str(e),
                          "reply_hex": reply[:512].hex(),
                          "len": len(reply)}))
        return 1
    res["sent_len"] = len(dgram)
    res["sent_tid"] = a.tid & 0xFF
    res["elapsed"] = round(elapsed, 3)
    res["reply_hex_head"] = reply[:96].hex()
    if a.out:
        with open(a.out, "wb") as f:
            f.write(body)
    if a.field:
        print(res.get(a.field, ""))
    else:
        print(json.dumps(res, sort_keys=True))
    return 2 if a.expect_silence else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except DecodeError as e:
        print("wspclient: decode error: %s" % e, file=sys.stderr)
        sys.exit(1)
