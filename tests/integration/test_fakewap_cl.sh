#!/bin/sh
# tests/integration/test_fakewap_cl.sh - Kannel's handset simulator
# (fakewap, Debian package kannel-extras) against the daemon, in
# connectionless mode (-M 0: TID octet + WSP PDU on the WSP port).
#
# What fakewap sends (seen on the wire, see the report in the commit):
#   Get:  TID 40 URILen URI 80 80            (Accept: */*; no User-Agent)
#   Post: TID 60 URILen HeadersLen URI "text/plain" 00 | with -C mms
#         "application/vnd.wap.mms-message" 00 (Extension-media text, not
#         0xBE), A9 "fakewap" 00 (User-Agent; -A changes it),
#         8D <Content-Length>, 80 80; then the file.
# TIDs start at 1 and count up; one source port per run.  -w FILE keeps
# the last Reply body.  fakewap exits 0 whatever happens; its log says
# "Received WSP Reply with status code 200OK", "Warning - received reply
# with status NNN", or "Timeout while receiving from socket." (after
# 10 s).  Not used here: -c N > 1 (threads): in about half the runs one
# thread misses its Reply (a capture shows the gateway answered every
# (port, TID)) and fakewap then PANICs in octstr_grow.
#
# Checks: GET /hello and /bin (20000 octets) byte-exact via -w; three
# GETs in one run (-m 3) each reach the upstream; POST of a 3000-octet
# file with -C mms and -C text arrives once, byte-exact, with the textual
# content type, and the Reply body (from /echo) equals the file; a 404 is
# reported as 404.

. "${top_srcdir:?}/tests/integration/lib.sh"

require_peer python3
require_peer fakewap
it_init
it_ports
start_upstream up
ALLOW="127.0.0.1:$up_PORT"
CONF=$T/wspgw.conf
write_config "$CONF"
start_daemon "$CONF"
base=http://127.0.0.1:$up_PORT

# fw NAME fakewap-args...: run fakewap bounded, log in $T/NAME.fw.
fw() {
    _fn=$1
    shift
    timeout 30 "$FAKEWAP" -M 0 -g 127.0.0.1 -p "$WSP_PORT" "$@" \
        >"$T/$_fn.fw" 2>&1
    _frc=$?
    [ "$_frc" = 0 ] || die "fakewap $_fn exited $_frc: $(cat "$T/$_fn.fw")"
    if grep -q "Timeout while receiving" "$T/$_fn.fw"; then
        die "fakewap $_fn: no Reply (fakewap timed out): $(cat "$T/$_fn.fw")"
    fi
}

fw_ok() {
    grep -q "Received WSP Reply with status code 200" "$T/$1.fw" || \
        die "fakewap $1: no 200 Reply: $(cat "$T/$1.fw")"
}

# 1. GET /hello.
fw hello -w "$T/hello.body" "$base/hello"
fw_ok hello
printf 'Hello from the wspgw integration upstream.\n' >"$T/hello.want"
cmp "$T/hello.body" "$T/hello.want" || die "fakewap /hello body differs"

# 2. GET /bin, 20000 octets.
fw bin -w "$T/bin.body" "$base/bin?size=20000&seed=9"
fw_ok bin
bin_body 20000 9 "$T/bin.want"
cmp "$T/bin.body" "$T/bin.want" || die "fakewap /bin body differs \
($(wc -c <"$T/bin.body") octets)"

# 3. Three GETs in one run, TIDs 1..3 from one source port.
fw multi -m 3 -i 0.1 "$base/hello?m=1"
n=$(grep -c "Received WSP Reply with status code 200" "$T/multi.fw")
assert_eq "$n" 3 "fakewap -m 3: 200 Replies"
assert_eq "$(up_count "$up_LOG" req GET "/hello?m=1")" 3 \
    "fakewap -m 3: requests at the upstream"

# 4. POST with -C mms: content type sent as text, body 3000 octets.
bin_body 3000 5 "$T/post.bin"
fw pmms -C mms -P "$T/post.bin" -w "$T/pmms.body" "$base/echo?f=mms"
fw_ok pmms
assert_eq "$(up_count "$up_LOG" req POST "/echo?f=mms")" 1 \
    "fakewap POST -C mms: requests at the upstream"
cmp "$(up_last "$up_LOG" body_file POST "/echo?f=mms")" "$T/post.bin" || \
    die "fakewap POST -C mms: body at the upstream differs"
assert_eq "$(up_last "$up_LOG" header:Content-Type POST "/echo?f=mms")" \
    application/vnd.wap.mms-message "fakewap POST -C mms: Content-Type"
assert_eq "$(up_last "$up_LOG" header:User-Agent POST "/echo?f=mms")" \
    fakewap "fakewap POST: User-Agent at the upstream"
cmp "$T/pmms.body" "$T/post.bin" || die "fakewap POST -C mms: Reply body \
differs from the posted file"

# 5. POST with -C text.
fw ptext -C text -A "FakeHandset/1.0" -P "$T/post.bin" "$base/echo?f=text"
fw_ok ptext
assert_eq "$(up_count "$up_LOG" req POST "/echo?f=text")" 1 \
    "fakewap POST -C text: requests at the upstream"
ct=$(up_last "$up_LOG" header:Content-Type POST "/echo?f=text")
case $ct in
    text/plain*) ;;
    *) die "fakewap POST -C text: Content-Type at upstream '$ct'" ;;
esac
assert_eq "$(up_last "$up_LOG" header:User-Agent POST "/echo?f=text")" \
    "FakeHandset/1.0" "fakewap POST -A: User-Agent at the upstream"

# 6. 404 comes back as 404.
fw s404 "$base/status/404"
grep -q "received reply with status 404" "$T/s404.fw" || \
    die "fakewap /status/404: $(cat "$T/s404.fw")"

stop_daemon
assert_eq "$GW_RC" 0 "exit status after SIGTERM"
exit 0
