#!/bin/sh
# tests/integration/test_harness.sh - checks the harness, not the daemon:
# wspclient.py's encoder and decoder against the vectors of
# ../shared/reference (wsp.md 8 uintvar, wsp-headers.md 2/4) and against
# Wireshark's WSP dissector, so that a disagreement between wspclient.py
# and gateway/wspgw can be blamed on the right side.
#
# Checks: uintvar vectors; Content-type-value short/general/text forms;
# Reply decoding (general form with charset, application headers,
# Quote); a Get carrying Accept, Accept-Charset (0x81 and 0xBB),
# Accept-Language, User-Agent and an application header, and a Post
# with a general-form content type, written by wspclient.py into a pcap
# and decoded by tshark with no malformed/expert items and the same
# values.

. "${top_srcdir:?}/tests/integration/lib.sh"

require_peer python3
require_peer tshark
it_init

"$PYTHON" - "$IT_SRC" <<'PY' || die "wspclient.py vector self-check failed"
import sys
sys.path.insert(0, sys.argv[1])
import wspclient as w
for v, e in [(0, "00"), (127, "7f"), (128, "8100"), (1000, "8768"),
             (3000, "9738"), (5000, "a708"), (16383, "ff7f"),
             (16384, "818000"), (307200, "92e000"),
             (0xFFFFFFFF, "8fffffff7f")]:
    assert w.uintvar(v).hex() == e, (v, w.uintvar(v).hex(), e)
    assert w.Reader(bytes.fromhex(e)).uintvar() == v
for ct, e in [("text/plain; charset=utf-8", "038381ea"),
              ("application/vnd.wap.mms-message", "be"),
              ("application/x-foo", "6170706c69636174696f6e2f782d666f6f00")]:
    got = w.encode_content_type(ct).hex()
    assert got == e, (ct, got, e)
r, body = w.decode_reply(bytes.fromhex(
    "07 04 44 18 1f 0b da 81 ea 66 6f 6f 00 62 61 72 00"
    " 58 2d 41 00 7f c3 a9 00 9c 61 00 ff"))
assert r["tid"] == 7 and r["status_hex"] == "0x44", r
assert r["content_type"] == "application/octet-stream", r
assert r["content_type_params"] == {"charset": "utf-8", "foo": "bar"}, r
assert r["headers"] == [["X-A", "\u00e9"], ["Location", "a"]], r
assert body == b"\xff"
for bad in ["01", "0104", "010420", "01042005", "0104208fffffffff7f",
            "010420021f"]:
    try:
        w.decode_reply(bytes.fromhex(bad))
    except w.DecodeError:
        continue
    raise AssertionError("decoded truncated reply " + bad)
PY

# A UDP port where nobody answers: the client records what it sends.
port=$(free_port udp)
P=$T/enc.pcap
"$PYTHON" "$IT_SRC/wspclient.py" --port "$port" --tid 0x21 --timeout 0.3 \
    --expect-silence --pcap "$P" --pcap-append \
    --accept text/plain --accept application/x-foo --accept-charset utf-8 \
    --accept-language en --user-agent "Harness/1.0" --header "X-H: v" \
    "http://example.net/get" >/dev/null || die "wspclient Get"
"$PYTHON" "$IT_SRC/wspclient.py" --port "$port" --tid 0x22 --timeout 0.3 \
    --expect-silence --pcap "$P" --pcap-append --charset-code 1.3 \
    --accept-charset iso-8859-1 "http://example.net/get2" >/dev/null || \
    die "wspclient Get 2"
"$PYTHON" "$IT_SRC/wspclient.py" --port "$port" --tid 0x23 --timeout 0.3 \
    --expect-silence --pcap "$P" --pcap-append --data-hex 414243 \
    --content-type "text/plain; charset=utf-8" "http://example.net/post" \
    >/dev/null || die "wspclient Post"

tshark -n -r "$P" -d "udp.port==$port,wsp" -V >"$T/enc.txt" 2>"$T/enc.err" \
    || die "tshark: $(cat "$T/enc.err")"
if grep -i -e malformed -e "Expert Info" "$T/enc.txt"; then
    die "tshark finds problems in wspclient's PDUs: $(cat "$T/enc.txt")"
fi
for want in "Transaction ID: 0x21" "Accept: text/plain" \
    "Accept: application/x-foo" "Accept-Charset: UTF-8" \
    "Accept-Language: English (en)" "User-Agent: Harness/1.0" "X-H: v" \
    "Header name: Accept-Charset (59)" "Accept-Charset: ISO-8859-1" \
    "Method: Post (0x60)" "Content-Type: text/plain; charset=UTF-8" \
    "URI: http://example.net/post"; do
    grep -qF "$want" "$T/enc.txt" || die "tshark does not show '$want':
$(sed -n "/Wireless Session/,/^$/p" "$T/enc.txt")"
done
exit 0
