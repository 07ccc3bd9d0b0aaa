package main

import (
	"fmt"
	"strings"
	"time"

	"gopostfix/libglobal/postmail"
	"gopostfix/libglobal/record"
)

// chatNotify mails the session transcript to the postmaster
// (smtp_chat_notify), for the error classes of notify_classes.
func (a *agent) chatNotify(s *session) {
	p := &postmail.Params{QueueDir: ".", CleanupService: a.s.Str("cleanup_service_name"),
		Myhostname: a.cfg.myhostname, MailName: a.s.Str("mail_name"),
		FilterClasses: a.s.Str("internal_mail_filter_classes"), AutoUTF8Classes: a.s.Str("smtputf8_autodetect_classes"),
		Timeout: a.s.IPCTimeout, Now: time.Now}
	flags, err := p.Flags(postmail.SrcNotify, 0, a.log.Warnf)
	if err != nil {
		a.log.Warnf("postmaster notify: %v", err)
		return
	}
	rcpt := a.s.Str("error_notice_recipient")
	post, err := postmail.Open(p, flags, a.doubleBounce, rcpt, 0)
	if err != nil {
		a.log.Warnf("postmaster notify: %v", err)
		return
	}
	w := func(format string, args ...any) { post.W.PutString(record.Norm, fmt.Sprintf(format, args...)) }
	daemon := a.s.Str("mail_name")
	mailDaemon := "MAILER-DAEMON@" + a.s.Str("myorigin")
	if a.s.Str("header_from_format") == "standard" {
		w("From: Mail Delivery System <%s>", mailDaemon)
		w("To: Postmaster <%s>", rcpt)
	} else {
		w("From: %s (Mail Delivery System)", mailDaemon)
		w("To: %s (Postmaster)", rcpt)
	}
	mode := "SMTP"
	if a.cfg.lmtp {
		mode = "LMTP"
	}
	w("Subject: %s %s client: errors from %s", daemon, mode, s.namaddrport)
	w("")
	w("Unexpected response from %s.", s.namaddrport)
	w("")
	w("Transcript of session follows.")
	w("")
	for _, line := range s.history {
		for _, l := range lineWrap(printable(line), 78, 4) {
			w(" %s", l)
		}
	}
	w("")
	w("For other details, see the local mail logfile")
	post.W.PutString(record.Xtra, "")
	post.W.PutString(record.End, "")
	post.Finish()
}

// lineWrap breaks a line at white space into pieces of at most width
// bytes; continuation lines are indented (line_wrap).
func lineWrap(s string, width, indent int) []string {
	var out []string
	pad := ""
	for len(pad)+len(s) > width {
		cut := strings.LastIndexAny(s[:width-len(pad)], " \t")
		if cut <= 0 {
			break
		}
		out = append(out, pad+s[:cut])
		s = strings.TrimLeft(s[cut:], " \t")
		pad = strings.Repeat(" ", indent)
	}
	return append(out, pad+s)
}
