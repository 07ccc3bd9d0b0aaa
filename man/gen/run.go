package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
)

// pages returns every page the generator makes, keyed by file name.
func pages(root string) (map[string][]byte, error) {
	progs, err := loadPrograms(root)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, p := range progs {
		file := p.Name + "." + strconv.Itoa(p.Section)
		out[file] = []byte(page(p, progs))
		for _, a := range aliases[p.Name] {
			out[a+"."+strconv.Itoa(p.Section)] = []byte(fmt.Sprintf(".so man%d/%s\n", p.Section, file))
		}
	}
	out["postconf.5"] = []byte(postconfPage())
	for _, f := range formats {
		out[f.Name+".5"] = []byte(page(f, progs))
	}
	return out, nil
}

// run writes the pages into dir, leaving files that are already up to
// date untouched, and removes generated pages that no longer have a
// source.
func run(root, dir string) error {
	ps, err := pages(root)
	if err != nil {
		return err
	}
	old, err := existingPages(dir)
	if err != nil {
		return err
	}
	for _, f := range old {
		if _, ok := ps[f]; !ok {
			if err := os.Remove(filepath.Join(dir, f)); err != nil {
				return err
			}
		}
	}
	names := make([]string, 0, len(ps))
	for n := range ps {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		path := filepath.Join(dir, n)
		if cur, err := os.ReadFile(path); err == nil && bytes.Equal(cur, ps[n]) {
			continue
		}
		if err := os.WriteFile(path, ps[n], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// existingPages lists the files of dir that look like manual pages.
func existingPages(dir string) ([]string, error) {
	var out []string
	for _, sec := range []string{"1", "5", "8"} {
		m, err := filepath.Glob(filepath.Join(dir, "*."+sec))
		if err != nil {
			return nil, err
		}
		for _, f := range m {
			out = append(out, filepath.Base(f))
		}
	}
	sort.Strings(out)
	return out, nil
}
