package main

// daemonOptions describes the command line that master(8) gives every
// daemon built on a libmaster skeleton (libmaster.ParseFlags).
var daemonOptions = []struct{ term, text string }{
	{"-c", "Change the root directory to queue_directory once initialized (master.cf chroot column y)."},
	{"-d", "Stay in the foreground; a daemon refuses to run from a terminal without this option or -S."},
	{"-D", "Start debugger_command once initialized; MAIL_DEBUG in the environment does the same."},
	{"-i seconds", "Set max_idle, the time an idle process waits for a client before it exits."},
	{"-l", "Master gives this when the process limit is 1; a program that must run alone refuses to start without it."},
	{"-m count", "Set max_use, the number of clients a process serves before it exits."},
	{"-n name", "The service name (the first master.cf column; default the program name). It names the sockets and the per-service parameters, and selects the personality of programs that have several."},
	{"-o name=value", "Set a main.cf parameter for this service only; later -o options win, and $name references in main.cf see the value."},
	{"-r seconds", "Exit after this many seconds, for programs that retire (default derived from max_idle and max_use)."},
	{"-s count", "The number of listening sockets master passes, from descriptor 6 on."},
	{"-S", "Stand-alone mode: serve one client on standard input and output, without master."},
	{"-t type", "The master.cf service type: unix, unix-dgram, inet, fifo or pass."},
	{"-u", "Give up root privileges for those of mail_owner once initialized (master.cf unprivileged column y)."},
	{"-v", "Log more; repeat for even more."},
	{"-V", "Also log to standard error."},
	{"-z", "Master gives this when the process limit is 0 (no limit); a program that needs that refuses to start without it."},
}

// daemonDiagnostics is the DIAGNOSTICS text of daemons whose comment has
// none.
const daemonDiagnostics = "Problems and deliveries are logged through postlogd(8) into maillog_file when that is set, otherwise to syslog(3) under syslog_name and syslog_facility. A fatal error ends the process; master(8) starts a new one when the next client arrives."

func (w *writer) daemonOptions() {
	w.section("GENERIC DAEMON OPTIONS")
	w.paragraph(inline("master(8) starts the program with the arguments of its master.cf entry; these options are for master and for testing, not for everyday use."))
	for _, o := range daemonOptions {
		w.line(".TP")
		w.line(term(o.term, w.names))
		w.b.WriteString(wrap(inline(o.text), width))
	}
	w.fresh = false
}
