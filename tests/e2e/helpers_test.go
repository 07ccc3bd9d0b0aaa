package e2e

import (
	"fmt"
	"net/smtp"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

func replacePort(s, port string) string { return strings.ReplaceAll(s, "@PORT@", port) }

// message is one submission with sendmail.
type message struct {
	args []string
	text string
}

// sendEach submits the messages one at a time, each time waiting until
// the queue is empty.
func sendEach(t *testing.T, in *instance.Instance, msgs []message) {
	t.Helper()
	for _, m := range msgs {
		in.Send(m.text, m.args...)
		if !in.WaitQueueEmpty(30 * time.Second) {
			t.Fatalf("queue not empty after %v:\n%s", m.args, in.Maillog())
		}
	}
}

// smtpSession sends one message over SMTP to port and returns the
// outcome of each recipient ("ok" or the server's reply) and of the
// whole transaction.
func smtpSession(t *testing.T, port, from string, rcpts []string, text string) []string {
	t.Helper()
	c, err := smtp.Dial("127.0.0.1:" + port)
	if err != nil {
		t.Fatalf("SMTP connect: %v", err)
	}
	defer c.Close()
	var out []string
	note := func(what string, err error) {
		if err != nil {
			out = append(out, what+": "+err.Error())
		} else {
			out = append(out, what+": ok")
		}
	}
	note("HELO", c.Hello("client.example"))
	note("MAIL", c.Mail(from))
	accepted := 0
	for _, r := range rcpts {
		err := c.Rcpt(r)
		note("RCPT "+r, err)
		if err == nil {
			accepted++
		}
	}
	if accepted > 0 {
		w, err := c.Data()
		note("DATA", err)
		if err == nil {
			fmt.Fprint(w, strings.ReplaceAll(text, "\n", "\r\n"))
			note("END", w.Close())
		}
	}
	note("QUIT", c.Quit())
	return out
}

// collect returns the regular files below dirs (relative to the
// instance), masked; the files of a Maildir "new" directory are joined
// in sorted order under the directory's name (their names differ).
func collect(in *instance.Instance, dirs ...string) map[string]string {
	out := map[string]string{}
	for _, dir := range dirs {
		filepath.Walk(in.Path(dir), func(p string, fi os.FileInfo, err error) error {
			if err != nil || !fi.Mode().IsRegular() || strings.HasSuffix(p, ".lock") {
				return nil
			}
			rel, _ := filepath.Rel(in.Root, p)
			data, _ := os.ReadFile(p)
			text := in.Mask(string(data))
			if filepath.Base(filepath.Dir(p)) == "new" {
				key := filepath.Dir(rel)
				parts := append(strings.Split(out[key], "\n----\n"), text)
				if out[key] == "" {
					parts = parts[1:]
				}
				sort.Strings(parts)
				text = strings.Join(parts, "\n----\n")
				rel = key
			}
			out[rel] = text
			return nil
		})
	}
	return out
}

// compareSets reports the lines only one side has.
func compareSets(t *testing.T, what string, got, want []string) {
	t.Helper()
	if d := instance.SetDiff(want, got); d != "" {
		t.Errorf("%s differ (- real, + ours):\n%s", what, d)
	}
}

// idOf returns the queue ID of the first log line containing text.
func idOf(t *testing.T, in *instance.Instance, text string) string {
	t.Helper()
	id := in.QueueIDOf(text)
	if id == "" {
		t.Fatalf("no log line with %q:\n%s", text, in.Maillog())
	}
	return id
}

// side runs the all-real and the all-ours run of a scenario in
// parallel; a failure of either fails the test before any comparison.
func side(t *testing.T, real, ours func(t *testing.T)) {
	t.Helper()
	t.Run("sides", func(t *testing.T) {
		t.Run("real", func(t *testing.T) { t.Parallel(); real(t) })
		t.Run("ours", func(t *testing.T) { t.Parallel(); ours(t) })
	})
	if t.Failed() {
		t.FailNow()
	}
}
