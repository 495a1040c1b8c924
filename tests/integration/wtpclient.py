#!/usr/bin/env python3
"""
tests/integration/wtpclient.py - an independent WTP initiator and
connection-oriented WSP session client, for testing the daemon's WTP port.

Spec: WAP-224-WTP-20010710-a (PDUs 8, TPIs 8.4, SAR 7.14, TID
verification, concatenation), WAP-230-WSP-20010705-a 8.2 (Connect,
ConnectReply, Get, Post, Reply, Disconnect, Suspend, Resume) and 8.3
(capabilities); wire facts as in ../shared/reference/wtp.md and wsp.md.
Written from those tables only (no code of the gateway and none from
other projects), so that it checks the daemon instead of agreeing with it.

What it does: runs a list of operations over one UDP socket (one source
port, so one WTP peer and at most one WSP session), e.g.

    wtpclient.py --port 9201 connect get=http://x/a post=http://x/b \\
        --data-file body.bin disconnect

  connect          class 2 Invoke carrying Connect; ConnectReply gives
                   the session id and the server's capabilities
  get=URL          class 2 Get; head=URL, delete=URL, options=URL alike
  post=URL         class 2 Post of --data-file (or --data-hex); put=URL
  disconnect       class 0 Disconnect of the current session
  suspend          class 0 Suspend of the current session
  resume[=ID]      class 2 Resume (current session id unless given)
  raw2=HEX         class 2 Invoke carrying these WSP octets as they are
  sleep=SECONDS    wait, answering late retransmissions meanwhile
  push=SECONDS     wait up to SECONDS for a push the gateway starts into
                   the session (WAP-230 S-ConfirmedPush: an Invoke with the
                   gateway's TID, class 1 carrying ConfirmedPush 0x07 or
                   class 0 carrying Push 0x06); a class 1 Invoke is
                   answered with an Ack (TID with the direction bit set:
                   we are the responder), except the first --push-no-ack
                   N ones (their retransmissions are counted); reports
                   the PDU type, content type, headers and body

Every class 2 transaction does SAR both ways (WAP-224 7.14):
  - an outgoing message larger than --segment-size goes as an Invoke
    (PSN 0) plus Segmented Invokes in groups of --group-size packets,
    GTR on each group's last packet, TTR on the last one; the client waits
    for the group's Ack (PSN TPI = the GTR packet), resends only the
    packets a Negative Ack lists (RID=1), and on its own timer resends the
    group's last packet (and PSN 0 while the responder has said nothing);
  - an incoming segmented Result is acked group by group with an Ack
    carrying the PSN TPI of the GTR packet; missing packets are asked for
    with a Negative Ack after --nack-delay (again every --nack-interval
    while they stay missing); the message is delivered only when packets
    0..TTR are all present, and the last group's Ack (PSN TPI of the TTR
    packet) is the final Ack.  A one-packet Result gets a plain Ack.
  - a TID verification request (Ack with Tve) is answered with Ack Tok;
    Abort PDUs end the operation (reported, later ops are skipped).
  - retransmitted packets of finished transactions are acked again.
One-packet Invokes carry TTR=1, GTR=0 (SAR capable; --no-sar sends
GTR=TTR=1, which tells the responder not to segment its Result).

Impairments, all decided by one seeded generator per direction (--seed):
--loss-out / --loss-in / --loss (both) drop datagrams; --dup sends some
outgoing datagrams twice; --reorder delays some outgoing datagrams by
--reorder-delay so later ones overtake them; --concat sends the final Ack
of a transaction and the next Invoke in one concatenated datagram (0x00,
then per PDU a 1-octet length < 128 or a 2-octet length with bit 15 set;
not a uintvar).  --tidnew sets TIDnew on the first Invoke.  Concatenated
datagrams from the gateway are split the same way.

Output: one JSON object on stdout: {"ok", "ops": [...], "stats": {...}}.
Each op reports its result ("connectreply", "reply", "sent", "abort",
"timeout"), timings, and its own datagram counters; a Reply's status,
headers, body length and SHA-256 (decoded with wspclient.py's decoder).
--out FILE writes the body of the last Reply.  --pcap FILE records every
datagram that crossed the socket (LINKTYPE_RAW, wspclient.py's writer),
including incoming ones the simulated loss then discarded, so
`tshark -d udp.port==N,wtp` sees what was really on the wire.

Exit status: 0 every op completed; 3 an op got an Abort; 2 an op timed
out; 1 usage, socket or decode error.

What it does not do: class 1 as initiator, WTLS, segmented pushes,
several transactions at once.

Standard library only.
"""

import argparse
import json
import os
import random
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wspclient import (Pcap, decode_reply, encode_content_type,  # noqa: E402
                       integer_value, text_string, uintvar, DecodeError,
                       Reader, CT_CODE)

# ---- WTP assigned numbers (wtp.md 1, 5, 6) --------------------------------

INVOKE, RESULT, ACK, ABORT, SEG_INVOKE, SEG_RESULT, NACK = 1, 2, 3, 4, 5, 6, 7
PDU_NAMES = {0: "concat", INVOKE: "Invoke", RESULT: "Result", ACK: "Ack",
             ABORT: "Abort", SEG_INVOKE: "SegInvoke",
             SEG_RESULT: "SegResult", NACK: "Nack"}
TPI_PSN = 0x03
TPI_OPTION = 0x02
OPT_MAX_GROUP = 0x04

WSP_CONNECT, WSP_CONNECTREPLY, WSP_REDIRECT, WSP_REPLY = 1, 2, 3, 4
WSP_DISCONNECT, WSP_SUSPEND, WSP_RESUME = 5, 8, 9
METHODS = {"get": 0x40, "options": 0x41, "head": 0x42, "delete": 0x43,
           "post": 0x60, "put": 0x61}
CAP_NAMES = {0: "client_sdu", 1: "server_sdu", 2: "protocol_options",
             3: "method_mor", 4: "push_mor", 5: "extended_methods",
             6: "header_code_pages", 7: "aliases", 8: "client_message_size",
             9: "server_message_size"}


class ClientError(Exception):
    pass


# ---- WTP encoders -----------------------------------------------------------

def tpi(ident, data):
    """One TPI (wtp.md 5): short form up to 3 octets, long form above."""
    if len(data) <= 3:
        return bytes([(ident << 3) | len(data)]) + data
    return bytes([(ident << 3) | 0x04, len(data)]) + data


def tpi_chain(items):
    """TPIs with bit 7 set on every one but the last."""
    out = b""
    for i, t in enumerate(items):
        if i < len(items) - 1:
            t = bytes([t[0] | 0x80]) + t[1:]
        out += t
    return out


def pdu_invoke(tid, data, gtr, ttr, rid=0, tcl=2, up=1, tidnew=0, tpis=()):
    b0 = (0x80 if tpis else 0) | (INVOKE << 3) | (gtr << 2) | (ttr << 1) \
        | rid
    return bytes([b0]) + struct.pack("!H", tid & 0x7FFF) + \
        bytes([(tidnew << 5) | (up << 4) | tcl]) + tpi_chain(list(tpis)) + \
        data


def pdu_seg_invoke(tid, psn, data, gtr, ttr, rid=0):
    b0 = (SEG_INVOKE << 3) | (gtr << 2) | (ttr << 1) | rid
    return bytes([b0]) + struct.pack("!H", tid & 0x7FFF) + bytes([psn]) + \
        data


def pdu_ack(tid, tok=0, rid=0, psn=None):
    b0 = (0x80 if psn is not None else 0) | (ACK << 3) | (tok << 2) | rid
    out = bytes([b0]) + struct.pack("!H", tid & 0x7FFF)
    if psn is not None:
        out += tpi(TPI_PSN, bytes([psn]))
    return out


def pdu_ack_responder(tid):
    """Ack of a transaction the gateway started: the responder's TID has
    the direction bit set (wtp.md: TIDs are flipped in replies)."""
    return bytes([ACK << 3]) + struct.pack("!H", 0x8000 | (tid & 0x7FFF))


def pdu_nack(tid, missing, rid=0):
    return bytes([(NACK << 3) | rid]) + struct.pack("!H", tid & 0x7FFF) + \
        bytes([len(missing)]) + bytes(missing)


def pdu_abort(tid, abort_type, reason):
    return bytes([(ABORT << 3) | abort_type]) + \
        struct.pack("!H", tid & 0x7FFF) + bytes([reason])


def concat(pdus):
    """wtp.md 10: 0x00, then per PDU a 1- or 2-octet length (not uintvar)."""
    out = b"\x00"
    for p in pdus:
        n = len(p)
        if n < 0x80:
            out += bytes([n])
        elif n <= 0x7FFF:
            out += bytes([0x80 | (n >> 8), n & 0xFF])
        else:
            raise ValueError("PDU too long to concatenate")
        out += p
    return out


# ---- WTP decoders -----------------------------------------------------------

def split_concat(d):
    """Returns the list of PDUs in a datagram (one unless it starts 0x00)."""
    if not d:
        raise DecodeError("empty datagram")
    if d[0] != 0:
        return [d]
    out = []
    p = 1
    while p < len(d):
        b = d[p]
        if b & 0x80:
            if p + 1 >= len(d):
                raise DecodeError("truncated concatenation length")
            n = ((b & 0x7F) << 8) | d[p + 1]
            p += 2
        else:
            n = b
            p += 1
        if n == 0 or p + n > len(d):
            raise DecodeError("bad concatenated PDU length %d at %d"
                              % (n, p))
        out.append(d[p:p + n])
        p += n
    return out


def parse_pdu(d):
    """A dict with the fixed-header fields, the TPIs and the user data."""
    if len(d) < 3:
        raise DecodeError("WTP PDU shorter than 3 octets: %s" % d.hex())
    b0 = d[0]
    r = {"con": b0 >> 7, "type": (b0 >> 3) & 0x0F,
         "tid": ((d[1] & 0x7F) << 8) | d[2], "dir": d[1] >> 7,
         "hex": d[:16].hex()}
    t = r["type"]
    r["name"] = PDU_NAMES.get(t, "type%d" % t)
    p = 3
    if t in (INVOKE, RESULT, SEG_INVOKE, SEG_RESULT):
        r["gtr"] = (b0 >> 2) & 1
        r["ttr"] = (b0 >> 1) & 1
        r["rid"] = b0 & 1
    if t == INVOKE:
        if len(d) < 4:
            raise DecodeError("short Invoke")
        r["tcl"] = d[3] & 3
        r["tidnew"] = (d[3] >> 5) & 1
        r["up"] = (d[3] >> 4) & 1
        p = 4
    elif t in (SEG_INVOKE, SEG_RESULT):
        if len(d) < 4:
            raise DecodeError("short segmented PDU")
        r["psn"] = d[3]
        p = 4
    elif t == RESULT:
        r["psn"] = 0
    elif t == ACK:
        r["tve"] = (b0 >> 2) & 1
        r["rid"] = b0 & 1
    elif t == ABORT:
        if len(d) < 4:
            raise DecodeError("short Abort")
        r["abort_type"] = b0 & 7
        r["reason"] = d[3]
        p = 4
    elif t == NACK:
        r["rid"] = b0 & 1
        if len(d) < 4 or len(d) < 4 + d[3]:
            raise DecodeError("short Negative Ack")
        r["missing"] = list(d[4:4 + d[3]])
        p = 4 + d[3]
    else:
        raise DecodeError("unknown WTP PDU type %d: %s" % (t, d[:8].hex()))
    r["tpis"] = []
    if r["con"]:
        while True:
            if p >= len(d):
                raise DecodeError("truncated TPI")
            h = d[p]
            ident = (h >> 3) & 0x0F
            if h & 0x04:
                if p + 1 >= len(d):
                    raise DecodeError("truncated long TPI")
                n = d[p + 1]
                p += 2
            else:
                n = h & 3
                p += 1
            if p + n > len(d):
                raise DecodeError("TPI data past the end")
            r["tpis"].append((ident, d[p:p + n]))
            p += n
            if not h & 0x80:
                break
    for ident, data in r["tpis"]:
        if ident == TPI_PSN and len(data) == 1:
            r["tpi_psn"] = data[0]
    r["data"] = d[p:]
    return r


# ---- WSP session PDUs (wsp.md 3, 6) -----------------------------------------

def capability(ident, params):
    body = bytes([0x80 | ident]) + params
    return uintvar(len(body)) + body


def wsp_connect(a):
    caps = b""
    if a.client_sdu is not None:
        caps += capability(0, uintvar(a.client_sdu))
    if a.server_sdu is not None:
        caps += capability(1, uintvar(a.server_sdu))
    if a.method_mor is not None:
        caps += capability(3, bytes([a.method_mor]))
    if a.push_mor is not None:
        caps += capability(4, bytes([a.push_mor]))
    if a.protocol_options is not None:
        caps += capability(2, bytes([a.protocol_options]))
    headers = session_headers(a)
    return bytes([WSP_CONNECT, 0x10]) + uintvar(len(caps)) + \
        uintvar(len(headers)) + caps + headers


def session_headers(a):
    # Accept: */* unless --session-accept says otherwise ("none": no
    # Accept); a well-known media type goes as its short integer.
    h = b""
    for acc in a.session_accept or ["*/*"]:
        if acc == "none":
            continue
        code = CT_CODE.get(acc.lower())
        h += b"\x80" + (bytes([0x80 | code]) if code is not None
                        else text_string(acc))
    if a.user_agent:
        h += b"\xa9" + text_string(a.user_agent)
    for x in a.session_header or []:
        name, sep, val = x.partition(":")
        if not sep:
            raise ClientError("--session-header wants NAME:VALUE")
        h += text_string(name.strip()) + text_string(val.strip())
    return h


def request_headers(a):
    h = b""
    for x in a.header or []:
        name, sep, val = x.partition(":")
        if not sep:
            raise ClientError("--header wants NAME:VALUE")
        h += text_string(name.strip()) + text_string(val.strip())
    if a.wsp_content_length is not None:
        h += b"\x8d" + integer_value(a.wsp_content_length)
    return h


def wsp_method(method, url, a, body):
    t = METHODS[method]
    uri = url.encode("utf-8")
    headers = request_headers(a)
    if t >= 0x60:
        ct = encode_content_type(a.content_type)
        return bytes([t]) + uintvar(len(uri)) + \
            uintvar(len(ct) + len(headers)) + uri + ct + headers + body
    return bytes([t]) + uintvar(len(uri)) + uri + headers


def parse_caps(data):
    r = Reader(data)
    out = {}
    while r.left():
        n = r.uintvar()
        sub = Reader(r.d, r.p, r.p + n)
        if sub.end > r.end:
            raise DecodeError("capability length past the end")
        r.p += n
        b = sub.peek()
        if b & 0x80:
            ident = sub.byte() & 0x7F
            name = CAP_NAMES.get(ident, "cap%d" % ident)
        else:
            name = sub.text()
            ident = None
        params = sub.d[sub.p:sub.end]
        if ident in (0, 1, 8, 9) and params:
            val = Reader(params).uintvar()
        elif ident in (2, 3, 4) and len(params) == 1:
            val = params[0]
        else:
            val = params.hex()
        out[name] = val
    return out


def decode_connectreply(d):
    r = Reader(d)
    if r.byte() != WSP_CONNECTREPLY:
        raise DecodeError("not a ConnectReply")
    sid = r.uintvar()
    cl = r.uintvar()
    hl = r.uintvar()
    caps = r.take(cl)
    headers = r.take(hl)
    return {"session_id": sid, "caps": parse_caps(caps),
            "caps_hex": caps.hex(), "headers_hex": headers.hex()}


def decode_push(d):
    """A connection-mode Push/ConfirmedPush PDU (wsp.md: Type,
    HeadersLen uintvar, ContentType + Headers, Data; no TID octet)."""
    r = Reader(d)
    t = r.byte()
    names = {0x06: "Push", 0x07: "ConfirmedPush"}
    if t not in names:
        raise DecodeError("not a Push PDU: %s" % d[:16].hex())
    hl = r.uintvar()
    hdrs = r.take(hl)
    body = r.take(r.left())
    return {"pdu_type": names[t], "headers_hex": hdrs.hex(),
            "body_len": len(body), "body_hex": body[:256].hex()}


# ---- the impaired network --------------------------------------------------

class Net:
    """One connected UDP socket plus seeded loss/duplication/reordering.
    Counters: tx_pdus (PDUs the client meant to send), tx_datagrams (that
    went out), tx_dropped, tx_dup, tx_delayed, tx_concat; rx_datagrams
    (that arrived), rx_dropped, rx_pdus, rx_concat."""

    def __init__(self, a):
        fam = socket.AF_INET6 if ":" in a.host else socket.AF_INET
        self.s = socket.socket(fam, socket.SOCK_DGRAM)
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        if a.source:
            self.s.bind((a.source, 0))
        self.s.connect((a.host, a.port))
        self.local = self.s.getsockname()[:2]
        self.remote = (a.host, a.port)
        self.rng_out = random.Random(a.seed * 2 + 1)
        self.rng_in = random.Random(a.seed * 2 + 2)
        self.loss_out = a.loss_out if a.loss_out is not None else a.loss
        self.loss_in = a.loss_in if a.loss_in is not None else a.loss
        self.dup = a.dup
        self.reorder = a.reorder
        self.reorder_delay = a.reorder_delay
        self.pcap = Pcap(a.pcap, a.pcap_append) if a.pcap else None
        self.delayed = []
        self.stats = dict.fromkeys(
            ["tx_pdus", "tx_datagrams", "tx_dropped", "tx_dup",
             "tx_delayed", "tx_concat", "rx_datagrams", "rx_dropped",
             "rx_pdus", "rx_concat", "rx_refused"], 0)
        self.trace = [] if a.trace else None
        self.t0 = time.monotonic()

    def note(self, direction, d, fate):
        if self.trace is not None:
            self.trace.append("%.3f %s %s %s" % (
                time.monotonic() - self.t0, direction, fate, d[:24].hex()))

    def send(self, d, npdus=1):
        self.stats["tx_pdus"] += npdus
        if npdus > 1:
            self.stats["tx_concat"] += 1
        if self.rng_out.random() < self.loss_out:
            self.stats["tx_dropped"] += 1
            self.note(">", d, "drop")
            return
        if self.reorder and self.rng_out.random() < self.reorder:
            self.stats["tx_delayed"] += 1
            self.delayed.append((time.monotonic() + self.reorder_delay, d))
            self.note(">", d, "delay")
            return
        self.wire(d)
        if self.dup and self.rng_out.random() < self.dup:
            self.stats["tx_dup"] += 1
            self.wire(d)

    def wire(self, d):
        try:
            self.s.send(d)
        except ConnectionRefusedError:
            self.stats["rx_refused"] += 1
            return
        self.stats["tx_datagrams"] += 1
        self.note(">", d, "sent")
        if self.pcap:
            self.pcap.write(self.local, self.remote, d)

    def flush_delayed(self):
        now = time.monotonic()
        due = [x for x in self.delayed if x[0] <= now]
        if due:
            self.delayed = [x for x in self.delayed if x[0] > now]
            for _, d in due:
                self.wire(d)

    def recv(self, until):
        """Next datagram that survives the simulated loss, or None once
        the monotonic time `until` has come."""
        while True:
            self.flush_delayed()
            now = time.monotonic()
            end = until
            if self.delayed:
                end = min(end, min(x[0] for x in self.delayed))
            wait = end - now
            if wait <= 0 and end >= until:
                return None
            r, _, _ = select.select([self.s], [], [], max(0.0, wait))
            if not r:
                continue
            try:
                d = self.s.recv(1 << 17)
            except ConnectionRefusedError:
                self.stats["rx_refused"] += 1
                continue
            self.stats["rx_datagrams"] += 1
            if self.pcap:
                self.pcap.write(self.remote, self.local, d)
            if self.rng_in.random() < self.loss_in:
                self.stats["rx_dropped"] += 1
                self.note("<", d, "drop")
                continue
            self.note("<", d, "recv")
            return d

    def close(self):
        deadline = time.monotonic() + 1.0
        while self.delayed and time.monotonic() < deadline:
            time.sleep(0.01)
            self.flush_delayed()
        if self.pcap:
            self.pcap.close()
        self.s.close()


# ---- the WTP initiator -----------------------------------------------------

class Client:
    def __init__(self, a):
        self.a = a
        self.net = Net(a)
        self.tid = a.tid_start & 0x7FFF
        self.first_invoke = True
        self.pending_ack = None        # (tid, ack PDU) for --concat
        self.finished = {}             # tid -> final Ack PDU
        self.session_id = None
        self.pushes_acked = set()      # TIDs of pushes we acked
        self.pushes_seen = set()       # TIDs of every push invoke seen
        self.counters = dict.fromkeys(
            ["retransmissions", "nacks_sent", "nacks_received",
             "nacked_packets_resent", "acks_sent", "reacks_sent",
             "tve_received", "tok_sent", "holdon_acks", "stray_pdus",
             "stray_aborts", "results_dup", "push_reacks",
             "push_retransmissions"], 0)

    # -- helpers --

    def next_tid(self):
        t = self.tid
        self.tid = (self.tid + 1) & 0x7FFF
        return t

    def send_pdus(self, pdus):
        """Sends PDUs, with the held final Ack in front when --concat."""
        if self.pending_ack is not None:
            pdus = [self.pending_ack[1]] + list(pdus)
            self.pending_ack = None
            self.net.send(concat(pdus), len(pdus))
            return
        for p in pdus:
            self.net.send(p)

    def flush_pending_ack(self):
        if self.pending_ack is not None:
            self.net.send(self.pending_ack[1])
            self.pending_ack = None

    def incoming(self, until):
        """Yields parsed PDUs until `until`; stray ones are handled."""
        d = self.net.recv(until)
        if d is None:
            return []
        try:
            pdus = split_concat(d)
        except DecodeError as e:
            raise ClientError("bad datagram from gateway (%s): %s"
                              % (e, d[:64].hex()))
        if len(pdus) > 1:
            self.net.stats["rx_concat"] += 1
        out = []
        for p in pdus:
            self.net.stats["rx_pdus"] += 1
            try:
                out.append(parse_pdu(p))
            except DecodeError as e:
                raise ClientError("bad WTP PDU from gateway (%s): %s"
                                  % (e, p[:64].hex()))
        return out

    def stray(self, p):
        """A PDU for a transaction that is not the current one."""
        self.counters["stray_pdus"] += 1
        fin = self.finished.get(p["tid"])
        if p["type"] in (RESULT, SEG_RESULT) and fin is not None:
            if p["ttr"]:
                self.net.send(fin)
                self.counters["reacks_sent"] += 1
            elif p["gtr"]:
                self.net.send(pdu_ack(p["tid"], psn=p["psn"]))
                self.counters["reacks_sent"] += 1
        elif p["type"] == ABORT:
            self.counters["stray_aborts"] += 1
        elif p["type"] == INVOKE and p["dir"] == 0 and \
                p["tid"] in self.pushes_acked:
            # A retransmitted push invoke: our Ack got lost.
            self.net.send(pdu_ack_responder(p["tid"]))
            self.counters["push_reacks"] += 1

    def wait_push(self, seconds):
        """The next Invoke the gateway starts (a push), acked if class 1."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            for p in self.incoming(end):
                if p["type"] != INVOKE or p["dir"] != 0 or \
                        p["tid"] in self.pushes_seen:
                    if p["type"] == INVOKE and p["tid"] in self.pushes_seen \
                            and p["tid"] not in self.pushes_acked:
                        self.counters["push_retransmissions"] += 1
                    self.stray(p)
                    continue
                self.pushes_seen.add(p["tid"])
                info = {"tid": p["tid"], "tcl": p["tcl"], "up": p["up"],
                        "tidnew": p["tidnew"], "rid": p["rid"]}
                info.update(decode_push(p["data"]))
                if p["tcl"] == 1 and len(self.pushes_seen) > \
                        self.a.push_no_ack:
                    self.net.send(pdu_ack_responder(p["tid"]))
                    self.pushes_acked.add(p["tid"])
                    self.counters["acks_sent"] += 1
                    info["acked"] = True
                return "push", info
        return "timeout", {}

    # -- one transaction --

    def transact(self, wsp_pdu, tcl=2, deadline=None):
        """Runs one transaction; returns ("result", octets, info) for
        class 2, ("sent", None, info) for class 0, ("abort", (type,
        reason), info) or ("timeout", None, info)."""
        a = self.a
        tid = self.next_tid()
        tidnew = 1 if (self.first_invoke and a.tidnew) else 0
        self.first_invoke = False
        info = {"tid": tid, "tidnew": tidnew}
        if tcl == 0:
            self.send_pdus([pdu_invoke(tid, wsp_pdu, 1, 1, tcl=0, up=0,
                                       tidnew=tidnew)])
            return "sent", None, info

        # Segment the message (wtp.md 8).
        seg = a.segment_size
        chunks = [wsp_pdu[i:i + seg] for i in range(0, len(wsp_pdu), seg)] \
            or [b""]
        if len(chunks) > 256:
            raise ClientError("message of %d octets needs %d packets (> 256)"
                              % (len(wsp_pdu), len(chunks)))
        last = len(chunks) - 1
        gs = a.group_size
        groups = [(i, min(i + gs - 1, last)) for i in range(0, last + 1, gs)]
        tpis = []
        if a.max_group is not None:
            # Maximum Group: octets per group the receiver can take
            # (WAP-224 8.4; fakewap sends 4200 = 3 x 1400 as 10 68).
            v = a.max_group.to_bytes(max(1, (a.max_group.bit_length() + 7)
                                          // 8), "big")
            tpis.append(tpi(TPI_OPTION, bytes([OPT_MAX_GROUP]) + v))
        info["packets_out"] = len(chunks)

        def packet(psn, rid):
            g_end = any(e == psn for _, e in groups)
            ttr = 1 if psn == last else 0
            gtr = 1 if (g_end and psn != last) else 0
            if last == 0 and a.no_sar:
                gtr, ttr = 1, 1
            if psn == 0:
                return pdu_invoke(tid, chunks[0], gtr, ttr, rid=rid, tcl=2,
                                  up=1, tidnew=tidnew, tpis=tpis)
            return pdu_seg_invoke(tid, psn, chunks[psn], gtr, ttr, rid=rid)

        # Sender state.
        g = 0
        heard = False                 # anything from the responder yet
        invoke_done = False
        rto = a.rto
        retries = 0
        t_start = time.monotonic()
        self.send_pdus([packet(p, 0) for p in range(groups[0][0],
                                                    groups[0][1] + 1)])
        timer = time.monotonic() + rto
        # Receiver state.
        got = {}
        acked_upto = -1               # last PSN of the last acked group
        group_end = None              # GTR/TTR PSN of the open group
        ttr_psn = None
        nack_at = None
        nack_rounds = 0
        deadline = deadline or (time.monotonic() + a.timeout)

        def missing():
            return [p for p in range(acked_upto + 1, group_end + 1)
                    if p not in got]

        def group_check():
            """Acks the open group if complete; returns the message when
            the last group is complete."""
            nonlocal acked_upto, group_end, nack_at, nack_rounds
            if group_end is None:
                return None
            if missing():
                if nack_at is None:
                    nack_at = time.monotonic() + a.nack_delay
                return None
            end = group_end
            nack_at = None
            nack_rounds = 0
            if ttr_psn is not None and end == ttr_psn:
                msg = b"".join(got[p] for p in range(0, ttr_psn + 1))
                fin = pdu_ack(tid) if ttr_psn == 0 else pdu_ack(tid, psn=end)
                self.finished[tid] = fin
                if a.concat:
                    self.pending_ack = (tid, fin)
                else:
                    self.net.send(fin)
                self.counters["acks_sent"] += 1
                return msg
            self.net.send(pdu_ack(tid, psn=end))
            self.counters["acks_sent"] += 1
            acked_upto = end
            group_end = None
            return None

        while True:
            now = time.monotonic()
            if now >= deadline:
                info["elapsed"] = round(now - t_start, 3)
                info["got_packets"] = len(got)
                info["invoke_done"] = invoke_done
                return "timeout", None, info
            # Sender timer: resend the group's last packet (and PSN 0 while
            # the responder has said nothing about this TID).
            if not invoke_done and now >= timer:
                retries += 1
                if retries > a.max_retries:
                    info["elapsed"] = round(now - t_start, 3)
                    info["invoke_done"] = False
                    return "timeout", None, info
                s, e = groups[g]
                resend = [e]
                if not heard and s == 0 and e != 0:
                    resend = [0, e]
                for p in resend:
                    self.net.send(packet(p, 1))
                    self.counters["retransmissions"] += 1
                rto = min(rto * a.backoff, a.rto_max)
                timer = now + rto
            # Receiver NACK timer.
            if nack_at is not None and now >= nack_at:
                miss = missing()
                if miss:
                    nack_rounds += 1
                    if nack_rounds > a.max_nacks:
                        info["elapsed"] = round(now - t_start, 3)
                        info["got_packets"] = len(got)
                        return "timeout", None, info
                    self.net.send(pdu_nack(tid, miss[:255],
                                           rid=1 if nack_rounds > 1 else 0))
                    self.counters["nacks_sent"] += 1
                    nack_at = now + a.nack_interval
                else:
                    nack_at = None
            wake = deadline
            if not invoke_done:
                wake = min(wake, timer)
            if nack_at is not None:
                wake = min(wake, nack_at)
            for p in self.incoming(wake):
                if p["tid"] != tid or p["dir"] != 1:
                    self.stray(p)
                    continue
                t = p["type"]
                if t == ABORT:
                    info["elapsed"] = round(time.monotonic() - t_start, 3)
                    info["abort_type"] = p["abort_type"]
                    info["abort_reason"] = "0x%02x" % p["reason"]
                    return "abort", (p["abort_type"], p["reason"]), info
                if t == ACK:
                    heard = True
                    if p["tve"]:
                        # TID verification (wtp.md 9): yes, it is ours.
                        self.counters["tve_received"] += 1
                        self.net.send(pdu_ack(tid, tok=1))
                        self.counters["tok_sent"] += 1
                        continue
                    if invoke_done:
                        continue
                    psn = p.get("tpi_psn")
                    s, e = groups[g]
                    if psn is None:
                        # Hold-on Ack: the whole invoke is in.  Before the
                        # last group it says nothing we can use.
                        if g == len(groups) - 1:
                            self.counters["holdon_acks"] += 1
                            invoke_done = True
                        continue
                    if psn == e:
                        retries = 0
                        rto = a.rto
                        if g == len(groups) - 1:
                            invoke_done = True
                            continue
                        g += 1
                        s, e = groups[g]
                        for q in range(s, e + 1):
                            self.net.send(packet(q, 0))
                        timer = time.monotonic() + rto
                    continue
                if t == NACK:
                    heard = True
                    self.counters["nacks_received"] += 1
                    if invoke_done:
                        continue
                    s, e = groups[g]
                    want = p["missing"] or list(range(s, e + 1))
                    for q in want:
                        # A late NACK of an acked group is not resent.
                        if s <= q <= e:
                            self.net.send(packet(q, 1))
                            self.counters["nacked_packets_resent"] += 1
                    timer = time.monotonic() + rto
                    continue
                if t in (RESULT, SEG_RESULT):
                    heard = True
                    invoke_done = True
                    psn = p["psn"]
                    if psn in got:
                        self.counters["results_dup"] += 1
                    else:
                        got[psn] = p["data"]
                    if psn <= acked_upto:
                        if p["gtr"]:      # our group Ack was lost
                            self.net.send(pdu_ack(tid, psn=psn))
                            self.counters["reacks_sent"] += 1
                        continue
                    if p["ttr"]:
                        ttr_psn = psn
                        group_end = psn
                    elif p["gtr"]:
                        group_end = psn if group_end is None else \
                            max(group_end, psn)
                    elif group_end is not None and psn > group_end:
                        # a packet of the next group before our Ack
                        pass
                    msg = group_check()
                    if msg is not None:
                        info["elapsed"] = round(time.monotonic() - t_start,
                                                3)
                        info["packets_in"] = ttr_psn + 1
                        return "result", msg, info
                    continue
                if t in (INVOKE, SEG_INVOKE):
                    raise ClientError("gateway sent an Invoke on our TID: %s"
                                      % p["hex"])

    def linger(self, seconds):
        """Answers late retransmissions for `seconds`."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            for p in self.incoming(end):
                self.stray(p)


# ---- operations ------------------------------------------------------------

def run_op(cl, op, a, body):
    name, _, arg = op.partition("=")
    before = dict(cl.net.stats)
    t0 = time.monotonic()
    res = {"op": name}
    if arg:
        res["arg"] = arg
    code = 0
    if name == "connect":
        kind, data, info = cl.transact(wsp_connect(a))
        res.update(info)
        if kind == "result":
            if data[:1] == bytes([WSP_CONNECTREPLY]):
                res["result"] = "connectreply"
                res.update(decode_connectreply(data))
                cl.session_id = res["session_id"]
            elif data[:1] == bytes([WSP_REDIRECT]):
                res["result"] = "redirect"
                res["pdu_hex"] = data.hex()
            else:
                res["result"] = "unexpected"
                res["pdu_hex"] = data[:64].hex()
                code = 1
    elif name in METHODS:
        kind, data, info = cl.transact(wsp_method(name, arg, a, body))
        res.update(info)
        if kind == "result":
            r, rbody = decode_reply(data, connectionless=False)
            r.pop("body_head", None)
            res.update(r)
            res["result"] = "reply"
            if a.out:
                with open(a.out, "wb") as f:
                    f.write(rbody)
    elif name in ("disconnect", "suspend"):
        if cl.session_id is None and not arg:
            raise ClientError("%s without a session id" % name)
        sid = int(arg, 0) if arg else cl.session_id
        t = WSP_DISCONNECT if name == "disconnect" else WSP_SUSPEND
        kind, data, info = cl.transact(bytes([t]) + uintvar(sid), tcl=0)
        res.update(info)
        res["session_id"] = sid
    elif name == "resume":
        sid = int(arg, 0) if arg else cl.session_id
        if sid is None:
            raise ClientError("resume without a session id")
        pdu = bytes([WSP_RESUME]) + uintvar(sid) + uintvar(0) + \
            session_headers(a)
        kind, data, info = cl.transact(pdu)
        res.update(info)
        res["session_id"] = sid
        if kind == "result":
            res["result"] = "reply" if data[:1] == b"\x04" else "unexpected"
            res["pdu_hex"] = data[:64].hex()
    elif name == "raw2":
        kind, data, info = cl.transact(bytes.fromhex(arg))
        res.update(info)
        if kind == "result":
            res["result"] = "result"
            res["pdu_hex"] = data[:64].hex()
    elif name == "push":
        kind, info = cl.wait_push(float(arg) if arg else 10.0)
        res.update(info)
        if kind == "push":
            res["result"] = "push"
    elif name == "sleep":
        cl.linger(float(arg))
        kind = "sent"
    else:
        raise ClientError("unknown op %r" % op)
    if "result" not in res:
        res["result"] = kind
    if kind == "abort":
        code = 3
    elif kind == "timeout":
        code = 2
    res["op_elapsed"] = round(time.monotonic() - t0, 3)
    res["net"] = {k: cl.net.stats[k] - before[k] for k in before}
    return res, code


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="WTP initiator + connection-oriented WSP test client.")
    p.add_argument("ops", nargs="+", help="connect, get=URL, post=URL, "
                   "disconnect, suspend, resume[=ID], raw2=HEX, sleep=S, "
                   "push=S")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True, help="WTP port")
    p.add_argument("--source", default=None,
                   help="local address to send from (the handset's IP)")
    p.add_argument("--tid-start", type=lambda s: int(s, 0), default=1)
    p.add_argument("--tidnew", action="store_true",
                   help="set TIDnew on the first Invoke")
    p.add_argument("--no-sar", action="store_true",
                   help="one-packet Invokes with GTR=TTR=1")
    p.add_argument("--segment-size", type=int, default=1400)
    p.add_argument("--group-size", type=int, default=3)
    p.add_argument("--max-group", type=int, default=None,
                   help="send a Maximum Group option TPI (octets per "
                   "group) on the first Invoke of each transaction")
    p.add_argument("--rto", type=float, default=0.5,
                   help="initial retransmission timeout, seconds")
    p.add_argument("--rto-max", type=float, default=2.0)
    p.add_argument("--backoff", type=float, default=1.5)
    p.add_argument("--max-retries", type=int, default=30,
                   help="timeouts in a row before giving up")
    p.add_argument("--nack-delay", type=float, default=0.05,
                   help="wait this long for reordered packets before a NACK")
    p.add_argument("--nack-interval", type=float, default=0.3)
    p.add_argument("--max-nacks", type=int, default=60)
    p.add_argument("--timeout", type=float, default=30.0,
                   help="limit per operation, seconds")
    p.add_argument("--linger", type=float, default=0.0,
                   help="after the last op, answer retransmissions this long")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--loss", type=float, default=0.0,
                   help="drop probability both ways")
    p.add_argument("--loss-out", type=float, default=None)
    p.add_argument("--loss-in", type=float, default=None)
    p.add_argument("--dup", type=float, default=0.0,
                   help="probability to send an outgoing datagram twice")
    p.add_argument("--reorder", type=float, default=0.0,
                   help="probability to delay an outgoing datagram")
    p.add_argument("--reorder-delay", type=float, default=0.03)
    p.add_argument("--concat", action="store_true",
                   help="send each final Ack concatenated with the next "
                   "Invoke")
    p.add_argument("--client-sdu", type=int, default=1048576)
    p.add_argument("--server-sdu", type=int, default=1048576)
    p.add_argument("--method-mor", type=int, default=None)
    p.add_argument("--push-mor", type=int, default=None)
    p.add_argument("--protocol-options", type=lambda s: int(s, 0),
                   default=None)
    p.add_argument("--progress",
                   help="append 'OP RESULT' to this file after each op "
                   "(lets a test act between ops)")
    p.add_argument("--push-no-ack", type=int, default=0, metavar="N",
                   help="do not Ack the first N class 1 push invokes (the "
                   "gateway then aborts those pushes)")
    p.add_argument("--user-agent", default="wtpclient/1")
    p.add_argument("--session-accept", action="append",
                   help="Accept media range in Connect (repeatable; "
                   "default */*; 'none' sends no Accept)")
    p.add_argument("--session-header", action="append",
                   help="application header NAME:VALUE sent in Connect")
    p.add_argument("--header", action="append",
                   help="application header NAME:VALUE on each method")
    p.add_argument("--wsp-content-length", type=int, default=None,
                   help="add a WSP Content-Length header with this value "
                   "(to send a wrong one, as fakewap does above 64 KB)")
    p.add_argument("--content-type", default="application/octet-stream")
    p.add_argument("--data-file")
    p.add_argument("--data-hex")
    p.add_argument("--out", help="write the last Reply body here")
    p.add_argument("--pcap")
    p.add_argument("--pcap-append", action="store_true")
    p.add_argument("--trace", action="store_true",
                   help="include a per-datagram trace in the JSON")
    return p.parse_intermixed_args(argv)


def main(argv):
    a = parse_args(argv)
    body = b""
    if a.data_file:
        with open(a.data_file, "rb") as f:
            body = f.read()
    elif a.data_hex:
        body = bytes.fromhex(a.data_hex)
    cl = Client(a)
    out = {"ops": [], "local_port": cl.net.local[1], "seed": a.seed}
    rc = 0
    t0 = time.monotonic()
    try:
        for op in a.ops:
            res, code = run_op(cl, op, a, body)
            out["ops"].append(res)
            if a.progress:
                with open(a.progress, "a") as f:
                    f.write("%s %s\n" % (res["op"], res["result"]))
            if code:
                rc = code
                break
        cl.flush_pending_ack()
        if a.linger:
            cl.linger(a.linger)
    except (ClientError, DecodeError) as e:
        out["error"] = str(e)
        rc = 1
    cl.net.close()
    out["ok"] = rc == 0
    out["elapsed"] = round(time.monotonic() - t0, 3)
    out["stats"] = dict(cl.net.stats)
    out["stats"].update(cl.counters)
    if cl.net.trace is not None:
        out["trace"] = cl.net.trace
    print(json.dumps(out, sort_keys=True))
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
