#!/bin/sh
# tests/integration/test_push_throughput.sh - how many pushes a second the
# gateway hands to an SMPP peer (Net::SMPP, smsc.pl, answering at once),
# from a queue of COUNT single-SMS pushes (push_inject) to the last
# submit_sm_resp committed, with queue-sync = full (an fsync per commit).
# The number is printed (and is in the test's .log); the test fails only
# below a floor far under it (a regression, not a benchmark).
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/push_lib.sh"

require_peer python3
require_smpp_peer
it_init
it_ports
QUEUE=$T/queue.db
COUNT=${PUSH_COUNT:-2000}
start_smsc
PUSH_EXTRA="window = ${PUSH_WINDOW:-50}"
CONF=$T/wspgw.conf
write_push_config "$CONF"
inject "$COUNT"
t0=$(date +%s.%N)
start_daemon "$CONF"
wait_metric wspgw_push_delivered_total "$COUNT" 120
t1=$(date +%s.%N)
rate=$("$PYTHON" -c 'import sys; print(int(float(sys.argv[3]) / (float(sys.argv[2]) - float(sys.argv[1]))))' "$t0" "$t1" "$COUNT")
it_log "throughput: $COUNT pushes in $("$PYTHON" -c 'import sys; print("%.2f" % (float(sys.argv[2]) - float(sys.argv[1])))' "$t0" "$t1") s = $rate pushes/s (window ${PUSH_WINDOW:-50}, queue-sync full, incl. start-up and bind)"
"$PYTHON" "$IT_SRC/smsc_check.py" "$SMSC_LOG" >"$T/check.json" || \
    die "submit_sm checks: $(cat "$T/check.json")"
assert_eq "$(jget "$T/check.json" markers)" "$COUNT" "pushes at the SMSC"
assert_eq "$(jget "$T/check.json" dups)" 0 "duplicates"
[ "$rate" -ge 50 ] || die "only $rate pushes/s"
stop_daemon
assert_eq "$GW_RC" 0 "daemon exit status"
exit 0
