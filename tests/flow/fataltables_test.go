package flow

import (
	"fmt"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// fatalTableCases are table settings whose open Postfix makes fatal even
// in a daemon, where other open failures give a stand-in table
// (dict_allow_surrogate): a proxy: table that the proxymap service
// refuses (not in proxy_read_maps), a cidr or texthash table whose file
// is a directory (a read error), a name without "type:".
var fatalTableCases = []struct{ name, daemon, setting string }{
	{"refused proxy table in transport_maps", "trivial-rewrite", "transport_maps=proxy:hash:@ROOT@/etc/notproxied"},
	{"cidr directory in transport_maps", "trivial-rewrite", "transport_maps=cidr:@ROOT@/etc/adir"},
	{"refused proxy table in canonical_maps", "cleanup", "canonical_maps=proxy:hash:@ROOT@/etc/notproxied"},
	{"texthash directory in sender_canonical_maps", "cleanup", "sender_canonical_maps=texthash:@ROOT@/etc/adir"},
	{"table name without type in virtual_alias_maps", "cleanup", "virtual_alias_maps=notype"},
}

// TestFatalTableOpensAgainstReal starts, for each case, a real
// trivial-rewrite or cleanup service and one of ours with the same
// setting, by connecting to each, and compares what the two processes
// log: the real one ends with "fatal: ..." before it serves anyone, and
// ours must say the same and end too.
func TestFatalTableOpensAgainstReal(t *testing.T) {
	master := baseMasterCF + "proxymap unix - - n - - proxymap\n"
	for i, tc := range fatalTableCases {
		proc, limit := "-", "-" // private, as rewrite
		if tc.daemon == "cleanup" {
			proc, limit = "n", "0" // public, as cleanup
		}
		for side, cmd := range []string{tc.daemon, "go" + tc.daemon} {
			master += fmt.Sprintf("f%d-%d unix %s - n - %s %s -o %s\n", i, side, proc, limit, cmd, tc.setting)
		}
	}
	in := instance.New(t, instance.Options{Prefix: "flow", Main: baseMainCF, Master: master,
		Ours:  map[string]string{"gotrivial-rewrite": ours.Path(t, "trivial-rewrite"), "gocleanup": ours.Path(t, "cleanup")},
		Files: map[string]string{"etc/adir/file": "x\n"}, Maps: []string{"etc/notproxied"}})
	for i, tc := range fatalTableCases {
		t.Run(tc.name, func(t *testing.T) {
			var lines [2][]string
			class := "private"
			if tc.daemon == "cleanup" {
				class = "public"
			}
			for side, prog := range []string{tc.daemon, "go" + tc.daemon} {
				offset := len(in.Maillog())
				c, err := net.DialTimeout("unix", in.Path(fmt.Sprintf("queue/%s/f%d-%d", class, i, side)), 5*time.Second)
				if err != nil {
					t.Fatal(err)
				}
				// The process dies before it answers; master then
				// throttles the service.
				defer c.Close()
				instance.WaitFor(10*time.Second, func() bool {
					lines[side] = progLines(in, offset, prog)
					return len(lines[side]) > 0 && strings.HasPrefix(lines[side][len(lines[side])-1], "fatal: ")
				})
			}
			real, got := strings.Join(lines[0], "\n"), strings.Join(lines[1], "\n")
			if !strings.HasPrefix(lines[0][len(lines[0])-1], "fatal: ") {
				t.Fatalf("the real %s did not end with a fatal error; the log:\n%s", tc.daemon, in.Maillog())
			}
			if real != got {
				t.Errorf("log lines differ\n--- real\n%s\n--- ours\n%s", real, got)
			}
		})
	}
}

// progLine is a log line: the program name and the text.
var progLine = regexp.MustCompile(`^\w{3} [ \d]\d \d\d:\d\d:\d\d \S+ postfix/([\w-]+)\[\d+\]: (.*)$`)

// progLines returns the texts that prog logged after offset, with the
// instance directory as @ROOT@.
func progLines(in *instance.Instance, offset int, prog string) []string {
	log := in.Maillog()
	if offset > len(log) {
		return nil
	}
	var out []string
	for _, line := range strings.Split(log[offset:], "\n") {
		if m := progLine.FindStringSubmatch(line); m != nil && m[1] == prog {
			out = append(out, in.Mask(m[2]))
		}
	}
	return out
}
