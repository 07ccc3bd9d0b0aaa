package dict

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// Stream is the rule source of a pattern table: a file, or the rules of
// an inline form "type:{ {rule1}, {rule2} }" (dict_stream_open).
//
// As a VSTREAM, it reports a read error to the reader as the end of the
// input and keeps it for Close (vstream_fclose): a type that does not
// look (regexp, pcre) sees a file it cannot read, a directory for
// example, as an empty table, and one that does (cidr) fails then.
type Stream struct {
	io.Reader
	// Owner is the file owner, or the current user for inline rules.
	Owner Owner
	// Info is the file's FileInfo (nil for inline rules).
	Info os.FileInfo
	file *os.File
	err  error // the first read error
}

// Read reads from the rules; after a read error it returns io.EOF.
func (s *Stream) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, io.EOF
	}
	n, err := s.Reader.Read(p)
	if err != nil && err != io.EOF {
		s.err = err
		err = io.EOF
	}
	return n, err
}

// Close closes the underlying file, if any, and returns the first read
// error, or else the close error.
func (s *Stream) Close() error {
	if s.file == nil {
		return s.err
	}
	if err := s.file.Close(); s.err == nil {
		return err
	}
	return s.err
}

// OpenStream opens the rules of table typ:mapname. Error texts are
// Postfix's ("open NAME: ERRNO", "TYPE map: EXTPAR-ERROR").
func OpenStream(typ, mapname string) (*Stream, error) {
	if mapname != "" && mapname[0] == '{' {
		inner, problem := ExtPar(mapname, "{}", false)
		var buf bytes.Buffer
		if problem == "" {
			for _, rule := range TokensQ(inner, CommaSpace, "{}") {
				r, p := ExtPar(rule, "{}", true)
				if p != "" {
					problem = p
					break
				}
				buf.WriteString(r)
				buf.WriteByte('\n')
			}
		}
		if problem != "" {
			return nil, Configf("%s map: %s", typ, problem)
		}
		uid := uint32(os.Getuid())
		o := Owner{Status: OwnerTrusted}
		if uid != 0 {
			o = Owner{Status: OwnerUntrusted, UID: uid}
		}
		return &Stream{Reader: &buf, Owner: o}, nil
	}
	f, err := os.Open(mapname)
	if err != nil {
		return nil, &Error{Kind: KindConfig, Msg: fmt.Sprintf("open %s: %s", mapname, ErrnoText(err)), Err: err}
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, Wrap(KindFatal, err, "fstat %s", mapname)
	}
	s := &Stream{Reader: f, Info: st, file: f}
	if uid, ok := fileUID(st); ok {
		s.Owner = Owner{Status: OwnerTrusted}
		if uid != 0 {
			s.Owner = Owner{Status: OwnerUntrusted, UID: uid}
		}
	}
	return s, nil
}
