// Package maps runs our postmap and proxymap next to the real Postfix
// 3.7.11 programs on the same files and sockets: table locks that must
// exclude each other across the two implementations, and the proxy:
// table type through a real master with the real or our proxymap. The
// tests need root and the real Postfix installed; they fail (never skip)
// without them. Every wait is bounded, processes are stopped by exact id,
// and scratch directories are removed at the end.
package maps

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// realPostmap is the real Postfix's postmap.
const realPostmap = instance.RealCommandDir + "/postmap"

// configDir returns a directory with main.cf holding text, dated an hour
// back (Postfix programs wait while main.cf is only seconds old).
func configDir(t *testing.T, text string) string {
	t.Helper()
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	path := filepath.Join(dir, "main.cf")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	os.Chtimes(path, old, old)
	return dir
}

// result is what one finished program run produced.
type result struct {
	stdout, stderr string
	status         int            // -1 when a signal ended the program
	signal         syscall.Signal // the signal, or 0
	elapsed        time.Duration
}

func (r result) String() string {
	return fmt.Sprintf("status %d, signal %d, stdout %q, stderr %q", r.status, r.signal, r.stdout, r.stderr)
}

// run runs prog with args and stdin, killing it after limit.
func run(t *testing.T, limit time.Duration, stdin, prog string, args ...string) result {
	t.Helper()
	p := start(t, stdin, prog, args...)
	return p.wait(t, limit)
}

// proc is a started program.
type proc struct {
	cmd        *exec.Cmd
	out, errb  bytes.Buffer
	done       chan struct{}
	began      time.Time
	finishedAt time.Time
}

func start(t *testing.T, stdin, prog string, args ...string) *proc {
	t.Helper()
	return startInput(t, strings.NewReader(stdin), prog, args...)
}

// startInput is start with any standard input (an *os.File is passed to
// the program as is: the read end of a pipe that the test writes to).
func startInput(t *testing.T, stdin io.Reader, prog string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(prog, args...), done: make(chan struct{})}
	p.cmd.Stdin = stdin
	p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.errb
	p.began = time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", prog, err)
	}
	go func() {
		p.cmd.Wait()
		p.finishedAt = time.Now()
		close(p.done)
	}()
	t.Cleanup(func() { p.kill() })
	return p
}

// finished reports whether the program has exited.
func (p *proc) finished() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// kill ends the program by its exact process id.
func (p *proc) kill() {
	if !p.finished() {
		p.cmd.Process.Kill()
		<-p.done
	}
}

// wait waits up to limit for the program, killing it when it runs over.
func (p *proc) wait(t *testing.T, limit time.Duration) result {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(limit):
		p.kill()
		t.Errorf("%s %v did not finish within %v", p.cmd.Path, p.cmd.Args[1:], limit)
	}
	r := result{stdout: p.out.String(), stderr: p.errb.String(),
		status: p.cmd.ProcessState.ExitCode(), elapsed: p.finishedAt.Sub(p.began)}
	if ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		r.signal = ws.Signal()
	}
	return r
}

// waitLock waits up to limit until process pid holds a file lock
// (/proc/locks), and reports whether it does.
func waitLock(pid int, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for {
		data, _ := os.ReadFile("/proc/locks")
		for _, line := range strings.Split(string(data), "\n") {
			f := strings.Fields(line)
			if len(f) > 4 && !strings.HasSuffix(f[0], "->") && f[4] == strconv.Itoa(pid) {
				return true
			}
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}
