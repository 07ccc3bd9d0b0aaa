package smtpd

import (
	"net"
	"strings"
)

// Milters is the Milter client of one session: libglobal/milter's
// Milters, adapted by the program's main. Each event returns "" when
// the Milters have nothing to say, else "D" (discard), "H..."
// (quarantine), "S" (shut down) or an SMTP reply, as Postfix's
// milter_*_event functions do.
type Milters interface {
	// SetMacroLookup installs the session's macro values.
	SetMacroLookup(fn func(name string) (value string, ok bool))
	ConnEvent(name, addr, port string, family int) string
	HeloEvent(helo string, esmtp bool) string
	MailEvent(args []string) string
	// RcptEvent reports a recipient; rejected says that smtpd already
	// rejected it (MILTER_FLAG_WANT_RCPT_REJ: only Milters that asked
	// for rejected recipients see it).
	RcptEvent(rejected bool, args []string) string
	DataEvent() string
	UnknownEvent(command string) string
	OtherEvent() string
	// Abort ends the Milters' mail transaction (RSET, a new HELO).
	Abort()
	// DiscEvent reports the end of the SMTP session.
	DiscEvent()
	// Close disconnects from the Milters.
	Close()
}

// milterDisable is the smtpd_milter_maps result that turns Milters off
// for a client (SMTPD_MILTERS_DISABLE).
const milterDisable = "DISABLE"

// Address families for the connect event, as the Milter protocol has
// them (AF_INET, AF_INET6; 0 when the address is not an IP address).
const (
	FamilyInet  = 2
	FamilyInet6 = 10
)

// setupMilters starts the session's Milters (smtpd.c setup_milters):
// smtpd_milter_maps by client address, else smtpd_milters, unless
// receive_override_options has no_milters or the result is DISABLE. A
// session without Milters passes no_milters on to cleanup (transpMask).
func (ss *Session) setupMilters() {
	if !ss.StandAlone && ss.cfg.InputTransp&transpMilter == 0 && ss.deps.NewMilters != nil {
		names, found := ss.milterMapsFind(ss.client.Addr)
		if !found {
			names = ss.cfg.Milters
		}
		if names != "" && !strings.EqualFold(names, milterDisable) {
			m, err := ss.deps.NewMilters(names)
			if err != nil {
				ss.log.Fatalf("%v", err)
			}
			ss.milters = m
		}
	}
	if ss.milters != nil {
		ss.milters.SetMacroLookup(ss.milterEval)
	}
}

// transpMask is the session's receive_override_options: no_milters is
// added when the session has no Milters of its own, so that cleanup
// does not give SMTP mail to non_smtpd_milters.
func (ss *Session) transpMask() int {
	if ss.milters == nil {
		return ss.cfg.InputTransp | transpMilter
	}
	return ss.cfg.InputTransp
}

// milterMapsFind looks the client address up in smtpd_milter_maps
// (maps_find: the first table that has it wins; a lookup error ends the
// search as not found).
func (ss *Session) milterMapsFind(addr string) (string, bool) {
	for _, spec := range ss.cfg.MilterMaps {
		t, err := ss.openTable(spec)
		if err != nil {
			return "", false
		}
		v, found, err := t.Lookup(addr)
		if err != nil {
			ss.log.Warnf("%s lookup error for \"%s\"", spec, addr)
			return "", false
		}
		if found {
			return v, true
		}
	}
	return "", false
}

// teardownMilters disconnects from the Milters.
func (ss *Session) teardownMilters() {
	if ss.milters != nil {
		ss.milters.Close()
		ss.milters = nil
	}
}

// milterActive reports whether Milter events go out now: Milters are
// configured and no Milter or access table has chosen DISCARD
// (MILTER_SKIP_FLAGS; a HOLD does not stop them).
func (ss *Session) milterActive() bool {
	return ss.milters != nil && ss.check.savedFlags&cleanupFlagDiscard == 0
}

// checkMilterReply turns a Milter verdict into the reply smtpd sends,
// logs it (check_milter_reply), and returns "" when the command goes on:
// HOLD and DISCARD become queue file flags, a shutdown a 421, and
// anything but a 4xx/5xx reply a configuration error.
func (ss *Session) checkMilterReply(verdict string) string {
	action, reply, text := "milter-reject", "", ""
	switch verdict[0] {
	case 'H':
		ss.check.savedFlags |= cleanupFlagHold
		action, text = "milter-hold", "milter triggers HOLD action"
	case 'D':
		ss.check.savedFlags |= cleanupFlagDiscard
		action, text = "milter-discard", "milter triggers DISCARD action"
	case 'S':
		ss.errMask |= errPolicy
		reply = "421 4.7.0 Server closing connection"
	case '4', '5':
		ss.errMask |= errPolicy
		reply = verdict
	default:
		ss.errMask |= errSoftware
		action, reply = "reject", "421 4.3.5 Server configuration error"
	}
	if reply != "" {
		text = reply
	}
	ss.log.Infof("%s: %s: %s from %s: %s;%s", ss.queueIDOrNone(), action, ss.where, ss.namaddr, text, ss.smtpdWhatsup())
	return reply
}

// milterArgs are the words of a command from the address on, as the
// MAIL and RCPT events pass them.
func milterArgs(argv []token) []string {
	args := make([]string, 0, len(argv))
	for _, t := range argv {
		args = append(args, t.val)
	}
	return args
}

// milterConnect is the connect event before the banner. It returns the
// greeting: a 5xx verdict refuses the connection with 554, a 421 with
// 421; anything else (a 4xx too, which the Milters repeat for later
// commands) gets the normal banner.
func (ss *Session) milterConnect() string {
	verdict := ""
	if ss.milters != nil {
		port := ss.client.Port
		if port == "unknown" {
			port = "0"
		}
		if v := ss.milters.ConnEvent(ss.client.Name, ss.client.Addr, port, addrFamily(ss.client.Addr)); v != "" {
			verdict = ss.checkMilterReply(v)
		}
	}
	switch {
	case strings.HasPrefix(verdict, "5"):
		ss.errMask |= errPolicy
		ss.errorCount++
		return "554 " + ss.cfg.MyHostname + " ESMTP not accepting connections"
	case strings.HasPrefix(verdict, "421"):
		ss.errMask |= errPolicy
		return "421 " + ss.cfg.MyHostname + " Service unavailable - try again later"
	}
	return "220 " + ss.cfg.Banner
}

// addrFamily is the address family of a printable client address.
func addrFamily(addr string) int {
	ip := net.ParseIP(addr)
	switch {
	case ip == nil:
		return 0
	case ip.To4() != nil:
		return FamilyInet
	}
	return FamilyInet6
}

// milterHelo is the HELO/EHLO event; helo is the argument as given. It
// returns the Milter reply ("" when there is none or it is a HOLD or
// DISCARD), logged with the new HELO name.
func (ss *Session) milterHelo(helo string, esmtp bool) string {
	if !ss.milterActive() {
		return ""
	}
	v := ss.milters.HeloEvent(helo, esmtp)
	if v == "" {
		return ""
	}
	saved := ss.heloName
	ss.heloName = helo
	defer func() { ss.heloName = saved }()
	return ss.checkMilterReply(v)
}

// milterMail is the MAIL FROM event for sender; it returns the reply
// that rejects the command, or "".
func (ss *Session) milterMail(sender string, argv []token) string {
	if !ss.milterActive() {
		return ""
	}
	ss.needMilterAbort = true
	saved := ss.check.sender
	ss.check.sender = &sender
	defer func() { ss.check.sender = saved }()
	if v := ss.milters.MailEvent(milterArgs(argv)); v != "" {
		return ss.checkMilterReply(v)
	}
	return ""
}

// milterRcpt is the RCPT TO event for rcpt. rejected is smtpd's own
// reject reply, if any: the Milters that want rejected recipients see
// it (with {rcpt_mailer} "error"), and it stays the answer; otherwise
// the Milters' verdict is returned.
func (ss *Session) milterRcpt(rcpt, rejected string, argv []token) string {
	if !ss.milterActive() {
		return rejected
	}
	saved := ss.check.recipient
	ss.check.recipient = &rcpt
	defer func() { ss.check.recipient = saved }()
	ss.milterRejectText = rejected
	v := ss.milters.RcptEvent(rejected != "", milterArgs(argv))
	if rejected == "" && v != "" {
		return ss.checkMilterReply(v)
	}
	return rejected
}

// milterData is the DATA event (also at the first BDAT chunk).
func (ss *Session) milterData() string {
	if !ss.milterActive() {
		return ""
	}
	if v := ss.milters.DataEvent(); v != "" {
		return ss.checkMilterReply(v)
	}
	return ""
}

// milterUnknown is the event of an unrecognized command.
func (ss *Session) milterUnknown(verb string) string {
	if ss.milters == nil {
		return ""
	}
	if v := ss.milters.UnknownEvent(verb); v != "" {
		return ss.checkMilterReply(v)
	}
	return ""
}

// milterOther is the event of VRFY, ETRN and STARTTLS: only a 4xx/5xx
// reply counts, and it is not logged.
func (ss *Session) milterOther() string {
	if ss.milters == nil {
		return ""
	}
	if v := ss.milters.OtherEvent(); v != "" && (v[0] == '4' || v[0] == '5') {
		ss.errMask |= errPolicy
		return v
	}
	return ""
}

// milterHeloReset is the Milter part of helo_reset: forgetting a HELO
// name aborts the Milters' transaction.
func (ss *Session) milterHeloReset() {
	if ss.heloName != "" && ss.milters != nil {
		ss.milters.Abort()
	}
}

// milterMailReset undoes the MAIL event when the transaction ends.
func (ss *Session) milterMailReset() {
	if ss.needMilterAbort {
		ss.milters.Abort()
		ss.needMilterAbort = false
	}
}

// milterDisconnect reports the end of the session.
func (ss *Session) milterDisconnect() {
	if ss.milters != nil {
		ss.milters.DiscEvent()
	}
}
