#!/bin/sh
# tests/integration/test_config.sh - command line, configuration errors,
# SIGHUP reload and signals.
#
# Checks: --version and --help exit 0 and print something; --check-config
# exits 0 on a valid file and 1 on an invalid one, printing
# "FILE:LINE: message" for the offending line (unknown key, unknown
# section, bad port, bad bind address, bad allow entries, a bad second
# "allow" line); SIGHUP with an invalid file keeps the daemon serving
# with the old config (not a half-applied new one) and logs FILE:LINE;
# SIGHUP with a wider allow list lets a previously forbidden upstream
# through without a restart, and a new timeout and access-log apply,
# while a request in flight across the SIGHUP completes; SIGTERM and
# SIGINT end it with status 0 within 5 s, also with requests in flight.

. "${top_srcdir:?}/tests/integration/lib.sh"

require_peer python3
it_init
require_daemon
it_ports

# ---- --version, --help -------------------------------------------------
"$WSPGW" --version >"$T/version" 2>&1
rc=$?
assert_eq "$rc" 0 "--version exit status"
[ -s "$T/version" ] || die "--version printed nothing"
"$WSPGW" --help >"$T/help" 2>&1
rc=$?
assert_eq "$rc" 0 "--help exit status"
[ -s "$T/help" ] || die "--help printed nothing"

# ---- --check-config ------------------------------------------------------
# base FILE ALLOW...: a valid config whose line numbers are fixed:
#   1 [gateway]  2 bind  3 wsp-port  4 wtp-port  5 access-log
#   6 [upstream] 7 allow 8 timeout   9 [admin]   10 listen
base() {
    _f=$1
    shift
    {
        echo "[gateway]"
        echo "bind = 127.0.0.1          ; loopback only"
        echo "wsp-port = $WSP_PORT"
        echo "wtp-port = $WTP_PORT"
        echo "access-log ="
        echo "[upstream]"
        echo "allow = $*"
        echo "timeout = 5"
        echo "[admin]"
        echo "listen = 127.0.0.1:$ADMIN_PORT"
    } >"$_f"
}

# bad NAME LINES SED-SCRIPT: a base config edited by SED-SCRIPT must fail
# --check-config with a message for one of LINES ("9" or "9 10").
bad() {
    f=$T/bad-$1.conf
    base "$f" 127.0.0.1:8081
    sed -i "$3" "$f"
    "$WSPGW" -c "$f" --check-config >"$T/bad-$1.out" 2>&1
    rc=$?
    [ "$rc" = 1 ] || die "--check-config on bad config '$1' exited $rc \
(want 1); file:
$(cat -n "$f")
output: $(cat "$T/bad-$1.out")"
    named=
    for l in $2; do
        grep -qF "$f:$l: " "$T/bad-$1.out" && named=$l
    done
    [ -n "$named" ] || die "--check-config on bad \
config '$1' does not name $f:LINE: with LINE in '$2'; output: \
$(cat "$T/bad-$1.out")
file:
$(cat -n "$f")"
}

good=$T/good.conf
base "$good" 127.0.0.1:8081
"$WSPGW" -c "$good" --check-config >"$T/good.out" 2>&1
rc=$?
[ "$rc" = 0 ] || die "--check-config on a valid config exited $rc: \
$(cat "$T/good.out")"

# A valid file with every option spelled out, repeated allow, IPv6 entries.
good2=$T/good2.conf
cat >"$good2" <<CONF
; full example
[gateway]
bind = 127.0.0.1, ::1
wsp-port = $WSP_PORT
wtp-port = $WTP_PORT
access-log = -

[upstream]
allow = 127.0.0.1:8081
allow = [::1]:8082
allow = localhost:8083
timeout = 30

[admin]
listen = 127.0.0.1:$ADMIN_PORT
CONF
"$WSPGW" -c "$good2" --check-config >"$T/good2.out" 2>&1
rc=$?
[ "$rc" = 0 ] || die "--check-config on the full valid config exited \
$rc: $(cat "$T/good2.out")"

bad unknown-key 3 '3i frobnicate = 1'
bad unknown-key-upstream 8 '8s/.*/proxy = 127.0.0.1:3128/'
# An unknown section may be reported at its header or at its first key.
bad unknown-section "9 10" '9s/.*/[nonsense]/'
bad port-too-big 3 '3s/.*/wsp-port = 70000/'
bad port-zero 4 '4s/.*/wtp-port = 0/'
bad port-text 3 '3s/.*/wsp-port = http/'
bad bind-octet 2 '2s/.*/bind = 127.0.0.300/'
bad bind-name 2 '2s/.*/bind = 127.0.0.1, not-an-address/'
bad allow-noport 7 '7s/.*/allow = 127.0.0.1/'
bad allow-port0 7 '7s/.*/allow = 127.0.0.1:0/'
bad allow-v6-nobracket 7 '7s/.*/allow = ::1:8081/'
bad allow-v6-open 7 '7s/.*/allow = [::1:8081/'
bad allow-second 8 '7a allow = 127.0.0.1:99999'
bad admin-listen 10 '10s/.*/listen = 127.0.0.1/'

"$WSPGW" -c "$T/does-not-exist.conf" --check-config >"$T/missing.out" 2>&1
rc=$?
assert_eq "$rc" 1 "--check-config on a missing file"

# ---- reload -------------------------------------------------------------
start_upstream up
start_upstream other
CONF=$T/wspgw.conf
base "$CONF" "127.0.0.1:$up_PORT"
start_daemon "$CONF"
it_get_ok before "http://127.0.0.1:$up_PORT/hello"
wsp --tid 7 "http://127.0.0.1:$other_PORT/hello" >"$T/forb1.json" || \
    die "no Reply for the forbidden upstream"
assert_eq "$(jget "$T/forb1.json" status_hex)" 0x43 "other before reload"

# Invalid file that would also allow "other": must be rejected as a whole.
cp "$CONF" "$T/wspgw.conf.good"
base "$CONF" "127.0.0.1:$up_PORT"
sed -i "7a allow = 127.0.0.1:$other_PORT" "$CONF"
sed -i '9a frobnicate = 1' "$CONF"     # line 10, inside [upstream]
kill -HUP "$GW_PID"
n=0
while ! grep -qF "$CONF:10: " "$GW_LOG" && [ "$n" -lt 30 ]; do
    sleep 0.1
    n=$((n + 1))
done
daemon_alive || die "daemon died on SIGHUP with an invalid file"
grep -qF "$CONF:10: " "$GW_LOG" || die "SIGHUP with an invalid file: \
the log does not name $CONF:10: "
[ "$(http_status "http://127.0.0.1:$ADMIN_PORT/health")" = 200 ] || \
    die "/health after a failed reload"
it_get_ok after-bad "http://127.0.0.1:$up_PORT/hello"
wsp --tid 8 "http://127.0.0.1:$other_PORT/hello" >"$T/forb2.json" || \
    die "no Reply for the forbidden upstream after a failed reload"
assert_eq "$(jget "$T/forb2.json" status_hex)" 0x43 \
    "other after a failed reload (half-applied config?)"
assert_eq "$(up_count "$other_LOG" conn)" 0 \
    "connections to other after a failed reload"

# Valid file that allows "other" too.
base "$CONF" "127.0.0.1:$up_PORT"
sed -i "7a allow = 127.0.0.1:$other_PORT" "$CONF"
kill -HUP "$GW_PID"
n=0
while :; do
    wsp --tid 9 --timeout 2 "http://127.0.0.1:$other_PORT/hello" \
        >"$T/reach.json"
    [ "$(jget "$T/reach.json" status_hex)" = 0x20 ] && break
    n=$((n + 1))
    [ "$n" -lt 15 ] || die "SIGHUP with a wider allow list: other still \
answers $(jget "$T/reach.json" status_hex) after 3 s"
    sleep 0.2
done
[ "$(up_count "$other_LOG" req GET /hello)" -ge 1 ] || \
    die "other never saw the GET"
it_get_ok after-good "http://127.0.0.1:$up_PORT/hello"

# Reload of timeout and access-log, with a request in flight: the
# in-flight Get (upstream sleeps 2 s, old timeout 5) still gets 0x20;
# afterwards timeout = 1 applies (0x64) and lines go to the new log.
wsp --tid 10 --timeout 8 "http://127.0.0.1:$up_PORT/slow?s=2" \
    >"$T/inflight.json" &
ip=$!
# HUP only once the request is at the upstream (it sleeps there 2 s).
n=0
while [ "$(up_count "$up_LOG" req GET "/slow?s=2")" = 0 ] && [ "$n" -lt 50 ]
do
    sleep 0.1
    n=$((n + 1))
done
base "$CONF" "127.0.0.1:$up_PORT"
sed -i "7a allow = 127.0.0.1:$other_PORT" "$CONF"
sed -i "s|^timeout = .*|timeout = 1|" "$CONF"
sed -i "s|^access-log =.*|access-log = $T/acc2.log|" "$CONF"
kill -HUP "$GW_PID"
wait "$ip" || die "the Get in flight across SIGHUP got no Reply"
assert_eq "$(jget "$T/inflight.json" status_hex)" 0x20 \
    "Get in flight across SIGHUP"
n=0
while :; do
    wsp --tid 11 --timeout 8 "http://127.0.0.1:$up_PORT/slow?s=3" \
        >"$T/t1.json"
    [ "$(jget "$T/t1.json" status_hex)" = 0x64 ] && break
    n=$((n + 1))
    [ "$n" -lt 3 ] || die "timeout = 1 after SIGHUP not applied: \
/slow?s=3 gave $(jget "$T/t1.json" status_hex)"
done
it_get_ok acc2 "http://127.0.0.1:$up_PORT/hello?acc=2"
wait_grep "$T/acc2.log" "/hello?acc=2" || die "access-log set by \
SIGHUP ($T/acc2.log) lacks the request: $(cat "$T/acc2.log" 2>&1)"

# ---- SIGTERM, SIGINT ------------------------------------------------------
# SIGTERM with three Gets waiting on a slow upstream (timeout is 1 s now,
# so raise it first): exit 0 within 5 s, without waiting for them.
sed -i "s|^timeout = .*|timeout = 60|" "$CONF"
kill -HUP "$GW_PID"
sleep 0.3
for i in 1 2 3; do
    wsp --tid "$((20 + i))" --timeout 8 \
        "http://127.0.0.1:$up_PORT/slow?s=8&i=$i" \
        >/dev/null 2>&1 &
    it_register $!
done
sleep 0.5
stop_daemon 5
assert_eq "$GW_RC" 0 "exit status after SIGTERM with requests in flight"

start_daemon "$CONF"
kill -INT "$GW_PID"
n=0
while daemon_alive && [ "$n" -lt 50 ]; do
    sleep 0.1
    n=$((n + 1))
done
daemon_alive && die "daemon still running 5 s after SIGINT"
wait "$GW_PID"
rc=$?
it_unregister "$GW_PID"
GW_PID=
assert_eq "$rc" 0 "exit status after SIGINT"
exit 0
