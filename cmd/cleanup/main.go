// Command cleanup is Postfix's cleanup(8) daemon: it receives a message
// from smtpd, pickup, local or bounce over public/cleanup, rewrites the
// envelope and header addresses through trivial-rewrite, applies the
// canonical maps, masquerading and virtual alias expansion, runs
// header_checks and body_checks, adds missing Message-Id/Date/From
// headers and always_bcc/*_bcc_maps recipients, and writes the final
// queue file into incoming/ (or hold/), fsync'd before it replies.
//
// Mail from a client that asks cleanup to bounce (pickup, local
// forwarding, bounce) and that fails with a permanent error (a REJECT of
// header_checks or body_checks, a size limit, no recipients) is
// returned to its sender through the bounce service: every recipient is
// logged status=bounced, the client is told success.
//
// The content goes through the MIME parser (libglobal/mime): primary
// headers are checked with header_checks, MIME headers with
// mime_header_checks, the headers of attached messages with
// nested_header_checks, each body part with body_checks up to
// body_checks_size_limit; the strict_* parameters and
// mime_nesting_limit reject malformed MIME ("reject: mime-error ...").
//
// Milters: mail from pickup and other local clients that allow them
// goes to non_smtpd_milters, with emulated connect (localhost,
// 127.0.0.1), EHLO, MAIL FROM and RCPT TO events and the macros cleanup
// provides (i, j, v, _, {daemon_name}, {mail_addr}, {rcpt_addr}, ...);
// mail from smtpd goes to the milters smtpd hands over on the same
// connection. While such mail is received, room is reserved in the
// queue file (pointer records after the recipients, the headers, the
// body and the extracted records, padding after a short sender or
// header), so that at the end of the message the Milters' requests are
// applied in place: headers added, inserted, changed and deleted,
// sender and recipients changed, the body replaced; the new records go
// after the end of the file and pointer records link them in, as the
// real cleanup writes them. Headers a Milter adds or changes go through
// milter_header_checks. A reject, tempfail, discard or quarantine at any
// stage is logged and applied as Postfix does.
//
// The Milter settings, for non_smtpd_milters and for the Milters smtpd
// hands over, are milter_connect_timeout, milter_command_timeout,
// milter_content_timeout, milter_protocol, milter_default_action,
// milter_macro_defaults, milter_connect_macros, milter_helo_macros,
// milter_mail_macros, milter_rcpt_macros, milter_data_macros,
// milter_end_of_header_macros, milter_end_of_data_macros,
// milter_unknown_command_macros and soft_bounce.
//
// Differences from Postfix 3.7: no DSN "expanded" trace records for
// virtual aliases.
package main

import (
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"gopostfix/compat/maptypes"
	"gopostfix/libglobal/bounce"
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/rewrite"
	"gopostfix/libmaster"
)

// The rewrite answers kept: the envelope sender and recipient and the
// same addresses in From: and To:, for rewrite_clnt's 30 seconds.
const (
	rewriteCacheSize = 4
	rewriteCacheTTL  = 30 * time.Second
)

func main() {
	var d *daemon
	libmaster.SingleServerMain(os.Args, func(s *libmaster.Server, c net.Conn) {
		d.serve(c)
	}, libmaster.Options{
		Unlimited: true,
		// One client at a time with blocking system calls, and a timer
		// slack for the Go runtime's wake-ups (see package fdconn and
		// libmaster.Options): about a third of the CPU per message.
		BlockingIO: true,
		TimerSlack: 50 * time.Millisecond,
		// Go's default heap target (4 MB at least), with the start-up
		// garbage returned: 25 kept the process about 1 MB smaller but
		// collected every 10 to 20 messages, 7 to 12% of cleanup's CPU
		// (tests/bench/smtpd.sh -alt with GOGC=100, interleaved runs).
		GCPercent: 100,
		PreInit: func(s *libmaster.Server) error {
			var err error
			d, err = newDaemon(s)
			return err
		},
	})
}

// newDaemon reads the configuration, opens the tables and sets the file
// size limit.
func newDaemon(s *libmaster.Server) (*daemon, error) {
	reg := maptypes.NewRegistry(s.Log)
	reg.Params = s.Config.Param
	// As every Postfix daemon (dict_allow_surrogate): a table that cannot
	// be opened fails each lookup, so the message is deferred with
	// "map lookup problem" instead of cleanup dying at start-up.
	reg.AllowSurrogate = true
	dest, err := maps.NewMatchList(reg, "mydestination", s.Str("mydestination"), maps.StringList, false, s.Log)
	if err != nil {
		return nil, err
	}
	local := &maps.Local{Dest: dest, Addrs: append(maps.InterfaceAddrs(s.Str("inet_interfaces")),
		maps.InterfaceAddrs(s.Str("proxy_interfaces"))...)}
	rw := rewrite.NewClient(s.QueueDir, s.Str("rewrite_service_name"), s.Log)
	rw.Blocking()
	rw.CacheRewrites(rewriteCacheSize, rewriteCacheTTL)
	cfg, err := newConfig(s, reg, s.Log, rw, local)
	if err != nil {
		return nil, err
	}
	layout, err := queue.NewLayout(s.QueueDir, s.Config)
	if err != nil {
		return nil, err
	}
	if n, err := s.Config.Long("message_size_limit"); err == nil && n > 0 {
		signal.Ignore(syscall.SIGXFSZ)
		syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: uint64(n), Max: uint64(n)})
	}
	status, err := bounce.New(s.Log, s.Config, reg)
	if err != nil {
		return nil, err
	}
	return &daemon{cfg: cfg, layout: layout, queueDir: s.QueueDir, ipcTimeout: s.IPCTimeout,
		trigTime: s.Time("trigger_timeout"), qmgr: s.Str("queue_service_name"),
		status: status, verpBounceOff: s.Bool("disable_verp_bounces")}, nil
}
