package flow

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/record"
	"gopostfix/tests/internal/instance"
	"gopostfix/tests/internal/testmilter"
)

// Milter tests: real cleanup and ours with the same non_smtpd_milters,
// pointed at test milters that run the same script for both; mail comes
// in through sendmail and pickup. Ports 34200-34299; the tests run in
// parallel (most of their time is the real cleanup's wait), each with
// its own ports.
const (
	milterPort1        = "127.0.0.1:34201"
	milterPort2        = "127.0.0.1:34202"
	milterPortRequeue1 = "127.0.0.1:34205"
	milterPortRequeue2 = "127.0.0.1:34206"
	milterPortDown     = "127.0.0.1:34209" // nothing listens here
)

// milterMasterCF is the local system without qmgr, so that the queue
// files stay in incoming/ and hold/ to be compared.
func milterMasterCF() string {
	return strings.Replace(baseMasterCF, "qmgr      unix  n       -       n       300     1       qmgr\n", "", 1)
}

// milterSubmission is one message and what the milters do with it.
type milterSubmission struct {
	name   string
	s1, s2 testmilter.Script
	args   []string
	input  string
	// deferred: the message stays in maildrop (a temporary rejection);
	// the test removes it.
	deferred bool
}

// milterRun is what one instance did with a submission.
type milterRun struct {
	files     []string // new complete queue files
	milterLog []string // the test milters' packets
}

// submitMilter runs sendmail and waits until cleanup is done with the
// message: the milter sessions ended and pickup took the file (unless
// the message is deferred).
func submitMilter(t *testing.T, in *instance.Instance, milters []*testmilter.Server, sub milterSubmission) milterRun {
	t.Helper()
	before := readyFiles(in, "incoming", "hold")
	logged := len(cleanupLogLines(in.Maillog()))
	var ended []int
	logLen := make([]int, len(milters))
	for i, m := range milters {
		_, e := m.Sessions()
		ended = append(ended, e)
		logLen[i] = len(m.Log())
	}
	out, err := in.RunInput(sub.input, "/usr/sbin/sendmail", append([]string{"-C", in.Path("etc")}, sub.args...)...)
	if err != nil {
		t.Fatalf("%s: sendmail %v: %v\n%s", sub.name, sub.args, err, out)
	}
	for i, m := range milters {
		if err := m.WaitEnded(ended[i]+1, 15*time.Second); err != nil {
			t.Fatalf("%s: %v\n%s", sub.name, err, in.Maillog())
		}
	}
	if !sub.deferred && !waitFor(15*time.Second, func() bool { return len(in.Queued("maildrop")) == 0 }) {
		t.Fatalf("%s: maildrop not emptied:\n%s", sub.name, in.Maillog())
	}
	// Without a milter session to wait for, a deferred message is done
	// when cleanup has logged about it.
	if sub.deferred && len(milters) == 0 && !waitFor(15*time.Second, func() bool {
		return len(cleanupLogLines(in.Maillog())) > logged
	}) {
		t.Fatalf("%s: cleanup logged nothing:\n%s", sub.name, in.Maillog())
	}
	var run milterRun
	for id, p := range readyFiles(in, "incoming", "hold") {
		if _, old := before[id]; !old {
			run.files = append(run.files, p)
		}
	}
	for i, m := range milters {
		run.milterLog = append(run.milterLog, m.Log()[logLen[i]:]...)
	}
	if sub.deferred {
		for _, id := range in.Queued("maildrop") {
			os.Remove(in.Path("queue/maildrop/" + id))
		}
	}
	return run
}

var (
	maskQueueID  = regexp.MustCompile(`\b[0-9A-F]{10,12}\b`)
	maskBoundary = regexp.MustCompile(`\.\d{9,11}/`)
	maskDelays   = regexp.MustCompile(`delays?=[0-9./]+`)
	maskPorts    = regexp.MustCompile(`(client_port|server_port)=\d+`)
	maskSession  = regexp.MustCompile(`^SESSION \d+$`)
	maskPostcat  = regexp.MustCompile(`(?m)^(\*\*\* ENVELOPE RECORDS |message_arrival_time: |create_time: |named_attribute: create_time=|message_size: ).*$`)
)

// maskMilterLog masks queue IDs, dates and session numbers in a milter
// packet log.
func maskMilterLog(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		l = maskQueueID.ReplaceAllString(l, "QUEUEID")
		l = maskDate.ReplaceAllString(l, "<DATE>")
		l = maskMsgID.ReplaceAllString(l, "<STAMP.")
		l = maskSession.ReplaceAllString(l, "SESSION")
		out[i] = l
	}
	return out
}

// rawRecords lists a queue file's records in reading order, with the
// pointer records (followed) and the padding that readers skip: the
// layout cleanup wrote. Pointer targets are masked (they depend on the
// lengths of time stamps).
func rawRecords(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd := record.NewReader(f, path, 0, 0)
	var out []string
	for {
		rec, err := rd.Next()
		if err != nil {
			break
		}
		data := string(rec.Data)
		if rec.Type == record.Ptr {
			if err := rd.Goto(rec.Data); err != nil {
				t.Errorf("%s: %v", path, err)
				break
			}
			if strings.TrimSpace(data) != "0" {
				data = "<OFFSET>"
			}
		}
		out = append(out, fmt.Sprintf("%c %s", rec.Type, data))
		if rec.Type == record.End {
			break
		}
	}
	return out
}

// postcatOutput is the real postcat's view of a queue file, masked.
func postcatOutput(in *instance.Instance, path string) string {
	out, err := in.RunInput("", "/usr/sbin/postcat", "-c", in.Path("etc"), path)
	if err != nil {
		return fmt.Sprintf("postcat: %v\n%s", err, out)
	}
	out = maskPostcat.ReplaceAllString(in.Mask(out), "$1<MASKED>")
	out = maskQueueID.ReplaceAllString(out, "QUEUEID")
	out = maskPorts.ReplaceAllString(out, "$1=PORT")
	out = maskDate.ReplaceAllString(out, "<DATE>")
	return maskMsgID.ReplaceAllString(out, "<STAMP.")
}

// milterNormalize masks a queue file's records for comparison: queue
// IDs and times as normalize does, MIME boundaries of bounce notices;
// the size record keeps the recipient count, the qmgr flags, the sender
// options and how much the content length differs from the content size
// (Milter body edits change it), not the sizes themselves.
func milterNormalize(recs []string, id string) []string {
	out := normalize(recs, id, false)
	for i, r := range out {
		if strings.HasPrefix(r, "C ") {
			var f [6]int64
			record.ScanLongs(r[2:], &f[0], &f[1], &f[2], &f[3], &f[4], &f[5])
			r = fmt.Sprintf("C rcpt=%d flags=%d length-size=%d opts=%d", f[2], f[3], f[4]-f[0], f[5])
		}
		r = maskQueueID.ReplaceAllString(r, "QUEUEID")
		r = maskPorts.ReplaceAllString(r, "$1=PORT")
		out[i] = maskBoundary.ReplaceAllString(r, ".<TIME>/")
	}
	return out
}

// checkMilterSizes checks the size record of an edited queue file: the
// content size is the distance from the content start to the X record
// (the length may differ after a body replacement).
func checkMilterSizes(t *testing.T, name, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd := record.NewReader(f, path, record.FollowPtr|record.SkipPadding, 0)
	var size, dataOff int64
	for {
		rec, err := rd.Next()
		if err != nil {
			t.Errorf("%s: %s: %v", name, path, err)
			return
		}
		switch rec.Type {
		case record.Size:
			record.ScanLongs(string(rec.Data), &size, &dataOff)
		case record.Xtra:
			if rec.Offset-dataOff != size {
				t.Errorf("%s: %s: content size %d, X record at %d, content at %d", name, path, size, rec.Offset, dataOff)
			}
			return
		}
	}
}

// compareMilterLogs compares the cleanup log lines of the two instances
// (delays masked: bounce notices log them).
func compareMilterLogs(t *testing.T, real, our *instance.Instance) {
	t.Helper()
	var want, got []string
	waitFor(5*time.Second, func() bool {
		want, got = cleanupLogLines(real.Maillog()), cleanupLogLines(our.Maillog())
		return len(want) == len(got)
	})
	w := maskDelays.ReplaceAllString(strings.Join(want, "\n"), "delays")
	g := maskDelays.ReplaceAllString(strings.Join(got, "\n"), "delays")
	if w != g {
		n, wl, gl := instance.FirstDiff(strings.Split(w, "\n"), strings.Split(g, "\n"))
		t.Errorf("cleanup log lines differ at line %d:\nreal: %s\nours: %s\nreal:\n%s\nours:\n%s", n, wl, gl, w, g)
	}
}

// sortedByRecords orders queue files by their masked records, so that
// the files of two runs pair up.
func sortedByRecords(t *testing.T, files []string) []string {
	key := map[string]string{}
	for _, f := range files {
		key[f] = strings.Join(milterNormalize(queueRecords(t, f), filepath.Base(f)), "\n")
	}
	sort.Slice(files, func(i, j int) bool { return key[files[i]] < key[files[j]] })
	return files
}

// compareMilterRuns compares the queue files (followed and raw), the
// real postcat's reading of them and the milter packet logs.
func compareMilterRuns(t *testing.T, name string, real, our *instance.Instance, want, got milterRun) {
	t.Helper()
	if len(want.files) != len(got.files) {
		t.Errorf("%s: real queued %d files, ours %d\n%s", name, len(want.files), len(got.files), our.Maillog())
		return
	}
	wf, gf := sortedByRecords(t, want.files), sortedByRecords(t, got.files)
	for i := range wf {
		checkMilterSizes(t, name, gf[i])
		w := milterNormalize(queueRecords(t, wf[i]), filepath.Base(wf[i]))
		g := milterNormalize(queueRecords(t, gf[i]), filepath.Base(gf[i]))
		if strings.Join(w, "\n") != strings.Join(g, "\n") {
			t.Errorf("%s: queue files differ\nreal:\n%s\nours:\n%s", name, strings.Join(w, "\n"), strings.Join(g, "\n"))
		}
		if filepath.Base(filepath.Dir(wf[i])) != filepath.Base(filepath.Dir(gf[i])) {
			t.Errorf("%s: queue differs: real %s, ours %s", name, wf[i], gf[i])
		}
		w = milterNormalize(rawRecords(t, wf[i]), filepath.Base(wf[i]))
		g = milterNormalize(rawRecords(t, gf[i]), filepath.Base(gf[i]))
		if strings.Join(w, "\n") != strings.Join(g, "\n") {
			t.Errorf("%s: queue file layouts differ\nreal:\n%s\nours:\n%s", name, strings.Join(w, "\n"), strings.Join(g, "\n"))
		}
		if pw, pg := postcatOutput(real, wf[i]), postcatOutput(our, gf[i]); pw != pg {
			t.Errorf("%s: postcat output differs\nreal:\n%s\nours:\n%s", name, pw, pg)
		}
	}
	w, g := maskMilterLog(want.milterLog), maskMilterLog(got.milterLog)
	if strings.Join(w, "\n") != strings.Join(g, "\n") {
		t.Errorf("%s: milter packets differ\nreal:\n%s\nours:\n%s", name, strings.Join(w, "\n"), strings.Join(g, "\n"))
	}
}

// startMilters starts two test milters.
func startMilters(t *testing.T, addr1, addr2 string) (*testmilter.Server, *testmilter.Server) {
	t.Helper()
	m1, err := testmilter.Listen("tcp", addr1, testmilter.Script{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m1.Close)
	m2, err := testmilter.Listen("tcp", addr2, testmilter.Script{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m2.Close)
	return m1, m2
}
