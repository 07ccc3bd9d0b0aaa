package queue

import (
	"bytes"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// readService reads everything a showq service sends on one connection.
func readService(t *testing.T, path string) []byte {
	t.Helper()
	c, err := net.DialTimeout("unix", path, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	data, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return data
}

// standAlone runs a showq program with -S, as postqueue does for root
// when the mail system is down, and returns its output.
func standAlone(t *testing.T, prog, config string) []byte {
	t.Helper()
	cmd := exec.Command(prog, "-S")
	cmd.Env = append(os.Environ(), "MAIL_CONFIG="+config)
	cmd.Stdin = strings.NewReader("")
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s -S: %v\n%s", prog, err, errs.String())
	}
	return out.Bytes()
}

// TestShowqBytes compares the showq protocol stream byte for byte: the
// real showq service of an all-real instance, our showq as the service
// of the same queue under the real master, and both programs in
// stand-alone mode.
func TestShowqBytes(t *testing.T) {
	in := newInstance(t, "showq")
	defer in.Stop()
	fill(t, in)

	fromOurs := readService(t, in.Path("queue/public/showq"))
	if !bytes.Contains(fromOurs, []byte("queue_name\x00hold\x00")) ||
		!bytes.Contains(fromOurs, []byte("forced_expire\x001\x00")) ||
		!bytes.Contains(fromOurs, []byte("reason\x004.4.1 remote delivery simulated")) &&
			!bytes.Contains(fromOurs, []byte("reason\x00remote delivery simulated")) {
		t.Fatalf("our showq service sent an unexpected listing: %q", fromOurs)
	}
	fromReal := standAlone(t, "/usr/lib/postfix/sbin/showq", in.Path("etc"))
	if !bytes.Equal(fromOurs, fromReal) {
		t.Errorf("our showq service differs from the real showq:\nours %q\nreal %q", fromOurs, fromReal)
	}
	if alone := standAlone(t, ours.Path(t, "showq"), in.Path("etc")); !bytes.Equal(alone, fromReal) {
		t.Errorf("our stand-alone showq differs from the real one:\nours %q\nreal %q", alone, fromReal)
	}
	if n := strings.Count(in.Maillog(), "postfix/showq["); n != 0 {
		t.Errorf("our showq logged %d lines:\n%s", n, in.Maillog())
	}
}
