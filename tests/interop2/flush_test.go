package interop2

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/queue"
	"gopostfix/tests/internal/instance"
)

const flushMain = `fast_flush_domains = example.com, [1.2.3.4], bücher.example, Foo_Bar.example, .parent.example
parent_domain_matches_subdomains =
`

// TestFlushRealVsOurs runs the real master with the real flush and then
// with ours, sends the same requests to public/flush, and compares the
// replies, the logfiles in flush/, the queue files moved from deferred to
// incoming (with their modes), the triggers qmgr receives and flush's log
// lines.
func TestFlushRealVsOurs(t *testing.T) {
	var results [2][]string
	for i, side := range []string{"real", "ours"} {
		in := newInstance(t, side, "flush", flushMain, map[string]string{
			"etc/master.cf": masterCF + "flush     unix  n       -       n       1000?   0       flush\n",
		})
		results[i] = flushSession(t, in)
		in.Stop()
	}
	for k := range results[0] {
		if results[0][k] != results[1][k] {
			t.Errorf("step %d differs\nreal: %s\nours: %s", k, results[0][k], results[1][k])
		}
	}
}

// flushSession is the request sequence; it returns one string per step.
func flushSession(t *testing.T, in *instance.Instance) []string {
	q := in.Path("queue")
	sink := newTriggerSink(t, q+"/public/qmgr")
	layout := queue.DefaultLayout(q)
	uid := postfixUID(t)
	for _, id := range []string{"ABCDEF123", "ABCDEF124", "BBCDEF125", "CBCDEF126"} {
		p := layout.Abs(layout.Path("deferred", id))
		os.MkdirAll(filepath.Dir(p), 0o700)
		os.Chown(filepath.Dir(p), uid, -1)
		os.WriteFile(p, []byte("queue file "+id), 0o700)
		os.Chown(p, uid, -1)
		os.Chmod(p, 0o700)
		if id == "CBCDEF126" {
			os.Chmod(p, 0o600) // not complete: send_file leaves its mode
		}
		old := time.Now().Add(-time.Hour)
		os.Chtimes(p, old, old)
	}
	sock := q + "/public/flush"
	var out []string
	step := func(what string, req []byte) {
		reply := oneShot(t, sock, req)
		if strings.Contains(what, "refresh") || what == "wakeup" || what == "purge" {
			time.Sleep(time.Second) // the work is done after the reply
		}
		out = append(out, fmt.Sprintf("%s: %s triggers=%s\n%s", what, reply, sink.take(), state(q)))
	}
	add := func(site, id string) []byte { return rec("request", "add", "site", site, "queue_id", id) }
	step("add", add("example.com", "ABCDEF123"))
	step("add again", add("EXAMPLE.com", "ABCDEF124"))
	step("add dup", add("example.com", "ABCDEF123"))
	step("add missing", add("example.com", "ZZZZZZ999"))
	step("add idna", add("bücher.example", "BBCDEF125"))
	step("add literal", add("[1.2.3.4]", "ABCDEF124"))
	step("add underscore", add("Foo_Bar.example", "ABCDEF124"))
	step("add parent", add("sub.parent.example", "ABCDEF124"))
	step("add denied", add("other.example", "ABCDEF124"))
	step("add empty site", add("", "ABCDEF124"))
	step("add bad id", add("example.com", "bad/id"))
	step("add no id", rec("request", "add", "site", "example.com"))
	step("add extra", rec("request", "add", "site", "example.com", "queue_id", "ABCDEF124", "x", "y"))
	step("bogus request", rec("request", "bogus"))
	step("no request", rec("foo", "bar"))
	step("unknown trigger", []byte("X\x00"))
	step("empty", nil)
	postqueue := func(args ...string) {
		res, err := in.RunInput("", "/usr/sbin/postqueue", append([]string{"-c", in.Path("etc")}, args...)...)
		time.Sleep(300 * time.Millisecond)
		out = append(out, fmt.Sprintf("postqueue %v: %q %v triggers=%s\n%s", args, res, err, sink.take(), state(q)))
	}
	postqueue("-s", "sub.parent.example")
	postqueue("-s", "nope.example")
	postqueue("-i", "ABCDEF123")
	step("send_site denied", rec("request", "send_site", "site", "nope.example"))
	step("send_site missing", rec("request", "send_site"))
	step("send_site", rec("request", "send_site", "site", "example.com"))
	step("send_site empty log", rec("request", "send_site", "site", "example.com"))
	step("send_site no log", rec("request", "send_site", "site", "foo_bar.example"))
	step("send_file bad", rec("request", "send_file", "queue_id", "../x"))
	step("send_file not ready", rec("request", "send_file", "queue_id", "CBCDEF126"))
	step("send_file", rec("request", "send_file", "queue_id", "BBCDEF125"))
	step("send_file gone", rec("request", "send_file", "queue_id", "QQQQQ1234"))
	// Logfiles with garbage, not read for two hours, and an empty one
	// unchanged for eight days.
	os.WriteFile(q+"/flush/aged_example", []byte("CBCDEF126\nnot/an/id\nCBCDEF126\n"), 0o600)
	os.WriteFile(q+"/flush/stale_example", nil, 0o600)
	os.WriteFile(q+"/flush/bad-name", []byte("ABCDEF124\n"), 0o600)
	two, eight := time.Now().Add(-2*time.Hour), time.Now().Add(-8*24*time.Hour)
	for _, f := range []string{"aged_example", "stale_example", "bad-name"} {
		os.Chown(q+"/flush/"+f, uid, -1)
	}
	os.Chtimes(q+"/flush/aged_example", two, two)
	os.Chtimes(q+"/flush/stale_example", eight, eight)
	step("refresh", rec("request", "rfrsh"))
	os.WriteFile(q+"/flush/fresh_example", []byte("ABCDEF124\n"), 0o600)
	os.Chown(q+"/flush/fresh_example", uid, -1)
	step("wakeup", []byte("W\x00"))
	step("purge", rec("request", "purge"))
	// The reason after a client that sent nothing is whatever errno the
	// real flush had left behind: not comparable.
	eof := regexp.MustCompile(`(end-of-input while reading request from flush socket): .*`)
	out = append(out, "log:\n"+eof.ReplaceAllString(logLines(in, "flush"), "$1: <errno>"))
	return out
}

// state lists the flush logfiles and the deferred and incoming queues; a
// modification time within a minute of now is shown as "recent".
func state(q string) string {
	s := tree(q, "flush", "deferred", "incoming")
	var recent []string
	filepath.Walk(q+"/incoming", func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && time.Since(fi.ModTime()) < time.Minute {
			recent = append(recent, filepath.Base(p))
		}
		return nil
	})
	return s + "\nrecent: " + strings.Join(recent, " ")
}
