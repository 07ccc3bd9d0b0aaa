package libmaster

import (
	"bytes"
	"encoding/hex"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"gopostfix/libglobal/util/attr"
)

// TestStatusMessages compares EncodeStatus with messages captured from
// real children on fd 5.
func TestStatusMessages(t *testing.T) {
	cases := []struct {
		hex        string
		pid        int
		gen, avail int
	}{
		{"422700000400000000000000", 10050, 4, 0},
		{"422700000400000001000000", 10050, 4, 1},
		{"532500000200000000000000", 9555, 2, 0},
		{"e02900001400000000000000", 10720, 20, 0},
	}
	for _, c := range cases {
		want, _ := hex.DecodeString(c.hex)
		if got := EncodeStatus(c.pid, uint32(c.gen), c.avail); !bytes.Equal(got, want) {
			t.Errorf("EncodeStatus(%d,%d,%d) = %x want %s", c.pid, c.gen, c.avail, got, c.hex)
		}
		pid, gen, avail, err := DecodeStatus(want)
		if err != nil || pid != c.pid || int(gen) != c.gen || avail != c.avail {
			t.Errorf("DecodeStatus(%s) = %d %d %d %v", c.hex, pid, gen, avail, err)
		}
	}
	if _, _, _, err := DecodeStatus(make([]byte, 5)); err == nil {
		t.Error("partial status accepted")
	}
}

func TestParseGeneration(t *testing.T) {
	for in, want := range map[string]uint32{"30": 24, "0": 0, "777": 511} {
		if got, err := ParseGeneration(in); err != nil || got != want {
			t.Errorf("%q: %d %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "9", "x1", "-1"} {
		if _, err := ParseGeneration(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestParseFlags uses command lines captured from a real master.
func TestParseFlags(t *testing.T) {
	f, err := ParseFlags(strings.Fields("smtpd -n 127.0.0.1:11025 -t inet -u -o stress= -o smtpd_sasl_auth_enable=yes"))
	if err != nil {
		t.Fatal(err)
	}
	if f.ServiceName != "127.0.0.1:11025" || f.Transport != "inet" || !f.DropPrivs ||
		!reflect.DeepEqual(f.Overrides, [][2]string{{"stress", ""}, {"smtpd_sasl_auth_enable", "yes"}}) {
		t.Fatalf("%+v", f)
	}
	f, err = ParseFlags(strings.Fields("pipe -n pfpipe -t unix flags=R user=nobody argv=/bin/cat -v"))
	if err != nil {
		t.Fatal(err)
	}
	if f.ServiceName != "pfpipe" || f.Verbose != 0 ||
		!reflect.DeepEqual(f.Args, []string{"flags=R", "user=nobody", "argv=/bin/cat", "-v"}) {
		t.Fatalf("pipe: %+v", f)
	}
	f, _ = ParseFlags(strings.Fields("/usr/lib/postfix/sbin/qmgr -l -t unix -u -i 7 -m 3 -s 2"))
	if f.ServiceName != "qmgr" || !f.Solitary || f.Sockets != 2 ||
		!reflect.DeepEqual(f.Overrides, [][2]string{{"max_idle", "7"}, {"max_use", "3"}}) {
		t.Fatalf("qmgr: %+v", f)
	}
	for _, c := range []struct{ argv, want string }{
		{"x -t unix -Q", "invalid option: Q"},
		{"x -o novalue", `invalid "-o novalue" option value: missing '=' after attribute name`},
		{"x -o =v", `invalid "-o =v" option value: missing attribute name`},
		{"x -s 0", "invalid socket_count: 0"},
		{"x -r x", "invalid retirement time: x"},
	} {
		if _, err := ParseFlags(strings.Fields(c.argv)); err == nil || err.Error() != c.want {
			t.Errorf("%s: %v", c.argv, err)
		}
	}
}

func TestSplitNameValue(t *testing.T) {
	cases := []struct{ in, name, value, err string }{
		{"a=b", "a", "b", ""},
		{"  a  =  b c  ", "a", "b c", ""},
		{"a=", "a", "", ""},
		{"a b=c", "", "", "missing '=' after attribute name"},
		{"", "", "", "missing attribute name"},
	}
	for _, c := range cases {
		n, v, err := splitNameValue(c.in)
		e := ""
		if err != nil {
			e = err.Error()
		}
		if n != c.name || v != c.value || e != c.err {
			t.Errorf("%q: %q %q %q", c.in, n, v, e)
		}
	}
}

// The child side of the skeleton tests: the test binary re-executed.
func TestMain(m *testing.M) {
	switch os.Getenv("LIBMASTER_CHILD") {
	case "single":
		SingleServerMain(append([]string{"echo"}, strings.Fields(os.Getenv("LIBMASTER_ARGS"))...),
			func(s *Server, c net.Conn) {
				ac := attr.NewConn(c, attr.Format0, s.Name+" socket", s.IPCTimeout)
				ac.Announce("echo_protocol")
				var req string
				ac.Scan(attr.Strict, attr.RecvStr("request", &req))
				ac.Print(attr.Str("echo", req), attr.Str("service", s.Name))
			}, Options{})
	case "service":
		// The state is made before the privilege drop and finished after
		// it; every connection sees both steps.
		type state struct{ name, steps string }
		SingleServiceMain(append([]string{"svc"}, strings.Fields(os.Getenv("LIBMASTER_ARGS"))...), Options{},
			func(s *Server) (*state, error) { return &state{name: s.Name, steps: "pre"}, nil },
			func(st *state) error { st.steps += ",post"; return nil },
			func(st *state, c net.Conn) {
				st.steps += ",serve"
				ac := attr.NewConn(c, attr.Format0, "svc socket", 5*time.Second)
				ac.Announce("echo_protocol")
				var req string
				ac.Scan(attr.Strict, attr.RecvStr("request", &req))
				ac.Print(attr.Str("echo", req), attr.Str("service", st.name+":"+st.steps))
			})
	case "trigger":
		TriggerServerMain(append([]string{"trig"}, strings.Fields(os.Getenv("LIBMASTER_ARGS"))...),
			func(s *Server, buf []byte) {
				os.WriteFile(filepath.Join(s.QueueDir, "got"), buf, 0o644)
			}, Options{Solitary: true})
	}
	os.Exit(m.Run())
}

// child runs the skeleton in a child process with master's descriptors:
// it returns master's end of the status socket and the listener.
func child(t *testing.T, kind, args string, l *os.File) (*exec.Cmd, *os.File, string) {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "pid"), 0o755)
	os.WriteFile(filepath.Join(dir, "main.cf"), []byte("queue_directory = "+dir+"\nmax_idle = 3s\n"), 0o644)
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	mine, theirs := os.NewFile(uintptr(fds[0]), "status"), os.NewFile(uintptr(fds[1]), "child status")
	r, w, _ := os.Pipe()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "LIBMASTER_CHILD="+kind, "LIBMASTER_ARGS="+args,
		"MAIL_CONFIG="+dir, "GENERATION=17", "POSTLOG_SERVICE=", "MAIL_LOGTAG=test")
	cmd.ExtraFiles = []*os.File{r, w, theirs, l}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	theirs.Close()
	r.Close()
	w.Close()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait(); mine.Close() })
	return cmd, mine, dir
}

// listenChild makes the listening socket name, as master would, and
// runs the skeleton kind on it with args; it returns what child returns
// and the socket path.
func listenChild(t *testing.T, kind, name, args string) (*exec.Cmd, *os.File, string, string) {
	t.Helper()
	sock := filepath.Join(t.TempDir(), name)
	ul, err := net.ListenUnix("unix", &net.UnixAddr{Name: sock, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ul.Close() })
	lf, _ := ul.File()
	defer lf.Close()
	cmd, status, dir := child(t, kind, args, lf)
	return cmd, status, dir, sock
}

// waitExit waits at most five seconds for the child to exit with
// status 0.
func waitExit(t *testing.T, cmd *exec.Cmd, when string) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("child exit %s: %v", when, err)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("child did not exit %s", when)
	}
}

func readStatus(t *testing.T, f *os.File) (pid, gen, avail int) {
	t.Helper()
	f.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, StatusSize)
	n, err := f.Read(buf)
	if err != nil {
		t.Fatalf("status: %v", err)
	}
	p, g, a, err := DecodeStatus(buf[:n])
	if err != nil {
		t.Fatal(err)
	}
	return p, int(g), a
}

func TestSingleServerContract(t *testing.T) {
	cmd, status, _, sock := listenChild(t, "single", "echo", "-n private-echo -t unix -m 2 -V")
	for i, word := range []string{"one", "two"} {
		var echo, svc string
		n, err := attr.Call(sock, "echo_protocol", attr.Format0, 5*time.Second,
			[]attr.Attr{attr.Str("request", word)}, attr.Strict,
			attr.RecvStr("echo", &echo), attr.RecvStr("service", &svc))
		if err != nil || n != 2 || echo != word || svc != "private-echo" {
			t.Fatalf("request %d: n=%d err=%v %q %q", i, n, err, echo, svc)
		}
		for _, want := range []int{StatTaken, StatAvail} {
			pid, gen, avail := readStatus(t, status)
			if pid != cmd.Process.Pid || gen != 0o17 || avail != want {
				t.Fatalf("status pid %d gen %d avail %d, want %d 15 %d", pid, gen, avail, cmd.Process.Pid, want)
			}
		}
	}
	// max_use 2 reached: the child exits by itself, with status 0.
	waitExit(t, cmd, "after max_use")
}

func TestMasterDisconnectAndSolitary(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "trig")
	ul, err := net.ListenUnix("unix", &net.UnixAddr{Name: sock, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	defer ul.Close()
	lf, _ := ul.File()
	cmd, status, dir := child(t, "trigger", "-l -t unix", lf)
	lf.Close()
	c, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	c.Write([]byte("W\x00"))
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	c.Read(make([]byte, 1)) // the server closes when done
	c.Close()
	readStatus(t, status)
	readStatus(t, status)
	if got, _ := os.ReadFile(filepath.Join(dir, "got")); string(got) != "W\x00" {
		t.Fatalf("trigger bytes %q", got)
	}
	status.Close() // master goes away
	waitExit(t, cmd, "after master went away")

	// A solitary service without -l refuses to start.
	lf2, _ := ul.File()
	cmd2, _, _ := child(t, "trigger", "-t unix -V", lf2)
	lf2.Close()
	err = cmd2.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("solitary check: %v", err)
	}
}

// TestSingleServiceMain checks the state hooks: made in PreInit, finished
// in PostInit, the same value for every connection.
func TestSingleServiceMain(t *testing.T) {
	_, status, _, sock := listenChild(t, "service", "svc", "-n private-svc -t unix -m 2 -V")
	for i, want := range []string{"private-svc:pre,post,serve", "private-svc:pre,post,serve,serve"} {
		var echo, svc string
		n, err := attr.Call(sock, "echo_protocol", attr.Format0, 5*time.Second,
			[]attr.Attr{attr.Str("request", "x")}, attr.Strict,
			attr.RecvStr("echo", &echo), attr.RecvStr("service", &svc))
		if err != nil || n != 2 || svc != want {
			t.Fatalf("request %d: n=%d err=%v service %q, want %q", i, n, err, svc, want)
		}
		readStatus(t, status)
		readStatus(t, status)
	}
}
