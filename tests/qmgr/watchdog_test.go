package qmgr

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

// watchdogInstance starts a local-delivery instance with qmgr ours or
// real, extra -o options for qmgr and extra master.cf services.
func watchdogInstance(t *testing.T, ourQmgr bool, qmgrOpts, services string) *instance.Instance {
	var swap map[string]string
	if ourQmgr {
		swap = ours.Map(t, "qmgr")
	}
	opts := instance.Local("", nil, swap)
	opts.Prefix = "qmgrdog"
	opts.Master = strings.Replace(instance.MasterCF, qmgrLine, strings.TrimSuffix(qmgrLine, "\n")+" "+qmgrOpts+"\n", 1) + services
	return instance.New(t, opts)
}

// TestWatchdog compares qmgr_daemon_timeout with the real qmgr: a value
// under three seconds cannot be split into the watchdog's three steps;
// an idle manager lives on; one stuck in a conversation (here with a
// resolver that never answers) dies.
func TestWatchdog(t *testing.T) {
	for _, ourQmgr := range []bool{false, true} {
		name := "real"
		if ourQmgr {
			name = "ours"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			watchdogCases(t, ourQmgr)
		})
	}
}

// watchdogCases runs the three cases on instances with qmgr ours or
// real.
func watchdogCases(t *testing.T, ourQmgr bool) {
	qmgrLog := func(in *instance.Instance) string {
		var b strings.Builder
		for _, l := range in.LogLines("postfix/qmgr[") {
			b.WriteString(l + "\n")
		}
		return b.String()
	}
	tooSmall := watchdogInstance(t, ourQmgr, "-o qmgr_daemon_timeout=2s", "")
	if !tooSmall.WaitLog(20*time.Second, "]: panic: watchdog_create: timeout 2 is too small") {
		t.Errorf("ours %v: no panic for a 2s watchdog:\n%s", ourQmgr, tooSmall.Maillog())
	}
	tooSmall.Halt()

	hang := "hang      unix  -       n       n       -       -       spawn\n  user=nobody argv=/bin/sleep 20\n"
	in := watchdogInstance(t, ourQmgr, "-o qmgr_daemon_timeout=3s -o rewrite_service_name=hang", hang)
	time.Sleep(4 * time.Second)
	if strings.Contains(in.Maillog(), "watchdog") {
		t.Errorf("ours %v: an idle qmgr died:\n%s", ourQmgr, in.Maillog())
	}
	in.Send("Subject: stuck\n\nbody\n", "-f", "root", "daemon")
	fatal := regexp.MustCompile(`postfix/qmgr\[\d+\]: fatal: watchdog timeout\n`)
	if !in.WaitLogMatch(20*time.Second, fatal) {
		t.Errorf("ours %v: a stuck qmgr did not die:\n%s", ourQmgr, qmgrLog(in))
	}
	in.Halt()
}
