package pipecmd

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/mbox"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/eugid"
	"gopostfix/libglobal/util/msg"
)

// Status is the outcome of a command (PIPE_STAT_*).
type Status int

const (
	OK      Status = iota // delivered
	Defer                 // try again later
	Bounce                // undeliverable
	Corrupt               // the queue file is damaged
)

// outputLimit is how much command output is kept (VSTREAM_BUFSIZE).
const outputLimit = 4096

// Command describes one command to run.
type Command struct {
	// Argv is run as it is (pipe(8)); otherwise Line is a command line
	// run as exec_command does, or with Shell (local_command_shell).
	Argv  []string
	Line  string
	Shell string
	// UID and GID are the command's rights; both must be non-zero.
	UID, GID int
	// Env holds extra variables as name, value pairs; Export is
	// export_environment (names, or NAME=value settings).
	Env, Export []string
	// Cwd and Chroot are the working and root directory ("": keep).
	Cwd, Chroot string
	// TimeLimit bounds each write, the output read and the wait.
	TimeLimit time.Duration
	// Copy says what to write: sender, X-Original-To:, Delivered-To:,
	// the queue file and the mail_copy flags and line ending.
	Copy mbox.CopyArgs
	// ProcName names the program in the child's fatal messages.
	ProcName string
	// UTF8 keeps valid UTF-8 in the output text (smtputf8_enable).
	UTF8 bool
	Log  *msg.Logger
}

// name is the command as it appears in status texts.
func (c *Command) name() string {
	if c.Argv != nil {
		return c.Argv[0]
	}
	return c.Line
}

// run is the state of one execution.
type run struct {
	c          *Command
	proc       *exec.Cmd
	timedOut   bool
	failOutput []byte
}

// Run executes the command, writes the message to it and returns the
// status with its explanation (pipe_command). With OK the reason holds
// the command's output.
func Run(c *Command) (Status, dsn.DSN) {
	if c.UID == 0 || c.GID == 0 {
		panic("pipe_command: privileged uid or gid")
	}
	r := &run{c: c}
	inR, inW, err := os.Pipe()
	if err != nil {
		c.Log.Fatalf("pipe_command: pipe: %s", dict.ErrnoText(err))
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		c.Log.Fatalf("pipe_command: pipe: %s", dict.ErrnoText(err))
	}
	code, startErr := r.start(inR, outW)
	inR.Close()
	outW.Close()
	if startErr != nil {
		inW.Close()
		outR.Close()
		c.Log.Warnf("fork: %s", dict.ErrnoText(startErr))
		return Defer, dsn.DSN{Status: "4.3.0", DType: "x-unix", DText: sysExits[exOSErr].text,
			Reason: "Delivery failed: " + dict.ErrnoText(startErr)}
	}
	var writeStat int
	var why *mbox.Error
	var output []byte
	if code < 0 {
		writeStat, why = mbox.Copy(c.Copy, &timedWriter{r: r, f: inW})
		output = r.readOutput(outR)
	} else {
		// The child could not be set up; its message went to the log
		// or to the output pipe already.
		inW.Close()
		output = r.failOutput
	}
	outR.Close()
	if code < 0 {
		if r.timedOut {
			r.kill()
		}
		code = r.wait()
	}
	return r.status(code, writeStat, why, output)
}

// timedWriter writes to the command, each write limited to the time
// limit (pipe_command_write); after a time-out nothing more is waited
// for.
type timedWriter struct {
	r *run
	f *os.File
}

func (w *timedWriter) Write(p []byte) (int, error) {
	limit := w.r.c.TimeLimit
	if w.r.timedOut {
		limit = 0
	}
	w.f.SetWriteDeadline(time.Now().Add(limit))
	n, err := w.f.Write(p)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		if !w.r.timedOut {
			w.r.c.Log.Warnf("%s: write time limit exceeded", "pipe_command_write")
			w.r.timedOut = true
		}
		return n, syscall.ETIMEDOUT
	}
	return n, err
}

func (w *timedWriter) Close() error { return w.f.Close() }

// readOutput keeps the first outputLimit bytes the command wrote, waiting
// at most the time limit for each read (pipe_command_read).
func (r *run) readOutput(f *os.File) []byte {
	buf := make([]byte, 0, outputLimit)
	for len(buf) < outputLimit {
		limit := r.c.TimeLimit
		if r.timedOut {
			limit = 0
		}
		f.SetReadDeadline(time.Now().Add(limit))
		n, err := f.Read(buf[len(buf):outputLimit])
		buf = buf[:len(buf)+n]
		if errors.Is(err, os.ErrDeadlineExceeded) {
			if !r.timedOut {
				r.c.Log.Warnf("%s: read time limit exceeded", "pipe_command_read")
				r.timedOut = true
			}
			break
		}
		if err != nil {
			break
		}
	}
	return buf
}

// kill ends the command and its process group with SIGKILL
// (kill_command).
func (r *run) kill() {
	pid := r.proc.Process.Pid
	eugid.As(0, 0, func() {
		if syscall.Kill(-pid, syscall.SIGKILL) != nil {
			if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
				r.c.Log.Warnf("cannot kill process (group) %d: %s", pid, dict.ErrnoText(err))
			}
		}
	})
}

// wait collects the exit status, killing a command that does not end
// within the time limit (one second after an earlier time-out)
// (pipe_command_wait_or_kill). It returns the wait status as an int
// with the signal in the low byte, as waitpid(2) does.
func (r *run) wait() int {
	limit := r.c.TimeLimit
	if r.timedOut {
		limit = time.Second
	}
	done := make(chan struct{})
	go func() { r.proc.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(limit):
		if !r.timedOut {
			r.c.Log.Warnf("%s: child wait time limit exceeded", "pipe_command_wait_or_kill")
			r.timedOut = true
		}
		r.kill()
		<-done
	}
	ws, ok := r.proc.ProcessState.Sys().(syscall.WaitStatus)
	if !ok {
		r.c.Log.Fatalf("wait: no status")
	}
	return int(ws)
}

// status maps the command's fate to a delivery status.
func (r *run) status(code, writeStat int, why *mbox.Error, out []byte) (Status, dsn.DSN) {
	has := len(out) > 0
	text := printable(out, r.c.UTF8)
	with := func(s string) string {
		if has {
			return s + ". Command output: " + text
		}
		return s
	}
	detail := func(def string) string {
		if has {
			return text
		}
		return def
	}
	unix := func(status, dtext, reason string) dsn.DSN {
		return dsn.DSN{Status: status, DType: "x-unix", DText: dtext, Reason: reason}
	}
	cmd := r.c.name()
	ws := syscall.WaitStatus(code)
	switch {
	case r.timedOut:
		return Bounce, unix("5.3.0", detail(sysExits[exSoftware].text),
			with(fmt.Sprintf("Command time limit exceeded: \"%s\"", cmd)))
	case ws.Signaled():
		return Defer, unix("4.3.0", detail(sysExits[exSoftware].text),
			with(fmt.Sprintf("Command died with signal %d: \"%s\"", int(ws.Signal()), cmd)))
	case ws.ExitStatus() != 0:
		if dsn.Valid(text) > 0 {
			st, rest := dsn.Split("5.3.0", text)
			return classOf(st), unix(st, rest, rest)
		}
		e, known := sysExitDetail(ws.ExitStatus())
		if known {
			return classOf(e.status), unix(e.status, detail(e.text), with(e.text))
		}
		return Bounce, unix(e.status, detail(e.text),
			with(fmt.Sprintf("Command died with status %d: \"%s\"", ws.ExitStatus(), cmd)))
	case writeStat&mbox.StatCorrupt != 0:
		return Corrupt, dsn.DSN{}
	case writeStat != 0 && (why == nil || why.Errno != syscall.EPIPE):
		d := why.DSN()
		d.Reason = fmt.Sprintf("Command failed: %s: \"%s\"", d.Reason, cmd)
		return Bounce, d
	}
	return OK, dsn.DSN{Reason: text}
}

func classOf(status string) Status {
	if strings.HasPrefix(status, "4") {
		return Defer
	}
	return Bounce
}

// printable is the output as it appears in a status: cut at a NUL, tabs
// and newlines made spaces, other unprintable bytes '_' (valid UTF-8 is
// kept when utf8 is set).
func printable(out []byte, utf8ok bool) string {
	if i := strings.IndexByte(string(out), 0); i >= 0 {
		out = out[:i]
	}
	var b []byte
	for i := 0; i < len(out); {
		c := out[i]
		switch {
		case c == '\t' || c == '\n':
			b = append(b, ' ')
		case c >= 0x20 && c < 0x7f:
			b = append(b, c)
		case c >= 0x80 && utf8ok:
			if r, n := utf8.DecodeRune(out[i:]); r != utf8.RuneError || n > 1 {
				b = append(b, out[i:i+n]...)
				i += n
				continue
			}
			b = append(b, '_')
		default:
			b = append(b, '_')
		}
		i++
	}
	return string(b)
}

var _ io.WriteCloser = (*timedWriter)(nil)
