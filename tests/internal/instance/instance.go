package instance

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Options describe an instance. Text in Main, Master and Files has
// @ROOT@ replaced by the instance directory.
type Options struct {
	// Prefix starts the name of the temporary instance directory.
	Prefix string
	// Main is appended to the standard path settings of main.cf.
	Main string
	// Master is master.cf; empty means MasterCF.
	Master string
	// Files are written relative to the instance directory after
	// main.cf and master.cf (so they may replace them), in name order.
	Files map[string]string
	// Aliases and Maps are files (relative to the instance) built with
	// the instance's postalias and postmap before master starts; a
	// missing file is created empty.
	Aliases, Maps []string
	// Ours maps program names to our binaries. A name of the real
	// daemon or command directory replaces the real program there;
	// "master" selects the master program; any other name is added to
	// daemon_directory.
	Ours map[string]string
	// NoStart leaves master stopped (call Start).
	NoStart bool
}

// Instance is one scratch Postfix.
type Instance struct {
	t    testing.TB
	Root string
	pid  int
	ours map[string]string
}

// New creates an instance and, unless opts.NoStart, starts its master.
func New(t testing.TB, opts Options) *Instance {
	t.Helper()
	RequireRealPostfix(t)
	prefix := opts.Prefix
	if prefix == "" {
		prefix = "pfxinst"
	}
	root, err := os.MkdirTemp("", prefix)
	if err != nil {
		t.Fatal(err)
	}
	in := &Instance{t: t, Root: root, ours: opts.Ours}
	t.Cleanup(in.Stop)
	os.Chmod(root, 0755)
	for _, d := range []string{"etc", "queue", "data", "log", "spool", "libexec", "bin", "fwd", "out"} {
		if err := os.MkdirAll(in.Path(d), 0755); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"spool", "out"} {
		os.Chmod(in.Path(d), 0777|os.ModeSticky)
	}
	uid, gid := UserID(t, "postfix"), GroupID(t, "postdrop")
	if err := os.Chown(in.Path("data"), uid, -1); err != nil {
		t.Fatal(err)
	}
	in.makeQueue(uid, gid)
	in.linkPrograms()
	master := opts.Master
	if master == "" {
		master = MasterCF
	}
	in.Write("etc/main.cf", in.sub(pathsCF+opts.Main))
	in.Write("etc/master.cf", in.sub(master))
	names := make([]string, 0, len(opts.Files))
	for n := range opts.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		os.MkdirAll(filepath.Dir(in.Path(n)), 0755)
		in.Write(n, in.sub(opts.Files[n]))
	}
	for _, tbl := range opts.Aliases {
		in.BuildTable("postalias", tbl)
	}
	for _, tbl := range opts.Maps {
		in.BuildTable("postmap", tbl)
	}
	if !opts.NoStart {
		in.Start()
	}
	return in
}

func (in *Instance) sub(s string) string { return strings.ReplaceAll(s, "@ROOT@", in.Root) }

// linkPrograms fills daemon_directory (libexec) and command_directory
// (bin) with links to the real programs or to ours.
func (in *Instance) linkPrograms() {
	in.t.Helper()
	isCommand := map[string]bool{}
	for _, c := range commands {
		isCommand[c] = true
		in.link("bin", c, filepath.Join(RealCommandDir, c))
	}
	ents, err := os.ReadDir(RealDaemonDir)
	if err != nil {
		in.t.Fatalf("the real Postfix is not installed: %v", err)
	}
	for _, e := range ents {
		in.link("libexec", e.Name(), filepath.Join(RealDaemonDir, e.Name()))
	}
	for name := range in.ours {
		if name != "master" && !isCommand[name] {
			if _, err := os.Lstat(in.Path("libexec/" + name)); err != nil {
				in.link("libexec", name, in.ours[name])
			}
		}
	}
}

// link makes dir/name point to our program of that name, or to target.
func (in *Instance) link(dir, name, target string) {
	if p, ok := in.ours[name]; ok {
		target = p
	} else if p, ok := in.ours["sendmail"]; ok && (name == "mailq" || name == "newaliases") {
		target = p
	}
	if err := os.Symlink(target, in.Path(dir+"/"+name)); err != nil {
		in.t.Fatal(err)
	}
}

// Program is the path of a program as the instance runs it: ours or
// the real one.
func (in *Instance) Program(name string) string {
	if p, ok := in.ours[name]; ok {
		return p
	}
	for _, c := range commands {
		if c == name {
			return filepath.Join(RealCommandDir, name)
		}
	}
	return filepath.Join(RealDaemonDir, name)
}

// Ours reports whether the instance runs our program name.
func (in *Instance) Ours(name string) bool {
	_, ok := in.ours[name]
	return ok
}

// BuildTable runs the instance's postmap or postalias on a file
// relative to the instance, creating it empty when it is missing.
func (in *Instance) BuildTable(cmd, rel string) {
	in.t.Helper()
	if _, err := os.Stat(in.Path(rel)); err != nil {
		in.Write(rel, "")
	}
	in.Run(cmd, "-c", in.Path("etc"), in.Path(rel))
}

// Start runs master with -w, which returns once master is up.
func (in *Instance) Start() {
	in.t.Helper()
	in.Run(in.Program("master"), "-c", in.Path("etc"), "-w")
	data, err := os.ReadFile(in.Path("queue/pid/master.pid"))
	if err != nil {
		in.t.Fatal(err)
	}
	in.pid, _ = strconv.Atoi(strings.TrimSpace(string(data)))
	if in.pid <= 1 {
		in.t.Fatalf("bad master pid %q", data)
	}
}

// PID is master's process id (0 when stopped).
func (in *Instance) PID() int { return in.pid }

// Reload makes master re-read its configuration (SIGHUP).
func (in *Instance) Reload() {
	if in.pid > 1 {
		syscall.Kill(in.pid, syscall.SIGHUP)
	}
}

// Halt stops master by its exact pid (StopMaster).
func (in *Instance) Halt() {
	pid := in.pid
	in.pid = 0
	StopMaster(pid)
}

// StopMaster stops a master process by its exact pid: SIGTERM, at most
// ten seconds of waiting, then SIGKILL to its process group.
func StopMaster(pid int) {
	if pid <= 1 {
		return
	}
	syscall.Kill(pid, syscall.SIGTERM)
	if !WaitFor(10*time.Second, func() bool { return !Alive(pid) }) {
		syscall.Kill(-pid, syscall.SIGKILL)
		syscall.Kill(pid, syscall.SIGKILL)
	}
}

// Stop halts master and removes the instance unless the test failed.
func (in *Instance) Stop() {
	in.Halt()
	if in.t.Failed() {
		in.t.Logf("instance kept in %s", in.Root)
		return
	}
	os.RemoveAll(in.Root)
}

// Path is a path inside the instance.
func (in *Instance) Path(rel string) string { return filepath.Join(in.Root, rel) }

// Write writes a file inside the instance (mode 0644).
func (in *Instance) Write(rel, content string) {
	in.t.Helper()
	if err := os.WriteFile(in.Path(rel), []byte(content), 0644); err != nil {
		in.t.Fatal(err)
	}
}

// Read returns a file inside the instance, "" when it is missing.
func (in *Instance) Read(rel string) string {
	data, _ := os.ReadFile(in.Path(rel))
	return string(data)
}

// Maillog returns the log so far.
func (in *Instance) Maillog() string { return in.Read("log/maillog") }

// Mailbox returns the mbox file of a local user.
func (in *Instance) Mailbox(user string) string { return in.Read("spool/" + user) }
