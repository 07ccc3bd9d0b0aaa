package dict

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// Stream is the rule source of a pattern table: a file, or the rules of
// an inline form "type:{ {rule1}, {rule2} }" (dict_stream_open).
type Stream struct {
	io.Reader
	// Owner is the file owner, or the current user for inline rules.
	Owner Owner
	// Info is the file's FileInfo (nil for inline rules).
	Info  os.FileInfo
	close func() error
}

// Close closes the underlying file, if any.
func (s *Stream) Close() error {
	if s.close != nil {
		return s.close()
	}
	return nil
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
		return nil, Wrap(KindConfig, err, "fstat %s", mapname)
	}
	s := &Stream{Reader: f, Info: st, close: f.Close}
	if uid, ok := fileUID(st); ok {
		s.Owner = Owner{Status: OwnerTrusted}
		if uid != 0 {
			s.Owner = Owner{Status: OwnerUntrusted, UID: uid}
		}
	}
	return s, nil
}
