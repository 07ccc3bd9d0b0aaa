package maps

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// startupLine matches the library start-up lines of Postfix's -v trace
// (mail_params_init), which our postmap does not print (a documented
// difference); everything after them is compared.
func startupLine(line string) bool {
	for _, p := range []string{"name_mask: ", "inet_addr_local: ", "been_here: ", "mynetworks_core: "} {
		if strings.HasPrefix(line, "postmap: "+p) {
			return true
		}
	}
	return false
}

// TestVerboseTrace compares postmap -v of the real program and ours for
// builds and queries of file, pattern and composite tables: the table
// layer's debug lines (dict_open, open, dict_*_open, dict_*_lookup, the
// Berkeley DB version, the LMDB size limit), including the real cidr
// table's failure on ENDIF under -v.
func TestVerboseTrace(t *testing.T) {
	ours := progs.Path(t, "postmap")
	dir := t.TempDir()
	files := map[string]string{
		"src":      "a b\nc d\n",
		"c.cidr":   "10.0.0.0/8 OK\n192.168.1.1 X\n2001:db8::/32 V6\n",
		"e.cidr":   "IF 10.0.0.0/8\n10.1.0.0/16 Y\nENDIF\n",
		"r.regexp": "/^a(.*)/ A$1\nif /b/\n/c/ C\nendif\n",
	}
	old := time.Now().Add(-time.Hour) // texthash waits for files younger than a second
	for name, text := range files {
		os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)
		os.Chtimes(filepath.Join(dir, name), old, old)
	}
	cf := configDir(t, "")
	commands := [][]string{
		{"hash:src"}, {"lmdb:src"}, {"cdb:src"},
		{"-q", "a", "hash:src"}, {"-q", "c", "lmdb:src"}, {"-q", "a", "cdb:src"},
		{"-q", "10.1.2.3", "cidr:c.cidr"}, {"-q", "10.1.2.3", "cidr:e.cidr"},
		{"-q", "abc", "regexp:r.regexp"}, {"-q", "abc", "pcre:r.regexp"},
		{"-q", "a", "inline:{a=b}"}, {"-q", "a", "texthash:src"},
		{"-q", "a", "unionmap:{cdb:src,inline:{a=b}}"}, {"-q", "a", "pipemap:{inline:{a=b},inline:{b=c}}"},
	}
	for _, args := range commands {
		var got [2]string
		for i, prog := range []string{realPostmap, ours} {
			r := run(t, 20*time.Second, "", "/bin/sh", "-c", "cd "+dir+" && exec "+prog+" -v -c "+cf+" "+shellQuote(args))
			var keep []string
			for _, line := range strings.Split(r.stderr, "\n") {
				if !startupLine(line) {
					keep = append(keep, line)
				}
			}
			got[i] = strings.Join(keep, "\n") + r.stdout + "rc=" + strconv.Itoa(r.status)
		}
		if got[0] != got[1] {
			t.Errorf("postmap -v %v:\nreal %q\nours %q", args, got[0], got[1])
		}
	}
}

func shellQuote(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}
