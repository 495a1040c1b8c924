#!/usr/bin/env python3
"""
tests/integration/caserun.py - runs declarative transcript cases
(tests/integration/cases/*.case, STYLE.md 3.8) against a running gateway.

A case file has sections; '#' starts a comment line:

  [request]             the datagram the handset sends, as hex; "text"
                        in double quotes is ASCII; {HOSTPORT} expands to
                        "127.0.0.1:PORT" of the canned upstream (a fixed
                        width when PORT has 5 digits, so lengths in the
                        hex stay right)
  [upstream-request]    what the upstream must receive: the first line
                        is the request line, compared exactly; then
                        "Name: value" (header present with that value,
                        name case-insensitive), "Name" (present),
                        "!Name" (absent); "body-hex: ..." the exact body
  [upstream-response]   the canned HTTP response, header lines (CRLF is
                        added), a blank line, then the body (text as is;
                        or a single line "body-hex: ..." instead)
  [reply]               the Reply datagram expected back, as hex ("text"
                        allowed); ".." matches any one octet; the section
                        "none" means no Reply may come within 1 s

The upstream is a one-shot raw TCP server on --upstream-port (so the
response carries exactly the canned octets: no Server or Date added).
Prints one line per case; exit 0 when all pass, 1 otherwise.
"""

import argparse
import os
import re
import socket
import sys
import threading


def parse_case(path):
    sections, cur = {}, None
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if line.startswith("#"):
                continue
            m = re.match(r"^\[([a-z-]+)\]\s*$", line)
            if m:
                cur = m.group(1)
                sections[cur] = []
                continue
            if cur is not None:
                sections[cur].append(line)
    return sections


def hex_pattern(lines, hostport):
    """Returns a list of ints (octets) or None (wildcard)."""
    text = " ".join(lines).replace("{HOSTPORT}", hostport)
    out = []
    for tok in re.findall(r'"[^"]*"|\.\.|[0-9A-Fa-f]{2}|\S', text):
        if tok.startswith('"'):
            out.extend(tok[1:-1].encode("utf-8"))
        elif tok == "..":
            out.append(None)
        elif re.fullmatch(r"[0-9A-Fa-f]{2}", tok):
            out.append(int(tok, 16))
        else:
            raise ValueError("bad token %r in hex section" % tok)
    return out


def canned_response(lines):
    head, body, in_body = [], b"", False
    for line in lines:
        if not in_body and line.strip() == "":
            in_body = True
            continue
        if in_body:
            if line.startswith("body-hex:"):
                body += bytes.fromhex(line[9:])
            else:
                body += (line + "\n").encode("utf-8")
        else:
            head.append(line)
    # Trailing blank lines of the file are not part of the body.
    if body and not any(l.startswith("body-hex:") for l in lines):
        body = body.rstrip(b"\n") + b"\n"
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


class OneShot(threading.Thread):
    """Accepts connections until stopped; records each request; answers
    each with the canned response; closes every connection when done."""

    def __init__(self, port, response):
        super().__init__(daemon=True)
        self.srv = socket.socket()
        self.srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.srv.bind(("127.0.0.1", port))
        self.srv.listen(8)
        self.srv.settimeout(0.2)
        self.response = response
        self.requests = []
        self.conns = []
        self.stop = False

    def run(self):
        while not self.stop:
            try:
                c, _ = self.srv.accept()
            except socket.timeout:
                continue
            self.conns.append(c)
            threading.Thread(target=self.serve, args=(c,),
                             daemon=True).start()
        self.srv.close()
        # Close kept-alive connections too, or the gateway would reuse
        # them and get this case's response in the next case.
        for c in self.conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def serve(self, c):
        c.settimeout(5)
        buf = b""
        try:
            while True:
                while b"\r\n\r\n" not in buf:
                    d = c.recv(65536)
                    if not d:
                        return
                    buf += d
                head, _, rest = buf.partition(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                hdrs = [tuple(x.strip() for x in l.split(":", 1))
                        for l in lines[1:] if ":" in l]
                n = 0
                for k, v in hdrs:
                    if k.lower() == "content-length":
                        n = int(v)
                while len(rest) < n:
                    d = c.recv(65536)
                    if not d:
                        break
                    rest += d
                body, buf = rest[:n], rest[n:]
                self.requests.append((lines[0], hdrs, body))
                c.sendall(self.response)
        except OSError:
            return
        finally:
            c.close()


def check_upstream(lines, reqs):
    lines = [l for l in lines if l.strip()]
    if not lines:
        return None
    if len(reqs) != 1:
        return "upstream got %d requests, expected 1" % len(reqs)
    first, hdrs, body = reqs[0]
    if first != lines[0].strip():
        return "request line %r, expected %r" % (first, lines[0].strip())
    hmap = {}
    for k, v in hdrs:
        hmap.setdefault(k.lower(), []).append(v)
    for l in lines[1:]:
        l = l.strip()
        if l.startswith("body-hex:"):
            want = bytes.fromhex(l[9:])
            if body != want:
                return "request body %s, expected %s" % (body.hex(),
                                                        want.hex())
        elif l.startswith("!"):
            if l[1:].lower() in hmap:
                return "header %s present: %r" % (l[1:], hmap[l[1:].lower()])
        elif ":" in l:
            k, v = (x.strip() for x in l.split(":", 1))
            if v not in hmap.get(k.lower(), []):
                return "header %s: %r, expected %r" % (
                    k, hmap.get(k.lower()), v)
        elif l.lower() not in hmap:
            return "header %s missing (got %s)" % (l, [k for k, _ in hdrs])
    return None


def run_case(path, gw_host, gw_port, up_port):
    sec = parse_case(path)
    hostport = "127.0.0.1:%d" % up_port
    up = OneShot(up_port, canned_response(sec.get("upstream-response", [])))
    up.start()
    try:
        req = bytes(hex_pattern(sec["request"], hostport))
        fam = socket.AF_INET6 if ":" in gw_host else socket.AF_INET
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.connect((gw_host, gw_port))
        s.send(req)
        want_none = [l.strip() for l in sec["reply"] if l.strip()] == \
            ["none"]
        s.settimeout(1.0 if want_none else 8.0)
        try:
            got = s.recv(1 << 17)
        except socket.timeout:
            got = None
        s.close()
        if want_none:
            if got is not None:
                return "expected no Reply, got %s" % got.hex()
            return check_upstream(sec.get("upstream-request", []),
                                  up.requests) if up.requests else None
        if got is None:
            return "no Reply within 8 s"
        err = check_upstream(sec.get("upstream-request", []), up.requests)
        if err:
            return err + "; Reply %s" % got.hex(" ")
        want = hex_pattern(sec["reply"], hostport)
        ok = len(got) == len(want) and all(
            w is None or w == g for w, g in zip(want, got))
        if not ok:
            return "Reply differs\n  got:  %s\n  want: %s" % (
                got.hex(" "), " ".join(".." if w is None else "%02x" % w
                                       for w in want))
        return None
    finally:
        up.stop = True
        up.join()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--gw-host", default="127.0.0.1")
    p.add_argument("--gw-port", type=int, required=True)
    p.add_argument("--upstream-port", type=int, required=True)
    p.add_argument("cases", nargs="+")
    a = p.parse_args()
    if len(str(a.upstream_port)) != 5:
        print("caserun: --upstream-port must have 5 digits", file=sys.stderr)
        return 1
    failed = 0
    for c in a.cases:
        try:
            err = run_case(c, a.gw_host, a.gw_port, a.upstream_port)
        except (OSError, ValueError, KeyError) as e:
            err = "harness error: %r" % (e,)
        name = os.path.basename(c)
        if err:
            failed += 1
            print("FAIL %s: %s" % (name, err))
        else:
            print("ok   %s" % name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
