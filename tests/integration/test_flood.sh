#!/bin/sh
# tests/integration/test_flood.sh - 30,000 random and mutated datagrams
# at both UDP ports (flood.py), STYLE.md 3.4: a peer's protocol error is
# not a program error.
#
# Checks: nothing answers on the WTP port yet (contract: counted and
# dropped); after the flood the daemon is alive; its VmRSS grew by less than
# 20 MB; /health still answers; a normal Get still returns 0x20 with the
# exact body; the forbidden upstream saw no connection (mutated URLs
# must not escape the allow list); the log grew by fewer lines than a
# tenth of the datagrams in a second, garbage-only flood (rate-limited
# logging, STYLE.md 3.4; well-formed requests that fail upstream may be
# logged one line each) and that none of those got an answer.
# FLOOD_SEED / FLOOD_COUNT / FLOOD_RATE override the defaults to replay.

. "${top_srcdir:?}/tests/integration/lib.sh"

require_peer python3
it_init
it_ports
start_upstream up
start_upstream other
closed=$(free_port tcp 127.0.0.1)
ALLOW="127.0.0.1:$up_PORT 127.0.0.1:$closed"
TIMEOUT=2
CONF=$T/wspgw.conf
write_config "$CONF"
start_daemon "$CONF"
base=http://127.0.0.1:$up_PORT

# The WTP port speaks WTP: a WTP Invoke carrying a WSP Connect
# (wsp.md 12) is answered by WTP (here: an Ack asking for TID
# verification, or a Result), and a connectionless Get sent there never
# reaches the upstream.
wsp --port "$WTP_PORT" --raw 0e0001120110000000 --timeout 2 \
    >"$T/wtp1.json" 2>&1 || true
grep -q '"reply_hex": "\(1c80\|1680\|9680\)' "$T/wtp1.json" \
    || die "WTP Invoke on the WTP port got no WTP answer: $(cat "$T/wtp1.json")"
wsp --port "$WTP_PORT" --timeout 1 "$base/hello?wtp=1" >"$T/wtp2.json" \
    2>&1 || true
assert_eq "$(up_count "$up_LOG" req GET "/hello?wtp=1")" 0 \
    "Gets on the WTP port that reached the upstream"

it_get_ok warm "$base/bin?size=20000&seed=1"
sleep 0.5
rss0=$(daemon_rss_kb)
lines0=$(wc -l <"$GW_LOG")
count=${FLOOD_COUNT:-30000}
seed=${FLOOD_SEED:-$(date +%s)}
it_log "flood seed $seed, $count datagrams, RSS before ${rss0} kB"

"$PYTHON" "$IT_SRC/flood.py" --wsp-port "$WSP_PORT" --wtp-port "$WTP_PORT" \
    --count "$count" --rate "${FLOOD_RATE:-2500}" --max-seconds 35 \
    --seed "$seed" --upstream-url "$base/hello?flood=1" \
    --closed-url "http://127.0.0.1:$closed/x" \
    --forbidden-url "http://127.0.0.1:$other_PORT/x" >"$T/flood.json" \
    2>"$T/flood.err" || die "flood.py failed: $(cat "$T/flood.err")"
it_log "flood: $(cat "$T/flood.json")"

daemon_alive || die "daemon died during the flood (seed $seed)"
# Let outstanding upstream fetches (timeout 2 s) finish.
sleep 2.5
daemon_alive || die "daemon died after the flood (seed $seed)"
rss1=$(daemon_rss_kb)
grow=$((rss1 - rss0))
it_log "RSS after ${rss1} kB, growth ${grow} kB"
[ "$grow" -lt 20480 ] || die "RSS grew by $grow kB (>= 20 MB) during the \
flood (seed $seed)"

[ "$(http_status "http://127.0.0.1:$ADMIN_PORT/health")" = 200 ] || \
    die "/health does not answer after the flood"
it_get_ok after "$base/bin?size=20000&seed=2" --retries 2 --timeout 3
bin_body 20000 2 "$T/after.want"
cmp "$T/after.body" "$T/after.want" || die "Get after the flood: body \
differs"
assert_eq "$(up_count "$other_LOG" conn)" 0 "connections to the forbidden \
upstream during the flood (seed $seed)"

# Phase 2: only certainly-malformed datagrams, to the WSP port (on the
# WTP port random octets can form a valid Invoke; phase 1 covered it).
lines1=$(wc -l <"$GW_LOG")
"$PYTHON" "$IT_SRC/flood.py" --wsp-port "$WSP_PORT" --wtp-port "$WTP_PORT" \
    --count 6000 --rate 3000 --max-seconds 10 --seed "$seed" \
    --garbage-only --upstream-url "$base/hello?flood=2" \
    --closed-url "http://127.0.0.1:$closed/x" \
    --forbidden-url "http://127.0.0.1:$other_PORT/x" >"$T/garbage.json" \
    2>"$T/garbage.err" || die "flood.py --garbage-only failed: \
$(cat "$T/garbage.err")"
it_log "garbage: $(cat "$T/garbage.json")"
sleep 0.5
daemon_alive || die "daemon died during the garbage flood (seed $seed)"
lines2=$(wc -l <"$GW_LOG")
dl=$((lines2 - lines1))
it_log "daemon log grew by $dl lines for 6000 malformed datagrams"
[ "$dl" -lt 600 ] || die "the daemon logged $dl lines for 6000 malformed \
datagrams (logging is not rate-limited); sample:
$(tail -n 5 "$GW_LOG")"
assert_eq "$(jget "$T/garbage.json" received)" 0 "answers to malformed \
datagrams"
assert_eq "$(up_count "$up_LOG" req GET "/hello?flood=2")" 0 "malformed \
datagrams that reached the upstream"
it_get_ok final "$base/hello"

stop_daemon 5
assert_eq "$GW_RC" 0 "exit status after SIGTERM"
exit 0
