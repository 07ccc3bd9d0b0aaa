package main

// formats are the section 5 pages of configuration files other than
// main.cf (postconf.5 is made from the parameter table). Their text is
// written here, in doc comment syntax, because no Go package reads these
// files on its own.
var formats = []*program{
	{Name: "aliases", Section: 5, Summary: "format of the Postfix alias table", Doc: aliasesDoc},
	{Name: "master", Section: 5, Summary: "format of the Postfix master.cf service table", Doc: masterCf},
	{Name: "transport", Section: 5, Summary: "format of the Postfix transport table", Doc: transportDoc},
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

const aliasesDoc = `An alias table tells local(8) where to send the mail of local names.
alias_maps lists the tables that local(8) searches; alias_database lists
those that newaliases(1) (sendmail -bi) rebuilds. A table is built from its
source file with postalias(1), for example "postalias
hash:/etc/aliases".

# Synopsis

	postalias [map_type:]/etc/aliases
	newaliases

# Format

Each logical line of the source is "name: value". As in main.cf, a line
that starts with white space continues the line before it, and lines whose
first non-blank character is "#" are comments. The name is a local name
without a domain; it is matched without regard to case, and may be quoted
when it holds special characters. The value is a list of destinations
separated by commas:

	address
		Send the mail on to another address, local or remote.
	/file/name
		Append the message to a file, with the privileges described in
		local(8); allow_mail_to_files must permit it.
	|command
		Pipe the message to a command; quote the whole entry when it holds
		white space or commas ("|/usr/bin/vacation user").
		allow_mail_to_commands must permit it.
	:include:/file/name
		Read more destinations from the file, one or more per line.

When an alias NAME has a companion alias "owner-NAME", mail expanded from
NAME gets owner-NAME (or, with expand_owner_alias, its expansion) as
envelope sender, so that delivery problems go to the owner of a list
instead of to the sender. With recipient_delimiter set, "user+ext" falls
back to the alias of "user" when it has none of its own.

# Examples

	postmaster: root
	root:       admin@example.com
	list:       :include:/etc/postfix/list.members
	owner-list: admin
	archive:    /var/mail/archive, "|/usr/local/bin/indexer -q"
`

const transportDoc = `A transport table sends mail for chosen recipients or domains through a
chosen delivery transport and next hop, overriding what trivial-rewrite(8)
would pick from the address class (local_transport, virtual_transport,
relay_transport, default_transport and relayhost). transport_maps lists
the tables; a table is built from its source file with postmap(1).

# Synopsis

	postmap [map_type:]/etc/postfix/transport
	postmap -q address [map_type:]/etc/postfix/transport

# Format

Each logical line of the source is "pattern result". The pattern is a full
address (user+ext@domain is also tried as user@domain), a domain, a parent
domain written with a leading dot (".example.com" matches every
subdomain; without the dot when transport_maps is listed in
parent_domain_matches_subdomains), or "*" for every recipient that nothing
else matched. The first match in that order wins.

The result is transport:nexthop. The transport is the name of a master.cf
service (smtp, relay, lmtp, local, error, discard, ...); the next hop is
what that service delivers to, for smtp and lmtp a domain, [host] or
[address] (no MX lookup), with an optional :port, or for lmtp
unix:/path. Either part may be empty: ":nexthop" keeps the transport
chosen by the address class, "transport:" (or "transport") sends to the
recipient's domain. For the error and retry transports the next hop is the
reason ("error:5.1.1 mailbox unavailable").

# Examples

	example.com          smtp:[mail.example.com]:587
	.example.com         relay:
	user@example.net     error:5.7.1 no mail for this user
	lists.example.org    lmtp:unix:/var/run/lmtp.sock
	*                    smtp:[smarthost.example.net]
`
