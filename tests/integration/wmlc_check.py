#!/usr/bin/env python3
"""
tests/integration/wmlc_check.py - does a WMLC body say what its WML
source said?  For test_wmlc.sh.

    wmlc_check.py decode SOURCE.wml BODY.wmlc
        Decodes BODY with wbxml2xml (libwbxml2-utils; compact output,
        white space kept) and compares the element trees of both
        documents: the same elements in the same order, the same
        attributes, the same text.  Exit 0 when equal, 1 with the first
        difference on stderr.
    wmlc_check.py text BODY.wmlc
        Prints the decoded document's text content (for error decks).
    wmlc_check.py tshark PCAP PORT
        Runs tshark's WSP/WBXML dissectors over a capture of connectionless
        exchanges and prints one JSON object per Reply that carries WBXML:
        {"public_id": 4, "charset": 106, "version": ..., "tags": [...]} ;
        exit 1 when tshark flags any frame as malformed.

What "the same" means, so that the comparison is exact but does not
fail on what WML itself declares equal or on how the decoder spells
things:
  - Text: white-space-only text is ignored (the compiler drops it where
    the WML DTD allows elements only; elsewhere WML user agents collapse
    it, WML 1.3 11.8), other runs of white space compare as one space.
  - Variables (WML 1.3 10.3.1): the source's $name, $(name) and
    $(name:n|noesc) compare as wbxml2xml writes the EXT_I_2 token,
    "$(name:noesc)"; :e/:escape as "$(name:escape)"; :u/:unesc as
    "$(name:unesc)"; "$$" as "$".

Standard library only, plus the wbxml2xml and tshark programs.
"""

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

CONV = {"": "noesc", "n": "noesc", "noesc": "noesc", "e": "escape",
        "escape": "escape", "u": "unesc", "unesc": "unesc"}


def norm_vars(s):
    """The source's variable references as wbxml2xml prints them."""
    s = s.replace("$$", "\x00")

    def paren(m):
        conv = CONV.get((m.group(2) or "").lower())
        if conv is None:
            return m.group(0)
        return "$(%s:%s)" % (m.group(1), conv)
    s = re.sub(r"\$\(([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z]+))?\)", paren, s)
    s = re.sub(r"\$([A-Za-z_][A-Za-z0-9_]*)", r"$(\1:noesc)", s)
    return s.replace("\x00", "$")


def norm_text(s, source):
    if s is None or s.strip() == "":
        return ""
    s = re.sub(r"\s+", " ", s)
    return norm_vars(s) if source else s


def strip_doctype(data):
    """ElementTree cannot read an external DTD; the DOCTYPE only names the
    WML version, which the caller checks in the WBXML header."""
    return re.sub(rb"<!DOCTYPE[^>]*>", b"", data, count=1)


def flatten(elem, source, out, depth=0):
    attrs = {k: norm_text(v, source) if source else v
             for k, v in sorted(elem.attrib.items())}
    out.append(("start", depth, elem.tag, tuple(sorted(attrs.items()))))
    t = norm_text(elem.text, source)
    if t:
        out.append(("text", depth, t))
    for child in elem:
        flatten(child, source, out, depth + 1)
        t = norm_text(child.tail, source)
        if t:
            out.append(("text", depth, t))
    out.append(("end", depth, elem.tag))
    return out


def wbxml2xml(path):
    r = subprocess.run(["wbxml2xml", "-m", "0", "-k", "-o", "-", path],
                       capture_output=True)
    if r.returncode != 0 or not r.stdout.strip():
        raise SystemExit("wbxml2xml failed on %s: %s" %
                         (path, r.stderr.decode(errors="replace")))
    return r.stdout


def cmd_decode(src_path, body_path):
    src = ET.fromstring(strip_doctype(open(src_path, "rb").read()))
    dec = ET.fromstring(strip_doctype(wbxml2xml(body_path)))
    a = flatten(src, True, [])
    b = flatten(dec, False, [])
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            print("item %d differs:\n  source:  %r\n  decoded: %r" %
                  (i, x, y), file=sys.stderr)
            return 1
    if len(a) != len(b):
        print("lengths differ: source %d items, decoded %d" %
              (len(a), len(b)), file=sys.stderr)
        return 1
    print("equal: %d items" % len(a))
    return 0


def cmd_text(body_path):
    dec = ET.fromstring(strip_doctype(wbxml2xml(body_path)))
    print(re.sub(r"\s+", " ", "".join(dec.itertext())).strip())
    return 0


def cmd_tshark(pcap, port):
    r = subprocess.run(
        ["tshark", "-r", pcap, "-d", "udp.port==%s,wsp" % port,
         "-T", "json", "-e", "frame.number", "-e", "wsp.pdu_type",
         "-e", "wbxml.version", "-e", "wbxml.public_id.known",
         "-e", "wbxml.charset", "-e", "_ws.malformed",
         "-e", "_ws.expert.severity"],
        capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit("tshark failed: %s" % r.stderr)
    bad = 0
    for pkt in json.loads(r.stdout or "[]"):
        f = pkt["_source"]["layers"]
        if "_ws.malformed" in f:
            print("frame %s malformed" % f.get("frame.number"),
                  file=sys.stderr)
            bad = 1
        if "wbxml.version" not in f:
            continue
        v = subprocess.run(
            ["tshark", "-r", pcap, "-d", "udp.port==%s,wsp" % port,
             "-O", "wbxml", "-Y", "frame.number==%s" %
             f["frame.number"][0]], capture_output=True, text=True).stdout
        tags = re.findall(r"Known Tag 0x[0-9A-F]+\s+\([.AC]+\) \|\s+(</?[\w-]+)",
                          v)
        print(json.dumps({
            "frame": int(f["frame.number"][0]),
            "version": f["wbxml.version"][0],
            "public_id": int(f["wbxml.public_id.known"][0], 0),
            "charset": int(f["wbxml.charset"][0], 0),
            "tags": tags,
            "errors": [s for s in f.get("_ws.expert.severity", [])]}))
    return bad


def main(argv):
    if len(argv) == 3 and argv[0] == "decode":
        return cmd_decode(argv[1], argv[2])
    if len(argv) == 2 and argv[0] == "text":
        return cmd_text(argv[1])
    if len(argv) == 3 and argv[0] == "tshark":
        return cmd_tshark(argv[1], argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
