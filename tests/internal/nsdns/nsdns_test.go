package nsdns

import (
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

func TestMain(m *testing.M) {
	ServeIfHelper()
	os.Exit(m.Run())
}

// TestWrapper starts the server and resolves through glibc (getent) in
// a wrapper, as the real daemons do ("hosts", not "ahosts": the
// latter asks with AI_ADDRCONFIG, and the namespace has only loopback).
func TestWrapper(t *testing.T) {
	if syscall.Geteuid() != 0 {
		t.Fatal("the name server needs root (network namespaces)")
	}
	d := StartT(t, []string{"host.nsdns.test. 60 IN A 192.0.2.7"})
	getent := d.Wrapper(t, "/usr/bin/getent", "getent")
	out, err := exec.Command(getent, "hosts", "host.nsdns.test").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "192.0.2.7 ") {
		t.Fatalf("getent in the wrapper: %v: %q", err, out)
	}
	if out, err := exec.Command(getent, "hosts", "other.nsdns.test").CombinedOutput(); err == nil {
		t.Errorf("unknown name resolved: %q", out)
	}
}
