package smtpclient

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	mdns "github.com/miekg/dns"
)

// The DANE tests need a name server that the real smtp (glibc's
// resolver, port 53 from /etc/resolv.conf) and ours both ask. They run
// in a private network and mount namespace: loopback up, a resolv.conf
// naming 127.0.0.1 with "options trust-ad" bind-mounted over
// /etc/resolv.conf, and an in-test name server on 127.0.0.1:53 that
// sets the AD bit for the names it calls signed.

const netnsEnv = "SMTPCLIENT_NETNS"

// inNetns runs the named test again in a private namespace (unshare
// --net --mount) and reports its output; it returns true when the
// caller is already that copy and should run the test itself.
func inNetns(t *testing.T, name string, env ...string) bool {
	if os.Getenv(netnsEnv) == "1" {
		setupNetns(t)
		return true
	}
	cmd := exec.Command("unshare", "--net", "--mount", "--propagation", "private",
		os.Args[0], "-test.run=^"+name+"$", "-test.count=1", "-test.v")
	cmd.Env = append(append(os.Environ(), netnsEnv+"=1"), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatalf("unshare: %v", err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("%s in a private namespace: %v\n%s", name, err, out.String())
		}
	case <-time.After(9 * time.Minute):
		cmd.Process.Kill()
		<-done
		t.Fatalf("%s in a private namespace did not finish:\n%s", name, out.String())
	}
	t.Logf("%s", out.String())
	return false
}

// setupNetns brings loopback up and points the resolver at 127.0.0.1.
func setupNetns(t *testing.T) {
	if out, err := exec.Command("ip", "link", "set", "lo", "up").CombinedOutput(); err != nil {
		t.Fatalf("ip link set lo up: %v %s", err, out)
	}
	conf := filepath.Join(t.TempDir(), "resolv.conf")
	if err := os.WriteFile(conf, []byte("nameserver 127.0.0.1\noptions trust-ad\n"), 0644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount(conf, "/etc/resolv.conf", "", syscall.MS_BIND, ""); err != nil {
		t.Fatalf("bind mount resolv.conf: %v", err)
	}
}

// zoneRR is one answer of the test name server.
type zoneRR struct {
	rr     string // zone-file form
	signed bool
}

// testZone answers queries from a table: name and type to records. A
// name with records of other types gets NODATA, an unknown name
// NXDOMAIN; both signed when the name is in signedNames. servfail
// names get SERVFAIL.
type testZone struct {
	records     map[string][]zoneRR // "name. TYPE"
	signedNames map[string]bool
	servfail    map[string]bool
	names       map[string]bool
}

func newTestZone() *testZone {
	z := &testZone{records: map[string][]zoneRR{}, signedNames: map[string]bool{}, servfail: map[string]bool{}, names: map[string]bool{}}
	z.add(true, ". 3600 IN NS a.root-servers.test.")
	return z
}

// add adds records in zone-file form, signed or not.
func (z *testZone) add(signed bool, rrs ...string) {
	for _, s := range rrs {
		rr, err := mdns.NewRR(s)
		if err != nil {
			panic(fmt.Sprintf("%s: %v", s, err))
		}
		h := rr.Header()
		name := strings.ToLower(h.Name)
		key := name + " " + mdns.TypeToString[h.Rrtype]
		z.records[key] = append(z.records[key], zoneRR{rr: s, signed: signed})
		z.names[name] = true
		if signed {
			z.signedNames[name] = true
		}
	}
}

func (z *testZone) ServeDNS(w mdns.ResponseWriter, r *mdns.Msg) {
	m := new(mdns.Msg)
	m.SetReply(r)
	if opt := r.IsEdns0(); opt != nil {
		m.SetEdns0(4096, opt.Do())
	}
	q := r.Question[0]
	name := strings.ToLower(q.Name)
	recs := z.records[name+" "+mdns.TypeToString[q.Qtype]]
	switch {
	case z.servfail[name]:
		m.Rcode = mdns.RcodeServerFailure
	case len(recs) > 0:
		m.AuthenticatedData = true
		for _, zr := range recs {
			rr, _ := mdns.NewRR(zr.rr)
			m.Answer = append(m.Answer, rr)
			m.AuthenticatedData = m.AuthenticatedData && zr.signed
		}
	case z.names[name]:
		m.AuthenticatedData = z.signedNames[name]
	default:
		m.Rcode = mdns.RcodeNameError
		m.AuthenticatedData = z.signedNames[parentOf(name)]
	}
	w.WriteMsg(m)
}

func parentOf(name string) string {
	_, p, _ := strings.Cut(name, ".")
	return p
}

// serveZone runs the name server on 127.0.0.1:53 (UDP and TCP).
func serveZone(t *testing.T, z *testZone) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:53")
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:53")
	if err != nil {
		t.Fatal(err)
	}
	udp := &mdns.Server{PacketConn: pc, Handler: z}
	tcp := &mdns.Server{Listener: l, Handler: z}
	go udp.ActivateAndServe()
	go tcp.ActivateAndServe()
	t.Cleanup(func() { udp.Shutdown(); tcp.Shutdown() })
}
