#!/usr/bin/env python3
"""tests/integration/papclient.py - a small push initiator for the PPG tests.

  papclient.py post URL [--user U --password P] [--ctype CT]
               (--data-file F | --data TEXT)
      POSTs the body; prints the HTTP status on the first line and the
      response body after it.  Exit 0 when an answer came, 2 otherwise.

  papclient.py form URL [--user U --password P] NAME=VALUE...
      The same with an application/x-www-form-urlencoded body.

  papclient.py pap KIND PUSH_ID [ADDRESS]
      Prints a PAP 2.0 control document: KIND is statusquery or cancel.

  papclient.py kannel-reply FILE
      Prints the reply body that Kannel's test_ppg dumped in FILE (its
      debug "Octet string" dump after "reply body was").

  papclient.py xml FILE PATH ATTR
      Prints attribute ATTR of the first element at PATH (ElementTree
      path, e.g. ".//response-result") of the XML in FILE (after the
      status line when the file came from "post").
"""
import base64
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET


def post(url, body, ctype, user, password):
    req = urllib.request.Request(url, data=body, method="POST")
    if ctype:
        req.add_header("Content-Type", ctype)
    if user is not None:
        tok = base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
        req.add_header("Authorization", "Basic " + tok)
    try:
        r = urllib.request.urlopen(req, timeout=10)
        return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def opts(args):
    o = {"user": None, "password": "", "ctype": None, "data": None}
    rest = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--user":
            o["user"] = args[i + 1]
            i += 2
        elif a == "--password":
            o["password"] = args[i + 1]
            i += 2
        elif a == "--ctype":
            o["ctype"] = args[i + 1]
            i += 2
        elif a == "--data-file":
            o["data"] = open(args[i + 1], "rb").read()
            i += 2
        elif a == "--data":
            o["data"] = args[i + 1].encode()
            i += 2
        else:
            rest.append(a)
            i += 1
    return o, rest


def kannel_reply(path):
    out = bytearray()
    inside = False
    for line in open(path, errors="replace"):
        if "reply body was" in line:
            inside = True
            out = bytearray()
            continue
        if not inside:
            continue
        if "Octet string dump ends" in line:
            break
        k = line.find("data: ")
        if k < 0:
            continue
        for tok in line[k + 6:k + 6 + 48].split():
            out.append(int(tok, 16))
    sys.stdout.write(out.decode("utf-8", "replace"))


def xml_attr(path, where, attr):
    text = open(path, "rb").read()
    if text[:3].isdigit():
        text = text.split(b"\n", 1)[1]
    root = ET.fromstring(text)
    el = root if where == "." else root.find(where)
    if el is None:
        print("")
        return
    print(el.get(attr, ""))


def main():
    cmd = sys.argv[1]
    if cmd in ("post", "form"):
        url = sys.argv[2]
        o, rest = opts(sys.argv[3:])
        if cmd == "form":
            pairs = [tuple(r.split("=", 1)) for r in rest]
            o["data"] = urllib.parse.urlencode(pairs).encode()
            o["ctype"] = o["ctype"] or "application/x-www-form-urlencoded"
        try:
            st, body = post(url, o["data"] or b"", o["ctype"], o["user"],
                            o["password"])
        except Exception as e:
            print("000")
            print(e)
            sys.exit(2)
        sys.stdout.write("%d\n" % st)
        sys.stdout.write(body.decode("utf-8", "replace"))
        return
    if cmd == "pap":
        kind, pid = sys.argv[2], sys.argv[3]
        addr = ""
        if len(sys.argv) > 4:
            addr = '<address address-value="%s"/>' % sys.argv[4]
        print('<?xml version="1.0"?>\n<!DOCTYPE pap PUBLIC '
              '"-//WAPFORUM//DTD PAP 2.0//EN" '
              '"http://www.wapforum.org/DTD/pap_2.0.dtd">\n'
              '<pap><%s-message push-id="%s">%s</%s-message></pap>'
              % (kind, pid, addr, kind))
        return
    if cmd == "kannel-reply":
        kannel_reply(sys.argv[2])
        return
    if cmd == "xml":
        xml_attr(sys.argv[2], sys.argv[3], sys.argv[4])
        return
    sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
