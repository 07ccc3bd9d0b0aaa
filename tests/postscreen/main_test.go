package postscreen

import (
	"fmt"
	"os"
	"testing"

	"gopostfix/tests/internal/instance"
	"gopostfix/tests/internal/nsdns"
)

// ours are our programs under test.
var ours = instance.NewPrograms("postscreen", "dnsblog")

// dns is the DNS helper shared by every test.
var dns *nsdns.Server

func TestMain(m *testing.M) {
	nsdns.ServeIfHelper()
	var err error
	if os.Getuid() == 0 {
		if dns, err = nsdns.Start(zone); err != nil {
			fmt.Fprintln(os.Stderr, "DNS helper:", err)
			os.Exit(1)
		}
	}
	code := ours.Main(m)
	if dns != nil {
		dns.Stop()
	}
	os.Exit(code)
}

// requireDNS fails a test that runs without the DNS helper (not root).
func requireDNS(t *testing.T) {
	t.Helper()
	instance.RequireRealPostfix(t)
	if dns == nil {
		t.Fatal("the DNS helper is not running (the tests need root)")
	}
}
