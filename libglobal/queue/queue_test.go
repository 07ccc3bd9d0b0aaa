package queue

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"gopostfix/libglobal/util/msg"
)

func TestIDs(t *testing.T) {
	if got := ShortID(415235, 9986739); got != "656039862B3" {
		t.Errorf("ShortID = %s", got)
	}
	if got := LongID(1795958621, 671867, 9986705); got != "4jcnsn4mSWz1SGXk" {
		t.Errorf("LongID = %s", got)
	}
	tests := []struct {
		id   string
		ino  uint64
		long bool
		ok   bool
	}{
		{"656039862B3", 9986739, false, true},
		{"4jcnsn4mSWz1SGXk", 9986705, true, true},
		{"75B9E", 0, false, true},
		{"75B9EXYZ", 0, false, false},
		{"4jcnsn4mSWz1SaXk", 0, true, false}, // 'a' is not in the alphabet
		{"ABCzQ1G", 0, false, false},         // z too early: short form, not hex
	}
	for _, tc := range tests {
		ino, long, ok := Inode(tc.id)
		if long != tc.long || ok != tc.ok || (ok && ino != tc.ino) {
			t.Errorf("Inode(%s) = %d %v %v", tc.id, ino, long, ok)
		}
	}
	if got := WithInode("656039862B3", 0x1234, false); got != "656031234" {
		t.Errorf("WithInode short = %s", got)
	}
	if got := WithInode("4jcnsn4mSWz1SGXk", 9986705, true); got != "4jcnsn4mSWz1SGXk" {
		t.Errorf("WithInode long = %s", got)
	}
	if got := WithInode("4jcnsn4mSWz1SGXk", 0x98, false); got != "A407B98" {
		t.Errorf("WithInode long to short = %s", got)
	}
	if v, ok := DecodeSafe("4mSW", 52); !ok || v != 671867 {
		t.Errorf("DecodeSafe = %d %v", v, ok)
	}
	for _, s := range []string{"0x1F", " 1F", "-1"} {
		if _, ok := strtoul16(s); !ok {
			t.Errorf("strtoul16(%q) should parse as C does", s)
		}
	}
}

func TestPaths(t *testing.T) {
	l := DefaultLayout("")
	tests := []struct{ queue, id, want string }{
		{"deferred", "75B9E98626B", "deferred/7/75B9E98626B"},
		{"defer", "C577898645E", "defer/C/C577898645E"},
		{"DEFER", "C577898645E", "DEFER/C/C577898645E"},
		{"deferred", "4jcnsn4mSWz1SGXk", "deferred/A/4jcnsn4mSWz1SGXk"},
		{"incoming", "75B9E98626B", "incoming/75B9E98626B"},
		{"hold", "7027A9861C6", "hold/7027A9861C6"},
	}
	for _, tc := range tests {
		if got := l.Path(tc.queue, tc.id); got != tc.want {
			t.Errorf("Path(%s, %s) = %s, want %s", tc.queue, tc.id, got, tc.want)
		}
	}
	l.HashDepth = 2
	l.HashNames = SplitNames("deferred,\tdefer hold")
	for id, want := range map[string]string{"75B9E98626B": "deferred/7/5/75B9E98626B",
		"4jcnsn4mSWz1SGXk": "deferred/A/4/4jcnsn4mSWz1SGXk", "flush_x": "deferred/f/l/flush_x"} {
		if got := l.Path("deferred", id); got != want {
			t.Errorf("depth 2: Path(%s) = %s, want %s", id, got, want)
		}
	}
	l.HashDepth = 3
	if got := l.Path("hold", "AB"); got != "hold/A/B/_/AB" {
		t.Errorf("short name = %s", got)
	}
}

func TestNames(t *testing.T) {
	for name, ok := range map[string]bool{"deferred": true, "": false, "a/b": false, strings.Repeat("a", 101): false} {
		if NameOK(name) != ok {
			t.Errorf("NameOK(%q)", name)
		}
	}
	for id, ok := range map[string]bool{"75B9E98626B": true, "example_com": true, "a.b": false, "": false, strings.Repeat("A", 256): false} {
		if IDOK(id) != ok {
			t.Errorf("IDOK(%q)", id)
		}
	}
}

func TestEnterShortAndLong(t *testing.T) {
	for _, long := range []bool{false, true} {
		dir := t.TempDir()
		l := DefaultLayout(dir)
		l.LongIDs = long
		os.Mkdir(filepath.Join(dir, "deferred"), 0700)
		clock := time.Date(2026, 11, 29, 13, 23, 41, 671867000, time.UTC)
		e, err := l.Enter(msg.Discard(), "deferred", 0600, func() time.Time { return clock })
		if err != nil {
			t.Fatal(err)
		}
		var st syscall.Stat_t
		syscall.Fstat(int(e.File.Fd()), &st)
		e.File.Close()
		want := ShortID(671867, st.Ino)
		if long {
			want = LongID(clock.Unix(), 671867, st.Ino)
		}
		if e.ID != want || e.Path != l.Path("deferred", want) {
			t.Errorf("long=%v: id %s path %s, want %s", long, e.ID, e.Path, want)
		}
		fi, err := os.Stat(filepath.Join(dir, e.Path))
		if err != nil || fi.Mode().Perm() != 0600 {
			t.Errorf("queue file: %v %v", fi, err)
		}
		if !strings.HasPrefix(e.Path, "deferred/A/") {
			t.Errorf("hash directory of %s", e.Path)
		}
	}
}

func TestScanAndOpenOK(t *testing.T) {
	dir := t.TempDir()
	l := DefaultLayout(dir)
	files := map[string]os.FileMode{"deferred/7/75B9E98626B": 0700, "deferred/C/C577898645E": 0600, "deferred/ABC": 0700}
	for p, m := range files {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0700)
		os.WriteFile(filepath.Join(dir, p), nil, m)
		os.Chmod(filepath.Join(dir, p), m)
	}
	s, err := l.Scan("deferred")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		p, err := s.NextFile()
		if err != nil {
			t.Fatal(err)
		}
		if p == "" {
			break
		}
		got = append(got, p)
	}
	sort.Strings(got)
	if strings.Join(got, " ") != "deferred/7/75B9E98626B deferred/ABC deferred/C/C577898645E" {
		t.Errorf("scan: %v", got)
	}
	var capture msg.Capture
	log := msg.New(&capture)
	if _, _, ok := l.OpenOK(log, "deferred", "75B9E98626B"); !ok {
		t.Error("ready file not OK")
	}
	if _, _, ok := l.OpenOK(log, "deferred", "C577898645E"); ok {
		t.Error("file without owner x is OK")
	}
	if _, _, ok := l.OpenOK(log, "deferred", "7"); ok {
		t.Error("directory is OK")
	}
	os.Mkdir(filepath.Join(dir, "deferred/N"), 0700)
	os.Mkdir(filepath.Join(dir, "deferred/N/NODIR"), 0700)
	if _, _, ok := l.OpenOK(log, "deferred", "NODIR"); ok {
		t.Error("directory is OK")
	}
	if capture.String() != "warning: deferred/N/NODIR: uid 0: not a regular file\n" && os.Getuid() == 0 {
		t.Errorf("warnings: %q", capture.String())
	}
}

func TestMoveCreatesHashDirs(t *testing.T) {
	dir := t.TempDir()
	l := DefaultLayout(dir)
	os.Mkdir(filepath.Join(dir, "hold"), 0700)
	os.Mkdir(filepath.Join(dir, "deferred"), 0700)
	os.WriteFile(filepath.Join(dir, "hold/7027A9861C6"), []byte("x"), 0700)
	if err := l.Move("7027A9861C6", Hold, Deferred); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, "deferred/7"))
	if err != nil || fi.Mode().Perm() != 0700 {
		t.Fatalf("hash dir: %v %v", fi, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "deferred/7/7027A9861C6")); err != nil {
		t.Fatal(err)
	}
}

func TestLock(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	os.WriteFile(p, nil, 0600)
	a, _ := os.Open(p)
	b, _ := os.Open(p)
	defer a.Close()
	defer b.Close()
	if err := LockFile(a, LockExclusive|LockNoWait); err != nil {
		t.Fatal(err)
	}
	if err := LockFile(b, LockExclusive|LockNoWait); err != ErrLocked {
		t.Fatalf("second lock: %v", err)
	}
	UnlockFile(a)
	if err := LockFile(b, LockShared|LockNoWait); err != nil {
		t.Fatal(err)
	}
}

// TestStrerror compares with glibc's texts (testdata made with strerror(3)).
func TestStrerror(t *testing.T) {
	f, err := os.Open("testdata/strerror-glibc.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		num, text, _ := strings.Cut(sc.Text(), " ")
		n, _ := strconv.Atoi(num)
		if got := Strerror(syscall.Errno(n)); got != text {
			t.Errorf("errno %d: %q, want %q", n, got, text)
		}
	}
}
