package mbox

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"

	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/tok822"
	"gopostfix/libglobal/util/dict"
)

// Copy flags (MAIL_COPY_*).
const (
	CopyQuote      = 1 << iota // prepend ">" to "From " lines
	CopyToFile                 // fsync, and truncate on failure
	CopyFrom                   // prepend the "From " line
	CopyDelivered              // prepend Delivered-To:
	CopyReturnPath             // prepend Return-Path:
	CopyDot                    // double a leading "." (BSMTP)
	CopyBlank                  // append an empty line
	CopyOrigRcpt               // prepend X-Original-To:

	// CopyMbox is what a mailbox or /file delivery uses.
	CopyMbox = CopyFrom | CopyQuote | CopyToFile | CopyDelivered | CopyReturnPath | CopyBlank | CopyOrigRcpt
)

// Copy results (MAIL_COPY_STAT_*), besides the *Error.
const (
	StatCorrupt = 1 << iota
	StatRead
	StatWrite
)

// CopyArgs describe one copy of a message.
type CopyArgs struct {
	Sender    string // envelope sender ("" is the null sender)
	OrigRcpt  string // original recipient, for X-Original-To:
	Delivered string // Delivered-To: address
	// EnableOrigRcpt is enable_original_recipient; without it no
	// X-Original-To: is written.
	EnableOrigRcpt bool
	// Src is the queue file, positioned at the first content record.
	Src *os.File
	// Flags select headers and quoting; EOL ends each line ("\n").
	Flags int
	EOL   string
	Now   time.Time
	// MarkCorrupt is called when the content is damaged (mark_corrupt);
	// it may be nil.
	MarkCorrupt func()
	// Warn logs a warning.
	Warn func(format string, args ...any)
}

// Copy writes the message to dst as mail_copy does, then closes dst. For
// CopyToFile, dst must be an *os.File: it is fsync'd, and cut back to its
// old length when anything failed. The result is a mask of Stat* bits
// (0 on success) and, for read and write problems, the reason.
func Copy(a CopyArgs, dst io.WriteCloser) (int, *Error) {
	var file *os.File
	var origLen int64
	if a.Flags&CopyToFile != 0 {
		file = dst.(*os.File)
		n, err := file.Seek(0, io.SeekEnd)
		if err != nil {
			return StatWrite, &Error{Status: "5.3.0", Reason: fmt.Sprintf("seek file %s: %s", file.Name(), dict.ErrnoText(err))}
		}
		origLen = n
	}
	w := bufio.NewWriterSize(dst, 8192)
	eol := a.EOL
	if a.Flags&(CopyFrom|CopyReturnPath) != 0 {
		q := tok822.QuoteLocal(a.Sender, tok822.QuoteDefault)
		if a.Flags&CopyFrom != 0 {
			from := q
			if a.Sender == "" {
				from = "MAILER-DAEMON"
			}
			fmt.Fprintf(w, "From %s  %.24s%s", from, queue.Asctime(a.Now.Unix()), eol)
		}
		if a.Flags&CopyReturnPath != 0 {
			if a.Sender == "" {
				q = ""
			}
			fmt.Fprintf(w, "Return-Path: <%s>%s", q, eol)
		}
	}
	if a.Flags&CopyOrigRcpt != 0 && a.EnableOrigRcpt && a.OrigRcpt != "" {
		fmt.Fprintf(w, "X-Original-To: %s%s", tok822.QuoteLocal(a.OrigRcpt, tok822.QuoteDefault), eol)
	}
	if a.Flags&CopyDelivered != 0 {
		fmt.Fprintf(w, "Delivered-To: %s%s", tok822.QuoteLocal(a.Delivered, tok822.QuoteDefault), eol)
	}

	rd := record.NewReader(a.Src, a.Src.Name(), record.Default, 0)
	prev := record.Norm
	var readErr, writeErr error
	var typ byte
	corrupt := false
	for {
		rec, err := rd.Next()
		if err != nil {
			if err != io.EOF {
				if isSysErr(err) {
					readErr = err
				}
			}
			typ = 0
			break
		}
		typ = rec.Type
		if typ != record.Norm && typ != record.Cont {
			break
		}
		if prev == record.Norm {
			if a.Flags&CopyQuote != 0 && len(rec.Data) >= 5 && string(rec.Data[:5]) == "From " {
				w.WriteByte('>')
			}
			if a.Flags&CopyDot != 0 && len(rec.Data) > 0 && rec.Data[0] == '.' {
				w.WriteByte('.')
			}
		}
		if _, err := w.Write(rec.Data); err != nil {
			writeErr = err
			break
		}
		if typ == record.Norm {
			if _, err := w.WriteString(eol); err != nil {
				writeErr = err
				break
			}
		}
		prev = typ
	}
	if writeErr == nil {
		if typ != record.Xtra {
			if a.Warn != nil {
				a.Warn("bad record type: %d in message content", recTypeNumber(typ))
			}
			corrupt = true
			if a.MarkCorrupt != nil {
				a.MarkCorrupt()
			}
		}
		if prev != record.Norm {
			w.WriteString(eol)
		}
		if a.Flags&CopyBlank != 0 {
			w.WriteString(eol)
		}
	}
	if err := w.Flush(); err != nil && writeErr == nil {
		writeErr = err
	}
	if file != nil && writeErr == nil {
		if err := file.Sync(); err != nil {
			writeErr = err
		}
	}
	if file != nil && (corrupt || readErr != nil || writeErr != nil) {
		file.Truncate(origLen)
	}
	if err := dst.Close(); err != nil && writeErr == nil {
		writeErr = err
	}
	stat := 0
	var why *Error
	if corrupt {
		stat |= StatCorrupt
	}
	if readErr != nil {
		stat |= StatRead
		st := "5.3.0"
		if en := errnoOf(readErr); en == syscall.EAGAIN || en == syscall.ESTALE {
			st = "4.3.0"
		}
		why = &Error{Status: st, DiagType: "x-unix", DiagText: "input/output error",
			Reason: "error reading message: " + dict.ErrnoText(readErr), Errno: errnoOf(readErr)}
	}
	if writeErr != nil {
		stat |= StatWrite
		why = &Error{Status: StatusFor(writeErr, "5.3.0"), DiagType: "x-unix", DiagText: "input/output error",
			Reason: "error writing message: " + dict.ErrnoText(writeErr), Errno: errnoOf(writeErr)}
	}
	return stat, why
}

// isSysErr tells an I/O error from damaged content.
func isSysErr(err error) bool {
	var fe *record.FormatError
	return !errors.As(err, &fe)
}

// recTypeNumber is the number Postfix prints for a record type: the
// type byte, or -1 at end of file.
func recTypeNumber(t byte) int {
	if t == 0 {
		return -1
	}
	return int(t)
}
