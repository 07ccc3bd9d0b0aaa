// Package maillog is where every program's log lines go: Postfix's
// maillog_client(3), msg_syslog(3), msg_logger(3) and logwriter(3), plus the
// record handling of postlogd(8).
//
// A program builds a msg.Logger in main and calls Setup with its settings;
// Setup installs exactly one logging sink, chosen as Postfix chooses it:
//
//   - maillog_file empty: syslog. Lines reach syslogd through /dev/log as
//     "<PRI>Mmm dd hh:mm:ss postfix/prog[pid]: warning: text", with the
//     severity mapped as msg_syslog does (info, warning, err, crit, crit).
//   - maillog_file set: the postlog client. Each line is one datagram to
//     $queue_directory/public/$postlog_service, already formatted as the
//     file line: "Mmm dd hh:mm:ss host postfix/prog[pid]: warning: text".
//     postlogd appends it (plus a newline) to maillog_file, which may be
//     /dev/stdout under "postfix start-fg". Commands run by an
//     administrator (postfix, postlog) fall back to appending to the file
//     themselves when postlogd is not running.
//
// The choice before main.cf is read follows the POSTLOG_SERVICE and
// POSTLOG_HOSTNAME environment variables that master exports to its
// children (Environment), so early messages go to the right place.
//
// Every line passes through Sink.Emit, the one place where later
// extensions (metrics, JSON) can hook in. Deliberate difference: the syslog
// client is written in Go (no libc openlog), with glibc's wire format.
package maillog
