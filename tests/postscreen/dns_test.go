package postscreen

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

// dnsEnv tells the test binary to run as the DNS server: its value is
// the zone file.
const dnsEnv = "PSTEST_DNS_ZONE"

// zone is what the DNS server answers. Listed clients get A records;
// everything else under a zone is NXDOMAIN with the zone's SOA in the
// authority section; "servfail.test" always fails.
const zone = `bl1.test. 300 IN SOA ns.bl1.test. admin.bl1.test. 1 2 3 4 5
bl2.test. 400 IN SOA ns.bl2.test. admin.bl2.test. 1 2 3 4 5
wl.test. 500 IN SOA ns.wl.test. admin.wl.test. 1 2 3 4 5
4.0.0.127.bl1.test. 120 IN A 127.0.0.2
5.0.0.127.bl2.test. 130 IN A 127.0.0.9
6.0.0.127.bl1.test. 140 IN A 127.0.0.2
6.0.0.127.wl.test. 150 IN A 127.0.0.10
7.0.0.127.bl1.test. 160 IN A 127.0.0.2
7.0.0.127.bl2.test. 170 IN A 127.0.0.3
8.0.0.127.wl.test. 180 IN A 127.0.0.10
32.0.0.127.bl1.test. 190 IN A 127.0.0.2
33.0.0.127.bl2.test. 200 IN A 127.0.0.2
33.0.0.127.bl2.test. 90 IN A 127.0.0.4
`

// serveDNS is the body of the DNS helper process: it answers from the
// zone file on 127.0.0.1:53 (UDP and TCP) until killed.
func serveDNS(zoneFile string) {
	data, err := os.ReadFile(zoneFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var rrs []mdns.RR
	for _, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		rr, err := mdns.NewRR(line)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		rrs = append(rrs, rr)
	}
	h := mdns.HandlerFunc(func(w mdns.ResponseWriter, r *mdns.Msg) {
		m := new(mdns.Msg)
		m.SetReply(r)
		m.Authoritative = true
		q := r.Question[0]
		name := strings.ToLower(q.Name)
		if strings.HasSuffix(name, "servfail.test.") {
			m.Rcode = mdns.RcodeServerFailure
			w.WriteMsg(m)
			return
		}
		exists := false
		for _, rr := range rrs {
			if strings.EqualFold(rr.Header().Name, name) {
				exists = true
				if rr.Header().Rrtype == q.Qtype {
					m.Answer = append(m.Answer, rr)
				}
			}
		}
		if len(m.Answer) == 0 {
			if !exists {
				m.Rcode = mdns.RcodeNameError
			}
			for _, rr := range rrs {
				if soa, ok := rr.(*mdns.SOA); ok && strings.HasSuffix(name, "."+soa.Hdr.Name) {
					m.Ns = append(m.Ns, soa)
				}
			}
		}
		w.WriteMsg(m)
	})
	errs := make(chan error, 2)
	for _, netw := range []string{"udp", "tcp"} {
		srv := &mdns.Server{Addr: "127.0.0.1:53", Net: netw, Handler: h}
		srv.NotifyStartedFunc = func() { errs <- nil }
		go func() { errs <- srv.ListenAndServe() }()
	}
	for i := 0; i < 2; i++ {
		if err := <-errs; err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	fmt.Println("ready")
	select {}
}

// dnsServer is the DNS helper: the test binary re-run in a new network
// namespace.
type dnsServer struct {
	cmd    *exec.Cmd
	dir    string
	resolv string // resolv.conf naming the server
}

// startDNS starts the helper and waits (at most ten seconds) until it
// listens.
func startDNS() (*dnsServer, error) {
	dir, err := os.MkdirTemp("", "pstestdns")
	if err != nil {
		return nil, err
	}
	os.Chmod(dir, 0755)
	d := &dnsServer{dir: dir, resolv: filepath.Join(dir, "resolv.conf")}
	zoneFile := filepath.Join(dir, "zone")
	if err := os.WriteFile(zoneFile, []byte(zone), 0644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(d.resolv, []byte("nameserver 127.0.0.1\noptions timeout:2 attempts:1\n"), 0644); err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	d.cmd = exec.Command("unshare", "-n", "--", "sh", "-c", `ip link set lo up && exec "$0" -test.run='^$'`, self)
	d.cmd.Env = append(os.Environ(), dnsEnv+"="+zoneFile)
	d.cmd.Stderr = os.Stderr
	out, err := d.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := d.cmd.Start(); err != nil {
		return nil, err
	}
	ready := make(chan bool, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		ready <- strings.TrimSpace(line) == "ready"
	}()
	select {
	case ok := <-ready:
		if !ok {
			d.stop()
			return nil, fmt.Errorf("DNS helper did not start")
		}
	case <-time.After(10 * time.Second):
		d.stop()
		return nil, fmt.Errorf("DNS helper did not start within 10s")
	}
	return d, nil
}

// stop kills the helper by its exact pid and removes its files.
func (d *dnsServer) stop() {
	if d.cmd != nil && d.cmd.Process != nil {
		d.cmd.Process.Signal(syscall.SIGKILL)
		d.cmd.Wait()
	}
	os.RemoveAll(d.dir)
}

// wrapper writes a script that runs dnsblog binary in the DNS namespace
// with the private resolv.conf, under the name "dnsblog".
func (d *dnsServer) wrapper(t testing.TB, binary string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "dnsblog")
	script := fmt.Sprintf(`#!/bin/bash
exec nsenter --net=/proc/%d/ns/net -- unshare -m -- /bin/bash -c 'mount --bind "$0" /etc/resolv.conf && exec -a dnsblog "$1" "${@:2}"' %s %s "$@"
`, d.cmd.Process.Pid, d.resolv, binary)
	if err := os.WriteFile(path, []byte(script), 0755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(filepath.Dir(path), 0755)
	return path
}
