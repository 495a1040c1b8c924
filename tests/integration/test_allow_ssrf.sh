#!/bin/sh
# tests/integration/test_allow_ssrf.sh - the gateway cannot be turned
# against hosts outside [upstream] allow, nor against loopback through
# DNS (gateway/allow.h "Special addresses", gateway/http.c check 2).
#
# Peers (upstream.py, each logs every TCP connection it accepts):
#   up    - allowed as 127.0.0.1:UP; answers the redirects;
#   other - not in the allow list at all;
#   lh    - allowed only by name, localhost:LH, which resolves to
#           127.0.0.1 (and ::1), a loopback address that no IP entry
#           names.
# follow-redirects is on, so the redirect paths are really exercised.
#
#   1. Direct URL to other: 403, no connection.
#   2. Redirect from up to other (also spelled [::ffff:127.0.0.1] and
#      127.1): the Location is not followed, the handset gets the 302,
#      other sees no connection.
#   3. The DNS name: http://localhost:LH/ directly, in
#      other case, and as a redirect Location from up: 403, lh sees no
#      connection (the name passes check 1; check 2 refuses the
#      loopback address it resolves to).  Over a session too.
#   4. Control: after a reload that adds 127.0.0.1:LH, the same URL is
#      fetched (so the refusals above came from the rule, not from a
#      dead peer), and wspgw_upstream_forbidden_total counted them.
#   5. The same with a name the system resolver maps to 127.0.0.1 in a
#      private mount namespace (see there), direct, by redirect and as
#      mapped MMSC traffic through [mmsc] proxy (the proxy sees nothing).

. "${top_srcdir:?}/tests/integration/lib.sh"

require_peer python3
it_init
it_ports
start_upstream up
start_upstream other
start_upstream lh
U=$up_PORT
O=$other_PORT
L=$lh_PORT
ALLOW="127.0.0.1:$U localhost:$L"
CONF=$T/wspgw.conf
conf() {
    write_config "$CONF"
    printf '\n[upstream]\nfollow-redirects = yes\n' >>"$CONF"
}
conf
start_daemon "$CONF"
base=http://127.0.0.1:$U

# redir LOCATION: an up URL answering 302 with that Location.
redir() {
    "$PYTHON" -c '
import sys, urllib.parse
print("%s/resp?status=302&h=%s" % (sys.argv[1],
      urllib.parse.quote("Location:" + sys.argv[2], safe="")))' "$base" "$1"
}

# st NAME URL: status of one connectionless Get.
st() {
    wsp --out "$T/$1.body" "$2" >"$T/$1.json" \
        || die "$1: no reply for $2: $(cat "$T/$1.json")"
    jget "$T/$1.json" status_hex
}

# none LOG WHAT: the upstream saw no connection at all.
none() {
    assert_eq "$(up_count "$1" conn)" 0 "connections to $2"
}

# 1. Direct.
assert_eq "$(st d1 "http://127.0.0.1:$O/hello")" 0x43 "direct to other"
none "$other_LOG" other

# 2. Redirects to other.
for loc in "http://127.0.0.1:$O/hello" "http://[::ffff:127.0.0.1]:$O/x" \
    "http://127.1:$O/x" "//127.0.0.1:$O/x"
do
    assert_eq "$(st r "$(redir "$loc")")" 0x32 "redirect to $loc"
    none "$other_LOG" "other after a redirect to $loc"
done
# up was asked (the redirect really came from an allowed upstream).
[ "$(up_count "$up_LOG" req GET)" -ge 4 ] || die "up saw no requests"

# 3. The DNS name that resolves to loopback.
assert_eq "$(st n1 "http://localhost:$L/hello")" 0x43 "localhost, direct"
assert_eq "$(st n2 "http://LocalHost:$L/hello")" 0x43 "LocalHost, direct"
assert_eq "$(st n3 "$(redir "http://localhost:$L/hello")")" 0x43 \
    "redirect to localhost"
python3 "$IT_SRC/wtpclient.py" --port "$WTP_PORT" --out "$T/co.body" \
    connect "get=http://localhost:$L/hello" disconnect \
    >"$T/co.json" 2>"$T/co.err" || die "session: $(cat "$T/co.err")"
sleep 0.3
none "$lh_LOG" "lh (allowed by name only)"
grep -q "refusing to connect to 127.0.0.1 for localhost:$L (allow list: \
loopback)" "$GW_LOG" || die "no log line for the refused loopback address"
forb=$(metric wspgw_upstream_forbidden_total)
# d1 + n1 + n2 + n3 + the session's request.
assert_eq "$forb" 5 "wspgw_upstream_forbidden_total"

# 4. Control: name the address explicitly and the same URL works.
ALLOW="127.0.0.1:$U localhost:$L 127.0.0.1:$L"
conf
kill -HUP "$GW_PID"
wait_grep "$GW_LOG" "configuration reloaded" 5 || die "no reload"
assert_eq "$(st ok "http://localhost:$L/hello")" 0x20 \
    "localhost with 127.0.0.1:$L allowed"
[ "$(up_count "$lh_LOG" conn)" -ge 1 ] || die "lh saw no connection"
none "$other_LOG" "other at the end"
assert_eq "$(metric wspgw_upstream_forbidden_total)" 5 \
    "wspgw_upstream_forbidden_total after the allowed request"

stop_daemon
assert_eq "$GW_RC" 0 "exit status after SIGTERM"

# 5. A name that is not "localhost" (libcurl answers "localhost" itself
#    without asking the resolver), resolved by the system resolver to
#    127.0.0.1: the daemon runs in a private mount namespace whose
#    /etc/hosts (a bind mount of $T/hosts) says mmsc.evil.test is
#    127.0.0.1.  The real /etc/hosts is never modified.  Needs
#    unshare(1) and the right to mount; without them this part is skipped
#    (logged), the parts above still stand.
printf '127.0.0.1 mmsc.evil.test\n' >"$T/hosts"
if unshare -m sh -c 'mount --bind "$1" /etc/hosts' sh "$T/hosts" \
    2>/dev/null
then
    cat >"$T/wspgw-ns" <<EOW
#!/bin/sh
exec unshare -m sh -c 'mount --bind "\$0" /etc/hosts && exec "\$@"' \
    "$T/hosts" "$WSPGW" "\$@"
EOW
    chmod +x "$T/wspgw-ns"
    REAL_WSPGW=$WSPGW
    WSPGW=$T/wspgw-ns
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
    [ -s "$T/proxy.port" ] || die "proxy did not start"
    ALLOW="127.0.0.1:$U mmsc.evil.test:$L"
    conf5() {
        conf
        printf '\n[mmsc]\nurl = http://mms.operator/\n' >>"$CONF"
        printf 'map-url = "http://mms.operator/* http://mmsc.evil.test:%s/*"\n' \
            "$L" >>"$CONF"
        printf 'proxy = 127.0.0.1:%s\n' "$(cat "$T/proxy.port")" >>"$CONF"
    }
    conf5
    start_daemon "$CONF"
    lh_before=$(up_count "$lh_LOG" conn)
    assert_eq "$(st e1 "http://mmsc.evil.test:$L/hello")" 0x43 \
        "mmsc.evil.test (127.0.0.1 by /etc/hosts), direct"
    assert_eq "$(st e2 "$(redir "http://mmsc.evil.test:$L/hello")")" 0x43 \
        "redirect to mmsc.evil.test"
    assert_eq "$(st e3 "http://mms.operator/hello")" 0x43 \
        "MMSC traffic mapped to mmsc.evil.test, through the proxy"
    sleep 0.3
    assert_eq "$(up_count "$lh_LOG" conn)" "$lh_before" \
        "connections to lh by mmsc.evil.test"
    assert_eq "$(up_count "$T/proxy.log" conn)" 0 "proxy connections"
    grep -q "refusing to connect to 127.0.0.1 for mmsc.evil.test:$L" \
        "$GW_LOG" || die "no log line for the direct refusal"
    grep -q "refusing GET mmsc.evil.test:$L through the proxy: it \
resolves to 127.0.0.1" "$GW_LOG" || die "no log line for the proxy refusal"
    # Control: the name does resolve inside the namespace.
    ALLOW="127.0.0.1:$U mmsc.evil.test:$L 127.0.0.1:$L"
    conf5
    kill -HUP "$GW_PID"
    _nr=0
    while [ "$(grep -c "configuration reloaded" "$GW_LOG")" -lt 2 ]; do
        [ "$_nr" -lt 50 ] || die "no reload"
        sleep 0.1
        _nr=$((_nr + 1))
    done
    assert_eq "$(st e4 "http://mmsc.evil.test:$L/hello")" 0x20 \
        "mmsc.evil.test with 127.0.0.1:$L allowed"
    # Now the gateway hands it to the proxy.  proxy.py runs outside the
    # namespace and cannot resolve the name itself (it answers 502):
    # what matters is that it was asked, for the mapped URL.
    st e5 "http://mms.operator/hello" >/dev/null
    assert_eq "$(up_count "$T/proxy.log" req)" 1 "requests at the proxy"
    grep -qF "\"target\": \"http://mmsc.evil.test:$L/hello\"" \
        "$T/proxy.log" || die "proxy asked for: $(cat "$T/proxy.log")"
    stop_daemon
    assert_eq "$GW_RC" 0 "exit status after SIGTERM (namespace)"
    WSPGW=$REAL_WSPGW
else
    it_log "part 5 skipped: no unshare -m / mount --bind here"
fi
exit 0
