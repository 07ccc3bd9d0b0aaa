package bouncelog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopostfix/libglobal/mbox"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/util/msg"
)

// TestGoldenRoundTrip reads the defer logfiles a real Postfix 3.7.11
// wrote and writes them again: the bytes must be the same.
func TestGoldenRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.defer")
	if len(files) == 0 {
		t.Fatal("no golden logfiles")
	}
	for _, f := range files {
		want, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cap msg.Capture
		rd := NewReader(strings.NewReader(string(want)), "defer", f, msg.New(&cap))
		var got strings.Builder
		n := 0
		for {
			e, ok := rd.Next()
			if !ok {
				break
			}
			n++
			got.WriteString(Format(e, true))
		}
		if n == 0 || got.String() != string(want) {
			t.Errorf("%s: %d entries, rewritten:\n%q\nwant:\n%q", f, n, got.String(), want)
		}
		if cap.String() != "" {
			t.Errorf("%s: warnings %q", f, cap.String())
		}
	}
}

func TestReaderDefaultsAndWarnings(t *testing.T) {
	in := "\n<a@b>: old reason\n\n" + // old style only
		"\nrecipient=\nbogus=1\n  junk\n\n" + // empty recipient, unknown name, malformed
		"\n<>: bounce of bounce\nstatus=5.1.1\n\n" +
		"\nrecipient=x@y\n" // no blank line after: dropped
	var cap msg.Capture
	rd := NewReader(strings.NewReader(in), "bounce", "bounce/ID", msg.New(&cap))
	want := []Entry{
		{Recipient: "a@b", Status: "5.0.0", Action: "failed", Reason: "old reason"},
		{Recipient: "(MAILER-DAEMON)", Status: "5.0.0", Action: "failed", Reason: "(description unavailable)"},
		{Recipient: "(MAILER-DAEMON)", Status: "5.1.1", Action: "failed", Reason: "bounce of bounce"},
	}
	for i, w := range want {
		e, ok := rd.Next()
		if !ok || e != w {
			t.Errorf("entry %d = %+v, %v; want %+v", i, e, ok, w)
		}
	}
	if _, ok := rd.Next(); ok {
		t.Errorf("unterminated entry was returned")
	}
	wantLog := "warning: bounce/ID: unknown attribute name: bogus, ignored\n" +
		"warning: bounce/ID: malformed record:   junk...\n"
	if cap.String() != wantLog {
		t.Errorf("warnings %q, want %q", cap.String(), wantLog)
	}
}

func TestAppendCreatesAndAppends(t *testing.T) {
	dir := t.TempDir()
	l := queue.DefaultLayout(dir)
	e := Entry{Recipient: "user name@example.com", OrigRecipient: "USER NAME@example.com", Offset: 363,
		DSNOrcpt: "rfc822;x@example.com", Notify: 14, Status: "4.3.2", Action: "delayed", Reason: "deferred transport"}
	for i := 0; i < 2; i++ {
		if err := Append(l, "defer", "C577898645E", e, true, mbox.DefaultLockParams); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(filepath.Join(dir, l.Path("defer", "C577898645E")))
	if err != nil {
		t.Fatal(err)
	}
	one := "\n<\"user name\"@example.com>: deferred transport\nrecipient=\"user name\"@example.com\noffset=363\n" +
		"dsn_orig_rcpt=rfc822;x@example.com\nnotify_flags=14\nstatus=4.3.2\naction=delayed\nreason=deferred transport\n\n"
	if string(got) != one+one {
		t.Errorf("logfile:\n%q\nwant:\n%q", got, one+one)
	}
	st, _ := os.Stat(filepath.Join(dir, l.Path("defer", "C577898645E")))
	if st.Mode().Perm() != 0600 {
		t.Errorf("mode %o", st.Mode().Perm())
	}
}
