// Package delivered finds the Delivered-To: headers of a queued message,
// Postfix's src/global/delivered_hdr.c: delivery agents that add such a
// header (local(8), pipe(8) with flags=D) first look for their own
// recipient among them, and bounce the message as a forwarding loop when
// it is there.
package delivered

import (
	"fmt"
	"os"
	"strings"

	"gopostfix/libglobal/record"
	"gopostfix/libglobal/tok822"
	"gopostfix/libglobal/util/dict"
)

// limit is how many distinct addresses are collected at most
// (DELIVERED_HDR_LIMIT).
const limit = 1000

// Set holds the folded addresses of the Delivered-To: headers in the
// primary header block.
type Set struct {
	addrs map[string]bool
	fold  func(string) string
}

// Read collects the Delivered-To: addresses of the message whose content
// starts at offset in the queue file f (delivered_hdr_init). fold is
// applied to each address (and to the ones Has is asked about). An error
// is a failed seek, fatal to the caller as in Postfix.
func Read(f *os.File, offset int64, fold func(string) string) (*Set, error) {
	s := &Set{addrs: map[string]bool{}, fold: fold}
	if _, err := f.Seek(offset, 0); err != nil {
		return nil, fmt.Errorf("seek queue file %s: %s", f.Name(), dict.ErrnoText(err))
	}
	rd := record.NewReader(f, f.Name(), record.Default, 0)
	prev := record.Norm
	for len(s.addrs) < limit {
		rec, err := rd.Next()
		if err != nil || rec.Type != record.Norm && rec.Type != record.Cont {
			break
		}
		t := prev
		prev = rec.Type
		if t == record.Cont {
			continue
		}
		line := string(rec.Data)
		switch {
		case record.IsHeader(rec.Data):
			i := strings.IndexByte(line, ':')
			if strings.EqualFold(strings.TrimRight(line[:i], " \t"), "Delivered-To") {
				s.addrs[fold(strings.TrimLeft(line[i+1:], " \t\r\n\v\f"))] = true
			}
		case len(line) > 0 && (line[0] == ' ' || line[0] == '\t' || line[0] == '\r' || line[0] == '\n' || line[0] == '\v' || line[0] == '\f'):
			continue
		default:
			return s, nil
		}
	}
	return s, nil
}

// Has reports whether addr (internal form) was delivered to already: it
// is quoted as Delivered-To: headers are written, then folded
// (delivered_hdr_find).
func (s *Set) Has(addr string) bool {
	return s.addrs[s.fold(tok822.QuoteLocal(addr, tok822.QuoteDefault))]
}
