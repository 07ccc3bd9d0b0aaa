package smtpd

import (
	"fmt"
	"strings"

	"gopostfix/libglobal/postmail"
)

// Error classes of a session: the replies smtpd sends mark the classes
// in Session.errMask, and notify_classes selects those that earn the
// postmaster a transcript.
const (
	errPolicy   = postmail.ErrPolicy
	errProtocol = postmail.ErrProtocol
	errBounce   = postmail.ErrBounce
	errSoftware = postmail.ErrSoftware
	errResource = postmail.ErrResource
	errData     = postmail.ErrData
)

// Width and continuation indent of transcript lines in a notice.
const (
	noticeWidth  = 78
	noticeIndent = 4
)

// chatAppend keeps one line of the conversation for a postmaster notice;
// nothing is kept when no error class is to be reported.
func (ss *Session) chatAppend(dir, text string) {
	if ss.cfg.NotifyMask == 0 {
		return
	}
	ss.history = append(ss.history, dir+text)
}

// fail marks an error class and sends the reply that goes with it.
func (ss *Session) fail(class int, text string) {
	ss.errMask |= class
	ss.reply(text)
}

// failf is fail with a formatted reply.
func (ss *Session) failf(class int, format string, args ...any) {
	ss.fail(class, fmt.Sprintf(format, args...))
}

// chatReset is smtpd's history flush point: when more than threshold
// lines were kept, the postmaster gets the transcript if the session
// made an error of a notify_classes class, and the history and error
// classes start over. A stand-alone session (-S) has no cleanup service
// to post through.
func (ss *Session) chatReset(threshold int) {
	if len(ss.history) <= threshold || ss.history == nil {
		return
	}
	if !ss.StandAlone && ss.errMask&ss.cfg.NotifyMask != 0 {
		ss.chatNotify()
	}
	ss.errMask = 0
	ss.history = nil
}

// chatNotify mails the transcript to the postmaster (smtpd_chat_notify).
func (ss *Session) chatNotify() {
	if ss.deps.Notify == nil {
		return
	}
	rcpt := ss.cfg.ErrorRcpt
	if ss.errMask&errBounce != 0 {
		rcpt = ss.cfg.BounceRcpt
	}
	ss.deps.Notify(rcpt, ss.noticeBody())
}

// noticeBody is the header and body text of a postmaster notice.
func (ss *Session) noticeBody() []string {
	daemon := "MAILER-DAEMON@" + ss.cfg.MyHostname
	var lines []string
	if ss.cfg.HeaderFromStd {
		lines = append(lines, "From: Mail Delivery System <"+daemon+">", "To: Postmaster <"+ss.cfg.ErrorRcpt+">")
	} else {
		lines = append(lines, "From: "+daemon+" (Mail Delivery System)", "To: "+ss.cfg.ErrorRcpt+" (Postmaster)")
	}
	lines = append(lines, fmt.Sprintf("Subject: %s SMTP server: errors from %s", ss.cfg.MailName, ss.namaddr),
		"", "Transcript of session follows.", "")
	for _, h := range ss.history {
		for _, l := range wrapLine(printable(h), noticeWidth, noticeIndent) {
			lines = append(lines, " "+l)
		}
	}
	lines = append(lines, "")
	if ss.reason != "" {
		lines = append(lines, "Session aborted, reason: "+ss.reason)
	}
	return append(lines, "", "For other details, see the local mail logfile")
}

// wrapLine breaks text at blanks so that the first piece is at most
// width bytes and later pieces, indented by indent, fit the same width
// (line_wrap with a positive indent). A word longer than the width stays
// whole; blanks at the end of a piece are dropped.
func wrapLine(s string, width, indent int) []string {
	var out []string
	pad, room := 0, width
	start, word := 0, 0
	for word >= 0 {
		space := strings.IndexAny(s[word:], " \t")
		end := len(s)
		if space >= 0 {
			end = word + space
		}
		if word > start && end-start > room {
			out = append(out, strings.Repeat(" ", pad)+strings.TrimRight(s[start:word], " \t\n\r\v\f"))
			for word < len(s) && isBlank(s[word]) {
				word++
			}
			if start == 0 {
				pad, room = indent, width-indent
			}
			start = word
		}
		if space >= 0 {
			word = end + 1
		} else {
			word = -1
		}
	}
	return append(out, strings.Repeat(" ", pad)+strings.TrimRight(s[start:], " \t\n\r\v\f"))
}

// isBlank is C's isspace for the bytes a transcript line can hold.
func isBlank(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// commandDone follows up a command for the notices. A successful HELO
// or EHLO flushes the history (at the threshold) after its checks and
// before its reply: the reply lines it added after the first kept lines
// stay in the new history. A HELO or EHLO without a hostname is a
// protocol error.
func (ss *Session) commandDone(name string, argv []token, ok bool, kept int) {
	if name != "HELO" && name != "EHLO" {
		return
	}
	if !ok {
		if len(argv) < 2 {
			ss.errMask |= errProtocol
		}
		return
	}
	if kept > len(ss.history) {
		return
	}
	replies := append([]string(nil), ss.history[kept:]...)
	ss.history = ss.history[:kept]
	ss.chatReset(ss.cfg.HistThreshold)
	ss.history = append(ss.history, replies...)
}
