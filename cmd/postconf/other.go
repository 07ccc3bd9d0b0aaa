package main

import (
	"bufio"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// builtinMapTypes are the table types compiled into Debian's Postfix
// 3.7.11; the others (cdb, lmdb, pcre, mysql, pgsql, ...) are plug-ins
// that the packages list in $meta_directory/dynamicmaps.cf and
// dynamicmaps.cf.d. postconf -m names what Postfix would, memcache and
// NIS included, which this project does not implement, so that the
// output stays the real program's on the same host.
var builtinMapTypes = []string{"btree", "cidr", "environ", "fail", "hash", "inline", "internal",
	"memcache", "nis", "pipemap", "proxy", "randmap", "regexp", "socketmap", "static", "tcp",
	"texthash", "unionmap", "unix"}

// mapTypes returns what "postconf -m" lists: the built-in types and the
// plug-in types of the dynamicmaps files in metaDir, sorted.
func (pc *postconf) mapTypes(metaDir string) []string {
	names := append([]string(nil), builtinMapTypes...)
	names = append(names, readDynamicMaps(filepath.Join(metaDir, "dynamicmaps.cf"), pc.log)...)
	sort.Strings(names)
	return names
}

// readDynamicMaps returns the types that a dynamicmaps.cf file and the
// files of its ".d" directory declare (dymap_init), with Postfix's
// warnings for files it skips and duplicates, and its fatal errors for
// malformed lines.
func readDynamicMaps(path string, log *msg.Logger) []string {
	seen := map[string]bool{}
	var types []string
	read := func(path string) {
		f, err := os.Open(path)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				log.Fatalf("%s: file open failed: %s", path, dict.ErrnoText(err))
			}
			return
		}
		defer f.Close()
		var st syscall.Stat_t
		if err := syscall.Fstat(int(f.Fd()), &st); err != nil {
			log.Fatalf("%s: fstat failed; %s", path, dict.ErrnoText(err))
		}
		if st.Uid != 0 || st.Mode&(syscall.S_IWGRP|syscall.S_IWOTH) != 0 {
			log.Warnf("%s: file is owned or writable by non-root users -- skipping this file", path)
			return
		}
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			line := sc.Text()
			if line == "" || line[0] == '#' {
				continue
			}
			f := strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == '\t' })
			if len(f) != 3 && len(f) != 4 {
				log.Fatalf("%s, line %d: Expected \"dict-type .so-name dict-function [mkmap-function]\"", path, n)
			}
			if c := f[0][0]; !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
				log.Fatalf("%s, line %d: unsupported syntax \"%s\"", path, n, f[0])
			}
			if seen[f[0]] {
				log.Warnf("%s: ignoring duplicate entry for \"%s\"", path, f[0])
				continue
			}
			seen[f[0]] = true
			types = append(types, f[0])
		}
	}
	read(path)
	dir := path + ".d"
	ents, err := os.ReadDir(dir)
	switch {
	case err == nil:
		for _, e := range ents {
			read(filepath.Join(dir, e.Name()))
		}
	case !errors.Is(err, fs.ErrNotExist):
		log.Warnf("%s: directory open failed: %s", dir, dict.ErrnoText(err))
	}
	return types
}

// Mailbox locking methods (-l), SASL plug-in types (-a, -A) and TLS
// certificate key types (-T public-key-algorithms).
var (
	lockMethods     = []string{"flock", "fcntl", "dotlock"}
	saslServerTypes = []string{"cyrus", "dovecot"}
	saslClientTypes = []string{"cyrus"}
	pkeyAlgorithms  = []string{"ecdsa", "rsa"}
)

func (pc *postconf) showList(list []string) {
	for _, s := range list {
		pc.out.WriteString(s + "\n")
	}
}

// showTLS is postconf -T. Our TLS is Go's crypto/tls, so the versions
// are the Go toolchain's.
func (pc *postconf) showTLS() {
	switch pc.opts.tlsMode {
	case "compile-version", "run-version":
		pc.out.WriteString(goVersion() + "\n")
	case "public-key-algorithms":
		pc.showList(pkeyAlgorithms)
	default:
		pc.log.Warnf("unknown 'postconf -T' mode: %s", pc.opts.tlsMode)
		pc.exit(1)
	}
}

// runBounce hands -t/-b over to bounce(8), which knows the templates:
// "bounce -SVndump_templates" (or expand_templates), as postconf does.
func (pc *postconf) runBounce(args []string) {
	argv := []string{"bounce", "-SVndump_templates"}
	if pc.mode&expDSNTempl != 0 {
		argv[1] = "-SVnexpand_templates"
	}
	if len(args) > 0 {
		if len(args) > 1 {
			pc.log.Fatalf("options -b and -t require at most one template file")
		}
		argv = append(argv, "-o", "bounce_template_file="+args[0])
	}
	argv = append(argv, "-o", "queue_directory=.")
	pc.readParameters()
	pc.registerBuiltins()
	dir, _ := pc.lookupValue(pc.mode, "daemon_directory", nil, nil)
	dir = pc.expand(dir, pc.mode, nil)
	path := dir + "/" + argv[0]
	pc.out.Flush()
	err := syscall.Exec(path, argv, os.Environ())
	pc.log.Fatalf("execv %s: %s", path, dict.ErrnoText(err))
}

func goVersion() string { return "Go " + runtime.Version() }
