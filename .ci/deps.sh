#!/bin/sh
# Installs what the build and the differential tests need on Debian: the C
# libraries used through cgo, the real Postfix with its table plug-ins (the
# reference), OpenDKIM (a real-world Milter for tests/milterinterop), the
# Cyrus SASL tools (saslauthd, saslpasswd2 for tests/sasl) and the MariaDB
# and PostgreSQL servers that tests/sqlmaps starts in scratch directories.
# Without root it only says exactly what is missing.
set -e
pkgs="postfix postfix-cdb postfix-lmdb postfix-pcre libdb5.3-dev liblmdb-dev libpcre2-dev db5.3-util lmdb-utils gcc groff-base opendkim sasl2-bin postfix-mysql mariadb-server postfix-pgsql postgresql"
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
# Keep the packages' services from starting while they are installed (a
# policy-rc.d that refuses every action, removed afterwards if it was not
# there before).
policy=/usr/sbin/policy-rc.d
if [ ! -e $policy ]; then
	printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy
	trap 'rm -f $policy' EXIT
fi
apt-get install -y -qq $missing >/dev/null
# The tests start their own servers; the packaged services are not needed.
if command -v systemctl >/dev/null 2>&1; then
	systemctl stop postfix opendkim saslauthd mariadb postgresql >/dev/null 2>&1 || true
fi
