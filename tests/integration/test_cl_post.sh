#!/bin/sh
# tests/integration/test_cl_post.sh - connectionless WSP Post (and Put)
# through the daemon (WAP-230 8.2.3.2: Type, URILen, HeadersLen, URI,
# ContentType, Headers, Data).
#
# Checks: a 5000-octet binary body with content type
# application/vnd.wap.mms-message (well-known 0xBE) reaches the upstream
# exactly once, byte-exact, with that Content-Type; the Reply body equals
# it; a content type with a parameter (text/plain; charset=utf-8, general
# form) and an Extension-media text type survive; Put becomes PUT; an
# empty Post body is a zero-length HTTP body; WSP Content-Length and
# Transfer-Encoding headers cannot change the HTTP framing (no request
# smuggling); upstream response headers
# come back as application headers; a POST the upstream swallows without
# answering (on a reused keep-alive connection) is a 5xx and is delivered
# exactly once, never retried.

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

# body_check NAME METHOD PATH WANTFILE CTYPE: upstream got exactly one
# request METHOD PATH with body WANTFILE and Content-Type CTYPE.
body_check() {
    n=$(up_count "$up_LOG" req "$2" "$3")
    assert_eq "$n" 1 "$1: number of $2 $3 requests at the upstream"
    bf=$(up_last "$up_LOG" body_file "$2" "$3")
    if [ -s "$4" ]; then
        [ -n "$bf" ] && cmp "$bf" "$4" || die "$1: body at upstream differs \
(got $(up_last "$up_LOG" body_len "$2" "$3") octets, want $(wc -c <"$4"))"
    else
        assert_eq "$(up_last "$up_LOG" body_len "$2" "$3")" 0 \
            "$1: body length at upstream"
    fi
    ct=$(up_last "$up_LOG" header:Content-Type "$2" "$3" | tr 'A-Z' 'a-z' |
        tr -d ' ')
    assert_eq "$ct" "$5" "$1: Content-Type at upstream"
}

# 1. 5000 octets of MMS PDU-looking binary (0x8C 0x80 = m-send-req).
bin_body 4998 11 "$T/rand"
{ printf '\214\200'; cat "$T/rand"; } >"$T/mms.bin"
it_get_ok mms "$base/echo?t=mms" --tid 0x31 --data-file "$T/mms.bin" \
    --content-type application/vnd.wap.mms-message
body_check mms POST "/echo?t=mms" "$T/mms.bin" \
    application/vnd.wap.mms-message
cmp "$T/mms.body" "$T/mms.bin" || die "mms: Reply body differs from the \
posted body ($(jget "$T/mms.json" body_len) octets)"
assert_eq "$(jget "$T/mms.json" content_type)" \
    application/vnd.wap.mms-message "mms: Reply content type"
assert_eq "$(jget "$T/mms.json" tid)" 49 "mms: Reply TID"

# 2. General-form content type with charset (1F/len 83 81 EA ...).
printf 'caf\303\251 au lait\n' >"$T/text.bin"
it_get_ok text "$base/echo?t=text" --tid 0x32 --data-file "$T/text.bin" \
    --content-type "text/plain; charset=utf-8"
body_check text POST "/echo?t=text" "$T/text.bin" "text/plain;charset=utf-8"
cmp "$T/text.body" "$T/text.bin" || die "text: Reply body differs"

# 3. Extension-media (a type with no assigned number, sent as text).
printf '{"a": 1}' >"$T/json.bin"
it_get_ok json "$base/echo?t=json" --tid 0x33 --data-file "$T/json.bin" \
    --content-type application/json
body_check json POST "/echo?t=json" "$T/json.bin" application/json

# 4. Put (0x61) with a body becomes an HTTP PUT.
it_get_ok put "$base/echo?t=put" --tid 0x34 --method put \
    --data-file "$T/json.bin" --content-type application/json
body_check put PUT "/echo?t=put" "$T/json.bin" application/json
assert_eq "$(up_count "$up_LOG" req POST "/echo?t=put")" 0 "put sent as POST"

# 5. Empty Post body.
: >"$T/empty.bin"
it_get_ok empty "$base/echo?t=empty" --tid 0x35 --method post \
    --data-file "$T/empty.bin" --content-type text/plain
body_check empty POST "/echo?t=empty" "$T/empty.bin" text/plain
assert_eq "$(jget "$T/empty.json" body_len)" 0 "empty: Reply body length"

# 6. Upstream response headers come back (application header).
"$PYTHON" -c '
import json, sys
h = json.load(open(sys.argv[1]))["headers"]
sys.exit(0 if ["X-Req-Method", "POST"] in h else 1)' "$T/mms.json" || \
    die "Reply lacks the upstream header X-Req-Method: POST: \
$(jget "$T/mms.json" headers)"

# 6b. Framing comes from the datagram, never from WSP headers: a Post
#     claiming Content-Length 10 (8D 8A) or Transfer-Encoding chunked
#     (A7 80) with a 40-octet body that looks like an HTTP request: the
#     upstream gets exactly the 40 octets, once, and no second request.
printf '0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n' >"$T/smug.bin"
for rh in 8d8a a780; do
    it_get_ok "smug$rh" "$base/echo?t=smug$rh" --tid 0x37 --raw-header "$rh" \
        --data-file "$T/smug.bin" --content-type text/plain
    body_check "smug$rh" POST "/echo?t=smug$rh" "$T/smug.bin" text/plain
    assert_eq "$(up_last "$up_LOG" header:Transfer-Encoding POST \
        "/echo?t=smug$rh")" "" "Transfer-Encoding at the upstream ($rh)"
done
sleep 0.3
assert_eq "$(up_count "$up_LOG" req GET /smuggled)" 0 "smuggled requests"

# 7. Nothing was sent twice over the whole run.
assert_eq "$(up_count "$up_LOG" req POST)" 6 "POST requests in total"

# 8. A POST the upstream reads and then drops without answering, on a
#    kept-alive connection (warmed by a Get): 5xx, delivered exactly once
#    (a blind retry on the "dead reused connection" would post twice).
it_get_ok warm "$base/hello?warm=1"
wsp --tid 0x36 --timeout 8 --data-file "$T/mms.bin" \
    --content-type application/vnd.wap.mms-message "$base/drop" \
    >"$T/drop.json"
rc=$?
[ "$rc" = 0 ] || die "POST /drop: no usable Reply (rc $rc): \
$(cat "$T/drop.json")"
st=$(jget "$T/drop.json" status)
[ "$st" -ge 96 ] && [ "$st" -le 111 ] || die "POST /drop: status \
$(jget "$T/drop.json" status_hex), expected 5xx"
sleep 1
assert_eq "$(up_count "$up_LOG" req POST /drop)" 1 \
    "POST /drop deliveries (must be exactly once)"

stop_daemon
assert_eq "$GW_RC" 0 "exit status after SIGTERM"
exit 0
