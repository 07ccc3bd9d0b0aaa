package testmilter_test

import (
	"bytes"
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
	srv, err := testmilter.Listen("unix", filepath.Join(t.TempDir(), "m.sock"), sc)
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
