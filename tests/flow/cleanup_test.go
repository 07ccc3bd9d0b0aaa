package flow

import (
	"strings"
	"testing"
	"time"
)

// cleanupMain configures the tables the cleanup cases exercise.
const cleanupMain = `sender_canonical_maps = texthash:@ROOT@/etc/sender_canonical
canonical_maps = inline:{ {canon@mx.flow.example=Canonical.Person@mx.flow.example} }
virtual_alias_maps = texthash:@ROOT@/etc/virtual
header_checks = regexp:@ROOT@/etc/header_checks
body_checks = regexp:@ROOT@/etc/body_checks
masquerade_domains = flow.example
masquerade_exceptions = root
recipient_delimiter = +
delay_warning_time = 4h
always_bcc =
recipient_bcc_maps = inline:{ {bccme@mx.flow.example=archive@mx.flow.example} }
`

var cleanupFiles = map[string]string{
	"sender_canonical": "canonme@mx.flow.example renamed@mx.flow.example\n",
	"virtual": "valias@mx.flow.example user1, user2@mx.flow.example\n" +
		"loop@mx.flow.example loop@mx.flow.example, other\n" +
		"ext@mx.flow.example target@mx.flow.example\n",
	"header_checks": `/^Subject: .*prepend-me/ PREPEND X-Prepended: yes
/^Subject: .*replace-me/ REPLACE Subject: replaced
/^X-Drop-Me:/ IGNORE
/^Subject: .*hold-me/ HOLD held for review
/^Subject: .*warn-me/ WARN subject warned
/^Subject: .*filter-me/ FILTER smtp:[127.0.0.1]:10025
/^Subject: .*redirect-me/ REDIRECT other@mx.flow.example
/^Subject: .*bcc-me/ BCC copy@mx.flow.example
`,
	"body_checks": "/^replace this line/ REPLACE replaced body line\n/^strip this line/ STRIP\n",
}

// cleanupCases are submissions compared between real cleanup and ours.
var cleanupCases = []struct {
	name  string
	args  []string
	input string
}{
	{"plain", []string{"-f", "alice", "bob"}, "Subject: plain\n\nHello.\n"},
	{"no-headers", []string{"-f", "alice", "bob"}, "just a body\n"},
	{"empty", []string{"-f", "alice", "bob"}, ""},
	{"header-rewrite", []string{"-f", "alice", "bob"}, "To: user1, \"Quoted Name\" <user2@mx.flow.example>\nCc: Some One <user3>, other@remote.example\nFrom: Alice <alice>\nReply-To: alice@sub.flow.example\nSubject: rewrite\n\nbody\n"},
	{"folded", []string{"-f", "alice", "bob"}, "Subject: a folded\n header line\n\tand more\nX-Custom: value\n\nbody\n"},
	{"sendmail-t", []string{"-t", "-f", "alice"}, "To: user1, \"Quoted Name\" <user2@mx.flow.example>\nBcc: hidden\nSubject: t\n\nbody\n"},
	{"resent", []string{"-f", "alice", "bob"}, "Resent-From: alice\nResent-To: bob\nFrom: carol@remote.example\nSubject: resent\n\nbody\n"},
	{"fullname", []string{"-f", "alice", "-F", "J. Doe   Jr", "bob"}, "Subject: name\n\nbody\n"},
	{"fullname-plain", []string{"-f", "alice", "-F", "Plain   Name", "bob"}, "Subject: name\n\nbody\n"},
	{"null-sender", []string{"-f", "", "bob"}, "Subject: null\n\nbody\n"},
	{"mailer-daemon", []string{"-f", "MAILER-DAEMON", "bob"}, "Subject: md\n\nbody\n"},
	{"canonical", []string{"-f", "canonme", "canon"}, "From: Canon Me <canonme>\nTo: canon\nSubject: canon\n\nbody\n"},
	{"virtual", []string{"-f", "alice", "valias", "loop", "ext+foo", "valias"}, "Subject: virtual\n\nbody\n"},
	{"masquerade", []string{"-f", "alice@host.flow.example", "root@host.flow.example", "bob@host.flow.example"}, "From: alice@host.flow.example\nTo: bob@host.flow.example\nSubject: masq\n\nbody\n"},
	{"dsn", []string{"-f", "alice", "-N", "success,delay", "-V", "envid-xyz", "-R", "hdrs", "bob"}, "Subject: dsn\n\nbody\n"},
	{"prepend", []string{"-f", "alice", "bob"}, "Subject: prepend-me\nX-Drop-Me: gone\n\nbody\n"},
	{"replace", []string{"-f", "alice", "bob"}, "Subject: replace-me\n\nreplace this line\nstrip this line\nkeep\n"},
	{"hold", []string{"-f", "alice", "bob"}, "Subject: hold-me\n\nbody\n"},
	{"warn", []string{"-f", "alice", "bob"}, "Subject: warn-me\n\nbody\n"},
	{"filter", []string{"-f", "alice", "bob"}, "Subject: filter-me\n\nbody\n"},
	{"redirect", []string{"-f", "alice", "bob"}, "Subject: redirect-me\n\nbody\n"},
	{"bcc-action", []string{"-f", "alice", "bob"}, "Subject: bcc-me\n\nbody\n"},
	{"bcc-map", []string{"-f", "alice", "bccme"}, "Subject: bcc map\n\nbody\n"},
	{"long-line", []string{"-f", "alice", "bob"}, "Subject: long\n\n" + strings.Repeat("x", 5000) + "\n"},
	{"long-header", []string{"-f", "alice", "bob"}, "Subject: " + strings.Repeat("y", 3000) + "\n\nbody\n"},
	{"8bit", []string{"-f", "alice", "bob"}, "Content-Transfer-Encoding: 8bit\nSubject: 8bit\n\nb\xc3\xb6dy\n"},
	{"message-id", []string{"-f", "alice", "bob"}, "Message-ID: <given@example>\nDate: Mon, 1 Jan 2024 00:00:00 +0000\nSubject: has id\n\nbody\n"},
	{"leading-space", []string{"-f", "alice", "bob"}, " starts with space\nSubject: no\n\nbody\n"},
}

func TestCleanupQueueFilesAgainstReal(t *testing.T) {
	master := strings.Replace(baseMasterCF, "qmgr      unix  n       -       n       300     1       qmgr\n", "", 1)
	real := newInstance(t, cleanupMain, master, nil, cleanupFiles)
	our := newInstance(t, cleanupMain, master, map[string]string{"cleanup": ours.Path(t, "cleanup")}, cleanupFiles)
	for _, tc := range cleanupCases {
		realFile := submit(t, real, tc.args, tc.input, 10*time.Second)
		ourFile := submit(t, our, tc.args, tc.input, 10*time.Second)
		if realFile == "" {
			t.Fatalf("%s: real Postfix queued nothing:\n%s", tc.name, real.Maillog())
		}
		if ourFile == "" {
			t.Fatalf("%s: our cleanup queued nothing:\n%s", tc.name, our.Maillog())
		}
		compareQueueFiles(t, tc.name, realFile, ourFile)
	}
	compareCleanupLogs(t, real, our)
}
