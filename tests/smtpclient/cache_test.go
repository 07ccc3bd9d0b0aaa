package smtpclient

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// cacheBase is the stub port of the connection cache tests.
const cacheBase = 27130

// cacheMainCF delivers every cache test domain one message at a time
// (destination concurrency 1), so that each delivery finds the
// connection the one before it left in scache(8).
const cacheMainCF = stubMainCF + `cachesmtp_destination_concurrency_limit = 1
cachecount_destination_concurrency_limit = 1
cachetime_destination_concurrency_limit = 1
ondemand_destination_concurrency_limit = 1
tlsreuse_destination_concurrency_limit = 1
tlsreusev_destination_concurrency_limit = 1
smtp_tls_CAfile = @ROOT@/etc/ca.pem
smtp_tls_loglevel = 1
smtp_tls_session_cache_database = btree:${data_directory}/smtp_scache
# The real tlsproxy 3.7.11 crashes on client requests (a null pre-jail
# settings key) unless its client side was set up before the jail,
# which a policy table (or a global TLS level) makes it do.
smtp_tls_policy_maps = texthash:@ROOT@/etc/tls_policy
nocache_destination_concurrency_limit = 1
header_checks = regexp:@ROOT@/etc/hold
`

// stubMainCF is the start of main.cf of the instances whose mail goes
// to the stub through the transport table.
const stubMainCF = `myhostname = mx.smtpspec.example
mydomain = smtpspec.example
myorigin = $myhostname
mydestination = $myhostname, localhost
alias_maps =
local_recipient_maps =
inet_protocols = ipv4
queue_run_delay = 300s
minimal_backoff_time = 300s
transport_maps = texthash:@ROOT@/etc/transport
smtp_connect_timeout = 2s
smtp_helo_timeout = 2s
`

const cacheMasterCF = instance.MasterCF + `scache    unix  -       -       n       -       1       scache
cachesmtp unix  -       -       n       -       -       smtp -o smtp_connection_cache_destinations=127.0.0.1
cachecount unix -       -       n       -       -       smtp -o smtp_connection_cache_destinations=127.0.0.1 -o smtp_connection_reuse_count_limit=2
cachetime unix  -       -       n       -       -       smtp -o smtp_connection_cache_destinations=127.0.0.1 -o smtp_connection_reuse_time_limit=1s
ondemand  unix  -       -       n       -       -       smtp
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
tlsproxy  unix  -       -       n       -       0       tlsproxy
tlsreuse  unix  -       -       n       -       -       smtp -o smtp_tls_security_level=may -o smtp_tls_connection_reuse=yes -o smtp_connection_cache_destinations=127.0.0.1
tlsreusev unix  -       -       n       -       -       smtp -o smtp_tls_security_level=verify -o smtp_tls_verify_cert_match=mx.tlsspec.test -o smtp_tls_connection_reuse=yes -o smtp_connection_cache_destinations=127.0.0.1
nocache   unix  -       -       n       -       -       smtp -o smtp_connection_cache_on_demand=no
`

// cacheDomains are the test domains, their transports and stub ports,
// and how many messages each gets per batch.
var cacheDomains = []struct {
	domain, transport string
	port, count       int
	// timing: which deliveries qmgr asks to cache depends on when
	// its queue runs dry (qmgr_entry.c), so only the reuse itself is
	// compared, not the exact pattern. This mail is held and released
	// at once, so that qmgr sees a backlog.
	timing bool
}{
	{"cache.test", "cachesmtp", 0, 3, false},
	{"count.test", "cachecount", 1, 4, false},
	{"time.test", "cachetime", 2, 2, false},
	{"ondemand.test", "ondemand", 3, 4, true},
	{"nocache.test", "nocache", 4, 3, false},
	{"rsetfail.test", "cachesmtp", 5, 3, false},
	{"tlsreuse.test", "tlsreuse", 6, 3, false},
	{"tlsreusev.test", "tlsreusev", 7, 3, false},
}

// rcptRE matches the test recipients, whose number is masked: qmgr
// does not deliver the messages of a batch in the order they came.
var rcptRE = regexp.MustCompile(`\bb(\d)u\d\b`)

// runCache sends two batches to every cache domain (the second after
// the cached connections have expired) and returns the masked status
// lines in delivery order per domain, the other client and scache log
// lines, and the stub transcripts.
func runCache(t *testing.T, swap map[string]string) (status, other []string, trans map[string][]string) {
	pki := newPKI(t)
	files := map[string]string{"etc/hold": "/^Subject: hold/ HOLD\n", "etc/ca.pem": string(pki.caPEM), "etc/tls_policy": ""}
	in := instance.New(t, instance.Options{Prefix: "smtpcache", Main: cacheMainCF, Master: cacheMasterCF, Files: files, Ours: swap})
	var tr strings.Builder
	for _, d := range cacheDomains {
		fmt.Fprintf(&tr, "%s %s:[127.0.0.1]:%d\n", d.domain, d.transport, cacheBase+d.port)
	}
	in.Write("etc/transport", tr.String())
	st := newStub(t, &pki.server, time.Second)
	for _, d := range cacheDomains {
		m := mode{}
		if strings.HasPrefix(d.domain, "tlsreuse") {
			m.starttls = "srv"
		}
		if d.domain == "rsetfail.test" {
			m.rset = "502 5.5.2 Error: command not recognized"
		}
		if d.transport == "cachetime" {
			// Each delivery takes longer than the reuse time limit,
			// which Postfix checks in whole seconds.
			m.eodDelay = 2100 * time.Millisecond
		}
		st.listen("tcp", fmt.Sprintf("127.0.0.1:%d", cacheBase+d.port), d.domain, m)
	}
	statusRE := regexp.MustCompile(`postfix/smtp\[\d+\]: [0-9A-F]+: to=<([^>]*)>.*status=`)
	sent := 0
	for batch := 1; batch <= 2; batch++ {
		for _, d := range cacheDomains {
			for i := 1; i <= d.count; i++ {
				rcpt := fmt.Sprintf("b%du%d@%s", batch, i, d.domain)
				subject := "cache"
				if d.timing {
					subject = "hold"
				}
				msg := "From: sender@bounces.test\nTo: " + rcpt + "\nSubject: " + subject + "\n\nbody\n"
				in.Send(msg, "-f", "sender@bounces.test", rcpt)
				sent++
			}
		}
		held := 0
		for _, d := range cacheDomains {
			if d.timing {
				held += d.count
			}
		}
		if !instance.WaitFor(30*time.Second, func() bool { return len(in.Queued("hold")) >= held }) {
			t.Fatalf("batch %d: mail not held", batch)
		}
		in.Postsuper("-H", "ALL")
		in.Postqueue("-f")
		if !instance.WaitFor(60*time.Second, func() bool { return len(statusRE.FindAllString(in.Maillog(), -1)) >= sent }) {
			t.Fatalf("batch %d not delivered:\n%s", batch, in.Maillog())
		}
		// Cached connections expire after smtp_connection_cache_time_limit (2s).
		time.Sleep(3 * time.Second)
	}
	byDomain := map[string][]string{}
	for _, line := range strings.Split(in.Maillog(), "\n") {
		switch m := statusRE.FindStringSubmatch(line); {
		case m != nil:
			_, domain, _ := strings.Cut(m[1], "@")
			byDomain[domain] = append(byDomain[domain], rcptRE.ReplaceAllString(instance.Mask(line, in.Root), "b${1}u*"))
		case strings.Contains(line, "postfix/smtp[") || strings.Contains(line, "postfix/scache[") ||
			strings.Contains(line, "postfix/tlsproxy["):
			// tlsproxy warns once per process, and master starts as
			// many as it takes.
			if !strings.Contains(line, "statistics:") && !strings.Contains(line, "TLS server role is disabled") {
				other = append(other, regexp.MustCompile(`\[\d+\]`).ReplaceAllString(instance.Mask(line, in.Root), ""))
			}
		}
	}
	for _, d := range cacheDomains {
		if d.timing {
			status = append(status, reuseSummary(d.domain, byDomain[d.domain]))
			continue
		}
		status = append(status, byDomain[d.domain]...)
	}
	sort.Strings(other)
	in.Halt()
	st.close()
	trans = map[string][]string{}
	for _, d := range cacheDomains {
		if d.timing {
			continue
		}
		for _, s := range st.transcripts(d.domain) {
			trans[d.domain] = append(trans[d.domain], rcptRE.ReplaceAllString(strings.Join(s, "\n"), "b${1}u*"))
		}
		sort.Strings(trans[d.domain])
	}
	return status, other, trans
}

// TestConnectionCache compares connection caching by our smtp with the
// real one, with the real scache and with ours: which deliveries reuse
// a connection (conn_use=N, c = 0 in delays), the RSET probes, reuse
// count and time limits, on-demand caching for a backlog, and the
// connections scache closes when they expire.
func TestConnectionCache(t *testing.T) {
	instance.RequireRealPostfix(t)
	cachePrograms := instance.NewPrograms("smtp", "scache")
	defer cachePrograms.Remove()
	runs := []struct {
		name string
		swap map[string]string
	}{
		{"real smtp, real scache", nil},
		{"our smtp, real scache", map[string]string{"smtp": cachePrograms.Path(t, "smtp")}},
		{"our smtp, our scache", cachePrograms.Map(t)},
	}
	wantStatus, wantOther, wantTrans := runCache(t, runs[0].swap)
	for _, r := range runs[1:] {
		status, other, trans := runCache(t, r.swap)
		if d := diffLines(wantStatus, status); d != "" {
			t.Errorf("%s: status lines differ:\n%s", r.name, d)
		}
		if d := diffLines(wantOther, other); d != "" {
			t.Errorf("%s: other log lines differ:\n%s", r.name, d)
		}
		for _, d := range cacheDomains {
			if w, g := strings.Join(wantTrans[d.domain], "\n==\n"), strings.Join(trans[d.domain], "\n==\n"); w != g {
				t.Errorf("%s: transcripts of %s differ:\nreal:\n%s\nours:\n%s", r.name, d.domain, w, g)
			}
		}
	}
}

// reuseSummary says how many deliveries there were and whether one of
// them reused a cached connection.
func reuseSummary(domain string, lines []string) string {
	reused := false
	for _, l := range lines {
		reused = reused || strings.Contains(l, ", conn_use=2, ")
	}
	return fmt.Sprintf("%s: %d deliveries, connection reused: %v", domain, len(lines), reused)
}

// diffLines shows two line lists side by side when they differ.
func diffLines(want, got []string) string {
	if strings.Join(want, "\n") == strings.Join(got, "\n") {
		return ""
	}
	return "want:\n" + strings.Join(want, "\n") + "\ngot:\n" + strings.Join(got, "\n")
}
