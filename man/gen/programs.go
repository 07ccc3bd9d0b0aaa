package main

import (
	"errors"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"gopostfix/libglobal/params"
)

// commands are the programs installed in command_directory: their pages
// go to section 1. Every other program under cmd/ is a daemon (section 8).
var commands = map[string]bool{
	"postalias": true, "postcat": true, "postconf": true, "postdrop": true,
	"postfix": true, "postkick": true, "postlock": true, "postlog": true,
	"postmap": true, "postmulti": true, "postqueue": true, "postsuper": true,
	"sendmail": true,
}

// aliases are the other names a program's page documents: hard or
// symbolic links to the program, or services of the same program.
var aliases = map[string][]string{
	"bounce":   {"defer", "trace"},
	"sendmail": {"mailq", "newaliases"},
	"smtp":     {"lmtp"},
}

// errNoDoc is loadProgram's error for a program without a doc comment.
var errNoDoc = errors.New("package has no doc comment")

// program is what the generator knows about one cmd/<name> package.
type program struct {
	Name    string
	Section int
	Doc     string   // the package doc comment, as plain comment text
	Optstr  string   // the getopt option string, "" when it parses none
	Params  []string // parameter names in string literals of its code
	// Summary, when set, is the NAME line instead of the first sentence.
	Summary string
}

// daemon reports whether the program is started by master(8) through a
// libmaster skeleton: a section 8 program that parses no options itself.
func (p *program) daemon() bool { return p.Section == 8 && p.Optstr == "" }

// loadPrograms reads every package main under root/cmd, sorted by name.
func loadPrograms(root string) ([]*program, error) {
	entries, err := os.ReadDir(filepath.Join(root, "cmd"))
	if err != nil {
		return nil, err
	}
	var progs []*program
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		p, err := loadProgram(filepath.Join(root, "cmd", e.Name()))
		if err == errNoDoc {
			// A program still being written: no page until it says
			// what it is.
			fmt.Fprintf(os.Stderr, "gen: cmd/%s has no doc comment, no page made\n", e.Name())
			continue
		}
		if err != nil {
			return nil, err
		}
		if p != nil {
			progs = append(progs, p)
		}
	}
	return progs, nil
}

// loadProgram reads one program directory; nil when it holds no command.
func loadProgram(dir string) (*program, error) {
	bp, err := build.ImportDir(dir, build.ImportComment)
	if _, none := err.(*build.NoGoError); none {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	if bp.Name != "main" {
		return nil, nil
	}
	name := filepath.Base(dir)
	p := &program{Name: name, Section: 8}
	if commands[name] {
		p.Section = 1
	}
	fset := token.NewFileSet()
	files, err := parseFiles(fset, dir, bp.GoFiles)
	if err != nil {
		return nil, err
	}
	var docs []string
	for _, f := range files {
		if f.Doc != nil {
			docs = append(docs, f.Doc.Text())
		}
		if p.Optstr == "" {
			p.Optstr = optionString(f, files)
		}
	}
	p.Doc = strings.Join(docs, "\n")
	if p.Doc == "" {
		return nil, errNoDoc
	}
	p.Params, err = paramLiterals(dir)
	if err != nil {
		return nil, err
	}
	return p, nil
}

func parseFiles(fset *token.FileSet, dir string, names []string) ([]*ast.File, error) {
	var files []*ast.File
	for _, n := range names {
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// optionString finds the option string of the program's getopt.Parse
// call: a string literal or a constant of the package.
func optionString(f *ast.File, all []*ast.File) string {
	var found string
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found != "" || len(call.Args) < 2 {
			return found == ""
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Parse" {
			return true
		}
		if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "getopt" {
			return true
		}
		found = stringValue(call.Args[1], all)
		return false
	})
	return found
}

// stringValue evaluates a string literal or the name of a string
// constant declared at the top level of one of the files.
func stringValue(e ast.Expr, files []*ast.File) string {
	switch e := e.(type) {
	case *ast.BasicLit:
		if s, err := strconv.Unquote(e.Value); err == nil && e.Kind == token.STRING {
			return s
		}
	case *ast.Ident:
		for _, f := range files {
			for _, d := range f.Decls {
				gd, ok := d.(*ast.GenDecl)
				if !ok || gd.Tok != token.CONST {
					continue
				}
				for _, spec := range gd.Specs {
					vs := spec.(*ast.ValueSpec)
					for i, n := range vs.Names {
						if n.Name == e.Name && i < len(vs.Values) {
							return stringValue(vs.Values[i], files)
						}
					}
				}
			}
		}
	}
	return ""
}

// paramLiterals returns the built-in parameter names that appear as whole
// string literals in the program's own code (dir and its subdirectories,
// tests excluded), sorted.
func paramLiterals(dir string) ([]string, error) {
	seen := map[string]bool{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil {
					if _, ok := params.Lookup(s); ok {
						seen[s] = true
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scan %s: %w", dir, err)
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names, nil
}
