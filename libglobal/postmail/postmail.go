// Package postmail submits mail that the mail system writes itself
// (notices, postmaster copies) to the cleanup service: Postfix's
// src/global/post_mail.c, int_filt.c and the smtputf8_autodetect part of
// smtputf8.c.
//
// Open connects to public/cleanup, takes the queue ID from its greeting,
// sends the cleanup flags and a minimal envelope (time, message origin,
// trace flags, sender, recipient), then the first header lines:
//
//	Received: by $myhostname ($mail_name)
//		id QUEUEID; DATE
//	Date: DATE
//
// The caller writes the rest of the content as records through W and ends
// with Close, which reports cleanup's status (0 = queued).
package postmail

import (
	"errors"
	"fmt"
	"net"
	"time"

	"gopostfix/libglobal/cleanup"
	"gopostfix/libglobal/headers"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/namemask"
)

// Mail source classes (MAIL_SRC_MASK_*).
const (
	SrcSendmail = 1 << iota
	SrcSMTPD
	SrcQMQPD
	SrcForward
	SrcBounce
	SrcNotify
	SrcVerify
	SrcAll = SrcSendmail | SrcSMTPD | SrcQMQPD | SrcForward | SrcBounce | SrcNotify | SrcVerify
)

// Cleanup request flags used here (cleanup_user.h).
const (
	FlagBounce   = 1 << 0
	FlagFilter   = 1 << 1
	FlagMapOK    = 1 << 5
	FlagMilter   = 1 << 6
	FlagSMTPUTF8 = 1 << 8
	FlagAutoUTF8 = 1 << 9
	// StatWrite is CLEANUP_STAT_WRITE, Close's status when the stream broke.
	StatWrite = 1 << 1
)

// SMTPUTF8Requested is SMTPUTF8_FLAG_REQUESTED.
const SMTPUTF8Requested = 1 << 0

// Params are the settings a submission needs.
type Params struct {
	QueueDir       string
	CleanupService string // cleanup_service_name
	Myhostname     string
	MailName       string // mail_name
	// FilterClasses is internal_mail_filter_classes, AutoUTF8Classes
	// smtputf8_autodetect_classes.
	FilterClasses, AutoUTF8Classes string
	Timeout                        time.Duration // ipc_timeout
	Now                            func() time.Time
}

var filterNames = []namemask.Name{{Name: "notify", Mask: SrcNotify}, {Name: "bounce", Mask: SrcBounce},
	{Name: "sendmail"}, {Name: "smtpd"}, {Name: "qmqpd"}, {Name: "forward"}, {Name: "verify"}}

var autoNames = []namemask.Name{{Name: "sendmail", Mask: SrcSendmail}, {Name: "smtpd", Mask: SrcSMTPD},
	{Name: "qmqpd", Mask: SrcQMQPD}, {Name: "forward", Mask: SrcForward}, {Name: "bounce", Mask: SrcBounce},
	{Name: "notify", Mask: SrcNotify}, {Name: "verify", Mask: SrcVerify}, {Name: "all", Mask: SrcAll}}

// Flags returns the cleanup flags for mail of a source class
// (int_filt_flags | CLEANUP_FLAG_MASK_INTERNAL | smtputf8_autodetect);
// warn receives Postfix's "bad input" warnings. An unknown class name is
// an error.
func (p *Params) Flags(class, utf8Flags int, warn func(string, ...any)) (int, error) {
	flags := FlagMapOK
	if p.FilterClasses != "" {
		m, err := namemask.Parse("internal_mail_filter_classes", filterNames, p.FilterClasses)
		if err != nil {
			return 0, err
		}
		if m == 0 {
			warn("%s: bad input: %s", "internal_mail_filter_classes", p.FilterClasses)
		}
		if m&class != 0 {
			flags |= FlagFilter | FlagMilter
		}
	}
	if p.AutoUTF8Classes != "" {
		m, err := namemask.Parse("smtputf8_autodetect_classes", autoNames, p.AutoUTF8Classes)
		if err != nil {
			return 0, err
		}
		if m == 0 {
			warn("%s: bad input: %s", "smtputf8_autodetect_classes", p.AutoUTF8Classes)
		}
		if m&class != 0 {
			flags |= FlagAutoUTF8
		}
	}
	if utf8Flags&SMTPUTF8Requested != 0 {
		flags |= FlagSMTPUTF8
	}
	return flags, nil
}

// Post is one message on its way to cleanup.
type Post struct {
	ID string
	W  *record.Writer
	s  *cleanup.Stream
}

// Connect opens a cleanup session through the cleanup client: it
// connects, reads the queue ID from the greeting and sends flags. The
// caller writes the whole record stream through W. A failed connection
// is an error worded as Postfix's warning; a broken greeting is a
// *FatalError.
func Connect(p *Params, flags int) (*Post, error) {
	s, err := cleanup.Open(p.QueueDir, p.CleanupService, flags, p.Timeout)
	if err != nil {
		var oe *net.OpError
		if errors.As(err, &oe) {
			return nil, &ConnectError{Service: p.CleanupService, Errno: dict.ErrnoText(err)}
		}
		return nil, &FatalError{fmt.Sprintf("unable to contact the %s service", p.CleanupService)}
	}
	return &Post{ID: s.ID, W: s.W, s: s}, nil
}

// Open starts a message from sender to recipient (post_mail_fopen_nowait):
// Connect, then the minimal envelope and the Received: and Date:
// headers.
func Open(p *Params, flags int, sender, recipient string, traceFlags int) (*Post, error) {
	post, err := Connect(p, flags)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	if p.Now != nil {
		now = p.Now()
	}
	date := headers.MailDate(now)
	w := post.W
	w.Printf(record.Time, "%d %d", now.Unix(), now.Nanosecond()/1000)
	w.PutAttr("log_message_origin", "local")
	w.PutAttr("trace_flags", fmt.Sprint(traceFlags))
	w.PutString(record.From, sender)
	w.PutString(record.Rcpt, recipient)
	w.PutString(record.Mesg, "")
	w.PutString(record.Norm, fmt.Sprintf("Received: by %s (%s)", p.Myhostname, p.MailName))
	w.PutString(record.Norm, fmt.Sprintf("\tid %s; %s", post.ID, date))
	w.PutString(record.Norm, "Date: "+date)
	return post, nil
}

// Close ends the message and returns cleanup's status: 0 when it was
// queued, StatWrite when the stream broke (post_mail_fclose).
func (p *Post) Close() int {
	if p.W.Err() != nil {
		p.s.Close()
		return StatWrite
	}
	p.W.PutString(record.Xtra, "")
	p.W.PutString(record.End, "")
	return p.Finish()
}

// Finish flushes what was written and reads cleanup's status, for
// callers that wrote the end records themselves.
func (p *Post) Finish() int {
	defer p.s.Close()
	status, _, err := p.s.Finish()
	if err != nil {
		return StatWrite
	}
	return status
}

// Abort drops the connection without the end marker, so cleanup discards
// what it received.
func (p *Post) Abort() { p.s.Close() }

// ConnectError is a failed connection to the cleanup service; Errno is
// the system error text (what Postfix's %m shows).
type ConnectError struct{ Service, Errno string }

func (e *ConnectError) Error() string { return "connect to public/" + e.Service + ": " + e.Errno }

// FatalError is a failure Postfix treats as fatal to the process.
type FatalError struct{ Text string }

func (e *FatalError) Error() string { return e.Text }
