# tests/integration/lib.sh - shared helpers for the integration tests.
#
# Sourced (POSIX sh, runs under dash) by tests/integration/test_*.sh.  The
# automake harness exports top_srcdir and top_builddir (absolute).
#
# Rules every test gets from here (STYLE.md 3.8):
#   - exit 0 pass, 1 fail, 77 skip; a missing peer (python3, tshark,
#     fakewap, ...) skips, unless WSPGW_REQUIRE_PEERS=1, where it fails;
#   - everything a test starts is registered and killed by the EXIT trap,
#     and its temp dir (under $top_builddir/tests/integration/tmp/) is
#     removed (kept when WSPGW_KEEP_TMP=1, for post-mortems);
#   - the daemon under test is $top_builddir/gateway/wspgw, or $WSPGW if
#     set (e.g. tests/integration/refgw.py, the harness self-check model).
#
# Conventions: functions are prefixed it_; globals set for the test are
# upper case (T, CONF, WSP_PORT, WTP_PORT, ADMIN_PORT, GW_PID, ...).

set -u

: "${top_srcdir:?top_srcdir not set (run through make check)}"
: "${top_builddir:?top_builddir not set (run through make check)}"

IT_SRC=$top_srcdir/tests/integration
WSPGW=${WSPGW:-$top_builddir/gateway/wspgw}
PYTHON=${PYTHON:-python3}
FAKEWAP=${FAKEWAP:-/usr/lib/kannel/test/fakewap}
IT_PIDS=
T=
GW_PID=
GW_LOG=
IT_NAME=$(basename "$0" .sh)

it_log() {
    printf '%s: %s\n' "$IT_NAME" "$*" >&2
}

# die MESSAGE: print the failure, the daemon log tail, exit 1.
die() {
    printf 'FAIL: %s: %s\n' "$IT_NAME" "$*" >&2
    if [ -n "$GW_LOG" ] && [ -f "$GW_LOG" ]; then
        printf -- '---- daemon log (%s), last 40 lines ----\n' "$GW_LOG" >&2
        tail -n 40 "$GW_LOG" >&2
        printf -- '---- end of daemon log ----\n' >&2
    fi
    exit 1
}

skip() {
    printf 'SKIP: %s: %s\n' "$IT_NAME" "$*" >&2
    exit 77
}

# require_peer NAME: python3 | tshark | dumpcap | text2pcap | fakewap.
# Missing: skip (77), or fail (1) under WSPGW_REQUIRE_PEERS=1.
require_peer() {
    case $1 in
        fakewap) _rp=$FAKEWAP ;;
        python3) _rp=$PYTHON ;;
        *) _rp=$1 ;;
    esac
    if ! command -v "$_rp" >/dev/null 2>&1 || \
       { [ "$1" = fakewap ] && [ ! -x "$_rp" ]; }; then
        if [ "${WSPGW_REQUIRE_PEERS:-0}" = 1 ]; then
            printf 'FAIL: %s: required peer %s (%s) is missing\n' \
                "$IT_NAME" "$1" "$_rp" >&2
            exit 1
        fi
        skip "peer $1 ($_rp) not installed"
    fi
}

# The daemon itself is what we test: its absence is a failure, not a skip.
require_daemon() {
    [ -x "$WSPGW" ] || die "daemon $WSPGW not built"
}

# pid_running PID: exists and is not a zombie (an exited child that was
# not reaped yet still answers kill -0).
pid_running() {
    [ -r "/proc/$1/status" ] || return 1
    ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# it_register PID: kill it on exit.
it_register() {
    IT_PIDS="$IT_PIDS $1"
}

# it_unregister PID: it was reaped already (its number may be reused).
it_unregister() {
    _ur=
    for _p in $IT_PIDS; do
        [ "$_p" = "$1" ] || _ur="$_ur $_p"
    done
    IT_PIDS=$_ur
}

# it_kill PID [SECONDS]: TERM, wait (bounded), then KILL.  Never by name.
it_kill() {
    _kp=$1
    _kt=${2:-3}
    kill -0 "$_kp" 2>/dev/null || return 0
    kill -TERM "$_kp" 2>/dev/null
    _kn=0
    while [ "$_kn" -lt $((_kt * 10)) ]; do
        pid_running "$_kp" || break
        sleep 0.1
        _kn=$((_kn + 1))
    done
    if pid_running "$_kp"; then
        kill -KILL "$_kp" 2>/dev/null
    fi
    wait "$_kp" 2>/dev/null
    return 0
}

it_cleanup() {
    _rc=$?
    trap - EXIT INT TERM HUP
    for _p in $IT_PIDS; do
        it_kill "$_p" 2
    done
    if [ -n "$T" ] && [ -d "$T" ]; then
        if [ "${WSPGW_KEEP_TMP:-0}" = 1 ]; then
            printf '%s: kept %s\n' "$IT_NAME" "$T" >&2
        else
            rm -rf "$T"
        fi
    fi
    exit "$_rc"
}

# it_init: temp dir + traps.  Call first (after require_peer python3).
it_init() {
    mkdir -p "$top_builddir/tests/integration/tmp" || exit 1
    T=$(mktemp -d "$top_builddir/tests/integration/tmp/$IT_NAME.XXXXXX") \
        || exit 1
    trap it_cleanup EXIT
    trap 'exit 1' INT TERM HUP
    GW_LOG=$T/wspgw.log
}

# free_port udp|tcp [ADDR]: a port free on ADDR right now, chosen at random
# below the kernel's ephemeral range.
free_port() {
    "$PYTHON" -c '
import random, socket, sys
kind, addr = sys.argv[1], sys.argv[2]
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
typ = socket.SOCK_DGRAM if kind == "udp" else socket.SOCK_STREAM
# Below the kernel ephemeral range: a port taken with bind(0) could be
# handed out again, before the daemon binds it, as the local port of any
# outgoing connection of a test running in parallel (make -j check).
try:
    lo = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
except (OSError, ValueError, IndexError):
    lo = 32768
top = max(lo - 1, 2048)
for _ in range(500):
    port = random.randint(max(1024, top - 20000), top)
    s = socket.socket(fam, typ)
    try:
        s.bind((addr, port))
    except OSError:
        s.close()
        continue
    print(port)
    sys.exit(0)
s = socket.socket(fam, typ)
s.bind((addr, 0))
print(s.getsockname()[1])' "$1" "${2:-127.0.0.1}"
}

# A port free for both UDP and TCP is not needed: the daemon's UDP ports
# and the admin TCP port are picked separately.
it_ports() {
    _bind=${1:-127.0.0.1}
    WSP_PORT=$(free_port udp "$_bind") || die "no free UDP port"
    WTP_PORT=$(free_port udp "$_bind") || die "no free UDP port"
    while [ "$WTP_PORT" = "$WSP_PORT" ]; do
        WTP_PORT=$(free_port udp "$_bind")
    done
    ADMIN_PORT=$(free_port tcp 127.0.0.1) || die "no free TCP port"
}

# write_config FILE: from BIND, WSP_PORT, WTP_PORT, ACCESS_LOG, ALLOW
# (space separated entries, one "allow =" line each), TIMEOUT, ADMIN_PORT.
write_config() {
    {
        echo "; written by $IT_NAME"
        echo "[gateway]"
        echo "bind = ${BIND:-127.0.0.1}"
        echo "wsp-port = $WSP_PORT"
        echo "wtp-port = $WTP_PORT"
        echo "access-log = ${ACCESS_LOG-}"
        echo ""
        echo "[upstream]"
        if [ -z "${ALLOW:-}" ]; then
            echo "allow ="
        fi
        for _a in ${ALLOW:-}; do
            echo "allow = $_a"
        done
        echo "timeout = ${TIMEOUT:-30}"
        echo ""
        echo "[admin]"
        echo "listen = 127.0.0.1:$ADMIN_PORT"
    } >"$1"
}

# http_status URL: prints the HTTP status or 000.
http_status() {
    "$PYTHON" -c '
import sys, urllib.request, urllib.error
try:
    r = urllib.request.urlopen(sys.argv[1], timeout=2)
    print(r.status)
except urllib.error.HTTPError as e:
    print(e.code)
except Exception:
    print("000")' "$1"
}

# metric NAME: prints the value of counter NAME from the admin /metrics
# (Prometheus text), or "none" when it is not there.
metric() {
    "$PYTHON" -c '
import sys, urllib.request
body = urllib.request.urlopen(sys.argv[1], timeout=2).read().decode()
for line in body.splitlines():
    if line.startswith(sys.argv[2] + " "):
        print(line.split()[1])
        break
else:
    print("none")' "http://127.0.0.1:$ADMIN_PORT/metrics" "$1"
}

# start_daemon [CONF]: background, stderr to $GW_LOG, wait for /health.
start_daemon() {
    CONF=${1:-$CONF}
    require_daemon
    "$WSPGW" -c "$CONF" >>"$GW_LOG" 2>&1 &
    GW_PID=$!
    it_register "$GW_PID"
    wait_ready
}

# wait_ready: GET /health answers 200 within ~5 s, daemon alive.
wait_ready() {
    _n=0
    while [ "$_n" -lt 50 ]; do
        daemon_alive || die "daemon exited during start-up"
        if [ "$(http_status "http://127.0.0.1:$ADMIN_PORT/health")" = 200 ]
        then
            return 0
        fi
        sleep 0.1
        _n=$((_n + 1))
    done
    die "daemon not ready after 5 s (GET /health on 127.0.0.1:$ADMIN_PORT)"
}

daemon_alive() {
    [ -n "$GW_PID" ] || return 1
    pid_running "$GW_PID"
}

# stop_daemon [SECONDS]: SIGTERM, must exit 0 within SECONDS (default 5).
# Sets GW_RC.
stop_daemon() {
    _st=${1:-5}
    kill -TERM "$GW_PID" 2>/dev/null || die "daemon not running at stop"
    _n=0
    while daemon_alive && [ "$_n" -lt $((_st * 10)) ]; do
        sleep 0.1
        _n=$((_n + 1))
    done
    if daemon_alive; then
        kill -KILL "$GW_PID" 2>/dev/null
        wait "$GW_PID" 2>/dev/null
        it_unregister "$GW_PID"
        GW_PID=
        die "daemon did not exit within ${_st} s of SIGTERM"
    fi
    wait "$GW_PID"
    GW_RC=$?
    it_unregister "$GW_PID"
    GW_PID=
}

# daemon_rss_kb: VmRSS of the daemon in kB.
daemon_rss_kb() {
    awk '/^VmRSS:/ { print $2 }' "/proc/$GW_PID/status"
}

# start_upstream NAME [BIND]: upstream.py on a kernel-chosen port; sets
# <NAME>_PORT, <NAME>_LOG (JSON lines), <NAME>_PID.  Request bodies are
# saved under $T/NAME.bodies/.
start_upstream() {
    _un=$1
    _ub=${2:-127.0.0.1}
    mkdir -p "$T/$_un.bodies"
    : >"$T/$_un.log"
    "$PYTHON" "$IT_SRC/upstream.py" --bind "$_ub" --port 0 \
        --port-file "$T/$_un.port" --log "$T/$_un.log" \
        --body-dir "$T/$_un.bodies" 2>"$T/$_un.stderr" &
    _up=$!
    it_register "$_up"
    _n=0
    while [ ! -s "$T/$_un.port" ] && [ "$_n" -lt 50 ]; do
        kill -0 "$_up" 2>/dev/null || {
            cat "$T/$_un.stderr" >&2
            die "upstream $_un failed to start"
        }
        sleep 0.1
        _n=$((_n + 1))
    done
    [ -s "$T/$_un.port" ] || die "upstream $_un did not start"
    eval "${_un}_PORT=\$(cat \"\$T/\$_un.port\")"
    eval "${_un}_LOG=\$T/\$_un.log"
    eval "${_un}_PID=\$_up"
}

stop_upstream() {
    eval "_sp=\${${1}_PID}"
    it_kill "$_sp" 3
    it_unregister "$_sp"
}

# up_count LOG EV [METHOD [PATH]]: number of log records that match.
up_count() {
    "$PYTHON" -c '
import json, sys
log, ev = sys.argv[1], sys.argv[2]
m = sys.argv[3] if len(sys.argv) > 3 else None
p = sys.argv[4] if len(sys.argv) > 4 else None
n = 0
for line in open(log):
    r = json.loads(line)
    if r["ev"] != ev: continue
    if m and r.get("method") != m: continue
    if p and r.get("path") != p: continue
    n += 1
print(n)' "$@"
}

# up_last LOG FIELD [METHOD PATH]: a field of the last matching request
# record; FIELD "header:NAME" gives that request header (case-insensitive,
# repeated headers joined with ", "), "" when absent.
up_last() {
    "$PYTHON" -c '
import json, sys
log, field = sys.argv[1], sys.argv[2]
m = sys.argv[3] if len(sys.argv) > 3 else None
p = sys.argv[4] if len(sys.argv) > 4 else None
last = None
for line in open(log):
    r = json.loads(line)
    if r["ev"] != "req": continue
    if m and r.get("method") != m: continue
    if p and r.get("path") != p: continue
    last = r
if last is None:
    sys.exit(1)
if field.startswith("header:"):
    want = field[7:].lower()
    print(", ".join(v for k, v in last["headers"] if k.lower() == want))
else:
    print(last.get(field, ""))' "$@"
}

# wsp ARGS...: wspclient.py against the daemon's WSP port; JSON on stdout.
wsp() {
    "$PYTHON" "$IT_SRC/wspclient.py" --host "${WSP_HOST:-127.0.0.1}" \
        --port "$WSP_PORT" "$@"
}

# jget FILE KEY[.KEY...]: one field of a JSON document.
jget() {
    "$PYTHON" -c '
import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    if v is None: break
    v = v[int(k)] if isinstance(v, list) else v.get(k)
print("" if v is None else v)' "$1" "$2"
}

# wait_grep FILE PATTERN [SECONDS]: until a line of FILE matches the
# fixed string PATTERN (logs may be written after the Reply is sent).
wait_grep() {
    _wn=0
    while [ "$_wn" -lt $((${3:-3} * 10)) ]; do
        grep -qF -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
        _wn=$((_wn + 1))
    done
    return 1
}

# assert_eq ACTUAL EXPECTED WHAT
assert_eq() {
    [ "$1" = "$2" ] || die "$3: got '$1', expected '$2'"
}

# bin_body N SEED FILE: the bytes upstream.py serves for /bin.
bin_body() {
    "$PYTHON" -c '
import sys
sys.path.insert(0, sys.argv[4])
from upstream import bin_body
open(sys.argv[3], "wb").write(bin_body(int(sys.argv[1]), int(sys.argv[2])))' \
        "$1" "$2" "$3" "$IT_SRC"
}

# it_get_ok NAME URL [wspclient args]: one Get that must return 0x20;
# JSON in $T/NAME.json, body in $T/NAME.body.
it_get_ok() {
    _gn=$1
    _gu=$2
    shift 2
    wsp --out "$T/$_gn.body" "$@" "$_gu" >"$T/$_gn.json"
    _grc=$?
    [ "$_grc" = 0 ] || die "$_gn: no usable reply (wspclient rc $_grc): \
$(cat "$T/$_gn.json")"
    _gs=$(jget "$T/$_gn.json" status_hex)
    [ "$_gs" = 0x20 ] || die "$_gn: status $_gs, expected 0x20: \
$(cat "$T/$_gn.json")"
}
