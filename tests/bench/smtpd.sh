#!/bin/sh
# smtpd benchmark (issue 7): messages accepted into the queue by our
# smtpd + cleanup and by the real ones, same machine, same run: 10,000
# messages of 5 KB over 20 sessions with smtp-source, delivered to
# discard, then a latency probe; a third instance runs our whole stack
# (master, qmgr, trivial-rewrite, discard, postlogd ...). Prints msg/s,
# the ratios, server CPU per message, end-of-DATA to 250 latency p50/p99
# and smtpd PSS.
# Usage: tests/bench/smtpd.sh [messages] [sessions] [rounds]   (root, tree root)
set -e
[ "$(id -u)" = 0 ] || { echo "smtpd.sh: must run as root (real master)"; exit 1; }
[ -x /usr/sbin/smtp-source ] || { echo "smtpd.sh: smtp-source missing (apt-get install postfix)"; exit 1; }
exec go run ./tests/bench/smtpdbench -m "${1:-10000}" -s "${2:-20}" -rounds "${3:-3}"
