#!/bin/sh
# tests/integration/test_enrichment.sh - header enrichment (issue 5,
# "Header enrichment"), through the real daemon, with a real RADIUS client
# (radclient, Debian's freeradius-utils) and the python upstream.
#
# Handsets are loopback source addresses (127.0.0.2, ...; wspclient.py
# --source), so the gateway sees a different IP per subscriber.
#   1. A handset's own identity headers (X-MSISDN in any case, X_MSISDN,
#      X-Up-Calling-Line-Id, X-Nokia-MSISDN, X-Forwarded-For, ...) never
#      reach the upstream; the mapped values from the CSV map do, under
#      every configured name, only to hosts in [enrichment] hosts.
#   2. RADIUS via radclient: Start wins over the map, Interim-Update for
#      an unknown address creates a mapping, a Stop of another session
#      changes nothing, the right Stop removes it (the map shows again);
#      an exact retransmission is answered again without side effects.
#      Also over a WSP session (wtpclient.py, port 9201).
#   3. Bad RADIUS packets: a wrong secret (radclient) and truncated or
#      malformed attributes (radius_raw.py) get no answer and are counted.
#   4. SIGHUP reloads the map while requests flow (every request carries
#      the old or the new MSISDN, none is lost); a bad map is refused with
#      FILE:LINE and the old map stays.
#   5. A restart keeps the RADIUS mappings ([enrichment] state, SQLite).
#   6. radius-acct without radius-secret is a configuration error.
#   Throughout, radius-forward copies each accepted request to a second
#   server (radius_raw.py server) with another secret, re-signed.

. "${top_srcdir:?}/tests/integration/lib.sh"

require_peer python3
require_peer radclient
require_peer sqlite3
it_init
it_ports
start_upstream up
start_upstream other
RAD_PORT=$(free_port udp 127.0.0.1) || die "no free UDP port"
SECRET=wspgw-test-secret
FWD_SECRET=operator-secret

# The operator's accounting server, for radius-forward (another secret:
# the gateway re-signs what it forwards).
"$PYTHON" "$IT_SRC/radius_raw.py" --port 0 --secret "$FWD_SECRET" server \
    --port-file "$T/fwd.port" --log "$T/fwd.log" 2>"$T/fwd.err" &
it_register $!
n=0
while [ ! -s "$T/fwd.port" ] && [ "$n" -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
[ -s "$T/fwd.port" ] || die "forward server did not start: $(cat "$T/fwd.err")"
FWD_PORT=$(cat "$T/fwd.port")
ALLOW="127.0.0.1:$up_PORT 127.0.0.1:$other_PORT"
CONF=$T/wspgw.conf
MAP=$T/map.csv
STATE=$T/state.db

cat >"$MAP" <<EOF
# handset address, MSISDN, IMSI
ip,msisdn,imsi
127.0.0.2,358400000002,244050000000002
127.0.0.3,358400000003,
EOF

# IPv6 handsets too, when the host has ::1 (the WSP port is the same on
# both families: the kernel gave it for 127.0.0.1, and ::1 is a separate
# namespace where it is very likely free too; a clash shows at start).
HAVE6=0
"$PYTHON" -c 'import socket; socket.socket(socket.AF_INET6,
    socket.SOCK_DGRAM).bind(("::1", 0))' 2>/dev/null && HAVE6=1
[ "$HAVE6" = 1 ] && BIND="127.0.0.1, ::1"
write_config "$CONF"
cat >>"$CONF" <<EOF

[enrichment]
map = $MAP
radius-acct = 127.0.0.1:$RAD_PORT
radius-secret = $SECRET
msisdn-header = X-MSISDN, X-WAP-Network-Client-MSISDN
imsi-header = X-IMSI
hosts = 127.0.0.1:$up_PORT
state = $STATE
radius-forward = 127.0.0.1:$FWD_PORT
radius-forward-secret = $FWD_SECRET
EOF
start_daemon "$CONF"
base=http://127.0.0.1:$up_PORT

# get SRC PATH [wspclient args]: one Get from handset address SRC.
get() {
    _src=$1
    _path=$2
    shift 2
    it_get_ok "g$(echo "$_path" | tr -c 'a-z0-9' _)" "$base$_path" \
        --source "$_src" "$@"
}

# hv PATH NAME [LOG]: request header NAME of the last GET of PATH.
hv() {
    up_last "${3:-$up_LOG}" "header:$2" GET "$1" \
        || die "no GET $1 reached the upstream"
}

# radius STATUS IP MSISDN SESSION [SECRET] [more attributes]: radclient.
radius() {
    _at="Acct-Status-Type = $1, Framed-IP-Address = $2"
    [ -n "$3" ] && _at="$_at, Calling-Station-Id = \"$3\""
    [ -n "$4" ] && _at="$_at, Acct-Session-Id = \"$4\""
    [ -n "${6:-}" ] && _at="$_at, $6"
    echo "$_at" | radclient -r 1 -t 2 -q "127.0.0.1:$RAD_PORT" acct \
        "${5:-$SECRET}" >>"$T/radclient.log" 2>&1
}

# ---- 1. Handset identity headers and the map ----------------------------
get 127.0.0.5 /hello?n=1 --header "x-msisdn: 111" --header "X-MSISDN: 112" \
    --header "X_MSISDN: 113" --header "X-Up-Calling-Line-Id: 114" \
    --header "X-Nokia-MSISDN: 115" --header "x-wap-network-client-msisdn: 1" \
    --header "X-IMSI: 116" --header "X-Forwarded-For: 10.9.9.9" \
    --header "X-WAP-3GPP-IMSI: 117" --header "Accept-Language: fi"
"$PYTHON" -c '
import json, sys
last = None
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["ev"] == "req" and r["path"] == "/hello?n=1":
        last = r
bad = [k for k, v in last["headers"] if k.lower().replace("_", "-") in (
    "x-msisdn", "x-up-calling-line-id", "x-nokia-msisdn", "x-imsi",
    "x-forwarded-for", "x-wap-3gpp-imsi", "x-wap-network-client-msisdn")]
if bad:
    sys.exit("forged identity headers reached the upstream: %r" % bad)
' "$up_LOG" || die "unknown handset: forged headers passed"
assert_eq "$(hv /hello?n=1 X-WAP-Network-Client-IP)" 127.0.0.5 "client IP"
assert_eq "$(hv /hello?n=1 Accept-Language)" fi "other headers pass"

get 127.0.0.2 /hello?n=2 --header "X-Msisdn: 999"
assert_eq "$(hv /hello?n=2 X-MSISDN)" 358400000002 "map MSISDN (forged one gone)"
assert_eq "$(hv /hello?n=2 X-WAP-Network-Client-MSISDN)" 358400000002 \
    "second msisdn-header name"
assert_eq "$(hv /hello?n=2 X-IMSI)" 244050000000002 "map IMSI"
get 127.0.0.3 /hello?n=3
assert_eq "$(hv /hello?n=3 X-MSISDN)" 358400000003 "map MSISDN, no IMSI"
assert_eq "$(hv /hello?n=3 X-IMSI)" "" "empty IMSI adds no header"

# A host outside [enrichment] hosts gets nothing (and no forgery either).
it_get_ok other "http://127.0.0.1:$other_PORT/hello?n=4" --source 127.0.0.2 \
    --header "X-MSISDN: 999"
assert_eq "$(hv /hello?n=4 X-MSISDN "$other_LOG")" "" \
    "no MSISDN to a host outside hosts"
assert_eq "$(hv /hello?n=4 X-IMSI "$other_LOG")" "" \
    "no IMSI to a host outside hosts"

# ---- 2. RADIUS Start / Interim / Stop (radclient) -------------------------
radius Start 127.0.0.2 358401111112 sess-2 "" \
    '3GPP-IMSI = "244051111111112"' || die "radclient Start got no answer"
get 127.0.0.2 /hello?n=5
assert_eq "$(hv /hello?n=5 X-MSISDN)" 358401111112 "RADIUS Start wins"
assert_eq "$(hv /hello?n=5 X-IMSI)" 244051111111112 "RADIUS 3GPP-IMSI"
assert_eq "$(metric wspgw_radius_acct_start_total)" 1 "Start counted"

radius Interim-Update 127.0.0.6 358401111116 sess-6 \
    || die "radclient Interim got no answer"
get 127.0.0.6 /hello?n=6
assert_eq "$(hv /hello?n=6 X-MSISDN)" 358401111116 "Interim creates"

# The same over a WSP session (co.c).
"$PYTHON" "$IT_SRC/wtpclient.py" --port "$WTP_PORT" --source 127.0.0.6 \
    --timeout 10 --header "X-MSISDN: 999" connect "get=$base/hello?n=co" \
    disconnect >"$T/co.json" 2>"$T/co.err" \
    || die "wtpclient: $(head -c 1000 "$T/co.json") $(cat "$T/co.err")"
assert_eq "$(hv /hello?n=co X-MSISDN)" 358401111116 "session-mode enrichment"

radius Stop 127.0.0.2 358409999999 sess-old \
    || die "radclient Stop (other session) got no answer"
get 127.0.0.2 /hello?n=7
assert_eq "$(hv /hello?n=7 X-MSISDN)" 358401111112 \
    "a Stop of another session changes nothing"
radius Stop 127.0.0.2 358401111112 sess-2 || die "radclient Stop no answer"
get 127.0.0.2 /hello?n=8
assert_eq "$(hv /hello?n=8 X-MSISDN)" 358400000002 \
    "after Stop the map shows again"
assert_eq "$(metric wspgw_radius_acct_stop_total)" 2 "Stops counted"
assert_eq "$(metric wspgw_radius_acct_interim_total)" 1 "Interim counted"

# An exact retransmission: answered again, identically, no side effect.
"$PYTHON" "$IT_SRC/radius_raw.py" --port "$RAD_PORT" --secret "$SECRET" \
    dup --ip 127.0.0.7 --msisdn 358401111117 >"$T/dup.json" \
    || die "radius_raw dup failed"
assert_eq "$(jget "$T/dup.json" valid)" 2 "both copies answered, verified"
assert_eq "$(jget "$T/dup.json" identical)" True "same answer twice"
assert_eq "$(metric wspgw_radius_duplicates_total)" 1 "duplicate counted"
assert_eq "$(metric wspgw_radius_acct_start_total)" 2 \
    "the duplicate was not applied twice"
get 127.0.0.7 /hello?n=9
assert_eq "$(hv /hello?n=9 X-MSISDN)" 358401111117 "raw Start applied"

# Every accepted request (not the retransmission) went to the operator's
# server, re-signed with its secret, and its answers were verified.
wait_grep "$T/fwd.log" '"status": 1' || die "nothing forwarded"
n=0
while [ "$(metric wspgw_radius_forward_answers_total)" != 5 ] \
    && [ "$n" -lt 30 ]; do sleep 0.1; n=$((n + 1)); done
assert_eq "$(grep -c '"verified": true' "$T/fwd.log")" 5 \
    "forwarded requests verified with the operator's secret"
assert_eq "$(grep -c '"verified": false' "$T/fwd.log")" 0 \
    "forwarded requests that do not verify"
assert_eq "$(metric wspgw_radius_forwarded_total)" 5 "forwarded counted"
assert_eq "$(metric wspgw_radius_forward_answers_total)" 5 \
    "the operator's answers verified and counted"

# Dual stack: a Start with Framed-IP-Address and Framed-IPv6-Prefix maps
# both; the whole /64 (here ::/64, so the IPv6 handset ::1) gets the
# MSISDN, and so does the IPv4 address.
if [ "$HAVE6" = 1 ]; then
    radius Start 127.0.0.12 358401111160 sess-v6 "" \
        'Framed-IPv6-Prefix = ::/64' || die "radclient v6 Start no answer"
    WSP_HOST=::1 it_get_ok v6 "$base/hello?n=v6" --source ::1
    assert_eq "$(hv /hello?n=v6 X-MSISDN)" 358401111160 \
        "IPv6 handset inside a Framed-IPv6-Prefix"
    get 127.0.0.12 /hello?n=v6b
    assert_eq "$(hv /hello?n=v6b X-MSISDN)" 358401111160 \
        "the same Start's IPv4 address"
fi

# ---- 3. Bad RADIUS packets ------------------------------------------------
if radius Start 127.0.0.8 358401111118 sess-8 wrong-secret; then
    die "a request signed with the wrong secret was answered"
fi
assert_eq "$(metric wspgw_radius_bad_authenticator_total)" 1 \
    "wrong authenticator counted (radclient -r 1: one attempt)"
get 127.0.0.8 /hello?n=10
assert_eq "$(hv /hello?n=10 X-MSISDN)" "" "a forged Start maps nothing"

"$PYTHON" "$IT_SRC/radius_raw.py" --port "$RAD_PORT" --secret "$SECRET" \
    truncated >"$T/trunc.json" || die "radius_raw truncated failed"
sent=$(jget "$T/trunc.json" sent)
[ "$sent" -gt 20 ] || die "only $sent malformed packets sent"
assert_eq "$(jget "$T/trunc.json" answers)" 0 "malformed packets answered"
assert_eq "$(metric wspgw_radius_malformed_total)" "$sent" \
    "malformed packets counted"
daemon_alive || die "daemon died on malformed RADIUS"
grep -q "radius 127.0.0.1:[0-9]*: malformed request dropped" "$GW_LOG" \
    || die "no log line for a malformed request"

# ---- 4. SIGHUP reloads the map while requests flow -----------------------
"$PYTHON" - "$IT_SRC" "$WSP_PORT" "$base" >"$T/flow.json" <<'EOF' &
import json, subprocess, sys
src, port, base = sys.argv[1:4]
ok = 0
for i in range(40):
    r = subprocess.run([sys.executable, src + "/wspclient.py", "--port", port,
                        "--source", "127.0.0.3", "--retries", "2",
                        "--timeout", "2", "--field", "status_hex",
                        base + "/hello?flow=%d" % i],
                       capture_output=True, text=True)
    ok += r.stdout.strip() == "0x20"
print(json.dumps({"ok": ok}))
EOF
flow=$!
sleep 0.5
sed 's/^127.0.0.3,358400000003,$/127.0.0.3,358400000033,244050000000033/' \
    "$MAP" >"$MAP.new" && mv "$MAP.new" "$MAP"
kill -HUP "$GW_PID"
wait "$flow"
assert_eq "$(jget "$T/flow.json" ok)" 40 "requests during the reload"
"$PYTHON" -c '
import json, sys
seen = []
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["ev"] == "req" and r["path"].startswith("/hello?flow="):
        v = [val for k, val in r["headers"] if k.lower() == "x-msisdn"]
        seen.append(v[0] if len(v) == 1 else repr(v))
if len(seen) != 40 or set(seen) - {"358400000003", "358400000033"}:
    sys.exit("bad MSISDNs during the reload: %r" % seen)
if seen[-1] != "358400000033":
    sys.exit("new map not in use at the end: %r" % seen[-3:])
' "$up_LOG" || die "map reload while requests flow"
wait_grep "$GW_LOG" "enrichment map $MAP reloaded: 2 entries" \
    || die "no reload log line"
get 127.0.0.3 /hello?n=11
assert_eq "$(hv /hello?n=11 X-IMSI)" 244050000000033 "new map's IMSI"

# A bad map: refused with FILE:LINE, the old one stays.
printf '127.0.0.3,358400000044,\nnot-an-ip,1,\n' >"$MAP"
kill -HUP "$GW_PID"
wait_grep "$GW_LOG" "$MAP:2: bad IP address" || die "bad map not reported"
assert_eq "$(metric wspgw_enrich_map_load_failures_total)" 1 \
    "refused map counted"
get 127.0.0.3 /hello?n=12
assert_eq "$(hv /hello?n=12 X-MSISDN)" 358400000033 "old map kept"

# ---- 5. A restart keeps the RADIUS mappings --------------------------------
writes=$(metric wspgw_radius_state_writes_total)
wus=$(metric wspgw_radius_state_write_us_total)
it_log "state: $writes writes, $wus us in all"
stop_daemon
assert_eq "$GW_RC" 0 "daemon exit status"
printf '127.0.0.2,358400000002,244050000000002\n' >"$MAP"
start_daemon "$CONF"
get 127.0.0.6 /hello?n=13
assert_eq "$(hv /hello?n=13 X-MSISDN)" 358401111116 "Interim mapping survived"
get 127.0.0.7 /hello?n=14
assert_eq "$(hv /hello?n=14 X-MSISDN)" 358401111117 "Start mapping survived"
get 127.0.0.2 /hello?n=15
assert_eq "$(hv /hello?n=15 X-MSISDN)" 358400000002 "stopped one stays gone"
[ "$(sqlite3 "$STATE" 'PRAGMA journal_mode')" = wal ] \
    || die "state file not in WAL mode"
stop_daemon

# ---- 6. radius-acct needs radius-secret --------------------------------------
grep -v '^radius-secret' "$CONF" >"$T/nosecret.conf"
if "$WSPGW" -c "$T/nosecret.conf" --check-config >"$T/check.out" 2>&1; then
    die "radius-acct without radius-secret accepted"
fi
grep -q "nosecret.conf:[0-9]*: enrichment.radius-acct needs" "$T/check.out" \
    || die "no FILE:LINE for the missing secret: $(cat "$T/check.out")"
printf 'bad line\n' >"$MAP"
if "$WSPGW" -c "$CONF" --check-config >"$T/check2.out" 2>&1; then
    die "--check-config accepted a bad map"
fi
grep -q "$MAP:1: want ip,msisdn,imsi" "$T/check2.out" \
    || die "--check-config: no FILE:LINE for the map: $(cat "$T/check2.out")"
exit 0
