#!/bin/sh
# Installs what wspgw needs on Debian 12 (run as root, or through sudo).
#   scripts/install-deps.sh          build and run dependencies
#   scripts/install-deps.sh --test   also the test peers (tshark, Kannel's
#                                    fakewap from kannel-extras, python3)
set -eu

BUILD="build-essential autoconf automake pkg-config libuv1-dev \
libcurl4-openssl-dev libxml2-dev libinih-dev libhttp-parser-dev check \
libsubunit-dev libwbxml2-dev libexpat1-dev libsqlite3-dev libsmpp34-dev"
TEST="python3 kannel-extras tshark procps iproute2 freeradius-utils \
libnet-smpp-perl sqlite3 libwbxml2-utils"

pkgs="$BUILD"
if [ "${1:-}" = "--test" ]; then
    pkgs="$pkgs $TEST"
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then
    SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no, quietly.
echo "wireshark-common wireshark-common/install-setuid boolean false" \
    | $SUDO debconf-set-selections
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
