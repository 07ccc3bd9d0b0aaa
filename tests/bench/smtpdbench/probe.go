package main

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"
)

// probe sends load.probe messages over load.sessions sessions and
// returns the time from the end-of-data dot to the 250 reply of each.
func probe(addr string, load loadSpec) []time.Duration {
	body := message(load.size)
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	per := load.probe / load.sessions
	for s := 0; s < load.sessions; s++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := session(addr, per, body)
			mu.Lock()
			lat = append(lat, d...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return lat
}

// message is a header and body of about size bytes, CRLF lines.
func message(size int) string {
	var b strings.Builder
	b.WriteString("From: sender@example.org\r\nTo: rcpt@example.net\r\nSubject: latency probe\r\n\r\n")
	line := strings.Repeat("x", 76) + "\r\n"
	for b.Len()+len(line) < size {
		b.WriteString(line)
	}
	return b.String()
}

func session(addr string, n int, body string) []time.Duration {
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return nil
	}
	defer c.Close()
	r := bufio.NewReader(c)
	reply := func() string {
		c.SetReadDeadline(time.Now().Add(60 * time.Second))
		for {
			l, err := r.ReadString('\n')
			if err != nil || len(l) < 4 || l[3] != '-' {
				return l
			}
		}
	}
	send := func(s string) string { fmt.Fprint(c, s); return reply() }
	reply()
	send("EHLO probe.example\r\n")
	var out []time.Duration
	for i := 0; i < n; i++ {
		send("MAIL FROM:<sender@example.org>\r\n")
		send("RCPT TO:<rcpt@example.net>\r\n")
		if !strings.HasPrefix(send("DATA\r\n"), "354") {
			return out
		}
		fmt.Fprint(c, body)
		t0 := time.Now()
		if !strings.HasPrefix(send(".\r\n"), "250") {
			return out
		}
		out = append(out, time.Since(t0))
	}
	send("QUIT\r\n")
	return out
}
