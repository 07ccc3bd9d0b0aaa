package testmilter_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/milter"
	"gopostfix/libglobal/util/msg"
	"gopostfix/tests/internal/testmilter"
)

// newTestMilter starts a test milter on a UNIX socket in a temp dir.
func newTestMilter(t *testing.T, sc testmilter.Script) *testmilter.Server {
	t.Helper()
	// Not t.TempDir: test names may hold commas (list separators in
	// smtpd_milters) and make long socket paths.
	dir, err := os.MkdirTemp("", "tm")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	srv, err := testmilter.Listen("unix", filepath.Join(dir, "m.sock"), sc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// logBuf captures warnings as "prog: warning: text" lines.
type logBuf struct{ bytes.Buffer }

func (b *logBuf) lines() []string {
	s := strings.TrimRight(b.String(), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func testConfig(names string, lb *logBuf) milter.Config {
	return milter.Config{
		Names: names, ConnTimeout: 5 * time.Second, CmdTimeout: 5 * time.Second,
		MsgTimeout: 5 * time.Second, Protocol: "6", DefaultAction: "tempfail",
		Macros: milter.DefaultMacros, Log: msg.New(msg.NewWriterSink("test", &lb.Buffer)),
	}
}

// fixedMacros is a lookup with a few values.
func fixedMacros(vals map[string]string) milter.MacroLookup {
	return func(name string) (string, bool) {
		v, ok := vals[name]
		return v, ok
	}
}

// endSession disconnects and waits for the milter to see it.
func endSession(t *testing.T, ms *milter.Milters, srv *testmilter.Server, n int) []string {
	t.Helper()
	ms.DiscEvent()
	if err := srv.WaitEnded(n, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	return srv.Log()
}

func checkLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\ngot:\n\t%s\nwant:\n\t%s", what, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// session starts a test milter with sc and a client list pointing at it;
// adjust may change the configuration (its Names get "@M@" replaced by
// the milter's address).
func session(t *testing.T, sc testmilter.Script, adjust func(*milter.Config)) (*milter.Milters, *testmilter.Server, *logBuf) {
	t.Helper()
	srv := newTestMilter(t, sc)
	lb := &logBuf{}
	cfg := testConfig(srv.Spec(), lb)
	if adjust != nil {
		adjust(&cfg)
	}
	cfg.Names = strings.ReplaceAll(cfg.Names, "@M@", srv.Spec())
	ms, err := milter.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ms.Close)
	ms.SetMacroLookup(fixedMacros(map[string]string{"{i}": "QID1"}))
	return ms, srv, lb
}

// warnings returns the captured warnings with the socket path masked.
func (b *logBuf) masked(spec string) []string {
	var out []string
	for _, l := range b.lines() {
		out = append(out, strings.ReplaceAll(l, spec, "@M@"))
	}
	return out
}
