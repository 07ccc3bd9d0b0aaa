package main

import (
	"errors"
	"time"

	"gopostfix/libglobal/postmail"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/msg"
)

// postmasterNotice posts smtpd's postmaster notices (smtpd_chat_notify)
// through cleanup as mail of the notify class, from the double-bounce
// address. A cleanup service that cannot be reached costs the notice
// and two warnings, as post_mail_fopen_nowait and its caller log them.
func postmasterNotice(p *postmail.Params, sender string, log *msg.Logger) func(string, []string) {
	return func(rcpt string, lines []string) {
		flags, err := p.Flags(postmail.SrcNotify, 0, log.Warnf)
		if err != nil {
			log.Fatalf("%v", err)
		}
		post, err := postmail.Open(p, flags, sender, rcpt, 0)
		if err != nil {
			var ce *postmail.ConnectError
			if !errors.As(err, &ce) {
				log.Fatalf("%v", err)
			}
			log.Warnf("%v", err)
			log.Warnf("postmaster notify: %s", ce.Errno)
			return
		}
		for _, l := range lines {
			post.W.PutString(record.Norm, l)
		}
		post.Close()
	}
}

// noticeParams are the submission settings of postmaster notices.
func noticeParams(queueDir string, p params, timeout time.Duration) *postmail.Params {
	return &postmail.Params{QueueDir: queueDir, CleanupService: p.Str("cleanup_service_name"),
		Myhostname: p.Str("myhostname"), MailName: p.Str("mail_name"),
		FilterClasses: p.Str("internal_mail_filter_classes"), AutoUTF8Classes: p.Str("smtputf8_autodetect_classes"),
		Timeout: timeout, Now: time.Now}
}
