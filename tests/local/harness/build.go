package harness

import (
	"path/filepath"
	"testing"

	"gopostfix/tests/internal/instance"
)

// Build compiles our programs (module-relative package paths such as
// "./cmd/local") into a directory removed with the test and returns
// name -> binary.
func Build(t *testing.T, pkgs ...string) map[string]string {
	t.Helper()
	names := make([]string, len(pkgs))
	for i, p := range pkgs {
		names[i] = filepath.Base(p)
	}
	progs := instance.NewPrograms(names...)
	t.Cleanup(progs.Remove)
	return progs.Map(t)
}
