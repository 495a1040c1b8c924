#!/bin/sh
# tests/integration/test_push_errors.sh - what goes wrong on the way to
# the handset, and what the gateway makes of it.
#
# The fake SMSC (smsc.pl, Net::SMPP) answers every 3rd submit_sm with
# ESME_RTHROTTLED (temporary: retried with backoff), refuses +1666...
# with ESME_RINVDSTADR (permanent: FAILED), sends a delivery receipt for
# every accepted SMS (UNDELIV for +1777...: FAILED, else DELIVRD), and
# closes the connection unanswered at the 5th submit_sm (reconnect, SMS
# sent again).  One push expired before the gateway started (EXPIRED,
# never sent).  One push goes to an IPv4 handset: a connectionless WSP
# Push by UDP from the WSP port to 127.0.X.Y:2948.  data-coding 0xF5 and
# 16-bit concatenation references are configured.  tshark decodes the
# whole capture (SMPP and UDP) without a malformed packet.
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/push_lib.sh"

require_peer python3
require_peer tshark
require_smpp_peer
it_init
it_ports
QUEUE=$T/queue.db
# A loopback address of its own, so that port 2948 is free on it.
HANDSET=127.0.$(($$ % 250 + 2)).$(($$ / 250 % 250 + 2))
start_smsc --throttle-every 3 --fail-prefix 1666 --receipts \
    --undeliv-prefix 1777 --drop-after 5
start_handset "$HANDSET"
PUSH_EXTRA="delivery-receipts = yes
data-coding = 0xF5
concat-ref-bits = 16"
CONF=$T/wspgw.conf
write_push_config "$CONF"

inject 6
inject 1 --start 100 --size 300
inject 1 --prefix +1666 --start 300
inject 1 --prefix +1777 --start 400
inject 1 --start 500 --before-ms 1
inject 1 --start 600 --ip "$HANDSET"
sleep 0.1
start_capture "tcp port $SMSC_PORT or udp port 2948"
start_daemon "$CONF"
wait_metric wspgw_push_delivered_total 8 30
wait_metric wspgw_push_failed_total 2 10
assert_eq "$(metric wspgw_push_expired_total)" 1 "expired"
stop_capture

[ "$(metric wspgw_push_retries_total)" -ge 1 ] || die "no retry"
[ "$(metric wspgw_push_sms_temp_errors_total)" -ge 2 ] || \
    die "temporary errors: $(metric wspgw_push_sms_temp_errors_total)"
assert_eq "$(metric wspgw_push_sms_perm_errors_total)" 1 "permanent errors"
[ "$(metric wspgw_smsc_binds_total)" -ge 2 ] || die "no reconnect"
assert_eq "$(metric wspgw_push_ip_sent_total)" 1 "IP pushes"
grep -q 'ESME_RTHROTTLED' "$GW_LOG" || die "throttling not logged"
grep -q 'inj-000300@test.*failed.*ESME_RINVDSTADR' "$GW_LOG" || \
    die "permanent failure not logged"
grep -q 'inj-000400@test.*failed.*undeliverable' "$GW_LOG" || \
    die "UNDELIV receipt not logged"
grep -q 'inj-000500@test.*expired' "$GW_LOG" || die "expiry not logged"
grep -q 'dst=1555000500' "$SMSC_LOG" && die "the expired push was sent"

"$PYTHON" "$IT_SRC/smsc_check.py" --dcs 0xf5 "$SMSC_LOG" \
    >"$T/check.json" || die "submit_sm checks: $(cat "$T/check.json")"
# 6 + the long one + +1777 complete at the SMSC (+1666 refused).
assert_eq "$(jget "$T/check.json" markers)" 8 "pushes at the SMSC"
# The SMSC closes with responses unread by the gateway (a reset drops
# them), so everything in flight at the drop may come twice: at most the
# window (10).  A part accepted before is not sent again.
[ "$(jget "$T/check.json" dups)" -le 10 ] || \
    die "duplicates: $(jget "$T/check.json" dups)"

# The IP push: from the WSP port, a connectionless Push PDU.
assert_eq "$(wc -l <"$T/handset.log")" 1 "datagrams at the handset"
read -r src sport hex <"$T/handset.log"
assert_eq "$src $sport" "127.0.0.1 $WSP_PORT" "IP push source"
case $hex in
    ??0603beaf848c8298543030303630300*) ;;
    *) die "IP push bytes: $hex" ;;
esac

tshark -n -r "$CAP" -d "tcp.port==$SMSC_PORT,smpp" -V >"$T/ts.txt" \
    2>"$T/ts.err" || die "tshark failed: $(cat "$T/ts.err")"
if grep -n -i -E 'malformed|Expert Info \(Error' "$T/ts.txt" >"$T/ts.bad"; then
    die "tshark reports problems: $(head -10 "$T/ts.bad")"
fi
grep -q 'X-Mms-Transaction-ID: T000100' "$T/ts.txt" || \
    die "tshark did not reassemble the 16-bit concatenated push"
grep -q 'X-Mms-Transaction-ID: T000600' "$T/ts.txt" || \
    die "tshark did not decode the IP push"
grep -q -i 'Data coding: .*(0xf5)' "$T/ts.txt" || \
    die "no data_coding 0xF5 in the capture"
stop_daemon
assert_eq "$GW_RC" 0 "daemon exit status"
exit 0
