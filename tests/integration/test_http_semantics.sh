#!/bin/sh
# tests/integration/test_http_semantics.sh - what the gateway adds to and
# keeps from an HTTP exchange (issue 4, "HTTP semantics").
#
# Checks, through the real daemon to upstream.py:
#   1. UAProf: a Profile / Profile-Diff field becomes x-wap-profile (the
#      URI quoted, then "N-<MD5>" per diff) / x-wap-profile-diff ("N;"
#      and the XML; a binary 0xB6 WBXML diff is decoded); an
#      x-wap-profile application header passes unchanged; a binary
#      Profile (0xB5) is mapped too;
#      x-wap-profile-warning from the origin comes back as
#      Profile-Warning.
#   2. Via: 1.1 wspgw (appended to the handset's Via) and the client
#      address (X-WAP-Network-Client-IP by default) upstream; forged
#      X-Forwarded-For / X-WAP-Network-Client-IP from the handset are
#      removed; no Referer is added.  Then via = no and
#      client-ip-header = X-Forwarded-For after a restart.
#   3. All methods, connectionless: GET, OPTIONS, HEAD, DELETE, TRACE,
#      POST, PUT reach the upstream with that method, and POST/PUT with
#      their exact body; over a session (wtpclient.py): GET, POST, PUT,
#      and the session's Profile header.
#   4. Range / 206: a handset Range header reaches the upstream (sent as a
#      text application header, and as the binary Range 0xA3); a 206 with Content-Range comes back as WSP 0x26
#      with Content-Range and the partial body.

. "${top_srcdir:?}/tests/integration/lib.sh"

require_peer python3
it_init
it_ports
start_upstream up
ALLOW="127.0.0.1:$up_PORT"
CONF=$T/wspgw.conf
write_config "$CONF"
start_daemon "$CONF"
base=http://127.0.0.1:$up_PORT

# hv NAME PATH [METHOD]: that request header as the upstream saw it.
hv() {
    up_last "$up_LOG" "header:$1" "${3:-GET}" "$2" \
        || die "no ${3:-GET} $2 reached the upstream"
}

# hn NAME PATH: how many times the header came in the last GET of PATH.
hn() {
    "$PYTHON" -c '
import json, sys
last = None
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["ev"] == "req" and r["method"] == "GET" and r["path"] == sys.argv[3]:
        last = r
print(sum(1 for k, v in last["headers"] if k.lower() == sys.argv[2].lower()))
' "$up_LOG" "$1" "$2"
}

# ---- 1. UAProf ----------------------------------------------------------
it_get_ok prof1 "$base/hello?p=1" --tid 0x10 \
    --header "Profile: http://uaprof.example/n6230.rdf" \
    --header "Profile-Diff: <rdf:RDF/>"
# md5b64 TEXT: base64 of the MD5 of TEXT (WAP-248 9.1.2.2), by Python.
md5b64() {
    "$PYTHON" -c 'import base64, hashlib, sys
print(base64.b64encode(hashlib.md5(sys.argv[1].encode()).digest()).decode())' "$1"
}
assert_eq "$(hv x-wap-profile "/hello?p=1")" \
    "\"http://uaprof.example/n6230.rdf\", \"1-$(md5b64 '<rdf:RDF/>')\"" \
    "Profile -> x-wap-profile (quoted), with the diff's reference"
assert_eq "$(hv x-wap-profile-diff "/hello?p=1")" "1;<rdf:RDF/>" \
    "Profile-Diff -> x-wap-profile-diff"
assert_eq "$(hv Profile "/hello?p=1")" "" "WSP name Profile upstream"

# A WSP Quoted-string (8.4.2.1) is <"> TEXT End-of-string, without the
# closing quote; the codec renders it as an HTTP quoted-string.
it_get_ok prof2 "$base/hello?p=2" --tid 0x11 \
    --header 'Profile: "http://uaprof.example/q.rdf'
assert_eq "$(hv x-wap-profile "/hello?p=2")" \
    '"http://uaprof.example/q.rdf"' "quoted Profile stays quoted once"

it_get_ok prof3 "$base/hello?p=3" --tid 0x12 \
    --header "x-wap-profile: http://uaprof.example/app.rdf"
assert_eq "$(hv x-wap-profile "/hello?p=3")" \
    "http://uaprof.example/app.rdf" "application x-wap-profile unchanged"
assert_eq "$(hn x-wap-profile "/hello?p=3")" 1 "x-wap-profile count"

it_get_ok prof4 "$base/hello?p=4" --tid 0x13
assert_eq "$(hv x-wap-profile "/hello?p=4")" "" "no profile, none added"

# Binary Profile (0x35 | 0x80, Uri-value "http://p/b.rdf").
it_get_ok prof5 "$base/hello?p=5" --tid 0x14 \
    --raw-header b5687474703a2f2f702f622e72646600
assert_eq "$(hv x-wap-profile "/hello?p=5")" '"http://p/b.rdf"' \
    "binary Profile (0xB5) as x-wap-profile"

# Binary Profile-Diff (0x36 | 0x80, Value-length, WBXML UAProf document:
# <rdf:RDF><rdf:Description ID="HardwarePlatform"><prf:ColorCapable>Yes
# </prf:ColorCapable></rdf:Description></rdf:RDF>, WAP-248 8.3 tokens)
# after a binary Profile: decoded to XML, numbered, digested.
pd_xml='<?xml version="1.0"?><rdf:RDF><rdf:Description ID="HardwarePlatform"><prf:ColorCapable>Yes</prf:ColorCapable></rdf:Description></rdf:RDF>'
it_get_ok prof6 "$base/hello?p=6" --tid 0x16 \
    --raw-header b5687474703a2f2f702f622e72646600 \
    --raw-header b61f2503016a0045c605034861726477617265506c6174666f726d000100014f0359657300010101
assert_eq "$(hv x-wap-profile-diff "/hello?p=6")" "1;$pd_xml" \
    "binary Profile-Diff (0xB6) decoded to XML as x-wap-profile-diff"
assert_eq "$(hv x-wap-profile "/hello?p=6")" \
    "\"http://p/b.rdf\", \"1-$(md5b64 "$pd_xml")\"" \
    "x-wap-profile lists the URI and the diff's digest"

# x-wap-profile-warning from the origin reaches the handset as WSP's
# Profile-Warning (0x37; as text where the codec cannot encode it).
it_get_ok pw "$base/resp?h=x-wap-profile-warning:100" --tid 0x15
pw=$("$PYTHON" -c '
import json, sys
h = json.load(open(sys.argv[1]))["headers"]
items = h.items() if isinstance(h, dict) else h
print(" ".join("%s=%s" % (k, v) for k, v in items
               if "profile-warning" in str(k).lower()))' "$T/pw.json")
case $pw in
    # wspclient shows the binary Warn-code as is: 0x10 (16) is 100.
    [Pp]rofile-[Ww]arning=100|[Pp]rofile-[Ww]arning=16) ;;
    x-wap-profile-warning=100) ;;
    *) die "x-wap-profile-warning in the Reply: '$pw' \
($(jget "$T/pw.json" headers_hex))" ;;
esac
it_log "x-wap-profile-warning came back as $pw"

# ---- 2. Via and the client address (defaults) --------------------------
it_get_ok via1 "$base/hello?v=1" --tid 0x20 \
    --header "X-Forwarded-For: 6.6.6.6" \
    --header "X-WAP-Network-Client-IP: 6.6.6.7"
assert_eq "$(hv Via "/hello?v=1")" "1.1 wspgw" "Via added"
assert_eq "$(hv X-WAP-Network-Client-IP "/hello?v=1")" 127.0.0.1 \
    "X-WAP-Network-Client-IP is the handset's address"
assert_eq "$(hv X-Forwarded-For "/hello?v=1")" "" \
    "forged X-Forwarded-For removed"
assert_eq "$(hn X-WAP-Network-Client-IP "/hello?v=1")" 1 \
    "X-WAP-Network-Client-IP count"
assert_eq "$(hv Referer "/hello?v=1")" "" "no Referer injected"

it_get_ok via2 "$base/hello?v=2" --tid 0x21 --header "Via: 1.0 wap-proxy"
assert_eq "$(hv Via "/hello?v=2")" "1.0 wap-proxy, 1.1 wspgw" \
    "Via appended to the handset's"

# A Referer the handset sent itself passes unchanged.
it_get_ok via3 "$base/hello?v=3" --tid 0x22 \
    --header "Referer: http://deck.example/a.wml"
assert_eq "$(hv Referer "/hello?v=3")" "http://deck.example/a.wml" \
    "handset Referer passed"

# ---- 3. All methods, connectionless ------------------------------------
printf 'body of a wsp request\n' >"$T/small.bin"
bin_body 3000 5 "$T/mid.bin"
want_small=$(sha256sum "$T/small.bin" | cut -d' ' -f1)
want_mid=$(sha256sum "$T/mid.bin" | cut -d' ' -f1)
tid=48
for m in get options head delete trace post put; do
    M=$(echo "$m" | tr a-z A-Z)
    data=
    case $m in
        post) data="--data-file $T/small.bin --content-type text/plain" ;;
        put) data="--data-file $T/mid.bin \
--content-type application/octet-stream" ;;
    esac
    # shellcheck disable=SC2086
    it_get_ok "m_$m" "$base/echo?m=$m" --tid "$tid" --method "$m" $data
    tid=$((tid + 1))
    assert_eq "$(up_count "$up_LOG" req "$M" "/echo?m=$m")" 1 \
        "$M requests at the upstream"
    bl=$(up_last "$up_LOG" body_len "$M" "/echo?m=$m")
    sh=$(up_last "$up_LOG" body_sha256 "$M" "/echo?m=$m")
    case $m in
        post) assert_eq "$sh" "$want_small" "POST body at the upstream" ;;
        put) assert_eq "$sh" "$want_mid" "PUT body at the upstream" ;;
        *) assert_eq "$bl" 0 "$M body length at the upstream" ;;
    esac
    case $m in
        head) assert_eq "$(jget "$T/m_$m.json" body_len)" 0 \
            "HEAD reply body" ;;
        post) cmp "$T/m_$m.body" "$T/small.bin" \
            || die "POST echo body differs" ;;
        put) cmp "$T/m_$m.body" "$T/mid.bin" \
            || die "PUT echo body differs" ;;
    esac
done

# ---- 4. Range and 206 ---------------------------------------------------
it_log "Range as a text header; the binary form is checked below"
r206="$base/resp?status=206&h=Content-Range:bytes%200-3/100&body=abcd"
wsp --out "$T/r206.body" --tid 0x40 --header "Range: bytes=0-3" \
    "$r206" >"$T/r206.json" || die "206: no reply: $(cat "$T/r206.json")"
assert_eq "$(jget "$T/r206.json" status_hex)" 0x26 "206 -> WSP 0x26"
assert_eq "$(cat "$T/r206.body")" abcd "206 partial body"
assert_eq "$(up_last "$up_LOG" header:Range GET \
    "/resp?status=206&h=Content-Range:bytes%200-3/100&body=abcd")" \
    "bytes=0-3" "Range at the upstream"
"$PYTHON" -c '
import json, sys
h = json.load(open(sys.argv[1]))["headers"]
items = h.items() if isinstance(h, dict) else h
# Text, or the binary form (WAP-230 8.4.2.23: Value-length, first byte
# position 0 and entity length 100 as uintvars; wspclient shows the
# octets after the length as hex).
ok = any(str(k).lower() == "content-range" and
         str(v).replace(" ", "") in ("bytes0-3/100", "hex:0064")
         for k, v in items)
sys.exit(0 if ok else 1)' "$T/r206.json" || die "Content-Range in the \
206 Reply: $(jget "$T/r206.json" headers) ($(jget "$T/r206.json" \
headers_hex))"

# Binary Range (0xA3, WAP-230 8.4.2.54): Value-length 3, Byte-range
# (0x80), first 0, last 99.
it_get_ok rbin "$base/hello?r=bin" --tid 0x41 --raw-header a303800063
assert_eq "$(up_last "$up_LOG" header:Range GET "/hello?r=bin")" \
    "bytes=0-99" "binary Range (0xA3) at the upstream"

# ---- 3b. Methods and UAProf over a session (port 9201) ------------------
"$PYTHON" "$IT_SRC/wtpclient.py" --port "$WTP_PORT" --timeout 10 \
    --session-header "Profile: http://uaprof.example/sess.rdf" \
    --data-file "$T/mid.bin" --content-type application/octet-stream \
    connect "get=$base/echo?s=get" "post=$base/echo?s=post" \
    "put=$base/echo?s=put" disconnect >"$T/co.json" 2>"$T/co.err" \
    || die "wtpclient session: $(head -c 2000 "$T/co.json") \
$(cat "$T/co.err")"
for m in get post put; do
    M=$(echo "$m" | tr a-z A-Z)
    assert_eq "$(up_count "$up_LOG" req "$M" "/echo?s=$m")" 1 \
        "session $M at the upstream"
done
assert_eq "$(up_last "$up_LOG" body_sha256 POST "/echo?s=post")" \
    "$want_mid" "session POST body"
assert_eq "$(up_last "$up_LOG" body_sha256 PUT "/echo?s=put")" \
    "$want_mid" "session PUT body"
assert_eq "$(up_last "$up_LOG" header:x-wap-profile GET "/echo?s=get")" \
    '"http://uaprof.example/sess.rdf"' "session Profile -> x-wap-profile"
assert_eq "$(up_last "$up_LOG" header:Via GET "/echo?s=get")" "1.1 wspgw" \
    "session Via"
assert_eq "$(up_last "$up_LOG" header:X-WAP-Network-Client-IP GET \
    "/echo?s=get")" 127.0.0.1 "session client address"

# ---- 2b. via = no, client-ip-header = X-Forwarded-For -------------------
stop_daemon
cat >>"$CONF" <<EOC

[upstream]
via = no
client-ip-header = X-Forwarded-For
EOC
start_daemon "$CONF"
it_get_ok via4 "$base/hello?v=4" --tid 0x23 \
    --header "X-Forwarded-For: 6.6.6.6" --header "Via: 1.0 wap-proxy"
assert_eq "$(hv X-Forwarded-For "/hello?v=4")" 127.0.0.1 \
    "X-Forwarded-For replaced by the handset's address"
assert_eq "$(hv X-WAP-Network-Client-IP "/hello?v=4")" "" \
    "no X-WAP-Network-Client-IP when another header is configured"
assert_eq "$(hv Via "/hello?v=4")" "1.0 wap-proxy" "via = no: Via as sent"

stop_daemon
sed -i 's/^client-ip-header = .*/client-ip-header =/' "$CONF"
start_daemon "$CONF"
it_get_ok via5 "$base/hello?v=5" --tid 0x24 \
    --header "X-WAP-Network-Client-IP: 6.6.6.7"
assert_eq "$(hv X-WAP-Network-Client-IP "/hello?v=5")" "" \
    "client-ip-header empty: forged header still removed, none added"
assert_eq "$(hv X-Forwarded-For "/hello?v=5")" "" "no X-Forwarded-For"
assert_eq "$(hv Via "/hello?v=5")" "" "via = no, no Via"
stop_daemon
assert_eq "$GW_RC" 0 "daemon exit status"
exit 0
