// Command conformance runs differential test cases: every case runs the
// same commands with the real Postfix programs and with ours, each side in
// its own scratch directory, and compares stdout, stderr, exit status and
// the files left behind. It prints one line per failing case and finishes
// with "conformance: N passed, M failed".
//
// The real Postfix is required: when it is missing the runner fails, it
// never skips.
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// userPrograms are the Postfix commands an administrator runs; each side's
// PATH resolves them to that side's program and to nothing else.
var userPrograms = []string{
	"postalias", "postcat", "postconf", "postdrop", "postfix", "postkick",
	"postlock", "postlog", "postmap", "postmulti", "postqueue", "postsuper",
	"sendmail", "mailq", "newaliases",
}

// testTools come with Postfix and are used by cases on both sides alike.
var testTools = []string{"smtp-source", "smtp-sink", "posttls-finger", "qshape"}

const (
	realCommandDir = "/usr/sbin"
	realDaemonDir  = "/usr/lib/postfix/sbin"
)

type config struct {
	ours    string // our bin directory (absolute)
	work    string // scratch root
	verbose bool
	keep    bool
	run     *regexp.Regexp
}

func main() {
	bin := flag.String("bin", "bin", "directory holding our built programs")
	casesDir := flag.String("cases", "tests/cases", "directory of .case files")
	run := flag.String("run", "", "only run cases whose name matches this regexp")
	verbose := flag.Bool("v", false, "show the differences of failing cases")
	keep := flag.Bool("keep", false, "keep scratch directories")
	jobs := flag.Int("j", 4, "cases run at once")
	flag.Parse()

	if _, err := os.Stat(filepath.Join(realCommandDir, "postconf")); err != nil {
		fmt.Fprintf(os.Stderr, "conformance: the real Postfix is not installed (%v); run 'make deps' as root\n", err)
		os.Exit(2)
	}
	ours, err := filepath.Abs(*bin)
	if err != nil {
		fatal(err)
	}
	cfg := &config{ours: ours, verbose: *verbose, keep: *keep}
	if *run != "" {
		if cfg.run, err = regexp.Compile(*run); err != nil {
			fatal(err)
		}
	}
	cfg.work, err = os.MkdirTemp("", "conformance.")
	if err != nil {
		fatal(err)
	}
	// Daemons of a real instance started by a case run as mail_owner and
	// must be able to reach the case directories.
	if err := os.Chmod(cfg.work, 0755); err != nil {
		fatal(err)
	}
	if !cfg.keep {
		defer os.RemoveAll(cfg.work)
	}
	if err := makeSideBins(cfg); err != nil {
		fatal(err)
	}
	cases, err := loadCases(*casesDir, cfg.run)
	if err != nil {
		fatal(err)
	}
	results := make([]result, len(cases))
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(*jobs, 1))
	for i, c := range cases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = runCase(cfg, c, i)
		}()
	}
	wg.Wait()
	passed, failed := 0, 0
	for _, r := range results {
		if r.ok() {
			passed++
			continue
		}
		failed++
		fmt.Printf("FAIL %s: %s\n", r.name, r.problems[0])
		if cfg.verbose {
			for _, d := range r.details {
				fmt.Println(indent(d))
			}
		}
	}
	fmt.Printf("conformance: %d passed, %d failed\n", passed, failed)
	if failed > 0 || passed == 0 {
		os.Exit(1)
	}
}

func fatal(err error) {
	fmt.Fprintf(os.Stderr, "conformance: %v\n", err)
	os.Exit(2)
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}

func loadCases(dir string, run *regexp.Regexp) ([]*Case, error) {
	var cases []*Case
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".case") {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		name := strings.TrimSuffix(rel, ".case")
		if run != nil && !run.MatchString(name) {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		c, err := parseCase(name, string(data))
		if err != nil {
			return err
		}
		cases = append(cases, c)
		return nil
	})
	sort.Slice(cases, func(i, j int) bool { return cases[i].Name < cases[j].Name })
	return cases, err
}

// makeSideBins creates work/real-bin and work/ours-bin: one symlink per
// Postfix program. A program we have not built yet resolves to a script that
// fails, so a case can never pass by running the real program on our side.
func makeSideBins(cfg *config) error {
	for _, side := range []string{"real", "ours"} {
		dir := filepath.Join(cfg.work, side+"-bin")
		if err := os.MkdirAll(dir, 0755); err != nil {
			return err
		}
		for _, p := range userPrograms {
			target := filepath.Join(realCommandDir, p)
			if p == "mailq" || p == "newaliases" {
				target = filepath.Join(realCommandDir, "sendmail")
			}
			if side == "ours" {
				target = filepath.Join(cfg.ours, p)
				if _, err := os.Stat(target); err != nil {
					target = filepath.Join(dir, ".missing-"+p)
					script := fmt.Sprintf("#!/bin/sh\necho '%s: not built by this project' >&2\nexit 127\n", p)
					if err := os.WriteFile(target, []byte(script), 0755); err != nil {
						return err
					}
				}
			}
			if err := os.Symlink(target, filepath.Join(dir, p)); err != nil {
				return err
			}
		}
		for _, p := range testTools {
			if err := os.Symlink(filepath.Join(realCommandDir, p), filepath.Join(dir, p)); err != nil {
				return err
			}
		}
	}
	return nil
}
