package libmaster

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The child side of the datagram server tests, run by the re-executed
// test binary before TestMain: every record is kept until flush, which
// appends them and a "flush" line to the file "got".
func init() {
	kind := os.Getenv("LIBMASTER_CHILD")
	if kind != "dgram" && kind != "dgram-poller" {
		return
	}
	var recs []string
	DgramBurstServerMain(append([]string{"dgram"}, strings.Fields(os.Getenv("LIBMASTER_ARGS"))...),
		func(s *Server, buf []byte) { recs = append(recs, string(buf)) },
		func(s *Server) {
			f, err := os.OpenFile(filepath.Join(s.QueueDir, "got"), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
			if err != nil {
				s.fatal("%v", err)
			}
			f.WriteString(strings.Join(append(recs, "flush\n"), "\n"))
			f.Close()
			recs = recs[:0]
		}, Options{Solitary: true, BlockingIO: kind == "dgram"})
}

// TestDgramBurstServer: datagrams queued before the server wakes are
// taken in one burst that ends with one flush (a UNIX datagram socket
// queues 10 by default, fewer than DgramBurstMax), a datagram sent later
// makes a burst of its own, every datagram is one TAKEN/AVAIL pair to
// master, and the idle timer, re-armed after the last burst, ends the
// server after max_idle (3s in the test's main.cf). Without BlockingIO
// each datagram is flushed on its own.
func TestDgramBurstServer(t *testing.T) {
	const queued = 8
	const n = queued + 1
	for _, tc := range []struct {
		kind    string
		flushes []int // records per flush
	}{
		{"dgram", []int{queued, 1}},
		{"dgram-poller", []int{1, 1, 1, 1, 1, 1, 1, 1, 1}},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			sock := filepath.Join(t.TempDir(), "postlog")
			ul, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
			if err != nil {
				t.Fatal(err)
			}
			defer ul.Close()
			c, err := net.Dial("unixgram", sock)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetWriteDeadline(time.Now().Add(5 * time.Second))
			var want []string
			send := func(i int) {
				rec := fmt.Sprintf("record %d", i)
				if _, err := c.Write([]byte(rec)); err != nil {
					t.Fatal(err)
				}
				want = append(want, rec)
			}
			for i := 0; i < queued; i++ {
				send(i)
			}
			lf, _ := ul.File()
			cmd, status, dir := child(t, tc.kind, "-l -t unix-dgram -n postlog", lf)
			lf.Close()
			checkStatus := func(from, to int) {
				for i := from; i < to; i++ {
					pid, gen, avail := readStatus(t, status)
					if pid != cmd.Process.Pid || gen != 0o17 || avail != []int{StatTaken, StatAvail}[i%2] {
						t.Fatalf("status %d: pid %d gen %o avail %d", i, pid, gen, avail)
					}
				}
			}
			// waitFlushed waits until the file holds want records and
			// ends with a flush. The server looks for one more datagram
			// after the last AVAIL of a burst, so the late datagram is
			// sent only once the first burst has been flushed.
			var got []byte
			waitFlushed := func(want int) {
				deadline := time.Now().Add(5 * time.Second)
				for ; time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
					got, _ = os.ReadFile(filepath.Join(dir, "got"))
					if strings.Count(string(got), "record") == want && strings.HasSuffix(string(got), "flush\n") {
						return
					}
				}
			}
			checkStatus(0, 2*queued)
			waitFlushed(queued)
			send(queued)
			checkStatus(2*queued, 2*n)
			last := time.Now()
			waitFlushed(n)
			var recs []string
			var sizes []int
			count := 0
			for _, line := range strings.Split(strings.TrimSuffix(string(got), "\n"), "\n") {
				if line == "flush" {
					sizes = append(sizes, count)
					count = 0
					continue
				}
				recs = append(recs, line)
				count++
			}
			if strings.Join(recs, "|") != strings.Join(want, "|") {
				t.Fatalf("records %q, want %q", recs, want)
			}
			if fmt.Sprint(sizes) != fmt.Sprint(tc.flushes) {
				t.Fatalf("records per flush %v, want %v", sizes, tc.flushes)
			}
			waitExit(t, cmd, "after max_idle")
			if idle := time.Since(last); idle < 2*time.Second {
				t.Fatalf("exited %v after the last datagram, before max_idle", idle)
			}
		})
	}
}
