package smtpd

import (
	"net"
	"testing"
	"time"
)

// trickle writes line to c one byte every gap, in the background.
func trickle(c net.Conn, line string, gap time.Duration) {
	go func() {
		for i := 0; i < len(line); i++ {
			if _, err := c.Write([]byte{line[i]}); err != nil {
				return
			}
			time.Sleep(gap)
		}
	}()
}

// readLine reads one line from a stream and reports the abort, if any.
func readLine(s *stream) (line string, ab abort) {
	defer func() {
		if r := recover(); r != nil {
			ab = r.(abort)
		}
	}()
	b, _ := s.getLine(0, false)
	return string(b), 0
}

// TestRequestDeadline: a line trickled one byte at a time, each byte
// well within smtpd_timeout, arrives in full with the per-read timeout,
// times out with smtpd_per_request_deadline, and arrives again when
// smtpd_min_data_rate credits enough time per byte.
func TestRequestDeadline(t *testing.T) {
	const (
		timeout = 300 * time.Millisecond
		gap     = 60 * time.Millisecond
		line    = "NOOP 0123456\r\n" // 14 bytes: about 840 ms in all
	)
	tests := []struct {
		name     string
		deadline bool
		minRate  int
		want     abort
	}{
		{"per read", false, 0, 0},
		{"per request", true, 500, abortTime},   // 2 ms per byte: not enough
		{"per request, slow rate", true, 10, 0}, // 100 ms per byte
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			server, client := net.Pipe()
			defer server.Close()
			defer client.Close()
			s := newStream(server, timeout, time.Now)
			s.deadline, s.minRate = tt.deadline, tt.minRate
			trickle(client, line, gap)
			start := time.Now()
			got, ab := readLine(s)
			if ab != tt.want {
				t.Fatalf("abort %v after %v (line %q), want %v", ab, time.Since(start), got, tt.want)
			}
			if ab == 0 && got != "NOOP 0123456" {
				t.Errorf("line %q", got)
			}
			if ab == abortTime && time.Since(start) > 2*time.Second {
				t.Errorf("timed out only after %v", time.Since(start))
			}
		})
	}
}
