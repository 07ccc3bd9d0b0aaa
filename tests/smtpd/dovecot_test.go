package smtpd

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"net"
	"strings"
	"testing"
)

// startFakeDovecot serves the Dovecot auth protocol on addr with two
// users: test/secret succeeds, temp/anything fails temporarily, every
// other login fails. Mechanisms: PLAIN, LOGIN, ANONYMOUS.
func startFakeDovecot(t *testing.T, addr string) { serveLoopback(t, addr, serveDovecot) }

func serveDovecot(c net.Conn) {
	defer c.Close()
	fmt.Fprint(c, "VERSION\t1\t2\nMECH\tPLAIN\tplaintext\nMECH\tLOGIN\tplaintext\nMECH\tANONYMOUS\tanonymous\n"+
		"SPID\t4242\nCUID\t1\nCOOKIE\t0123456789abcdef\nDONE\n")
	r := bufio.NewReader(c)
	var pending []string // a request that arrived while a challenge was open
	next := func() []string {
		if pending != nil {
			f := pending
			pending = nil
			return f
		}
		line, err := r.ReadString('\n')
		if err != nil {
			return nil
		}
		return strings.Split(strings.TrimSuffix(line, "\n"), "\t")
	}
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	unb64 := func(s string) string { v, _ := base64.StdEncoding.DecodeString(s); return string(v) }
	// ask sends a challenge and returns the decoded answer.
	ask := func(id, challenge string) (string, bool) {
		fmt.Fprintf(c, "CONT\t%s\t%s\n", id, b64(challenge))
		f := next()
		if len(f) < 3 || f[0] != "CONT" {
			pending = f // the client gave up; this is its next request
			return "", false
		}
		return unb64(f[2]), true
	}
	for {
		f := next()
		if f == nil {
			return
		}
		if f[0] != "AUTH" || len(f) < 3 {
			continue
		}
		id, mech := f[1], strings.ToUpper(f[2])
		resp, hasResp := "", false
		for _, kv := range f[3:] {
			if v, ok := strings.CutPrefix(kv, "resp="); ok {
				resp, hasResp = unb64(v), true
			}
		}
		var user, pass string
		switch mech {
		case "PLAIN":
			if !hasResp {
				var ok bool
				if resp, ok = ask(id, ""); !ok {
					continue
				}
			}
			parts := strings.Split(resp, "\x00")
			if len(parts) == 3 {
				user, pass = parts[1], parts[2]
			}
		case "LOGIN":
			var ok bool
			if user, ok = ask(id, "Username:"); !ok {
				continue
			}
			if pass, ok = ask(id, "Password:"); !ok {
				continue
			}
		default:
			fmt.Fprintf(c, "FAIL\t%s\treason=Unsupported mechanism\n", id)
			continue
		}
		switch {
		case user == "test" && pass == "secret":
			fmt.Fprintf(c, "OK\t%s\tuser=test\n", id)
		case user == "temp":
			fmt.Fprintf(c, "FAIL\t%s\tuser=temp\ttemp\treason=Backend down\n", id)
		default:
			fmt.Fprintf(c, "FAIL\t%s\tuser=%s\n", id, user)
		}
	}
}
