package smtpd

import (
	"strings"
)

// Stage descriptions.
func (ss *Session) clientStage() stage {
	return stage{name: ss.namaddr, class: "Client host", access: "check_client_access"}
}

// checkList runs one list and converts a reject into its reply text.
func (ss *Session) checkList(list []string, st stage) (int, string) {
	// defer_if_reject applies within one restriction list only.
	ss.check.deferIfReject = deferred{}
	res := ss.restrictions(list, st)
	if res == resReject {
		return res, ss.check.reply
	}
	return res, ""
}

// checkClient runs smtpd_client_restrictions.
func (ss *Session) checkClient() string {
	_, r := ss.checkList(ss.cfg.ClientRestrictions, ss.clientStage())
	return r
}

// checkHelo runs smtpd_helo_restrictions for a HELO/EHLO argument.
func (ss *Session) checkHelo(helo string) string {
	if helo == "" {
		return ""
	}
	saved := ss.heloName
	ss.heloName = helo
	defer func() { ss.heloName = saved }()
	_, r := ss.checkList(ss.cfg.HeloRestrictions, stage{name: helo, class: "Helo command", access: "check_helo_access"})
	return r
}

// checkMail runs smtpd_sender_restrictions (smtpd_check_mail).
func (ss *Session) checkMail(sender string) string {
	saved := ss.check.sender
	ss.check.sender = &sender
	defer func() { ss.check.sender = saved }()
	return ss.senderChecks(sender)
}

// senderChecks is the body of smtpd_check_mail for the sender in
// ss.check.sender: the list, then smtpd_reject_unlisted_sender.
func (ss *Session) senderChecks(sender string) string {
	ss.check.senderMapChecked = false
	res, r := ss.checkList(ss.cfg.SenderRestrictions, stage{name: sender, class: classSender, access: "check_sender_access"})
	if res == resReject {
		return r
	}
	if ss.cfg.RejectUnlistedSender && !ss.check.senderMapChecked && !ss.check.discard && sender != "" {
		if ss.checkSenderRcptMaps(sender) == resReject {
			return ss.check.reply
		}
	}
	return ""
}

// checkRcpt is smtpd_check_rcpt: with smtpd_delay_reject the client,
// helo and sender lists run first, then relay and recipient lists, the
// armed defer, and the unknown recipient check.
func (ss *Session) checkRcpt(rcpt string) string {
	if ss.check.discard {
		return ""
	}
	if isPostmaster(rcpt) {
		return ""
	}
	savedRcpt := ss.check.recipient
	ss.check.recipient = &rcpt
	defer func() { ss.check.recipient = savedRcpt }()
	ss.check.deferIfPermit = deferred{}
	ss.check.deferIfReject = deferred{}
	ss.check.rcptMapChecked = false
	if ss.cfg.DelayReject {
		if _, r := ss.checkList(ss.cfg.ClientRestrictions, ss.clientStage()); r != "" {
			return r
		}
		if ss.heloName != "" {
			if _, r := ss.checkList(ss.cfg.HeloRestrictions, stage{name: ss.heloName, class: "Helo command", access: "check_helo_access"}); r != "" {
				return r
			}
		}
		if ss.check.sender != nil {
			if r := ss.senderChecks(*ss.check.sender); r != "" {
				return r
			}
		}
	}
	rst := stage{name: rcpt, class: "Recipient address", access: "check_recipient_access"}
	if !ss.check.discard {
		if _, r := ss.checkList(ss.cfg.RelayRestrictions, rst); r != "" {
			return r
		}
	}
	if !ss.check.discard {
		if _, r := ss.checkList(ss.cfg.RcptRestrictions, rst); r != "" {
			return r
		}
	}
	if r, armed := ss.deferIfPermitted(); armed {
		return r
	}
	if !ss.check.discard && ss.cfg.RejectUnlistedRcpt && !ss.check.rcptMapChecked {
		if ss.checkRecipientRcptMaps(rcpt) == resReject {
			return ss.check.reply
		}
	}
	return ""
}

// deferIfPermitted carries out a defer_if_permit armed during the
// stage's restrictions, which did not reject: it disarms it and defers
// with its reply. armed is false when there was none, and the stage
// goes on.
func (ss *Session) deferIfPermitted() (reply string, armed bool) {
	if !ss.check.deferIfPermit.active {
		return "", false
	}
	d := ss.check.deferIfPermit.reply
	ss.check.deferIfPermit = deferred{}
	ss.check.warnIfReject = false
	return ss.rejectText(d), true
}

// rejectText rejects with a prepared reply text.
func (ss *Session) rejectText(text string) string {
	code, rest, _ := strings.Cut(text, " ")
	dsn, msgText, _ := strings.Cut(rest, " ")
	n := 0
	for _, c := range code {
		n = n*10 + int(c-'0')
	}
	if ss.rejectAs(errPolicy, n, dsn, "%s", msgText) == resReject {
		return ss.check.reply
	}
	return ""
}

// checkData runs smtpd_data_restrictions.
func (ss *Session) checkData() string {
	return ss.checkMessage(ss.cfg.DataRestrictions, stage{name: "DATA", class: "Data command"})
}

// checkEOD runs smtpd_end_of_data_restrictions.
func (ss *Session) checkEOD() string {
	return ss.checkMessage(ss.cfg.EODRestrictions, stage{name: "END-OF-MESSAGE", class: "End-of-data"})
}

// checkMessage is the common part of smtpd_check_data and
// smtpd_check_eod: these restrictions judge all recipients alike, so
// with several none is logged; a defer_if_permit armed among them turns
// anything but a reject into that deferral.
func (ss *Session) checkMessage(list []string, st stage) string {
	if ss.rcptCount > 1 {
		saved := ss.recipient
		ss.recipient = ""
		defer func() { ss.recipient = saved }()
	}
	ss.check.deferIfPermit = deferred{}
	if _, r := ss.checkList(list, st); r != "" {
		return r
	}
	if r, armed := ss.deferIfPermitted(); armed {
		return r
	}
	return ""
}

// checkEtrn runs smtpd_etrn_restrictions.
func (ss *Session) checkEtrn(domain string) string {
	_, r := ss.checkList(ss.cfg.EtrnRestrictions, stage{name: domain, class: "Etrn command", access: "check_etrn_access"})
	return r
}

// isPostmaster reports the bare "postmaster" recipient that bypasses all
// recipient restrictions.
func isPostmaster(addr string) bool { return strings.EqualFold(addr, "postmaster") }

// tempLookupFailure is reject_dict_retry: a table or the resolver could
// not answer now.
func (ss *Session) tempLookupFailure(addr string) string {
	if ss.rejectAs(errData, 451, "4.3.0", "<%s>: Temporary lookup failure", addr) == resReject {
		return ss.check.reply
	}
	return ""
}

// openTable opens a lookup table through the maps layer.
func (ss *Session) openTable(spec string) (Table, error) {
	if ss.deps.OpenTable == nil {
		return nil, errNoTables
	}
	t, err := ss.deps.OpenTable(spec)
	if err != nil {
		ss.log.Warnf("%s: table lookup problem", spec)
		return nil, err
	}
	return t, nil
}
