package maillog

import (
	"bufio"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/util/msg"
)

var fixed = time.Date(2026, 11, 9, 14, 4, 24, 0, time.Local)

func TestFileLineMatchesPostlogd(t *testing.T) {
	// Every line of a real postlogd log has FileLine's shape; rebuild
	// each from its parts and compare.
	f, err := os.Open("testdata/maillog-session.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	re := regexp.MustCompile(`^(\w{3} \d\d \d\d:\d\d:\d\d) (\S+) ([^\[]+)\[(\d+)\]: (.*)$`)
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		m := re.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("unexpected line %q", line)
		}
		when, err := time.ParseInLocation("Jan 02 15:04:05", m[1], time.Local)
		if err != nil {
			t.Fatal(err)
		}
		var pid int
		for _, c := range m[4] {
			pid = pid*10 + int(c-'0')
		}
		if got := FileLine(when, m[2]+".example.com", m[3], pid, m[5]); got != line {
			t.Fatalf("FileLine\n got %q\nwant %q", got, line)
		}
		tagPid, body, ok := StripPrefix(line)
		if !ok || tagPid != m[3]+"["+m[4]+"]" || body != m[5] {
			t.Fatalf("StripPrefix(%q) = %q %q %v", line, tagPid, body, ok)
		}
		n++
	}
	if n < 10 {
		t.Fatalf("only %d lines", n)
	}
}

func TestBodyAndTag(t *testing.T) {
	cases := []struct {
		l    msg.Level
		text string
		want string
	}{
		{msg.Info, "starting the Postfix mail system", "starting the Postfix mail system"},
		{msg.Warning, "w", "warning: w"},
		{msg.Error, "e", "error: e"},
		{msg.Fatal, "f", "fatal: f"},
		{msg.Panic, "p", "panic: p"},
		{msg.Info, strings.Repeat("x", 2100), strings.Repeat("x", 2000)},
	}
	for _, c := range cases {
		if got := Body(c.l, c.text); got != c.want {
			t.Errorf("Body(%v, %.20q) = %.40q", c.l, c.text, got)
		}
	}
	if got := Tag("postfix", "/usr/lib/postfix/sbin/smtpd"); got != "postfix/smtpd" {
		t.Errorf("Tag = %q", got)
	}
}

func TestSyslogWire(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log")
	l, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	s := &SyslogSink{Tag: "postfix/master", Facility: 2, Path: path, now: func() time.Time { return fixed }}
	s.connect()
	defer s.Close()
	s.Emit(msg.Warning, "hello")
	s.Emit(msg.Info, "daemon started")
	s.Emit(msg.Fatal, "bye")
	pid := os.Getpid()
	want := []string{
		"<20>Nov  9 14:04:24 postfix/master[" + itoa(pid) + "]: warning: hello",
		"<22>Nov  9 14:04:24 postfix/master[" + itoa(pid) + "]: daemon started",
		"<18>Nov  9 14:04:24 postfix/master[" + itoa(pid) + "]: fatal: bye",
	}
	buf := make([]byte, 4096)
	for _, w := range want {
		l.SetReadDeadline(time.Now().Add(2 * time.Second))
		n, err := l.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		if string(buf[:n]) != w {
			t.Errorf("got %q want %q", buf[:n], w)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestPostlogSinkAndFallback(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "postlog")
	file := filepath.Join(dir, "maillog")
	l, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	s := NewPostlogSink("postfix/postfix-script", "mx.example.com", path, file)
	s.now = func() time.Time { return fixed }
	s.Emit(msg.Info, "starting the Postfix mail system")
	buf := make([]byte, 4096)
	l.SetReadDeadline(time.Now().Add(2 * time.Second))
	n, err := l.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	want := "Nov 09 14:04:24 mx postfix/postfix-script[" + itoa(os.Getpid()) + "]: starting the Postfix mail system"
	if string(buf[:n]) != want {
		t.Fatalf("datagram %q want %q", buf[:n], want)
	}
	// postlogd goes away: the line lands in the file.
	l.Close()
	os.Remove(path)
	s.Emit(msg.Fatal, "mail system startup failed")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	want = strings.Replace(want, "starting the Postfix mail system", "fatal: mail system startup failed", 1) + "\n"
	if string(data) != want {
		t.Fatalf("file %q want %q", data, want)
	}
}

func TestSetupChoosesDestination(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(EnvService, "")
	t.Setenv(EnvHostname, "")
	log := msg.New()
	lg, err := Setup(log, "postfix", Settings{Configured: true, MaillogFile: dir + "/log",
		FilePrefixes: "/var, " + dir, QueueDir: dir, PostlogService: "postlog",
		Hostname: "h.example", Fallback: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := lg.Sink().(*PostlogSink); !ok {
		t.Fatalf("sink %T", lg.Sink())
	}
	if os.Getenv(EnvService) != dir+"/public/postlog" || os.Getenv(EnvHostname) != "h.example" {
		t.Fatalf("environment %q %q", os.Getenv(EnvService), os.Getenv(EnvHostname))
	}
	log.Infof("one")
	lg.Close()
	data, _ := os.ReadFile(dir + "/log")
	if !strings.HasSuffix(string(data), " h postfix/postfix["+itoa(os.Getpid())+"]: one\n") {
		t.Fatalf("log file %q", data)
	}
	lg, err = Setup(log, "postfix", Settings{Configured: true, Facility: "mail"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := lg.Sink().(*SyslogSink); !ok || os.Getenv(EnvService) != "" {
		t.Fatalf("sink %T env %q", lg.Sink(), os.Getenv(EnvService))
	}
	lg.Close()
	if _, err := Setup(log, "x", Settings{Configured: true, MaillogFile: "/tmp/x", FilePrefixes: "/var, /dev/stdout"}); err == nil ||
		err.Error() != "maillog_file value '/tmp/x' does not match any prefix in maillog_file_prefixes" {
		t.Fatalf("prefix check: %v", err)
	}
	if _, err := Setup(log, "x", Settings{Configured: true, Facility: "nope"}); err == nil {
		t.Fatal("bad facility accepted")
	}
}
