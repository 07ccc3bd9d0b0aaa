package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/msg"
)

// options are postcat's command-line flags.
type options struct {
	env, header, body bool  // -e -h -b
	offset, decimal   bool  // -o -d
	raw               bool  // -r
	queue             bool  // -q
	verbose           bool  // -v: also changes what is read and shown
	start             int64 // -s
}

// Content states of the record state machine.
const (
	stateEnv = iota
	stateHeader
	stateBody
)

// fatalError ends the program with "postcat: fatal: " and its text.
type fatalError struct{ text string }

func (e *fatalError) Error() string { return e.text }

func fatalf(format string, args ...any) error {
	return &fatalError{fmt.Sprintf(format, args...)}
}

// printer writes postcat's output lines with the -o/-d prefixes.
type printer struct {
	w    *bufio.Writer
	o    *options
	path string
}

func (p *printer) prefix(offset int64, t byte) {
	if p.o.offset {
		fmt.Fprintf(p.w, "%9d ", uint64(offset))
	}
	if p.o.decimal {
		fmt.Fprintf(p.w, "%3d ", t)
	}
}

func (p *printer) marker(offset int64, t byte, text string) {
	p.prefix(offset, t)
	fmt.Fprintf(p.w, "*** %s %s ***\n", text, p.path)
	p.w.Flush()
}

func (p *printer) record(offset int64, t byte, value string) {
	p.prefix(offset, t)
	fmt.Fprintf(p.w, "%s: %s\n", record.Name(t), value)
	p.w.Flush()
}

// cat prints one queue file (postcat's postcat()). Warnings go to log; a
// returned error is fatal. Like postcat, it flushes w after each record
// and marker only: output still buffered when the program ends is lost,
// as with the real program (an unflushed banner or final newline).
func cat(w *bufio.Writer, log *msg.Logger, r *record.Reader, o *options) error {
	p := &printer{w: w, o: o, path: r.Path()}
	if o.start > 0 {
		if err := skip(r, o.start); err != nil {
			return err
		}
	}
	if o.start == 0 {
		c, err := r.ReadByte()
		if err == nil {
			if !record.In(record.EnvelopeTypes, c) {
				log.Warnf("%s: input is not a valid queue file", r.Path())
				return nil
			}
			r.UnreadByte()
		}
	}
	if o.start == 0 && o.env {
		fmt.Fprintf(w, "*** ENVELOPE RECORDS %s ***\n", r.Path())
	}
	if o.verbose {
		r.SetFlags(0)
	} else {
		r.SetFlags(record.Default)
	}
	m := &machine{p: p, r: r, o: o, log: log, doPrint: o.env, dataOffset: -1, dataSize: -1}
	for {
		offset := r.Tell()
		rec, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var fe *record.FormatError
			if errors.As(err, &fe) {
				log.Warnf("%s", fe.Text)
			}
			return fatalf("record read error")
		}
		done, err := m.step(offset, rec)
		if err != nil || done {
			return err
		}
	}
}

// skip implements -s: stdin is read and discarded, files are seeked.
func skip(r *record.Reader, n int64) error {
	if r.Path() != "stdin" {
		if err := r.SeekTo(n); err != nil {
			return fatalf("%s: seek to %d: %s", r.Path(), n, queue.Strerror(err))
		}
		return nil
	}
	for off := int64(0); off < n; off++ {
		if _, err := r.ReadByte(); err != nil {
			return fatalf("%s: skip %d bytes failed after %d", r.Path(), n, off)
		}
	}
	return nil
}

// machine is the (envelope, header, body) state machine of postcat.
type machine struct {
	p          *printer
	r          *record.Reader
	o          *options
	log        *msg.Logger
	state      int
	doPrint    bool
	prevType   byte
	dataOffset int64
	dataSize   int64
}

func (m *machine) printText() bool { return m.o.header || m.o.body }

// seekXtra jumps to the extracted segment marker when the size record
// said where it is.
func (m *machine) seekXtra() error {
	if m.dataOffset >= 0 && m.dataSize >= 0 {
		if err := m.r.SeekTo(m.dataOffset + m.dataSize); err != nil {
			return fatalf("seek error: %s", queue.Strerror(err))
		}
	}
	return nil
}

// step handles one record; done ends the file.
func (m *machine) step(offset int64, rec record.Record) (done bool, err error) {
	o := m.o
	switch t := rec.Type; {
	case t == record.Cont || t == record.Norm:
		if m.state == stateHeader && m.printText() && m.prevType != record.Cont &&
			!(record.IsHeader(rec.Data) || (len(rec.Data) > 0 && (rec.Data[0] == ' ' || rec.Data[0] == '\t'))) {
			m.state = stateBody
			m.doPrint = o.body
			if !m.doPrint && !o.env {
				return true, nil
			}
			if !m.doPrint && o.env {
				if err := m.seekXtra(); err != nil {
					return true, err
				}
			}
		}
	case t == record.Mesg:
		if m.state != stateEnv {
			m.log.Warnf("%s: out-of-order message content marker", m.r.Path())
		}
		if o.env {
			m.p.marker(offset, t, "MESSAGE CONTENTS")
		}
		if !m.printText() {
			if err := m.seekXtra(); err != nil {
				return true, err
			}
		}
		m.state = stateHeader
		m.doPrint = o.header
		return false, nil
	case t == record.Xtra:
		if m.state != stateHeader && m.state != stateBody {
			m.log.Warnf("%s: out-of-order extracted segment marker", m.r.Path())
		}
		if m.doPrint && m.prevType == record.Cont {
			m.p.w.WriteByte('\n')
		}
		if o.env {
			m.p.marker(offset, t, "HEADER EXTRACTED")
		}
		m.state = stateEnv
		m.doPrint = o.env
		return !m.doPrint, nil
	case t == record.End:
		if m.state != stateEnv {
			m.log.Warnf("%s: out-of-order message end marker", m.r.Path())
		}
		if o.env {
			m.p.marker(offset, t, "MESSAGE FILE END")
		}
		return !o.raw, nil
	case t == record.Ptr:
		if m.doPrint {
			m.p.record(offset, t, record.CString(rec.Data))
		}
		if !o.raw {
			if err := m.r.Goto(rec.Data); err != nil {
				var fe *record.FormatError
				if errors.As(err, &fe) {
					m.log.Warnf("%s", fe.Text)
				}
				return true, fatalf("bad pointer record, or input is not seekable")
			}
		}
		return false, nil
	case t == record.Size:
		return false, m.size(offset, rec)
	}
	if !m.doPrint {
		return false, nil
	}
	m.p.prefix(offset, rec.Type)
	m.prevType = m.show(rec)
	m.p.w.Flush()
	return false, nil
}

// size handles the size record: it tells where the content is, so that
// postcat can skip what it does not print.
func (m *machine) size(offset int64, rec record.Record) error {
	if m.doPrint {
		m.p.record(offset, rec.Type, record.CString(rec.Data))
	}
	if m.dataSize >= 0 || m.dataOffset >= 0 {
		m.log.Warnf("file contains multiple size records")
		return nil
	}
	s := record.CString(rec.Data)
	if record.ScanLongs(s, &m.dataSize, &m.dataOffset) != 2 || m.dataOffset <= 0 || m.dataSize <= 0 {
		m.log.Warnf("invalid size record: %s", truncate(s, 100))
	}
	if !m.o.env {
		if err := m.r.SeekTo(m.dataOffset); err != nil {
			return fatalf("seek error: %s", queue.Strerror(err))
		}
		m.state = stateHeader
		m.doPrint = m.o.header
	}
	return nil
}

// show prints one record that has no effect on the state machine and
// returns the type to remember as the previous one.
func (m *machine) show(rec record.Record) byte {
	w := m.p.w
	name := record.Name(rec.Type)
	switch rec.Type {
	case record.Time:
		sec, _ := record.ParseTime(rec.Data)
		fmt.Fprintf(w, "%s: %s", name, queue.Asctime(sec))
	case record.Warn:
		fmt.Fprintf(w, "%s: %s", name, queue.Asctime(record.Atol(record.CString(rec.Data))))
	case record.Cont:
		if m.state == stateEnv {
			fmt.Fprintf(w, "%s: ", name)
		} else if m.o.verbose {
			w.WriteString("unterminated_text: ")
		}
		w.Write(rec.Data)
		if m.state == stateEnv || m.o.verbose || m.o.offset {
			w.WriteByte('\n')
			return 0
		}
	case record.Norm:
		if m.o.verbose {
			fmt.Fprintf(w, "%s: ", name)
		}
		w.Write(rec.Data)
		w.WriteByte('\n')
	case record.Padding:
		fmt.Fprintf(w, "%s: ", name)
		w.Write(rec.Data)
		w.WriteByte('\n')
	case record.Attr:
		s := record.CString(rec.Data)
		attrName, value, bad := record.SplitNameVal(s)
		switch {
		case bad != "":
			m.log.Warnf("%s: malformed attribute: %s: %s", m.r.Path(), bad, truncate(s, 100))
		case attrName == "create_time":
			fmt.Fprintf(w, "create_time: %s", queue.Asctime(record.Atol(value)))
		default:
			fmt.Fprintf(w, "%s: %s=%s\n", name, attrName, value)
		}
	default:
		fmt.Fprintf(w, "%s: %s\n", name, record.CString(rec.Data))
	}
	return rec.Type
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
