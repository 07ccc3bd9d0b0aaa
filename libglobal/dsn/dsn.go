package dsn

import (
	"gopostfix/libglobal/util/attr"
)

// DSN is one delivery status: the RFC 3463 status, the RFC 3464 action,
// the free-text reason, and the optional diagnostic and remote MTA
// information.
type DSN struct {
	Status string // "5.1.1"
	Action string // "failed", "delayed", "delivered", ... or ""
	Reason string // free text
	DType  string // diagnostic type: "", "smtp", "x-unix"
	DText  string // diagnostic text
	MType  string // remote MTA type: "" or "dns"
	MName  string // remote MTA name
}

// Simple returns a DSN with only a status and a reason (DSN_SIMPLE).
func Simple(status, reason string) DSN {
	return DSN{Status: status, Reason: reason}
}

// Normalize applies dsn_create's rules: a diagnostic type without text
// (or text without type) is dropped, and so is half an MTA name.
func (d DSN) Normalize() DSN {
	if d.DType == "" || d.DText == "" {
		d.DType, d.DText = "", ""
	}
	if d.MType == "" || d.MName == "" {
		d.MType, d.MName = "", ""
	}
	return d
}

// Attribute names of the DSN group (mail_proto.h), in wire order.
const (
	AttrStatus = "status"
	AttrDType  = "diag_type"
	AttrDText  = "diag_text"
	AttrMType  = "mta_type"
	AttrMName  = "mta_mname"
	AttrAction = "action"
	AttrReason = "reason"
)

// Attrs returns the DSN as the seven attributes dsn_print sends.
func (d DSN) Attrs() []attr.Attr {
	return []attr.Attr{
		attr.Str(AttrStatus, d.Status),
		attr.Str(AttrDType, d.DType),
		attr.Str(AttrDText, d.DText),
		attr.Str(AttrMType, d.MType),
		attr.Str(AttrMName, d.MName),
		attr.Str(AttrAction, d.Action),
		attr.Str(AttrReason, d.Reason),
	}
}

// Targets returns receive targets for the seven attributes, in order
// (dsb_scan).
func (d *DSN) Targets() []attr.Recv {
	return []attr.Recv{
		attr.RecvStr(AttrStatus, &d.Status),
		attr.RecvStr(AttrDType, &d.DType),
		attr.RecvStr(AttrDText, &d.DText),
		attr.RecvStr(AttrMType, &d.MType),
		attr.RecvStr(AttrMName, &d.MName),
		attr.RecvStr(AttrAction, &d.Action),
		attr.RecvStr(AttrReason, &d.Reason),
	}
}
