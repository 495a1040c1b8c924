#!/usr/bin/env python3
"""tests/integration/smsc_check.py - reads smsc.pl's log and checks every
submit_sm that reached the fake SMSC, independently of the gateway's code.

For each submit_sm: esm_class 0x40 (UDHI), the wanted data_coding, TON/NPI
1/1 for "+" numbers, a user data header that is the 16-bit port IE
(2948 <- 9200) alone, or followed by exactly one concatenation IE (0x00
with 8-bit or 0x08 with 16-bit reference), UDHL consistent, at most 140
octets.  Parts of one push (same destination) are grouped by reference,
must be complete (1..total, same total) and reassemble into a WSP Push
PDU (TID, 0x06, uintvar headers length, content type 0xBE, then
X-Wap-Application-Id 0x84 among the headers, then an m-notification-ind
0x8C 0x82 whose transaction id is "T" + the destination's marker).

Prints JSON: submits, accepted, markers (pushes seen complete, counted by
destination), dups (markers seen complete more than once), refs, errors.
Exit 1 if any check fails.
"""
import argparse
import json
import sys


def uintvar(b, i):
    v = 0
    for n in range(5):
        if i >= len(b):
            raise ValueError("uintvar truncated")
        c = b[i]
        i += 1
        v = (v << 7) | (c & 0x7F)
        if not c & 0x80:
            return v, i
    raise ValueError("uintvar too long")


def check_push(pdu, marker, errors):
    try:
        if len(pdu) < 4 or pdu[1] != 0x06:
            raise ValueError("not a Push PDU: %s" % pdu[:8].hex())
        hlen, i = uintvar(pdu, 2)
        hdr = pdu[i:i + hlen]
        body = pdu[i + hlen:]
        if hdr[:1] != b"\xbe":
            raise ValueError("content type is not 0xBE: %s" % hdr.hex())
        if b"\xaf\x84" not in hdr:
            raise ValueError("no X-Wap-Application-Id mms.ua: %s" % hdr.hex())
        if body[:3] != b"\x8c\x82\x98":
            raise ValueError("body is not an m-notification-ind")
        tid = body[3:body.index(b"\x00", 3)].decode()
        if tid != "T" + marker:
            raise ValueError("transaction id %s, want T%s" % (tid, marker))
    except (ValueError, IndexError) as e:
        errors.append("push for %s: %s" % (marker, e))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("--dcs", default="0x04")
    ap.add_argument("--marker-digits", type=int, default=6)
    args = ap.parse_args()

    errors = []
    submits = 0
    accepted = 0
    singles = {}        # dst -> count of complete single-part pushes
    parts = {}          # (dst, ref, total) -> {n: payload}
    refs = {}           # dst -> set of references seen
    for line in open(args.log):
        if not line.startswith("submit "):
            continue
        f = dict(kv.split("=", 1) for kv in line.split()[1:])
        submits += 1
        if f["status"] == "0x00000000":
            accepted += 1
        dst = f["dst"]
        sm = bytes.fromhex(f["sm"])
        if f["esm"] != "0x40":
            errors.append("%s: esm_class %s" % (dst, f["esm"]))
        if f["dcs"] != args.dcs:
            errors.append("%s: data_coding %s" % (dst, f["dcs"]))
        if (f["dst_ton"], f["dst_npi"]) != ("1", "1"):
            errors.append("%s: TON/NPI %s/%s" % (dst, f["dst_ton"],
                                                 f["dst_npi"]))
        if len(sm) > 140 or len(sm) < 8:
            errors.append("%s: short_message of %d octets" % (dst, len(sm)))
            continue
        udhl = sm[0]
        udh = sm[1:1 + udhl]
        payload = sm[1 + udhl:]
        if udh[:6] != b"\x05\x04\x0b\x84\x23\xf0":
            errors.append("%s: port IE %s" % (dst, udh[:6].hex()))
            continue
        if f["status"] != "0x00000000":
            continue
        rest = udh[6:]
        if udhl == 6:
            singles[dst] = singles.get(dst, 0) + 1
            check_push(payload, dst[-args.marker_digits:], errors)
            continue
        if udhl == 11 and rest[:2] == b"\x00\x03":
            ref, total, n = rest[2], rest[3], rest[4]
        elif udhl == 12 and rest[:2] == b"\x08\x04":
            ref, total, n = (rest[2] << 8) | rest[3], rest[4], rest[5]
        else:
            errors.append("%s: unexpected UDH %s" % (dst, udh.hex()))
            continue
        if not 1 <= n <= total:
            errors.append("%s: part %d of %d" % (dst, n, total))
            continue
        refs.setdefault(dst, set()).add(ref)
        parts.setdefault((dst, ref, total), {}).setdefault(n, []).append(
            payload)
    markers = dict(singles)
    for (dst, ref, total), got in parts.items():
        if sorted(got) != list(range(1, total + 1)):
            errors.append("%s: ref %d: parts %s of %d" % (
                dst, ref, sorted(got), total))
            continue
        # A part sent twice (a retry or a crash) must carry the same
        # bytes: the handset reassembles by reference.
        for n, copies in got.items():
            if any(c != copies[0] for c in copies):
                errors.append("%s: ref %d part %d differs between sends" %
                              (dst, ref, n))
        pdu = b"".join(got[n][0] for n in range(1, total + 1))
        check_push(pdu, dst[-args.marker_digits:], errors)
        markers[dst] = markers.get(dst, 0) + max(len(c) for c in
                                                 got.values())
    for dst, rs in refs.items():
        if len(rs) != 1:
            errors.append("%s: concatenation references %s (a re-sent push "
                          "must keep its reference)" % (dst, sorted(rs)))
    out = {
        "submits": submits,
        "accepted": accepted,
        "markers": len(markers),
        "dups": sum(1 for v in markers.values() if v > 1),
        "multipart": len(parts),
        "errors": errors[:20],
    }
    json.dump(out, sys.stdout)
    print()
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
