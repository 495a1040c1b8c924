#!/bin/sh
# tests/integration/test_cl_status.sh - HTTP outcomes mapped onto the
# WSP Reply status octet (wsp-headers.md 10; WAP-230 Appendix A Table 36).
#
# Checks: 404 -> 0x44, 500 -> 0x60, 302 -> 0x32 (redirects are not
# followed), 201 -> 0x21, 204 -> 0x24 (empty), 304 -> 0x34, 503 -> 0x63,
# 429/599 -> same class; a truncated upstream response -> 0x62; an
# allowed but closed upstream port -> 0x62; 80 KB of response headers ->
# 5xx;
# an upstream slower than [upstream] timeout = 1 -> 0x64 within a few
# seconds; a Reply of exactly 65507 octets is sent, one octet more is an
# error Reply; a body too large for one datagram (70000 octets) -> an error
# Reply (0x60-0x6F) with a text/plain explanation, never silence; the
# daemon answers a normal Get afterwards; /metrics counts the requests.

. "${top_srcdir:?}/tests/integration/lib.sh"

require_peer python3
it_init
it_ports
start_upstream up
closed=$(free_port tcp 127.0.0.1)
ALLOW="127.0.0.1:$up_PORT 127.0.0.1:$closed"
TIMEOUT=1
CONF=$T/wspgw.conf
write_config "$CONF"
start_daemon "$CONF"
base=http://127.0.0.1:$up_PORT

# status_is NAME URL WANT: one Get whose Reply status must be WANT.
status_is() {
    wsp --tid 0x44 --timeout 8 --out "$T/$1.body" "$2" >"$T/$1.json"
    rc=$?
    [ "$rc" = 0 ] || die "$1: no usable Reply for $2 (wspclient rc $rc): \
$(cat "$T/$1.json")"
    got=$(jget "$T/$1.json" status_hex)
    [ "$got" = "$3" ] || die "$1: $2 gave status $got, expected $3; reply \
starts $(jget "$T/$1.json" reply_hex_head)"
    assert_eq "$(jget "$T/$1.json" tid)" 68 "$1: Reply TID"
}

status_is s404 "$base/status/404" 0x44
status_is s500 "$base/status/500" 0x60
status_is s201 "$base/status/201" 0x21
status_is s302 "$base/status/302" 0x32
assert_eq "$(up_count "$up_LOG" req GET /status/302)" 1 "302 fetched once"

status_is s204 "$base/status/204" 0x24
assert_eq "$(jget "$T/s204.json" body_len)" 0 "204 Reply body length"
status_is s304 "$base/status/304" 0x34
status_is s503 "$base/status/503" 0x63
# Codes without a WSP number: some code of the same class.
for c in 429 599; do
    wsp --tid 0x44 "$base/status/$c" >"$T/s$c.json" || \
        die "/status/$c: no usable Reply"
    st=$(jget "$T/s$c.json" status)
    case $c in
        429) [ "$st" -ge 64 ] && [ "$st" -le 95 ] ;;
        599) [ "$st" -ge 96 ] && [ "$st" -le 111 ] ;;
    esac || die "/status/$c: status $(jget "$T/s$c.json" status_hex) is \
not of class ${c%??}xx"
done

# Upstream promises 1000 octets, sends 10 and closes: 502.
status_is trunc "$base/truncate" 0x62

# Allowed host:port with nobody listening: 502.
status_is closed "http://127.0.0.1:$closed/" 0x62

# Upstream sleeps 3 s, timeout is 1 s: 504, and well before 3 s.
status_is slow "$base/slow?s=3" 0x64
el=$(jget "$T/slow.json" elapsed)
"$PYTHON" -c "import sys; sys.exit(0 if float('$el') < 2.9 else 1)" || \
    die "timeout Reply took $el s with timeout = 1"

# 70000 octets cannot be one UDP datagram: an error Reply, not silence.
wsp --tid 0x45 --timeout 8 --out "$T/big.body" \
    "$base/bin?size=70000&seed=3" >"$T/big.json"
rc=$?
[ "$rc" = 0 ] || die "70000-octet response: no usable Reply (wspclient rc \
$rc): $(cat "$T/big.json")"
st=$(jget "$T/big.json" status)
[ "$st" -ge 96 ] && [ "$st" -le 111 ] || die "70000-octet response: \
status $(jget "$T/big.json" status_hex), expected 5xx (0x60-0x6F)"
case $(jget "$T/big.json" content_type) in
    text/plain) ;;
    *) die "70000-octet response: error Reply content type \
'$(jget "$T/big.json" content_type)', expected text/plain" ;;
esac
[ -s "$T/big.body" ] || die "70000-octet response: error Reply has an \
empty body (expected an explanation)"

# ~80 KB of response headers cannot fit either: an error Reply.
wsp --tid 0x46 --timeout 8 "$base/big-headers?n=1200" >"$T/bigh.json"
rc=$?
[ "$rc" = 0 ] || die "80 KB of response headers: no usable Reply (rc $rc)"
st=$(jget "$T/bigh.json" status)
[ "$st" -ge 96 ] && [ "$st" -le 111 ] || die "80 KB of response headers: \
status $(jget "$T/bigh.json" status_hex), expected 5xx"

# Just under the limit still works (a 60000-octet body fits 65507).
it_get_ok near "$base/bin?size=60000&seed=4"
bin_body 60000 4 "$T/near.want"
cmp "$T/near.body" "$T/near.want" || die "60000-octet body differs"

# The exact edge: a body that makes the Reply 65507 octets (the largest
# UDP payload over IPv4) is sent; one octet more is an error Reply.  The
# headers of /bin do not change size between 60000 and 65535 octets.
over=$(($(jget "$T/near.json" len) - 60000))
edge=$((65507 - over))
it_get_ok edge "$base/bin?size=$edge&seed=5"
assert_eq "$(jget "$T/edge.json" len)" 65507 "Reply size for a $edge-octet \
body"
wsp --tid 0x47 --timeout 8 "$base/bin?size=$((edge + 1))&seed=5" \
    >"$T/edge1.json" || die "$((edge + 1))-octet body: no usable Reply"
st=$(jget "$T/edge1.json" status)
[ "$st" -ge 96 ] && [ "$st" -le 111 ] || die "$((edge + 1))-octet body \
(Reply would be 65508 octets): status $(jget "$T/edge1.json" status_hex)"

daemon_alive || die "daemon died"
it_get_ok after "$base/hello"

# The admin /metrics counts what happened: every Get above started one
# upstream request and got one Reply; none was malformed.
req=$(metric wspgw_cl_requests_total)
rep=$(metric wspgw_cl_replies_total)
[ "$req" != none ] && [ "$req" -ge 15 ] || die "/metrics: \
wspgw_cl_requests_total is $req, expected at least 15"
[ "$rep" != none ] && [ "$rep" -ge "$req" ] || die "/metrics: \
wspgw_cl_replies_total $rep < requests $req"
assert_eq "$(metric wspgw_wsp_malformed_total)" 0 "malformed datagrams"
stop_daemon
assert_eq "$GW_RC" 0 "exit status after SIGTERM"
exit 0
