#!/bin/sh
# tests/integration/test_tshark_co.sh - Wireshark's WTP and WSP dissectors
# as a second opinion on whole connection-oriented sessions (issue 3,
# STYLE.md 3.3, 3.8).
#
# dumpcap captures live on lo ("udp port WTP_PORT", plus a probe port used
# only to know that the capture is running before any traffic starts):
#   1. fakewap: Connect, GET of 20000 octets (a segmented Result of 15
#      packets), Disconnect;
#   2. wtpclient.py: Connect, GET of 300 KB, POST of 300 KB to /echo (a
#      segmented Invoke and a segmented Result), Disconnect; each Invoke
#      carries a Maximum Group Option TPI, as fakewap's Post does.
# Then `tshark -d udp.port==WTP_PORT,wtp -V` must show no "Malformed" and
# no Expert Info of severity Error or Warning, and the fields must check
# out: the WTP PDU types seen (Invoke, Result, Ack, Segmented Invoke,
# Segmented Result, TID verification Ack), the WSP PDUs after reassembly
# (Connect x2, ConnectReply x2 with the session id wtpclient saw, Get x2,
# Post x1, Reply x3 all 200 with the reassembled lengths, Disconnect x2),
# and every PDU from the daemon leaves from the WTP port with the TID
# response bit set.
#
# Known tshark 4.0 behaviour that is not a daemon fault (listed, not
# skipped):
#   - tshark keys WTP reassembly on the TID alone, not on the address
#     pair, so two handsets using the same TID (fakewap always uses TIDs 1
#     and 2) get their segments mixed ("reassembled in" the other one's
#     frame).  WAP-224 keys a transaction on the address quadruple plus
#     TID, so the daemon is right; wtpclient therefore starts at TID 0x100
#     in this capture.
#   - the Option TPI value (Maximum Group) is printed with no value.
#   - WSP uintvars above 100000000 are shown as 100000000 (checked with
#     text2pcap: AF D7 C2 01 = 100000001 and FF FF FF 7F = 268435455 both
#     decode as 100000000, with no expert item), so a Server Session ID
#     that large, valid per WAP-230 8.1.2 (uintvar, 32 bits), is compared
#     as 100000000; wtpclient.py decodes the real value.

. "${top_srcdir:?}/tests/integration/lib.sh"

require_peer python3
require_peer tshark
require_peer dumpcap
require_peer fakewap
it_init
it_ports
start_upstream up
ALLOW="127.0.0.1:$up_PORT"
CONF=$T/wspgw.conf
write_config "$CONF"
start_daemon "$CONF"
base=http://127.0.0.1:$up_PORT
BIG=300000
L=$T/co.pcapng
PROBE=$(free_port udp 127.0.0.1)

dumpcap -q -i lo -f "udp port $WTP_PORT or udp port $PROBE" -w "$L" \
    >"$T/dumpcap.out" 2>&1 &
dpid=$!
it_register "$dpid"

# Ready when a probe datagram shows up in the capture file.
n=0
ready=
while [ "$n" -lt 40 ]; do
    if ! pid_running "$dpid"; then
        break
    fi
    "$PYTHON" -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"probe", ("127.0.0.1", int(sys.argv[1])))' "$PROBE"
    if [ -s "$L" ] && tshark -n -r "$L" -Y "udp.dstport == $PROBE" \
        2>/dev/null | grep -q .; then
        ready=1
        break
    fi
    sleep 0.2
    n=$((n + 1))
done
if [ -z "$ready" ]; then
    msg="dumpcap cannot capture on lo: $(cat "$T/dumpcap.out")"
    [ "${WSPGW_REQUIRE_PEERS:-0}" = 1 ] && die "$msg"
    skip "$msg"
fi

# 1. fakewap.
timeout 60 "$FAKEWAP" -g 127.0.0.1 -p "$WTP_PORT" -w "$T/fw.body" \
    "$base/bin?size=20000&seed=9" >"$T/fw.log" 2>&1
grep -q "Received WSP Reply with status code 200" "$T/fw.log" || \
    die "fakewap GET: $(tail -5 "$T/fw.log")"
bin_body 20000 9 "$T/fw.want"
cmp "$T/fw.body" "$T/fw.want" || die "fakewap GET: body differs"

# 2. wtpclient.
bin_body $BIG 3 "$T/get.want"
bin_body $BIG 4 "$T/post.bin"
"$PYTHON" "$IT_SRC/wtpclient.py" --port "$WTP_PORT" --tid-start 0x100 \
    --max-group 4200 connect "get=$base/bin?size=$BIG&seed=3" "post=$base/echo?t=co" \
    --data-file "$T/post.bin" --out "$T/post.reply" disconnect \
    >"$T/wc.json" 2>"$T/wc.err" || die "wtpclient: $(head -c 2000 \
"$T/wc.json") $(cat "$T/wc.err")"
cmp "$T/post.reply" "$T/post.bin" || die "wtpclient POST: Reply differs"
assert_eq "$(jget "$T/wc.json" ops.1.body_sha256)" \
    "$(sha256sum <"$T/get.want" | cut -d' ' -f1)" "wtpclient GET body"
sid=$(jget "$T/wc.json" ops.0.session_id)

sleep 0.5
it_kill "$dpid" 3
it_unregister "$dpid"

F="udp.port == $WTP_PORT"
tshark -n -r "$L" -Y "$F" -d "udp.port==$WTP_PORT,wtp" -V >"$T/co.txt" \
    2>"$T/co.err" || die "tshark failed: $(cat "$T/co.err")"
if grep -n -i -e "malformed" -e "Expert Info (Error" \
    -e "Expert Info (Warn" "$T/co.txt" >"$T/co.bad"; then
    die "tshark reports problems in the CO capture: $(head -20 "$T/co.bad")"
fi

tshark -n -r "$L" -Y "$F" -d "udp.port==$WTP_PORT,wtp" -T fields \
    -E separator='|' -E occurrence=f -e frame.number -e udp.srcport \
    -e wtp.pdu_type -e wtp.TID.response -e wtp.TID -e wtp.ack.tvetok \
    -e wsp.pdu_type -e wsp.reply.status -e wsp.server.session_id \
    -e wtp.reassembled.length >"$T/fields" 2>/dev/null
nframes=$(wc -l <"$T/fields")
it_log "$nframes WTP frames captured"

# count FIELD-NUMBER VALUE: frames whose field equals VALUE.
count() {
    awk -F'|' -v f="$1" -v v="$2" '$f == v { n++ } END { print n + 0 }' \
        "$T/fields"
}

# WTP PDU types (tshark prints them as 0x01...).
for t in 0x01 0x02 0x03 0x05 0x06; do
    [ "$(count 3 "$t")" -gt 0 ] || die "no WTP PDU of type $t in the \
capture: $(cut -d'|' -f3 "$T/fields" | sort | uniq -c | tr '\n' ' ')"
done
# The TID verification of the first peer (Ack with Tve/Tok set).
[ "$(count 6 1)" -ge 2 ] || die "no TIDve/TIDok Acks in the capture"

# WSP PDUs, after reassembly.
assert_eq "$(count 7 0x01)" 2 "WSP Connect PDUs"
assert_eq "$(count 7 0x02)" 2 "WSP ConnectReply PDUs"
assert_eq "$(count 7 0x40)" 2 "WSP Get PDUs"
assert_eq "$(count 7 0x60)" 1 "WSP Post PDUs"
assert_eq "$(count 7 0x04)" 3 "WSP Reply PDUs"
assert_eq "$(count 7 0x05)" 2 "WSP Disconnect PDUs"
assert_eq "$(awk -F'|' '$7 == "0x04" && $8 == "0x20"' "$T/fields" | \
    wc -l)" 3 "Replies with status 200"
# tshark prints the session id in decimal, but clamps uintvars above
# 100000000 (listed above); the daemon's ids are often larger.
shown=$sid
if [ "$sid" -gt 100000000 ]; then
    shown=100000000
    it_log "listed tshark case: session id $sid shown as $shown"
fi
[ "$(awk -F'|' -v s="$shown" '$5 == "0x0100" && $7 == "0x02" && $9 == s' \
    "$T/fields" | wc -l)" = 1 ] || die "no ConnectReply with wtpclient's \
session id $sid (tshark: $shown): $(awk -F'|' '$7 == "0x02"' "$T/fields")"
# The 300 KB Reply and Post were reassembled whole.
big=$(awk -F'|' '$10 > 300000' "$T/fields" | wc -l)
[ "$big" -ge 3 ] || die "tshark reassembled $big messages over 300000 \
octets (want the GET Reply, the Post and its Reply): $(awk -F'|' \
'$10 != ""' "$T/fields")"

# Every PDU from the daemon leaves the WTP port with TID response set;
# every PDU to it has it clear.
bad=$(awk -F'|' -v p="$WTP_PORT" '($2 == p && $4 != "1") ||
    ($2 != p && $4 != "0") { print }' "$T/fields" | head -3)
[ -z "$bad" ] || die "TID response bit wrong: $bad"

stop_daemon
assert_eq "$GW_RC" 0 "exit status after SIGTERM"
exit 0
