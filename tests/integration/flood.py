#!/usr/bin/env python3
"""
tests/integration/flood.py - garbage and near-valid datagrams for the
daemon's WSP and WTP ports (robustness, test_flood.sh).

Generates, from a seeded PRNG so a failing run can be replayed:
  - random octet strings, 0..1500 octets (some empty, a few up to 65000);
  - valid connectionless Get/Post PDUs (wspclient.py's encoder) then
    mutated: flipped bits, truncated at a random offset, extended with
    junk, URILen/HeadersLen replaced by huge or over-long uintvars
    (8F FF FF FF 7F, 6 continuation octets), lengths pointing past the
    end, header blocks of random octets, Quote/shift/0x1F value-lengths;
  - PDU types the gateway does not take on this port (Reply, Push,
    Connect, Suspend, Data Fragment 0x80, reserved 0x00/0xFF);
  - WTP-looking datagrams (Invoke/Ack/Abort/Segmented Invoke/NACK first
    octets, random TPIs and TID) for the WTP port.
Valid-looking requests point mostly at URLs that fail fast (a closed but
allowed port, a forbidden port) and only rarely at the real upstream, so
the upstream is not the bottleneck.

Sends alternately to both ports from several source sockets, at most
--rate datagrams per second, for at most --max-seconds; drains and counts
whatever comes back.  Prints one JSON summary line.
"""

import argparse
import json
import os
import random
import select
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wspclient import uintvar, text_string, encode_content_type  # noqa


def get_pdu(rng, url):
    tid = rng.randrange(256)
    uri = url.encode()
    hdr = b""
    if rng.random() < 0.5:
        hdr += b"\x80\x80\x83\x99\xa9" + text_string("flood/1")
    if rng.random() < 0.3:
        hdr += text_string("X-Flood") + text_string("y" * rng.randrange(40))
    return bytearray([tid, 0x40]) + uintvar(len(uri)) + uri + hdr, \
        2, 2 + len(uintvar(len(uri)))


def post_pdu(rng, url):
    tid = rng.randrange(256)
    uri = url.encode()
    ct = encode_content_type(rng.choice(
        ["application/vnd.wap.mms-message", "text/plain; charset=utf-8",
         "application/x-flood"]))
    hdr = b"\xa9" + text_string("flood/1")
    body = os.urandom(rng.randrange(0, 600))
    hl = uintvar(len(ct) + len(hdr))
    ul = uintvar(len(uri))
    pdu = bytearray([tid, 0x60]) + ul + hl + uri + ct + hdr + body
    return pdu, 2, 2 + len(ul)


HUGE = [b"\x8f\xff\xff\xff\x7f", b"\xff\xff\xff\xff\xff\x7f",
        b"\x81\x80\x80\x80\x80\x00", b"\x80\x80\x80\x80\x80", b"\xff",
        b"\x90\x80\x80\x80\x00", b"\x84\x00\x00\x00"]


def mutate(rng, pdu, len1, len2):
    m = rng.randrange(9)
    if m == 0:                       # flip bits
        for _ in range(rng.randrange(1, 6)):
            i = rng.randrange(len(pdu))
            pdu[i] ^= 1 << rng.randrange(8)
    elif m == 1:                     # truncate
        pdu = pdu[:rng.randrange(len(pdu))]
    elif m == 2:                     # junk tail
        pdu += os.urandom(rng.randrange(1, 200))
    elif m == 3:                     # huge/over-long uintvar as a length
        at = rng.choice([len1, len2])
        end = at
        while end < len(pdu) and pdu[end] & 0x80:
            end += 1
        pdu = pdu[:at] + rng.choice(HUGE) + pdu[end + 1:]
    elif m == 4:                     # length just past the end
        at = len1
        rest = len(pdu) - at
        pdu = pdu[:at] + uintvar(rest + rng.randrange(1, 5000)) + \
            pdu[at + 1:]
    elif m == 5:                     # random header block
        pdu += os.urandom(rng.randrange(1, 64))
    elif m == 6:                     # nasty header encodings
        pdu += rng.choice([b"\x7f", b"\x1f", b"\x1f\x8f\xff\xff\xff\x7f",
                           b"\x91\x1f\xff\xff\xff\xff\x0f", b"\x22",
                           b"\x7f\x7f\x7f", b"\x01\x02\x03",
                           b"\x91\x1e" + b"\x80" * 3, b"\xa9\x7f",
                           b"X-A\x00", b"\x00" * 50])
    elif m == 7:                     # change the PDU type
        pdu[1] = rng.choice([0x00, 0x01, 0x04, 0x05, 0x06, 0x07, 0x08,
                             0x09, 0x41, 0x42, 0x43, 0x44, 0x45, 0x50,
                             0x5f, 0x61, 0x62, 0x70, 0x7f, 0x80, 0xff])
    else:                            # several at once
        for _ in range(3):
            pdu = mutate(rng, bytearray(pdu), len1, len2) \
                if len(pdu) > max(len1, len2) + 1 else pdu
    return bytearray(pdu)


def wtp_like(rng):
    first = rng.choice([0x08, 0x0A, 0x0C, 0x0E, 0x10, 0x12, 0x16, 0x18,
                        0x1A, 0x20, 0x28, 0x2A, 0x38, 0x80, 0x8E,
                        rng.randrange(256)])
    tid = os.urandom(2)
    pdu = bytearray([first]) + tid
    if first & 0x78 == 0x08:         # Invoke: version/TIDnew/U/P/class
        pdu.append(rng.randrange(256))
        pdu += bytes([0x01, 0x10]) + os.urandom(rng.randrange(0, 60))
    else:
        pdu += os.urandom(rng.randrange(0, 40))
    if rng.random() < 0.2:           # concatenated
        pdu = bytearray([0x00]) + bytes([len(pdu) & 0x7F]) + pdu + \
            os.urandom(rng.randrange(0, 20))
    return pdu


def garbage(rng, url):
    """Datagrams that are malformed for certain: nothing may answer them
    and they must not each produce a log line."""
    m = rng.randrange(6)
    uri = url.encode()
    tid = rng.randrange(256)
    if m == 0:          # URILen past the end
        return bytes([tid, 0x40]) + uintvar(len(uri) + rng.randrange(
            1, 100000)) + uri
    if m == 1:          # over-long / overflowing uintvar
        return bytes([tid, 0x40]) + rng.choice(HUGE[:3]) + uri
    if m == 2:          # Post whose HeadersLen runs past the end
        return bytes([tid, 0x60]) + uintvar(len(uri)) + \
            uintvar(rng.randrange(50, 5000)) + uri + b"\x83"
    if m == 3:          # empty, or a TID alone
        return b"" if rng.random() < 0.5 else bytes([tid])
    if m == 4:          # reserved / server-side PDU types
        return bytes([tid, rng.choice([0x00, 0x04, 0x06, 0x81, 0xFF])]) + \
            os.urandom(rng.randrange(0, 30))
    return bytes([tid, 0x40])   # Get without URILen


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--wsp-port", type=int, required=True)
    p.add_argument("--wtp-port", type=int, required=True)
    p.add_argument("--count", type=int, default=30000)
    p.add_argument("--rate", type=float, default=3000.0)
    p.add_argument("--max-seconds", type=float, default=30.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--upstream-url", required=True,
                   help="an allowed URL on the real upstream")
    p.add_argument("--closed-url", required=True,
                   help="an allowed URL where nothing listens")
    p.add_argument("--forbidden-url", required=True)
    p.add_argument("--sockets", type=int, default=8)
    p.add_argument("--garbage-only", action="store_true",
                   help="only certainly-malformed PDUs (see garbage())")
    a = p.parse_args()
    rng = random.Random(a.seed)
    fam = socket.AF_INET6 if ":" in a.host else socket.AF_INET
    socks = [socket.socket(fam, socket.SOCK_DGRAM) for _ in range(a.sockets)]
    for s in socks:
        s.setblocking(False)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
    sent = {"wsp": 0, "wtp": 0}
    kinds = {}
    received = 0
    send_errors = 0
    t0 = time.monotonic()
    for i in range(a.count):
        now = time.monotonic()
        if now - t0 > a.max_seconds:
            break
        ahead = i / a.rate - (now - t0)
        if ahead > 0:
            time.sleep(ahead)
        r = rng.random()
        port = a.wsp_port if i % 2 == 0 else a.wtp_port
        if a.garbage_only:
            # Garbage is certainly malformed only as connectionless WSP:
            # on the WTP port random octets can form a valid Invoke,
            # which WTP rightly answers.
            r = 2.0
            port = a.wsp_port
        url = (a.upstream_url if rng.random() < 0.02 else
               rng.choice([a.closed_url, a.forbidden_url]))
        if r < 0.25:
            n = rng.choice([0, 1, 2, 3, rng.randrange(1500),
                            rng.randrange(1500)])
            if rng.random() < 0.001:
                n = rng.randrange(8000, 65000)
            d, kind = os.urandom(n), "random"
        elif r < 0.45 and port == a.wtp_port:
            d, kind = wtp_like(rng), "wtp"
        elif r < 0.50:
            # Valid, untouched (these get answered).
            d, kind = get_pdu(rng, url)[0], "valid"
        elif r > 1.0:
            d, kind = garbage(rng, url), "garbage"
        else:
            pdu, l1, l2 = (get_pdu if rng.random() < 0.6 else post_pdu)(
                rng, url)
            d, kind = mutate(rng, pdu, l1, l2), "mutated"
        kinds[kind] = kinds.get(kind, 0) + 1
        s = socks[i % len(socks)]
        try:
            s.sendto(bytes(d), (a.host, port))
            sent["wsp" if port == a.wsp_port else "wtp"] += 1
        except (BlockingIOError, ConnectionRefusedError, OSError):
            send_errors += 1
        if i % 64 == 0:
            rd, _, _ = select.select(socks, [], [], 0)
            for s2 in rd:
                try:
                    while True:
                        s2.recv(1 << 17)
                        received += 1
                except (BlockingIOError, ConnectionRefusedError, OSError):
                    pass
    # Drain late replies for a moment.
    end = time.monotonic() + 1.0
    while time.monotonic() < end:
        rd, _, _ = select.select(socks, [], [], 0.1)
        for s2 in rd:
            try:
                while True:
                    s2.recv(1 << 17)
                    received += 1
            except (BlockingIOError, ConnectionRefusedError, OSError):
                pass
    print(json.dumps({"sent": sent, "kinds": kinds, "received": received,
                      "send_errors": send_errors,
                      "seconds": round(time.monotonic() - t0, 2),
                      "seed": a.seed}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
