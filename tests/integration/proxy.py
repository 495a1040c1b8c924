#!/usr/bin/env python3
"""
tests/integration/proxy.py - a forwarding HTTP/1.1 proxy that records
what it was asked, for the [mmsc] proxy tests.

It accepts absolute-form requests ("GET http://host:port/path HTTP/1.1"),
forwards each to that host:port with http.client (one connection per
request) and relays the status, headers and body.  It never resolves or
filters on its own: whatever reaches it is forwarded, so a test that
finds nothing in its log proves the gateway refused before asking.
CONNECT (https through the proxy) is answered 501: the tests speak http.

Log (--log, one JSON object a line, flushed at once):
  {"ev": "conn", "peer": "127.0.0.1:40000"}
  {"ev": "req", "method": "GET", "target": "http://127.0.0.1:8081/x",
   "headers": [[name, value], ...], "body_len": 0}
  {"ev": "fwd-error", "target": ..., "error": "..."}

--port 0 lets the kernel choose; --port-file receives the port once
listening.  Standard library only.  Stops on SIGTERM.
"""

import argparse
import http.client
import http.server
import json
import signal
import sys
import threading
import urllib.parse


class Log:
    def __init__(self, path):
        self.lock = threading.Lock()
        self.f = open(path, "a") if path else None

    def write(self, obj):
        if self.f is None:
            return
        with self.lock:
            self.f.write(json.dumps(obj) + "\n")
            self.f.flush()


LOG = None

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "te",
              "trailer", "transfer-encoding", "upgrade",
              "proxy-authorization", "proxy-authenticate"}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        super().setup()
        LOG.write({"ev": "conn", "peer": "%s:%d" % self.client_address[:2]})

    def _reply(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _forward(self):
        n = int(self.headers.get("Content-Length", "0") or "0")
        body = self.rfile.read(n) if n > 0 else b""
        LOG.write({"ev": "req", "method": self.command, "target": self.path,
                   "headers": [[k, v] for k, v in self.headers.items()],
                   "body_len": len(body)})
        u = urllib.parse.urlsplit(self.path)
        if u.scheme != "http" or not u.hostname:
            self._reply(400, b"proxy: absolute http URL expected\n")
            return
        path = u.path or "/"
        if u.query:
            path += "?" + u.query
        hdrs = {k: v for k, v in self.headers.items()
                if k.lower() not in HOP_BY_HOP}
        try:
            conn = http.client.HTTPConnection(u.hostname, u.port or 80,
                                              timeout=10)
            conn.request(self.command, path, body=body or None,
                         headers=hdrs)
            r = conn.getresponse()
            data = r.read()
        except OSError as e:
            LOG.write({"ev": "fwd-error", "target": self.path,
                       "error": str(e)})
            self._reply(502, b"proxy: upstream unreachable\n")
            return
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in HOP_BY_HOP and k.lower() != "content-length":
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        conn.close()

    def do_CONNECT(self):
        LOG.write({"ev": "req", "method": "CONNECT", "target": self.path,
                   "headers": [[k, v] for k, v in self.headers.items()],
                   "body_len": 0})
        self._reply(501, b"proxy: CONNECT not supported\n")

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = _forward


def main():
    global LOG
    p = argparse.ArgumentParser(description="recording HTTP proxy")
    p.add_argument("--bind", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file")
    p.add_argument("--log")
    a = p.parse_args()
    LOG = Log(a.log)
    srv = http.server.ThreadingHTTPServer((a.bind, a.port), Handler)
    srv.daemon_threads = True
    if a.port_file:
        with open(a.port_file + ".tmp", "w") as f:
            f.write("%d\n" % srv.server_address[1])
        import os
        os.replace(a.port_file + ".tmp", a.port_file)

    def stop(signum, frame):
        threading.Thread(target=srv.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    srv.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
