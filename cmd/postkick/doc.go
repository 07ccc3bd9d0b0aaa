// Command postkick sends a request to a Postfix service. Postfix programs
// wake each other up with such requests (postdrop wakes up pickup,
// postqueue -f wakes up qmgr); postkick does the same from shell scripts
// and tests.
//
// It is the Go reimplementation of postkick(1) of Postfix 3.7. The service
// is the socket or FIFO class/service under queue_directory, class being
// public or private. Over a UNIX-domain socket the request is written
// followed by a NUL byte, and postkick waits up to trigger_timeout for the
// server to close the connection; into a FIFO the request is written as
// it is.
//
// The requests a service understands are its own: qmgr(8) takes I (scan
// the incoming queue), D (scan the deferred queue), A (ignore the
// deferred queue's time stamps), F (forget dead destinations) and W (the
// periodic wake-up); pickup(8) and flush(8) take W.
//
// # Synopsis
//
//	postkick [-v] [-c config_dir] class service request
//
// # Options
//
//	-c config_dir
//		Read main.cf from config_dir instead of the default configuration
//		directory.
//	-v
//		Log more; repeat for even more.
//
// # Diagnostics
//
// A wrong command line prints the usage and exits with status 1. When the
// service cannot be reached, postkick warns "Cannot contact class CLASS
// service SERVICE - perhaps the mail system is down", after the reason
// when it has one ("unable to look up public/qmgr: No such file or
// directory"), and exits with status 1. Otherwise the exit status is 0.
//
// # Examples
//
//	postkick public qmgr D
//	postkick public pickup W
package main
