package smtpd

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	mdns "github.com/miekg/dns"
)

// The DNS-based restrictions (check_*_{a,mx,ns}_access) need answers
// that both smtpds see alike. The real smtpd asks the C resolver, which
// reads /etc/resolv.conf; so the test binary, re-run as a DNS server in
// a network namespace of its own, answers on 127.0.0.1:53 there, and
// the smtpds of the DNS profiles run in that namespace with a private
// mount namespace whose /etc/resolv.conf names it (dnsWrapper). Their
// listening sockets come from master, outside, so clients still
// connect on the host's loopback; unix sockets are paths, reachable
// from both sides.

// dnsZoneEnv makes the test binary serve DNS; its value is the records
// file.
const dnsZoneEnv = "SMTPDTEST_DNS_ZONE"

// dnsRecords are the answers, one resource record per line. A name
// with records but none of the asked type gets an empty answer (no
// data); an unknown name NXDOMAIN; names under servfail.test SERVFAIL.
var dnsRecords = []string{
	"5.0.0.127.in-addr.arpa. 60 IN PTR mail.badmx.example.",
	"mail.badmx.example. 60 IN A 127.0.0.5",
	"6.0.0.127.in-addr.arpa. 60 IN PTR host.plain.example.",
	"host.plain.example. 60 IN A 127.0.0.6",
	"plain.example. 60 IN NS ns1.warnns.example.",
	"ns1.warnns.example. 60 IN A 10.0.0.9",
	"mxbad.example. 60 IN MX 10 mx1.badmx.example.",
	"mx1.badmx.example. 60 IN A 192.0.2.77",
	"mxaddr.example. 60 IN MX 10 mx.addr.example.",
	"mxaddr.example. 60 IN MX 20 mx2.addr.example.",
	"mx.addr.example. 60 IN A 192.0.2.65",
	"mx2.addr.example. 60 IN A 192.0.2.66",
	"mxmissing.example. 60 IN MX 10 gone.example.",
	"mxnodata.example. 60 IN MX 10 noaddr.example.",
	"noaddr.example. 60 IN TXT \"no address here\"",
	"nsok.example. 60 IN NS ns.okns.example.",
	"ns.okns.example. 60 IN A 192.0.2.99",
	"sub.nsparent.example. 60 IN A 192.0.2.1",
	"nsparent.example. 60 IN NS ns.badmx.example.",
	"ns.badmx.example. 60 IN A 192.0.2.98",
	"nullmx.example. 60 IN MX 0 .",
	"ahelo.example. 60 IN A 192.0.2.66",
	"discard.example. 60 IN NS ns.discns.example.",
	"ns.discns.example. 60 IN A 192.0.2.97",
	"mxliteral.example. 60 IN MX 10 192.0.2.66.",
}

// serveTestDNS is the DNS helper process: it answers from the records
// file on 127.0.0.1:53, UDP and TCP, prints "ready" and runs until it is
// killed.
func serveTestDNS(path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	byName := map[string][]mdns.RR{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		rr, err := mdns.NewRR(line)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", line, err)
			os.Exit(1)
		}
		name := strings.ToLower(rr.Header().Name)
		byName[name] = append(byName[name], rr)
	}
	answer := func(w mdns.ResponseWriter, req *mdns.Msg) {
		reply := new(mdns.Msg)
		reply.SetReply(req)
		reply.Authoritative = true
		q := req.Question[0]
		name := strings.ToLower(q.Name)
		rrs, known := byName[name]
		switch {
		case strings.HasSuffix(name, "servfail.test."):
			reply.Rcode = mdns.RcodeServerFailure
		case !known:
			reply.Rcode = mdns.RcodeNameError
		}
		for _, rr := range rrs {
			if rr.Header().Rrtype == q.Qtype {
				reply.Answer = append(reply.Answer, rr)
			}
		}
		w.WriteMsg(reply)
	}
	started := make(chan error, 2)
	for _, network := range []string{"udp", "tcp"} {
		srv := &mdns.Server{Addr: "127.0.0.1:53", Net: network, Handler: mdns.HandlerFunc(answer),
			NotifyStartedFunc: func() { started <- nil }}
		go func() { started <- srv.ListenAndServe() }()
	}
	for range 2 {
		if err := <-started; err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	fmt.Println("ready")
	select {}
}

// testDNS is a running DNS helper.
type testDNS struct {
	cmd    *exec.Cmd
	dir    string
	resolv string
}

// startTestDNS runs the helper in a new network namespace and waits at
// most ten seconds for it; it is stopped when the test ends.
func startTestDNS(t *testing.T) *testDNS {
	t.Helper()
	dir, err := os.MkdirTemp("", "smtpdtestdns")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0755)
	d := &testDNS{dir: dir, resolv: filepath.Join(dir, "resolv.conf")}
	t.Cleanup(d.stop)
	zone := filepath.Join(dir, "zone")
	if err := os.WriteFile(zone, []byte(strings.Join(dnsRecords, "\n")+"\n"), 0644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(d.resolv, []byte("nameserver 127.0.0.1\noptions timeout:2 attempts:1\n"), 0644); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	d.cmd = exec.Command("unshare", "-n", "--", "sh", "-c", `ip link set lo up && exec "$0" -test.run='^$'`, self)
	d.cmd.Env = append(os.Environ(), dnsZoneEnv+"="+zone)
	d.cmd.Stderr = os.Stderr
	out, err := d.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		ready <- strings.TrimSpace(line)
	}()
	select {
	case line := <-ready:
		if line != "ready" {
			t.Fatalf("DNS helper did not start (%q)", line)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("DNS helper did not start within 10s")
	}
	return d
}

// stop kills the helper by its pid and removes its files.
func (d *testDNS) stop() {
	if d.cmd != nil && d.cmd.Process != nil {
		d.cmd.Process.Signal(syscall.SIGKILL)
		d.cmd.Wait()
	}
	os.RemoveAll(d.dir)
}

// wrapper writes a script that runs binary in the helper's network
// namespace, with the private resolv.conf mounted over /etc/resolv.conf,
// under the process name name.
func (d *testDNS) wrapper(t *testing.T, binary, name string) string {
	t.Helper()
	path := filepath.Join(d.dir, "dns"+name)
	script := fmt.Sprintf("#!/bin/bash\nexec nsenter --net=/proc/%d/ns/net -- unshare -m -- "+
		"/bin/bash -c 'mount --bind \"$0\" /etc/resolv.conf && exec -a %s \"$1\" \"${@:2}\"' %s %s \"$@\"\n",
		d.cmd.Process.Pid, name, d.resolv, binary)
	if err := os.WriteFile(path, []byte(script), 0755); err != nil {
		t.Fatal(err)
	}
	return path
}
