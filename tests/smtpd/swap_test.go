package smtpd

import (
	"net/smtp"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestSingleSwap runs our smtpd in an otherwise real Postfix instance:
// mail it accepts is delivered by the real cleanup, qmgr and local into
// a mailbox, and the smtpd log lines have Postfix's form.
func TestSingleSwap(t *testing.T) {
	bin := ourBinaries(t)
	in := newInstance(t, "", "127.0.0.1:23001 inet n - n - - smtpd\n",
		map[string]string{"smtpd": filepath.Join(bin, "smtpd")}, nil)
	body := "From: Sender <sender@example.org>\r\nTo: " + testUser + "@mx.example.com\r\n" +
		"Subject: single swap\r\n\r\nHello through our smtpd.\r\n.leading dot\r\n"
	if err := smtp.SendMail("127.0.0.1:23001", nil, "sender@example.org", []string{testUser + "@mx.example.com"}, []byte(body)); err != nil {
		t.Fatalf("SendMail: %v\n%s", err, in.maillog())
	}
	box := in.path("spool/" + testUser)
	var mbox string
	if !waitFor(30*time.Second, func() bool {
		data, err := os.ReadFile(box)
		mbox = string(data)
		return err == nil && strings.Contains(mbox, "leading dot") && strings.Contains(in.maillog(), "status=sent")
	}) {
		t.Fatalf("no delivery to %s\n%s", box, in.maillog())
	}
	for _, want := range []string{
		"Subject: single swap\n",
		"Received: from localhost (localhost [127.0.0.1])\n\tby mx.example.com (Postfix) with UTF8SMTP id ",
		"\n.leading dot\n",
		"Return-Path: <sender@example.org>\n",
	} {
		if !strings.Contains(mbox, want) {
			t.Errorf("mailbox lacks %q:\n%s", want, mbox)
		}
	}
	log := in.maillog()
	for _, re := range []string{
		`postfix/smtpd\[\d+\]: connect from localhost\[127\.0\.0\.1\]`,
		`postfix/smtpd\[\d+\]: [0-9A-F]+: client=localhost\[127\.0\.0\.1\]`,
		`postfix/cleanup\[\d+\]: [0-9A-F]+: message-id=`,
		`postfix/local\[\d+\]: [0-9A-F]+: to=<` + testUser + `@mx\.example\.com>, relay=local, .*status=sent \(delivered to mailbox\)`,
		`postfix/smtpd\[\d+\]: disconnect from localhost\[127\.0\.0\.1\] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5`,
	} {
		if !regexp.MustCompile(re).MatchString(log) {
			t.Errorf("log lacks %s:\n%s", re, log)
		}
	}
}
