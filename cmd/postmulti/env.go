package main

import (
	"os"
	"sort"
	"strings"
	"syscall"
)

func envMap(env []string) map[string]string {
	m := map[string]string{}
	for _, e := range env {
		if k, v, ok := strings.Cut(e, "="); ok {
			m[k] = v
		}
	}
	return m
}

func envList(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// lookPath resolves a command as execvp does with the child's PATH.
func lookPath(name, path string) (string, error) {
	if strings.Contains(name, "/") {
		return name, access(name)
	}
	if path == "" {
		path = "/bin:/usr/bin"
	}
	err := error(syscall.ENOENT)
	for _, dir := range strings.Split(path, ":") {
		if dir == "" {
			dir = "."
		}
		p := dir + "/" + name
		e := access(p)
		if e == nil {
			return p, nil
		}
		if e == syscall.EACCES {
			err = e
		}
	}
	return "", err
}

func access(p string) error {
	fi, err := os.Stat(p)
	if err != nil {
		return syscall.ENOENT
	}
	if fi.IsDir() || syscall.Access(p, 1) != nil {
		return syscall.EACCES
	}
	return nil
}
