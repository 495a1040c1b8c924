#!/bin/sh
# tests/integration/test_ppg_pap.sh - the Push Proxy Gateway front end
# (gateway/ppg.c) with Kannel's test_ppg as the push initiator.
#
# Peers: /usr/lib/kannel/test/test_ppg (kannel-extras) sends PAP
# multipart/related requests exactly as Kannel's PI test tool does, and
# parses the answers with Kannel's own PAP compiler ("and type push
# response" / "and type bad message response"); papclient.py sends what
# test_ppg cannot (statusquery, cancel, /mms-notify, bare XML); two
# upstream.py servers receive result notifications, one allowed in
# [upstream] allow, one not.  The queue is the real SQLite queue
# (gateway/pushq.c); without a delivery engine running, pushes stay
# pending, which is what statusquery and cancel need.
#
# The delivery engine (gateway/push_deliver.c) runs without an SMSC:
# pushes to numbers fail at once, IP pushes are sent by UDP.  Pushes that
# statusquery and cancel look at carry a deliver-after an hour ahead, so
# they wait in the queue.
#
# Checked: 1001 with the push-id echoed (SI, SL, MMS binary with -B, and
# Kannel's own test/smstestppg.txt); the SI stored compiled to WBXML and
# the MMS notification built by /mms-notify; badmessage-response for
# bad XML and an XXE attempt (the file is not read); 401 for a wrong
# password, 403 for a source outside allow-ip; 2001 for a destination
# outside allow-prefix; 2007 duplicate; 3006 for SI that does not
# compile; statusquery (pending, undeliverable, unknown) and cancel
# (1000, then 2008); result notifications POSTed to the allowed
# initiator (cancelled, and delivered for an IP push) and none to the
# one outside the allow list; 100-continue, 413, 404, 405; a push user
# added by SIGHUP; the queue survives a restart.

. "${top_srcdir:?}/tests/integration/lib.sh"

TEST_PPG=${TEST_PPG:-/usr/lib/kannel/test/test_ppg}
require_peer python3
require_peer "$TEST_PPG"
it_init
it_ports
PUSH_PORT=$(free_port tcp 127.0.0.1) || die "no free TCP port"
start_upstream pi
start_upstream other
ALLOW="127.0.0.1:$pi_PORT"
CONF=$T/wspgw.conf
write_config "$CONF"
cat >>"$CONF" <<EOF

[push]
listen = 127.0.0.1:$PUSH_PORT
queue = $T/push.db

[push-user mmsc]
password = s3cret
allow-ip = 127.0.0.0/8
allow-prefix = +358, +1555, 127.0.0.0/8

[push-user troo]
password = far
allow-ip = 127.0.0.1

[push-user faraway]
password = x
allow-ip = 10.0.0.0/8, 2001:db8::/32
EOF
start_daemon "$CONF"
URL=http://127.0.0.1:$PUSH_PORT
PC="$PYTHON $IT_SRC/papclient.py"

# tppg NAME USER PASSWORD CONTENT_FILE PAP_FILE [test_ppg options]:
# test_ppg in configuration-file mode with -b (HTTP Basic).  Its output
# goes to $T/NAME.out, the reply body to $T/NAME.reply.
tppg() {
    _n=$1
    cat >"$T/$_n.conf" <<EOF
group = test-ppg
retries = 0
pi-ssl = no

group = configuration
push-url = $URL/wappush
pap-file = $5
content-file = $4
username = $2
password = $3
EOF
    shift 5
    timeout 20 "$TEST_PPG" -b "$@" "$T/$_n.conf" >"$T/$_n.out" 2>&1
    $PC kannel-reply "$T/$_n.out" >"$T/$_n.reply"
}

# pap_doc FILE PUSH_ID ADDRESS [push-message attributes]
pap_doc() {
    cat >"$1" <<EOF
<?xml version="1.0"?>
<!DOCTYPE pap PUBLIC "-//WAPFORUM//DTD PAP 2.0//EN"
  "http://www.wapforum.org/DTD/pap_2.0.dtd">
<pap>
  <push-message push-id="$2" ${4:-}>
    <address address-value="$3"/>
    <quality-of-service delivery-method="unconfirmed"/>
  </push-message>
</pap>
EOF
}

# expect_push NAME CODE: test_ppg saw a push-response with that code
# and our push-id.
expect_push() {
    grep -q "TEST_PPG: and type push response" "$T/$1.out" || \
        die "$1: test_ppg did not get a push response: \
$(grep -E 'TEST_PPG|WARNING|ERROR' "$T/$1.out" | tail -5)"
    assert_eq "$($PC xml "$T/$1.reply" .//response-result code)" "$2" \
        "$1: response-result code"
}

cat >"$T/si.xml" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE si PUBLIC "-//WAPFORUM//DTD SI 1.0//EN"
  "http://www.wapforum.org/DTD/si.dtd">
<si><indication href="http://www.example.com/inbox" si-id="msg-1"
  action="signal-high">You have mail</indication></si>
EOF

# 1. SI push through test_ppg: 1001 with the push-id echoed; stored in
#    the queue compiled to WBXML SI (version 1.2, public id 5, UTF-8).
LATER=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
pap_doc "$T/p1.pap" "p1@pi.example" "WAPPUSH=+358401234567/TYPE=PLMN@ppg" \
    "ppg-notify-requested-to=\"http://127.0.0.1:$pi_PORT/echo\" \
deliver-after-timestamp=\"$LATER\""
tppg p1 mmsc s3cret "$T/si.xml" "$T/p1.pap" -c si
expect_push p1 1001
assert_eq "$($PC xml "$T/p1.reply" .//push-response push-id)" \
    "p1@pi.example" "p1: push-id echoed"
grep -q 'DTD PAP 2.0//EN' "$T/p1.reply" || die "p1: answer not in PAP 2.0"
# queue_row PUSH_ID EXPR: one SQL expression over the queue's row.
queue_row() {
    "$PYTHON" -c '
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
r = db.execute("SELECT " + sys.argv[3] + " FROM push WHERE push_id = ?",
               (sys.argv[2],)).fetchone()
print("" if r is None else r[0])' "$T/push.db" "$1" "$2"
}
assert_eq "$(queue_row p1@pi.example "content_type || ' ' || app_id || ' ' \
    || address || ' ' || substr(hex(body), 1, 8)")" \
    "application/vnd.wap.sic http://www.wiral.com:wml.ua +358401234567 \
02056A00" "p1 in the queue"

# 2. Kannel's own test file (PAP 1.0, deliver-after in 2001): accepted,
#    answered in PAP 1.0; and an SL push.
tppg k1 mmsc s3cret "$T/si.xml" /usr/lib/kannel/test/smstestppg.txt -c si
expect_push k1 1001
grep -q 'DTD PAP 1.0//EN' "$T/k1.reply" || die "k1: answer not in PAP 1.0"
pap_doc "$T/sl.pap" "sl@pi.example" "WAPPUSH=+15550001/TYPE=PLMN" \
    "deliver-after-timestamp=\"$LATER\""
tppg sl mmsc s3cret /usr/lib/kannel/test/sl.txt "$T/sl.pap" -c sl -a ua
expect_push sl 1001
assert_eq "$(queue_row sl@pi.example "content_type || ' ' || \
    substr(hex(body), 1, 8)")" "application/vnd.wap.slc 02066A00" \
    "SL in the queue"

# 3. MMS notification as binary content (-B hex, -a mms): passes through
#    unchanged with the mms.ua application id.
printf '%s\n' "8C 82 98 41 42 43 00 8D 92 89 08 80 2B 31 35 35 35 00" \
    "8A 80 8E 02 10 00 88 05 81 03 09 3A 80 83 68 74 74 70 3A 2F 2F 6D" \
    "2F 31 00" >"$T/mms.hex"
pap_doc "$T/mms.pap" "mms1@mmsc" "WAPPUSH=+15551234/TYPE=PLMN"
tppg mms mmsc s3cret "$T/mms.hex" "$T/mms.pap" -c mms -a mms -B
expect_push mms 1001
assert_eq "$(queue_row mms1@mmsc "content_type || ' ' || app_id || ' ' || \
    hex(body)")" "application/vnd.wap.mms-message x-wap-application:mms.ua \
$(tr -d ' \n' <"$T/mms.hex")" "MMS in the queue"

#    Content-Transfer-Encoding: base64 (test_ppg -e base64) is undone
#    before the SI is compiled.
pap_doc "$T/b64.pap" "b64@pi.example" "WAPPUSH=+15550002/TYPE=PLMN"
tppg b64 mmsc s3cret "$T/si.xml" "$T/b64.pap" -c si -e base64
expect_push b64 1001
assert_eq "$(queue_row b64@pi.example "hex(body)")" \
    "$(queue_row p1@pi.example "hex(body)")" "base64 SI compiled like p1"

# 4. Refusals through test_ppg.
#    Bad XML: badmessage-response (HTTP 400) with code 2000.
printf '<?xml version="1.0"?>\n<pap><push-message push-id="x">\n' \
    >"$T/bad.pap"
tppg bad mmsc s3cret "$T/si.xml" "$T/bad.pap" -c si
grep -q "TEST_PPG: and type bad message response" "$T/bad.out" || \
    die "bad XML: no bad message response"
assert_eq "$($PC xml "$T/bad.reply" .//badmessage-response code)" 2000 \
    "bad XML: code"
#    XXE: an external entity naming a local file; refused, not read.
echo "wspgw-xxe-secret" >"$T/secret.txt"
{
    echo '<?xml version="1.0"?>'
    echo "<!DOCTYPE pap [<!ENTITY x SYSTEM \"file://$T/secret.txt\">]>"
    echo '<pap><push-message push-id="&x;"><address'
    echo ' address-value="WAPPUSH=+15551/TYPE=PLMN"/></push-message></pap>'
} >"$T/xxe.pap"
tppg xxe mmsc s3cret "$T/si.xml" "$T/xxe.pap" -c si
grep -q "TEST_PPG: and type bad message response" "$T/xxe.out" || \
    die "XXE: no bad message response"
! grep -q wspgw-xxe-secret "$T/xxe.reply" || die "XXE: the file was read"
#    Wrong password: HTTP 401, test_ppg gives up.
tppg wrongpw mmsc nope "$T/si.xml" "$T/p1.pap" -c si
grep -q "TEST_PPG: In thread .* 0 succeeded, 1 failed" "$T/wrongpw.out" || \
    die "wrong password: test_ppg did not fail"
#    A user whose allow-ip does not cover 127.0.0.1: HTTP 403.
tppg faraway faraway x "$T/si.xml" "$T/p1.pap" -c si
grep -q "push failed, service forbidden" "$T/faraway.out" || \
    die "allow-ip: test_ppg did not see 403"
#    Destination outside allow-prefix: push-response 2001.
pap_doc "$T/pfx.pap" "pfx@pi.example" "WAPPUSH=+4477001/TYPE=PLMN"
tppg pfx mmsc s3cret "$T/si.xml" "$T/pfx.pap" -c si
expect_push pfx 2001
#    The same push-id again: 2007.
tppg dup mmsc s3cret "$T/si.xml" "$T/p1.pap" -c si
expect_push dup 2007
#    SI that does not compile: 3006, nothing queued.
printf '<?xml version="1.0"?>\n<si><indication>\n' >"$T/badsi.xml"
pap_doc "$T/badsi.pap" "badsi@pi.example" "WAPPUSH=+15559/TYPE=PLMN"
tppg badsi mmsc s3cret "$T/badsi.xml" "$T/badsi.pap" -c si
expect_push badsi 3006
assert_eq "$(queue_row badsi@pi.example id)" "" "badsi not queued"
#    Kannel's hard-coded message (-H, user troo): its deliver-before
#    (2002) has passed, 2000.
timeout 20 "$TEST_PPG" -H -b "$URL/wappush" >"$T/hard.out" 2>&1
$PC kannel-reply "$T/hard.out" >"$T/hard.reply"
expect_push hard 2000
assert_eq "$(metric wspgw_ppg_accepted_total)" 5 "accepted pushes"

# 5. statusquery and cancel (bare application/xml bodies).
pap_q() {
    $PC pap "$1" "$2" >"$T/q.pap"
    $PC post "$URL/wappush" --user mmsc --password s3cret \
        --ctype application/xml --data-file "$T/q.pap" >"$T/$3.resp"
}
pap_q statusquery p1@pi.example q1
assert_eq "$(head -1 "$T/q1.resp")" 200 "statusquery HTTP status"
assert_eq "$($PC xml "$T/q1.resp" .//statusquery-result message-state)" \
    pending "statusquery state"
assert_eq "$($PC xml "$T/q1.resp" .//statusquery-result code)" 1000 \
    "statusquery code"
assert_eq "$($PC xml "$T/q1.resp" .//address address-value)" \
    "WAPPUSH=+358401234567/TYPE=PLMN" "statusquery address"
pap_q statusquery nosuch@pi.example q2
assert_eq "$($PC xml "$T/q2.resp" .//statusquery-result code)" 2004 \
    "statusquery of an unknown push"
#    Another user cannot see mmsc's pushes.
$PC pap statusquery p1@pi.example >"$T/q.pap"
$PC post "$URL/wappush" --user troo --password far \
    --ctype application/xml --data-file "$T/q.pap" >"$T/q3.resp"
assert_eq "$($PC xml "$T/q3.resp" .//statusquery-result code)" 2004 \
    "statusquery by another user"
pap_q cancel p1@pi.example c1
assert_eq "$($PC xml "$T/c1.resp" .//cancel-result code)" 1000 "cancel"
pap_q statusquery p1@pi.example q4
assert_eq "$($PC xml "$T/q4.resp" .//statusquery-result message-state)" \
    cancelled "state after cancel"
pap_q cancel p1@pi.example c2
assert_eq "$($PC xml "$T/c2.resp" .//cancel-result code)" 2008 \
    "cancel of a final push"

# 6. The result notification of p1 (cancelled) reached the allowed PI.
wait_grep "$pi_LOG" '/echo' 5 || die "no result notification"
nf=$(grep -l 'push-id="p1@pi.example"' "$T"/pi.bodies/* | head -1)
[ -n "$nf" ] || die "notification body not saved"
assert_eq "$($PC xml "$nf" .//resultnotification-message push-id)" \
    p1@pi.example "notification push-id"
assert_eq "$($PC xml "$nf" .//resultnotification-message message-state)" \
    cancelled "notification state"
assert_eq "$(up_last "$pi_LOG" header:Content-Type POST /echo)" \
    application/xml "notification Content-Type"
#    One whose PI is not in [upstream] allow gets none.
pap_doc "$T/p2.pap" "p2@pi.example" "WAPPUSH=+358401/TYPE=PLMN" \
    "ppg-notify-requested-to=\"http://127.0.0.1:$other_PORT/echo\" \
deliver-after-timestamp=\"$LATER\""
tppg p2 mmsc s3cret "$T/si.xml" "$T/p2.pap" -c si
expect_push p2 1001
pap_q cancel p2@pi.example c3
assert_eq "$($PC xml "$T/c3.resp" .//cancel-result code)" 1000 "cancel p2"
wait_grep "$GW_LOG" "not in [upstream] allow" 5 || \
    die "no refusal logged for the notification outside the allow list"
assert_eq "$(up_count "$other_LOG" conn)" 0 "connections to the PI outside \
the allow list"
#    An IP push is delivered at once (UDP to 127.0.0.1:2948); its
#    notification says so.
pap_doc "$T/ip.pap" "ip@pi.example" "WAPPUSH=127.0.0.1/TYPE=IPv4" \
    "ppg-notify-requested-to=\"http://127.0.0.1:$pi_PORT/echo?ip\""
tppg ip mmsc s3cret "$T/si.xml" "$T/ip.pap" -c si
expect_push ip 1001
wait_grep "$pi_LOG" '/echo?ip' 10 || die "no notification for the IP push"
nf=$(grep -l 'push-id="ip@pi.example"' "$T"/pi.bodies/* | head -1)
[ -n "$nf" ] || die "IP push notification body not saved"
assert_eq "$($PC xml "$nf" .//resultnotification-message message-state)" \
    delivered "IP push notification state"
assert_eq "$($PC xml "$nf" .//resultnotification-message code)" 1000 \
    "IP push notification code"
assert_eq "$($PC xml "$nf" .//address address-value)" \
    "WAPPUSH=127.0.0.1/TYPE=IPv4" "IP push notification address"
assert_eq "$(metric wspgw_ppg_notify_sent_total)" 2 "notifications sent"
assert_eq "$(metric wspgw_ppg_notify_failed_total)" 1 "notifications refused"

# 7. POST /mms-notify: the gateway builds the m-notification-ind.
$PC form "$URL/mms-notify" --user mmsc --password s3cret to=+15557654321 \
    location=http://mmsc.example/m/1 size=2048 expiry=3600 \
    from=+15550000 subject=Hello transaction-id=T1 >"$T/n1.resp"
assert_eq "$(head -1 "$T/n1.resp")" 202 "mms-notify status"
grep -q "accepted push-id=mms-notify:T1" "$T/n1.resp" || \
    die "mms-notify answer: $(cat "$T/n1.resp")"
body=$(queue_row mms-notify:T1 "content_type || ' ' || app_id || ' ' || \
    address || ' ' || hex(body)")
case $body in
    "application/vnd.wap.mms-message x-wap-application:mms.ua +15557654321 "\
"8C82985431008D92"*) ;;
    *) die "mms-notify body in the queue: $body" ;;
esac
loc=$(printf 'http://mmsc.example/m/1' | od -An -tx1 | tr -d ' \n' \
    | tr a-f A-F)
case $body in
    *"83${loc}00"*) ;;
    *) die "mms-notify: no X-Mms-Content-Location in $body" ;;
esac
$PC form "$URL/mms-notify" --user mmsc --password s3cret to=+15557654321 \
    location=http://mmsc.example/m/1 transaction-id=T1 >"$T/n2.resp"
assert_eq "$(head -1 "$T/n2.resp")" 409 "mms-notify duplicate"
$PC form "$URL/mms-notify" --user mmsc --password s3cret to=+15557654321 \
    >"$T/n3.resp"
assert_eq "$(head -1 "$T/n3.resp")" 400 "mms-notify without location"
$PC form "$URL/mms-notify" --user mmsc --password wrong to=+15557654321 \
    location=http://x/ >"$T/n4.resp"
assert_eq "$(head -1 "$T/n4.resp")" 401 "mms-notify wrong password"
$PC form "$URL/mms-notify" --user mmsc --password s3cret to=+4477 \
    location=http://x/ >"$T/n5.resp"
assert_eq "$(head -1 "$T/n5.resp")" 403 "mms-notify outside allow-prefix"
#    Without an SMSC the engine fails it at once: statusquery says so.
n=0
while :; do
    pap_q statusquery mms-notify:T1 q5
    st=$($PC xml "$T/q5.resp" .//statusquery-result message-state)
    [ "$st" = undeliverable ] && break
    n=$((n + 1))
    [ "$n" -lt 20 ] || die "mms-notify push state: $st"
    sleep 0.5
done
assert_eq "$($PC xml "$T/q5.resp" .//statusquery-result desc)" \
    "no SMSC configured ([smsc] host)" "mms-notify push failure reason"

#    curl sends "Expect: 100-continue" before a larger body; the listener
#    answers 100 at once (curl, told to wait up to 10 s for it, would
#    otherwise take that long).
if command -v curl >/dev/null 2>&1; then
    head -c 2000 /dev/zero | tr '\0' x >"$T/long.txt"
    code=$(curl -s -o "$T/n6.resp" -w '%{http_code} %{time_total}' \
        -H 'Expect: 100-continue' --expect100-timeout 10 -u mmsc:s3cret \
        --data-urlencode to=+15550003 --data-urlencode \
        location=http://mmsc/m/2 --data-urlencode "pad@$T/long.txt" \
        "$URL/mms-notify")
    case $code in
        "202 "[0-4].*) ;;
        *) die "mms-notify with Expect: 100-continue: $code \
$(cat "$T/n6.resp")" ;;
    esac
fi

# 8. HTTP-level refusals.
head -c 300000 /dev/zero | tr '\0' a >"$T/big.body"
$PC post "$URL/wappush" --user mmsc --password s3cret \
    --ctype application/xml --data-file "$T/big.body" >"$T/big.resp" || true
assert_eq "$(head -1 "$T/big.resp")" 413 "oversized request"
$PC post "$URL/other" --data x >"$T/404.resp"
assert_eq "$(head -1 "$T/404.resp")" 404 "unknown path"
assert_eq "$(http_status "$URL/wappush")" 405 "GET /wappush"
$PC post "$URL/wappush" --data x >"$T/noauth.resp"
assert_eq "$(head -1 "$T/noauth.resp")" 401 "no credentials"
$PC post "$URL/wappush" --user mmsc --password s3cret \
    --ctype "multipart/related; boundary=B" --data "--B no end" \
    >"$T/mime.resp"
assert_eq "$(head -1 "$T/mime.resp")" 400 "broken multipart"
assert_eq "$($PC xml "$T/mime.resp" .//badmessage-response code)" 2000 \
    "broken multipart code"
daemon_alive || die "daemon died"

# 9. Push users are applied on SIGHUP, without a restart.
$PC pap statusquery p1@pi.example >"$T/q.pap"
$PC post "$URL/wappush" --user late --password p \
    --ctype application/xml --data-file "$T/q.pap" >"$T/late1.resp"
assert_eq "$(head -1 "$T/late1.resp")" 401 "unknown user before reload"
printf '\n[push-user late]\npassword = p\nallow-ip = 127.0.0.1\n' >>"$CONF"
kill -HUP "$GW_PID"
wait_grep "$GW_LOG" "configuration reloaded" 5 || die "no reload"
$PC post "$URL/wappush" --user late --password p \
    --ctype application/xml --data-file "$T/q.pap" >"$T/late2.resp"
assert_eq "$($PC xml "$T/late2.resp" .//statusquery-result code)" 2004 \
    "new user after reload (authenticated, sees none of mmsc's pushes)"

# 10. The queue is durable: after a restart the push is still pending.
stop_daemon
assert_eq "$GW_RC" 0 "exit status after SIGTERM"
start_daemon "$CONF"
pap_q statusquery sl@pi.example q6
assert_eq "$($PC xml "$T/q6.resp" .//statusquery-result message-state)" \
    pending "state after restart"
stop_daemon
assert_eq "$GW_RC" 0 "exit status after SIGTERM"
exit 0
