package mkmap

import (
	"bufio"
	"os"
	"path/filepath"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/mime"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// Setup holds what both programs do before their main work: the program
// name, logger, main.cf and the registry of table types.
type Setup struct {
	Prog string
	// UsageText follows "usage: PROG " in the usage message.
	UsageText string
	Log       *msg.Logger
	Conf      *mailconf.Config

	hook *logHook // runs before every message (see ordered.go)
}

// NewSetup names the program after argv[0] and logs to stderr.
func NewSetup(argv0 string) *Setup {
	prog := filepath.Base(argv0)
	if prog == "." || prog == "/" || prog == "" {
		prog = argv0
	}
	hook := &logHook{}
	return &Setup{Prog: prog, Log: msg.New(hook, msg.NewWriterSink(prog, os.Stderr)), hook: hook}
}

// ReadConfig reads main.cf (dying as Postfix does when it is missing) and
// applies import_environment's name=value settings.
func (s *Setup) ReadConfig(dir string) {
	c, err := mailconf.Load(dir, s.Log)
	if err != nil {
		s.Log.Fatalf("%s", err)
	}
	s.Conf = c
	if err := mailconf.UpdateEnv(s.Str("import_environment")); err != nil {
		s.Log.Fatalf("%v", err)
	}
}

// Str returns a parameter value, dying on a bad one as Postfix does.
func (s *Setup) Str(name string) string {
	v, err := s.Conf.Str(name)
	if err != nil {
		s.Log.Fatalf("%s", err)
	}
	return v
}

// Bool returns a boolean parameter, dying on a bad one.
func (s *Setup) Bool(name string) bool {
	v, err := s.Conf.Bool(name)
	if err != nil {
		s.Log.Fatalf("%s", err)
	}
	return v
}

// Int returns an integer parameter, dying on a bad one.
func (s *Setup) Int(name string) int {
	v, err := s.Conf.Int(name)
	if err != nil {
		s.Log.Fatalf("%s", err)
	}
	return v
}

// Tool returns a Tool for the registry reg, which the program has filled
// with its table types.
func (s *Setup) Tool(reg *dict.Registry, seqFormat string) *Tool {
	reg.Log = s.Log
	registerProxy(reg)
	reg.UTF8 = s.Bool("smtputf8_enable")
	reg.Params = func(name string) (string, bool) {
		v, err := s.Conf.Str(name)
		return v, err == nil
	}
	return &Tool{
		// The parser allows one level of nesting more than the limit,
		// as the real 3.7.11 does (see cmd/cleanup).
		MIMELimits: mime.Limits{HeaderSize: s.Int("header_size_limit"), Nesting: s.Int("mime_nesting_limit") + 1,
			BoundaryLen: s.Int("mime_boundary_length_limit")},
		Log:         s.Log,
		Reg:         reg,
		DefaultType: s.Str("default_database_type"),
		Stdin:       os.Stdin,
		Stdout:      bufio.NewWriterSize(os.Stdout, 64*1024),
		SeqFormat:   seqFormat,
		hook:        s.hook,
	}
}
