#!/bin/sh
# tests/integration/test_http_redirect.sh - upstream redirects
# ([upstream] follow-redirects, max-redirects; gateway/http.c header).
#
# Checks, through the real daemon to upstream.py:
#   1. follow-redirects = no (the default): a 302 reaches the handset as
#      WSP 0x32 with its Location, and nothing else is fetched.
#   2. follow-redirects = yes, max-redirects = 3:
#      - a GET through 302 and a relative Location ends in the 200;
#      - a POST through 302, and through 303, arrives as a GET without
#        body or Content-Type (RFC 9110 15.4.3, 15.4.4); a 303 chain of
#        two hops too;
#      - a POST through 307 and 308 is repeated with the same body;
#      - a Location whose host:port is not in the allow list is not
#        followed: the handset gets the 302 with its Location, and that
#        upstream sees no connection at all;
#      - the handset's Authorization and Cookie follow a same-origin hop
#        but not a hop to another origin (RFC 9110 15.4);
#      - past max-redirects the handset gets the last 302 (1 + 3
#        requests made);
#      - over a session (wtpclient.py) a GET is followed as well.
#   3. The access log keeps the URL the handset asked for and, when
#      redirects were followed, adds "redirects=N final=URL" (connectionless
#      and session lines); lines without a followed redirect (the 3xx
#      handed back, a plain request) have no such fields.

. "${top_srcdir:?}/tests/integration/lib.sh"

require_peer python3
it_init
it_ports
start_upstream up
start_upstream other
ALLOW="127.0.0.1:$up_PORT localhost:$up_PORT"
ACCESS_LOG=$T/access.log
CONF=$T/wspgw.conf
write_config "$CONF"
start_daemon "$CONF"
base=http://127.0.0.1:$up_PORT
obase=http://127.0.0.1:$other_PORT

# resp_url STATUS LOCATION: an upstream.py /resp URL answering STATUS
# with that Location (query-encoded).
resp_url() {
    "$PYTHON" -c '
import sys, urllib.parse
print("%s/resp?status=%s&h=%s" % (sys.argv[1], sys.argv[2],
      urllib.parse.quote("Location:" + sys.argv[3], safe="")))' \
        "$base" "$1" "$2"
}

# reply NAME URL [wspclient args]: one request; prints status_hex.
reply() {
    _rn=$1
    _ru=$2
    shift 2
    wsp --out "$T/$_rn.body" "$@" "$_ru" >"$T/$_rn.json" \
        || die "$_rn: no reply: $(cat "$T/$_rn.json")"
    jget "$T/$_rn.json" status_hex
}

# rhdr NAME HEADER: a header of the Reply in $T/NAME.json.
rhdr() {
    "$PYTHON" -c '
import json, sys
h = json.load(open(sys.argv[1]))["headers"]
items = h.items() if isinstance(h, dict) else h
print(", ".join(str(v) for k, v in items if str(k).lower() == sys.argv[2]))
' "$T/$1.json" "$(echo "$2" | tr A-Z a-z)"
}

printf 'a body that must not be sent twice\n' >"$T/body.txt"
want=$(sha256sum "$T/body.txt" | cut -d' ' -f1)
POST="--method post --data-file $T/body.txt --content-type text/plain"

# ---- 1. Not following (default) ----------------------------------------
u=$(resp_url 302 "$base/echo?r=off")
assert_eq "$(reply off "$u" --tid 0x01)" 0x32 "302 handed to the handset"
assert_eq "$(rhdr off Location)" "$base/echo?r=off" "Location in the Reply"
assert_eq "$(up_count "$up_LOG" req GET "/echo?r=off")" 0 \
    "follow-redirects = no fetched the Location"

# ---- 2. Following -------------------------------------------------------
stop_daemon
cat >>"$CONF" <<EOC

[upstream]
follow-redirects = yes
max-redirects = 3
EOC
start_daemon "$CONF"

u=$(resp_url 302 "$base/echo?r=get")
assert_eq "$(reply get "$u" --tid 0x10)" 0x20 "GET through 302"
assert_eq "$(up_count "$up_LOG" req GET "/echo?r=get")" 1 "GET /echo?r=get"

u=$(resp_url 302 "/echo?r=rel")
assert_eq "$(reply rel "$u" --tid 0x11)" 0x20 "relative Location"
assert_eq "$(up_count "$up_LOG" req GET "/echo?r=rel")" 1 "GET /echo?r=rel"

for st in 302 303; do
    u=$(resp_url "$st" "$base/echo?r=p$st")
    # shellcheck disable=SC2086
    assert_eq "$(reply "p$st" "$u" --tid "0x2${st#30}" $POST)" 0x20 \
        "POST through $st"
    assert_eq "$(up_count "$up_LOG" req POST "/echo?r=p$st")" 0 \
        "POST re-sent after $st"
    assert_eq "$(up_count "$up_LOG" req GET "/echo?r=p$st")" 1 \
        "GET after POST $st"
    assert_eq "$(up_last "$up_LOG" body_len GET "/echo?r=p$st")" 0 \
        "body after $st"
    assert_eq "$(up_last "$up_LOG" header:Content-Type GET "/echo?r=p$st")" \
        "" "Content-Type after $st"
done
# The first hop got the POST with its body, once.
assert_eq "$(up_count "$up_LOG" req POST \
    "$(echo "$(resp_url 302 "$base/echo?r=p302")" | sed "s|^$base||")")" 1 \
    "the POST itself"

# shellcheck disable=SC2086
assert_eq "$(reply c303 "$base/redir?n=2&status=303" --tid 0x30 $POST)" \
    0x20 "POST through two 303s"
assert_eq "$(up_count "$up_LOG" req POST "/redir?n=2&status=303")" 1 \
    "the POST of the 303 chain"
assert_eq "$(up_count "$up_LOG" req GET "/redir?n=1&status=303")" 1 \
    "hop 1 of the 303 chain"
assert_eq "$(up_count "$up_LOG" req GET "/redir?n=0&status=303")" 1 \
    "hop 2 of the 303 chain"

for st in 307 308; do
    # shellcheck disable=SC2086
    assert_eq "$(reply "p$st" "$base/redir?n=1&status=$st" --tid \
        "0x4${st#30}" $POST)" 0x20 "POST through $st"
    assert_eq "$(up_count "$up_LOG" req POST "/redir?n=0&status=$st")" 1 \
        "POST repeated after $st"
    assert_eq "$(up_last "$up_LOG" body_sha256 POST \
        "/redir?n=0&status=$st")" "$want" "body after $st"
    cmp "$T/p$st.body" "$T/body.txt" || die "echo after $st differs"
done

# Not in the allow list: the 302 itself, no connection to that host.
u=$(resp_url 302 "$obase/echo?r=out")
assert_eq "$(reply out "$u" --tid 0x50)" 0x32 "302 to a host not allowed"
assert_eq "$(rhdr out Location)" "$obase/echo?r=out" \
    "Location of the refused hop"
assert_eq "$(up_count "$other_LOG" conn)" 0 \
    "connections to the host outside the allow list"

# Credentials stay with their origin: a same-origin hop keeps the
# handset's Authorization and Cookie; a hop to another origin (localhost
# instead of 127.0.0.1: another host, allowed) gets neither.
u=$(resp_url 302 "$base/echo?r=same")
assert_eq "$(reply same "$u" --tid 0x52 --header \
    "Authorization: Basic dXNlcjpwdw==" --header "Cookie: sid=s3cret")" \
    0x20 "same-origin hop"
assert_eq "$(up_last "$up_LOG" header:Authorization GET "/echo?r=same")" \
    "Basic dXNlcjpwdw==" "Authorization on a same-origin hop"
assert_eq "$(up_last "$up_LOG" header:Cookie GET "/echo?r=same")" \
    "sid=s3cret" "Cookie on a same-origin hop"
u=$(resp_url 302 "http://localhost:$up_PORT/echo?r=cross")
assert_eq "$(reply cross "$u" --tid 0x53 --header \
    "Authorization: Basic dXNlcjpwdw==" --header "Cookie: sid=s3cret")" \
    0x20 "cross-origin hop"
assert_eq "$(up_count "$up_LOG" req GET "/echo?r=cross")" 1 \
    "the cross-origin hop was made"
assert_eq "$(up_last "$up_LOG" header:Authorization GET "/echo?r=cross")" \
    "" "Authorization sent to another origin"
assert_eq "$(up_last "$up_LOG" header:Cookie GET "/echo?r=cross")" "" \
    "Cookie sent to another origin"

# Not http(s): the 302 itself.
u=$(resp_url 302 "ftp://127.0.0.1:$up_PORT/x")
assert_eq "$(reply ftp "$u" --tid 0x51)" 0x32 "302 to ftp://"

# Past max-redirects (3): 1 + 3 requests, then the handset gets the 302.
assert_eq "$(reply many "$base/redir?n=10" --tid 0x60)" 0x32 \
    "past max-redirects"
n=0
for k in 10 9 8 7 6; do
    n=$((n + $(up_count "$up_LOG" req GET "/redir?n=$k&status=302") \
        + $(up_count "$up_LOG" req GET "/redir?n=$k")))
done
assert_eq "$n" 4 "requests made for a chain past max-redirects"
case $(rhdr many Location) in
    */redir\?n=6\&status=302) ;;
    *) die "Location after max-redirects: '$(rhdr many Location)'" ;;
esac

# Over a session.
"$PYTHON" "$IT_SRC/wtpclient.py" --port "$WTP_PORT" --timeout 10 \
    connect "get=$base/redir?n=2&status=301" disconnect >"$T/co.json" \
    2>"$T/co.err" || die "wtpclient: $(head -c 2000 "$T/co.json") \
$(cat "$T/co.err")"
assert_eq "$(up_count "$up_LOG" req GET "/redir?n=0&status=301")" 1 \
    "session GET followed to the end"

# ---- 3. Access log ----------------------------------------------------------
# alog URL: the last access log line whose URL field (the 5th) is URL.
alog() {
    wait_grep "$ACCESS_LOG" " $1 " || die "no access log line for $1: \
$(cat "$ACCESS_LOG")"
    awk -v u="$1" '$5 == u' "$ACCESS_LOG" | tail -n 1
}
line=$(alog "$(resp_url 302 "$base/echo?r=get")")
case $line in
    *" cl GET "*" 200 "*"ms redirects=1 final=$base/echo?r=get") ;;
    *) die "access log, GET through 302: $line" ;;
esac
line=$(alog "$base/redir?n=2&status=303")
case $line in
    *" cl POST "*" 200 "*"ms redirects=2 final=$base/redir?n=0&status=303") ;;
    *) die "access log, POST through two 303s: $line" ;;
esac
# Past max-redirects: three followed, the last 302 is what the handset got.
line=$(alog "$base/redir?n=10")
case $line in
    *" 302 "*"ms redirects=3 final=$base/redir?n=7&status=302") ;;
    *) die "access log, past max-redirects: $line" ;;
esac
line=$(alog "$base/redir?n=2&status=301")
case $line in
    *" co GET "*" 200 "*"ms redirects=2 final=$base/redir?n=0&status=301") ;;
    *) die "access log, session GET through two 301s: $line" ;;
esac
# Not followed (not allowed, and following off): no redirect fields.
for u in "$(resp_url 302 "$obase/echo?r=out")" \
    "$(resp_url 302 "$base/echo?r=off")"; do
    line=$(alog "$u")
    case $line in
        *redirects=*|*final=*) die "access log, no redirect followed: $line" ;;
        *ms) ;;
        *) die "access log line does not end with the duration: $line" ;;
    esac
done

stop_daemon
assert_eq "$GW_RC" 0 "daemon exit status"
exit 0
