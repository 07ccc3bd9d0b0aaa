package main

import (
	"bufio"
	"os"
	"strings"

	"gopostfix/libglobal/util/dict"
)

// configEdit is one rewrite of main.cf or master.cf, the part of -e, -X,
// -# and the -M, -F, -P editing modes that is the same for both files:
// the file is read line by line and the new text goes through dst to
// PATH.tmp (editFile), which replaces the file at the end.
type configEdit struct {
	pc   *postconf
	path string
	ef   *editFile
	src  *os.File
	dst  *bufio.Writer
	rd   *cfReader
}

// beginEdit opens PATH.tmp, then the file itself; problems are fatal.
func (pc *postconf) beginEdit(name string) *configEdit {
	path := pc.configDir() + "/" + name
	ef, err := openEditFile(path, 0644)
	if err != nil {
		pc.log.Fatalf("open %s.tmp: %s", path, dict.ErrnoText(err))
	}
	src, err := os.Open(path)
	if err != nil {
		ef.abort()
		pc.log.Fatalf("open %s for reading: %s", path, dict.ErrnoText(err))
	}
	return &configEdit{pc: pc, path: path, ef: ef, src: src, dst: bufio.NewWriter(ef), rd: newCfReader(src)}
}

// next returns the next line with content, after copying comment and
// blank lines; ok is false at the end. A read error is fatal.
func (e *configEdit) next() (line string, ok bool) {
	line, ok, err := e.rd.next(e.dst)
	if err != nil {
		e.pc.log.Fatalf("read %s: %s", e.path, dict.ErrnoText(err))
	}
	return line, ok
}

// keep copies a line of an entry that is not edited; a line of an edited
// entry is commented out with -# and dropped otherwise.
func (e *configEdit) keep(line string, edited bool) {
	switch {
	case !edited:
		e.dst.WriteString(line)
	case e.pc.mode&commentOut != 0:
		e.dst.WriteString("#" + line)
	}
}

// finish puts the new text in place of the file.
func (e *configEdit) finish() {
	e.src.Close()
	if err := e.dst.Flush(); err != nil {
		e.ef.abort()
		e.pc.log.Fatalf("close %s.tmp: %s", e.path, dict.ErrnoText(err))
	}
	if err := e.ef.commit(); err != nil {
		e.pc.log.Fatalf("close %s.tmp: %s", e.path, dict.ErrnoText(err))
	}
}

// editInput checks one editing argument (no newline, no comment) and
// returns it without leading white space; opts is how the messages name
// the options ("-e, -X, or -# accepts").
func (pc *postconf) editInput(arg, opts string) string {
	if strings.Contains(arg, "\n") {
		pc.log.Fatalf("%s no multi-line input", opts)
	}
	cp := strings.TrimLeftFunc(arg, isSpaceRune)
	if strings.HasPrefix(cp, "#") {
		pc.log.Fatalf("%s no comment input", opts)
	}
	return cp
}

// isSpaceRune is isSpace for the strings.Trim functions.
func isSpaceRune(r rune) bool { return r < 0x80 && isSpace(byte(r)) }
