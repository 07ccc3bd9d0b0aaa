package flow

import (
	"os"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
	tm "gopostfix/tests/internal/testmilter"
)

// requeueAll runs postsuper -r ALL and waits until pickup and cleanup
// have queued every message again; it returns the new files.
func requeueAll(t *testing.T, in *instance.Instance) []string {
	t.Helper()
	before := readyFiles(in, "incoming", "hold")
	in.Postsuper("-r", "ALL")
	// postsuper does not wake pickup.
	in.Run("postkick", "-c", in.Path("etc"), "public", "pickup", "W")
	var files []string
	if !waitFor(30*time.Second, func() bool {
		files = files[:0]
		for id, p := range readyFiles(in, "incoming", "hold") {
			if _, old := before[id]; !old {
				files = append(files, p)
			}
		}
		return len(in.Queued("maildrop")) == 0 && len(files) == len(before)
	}) {
		t.Fatalf("requeue: %d of %d files back:\n%s", len(files), len(before), in.Maillog())
	}
	return files
}

// TestMilterRequeueAgainstReal: mail requeued with postsuper -r skips
// the Milters (pickup turns them off) but keeps the queue file layout
// of a Milter-enabled cleanup; the edited files are read back through
// their pointer records.
func TestMilterRequeueAgainstReal(t *testing.T) {
	t.Parallel()
	m1, m2 := startMilters(t, milterPortRequeue1, milterPortRequeue2)
	master := milterMasterCF()
	main := milterMain(milterPortRequeue1, milterPortRequeue2)
	real := newInstance(t, main, master, nil, milterFiles)
	our := newInstance(t, main, master, map[string]string{"cleanup": ours.Path(t, "cleanup")}, milterFiles)
	milters := []*tm.Server{m1, m2}
	m1.SetScript(editing(tm.InsHeader(0, "X-Top", "top"), tm.ChgHeader(1, "X-Short", ""),
		tm.ChgFromReply("<x@y>", "RET=FULL"), tm.AddRcptReply("<added@mx.flow.example>"),
		tm.DelRcptReply("<carol@mx.flow.example>"), tm.ReplBody(longBody)))
	m2.SetScript(tm.Script{Before: map[byte][]tm.Reply{tm.CmdEOB: {tm.QuarantineReply("held")}}})
	c := milterSubmission{name: "requeue", args: milterArgs, input: milterInput}
	for _, in := range []*instance.Instance{real, our} {
		submitMilter(t, in, milters, c)
	}
	_, started := m1.Sessions()
	want, got := requeueAll(t, real), requeueAll(t, our)
	if now, _ := m1.Sessions(); now != started {
		t.Errorf("requeued mail went to the milters: %d sessions, %d before", now, started)
	}
	compareMilterRuns(t, "requeued", real, our, milterRun{files: want}, milterRun{files: got})
	compareMilterLogs(t, real, our)
}

// TestMilterDeliveryAgainstReal: mail edited by a milter is delivered by
// the real qmgr and local from our cleanup's queue file as from the
// real one's.
func TestMilterDeliveryAgainstReal(t *testing.T) {
	t.Parallel()
	m, err := tm.Listen("tcp", "127.0.0.1:34203", tm.Script{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	main := "non_smtpd_milters = inet:127.0.0.1:34203\n"
	real := newInstance(t, main, baseMasterCF, nil, nil)
	our := newInstance(t, main, baseMasterCF, map[string]string{"cleanup": ours.Path(t, "cleanup")}, nil)
	subs := []struct {
		script tm.Script
		input  string
	}{
		{editing(tm.ChgHeader(1, "Subject", "changed by milter"), tm.InsHeader(0, "X-Top", "top"),
			tm.AddHeader("X-End", "end"), tm.ChgHeader(1, "X-Short", ""), tm.AddRcptReply("<root@localhost>"),
			tm.DelRcptReply("<nobody@mx.flow.example>"), tm.ChgFromReply("<sender@mx.flow.example>", "")), milterInput},
		{editing(tm.ReplBody("replaced\r\n"+longBody+"last line\r\n"), tm.AddHeader("X-Body", "replaced")), milterInput},
		{editing(tm.ReplBody("short\r\n")), "Subject: long body\n\n" + strings.Repeat("a long original body line\n", 200)},
	}
	deliver := func(in *instance.Instance) string {
		for _, s := range subs {
			m.SetScript(s.script)
			_, ended := m.Sessions()
			args := []string{"-C", in.Path("etc"), "-f", "alice@mx.flow.example", "root@mx.flow.example", "nobody@mx.flow.example"}
			if out, err := in.RunInput(s.input, "/usr/sbin/sendmail", args...); err != nil {
				t.Fatalf("sendmail: %v\n%s", err, out)
			}
			if err := m.WaitEnded(ended+1, 15*time.Second); err != nil {
				t.Fatalf("%v\n%s", err, in.Maillog())
			}
		}
		// root gets the first message twice (root@localhost added), nobody
		// the others (deleted from the first).
		var last string
		stable := 0
		if !waitFor(60*time.Second, func() bool {
			root, _ := os.ReadFile(in.Path("spool/root"))
			nobody, _ := os.ReadFile(in.Path("spool/nobody"))
			data := string(root) + "\n=====\n" + string(nobody)
			if countMessages(string(root)) >= len(subs)+1 && countMessages(string(nobody)) >= len(subs)-1 && data == last {
				stable++
			} else {
				stable = 0
			}
			last = data
			return stable >= 3
		}) {
			t.Fatalf("not all delivered:\n%s", in.Maillog())
		}
		return last
	}
	mboxes := func(in *instance.Instance) string {
		s := deliver(in)
		i := strings.Index(s, "\n=====\n")
		return normalizeMbox(s[:i]) + "\n+++++\n" + normalizeMbox(s[i+7:])
	}
	if want, got := mboxes(real), mboxes(our); want != got {
		t.Errorf("delivered mail differs\nreal:\n%s\nours:\n%s", want, got)
	}
}
