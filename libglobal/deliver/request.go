package deliver

import (
	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/util/attr"
)

// Request flags (deliver_request.h DEL_REQ_FLAG_*).
const (
	FlagSuccess    = 1 << 0 // mark successful recipients done
	FlagBounce     = 1 << 1 // mark bounced recipients done
	FlagDefault    = FlagSuccess | FlagBounce
	FlagMTAVrfy    = 1 << 8  // MTA-requested address probe
	FlagUserVrfy   = 1 << 9  // user-requested probe (sendmail -bv)
	FlagRecord     = 1 << 10 // record and deliver (sendmail -v)
	FlagConnLoad   = 1 << 11 // consult the connection cache
	FlagConnStore  = 1 << 12 // update the connection cache
	FlagRecDlySent = 1 << 13 // record delayed deliveries

	FlagConnMask  = FlagConnLoad | FlagConnStore
	TraceMask     = FlagMTAVrfy | FlagUserVrfy | FlagRecord | FlagRecDlySent
	TraceOnlyMask = FlagMTAVrfy | FlagUserVrfy
)

// TraceFlags keeps the flags that concern the trace service
// (DEL_REQ_TRACE_FLAGS); delivery agents pass them to bounce/defer/sent.
func TraceFlags(f int) int { return f & TraceMask }

// Request status values (DEL_STAT_*): every recipient was handled, or not.
const (
	StatFinal = 0
	StatDefer = -1
)

// Attribute names of the request (mail_proto.h).
const (
	AttrFlags       = "flags"
	AttrQueue       = "queue_name"
	AttrQueueID     = "queue_id"
	AttrSize        = "size"
	AttrNexthop     = "nexthop"
	AttrEncoding    = "encoding"
	AttrSMTPUTF8    = "smtputf8"
	AttrSender      = "sender"
	AttrEnvID       = "envelope_id"
	AttrRet         = "ret_flags"
	AttrTime        = "time"
	AttrClientName  = "log_client_name"
	AttrClientAddr  = "log_client_address"
	AttrClientPort  = "log_client_port"
	AttrProtoName   = "log_protocol_name"
	AttrHeloName    = "log_helo_name"
	AttrSASLMethod  = "sasl_method"
	AttrSASLUser    = "sasl_username"
	AttrSASLSender  = "sasl_sender"
	AttrLogIdent    = "log_ident"
	AttrRwrContext  = "rewrite_context"
	AttrRcptCount   = "recipient_count"
	AttrStatus      = "status"
	commonAttrCount = 23
)

// Request is one delivery request (DELIVER_REQUEST).
type Request struct {
	Flags          int
	QueueName      string
	QueueID        string
	DataOffset     int64 // offset of the message content
	DataSize       int64 // content length
	Nexthop        string
	Encoding       string // "", "7bit", "8bit"
	SMTPUTF8       int
	Sender         string
	EnvID          string // DSN ENVID
	Ret            int    // DSN RET
	Stats          Stats
	ClientName     string
	ClientAddr     string
	ClientPort     string
	ClientProto    string
	ClientHelo     string
	SASLMethod     string
	SASLUsername   string
	SASLSender     string
	LogIdent       string
	RewriteContext string
	Rcpts          []Recipient

	// HopStatus is the agent's reason for a whole-request problem, sent
	// back to qmgr (nil: nothing to report).
	HopStatus *dsn.DSN
}

// commonAttrs is the first record qmgr sends, in wire order.
func (r *Request) commonAttrs() []attr.Attr {
	return []attr.Attr{
		attr.Int(AttrFlags, r.Flags),
		attr.Str(AttrQueue, r.QueueName),
		attr.Str(AttrQueueID, r.QueueID),
		attr.Long(AttrOffset, r.DataOffset),
		attr.Long(AttrSize, r.DataSize),
		attr.Str(AttrNexthop, r.Nexthop),
		attr.Str(AttrEncoding, r.Encoding),
		attr.Int(AttrSMTPUTF8, r.SMTPUTF8),
		attr.Str(AttrSender, r.Sender),
		attr.Str(AttrEnvID, r.EnvID),
		attr.Int(AttrRet, r.Ret),
		attr.Data(AttrTime, r.Stats.Encode()),
		attr.Str(AttrClientName, r.ClientName),
		attr.Str(AttrClientAddr, r.ClientAddr),
		attr.Str(AttrClientPort, r.ClientPort),
		attr.Str(AttrProtoName, r.ClientProto),
		attr.Str(AttrHeloName, r.ClientHelo),
		attr.Str(AttrSASLMethod, r.SASLMethod),
		attr.Str(AttrSASLUser, r.SASLUsername),
		attr.Str(AttrSASLSender, r.SASLSender),
		attr.Str(AttrLogIdent, r.LogIdent),
		attr.Str(AttrRwrContext, r.RewriteContext),
		attr.Int(AttrRcptCount, len(r.Rcpts)),
	}
}

// commonTargets receives the first record; the raw stats and the
// recipient count land in the given variables.
func (r *Request) commonTargets(stats *[]byte, count *int) []attr.Recv {
	return []attr.Recv{
		attr.RecvInt(AttrFlags, &r.Flags),
		attr.RecvStr(AttrQueue, &r.QueueName),
		attr.RecvStr(AttrQueueID, &r.QueueID),
		attr.RecvLong(AttrOffset, &r.DataOffset),
		attr.RecvLong(AttrSize, &r.DataSize),
		attr.RecvStr(AttrNexthop, &r.Nexthop),
		attr.RecvStr(AttrEncoding, &r.Encoding),
		attr.RecvInt(AttrSMTPUTF8, &r.SMTPUTF8),
		attr.RecvStr(AttrSender, &r.Sender),
		attr.RecvStr(AttrEnvID, &r.EnvID),
		attr.RecvInt(AttrRet, &r.Ret),
		attr.RecvData(AttrTime, stats),
		attr.RecvStr(AttrClientName, &r.ClientName),
		attr.RecvStr(AttrClientAddr, &r.ClientAddr),
		attr.RecvStr(AttrClientPort, &r.ClientPort),
		attr.RecvStr(AttrProtoName, &r.ClientProto),
		attr.RecvStr(AttrHeloName, &r.ClientHelo),
		attr.RecvStr(AttrSASLMethod, &r.SASLMethod),
		attr.RecvStr(AttrSASLUser, &r.SASLUsername),
		attr.RecvStr(AttrSASLSender, &r.SASLSender),
		attr.RecvStr(AttrLogIdent, &r.LogIdent),
		attr.RecvStr(AttrRwrContext, &r.RewriteContext),
		attr.RecvInt(AttrRcptCount, count),
	}
}
