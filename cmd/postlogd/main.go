package main

import (
	"os"
	"time"

	"gopostfix/libglobal/maillog"
	"gopostfix/libmaster"
)

func main() {
	w := &writer{}
	libmaster.DgramBurstServerMain(os.Args, w.serve, w.flush, libmaster.Options{
		Solitary: true,
		// One datagram per log record of every Postfix process: blocking
		// receive calls outside the Go poller, as the C daemon sleeps in
		// its event loop, and the lines of a burst in one write.
		BlockingIO: true,
		// The runtime's monitor thread polls while the process sleeps in
		// poll(2); postlogd's own timers are max_idle and the watchdog.
		TimerSlack: 50 * time.Millisecond,
		PreInit: func(s *libmaster.Server) error {
			f, err := openLog(s)
			w.out = f
			return err
		},
		// One resident process: it may end when idle, never after
		// max_use records (postlogd's post-jail init).
		PostInit: func(s *libmaster.Server) error { s.NoUseLimit(); return nil },
	})
}

// openLog opens maillog_file before the chroot and privilege drop.
func openLog(s *libmaster.Server) (*os.File, error) {
	if len(s.Flags.Args) > 0 {
		s.Log.Fatalf("unexpected command-line argument: %s", s.Flags.Args[0])
	}
	path := s.Str("maillog_file")
	if path == "" {
		return nil, nil
	}
	return maillog.OpenLogFile(path)
}

// writer appends the records of a burst to maillog_file.
type writer struct {
	out *os.File // nil: relay to syslog
	buf []byte   // lines not yet written
}

// serve takes one record: a line for maillog_file, written by flush, or
// a message relayed to syslog at once.
func (w *writer) serve(s *libmaster.Server, rec []byte) {
	if w.out != nil {
		w.buf = append(append(w.buf, rec...), '\n')
		return
	}
	tagPid, body, ok := maillog.StripPrefix(string(rec))
	if !ok {
		s.Log.Infof("%s", rec)
		return
	}
	relay, err := maillog.NewSyslogSink(tagPid, s.Str("syslog_facility"))
	if err != nil {
		return
	}
	relay.Raw(body)
	relay.Close()
}

// flush writes the lines of a burst with one write(2) (O_APPEND: each
// write lands at the end of the file even when it was renamed or another
// process appends). A failed write loses the lines, as a failed write of
// one record does.
func (w *writer) flush(*libmaster.Server) {
	if len(w.buf) == 0 {
		return
	}
	w.out.Write(w.buf)
	w.buf = w.buf[:0]
}
