package instance

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// Programs is a set of our commands, built once per test binary into a
// temporary directory. A test package declares one and removes the
// binaries in TestMain:
//
//	var ours = instance.Programs("cleanup", "qmgr")
//
//	func TestMain(m *testing.M) { os.Exit(ours.Main(m)) }
type Programs struct {
	names []string
	once  sync.Once
	dir   string
	err   error
}

// NewPrograms names the cmd/ programs to build.
func NewPrograms(names ...string) *Programs { return &Programs{names: names} }

// Dir builds the programs on first use and returns their directory;
// a build failure fails the test.
func (p *Programs) Dir(t testing.TB) string {
	t.Helper()
	p.once.Do(func() {
		p.dir, p.err = os.MkdirTemp("", "gopfxbin")
		if p.err != nil {
			return
		}
		os.Chmod(p.dir, 0755)
		args := []string{"build", "-o", p.dir + "/"}
		for _, n := range p.names {
			args = append(args, "gopostfix/cmd/"+n)
		}
		if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
			p.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if p.err != nil {
		t.Fatal(p.err)
	}
	return p.dir
}

// Path returns the binary of one of the programs.
func (p *Programs) Path(t testing.TB, name string) string {
	return filepath.Join(p.Dir(t), name)
}

// Map returns name -> binary for the named programs (all when none is
// named), the form Options.Ours takes.
func (p *Programs) Map(t testing.TB, names ...string) map[string]string {
	if len(names) == 0 {
		names = p.names
	}
	m := map[string]string{}
	for _, n := range names {
		m[n] = p.Path(t, n)
	}
	return m
}

// Remove deletes the built binaries.
func (p *Programs) Remove() {
	if p.dir != "" {
		os.RemoveAll(p.dir)
	}
}

// Main runs the tests and then removes the binaries; it returns the
// exit code for os.Exit.
func (p *Programs) Main(m *testing.M) int {
	code := m.Run()
	p.Remove()
	return code
}
