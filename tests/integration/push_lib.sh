# tests/integration/push_lib.sh - helpers for the push delivery tests,
# sourced after lib.sh.
#
#   start_smsc [smsc.pl options]   the Net::SMPP fake SMSC on a free port:
#                                  sets SMSC_PORT, SMSC_LOG, SMSC_PID
#   write_push_config FILE         write_config plus [push] and [smsc]
#                                  from QUEUE, SMSC_PORT and PUSH_EXTRA
#                                  (extra lines, appended to [smsc])
#   inject COUNT [options]         push_inject into $QUEUE
#   wait_metric NAME VALUE SECONDS until the counter reaches VALUE
#   start_capture FILTER / stop_capture  dumpcap on lo with the capture
#                                  filter FILTER (or a bare TCP port) into
#                                  $CAP (skips when lo cannot be captured,
#                                  fails under REQUIRE_PEERS)
#   start_handset ADDR             a UDP listener on ADDR:2948 that logs
#                                  each datagram as hex to $T/handset.log

INJECT=$top_builddir/tests/integration/push_inject

require_smpp_peer() {
    require_peer perl
    if ! perl -MNet::SMPP -e 1 2>/dev/null; then
        if [ "${WSPGW_REQUIRE_PEERS:-0}" = 1 ]; then
            printf 'FAIL: %s: required peer Net::SMPP (libnet-smpp-perl) is missing\n' "$IT_NAME" >&2
            exit 1
        fi
        skip "peer Net::SMPP (libnet-smpp-perl) not installed"
    fi
    [ -x "$INJECT" ] || die "$INJECT not built (make check builds it)"
}

start_smsc() {
    SMSC_LOG=$T/smsc.log
    : >"$SMSC_LOG"
    rm -f "$T/smsc.port"
    perl "$IT_SRC/smsc.pl" --port-file "$T/smsc.port" --log "$SMSC_LOG" \
        "$@" 2>"$T/smsc.stderr" &
    SMSC_PID=$!
    it_register "$SMSC_PID"
    _n=0
    while [ ! -s "$T/smsc.port" ] && [ "$_n" -lt 50 ]; do
        kill -0 "$SMSC_PID" 2>/dev/null || {
            cat "$T/smsc.stderr" >&2
            die "smsc.pl failed to start"
        }
        sleep 0.1
        _n=$((_n + 1))
    done
    [ -s "$T/smsc.port" ] || die "smsc.pl did not start"
    SMSC_PORT=$(cat "$T/smsc.port")
}

stop_smsc() {
    it_kill "$SMSC_PID" 3
    it_unregister "$SMSC_PID"
}

write_push_config() {
    write_config "$1"
    {
        echo ""
        echo "[push]"
        echo "queue = $QUEUE"
        echo "retry-min = ${RETRY_MIN:-1}"
        echo "retry-max = ${RETRY_MAX:-2}"
        echo ""
        echo "[smsc]"
        echo "host = 127.0.0.1"
        echo "port = $SMSC_PORT"
        echo "system-id = wspgw"
        echo "password = secret"
        printf '%s\n' "${PUSH_EXTRA:-}"
    } >>"$1"
}

inject() {
    "$INJECT" "$QUEUE" "$@" >"$T/inject.out" 2>&1 || \
        die "push_inject $*: $(cat "$T/inject.out")"
}

wait_metric() {
    _wend=$(($(date +%s) + $3))
    while [ "$(date +%s)" -le "$_wend" ]; do
        daemon_alive || die "daemon died"
        [ "$(metric "$1")" = "$2" ] && return 0
        sleep 0.1
    done
    die "$1 is $(metric "$1") after $3 s, expected $2"
}

start_capture() {
    require_peer dumpcap
    CAP=$T/smpp.pcapng
    _probe=$(free_port udp 127.0.0.1)
    case $1 in
        *[!0-9]*) _cf=$1 ;;
        *) _cf="tcp port $1" ;;
    esac
    dumpcap -q -i lo -f "$_cf or udp port $_probe" -w "$CAP" \
        >"$T/dumpcap.out" 2>&1 &
    CAP_PID=$!
    it_register "$CAP_PID"
    _n=0
    while [ "$_n" -lt 40 ]; do
        pid_running "$CAP_PID" || break
        "$PYTHON" -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"probe", ("127.0.0.1", int(sys.argv[1])))' "$_probe"
        if [ -s "$CAP" ] && tshark -n -r "$CAP" -Y "udp.dstport == $_probe" \
            2>/dev/null | grep -q .; then
            return 0
        fi
        sleep 0.2
        _n=$((_n + 1))
    done
    _msg="dumpcap cannot capture on lo: $(cat "$T/dumpcap.out")"
    [ "${WSPGW_REQUIRE_PEERS:-0}" = 1 ] && die "$_msg"
    skip "$_msg"
}

stop_capture() {
    sleep 0.5
    it_kill "$CAP_PID" 3
    it_unregister "$CAP_PID"
}

start_handset() {
    : >"$T/handset.log"
    "$PYTHON" -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 2948))
open(sys.argv[2] + ".ready", "w").close()
while True:
    data, peer = s.recvfrom(65535)
    with open(sys.argv[2], "a") as f:
        f.write("%s %d %s\n" % (peer[0], peer[1], data.hex()))
' "$1" "$T/handset.log" 2>"$T/handset.err" &
    HANDSET_PID=$!
    it_register "$HANDSET_PID"
    _n=0
    while [ ! -e "$T/handset.log.ready" ] && [ "$_n" -lt 50 ]; do
        kill -0 "$HANDSET_PID" 2>/dev/null || \
            die "handset listener: $(cat "$T/handset.err")"
        sleep 0.1
        _n=$((_n + 1))
    done
}
