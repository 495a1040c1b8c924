#!/bin/sh
# tests/integration/test_push_crash.sh - kill -9 under push load loses
# nothing and duplicates at most the SMPP window.
#
# 300 single-SMS pushes and 30 three-SMS pushes are queued (push_inject,
# gw_pushq_add), each with its own destination as marker.  The fake SMSC
# (smsc.pl, Net::SMPP) answers every submit_sm after 20 ms, so the window
# (10) is full all the time.  The gateway is killed with SIGKILL twice
# while it delivers, and started again each time on the same queue file.
# At the end every push must have reached the SMSC complete, every part
# of a re-sent push must carry the same bytes (same concatenation
# reference), the queue must hold no push that is not delivered, and the
# number of submit_sm sent twice must not exceed the window per crash.
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/push_lib.sh"

require_peer python3
require_peer sqlite3
require_smpp_peer
it_init
it_ports
QUEUE=$T/queue.db
WINDOW=10
start_smsc --delay-ms 20
PUSH_EXTRA="window = $WINDOW"
CONF=$T/wspgw.conf
write_push_config "$CONF"
inject 300
inject 30 --start 500 --size 300
TOTAL=330
PARTS=$((300 + 30 * 3))

submits() {
    grep -c '^submit ' "$SMSC_LOG"
}

# crash_at N: start, wait for N submit_sm at the SMSC, kill -9.
crash_at() {
    start_daemon "$CONF"
    _n=0
    while [ "$(submits)" -lt "$1" ] && [ "$_n" -lt 300 ]; do
        daemon_alive || die "daemon died"
        sleep 0.05
        _n=$((_n + 1))
    done
    [ "$(submits)" -ge "$1" ] || die "only $(submits) submit_sm after 15 s"
    kill -KILL "$GW_PID"
    wait "$GW_PID" 2>/dev/null
    it_unregister "$GW_PID"
    GW_PID=
    it_log "killed at $(submits) submit_sm"
}

crash_at 60
crash_at 200
start_daemon "$CONF"
[ "$(metric wspgw_push_recovered_total)" -ge 1 ] || \
    die "no push was recovered after the crash"
grep -q 'were being sent when the gateway stopped' "$GW_LOG" || \
    die "the recovery is not logged"
n=0
while [ "$n" -lt 300 ]; do
    left=$(sqlite3 "$QUEUE" "PRAGMA busy_timeout = 2000; SELECT COUNT(*) FROM push WHERE state <> 2" | tail -1)
    [ "$left" = 0 ] && break
    daemon_alive || die "daemon died"
    sleep 0.1
    n=$((n + 1))
done
[ "$left" = 0 ] || die "$left pushes not delivered after 30 s"
stop_daemon
assert_eq "$GW_RC" 0 "daemon exit status"

"$PYTHON" "$IT_SRC/smsc_check.py" "$SMSC_LOG" >"$T/check.json" || \
    die "submit_sm checks: $(cat "$T/check.json")"
cat "$T/check.json" >&2
assert_eq "$(jget "$T/check.json" markers)" "$TOTAL" "pushes at the SMSC"
extra=$(($(submits) - PARTS))
it_log "submit_sm: $(submits) for $PARTS parts ($extra sent twice)"
[ "$extra" -ge 0 ] || die "fewer submit_sm than parts"
[ "$extra" -le $((2 * WINDOW)) ] || \
    die "$extra submit_sm sent twice, more than the window ($WINDOW) per crash"
[ "$(jget "$T/check.json" dups)" -le $((2 * WINDOW)) ] || \
    die "duplicated pushes: $(jget "$T/check.json" dups)"
exit 0
