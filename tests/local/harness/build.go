package harness

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// Build compiles our programs (module-relative package paths such as
// "./cmd/local") into a temporary directory and returns name -> binary.
func Build(t *testing.T, pkgs ...string) map[string]string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	modRoot := filepath.Join(filepath.Dir(file), "..", "..", "..")
	dir := t.TempDir()
	os.Chmod(dir, 0755)
	args := append([]string{"build", "-o", dir + "/"}, pkgs...)
	cmd := exec.Command("go", args...)
	cmd.Dir = modRoot
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	bins := map[string]string{}
	for _, p := range pkgs {
		name := filepath.Base(p)
		bins[name] = filepath.Join(dir, name)
	}
	return bins
}
