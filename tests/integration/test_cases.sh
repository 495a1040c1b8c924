#!/bin/sh
# tests/integration/test_cases.sh - declarative transcript cases
# (STYLE.md 3.8): each tests/integration/cases/*.case gives the handset
# datagram in hex, what the upstream must receive, the canned upstream
# response, and the exact Reply octets expected back (caserun.py).
# Pins the wire encoding byte for byte: status octets, HeadersLen,
# short/general/text content types, Content-Length, Location,
# Encoding-Version-dependent codes, and silence for a truncated PDU.

. "${top_srcdir:?}/tests/integration/lib.sh"

require_peer python3
it_init
it_ports
# caserun.py needs a 5-digit port so that URL lengths in the cases hold.
n=0
while :; do
    cport=$(free_port tcp 127.0.0.1)
    [ "${#cport}" = 5 ] && break
    n=$((n + 1))
    [ "$n" -lt 20 ] || skip "no 5-digit free TCP port"
done
ALLOW="127.0.0.1:$cport"
CONF=$T/wspgw.conf
write_config "$CONF"
start_daemon "$CONF"

"$PYTHON" "$IT_SRC/caserun.py" --gw-port "$WSP_PORT" \
    --upstream-port "$cport" "$IT_SRC"/cases/*.case >"$T/cases.out" 2>&1
rc=$?
cat "$T/cases.out" >&2
[ "$rc" = 0 ] || die "transcript cases failed (see above)"
stop_daemon
assert_eq "$GW_RC" 0 "exit status after SIGTERM"
exit 0
