#!/bin/sh
# tests/integration/test_client_acl.sh - [gateway] allow-client and
# deny-client on the UDP bearer (gateway/cidr.h, main.c on_rx).
#
# The daemon listens on 127.0.0.1 and ::1.  Each step reloads the
# configuration (SIGHUP) and checks, on both ports, who gets answers:
#   1. No lists: IPv4 and IPv6 clients are answered.
#   2. deny-client = 127.0.0.0/8: the IPv4 client gets silence on the
#      WSP port and on the WTP port (no Reply, no Ack, no Abort: nothing
#      a spoofed source could aim at a victim); the IPv6 client is still
#      answered; wspgw_clients_denied_total counts the dropped datagrams;
#      the upstream saw nothing from the denied client.
#   3. allow-client = 10.0.0.0/8, 127.0.0.1 with deny-client =
#      127.0.0.1: deny wins (IPv4 silent); ::1 is in no allow entry
#      (silent as well).
#   4. allow-client = ::1/128: IPv6 answered, IPv4 silent.
#   5. Back to no lists: both answered.

. "${top_srcdir:?}/tests/integration/lib.sh"

require_peer python3
"$PYTHON" -c 'import socket; s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.bind(("::1", 0))' \
    2>/dev/null || skip "no IPv6 loopback"
it_init
it_ports
start_upstream up
ALLOW="127.0.0.1:$up_PORT"
BIND="127.0.0.1, ::1"
CONF=$T/wspgw.conf
URL="http://127.0.0.1:$up_PORT/hello"

# acl ALLOW_CLIENT DENY_CLIENT: rewrite the configuration and reload
# (first call: start).
acl() {
    write_config "$CONF"
    {
        echo ""
        echo "[gateway]"
        [ -z "$1" ] || echo "allow-client = $1"
        [ -z "$2" ] || echo "deny-client = $2"
    } >>"$CONF"
    if [ -z "$GW_PID" ]; then
        start_daemon "$CONF"
    else
        _nr=$(grep -c "configuration reloaded" "$GW_LOG")
        kill -HUP "$GW_PID"
        _n=0
        while [ "$(grep -c "configuration reloaded" "$GW_LOG")" = "$_nr" ]
        do
            [ "$_n" -lt 50 ] || die "no reload"
            sleep 0.1
            _n=$((_n + 1))
        done
    fi
}

# answered HOST WHAT / silent HOST WHAT: on the WSP port (a Get) and on
# the WTP port (a session Connect).
answered() {
    _s=$(wsp --host "$1" --timeout 3 --field status_hex "$URL") \
        || die "$2: no Reply from $1 on the WSP port"
    assert_eq "$_s" 0x20 "$2: WSP status for $1"
    "$PYTHON" "$IT_SRC/wtpclient.py" --host "$1" --port "$WTP_PORT" \
        --timeout 5 connect disconnect >"$T/co.json" 2>"$T/co.err" \
        || die "$2: no session for $1 on the WTP port: $(cat "$T/co.err")"
}
silent() {
    wsp --host "$1" --timeout 1.5 --retries 0 --expect-silence "$URL" \
        >"$T/silent.json" \
        || die "$2: $1 got an answer on the WSP port: $(cat "$T/silent.json")"
    if "$PYTHON" "$IT_SRC/wtpclient.py" --host "$1" --port "$WTP_PORT" \
        --timeout 2 --max-retries 1 connect >"$T/co.json" 2>"$T/co.err"
    then
        die "$2: $1 got a session on the WTP port"
    fi
}

acl "" ""
answered 127.0.0.1 "no lists"
answered ::1 "no lists"
assert_eq "$(metric wspgw_clients_denied_total)" 0 "denied with no lists"

acl "" "127.0.0.0/8"
reqs=$(up_count "$up_LOG" req)
silent 127.0.0.1 "deny 127/8"
answered ::1 "deny 127/8"
denied=$(metric wspgw_clients_denied_total)
[ "$denied" -ge 2 ] || die "wspgw_clients_denied_total is $denied, want >= 2"
assert_eq "$(up_count "$up_LOG" req)" $((reqs + 1)) \
    "upstream requests (only the IPv6 client's)"
# Nothing undecodable was counted: the datagrams were never parsed.
assert_eq "$(metric wspgw_wsp_malformed_total)" 0 "malformed"

acl "10.0.0.0/8, 127.0.0.1" "127.0.0.1"
silent 127.0.0.1 "deny wins over allow"
silent ::1 "not in allow-client"

acl "::1/128" ""
silent 127.0.0.1 "allow ::1 only"
answered ::1 "allow ::1 only"

acl "" ""
answered 127.0.0.1 "lists removed"
answered ::1 "lists removed"
[ "$(metric wspgw_clients_denied_total)" -gt "$denied" ] \
    || die "wspgw_clients_denied_total did not grow"

stop_daemon
assert_eq "$GW_RC" 0 "exit status after SIGTERM"
exit 0
