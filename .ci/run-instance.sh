#!/bin/sh
# make run: a self-contained instance under ./run/ with a default
# configuration: SMTP on 127.0.0.1:2525, local delivery to mailboxes under
# ./run/mail. Programs that do not exist yet are named; nothing is faked.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
run="$top/run"
etc="$run/etc"
mkdir -p "$etc" "$run/spool" "$run/data" "$run/mail"
if [ ! -f "$etc/main.cf" ]; then
	cat >"$etc/main.cf" <<CONF
# Instance created by 'make run'. Edit freely; it is kept across runs.
compatibility_level = 3.6
config_directory = $etc
queue_directory = $run/spool
data_directory = $run/data
command_directory = $top/bin
daemon_directory = $top/bin
mail_spool_directory = $run/mail
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mydestination = \$myhostname, localhost.\$mydomain, localhost
mynetworks_style = host
maillog_file = /dev/stdout
alias_maps =
alias_database =
CONF
fi
if [ ! -f "$etc/master.cf" ]; then
	cat >"$etc/master.cf" <<'CONF'
# service type  private unpriv  chroot  wakeup  maxproc command + args
127.0.0.1:2525 inet n   -       n       -       -       smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
        -o syslog_name=postfix/$service_name
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
CONF
fi
missing=""
for p in master postconf smtpd pickup cleanup qmgr trivial-rewrite local bounce postlogd; do
	[ -x "$top/bin/$p" ] || missing="$missing $p"
done
if [ -x "$top/bin/postconf" ]; then
	echo "make run: effective configuration of $etc (postconf -n):"
	"$top/bin/postconf" -c "$etc" -n
fi
if [ -n "$missing" ]; then
	echo "make run: cannot start the mail system yet; not built by this project:$missing" >&2
	echo "make run: see README.md for what works today" >&2
	exit 0
fi
exec "$top/bin/postfix" -c "$etc" start-fg
