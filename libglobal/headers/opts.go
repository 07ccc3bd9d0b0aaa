package headers

import (
	"strings"

	"gopostfix/libglobal/record"
)

// Header types (header_opts.h HDR_*); the values are bit positions in
// cleanup's "headers seen" mask.
const (
	Other = iota
	ApparentlyTo
	Bcc
	Cc
	ContentLength
	ContentTransferEncoding
	ContentType
	Date
	DeliveredTo
	ErrorsTo
	From
	MessageID
	Received
	ReplyTo
	ResentBcc
	ResentCc
	ResentDate
	ResentFrom
	ResentMessageID
	ResentReplyTo
	ResentSender
	ResentTo
	ReturnPath
	ReturnReceiptTo
	Sender
	To
	MailFollowupTo
	ContentDescription
	ContentDisposition
	ContentID
	MIMEVersion
	DispNotification
)

// Option flags (HDR_OPT_*).
const (
	OptDrop    = 1 << 0 // removed from the message
	OptSender  = 1 << 1 // holds sender addresses
	OptRecip   = 1 << 2 // holds recipient addresses
	OptRR      = 1 << 3 // a Resent- header
	OptExtract = 1 << 4 // sendmail -t extracts recipients from it
	OptMIME    = 1 << 5 // a MIME header
	OptXRecip  = OptRecip | OptExtract
)

// Opts describes one known header.
type Opts struct {
	Name  string // canonical spelling (lower case for drop-only entries)
	Type  int
	Flags int
}

var known = []Opts{
	{"Apparently-To", ApparentlyTo, OptRecip},
	{"Bcc", Bcc, OptXRecip},
	{"Cc", Cc, OptXRecip},
	{"Content-Description", ContentDescription, OptMIME},
	{"Content-Disposition", ContentDisposition, OptMIME},
	{"Content-ID", ContentID, OptMIME},
	{"Content-Length", ContentLength, 0},
	{"Content-Transfer-Encoding", ContentTransferEncoding, OptMIME},
	{"Content-Type", ContentType, OptMIME},
	{"Delivered-To", DeliveredTo, 0},
	{"Disposition-Notification-To", DispNotification, OptSender},
	{"Date", Date, 0},
	{"Errors-To", ErrorsTo, OptSender},
	{"From", From, OptSender},
	{"Mail-Followup-To", MailFollowupTo, OptSender},
	{"Message-Id", MessageID, 0},
	{"MIME-Version", MIMEVersion, OptMIME},
	{"Received", Received, 0},
	{"Reply-To", ReplyTo, OptSender},
	{"Resent-Bcc", ResentBcc, OptXRecip | OptRR},
	{"Resent-Cc", ResentCc, OptXRecip | OptRR},
	{"Resent-Date", ResentDate, OptRR},
	{"Resent-From", ResentFrom, OptSender | OptRR},
	{"Resent-Message-Id", ResentMessageID, OptRR},
	{"Resent-Reply-To", ResentReplyTo, OptRecip | OptRR},
	{"Resent-Sender", ResentSender, OptSender | OptRR},
	{"Resent-To", ResentTo, OptXRecip | OptRR},
	{"Return-Path", ReturnPath, OptSender},
	{"Return-Receipt-To", ReturnReceiptTo, OptSender},
	{"Sender", Sender, OptSender},
	{"To", To, OptXRecip},
}

// Table finds the options of header lines; it includes the names of
// message_drop_headers.
type Table struct {
	byName map[string]*Opts
}

// NewTable builds the table; dropHeaders is the message_drop_headers
// value (names separated by commas or white space).
func NewTable(dropHeaders string) *Table {
	t := &Table{byName: map[string]*Opts{}}
	for i := range known {
		o := known[i]
		t.byName[strings.ToLower(o.Name)] = &o
	}
	for _, n := range strings.FieldsFunc(dropHeaders, func(r rune) bool { return strings.ContainsRune(", \t\r\n", r) }) {
		n = strings.ToLower(n)
		if o := t.byName[n]; o != nil {
			o.Flags |= OptDrop
		} else {
			t.byName[n] = &Opts{Name: n, Type: Other, Flags: OptDrop}
		}
	}
	return t
}

// Find returns the options of the header that line starts, or nil for an
// unknown header (header_opts_find). line must contain a colon.
func (t *Table) Find(line string) *Opts {
	name, _, _ := strings.Cut(line, ":")
	return t.byName[strings.ToLower(strings.TrimRight(name, " \t"))]
}

// IsHeader reports whether s starts a header: "name:" where the name
// is printable ASCII without ':' and may be followed by blanks
// (is_header).
func IsHeader(s string) bool { return record.IsHeader([]byte(s)) }
