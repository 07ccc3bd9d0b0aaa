package main

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// fileEntry is one line of postfix-files: "path:type:owner:group:mode:flags".
// Fields are kept as written; expand resolves the $name references.
type fileEntry struct {
	path, typ, owner, group, mode, flags string
}

// readFileEntries reads postfix-files lines the way post-install's
// "IFS=: read path type owner group mode flags junk" loop does: fields are
// split at colons only (spaces stay part of a field), the last field
// takes no more than its own text, backslashes quote the next character
// and a final line without a newline is not read.
func readFileEntries(r io.Reader) []fileEntry {
	var out []fileEntry
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return out
		}
		f := splitReadFields(strings.TrimSuffix(line, "\n"), 7)
		out = append(out, fileEntry{f[0], f[1], f[2], f[3], f[4], f[5]})
	}
}

// splitReadFields splits like the shell's read builtin with IFS=":" into n
// variables: backslash escapes are removed, and the last variable gets
// the rest of the line (a single trailing colon dropped).
func splitReadFields(line string, n int) []string {
	fields := make([]string, n)
	var cur strings.Builder
	i := 0
	for j := 0; j < len(line); j++ {
		ch := line[j]
		if ch == '\\' {
			if j+1 < len(line) {
				j++
				cur.WriteByte(line[j])
			}
			continue
		}
		if ch == ':' && i < n-1 {
			fields[i] = cur.String()
			cur.Reset()
			i++
			continue
		}
		cur.WriteByte(ch)
	}
	last := cur.String()
	if i == n-1 {
		last = strings.TrimSuffix(last, ":")
	}
	fields[i] = last
	return fields
}

// postfixFiles lists $meta_directory/postfix-files and then every regular
// file below postfix-files.d, in byte order of their paths (find | sort).
func postfixFiles(meta string) []string {
	files := []string{filepath.Join(meta, "postfix-files")}
	dir := filepath.Join(meta, "postfix-files.d")
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return files
	}
	var extra []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			extra = append(extra, p)
		}
		return nil
	})
	sort.Strings(extra)
	return append(files, extra...)
}

// expandShellVars replaces $name and ${name} references by their values
// in vars (unknown names expand to nothing), as the script's eval does.
func expandShellVars(s string, vars map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		if s[i+1] == '{' {
			if end := strings.IndexByte(s[i+2:], '}'); end >= 0 {
				b.WriteString(vars[s[i+2:i+2+end]])
				i += 2 + end
				continue
			}
		}
		j := i + 1
		for j < len(s) && isNameByte(s[j], j == i+1) {
			j++
		}
		if j == i+1 {
			b.WriteByte('$')
			continue
		}
		b.WriteString(vars[s[i+1:j]])
		i = j - 1
	}
	return b.String()
}

func isNameByte(c byte, first bool) bool {
	if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
		return true
	}
	return !first && c >= '0' && c <= '9'
}
