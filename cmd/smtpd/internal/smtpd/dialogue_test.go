package smtpd

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"gopostfix/libglobal/util/msg"
)

// The reference dialogues (testdata/dialogues, made with real Postfix
// 3.7.11; see its README) are replayed against the engine: every server
// line and every smtpd log line must match, queue IDs masked.

func configFor(name string) fakeParams {
	p := baseParams()
	n, _ := strconv.Atoi(name[:2])
	if n >= 20 {
		p["mynetworks"] = "192.0.2.0/24"
		p["smtpd_forbid_bare_newline_exclusions"] = "192.0.2.0/24"
		p["local_recipient_maps"] = "inline:{user=1, u=1, v=1, pol-reject=1, pol-450=1, pol-bogus=1, warnme=1}"
		p["smtpd_helo_restrictions"] = "reject_invalid_helo_hostname, reject_non_fqdn_helo_hostname, check_helo_access inline:{unknown.invalid=unkhelo}"
		p["smtpd_sender_restrictions"] = "reject_non_fqdn_sender, check_sender_access inline:{spam@bad.example=REJECT, {bad.example=550 5.7.0 Go away}, hold.example=HOLD, defer.example=DEFER_IF_PERMIT, disc.example=DISCARD, nonexistent.invalid=unksender}"
		p["smtpd_recipient_restrictions"] = "reject_non_fqdn_recipient, warn_if_reject check_recipient_access inline:{warnme@example.com=REJECT}, check_policy_service unix:private/policy, reject_unauth_pipelining"
		p["smtpd_relay_restrictions"] = "permit_mynetworks, reject_unauth_destination"
		p["smtpd_restriction_classes"] = "unkhelo, unksender"
		p["unkhelo"] = "reject_unknown_helo_hostname"
		p["unksender"] = "reject_unknown_sender_domain"
	}
	if n >= 30 {
		p["smtpd_forbid_bare_newline"] = "reject"
		p["smtpd_forbid_bare_newline_exclusions"] = ""
		p["smtpd_discard_ehlo_keywords"] = "dsn,chunking"
		p["smtpd_authorized_xclient_hosts"] = "127.0.0.1"
		p["smtpd_authorized_xforward_hosts"] = "127.0.0.1"
		p["smtpd_timeout"] = "3s"
	}
	if n >= 40 {
		p["smtpd_upstream_proxy_protocol"] = "haproxy"
		p["smtpd_delay_reject"] = "no"
		p["smtpd_client_restrictions"] = "check_client_access inline:{192.0.2.50=REJECT}"
		p["smtpd_forbid_bare_newline"] = "no"
		p["smtpd_discard_ehlo_keywords"] = ""
	}
	return p
}

// step is one transcript line.
type step struct {
	client bool
	data   string // client bytes, or expected server line
}

// unescapeTranscript converts the transcript notation to raw bytes.
func unescapeTranscript(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case 'r':
				b.WriteByte('\r')
				i++
				continue
			case 'n':
				b.WriteByte('\n')
				i++
				continue
			case 'x':
				if v, err := strconv.ParseUint(s[i+2:i+4], 16, 8); err == nil {
					b.WriteByte(byte(v))
					i += 3
					continue
				}
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func parseTranscript(t *testing.T, path string) (steps []step, logs []string) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	inLog := false
	for _, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		switch {
		case line == "--- log ---":
			inLog = true
		case inLog:
			if i := strings.Index(line, "postfix/smtpd["); i >= 0 {
				logs = append(logs, line[strings.Index(line, "]: ")+3:])
			}
		case strings.HasPrefix(line, "!! "):
			steps = append(steps, step{client: true, data: "\x00CLOSE"})
		case strings.HasPrefix(line, "C: "), line == "C:":
			c := strings.TrimPrefix(strings.TrimPrefix(line, "C:"), " ")
			if strings.HasSuffix(c, `\n<no-CRLF>`) {
				c = unescapeTranscript(strings.TrimSuffix(c, `<no-CRLF>`))
			} else {
				c = unescapeTranscript(c) + "\r\n"
			}
			steps = append(steps, step{client: true, data: c})
		case strings.HasPrefix(line, "S: "):
			steps = append(steps, step{data: line[3:]})
		}
	}
	return steps, logs
}

var queueIDPattern = regexp.MustCompile(`\b[0-9A-F]{10,12}\b`)

func TestReferenceDialogues(t *testing.T) {
	files, _ := filepath.Glob("testdata/dialogues/[0-9]*.txt")
	if len(files) < 20 {
		t.Fatalf("only %d dialogues", len(files))
	}
	for i, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			runDialogue(t, name, path, 23100+i)
		})
	}
}

func runDialogue(t *testing.T, name, path string, port int) {
	steps, wantLogs := parseTranscript(t, path)
	params := configFor(name)
	capture := &msg.Capture{}
	deps := newTestDeps(capture, []string{"mx.example.com", "localhost.example.com", "example.com"})
	cfg := NewConfig(params)

	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		host, portStr, _ := net.SplitHostPort(conn.RemoteAddr().String())
		ss := NewSession(cfg, deps, conn, Client{Name: "localhost", Addr: host, Port: portStr, ServerAddr: "127.0.0.1", ServerPort: strconv.Itoa(port)})
		ss.Serve()
	}()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(conn)
	_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
	for i := 0; i < len(steps); {
		if steps[i].client {
			var out strings.Builder
			for ; i < len(steps) && steps[i].client; i++ {
				if steps[i].data == "\x00CLOSE" {
					// The reference client gave up after a timeout.
					_, _ = conn.Write([]byte(out.String()))
					out.Reset()
					time.Sleep(300 * time.Millisecond)
					conn.Close()
					i = len(steps)
					break
				}
				out.WriteString(steps[i].data)
			}
			if out.Len() > 0 {
				_, _ = conn.Write([]byte(out.String()))
			}
			continue
		}
		want := steps[i].data
		i++
		line, err := r.ReadString('\n')
		if want == "<EOF>" {
			// A hang-up with client input still unread reaches the
			// client as a reset instead of EOF.
			if err != io.EOF && !errors.Is(err, syscall.ECONNRESET) {
				t.Errorf("want EOF, got %q %v", line, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("want %q, got error %v", want, err)
		}
		got := strings.TrimSuffix(line, "\r\n")
		if queueIDPattern.ReplaceAllString(got, "QID") != queueIDPattern.ReplaceAllString(want, "QID") {
			t.Errorf("reply mismatch:\n got %q\nwant %q", got, want)
		}
	}
	conn.Close()
	<-done
	var gotLogs []string
	for _, l := range capture.Lines {
		gotLogs = append(gotLogs, queueIDPattern.ReplaceAllString(l, "QID"))
	}
	for i := range wantLogs {
		wantLogs[i] = queueIDPattern.ReplaceAllString(wantLogs[i], "QID")
	}
	if strings.Join(gotLogs, "\n") != strings.Join(wantLogs, "\n") {
		t.Errorf("log mismatch:\n--- got\n%s\n--- want\n%s", strings.Join(gotLogs, "\n"), strings.Join(wantLogs, "\n"))
	}
}
