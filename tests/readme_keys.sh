#!/bin/sh
# The README's configuration reference must be exactly what the code's key
# table prints (gateway/wspgw --config-keys).  Regenerate it with
# `make update-readme`.
set -eu
: "${top_srcdir:?}" "${top_builddir:?}"
want=$("$top_builddir/gateway/wspgw" --config-keys)
have=$(sed -n '/<!-- config-keys:begin -->/,/<!-- config-keys:end -->/p' \
    "$top_srcdir/README.md" | sed '1d;$d')
if [ "$want" != "$have" ]; then
    echo "README.md configuration reference is out of date; run make update-readme" >&2
    printf '%s\n' "$want" > readme_keys.want
    printf '%s\n' "$have" > readme_keys.have
    diff -u readme_keys.have readme_keys.want >&2 || true
    rm -f readme_keys.want readme_keys.have
    exit 1
fi
echo "README configuration reference matches the key table"
