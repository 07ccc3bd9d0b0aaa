// Package fdconn is a net.Conn over a blocking socket descriptor, the way
// Postfix's VSTREAMs use their sockets: every read and write is one
// system call on a descriptor in blocking mode, and deadlines become the
// kernel's per-call socket timeouts (SO_RCVTIMEO, SO_SNDTIMEO), set only
// when they change.
//
// The descriptors never enter the Go network poller. A process that
// serves one client at a time (Postfix's single_server daemons: smtpd,
// cleanup) then sleeps in the kernel between requests as the C daemons
// do, instead of waking its poller thread for every change of socket
// state: with the poller, each reply the peer consumes (EPOLLOUT), each
// connection arriving on a shared listening socket and each deadline
// timer costs context switches in every process that has such a socket
// registered, which made Go daemons several times more expensive per
// message than Postfix's.
//
// Accept takes connections from an inherited listening socket, Dial
// connects to UNIX-domain and TCP sockets; Conn.SyscallConn gives the
// descriptor to code that needs ioctl or setsockopt. DialUnixNoWait is
// the exception that keeps its descriptor non-blocking, for a program
// with its own event loop (qmgr): there a call that would block waits
// in poll(2) until its deadline.
package fdconn
