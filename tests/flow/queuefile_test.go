package flow

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/record"
	"gopostfix/tests/internal/instance"
)

// queueRecords reads a queue file as "TYPE data" lines, following
// pointer records as postcat does.
func queueRecords(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd := record.NewReader(f, path, record.FollowPtr, 0)
	var out []string
	for {
		rec, err := rd.Next()
		if err != nil {
			break
		}
		out = append(out, fmt.Sprintf("%c %s", rec.Type, rec.Data))
		if rec.Type == record.End {
			break
		}
	}
	return out
}

// readyFiles lists the complete queue files below the given queues.
func readyFiles(in *instance.Instance, queues ...string) map[string]string {
	files := map[string]string{}
	for _, q := range queues {
		filepath.Walk(in.Path("queue/"+q), func(p string, fi os.FileInfo, err error) error {
			if err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0700 == 0700 {
				files[filepath.Base(p)] = p
			}
			return nil
		})
	}
	return files
}

// submit runs the real sendmail of the instance and waits for a new
// complete file in incoming/ or hold/; "" when none came within limit.
func submit(t *testing.T, in *instance.Instance, args []string, input string, limit time.Duration) string {
	t.Helper()
	before := readyFiles(in, "incoming", "hold")
	out, err := in.RunInput(input, "/usr/sbin/sendmail", append([]string{"-C", in.Path("etc")}, args...)...)
	if err != nil {
		t.Fatalf("sendmail %v: %v\n%s", args, err, out)
	}
	var found string
	waitFor(limit, func() bool {
		for id, p := range readyFiles(in, "incoming", "hold") {
			if _, old := before[id]; !old {
				found = p
				return true
			}
		}
		return false
	})
	return found
}

var (
	maskTime     = regexp.MustCompile(`^T \d+ \d+$`)
	maskCreate   = regexp.MustCompile(`create_time=\d+`)
	maskDate     = regexp.MustCompile(`[A-Z][a-z]{2}, [ 0-9]\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d [-+]\d{4} \([A-Z]+\)`)
	maskMsgID    = regexp.MustCompile(`<\d{14}\.`)
	maskWarnTime = regexp.MustCompile(`^W +\d+$`)
	maskLogID    = regexp.MustCompile(`\b[0-9A-F]{8,12}([:@])`)
)

// normalize masks what differs between two runs of the same input: the
// queue ID, times and, when the IDs differ in length, the sizes that
// depend on it.
func normalize(recs []string, id string, maskSizes bool) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		r = strings.ReplaceAll(r, id, "QUEUEID")
		r = maskTime.ReplaceAllString(r, "T <TIME>")
		r = maskCreate.ReplaceAllString(r, "create_time=<TIME>")
		r = maskDate.ReplaceAllString(r, "<DATE>")
		r = maskMsgID.ReplaceAllString(r, "<STAMP.")
		r = maskWarnTime.ReplaceAllString(r, "W <TIME>")
		if maskSizes && strings.HasPrefix(r, "C ") {
			f := strings.Fields(r[2:])
			r = fmt.Sprintf("C <SIZE> <OFFSET> %s %s <SIZE> %s", f[2], f[3], f[5])
		}
		out[i] = r
	}
	return out
}

// checkSizeRecord verifies the offsets and sizes of a queue file's size
// record against its records.
func checkSizeRecord(t *testing.T, name, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd := record.NewReader(f, path, record.FollowPtr, 0)
	var size record.SizeInfo
	var dataOff, xOff, rcpts int64
	for {
		rec, err := rd.Next()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			return
		}
		switch rec.Type {
		case record.Size:
			record.ScanLongs(string(rec.Data), &size.ContentSize, &size.DataOffset, &size.RcptCount,
				&size.QmgrFlags, &size.ContentLength, &size.SendOpts)
		case record.Mesg:
			dataOff = rd.Offset()
		case record.Rcpt:
			rcpts++
		case record.Xtra:
			xOff = rec.Offset
		}
		if rec.Type == record.End {
			break
		}
	}
	if size.DataOffset != dataOff || size.ContentSize != xOff-dataOff || size.ContentLength != size.ContentSize || size.RcptCount != rcpts {
		t.Errorf("%s: inconsistent size record %+v (data %d, X %d, %d recipients)", name, size, dataOff, xOff, rcpts)
	}
}

// compareQueueFiles compares two queue files record by record.
func compareQueueFiles(t *testing.T, name, realPath, ourPath string) {
	t.Helper()
	realID, ourID := filepath.Base(realPath), filepath.Base(ourPath)
	// Sizes depend on the lengths of IDs and time stamps; they are
	// checked for consistency instead.
	want := normalize(queueRecords(t, realPath), realID, true)
	got := normalize(queueRecords(t, ourPath), ourID, true)
	checkSizeRecord(t, name, ourPath)
	if strings.Join(want, "\n") != strings.Join(got, "\n") {
		t.Errorf("%s: queue files differ\nreal %s:\n%s\nours %s:\n%s", name, realPath,
			strings.Join(want, "\n"), ourPath, strings.Join(got, "\n"))
	}
	if filepath.Base(filepath.Dir(realPath)) != filepath.Base(filepath.Dir(ourPath)) {
		t.Errorf("%s: queue differs: real %s, ours %s", name, realPath, ourPath)
	}
	rs, _ := os.Stat(realPath)
	os1, _ := os.Stat(ourPath)
	if rs != nil && os1 != nil && rs.Mode() != os1.Mode() {
		t.Errorf("%s: mode real %v, ours %v", name, rs.Mode(), os1.Mode())
	}
}

// compareCleanupLogs compares the cleanup log lines of the real instance
// and ours, masked, once both have logged as many (at most 5s).
func compareCleanupLogs(t *testing.T, real, our *instance.Instance) {
	t.Helper()
	var want, got []string
	waitFor(5*time.Second, func() bool {
		want, got = cleanupLogLines(real.Maillog()), cleanupLogLines(our.Maillog())
		return len(want) == len(got)
	})
	if strings.Join(want, "\n") != strings.Join(got, "\n") {
		t.Errorf("cleanup log lines differ\nreal:\n%s\nours:\n%s", strings.Join(want, "\n"), strings.Join(got, "\n"))
	}
}

// cleanupLogLines returns the cleanup lines of the maillog after offset,
// with the program/pid and queue IDs masked.
func cleanupLogLines(log string, ids ...string) []string {
	var out []string
	for _, line := range strings.Split(log, "\n") {
		i := strings.Index(line, "/cleanup[")
		if i < 0 {
			continue
		}
		body := line[strings.Index(line[i:], "]: ")+i+3:]
		for _, id := range ids {
			if id != "" {
				body = strings.ReplaceAll(body, id, "QUEUEID")
			}
		}
		body = maskMsgID.ReplaceAllString(body, "<STAMP.")
		body = maskLogID.ReplaceAllString(body, "QUEUEID$1")
		out = append(out, body)
	}
	return out
}
