package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

const stepTimeout = 60 * time.Second

type result struct {
	name     string
	problems []string
	details  []string
}

func (r *result) ok() bool { return len(r.problems) == 0 }

func (r *result) fail(problem, detail string) {
	r.problems = append(r.problems, problem)
	if detail != "" {
		r.details = append(r.details, problem+"\n"+detail)
	} else {
		r.details = append(r.details, problem)
	}
}

type output struct {
	stdout, stderr string
	rc             int
}

type side struct {
	name string // "real" or "ours"
	dir  string
	bin  string
}

func runCase(cfg *config, c *Case, idx int) result {
	res := result{name: c.Name}
	root := filepath.Join(cfg.work, fmt.Sprintf("case%04d", idx))
	sides := []side{
		{"real", filepath.Join(root, "real"), filepath.Join(cfg.work, "real-bin")},
		{"ours", filepath.Join(root, "ours"), filepath.Join(cfg.work, "ours-bin")},
	}
	if !cfg.keep {
		defer os.RemoveAll(root)
	}
	outs := make([][]output, 2)
	for i, s := range sides {
		if err := writeInputs(s.dir, c); err != nil {
			res.fail("setup: "+err.Error(), "")
			return res
		}
		for _, st := range c.Steps {
			bin := s.bin
			switch st.Side {
			case "real":
				bin = sides[0].bin
			case "ours":
				bin = sides[1].bin
			}
			o, err := runStep(cfg, s, bin, st.Command, c.Stdin)
			if err != nil {
				res.fail(fmt.Sprintf("%s side: %v", s.name, err), "")
				return res
			}
			if st.Side == "" {
				outs[i] = append(outs[i], normalize(c, s, o))
			}
		}
	}
	for k := range outs[0] {
		real, ours := outs[0][k], outs[1][k]
		step := ""
		if len(outs[0]) > 1 {
			step = fmt.Sprintf(" (step %d)", k+1)
		}
		if c.RC == "exact" && real.rc != ours.rc {
			res.fail(fmt.Sprintf("exit status %d, real %d%s", ours.rc, real.rc, step),
				"real stderr:\n"+real.stderr+"ours stderr:\n"+ours.stderr)
		}
		if !same(c.Stdout, real.stdout, ours.stdout) {
			res.fail("stdout differs"+step, diff(real.stdout, ours.stdout))
		}
		if !same(c.Stderr, real.stderr, ours.stderr) {
			res.fail("stderr differs"+step, diff(real.stderr, ours.stderr))
		}
	}
	if c.Files[0] != "ignore" {
		compareTrees(&res, c, sides)
	}
	return res
}

func writeInputs(dir string, c *Case) error {
	if err := os.MkdirAll(dir, 0755); err != nil {
		return err
	}
	for _, f := range c.Input {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0755); err != nil {
			return err
		}
		data := f.Data
		if !f.Base64 {
			data = strings.ReplaceAll(data, "@DIR@", dir)
		}
		if err := os.WriteFile(p, []byte(data), f.Mode); err != nil {
			return err
		}
		if err := os.Chmod(p, f.Mode); err != nil {
			return err
		}
	}
	return nil
}

func runStep(cfg *config, s side, bin, command, stdin string) (output, error) {
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", command)
	cmd.Dir = s.dir
	daemonDir := realDaemonDir
	if bin != filepath.Join(cfg.work, "real-bin") {
		daemonDir = cfg.ours
	}
	cmd.Env = []string{
		"PATH=" + bin + ":/usr/bin:/bin",
		"DIR=" + s.dir,
		"COMMAND_DIR=" + bin,
		"DAEMON_DIR=" + daemonDir,
		"HOME=" + s.dir,
		"LANG=C",
		"LC_ALL=C",
		"TZ=UTC",
	}
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	if ctx.Err() != nil {
		return output{}, fmt.Errorf("%q timed out after %v", command, stepTimeout)
	}
	rc := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			return output{}, err
		}
		rc = ee.ExitCode()
	}
	return output{stdout.String(), stderr.String(), rc}, nil
}

func normalize(c *Case, s side, o output) output {
	o.stdout = mask(c, s, o.stdout)
	o.stderr = mask(c, s, o.stderr)
	return o
}

func mask(c *Case, s side, text string) string {
	text = strings.ReplaceAll(text, s.dir, "@DIR@")
	for _, re := range c.Masks {
		text = re.ReplaceAllString(text, "<MASK>")
	}
	return text
}

func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

func same(mode, a, b string) bool {
	switch mode {
	case "ignore":
		return true
	case "sorted":
		la, lb := lines(a), lines(b)
		sort.Strings(la)
		sort.Strings(lb)
		return strings.Join(la, "\n") == strings.Join(lb, "\n")
	case "set":
		return strings.Join(uniq(lines(a)), "\n") == strings.Join(uniq(lines(b)), "\n")
	}
	return a == b
}

func uniq(l []string) []string {
	sort.Strings(l)
	out := l[:0]
	for i, s := range l {
		if i == 0 || s != l[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// diff shows the two texts line by line, marking lines that differ.
func diff(real, ours string) string {
	a, b := lines(real), lines(ours)
	var sb strings.Builder
	n := max(len(a), len(b))
	for i := 0; i < n; i++ {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x == y {
			fmt.Fprintf(&sb, "  %s\n", x)
			continue
		}
		if i < len(a) {
			fmt.Fprintf(&sb, "- %q\n", x)
		}
		if i < len(b) {
			fmt.Fprintf(&sb, "+ %q\n", y)
		}
	}
	return sb.String()
}

type fileInfo struct {
	mode fs.FileMode
	data string
}

func snapshot(c *Case, s side) (map[string]fileInfo, error) {
	out := map[string]fileInfo{}
	err := filepath.WalkDir(s.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(s.dir, path)
		if rel == "." {
			return nil
		}
		rel = filepath.ToSlash(rel)
		if !wanted(c.Files, rel) {
			return nil
		}
		info, err := os.Lstat(path)
		if err != nil {
			return err
		}
		fi := fileInfo{mode: info.Mode()}
		switch {
		case info.Mode().IsRegular():
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			fi.data = mask(c, s, string(data))
		case info.Mode()&fs.ModeSymlink != 0:
			t, _ := os.Readlink(path)
			fi.data = mask(c, s, t)
		}
		out[rel] = fi
		return nil
	})
	return out, err
}

func wanted(files []string, rel string) bool {
	match := func() bool {
		for _, f := range files[1:] {
			if ok, _ := filepath.Match(f, rel); ok || f == rel {
				return true
			}
		}
		return false
	}
	switch files[0] {
	case "only":
		return match()
	case "except":
		return !match()
	}
	return true
}

func compareTrees(res *result, c *Case, sides []side) {
	real, err := snapshot(c, sides[0])
	if err != nil {
		res.fail("files: "+err.Error(), "")
		return
	}
	ours, err := snapshot(c, sides[1])
	if err != nil {
		res.fail("files: "+err.Error(), "")
		return
	}
	var names []string
	for n := range real {
		names = append(names, n)
	}
	for n := range ours {
		if _, ok := real[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		r, rok := real[n]
		o, ook := ours[n]
		switch {
		case !ook:
			res.fail("file "+n+" missing on our side", "")
		case !rok:
			res.fail("file "+n+" not made by the real program", "")
		case r.mode != o.mode:
			res.fail(fmt.Sprintf("file %s: mode %v, real %v", n, o.mode, r.mode), "")
		case r.data != o.data:
			res.fail("file "+n+" differs", diff(r.data, o.data))
		}
	}
}
