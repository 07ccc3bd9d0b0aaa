package testmilter_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/milter"
	"gopostfix/libglobal/record"
	pfx "gopostfix/tests/internal/instance"
	tm "gopostfix/tests/internal/testmilter"
)

// Port of the body replacement test (milter; smtpd on the next one).
const replBodyPort = 34032

// bodyEditor collects the replacement body as queue-file records.
type bodyEditor struct {
	recEditor
	recs []string
}

func (e *bodyEditor) ReplBody(op milter.BodyOp, typ byte, line []byte) string {
	if op == milter.BodyLine {
		e.recs = append(e.recs, fmt.Sprintf("%c %q", typ, line))
	}
	return ""
}

// The body a milter sends in REPLBODY chunks ends up in the real
// cleanup's queue file as the same records our library hands the Editor
// (lines split at line_length_limit, CRLF and bare CR handling, a last
// line without newline).
func TestReplaceBodyAsRealCleanup(t *testing.T) {
	pfx.RequireRealPostfix(t)
	chunks := []tm.Reply{tm.ReplBody("first\r\nsecond line\r\nbare\rcr\r\n" + strings.Repeat("y", 2500)),
		tm.ReplBody("z\r\n\r\nlast without newline")}
	script := tm.Script{Actions: 0x1ff, Mods: chunks}
	mil, err := tm.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", replBodyPort), script)
	if err != nil {
		t.Fatal(err)
	}
	defer mil.Close()
	in := pfx.New(t, pfx.Options{Prefix: "miltertest",
		Main: pfx.BareMainCF("example.com") + "smtpd_milters = " + mil.Spec() + "\n" +
			"default_transport = discard:test\nlocal_transport = discard:test\n" +
			"header_checks = regexp:@ROOT@/etc/hold\n",
		Files:  map[string]string{"etc/hold": "/^Subject:/ HOLD\n"},
		Master: pfx.MasterCF + fmt.Sprintf("127.0.0.1:%d inet n - n - 1 smtpd\n", replBodyPort+1)})
	smtpSession(t, fmt.Sprintf("127.0.0.1:%d", replBodyPort+1), defaultSession, realMessage)
	var held []string
	pfx.WaitFor(20*time.Second, func() bool {
		held, _ = filepath.Glob(in.Path("queue/hold/*"))
		return len(held) == 1
	})
	if len(held) != 1 {
		t.Fatalf("held messages %q", held)
	}
	f, err := os.Open(held[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var real []string
	inBody := false
	rd := record.NewReader(f, held[0], record.Default, 0)
	for {
		rec, err := rd.Next()
		if err != nil {
			t.Fatal(err)
		}
		if rec.Type == record.Xtra {
			break
		}
		if inBody {
			real = append(real, fmt.Sprintf("%c %q", rec.Type, rec.Data))
		} else if rec.Type == record.Norm && len(rec.Data) == 0 {
			inBody = true // the header/body separator
		}
	}

	ms, srv, _ := session(t, script, nil)
	ed := &bodyEditor{}
	ms.SetEditor(ed)
	envelope(t, ms)
	qf, off := newQueueFile(t, lines(record.Norm, "Subject: s", "", "old body"))
	if r := ms.Message(qf, off, nil); r != "" {
		t.Fatalf("message: %q", r)
	}
	endSession(t, ms, srv, 1)
	if len(real) == 0 {
		t.Fatal("no body records in the real cleanup's queue file")
	}
	checkLines(t, "body records (want: real cleanup)", ed.recs, real)
}
