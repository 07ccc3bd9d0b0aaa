package queue

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestRemoveOpen checks Remove (remove(3): unlink, rmdir only for a
// directory) and Open without O_CREATE against what is on disk.
func TestRemoveOpen(t *testing.T) {
	root := t.TempDir()
	l := &Layout{Root: root}
	for _, d := range []string{"active", "defer"} {
		if err := os.Mkdir(filepath.Join(root, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "active/FILE"), []byte("data"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(root, "active/DIR"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(root, "active/FULL"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "active/FULL/x"), nil, 0o600); err != nil {
		t.Fatal(err)
	}

	f, err := l.Open("active", "FILE", os.O_RDWR, 0)
	if err != nil {
		t.Fatalf("Open existing: %v", err)
	}
	buf := make([]byte, 8)
	n, _ := f.Read(buf)
	if string(buf[:n]) != "data" || f.Name() != filepath.Join(root, "active/FILE") {
		t.Errorf("Open read %q, name %q", buf[:n], f.Name())
	}
	if fl, _ := fcntlFlags(f); fl&syscall.O_NONBLOCK != 0 || fl&syscall.O_ACCMODE != syscall.O_RDWR {
		t.Errorf("Open flags %#x, want blocking O_RDWR", fl)
	}
	f.Close()
	_, err = l.Open("active", "MISSING", os.O_RDONLY, 0)
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Op != "open" || !errors.Is(err, syscall.ENOENT) {
		t.Errorf("Open missing: %v, want open PathError with ENOENT", err)
	}

	for _, tc := range []struct {
		id   string
		want error // nil: removed
	}{
		{"FILE", nil},
		{"DIR", nil},
		{"FULL", syscall.ENOTEMPTY},
		{"MISSING", syscall.ENOENT},
		{"FILE", syscall.ENOENT}, // already gone
	} {
		err := l.Remove("active", tc.id)
		if tc.want == nil {
			if err != nil {
				t.Errorf("Remove %s: %v", tc.id, err)
			}
			if _, serr := os.Lstat(filepath.Join(root, "active", tc.id)); serr == nil {
				t.Errorf("Remove %s: still there", tc.id)
			}
			continue
		}
		if !errors.As(err, &pe) || pe.Op != "remove" || !errors.Is(err, tc.want) {
			t.Errorf("Remove %s: %v, want remove PathError with %v", tc.id, err, tc.want)
		}
	}
}

func fcntlFlags(f *os.File) (int, error) {
	r, _, e := syscall.Syscall(syscall.SYS_FCNTL, f.Fd(), syscall.F_GETFL, 0)
	if e != 0 {
		return 0, e
	}
	return int(r), nil
}
