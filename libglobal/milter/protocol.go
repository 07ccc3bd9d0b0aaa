package milter

// MTA commands (SMFIC_*), with the names Postfix logs.
const (
	cmdAbort   = 'A'
	cmdBody    = 'B'
	cmdConnect = 'C'
	cmdMacro   = 'D'
	cmdEOB     = 'E'
	cmdHelo    = 'H'
	cmdHeader  = 'L'
	cmdMail    = 'M'
	cmdEOH     = 'N'
	cmdOptneg  = 'O'
	cmdQuit    = 'Q'
	cmdRcpt    = 'R'
	cmdData    = 'T'
	cmdUnknown = 'U'
)

var cmdNames = map[byte]string{
	cmdAbort: "SMFIC_ABORT", cmdBody: "SMFIC_BODY", cmdConnect: "SMFIC_CONNECT",
	cmdMacro: "SMFIC_MACRO", cmdEOB: "SMFIC_BODYEOB", cmdHelo: "SMFIC_HELO",
	cmdHeader: "SMFIC_HEADER", cmdMail: "SMFIC_MAIL", cmdEOH: "SMFIC_EOH",
	cmdOptneg: "SMFIC_OPTNEG", cmdQuit: "SMFIC_QUIT", cmdRcpt: "SMFIC_RCPT",
	cmdData: "SMFIC_DATA", cmdUnknown: "SMFIC_UNKNOWN", 'K': "SMFIC_QUIT_NC",
}

func cmdName(c byte) string {
	if s, ok := cmdNames[c]; ok {
		return s
	}
	return "(unknown MTA event)"
}

// Milter replies (SMFIR_*).
const (
	repAddRcpt    = '+'
	repDelRcpt    = '-'
	repAccept     = 'a'
	repReplBody   = 'b'
	repContinue   = 'c'
	repDiscard    = 'd'
	repConnFail   = 'f'
	repChgHeader  = 'm'
	repProgress   = 'p'
	repReject     = 'r'
	repTempfail   = 't'
	repShutdown   = '4'
	repAddHeader  = 'h'
	repInsHeader  = 'i'
	repReplyCode  = 'y'
	repQuarantine = 'q'
	repSkip       = 's'
	repChgFrom    = 'e'
	repAddRcptPar = '2'
	repSetSymList = 'l'
)

var repNames = map[byte]string{
	repAddRcpt: "SMFIR_ADDRCPT", repDelRcpt: "SMFIR_DELRCPT", repAccept: "SMFIR_ACCEPT",
	repReplBody: "SMFIR_REPLBODY", repContinue: "SMFIR_CONTINUE", repDiscard: "SMFIR_DISCARD",
	repConnFail: "SMFIR_CONN_FAIL", repChgHeader: "SMFIR_CHGHEADER", repProgress: "SMFIR_PROGRESS",
	repReject: "SMFIR_REJECT", repTempfail: "SMFIR_TEMPFAIL", repShutdown: "SMFIR_SHUTDOWN",
	repAddHeader: "SMFIR_ADDHEADER", repInsHeader: "SMFIR_INSHEADER", repReplyCode: "SMFIR_REPLYCODE",
	repQuarantine: "SMFIR_QUARANTINE", repSkip: "SMFIR_SKIP", repChgFrom: "SMFIR_CHGFROM",
	repAddRcptPar: "SMFIR_ADDRCPT_PAR", repSetSymList: "SMFIR_SETSYMLIST",
}

// Protocol flags (SMFIP_*).
const (
	pNoConnect  = 1 << 0
	pNoHelo     = 1 << 1
	pNoMail     = 1 << 2
	pNoRcpt     = 1 << 3
	pNoBody     = 1 << 4
	pNoHdrs     = 1 << 5
	pNoEOH      = 1 << 6
	pNRHdr      = 1 << 7
	pNoUnknown  = 1 << 8
	pNoData     = 1 << 9
	pSkip       = 1 << 10
	pRcptRej    = 1 << 11
	pNRConn     = 1 << 12
	pNRHelo     = 1 << 13
	pNRMail     = 1 << 14
	pNRRcpt     = 1 << 15
	pNRData     = 1 << 16
	pNRUnkn     = 1 << 17
	pNREOH      = 1 << 18
	pNRBody     = 1 << 19
	pHdrLeadSpc = 1 << 20

	noSendMask = pNoConnect | pNoHelo | pNoMail | pNoRcpt | pNoBody | pNoHdrs |
		pNoEOH | pNoUnknown | pNoData
	noReplyMask = pNRConn | pNRHelo | pNRMail | pNRRcpt | pNRData | pNRUnkn |
		pNRHdr | pNREOH | pNRBody
)

// The events each protocol version defines (what Postfix offers).
const (
	v2Mask = pNoConnect | pNoHelo | pNoMail | pNoRcpt | pNoBody | pNoHdrs | pNoEOH
	v3Mask = v2Mask | pNoUnknown
	v4Mask = v3Mask | pNoData
	v6Mask = v4Mask | pSkip | pRcptRej | noReplyMask | pHdrLeadSpc
)

// versionMasks is in descending version order: a milter that answers with
// a version Postfix has no entry for gets the next lower one.
var versionMasks = []struct {
	version int
	mask    uint32
}{{6, v6Mask}, {4, v4Mask}, {3, v3Mask}, {2, v2Mask}}

// Actions Postfix allows (SMFIF_*).
const (
	aAddHdrs    = 1 << 0
	aChgBody    = 1 << 1
	aAddRcpt    = 1 << 2
	aDelRcpt    = 1 << 3
	aChgHdrs    = 1 << 4
	aQuarantine = 1 << 5
	aChgFrom    = 1 << 6
	aAddRcptPar = 1 << 7
	aSetSymList = 1 << 8

	myActions = aAddHdrs | aAddRcpt | aDelRcpt | aChgHdrs | aChgBody |
		aQuarantine | aChgFrom | aAddRcptPar | aSetSymList
)

// Address families of the CONNECT event (SMFIA_*).
const (
	famUnknown = 'U'
	famUnix    = 'L'
	famInet    = '4'
	famInet6   = '6'
)

// chunkSize is the largest body chunk Postfix sends.
const chunkSize = 65535

// maxData bounds a reply packet (INT_MAX / 2).
const maxData = 1<<31/2 - 1

// Milter states (MILTER8_STAT_*); the numbers go over the wire in the
// smtpd -> cleanup hand-off.
const (
	statError     = 1
	statClosed    = 2
	statReady     = 3
	statEnvelope  = 4
	statMessage   = 5
	statAcceptCon = 6
	statAcceptMsg = 7
	statRejectCon = 8
)
