package interop2

import (
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"gopostfix/libglobal/scache"
	"gopostfix/libglobal/util/fdpass"
	"gopostfix/libglobal/util/msg"
	"gopostfix/tests/internal/instance"
)

const scacheCF = "scache    unix  -       -       n       -       1       scache -o max_idle=2\n"

// TestScacheRealVsOurs talks to the real scache and to ours under the real
// master with the same byte sequences (descriptor passing included) and
// compares the transcripts; the descriptors handed back must be the ones
// that were saved. Then our client library is run against both servers.
func TestScacheRealVsOurs(t *testing.T) {
	var results [2][]string
	for i, side := range []string{"real", "ours"} {
		in := newInstance(t, side, "scache", "connection_cache_ttl_limit = 4s\n",
			map[string]string{"etc/master.cf": masterCF + scacheCF})
		results[i] = scacheSession(t, in.Path("queue/private/scache"))
		results[i] = append(results[i], scacheClientSession(t, in.Path("queue")))
		// Idle for max_idle, the server exits and logs its statistics.
		instance.WaitFor(10*time.Second, func() bool { return strings.Contains(in.Maillog(), "statistics: max") })
		results[i] = append(results[i], "log:\n"+logLines(in, "scache"))
		in.Stop()
	}
	for k := range results[0] {
		if results[0][k] != results[1][k] {
			t.Errorf("step %d differs\nreal: %s\nours: %s", k, results[0][k], results[1][k])
		}
	}
}

// session is a raw client connection with a transcript.
type rawSession struct {
	t   *testing.T
	c   *net.UnixConn
	log []string
}

func (s *rawSession) send(b []byte) { s.c.Write(b) }

// reply records what the server sent within a short quiet period.
func (s *rawSession) reply(what string) {
	got := readAll(s.c, 100*time.Millisecond, 3*time.Second)
	s.log = append(s.log, fmt.Sprintf("%s: %q", what, got))
}

// sendFd passes a fresh socket pair end and remembers its peer.
func (s *rawSession) sendFd(mark string) {
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		s.t.Fatal(err)
	}
	if err := fdpass.Send(s.c, fds[0]); err != nil {
		s.t.Fatal(err)
	}
	syscall.Close(fds[0])
	peers[mark] = fds[1]
}

var peers = map[string]int{}

// recvFd receives a descriptor and tells which saved one it is: a byte
// written to it arrives at the peer of that one.
func (s *rawSession) recvFd(what string) {
	s.c.SetDeadline(time.Now().Add(3 * time.Second))
	fd, err := fdpass.Recv(s.c)
	s.c.SetDeadline(time.Time{})
	if err != nil {
		s.log = append(s.log, fmt.Sprintf("%s: no descriptor: %v", what, err))
		return
	}
	defer syscall.Close(fd)
	syscall.Write(fd, []byte("x"))
	who := "unknown"
	for mark, p := range peers {
		buf := make([]byte, 1)
		syscall.SetNonblock(p, true)
		if n, _ := syscall.Read(p, buf); n == 1 {
			who = mark
		}
	}
	s.log = append(s.log, fmt.Sprintf("%s: descriptor %s", what, who))
}

func scacheSession(t *testing.T, path string) []string {
	clear(peers)
	c, err := net.DialTimeout("unix", path, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s := &rawSession{t: t, c: c.(*net.UnixConn)}
	s.reply("announcement")
	saveEndp := func(ttl, label, prop, mark string) {
		s.send(rec("request", "save_endp", "ttl", ttl, "label", label, "property", prop))
		s.reply("save_endp " + label)
		s.sendFd(mark)
		s.reply("save_endp status")
	}
	saveEndp("30", "smtp:127.0.0.1:25", "prop-endp", "first")
	saveEndp("30", "smtp:127.0.0.1:25", "prop-endp2", "second")
	saveEndp("30", "smtp:127.0.0.2:25", "prop-other", "third")
	s.send(rec("request", "save_dest", "ttl", "30", "label", "smtp:example.com", "property", "prop-dest",
		"label", "smtp:127.0.0.9:25"))
	s.reply("save_dest (no session)")
	s.send(rec("request", "save_dest", "ttl", "30", "label", "smtp:example.com", "property", "prop-dest",
		"label", "smtp:127.0.0.1:25"))
	s.reply("save_dest")
	s.send(rec("request", "save_dest", "ttl", "30", "label", "smtp:example.com", "property", "prop-dest",
		"label", "smtp:127.0.0.1:25"))
	s.reply("save_dest refresh")
	find := func(req, label string) {
		s.send(rec("request", req, "label", label))
		s.reply(req + " " + label)
	}
	for i := 0; i < 3; i++ {
		find("find_dest", "smtp:example.com")
		if !strings.Contains(s.log[len(s.log)-1], `status\x002`) {
			s.send(rec("dummy", ""))
			s.recvFd("find_dest fd")
			s.send(rec("dummy", ""))
		}
	}
	find("find_endp", "smtp:127.0.0.2:25")
	s.send(rec("dummy", ""))
	s.recvFd("find_endp fd")
	s.send(rec("dummy", ""))
	find("find_endp", "smtp:127.0.0.2:25")
	find("find_endp", "smtp:nonexistent")
	// Bad requests.
	s.send(rec("request", "save_endp", "ttl", "0", "label", "x", "property", "y"))
	s.reply("save_endp ttl 0")
	s.send(rec("request", "save_dest", "ttl", "5", "label", "x"))
	s.reply("save_dest short")
	s.send(rec("request", "find_dest"))
	s.reply("find_dest no label")
	s.send(rec("request", "find_endp", "label", "x", "extra", "y"))
	s.reply("find_endp extra")
	s.send(rec("request", "bogus"))
	s.reply("bogus")
	s.send(rec("foo", "bar"))
	s.reply("no request")
	// Expiry: the ttl is capped at connection_cache_ttl_limit (4s).
	saveEndp("100", "smtp:127.0.0.3:25", "p", "fourth")
	find("find_endp", "smtp:127.0.0.4:25") // a miss, to see the expiry
	time.Sleep(5 * time.Second)
	find("find_endp", "smtp:127.0.0.3:25")
	// Two requests in one write.
	s.send(append(rec("request", "find_endp", "label", "a"), rec("request", "find_endp", "label", "b")...))
	s.reply("pipelined")
	return s.log
}

// scacheClientSession runs our client library against the server.
func scacheClientSession(t *testing.T, queueDir string) string {
	var logged strings.Builder
	log := msg.New()
	log.SetSinks(msg.NewWriterSink("client", &logged))
	cl := scache.New("scache", 5*time.Second, log)
	cl.QueueDir = queueDir
	defer cl.Close()
	var out []string
	l, err := net.Listen("tcp", "127.0.0.1:21500")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Write([]byte("220 hello\r\n"))
			c.Close()
		}
	}()
	conn, err := net.Dial("tcp", "127.0.0.1:21500")
	if err != nil {
		t.Fatal(err)
	}
	f, _ := conn.(*net.TCPConn).File()
	conn.Close()
	out = append(out, fmt.Sprint("save: ", cl.SaveEndp(30*time.Second, "smtp:127.0.0.1:21500", "endp", f)))
	out = append(out, fmt.Sprint("save_dest: ", cl.SaveDest(30*time.Second, "smtp:client.example", "dest", "smtp:127.0.0.1:21500")))
	dp, ep, got, err := cl.FindDest("smtp:client.example")
	if err != nil {
		out = append(out, fmt.Sprint("find_dest: ", err))
	} else {
		buf := make([]byte, 64)
		n, _ := got.Read(buf)
		out = append(out, fmt.Sprintf("find_dest: %q %q read %q", dp, ep, buf[:n]))
		got.Close()
	}
	prop, got, err := cl.FindEndp("smtp:127.0.0.1:21500")
	out = append(out, fmt.Sprintf("find_endp after: %q %v %v", prop, got, err))
	out = append(out, "client log: "+logged.String())
	return strings.Join(out, "\n")
}
