#!/usr/bin/env python3
"""
tests/integration/refgw.py - an executable model of the wspgw daemon
contract, used only to check the integration harness itself.

    WSPGW=$PWD/../tests/integration/refgw.py make check TESTS=...

runs the integration tests against this model instead of
gateway/wspgw.  A test that fails against the model has a bug in the
test; a test that passes here and fails against gateway/wspgw has found
something in the daemon.  Known exceptions: the model sends every
upstream response header as an application header (text) and no
Content-Length, so the rich header part of test_tshark.sh (Date-value,
Cache-Control, ... decoded by tshark) and the byte-exact transcripts of
test_cases.sh fail against it by design.  It is not a gateway: one thread
per request, no limits, no WTP, minimal header coverage.

Contract modelled: -c FILE, --check-config (FILE:LINE: message, exit 1),
--version, --help; [gateway] bind/wsp-port/wtp-port/access-log,
[upstream] allow (repeatable)/timeout, [admin] listen with GET /health;
SIGHUP reload (a bad file keeps the running config), SIGTERM/SIGINT exit
0; connectionless Get/Post -> HTTP/1.1 -> Reply; 0x43 outside allow
(no connection), 0x62 unreachable, 0x64 timeout, 5xx when the Reply does
not fit a datagram; malformed datagrams dropped and counted.
"""

import http.client
import re
import http.server
import os
import signal
import socket
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wspclient as W  # noqa: E402  (codec tables; fine for a model)

VERSION = "refgw (wspgw harness model) 0"
MAX_DGRAM = {socket.AF_INET: 65507, socket.AF_INET6: 65527}
KEYS = {"gateway": {"bind", "wsp-port", "wtp-port", "access-log"},
        "upstream": {"allow", "timeout"},
        "admin": {"listen"}}


class ConfigError(Exception):
    pass


def parse_hostport(text):
    text = text.strip()
    if text.startswith("["):
        end = text.find("]")
        if end < 0 or text[end + 1:end + 2] != ":":
            raise ValueError("expected [v6]:port")
        host, port = text[1:end], text[end + 2:]
        socket.inet_pton(socket.AF_INET6, host)
    else:
        host, sep, port = text.rpartition(":")
        if not sep or not host or ":" in host:
            raise ValueError("expected host:port")
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ValueError("bad port '%s'" % port)
    return host.lower(), int(port)


def load_config(path):
    cfg = {"bind": ["0.0.0.0"], "wsp-port": 9200, "wtp-port": 9201,
           "access-log": "", "allow": set(), "timeout": 30,
           "listen": ("127.0.0.1", 13000)}
    section = None
    try:
        lines = open(path).read().split("\n")
    except OSError as e:
        raise ConfigError("%s:0: %s" % (path, e.strerror))
    for no, raw in enumerate(lines, 1):
        def err(msg):
            raise ConfigError("%s:%d: %s" % (path, no, msg))
        line = raw.strip()
        if not line or line[0] in ";#":
            continue
        if line.startswith("["):
            if not line.endswith("]") or line[1:-1].strip() not in KEYS:
                err("unknown section %s" % line)
            section = line[1:-1].strip()
            continue
        key, sep, val = line.partition("=")
        key = key.strip()
        val = re.split(r"(?:^|\s);", val)[0].strip()
        if not sep:
            err("expected key = value")
        if section is None or key not in KEYS[section]:
            err("unknown key '%s'" % key)
        if key == "bind":
            addrs = [a.strip() for a in val.split(",") if a.strip()]
            for a in addrs:
                fam = socket.AF_INET6 if ":" in a else socket.AF_INET
                try:
                    socket.inet_pton(fam, a)
                except OSError:
                    err("bad bind address '%s'" % a)
            cfg["bind"] = addrs or ["0.0.0.0"]
        elif key in ("wsp-port", "wtp-port"):
            if not val.isdigit() or not 1 <= int(val) <= 65535:
                err("bad port '%s'" % val)
            cfg[key] = int(val)
        elif key == "access-log":
            cfg[key] = val
        elif key == "allow":
            for ent in [e for e in val.replace(",", " ").split() if e]:
                try:
                    cfg["allow"].add(parse_hostport(ent))
                except ValueError as e:
                    err("bad allow entry '%s': %s" % (ent, e))
        elif key == "timeout":
            if not val.isdigit() or int(val) < 1:
                err("bad timeout '%s'" % val)
            cfg[key] = int(val)
        elif key == "listen":
            try:
                cfg[key] = parse_hostport(val)
            except ValueError as e:
                err("bad listen address '%s': %s" % (val, e))
    return cfg


def log(msg):
    sys.stderr.write("%s refgw: %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


class Gateway:
    def __init__(self, path, cfg):
        self.path = path
        self.cfg = cfg
        self.dropped = 0
        self.lock = threading.Lock()
        self.socks = []

    # ---- WSP side ----------------------------------------------------
    def serve_udp(self, sock, kind):
        while True:
            try:
                data, peer = sock.recvfrom(1 << 16)
            except OSError:
                return
            if kind == "wtp":
                with self.lock:
                    self.dropped += 1
                continue
            threading.Thread(target=self.handle, args=(sock, data, peer),
                             daemon=True).start()

    def decode_request(self, d):
        r = W.Reader(d)
        tid = r.byte()
        t = r.byte()
        if 0x40 <= t <= 0x44:
            n = r.uintvar()
            uri = r.take(n)
            hdr_start, hdr_end, body, ct = r.p, len(d), b"", None
        elif t in (0x60, 0x61):
            ulen = r.uintvar()
            hlen = r.uintvar()
            uri = r.take(ulen)
            hstart = r.p
            r.take(hlen)
            hr = W.Reader(d, hstart, hstart + hlen)
            media, params = W.decode_content_type(hr)
            ct = media + "".join("; %s=%s" % kv for kv in params.items())
            hdr_start, hdr_end, body = hr.p, hstart + hlen, d[r.p:]
        else:
            raise W.DecodeError("type 0x%02x" % t)
        method = {0x40: "GET", 0x41: "OPTIONS", 0x42: "HEAD",
                  0x43: "DELETE", 0x44: "TRACE", 0x60: "POST",
                  0x61: "PUT"}[t]
        hdrs = []
        for name, val in W.decode_headers(d, hdr_start, hdr_end):
            if isinstance(val, str) and val.startswith("hex:") and name in (
                    "Accept", "Accept-Charset", "Accept-Language"):
                val = qvalue_form(name, bytes.fromhex(val[4:]))
            if isinstance(val, str) and ("\r" in val or "\n" in val):
                continue
            if name == "Accept":
                val = W.ct_name(val) if isinstance(val, int) else val
            elif name == "Accept-Charset":
                val = W.CHARSETS.get(val, str(val)) if isinstance(
                    val, int) else val
            elif name == "Accept-Language":
                inv = {v: k for k, v in W.LANGUAGES.items()}
                val = inv.get(val, str(val)) if isinstance(val, int) \
                    else val
            elif name.lower() in ("content-length", "content-type", "host",
                                  "transfer-encoding", "connection") or \
                    not isinstance(val, str):
                continue
            hdrs.append((name, val))
        return tid, method, uri.decode("latin-1"), hdrs, ct, body

    def handle(self, sock, data, peer):
        t0 = time.monotonic()
        try:
            tid, method, url, hdrs, ct, body = self.decode_request(data)
        except (W.DecodeError, KeyError, UnicodeError, ValueError):
            with self.lock:
                self.dropped += 1
            return
        status, rct, rbody, rhdrs = self.fetch(method, url, hdrs, ct, body)
        ws = wsp_status(status)
        rct_b = W.encode_content_type(rct or "application/octet-stream")
        # http.client decodes header octets as latin-1; send them back as
        # the same octets.
        hb = b"".join(W.text_string(k) + W.text_string(v.encode("latin-1"))
                      for k, v in rhdrs)
        reply = bytes([tid, 0x04, ws]) + W.uintvar(len(rct_b) + len(hb)) + \
            rct_b + hb + rbody
        if len(reply) > MAX_DGRAM[sock.family]:
            msg = b"response of %d octets does not fit one datagram\n" % \
                len(rbody)
            ct_b = W.encode_content_type("text/plain")
            reply = bytes([tid, 0x04, 0x62]) + W.uintvar(len(ct_b)) + \
                ct_b + msg
            status = 502
        sock.sendto(reply, peer)
        if self.cfg["access-log"]:
            line = "%s:%d %s %s %d %d %.3f\n" % (
                peer[0], peer[1], method, url, status, len(rbody),
                time.monotonic() - t0)
            if self.cfg["access-log"] == "-":
                sys.stderr.write(line)
            else:
                with open(self.cfg["access-log"], "a") as f:
                    f.write(line)

    def fetch(self, method, url, hdrs, ct, body):
        u = urllib.parse.urlsplit(url)
        if u.scheme != "http" or not u.hostname:
            return 400, "text/plain", b"bad URL\n", []
        try:
            port = u.port or 80
        except ValueError:
            return 400, "text/plain", b"bad port\n", []
        if (u.hostname.lower(), port) not in self.cfg["allow"]:
            return 403, "text/plain", b"not allowed\n", []
        conn = http.client.HTTPConnection(u.hostname, port,
                                          timeout=self.cfg["timeout"])
        path = u.path or "/"
        if u.query:
            path += "?" + u.query
        try:
            conn.putrequest(method, path)
            for k, v in hdrs:
                conn.putheader(k, v)
            if ct is not None:
                conn.putheader("Content-Type", ct)
            if method in ("POST", "PUT"):
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body if method in ("POST", "PUT") else None)
            r = conn.getresponse()
            rbody = r.read()
            keep = [(k, v) for k, v in r.getheaders() if k.lower() not in (
                "content-type", "content-length", "connection",
                "keep-alive", "transfer-encoding", "date", "server")]
            return r.status, r.getheader("Content-Type"), rbody, keep
        except socket.timeout:
            return 504, "text/plain", b"upstream timeout\n", []
        except (OSError, http.client.HTTPException):
            return 502, "text/plain", b"upstream unreachable\n", []
        finally:
            conn.close()

    # ---- admin ---------------------------------------------------------
    def serve_admin(self):
        class H(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                ok = self.path == "/health"
                b = b"ok\n" if ok else b"not found\n"
                self.send_response(200 if ok else 404)
                self.send_header("Content-Length", str(len(b)))
                self.end_headers()
                self.wfile.write(b)
        host, port = self.cfg["listen"]
        srv = http.server.ThreadingHTTPServer((host, port), H)
        srv.daemon_threads = True
        threading.Thread(target=srv.serve_forever, daemon=True).start()

    def start(self):
        for addr in self.cfg["bind"]:
            fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
            for kind in ("wsp", "wtp"):
                s = socket.socket(fam, socket.SOCK_DGRAM)
                if fam == socket.AF_INET6:
                    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                s.bind((addr, self.cfg[kind + "-port"]))
                self.socks.append(s)
                threading.Thread(target=self.serve_udp, args=(s, kind),
                                 daemon=True).start()
        self.serve_admin()
        log("listening on %s wsp %d wtp %d" % (
            ",".join(self.cfg["bind"]), self.cfg["wsp-port"],
            self.cfg["wtp-port"]))


def qvalue_form(name, v):
    """Value-length forms of Accept* (wsp-headers.md 3): the value,
    then a Q-value (Accept: a 0x80 Q parameter).  Text for HTTP."""
    r = W.Reader(v)
    b = r.peek()
    if b >= 0x80 or b <= 30:
        code = r.integer()
        if name == "Accept":
            text = W.ct_name(code)
        elif name == "Accept-Charset":
            text = W.CHARSETS.get(code, str(code))
        else:
            text = {c: k for k, c in W.LANGUAGES.items()}.get(code,
                                                              str(code))
    else:
        text = r.text()
    if r.left():
        if name == "Accept" and r.peek() == 0x80:
            r.byte()
        q = r.uintvar()
        q = (q - 1) / 100 if q <= 100 else (q - 100) / 1000
        text += "; q=%g" % q
    return text


def wsp_status(h):
    """wsp-headers.md 10."""
    c, r = divmod(h, 100)
    if c == 4 and r < 32:
        return 0x40 + r
    if c == 5 and r < 16:
        return 0x60 + r
    if 1 <= c <= 3 and r < 16:
        return c * 0x10 + r
    return {2: 0x20, 3: 0x30, 4: 0x40}.get(c, 0x60)


def main(argv):
    if "--help" in argv or "-h" in argv:
        print("usage: refgw.py -c FILE [--check-config] | --version")
        return 0
    if "--version" in argv:
        print(VERSION)
        return 0
    if "-c" not in argv or argv.index("-c") + 1 >= len(argv):
        print("refgw: -c FILE is required", file=sys.stderr)
        return 1
    path = argv[argv.index("-c") + 1]
    try:
        cfg = load_config(path)
    except ConfigError as e:
        print(str(e), file=sys.stderr)
        return 1
    if "--check-config" in argv:
        return 0
    gw = Gateway(path, cfg)
    gw.start()
    stop = threading.Event()

    def on_term(signum, frame):
        stop.set()

    def on_hup(signum, frame):
        try:
            new = load_config(path)
        except ConfigError as e:
            log("reload failed, keeping the running config: %s" % e)
            return
        gw.cfg["allow"] = new["allow"]
        gw.cfg["timeout"] = new["timeout"]
        gw.cfg["access-log"] = new["access-log"]
        log("reloaded %s" % path)
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    signal.signal(signal.SIGHUP, on_hup)
    while not stop.wait(0.2):
        pass
    log("stopping (%d datagrams dropped)" % gw.dropped)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
