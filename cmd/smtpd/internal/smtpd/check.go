package smtpd

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopostfix/libglobal/smtpreply"
)

// Restriction results.
const (
	resDunno  = iota // go on with the next restriction
	resOK            // permit: this list is done
	resReject        // reject: the reply is in checkState.reply
)

// deferred is a reply armed by defer_if_permit or defer_if_reject.
type deferred struct {
	active bool
	reply  string
}

// checkState is the restriction state of one transaction.
type checkState struct {
	sender, recipient *string // shown as from=<>/to=<> in log lines
	warnIfReject      bool
	deferIfPermit     deferred
	deferIfReject     deferred
	reply             string
	savedFlags        int
	discard           bool
	filter, redirect  string
	bcc               []string // BCC action recipients
	prepend           []string
	depth             int
	// The unknown sender/recipient table check ran for this address.
	senderMapChecked, rcptMapChecked bool
}

// stage describes where a restriction list runs.
type stage struct {
	name, class string // reply name and class text ("Client host")
	access      string // the kind of check a bare map name means
}

// reject is rejectAs for a policy rejection or, with software, a
// software (configuration) error.
func (ss *Session) reject(software bool, code int, dsn, format string, args ...any) int {
	if software {
		return ss.rejectAs(errSoftware, code, dsn, format, args...)
	}
	return ss.rejectAs(errPolicy, code, dsn, format, args...)
}

// rejectAs formats a rejection (smtpd_check_reject): code and DSN
// checks, warn_if_reject, defer_if_reject, the DSN class fix and the
// log line. class is the error class (errPolicy, errSoftware, ...) the
// rejection marks in the session; warn_if_reject does not apply to
// software, resource and data errors.
func (ss *Session) rejectAs(class int, code int, dsn, format string, args ...any) int {
	warn := ss.check.warnIfReject && class&(errSoftware|errResource|errData) == 0
	ss.errMask |= class
	text := fmt.Sprintf("%d %s ", code, dsn) + fmt.Sprintf(format, args...)
	if code < 400 || code > 599 {
		ss.log.Warnf("SMTP reply code configuration error: %s", text)
		text = "450 4.7.1 Service unavailable"
	} else if !smtpreply.ValidDSN(dsn) {
		ss.log.Warnf("DSN detail code configuration error: %s", text)
		text = "450 4.7.1 Service unavailable"
	}
	text = truncate(text, 510)
	text = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == 0xFFFD {
			return ' '
		}
		return r
	}, text)
	if !warn && ss.check.deferIfReject.active && text[0] == '5' {
		ss.check.warnIfReject = false
		ss.check.deferIfReject.active = false
		r, _ := smtpreply.Parse(ss.check.deferIfReject.reply)
		return ss.rejectAs(errPolicy, r.Code, r.DSN, "%s", r.Text)
	}
	b := []byte(text)
	if ss.cfg.SoftBounce && b[0] == '5' {
		b[0] = '4'
	}
	if len(b) > 4 {
		b[4] = b[0]
	}
	text = string(b)
	if warn {
		ss.logWhatsup("reject_warning", text)
		return resDunno
	}
	ss.logWhatsup("reject", text)
	ss.check.reply = text
	return resReject
}

// armDefer remembers the first defer_if_* reply.
func armDefer(d *deferred, code int, dsn, format string, args ...any) {
	if !d.active {
		d.active = true
		d.reply = fmt.Sprintf("%d %s ", code, dsn) + fmt.Sprintf(format, args...)
	}
}

// dsnFix maps address-status DSN details to the class of the thing being
// checked (smtpd_dsn_fix).
func dsnFix(dsn, class string) string {
	if !strings.HasPrefix(dsn[1:], ".1.") {
		return dsn
	}
	detail := dsn[4:]
	switch class {
	case "Sender address":
		switch detail {
		case "1", "3":
			return dsn[:4] + "7"
		case "2":
			return dsn[:4] + "8"
		case "5":
			return dsn[:4] + "0"
		}
	case "Client host", "Helo command", "Unverified Client host":
		return dsn[:2] + "0.0"
	}
	return dsn
}

// restrictions evaluates one restriction list (generic_checks).
func (ss *Session) restrictions(list []string, st stage) int {
	ss.check.depth++
	defer func() { ss.check.depth-- }()
	if ss.check.depth > 100 {
		ss.log.Warnf("SMTPD access map restriction nesting level too deep")
		return ss.rejectAs(errSoftware, 451, "4.3.5", "Server configuration error")
	}
	for i := 0; i < len(list); i++ {
		name := list[i]
		next := func() (string, bool) {
			if i+1 >= len(list) {
				ss.log.Warnf("restriction %s requires argument", name)
				return "", false
			}
			i++
			return list[i], true
		}
		var res int
		switch lower := strings.ToLower(name); lower {
		case "permit":
			res = resOK
		case "reject":
			res = ss.rejectAs(errPolicy, ss.cfg.RejectCode, "5.7.1", "<%s>: %s rejected: Access denied", st.name, st.class)
		case "defer":
			res = ss.rejectAs(errPolicy, ss.cfg.DeferCode, "4.3.2", "<%s>: %s rejected: Try again later", st.name, st.class)
		case "defer_if_permit":
			armDefer(&ss.check.deferIfPermit, ss.cfg.DeferCode, "4.7.0", "<%s>: %s rejected: defer_if_permit requested", st.name, st.class)
		case "defer_if_reject":
			armDefer(&ss.check.deferIfReject, ss.cfg.DeferCode, "4.7.0", "<%s>: %s rejected: defer_if_reject requested", st.name, st.class)
		case "warn_if_reject":
			ss.check.warnIfReject = true
			continue
		case "permit_sasl_authenticated":
			if ss.cfg.SASLEnable {
				res = ss.permitSASL()
			}
		case "permit_mynetworks":
			if ss.hostListMatch("mynetworks", ss.cfg.Mynetworks) {
				res = resOK
			}
		case "reject_unauth_pipelining":
			if ss.flags&flagIllPipelining != 0 {
				res = ss.rejectAs(errProtocol, 503, "5.5.0", "<%s>: %s rejected: Improper use of SMTP command pipelining", st.name, st.class)
			}
		case "sleep":
			arg, ok := next()
			if ok {
				if n, err := strconv.Atoi(arg); err == nil {
					ss.s.flush()
					ss.deps.Sleep(durationSeconds(n))
				}
			}
		case "check_client_access", "check_reverse_client_hostname_access", "check_helo_access",
			"check_sender_access", "check_recipient_access", "check_etrn_access":
			table, ok := next()
			if ok {
				res = ss.checkAccess(lower, table, st)
			}
		case "check_client_a_access", "check_client_mx_access", "check_client_ns_access",
			"check_reverse_client_hostname_a_access", "check_reverse_client_hostname_mx_access",
			"check_reverse_client_hostname_ns_access", "check_helo_a_access", "check_helo_mx_access",
			"check_helo_ns_access", "check_sender_a_access", "check_sender_mx_access", "check_sender_ns_access",
			"check_recipient_a_access", "check_recipient_mx_access", "check_recipient_ns_access":
			table, ok := next()
			if ok {
				res = ss.checkServerRestriction(lower, name, table, st)
			}
		case "reject_rbl_client", "reject_rhsbl_client", "reject_rhsbl_reverse_client", "reject_rhsbl_helo",
			"reject_rhsbl_sender", "reject_rhsbl_recipient", "permit_dnswl_client", "permit_rhswl_client":
			zone, ok := next()
			if ok {
				res, _ = ss.rblRestriction(lower, zone, st)
			}
		case "check_policy_service":
			endpoint, ok := next()
			if ok {
				res = ss.checkPolicy(endpoint, st)
			}
		default:
			res = ss.builtin(lower, name, st)
		}
		ss.check.warnIfReject = false
		if res != resDunno {
			return res
		}
		if ss.check.discard {
			return resOK
		}
	}
	return resDunno
}

// durationSeconds converts whole seconds.
func durationSeconds(n int) time.Duration { return time.Duration(n) * time.Second }

// canDelegate is can_delegate_action: the actions that cleanup carries
// out (FILTER, HOLD, DISCARD, REDIRECT) need a mail transaction that
// goes to cleanup; elsewhere they are skipped with a warning.
func (ss *Session) canDelegate(table, action string) bool {
	switch {
	case ss.proxyEnabled():
		ss.log.Warnf("access table %s: with smtpd_proxy_filter specified, action %s is unavailable", table, action)
	case ss.where == "ETRN":
		ss.log.Warnf("access table %s: action %s is unavailable in smtpd_etrn_restrictions", table, action)
	case ss.check.sender == nil:
		ss.log.Warnf("access table %s: with smtpd_delay_reject=no, action %s is always skipped in %s or %s restrictions",
			table, action, "Client host", "Helo command")
	default:
		return true
	}
	return false
}

// accessResult acts on an access table or policy server answer
// (check_table_result).
func (ss *Session) accessResult(value, table string, st stage) int {
	return ss.accessResultKey(value, table, st.name, st)
}

// accessResultKey is accessResult with the lookup key (datum) that the
// warnings about malformed entries show.
func (ss *Session) accessResultKey(value, table, datum string, st stage) int {
	verb, text, _ := strings.Cut(value, " ")
	text = strings.TrimLeft(text, " \t")
	dsnText := func(def string) (string, string) {
		if d, rest, ok := smtpreply.SplitDSN(text); ok {
			return d, rest
		}
		return def, text
	}
	orDefault := func(s, def string) string {
		if s == "" {
			return def
		}
		return s
	}
	switch strings.ToUpper(verb) {
	case "DUNNO":
		return resDunno
	case "REJECT":
		dsn, t := dsnText("5.7.1")
		return ss.rejectAs(errPolicy, ss.cfg.MapRejectCode, dsnFix(dsn, st.class), "<%s>: %s rejected: %s", st.name, st.class, orDefault(t, "Access denied"))
	case "DEFER":
		dsn, t := dsnText("4.7.1")
		return ss.rejectAs(errPolicy, ss.cfg.MapDeferCode, dsnFix(dsn, st.class), "<%s>: %s rejected: %s", st.name, st.class, orDefault(t, "Access denied"))
	case "HANGUP":
		ss.logWhatsup("hangup", text)
		_ = ss.s.conn.Close()
		panic(abortQuiet)
	case "INFO":
		ss.logWhatsup("info", text)
		return resDunno
	case "WARN":
		ss.logWhatsup("warn", text)
		return resDunno
	case "FILTER":
		if !ss.canDelegate(table, "FILTER") {
			return resDunno
		}
		if text == "" || !strings.Contains(text, ":") {
			ss.log.Warnf("access table %s entry \"%s\" requires transport:destination", table, datum)
			return resDunno
		}
		ss.logWhatsup("filter", fmt.Sprintf("<%s>: %s triggers FILTER %s", st.name, st.class, text))
		ss.check.filter = text
		return resDunno
	case "HOLD":
		if !ss.canDelegate(table, "HOLD") || ss.check.savedFlags&cleanupFlagHold != 0 {
			return resDunno
		}
		ss.logWhatsup("hold", fmt.Sprintf("<%s>: %s %s", st.name, st.class, orDefault(text, "triggers HOLD action")))
		ss.check.savedFlags |= cleanupFlagHold
		return resDunno
	case "DISCARD":
		if !ss.canDelegate(table, "DISCARD") {
			return resDunno
		}
		ss.logWhatsup("discard", fmt.Sprintf("<%s>: %s %s", st.name, st.class, orDefault(text, "triggers DISCARD action")))
		ss.check.savedFlags |= cleanupFlagDiscard
		ss.check.discard = true
		return resOK
	case "REDIRECT", "BCC":
		action := strings.ToUpper(verb)
		if !ss.canDelegate(table, action) {
			return resDunno
		}
		if !strings.Contains(text, "@") {
			ss.log.Warnf("access table %s entry \"%s\" requires user@domain target", table, datum)
			return resDunno
		}
		ss.logWhatsup(strings.ToLower(action), fmt.Sprintf("<%s>: %s triggers %s %s", st.name, st.class, action, text))
		if action == "BCC" {
			ss.check.bcc = append(ss.check.bcc, text)
		} else {
			ss.check.redirect = text
		}
		return resDunno
	case "DEFER_IF_PERMIT":
		dsn, t := dsnText("4.7.1")
		armDefer(&ss.check.deferIfPermit, ss.cfg.MapDeferCode, dsnFix(dsn, st.class), "<%s>: %s rejected: %s", st.name, st.class, orDefault(t, "Service unavailable"))
		return resDunno
	case "DEFER_IF_REJECT":
		dsn, t := dsnText("4.7.1")
		armDefer(&ss.check.deferIfReject, ss.cfg.MapDeferCode, dsnFix(dsn, st.class), "<%s>: %s rejected: %s", st.name, st.class, orDefault(t, "Service unavailable"))
		return resDunno
	case "PREPEND":
		ss.check.prepend = append(ss.check.prepend, text)
		return resDunno
	case "OK", "RELAY":
		return resOK
	}
	if allDigits(value) {
		return resOK
	}
	if len(verb) == 3 && text != "" && (verb[0] == '4' || verb[0] == '5') && isDigit(verb[1]) && isDigit(verb[2]) {
		code, _ := strconv.Atoi(verb)
		dsn, t := dsnText(string(verb[0]) + ".7.1")
		return ss.rejectAs(errPolicy, code, dsnFix(dsn, st.class), "<%s>: %s rejected: %s", st.name, st.class, t)
	}
	// Anything else is a restriction list (class names, restrictions).
	words := strings.FieldsFunc(value, func(r rune) bool { return r == ' ' || r == '\t' || r == ',' })
	for _, w := range words {
		if strings.Contains(w, ":") {
			ss.log.Warnf("access table %s: lookup result \"%s\" is not allowed -- ignoring remainder of access table result", table, w)
			return ss.rejectAs(errSoftware, 451, "4.3.5", "Server configuration error")
		}
	}
	return ss.restrictions(words, st)
}
