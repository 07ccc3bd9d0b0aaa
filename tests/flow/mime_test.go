package flow

import (
	"strings"
	"testing"
	"time"
)

// mimeMain gives MIME part headers, attached message headers and the
// primary headers their own check tables, and limits body_checks to the
// start of each body part.
const mimeMain = `header_checks = regexp:@ROOT@/etc/header_checks
mime_header_checks = regexp:@ROOT@/etc/mime_header_checks
nested_header_checks = regexp:@ROOT@/etc/nested_header_checks
body_checks = regexp:@ROOT@/etc/body_checks
body_checks_size_limit = 40
`

var mimeFiles = map[string]string{
	"header_checks":        "/^Subject: .*primary/ PREPEND X-Primary-Check: yes\n/^Content-Description:/ REPLACE X-Wrong: header_checks saw a MIME header\n",
	"mime_header_checks":   "/^Content-Description: drop/ IGNORE\n/^Content-Type: text\\/x-mark/ PREPEND X-Mime-Check: yes\n",
	"nested_header_checks": "/^Subject: .*nested/ REPLACE Subject: nested replaced\n",
	"body_checks":          "/^replace-me/ REPLACE replaced\n",
}

const mimeBoundaryMsg = `Subject: primary multipart
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"
Content-Description: drop this one

preamble replace-me
--outer
Content-Type: text/x-mark; charset=us-ascii
Content-Description: drop me
Content-Description: keep me

replace-me at the start of a part
0123456789012345678901234567890123456789
replace-me beyond the size limit
--outer
Content-Type: message/rfc822

Subject: a nested message
From: someone@example.com
Content-Description: drop nested

replace-me in the nested body
--outer
Content-Type: multipart/alternative; boundary=inner

--inner
Content-Transfer-Encoding: 8bit

b\xc3\xb6dy replace-me
--inner--
after inner
--outer--
epilogue replace-me
`

// mimeCases are compared queue file by queue file with the real cleanup.
var mimeCases = []struct {
	name  string
	input string
}{
	{"multipart", strings.ReplaceAll(mimeBoundaryMsg, `\xc3\xb6`, "\xc3\xb6")},
	{"digest", "Subject: digest\nContent-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: nested in digest\n\nbody\n--d--\n"},
	{"no-mime", "Subject: no mime\n\n--outer\nContent-Description: drop me\n\nreplace-me\n"},
	{"header-continued", "Subject: primary\nContent-Type: multipart/mixed;\n boundary=\"folded\"\n\n--folded\nContent-Description:\n drop me\n\nreplace-me\n--folded--\n"},
	{"garbage-after-headers", "Subject: primary\nnot a header\nreplace-me\n"},
}

func TestCleanupMIMEAgainstReal(t *testing.T) {
	master := strings.Replace(baseMasterCF, "qmgr      unix  n       -       n       300     1       qmgr\n", "", 1)
	real := newInstance(t, mimeMain, master, nil, mimeFiles)
	our := newInstance(t, mimeMain, master, map[string]string{"cleanup": ours.Path(t, "cleanup")}, mimeFiles)
	for _, tc := range mimeCases {
		args := []string{"-f", "alice", "bob"}
		realFile := submit(t, real, args, tc.input, 10*time.Second)
		ourFile := submit(t, our, args, tc.input, 10*time.Second)
		if realFile == "" || ourFile == "" {
			t.Fatalf("%s: nothing queued (real %q, ours %q):\n%s\n%s", tc.name, realFile, ourFile, real.Maillog(), our.Maillog())
		}
		compareQueueFiles(t, tc.name, realFile, ourFile)
		if tc.name == "multipart" {
			// The checks this test is about did happen.
			text := strings.Join(queueRecords(t, realFile), "\n")
			for _, want := range []string{"X-Mime-Check: yes", "Subject: nested replaced", "N replaced", "Content-Description: keep me"} {
				if !strings.Contains(text, want) {
					t.Errorf("real queue file lacks %q:\n%s", want, text)
				}
			}
			for _, unwanted := range []string{"drop me", "X-Wrong", "drop nested"} {
				if strings.Contains(text, unwanted) {
					t.Errorf("real queue file has %q:\n%s", unwanted, text)
				}
			}
		}
	}
	compareCleanupLogs(t, real, our)
}
