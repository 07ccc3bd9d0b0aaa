package sasl

import (
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gopostfix/compat/bdb"
	"gopostfix/libglobal/sasl"
)

// TestSasldbFile reads a file written by saslpasswd2 with the reader
// smtpd uses (libglobal/sasl over compat/bdb) and compares the accounts
// with sasldblistusers2's listing of the same file.
func TestSasldbFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sasldb2")
	makeSasldb(t, path)
	open := func(p string) (sasl.DB, error) {
		db, err := bdb.OpenFile(p, bdb.Options{Kind: bdb.Hash, ReadOnly: true})
		if err != nil {
			return nil, err
		}
		return db, nil
	}
	out, err := exec.Command("sasldblistusers2", "-f", path).CombinedOutput()
	if err != nil {
		t.Fatalf("sasldblistusers2: %v\n%s", err, out)
	}
	var listed []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		listed = append(listed, strings.TrimSpace(l))
	}
	sort.Strings(listed)
	var found []string
	for _, a := range sasldbAccounts {
		pw, ok, err := sasl.SasldbPassword(open, path, a.user, a.realm)
		if err != nil || !ok || pw != a.pass {
			t.Errorf("%s@%s: %q %v %v, want %q", a.user, a.realm, pw, ok, err, a.pass)
		}
		found = append(found, a.user+"@"+a.realm+": userPassword")
	}
	sort.Strings(found)
	if strings.Join(found, "\n") != strings.Join(listed, "\n") {
		t.Errorf("sasldblistusers2 lists\n%s\nwe read\n%s", strings.Join(listed, "\n"), strings.Join(found, "\n"))
	}
	if _, ok, err := sasl.SasldbPassword(open, path, testUser, "nowhere.example"); ok || err != nil {
		t.Errorf("unknown realm: %v %v", ok, err)
	}
	if _, _, err := sasl.SasldbPassword(open, path+".none", testUser, testRealm); err == nil ||
		err.Error() != "unable to open Berkeley db "+path+".none: No such file or directory" {
		t.Errorf("missing file: %v", err)
	}
}
