#!/bin/sh
# Installs what the build and the differential tests need on Debian: the C
# libraries used through cgo, the real Postfix (the reference) and OpenDKIM
# (a real-world Milter for tests/milterinterop). Without root it only says
# exactly what is missing.
set -e
pkgs="postfix postfix-cdb postfix-lmdb postfix-pcre libdb5.3-dev liblmdb-dev libpcre2-dev db5.3-util lmdb-utils gcc groff-base opendkim"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if ! command -v go >/dev/null 2>&1 && [ ! -x /usr/local/go/bin/go ]; then
	echo "deps: the Go toolchain (1.26 or later) is missing: install it from https://go.dev/dl/" >&2
	exit 1
fi
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing Debian packages:$missing" >&2
	echo "deps: run as root: apt-get install$missing" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# The real Postfix is only the reference for tests: leave it unconfigured
# and stopped, so it never listens on port 25.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq $missing >/dev/null
# The tests start their own opendkim; the packaged service is not needed.
if command -v systemctl >/dev/null 2>&1; then systemctl stop postfix opendkim >/dev/null 2>&1 || true; fi
