package main

import (
	"errors"
	"fmt"
	"strings"

	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/mbox"
	"gopostfix/libglobal/pipecmd"
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
	var status pipecmd.Status
	if err != nil && !errors.Is(err, errUndefined) {
		status = pipecmd.Defer
		m.why = dsn.Simple("4.3.5", "mail system configuration error")
		d.a.s.Log.Warnf("bad parameter value syntax for %s: %s", "command_execution_directory", c.execDir)
	} else {
		status, m.why = pipecmd.Run(&pipecmd.Command{Line: cmd, Shell: c.cmdShell, UID: u.uid, GID: u.gid,
			Env: env, Export: strings.FieldsFunc(c.exportEnviron, isCommaSpace), Cwd: dir,
			TimeLimit: c.commandTimeLimit, Copy: d.copyArgs(m, flags), ProcName: d.a.s.Prog,
			UTF8: c.smtputf8, Log: d.a.s.Log})
	}
	switch status {
	case pipecmd.OK:
		m.simple("2.0.0", "delivered to command: %s", cmd)
		return d.sent(m)
	case pipecmd.Corrupt:
		return deliverDefer
	}
	return d.bounceWorkaround(m)
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
