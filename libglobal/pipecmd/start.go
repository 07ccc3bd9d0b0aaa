package pipecmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"syscall"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/eugid"
	"gopostfix/libglobal/util/msg"
)

// start launches the command with stdin and out (standard output and
// error). It returns -1 when the command runs; a wait status when the
// child could not be set up (as if it had exited with EX_TEMPFAIL after
// its fatal message, which is then in r.failOutput); or an error when no
// process could be made.
func (r *run) start(stdin, out *os.File) (int, error) {
	c := r.c
	path, argv, err := r.program()
	if err != nil {
		return r.execFatal(path, argv, err), nil
	}
	if c.Chroot != "" {
		if _, err := os.Stat(c.Chroot); err != nil {
			return r.childFatal(false, "chroot(%s): %s", c.Chroot, dict.ErrnoText(err)), nil
		}
	}
	dir := c.Cwd
	if dir != "" {
		// The child changes directory with the command's rights: a
		// stat of "DIR/." needs the same search permissions.
		var serr error
		eugid.As(c.UID, c.GID, func() { _, serr = os.Stat(c.Chroot + dir + "/.") })
		if serr != nil {
			return r.childFatal(false, "cannot change directory to \"%s\" for uid=%d gid=%d: %s",
				c.Cwd, c.UID, c.GID, dict.ErrnoText(serr)), nil
		}
	} else if c.Chroot != "" {
		dir = "/"
	}
	r.proc = &exec.Cmd{Path: path, Args: argv, Env: Environ(c.Export, c.Env), Dir: dir,
		Stdin: stdin, Stdout: out, Stderr: out,
		SysProcAttr: &syscall.SysProcAttr{Setsid: true, Chroot: c.Chroot,
			Credential: &syscall.Credential{Uid: uint32(c.UID), Gid: uint32(c.GID), Groups: []uint32{uint32(c.GID)}}}}
	// set*id in the child need root.
	eugid.As(0, 0, func() { err = r.proc.Start() })
	var pe *fs.PathError
	switch {
	case err == nil:
		return -1, nil
	case errors.As(err, &pe) && !errors.Is(pe.Err, syscall.EAGAIN) && !errors.Is(pe.Err, syscall.ENOMEM):
		return r.execFatal(path, argv, pe.Err), nil
	}
	return -1, err
}

// execFatal is the child's message when the program cannot be run.
func (r *run) execFatal(path string, argv []string, err error) int {
	switch {
	case r.c.Argv != nil:
		return r.childFatal(true, "pipe_command: execvp %s: %s", argv[0], dict.ErrnoText(err))
	case path == bshell && argv[0] == "sh":
		return r.childFatal(true, "execl %s: %s", bshell, dict.ErrnoText(err))
	}
	return r.childFatal(true, "execvp %s: %s", argv[0], dict.ErrnoText(err))
}

// program returns the file to run and its argument vector.
func (r *run) program() (string, []string, error) {
	c := r.c
	if c.Argv != nil {
		path, err := LookPath(c.Argv[0], c.Chroot)
		return path, c.Argv, err
	}
	return commandArgv(c.Line, c.Shell, c.Chroot)
}

// childFatal is the fatal error of a child that failed before running
// the command: logged, and, once the child has its standard error on the
// output pipe (toOutput), also written there as "PROG: fatal: TEXT". The
// result is the wait status of exit(EX_TEMPFAIL).
func (r *run) childFatal(toOutput bool, format string, args ...any) int {
	text := fmt.Sprintf(format, args...)
	r.c.Log.Printf(msg.Fatal, "%s", text)
	if toOutput {
		r.failOutput = []byte(r.c.ProcName + ": fatal: " + text + "\n")
	}
	return exTempFail << 8
}
