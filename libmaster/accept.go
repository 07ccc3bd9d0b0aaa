package libmaster

import (
	"fmt"
	"gopostfix/libglobal/util/dict"
	"net"
	"os"
	"syscall"
	"time"

	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/fdconn"
	"gopostfix/libglobal/util/fdpass"
)

// PassedConn is a connection handed over by another process on a "pass"
// service (postscreen to smtpd), with the attributes that came with it.
type PassedConn struct {
	net.Conn
	Attrs map[string]string
}

// passTimeout bounds the hand-over of a passed connection
// (PASS_ACCEPT_TMOUT).
const passTimeout = 100 * time.Second

// listeners turns the inherited listen descriptors into net.Listeners.
func (s *Server) listeners() []net.Listener {
	var ls []net.Listener
	for _, f := range s.listenFiles() {
		l, err := net.FileListener(f)
		if err != nil {
			s.fatal("listen descriptor %d: %v", f.Fd(), err)
		}
		f.Close()
		ls = append(ls, l)
	}
	return ls
}

// accept takes one connection from l; on "pass" services it receives the
// passed descriptor and its attributes instead.
func (s *Server) accept(l net.Listener) (net.Conn, error) {
	c, err := l.Accept()
	if err != nil || s.Flags.Transport != "pass" {
		return c, err
	}
	defer c.Close()
	u, ok := c.(*net.UnixConn)
	if !ok {
		return nil, fmt.Errorf("pass_accept_attr: not a UNIX-domain connection")
	}
	u.SetDeadline(time.Now().Add(passTimeout))
	fd, err := fdpass.Recv(u)
	if err != nil {
		s.Log.Warnf("pass_accept_attr: cannot receive file descriptor: %v", err)
		return nil, err
	}
	f := os.NewFile(uintptr(fd), "passed")
	passed, err := net.FileConn(f)
	f.Close()
	if err != nil {
		return nil, err
	}
	ac := attr.NewConn(u, attr.Format0, "pass socket", passTimeout)
	attrs := map[string]string{}
	if _, err := ac.Scan(attr.None, attr.RecvHash(attrs)); err != nil {
		s.Log.Warnf("pass_accept_attr: cannot receive connection attributes: %v", err)
		passed.Close()
		return nil, err
	}
	return &PassedConn{Conn: passed, Attrs: attrs}, nil
}

// acceptor delivers connections from all listeners. With one listener it
// accepts only when asked, so an idle process never holds a connection
// that another process could serve.
type acceptor struct {
	s     *Server
	ls    []net.Listener
	conns chan net.Conn
	// lfd is the listening descriptor when connections are accepted with
	// blocking system calls (Options.BlockingIO), else -1.
	lfd int
}

func (s *Server) newAcceptor() *acceptor {
	if s.opts.BlockingIO && s.Flags.Sockets == 1 && s.Flags.Transport != "pass" {
		return &acceptor{s: s, lfd: ListenFD}
	}
	a := &acceptor{s: s, ls: s.listeners(), lfd: -1}
	if len(a.ls) > 1 {
		a.conns = make(chan net.Conn)
		for _, l := range a.ls {
			go a.loop(l)
		}
	}
	return a
}

func (a *acceptor) loop(l net.Listener) {
	for {
		c, err := a.s.accept(l)
		if err != nil {
			if isTemporary(err) {
				continue
			}
			a.s.Log.Errorf("accept connection: %v", err)
			time.Sleep(time.Second)
			continue
		}
		a.conns <- c
	}
}

// next returns the next connection.
func (a *acceptor) next() net.Conn {
	if a.conns != nil {
		return <-a.conns
	}
	for {
		a.s.lockAccept()
		var c net.Conn
		var err error
		if a.lfd >= 0 {
			c, err = fdconn.Accept(a.lfd, 0)
		} else {
			c, err = a.s.accept(a.ls[0])
		}
		a.s.unlockAccept()
		if err == nil {
			return c
		}
		if !isTemporary(err) {
			a.s.Log.Errorf("accept connection: %v", err)
			time.Sleep(time.Second)
		}
	}
}

func isTemporary(err error) bool {
	return err == syscall.EAGAIN || err == syscall.EINTR
}

// openAcceptLock opens pid/<transport>.<service>, the lock that lets
// only one process of a service wait in accept at a time.
func (s *Server) openAcceptLock() {
	path := fmt.Sprintf("pid/%s.%s", s.Flags.Transport, s.Name)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		s.fatal("open lock file %s: %s", "pid/"+s.Flags.Transport+"."+s.Name, dict.ErrnoText(err))
	}
	syscall.CloseOnExec(int(f.Fd()))
	s.lock = f
}

func (s *Server) lockAccept() {
	if s.lock != nil {
		if err := syscall.Flock(int(s.lock.Fd()), syscall.LOCK_EX); err != nil {
			s.fatal("select lock: %s", dict.ErrnoText(err))
		}
	}
}

func (s *Server) unlockAccept() {
	if s.lock != nil {
		if err := syscall.Flock(int(s.lock.Fd()), syscall.LOCK_UN); err != nil {
			s.fatal("select unlock: %s", dict.ErrnoText(err))
		}
	}
}

// closeOnExec marks the inherited descriptors close-on-exec.
func (s *Server) closeOnExec() {
	for fd := FlowReadFD; fd < ListenFD+s.Flags.Sockets; fd++ {
		syscall.CloseOnExec(fd)
	}
}
