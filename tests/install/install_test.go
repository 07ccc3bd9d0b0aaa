// Package install checks "make install" end to end: it installs into a
// scratch DESTDIR with PREFIX=/usr and compares the result with the real
// Postfix package of this machine (dpkg -L postfix and the files it
// lists): every program of cmd/ under the same path with the same file
// type, mode, owner and group (postdrop, postqueue and postlog set-gid
// postdrop, as separate files), the same hard links (lmtp and smtp, nqmgr
// and qmgr) and symbolic links (mailq and newaliases to sendmail), and a
// manual page for each page of man/ where the package has one of that
// name.
//
// Deliberate differences from the Debian package, which the test allows:
// pages are not compressed, section 8 pages are called NAME.8 (Debian
// renames them NAME.8postfix), and Debian's extra /usr/lib/sendmail link
// is not made.
package install

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

const root = "../.."

// programDirs are the directories of the real package that hold programs.
var programDirs = []string{"/usr/sbin", "/usr/bin", "/usr/lib/postfix/sbin"}

func TestMakeInstall(t *testing.T) {
	real := dpkgList(t)
	dest, bin := t.TempDir(), t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 9*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "make", "-C", root, "install", "DESTDIR="+dest, "BIN="+bin, "PREFIX=/usr")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make install: %v\n%s", err, out)
	}
	progs := programs(t)

	t.Run("programs", func(t *testing.T) {
		for name := range progs {
			path, ok := realProgram(real, name)
			if !ok {
				t.Errorf("cmd/%s: the real package installs no program of that name", name)
				continue
			}
			compareFile(t, path, filepath.Join(dest, path))
		}
	})
	t.Run("links", func(t *testing.T) {
		for _, path := range real {
			if !inProgramDir(path) || progs[filepath.Base(path)] {
				continue
			}
			compareLink(t, real, progs, path, dest)
		}
	})
	t.Run("setgid", func(t *testing.T) {
		for name := range progs {
			path, _ := realProgram(real, name)
			st, err := os.Lstat(path)
			if err != nil || st.Mode()&os.ModeSetgid == 0 {
				continue
			}
			var ours syscall.Stat_t
			if err := syscall.Lstat(filepath.Join(dest, path), &ours); err != nil {
				t.Errorf("%s: %v", name, err)
			} else if ours.Nlink != 1 {
				t.Errorf("%s: set-gid program has %d links, want a separate file", name, ours.Nlink)
			}
		}
	})
	t.Run("manpages", func(t *testing.T) {
		comparePages(t, real, progs, dest)
	})
}

// dpkgList returns the paths the real postfix package installs.
func dpkgList(t *testing.T) []string {
	out, err := exec.Command("dpkg", "-L", "postfix").Output()
	if err != nil {
		t.Fatalf("dpkg -L postfix (the real Postfix is the reference; make deps installs it): %v", err)
	}
	return strings.Fields(string(out))
}

// programs returns the names of the programs in cmd/.
func programs(t *testing.T) map[string]bool {
	mains, err := filepath.Glob(filepath.Join(root, "cmd", "*", "main.go"))
	if err != nil || len(mains) == 0 {
		t.Fatalf("no programs in cmd/: %v", err)
	}
	progs := map[string]bool{}
	for _, m := range mains {
		progs[filepath.Base(filepath.Dir(m))] = true
	}
	return progs
}

func inProgramDir(path string) bool {
	for _, d := range programDirs {
		if filepath.Dir(path) == d {
			return true
		}
	}
	return false
}

// realProgram finds the regular file the package installs for a program.
func realProgram(real []string, name string) (string, bool) {
	for _, p := range real {
		if filepath.Base(p) != name || !inProgramDir(p) {
			continue
		}
		if st, err := os.Lstat(p); err == nil && st.Mode().IsRegular() {
			return p, true
		}
	}
	return "", false
}

// compareFile compares type, permission bits, owner and group.
func compareFile(t *testing.T, realPath, ourPath string) {
	t.Helper()
	var r, o syscall.Stat_t
	if err := syscall.Lstat(realPath, &r); err != nil {
		t.Errorf("%s: %v", realPath, err)
		return
	}
	if err := syscall.Lstat(ourPath, &o); err != nil {
		t.Errorf("%s not installed: %v", realPath, err)
		return
	}
	if r.Mode != o.Mode || r.Uid != o.Uid || r.Gid != o.Gid {
		t.Errorf("%s: ours mode %o uid %d gid %d, real mode %o uid %d gid %d",
			realPath, o.Mode, o.Uid, o.Gid, r.Mode, r.Uid, r.Gid)
	}
}

// compareLink checks another name of one of our programs: a symbolic
// link must resolve to the same path, a hard link must share the inode of
// the same program.
func compareLink(t *testing.T, real []string, progs map[string]bool, path, dest string) {
	st, err := os.Lstat(path)
	if err != nil {
		return
	}
	ours := filepath.Join(dest, path)
	if st.Mode()&os.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(path)
		if err != nil || !progs[filepath.Base(target)] {
			return
		}
		if ost, err := os.Lstat(ours); err != nil || ost.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s: ours is not a symbolic link (%v)", path, err)
			return
		}
		ourTarget, err := filepath.EvalSymlinks(ours)
		if err != nil {
			t.Errorf("%s: our link: %v", path, err)
		} else if rel, _ := filepath.Rel(dest, ourTarget); "/"+rel != target {
			t.Errorf("%s: ours points to /%s, the real one to %s", path, rel, target)
		}
		return
	}
	for name := range progs {
		prog, ok := realProgram(real, name)
		if !ok || filepath.Dir(prog) != filepath.Dir(path) {
			continue
		}
		pst, err := os.Lstat(prog)
		if err != nil || !os.SameFile(st, pst) {
			continue
		}
		ost, err := os.Lstat(ours)
		if err != nil {
			t.Errorf("%s (a hard link to %s) not installed: %v", path, name, err)
			continue
		}
		if opst, err := os.Lstat(filepath.Join(dest, prog)); err != nil || !os.SameFile(ost, opst) {
			t.Errorf("%s: ours is not a hard link to %s", path, name)
		}
	}
}

// comparePages checks that every page of man/ is installed with mode 0644
// and its content, and that the real package has a page of the same name
// and section; and that every real section 1 or 8 page of one of our
// programs is installed.
func comparePages(t *testing.T, real []string, progs map[string]bool, dest string) {
	realPages := map[string]bool{} // "man8/smtp.8"
	for _, p := range real {
		dir, file := filepath.Base(filepath.Dir(p)), filepath.Base(p)
		if !strings.HasPrefix(filepath.Dir(p), "/usr/share/man/man") {
			continue
		}
		file = strings.TrimSuffix(file, ".gz")
		file = strings.TrimSuffix(file, "postfix") // Debian's NAME.8postfix
		realPages[dir+"/"+file] = true
	}
	ours, err := filepath.Glob(filepath.Join(root, "man", "*.[158]"))
	if err != nil || len(ours) == 0 {
		t.Fatalf("no pages in man/: %v", err)
	}
	for _, src := range ours {
		file := filepath.Base(src)
		rel := "man" + file[len(file)-1:] + "/" + file
		if !realPages[rel] {
			t.Errorf("man/%s: the real package has no page %s", file, rel)
		}
		want, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dest, "/usr/share/man", rel)
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: not installed as man/%s (%v)", rel, file, err)
			continue
		}
		if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want 0644", rel, st.Mode())
		}
	}
	for rel := range realPages {
		file := filepath.Base(rel)
		if rel[:4] != "man5" && progs[strings.TrimSuffix(file, filepath.Ext(file))] {
			if _, err := os.Stat(filepath.Join(dest, "/usr/share/man", rel)); err != nil {
				t.Errorf("real page %s of one of our programs is not installed (does the program have a doc comment, and did make man run?): %v", rel, err)
			}
		}
	}
}
