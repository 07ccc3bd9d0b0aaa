package interop

import (
	"fmt"
	"net/smtp"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	inst "gopostfix/tests/internal/instance"
)

// TestOurMasterRealDaemons runs the real Debian daemons under our master:
// mail from sendmail and from SMTP is delivered; a child killed with -9 is
// replaced without losing mail; the real "postfix reload" and "postfix
// stop" work on it.
func TestOurMasterRealDaemons(t *testing.T) {
	requireRealPostfix(t)
	in := newInstance(t, realDaemons, 21125)
	pid := in.startMaster(progs.Path(t, "master"))

	in.sendmail("via sendmail")
	if !in.delivered("via sendmail") {
		t.Fatalf("sendmail message not delivered\n%s", in.log())
	}

	err := smtp.SendMail(fmt.Sprintf("127.0.0.1:%d", in.smtpPort), nil, "client@remote.example",
		[]string{testUser + "@interop.example"}, []byte("Subject: via smtp\r\n\r\nbody\r\n"))
	if err != nil {
		t.Fatalf("smtp: %v\n%s", err, in.log())
	}
	if !in.delivered("via smtp") {
		t.Fatalf("SMTP message not delivered\n%s", in.log())
	}

	qmgr := inst.ChildPID(pid, "qmgr")
	if qmgr == 0 {
		t.Fatalf("no qmgr child of master %d", pid)
	}
	syscall.Kill(qmgr, syscall.SIGKILL)
	if !inst.WaitFor(10*time.Second, func() bool {
		return strings.Contains(in.log(), fmt.Sprintf("qmgr pid %d killed by signal 9", qmgr))
	}) {
		t.Fatalf("master did not report the killed qmgr\n%s", in.log())
	}
	in.sendmail("after kill")
	if !in.delivered("after kill") {
		t.Fatalf("mail lost after kill -9 of qmgr\n%s", in.log())
	}
	if n := inst.ChildPID(pid, "qmgr"); n == 0 || n == qmgr {
		t.Fatalf("qmgr not restarted (pid %d)", n)
	}

	if out, err := exec.Command(realPostfix, "-c", in.etc, "reload").CombinedOutput(); err != nil {
		t.Fatalf("postfix reload: %v\n%s", err, out)
	}
	if !inst.WaitFor(10*time.Second, func() bool { return strings.Contains(in.log(), "reload -- version 3.7.11") }) {
		t.Fatalf("no reload logged\n%s", in.log())
	}
	in.sendmail("after reload")
	if !in.delivered("after reload") {
		t.Fatalf("mail not delivered after reload\n%s", in.log())
	}
	if strings.Contains(in.log(), "bad command startup") {
		t.Fatalf("throttling in a healthy instance\n%s", in.log())
	}

	out, err := exec.Command(realPostfix, "-c", in.etc, "stop").CombinedOutput()
	if err != nil {
		t.Fatalf("postfix stop: %v\n%s", err, out)
	}
	if !inst.WaitFor(10*time.Second, func() bool { return !inst.Alive(pid) }) {
		t.Fatalf("master %d still running after postfix stop", pid)
	}
	if out, err := exec.Command(realPostfix, "-c", in.etc, "status").CombinedOutput(); err == nil {
		t.Fatalf("postfix status says running after stop: %s", out)
	}
}

// TestRealMasterOurPostlogd runs the real master with our postlogd in an
// otherwise real instance: the log lines of the real daemons reach
// maillog_file through our daemon.
func TestRealMasterOurPostlogd(t *testing.T) {
	requireRealPostfix(t)
	daemons := mixedDaemons(t, progs.Map(t, "postlogd"))
	in := newInstance(t, daemons, 21126)
	pid := in.startMaster(realDaemons + "/master")
	in.sendmail("through our postlogd")
	if !in.delivered("through our postlogd") {
		t.Fatalf("not delivered\n%s", in.log())
	}
	if !inst.WaitFor(10*time.Second, func() bool {
		return strings.Contains(in.log(), "postfix/local[") && strings.Contains(in.log(), "status=sent")
	}) {
		t.Fatalf("delivery not logged through postlogd\n%s", in.log())
	}
	if p := inst.ChildPID(pid, "postlogd"); p == 0 {
		t.Fatalf("no postlogd child of the real master")
	}
	inst.StopMaster(pid)
}
