package main

import (
	"os"

	"gopostfix/libglobal/maillog"
	"gopostfix/libmaster"
)

func main() {
	var out *os.File
	libmaster.DgramServerMain(os.Args, func(s *libmaster.Server, rec []byte) {
		serve(s, out, rec)
	}, libmaster.Options{
		Solitary: true,
		PreInit: func(s *libmaster.Server) error {
			f, err := openLog(s)
			out = f
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

// serve writes one record, or relays it to syslog.
func serve(s *libmaster.Server, out *os.File, rec []byte) {
	if out != nil {
		maillog.WriteLine(out, string(rec))
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
