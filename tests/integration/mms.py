#!/usr/bin/env python3
"""
tests/integration/mms.py - MMS encapsulation PDUs for the integration
tests (issue 5): an independent encoder of what handsets and an MMSC send,
and a decoder of the headers, written from ../shared/reference/mms.md
(OMA-MMS-ENC field codes section 4, values section 5) and WAP-230 8.4 /
9 (values, multipart), not from the gateway's code.

Importable (upstream.py's /mmsc endpoint uses it) and a command line:

  mms.py send-req OUT --tid T [--to ADDR]... [--cc ADDR]... [--size N]
                       [--version 1.2] [--subject TEXT]
      an m-send-req with From insert-address-token, the recipients, and a
      multipart.mixed body of one text/plain part padded so the whole PDU
      is N octets (when --size is given)
  mms.py notifyresp OUT --tid T [--status 0x81]
  mms.py decode FILE
      the headers as one JSON object on stdout (type, tid, version, to
      [...], cc [...], response_status, response_text, message_id, status)

Standard library only.
"""

import json
import sys

F_BCC, F_CC, F_CONTENT_LOCATION, F_CONTENT_TYPE = 0x01, 0x02, 0x03, 0x04
F_DATE, F_FROM, F_MESSAGE_ID, F_MESSAGE_TYPE = 0x05, 0x09, 0x0B, 0x0C
F_VERSION, F_MESSAGE_SIZE, F_RESPONSE_STATUS = 0x0D, 0x0E, 0x12
F_RESPONSE_TEXT, F_STATUS, F_SUBJECT, F_TO, F_TID = 0x13, 0x15, 0x16, \
    0x17, 0x18

SEND_REQ, SEND_CONF, NOTIFICATION_IND, NOTIFYRESP_IND = 0x80, 0x81, 0x82, \
    0x83
RETRIEVE_CONF, ACKNOWLEDGE_IND = 0x84, 0x85

CT_MULTIPART_MIXED = 0xA3       # application/vnd.wap.multipart.mixed (0x23)
CT_TEXT_PLAIN = 0x83


class MmsError(Exception):
    pass


def uintvar(v):
    out = [v & 0x7F]
    v >>= 7
    while v:
        out.append(0x80 | (v & 0x7F))
        v >>= 7
    return bytes(reversed(out))


def text(s):
    b = s.encode("utf-8") if isinstance(s, str) else s
    if b and b[0] >= 0x80:
        b = b"\x7f" + b
    return b + b"\x00"


def field(code):
    return bytes([0x80 | code])


def long_integer(v):
    b = v.to_bytes(max(1, (v.bit_length() + 7) // 8), "big")
    return bytes([len(b)]) + b


def version_octet(ver):
    major, _, minor = ver.partition(".")
    return bytes([0x80 | (int(major) << 4) | int(minor or 0)])


def multipart_text(data):
    """WSP multipart (WAP-230 8.5): one entry, text/plain."""
    headers = bytes([CT_TEXT_PLAIN])
    return uintvar(1) + uintvar(len(headers)) + uintvar(len(data)) + \
        headers + data


def send_req(tid, to=(), cc=(), version="1.2", subject=None, size=None):
    h = field(F_MESSAGE_TYPE) + bytes([SEND_REQ]) + field(F_TID) + \
        text(tid) + field(F_VERSION) + version_octet(version)
    h += field(F_FROM) + b"\x01\x81"         # insert-address-token
    for a in to:
        h += field(F_TO) + text(a)
    for a in cc:
        h += field(F_CC) + text(a)
    if subject is not None:
        h += field(F_SUBJECT) + text(subject)
    h += field(F_CONTENT_TYPE) + bytes([CT_MULTIPART_MIXED])
    data = b"hello from the test handset\n"
    pdu = h + multipart_text(data)
    if size is not None:
        # Grow the text part until the PDU has exactly size octets (the
        # uintvar of the data length may grow by an octet on the way).
        while len(pdu) < size:
            data += b"x" * (size - len(pdu))
            pdu = h + multipart_text(data)
        if len(pdu) != size:
            data = data[:len(data) - (len(pdu) - size)]
            pdu = h + multipart_text(data)
    return pdu


def send_conf(tid, status=0x80, message_id=None, version="1.2", text_=None):
    h = field(F_MESSAGE_TYPE) + bytes([SEND_CONF]) + field(F_TID) + \
        text(tid) + field(F_VERSION) + version_octet(version) + \
        field(F_RESPONSE_STATUS) + bytes([status])
    if text_ is not None:
        h += field(F_RESPONSE_TEXT) + text(text_)
    if message_id is not None:
        h += field(F_MESSAGE_ID) + text(message_id)
    return h


def notifyresp(tid, status=0x81, version="1.2"):
    return field(F_MESSAGE_TYPE) + bytes([NOTIFYRESP_IND]) + field(F_TID) + \
        text(tid) + field(F_VERSION) + version_octet(version) + \
        field(F_STATUS) + bytes([status])


def retrieve_conf(tid, sender, to, subject, version="1.2"):
    h = field(F_MESSAGE_TYPE) + bytes([RETRIEVE_CONF]) + field(F_TID) + \
        text(tid) + field(F_VERSION) + version_octet(version) + \
        field(F_DATE) + long_integer(1700000000)
    a = b"\x80" + text(sender)
    h += field(F_FROM) + bytes([len(a)]) + a
    h += field(F_TO) + text(to) + field(F_SUBJECT) + text(subject)
    h += field(F_CONTENT_TYPE) + bytes([CT_MULTIPART_MIXED])
    return h + multipart_text(b"a picture would be here\n")


# ---- decoding ---------------------------------------------------------------

class Reader:
    def __init__(self, b):
        self.b, self.p = b, 0

    def byte(self):
        if self.p >= len(self.b):
            raise MmsError("truncated at %d" % self.p)
        v = self.b[self.p]
        self.p += 1
        return v

    def take(self, n):
        if self.p + n > len(self.b):
            raise MmsError("truncated: %d octets at %d" % (n, self.p))
        v = self.b[self.p:self.p + n]
        self.p += n
        return v

    def text(self):
        end = self.b.find(b"\x00", self.p)
        if end < 0:
            raise MmsError("text without NUL at %d" % self.p)
        v = self.b[self.p:end]
        self.p = end + 1
        if v[:1] == b"\x7f":
            v = v[1:]
        return v.decode("utf-8", "replace")

    def value_length(self):
        v = self.byte()
        if v < 31:
            return v
        if v != 31:
            raise MmsError("not a Value-length: 0x%02x" % v)
        n = 0
        while True:
            o = self.byte()
            n = (n << 7) | (o & 0x7F)
            if not o & 0x80:
                return n

    def encoded_string(self):
        if self.b[self.p] >= 0x20:
            return self.text()
        n = self.value_length()
        end = self.p + n
        c = self.byte()
        if c < 0x80:
            self.take(c)                     # Long-integer charset
        s = self.text()
        if self.p != end:
            raise MmsError("Encoded-string-value length mismatch")
        return s

    def skip_value(self):
        o = self.b[self.p]
        if o >= 0x80:
            self.p += 1
        elif o >= 0x20:
            self.text()
        else:
            self.take(self.value_length())


def decode(b):
    r = Reader(b)
    out = {"to": [], "cc": [], "bcc": []}
    if r.byte() != 0x80 | F_MESSAGE_TYPE:
        raise MmsError("first header is not X-Mms-Message-Type")
    out["type"] = "0x%02x" % r.byte()
    while r.p < len(b):
        o = r.byte()
        if o < 0x80:
            r.p -= 1
            r.text()
            r.text()
            continue
        f = o & 0x7F
        if f == F_CONTENT_TYPE:
            out["body_offset"] = r.p
            break
        if f == F_TID:
            out["tid"] = r.text()
        elif f == F_VERSION:
            v = r.byte() & 0x7F
            out["version"] = "%d.%d" % (v >> 4, v & 15)
        elif f in (F_TO, F_CC, F_BCC):
            out[{F_TO: "to", F_CC: "cc", F_BCC: "bcc"}[f]].append(
                r.encoded_string())
        elif f == F_RESPONSE_STATUS:
            out["response_status"] = "0x%02x" % r.byte()
        elif f == F_RESPONSE_TEXT:
            out["response_text"] = r.encoded_string()
        elif f == F_STATUS:
            out["status"] = "0x%02x" % r.byte()
        elif f == F_MESSAGE_ID:
            out["message_id"] = r.text()
        else:
            r.skip_value()
    return out


def main(argv):
    import argparse
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("cmd", choices=["send-req", "notifyresp", "decode"])
    p.add_argument("file")
    p.add_argument("--tid", default="T0001")
    p.add_argument("--to", action="append", default=[])
    p.add_argument("--cc", action="append", default=[])
    p.add_argument("--size", type=int)
    p.add_argument("--version", default="1.2")
    p.add_argument("--subject")
    p.add_argument("--status", type=lambda s: int(s, 0), default=0x81)
    a = p.parse_args(argv)
    if a.cmd == "decode":
        with open(a.file, "rb") as f:
            print(json.dumps(decode(f.read()), sort_keys=True))
        return 0
    if a.cmd == "send-req":
        pdu = send_req(a.tid, a.to, a.cc, a.version, a.subject, a.size)
    else:
        pdu = notifyresp(a.tid, a.status, a.version)
    with open(a.file, "wb") as f:
        f.write(pdu)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
