package main

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"os/user"
	"strconv"
	"syscall"
	"time"

	"gopostfix/libglobal/pipecmd"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/util/eugid"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libmaster"
)

// spawner runs the service's command for each client.
type spawner struct {
	log                *msg.Logger
	ownerUID, ownerGID int
	export             []string // export_environment
	cmd                *command // from the first connection on
}

// newSpawner learns the mail system owner and takes its effective
// identity (spawn's post-init drop_privileges).
func newSpawner(s *libmaster.Server) (*spawner, error) {
	owner := s.Str("mail_owner")
	u, err := user.Lookup(owner)
	if err != nil {
		return nil, err
	}
	sp := &spawner{log: s.Log}
	sp.ownerUID, _ = strconv.Atoi(u.Uid)
	sp.ownerGID, _ = strconv.Atoi(u.Gid)
	if sp.export, err = s.Config.List("export_environment"); err != nil {
		return nil, err
	}
	if os.Geteuid() == 0 {
		eugid.Set(sp.ownerUID, sp.ownerGID)
	}
	return sp, nil
}

// serve runs the command with the client connection as its standard
// input, output and error, and waits for it within the time limit.
func (sp *spawner) serve(s *libmaster.Server, c net.Conn) {
	if sp.cmd == nil {
		cmd, err := parseAttrs(s.Flags.Args, sp.ownerUID, sp.ownerGID)
		if err != nil {
			s.Log.Fatalf("%v", err)
		}
		cmd.limit = timeLimit(s)
		sp.cmd = cmd
	}
	f, err := connFile(c)
	if err != nil {
		s.Log.Fatalf("spawn_comand: dup2: %s", queue.Strerror(err))
	}
	defer f.Close()
	sp.run(f)
}

// connFile returns a blocking duplicate of the connection's descriptor.
func connFile(c net.Conn) (*os.File, error) {
	fc, ok := c.(interface{ File() (*os.File, error) })
	if !ok {
		return nil, syscall.EBADF
	}
	f, err := fc.File()
	if err != nil {
		return nil, err
	}
	if err := syscall.SetNonblock(int(f.Fd()), false); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// run is spawn_command: a new session as the command's user, then a
// bounded wait; at the time limit the whole process group is killed.
func (sp *spawner) run(stdio *os.File) {
	argv0 := sp.cmd.argv[0]
	path, err := pipecmd.LookPath(argv0, "")
	if err != nil {
		sp.log.Printf(msg.Fatal, "spawn_comand: execvp %s: %s", argv0, queue.Strerror(err))
		sp.log.Warnf("command %s exit status %d", argv0, 1)
		return
	}
	cmd := &exec.Cmd{Path: path, Args: sp.cmd.argv, Env: pipecmd.Environ(sp.export, nil),
		Stdin: stdio, Stdout: stdio, Stderr: stdio,
		SysProcAttr: &syscall.SysProcAttr{Setsid: true, Credential: &syscall.Credential{
			Uid: uint32(sp.cmd.uid), Gid: uint32(sp.cmd.gid), Groups: []uint32{uint32(sp.cmd.gid)}}}}
	sp.asRoot(func() { err = cmd.Start() })
	if err != nil {
		sp.log.Printf(msg.Fatal, "spawn_comand: execvp %s: %s", argv0, queue.Strerror(err))
		sp.log.Warnf("command %s exit status %d", argv0, 1)
		return
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var werr error
	select {
	case werr = <-done:
	case <-time.After(sp.cmd.limit):
		sp.log.Warnf("%s: process id %d: command time limit exceeded", argv0, cmd.Process.Pid)
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		werr = <-done
	}
	var ee *exec.ExitError
	if !errors.As(werr, &ee) {
		return
	}
	ws := ee.Sys().(syscall.WaitStatus)
	switch {
	case ws.Exited() && ws.ExitStatus() != 0:
		sp.log.Warnf("command %s exit status %d", argv0, ws.ExitStatus())
	case ws.Signaled():
		sp.log.Warnf("command %s killed by signal %d", argv0, int(ws.Signal()))
	}
}

// asRoot runs fn with root's effective identity, which starting a
// command as another user needs, and then takes the owner's back.
func (sp *spawner) asRoot(fn func()) {
	if os.Getuid() != 0 {
		fn()
		return
	}
	eugid.As(0, 0, fn)
}
