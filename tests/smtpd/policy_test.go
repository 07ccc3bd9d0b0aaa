package smtpd

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"testing"
)

// startPolicyServer answers policy requests on addr by recipient prefix,
// like the reference dialogues' server: pol-reject, pol-450, pol-bogus,
// else DUNNO; pol-count tells whether the request came on a new
// connection or a kept one (Postfix keeps it open), pol-hangup closes it
// without an answer.
// Several requests may share one connection.
func startPolicyServer(t *testing.T, addr string) { serveLoopback(t, addr, servePolicy) }

// serveLoopback accepts connections on addr until the test ends and
// hands each to handle in its own goroutine.
func serveLoopback(t *testing.T, addr string, handle func(net.Conn)) {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go handle(c)
		}
	}()
}

func servePolicy(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	rcpt, requests := "", 0
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimSuffix(line, "\n")
		if v, ok := strings.CutPrefix(line, "recipient="); ok {
			rcpt = v
		}
		if line != "" {
			continue
		}
		requests++
		action := "DUNNO"
		switch {
		case strings.HasPrefix(rcpt, "pol-count"):
			action = "REJECT kept connection"
			if requests == 1 {
				action = "REJECT new connection"
			}
		case strings.HasPrefix(rcpt, "pol-hangup"):
			return
		case strings.HasPrefix(rcpt, "pol-reject"):
			action = "REJECT policy says no"
		case strings.HasPrefix(rcpt, "pol-450"):
			action = "450 4.7.1 try again later"
		case strings.HasPrefix(rcpt, "pol-bogus"):
			action = "FROBNICATE now"
		}
		if _, err := fmt.Fprintf(c, "action=%s\n\n", action); err != nil {
			return
		}
		rcpt = ""
	}
}
