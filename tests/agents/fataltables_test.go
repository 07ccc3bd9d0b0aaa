package agents

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// fatalTableAgents are table settings of pipe and virtual whose open
// Postfix makes fatal even in a daemon, where other open failures give a
// stand-in table: a proxy: table the proxymap service refuses, a cidr
// table whose file is a directory, a name without "type:".
var fatalTableAgents = []struct{ daemon, opts string }{
	{"pipe", "-o pipe_delivery_status_filter=proxy:hash:@ROOT@/etc/notproxied flags=q user=nobody argv=/bin/true"},
	{"pipe", "-o pipe_delivery_status_filter=cidr:@ROOT@/etc/adir flags=q user=nobody argv=/bin/true"},
	{"virtual", "-o virtual_mailbox_base=@ROOT@/out -o virtual_mailbox_maps=cidr:@ROOT@/etc/adir"},
	{"virtual", "-o virtual_mailbox_base=@ROOT@/out -o virtual_uid_maps=notype"},
}

// TestFatalTableOpensAgainstReal starts each service pair (the real
// agent and ours with the same settings) by connecting to it, and
// compares the lines each agent logs: the real one says "fatal: ..."
// before it serves anyone, and ours must say the same and end too.
func TestFatalTableOpensAgainstReal(t *testing.T) {
	master := baseMasterCF + "proxymap unix - - n - - proxymap\n"
	for i, tc := range fatalTableAgents {
		for side, cmd := range []string{tc.daemon, "go" + tc.daemon} {
			master += fmt.Sprintf("f%d-%d unix - n n - - %s %s\n", i, side, cmd, tc.opts)
		}
	}
	in := instance.New(t, instance.Options{Prefix: "agents", Main: instance.BareMainCF("agents.example"), Master: master,
		Ours:  map[string]string{"gopipe": progs.Path(t, "pipe"), "govirtual": progs.Path(t, "virtual")},
		Files: map[string]string{"etc/adir/file": "x\n"}, Maps: []string{"etc/notproxied"}})
	for i := range fatalTableAgents {
		for side := range 2 {
			c, err := net.DialTimeout("unix", in.Path(fmt.Sprintf("queue/private/f%d-%d", i, side)), 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			// The agent dies before it answers; master then throttles
			// the service.
			defer c.Close()
		}
	}
	// logged returns the texts the daemon logged, as a sorted set.
	logged := func(prog string) []string {
		var out []string
		for _, l := range in.LogSet(prog) {
			out = append(out, strings.TrimPrefix(l, prog+": "))
		}
		return out
	}
	var real, ours []string
	instance.WaitFor(15*time.Second, func() bool {
		real = append(logged("pipe"), logged("virtual")...)
		ours = append(logged("gopipe"), logged("govirtual")...)
		return len(real) >= len(fatalTableAgents) && len(ours) >= len(real)
	})
	fatal := 0
	for _, l := range real {
		if strings.HasPrefix(l, "fatal: ") {
			fatal++
		}
	}
	if fatal != len(fatalTableAgents) {
		t.Fatalf("the real agents logged %d fatal errors, want %d:\n%s", fatal, len(fatalTableAgents), in.Maillog())
	}
	if strings.Join(real, "\n") != strings.Join(ours, "\n") {
		t.Errorf("log lines differ\n--- real\n%s\n--- ours\n%s", strings.Join(real, "\n"), strings.Join(ours, "\n"))
	}
}
