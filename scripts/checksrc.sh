#!/bin/sh
# Checks the rules a compiler cannot (STYLE.md 3.1, 3.4, 3.9):
#  - wtp/ and wsp/ are sans-I/O: no libuv, curl, SQLite or pthread
#    includes, no clock reads, no socket calls, no printing;
#  - no assignments inside if/while conditions in project C files;
#  - banned functions (unbounded string copies).
set -eu
top=${1:-${top_srcdir:-.}}
cd "$top"
fail=0

cores=$(find wtp wsp -name '*.[ch]' 2>/dev/null || true)
if [ -n "$cores" ]; then
    if grep -n -E '#[[:space:]]*include[[:space:]]*[<"](uv|curl/curl|sqlite3|pthread)\.h|\b(clock_gettime|gettimeofday|time|sendto|recvfrom|sendmsg|recvmsg|socket|printf|fprintf|puts)[[:space:]]*\(' \
        $cores | grep -v -E '^[^:]+:[0-9]+:[[:space:]]*(/?\*|//)'; then
        echo "checksrc: the cores (wtp/, wsp/) must not do I/O or read the clock" >&2
        fail=1
    fi
fi

src=$(find common wsp wtp gateway -name '*.[ch]' 2>/dev/null || true)
if grep -n -E '\b(strcpy|strcat|sprintf|gets|vsprintf)[[:space:]]*\(' $src; then
    echo "checksrc: banned function (use the bounded variant)" >&2
    fail=1
fi
if grep -n -E '^[[:space:]]*(if|while)[[:space:]]*\(.*[^=!<>]=[^=].*\)[[:space:]]*\{?$' $src \
    | grep -v -E '==|!=|<=|>=' ; then
    echo "checksrc: assignment inside a condition" >&2
    fail=1
fi
exit $fail
