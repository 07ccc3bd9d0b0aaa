package queue

import (
	"io"
	"os"
	"path"
)

// Scanner walks a queue directory the way scan_dir does: entries in
// directory order, never sorted, and the caller decides which entries to
// descend into. Paths are queue-relative.
type Scanner struct {
	l     *Layout
	stack []*scanDir
}

type scanDir struct {
	path  string
	f     *os.File
	names []string
	eof   bool
}

// batch is how many names are read from a directory at a time.
const batch = 256

// Scan opens queue (or any queue-relative directory) for scanning.
func (l *Layout) Scan(dir string) (*Scanner, error) {
	s := &Scanner{l: l}
	if err := s.Push(dir); err != nil {
		return nil, err
	}
	return s, nil
}

// Push enters directory name, relative to the current directory of the
// scan (or to the queue directory for the first one).
func (s *Scanner) Push(name string) error {
	p := name
	if d := s.current(); d != nil {
		p = d.path + "/" + name
	}
	f, err := os.Open(s.l.Abs(p))
	if err != nil {
		return err
	}
	s.stack = append(s.stack, &scanDir{path: p, f: f})
	return nil
}

// Pop leaves the current directory; it reports whether one is left.
func (s *Scanner) Pop() bool {
	if d := s.current(); d != nil {
		d.f.Close()
		s.stack = s.stack[:len(s.stack)-1]
	}
	return len(s.stack) > 0
}

// Depth is the number of directories entered below the first.
func (s *Scanner) Depth() int { return len(s.stack) - 1 }

// Dir returns the queue-relative path of the current directory.
func (s *Scanner) Dir() string {
	if d := s.current(); d != nil {
		return d.path
	}
	return ""
}

func (s *Scanner) current() *scanDir {
	if len(s.stack) == 0 {
		return nil
	}
	return s.stack[len(s.stack)-1]
}

// Next returns the next name in the current directory ("." and ".."
// excluded), or "" at its end.
func (s *Scanner) Next() string {
	d := s.current()
	if d == nil {
		return ""
	}
	for len(d.names) == 0 {
		if d.eof {
			return ""
		}
		names, err := d.f.Readdirnames(batch)
		if err == io.EOF || len(names) == 0 {
			d.eof = true
		}
		d.names = names
	}
	n := d.names[0]
	d.names = d.names[1:]
	return n
}

// Close leaves every directory.
func (s *Scanner) Close() {
	for s.Pop() {
	}
}

// NextFile returns the queue-relative path of the next queue file,
// descending into every one-character subdirectory (mail_scan_dir_next),
// or "" at the end of the queue.
func (s *Scanner) NextFile() (string, error) {
	for {
		name := s.Next()
		switch {
		case name == "":
			if !s.Pop() {
				return "", nil
			}
		case len(name) == 1:
			if err := s.Push(name); err != nil {
				return "", err
			}
		default:
			return path.Join(s.Dir(), name), nil
		}
	}
}
