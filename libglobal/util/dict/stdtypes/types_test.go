package stdtypes

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLookups(t *testing.T) {
	dir := t.TempDir()
	cidr := filepath.Join(dir, "cidr")
	os.WriteFile(cidr, []byte("10.0.0.0/8 ten\nif !192.168.0.0/16\n0.0.0.0/0 public\nendif\n2001:db8::/32 doc\n"), 0644)
	th := filepath.Join(dir, "th")
	os.WriteFile(th, []byte("Key Value here\n\"q k\" quoted\n"), 0644)
	tests := []struct {
		spec, key, want string
		found           bool
	}{
		{"inline:{a=1, { b = two words }}", "B", "two words", true},
		{"inline:{a=1}", "x", "", false},
		{"static:{ with space }", "anything", "with space", true},
		{"cidr:" + cidr, "10.1.2.3", "ten", true},
		{"cidr:" + cidr, "192.168.1.1", "", false},
		{"cidr:" + cidr, "8.8.8.8", "public", true},
		{"cidr:" + cidr, "2001:db8::1", "doc", true},
		{"cidr:" + cidr, "not-an-address", "", false},
		{"texthash:" + th, "KEY", "Value here", true},
		{"texthash:" + th, "\"q k\"", "quoted", true},
		{"pipemap:{inline:{a=b}, inline:{b=c}}", "a", "c", true},
		{"pipemap:{inline:{a=b}, inline:{x=c}}", "a", "", false},
		{"unionmap:{inline:{a=1}, inline:{a=2}, inline:{b=3}}", "a", "1,2", true},
		{"randmap:{only}", "a", "only", true},
	}
	reg, _ := testRegistry()
	for _, tc := range tests {
		d, err := reg.Open(tc.spec, os.O_RDONLY, 1<<14) // fold fixed keys
		if err != nil {
			t.Errorf("%s: %v", tc.spec, err)
			continue
		}
		v, ok, err := d.Lookup(tc.key)
		if err != nil || ok != tc.found || v != tc.want {
			t.Errorf("%s: Lookup(%q) = %q %v %v, want %q %v", tc.spec, tc.key, v, ok, err, tc.want, tc.found)
		}
		d.Close()
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct{ spec, want string }{
		{"inline:{a=1, b = 2}", `missing '=' after attribute name: "inline:{a=1, b = 2}"; need "inline:{name=value...}"`},
		{"inline:{}", `bad syntax: "inline:{}"; need "inline:{name=value...}"`},
		{"static:{abc", `bad static:name syntax: missing '}' in "{abc"`},
		{"pipemap:{x}", `bad syntax: "pipemap:{x}"; need "pipemap:{type:name...}"`},
		{"randmap:{}", `bad syntax: "randmap:{}"; need "randmap:{value...}"`},
		{"unix:nosuch", `unknown table: unix:nosuch`},
		{"cidr:/nonexistent", `open /nonexistent: No such file or directory`},
		{"texthash:/nonexistent", `open database /nonexistent: No such file or directory`},
		{"cdb:/nonexistent", `open database /nonexistent.cdb: No such file or directory`},
	}
	reg, _ := testRegistry()
	for _, tc := range tests {
		_, err := reg.Open(tc.spec, os.O_RDONLY, 0)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: got %v, want %q", tc.spec, err, tc.want)
		}
	}
}
