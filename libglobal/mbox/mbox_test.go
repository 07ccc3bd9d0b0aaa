package mbox

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/msg"
)

// golden is a message as the real local(8) wrote it: the prepended lines
// (From_, Return-Path, X-Original-To, Delivered-To) and the content.
type golden struct {
	from, returnPath, origTo, deliveredTo string
	content                               []string
	when                                  time.Time
}

// parseGolden splits a delivered message; unquote turns a ">From " line
// of the content back into what was submitted.
func parseGolden(t *testing.T, path string, hasFrom bool, unquote map[string]bool) golden {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
	var g golden
	if hasFrom {
		g.from = lines[0]
		lines = lines[1:]
		f := strings.Fields(g.from)
		tm, err := time.ParseInLocation("Mon Jan _2 15:04:05 2006", strings.Join(f[2:], " "), time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		g.when = tm
		lines = lines[:len(lines)-1] // the blank separator
	}
	for len(lines) > 0 {
		switch {
		case strings.HasPrefix(lines[0], "Return-Path: <"):
			g.returnPath = strings.TrimSuffix(strings.TrimPrefix(lines[0], "Return-Path: <"), ">")
		case strings.HasPrefix(lines[0], "X-Original-To: "):
			g.origTo = strings.TrimPrefix(lines[0], "X-Original-To: ")
		case strings.HasPrefix(lines[0], "Delivered-To: ") && g.deliveredTo == "":
			g.deliveredTo = strings.TrimPrefix(lines[0], "Delivered-To: ")
		default:
			for _, l := range lines {
				if unquote[l] {
					l = l[1:]
				}
				g.content = append(g.content, l)
			}
			return g
		}
		lines = lines[1:]
	}
	return g
}

// queueFile writes content records (as cleanup stores them) followed by
// the end of content, and returns the file positioned at the content.
func queueFile(t *testing.T, content []string, end byte) *os.File {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "qf")
	if err != nil {
		t.Fatal(err)
	}
	w := record.NewWriter(f, 0)
	for _, l := range content {
		w.PutString(record.Norm, l)
	}
	if end != 0 {
		w.PutString(end, "")
		w.PutString(record.End, "")
	}
	if w.Err() != nil {
		t.Fatal(w.Err())
	}
	f.Seek(0, 0)
	return f
}

func TestCopyGolden(t *testing.T) {
	defer func(l *time.Location) { time.Local = l }(time.Local)
	time.Local = time.UTC
	tests := []struct {
		file    string
		flags   int
		hasFrom bool
		unquote map[string]bool
	}{
		{"testdata/file-delivery.mbox", CopyMbox, true, nil},
		{"testdata/mbox-msg-local-submission.eml", CopyMbox, true, map[string]bool{">From the start of a line": true}},
		// A command gets the From_ line but no quoting and no blank line.
		{"testdata/pipe-command-input.txt", CopyFrom | CopyReturnPath | CopyOrigRcpt | CopyDelivered, true, nil},
	}
	for _, tc := range tests {
		want, _ := os.ReadFile(tc.file)
		g := parseGolden(t, tc.file, tc.hasFrom, tc.unquote)
		if tc.flags&CopyBlank == 0 {
			// no separator line was there to strip
			g = parseGoldenNoBlank(t, tc.file, tc.unquote)
		}
		src := queueFile(t, g.content, record.Xtra)
		out := filepath.Join(t.TempDir(), "mbox")
		dst, _ := os.Create(out)
		stat, why := Copy(CopyArgs{Sender: g.returnPath, OrigRcpt: g.origTo, Delivered: g.deliveredTo,
			EnableOrigRcpt: true, Src: src, Flags: tc.flags, EOL: "\n", Now: g.when}, dst)
		if stat != 0 || why != nil {
			t.Fatalf("%s: Copy = %d, %v", tc.file, stat, why)
		}
		got, _ := os.ReadFile(out)
		if !bytes.Equal(got, want) {
			t.Errorf("%s:\ngot:\n%s\nwant:\n%s", tc.file, got, want)
		}
	}
}

func parseGoldenNoBlank(t *testing.T, path string, unquote map[string]bool) golden {
	raw, _ := os.ReadFile(path)
	tmp := filepath.Join(t.TempDir(), "g")
	os.WriteFile(tmp, append(raw, '\n'), 0644)
	return parseGolden(t, tmp, true, unquote)
}

func TestCopyCorruptTruncates(t *testing.T) {
	out := filepath.Join(t.TempDir(), "mbox")
	os.WriteFile(out, []byte("old mail\n"), 0600)
	dst, _ := os.OpenFile(out, os.O_WRONLY|os.O_APPEND, 0)
	src := queueFile(t, []string{"Subject: x", "", "body"}, 0) // no X record: damaged
	var warned string
	marked := false
	stat, _ := Copy(CopyArgs{Sender: "a@b", Src: src, Flags: CopyMbox, EOL: "\n", Now: time.Now(),
		MarkCorrupt: func() { marked = true },
		Warn:        func(f string, a ...any) { warned = f }}, dst)
	if stat&StatCorrupt == 0 || !marked || warned == "" {
		t.Errorf("stat %d marked %v warned %q", stat, marked, warned)
	}
	got, _ := os.ReadFile(out)
	if string(got) != "old mail\n" {
		t.Errorf("mailbox not restored: %q", got)
	}
}

func TestOpenLocks(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "user")
	p := LockParams{Tries: 2, Delay: time.Millisecond, Stale: time.Hour}
	log := msg.Discard()
	m, why := Open(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0600, -1, -1, LockDot|LockFcntl|LockFlock, "5.2.0", p, log)
	if why != nil {
		t.Fatal(why)
	}
	if _, err := os.Stat(path + ".lock"); err != nil {
		t.Errorf("no dot-lock: %v", err)
	}
	// A second delivery meets the dot-lock: try again later.
	_, why = Open(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0600, -1, -1, LockDot, "5.2.0", p, log)
	if why == nil || why.Status != "4.2.0" || why.Reason != "unable to create lock file "+path+".lock: File exists" {
		t.Errorf("busy dot-lock: %+v", why)
	}
	// flock is per open file: a second open cannot take it.
	_, why = Open(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0600, -1, -1, LockFlock, "5.2.0", p, log)
	if why == nil || why.Status != "4.2.0" || !strings.HasPrefix(why.Reason, "unable to lock for exclusive access: ") {
		t.Errorf("busy flock: %+v", why)
	}
	m.File.Close()
	m.Release()
	if _, err := os.Stat(path + ".lock"); !os.IsNotExist(err) {
		t.Errorf("dot-lock left behind")
	}
	// Hard links are refused.
	os.Link(path, path+"2")
	_, why = Open(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0600, -1, -1, 0, "5.2.0", p, log)
	if why == nil || why.Reason != "file has 2 hard links" || why.Errno != syscall.EPERM || why.Status != "5.2.0" {
		t.Errorf("hard link: %+v", why)
	}
}

func TestStaleDotLockIsRemoved(t *testing.T) {
	path := filepath.Join(t.TempDir(), "user")
	os.WriteFile(path+".lock", nil, 0)
	p := LockParams{Tries: 3, Delay: time.Millisecond, Stale: 0}
	time.Sleep(1100 * time.Millisecond) // ctime must be older than now - 0s
	if err := DotLock(path, p); err != nil {
		t.Errorf("stale lock not broken: %v", err)
	}
}

func TestParseLockMask(t *testing.T) {
	if m, err := ParseLockMask("fcntl, dotlock"); err != nil || m != LockFcntl|LockDot {
		t.Errorf("got %d %v", m, err)
	}
	if _, err := ParseLockMask("fcntl, lockf"); err == nil || err.Error() != `unknown mailbox_delivery_lock value "lockf" in "fcntl, lockf"` {
		t.Errorf("got %v", err)
	}
}

func TestSetFileLimitChecks(t *testing.T) {
	tests := []struct {
		limit, msg int64
		err        string
	}{
		{0, 0, ""},
		{100, 0, "configuration error: virtual_mailbox_limit is limited but message_size_limit is unlimited"},
		{100, 200, "configuration error: virtual_mailbox_limit is smaller than message_size_limit"},
	}
	for _, tc := range tests {
		err := SetFileLimit("virtual_mailbox_limit", tc.limit, tc.msg)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.err {
			t.Errorf("SetFileLimit(%d, %d) = %q, want %q", tc.limit, tc.msg, got, tc.err)
		}
	}
}
