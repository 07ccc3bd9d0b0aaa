package main

import (
	"os"
	"os/exec"

	"gopostfix/libglobal/util/msg"
)

// postlogSink logs postfix-script's messages the way the script does:
// one "$command_directory/postlog -t TAG -p LEVEL text" per message, so
// that the records come from postlog (set-gid postdrop, with its own
// fallback to maillog_file) and reach a terminal on standard error
// through it.
type postlogSink struct {
	path string
	tag  string
}

var postlogLevels = map[msg.Level]string{
	msg.Info: "info", msg.Warning: "warn", msg.Error: "error", msg.Fatal: "fatal", msg.Panic: "panic",
}

func (s *postlogSink) Emit(level msg.Level, text string) {
	cmd := exec.Command(s.path, "-t", s.tag, "-p", postlogLevels[level], text)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, os.Stdout, os.Stderr
	cmd.Run()
}

// scriptSinks returns the postlog sink for the script's tag
// ($MAIL_LOGTAG/script) when command_directory has postlog (as the
// scripts require), or nil to log directly.
func (c *ctl) scriptSinks(tag string) []msg.Sink {
	p := c.dirs["command_directory"] + "/postlog"
	if fi, err := os.Stat(p); err != nil || fi.IsDir() {
		return nil
	}
	return []msg.Sink{&postlogSink{path: p, tag: tag}}
}
