package flush

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/msg"
)

const announce = "protocol\x00queue_flush_protocol\x00\x00"

// siteList is a fixed fast_flush_domains.
type siteList map[string]bool

func (l siteList) Match(s string) (bool, error) { return l[s], nil }

// serveCapture answers one connection as the captured server did and
// returns the request bytes the client sent.
func serveCapture(t *testing.T, l net.Listener, reply []byte) chan []byte {
	got := make(chan []byte, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			got <- nil
			return
		}
		defer c.Close()
		c.Write([]byte(announce))
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		var req []byte
		buf := make([]byte, 512)
		for !bytes.HasSuffix(req, []byte{0, 0}) {
			n, err := c.Read(buf)
			req = append(req, buf[:n]...)
			if err != nil {
				break
			}
		}
		c.Write(reply)
		got <- req
	}()
	return got
}

// TestClientCaptures replays each captured exchange: the client must send
// exactly the captured request and return the captured status.
func TestClientCaptures(t *testing.T) {
	tests := []struct {
		file string
		call func(c *Client) int
	}{
		{"flush_add.bin", func(c *Client) int { return c.Add("pfp.example", "ABCDEF123") }},
		{"flush_send_site.bin", func(c *Client) int { return c.SendSite("pfp.example") }},
		{"flush_send_site_deny.bin", func(c *Client) int {
			return c.Command(attr.Str(AttrRequest, ReqSendSite), attr.Str(AttrSite, "nope.example"))
		}},
		{"flush_send_file.bin", func(c *Client) int { return c.SendFile("ABCDEF123") }},
		{"flush_refresh.bin", func(c *Client) int { return c.Refresh() }},
		{"flush_purge.bin", func(c *Client) int { return c.Purge() }},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			rest, ok := bytes.CutPrefix(data, []byte(announce))
			if !ok {
				t.Fatalf("capture does not start with the announcement")
			}
			i := bytes.LastIndex(rest, []byte("status\x00"))
			wantReq, reply := rest[:i], rest[i:]
			sock := filepath.Join(t.TempDir(), "flush")
			l, err := net.Listen("unix", sock)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			got := serveCapture(t, l, reply)
			c := &Client{Path: sock, Name: "public/flush", Timeout: 5 * time.Second,
				Domains: siteList{"pfp.example": true}, Log: msg.New()}
			status := tt.call(c)
			if req := <-got; !bytes.Equal(req, wantReq) {
				t.Errorf("request %q, captured %q", req, wantReq)
			}
			want := 0
			if strings.Contains(tt.file, "deny") {
				want = StatDeny
			}
			if status != want {
				t.Errorf("status %d, want %d", status, want)
			}
		})
	}
}

// TestClientLocalDecisions covers the answers given without asking the
// server: sites outside fast_flush_domains, no domains at all, and a
// server that is not there.
func TestClientLocalDecisions(t *testing.T) {
	var logged strings.Builder
	log := msg.New()
	log.SetSinks(msg.NewWriterSink("test", &logged))
	none := &Client{Path: filepath.Join(t.TempDir(), "nosock"), Name: "public/flush", Timeout: time.Second, Log: log}
	some := *none
	some.Domains = siteList{"ok.example": true}
	tests := []struct {
		name string
		got  int
		want int
	}{
		{"add, no domains", none.Add("ok.example", "ABC"), StatDeny},
		{"send_site, no domains", none.SendSite("ok.example"), StatDeny},
		{"refresh, no domains", none.Refresh(), StatDeny},
		{"purge, no domains", none.Purge(), StatDeny},
		{"add, not listed", some.Add("other.example", "ABC"), StatDeny},
		{"send_site, listed, no server", some.SendSite("ok.example"), StatFail},
		{"send_file, no server", none.SendFile("ABC"), StatFail},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, tt.got, tt.want)
		}
	}
	if !strings.Contains(logged.String(), "warning: connect to public/flush: No such file or directory") {
		t.Errorf("log: %q", logged.String())
	}
}
