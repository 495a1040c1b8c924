#!/bin/sh
# tests/integration/test_mmsc_route.sh - [mmsc] routing through the real
# daemon (gateway/urlmap.h, gateway/http.c "Proxy").
#
# Peers: upstream.py as the real MMSC ("mmsc", allowed), a second
# upstream that is not allowed ("other"), a third reachable only by the
# name localhost ("lh": allow has localhost:LH but no 127.0.0.1:LH), and
# tests/integration/proxy.py, a forwarding proxy that logs every
# connection and request it gets.
#
# Direct (no proxy):
#   1. The provisioned MMSC URL (http://mms.operator/) POSTed by a handset
#      reaches the MMSC's real URL (/echo) with its body; the access log
#      has the handset's URL and upstream=the real one.
#   2. Prefix rule: the remainder is appended verbatim; a trailing '/'
#      stays, its absence stays, case in the path stays, the query stays;
#      scheme and host match case-insensitively.
#   3. Short URLs: "mms", "http://mms" and the bare host of url go to url.
#   4. A rule whose target is not in the allow list: 403, and "other"
#      never sees a connection.
#   5. Over a WSP session (wtpclient.py) the same mapping applies.
# With [mmsc] proxy (SIGHUP reload):
#   6. MMSC traffic goes through the proxy, which is asked for the mapped
#      URL (absolute form), and the MMSC gets it from the proxy.
#   7. Traffic that is not MMSC traffic goes direct: the proxy sees
#      nothing.
#   8. MMSC traffic mapped to a host outside the allow list, or to
#      localhost:LH (allowed by name, resolves to loopback, no IP entry),
#      is refused (403) before the proxy is asked: no new proxy
#      connection, nothing at "other" or "lh".
#   9. Counters: wspgw_urls_mapped_total, wspgw_upstream_forbidden_total.

. "${top_srcdir:?}/tests/integration/lib.sh"

require_peer python3
it_init
it_ports
start_upstream mmsc
start_upstream other
start_upstream lh
M=$mmsc_PORT
ACCESS_LOG=$T/access.log
ALLOW="127.0.0.1:$M localhost:$lh_PORT"
CONF=$T/wspgw.conf

# mmsc_section [PROXY]: the [mmsc] part of the configuration.
mmsc_section() {
    echo ""
    echo "[mmsc]"
    echo "url = http://mms.operator/"
    echo "short-url = mms"
    echo "map-url = http://mms.operator/ http://127.0.0.1:$M/echo"
    echo "map-url = http://mms.operator/forbidden/* http://127.0.0.1:$other_PORT/*"
    echo "map-url = http://mms.operator/lh/* http://localhost:$lh_PORT/*"
    echo "map-url = \"http://mms.operator/* http://127.0.0.1:$M/mmsc/*\""
    echo "map-url = http://portal.example/* http://127.0.0.1:$M/portal/*"
    if [ -n "${1:-}" ]; then
        echo "proxy = $1"
    fi
}

write_config "$CONF"
mmsc_section >>"$CONF"
start_daemon "$CONF"

# path_seen LOG PATH: how many requests for exactly PATH the log has.
path_seen() {
    up_count "$1" req "" "$2"
}

# get NAME URL: one connectionless Get; prints the status.
get() {
    wsp --out "$T/$1.body" "$2" >"$T/$1.json" \
        || die "$1: no reply for $2: $(cat "$T/$1.json")"
    jget "$T/$1.json" status_hex
}

# 1. The provisioned URL, POSTed: the body reaches the real MMSC URL.
printf 'MMS-PDU-BYTES' >"$T/pdu.bin"
wsp --tid 0x11 --content-type application/vnd.wap.mms-message \
    --data-file "$T/pdu.bin" --out "$T/post.body" "http://mms.operator/" \
    >"$T/post.json" || die "post: no reply: $(cat "$T/post.json")"
assert_eq "$(jget "$T/post.json" status_hex)" 0x20 "POST to the MMSC status"
assert_eq "$(cat "$T/post.body")" "MMS-PDU-BYTES" "POST body echoed by the MMSC"
assert_eq "$(up_count "$mmsc_LOG" req POST /echo)" 1 "POSTs at /echo"
wait_grep "$ACCESS_LOG" "http://mms.operator/ 200 " \
    || die "access log lacks the handset URL: $(cat "$ACCESS_LOG")"
grep -F "http://mms.operator/ 200 " "$ACCESS_LOG" \
    | grep -qF "upstream=http://127.0.0.1:$M/echo" \
    || die "access log lacks the mapped URL: $(cat "$ACCESS_LOG")"

# 2. Prefix rule: remainder verbatim.
for pair in \
    "http://mms.operator/a/b/|/mmsc/a/b/" \
    "http://mms.operator/a/b|/mmsc/a/b" \
    "HTTP://MMS.Operator/Up/Case|/mmsc/Up/Case" \
    "http://mms.operator/q?x=1&y=/|/mmsc/q?x=1&y=/" \
    "http://portal.example/p/|/portal/p/"
do
    url=${pair%%|*}
    want=${pair#*|}
    st=$(get pfx "$url")
    # 0x44: upstream.py has no such page; what matters is the path asked.
    assert_eq "$(path_seen "$mmsc_LOG" "$want")" 1 "$url asked as $want \
(status $st; log: $(tail -n 2 "$mmsc_LOG"))"
done
# The slash variants are distinct requests: /mmsc/a/b/ and /mmsc/a/b
# were each asked exactly once above, none was rewritten into the other.

# 3. Short URLs.
n0=$(up_count "$mmsc_LOG" req GET /echo)
for url in mms http://mms MMS mms.operator http://mms.operator; do
    assert_eq "$(get short "$url")" 0x20 "short URL $url status"
done
assert_eq "$(up_count "$mmsc_LOG" req GET /echo)" $((n0 + 5)) \
    "short URLs that reached /echo"
# Not short: something follows the name.
st=$(wsp --timeout 3 --field status_hex "mms/x") || true
it_log "mms/x -> $st (not a short URL, not a usable URL)"
assert_eq "$(up_count "$mmsc_LOG" req GET /echo)" $((n0 + 5)) \
    "mms/x must not reach the MMSC"

# 4. A rule to a host outside the allow list.
assert_eq "$(get forb "http://mms.operator/forbidden/x")" 0x43 \
    "mapped to a forbidden host"
assert_eq "$(up_count "$other_LOG" conn)" 0 "connections to other"

# 5. The same over a session.
python3 "$IT_SRC/wtpclient.py" --port "$WTP_PORT" --out "$T/co.body" \
    connect "get=http://mms.operator/co/path/" disconnect \
    >"$T/co.json" 2>"$T/co.err" || die "session: $(cat "$T/co.err")"
assert_eq "$(path_seen "$mmsc_LOG" /mmsc/co/path/)" 1 \
    "session GET mapped with its trailing slash"
wait_grep "$ACCESS_LOG" "upstream=http://127.0.0.1:$M/mmsc/co/path/" \
    || die "access log lacks the session's mapped URL"

mapped=$(metric wspgw_urls_mapped_total)
[ "$mapped" -ge 13 ] || die "wspgw_urls_mapped_total is $mapped, want >= 13"

# ---- with the proxy ------------------------------------------------------
: >"$T/proxy.log"
"$PYTHON" "$IT_SRC/proxy.py" --port 0 --port-file "$T/proxy.port" \
    --log "$T/proxy.log" 2>"$T/proxy.stderr" &
PX_PID=$!
it_register "$PX_PID"
n=0
while [ ! -s "$T/proxy.port" ] && [ "$n" -lt 50 ]; do
    sleep 0.1
    n=$((n + 1))
done
[ -s "$T/proxy.port" ] || die "proxy did not start: $(cat "$T/proxy.stderr")"
PX=$(cat "$T/proxy.port")

write_config "$CONF"
mmsc_section "127.0.0.1:$PX" >>"$CONF"
kill -HUP "$GW_PID"
wait_grep "$GW_LOG" "configuration reloaded" 5 || die "no reload"

# proxied COUNT: requests the proxy was asked.
proxied() {
    up_count "$T/proxy.log" req
}

# 6. MMSC traffic through the proxy, asked for the mapped URL.
assert_eq "$(get px1 "http://mms.operator/")" 0x20 "proxied MMSC GET"
assert_eq "$(proxied)" 1 "requests at the proxy"
assert_eq "$("$PYTHON" -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["ev"] == "req":
        print(r["method"], r["target"])' "$T/proxy.log")" \
    "GET http://127.0.0.1:$M/echo" "what the proxy was asked"
assert_eq "$(path_seen "$mmsc_LOG" /mmsc/x/)" 0 "before"
get px2 "http://mms.operator/x/" >/dev/null
assert_eq "$(proxied)" 2 "requests at the proxy"
assert_eq "$(path_seen "$mmsc_LOG" /mmsc/x/)" 1 \
    "the MMSC got the proxied request, trailing slash kept"
# Short URL through the proxy too.
assert_eq "$(get px3 mms)" 0x20 "short URL through the proxy"
assert_eq "$(proxied)" 3 "requests at the proxy"

# 7. Not MMSC traffic: direct.
get px4 "http://portal.example/direct" >/dev/null
get px5 "http://127.0.0.1:$M/hello" >/dev/null
assert_eq "$(proxied)" 3 "requests at the proxy after non-MMSC traffic"
assert_eq "$(path_seen "$mmsc_LOG" /portal/direct)" 1 "direct portal GET"

# 8. Refused before the proxy is asked.
conns=$(up_count "$T/proxy.log" conn)
forb0=$(metric wspgw_upstream_forbidden_total)
assert_eq "$(get px6 "http://mms.operator/forbidden/y")" 0x43 \
    "proxied request to a host outside the allow list"
assert_eq "$(get px7 "http://mms.operator/lh/hello")" 0x43 \
    "proxied request to a name that resolves to loopback"
sleep 0.3
assert_eq "$(up_count "$T/proxy.log" conn)" "$conns" \
    "proxy connections after refused requests"
assert_eq "$(proxied)" 3 "requests at the proxy after refused requests"
assert_eq "$(up_count "$other_LOG" conn)" 0 "connections to other"
assert_eq "$(up_count "$lh_LOG" conn)" 0 "connections to lh"
assert_eq "$(metric wspgw_upstream_forbidden_total)" $((forb0 + 2)) \
    "wspgw_upstream_forbidden_total"
grep -q "resolves to 127.0.0.1" "$GW_LOG" \
    || die "no log line naming the loopback answer"

stop_daemon
assert_eq "$GW_RC" 0 "exit status after SIGTERM"
exit 0
