package hostile

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// damage is one way to spoil a queue file made by the real cleanup
// (testdata/queuefile, an SMTP message with three remote recipients).
type damage struct {
	name string
	make func(valid []byte) []byte
}

// damages are the queue files of TestCorruptQueueFiles; "intact" is
// the control that must be delivered (bounced) as usual.
var damages = []damage{
	{"intact", func(v []byte) []byte { return v }},
	{"empty", func(v []byte) []byte { return nil }},
	{"truncated in a record", func(v []byte) []byte { return v[:700] }},
	{"no end record", func(v []byte) []byte { return v[:len(v)-2] }},
	{"bad record type", func(v []byte) []byte { return patch(v, 658, 'z') }},
	{"record length past the end", func(v []byte) []byte { return patch(v, 833, v[833]|0x80) }},
	{"garbage", func(v []byte) []byte {
		r := rand.New(rand.NewPCG(7, 11))
		b := make([]byte, 2000)
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		return b
	}},
}

// patch returns a copy of v with byte i set to c.
func patch(v []byte, i int, c byte) []byte {
	out := append([]byte(nil), v...)
	out[i] = c
	return out
}

// damagedQueues are where the damaged files go: qmgr takes the first
// three at start-up, hold/ is only listed and printed, pickup takes
// maildrop/ (where a final queue file is damaged too: pickup accepts
// only the records postdrop writes).
var damagedQueues = []string{"incoming", "active", "deferred", "hold", "maildrop"}

// queueID is the (short, hexadecimal) queue ID of damage d in queue q.
func queueID(q, d int) string { return fmt.Sprintf("%X%02X5EED1D", 0xA+q, 0x10+d) }

// placeDamaged writes every damaged file into every queue of
// damagedQueues, owned by mail_owner with the "ready" mode 0700 (in
// maildrop/, group postdrop and mode 0744, as postdrop leaves them).
func placeDamaged(t *testing.T, in *instance.Instance) {
	t.Helper()
	valid, err := os.ReadFile("testdata/queuefile")
	if err != nil {
		t.Fatal(err)
	}
	uid, gid := instance.UserID(t, "postfix"), instance.GroupID(t, "postfix")
	for qi, q := range damagedQueues {
		mode, fgid := os.FileMode(0700), gid
		if q == "maildrop" {
			mode, fgid = 0744, instance.GroupID(t, "postdrop")
		}
		for di, d := range damages {
			id := queueID(qi, di)
			rel := q + "/" + id
			if q == "deferred" {
				rel = q + "/" + id[:1] + "/" + id
			}
			p := in.Path("queue/" + rel)
			os.MkdirAll(filepath.Dir(p), 0700)
			os.Chown(filepath.Dir(p), uid, gid)
			if err := os.WriteFile(p, d.make(valid), mode); err != nil {
				t.Fatal(err)
			}
			os.Chmod(p, mode)
			if err := os.Chown(p, uid, fgid); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestCorruptQueueFiles starts qmgr on damaged files in incoming/,
// active/ and deferred/, and pickup on damaged files in maildrop/, and
// compares, with the real Postfix: what qmgr, pickup and bounce log,
// which files go to corrupt/ and what is left; postqueue -p and -j on
// the damaged files in hold/; postcat -q on them and on a file that is
// gone, and postcat on each kind of file qmgr set aside.
func TestCorruptQueueFiles(t *testing.T) {
	type result struct {
		logs     []string
		queues   []string
		postcat  map[string]string
		postq    string
		corrupts []string
	}
	real, got := sides(t, 32040, func(t *testing.T, allOurs bool, port int) result {
		in := newInstance(t, allOurs, setup{port: port, noStart: true})
		placeDamaged(t, in)
		res := result{postcat: map[string]string{}}
		in.Start()
		live := func() int { return len(in.Queued("maildrop", "incoming", "active", "deferred")) }
		if !in.WaitFor(30*time.Second, func() bool { return live() == 0 }) {
			t.Logf("still queued: %v", in.Queued("maildrop", "incoming", "active", "deferred"))
		}
		checkNoCrash(t, in)
		res.logs = logSet(in, "qmgr", "bounce", "error", "local", "cleanup", "pickup")
		res.corrupts = in.Queued("corrupt")
		sort.Strings(res.corrupts)
		res.queues = in.Queued(instance.MailQueues...)
		sort.Strings(res.queues)
		res.postq = in.Mask(in.Postqueue("-p")) + in.Mask(in.Postqueue("-j"))
		// postcat -q on the files in hold/ and on one that is gone (a
		// fatal error, which the real one ends with a second's pause),
		// postcat on each kind of damaged file qmgr set aside.
		var ids []string
		for di := range damages {
			ids = append(ids, queueID(3, di))
		}
		for _, id := range append(ids, queueID(0, 0)) {
			out, err := in.RunInput("", "postcat", "-c", in.Path("etc"), "-q", id)
			res.postcat[id] = fmt.Sprintf("%s\nerr=%v", in.Mask(out), err)
		}
		for di := range damages {
			p := in.Path("queue/corrupt/" + queueID(1, di))
			if _, err := os.Stat(p); err == nil {
				out, err := in.RunInput("", "postcat", "-c", in.Path("etc"), p)
				res.postcat["corrupt/"+queueID(1, di)] = fmt.Sprintf("%s\nerr=%v", in.Mask(out), err)
			}
		}
		return res
	})
	if w, g := fmt.Sprint(real.corrupts), fmt.Sprint(got.corrupts); w != g {
		t.Errorf("corrupt/ differs: real %s, ours %s", w, g)
	}
	if w, g := fmt.Sprint(real.queues), fmt.Sprint(got.queues); w != g {
		t.Errorf("queued files differ: real %s, ours %s", w, g)
	}
	compareSets(t, "log lines", got.logs, real.logs)
	if real.postq != got.postq {
		t.Errorf("postqueue -p differs:\nreal:\n%s\nours:\n%s", real.postq, got.postq)
	}
	for id, w := range real.postcat {
		if g := got.postcat[id]; g != w {
			t.Errorf("postcat %s differs:\nreal:\n%s\nours:\n%s", id, clip(w), clip(g))
		}
	}
}
