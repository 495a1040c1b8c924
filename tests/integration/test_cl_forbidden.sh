#!/bin/sh
# tests/integration/test_cl_forbidden.sh - the gateway is not an open
# proxy: a URL whose host:port is not in [upstream] allow gets a 0x43
# (403) Reply and no connection is ever made to it (gateway/allow.h).
#
# Peers: two real upstreams; "up" is allowed, "other" is not.  other's
# connection log must stay empty through every trick below; up's log
# shows whether a trick was (harmlessly) sent to the allowed server.
#
# Tricks: userinfo that looks like the allowed host:port
# (http://127.0.0.1:UP@127.0.0.1:OTHER/), other spellings of the loopback
# address (127.1, 0x7f.0.0.1, 2130706433, 127.000.000.001, localhost,
# [::ffff:127.0.0.1]), a trailing dot, upper-case scheme, a backslash, an
# encoded '@', a fragment, a missing port (80), a non-http scheme.  Each
# must answer (no silence), and none may reach "other".  Also: CR/LF in
# headers or the URL does not inject headers or requests, and a WSP Host
# header cannot replace the Host sent upstream.

. "${top_srcdir:?}/tests/integration/lib.sh"

require_peer python3
it_init
it_ports
start_upstream up
start_upstream other
U=$up_PORT
O=$other_PORT
ALLOW="127.0.0.1:$U"
CONF=$T/wspgw.conf
write_config "$CONF"
start_daemon "$CONF"

# 1. Plain forbidden GET and POST: 0x43.
for m in get post; do
    wsp --tid 0x43 --method $m --data-hex 00 \
        "http://127.0.0.1:$O/hello" >"$T/f-$m.json"
    rc=$?
    [ "$rc" = 0 ] || die "forbidden $m: no usable Reply (rc $rc): \
$(cat "$T/f-$m.json")"
    assert_eq "$(jget "$T/f-$m.json" status_hex)" 0x43 \
        "forbidden $m status"
done
assert_eq "$(up_count "$other_LOG" conn)" 0 \
    "connections to the forbidden upstream after plain requests"

# 2. Tricks.  No trick may make any connection to "other"; whatever
#    status comes back is logged for the report (reaching "up" through a
#    userinfo/backslash spelling is harmless: up is allowed).  trick_must
#    URLs are absolute http URLs and must be answered; trick_may URLs are
#    not usable URLs and may be answered (4xx) or dropped.
i=0
trick() {
    i=$((i + 1))
    st=$(wsp --tid $i --timeout 3 --field status_hex "$2")
    rc=$?
    case $rc in
        0) ;;
        2) [ "$1" = may ] || die "trick $i '$2': no Reply within 3 s" ;;
        *) die "trick $i '$2': undecodable Reply: $st" ;;
    esac
    it_log "trick $i: $2 -> $st"
    # upstream.py logs every accepted connection: an empty log = none.
    [ ! -s "$other_LOG" ] || die "trick $i '$2' (status $st) reached the \
forbidden upstream: $(cat "$other_LOG")"
    daemon_alive || die "daemon died on trick $i '$2'"
}
for url in \
    "http://127.0.0.1:$U@127.0.0.1:$O/hello" \
    "http://127.0.0.1:$U:x@127.0.0.1:$O/hello" \
    "http://user@127.0.0.1:$O/hello" \
    "http://127.0.0.1:$O\\@127.0.0.1:$U/hello" \
    "http://127.0.0.1:$O%40127.0.0.1:$U/hello" \
    "http://127.0.0.1:$O#@127.0.0.1:$U/hello" \
    "http://127.0.0.1:$O?@127.0.0.1:$U/hello" \
    "http://127.1:$O/hello" \
    "http://0x7f.0.0.1:$O/hello" \
    "http://2130706433:$O/hello" \
    "http://127.000.000.001:$O/hello" \
    "http://0177.0.0.1:$O/hello" \
    "http://localhost:$O/hello" \
    "http://LOCALHOST.:$O/hello" \
    "http://127.0.0.1.:$O/hello" \
    "http://[::ffff:127.0.0.1]:$O/hello" \
    "http://[::1]:$O/hello" \
    "HTTP://127.0.0.1:$O/hello" \
    "http://127.0.0.1:0$O/hello" \
    "http://127.0.0.1:$((O + 65536))/hello" \
    "http://127.0.0.1:$U/../hello" \
    "http://127.0.0.1/hello" \
    "http://127.0.0.1:$O"
do
    trick must "$url"
done
for url in \
    "//127.0.0.1:$O/hello" \
    "ftp://127.0.0.1:$O/hello" \
    "gopher://127.0.0.1:$O/hello" \
    "http:/127.0.0.1:$O/hello" \
    "http://127.0.0.1 :$O/hello" \
    "/hello" \
    ""
do
    trick may "$url"
done

# 3. Header and request-line injection toward the allowed upstream:
#    CR/LF inside an application header, the User-Agent or the URL must
#    not create headers or requests; WSP Host (96 ...) and an application
#    header named Host must not replace the Host the gateway sends.
it_get_ok inj1 "http://127.0.0.1:$U/hello?inj=1" \
    --header "$(printf 'X-A: b\r\nX-Injected: 1')" \
    --user-agent "$(printf 'ua\r\nX-Injected: 2')"
crlf_url=$(printf '%s HTTP/1.1\r\nX-Injected: 3\r\nX: ' \
    "http://127.0.0.1:$U/hello?inj=3")
wsp --tid 0x71 "$crlf_url" \
    >"$T/inj3.json"
it_get_ok inj4 "http://127.0.0.1:$U/hello?inj=4" \
    --raw-header 966576696c2e6578616d706c6500 --header "Host: evil.example"
sleep 0.3
if grep -q -i 'x-injected' "$up_LOG"; then
    die "CR/LF injection reached the upstream: $(grep -i x-injected "$up_LOG")"
fi
assert_eq "$(up_last "$up_LOG" header:Host GET "/hello?inj=4")" \
    "127.0.0.1:$U" "Host header at the upstream"

# 4. The allowed one still works and reached up only.
it_get_ok ok "http://127.0.0.1:$U/hello"
assert_eq "$(up_count "$other_LOG" conn)" 0 "connections to the forbidden \
upstream at the end"
stop_daemon
assert_eq "$GW_RC" 0 "exit status after SIGTERM"
exit 0
