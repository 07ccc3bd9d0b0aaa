package deliver

import "gopostfix/libglobal/util/attr"

// Recipient is one envelope recipient as it travels in a delivery
// request and to the bounce services (RECIPIENT).
type Recipient struct {
	Offset    int64  // queue file offset of the R record; -1 when none
	DSNOrcpt  string // DSN ORCPT ("rfc822;user@example") or ""
	DSNNotify int    // DSN NOTIFY bits, 0 when unspecified
	OrigAddr  string // address before rewriting, or ""
	Address   string // the recipient
}

// Attribute names of the recipient group (mail_proto.h).
const (
	AttrOrigRcpt  = "original_recipient"
	AttrRecipient = "recipient"
	AttrOffset    = "offset"
	AttrDSNOrcpt  = "dsn_orig_rcpt"
	AttrDSNNotify = "notify_flags"
)

// Attrs returns the recipient as rcpt_print sends it.
func (r Recipient) Attrs() []attr.Attr {
	return []attr.Attr{
		attr.Str(AttrOrigRcpt, r.OrigAddr),
		attr.Str(AttrRecipient, r.Address),
		attr.Long(AttrOffset, r.Offset),
		attr.Str(AttrDSNOrcpt, r.DSNOrcpt),
		attr.Int(AttrDSNNotify, r.DSNNotify),
	}
}

// Targets returns receive targets in rcpb_scan's order.
func (r *Recipient) Targets() []attr.Recv {
	return []attr.Recv{
		attr.RecvStr(AttrOrigRcpt, &r.OrigAddr),
		attr.RecvStr(AttrRecipient, &r.Address),
		attr.RecvLong(AttrOffset, &r.Offset),
		attr.RecvStr(AttrDSNOrcpt, &r.DSNOrcpt),
		attr.RecvInt(AttrDSNNotify, &r.DSNNotify),
	}
}

// DSN NOTIFY bits (dsn_mask.h).
const (
	NotifyNever   = 1 << 0
	NotifySuccess = 1 << 1
	NotifyFailure = 1 << 2
	NotifyDelay   = 1 << 3
	notifyAny     = NotifySuccess | NotifyFailure | NotifyDelay
)

// NotifyOK reports whether v is a valid NOTIFY mask: NEVER alone, or any
// combination of the others (DSN_NOTIFY_OK).
func NotifyOK(v int) bool {
	return v == NotifyNever || (v != 0 && v&^notifyAny == 0)
}

// DSN RET values (dsn_mask.h).
const (
	RetFull = 1
	RetHdrs = 2
)

// RetOK reports whether v is a valid RET value (DSN_RET_OK).
func RetOK(v int) bool { return v == RetFull || v == RetHdrs }
