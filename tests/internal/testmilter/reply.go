package testmilter

import "encoding/binary"

// Reply is one packet the milter sends: a reply code byte (SMFIR_*) and
// its raw data. The constructors below build the usual ones.
type Reply struct {
	Code byte
	Data []byte
}

func cstr(ss ...string) []byte {
	var b []byte
	for _, s := range ss {
		b = append(b, s...)
		b = append(b, 0)
	}
	return b
}

func be32(n uint32) []byte { return binary.BigEndian.AppendUint32(nil, n) }

// Simple replies without data.
var (
	Continue = Reply{Code: 'c'}
	Accept   = Reply{Code: 'a'}
	Reject   = Reply{Code: 'r'}
	Tempfail = Reply{Code: 't'}
	Discard  = Reply{Code: 'd'}
	SkipRest = Reply{Code: 's'}
	Progress = Reply{Code: 'p'}
	Shutdown = Reply{Code: '4'}
	ConnFail = Reply{Code: 'f'}
)

// ReplyCode is SMFIR_REPLYCODE with an SMTP reply text such as
// "550 5.7.1 go away".
func ReplyCode(text string) Reply { return Reply{Code: 'y', Data: cstr(text)} }

// Quarantine is SMFIR_QUARANTINE with a reason.
func QuarantineReply(reason string) Reply { return Reply{Code: 'q', Data: cstr(reason)} }

// AddHeader appends a header (SMFIR_ADDHEADER).
func AddHeader(name, value string) Reply { return Reply{Code: 'h', Data: cstr(name, value)} }

// InsHeader inserts a header at index (SMFIR_INSHEADER).
func InsHeader(index uint32, name, value string) Reply {
	return Reply{Code: 'i', Data: append(be32(index), cstr(name, value)...)}
}

// ChgHeader changes (or, with an empty value, deletes) the index-th
// header of that name (SMFIR_CHGHEADER).
func ChgHeader(index uint32, name, value string) Reply {
	return Reply{Code: 'm', Data: append(be32(index), cstr(name, value)...)}
}

// ChgFromReply replaces the sender; args are sent only when non-empty.
func ChgFromReply(sender, args string) Reply {
	if args == "" {
		return Reply{Code: 'e', Data: cstr(sender)}
	}
	return Reply{Code: 'e', Data: cstr(sender, args)}
}

// AddRcptReply adds a recipient (SMFIR_ADDRCPT).
func AddRcptReply(rcpt string) Reply { return Reply{Code: '+', Data: cstr(rcpt)} }

// AddRcptParReply adds a recipient with ESMTP args (SMFIR_ADDRCPT_PAR).
func AddRcptParReply(rcpt, args string) Reply { return Reply{Code: '2', Data: cstr(rcpt, args)} }

// DelRcptReply deletes a recipient (SMFIR_DELRCPT).
func DelRcptReply(rcpt string) Reply { return Reply{Code: '-', Data: cstr(rcpt)} }

// ReplBody sends one chunk of replacement body (SMFIR_REPLBODY).
func ReplBody(chunk string) Reply { return Reply{Code: 'b', Data: []byte(chunk)} }

// Raw is any packet, for protocol-error tests.
func Raw(code byte, data []byte) Reply { return Reply{Code: code, Data: data} }

// packet frames a reply: 4-byte length, code, data.
func (r Reply) packet() []byte {
	b := be32(uint32(1 + len(r.Data)))
	b = append(b, r.Code)
	return append(b, r.Data...)
}
