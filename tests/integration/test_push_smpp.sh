#!/bin/sh
# tests/integration/test_push_smpp.sh - WAP push over SMS to a real SMPP
# peer (Net::SMPP, tests/integration/smsc.pl), checked three ways:
#
#   1. smsc_check.py reads every submit_sm the fake SMSC logged: esm_class
#      0x40, data_coding 0x04, TON/NPI 1/1, UDH port IE 05 04 0B 84 23 F0,
#      concatenation IE 00 03 ref total n with one reference per push, and
#      the parts reassemble into a WSP Push (0xBE, X-Wap-Application-Id
#      0x84) carrying that push's m-notification-ind;
#   2. tshark (an independent SMPP/GSM-SMS/WSP/MMSE decoder) reads a live
#      capture of the SMPP connection: every push decodes as a WSP Push
#      with an MMS m-notification-ind, the three-part one reassembled,
#      and no malformed packet or error anywhere;
#   3. the gateway's counters and delivery receipts (transceiver bind,
#      registered_delivery 1, receipts from the SMSC) agree.
#
# Pushes are queued with the test-only push_inject (gw_pushq_add, the call
# the PAP front end makes): five before the start, one long one (three
# SMS) and one while the gateway runs (picked up from the shared file).
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/push_lib.sh"

require_peer python3
require_peer tshark
require_smpp_peer
it_init
it_ports
QUEUE=$T/queue.db
start_smsc --receipts
PUSH_EXTRA="delivery-receipts = yes"
CONF=$T/wspgw.conf
write_push_config "$CONF"

inject 5
inject 1 --start 100 --size 300
start_capture "$SMSC_PORT"
start_daemon "$CONF"
inject 1 --start 200
wait_metric wspgw_push_delivered_total 7 10
stop_capture

"$PYTHON" "$IT_SRC/smsc_check.py" "$SMSC_LOG" >"$T/check.json" || \
    die "submit_sm checks: $(cat "$T/check.json")"
assert_eq "$(jget "$T/check.json" markers)" 7 "pushes seen at the SMSC"
assert_eq "$(jget "$T/check.json" dups)" 0 "duplicates"
assert_eq "$(jget "$T/check.json" submits)" 9 "submit_sm count"
assert_eq "$(jget "$T/check.json" multipart)" 1 "multi-part pushes"
assert_eq "$(grep -c '^bind_transceiver system_id=wspgw password=secret' \
    "$SMSC_LOG")" 1 "binds"
assert_eq "$(grep -c '^receipt id=' "$SMSC_LOG")" 9 "receipts sent"
assert_eq "$(metric wspgw_push_receipts_total)" 9 "receipts matched"
assert_eq "$(metric wspgw_push_sms_accepted_total)" 9 "SMS accepted"

tshark -n -r "$CAP" -d "tcp.port==$SMSC_PORT,smpp" -V >"$T/ts.txt" \
    2>"$T/ts.err" || die "tshark failed: $(cat "$T/ts.err")"
if grep -n -i -E 'malformed|Expert Info \((Error|Warning)' "$T/ts.txt" \
    >"$T/ts.bad"; then
    die "tshark reports problems: $(head -10 "$T/ts.bad")"
fi
pushes=$(grep -c '^Wireless Session Protocol, Method: Push (0x06), Content-Type: application/vnd.wap.mms-message' "$T/ts.txt")
assert_eq "$pushes" 7 "WSP pushes decoded by tshark"
notif=$(grep -c 'X-Mms-Message-Type: m-notification-ind' "$T/ts.txt")
assert_eq "$notif" 7 "m-notification-ind decoded by tshark"
grep -q 'X-Mms-Transaction-ID: T000100' "$T/ts.txt" || \
    die "tshark did not reassemble the three-part push"
grep -q 'X-Wap-Application-Id: x-wap-application:mms.ua' "$T/ts.txt" || \
    die "tshark shows no X-Wap-Application-Id"

stop_daemon
assert_eq "$GW_RC" 0 "daemon exit status"
exit 0
