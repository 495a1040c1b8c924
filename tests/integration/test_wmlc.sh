#!/bin/sh
# tests/integration/test_wmlc.sh - WML to WMLC on the fly (issue 4,
# gateway/wmlc.c and gateway/wbxml.c), through the real daemon.
#
#   1. Connectionless, compile-wml = auto (the default):
#      - a handset whose Accept is application/vnd.wap.wmlc only (binary
#        0x94) gets application/vnd.wap.wmlc for upstream.py's WML deck,
#        and wbxml2xml decodes the body back to the deck's content
#        (wmlc_check.py decode); Content-Length is the compiled size;
#      - tshark's WSP/WBXML dissectors read the same Reply from a
#        capture: WML 1.1 public id, UTF-8, the deck's tags, not
#        malformed;
#      - a handset that also accepts text/vnd.wap.wml (or */*) gets the
#        WML octets unchanged;
#      - a handset that sends no Accept at all gets WMLC;
#      - a Latin-1 deck (charset parameter, no XML declaration) arrives
#        as UTF-8 WMLC with "é";
#      - the broken deck gives 502 with a WMLC error deck that names the
#        fault (line 4, mismatched tag), within a second, logged with its
#        URL and counted (wspgw_wmlc_failed_total).
#   2. Sessions (wtpclient.py): Accept in the Connect headers decides
#      (WMLC only -> WMLC; WML too or */* -> WML; none -> WMLC), an
#      Accept on the Get itself wins over the Connect's, and the broken
#      deck gives the 502 error deck.
#   3. compile-wml = never: WML passes unchanged even to a WMLC-only
#      handset; always: compiled even for one that accepts WML; an
#      unknown value is refused with FILE:LINE.

. "${top_srcdir:?}/tests/integration/lib.sh"

require_peer python3
require_peer wbxml2xml
require_peer tshark
it_init
it_ports
start_upstream up
ALLOW="127.0.0.1:$up_PORT"
CONF=$T/wspgw.conf
write_config "$CONF"
start_daemon "$CONF"
base=http://127.0.0.1:$up_PORT
CHECK="$PYTHON $IT_SRC/wmlc_check.py"
WMLC=application/vnd.wap.wmlc

"$PYTHON" -c '
import sys
sys.path.insert(0, sys.argv[1])
import upstream
open(sys.argv[2], "wb").write(upstream.WML_DECK)
open(sys.argv[3], "wb").write(upstream.WML_LATIN1.decode("latin-1")
                              .encode("utf-8"))' \
    "$IT_SRC" "$T/deck.wml" "$T/latin1-utf8.wml"

# hdr FILE NAME: a response header from wspclient/wtpclient JSON.
hdr() {
    "$PYTHON" -c '
import json, sys
v = json.load(open(sys.argv[1]))
if "ops" in v:
    v = [o for o in v["ops"] if o.get("result") == "reply"][-1]
for k, x in v.get("headers", []):
    if k.lower() == sys.argv[2].lower():
        print(x)
        break' "$1" "$2"
}

# ---- 1. connectionless --------------------------------------------------
it_get_ok c1 "$base/wml/deck" --tid 0x21 --accept "$WMLC" \
    --accept image/vnd.wap.wbmp --pcap "$T/cl.pcap" --pcap-append
assert_eq "$(jget "$T/c1.json" content_type)" "$WMLC" "WMLC-only handset"
$CHECK decode "$T/deck.wml" "$T/c1.body" >"$T/c1.check" 2>&1 \
    || die "compiled deck does not decode to the source: $(cat "$T/c1.check")"
assert_eq "$(hdr "$T/c1.json" Content-Length)" \
    "$(wc -c <"$T/c1.body" | tr -d ' ')" "Content-Length = compiled size"
[ "$(wc -c <"$T/c1.body")" -lt "$(wc -c <"$T/deck.wml")" ] \
    || die "the WMLC is not smaller than the WML"

$CHECK tshark "$T/cl.pcap" "$WSP_PORT" >"$T/tshark.json" 2>"$T/tshark.err" \
    || die "tshark: $(cat "$T/tshark.err")"
"$PYTHON" -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 1, rows
r = rows[0]
assert r["public_id"] == 4, r          # -//WAPFORUM//DTD WML 1.1//EN
assert r["charset"] == 106, r          # UTF-8
assert r["version"] == "0x01", r       # WBXML 1.1 with WML 1.1
want = ["<wml", "<head", "<meta", "<card", "<do", "<go", "<p", "<b", "<i",
        "<p", "<input", "<select", "<option", "<option", "<br", "<a",
        "<card", "<onevent", "<refresh", "<setvar", "<p"]
assert r["tags"] == want, r["tags"]
' "$T/tshark.json" || die "tshark view of the Reply: $(cat "$T/tshark.json")"

it_get_ok c2 "$base/wml/deck" --tid 0x22 --accept "$WMLC" \
    --accept text/vnd.wap.wml
assert_eq "$(jget "$T/c2.json" content_type)" text/vnd.wap.wml \
    "handset that accepts WML"
cmp -s "$T/c2.body" "$T/deck.wml" || die "WML was changed on the way"

it_get_ok c3 "$base/wml/deck" --tid 0x23 --accept "*/*"
assert_eq "$(jget "$T/c3.json" content_type)" text/vnd.wap.wml \
    "handset that accepts */*"

it_get_ok c4 "$base/wml/deck" --tid 0x24
assert_eq "$(jget "$T/c4.json" content_type)" "$WMLC" "handset without Accept"
cmp -s "$T/c4.body" "$T/c1.body" || die "same deck, different WMLC"

it_get_ok c5 "$base/wml/latin1" --tid 0x25 --accept "$WMLC"
assert_eq "$(jget "$T/c5.json" content_type)" "$WMLC" "Latin-1 deck"
assert_eq "$(jget "$T/c5.json" content_type_params.charset)" utf-8 \
    "charset parameter of the compiled deck"
$CHECK decode "$T/latin1-utf8.wml" "$T/c5.body" >"$T/c5.check" 2>&1 \
    || die "Latin-1 deck: $(cat "$T/c5.check")"

# A non-WML response is not touched.
it_get_ok c6 "$base/hello" --tid 0x26 --accept "$WMLC"
assert_eq "$(jget "$T/c6.json" content_type)" text/plain "text/plain stays"

assert_eq "$(metric wspgw_wmlc_compiled_total)" 3 "decks compiled"
assert_eq "$(metric wspgw_wmlc_failed_total)" 0 "no failures yet"

wsp --out "$T/b1.body" --tid 0x27 --accept "$WMLC" --timeout 3 \
    "$base/wml/broken" >"$T/b1.json" || die "broken deck: no reply"
assert_eq "$(jget "$T/b1.json" status_http)" 502 "broken deck status"
assert_eq "$(jget "$T/b1.json" content_type)" "$WMLC" "error deck type"
"$PYTHON" -c '
import json, sys
e = json.load(open(sys.argv[1]))["elapsed"]
assert e < 1.0, e' "$T/b1.json" || die "error deck took too long"
txt=$($CHECK text "$T/b1.body") || die "error deck does not decode"
case $txt in
*"could not convert this page"*"line 4, column "*"mismatched tag"*) ;;
*) die "error deck says: $txt" ;;
esac
wait_grep "$GW_LOG" "WML deck from $base/wml/broken does not compile" \
    || die "no log line for the broken deck"
assert_eq "$(metric wspgw_wmlc_failed_total)" 1 "failure counted"

# ---- 2. sessions --------------------------------------------------------
co() {
    _cn=$1
    shift
    "$PYTHON" "$IT_SRC/wtpclient.py" --port "$WTP_PORT" --timeout 10 \
        --out "$T/$_cn.body" "$@" >"$T/$_cn.json" 2>"$T/$_cn.err" \
        || die "wtpclient $_cn: $(head -c 2000 "$T/$_cn.json") \
$(cat "$T/$_cn.err")"
}
co s1 --session-accept "$WMLC" --session-accept image/vnd.wap.wbmp \
    connect "get=$base/wml/deck" disconnect
assert_eq "$(jget "$T/s1.json" ops.1.content_type)" "$WMLC" \
    "session, Accept WMLC in Connect"
$CHECK decode "$T/deck.wml" "$T/s1.body" >"$T/s1.check" 2>&1 \
    || die "session deck: $(cat "$T/s1.check")"

co s2 --session-accept "$WMLC" --session-accept text/vnd.wap.wml \
    connect "get=$base/wml/deck" disconnect
assert_eq "$(jget "$T/s2.json" ops.1.content_type)" text/vnd.wap.wml \
    "session, Accept WML in Connect"
cmp -s "$T/s2.body" "$T/deck.wml" || die "session WML was changed"

# wtpclient's default Connect says Accept: */*: WML, unless the Get's own
# Accept says otherwise (the request's headers win over the session's).
co s3 connect "get=$base/wml/deck" disconnect
assert_eq "$(jget "$T/s3.json" ops.1.content_type)" text/vnd.wap.wml \
    "session, Accept */* in Connect"
co s4 --header "Accept: $WMLC" connect "get=$base/wml/deck" disconnect
assert_eq "$(jget "$T/s4.json" ops.1.content_type)" "$WMLC" \
    "session, Accept WMLC on the Get over */* in Connect"

co s6 --session-accept none connect "get=$base/wml/deck" disconnect
assert_eq "$(jget "$T/s6.json" ops.1.content_type)" "$WMLC" \
    "session without Accept"

co s5 --session-accept "$WMLC" connect "get=$base/wml/broken" \
    disconnect
assert_eq "$(jget "$T/s5.json" ops.1.status_http)" 502 "session broken deck"
assert_eq "$(jget "$T/s5.json" ops.1.content_type)" "$WMLC" \
    "session error deck type"
case $($CHECK text "$T/s5.body") in
*"mismatched tag"*) ;;
*) die "session error deck: $($CHECK text "$T/s5.body")" ;;
esac
assert_eq "$(metric wspgw_wmlc_compiled_total)" 6 "decks compiled (all)"
assert_eq "$(metric wspgw_wmlc_failed_total)" 2 "failures (all)"

# ---- 3. compile-wml = never / always --------------------------------------
stop_daemon
printf '\n[upstream]\ncompile-wml = never\n' >>"$CONF"
start_daemon "$CONF"
it_get_ok n1 "$base/wml/deck" --tid 0x31 --accept "$WMLC"
assert_eq "$(jget "$T/n1.json" content_type)" text/vnd.wap.wml \
    "compile-wml = never"
cmp -s "$T/n1.body" "$T/deck.wml" || die "never: WML was changed"
it_get_ok n2 "$base/wml/broken" --tid 0x32 --accept "$WMLC"
assert_eq "$(jget "$T/n2.json" content_type)" text/vnd.wap.wml \
    "never: a broken deck passes too"

stop_daemon
sed 's/^compile-wml = never$/compile-wml = always/' "$CONF" >"$CONF.new"
mv "$CONF.new" "$CONF"
start_daemon "$CONF"
it_get_ok a1 "$base/wml/deck" --tid 0x33 --accept text/vnd.wap.wml
assert_eq "$(jget "$T/a1.json" content_type)" "$WMLC" "compile-wml = always"
cmp -s "$T/a1.body" "$T/c1.body" || die "always: different WMLC"

stop_daemon
assert_eq "$GW_RC" 0 "daemon exit status"

# A value the key does not know is refused with FILE:LINE.
sed 's/^compile-wml = always$/compile-wml = sometimes/' "$CONF" >"$T/bad.conf"
if "$WSPGW" -c "$T/bad.conf" --check-config >"$T/bad.out" 2>&1; then
    die "compile-wml = sometimes accepted"
fi
grep -q 'bad.conf:[0-9]*: .*unknown compile-wml value "sometimes"' \
    "$T/bad.out" || die "bad compile-wml message: $(cat "$T/bad.out")"
it_log "ok"
