#!/bin/sh
# tests/integration/test_tshark.sh - Wireshark's WSP dissector as a second
# opinion on what the daemon puts on the wire (STYLE.md 3.3, 3.8).
#
# 1. wspclient.py records Get/Post/Reply exchanges into a pcap (raw IP,
#    synthetic IPv4/UDP headers with the real ports); tshark decodes them
#    with -d udp.port==WSP_PORT,wsp.  Every frame must be WSP, with no
#    "Malformed" and no "[Expert Info (Error" item, and the fields must
#    match: TIDs paired, PDU types 0x40/0x60 -> 0x04, status octets
#    0x20/0x44/0x43/0x62, content types, User-Agent.
# 2. If dumpcap can capture on lo, fakewap's exchange is captured live
#    and decoded the same way (both directions, same checks).

. "${top_srcdir:?}/tests/integration/lib.sh"

require_peer python3
require_peer tshark
it_init
it_ports
start_upstream up
closed=$(free_port tcp 127.0.0.1)
ALLOW="127.0.0.1:$up_PORT 127.0.0.1:$closed"
CONF=$T/wspgw.conf
write_config "$CONF"
start_daemon "$CONF"
base=http://127.0.0.1:$up_PORT
P=$T/client.pcap

c() {
    wsp --pcap "$P" --pcap-append "$@" >>"$T/client.json" || \
        die "wspclient $*: no usable Reply"
}
c --tid 0x11 --accept text/plain --accept-language en \
    --accept-charset utf-8 --user-agent "tshark-check/1" \
    --header "X-Check: 1" "$base/hello"
c --tid 0x12 "$base/ct"
c --tid 0x13 "$base/bin?size=3000&seed=1"
c --tid 0x14 --content-type application/vnd.wap.mms-message \
    --data-hex 8c8098313233008d92 "$base/echo?t=mms"
c --tid 0x15 --content-type "text/plain; charset=utf-8" --data-hex 414243 \
    "$base/echo?t=txt"
c --tid 0x16 "$base/status/404"
c --tid 0x17 "http://127.0.0.1:1/"
c --tid 0x18 "http://127.0.0.1:$closed/"
# Response headers of many grammars (Date-value, Quoted-string, Cache-
# Control value-length form, Content-Disposition, Location, multipart/
# related type with parameters), with and without Encoding-Version 1.4
# (C3 94).  Not here: application header values that need the Quote
# (first octet >= 0x80: 7F C3 A9 ...) or are empty (00): they are right
# by WAP-230 8.4.2.1, but tshark 4.0 reads the 7F as a shift sequence and
# warns about the empty one; test_cl_get.sh checks them with wspclient.
rich="$base/resp?ct=application/vnd.wap.multipart.related%3B%20type%3D\
%22application/smil%22%3B%20start%3D%22%3Cs%3E%22&h=ETag:%22abc%22\
&h=Expires:Thu,%2001%20Dec%202033%2016:00:00%20GMT\
&h=Cache-Control:max-age%3D3600&h=Cache-Control:no-cache\
&h=Content-Disposition:attachment%3B%20filename%3D%22a.txt%22\
&h=Location:http://example.net/x&h=Vary:Accept&h=Accept-Ranges:bytes\
&h=Age:12&body=%00%00"
c --tid 0x19 "$rich"
c --tid 0x1A --raw-header c394 "$rich"

# tshark_clean PCAP WHAT: full decode without malformed/error items.
tshark_clean() {
    tshark -n -r "$1" -d "udp.port==$WSP_PORT,wsp" -V >"$1.txt" 2>"$1.err" \
        || die "$2: tshark failed: $(cat "$1.err")"
    if grep -n -i -e "malformed" -e "Expert Info (Error" -e "Expert Info \
(Warn" "$1.txt" >"$1.bad"; then
        die "$2: tshark reports problems: $(cat "$1.bad")
$(sed -n '/Wireless Session/,/^$/p' "$1.txt" | head -80)"
    fi
}

# tshark_fields PCAP: frame, src port, TID, PDU type, status, content type.
tshark_fields() {
    tshark -n -r "$1" -d "udp.port==$WSP_PORT,wsp" -T fields \
        -E separator='|' -e frame.number -e udp.srcport -e wsp.TID \
        -e wsp.pdu_type -e wsp.reply.status -e wsp.header.content_type \
        -e wsp.header.user_agent 2>/dev/null
}

tshark_clean "$P" "wspclient capture"
tshark_fields "$P" >"$T/fields"
n=$(wc -l <"$T/fields")
assert_eq "$n" 20 "frames in the wspclient capture"
nw=$(grep -c "Wireless Session Protocol" "$P.txt")
assert_eq "$nw" 20 "frames tshark decoded as WSP"

# Expected, in order: request then Reply for each exchange.
cat >"$T/want" <<WANT
0x11|0x40||
0x11|0x04|0x20|text/plain
0x12|0x40||
0x12|0x04|0x20|text/plain
0x13|0x40||
0x13|0x04|0x20|application/octet-stream
0x14|0x60||application/vnd.wap.mms-message
0x14|0x04|0x20|application/vnd.wap.mms-message
0x15|0x60||text/plain
0x15|0x04|0x20|text/plain
0x16|0x40||
0x16|0x04|0x44|
0x17|0x40||
0x17|0x04|0x43|
0x18|0x40||
0x18|0x04|0x62|
0x19|0x40||
0x19|0x04|0x20|application/vnd.wap.multipart.related
0x1a|0x40||
0x1a|0x04|0x20|application/vnd.wap.multipart.related
WANT
# Keep TID, type, status and the media type (drop parameters); the 4xx/5xx
# error Replies may carry any content type.
awk -F'|' '{ ct = $6; sub(/;.*/, "", ct);
             if ($5 != "" && $5 != "0x20") ct = "";
             print $3 "|" $4 "|" $5 "|" ct }' "$T/fields" >"$T/got"
diff "$T/want" "$T/got" >"$T/diff" || die "tshark fields differ \
(want vs got):
$(cat "$T/diff")"
grep -q '|tshark-check/1$' "$T/fields" || die "tshark does not see the \
User-Agent: $(head -1 "$T/fields")"
for h in "Cache-Control: max-age=3600" "Cache-Control: no-cache" \
    "ETag: \"abc" "Location: http://example.net/x" \
    "Expires: Dec  1, 2033 16:00:00 UTC" "Age: 12" "Vary: Accept" \
    "Accept-Ranges: bytes" "Content-Disposition: attachment"; do
    hh=$h
    c1=$(grep -cF "$hh" "$P.txt")
    [ "$c1" -ge 2 ] || die "tshark does not show '$hh' in both rich Replies \
(found $c1):
$(sed -n '/Transaction ID: 0x19/,/^$/p' "$P.txt" | sed -n '/Reply/,$p' |
    head -60)"
done

# Replies come from the WSP port.
awk -F'|' -v p="$WSP_PORT" '$4 == "0x04" && $2 != p { bad = 1 }
    END { exit bad }' "$T/fields" || die "a Reply did not come from the \
WSP port $WSP_PORT: $(cat "$T/fields")"

# ---- live capture of fakewap (when dumpcap can capture on lo) ---------
if [ -x "$FAKEWAP" ] && command -v dumpcap >/dev/null 2>&1; then
    L=$T/live.pcapng
    dumpcap -q -i lo -f "udp port $WSP_PORT" -w "$L" >"$T/dumpcap.out" \
        2>&1 &
    dpid=$!
    it_register "$dpid"
    # dumpcap creates the file once it captures; allow 5 s.
    n=0
    while [ ! -s "$L" ] && [ "$n" -lt 50 ] && kill -0 "$dpid" 2>/dev/null
    do
        sleep 0.1
        n=$((n + 1))
    done
    if [ -s "$L" ] && kill -0 "$dpid" 2>/dev/null; then
        sleep 0.3
        # Text, not random octets: with -C mms tshark would hand random
        # octets to its MMSE dissector and report them as malformed MMS.
        "$PYTHON" -c 'print("fakewap live capture line\n" * 60, end="")' \
            >"$T/fw.post"
        timeout 30 "$FAKEWAP" -M 0 -g 127.0.0.1 -p "$WSP_PORT" \
            -w "$T/fw.body" "$base/hello" >"$T/fw1.log" 2>&1
        timeout 30 "$FAKEWAP" -M 0 -g 127.0.0.1 -p "$WSP_PORT" -C text \
            -P "$T/fw.post" "$base/echo?t=fw" >"$T/fw2.log" 2>&1
        sleep 0.5
        it_kill "$dpid" 3
        it_unregister "$dpid"
        tshark_clean "$L" "live fakewap capture"
        tshark_fields "$L" >"$T/live.fields"
        n=$(wc -l <"$T/live.fields")
        assert_eq "$n" 4 "frames in the live fakewap capture \
($(cat "$T/live.fields"))"
        awk -F'|' '{ print $4 "|" $5 }' "$T/live.fields" >"$T/live.got"
        printf '0x40|\n0x04|0x20\n0x60|\n0x04|0x20\n' >"$T/live.want"
        diff "$T/live.want" "$T/live.got" >"$T/live.diff" || die "live \
capture fields differ (want vs got): $(cat "$T/live.diff")"
    else
        it_log "dumpcap cannot capture on lo here; live part skipped: \
$(cat "$T/dumpcap.out")"
        it_kill "$dpid" 1
        it_unregister "$dpid"
    fi
else
    it_log "fakewap or dumpcap missing; live capture part skipped"
fi

stop_daemon
assert_eq "$GW_RC" 0 "exit status after SIGTERM"
exit 0
