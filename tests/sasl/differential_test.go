package sasl

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestDifferentialCyrus plays every session against the real smtpd and
// ours of its profile and compares the replies (CRAM-MD5 challenges
// masked) and the smtpd log lines of the session.
func TestDifferentialCyrus(t *testing.T) {
	in, ports := newInstance(t, testProfiles)
	maillog := in.Path("log/maillog")
	// Each side of a session is identified in the log by its program
	// name; sessions of different profiles run in parallel pairs.
	var mu sync.Mutex
	for _, s := range testSessions {
		t.Run(s.name, func(t *testing.T) {
			p, ok := ports[s.profile]
			if !ok {
				t.Fatalf("no profile %q", s.profile)
			}
			mu.Lock()
			defer mu.Unlock()
			// A server that dies leaves the client waiting for master's
			// throttled retry; a short wait suffices to see it die.
			limit := 15 * time.Second
			if s.fatal {
				limit = 2 * time.Second
			}
			off := logSize(maillog)
			real := runSessionLimit(fmt.Sprintf("127.0.0.1:%d", p[0]), s.steps, limit)
			realLog := logSince(maillog, off, "smtpd")
			off = logSize(maillog)
			ours := runSessionLimit(fmt.Sprintf("127.0.0.1:%d", p[1]), s.steps, limit)
			ourLog := logSince(maillog, off, "gosmtpd")
			if s.fatal {
				if a, b := strings.Join(problems(realLog), "\n"), strings.Join(problems(ourLog), "\n"); a != b || a == "" {
					t.Errorf("log lines differ\n--- real\n%s\n--- ours\n%s", a, b)
				}
				return
			}
			if real.err != nil {
				t.Fatalf("real smtpd: %v", real.err)
			}
			var diffs []string
			if ours.err != nil {
				diffs = append(diffs, fmt.Sprintf("our smtpd: %v", ours.err))
			}
			if a, b := maskReplies(implemented(real.replies)), maskReplies(ours.replies); a != b {
				diffs = append(diffs, fmt.Sprintf("replies differ\n--- real\n%s\n--- ours\n%s", a, b))
			}
			if a, b := maskQueueIDs(strings.Join(realLog, "\n")), maskQueueIDs(strings.Join(ourLog, "\n")); a != b {
				diffs = append(diffs, fmt.Sprintf("log lines differ\n--- real\n%s\n--- ours\n%s", a, b))
			}
			switch {
			case len(diffs) > 0 && s.pending != "":
				t.Skipf("known difference until %s:\n%s", s.pending, strings.Join(diffs, "\n"))
			case len(diffs) > 0:
				t.Error(strings.Join(diffs, "\n"))
			}
		})
	}
}

// notImplemented are the mechanisms of Debian's libsasl2 plugins that
// libglobal/sasl lacks; they are taken out of the real smtpd's AUTH
// line before it is compared with ours.
var notImplemented = []string{"SCRAM-SHA-512", "SCRAM-SHA-384", "SCRAM-SHA-256", "SCRAM-SHA-224", "SCRAM-SHA-1",
	"DIGEST-MD5", "NTLM"}

// implemented rewrites the EHLO AUTH line without notImplemented.
func implemented(replies []string) []string {
	out := make([]string, len(replies))
	for i, r := range replies {
		lines := strings.Split(r, "\n")
		for j, l := range lines {
			if rest, ok := strings.CutPrefix(l[min(len(l), 4):], "AUTH "); ok && len(l) > 4 {
				var keep []string
				for _, m := range strings.Fields(rest) {
					if !slices.Contains(notImplemented, m) {
						keep = append(keep, m)
					}
				}
				lines[j] = l[:4] + "AUTH " + strings.Join(keep, " ")
			}
		}
		out[i] = strings.Join(lines, "\n")
	}
	return out
}

// problems are the warning and fatal lines of a log.
func problems(lines []string) []string {
	var out []string
	for _, l := range lines {
		if strings.HasPrefix(l, "warning: ") || strings.HasPrefix(l, "fatal: ") {
			out = append(out, l)
		}
	}
	return out
}

var cramChallenge = regexp.MustCompile(`^<\d+\.\d+@(.*)>$`)

// maskReplies joins the replies, with the random and clock parts of
// CRAM-MD5 challenges replaced.
func maskReplies(replies []string) string {
	out := make([]string, len(replies))
	for i, r := range replies {
		out[i] = r
		if b, ok := strings.CutPrefix(r, "334 "); ok {
			if dec, err := base64.StdEncoding.DecodeString(b); err == nil {
				if m := cramChallenge.FindStringSubmatch(string(dec)); m != nil {
					out[i] = "334 <RANDOM.TIME@" + m[1] + ">"
				}
			}
		}
	}
	return maskQueueIDs(strings.Join(out, "\n"))
}

var queueID = regexp.MustCompile(`\b[0-9A-F]{8,12}\b`)

func maskQueueIDs(s string) string { return queueID.ReplaceAllString(s, "QUEUEID") }
