#!/bin/sh
# tests/integration/test_push_sendsms.sh - [smsc] type = http: each SMS of
# a push is one GET to a Kannel-compatible sendsms URL.  upstream.py plays
# the sendsms service (path /status/202 answers 202 like Kannel's
# "0: Accepted for delivery") and logs every request; the test decodes
# the query itself: username, password, to, coding=1, udh (port IE, and
# the 8-bit concatenation IE for the three-part push) and text, which
# reassemble into the WSP Push of each push.
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/push_lib.sh"

require_peer python3
[ -x "$INJECT" ] || die "$INJECT not built"
it_init
it_ports
QUEUE=$T/queue.db
start_upstream sms
SMSC_PORT=$sms_PORT
PUSH_EXTRA="type = http
path = /status/202"
CONF=$T/wspgw.conf
write_push_config "$CONF"
inject 2
inject 1 --start 100 --size 300
start_daemon "$CONF"
wait_metric wspgw_push_delivered_total 3 10
assert_eq "$(up_count "$sms_LOG" req GET)" 5 "sendsms requests"

"$PYTHON" - "$sms_LOG" >"$T/sendsms.out" 2>&1 <<'PY' || die "sendsms requests: $(cat "$T/sendsms.out")"
import json, sys, urllib.parse
pushes = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["ev"] != "req":
        continue
    u = urllib.parse.urlsplit(r["path"])
    assert u.path == "/status/202", u.path
    q = urllib.parse.parse_qs(u.query, keep_blank_values=True,
                              encoding="latin-1")
    one = {k: v[0] for k, v in q.items()}
    assert one["username"] == "wspgw" and one["password"] == "secret", one
    assert one["coding"] == "1", one
    to = one["to"]
    assert to.startswith("+1555"), to
    udh = one["udh"].encode("latin-1")
    text = one["text"].encode("latin-1")
    assert udh[0] == len(udh) - 1, udh.hex()
    assert udh[1:7] == bytes.fromhex("05040b8423f0"), udh.hex()
    if len(udh) == 7:
        pushes.setdefault(to, {})[1] = text
    else:
        assert udh[7:9] == b"\x00\x03", udh.hex()
        pushes.setdefault(to, {})[udh[11]] = text
        assert len(udh) + len(text) <= 140
for to, parts in pushes.items():
    pdu = b"".join(parts[n] for n in sorted(parts))
    assert pdu[1] == 0x06 and pdu[3:6] == b"\xbe\xaf\x84", pdu[:8].hex()
    assert ("T" + to[-6:]).encode() in pdu, to
assert len(pushes) == 3, pushes.keys()
assert len(pushes["+1555000100"]) == 3
print("ok")
PY
stop_daemon
assert_eq "$GW_RC" 0 "daemon exit status"
exit 0
