#!/usr/bin/env python3
"""
tests/integration/upstream.py - the HTTP/1.1 origin server the gateway
talks to in integration tests.

Plain http.server (ThreadingHTTPServer, protocol_version HTTP/1.1, so
connections are kept alive).  Standard library only.

Endpoints:
  GET  /hello              200 text/plain, body HELLO_BODY below
  GET  /bin?size=N&seed=S  200 application/octet-stream, N deterministic
                           octets (bin_body(N, S); also importable)
  *    /echo           200, body = request body, Content-Type = the
                           request's; X-Req-Method; X-Req-Headers = the
                           request headers as JSON
  *    /status/NNN         that status, short text/plain body
  GET  /slow?s=N           sleeps N seconds (float), then 200 "slept"
  GET  /ct                 200 "Content-Type: text/plain; charset=utf-8"
  GET  /big-headers?n=N    200 with N X-Filler-K headers (header size)
  GET  /chunked?n=N        200 text/plain, N lines, Transfer-Encoding:
                           chunked (one chunk per line)
  GET  /truncate           promises Content-Length 1000, sends 10 octets,
                           closes the connection
  GET  /resp?status=N&ct=T&h=Name:Value&h=...&body=B
                           a response built from the query: status (200),
                           Content-Type T ("none" = no Content-Type),
                           any headers (h repeats), body B (text)
  *    /redir?n=N&status=S S (302) with Location /redir?n=N-1&status=S
                           while N > 0; at N = 0, 200 echoing the body
                           and X-Req-Method
  GET  /gzip               200 text/plain, body HELLO_BODY gzip-compressed
                           with Content-Encoding: gzip (whatever the
                           request's Accept-Encoding says)
  *    /drop               reads the request (logged), then closes the
                           connection without any response: a client that
                           retries here would deliver a POST twice
  GET  /wml/deck           200 text/vnd.wap.wml, WML_DECK below (two
                           cards, variables, a select, a character
                           reference)
  GET  /wml/broken         200 text/vnd.wap.wml, WML_BROKEN (a mismatched
                           end tag on line 4)
  GET  /wml/latin1         200 text/vnd.wap.wml; charset=ISO-8859-1, a
                           deck in Latin-1 without an XML declaration
  anything else            404

Every accepted TCP connection and every request is appended, one JSON
object a line, to --log (flushed at once), so tests can assert that no
connection was made or that a POST arrived exactly once:
  {"ev": "conn", "peer": "127.0.0.1:40000", "t": ...}
  {"ev": "req", "peer": ..., "method": "POST", "path": "/echo",
   "headers": [[name, value], ...], "body_len": 5000,
   "body_sha256": "...", "t": ...}
Request bodies are also saved as --body-dir/NNNN.bin when given.

When --port-file is given the bound port is written there once listening
(use --port 0 to let the kernel choose).  Stops cleanly on SIGTERM.
"""

import argparse
import gzip
import hashlib
import http.server
import json
import os
import random
import signal
import socket
import sys
import threading
import time
import urllib.parse

HELLO_BODY = b"Hello from the wspgw integration upstream.\n"

# WML for the WML to WMLC tests (test_wmlc.sh, wmlc_check.py).
WML_DECK = b"""<?xml version="1.0"?>
<!DOCTYPE wml PUBLIC "-//WAPFORUM//DTD WML 1.1//EN"
  "http://www.wapforum.org/DTD/wml_1_1.dtd">
<wml>
  <head><meta http-equiv="Cache-Control" content="max-age=0"/></head>
  <card id="home" title="wspgw test deck">
    <do type="accept" label="Search">
      <go href="/search?q=$(q:escape)" method="get"/>
    </do>
    <p align="center"><b>Welcome</b> to the <i>wspgw</i> deck &amp; co.</p>
    <p>Query: <input name="q" title="Query" maxlength="20"/>
      <select name="lang"><option value="en">English</option>
        <option value="fr">Fran&#231;ais</option></select>
      <br/><a href="#second">Next card</a> costs $$0.
    </p>
  </card>
  <card id="second" title="Second">
    <onevent type="onenterforward">
      <refresh><setvar name="seen" value="1"/></refresh>
    </onevent>
    <p>Hello $(user), seen=$seen.</p>
  </card>
</wml>
"""

WML_BROKEN = b"""<?xml version="1.0"?>
<wml>
  <card id="a" title="Broken">
    <p>This deck is <b>not well-formed</i>.</p>
  </card>
</wml>
"""

WML_LATIN1 = (b'<wml><card id="l" title="Latin-1"><p>Caf\xe9 cr\xe8me'
              b'</p></card></wml>\n')


def bin_body(size, seed):
    """Deterministic, non-repeating-looking bytes (Python's Mersenne
    Twister is stable across versions for randbytes with an int seed)."""
    return random.Random(int(seed)).randbytes(int(size))


class Log:
    def __init__(self, path, body_dir):
        self.lock = threading.Lock()
        self.f = open(path, "a") if path else None
        self.body_dir = body_dir
        self.n = 0

    def write(self, obj, body=None):
        obj["t"] = round(time.time(), 3)
        with self.lock:
            self.n += 1
            if body is not None and self.body_dir:
                name = os.path.join(self.body_dir, "%04d.bin" % self.n)
                with open(name, "wb") as bf:
                    bf.write(body)
                obj["body_file"] = name
            if self.f:
                self.f.write(json.dumps(obj, sort_keys=True) + "\n")
                self.f.flush()


LOG = None


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def get_request(self):
        conn, addr = super().get_request()
        LOG.write({"ev": "conn", "peer": fmt_peer(addr)})
        return conn, addr


class Server6(Server):
    address_family = socket.AF_INET6


def fmt_peer(addr):
    host, port = addr[0], addr[1]
    return ("[%s]:%d" if ":" in host else "%s:%d") % (host, port)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "wspgw-test-upstream/1"

    def log_message(self, fmt, *args):    # quiet; the JSON log says it all
        pass

    def read_body(self):
        te = self.headers.get("Transfer-Encoding", "")
        if "chunked" in te.lower():
            out = b""
            while True:
                line = self.rfile.readline()
                n = int(line.split(b";")[0].strip(), 16)
                if n == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return out
                out += self.rfile.read(n)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length", "0") or 0)
        return self.rfile.read(n) if n else b""

    def send(self, status, body, ctype="text/plain", extra=()):
        self.send_response(status)
        if ctype is not None:
            self.send_header("Content-Type", ctype)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        body = self.read_body()
        u = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(u.query))
        hdrs = [[k, v] for k, v in self.headers.items()]
        LOG.write({"ev": "req", "peer": fmt_peer(self.client_address),
                   "method": self.command, "path": self.path,
                   "version": self.request_version, "headers": hdrs,
                   "body_len": len(body),
                   "body_sha256": hashlib.sha256(body).hexdigest()},
                  body if body else None)
        p = u.path
        if p == "/hello":
            return self.send(200, HELLO_BODY)
        if p == "/bin":
            return self.send(200, bin_body(q.get("size", 0),
                                           q.get("seed", 1)),
                             "application/octet-stream")
        if p == "/echo":
            return self.send(200, body,
                             self.headers.get("Content-Type"),
                             [("X-Req-Method", self.command),
                              ("X-Req-Headers", json.dumps(hdrs))])
        if p.startswith("/status/"):
            try:
                code = int(p[len("/status/"):])
            except ValueError:
                code = 400
            text = ("status %d\n" % code).encode()
            if code in (204, 304) or code < 200:
                self.send_response(code)
                self.end_headers()
                return None
            return self.send(code, text)
        if p == "/slow":
            time.sleep(float(q.get("s", "1")))
            return self.send(200, b"slept\n")
        if p == "/ct":
            return self.send(200, "h\u00e9llo\n".encode("utf-8"),
                             "text/plain; charset=utf-8")
        if p == "/big-headers":
            n = int(q.get("n", "10"))
            return self.send(200, b"ok\n", "text/plain",
                             [("X-Filler-%d" % i, "v" * 60)
                              for i in range(n)])
        if p == "/chunked":
            n = int(q.get("n", "3"))
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(n):
                line = ("chunk line %d\n" % i).encode()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
            self.wfile.write(b"0\r\n\r\n")
            return None
        if p == "/truncate":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"0123456789")
            self.wfile.flush()
            self.close_connection = True
            return None
        if p == "/wml/deck":
            return self.send(200, WML_DECK, "text/vnd.wap.wml")
        if p == "/wml/broken":
            return self.send(200, WML_BROKEN, "text/vnd.wap.wml")
        if p == "/wml/latin1":
            return self.send(200, WML_LATIN1,
                             "text/vnd.wap.wml; charset=ISO-8859-1")
        if p == "/resp":
            # latin-1: %XX is one octet, so any header octet can be asked
            # for (http.server writes header values as latin-1).
            ql = urllib.parse.parse_qsl(u.query, keep_blank_values=True,
                                        encoding="latin-1")
            ct = q.get("ct", "text/plain")
            extra = []
            for k, v in ql:
                if k == "h":
                    name, _, val = v.partition(":")
                    extra.append((name.strip(), val.strip()))
            return self.send(int(q.get("status", "200")),
                             q.get("body", "resp\n").encode("utf-8"),
                             None if ct == "none" else ct, extra)
        if p == "/redir":
            n = int(q.get("n", "1"))
            st = int(q.get("status", "302"))
            if n > 0:
                loc = "/redir?n=%d&status=%d" % (n - 1, st)
                return self.send(st, b"moved\n", "text/plain",
                                 [("Location", loc)])
            return self.send(200, body, self.headers.get("Content-Type"),
                             [("X-Req-Method", self.command)])
        if p == "/gzip":
            return self.send(200, gzip.compress(HELLO_BODY, mtime=0),
                             "text/plain", [("Content-Encoding", "gzip")])
        if p == "/drop":
            self.close_connection = True
            return None
        return self.send(404, b"no such test endpoint\n")

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = do_OPTIONS = \
        do_TRACE = handle_any


def main():
    global LOG
    p = argparse.ArgumentParser(description="wspgw test upstream")
    p.add_argument("--bind", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file")
    p.add_argument("--log")
    p.add_argument("--body-dir")
    a = p.parse_args()
    LOG = Log(a.log, a.body_dir)
    cls = Server6 if ":" in a.bind else Server
    srv = cls((a.bind, a.port), Handler)
    if a.port_file:
        tmp = a.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % srv.server_address[1])
        os.rename(tmp, a.port_file)

    def stop(signum, frame):
        threading.Thread(target=srv.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    srv.serve_forever(poll_interval=0.1)
    srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
