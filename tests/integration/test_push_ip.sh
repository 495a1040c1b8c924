#!/bin/sh
# tests/integration/test_push_ip.sh - push delivery without an SMSC:
# a push to an IPv4 handset goes by UDP from the WSP port to port 2948
# (tshark decodes it as a WSP Push with its m-notification-ind), a push
# to a phone number fails at once ("no SMSC configured"); SIGHUP applies
# the [push] retry settings and reports [smsc] changes as needing a
# restart; SIGTERM leaves the queue consistent.
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/push_lib.sh"

require_peer python3
require_peer tshark
require_peer text2pcap
require_peer sqlite3
[ -x "$INJECT" ] || die "$INJECT not built"
it_init
it_ports
QUEUE=$T/queue.db
HANDSET=127.0.$(($$ % 250 + 2)).$(($$ / 250 % 250 + 2))
start_handset "$HANDSET"
CONF=$T/wspgw.conf
write_config "$CONF"
printf '\n[push]\nqueue = %s\n' "$QUEUE" >>"$CONF"
start_daemon "$CONF"
grep -q 'no SMSC: IP pushes only' "$GW_LOG" || die "engine start not logged"
inject 1 --start 7 --ip "$HANDSET"
inject 1 --start 8
wait_metric wspgw_push_delivered_total 1 10
wait_metric wspgw_push_failed_total 1 10
grep -q 'inj-000008@test.*failed.*no SMSC configured' "$GW_LOG" || \
    die "the phone-number push did not fail for want of an SMSC"
assert_eq "$(metric wspgw_push_ip_sent_total)" 1 "IP pushes sent"

read -r src sport hex <"$T/handset.log"
assert_eq "$src $sport" "127.0.0.1 $WSP_PORT" "source of the IP push"
# Into a pcap as UDP 9200 -> 2948, for tshark's own verdict.
printf '%s\n' "$hex" | "$PYTHON" -c '
import sys
b = bytes.fromhex(sys.stdin.read().strip())
for i in range(0, len(b), 16):
    print("%06x %s" % (i, " ".join("%02x" % c for c in b[i:i + 16])))
' >"$T/push.txt"
text2pcap -q -u 9200,2948 "$T/push.txt" "$T/push.pcap" >/dev/null 2>&1 || \
    die "text2pcap failed"
tshark -n -r "$T/push.pcap" -V >"$T/ts.txt" 2>&1 || die "tshark failed"
if grep -i -E 'malformed|Expert Info \(Error' "$T/ts.txt" >"$T/ts.bad"; then
    die "tshark: $(head -5 "$T/ts.bad")"
fi
grep -q 'Wireless Session Protocol, Method: Push (0x06), Content-Type: application/vnd.wap.mms-message' "$T/ts.txt" || die "tshark: not a WSP Push: $(head -40 "$T/ts.txt")"
grep -q 'X-Mms-Transaction-ID: T000007' "$T/ts.txt" || \
    die "tshark: no m-notification-ind"

# Reload: [push] retry settings apply, [smsc] needs a restart.
printf 'retry-min = 5\n[smsc]\nhost = 127.0.0.1\n' >>"$CONF"
kill -HUP "$GW_PID"
wait_grep "$GW_LOG" "configuration reloaded" 5 || die "no reload"
grep -q 'smsc.\* changed; it takes effect after a restart' "$GW_LOG" || \
    die "[smsc] change not reported as needing a restart"
stop_daemon
assert_eq "$GW_RC" 0 "daemon exit status"
left=$(sqlite3 "$QUEUE" "SELECT COUNT(*) FROM push WHERE state NOT IN (2, 4)" 2>/dev/null || echo "?")
assert_eq "$left" 0 "pushes not final in the queue"
exit 0
