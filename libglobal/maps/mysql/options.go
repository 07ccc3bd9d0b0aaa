package mysql

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// options are the settings of the table's option file that apply to it
// (names with '_' written as '-'); user, socket and port are used.
type options map[string]string

// maxIncludeDepth bounds !include nesting.
const maxIncludeDepth = 10

// options reads option_file for the groups Connector/C reads (client,
// client-server, client-mariadb) and option_group. A file that cannot
// be read contributes nothing, as with the C library.
func (t *table) options() (options, error) {
	if t.conf.optionFile == "" {
		return nil, nil
	}
	groups := map[string]bool{"client": true, "client-server": true, "client-mariadb": true}
	if t.conf.optionGroup != "" {
		groups[t.conf.optionGroup] = true
	}
	opts := options{}
	readOptionFile(t.conf.optionFile, groups, opts, 0)
	return opts, nil
}

// readOptionFile adds the settings of path's chosen groups to opts.
func readOptionFile(path string, groups map[string]bool, opts options, depth int) {
	if depth > maxIncludeDepth {
		return
	}
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	parseOptions(bufio.NewScanner(f), groups, opts, depth)
}

// parseOptions reads my.cnf syntax: [group] headers, "name = value" or
// "name" lines, '#' and ';' comments, !include and !includedir.
func parseOptions(sc *bufio.Scanner, groups map[string]bool, opts options, depth int) {
	in := false
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
		case strings.HasPrefix(line, "!includedir"):
			dir := strings.TrimSpace(strings.TrimPrefix(line, "!includedir"))
			names, _ := filepath.Glob(filepath.Join(dir, "*.cnf"))
			sort.Strings(names)
			for _, n := range names {
				readOptionFile(n, groups, opts, depth+1)
			}
		case strings.HasPrefix(line, "!include"):
			readOptionFile(strings.TrimSpace(strings.TrimPrefix(line, "!include")), groups, opts, depth+1)
		case line[0] == '[':
			name, _, _ := strings.Cut(line[1:], "]")
			in = groups[strings.TrimSpace(name)]
		case in:
			name, value, _ := strings.Cut(line, "=")
			name = strings.ReplaceAll(strings.TrimSpace(name), "_", "-")
			value = strings.TrimSpace(value)
			if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') && value[len(value)-1] == value[0] {
				value = value[1 : len(value)-1]
			}
			opts[name] = value
		}
	}
}
