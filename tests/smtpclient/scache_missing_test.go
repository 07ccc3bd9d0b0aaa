package smtpclient

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/deliver"
	"gopostfix/tests/internal/instance"
)

// missingBase is the first stub port of the missing-scache tests
// (33200-33299).
const missingBase = 33200

// missingMainCF sends every test domain through its own transport, one
// delivery at a time, with no scache service in master.cf.
const missingMainCF = stubMainCF + `nocachesmtp_destination_concurrency_limit = 1
nocachelmtp_destination_concurrency_limit = 1
nocacheunix_destination_concurrency_limit = 1
failtable_destination_concurrency_limit = 1
`

// missingMasterCF asks for connection caching by destination (smtp,
// lmtp over TCP and over a UNIX socket), without a scache service, and
// once with a destination table that fails (no caching, a warning).
const missingMasterCF = instance.MasterCF + `nocachesmtp unix -      -       n       -       -       smtp -o smtp_connection_cache_destinations=127.0.0.1
nocachelmtp unix -      -       n       -       -       lmtp -o lmtp_connection_cache_destinations=127.0.0.1
nocacheunix unix -      -       n       -       -       lmtp -o lmtp_connection_cache_destinations=texthash:@ROOT@/etc/cachedest
failtable unix -        -       n       -       -       smtp -o smtp_connection_cache_destinations=fail:cachedest
`

// missingDomains are the test domains with their transports and
// nexthops (%d is the stub port base, %s the instance root).
var missingDomains = []struct{ domain, transport string }{
	{"smtp.test", "nocachesmtp:[127.0.0.1]:%d"},
	{"lmtp.test", "nocachelmtp:inet:[127.0.0.1]:%d"},
	{"unix.test", "nocacheunix:unix:%s/stub/lmtp.sock"},
	{"failtable.test", "failtable:[127.0.0.1]:%d"},
}

// runMissing delivers three messages to each domain, one after the
// other, and returns the masked client log lines in order and the
// stub transcripts per domain.
func runMissing(t *testing.T, swap map[string]string) (logs []string, trans map[string][]string) {
	files := map[string]string{"etc/cachedest": "@ROOT@/stub/lmtp.sock yes\n"}
	in := instance.New(t, instance.Options{Prefix: "scachemissing", Main: missingMainCF, Master: missingMasterCF, Files: files, Ours: swap})
	var tr strings.Builder
	for i, d := range missingDomains {
		nh := d.transport
		switch {
		case strings.Contains(nh, "%s"):
			nh = fmt.Sprintf(nh, in.Root)
		default:
			nh = fmt.Sprintf(nh, missingBase+i)
		}
		fmt.Fprintf(&tr, "%s %s\n", d.domain, nh)
	}
	in.Write("etc/transport", tr.String())
	if err := os.MkdirAll(in.Path("stub"), 0755); err != nil {
		t.Fatal(err)
	}
	st := newStub(t, nil, time.Second)
	st.listen("tcp", fmt.Sprintf("127.0.0.1:%d", missingBase), "smtp.test", mode{})
	st.listen("tcp", fmt.Sprintf("127.0.0.1:%d", missingBase+1), "lmtp.test", mode{lmtp: true})
	st.listen("unix", in.Path("stub/lmtp.sock"), "unix.test", mode{lmtp: true})
	st.listen("tcp", fmt.Sprintf("127.0.0.1:%d", missingBase+3), "failtable.test", mode{})
	statusRE := regexp.MustCompile(`postfix/(smtp|lmtp)\[\d+\]: [0-9A-F]+: to=<([^>]*)>.*status=`)
	sent := 0
	for _, d := range missingDomains {
		for i := 1; i <= 3; i++ {
			rcpt := fmt.Sprintf("u%d@%s", i, d.domain)
			in.Send("From: sender@bounces.test\nTo: "+rcpt+"\nSubject: scache\n\nbody\n", "-f", "sender@bounces.test", rcpt)
			sent++
			if !instance.WaitFor(30*time.Second, func() bool { return len(statusRE.FindAllString(in.Maillog(), -1)) >= sent }) {
				t.Fatalf("%s not delivered:\n%s", rcpt, in.Maillog())
			}
		}
	}
	time.Sleep(500 * time.Millisecond)
	var names []string
	for _, d := range missingDomains {
		names = append(names, d.domain)
	}
	return collect(in, st, names)
}

// collect stops the instance and the stub and returns the masked
// client log lines in order and the stub transcripts of the named
// listeners.
func collect(in *instance.Instance, st *stub, names []string) (logs []string, trans map[string][]string) {
	clientRE := regexp.MustCompile(`postfix/(smtp|lmtp)\[\d+\]: (.*)$`)
	for _, line := range strings.Split(in.Maillog(), "\n") {
		if m := clientRE.FindStringSubmatch(line); m != nil {
			logs = append(logs, instance.Mask(m[0], in.Root))
		}
	}
	in.Halt()
	st.close()
	trans = map[string][]string{}
	for _, name := range names {
		for _, s := range st.transcripts(name) {
			trans[name] = append(trans[name], instance.Mask(strings.Join(s, "\n"), in.Root))
		}
	}
	return logs, trans
}

// TestScacheMissing compares our smtp and lmtp with the real ones when
// connection caching is requested and there is no scache service.
func TestScacheMissing(t *testing.T) {
	instance.RequireRealPostfix(t)
	realLogs, realTrans := runMissing(t, nil)
	ourLogs, ourTrans := runMissing(t, map[string]string{"smtp": ours.Path(t, "smtp"), "lmtp": ours.Path(t, "smtp")})
	var names []string
	for _, d := range missingDomains {
		names = append(names, d.domain)
	}
	compareRuns(t, names, realLogs, ourLogs, realTrans, ourTrans)
}

// demandMasterCF has one process per service, so that the requests of
// a sequence all go to the same client process.
const demandMasterCF = instance.MasterCF + `demand    unix  -       -       n       -       1       smtp
demandstore unix -      -       n       -       1       smtp
demandlmtp unix -       -       n       -       1       lmtp
demandunix unix -       -       n       -       1       lmtp
`

// agentRun is a request sequence: the service (one process), its
// nexthop (%d: port, %s: instance root), the stub port offset (-1: a
// UNIX socket), and the request flags in order.
type agentRun struct {
	service, nexthop string
	port             int
	flags            []int
	onMail           func() // called by the stub at MAIL FROM
	after            func() // called after the first request
}

// demandRuns are the on-demand sequences, with flags as qmgr sets them
// (qmgr_entry.c: store and load once deliveries come back to back,
// load alone while the cached sessions drain).
var demandRuns = []agentRun{
	{"demand", "[127.0.0.1]:%d", 10, []int{0, deliver.FlagConnLoad, deliver.FlagConnMask, deliver.FlagConnStore, deliver.FlagConnLoad}, nil, nil},
	{"demandstore", "[127.0.0.1]:%d", 11, []int{deliver.FlagConnStore, deliver.FlagConnMask, deliver.FlagConnLoad}, nil, nil},
	{"demandlmtp", "inet:[127.0.0.1]:%d", 12, []int{deliver.FlagConnLoad, deliver.FlagConnStore}, nil, nil},
	{"demandunix", "unix:%s/stub/demandunix.sock", -1, []int{deliver.FlagConnStore, deliver.FlagConnLoad}, nil, nil},
}

// runAgent sends request sequences straight to the delivery agents
// (playing qmgr, whose own choice of flags depends on timing) for a
// held message, and returns the masked client log lines in order and
// the stub transcripts per service. start, when not nil, runs once the
// instance is up.
func runAgent(t *testing.T, swap map[string]string, master string, runs []agentRun, start func(in *instance.Instance)) (logs []string, trans map[string][]string) {
	files := map[string]string{"etc/hold": "/^Subject: hold/ HOLD\n"}
	in := instance.New(t, instance.Options{Prefix: "scacheagent", Main: missingMainCF + "header_checks = regexp:@ROOT@/etc/hold\n",
		Master: master, Files: files, Ours: swap})
	if err := os.MkdirAll(in.Path("stub"), 0755); err != nil {
		t.Fatal(err)
	}
	if start != nil {
		start(in)
	}
	st := newStub(t, nil, time.Second)
	in.Send("From: sender@bounces.test\nTo: user@demand.test\nSubject: hold\n\nbody\n", "-f", "sender@bounces.test", "user@demand.test")
	if !instance.WaitFor(30*time.Second, func() bool { return len(in.Queued("hold")) == 1 }) {
		t.Fatalf("message not held:\n%s", in.Maillog())
	}
	m, err := readHeld(in, in.Queued("hold")[0])
	if err != nil {
		t.Fatal(err)
	}
	statusRE := regexp.MustCompile(`postfix/(smtp|lmtp)\[\d+\]: [0-9A-F]+: to=<([^>]*)>.*status=`)
	sent := 0
	for _, r := range runs {
		nh := fmt.Sprintf(r.nexthop, missingBase+r.port)
		if r.port < 0 {
			nh = fmt.Sprintf(r.nexthop, in.Root)
			st.listen("unix", in.Path("stub/"+r.service+".sock"), r.service, mode{lmtp: true})
		} else {
			st.listen("tcp", fmt.Sprintf("127.0.0.1:%d", missingBase+r.port), r.service,
				mode{lmtp: strings.Contains(r.service, "lmtp"), onMail: r.onMail})
		}
		for i, f := range r.flags {
			hop, stat, err := request(in, r.service, nh, m, f)
			if err != nil || stat != 0 {
				t.Fatalf("%s flags %#x: status %d %v %v\n%s", r.service, f, stat, hop, err, in.Maillog())
			}
			sent++
			if !instance.WaitFor(10*time.Second, func() bool { return len(statusRE.FindAllString(in.Maillog(), -1)) >= sent }) {
				t.Fatalf("%s flags %#x: no status logged:\n%s", r.service, f, in.Maillog())
			}
			// The process goes back to waiting before the next request.
			time.Sleep(200 * time.Millisecond)
			if r.after != nil && i == 0 {
				r.after()
			}
		}
	}
	return collect(in, st, services(runs))
}

// compareRuns reports the differences between the real and our log
// lines and the transcripts of the named stub listeners.
func compareRuns(t *testing.T, names []string, realLogs, ourLogs []string, realTrans, ourTrans map[string][]string) {
	t.Helper()
	if d := diffLines(realLogs, ourLogs); d != "" {
		t.Errorf("client log lines differ:\n%s", d)
	}
	for _, n := range names {
		if w, g := strings.Join(realTrans[n], "\n==\n"), strings.Join(ourTrans[n], "\n==\n"); w != g {
			t.Errorf("transcripts of %s differ:\nreal:\n%s\nours:\n%s", n, w, g)
		}
	}
}

// services are the services of request sequences.
func services(runs []agentRun) []string {
	var names []string
	for _, r := range runs {
		names = append(names, r.service)
	}
	return names
}

// TestScacheOnDemand compares our smtp and lmtp with the real ones
// when qmgr asks for on-demand connection caching and there is no
// scache service: the warnings and "disabling connection caching" once
// per process, and QUIT only for sessions that were not to be cached.
func TestScacheOnDemand(t *testing.T) {
	instance.RequireRealPostfix(t)
	master := demandMasterCF
	realLogs, realTrans := runAgent(t, nil, master, demandRuns, nil)
	ourLogs, ourTrans := runAgent(t, map[string]string{"smtp": ours.Path(t, "smtp"), "lmtp": ours.Path(t, "smtp")}, master, demandRuns, nil)
	compareRuns(t, services(demandRuns), realLogs, ourLogs, realTrans, ourTrans)
}

// brokenRuns send two requests that both look up and save sessions to
// each fake scache service; the "vanish" service's server is stopped
// in mid-delivery, between the lookups and the saves, the
// "vanishidle" one between the two deliveries; last, an lmtp service
// with the "hangup" server.
func brokenRuns(vanish func(mode string)) []agentRun {
	var runs []agentRun
	for i, m := range fakeModes {
		r := agentRun{fakeService(m), "[127.0.0.1]:%d", 20 + i, []int{deliver.FlagConnMask, deliver.FlagConnMask}, nil, nil}
		switch m {
		case "vanish":
			r.onMail = func() { vanish("vanish") }
		case "vanishidle":
			r.after = func() { vanish("vanishidle") }
		}
		runs = append(runs, r)
	}
	lmtp := agentRun{fakeLMTP, "inet:[127.0.0.1]:%d", 20 + len(fakeModes), []int{deliver.FlagConnMask, deliver.FlagConnMask}, nil, nil}
	return append(runs, lmtp)
}

// TestScacheBroken compares our smtp with the real one when the scache
// service misbehaves (fakeScache modes): the warnings, the retry after
// a second on a new connection, giving up for the life of the process,
// and what reached the service on each connection.
func TestScacheBroken(t *testing.T) {
	instance.RequireRealPostfix(t)
	vanishing := map[string]*fakeScache{}
	runs := brokenRuns(func(mode string) { vanishing[mode].vanish() })
	var logs [2][]string
	var trans [2]map[string][]string
	var servers [2][]*fakeScache
	for k, swap := range []map[string]string{nil, {"smtp": ours.Path(t, "smtp"), "lmtp": ours.Path(t, "smtp")}} {
		logs[k], trans[k] = runAgent(t, swap, instance.MasterCF+fakeMasterCF(), runs, func(in *instance.Instance) {
			for _, m := range fakeModes {
				f := newFakeScache(t, in.Path("queue/private/cache"+m), m)
				vanishing[m] = f
				servers[k] = append(servers[k], f)
			}
		})
		for _, f := range servers[k] {
			f.close()
		}
	}
	compareRuns(t, services(runs), logs[0], logs[1], trans[0], trans[1])
	for i, m := range fakeModes {
		if w, g := servers[0][i].transcript(), servers[1][i].transcript(); w != g {
			t.Errorf("scache requests in mode %s differ:\nreal:\n%s\nours:\n%s", m, w, g)
		}
	}
}
