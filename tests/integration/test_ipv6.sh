#!/bin/sh
# tests/integration/test_ipv6.sh - the daemon on IPv6 loopback.
#
# Checks: with bind = ::1 a Get over IPv6 works (Reply from ::1, TID
# echoed, body exact), to an upstream listening on [::1]:PORT and allowed
# as [::1]:PORT; the datagram limit over IPv6 is 65527 (a Reply of
# exactly that size is sent, one octet more is an error Reply); a Post
# too; an IPv6 upstream that is not allowed gets
# 0x43 and no connection; with bind = 127.0.0.1, ::1 both families are
# served by one daemon.  Skipped (never failed) when the machine has no
# IPv6 loopback.

. "${top_srcdir:?}/tests/integration/lib.sh"

require_peer python3
"$PYTHON" -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::1", 0))
t = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
t.bind(("::1", 0))' 2>/dev/null || skip "no IPv6 loopback (::1) here"

it_init
it_ports ::1
start_upstream up6 ::1
start_upstream other6 ::1
ALLOW="[::1]:$up6_PORT"
BIND=::1
CONF=$T/wspgw.conf
write_config "$CONF"
start_daemon "$CONF"
WSP_HOST=::1
base="http://[::1]:$up6_PORT"

it_get_ok g6 "$base/bin?size=5000&seed=6" --tid 0x66
bin_body 5000 6 "$T/g6.want"
cmp "$T/g6.body" "$T/g6.want" || die "IPv6 Get body differs"
assert_eq "$(jget "$T/g6.json" tid)" 102 "IPv6 Reply TID"
case $(up_last "$up6_LOG" peer GET "/bin?size=5000&seed=6") in
    "[::1]:"*) ;;
    *) die "upstream saw the IPv6 request from \
$(up_last "$up6_LOG" peer GET "/bin?size=5000&seed=6")" ;;
esac

# Over IPv6 a UDP payload may be 65527 octets (no 20-octet IPv4 header):
# a Reply of exactly 65527 octets is sent, one more is an error Reply.
it_get_ok e6 "$base/bin?size=60000&seed=6"
over=$(($(jget "$T/e6.json" len) - 60000))
edge=$((65527 - over))
it_get_ok edge6 "$base/bin?size=$edge&seed=6"
assert_eq "$(jget "$T/edge6.json" len)" 65527 "IPv6 Reply size for a \
$edge-octet body"
wsp --tid 0x69 "$base/bin?size=$((edge + 1))&seed=6" >"$T/edge61.json" || \
    die "IPv6 $((edge + 1))-octet body: no usable Reply"
st=$(jget "$T/edge61.json" status)
[ "$st" -ge 96 ] && [ "$st" -le 111 ] || die "IPv6 $((edge + 1))-octet \
body: status $(jget "$T/edge61.json" status_hex), expected 5xx"

printf 'v6 post body' >"$T/p6.bin"
it_get_ok p6 "$base/echo?v=6" --data-file "$T/p6.bin" \
    --content-type text/plain
cmp "$T/p6.body" "$T/p6.bin" || die "IPv6 Post: Reply body differs"
assert_eq "$(up_count "$up6_LOG" req POST "/echo?v=6")" 1 "IPv6 Post count"

wsp --tid 0x67 "http://[::1]:$other6_PORT/hello" >"$T/f6.json" || \
    die "no Reply for a forbidden IPv6 upstream"
assert_eq "$(jget "$T/f6.json" status_hex)" 0x43 "forbidden IPv6 upstream"
assert_eq "$(up_count "$other6_LOG" conn)" 0 "connections to the \
forbidden IPv6 upstream"

# Nothing listens on 127.0.0.1 for WSP with bind = ::1 alone.
WSP_HOST=127.0.0.1 wsp --tid 0x68 --timeout 1 --expect-silence \
    "$base/hello" >"$T/v4.json" || die "bind = ::1 also answered on \
127.0.0.1: $(cat "$T/v4.json")"
stop_daemon
assert_eq "$GW_RC" 0 "exit status after SIGTERM"

# Both families in one daemon (ports picked free on both).
it_ports ::1
while ! "$PYTHON" -c '
import socket, sys
for p in sys.argv[1:]:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", int(p)))' "$WSP_PORT" "$WTP_PORT" 2>/dev/null; do
    it_ports ::1
done
BIND="127.0.0.1, ::1"
write_config "$CONF"
start_daemon "$CONF"
WSP_HOST=::1
it_get_ok both6 "$base/hello"
WSP_HOST=127.0.0.1
it_get_ok both4 "$base/hello"
stop_daemon
assert_eq "$GW_RC" 0 "exit status after SIGTERM"
exit 0
