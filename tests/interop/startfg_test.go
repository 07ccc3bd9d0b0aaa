package interop

import (
	"bufio"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	inst "gopostfix/tests/internal/instance"
)

// fgRun is one "postfix start-fg" in progress.
type fgRun struct {
	cmd   *exec.Cmd
	lines chan string
	all   []string
	done  chan error
}

// startFg runs "postfix -c etc start-fg" with maillog_file=/dev/stdout and
// collects its standard output line by line.
func startFg(t *testing.T, postfix string, in *instance) *fgRun {
	t.Helper()
	cmd := exec.Command(postfix, "-c", in.etc, "start-fg")
	r := startLines(t, cmd)
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			if pid := in.masterPid(); pid > 0 {
				inst.StopMaster(pid)
			}
			cmd.Process.Kill()
		}
	})
	return r
}

// startLines starts cmd (standard error passed through) and collects its
// standard output line by line.
func startLines(t *testing.T, cmd *exec.Cmd) *fgRun {
	t.Helper()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := &fgRun{cmd: cmd, lines: make(chan string, 10000), done: make(chan error, 1)}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			r.lines <- sc.Text()
		}
		close(r.lines)
		r.done <- cmd.Wait()
	}()
	return r
}

// waitLine reads output until a line matches re, within d.
func (r *fgRun) waitLine(re *regexp.Regexp, d time.Duration) bool {
	timeout := time.After(d)
	for {
		select {
		case l, ok := <-r.lines:
			if !ok {
				return false
			}
			r.all = append(r.all, l)
			if re.MatchString(l) {
				return true
			}
		case <-timeout:
			return false
		}
	}
}

// wait returns the exit status of start-fg, within d.
func (r *fgRun) wait(t *testing.T, d time.Duration) int {
	t.Helper()
	timeout := time.After(d)
	for {
		select {
		case l, ok := <-r.lines:
			if ok {
				r.all = append(r.all, l)
			}
		case err := <-r.done:
			if err == nil {
				return 0
			}
			if ee, ok := err.(*exec.ExitError); ok {
				return ee.ExitCode()
			}
			t.Fatalf("start-fg: %v", err)
		case <-timeout:
			t.Fatalf("start-fg still running after %v\n%s", d, strings.Join(r.all, "\n"))
		}
	}
}

// fgInstance is an instance logging to /dev/stdout whose daemon
// directory holds master and postlogd from daemonDir, the real daemons
// for the rest.
func fgInstance(t *testing.T, ours map[string]string, port int) *instance {
	in := newInstance(t, mixedDaemons(t, ours), port)
	data, _ := os.ReadFile(in.etc + "/main.cf")
	conf := regexp.MustCompile(`(?m)^maillog_file.*$\n`).ReplaceAllString(string(data), "")
	conf += "maillog_file = /dev/stdout\nmaillog_file_prefixes = /dev/stdout\n"
	if err := os.WriteFile(in.etc+"/main.cf", []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	return in
}

var (
	fgStarted = regexp.MustCompile(`^\w{3} [ 0-9]\d \d\d:\d\d:\d\d \S+ postfix/master\[\d+\]: daemon started -- version 3\.7\.11`)
	fgSent    = regexp.MustCompile(`postfix/local\[\d+\]: \w+: to=<` + testUser + `@interop\.example>.*status=sent`)
)

// TestStartFg runs "postfix start-fg" end to end, the real one and ours
// (our postfix, master and postlogd with the real daemons): the log
// arrives on standard output, the daemon is ready when "daemon started"
// is logged, mail is delivered and logged, "postfix status" sees it, and
// SIGTERM to master (what "postfix stop" sends) ends the foreground
// command with the same status. (Neither master's "terminating" line
// reaches the log: postlogd is stopped with the rest of the group.)
func TestStartFg(t *testing.T) {
	requireRealPostfix(t)
	sides := []struct {
		name, postfix string
		daemons       map[string]string
		port          int
	}{
		{"real", realPostfix, nil, 21131},
		{"ours", progs.Path(t, "postfix"), progs.Map(t, "master", "postlogd"), 21132},
	}
	status := map[string]int{}
	for _, side := range sides {
		in := fgInstance(t, side.daemons, side.port)
		r := startFg(t, side.postfix, in)
		if !r.waitLine(fgStarted, 30*time.Second) {
			t.Fatalf("%s: no 'daemon started' on stdout\n%s", side.name, strings.Join(r.all, "\n"))
		}
		in.sendmail("start-fg " + side.name)
		if !in.delivered("start-fg " + side.name) {
			t.Fatalf("%s: not delivered\n%s", side.name, strings.Join(r.all, "\n"))
		}
		if !r.waitLine(fgSent, 20*time.Second) {
			t.Fatalf("%s: delivery not logged on stdout\n%s", side.name, strings.Join(r.all, "\n"))
		}
		pid := in.masterPid()
		if out, err := exec.Command(side.postfix, "-c", in.etc, "status").CombinedOutput(); err != nil {
			t.Fatalf("%s: postfix status: %v %s", side.name, err, out)
		}
		syscall.Kill(pid, syscall.SIGTERM)
		status[side.name] = r.wait(t, 20*time.Second)
		if !inst.WaitFor(10*time.Second, func() bool { return !inst.Alive(pid) }) {
			t.Fatalf("%s: master %d still alive", side.name, pid)
		}
	}
	if status["real"] != status["ours"] {
		t.Fatalf("start-fg exit status: ours %d, real %d", status["ours"], status["real"])
	}
}
