package mailconf

import (
	"strings"
	"testing"

	"gopostfix/libglobal/params"
	"gopostfix/libglobal/util/msg"
)

// FuzzRead feeds arbitrary main.cf text to the reader and expands every
// value: nothing may panic or hang, entries must be well formed and the
// last entry of a name must win.
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		"", "a = b\n", "a=b\n  c\n# x\nd = ${e?{f}:{g}}\n", "bogus\n", " lead = x\n",
		"a = 1\na = 2\n", "x = $x\n", "t = ${{$compatibility_level} <level {2} ? {a} : {b}}\n",
		"a = \x00b\n", "=\n", "a = ${\n", "myhostname = $mydomain\nmydomain = $myhostname\n",
		"inet_interfaces = $mynetworks\n", "mynetworks_style = $mynetworks\n",
	} {
		f.Add(s)
	}
	host := &params.Host{Hostname: "fuzz", PID: 1, ProcName: "fuzz"}
	f.Fuzz(func(t *testing.T, text string) {
		c := New("/fuzz", msg.New(&msg.Capture{}))
		c.SetHost(host)
		if err := c.read(strings.NewReader(text), "/fuzz/main.cf"); err != nil {
			if !strings.HasPrefix(err.Error(), "/fuzz/main.cf, line ") {
				t.Fatalf("error without location: %v", err)
			}
			return
		}
		last := map[string]string{}
		for _, e := range c.Entries() {
			if e.Name == "" || strings.ContainsAny(e.Name, spaceChars+"=") {
				t.Fatalf("bad name %q", e.Name)
			}
			if strings.Trim(e.Value, spaceChars) != e.Value {
				t.Fatalf("untrimmed value %q", e.Value)
			}
			if e.First < 1 || e.Last < e.First {
				t.Fatalf("bad lines %d-%d", e.First, e.Last)
			}
			last[e.Name] = e.Value
		}
		for name, v := range last {
			if got, _ := c.Raw(name); got != v {
				t.Fatalf("Raw(%s) = %q, want %q", name, got, v)
			}
			c.Expand(v)
			c.Str(name)
		}
		c.Str("mynetworks")
	})
}
