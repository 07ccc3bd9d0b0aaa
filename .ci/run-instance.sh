#!/bin/sh
# make run: a self-contained mail system under ./run/, run by our own
# programs in the foreground: SMTP on 127.0.0.1:$RUN_SMTP_PORT (2525),
# local delivery to mailbox files under ./run/mail, the log on standard
# output. Stop it with Ctrl-C or "$PWD/bin/postfix -c $PWD/run/etc stop"
# (postfix wants the absolute configuration directory, as the real one).
#
# Environment: RUN_SMTP_PORT (default 2525), RUN_DIR (default ./run),
# RUN_BIN (default ./bin, where "make build" puts the programs).
#
# Programs that are not built yet are named and nothing is started: no
# real Postfix program stands in for a missing one.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
run=${RUN_DIR:-$top/run}
bin=${RUN_BIN:-$top/bin}
port=${RUN_SMTP_PORT:-2525}
etc="$run/etc"

# What a minimal mail system needs: SMTP in, queue, rewrite, delivery,
# bounces and logging.
required="master postfix postconf postsuper postlogd smtpd pickup cleanup qmgr trivial-rewrite local bounce"
missing=""
for p in $required; do
	[ -x "$bin/$p" ] || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "make run: cannot start the mail system: not built yet in $bin:$missing" >&2
	exit 1
fi

if [ "$(id -u)" != 0 ]; then
	echo "make run: must run as root (master binds the SMTP port and local delivers as the recipient)" >&2
	exit 1
fi
# mail_owner and setgid_group, as Debian's postfix package creates them.
getent group postdrop >/dev/null || groupadd --system postdrop
getent passwd postfix >/dev/null ||
	useradd --system --home-dir /var/spool/postfix --shell /usr/sbin/nologin --user-group postfix

mkdir -p "$etc" "$run/spool" "$run/data" "$run/mail"
chown postfix "$run/data"
# postdrop and postqueue are set-gid postdrop, as "make install" and
# Postfix install them (postfix check warns otherwise).
for p in postdrop postqueue; do
	chgrp postdrop "$bin/$p" && chmod 2755 "$bin/$p"
done
# Mailbox files are created by local(8) as the recipient (root's mail as
# default_privs), so the spool is world-writable and sticky, like
# /var/mail.
chmod 1777 "$run/mail"

if [ ! -f "$etc/main.cf" ]; then
	cat >"$etc/main.cf" <<CONF
# Instance created by 'make run'. Edit freely; it is kept across runs.
compatibility_level = 3.6
queue_directory = $run/spool
data_directory = $run/data
command_directory = $bin
daemon_directory = $bin
mail_spool_directory = $run/mail
mail_owner = postfix
setgid_group = postdrop
myhostname = localhost.localdomain
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mydestination = \$myhostname, localhost.\$mydomain, localhost
mynetworks_style = host
maillog_file = /dev/stdout
maillog_file_prefixes = /dev/stdout, $run
# Local recipients are the system's users; no aliases, no proxymap.
alias_maps =
alias_database =
local_recipient_maps = unix:passwd.byname
CONF
fi

# master.cf: the SMTP listener and every service whose program exists.
# It is made again on every run (programs built since, another port)
# unless its first line, the marker, was removed to keep local edits.
marker="# Made by make run for the programs in $bin; remove this line to keep your edits."
if [ ! -f "$etc/master.cf" ] || [ "$(head -n 1 "$etc/master.cf")" = "$marker" ]; then
	{
		echo "$marker"
		echo "# service type  private unpriv  chroot  wakeup  maxproc command + args"
		echo "127.0.0.1:$port inet n   -       n       -       -       smtpd"
		while read -r name type private unpriv chroot wakeup maxproc command; do
			[ -x "$bin/$command" ] || continue
			printf '%-9s %-5s %-7s %-7s %-7s %-7s %-7s %s\n' \
				"$name" "$type" "$private" "$unpriv" "$chroot" "$wakeup" "$maxproc" "$command"
		done <<'CONF'
pickup unix n - n 60 1 pickup
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
tlsmgr unix - - n 1000? 1 tlsmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
flush unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
proxywrite unix - - n - 1 proxymap
smtp unix - - n - - smtp
relay unix - - n - - smtp
showq unix n - n - - showq
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
local unix - n n - - local
virtual unix - n n - - virtual
lmtp unix - - n - - lmtp
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
CONF
	} >"$etc/master.cf"
fi

echo "make run: configuration $etc (postconf -n):"
"$bin/postconf" -c "$etc" -n
echo "make run: SMTP on 127.0.0.1:$port, mailboxes in $run/mail; the log follows"
echo "make run: try: echo hello | $bin/sendmail -C $etc root; ls -l $run/mail"
echo "make run: stop: Ctrl-C or $bin/postfix -c $etc stop"
exec "$bin/postfix" -c "$etc" start-fg
