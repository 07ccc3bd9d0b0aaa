package sasl

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestParseCyrusConfig(t *testing.T) {
	tests := []struct {
		name, text string
		want       map[string]string
		err        bool
	}{
		{"empty", "", map[string]string{}, false},
		{"debian", "pwcheck_method: saslauthd\nmech_list: PLAIN LOGIN\n",
			map[string]string{"pwcheck_method": "saslauthd", "mech_list": "PLAIN LOGIN"}, false},
		{"comments and blanks", "# c\n\n   \t# also\n  log_level: 3  \t\n",
			map[string]string{"log_level": "3"}, false},
		{"name folded, first wins", "Mech_List: a\nmech_list: b\n", map[string]string{"mech_list": "a"}, false},
		{"no space after colon", "sasldb_path:/x/y\n", map[string]string{"sasldb_path": "/x/y"}, false},
		{"crlf", "mech_list: PLAIN\r\n", map[string]string{"mech_list": "PLAIN"}, false},
		{"only ASCII space is space", "mech_list: PLAIN\u00a0\n", map[string]string{"mech_list": "PLAIN\u00a0"}, false},
		{"no colon", "mech_list PLAIN\n", nil, true},
		{"space before colon", "mech_list : PLAIN\n", nil, true},
		{"no value", "mech_list:   \n", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCyrusConfig(tt.text)
			if tt.err {
				if !errors.Is(err, ErrCyrusConfig) {
					t.Fatalf("error = %v, want ErrCyrusConfig", err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestReadCyrusConfigSearch(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"a", "b", "c"} {
		os.Mkdir(filepath.Join(dir, d), 0755)
	}
	os.WriteFile(filepath.Join(dir, "b", "smtpd.conf"), []byte("mech_list: PLAIN\n"), 0644)
	os.WriteFile(filepath.Join(dir, "c", "smtpd.conf"), []byte("mech_list: LOGIN\n"), 0644)
	path := filepath.Join(dir, "a") + ":" + filepath.Join(dir, "b") + ":" + filepath.Join(dir, "c")
	c, err := ReadCyrusConfig("smtpd", path)
	if err != nil {
		t.Fatal(err)
	}
	if c.File != filepath.Join(dir, "b", "smtpd.conf") || c.Option("mech_list", "") != "PLAIN" {
		t.Fatalf("found %s with mech_list %q", c.File, c.Option("mech_list", ""))
	}
	c, err = ReadCyrusConfig("other", path)
	if err != nil || c.File != "" || c.Option("pwcheck_method", "auxprop") != "auxprop" {
		t.Fatalf("missing file: %+v %v", c, err)
	}
	os.WriteFile(filepath.Join(dir, "a", "bad.conf"), []byte("what\n"), 0644)
	_, err = ReadCyrusConfig("bad", path)
	if !errors.Is(err, ErrCyrusConfig) || CyrusText(err) != "error when parsing configuration file" {
		t.Fatalf("bad file: %v", err)
	}
	// A directory in the file's place is an empty configuration.
	os.Mkdir(filepath.Join(dir, "a", "dir.conf"), 0755)
	os.WriteFile(filepath.Join(dir, "b", "dir.conf"), []byte("mech_list: LOGIN\n"), 0644)
	if c, err := ReadCyrusConfig("dir", path); err != nil || c.File != filepath.Join(dir, "a", "dir.conf") ||
		c.Option("mech_list", "none") != "none" {
		t.Fatalf("directory: %+v %v", c, err)
	}
}

func FuzzParseCyrusConfig(f *testing.F) {
	for _, s := range []string{"", "mech_list: PLAIN LOGIN\n", "# x\n a-b_c: d \n", "x\n", ":\n", "k:\x00\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		opts, err := ParseCyrusConfig(text)
		if err != nil {
			return
		}
		for k, v := range opts {
			if v == "" || v != trimmed(v) {
				t.Fatalf("option %q = %q", k, v)
			}
			for i := 0; i < len(k); i++ {
				if !isNameByte(k[i]) || (k[i] >= 'A' && k[i] <= 'Z') {
					t.Fatalf("name %q", k)
				}
			}
		}
	})
}

func trimmed(s string) string {
	for len(s) > 0 && isSpaceByte(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpaceByte(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'
}
