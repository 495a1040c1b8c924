#!/bin/sh
# tests/integration/test_cl_get.sh - connectionless WSP Get through the
# real daemon to a real HTTP/1.1 upstream (WAP-230 8.2.3.1 Get, 8.2.3.3
# Reply; wsp.md 3-4).
#
# Checks: 0x20 Reply with the Get's TID, byte-exact body, content type
# (well-known text/plain, application/octet-stream, and a type with a
# charset parameter); a 20000-octet body in one datagram; the
# well-known request headers Accept (0x80), Accept-Charset (0x81 and
# 0xBB), Accept-Language (0x83), User-Agent (0xA9) and an application
# header arrive at the upstream as HTTP text headers, also in their
# Value-length forms with a Q-value, and empty values; a chunked upstream
# response is de-chunked and no hop-by-hop header reaches the handset;
# HEAD; TIDs 0x00/0xFF; 20 concurrent slow Gets are not serialised; the
# access log has one line per request.

. "${top_srcdir:?}/tests/integration/lib.sh"

require_peer python3
it_init
it_ports
start_upstream up
ALLOW="127.0.0.1:$up_PORT"
ACCESS_LOG=$T/access.log
CONF=$T/wspgw.conf
write_config "$CONF"
start_daemon "$CONF"
base=http://127.0.0.1:$up_PORT

# 1. /hello: text/plain, known body, TID echoed.
it_get_ok hello "$base/hello" --tid 0x5A
printf 'Hello from the wspgw integration upstream.\n' >"$T/hello.want"
cmp "$T/hello.body" "$T/hello.want" || die "/hello body differs: \
$(od -An -tx1 "$T/hello.body" | head -3)"
assert_eq "$(jget "$T/hello.json" tid)" 90 "/hello Reply TID"
assert_eq "$(jget "$T/hello.json" content_type)" text/plain \
    "/hello content type"

# 2. /bin, 20000 octets: byte-exact, application/octet-stream.
it_get_ok bin "$base/bin?size=20000&seed=7" --tid 0x01
bin_body 20000 7 "$T/bin.want"
cmp "$T/bin.body" "$T/bin.want" || die "/bin 20000 body differs \
(got $(wc -c <"$T/bin.body") octets)"
assert_eq "$(jget "$T/bin.json" content_type)" application/octet-stream \
    "/bin content type"

# 3. Empty body (size=0) is still a Reply.
it_get_ok bin0 "$base/bin?size=0&seed=1" --tid 0x02
assert_eq "$(jget "$T/bin0.json" body_len)" 0 "/bin size=0 body length"

# 4. Content type with a parameter: text/plain; charset=utf-8 must come
#    back with the charset (general form 03 83 81 EA, or text).
it_get_ok ct "$base/ct" --tid 0x03
assert_eq "$(jget "$T/ct.json" content_type)" text/plain "/ct media type"
cs=$(jget "$T/ct.json" content_type_params.charset | tr 'A-Z' 'a-z')
assert_eq "$cs" utf-8 "/ct charset parameter \
(content-type octets $(jget "$T/ct.json" content_type_hex))"
printf 'h\303\251llo\n' >"$T/ct.want"
cmp "$T/ct.body" "$T/ct.want" || die "/ct body differs"

# 5. Well-known and application request headers become HTTP text headers.
it_get_ok hdrs "$base/hello?h=1" --tid 0x04 \
    --accept text/plain --accept application/vnd.wap.wmlc \
    --accept-language en --accept-charset utf-8 \
    --user-agent "Nokia6230/2.0 (wspgw-it)" --header "X-Wap-Test: abc 123"
hv() { up_last "$up_LOG" "header:$1" GET "/hello?h=1" | tr 'A-Z' 'a-z'; }
ua=$(up_last "$up_LOG" header:User-Agent GET "/hello?h=1") \
    || die "the Get with headers never reached the upstream"
assert_eq "$ua" "Nokia6230/2.0 (wspgw-it)" "User-Agent at upstream"
case $(hv Accept) in
    *text/plain*application/vnd.wap.wmlc*) ;;
    *) die "Accept at upstream: '$(hv Accept)', expected text/plain and \
application/vnd.wap.wmlc" ;;
esac
case $(hv Accept-Language) in
    *en*) ;;
    *) die "Accept-Language at upstream: '$(hv Accept-Language)'" ;;
esac
case $(hv Accept-Charset) in
    *utf-8*) ;;
    *) die "Accept-Charset (0x81) at upstream: '$(hv Accept-Charset)'" ;;
esac
assert_eq "$(up_last "$up_LOG" header:X-Wap-Test GET "/hello?h=1")" \
    "abc 123" "application header X-Wap-Test at upstream"

# 6. Accept-Charset with the 1.3 code 0xBB, iso-8859-1 (0x84).
it_get_ok cs13 "$base/hello?h=2" --tid 0x05 --accept-charset iso-8859-1 \
    --charset-code 1.3
case $(up_last "$up_LOG" header:Accept-Charset GET "/hello?h=2" | \
       tr 'A-Z' 'a-z') in
    *iso-8859-1*) ;;
    *) die "Accept-Charset (0xBB 0x84) at upstream: \
'$(up_last "$up_LOG" header:Accept-Charset GET "/hello?h=2")'" ;;
esac

# 6b. Value-length forms with a Q-value (wsp-headers.md 3): Accept
#     80 03 83 80 33 (text/plain; q=0.5), Accept-Language 83 02 99 33
#     (en; q=0.5), Accept-Charset 81 02 EA 33 (utf-8; q=0.5); an
#     application header with an empty value, as 00 and as 7F 00.
it_get_ok qv "$base/hello?h=3" --tid 0x08 --raw-header 8003838033 \
    --raw-header 83029933 --raw-header 8102ea33 --raw-header 582d450000 \
    --raw-header 582d46007f00
for hq in "Accept:text/plain" "Accept-Language:en" "Accept-Charset:utf-8"; do
    v=$(up_last "$up_LOG" "header:${hq%%:*}" GET "/hello?h=3" | tr -d ' ' |
        tr 'A-Z' 'a-z')
    case $v in
        "${hq#*:};q=0.5"|"${hq#*:};q=.5") ;;
        *) die "${hq%%:*} with Q-value 0.5 arrived as '$v'" ;;
    esac
done
"$PYTHON" -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("path") == "/hello?h=3":
        h = r["headers"]
sys.exit(0 if ["X-E", ""] in h and ["X-F", ""] in h else 1)' "$up_LOG" || \
    die "empty application header values (X-E: 00, X-F: 7F 00) did not \
arrive as empty headers: $(up_last "$up_LOG" headers GET "/hello?h=3")"

# 7. One HTTP request per Get: nothing retried or duplicated.
assert_eq "$(up_count "$up_LOG" req GET /hello)" 1 "GET /hello count"
assert_eq "$(up_count "$up_LOG" req GET "/bin?size=20000&seed=7")" 1 \
    "GET /bin count"

# 8. Chunked upstream response: de-chunked body, no Transfer-Encoding in
#    the Reply (hop-by-hop).
it_get_ok chunked "$base/chunked?n=50" --tid 0x06
"$PYTHON" -c 'import sys
sys.stdout.write("".join("chunk line %d\n" % i for i in range(50)))' \
    >"$T/chunked.want"
cmp "$T/chunked.body" "$T/chunked.want" || die "chunked body differs: \
$(head -c 200 "$T/chunked.body")"
"$PYTHON" -c '
import json, sys
h = json.load(open(sys.argv[1]))["headers"]
bad = [n for n, v in h if str(n).lower() in
       ("transfer-encoding", "connection", "keep-alive")]
sys.exit(1 if bad else 0)' "$T/chunked.json" || die "hop-by-hop header in \
the Reply: $(jget "$T/chunked.json" headers)"

# 9. HEAD (0x42): 0x20, no body; TIDs 0x00 and 0xFF echoed.
it_get_ok head "$base/hello?m=head" --method head --tid 0
assert_eq "$(jget "$T/head.json" body_len)" 0 "HEAD Reply body length"
assert_eq "$(jget "$T/head.json" tid)" 0 "HEAD Reply TID 0x00"
assert_eq "$(up_count "$up_LOG" req HEAD "/hello?m=head")" 1 \
    "HEAD requests at the upstream"
it_get_ok tidff "$base/hello?m=ff" --tid 0xff
assert_eq "$(jget "$T/tidff.json" tid)" 255 "Reply TID 0xFF"

# 10. Requests are served concurrently: 20 Gets of a 1 s resource from 20
#     clients overlap at the upstream.  Judged by the upstream's own
#     arrival times, not by wall-clock time of the whole batch (python
#     start-up on a loaded machine is slow): a serialising gateway could
#     never hand the upstream two 1 s requests less than 1 s apart.
pids=
i=0
while [ "$i" -lt 20 ]; do
    wsp --tid "$i" --timeout 30 "$base/slow?s=1&c=$i" >"$T/conc$i.json" &
    pids="$pids $!"
    i=$((i + 1))
done
for p in $pids; do
    wait "$p" || die "concurrent Get (pid $p) got no Reply"
done
overlap=$("$PYTHON" -c '
import json, sys
ts = sorted(e["t"] for e in map(json.loads, open(sys.argv[1]))
            if e.get("ev") == "req" and "/slow?s=1&c=" in e.get("path", ""))
best = max((sum(1 for u in ts if t <= u < t + 0.9) for t in ts), default=0)
print(best)' "$up_LOG")
[ "$overlap" -ge 5 ] || die "the upstream never had more than $overlap of \
the 20 slow Gets arriving within 0.9 s (serialised?)"
i=0
while [ "$i" -lt 20 ]; do
    assert_eq "$(jget "$T/conc$i.json" status_hex)" 0x20 "concurrent Get $i"
    i=$((i + 1))
done

# 11. Application headers from the upstream: a value starting with an
#     octet >= 0x80 needs the Quote (7F), an empty value is 00 (or 7F 00),
#     WAP-230 8.4.2.1 Text-string.
it_get_ok apph "$base/resp?h=X-L:%C3%A9t%C3%A9&h=X-Empty:&h=X-A:plain" \
    --tid 0x07
hx=$(jget "$T/apph.json" headers_hex)
case $hx in
    *582d4c007fc3a974c3a900*) ;;
    *) die "X-L: \303\251t\303\251 not encoded as \
58 2D 4C 00 7F C3 A9 74 C3 A9 00 in headers $hx" ;;
esac
case $hx in
    *582d456d7074790000*|*582d456d707479007f00*) ;;
    *) die "empty X-Empty not encoded as 58 2D 45 6D 70 74 79 00 00 (or \
7F 00) in headers $hx" ;;
esac
case $hx in
    *582d4100706c61696e00*) ;;
    *) die "X-A: plain not encoded as an application header in $hx" ;;
esac

# 12. Keep-alive to the upstream (gateway/http.h): reported, not enforced.
it_log "upstream: $(up_count "$up_LOG" conn) connections for \
$(up_count "$up_LOG" req) requests"

# 13. Access log: a line per request naming method, URL and status.
wait_grep "$ACCESS_LOG" "h=X-A:plain" || \
    die "access log lacks the last request"
[ -s "$ACCESS_LOG" ] || die "access log $ACCESS_LOG is empty"
n=$(wc -l <"$ACCESS_LOG")
[ "$n" -ge 31 ] || die "access log has $n lines, expected >= 31: \
$(cat "$ACCESS_LOG")"
grep "/bin?size=20000&seed=7" "$ACCESS_LOG" | grep -q GET || \
    die "access log misses the /bin line: $(cat "$ACCESS_LOG")"
grep "/bin?size=20000&seed=7" "$ACCESS_LOG" | \
    grep -Eq "(^|[^0-9])200([^0-9]|$)" || \
    die "access log /bin line lacks status 200: $(cat "$ACCESS_LOG")"
grep "/bin?size=20000&seed=7" "$ACCESS_LOG" | grep -q 127.0.0.1 || \
    die "access log /bin line lacks the client address"
grep "/bin?size=20000&seed=7" "$ACCESS_LOG" | grep -q " 20000 " || \
    die "access log /bin line lacks the byte count 20000: \
$(grep "/bin?size=20000&seed=7" "$ACCESS_LOG")"
grep "/bin?size=20000&seed=7" "$ACCESS_LOG" | \
    grep -Eq "[0-9](\.[0-9]+)? ?(ms|s)?\$" || die "access log /bin line does \
not end with a duration: $(grep "/bin?size=20000&seed=7" "$ACCESS_LOG")"

stop_daemon
assert_eq "$GW_RC" 0 "exit status after SIGTERM"
exit 0
