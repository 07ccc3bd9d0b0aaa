// Package libmaster is the daemon side of the master(8) <-> child
// contract and the server skeletons every daemon is built on: Postfix's
// src/master/single_server.c, multi_server.c, trigger_server.c,
// event_server.c, dgram_server.c, mail_server.h and master_proto.c.
//
// A daemon's main declares what it needs and hands control to one
// skeleton:
//
//	func main() {
//		libmaster.SingleServerMain(os.Args, serve, libmaster.Options{})
//	}
//
// SingleServiceMain is the same for a service whose state is made at
// start-up (newAgent in PreInit, its postInit in PostInit), and package
// simpleagent the whole main of discard(8) and error(8).
//
// The skeleton then does what Postfix's does, in the same order: reads
// main.cf (MAIL_CONFIG, default /etc/postfix), parses the options master
// passes (-c chroot, -d foreground, -D debug, -i max_idle, -l solitary,
// -m max_use, -n service name, -o name=value, -r retire, -s socket count,
// -S stand-alone on stdin/stdout, -t transport type, -u drop privileges,
// -v verbose, -V log to stderr, -z unlimited), enforces the process-limit
// declarations ("service %s requires a process limit of 1"), reads
// GENERATION (octal), takes the accept lock pid/<type>.<service> for
// single servers that may run in parallel, checks the global parameters
// and looks up the mail_owner, default_privs and setgid_group IDs
// (mail_params_init, Server.Global) and the local time zone while /etc is
// still visible, chdirs to queue_directory (Server.QueueDir is "." from
// then on: queue files are named relative to it, inside a chroot jail
// too), runs PreInit, chroots and drops to mail_owner, runs PostInit, and
// serves:
//
//   - single server: one connection at a time: accept, report TAKEN on
//     fd 5, call the service, close, report AVAIL;
//   - multi server: many connections, each request bracketed by
//     TAKEN/AVAIL, one request at a time;
//   - trigger server: one read of at most 1024 bytes per connection (or
//     from the FIFO), handed to the service;
//   - event server: like multi, but the service owns the connection until
//     it returns;
//   - dgram server: one datagram at a time from a unix-dgram socket.
//
// Inherited descriptors: 3 and 4 the in-flow pipe, 5 the status socket
// (12-byte messages: int32 pid, uint32 generation, int32 0=taken 1=avail,
// native byte order), 6.. the listen sockets. A process exits when master
// goes away (fd 5 readable), after max_idle seconds without clients, after
// max_use clients, or after the retirement time.
//
// Configuration is libglobal/mailconf (main.cf with master.cf's -o
// overrides); Server.Str/Bool/Int/Time fetch parameters, fatal on bad
// values as Postfix's get_mail_conf_* are.
//
// A watchdog (daemon_timeout) runs around every request: a request that
// takes longer ends the process with "fatal: watchdog timeout". -D (or
// MAIL_DEBUG in the environment) runs debugger_command after start-up.
//
// Deliberate difference: services run as goroutines on Go's network
// poller instead of one select loop; requests are still serialized.
package libmaster
