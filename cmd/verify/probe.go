package main

import (
	"fmt"
	"strings"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/postmail"
	"gopostfix/libglobal/tok822"
)

// senderBase is the base of the time stamp in probe senders: digits and
// consonants only, so that no word can form (VERIFY_BASE).
const senderBase = 31

const safeChars = "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz"

// safeUltostr writes n in base b with safeChars (safe_ultostr).
func safeUltostr(n uint64, b uint64) string {
	var out []byte
	for n != 0 {
		out = append([]byte{safeChars[n%b]}, out...)
		n /= b
	}
	return string(out)
}

// probeSender is the sender of a probe (make_verify_sender_addr): ""
// for "<>", else address_verify_sender with the current time slot
// (now / address_verify_sender_ttl, base 31) appended to its local part,
// rewritten to canonical form in the local context.
func (v *verifier) probeSender() (string, error) {
	s := v.cfg.sender
	if s == "" || s == "<>" {
		return "", nil
	}
	if s[0] == '@' {
		return "", fmt.Errorf("parameter %s: value \"%s\" must not start with '@'", "address_verify_sender", s)
	}
	at := strings.IndexByte(s, '@')
	if at >= 0 && at == len(s)-1 {
		return "", fmt.Errorf("parameter %s: value \"%s\" must not end with '@'", "address_verify_sender", s)
	}
	if v.cfg.senderTTL > 0 {
		local, domain := s, ""
		if at >= 0 {
			local, domain = s[:at], s[at:]
		}
		s = local + safeUltostr(uint64(v.now().Unix()/v.cfg.senderTTL), senderBase) + domain
	}
	out, err := v.rewrite.Rewrite("local", tok822.QuoteLocal(s, tok822.QuoteDefault))
	if err != nil {
		return "", err
	}
	return tok822.UnquoteLocal(out), nil
}

// probe submits a probe message to addr: just the envelope and the
// Received:/Date: headers, marked as an MTA verification request so that
// it is never delivered (post_mail_fopen_async). The submission runs in
// the background; its outcome arrives later as an update request.
func (v *verifier) probe(addr string) {
	sender, err := v.probeSender()
	if err != nil {
		v.s.Log.Fatalf("%v", err)
	}
	flags, err := v.post.Flags(postmail.SrcVerify, 0, v.s.Log.Warnf)
	if err != nil {
		v.s.Log.Fatalf("%v", err)
	}
	go func() {
		p, err := postmail.Open(&v.post, flags, sender, addr, deliver.FlagMTAVrfy)
		if err != nil {
			return
		}
		p.Close()
	}()
}
