package testmilter

// Command bytes the MTA sends (SMFIC_*).
const (
	CmdAbort   = 'A'
	CmdBody    = 'B'
	CmdConnect = 'C'
	CmdMacro   = 'D'
	CmdEOB     = 'E'
	CmdHelo    = 'H'
	CmdHeader  = 'L'
	CmdMail    = 'M'
	CmdEOH     = 'N'
	CmdOptneg  = 'O'
	CmdQuit    = 'Q'
	CmdRcpt    = 'R'
	CmdData    = 'T'
	CmdUnknown = 'U'
	CmdQuitNC  = 'K'
)

// Protocol flags (SMFIP_*) a test may put in Script.Protocol.
const (
	NoConnect  = 1 << 0
	NoHelo     = 1 << 1
	NoMail     = 1 << 2
	NoRcpt     = 1 << 3
	NoBody     = 1 << 4
	NoHdrs     = 1 << 5
	NoEOH      = 1 << 6
	NRHdr      = 1 << 7
	NoUnknown  = 1 << 8
	NoData     = 1 << 9
	Skip       = 1 << 10
	RcptRej    = 1 << 11
	NRConn     = 1 << 12
	NRHelo     = 1 << 13
	NRMail     = 1 << 14
	NRRcpt     = 1 << 15
	NRData     = 1 << 16
	NRUnknown  = 1 << 17
	NREOH      = 1 << 18
	NRBody     = 1 << 19
	HdrLeadSpc = 1 << 20
)

// Action flags (SMFIF_*) a test may put in Script.Actions.
const (
	AddHdrs    = 1 << 0
	ChgBody    = 1 << 1
	AddRcpt    = 1 << 2
	DelRcpt    = 1 << 3
	ChgHdrs    = 1 << 4
	Quarantine = 1 << 5
	ChgFrom    = 1 << 6
	AddRcptPar = 1 << 7
	SetSymList = 1 << 8
)

// Macro stages (SMFIM_*) for Script.SymLists.
const (
	StageConnect = 0
	StageHelo    = 1
	StageMail    = 2
	StageRcpt    = 3
	StageData    = 4
	StageEOM     = 5
	StageEOH     = 6
)

// noReplyFlag tells which protocol flag makes an event reply-less.
var noReplyFlag = map[byte]uint32{
	CmdConnect: NRConn, CmdHelo: NRHelo, CmdMail: NRMail, CmdRcpt: NRRcpt,
	CmdData: NRData, CmdUnknown: NRUnknown, CmdHeader: NRHdr, CmdEOH: NREOH,
	CmdBody: NRBody,
}

// eventName is the log keyword of each command byte.
var eventName = map[byte]string{
	CmdAbort: "ABORT", CmdBody: "BODY", CmdConnect: "CONNECT", CmdMacro: "MACRO",
	CmdEOB: "EOB", CmdHelo: "HELO", CmdHeader: "HEADER", CmdMail: "MAIL",
	CmdEOH: "EOH", CmdOptneg: "OPTNEG", CmdQuit: "QUIT", CmdRcpt: "RCPT",
	CmdData: "DATA", CmdUnknown: "UNKNOWN", CmdQuitNC: "QUIT_NC",
}
