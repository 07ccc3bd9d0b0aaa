package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"

	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/mbox"
)

// command pipes the message into a shell command as the user
// (deliver_command).
func (d *delivery) command(m msgAttr, u userAttr, cmd string) int {
	m.level++
	if d.dup.seen(fmt.Sprintf("command %s:%d %s", m.user, u.uid, cmd)) {
		return 0
	}
	if d.traceOnly() {
		m.simple("2.0.0", "delivers to command: %s", cmd)
		return d.sent(m)
	}
	c := &d.a.cfg
	if u.uid == 0 {
		u.uid = c.defaultUID
	}
	if u.gid == 0 {
		u.gid = c.defaultGID
	}
	flags := mbox.CopyFrom | mbox.CopyReturnPath | mbox.CopyOrigRcpt
	if c.hdrMask&hdrCmd != 0 {
		flags |= mbox.CopyDelivered
	}
	d.seekContent()
	var env []string
	add := func(name, value string) { env = append(env, name, value) }
	if u.known {
		add("HOME", u.home)
	}
	add("LOGNAME", m.user)
	add("USER", m.user)
	add("SENDER", m.sender)
	add("RECIPIENT", m.rcpt.Address)
	add("LOCAL", m.local)
	if u.shell != "" {
		add("SHELL", u.shell)
	}
	if m.domain != "" {
		add("DOMAIN", m.domain)
	}
	if m.extension != "" {
		add("EXTENSION", m.extension)
	}
	if m.rcpt.OrigAddr != "" {
		add("ORIGINAL_RECIPIENT", m.rcpt.OrigAddr)
	}
	r := d.req
	for _, kv := range [][2]string{{"CLIENT_HOSTNAME", r.ClientName}, {"CLIENT_ADDRESS", r.ClientAddr},
		{"CLIENT_HELO", r.ClientHelo}, {"CLIENT_PROTOCOL", r.ClientProto}, {"SASL_METHOD", r.SASLMethod},
		{"SASL_SENDER", r.SASLSender}, {"SASL_USERNAME", r.SASLUsername}} {
		if kv[1] != "" {
			add(kv[0], kv[1])
		}
	}
	for i := 1; i < len(env); i += 2 {
		env[i] = filterChars(env[i], c.cmdFilter)
	}
	dir, _, err := d.localExpand(c.execDir, m, u, c.execFilter)
	var status pipeStatus
	if err != nil && !errors.Is(err, errUndefined) {
		status = pipeDefer
		m.why = dsn.Simple("4.3.5", "mail system configuration error")
		d.a.s.Log.Warnf("bad parameter value syntax for %s: %s", "command_execution_directory", c.execDir)
	} else {
		status, m.why = d.pipeCommand(m, u, cmd, flags, env, dir)
	}
	switch status {
	case pipeOK:
		m.simple("2.0.0", "delivered to command: %s", cmd)
		return d.sent(m)
	case pipeCorrupt:
		return deliverDefer
	}
	return d.bounceWorkaround(m)
}

// pipeStatus is a PIPE_STAT_* result.
type pipeStatus int

const (
	pipeOK pipeStatus = iota
	pipeDefer
	pipeBounce
	pipeCorrupt
)

// pipeCommand runs cmd with the user's rights, writes the message to it
// and maps its exit to a delivery status (pipe_command).
func (d *delivery) pipeCommand(m msgAttr, u userAttr, cmd string, flags int, env []string, dir string) (pipeStatus, dsn.DSN) {
	c := &d.a.cfg
	ctx, cancel := context.WithTimeout(context.Background(), c.commandTimeLimit)
	defer cancel()
	argv := execArgv(cmd, c.cmdShell)
	proc := exec.CommandContext(ctx, argv[0], argv[1:]...)
	proc.Env = commandEnv(c.exportEnviron, env)
	proc.Dir = dir
	proc.SysProcAttr = &syscall.SysProcAttr{Setsid: true,
		Credential: &syscall.Credential{Uid: uint32(u.uid), Gid: uint32(u.gid), Groups: []uint32{uint32(u.gid)}}}
	stdin, err := proc.StdinPipe()
	if err != nil {
		d.a.s.Log.Fatalf("pipe_command: pipe: %v", err)
	}
	out := &limitedBuffer{limit: 4095}
	proc.Stdout, proc.Stderr = out, out
	var startErr error
	d.a.asUser(0, 0, func() { startErr = proc.Start() })
	if startErr != nil {
		d.a.s.Log.Warnf("fork: %v", startErr)
		return pipeDefer, dsn.DSN{Status: "4.3.0", DType: "x-unix", DText: "system resource problem",
			Reason: "Delivery failed: " + startErr.Error()}
	}
	writeStat, why := mbox.Copy(d.copyArgs(m, flags), stdin)
	waitErr := proc.Wait()
	logText := printableOutput(out.String())
	withOut := func(s string) string {
		if logText == "" {
			return s
		}
		return s + ". Command output: " + logText
	}
	detail := func(def string) string {
		if logText != "" {
			return logText
		}
		return def
	}
	if ctx.Err() == context.DeadlineExceeded {
		return pipeBounce, dsn.DSN{Status: "5.3.0", DType: "x-unix", DText: detail("internal software error"),
			Reason: withOut(fmt.Sprintf("Command time limit exceeded: \"%s\"", cmd))}
	}
	var exit *exec.ExitError
	if errors.As(waitErr, &exit) {
		ws := exit.Sys().(syscall.WaitStatus)
		if ws.Signaled() {
			return pipeDefer, dsn.DSN{Status: "4.3.0", DType: "x-unix", DText: detail("internal software error"),
				Reason: withOut(fmt.Sprintf("Command died with signal %d: \"%s\"", ws.Signal(), cmd))}
		}
		code := ws.ExitStatus()
		if dsn.Valid(logText) > 0 {
			st, text := dsn.Split("5.3.0", logText)
			ps := pipeBounce
			if st[0] == '4' {
				ps = pipeDefer
			}
			return ps, dsn.DSN{Status: st, DType: "x-unix", DText: text, Reason: text}
		}
		if e, ok := sysExits[code]; ok {
			ps := pipeBounce
			if e.status[0] == '4' {
				ps = pipeDefer
			}
			return ps, dsn.DSN{Status: e.status, DType: "x-unix", DText: detail(e.text), Reason: withOut(e.text)}
		}
		return pipeBounce, dsn.DSN{Status: "5.3.0", DType: "x-unix",
			DText:  detail(fmt.Sprintf("unknown mail system error %d", code)),
			Reason: withOut(fmt.Sprintf("Command died with status %d: \"%s\"", code, cmd))}
	}
	switch {
	case writeStat&mbox.StatCorrupt != 0:
		return pipeCorrupt, dsn.DSN{}
	case writeStat != 0 && why != nil && why.Errno != syscall.EPIPE:
		w := whyDSN(why)
		w.Reason = fmt.Sprintf("Command failed: %s: \"%s\"", w.Reason, cmd)
		return pipeBounce, w
	}
	return pipeOK, dsn.DSN{Reason: logText}
}

// execArgv is how exec_command runs a command: split on blanks when it
// holds no shell magic, else through /bin/sh -c; with
// local_command_shell, that shell gets the command as its last argument.
func execArgv(cmd, shell string) []string {
	if shell != "" {
		return append(strings.Fields(shell), cmd)
	}
	const ok = "1234567890!@%-_=+:,./abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ \t"
	plain := strings.Trim(cmd, " \t") != ""
	for i := 0; i < len(cmd) && plain; i++ {
		plain = strings.IndexByte(ok, cmd[i]) >= 0
	}
	if plain {
		argv := strings.Fields(cmd)
		if strings.Contains(argv[0], "/") {
			return argv
		}
		for _, dir := range []string{"/usr/bin", "/bin"} {
			if st, err := os.Stat(dir + "/" + argv[0]); err == nil && st.Mode().IsRegular() {
				return append([]string{dir + "/" + argv[0]}, argv[1:]...)
			}
		}
	}
	return []string{"/bin/sh", "-c", cmd}
}

// commandEnv keeps the export_environment variables of our environment,
// sets PATH and adds env (name, value pairs).
func commandEnv(export string, env []string) []string {
	var out []string
	keep := map[string]bool{}
	for _, n := range strings.FieldsFunc(export, isCommaSpace) {
		if i := strings.IndexByte(n, '='); i >= 0 {
			out = append(out, n)
			continue
		}
		keep[n] = true
	}
	for _, kv := range os.Environ() {
		if i := strings.IndexByte(kv, '='); i > 0 && keep[kv[:i]] {
			out = append(out, kv)
		}
	}
	out = append(out, "PATH=/usr/bin:/bin")
	for i := 0; i+1 < len(env); i += 2 {
		out = append(out, env[i]+"="+env[i+1])
	}
	return out
}

// filterChars replaces bytes not in allowed with '_'.
func filterChars(s, allowed string) string {
	b := []byte(s)
	for i, c := range b {
		if strings.IndexByte(allowed, c) < 0 {
			b[i] = '_'
		}
	}
	return string(b)
}

// printableOutput is how command output appears in a reason: tabs and
// newlines become spaces, other unprintable bytes '_'.
func printableOutput(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c == '\t' || c == '\n':
			b[i] = ' '
		case c < 0x20 || c >= 0x7f:
			b[i] = '_'
		}
	}
	return string(b)
}

// limitedBuffer keeps the first limit bytes written to it.
type limitedBuffer struct {
	buf   []byte
	limit int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.limit - len(l.buf); room > 0 {
		l.buf = append(l.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (l *limitedBuffer) String() string { return string(l.buf) }

// sysExits maps <sysexits.h> codes to status and text (sys_exits.c).
var sysExits = map[int]struct{ status, text string }{
	64: {"5.3.0", "command line usage error"}, 65: {"5.6.0", "data format error"},
	66: {"5.3.0", "cannot open input"}, 67: {"5.1.1", "user unknown"}, 68: {"5.1.2", "host name unknown"},
	69: {"5.3.0", "service unavailable"}, 70: {"5.3.0", "internal software error"},
	71: {"4.3.0", "system resource problem"}, 72: {"5.3.0", "critical OS file missing"},
	73: {"5.2.0", "can't create user output file"}, 74: {"5.3.0", "input/output error"},
	75: {"4.3.0", "temporary failure"}, 76: {"5.5.0", "remote error in protocol"},
	77: {"5.7.0", "permission denied"}, 78: {"5.3.5", "local configuration error"},
}

var _ io.Writer = (*limitedBuffer)(nil)
