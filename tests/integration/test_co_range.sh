#!/bin/sh
# tests/integration/test_co_range.sh - Range requests and 206 through a
# WSP session (port 9201, WTP), the session-mode twin of section 4 of
# test_http_semantics.sh.
#
# Checks, with wtpclient.py as the handset and upstream.py as origin:
#   1. "Range: bytes=1000-5999" of a 100000-octet object (/range, which
#      honours the Range): the handset gets WSP 0x26 (206), a
#      Content-Range with first byte 1000 of 100000 (binary, WAP-230
#      8.4.2.23) and exactly those 5000
#      octets (SHA-256 against the same slice computed here); the Result
#      was segmented by WTP (more than one packet) and the upstream saw
#      the Range header;
#   2. a suffix range (bytes=-700) and an open one (bytes=99000-);
#   3. the canned 206 of test_http_semantics.sh (/resp) also comes back
#      as 0x26 with its Content-Range and body;
#   4. without Range the whole object comes back as 0x20.

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

# slice_sha A B: SHA-256 of octets A..B (inclusive) of bin_body(100000, 3).
bin_body 100000 3 "$T/whole.bin"
slice_sha() {
    "$PYTHON" -c '
import hashlib, sys
d = open(sys.argv[1], "rb").read()
print(hashlib.sha256(d[int(sys.argv[2]):int(sys.argv[3]) + 1]).hexdigest())' \
        "$T/whole.bin" "$1" "$2"
}

# ranged NAME RANGE: one session with a Get of /range?...&r=NAME carrying
# RANGE; JSON of the Get in $T/NAME.op.json.
ranged() {
    "$PYTHON" "$IT_SRC/wtpclient.py" --port "$WTP_PORT" --timeout 10 \
        --header "Range: $2" connect \
        "get=$base/range?size=100000&seed=3&r=$1" disconnect \
        >"$T/$1.json" 2>"$T/$1.err" || die "$1: wtpclient failed: \
$(head -c 3000 "$T/$1.json") $(cat "$T/$1.err")"
    "$PYTHON" -c '
import json, sys
json.dump(json.load(open(sys.argv[1]))["ops"][1], open(sys.argv[2], "w"))' \
        "$T/$1.json" "$T/$1.op.json"
}

# ophdr NAME HEADER: a header of the Reply in $T/NAME.op.json.
ophdr() {
    "$PYTHON" -c '
import json, sys
op = json.load(open(sys.argv[1]))
print(", ".join(str(v) for k, v in op.get("headers", [])
                if str(k).lower() == sys.argv[2].lower()))' \
        "$T/$1.op.json" "$2"
}

# crange NAME: the Content-Range of the Reply as "FIRST/TOTAL".  The
# gateway encodes it in binary (WAP-230 8.4.2.23: Value-length, then
# first-byte-pos and entity-length as uintvars; no last-byte-pos, the
# handset knows it from the body length), which wtpclient.py shows as
# "hex:" + the octets after the length; a text form "bytes A-B/T" would
# give A/T.
crange() {
    "$PYTHON" -c '
import sys
v = sys.argv[1].strip()
if v.startswith("hex:"):
    b = bytes.fromhex(v[4:])
    out, x = [], 0
    for o in b:
        x = (x << 7) | (o & 0x7F)
        if not o & 0x80:
            out.append(x)
            x = 0
    print("%d/%d" % tuple(out) if len(out) == 2 else "bad:" + v)
elif v.startswith("bytes "):
    first = v[6:].split("-")[0]
    print("%s/%s" % (first, v.split("/")[-1]))
else:
    print("bad:" + v)' "$(ophdr "$1" Content-Range)"
}

# ---- 1. A middle range -----------------------------------------------------
ranged mid "bytes=1000-5999"
assert_eq "$(jget "$T/mid.op.json" status_hex)" 0x26 "206 -> WSP 0x26"
assert_eq "$(crange mid)" "1000/100000" "Content-Range in the session Reply"
assert_eq "$(jget "$T/mid.op.json" body_len)" 5000 "partial body length"
assert_eq "$(jget "$T/mid.op.json" body_sha256)" "$(slice_sha 1000 5999)" \
    "partial body octets"
[ "$(jget "$T/mid.op.json" packets_in)" -gt 1 ] || \
    die "the 206 was not segmented: $(cat "$T/mid.op.json")"
assert_eq "$(up_last "$up_LOG" header:Range GET \
    "/range?size=100000&seed=3&r=mid")" "bytes=1000-5999" \
    "Range at the upstream"

# ---- 2. Suffix and open ranges ---------------------------------------------
ranged suf "bytes=-700"
assert_eq "$(jget "$T/suf.op.json" status_hex)" 0x26 "suffix range status"
assert_eq "$(crange suf)" "99300/100000" "suffix Content-Range"
assert_eq "$(jget "$T/suf.op.json" body_sha256)" "$(slice_sha 99300 99999)" \
    "suffix range octets"
ranged open "bytes=99000-"
assert_eq "$(crange open)" "99000/100000" "open Content-Range"
assert_eq "$(jget "$T/open.op.json" body_sha256)" \
    "$(slice_sha 99000 99999)" "open range octets"

# ---- 3. The canned 206 of the connectionless test ---------------------------
"$PYTHON" "$IT_SRC/wtpclient.py" --port "$WTP_PORT" --timeout 10 \
    --header "Range: bytes=0-3" connect \
    "get=$base/resp?status=206&h=Content-Range:bytes%200-3/100&body=abcd" \
    disconnect >"$T/canned.json" 2>"$T/canned.err" || die "canned: \
$(cat "$T/canned.json" "$T/canned.err")"
assert_eq "$(jget "$T/canned.json" ops.1.status_hex)" 0x26 "canned 206"
"$PYTHON" -c '
import json, sys
json.dump(json.load(open(sys.argv[1]))["ops"][1], open(sys.argv[2], "w"))' \
    "$T/canned.json" "$T/canned.op.json"
assert_eq "$(crange canned)" "0/100" "canned Content-Range"
assert_eq "$(jget "$T/canned.json" ops.1.body_sha256)" \
    "$(printf abcd | sha256sum | cut -d' ' -f1)" "canned 206 body"

# ---- 4. No Range --------------------------------------------------------------
"$PYTHON" "$IT_SRC/wtpclient.py" --port "$WTP_PORT" --timeout 10 connect \
    "get=$base/range?size=100000&seed=3&r=all" disconnect \
    >"$T/all.json" 2>"$T/all.err" || die "all: $(cat "$T/all.err")"
assert_eq "$(jget "$T/all.json" ops.1.status_hex)" 0x20 "whole object"
assert_eq "$(jget "$T/all.json" ops.1.body_sha256)" "$(slice_sha 0 99999)" \
    "whole object octets"

stop_daemon
assert_eq "$GW_RC" 0 "daemon exit status"
exit 0
