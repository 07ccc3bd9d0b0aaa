// Command smtpdbench measures how fast mail is accepted into the queue
// by our smtpd + cleanup and by the real ones, in the same run: for each
// side a scratch instance under the real master (everything else real,
// mail delivered to discard), smtp-source sending the messages over
// parallel sessions, then a Go client measuring the end-of-DATA to 250
// latency. It prints messages per second, the ratio ours/real, server CPU
// per message (all daemons, from master's child usage), latency p50/p99
// and the proportional set size of the smtpd processes.
//
// The machine is shared, so the sides run interleaved, -rounds times
// (real first in odd rounds, ours first in even ones), each on a fresh
// instance, and the medians are compared.
//
// Usage (as root, from the tree root; tests/bench/smtpd.sh runs it):
//
//	go run ./tests/bench/smtpdbench [-m 10000] [-s 20] [-l 5120] [-probe 2000] [-rounds 3]
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

func main() {
	msgs := flag.Int("m", 10000, "messages sent with smtp-source")
	sessions := flag.Int("s", 20, "parallel SMTP sessions")
	size := flag.Int("l", 5120, "message size in bytes")
	probe := flag.Int("probe", 2000, "messages sent by the latency probe")
	swap := flag.String("swap", "smtpd,cleanup", "our programs in the \"ours\" instance")
	rounds := flag.Int("rounds", 3, "interleaved runs of each side")
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
	var reals, ours []result
	for i := 0; i < *rounds; i++ {
		sides := []func(){
			func() { reals = append(reals, runSide("real", 23401, nil, load)) },
			func() { ours = append(ours, runSide("ours", 23402, ourProgs, load)) },
		}
		if i%2 == 1 {
			sides[0], sides[1] = sides[1], sides[0]
		}
		for _, run := range sides {
			run()
		}
		fmt.Fprintf(os.Stderr, "round %d: real %.0f msg/s, ours %.0f msg/s\n", i+1, reals[i].rate, ours[i].rate)
	}
	fmt.Printf("ours: %s; %d messages of %d bytes over %d sessions (smtp-source), latency probe %d messages; median of %d interleaved rounds\n",
		*swap, load.msgs, load.size, load.sessions, load.probe, *rounds)
	fmt.Printf("%-5s %9s %12s %10s %10s %12s\n", "side", "msg/s", "CPU/msg", "p50", "p99", "smtpd PSS")
	real, our := median(reals), median(ours)
	for _, r := range []result{real, our} {
		fmt.Printf("%-5s %9.0f %10.0fus %10s %10s %9.1f MB\n", r.side, r.rate, r.cpuPerMsg.Seconds()*1e6,
			r.p50.Round(10*time.Microsecond), r.p99.Round(10*time.Microsecond), r.pssMB)
	}
	if real.rate > 0 {
		fmt.Printf("ratio ours/real: %.2f msg/s, %.2f CPU/msg\n", our.rate/real.rate,
			our.cpuPerMsg.Seconds()/real.cpuPerMsg.Seconds())
	}
}

// median takes the median of each figure separately.
func median(rs []result) result {
	pick := func(get func(result) float64) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = get(r)
		}
		sort.Float64s(v)
		return v[len(v)/2]
	}
	return result{side: rs[0].side,
		rate:      pick(func(r result) float64 { return r.rate }),
		cpuPerMsg: time.Duration(pick(func(r result) float64 { return float64(r.cpuPerMsg) })),
		p50:       time.Duration(pick(func(r result) float64 { return float64(r.p50) })),
		p99:       time.Duration(pick(func(r result) float64 { return float64(r.p99) })),
		pssMB:     pick(func(r result) float64 { return r.pssMB }),
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "smtpdbench: "+format+"\n", args...)
	os.Exit(1)
}
