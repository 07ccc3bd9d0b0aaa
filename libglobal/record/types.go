package record

// Record types (rec_type.h). Filter and Cont share the letter 'L': in the
// envelope and extracted segments it names a content filter, in the
// message content a line piece that continues in the next record.
const (
	Size      byte = 'C' // first record of a cleanup-made file, fixed width
	Time      byte = 'T' // arrival time "sec usec"
	CTime     byte = 'c' // queue file creation time (A create_time= in files)
	Full      byte = 'F' // sender full name
	Insp      byte = 'I' // content inspector transport
	Filter    byte = 'L' // content filter (envelope, extracted)
	From      byte = 'S' // envelope sender
	Done      byte = 'D' // recipient already handled
	Rcpt      byte = 'R' // recipient still to deliver
	ORcpt     byte = 'O' // original form of the next recipient
	Canceled  byte = '/' // recipient deleted by a Milter
	Warn      byte = 'W' // time of the next delay warning, "%15ld"
	Attr      byte = 'A' // named attribute name=value
	Kill      byte = 'K' // record disabled in place
	Redirect  byte = '>' // REDIRECT target
	Flags     byte = 'f' // cleanup processing flags (IPC only)
	Delay     byte = 'd' // cleanup delay (IPC only)
	Mesg      byte = 'M' // start of the message content
	Cont      byte = 'L' // unterminated text (content)
	Norm      byte = 'N' // one line of text
	Padding   byte = 'w' // padding, skipped by normal readers
	Xtra      byte = 'X' // start of the extracted segment
	RRTo      byte = 'r' // Return-Receipt-To (obsolete)
	ErrorsTo  byte = 'e' // Errors-To (obsolete)
	Prio      byte = 'P' // priority (unused)
	Ptr       byte = 'p' // continue reading at this offset, "%15ld"
	Verp      byte = 'V' // VERP delimiters
	DSNRet    byte = '<' // DSN RET (A ret_flags= in files)
	DSNEnvID  byte = 'i' // DSN ENVID (A envelope_id= in files)
	DSNORcpt  byte = 'o' // DSN ORCPT (A dsn_orig_rcpt= in files)
	DSNNotify byte = 'n' // DSN NOTIFY (A notify_flags= in files)
	MiltCount byte = 'm' // Milter count (IPC only)
	End       byte = 'E' // end of file, required
)

// Allowed record types per segment; the first byte of each set is the
// record that ends the segment.
const (
	EnvelopeTypes = "MCTcFILSDRO/WVA>K<ion"
	ContentTypes  = "XLNw"
	ExtractTypes  = "EDRO/PreAFIL>Kon"

	// The subset postdrop accepts from sendmail.
	PostEnvelopeTypes = "MFSRVAin"
	PostContentTypes  = "XLN"
	PostExtractTypes  = "EAR"

	// Records of a "pure recipient" sequence at the end of a segment.
	EnvRecipientTypes = "MDRO/Kon"
	ExtRecipientTypes = "EDRO/Kon"
)

// Fixed-width formats of records that are updated in place.
const (
	PtrPayloadSize = 15 // data length of a pointer record
	WarnWidth      = 15 // data length of a warning-time record
)

// names is rec_type_names in rec_type.c, in its order: the first match
// wins, so 'L' is named content_filter.
var names = []struct {
	t    byte
	name string
}{
	{Size, "message_size"},
	{Time, "message_arrival_time"},
	{CTime, "queue_file_create_time"},
	{Full, "sender_fullname"},
	{Insp, "content_inspector"},
	{Filter, "content_filter"},
	{From, "sender"},
	{Done, "done_recipient"},
	{Canceled, "canceled_recipient"},
	{Rcpt, "recipient"},
	{ORcpt, "original_recipient"},
	{Warn, "warning_message_time"},
	{Attr, "named_attribute"},
	{Ptr, "pointer_record"},
	{Kill, "killed_record"},
	{Mesg, "message_content"},
	{Cont, "unterminated_text"},
	{Norm, "regular_text"},
	{Padding, "padding"},
	{Xtra, "extracted_info"},
	{RRTo, "return_receipt"},
	{ErrorsTo, "errors_to"},
	{Prio, "priority"},
	{Verp, "verp_delimiters"},
	{End, "message_end"},
	{Redirect, "redirect_to"},
	{Flags, "flags"},
	{DSNRet, "dsn_return_flags"},
	{DSNEnvID, "dsn_envelope_id"},
	{DSNORcpt, "dsn_original_recipient"},
	{DSNNotify, "dsn_notify_flags"},
}

// Name returns the printable name of a record type, as postcat shows it.
func Name(t byte) string {
	for _, n := range names {
		if n.t == t {
			return n.name
		}
	}
	return "unknown_record_type"
}

// In reports whether t is one of the types in set. Like Postfix's
// strchr(set, t), the NUL byte is a member of every set.
func In(set string, t byte) bool {
	if t == 0 {
		return true
	}
	for i := 0; i < len(set); i++ {
		if set[i] == t {
			return true
		}
	}
	return false
}
