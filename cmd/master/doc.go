// Command master is the Postfix resident process manager: it starts the
// other Postfix daemons when there is work for them and keeps an eye on
// them.
//
// It is the Go reimplementation of master(8) of Postfix 3.7, and runs the
// daemons of this project and the real Postfix daemons alike. At start-up
// it reads main.cf and master.cf, writes its process ID to the locked
// file pid/master.pid in queue_directory and to master.lock in
// data_directory, and opens the listening socket of every master.cf
// service: UNIX-domain sockets and FIFOs under queue_directory/public and
// private, TCP sockets on inet_interfaces, unix-dgram and pass sockets.
// When a client arrives on a service with no idle process, master starts
// the daemon named in the entry from daemon_directory, up to the service's
// process limit, with the listening sockets and a status channel as
// descriptors 3 and up, the arguments of the entry and the generic daemon
// options that its columns imply (-n service, -t type, -u, -c, -l or -z).
// A daemon tells master over the status channel when it is busy and when
// it is idle again. Services with a wake-up time get a trigger at that
// interval; a daemon that fails right at start-up makes master throttle
// its service for service_throttle_time, with a warning.
//
// Signals: SIGHUP re-reads main.cf and master.cf, keeping the sockets of
// services that did not change and starting new daemons with the new
// settings; SIGTERM, SIGINT and SIGQUIT stop the whole process group and
// end master. postfix(1) sends these signals for reload and stop.
//
// When all processes of a public service (not on loopback addresses) are
// busy, master sets "stress" for that service for a while: new processes
// get -o stress=yes (so that they use shorter time limits) and the busy
// ones are asked to finish so that they are replaced. A watchdog ends
// master with a fatal error when one round of its event loop takes longer
// than 1000 seconds.
//
// master must run as root. It is normally started by "postfix start" or
// "postfix start-fg", not by hand.
//
// # Synopsis
//
//	master [-Ddistvw] [-c config_dir] [-e exit_time]
//
// # Options
//
//	-c config_dir
//		Read main.cf and master.cf from config_dir (the default
//		configuration directory otherwise, or MAIL_CONFIG).
//	-d
//		Stay in the foreground instead of detaching; children get -d
//		too.
//	-D
//		Run debugger_command once initialized.
//	-e exit_time
//		Exit after exit_time seconds; the children end at their own pace.
//	-i
//		Init mode for containers: allowed only as process ID 1, it keeps
//		standard output open and exits quietly on SIGTERM. Not allowed with
//		-d, -D or -w.
//	-s
//		Keep standard output open (for maillog_file = /dev/stdout).
//	-t
//		Test whether another master is running: exit 0 when none is, 1
//		when one holds the lock.
//	-v
//		Log more; repeat for even more.
//	-w
//		Wait until master is initialized and exit with its status: 0 once
//		it runs, 1 when it failed to start. Not allowed with -t.
//
// # Diagnostics
//
// Problems are logged through postlogd(8) into maillog_file when that is
// set, otherwise to syslog(3); until it detaches, master also writes them
// to standard error. A command line error or a second master exits with
// status 1.
//
// # Differences from Postfix
//
// The -w monitor runs master again instead of forking (a Go program cannot
// fork without exec) and waits on a pipe for the same "initialized"
// message. When systemd started master (NOTIFY_SOCKET in the
// environment), readiness is also reported with sd_notify.
package main
