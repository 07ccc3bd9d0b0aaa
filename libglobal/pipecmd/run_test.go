package pipecmd

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"gopostfix/libglobal/mbox"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/msg"
)

// queueFile writes a queue file holding just the message content
// records and returns it positioned at the start.
func queueFile(t *testing.T, lines ...string) *os.File {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "qf"))
	if err != nil {
		t.Fatal(err)
	}
	w := record.NewWriter(f, 0)
	for _, l := range lines {
		w.PutString(record.Norm, l)
	}
	if err := w.PutString(record.Xtra, ""); err != nil {
		t.Fatal(err)
	}
	f.Seek(0, 0)
	return f
}

func TestRun(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Fatal("the test needs root: commands run as nobody")
	}
	dir, err := os.MkdirTemp("", "pipecmd")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0777)
	out := filepath.Join(dir, "out")
	tests := []struct {
		name   string
		argv   []string
		line   string
		limit  time.Duration
		status Status
		dsn    string // status and reason
		warn   string
	}{
		{"ok", []string{"/bin/sh", "-c", "cat > " + out + "; echo done"}, "", time.Minute, OK, " done ", ""},
		{"tempfail", []string{"/bin/sh", "-c", "cat >/dev/null; echo busy; exit 75"}, "", time.Minute, Defer,
			"4.3.0 temporary failure. Command output: busy ", ""},
		{"dsn text", []string{"/bin/sh", "-c", "printf '5.1.1\\tno such\\001user'; exit 1"}, "", time.Minute, Bounce,
			"5.1.1 no such_user", ""},
		{"unknown code", []string{"/bin/sh", "-c", "exit 3"}, "", time.Minute, Bounce,
			"5.3.0 Command died with status 3: \"/bin/sh\"", ""},
		{"signal", []string{"/bin/sh", "-c", "kill -9 $$"}, "", time.Minute, Defer,
			"4.3.0 Command died with signal 9: \"/bin/sh\"", ""},
		{"slow", []string{"/bin/sleep", "10"}, "", 300 * time.Millisecond, Bounce,
			"5.3.0 Command time limit exceeded: \"/bin/sleep\"", "warning: pipe_command_read: read time limit exceeded"},
		{"missing", []string{"nonexistent-program"}, "", time.Minute, Defer,
			"4.3.0 temporary failure. Command output: test: fatal: pipe_command: execvp nonexistent-program: No such file or directory ",
			"fatal: pipe_command: execvp nonexistent-program: No such file or directory"},
		{"shell line", nil, "exit 67", time.Minute, Bounce, "5.1.1 user unknown", ""},
		{"plain line", nil, "true", time.Minute, OK, " ", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cap := &msg.Capture{}
			qf := queueFile(t, "Subject: test", "", "From me", ".dot")
			defer qf.Close()
			st, d := Run(&Command{Argv: tc.argv, Line: tc.line, UID: 65534, GID: 65534, TimeLimit: tc.limit,
				ProcName: "test", Log: msg.New(cap), Export: []string{"TZ", "X=1"},
				Copy: mbox.CopyArgs{Sender: "s@example.com", Src: qf, Flags: mbox.CopyReturnPath | mbox.CopyQuote, EOL: "\n"}})
			if got := strings.TrimSpace(d.Status + " " + d.Reason); st != tc.status || got != strings.TrimSpace(tc.dsn) {
				t.Errorf("got %d %q, want %d %q", st, got, tc.status, tc.dsn)
			}
			if tc.status == OK && d.Reason != tc.dsn[1:] {
				t.Errorf("output %q, want %q", d.Reason, tc.dsn[1:])
			}
			if got := strings.Join(cap.Lines, "\n"); got != tc.warn {
				t.Errorf("log %q, want %q", got, tc.warn)
			}
		})
	}
	data, _ := os.ReadFile(out)
	if want := "Return-Path: <s@example.com>\nSubject: test\n\n>From me\n.dot\n"; string(data) != want {
		t.Errorf("command input %q, want %q", data, want)
	}
}

func TestEnviron(t *testing.T) {
	t.Setenv("TZ", "UTC")
	t.Setenv("SECRET", "x")
	tests := []struct {
		export, extra []string
		want          string
	}{
		// pipe(8) and local(8): settings override, extra variables last.
		{[]string{"TZ", "SECRET2", "LANG=C", "TZ=Europe/Paris"}, []string{"HOME", "/h", "PATH", "/x"},
			"TZ=Europe/Paris LANG=C PATH=/x HOME=/h"},
		// spawn(8): no extra variables.
		{[]string{"TZ", "FOO=bar", "MISSING"}, nil, "TZ=UTC FOO=bar PATH=/usr/bin:/bin"},
	}
	for _, tt := range tests {
		if got := Environ(tt.export, tt.extra); strings.Join(got, " ") != tt.want {
			t.Errorf("Environ(%q, %q) = %q, want %q", tt.export, tt.extra, got, tt.want)
		}
	}
}

func TestCommandArgv(t *testing.T) {
	tests := []struct {
		line, shell string
		path        string
		argv        string
	}{
		{"cat -", "", "/usr/bin/cat", "cat|-"},
		{"cat > x", "", "/bin/sh", "sh|-c|cat > x"},
		{"no-such-program x", "", "/bin/sh", "sh|-c|no-such-program x"},
		{"/no/such x", "", "/no/such", "/no/such|x"},
		{"anything $HOME", "/bin/bash -e", "/bin/bash", "/bin/bash|-e|anything $HOME"},
	}
	for _, tc := range tests {
		path, argv, _ := commandArgv(tc.line, tc.shell, "")
		if path != tc.path || strings.Join(argv, "|") != tc.argv {
			t.Errorf("%q: %s %q, want %s %q", tc.line, path, argv, tc.path, tc.argv)
		}
	}
}

func TestLookPath(t *testing.T) {
	root := t.TempDir()
	for _, f := range []struct {
		path string
		mode os.FileMode
	}{{"/usr/bin/noexec", 0o644}, {"/bin/prog", 0o755}, {"/usr/bin/both", 0o644}, {"/bin/both", 0o755}} {
		os.MkdirAll(filepath.Dir(root+f.path), 0o755)
		if err := os.WriteFile(root+f.path, nil, f.mode); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, want string
		err        error
	}{
		{"prog", "/bin/prog", nil},
		{"both", "/bin/both", nil},
		{"noexec", "", syscall.EACCES},
		{"missing", "", syscall.ENOENT},
		{"./rel/x", "./rel/x", nil},
	}
	for _, tt := range tests {
		got, err := LookPath(tt.name, root)
		if got != tt.want || err != tt.err {
			t.Errorf("LookPath(%q) = %q, %v; want %q, %v", tt.name, got, err, tt.want, tt.err)
		}
	}
}
