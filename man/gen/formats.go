package main

// formats are the section 5 pages of configuration files other than
// main.cf (postconf.5 is made from the parameter table). Their text is
// written here, in doc comment syntax, because no Go package reads these
// files on its own.
var formats = []*program{
	{Name: "master", Section: 5, Summary: "format of the Postfix master.cf service table", Doc: masterCf},
}

const masterCf = `master.cf, in the configuration directory, lists the services that
master(8) runs. Each logical line describes one service. As in main.cf, a
line that starts with white space continues the line before it, and lines
whose first non-blank character is "#" are comments. A line holds eight
fields separated by white space, then the arguments of the command; a
field that starts with "{" runs to the matching "}" and may contain white
space. "-" in a field stands for its default.

After a change, "postfix reload" makes master(8) read the file again;
services whose entry did not change keep their sockets and processes.
postconf(1) -M, -F and -P show and edit the entries, their fields and
their -o settings.

# Synopsis

	service type private unprivileged chroot wakeup maxproc command [argument ...]

# Fields

	service
		The service name. For inet services it is [host:]port, where host is
		a host name, an IPv4 address or an [IPv6] address in brackets, and
		port a number or a name from /etc/services; without a host the
		service listens on every address of inet_interfaces. For the other
		types it is the name of the socket or FIFO in the public or private
		directory of queue_directory.
	type
		inet (TCP), unix (UNIX-domain stream socket), unix-dgram
		(UNIX-domain datagram socket), fifo (named pipe) or pass (a
		UNIX-domain socket over which open connections are handed to the
		service, as postscreen(8) hands them to smtpd(8)).
	private
		y (the default) puts the socket in private/, where only Postfix
		programs can reach it; n puts it in public/. inet services must say
		n.
	unprivileged
		y (the default) runs the command with the privileges of mail_owner;
		n runs it as root, which local(8), pipe(8) and virtual(8) need.
	chroot
		y runs the command chrooted to queue_directory. The default is n
		with compatibility_level 1 or higher, y below.
	wakeup
		Send the service a wake-up request every so many seconds; 0 (the
		default) sends none. With a trailing "?" the first request is sent
		only once the service has been used.
	maxproc
		The largest number of processes of the service at one time: 0 for no
		limit; the default is default_process_limit.
	command
		The program, a name relative to daemon_directory, followed by its
		arguments. "-o name=value" (or "-o { name = value }" when the value
		holds white space) sets a main.cf parameter for this service only;
		"-v" and "-D" ask for verbose logging and a debugger. Other
		arguments belong to the program: pipe(8), for example, takes its
		"flags=", "user=" and "argv=" here.

Services that deliver mail are transports: their name is what
transport_maps, default_transport and the other *_transport parameters
refer to, and qmgr(8) looks up per-transport parameters by it
(SERVICE_destination_concurrency_limit, SERVICE_destination_recipient_limit
and others, defaulting to the default_ ones).

# Examples

	smtp      inet  n       -       n       -       -       smtpd
	pickup    unix  n       -       n       60      1       pickup
	cleanup   unix  n       -       n       -       0       cleanup
	qmgr      unix  n       -       n       300     1       qmgr
	relay     unix  -       -       n       -       -       smtp
	    -o smtp_fallback_relay=
	postlog   unix-dgram n  -       n       -       1       postlogd
`
