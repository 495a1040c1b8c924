#!/bin/sh
# tests/integration/test_cookie_jar.sh - the gateway's cookie jar per WSP
# session ([wsp] cookie-jar; gateway/cookies.c, gateway/co.c), through
# the real daemon, with wtpclient.py as the handset (WTP + WSP sessions)
# and upstream.py's /cookie routes as the origin.
#
# Checks, with cookie-jar = yes and follow-redirects = yes:
#   1. a cookie set by a response (Set-Cookie) is sent upstream with the
#      next request of the same session; the Reply still carries the
#      Set-Cookie to the handset (passed through unchanged);
#   2. another session (another handset) does not get it;
#   3. after Disconnect, a new session from the same handset address
#      does not get it (the jar was freed: counters created = freed);
#   4. the handset's own Cookie header wins by name, the jar adds the
#      others in one Cookie header;
#   5. a cookie set on a followed 302 (a login) reaches the next hop and
#      the session's later requests; a hop to another host (localhost,
#      also allowed) gets neither that host-only cookie nor the
#      handset's own Cookie header;
#   6. a cookie deleted by the upstream (Max-Age=0) is no longer sent;
#   7. connectionless requests (port 9200) have no jar;
#   8. the access log names the final URL and the hop count of a
#      followed redirect;
# and with cookie-jar = no (the default):
#   9. nothing is added: the upstream sees no Cookie header, no jar is
#      made;
# and with session-idle-timeout = 1000 ms:
#  10. a session that expires takes its jar with it.

. "${top_srcdir:?}/tests/integration/lib.sh"

require_peer python3
it_init
it_ports
start_upstream up
ALLOW="127.0.0.1:$up_PORT localhost:$up_PORT"
ACCESS_LOG=$T/access.log
CONF=$T/wspgw.conf
write_config "$CONF"
cp "$CONF" "$T/wspgw-off.conf"
cat >>"$CONF" <<EOF

[upstream]
follow-redirects = yes

[wsp]
cookie-jar = yes
EOF
start_daemon "$T/wspgw.conf"
base=http://127.0.0.1:$up_PORT

# session NAME [wtpclient args and ops]: one wtpclient run (one source
# port: one handset); JSON in $T/NAME.json.
session() {
    _sn=$1
    shift
    "$PYTHON" "$IT_SRC/wtpclient.py" --port "$WTP_PORT" --timeout 10 \
        "$@" >"$T/$_sn.json" 2>"$T/$_sn.err" || die "$_sn: wtpclient \
failed: $(head -c 3000 "$T/$_sn.json") $(cat "$T/$_sn.err")"
}

# cookie_at PATH: the Cookie header of the last upstream request for
# PATH ("" when it had none).
cookie_at() {
    up_last "$up_LOG" header:Cookie GET "$1" || die "no request for $1"
}

# ophdr NAME I HEADER: a header of the I-th op's Reply in $T/NAME.json.
ophdr() {
    "$PYTHON" -c '
import json, sys
op = json.load(open(sys.argv[1]))["ops"][int(sys.argv[2])]
print(", ".join(str(v) for k, v in op.get("headers", [])
                if str(k).lower() == sys.argv[3].lower()))' \
        "$T/$1.json" "$2" "$3"
}

set_sid="$base/cookie/set?c=sid%3Dabc%3B%20Path%3D%2F"

# ---- 1. Same session ------------------------------------------------------
session s1 connect "get=$set_sid" "get=$base/cookie/show?t=1" \
    "get=$base/cookie/show?t=1b" disconnect
assert_eq "$(cookie_at "/cookie/show?t=1")" "sid=abc" \
    "cookie in the next request of the session"
assert_eq "$(cookie_at "/cookie/show?t=1b")" "sid=abc" \
    "cookie in a later request of the session"
assert_eq "$(ophdr s1 1 Set-Cookie)" "sid=abc; Path=/" \
    "Set-Cookie passed through to the handset"
[ "$(jget "$T/s1.json" ops.2.body_len)" = 7 ] || die "show body: \
$(jget "$T/s1.json" ops.2)"

# ---- 2. Another session ---------------------------------------------------
session s2a connect "get=$set_sid" "sleep=0.5" "get=$base/cookie/show?t=2a" \
    disconnect &
s2a_pid=$!
session s2b connect "sleep=0.2" "get=$base/cookie/show?t=2b" "sleep=0.5" \
    disconnect
wait "$s2a_pid" || die "session s2a failed"
assert_eq "$(cookie_at "/cookie/show?t=2a")" "sid=abc" \
    "the first handset's own session"
assert_eq "$(cookie_at "/cookie/show?t=2b")" "" \
    "a concurrent other session got the cookie"

# ---- 3. After Disconnect, same handset ------------------------------------
session s3 connect "get=$set_sid" disconnect connect \
    "get=$base/cookie/show?t=3" disconnect
assert_eq "$(cookie_at "/cookie/show?t=3")" "" \
    "a new session after Disconnect got the old session's cookie"

# ---- 4. The handset's own cookies win by name -----------------------------
session s4 --header "Cookie: sid=mine" connect \
    "get=$base/cookie/set?c=sid%3Djar&c=lang%3Den" \
    "get=$base/cookie/show?t=4" disconnect
assert_eq "$(cookie_at "/cookie/show?t=4")" "sid=mine; lang=en" \
    "own cookie first and winning, the jar's others added"

# ---- 5. A cookie set on a followed redirect -------------------------------
login="$base/cookie/login?c=auth%3Dtok%3B%20Path%3D%2F&next=%2Fcookie%2Fshow%3Ft%3Dhop"
session s5 connect "get=$login" "get=$base/cookie/show?t=5" disconnect
assert_eq "$(cookie_at "/cookie/show?t=hop")" "auth=tok" \
    "cookie set on the 302 sent to the next hop"
assert_eq "$(cookie_at "/cookie/show?t=5")" "auth=tok" \
    "cookie set on the 302 kept for the session"
assert_eq "$(jget "$T/s5.json" ops.1.status_hex)" 0x20 \
    "the handset got the final 200"
# To another host: neither the host-only cookie nor the handset's own.
other="http%3A%2F%2Flocalhost%3A$up_PORT%2Fcookie%2Fshow%3Ft%3Dother"
session s5b --header "Cookie: mine=1" connect \
    "get=$base/cookie/login?c=auth%3Dtok2%3B%20Path%3D%2F&next=$other" \
    "get=$base/cookie/show?t=5b" disconnect
assert_eq "$(up_count "$up_LOG" req GET "/cookie/show?t=other")" 1 \
    "the hop to localhost was made"
assert_eq "$(cookie_at "/cookie/show?t=other")" "" \
    "Cookie sent to another host on a redirect"
assert_eq "$(cookie_at "/cookie/show?t=5b")" "mine=1; auth=tok2" \
    "back on the first host: own cookie plus the one the 302 set"

# ---- 6. Deleted by the upstream -------------------------------------------
session s6 connect "get=$set_sid" \
    "get=$base/cookie/set?c=sid%3D%3B%20Path%3D%2F%3B%20Max-Age%3D0" \
    "get=$base/cookie/show?t=6" disconnect
assert_eq "$(cookie_at "/cookie/show?t=6")" "" "deleted cookie still sent"

# ---- 7. Connectionless: no jar ---------------------------------------------
wsp --tid 0x01 "$set_sid" >"$T/cl1.json" || die "cl set: $(cat "$T/cl1.json")"
wsp --tid 0x02 "$base/cookie/show?t=7" >"$T/cl2.json" || die "cl show"
assert_eq "$(cookie_at "/cookie/show?t=7")" "" \
    "a connectionless request got a cookie"

# ---- 8. Access log ----------------------------------------------------------
wait_grep "$ACCESS_LOG" "cookie/show?t=6" || die "access log incomplete"
line=$(grep -F "/cookie/login?c=auth%3Dtok%3B" "$ACCESS_LOG") || \
    die "no access log line for the login: $(cat "$ACCESS_LOG")"
case $line in
    *" co GET $login 200 "*"ms redirects=1 final=$base/cookie/show?t=hop")
        ;;
    *) die "access log line of the followed redirect: $line" ;;
esac
grep -F "/cookie/show?t=5 " "$ACCESS_LOG" | grep -q "redirects=" && \
    die "a line without redirects has the redirect fields"

# ---- Counters ---------------------------------------------------------------
jars=$(metric wspgw_cookie_jars_created_total)
[ "$jars" -ge 7 ] || die "jars created: $jars"
assert_eq "$(metric wspgw_cookie_jars_freed_total)" "$jars" \
    "jars freed (every session disconnected)"
[ "$(metric wspgw_cookie_requests_total)" -ge 8 ] || \
    die "requests with jar cookies: $(metric wspgw_cookie_requests_total)"
[ "$(metric wspgw_cookies_stored_total)" -ge 9 ] || \
    die "cookies stored: $(metric wspgw_cookies_stored_total)"
stop_daemon
assert_eq "$GW_RC" 0 "daemon exit status"

# ---- 9. Jar off (the default) ----------------------------------------------
cat >>"$T/wspgw-off.conf" <<EOF

[upstream]
follow-redirects = yes
EOF
start_daemon "$T/wspgw-off.conf"
session s9 connect "get=$set_sid" "get=$base/cookie/show?t=9" \
    "get=$login" disconnect
assert_eq "$(cookie_at "/cookie/show?t=9")" "" "jar off: cookie added"
assert_eq "$(ophdr s9 1 Set-Cookie)" "sid=abc; Path=/" \
    "jar off: Set-Cookie reaches the handset"
assert_eq "$(metric wspgw_cookie_jars_created_total)" 0 "jar off: jars"
stop_daemon
assert_eq "$GW_RC" 0 "daemon exit status (jar off)"

# ---- 10. Idle timeout frees the jar -----------------------------------------
echo "session-idle-timeout = 1000" >>"$T/wspgw.conf"
start_daemon "$T/wspgw.conf"
"$PYTHON" "$IT_SRC/wtpclient.py" --port "$WTP_PORT" --timeout 10 connect \
    "get=$set_sid" "sleep=2.5" "get=$base/cookie/show?t=idle" \
    >"$T/s10.json" 2>"$T/s10.err"
rc=$?
assert_eq "$rc" 3 "wtpclient exit status (the Get after expiry aborted)"
assert_eq "$(jget "$T/s10.json" ops.3.result)" abort "Get after expiry"
assert_eq "$(metric wspgw_cookie_jars_created_total)" 1 "idle: jar made"
assert_eq "$(metric wspgw_cookie_jars_freed_total)" 1 \
    "idle: jar freed with the expired session"
assert_eq "$(up_count "$up_LOG" req GET "/cookie/show?t=idle")" 0 \
    "a Get of an expired session reached the upstream"
stop_daemon
assert_eq "$GW_RC" 0 "daemon exit status (idle)"
exit 0
