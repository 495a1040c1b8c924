#!/usr/bin/env python3
"""
tests/integration/radius_raw.py - RADIUS accounting datagrams that a
well-behaved client (radclient) will not send: exact retransmissions and
malformed packets.  Standard library only; the authenticators are
computed here with hashlib (RFC 2866 3), independently of the gateway.

  radius_raw.py --port P --secret S dup --ip A --msisdn M [--session X]
      sends one Start twice, byte for byte (a retransmission), and prints
      {"answers": N, "valid": N, "identical": bool}
  radius_raw.py --port P --secret S truncated
      sends a Start cut inside an attribute at every offset (Length field
      made to agree and the packet signed, so only the bounds checks can
      refuse it), plus: attribute length 0, attribute length 1, a
      datagram shorter than its Length field, a Length below 20; prints
      {"sent": N, "answers": N}
  radius_raw.py --port P --secret S server --port-file F --log L
      a minimal accounting server (the operator's, for radius-forward):
      every request is checked against S and logged as one JSON line
      {"verified": bool, "id": N, "status": N, "len": N}; verified ones
      get an Accounting-Response.  Port 0 lets the kernel choose; the
      port is written to F.  Stops on SIGTERM.
"""
import argparse
import hashlib
import json
import os
import signal
import socket
import struct
import sys


def attr(t, v):
    return bytes([t, len(v) + 2]) + v


def vsa_3gpp(t, v):
    return attr(26, struct.pack(">I", 10415) + bytes([t, len(v) + 2]) + v)


def sign(pkt, secret):
    """Sets Length to len(pkt) and the Request Authenticator."""
    pkt = bytearray(pkt)
    pkt[2:4] = struct.pack(">H", len(pkt))
    pkt[4:20] = bytes(16)
    pkt[4:20] = hashlib.md5(bytes(pkt) + secret).digest()
    return bytes(pkt)


def start(ident, ip, msisdn, session, secret):
    body = (attr(40, struct.pack(">I", 1)) + attr(44, session.encode())
            + attr(8, socket.inet_aton(ip)) + attr(31, msisdn.encode())
            + vsa_3gpp(1, b"244059999999999"))
    return sign(bytes([4, ident, 0, 0]) + bytes(16) + body, secret)


def response_ok(resp, req, secret):
    if len(resp) < 20 or resp[0] != 5 or resp[1] != req[1]:
        return False
    n = struct.unpack(">H", resp[2:4])[0]
    want = hashlib.md5(resp[0:4] + req[4:20] + resp[20:n] + secret).digest()
    return want == resp[4:20]


def collect(s, timeout):
    out = []
    s.settimeout(timeout)
    while True:
        try:
            out.append(s.recv(4096))
        except socket.timeout:
            return out


def serve(a, secret):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((a.host, a.port))
    with open(a.port_file + ".tmp", "w") as f:
        f.write("%d\n" % s.getsockname()[1])
    os.rename(a.port_file + ".tmp", a.port_file)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    log = open(a.log, "a")
    while True:
        pkt, peer = s.recvfrom(4096)
        ok = len(pkt) >= 20 and pkt[0] == 4
        status = None
        if ok:
            n = struct.unpack(">H", pkt[2:4])[0]
            want = hashlib.md5(pkt[0:4] + bytes(16) + pkt[20:n]
                               + secret).digest()
            ok = want == pkt[4:20]
            off = 20
            while off + 2 <= n and pkt[off + 1] >= 2:
                if pkt[off] == 40 and pkt[off + 1] == 6:
                    status = struct.unpack(">I", pkt[off + 2:off + 6])[0]
                off += pkt[off + 1]
        log.write(json.dumps({"verified": ok, "id": pkt[1] if pkt else None,
                              "status": status, "len": len(pkt)}) + "\n")
        log.flush()
        if ok:
            resp = bytearray([5, pkt[1], 0, 20]) + pkt[4:20]
            resp[4:20] = hashlib.md5(bytes(resp) + secret).digest()
            s.sendto(bytes(resp), peer)


def main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--secret", required=True)
    p.add_argument("mode", choices=["dup", "truncated", "server"])
    p.add_argument("--port-file")
    p.add_argument("--log")
    p.add_argument("--ip", default="127.0.0.9")
    p.add_argument("--msisdn", default="358409999999")
    p.add_argument("--session", default="raw-1")
    p.add_argument("--ident", type=int, default=77)
    a = p.parse_args(argv)
    secret = a.secret.encode()
    if a.mode == "server":
        return serve(a, secret)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect((a.host, a.port))

    if a.mode == "dup":
        pkt = start(a.ident, a.ip, a.msisdn, a.session, secret)
        s.send(pkt)
        first = collect(s, 1.0)
        s.send(pkt)
        second = collect(s, 1.0)
        answers = first + second
        print(json.dumps({
            "answers": len(answers),
            "valid": sum(1 for r in answers if response_ok(r, pkt, secret)),
            "identical": len(answers) == 2 and answers[0] == answers[1]}))
        return 0

    good = start(a.ident, a.ip, a.msisdn, a.session, secret)
    bounds = set()
    off = 20
    while off < len(good):
        bounds.add(off)
        off += good[off + 1]
    sent = 0
    for cut in range(21, len(good)):
        if cut in bounds:
            continue
        s.send(sign(good[:cut], secret))
        sent += 1
    hdr = bytes([4, a.ident, 0, 0]) + bytes(16)
    st = attr(40, struct.pack(">I", 1))
    for bad in (sign(hdr + st + b"\x1f\x00", secret),
                sign(hdr + st + b"\x1f\x01", secret),
                good[:-3],
                bytes([4, 1, 0, 19]) + bytes(16) + st):
        s.send(bad)
        sent += 1
    answers = collect(s, 1.0)
    print(json.dumps({"sent": sent, "answers": len(answers)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
