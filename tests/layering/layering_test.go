// Package layering checks the dependency rules of STYLE.md with `go list`:
// libglobal/util imports only the standard library and chosen modules;
// libglobal never imports libmaster, libtls, compat or cmd; libtls and
// libmaster do not import each other; compat is imported only by cmd; and
// cmd/A never imports cmd/B, because programs talk over sockets.
package layering

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "gopostfix"

type pkg struct {
	ImportPath string
	Imports    []string
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", module+"/...")
	cmd.Dir = "../.."
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(out)
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("go list: %v", err)
	}
	return pkgs
}

func under(path, dir string) bool {
	p := module + "/" + dir
	return path == p || strings.HasPrefix(path, p+"/")
}

// cmdOf returns "cmd/NAME" for a package under cmd/, or "".
func cmdOf(path string) string {
	rest, ok := strings.CutPrefix(path, module+"/cmd/")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, "/")
	return "cmd/" + name
}

func TestLayering(t *testing.T) {
	pkgs := listPackages(t)
	if len(pkgs) == 0 {
		t.Fatal("go list found no packages")
	}
	for _, p := range pkgs {
		for _, imp := range p.Imports {
			if !strings.HasPrefix(imp, module+"/") {
				continue
			}
			var bad string
			switch {
			case under(p.ImportPath, "libglobal/util") && !under(imp, "libglobal/util"):
				bad = "libglobal/util may import only the standard library and libglobal/util"
			case under(p.ImportPath, "libglobal") && (under(imp, "libmaster") || under(imp, "libtls") || under(imp, "compat") || under(imp, "cmd")):
				bad = "libglobal must not import libmaster, libtls, compat or cmd"
			case under(p.ImportPath, "libtls") && (under(imp, "libmaster") || under(imp, "cmd") || under(imp, "compat")):
				bad = "libtls must not import libmaster, compat or cmd"
			case under(p.ImportPath, "libmaster") && (under(imp, "libtls") || under(imp, "cmd") || under(imp, "compat")):
				bad = "libmaster must not import libtls, compat or cmd"
			case under(imp, "compat") && !under(p.ImportPath, "cmd") && !under(p.ImportPath, "compat") && !under(p.ImportPath, "tests"):
				bad = "only cmd/* may import compat"
			case under(p.ImportPath, "compat") && (under(imp, "cmd") || under(imp, "libmaster") || under(imp, "libtls")):
				bad = "compat registers into libglobal and imports nothing above it"
			case cmdOf(p.ImportPath) != "" && cmdOf(imp) != "" && cmdOf(imp) != cmdOf(p.ImportPath):
				bad = "cmd/A must not import cmd/B: programs talk over sockets"
			}
			if bad != "" {
				t.Errorf("%s imports %s: %s", p.ImportPath, imp, bad)
			}
		}
	}
}
