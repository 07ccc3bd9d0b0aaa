// Command smtpdbench measures how fast mail is accepted into the queue
// by our smtpd + cleanup and by the real ones, in the same run: for each
// side a scratch instance under the real master (everything else real,
// mail delivered to discard), smtp-source sending the messages over
// parallel sessions, then a Go client measuring the end-of-DATA to 250
// latency. It prints messages per second, the ratio ours/real, server CPU
// per message (all daemons, from master's child usage), latency p50/p99
// and the proportional set size of the smtpd processes.
//
// Usage (as root, from the tree root; tests/bench/smtpd.sh runs it):
//
//	go run ./tests/bench/smtpdbench [-m 10000] [-s 20] [-l 5120] [-probe 2000]
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	msgs := flag.Int("m", 10000, "messages sent with smtp-source")
	sessions := flag.Int("s", 20, "parallel SMTP sessions")
	size := flag.Int("l", 5120, "message size in bytes")
	probe := flag.Int("probe", 2000, "messages sent by the latency probe")
	swap := flag.String("swap", "smtpd,cleanup", "our programs in the \"ours\" instance")
	flag.Parse()
	if os.Getuid() != 0 {
		fatalf("smtpdbench must run as root (it starts the real master)")
	}
	bin, err := os.MkdirTemp("", "smtpdbench-bin")
	if err != nil {
		fatalf("%v", err)
	}
	defer os.RemoveAll(bin)
	ourProgs := map[string]string{}
	for _, p := range strings.Split(*swap, ",") {
		ourProgs[p] = filepath.Join(bin, p)
		if out, err := exec.Command("go", "build", "-o", filepath.Join(bin, p), "gopostfix/cmd/"+p).CombinedOutput(); err != nil {
			fatalf("build %s: %v\n%s", p, err, out)
		}
	}
	load := loadSpec{msgs: *msgs, sessions: *sessions, size: *size, probe: *probe}
	real := runSide("real", 23401, nil, load)
	ours := runSide("ours", 23402, ourProgs, load)
	fmt.Printf("ours: %s; %d messages of %d bytes over %d sessions (smtp-source), latency probe %d messages\n",
		*swap, load.msgs, load.size, load.sessions, load.probe)
	fmt.Printf("%-5s %9s %12s %10s %10s %12s\n", "side", "msg/s", "CPU/msg", "p50", "p99", "smtpd PSS")
	for _, r := range []result{real, ours} {
		fmt.Printf("%-5s %9.0f %10.0fus %10s %10s %9.1f MB\n", r.side, r.rate, r.cpuPerMsg.Seconds()*1e6,
			r.p50.Round(10*time.Microsecond), r.p99.Round(10*time.Microsecond), r.pssMB)
	}
	if real.rate > 0 {
		fmt.Printf("ratio ours/real: %.2f msg/s, %.2f CPU/msg\n", ours.rate/real.rate,
			ours.cpuPerMsg.Seconds()/real.cpuPerMsg.Seconds())
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "smtpdbench: "+format+"\n", args...)
	os.Exit(1)
}
