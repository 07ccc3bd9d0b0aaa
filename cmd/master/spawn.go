package main

import (
	"fmt"
	"gopostfix/libglobal/util/dict"
	"net"
	"os"
	"syscall"
	"time"

	"gopostfix/libmaster"
)

// proc is one child process (MASTER_PROC).
type proc struct {
	pid   int
	gen   uint32
	serv  *service
	uses  int
	avail bool
}

// startService opens the sockets and status channel of a new service and
// starts listening and its wakeup timer (master_start_service).
func (m *master) startService(s *service) error {
	if err := m.listen(s); err != nil {
		return err
	}
	m.statusInit(s)
	m.availListen(s)
	m.wakeupInit(s)
	return nil
}

// stopService removes a service: its children are told to stop, its
// sockets closed.
func (m *master) stopService(s *service) {
	m.loop.cancel(wakeKey{s})
	m.loop.cancel(throttleKey{s})
	m.closeListeners(s)
	m.statusCleanup(s)
	for _, p := range m.children {
		if p.serv == s {
			syscall.Kill(p.pid, syscall.SIGTERM)
		}
	}
}

// restartService gives the service a fresh status channel, so that its
// children see master "disconnect" and finish, and restarts its timers
// (master_restart_service on reload).
func (m *master) restartService(s *service) {
	m.loop.cancel(wakeKey{s})
	m.statusCleanup(s)
	m.statusInit(s)
	m.wakeupInit(s)
	m.availListen(s)
}

func (m *master) statusInit(s *service) {
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		m.log.Fatalf("pipe: %s", dict.ErrnoText(err))
	}
	s.statusFds = [2]int{fds[0], fds[1]}
	m.loop.enableRead(fds[0], func() { m.statusEvent(s) })
}

func (m *master) statusCleanup(s *service) {
	if s.statusFds[0] < 0 {
		return
	}
	m.loop.disable(s.statusFds[0])
	syscall.Close(s.statusFds[0])
	syscall.Close(s.statusFds[1])
	s.statusFds = [2]int{-1, -1}
	// Children of the old channel no longer count as available.
	for _, p := range m.children {
		if p.serv == s && p.avail {
			p.avail = false
			s.avail--
		}
	}
}

// statusEvent reads one 12-byte status message (master_status_event).
func (m *master) statusEvent(s *service) {
	buf := m.statusBuf[:]
	n, err := syscall.Read(s.statusFds[0], buf)
	if err != nil {
		m.log.Warnf("master_status_event: read: %s", dict.ErrnoText(err))
		return
	}
	pid, gen, avail, err := libmaster.DecodeStatus(buf[:n])
	if err != nil {
		m.log.Warnf("service %s(%s): child (pid %d) sent partial status update (%d bytes)",
			s.extName, s.key, pid, n)
		return
	}
	p, ok := m.children[pid]
	if !ok || p.serv != s {
		return
	}
	if p.gen != gen {
		m.log.Infof("ignoring status update from child pid %d generation %d", pid, gen)
		return
	}
	switch avail {
	case libmaster.StatAvail:
		if !p.avail {
			p.uses++
			p.avail = true
			s.avail++
			m.availListen(s)
		}
	case libmaster.StatTaken:
		if p.avail {
			p.avail = false
			s.avail--
			m.availListen(s)
		}
	default:
		m.log.Warnf("master_status_event: ignoring unknown status: %d allegedly from pid: %d", pid, avail)
	}
}

func limitOK(max, total int) bool { return max == 0 || total < max }

// availListen listens on the service's sockets exactly when a connection
// would need a new process (master_avail_listen).
func (m *master) availListen(s *service) {
	listen := false
	if s.throttled || s.avail > 0 || len(s.listenFds) == 0 {
		listen = false
	} else if limitOK(s.maxProc, s.total) {
		listen = true
	} else if s.stress >= 0 {
		now := time.Now().Unix()
		if s.busyWarn < now-1000 {
			s.busyWarn = now
			m.log.Warnf("service \"%s\" (%s) has reached its process limit \"%d\": new clients may experience noticeable delays",
				s.extName, s.key, s.maxProc)
			m.log.Warnf("to avoid this condition, increase the process count in master.cf or reduce the service time per client")
			m.log.Warnf("see http://www.postfix.org/STRESS_README.html for examples of stress-adapting configuration settings")
		}
	}
	if listen && !s.listening {
		for _, fd := range s.listenFds {
			m.loop.enableRead(fd, func() { m.availEvent(s) })
		}
		s.listening = true
	} else if !listen && s.listening {
		m.stopListening(s)
	}
}

func (m *master) stopListening(s *service) {
	for _, fd := range s.listenFds {
		m.loop.disable(fd)
	}
	s.listening = false
}

// availEvent: a client is waiting and no process is available.
func (m *master) availEvent(s *service) {
	if s.stress >= 0 && !limitOK(s.maxProc, s.total+1) {
		// All servers of a public service are busy: from now on new
		// ones run with "-o stress=yes", and the running ones are asked
		// to finish (a fresh status channel) so that they are replaced.
		now := time.Now().Unix()
		if s.stressUntil < now {
			m.restartService(s)
		}
		s.stressUntil = now + 1000
	}
	m.spawn(s)
}

// spawn starts one child with master's descriptors (master_spawn).
func (m *master) spawn(s *service) {
	if !limitOK(s.maxProc, s.total) || s.avail > 0 || s.throttled {
		return
	}
	m.generation++
	args := append([]string(nil), s.args...)
	if s.stress >= 0 && s.stressUntil > time.Now().Unix() {
		args[s.stress] = "stress=yes"
	}
	files := []uintptr{0, 1, 2, uintptr(m.flow[0]), uintptr(m.flow[1]), uintptr(s.statusFds[1])}
	for _, fd := range s.listenFds {
		files = append(files, uintptr(fd))
	}
	env := append(append([]string(nil), m.env...), fmt.Sprintf("GENERATION=%o", m.generation))
	pid, err := syscall.ForkExec(s.path, args, &syscall.ProcAttr{Dir: m.queueDir, Env: env, Files: files})
	if err != nil {
		// The C master fails in the child and sees it exit; here the
		// exec failure is known at once. Either way: throttle.
		m.log.Warnf("%s: exec %s: %s", "master_spawn", s.path, dict.ErrnoText(err))
		m.log.Warnf("%s: bad command startup -- throttling", s.path)
		m.throttle(s)
		return
	}
	m.log.Debugf("spawn command %s; pid %d", s.path, pid)
	p := &proc{pid: pid, gen: m.generation, serv: s, avail: true}
	m.children[pid] = p
	s.total++
	s.avail++
	m.availListen(s)
	if s.condWake {
		s.condWake = false
		m.wakeupInit(s)
	}
}

// reap collects dead children (master_reap_child).
func (m *master) reap() {
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if err != nil || pid <= 0 {
			return
		}
		p, ok := m.children[pid]
		if !ok {
			continue // not ours (init mode) or already forgotten
		}
		s := p.serv
		if !(ws.Exited() && ws.ExitStatus() == 0) {
			if ws.Exited() {
				m.log.Warnf("process %s pid %d exit status %d", s.path, pid, ws.ExitStatus())
			}
			if ws.Signaled() && !(m.removed[s] && ws.Signal() == syscall.SIGTERM) {
				m.log.Warnf("process %s pid %d killed by signal %d", s.path, pid, int(ws.Signal()))
			}
			if p.uses == 0 && !s.throttled {
				m.log.Warnf("%s: bad command startup -- throttling", s.path)
				m.throttle(s)
			}
		}
		delete(m.children, pid)
		s.total--
		if p.avail {
			s.avail--
		}
		m.availListen(s)
	}
}

type throttleKey struct{ s *service }
type wakeKey struct{ s *service }

// throttle suspends process creation for service_throttle_time.
func (m *master) throttle(s *service) {
	s.throttled = true
	m.availListen(s)
	m.loop.after(m.throttleTime, throttleKey{s}, func() {
		s.throttled = false
		m.availListen(s)
	})
}

// wakeupInit starts the periodic wakeup (master_wakeup_init): the first
// request goes out at once, so that a service such as qmgr or pickup
// runs from start-up (and again after a reload) and finds what is
// already queued; the next ones every wakeup seconds. Conditional
// timers ("60?") start only once the service was used.
func (m *master) wakeupInit(s *service) {
	if s.wakeup <= 0 || s.condWake {
		return
	}
	m.wakeupEvent(s)
}

// wakeupEvent sends "W" to the service as a client would.
func (m *master) wakeupEvent(s *service) {
	if s.wakeup == 0 {
		return
	}
	if !s.throttled {
		if err := m.trigger(s); err != nil {
			m.log.Warnf("master_wakeup_timer_event: service %s(%s): %v", s.extName, s.key, err)
		}
	}
	m.loop.after(time.Duration(s.wakeup)*time.Second, wakeKey{s}, func() { m.wakeupEvent(s) })
}

// trigger writes the wakeup request without blocking master: the
// connection is made and written from a goroutine, bounded in time.
func (m *master) trigger(s *service) error {
	switch s.typ {
	case "unix", "pass":
		go func(path string) {
			c, err := net.DialTimeout("unix", path, time.Second)
			if err != nil {
				return
			}
			c.SetDeadline(time.Now().Add(time.Second))
			c.Write([]byte("W\x00"))
			c.Read(make([]byte, 1))
			c.Close()
		}(m.queueDir + "/" + s.key)
	case "fifo":
		f, err := os.OpenFile(m.queueDir+"/"+s.key, os.O_WRONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			return fmt.Errorf("%s", dict.ErrnoText(err))
		}
		f.Write([]byte("W"))
		f.Close()
	case "inet":
		go func(addr string) {
			c, err := net.DialTimeout("tcp", addr, time.Second)
			if err == nil {
				c.SetDeadline(time.Now().Add(time.Second))
				c.Write([]byte("W"))
				c.Close()
			}
		}(s.addrs[0])
	default:
		return fmt.Errorf("%s", dict.ErrnoText(syscall.EOPNOTSUPP))
	}
	return nil
}
