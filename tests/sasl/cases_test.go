package sasl

import (
	"crypto/hmac"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

const (
	auxConf = "pwcheck_method: auxprop\nauxprop_plugin: sasldb\nsasldb_path: @ROOT@/etc/sasldb2\n"
	authd   = "pwcheck_method: saslauthd\nsaslauthd_path: @ROOT@/saslauthd/mux\n"
	tlsOpts = "-o smtpd_tls_security_level=may -o smtpd_tls_cert_file=@ROOT@/etc/cert.pem -o smtpd_tls_key_file=@ROOT@/etc/key.pem"
)

// testProfiles are the configurations compared.
var testProfiles = []profile{
	{name: "aux", id: "aux", conf: auxConf + "mech_list: PLAIN LOGIN CRAM-MD5\n"},
	{name: "authd", id: "authd", conf: authd + "mech_list: plain login\n"},
	{name: "down", id: "down", conf: "pwcheck_method: saslauthd\nsaslauthd_path: @ROOT@/nosuch/mux\nmech_list: PLAIN LOGIN\n"},
	{name: "all", id: "all", conf: auxConf},
	{name: "all", id: "noplain", conf: auxConf, opts: "-o smtpd_sasl_security_options=noplaintext"},
	{name: "all", id: "nosec", conf: auxConf, opts: "-o smtpd_sasl_security_options="},
	{name: "odd", id: "odd", conf: auxConf + "mech_list: PLAIN FOO cram-md5 LOGIN\nlog_level: 3\nunknown_option: x\n"},
	{name: "aux", id: "realm", conf: auxConf + "mech_list: PLAIN LOGIN CRAM-MD5\n", opts: "-o smtpd_sasl_local_domain=" + otherRealm},
	{name: "authd", id: "imapsvc", conf: authd + "mech_list: plain login\n", opts: "-o smtpd_sasl_service=imap"},
	{name: "all", id: "nodict", conf: auxConf, opts: "-o smtpd_sasl_security_options=noanonymous,nodictionary"},
	{name: "nodb", id: "nodb", conf: "sasldb_path: @ROOT@/etc/nosuchdb\nmech_list: PLAIN LOGIN CRAM-MD5\n"},
	{name: "anon", id: "anon", conf: auxConf + "mech_list: ANONYMOUS PLAIN\n", opts: "-o smtpd_sasl_security_options="},
	{name: "pam", id: "pam", conf: "pwcheck_method: pam\nmech_list: PLAIN LOGIN\n"},
	{name: "always", id: "always", conf: "pwcheck_method:  alwaystrue\nmech_list: PLAIN LOGIN\n"},
	{name: "pam2", id: "pam2", conf: "pwcheck_method: pam  shadow\nmech_list: PLAIN\n"},
	{name: "all", id: "bogus", conf: auxConf, opts: "-o { smtpd_sasl_security_options = noanonymous, bogus }"},
	{name: "all", id: "bogus3", conf: auxConf, opts: "-o smtpd_sasl_security_options=NoAnonymous"},
	{name: "all", id: "bogus2", conf: auxConf, opts: "-o smtpd_sasl_security_options=bogus"},
	{name: "broken", id: "broken", conf: auxConf + "mech_list PLAIN\n"},
	{name: "aux", id: "tls", conf: auxConf + "mech_list: PLAIN LOGIN CRAM-MD5\n", opts: tlsOpts +
		" -o smtpd_sasl_security_options=noanonymous,noplaintext -o smtpd_sasl_tls_security_options=noanonymous"},
	{name: "aux", id: "tlsonly", conf: auxConf + "mech_list: PLAIN LOGIN CRAM-MD5\n", opts: tlsOpts + " -o smtpd_tls_auth_only=yes"},
	{name: "noconf", id: "noconf"},
	{name: "private", id: "private", conf: "sasldb_path: @ROOT@/etc/sasldb2-private\nmech_list: PLAIN LOGIN CRAM-MD5\n"},
	{name: "both", id: "both", conf: "pwcheck_method: saslauthd auxprop\nsaslauthd_path: @ROOT@/saslauthd/mux\nsasldb_path: @ROOT@/etc/sasldb2\nmech_list: PLAIN\n"},
}

type session struct {
	name    string
	profile string // the profile's id
	steps   []step
	// pending names the change of cmd/smtpd/internal/smtpd/auth.go that
	// this session needs; until it is made, a difference skips the
	// session instead of failing it.
	pending string
	// fatal sessions meet an smtpd that cannot start a session: the
	// real one exits before its greeting, ours at EHLO (where it first
	// asks for the mechanisms), so only the log lines are compared.
	fatal bool
}

// Changes auth.go needs for Cyrus (see the package comment).
const (
	needMechCheck = "auth.go rejects a mechanism missing from the EHLO list itself, as xsasl_dovecot does; with Cyrus, libsasl2 answers"
	needBase64    = "auth.go checks base64 itself, as xsasl_dovecot does; with Cyrus, sasl_decode64 answers"
	needTemp      = "auth.go answers 535 for Result.Temp; Postfix answers 454 4.7.0 Temporary authentication failure"
	needCase      = "auth.go upper-cases the mechanism; Postfix passes, logs and records (sasl_method=) the client's spelling"
	needAuthOnly  = "auth.go answers AUTH before STARTTLS with smtpd_tls_auth_only = yes with 504; Postfix, whose SASL is not active yet, with 503 5.5.1 Error: authentication not enabled"
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func plain(user, pass string) string { return b64("\x00" + user + "\x00" + pass) }

func lines(ls ...string) []step {
	out := make([]step, 0, len(ls)+1)
	for _, l := range ls {
		out = append(out, step{send: l})
	}
	return out
}

// cram answers a CRAM-MD5 challenge.
func cram(user, pass string) step {
	return step{fn: func(last string) string {
		ch, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(last, "334 "))
		if err != nil {
			return "*"
		}
		m := hmac.New(md5.New, []byte(pass))
		m.Write(ch)
		return b64(user + " " + hex.EncodeToString(m.Sum(nil)))
	}}
}

func with(steps []step, more ...step) []step { return append(steps, more...) }

var testSessions = []session{
	{name: "ehlo-aux", profile: "aux", steps: lines("EHLO c.example", "QUIT")},
	{name: "ehlo-authd", profile: "authd", steps: lines("EHLO c.example", "QUIT")},
	{name: "ehlo-all", profile: "all", steps: lines("EHLO c.example", "QUIT")},
	{name: "ehlo-noplaintext", profile: "noplain", steps: lines("EHLO c.example", "QUIT")},
	{name: "ehlo-nosecurity", profile: "nosec", steps: lines("EHLO c.example", "QUIT")},
	{name: "ehlo-odd", profile: "odd", steps: lines("EHLO c.example", "QUIT")},
	{name: "no-mechanisms", profile: "nodict", steps: lines("EHLO c.example", "QUIT"), fatal: true},
	{name: "bogus-option", profile: "bogus", steps: lines("EHLO c.example", "QUIT"), fatal: true},
	{name: "option-case", profile: "bogus3", steps: lines("EHLO c.example", "QUIT"), fatal: true},
	{name: "bogus-only", profile: "bogus2", steps: lines("EHLO c.example", "QUIT"), fatal: true},
	{name: "config-error", profile: "broken", steps: lines("EHLO c.example", "QUIT"), fatal: true},
	{name: "tls-options", profile: "tls", steps: lines("EHLO c", "AUTH PLAIN "+plain(testUser, testPass), "STARTTLS", startTLS,
		"EHLO c", "AUTH PLAIN "+plain(testUser, testPass), "QUIT"), pending: needMechCheck},
	{name: "tls-cram-before", profile: "tls", steps: with(lines("EHLO c", "AUTH CRAM-MD5"), cram(testUser, testPass),
		step{send: "QUIT"})},
	{name: "tls-auth-only", profile: "tlsonly", steps: lines("EHLO c", "AUTH PLAIN "+plain(testUser, testPass), "STARTTLS", startTLS,
		"EHLO c", "AUTH LOGIN", b64(testUser), b64(testPass), "QUIT"), pending: needAuthOnly},
	{name: "ehlo-no-config-file", profile: "noconf", steps: lines("EHLO c.example", "QUIT")},
	{name: "private-plain", profile: "private", steps: lines("EHLO c", "AUTH PLAIN "+plain(testUser, testPass), "QUIT"), pending: needTemp},
	{name: "private-cram", profile: "private", steps: with(lines("EHLO c", "AUTH CRAM-MD5"), cram(testUser, testPass), step{send: "QUIT"}),
		pending: needTemp},
	{name: "plain-same-authzid", profile: "aux", steps: lines("EHLO c", "AUTH PLAIN "+b64(testUser+"\x00"+testUser+"\x00"+testPass), "QUIT")},
	{name: "plain-realm-authzid", profile: "aux", steps: lines("EHLO c", "AUTH PLAIN "+b64(testUser+"@"+testRealm+"\x00"+testUser+"\x00"+testPass), "QUIT")},
	{name: "login-fullname", profile: "aux", steps: lines("EHLO c", "AUTH LOGIN "+b64(testUser+"@"+otherRealm), b64("otherpw"), "QUIT")},
	{name: "cram-fullname", profile: "aux", steps: with(lines("EHLO c", "AUTH CRAM-MD5"), cram(testUser+"@"+otherRealm, "otherpw"), step{send: "QUIT"})},
	{name: "cram-realm", profile: "realm", steps: with(lines("EHLO c", "AUTH CRAM-MD5"), cram(testUser, "otherpw"), step{send: "QUIT"})},
	{name: "plain-ir-ok", profile: "aux", steps: lines("EHLO c", "AUTH PLAIN "+plain(testUser, testPass), "MAIL FROM:<a@b.example>", "QUIT")},
	{name: "plain-empty-ok", profile: "aux", steps: lines("EHLO c", "AUTH PLAIN", plain(testUser, testPass), "QUIT")},
	{name: "plain-equals", profile: "aux", steps: lines("EHLO c", "AUTH PLAIN =", "QUIT")},
	{name: "plain-badpw", profile: "aux", steps: lines("EHLO c", "AUTH PLAIN "+plain(testUser, "wrong"), "QUIT")},
	{name: "plain-nouser", profile: "aux", steps: lines("EHLO c", "AUTH PLAIN "+plain("nobody", "x"), "QUIT")},
	{name: "plain-fullname", profile: "aux", steps: lines("EHLO c", "AUTH PLAIN "+plain(testUser+"@"+otherRealm, "otherpw"), "QUIT")},
	{name: "plain-authzid", profile: "aux", steps: lines("EHLO c", "AUTH PLAIN "+b64("second\x00"+testUser+"\x00"+testPass), "QUIT")},
	{name: "plain-garbage", profile: "aux", steps: lines("EHLO c", "AUTH PLAIN "+b64("no-nuls-here"), "QUIT")},
	{name: "plain-abort", profile: "aux", steps: lines("EHLO c", "AUTH PLAIN", "*", "QUIT")},
	{name: "login-ok", profile: "aux", steps: lines("EHLO c", "AUTH LOGIN", b64(testUser), b64(testPass), "QUIT")},
	{name: "login-ir", profile: "aux", steps: lines("EHLO c", "AUTH LOGIN "+b64(testUser), b64(testPass), "QUIT")},
	{name: "login-bad", profile: "aux", steps: lines("EHLO c", "AUTH LOGIN", b64(testUser), b64("nope"), "QUIT")},
	{name: "login-abort", profile: "aux", steps: lines("EHLO c", "AUTH LOGIN", b64(testUser), "*", "QUIT")},
	{name: "cram-ok", profile: "aux", steps: with(lines("EHLO c", "AUTH CRAM-MD5"), cram(testUser, testPass), step{send: "QUIT"})},
	{name: "cram-bad", profile: "aux", steps: with(lines("EHLO c", "AUTH CRAM-MD5"), cram(testUser, "bad"), step{send: "QUIT"})},
	{name: "cram-nouser", profile: "aux", steps: with(lines("EHLO c", "AUTH CRAM-MD5"), cram("nobody", "bad"), step{send: "QUIT"})},
	{name: "cram-abort", profile: "aux", steps: lines("EHLO c", "AUTH CRAM-MD5", "*", "QUIT")},
	{name: "unlisted-mech", profile: "aux", steps: lines("EHLO c", "AUTH DIGEST-MD5", "QUIT"), pending: needMechCheck},
	{name: "unknown-mech", profile: "aux", steps: lines("EHLO c", "AUTH FOO", "QUIT"), pending: needMechCheck},
	{name: "listed-unsupported", profile: "odd", steps: lines("EHLO c", "AUTH FOO", "QUIT"), pending: needMechCheck},
	{name: "realm-plain", profile: "realm", steps: lines("EHLO c", "AUTH PLAIN "+plain(testUser, "otherpw"), "QUIT")},
	{name: "realm-plain-default", profile: "realm", steps: lines("EHLO c", "AUTH PLAIN "+plain(testUser, testPass), "QUIT")},
	{name: "authd-ok", profile: "authd", steps: lines("EHLO c", "AUTH PLAIN "+plain(imapUser, imapPass), "QUIT")},
	{name: "authd-bad", profile: "authd", steps: lines("EHLO c", "AUTH PLAIN "+plain(imapUser, "wrong"), "QUIT")},
	{name: "authd-login", profile: "authd", steps: lines("EHLO c", "AUTH LOGIN", b64(imapUser), b64(imapPass), "QUIT")},
	{name: "authd-realm", profile: "authd", steps: lines("EHLO c", "AUTH PLAIN "+plain(imapUser+"@"+otherRealm, imapPass), "QUIT")},
	{name: "authd-imap-service", profile: "imapsvc", steps: lines("EHLO c", "AUTH PLAIN "+plain(imapUser, imapPass), "QUIT")},
	{name: "authd-cram", profile: "authd", steps: lines("EHLO c", "AUTH CRAM-MD5", "QUIT"), pending: needMechCheck},
	{name: "down-plain", profile: "down", steps: lines("EHLO c", "AUTH PLAIN "+plain(imapUser, imapPass), "QUIT"), pending: needTemp},
	{name: "down-login", profile: "down", steps: lines("EHLO c", "AUTH LOGIN", b64(imapUser), b64(imapPass), "QUIT"), pending: needTemp},
	{name: "twice", profile: "aux", steps: lines("EHLO c", "AUTH PLAIN "+plain(testUser, testPass), "AUTH PLAIN "+plain(testUser, testPass), "QUIT")},
	{name: "login-nouser", profile: "aux", steps: lines("EHLO c", "AUTH LOGIN", b64("nobody"), b64("x"), "QUIT")},
	{name: "login-realm", profile: "realm", steps: lines("EHLO c", "AUTH LOGIN", b64(testUser), b64("otherpw"), "QUIT")},
	{name: "plain-emptyuser", profile: "aux", steps: lines("EHLO c", "AUTH PLAIN "+b64("\x00\x00pw"), "QUIT"), pending: needTemp},
	{name: "plain-spaceuser", profile: "aux", steps: lines("EHLO c", "AUTH PLAIN "+b64("\x00 test \x00"+testPass), "QUIT")},
	{name: "plain-extra", profile: "aux", steps: lines("EHLO c", "AUTH PLAIN "+b64("\x00test\x00secret\x00more"), "QUIT")},
	{name: "plain-one-nul", profile: "aux", steps: lines("EHLO c", "AUTH PLAIN "+b64("test\x00secret"), "QUIT")},
	{name: "plain-authzid-badpw", profile: "aux", steps: lines("EHLO c", "AUTH PLAIN "+b64("second\x00"+testUser+"\x00bad"), "QUIT")},
	{name: "plain-empty-line", profile: "aux", steps: lines("EHLO c", "AUTH PLAIN", "", "QUIT")},
	{name: "plain-partial", profile: "aux", steps: lines("EHLO c", "AUTH PLAIN AGJ", "QUIT")},
	{name: "cram-ir", profile: "aux", steps: lines("EHLO c", "AUTH CRAM-MD5 "+b64("x"), "QUIT")},
	{name: "cram-nospace", profile: "aux", steps: lines("EHLO c", "AUTH CRAM-MD5", b64("nospace"), "QUIT")},
	{name: "authd-login-bad", profile: "authd", steps: lines("EHLO c", "AUTH LOGIN", b64(imapUser), b64("bad"), "QUIT")},
	{name: "nodb-plain", profile: "nodb", steps: lines("EHLO c", "AUTH PLAIN "+plain(testUser, testPass), "QUIT")},
	{name: "nodb-cram", profile: "nodb", steps: with(lines("EHLO c", "AUTH CRAM-MD5"), cram(testUser, testPass), step{send: "QUIT"})},
	{name: "anon-ir", profile: "anon", steps: lines("EHLO c", "AUTH ANONYMOUS "+b64("trace"), "MAIL FROM:<a@b.example>", "QUIT")},
	{name: "anon", profile: "anon", steps: lines("EHLO c", "AUTH ANONYMOUS", b64("trace"), "QUIT")},
	{name: "both-imap", profile: "both", steps: lines("EHLO c", "AUTH PLAIN "+plain(imapUser, imapPass), "QUIT")},
	{name: "both-sasldb", profile: "both", steps: lines("EHLO c", "AUTH PLAIN "+plain(testUser, testPass), "QUIT")},
	{name: "both-bad", profile: "both", steps: lines("EHLO c", "AUTH PLAIN "+plain(testUser, "bad"), "QUIT")},
	{name: "unknown-verifier", profile: "pam", steps: lines("EHLO c", "AUTH PLAIN "+plain(testUser, testPass), "QUIT")},
	{name: "unknown-verifier-login", profile: "pam", steps: lines("EHLO c", "AUTH LOGIN", b64(testUser), b64(testPass), "QUIT")},
	{name: "unknown-verifiers", profile: "pam2", steps: lines("EHLO c", "AUTH PLAIN "+plain(testUser, testPass), "QUIT")},
	{name: "alwaystrue", profile: "always", steps: lines("EHLO c", "AUTH PLAIN "+plain("anybody", "anything"), "MAIL FROM:<a@b.example>", "QUIT")},
	{name: "lower-bad", profile: "aux", steps: lines("EHLO c", "auth plain "+plain(testUser, "bad"), "QUIT"), pending: needCase},
	{name: "lower-unknown", profile: "aux", steps: lines("EHLO c", "AUTH foo", "QUIT"), pending: needMechCheck},
	{name: "lower-ok", profile: "aux", steps: lines("EHLO c", "auth login", b64(testUser), b64(testPass), "MAIL FROM:<a@b.example>",
		"RCPT TO:<root@mx.example.com>", "DATA", "Subject: x\r\n\r\nbody\r\n.", "QUIT"), pending: needCase},
	{name: "auth-then-mail", profile: "aux", steps: lines("EHLO c", "AUTH PLAIN "+plain(testUser, testPass), "MAIL FROM:<a@b.example>",
		"RCPT TO:<root@mx.example.com>", "DATA", "Subject: x\r\n\r\nbody\r\n.", "QUIT")},
	{name: "bad-base64-ir", profile: "aux", steps: lines("EHLO c", "AUTH PLAIN !!!!", "QUIT"), pending: needBase64},
	{name: "bad-base64", profile: "aux", steps: lines("EHLO c", "AUTH PLAIN", "!!!!", "QUIT"), pending: needBase64},
}
