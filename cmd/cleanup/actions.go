package main

import (
	"strings"

	"gopostfix/libglobal/headers"
)

// logAction logs a header/body check action (cleanup_act_log).
func (st *state) logAction(action, class, content, text string) {
	origin := "unknown"
	if o, ok := st.attrs["log_message_origin"]; ok {
		origin = o
	}
	if len(content) > 200 {
		content = content[:200]
	}
	line := st.queueID + ": " + action + ": " + class + " " + content + " from " + origin + ";"
	if st.sender != nil {
		line += " from=<" + *st.sender + ">"
	}
	if st.recip != nil {
		line += " to=<" + *st.recip + ">"
	}
	if p, ok := st.attrs["log_protocol_name"]; ok {
		line += " proto=" + p
	}
	if h, ok := st.attrs["log_helo_name"]; ok {
		line += " helo=<" + h + ">"
	}
	if text != "" {
		line += ": " + text
	}
	st.cfg.log.Infof("%s", line)
}

// dsnPrepend puts def in front of text unless text starts with a DSN
// status code (dsn_prepend).
func dsnPrepend(def, text string) string {
	if n := dsnLen(text); n > 0 {
		return text
	}
	return def + " " + text
}

// dsnLen returns the length of a leading "d.d{1,3}.d{1,3}" status
// followed by white space or the end (dsn_valid), or 0.
func dsnLen(s string) int {
	i := 0
	if i >= len(s) || (s[i] != '2' && s[i] != '4' && s[i] != '5') {
		return 0
	}
	i++
	for part := 0; part < 2; part++ {
		if i >= len(s) || s[i] != '.' {
			return 0
		}
		i++
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' && i-j < 3 {
			i++
		}
		if i == j || (i < len(s) && s[i] >= '0' && s[i] <= '9') {
			return 0
		}
	}
	if i < len(s) && s[i] != ' ' && s[i] != '\t' {
		return 0
	}
	return i
}

// actionArgOK checks the text after a FILTER, BCC, REDIRECT, PREPEND
// or REPLACE action, with Postfix's warning when it is unusable; header
// says whether the action applies to a header (PREPEND and REPLACE then
// need header text).
func (st *state) actionArgOK(cmd, text, mapClass string, header bool) bool {
	log := st.cfg.log
	switch cmd {
	case "FILTER":
		if text == "" {
			log.Warnf("missing FILTER command argument in %s map", mapClass)
			return false
		}
		if !strings.Contains(text, ":") {
			log.Warnf("bad FILTER command %s in %s -- need transport:destination", text, mapClass)
			return false
		}
	case "BCC":
		if !strings.Contains(text, "@") {
			log.Warnf("bad BCC address \"%s\" in %s map -- need user@domain", text, mapClass)
			return false
		}
	case "REDIRECT":
		if !strings.Contains(text, "@") {
			log.Warnf("bad REDIRECT target \"%s\" in %s map -- need user@domain", text, mapClass)
			return false
		}
	case "PREPEND", "REPLACE":
		if text == "" {
			log.Warnf("%s action without text in %s map", cmd, mapClass)
			return false
		}
		if header && !headers.IsHeader(text) {
			log.Warnf("bad %s header text \"%s\" in %s map -- need \"headername: headervalue\"", cmd, text, mapClass)
			return false
		}
	}
	return true
}

// act carries out a header_checks or body_checks action (cleanup_act).
// It returns the text to output instead of buf, and drop true when the
// line is to be removed.
func (st *state) act(context, buf, value, mapClass string) (string, bool) {
	cmdLen := strings.IndexAny(value, " \t")
	if cmdLen < 0 {
		cmdLen = len(value)
	}
	cmd := strings.ToUpper(value[:cmdLen])
	text := strings.TrimLeft(value[cmdLen:], " \t\r\n\v\f")
	log := st.cfg.log
	switch cmd {
	case "REJECT":
		if text != "" {
			st.reason = dsnPrepend("5.7.1", text)
			if st.reason[0] != '4' && st.reason[0] != '5' {
				log.Warnf("bad DSN action in %s -- need 4.x.x or 5.x.x", text)
			}
		} else {
			st.reason = "5.7.1 message content rejected"
		}
		if st.reason[0] == '4' {
			st.errs |= statDefer
		} else {
			st.errs |= statCont
		}
		st.flags &^= flagFilterAll
		st.logAction("reject", context, buf, st.reason)
	case "WARN":
		st.logAction("warning", context, buf, text)
	case "INFO":
		st.logAction("info", context, buf, text)
	case "FILTER":
		if st.actionArgOK(cmd, text, mapClass, false) {
			st.filter = text
			st.logAction("filter", context, buf, text)
		}
	case "PASS":
		st.logAction("pass", context, buf, text)
		st.flags &^= flagFilterAll
	case "DISCARD":
		st.logAction("discard", context, buf, text)
		st.flags |= flagDiscard
		st.flags &^= flagFilterAll
	case "HOLD":
		if st.flags&(flagHold|flagDiscard) == 0 {
			st.logAction("hold", context, buf, text)
			st.flags |= flagHold
		}
	case "PREPEND":
		switch {
		case !st.actionArgOK(cmd, text, mapClass, context == "header"):
		case context == "header":
			st.logAction("prepend", context, buf, text)
			st.outHeader(text)
		default:
			st.logAction("prepend", context, buf, text)
			st.out('N', text)
		}
	case "REPLACE":
		if st.actionArgOK(cmd, text, mapClass, context == "header") {
			st.logAction("replace", context, buf, text)
			return text, false
		}
	case "REDIRECT":
		if st.actionArgOK(cmd, text, mapClass, false) {
			st.redirect = text
			st.logAction("redirect", context, buf, text)
			st.flags &^= flagFilterAll
		}
	case "BCC":
		if st.actionArgOK(cmd, text, mapClass, false) {
			st.hbcRcpt = append(st.hbcRcpt, text)
			st.logAction("bcc", context, buf, text)
		}
	case "STRIP":
		st.logAction("strip", context, buf, text)
		return "", true
	case "IGNORE":
		return "", true
	case "DUNNO", "OK":
	default:
		log.Warnf("unknown command in %s map: %s", mapClass, value)
	}
	return buf, false
}
