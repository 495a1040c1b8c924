#!/bin/sh
# tests/integration/test_ppg_smpp.sh - the whole push path with real peers
# at both ends: Kannel's test_ppg (PAP) and papclient.py (/mms-notify) as
# push initiators, the Net::SMPP fake SMSC (smsc.pl) as the SMSC, tshark
# as the independent decoder of what went over SMPP.
#
# An SI and an SL pushed with PAP and an MMS notification sent to
# /mms-notify must each reach the SMSC as a submit_sm whose user data
# tshark decodes as a WSP Push: application/vnd.wap.sic with the SI's
# text, application/vnd.wap.slc with the SL's href, and an MMS
# m-notification-ind with the form's transaction id and location.  The
# initiator that asked for a result notification gets "delivered".
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/push_lib.sh"

TEST_PPG=${TEST_PPG:-/usr/lib/kannel/test/test_ppg}
require_peer python3
require_peer "$TEST_PPG"
require_peer tshark
require_smpp_peer
it_init
it_ports
PUSH_PORT=$(free_port tcp 127.0.0.1) || die "no free TCP port"
QUEUE=$T/queue.db
start_smsc
start_upstream pi
ALLOW="127.0.0.1:$pi_PORT"
CONF=$T/wspgw.conf
write_push_config "$CONF"
cat >>"$CONF" <<EOF

[push]
listen = 127.0.0.1:$PUSH_PORT

[push-user mmsc]
password = s3cret
allow-ip = 127.0.0.1
allow-prefix = +1555
EOF
start_capture "$SMSC_PORT"
start_daemon "$CONF"
URL=http://127.0.0.1:$PUSH_PORT
PC="$PYTHON $IT_SRC/papclient.py"

# tppg NAME CONTENT_FILE PUSH_ID ADDRESS EXTRA_ATTRS [test_ppg options]
tppg() {
    _n=$1
    cat >"$T/$_n.pap" <<EOF
<?xml version="1.0"?>
<!DOCTYPE pap PUBLIC "-//WAPFORUM//DTD PAP 2.0//EN"
  "http://www.wapforum.org/DTD/pap_2.0.dtd">
<pap><push-message push-id="$3" $5>
  <address address-value="$4"/>
</push-message></pap>
EOF
    cat >"$T/$_n.conf" <<EOF
group = test-ppg
retries = 0
pi-ssl = no

group = configuration
push-url = $URL/wappush
pap-file = $T/$_n.pap
content-file = $2
username = mmsc
password = s3cret
EOF
    shift 5
    timeout 20 "$TEST_PPG" -b "$@" "$T/$_n.conf" >"$T/$_n.out" 2>&1
    $PC kannel-reply "$T/$_n.out" >"$T/$_n.reply"
    grep -q "TEST_PPG: and type push response" "$T/$_n.out" || \
        die "$_n: no push response from the PPG"
    assert_eq "$($PC xml "$T/$_n.reply" .//response-result code)" 1001 \
        "$_n: PAP code"
}

cat >"$T/si.xml" <<'EOF'
<?xml version="1.0"?>
<si><indication href="http://www.example.com/inbox" si-id="msg-1"
  action="signal-high">You have mail</indication></si>
EOF
tppg si "$T/si.xml" si@pi "WAPPUSH=+15551230001/TYPE=PLMN@ppg" \
    "ppg-notify-requested-to=\"http://127.0.0.1:$pi_PORT/echo\"" -c si
tppg sl /usr/lib/kannel/test/sl.txt sl@pi "wappush=+15551230002/type=plmn" \
    "" -c sl
$PC form "$URL/mms-notify" --user mmsc --password s3cret to=+15551230003 \
    location=http://mmsc.example/m/42 size=4096 transaction-id=T42 \
    >"$T/mms.resp"
assert_eq "$(head -1 "$T/mms.resp")" 202 "/mms-notify"
wait_metric wspgw_push_delivered_total 3 20
stop_capture

# The SMSC saw three submit_sm, to the three numbers.
for n in 1 2 3; do
    grep -q "^submit .* dst=1555123000$n .*status=0x00000000" "$SMSC_LOG" || \
        die "no submit_sm to +1555123000$n: $(tail -5 "$SMSC_LOG")"
done

tshark -n -r "$CAP" -d "tcp.port==$SMSC_PORT,smpp" -V >"$T/ts.txt" \
    2>"$T/ts.err" || die "tshark failed: $(cat "$T/ts.err")"
# TCP's own analysis (D-SACK, retransmissions on a loaded loopback) is
# not about our bytes; every other warning or error is.
if grep -n -i -E 'malformed|Expert Info \((Error|Warning)' "$T/ts.txt" \
    | grep -v -E 'Expert Info \((Error|Warning)/Sequence\)' >"$T/ts.bad"
then
    die "tshark reports problems: $(head -10 "$T/ts.bad")"
fi
push_line='^Wireless Session Protocol, Method: Push (0x06), Content-Type:'
assert_eq "$(grep -c "$push_line application/vnd.wap.sic" "$T/ts.txt")" 1 \
    "SI pushes decoded by tshark"
assert_eq "$(grep -c "$push_line application/vnd.wap.slc" "$T/ts.txt")" 1 \
    "SL pushes decoded by tshark"
assert_eq "$(grep -c "$push_line application/vnd.wap.mms-message" \
    "$T/ts.txt")" 1 "MMS pushes decoded by tshark"
grep -q 'You have mail' "$T/ts.txt" || die "tshark: no SI text"
grep -q 'wap.iobox.fi' "$T/ts.txt" || die "tshark: no SL href"
grep -q 'X-Mms-Message-Type: m-notification-ind' "$T/ts.txt" || \
    die "tshark: no m-notification-ind"
grep -q 'X-Mms-Transaction-ID: T42' "$T/ts.txt" || \
    die "tshark: no transaction id T42"
grep -q 'X-Mms-Content-Location: http://mmsc.example/m/42' "$T/ts.txt" || \
    die "tshark: no content location"

# The SI's initiator heard that it was delivered.
wait_grep "$pi_LOG" '/echo' 10 || die "no result notification"
nf=$(grep -l 'push-id="si@pi"' "$T"/pi.bodies/* | head -1)
[ -n "$nf" ] || die "notification body not saved"
assert_eq "$($PC xml "$nf" .//resultnotification-message message-state)" \
    delivered "notification state"
assert_eq "$($PC xml "$nf" .//address address-value)" \
    "WAPPUSH=+15551230001/TYPE=PLMN" "notification address"

stop_daemon
assert_eq "$GW_RC" 0 "daemon exit status"
exit 0
