package mailstream

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"

	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/attr"
)

// Attribute names of the postdrop conversation (mail_proto.h).
const (
	ProtoPostdrop = "postdrop_protocol"
	AttrProto     = "protocol"
	AttrQueueID   = "queue_id"
	AttrStatus    = "status"
	AttrWhy       = "reason"
)

// Command is a running postdrop that receives a message
// (mail_stream_command): its standard input and output are one end of a
// socket pair; records go in, the status comes back.
type Command struct {
	ID   string
	W    *record.Writer
	cmd  *exec.Cmd
	conn *os.File
	buf  *bufio.Writer
	rd   *attr.Reader
	path string // the command line, for diagnostics
}

// StartCommand runs argv with only the environment variables env (as
// export_environment selects them) and reads postdrop's greeting. A nil
// Command with a nil error means the program ran but did not greet; its
// exit status is in status.
func StartCommand(argv []string, env []string) (c *Command, status int, err error) {
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		return nil, 0, err
	}
	mine := os.NewFile(uintptr(fds[0]), "postdrop")
	theirs := os.NewFile(uintptr(fds[1]), "postdrop")
	syscall.CloseOnExec(fds[0])
	cmd := &exec.Cmd{Path: argv[0], Args: argv, Env: env, Stdin: theirs, Stdout: theirs, Stderr: os.Stderr}
	if err := cmd.Start(); err != nil {
		mine.Close()
		theirs.Close()
		return nil, 0, err
	}
	theirs.Close()
	c = &Command{cmd: cmd, conn: mine, path: strings.Join(argv, " ")}
	c.rd = attr.NewReader(mine, attr.Format0, c.path)
	n, err := c.rd.Scan(attr.Strict, attr.Expect(AttrProto, ProtoPostdrop), attr.RecvStr(AttrQueueID, &c.ID))
	if err != nil || n != 1 {
		mine.Close()
		return nil, c.wait(), nil
	}
	c.buf = bufio.NewWriter(mine)
	c.W = record.NewWriter(c.buf, 0)
	return c, 0, nil
}

// wait reaps the child and returns its exit status the way
// vstream_pclose reports it.
func (c *Command) wait() int {
	err := c.cmd.Wait()
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return int(ws.Signal()) + 128
		}
		return ee.ExitCode()
	}
	return -1
}

// Finish flushes the records, reads postdrop's status and reason, and
// waits for it (mail_stream_finish_ipc). closeErr reports a non-zero exit
// status, which Postfix logs as a close error.
func (c *Command) Finish() (status int, why string, closeErr error) {
	status = StatWrite
	if err := c.buf.Flush(); err == nil {
		var st int
		n, err := c.rd.Scan(attr.Strict, attr.RecvInt(AttrStatus, &st), attr.RecvStr(AttrWhy, &why))
		if err == nil && n == 2 {
			status = st
		} else if err != nil && err != io.EOF {
			why = ""
		}
	}
	c.conn.Close()
	if code := c.wait(); code != 0 {
		closeErr = fmt.Errorf("exit status %d", code)
	}
	return status, why, closeErr
}
