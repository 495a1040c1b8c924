#!/bin/sh
# tests/integration/test_push_confirmed.sh - confirmed push into a live
# WSP session (WAP-230 S-ConfirmedPush; issue 6): a handset (wtpclient.py,
# from its own loopback address) connects to the WTP port offering the
# Push and Confirmed Push facilities and stays connected; a push queued
# for its IP address arrives as a WTP class 1 Invoke carrying the
# ConfirmedPush PDU (0x07) into that session; the handset Acks it and
# only then is the push DELIVERED ("confirmed by the handset").  A push
# to a second handset without a session goes connectionless to its UDP
# port 2948 as before.  A handset that does not Ack: the push is aborted
# (WTP NORESPONSE after the retransmissions), retried with backoff, and
# the Ack of the second attempt delivers it.  tshark decodes the handset's capture (WTP + WSP)
# without malformed packets and names the ConfirmedPush.
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/push_lib.sh"

require_peer python3
require_peer tshark
require_peer sqlite3
[ -x "$INJECT" ] || die "$INJECT not built"
it_init
it_ports
QUEUE=$T/queue.db
o3=$(($$ % 200 + 20))
o4=$(($$ / 200 % 250 + 2))
PHONE=127.$o3.$o4.1          # has a session
OTHER=127.$o3.$o4.2          # has none: connectionless
start_handset "$OTHER"
CONF=$T/wspgw.conf
write_config "$CONF"
printf '\n[push]\nqueue = %s\nretry-min = 1\nretry-max = 2\n' "$QUEUE" \
    >>"$CONF"
# Quick WTP retransmissions, so an unacknowledged push is aborted soon.
printf '\n[wtp]\nretry-initial = 300\nretry-min = 300\nretry-max = 300\nmax-retransmissions = 2\n' >>"$CONF"
start_daemon "$CONF"

# The handset: Connect with Protocol Options 0xC0 (Confirmed Push, Push)
# and Push-MOR 1, then wait for the push, then Disconnect.
: >"$T/progress"
"$PYTHON" "$IT_SRC/wtpclient.py" --port "$WTP_PORT" --source "$PHONE" \
    --protocol-options 0xC0 --push-mor 1 --pcap "$T/co.pcap" \
    --progress "$T/progress" connect push=20 disconnect \
    >"$T/wc.json" 2>"$T/wc.err" &
WC_PID=$!
it_register "$WC_PID"
wait_grep "$T/progress" "connect connectreply" 10 || \
    die "wtpclient did not connect: $(cat "$T/wc.err" "$T/progress")"
inject 1 --start 1 --ip "$PHONE"
inject 1 --start 2 --ip "$OTHER"
_n=0
while kill -0 "$WC_PID" 2>/dev/null && [ "$_n" -lt 300 ]; do
    sleep 0.1
    _n=$((_n + 1))
done
wait "$WC_PID"
WC_RC=$?
it_unregister "$WC_PID"
[ "$WC_RC" = 0 ] || die "wtpclient exit $WC_RC: $(head -c 3000 "$T/wc.json") $(cat "$T/wc.err")"

# What the handset got: a class 1 Invoke with a ConfirmedPush PDU whose
# body is the m-notification-ind of push 1 (transaction id T000001).
"$PYTHON" - "$T/wc.json" <<'PYEOF' || die "wtpclient push: $(head -c 3000 "$T/wc.json")"
import json, sys
out = json.load(open(sys.argv[1]))
c = out["ops"][0]
assert c["result"] == "connectreply", c
opts = c["caps"].get("protocol_options")
assert opts in (0xC0, "0xc0", [0xC0]) or (isinstance(opts, int)
        and opts & 0xC0 == 0xC0), "options not agreed: %r" % (c["caps"],)
p = out["ops"][1]
assert p["result"] == "push", p
assert p["pdu_type"] == "ConfirmedPush", p
assert p["tcl"] == 1 and p["acked"], p
body = bytes.fromhex(p["body_hex"])
assert b"T000001" in body, body
assert out["ops"][2]["op"] == "disconnect", out["ops"]
PYEOF

wait_metric wspgw_push_delivered_total 2 15
assert_eq "$(metric wspgw_push_confirmed_sent_total)" 1 "confirmed pushes sent"
assert_eq "$(metric wspgw_push_confirmed_acked_total)" 1 "confirmed pushes acked"
assert_eq "$(metric wspgw_push_confirmed_aborted_total)" 0 "confirmed pushes aborted"
assert_eq "$(metric wspgw_push_ip_sent_total)" 1 "connectionless IP pushes"
row=$(sqlite3 "$QUEUE" "SELECT state, detail FROM push WHERE address = '$PHONE'")
case $row in
2\|confirmed\ by\ the\ handset*) ;;
*) die "push to the session: queue row '$row'" ;;
esac
row=$(sqlite3 "$QUEUE" "SELECT state, detail FROM push WHERE address = '$OTHER'")
case $row in
2\|sent\ by\ UDP*) ;;
*) die "push without a session: queue row '$row'" ;;
esac
read -r src sport hex <"$T/handset.log"
assert_eq "$src $sport" "127.0.0.1 $WSP_PORT" "source of the connectionless push"
case $hex in
??06*) ;;
*) die "connectionless push is not a Push PDU: $hex" ;;
esac

# tshark's own verdict on the session capture.
tshark -n -r "$T/co.pcap" -d "udp.port==$WTP_PORT,wtp" -V >"$T/ts.txt" \
    2>&1 || die "tshark failed: $(head -5 "$T/ts.txt")"
if grep -i -E 'malformed|Expert Info \(Error' "$T/ts.txt" >"$T/ts.bad"; then
    die "tshark: $(head -5 "$T/ts.bad")"
fi
grep -q 'Method: ConfirmedPush (0x07)' "$T/ts.txt" || \
    die "tshark: no ConfirmedPush: $(grep -i 'wireless' "$T/ts.txt" | head -20)"
grep -q 'X-Mms-Transaction-ID: T000001' "$T/ts.txt" || \
    die "tshark: no m-notification-ind in the ConfirmedPush"
grep -q 'Transaction Class: Reliable Invoke without Result (1)' \
    "$T/ts.txt" || die "tshark: the push invoke is not class 1"

# A handset that does not Ack the first push invoke.
: >"$T/progress2"
"$PYTHON" "$IT_SRC/wtpclient.py" --port "$WTP_PORT" --source "$PHONE" \
    --protocol-options 0xC0 --push-mor 1 --push-no-ack 1 \
    --progress "$T/progress2" connect push=20 push=20 disconnect \
    >"$T/wc2.json" 2>"$T/wc2.err" &
WC_PID=$!
it_register "$WC_PID"
wait_grep "$T/progress2" "connect connectreply" 10 || \
    die "wtpclient 2 did not connect: $(cat "$T/wc2.err" "$T/progress2")"
inject 1 --start 3 --ip "$PHONE"
_n=0
while kill -0 "$WC_PID" 2>/dev/null && [ "$_n" -lt 400 ]; do
    sleep 0.1
    _n=$((_n + 1))
done
wait "$WC_PID"
WC_RC=$?
it_unregister "$WC_PID"
[ "$WC_RC" = 0 ] || die "wtpclient 2 exit $WC_RC: $(head -c 3000 "$T/wc2.json") $(cat "$T/wc2.err")"
"$PYTHON" - "$T/wc2.json" <<'PYEOF' || die "wtpclient 2: $(head -c 3000 "$T/wc2.json")"
import json, sys
out = json.load(open(sys.argv[1]))
a, b = out["ops"][1], out["ops"][2]
assert a["result"] == "push" and b["result"] == "push", out["ops"]
assert not a.get("acked") and b.get("acked"), (a, b)
assert a["tid"] != b["tid"], (a, b)
assert b"T000003" in bytes.fromhex(b["body_hex"]), b
assert out["stats"]["push_retransmissions"] >= 1, out["stats"]
PYEOF
wait_metric wspgw_push_delivered_total 3 15
assert_eq "$(metric wspgw_push_confirmed_aborted_total)" 1 "confirmed pushes aborted"
assert_eq "$(metric wspgw_push_confirmed_acked_total)" 2 "confirmed pushes acked"
row=$(sqlite3 "$QUEUE" "SELECT state, attempts FROM push WHERE push_id LIKE 'inj-000003%'")
assert_eq "$row" "2|2" "push 3: delivered at the second attempt"

stop_daemon
assert_eq "$GW_RC" 0 "daemon exit status"
exit 0
