// Command smtpdbench measures how fast mail is accepted into the queue
// by our smtpd + cleanup and by the real ones, in the same run: for each
// side a scratch instance under the real master (everything else real,
// mail delivered to discard), smtp-source sending the messages over
// parallel sessions, then a Go client measuring the end-of-DATA to 250
// latency. It prints messages per second, the ratio ours/real, server CPU
// per message (all daemons: master's child usage plus the children still
// running when it stops), latency p50/p99, the proportional set size of
// the smtpd processes, smtp-source's own CPU per message (client/msg) and
// the busy CPU of the whole machine per message while smtp-source runs
// (machine/msg: server, client, kernel threads and anything else on the
// machine; the load is CPU-bound when this is near 2 cores / rate). Besides the real
// Postfix and ours (smtpd and cleanup swapped in), a third instance runs
// our whole stack (master, qmgr, trivial-rewrite, discard, postlogd ...).
// The last lines give, for each side, the ceiling of its rate if its
// smtpd and cleanup used no CPU at all (the CPUs over what the rest of
// the machine spends per message), the most any smtpd + cleanup could
// reach here.
//
// The machine is shared, so the sides run interleaved, -rounds times
// (real first in odd rounds, ours first in even ones), each on a fresh
// instance, and the medians are compared.
//
// Usage (as root, from the tree root; tests/bench/smtpd.sh runs it):
//
//	go run ./tests/bench/smtpdbench [-m 10000] [-s 20] [-l 5120] [-probe 2000] [-rounds 3] [-swap LIST] [-all LIST] [-sides LIST] [-port N] [-maincf LINES] [-alt DIR [-altcf LINES]]
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

func main() {
	msgs := flag.Int("m", 10000, "messages sent with smtp-source")
	sessions := flag.Int("s", 20, "parallel SMTP sessions")
	size := flag.Int("l", 5120, "message size in bytes")
	probe := flag.Int("probe", 2000, "messages sent by the latency probe")
	swap := flag.String("swap", "smtpd,cleanup", "our programs in the \"ours\" instance")
	all := flag.String("all", "master,smtpd,cleanup,qmgr,trivial-rewrite,discard,bounce,anvil,postlogd,pickup",
		"our programs in the \"all-ours\" instance (empty: no such instance)")
	rounds := flag.Int("rounds", 3, "interleaved runs of each side")
	extra := flag.String("maincf", "", "main.cf lines appended to every instance, \\n-separated (experiments)")
	alt := flag.String("alt", "", "a fourth side, \"alt\", with the smtpd and cleanup binaries found in this directory (A/B runs)")
	altCF := flag.String("altcf", "", "main.cf lines appended for the alt side only, \\n-separated")
	altAll := flag.Bool("altall", false, "the alt side starts from the all-ours stack: any program of -all found in the -alt directory replaces ours")
	only := flag.String("sides", "", "run only these sides (comma list of real, ours, all; for profiling)")
	port := flag.Int("port", 23401, "SMTP port of the first side (the others take the next ones)")
	flag.Parse()
	if os.Getuid() != 0 {
		fatalf("smtpdbench must run as root (it starts the real master)")
	}
	bin, err := os.MkdirTemp("", "smtpdbench-bin")
	if err != nil {
		fatalf("%v", err)
	}
	atExit(func() { os.RemoveAll(bin) })
	defer runAtExit()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() { s := <-sig; fatalf("%v", s) }()
	scratch := scratchDir()
	sides := []side{{name: "real", port: *port}, {name: "ours", port: *port + 1, progs: build(bin, *swap)}}
	if *all != "" {
		sides = append(sides, side{name: "all", port: *port + 2, progs: build(bin, *all)})
	}
	if *alt != "" {
		progs, names := map[string]string{}, []string{"smtpd", "cleanup"}
		if *altAll {
			if *all == "" {
				fatalf("-altall needs the all-ours side (-all)")
			}
			for p, path := range sides[len(sides)-1].progs {
				progs[p] = path
			}
			names = strings.Split(*all, ",")
		}
		for _, p := range names {
			if _, err := os.Stat(filepath.Join(*alt, p)); err == nil {
				progs[p] = filepath.Join(*alt, p)
			}
		}
		sides = append(sides, side{name: "alt", port: *port + 3, progs: progs, extraCF: lines(*altCF)})
	}
	if *only != "" {
		var kept []side
		for _, sd := range sides {
			if strings.Contains(","+*only+",", ","+sd.name+",") {
				kept = append(kept, sd)
			}
		}
		sides = kept
	}
	load := loadSpec{dir: scratch, msgs: *msgs, sessions: *sessions, size: *size, probe: *probe,
		extraCF: lines(*extra)}
	results := make([][]result, len(sides))
	for i := 0; i < *rounds; i++ {
		// Rotate the order so that no side always runs first.
		var line []string
		for k := range sides {
			j := (k + i) % len(sides)
			l := load
			l.extraCF += sides[j].extraCF
			r := runSide(sides[j].name, sides[j].port, sides[j].progs, l)
			results[j] = append(results[j], r)
		}
		for j, sd := range sides {
			line = append(line, fmt.Sprintf("%s %.0f msg/s", sd.name, results[j][i].rate))
		}
		fmt.Fprintf(os.Stderr, "round %d: %s\n", i+1, strings.Join(line, ", "))
	}
	fmt.Printf("ours: %s; all: %s; %d messages of %d bytes over %d sessions (smtp-source), latency probe %d messages; median of %d interleaved rounds\n",
		*swap, *all, load.msgs, load.size, load.sessions, load.probe, *rounds)
	fmt.Printf("%-5s %9s %12s %10s %10s %12s %12s %12s\n", "side", "msg/s", "CPU/msg", "p50", "p99", "smtpd PSS",
		"client/msg", "machine/msg")
	meds := make([]result, len(sides))
	for j := range sides {
		meds[j] = median(results[j])
		r := meds[j]
		fmt.Printf("%-5s %9.0f %10.0fus %10s %10s %9.1f MB %10.0fus %10.0fus\n", r.side, r.rate, r.cpuPerMsg.Seconds()*1e6,
			r.p50.Round(10*time.Microsecond), r.p99.Round(10*time.Microsecond), r.pssMB,
			r.srcCPU.Seconds()*1e6, r.machCPU.Seconds()*1e6)
	}
	fmt.Printf("server CPU per message by program in us, processes of the last round in parentheses\n(sampled from /proc every 100ms):\n")
	for j := range sides {
		var parts []string
		for _, kv := range progMedians(results[j]) {
			parts = append(parts, fmt.Sprintf("%s %.0f (%d)", kv.prog, kv.d.Seconds()*1e6, results[j][len(results[j])-1].procs[kv.prog]))
		}
		fmt.Printf("  %-5s %s\n", sides[j].name, strings.Join(parts, ", "))
	}
	real := meds[0]
	for _, r := range meds[1:] {
		if real.rate > 0 && real.side == "real" {
			fmt.Printf("ratio %s/real: %.2f msg/s, %.2f CPU/msg\n", r.side, r.rate/real.rate,
				r.cpuPerMsg.Seconds()/real.cpuPerMsg.Seconds())
		}
	}
	if real.rate > 0 && real.side == "real" {
		for j, r := range meds[1:] {
			if c := ceiling(r, progMedians(results[j+1])); c > 0 {
				fmt.Printf("ceiling %s/real if its smtpd and cleanup used no CPU at all: %.0f msg/s, %.2f\n",
					r.side, c, c/real.rate)
			}
		}
	}
}

// ceiling returns the rate a side would reach if its smtpd and cleanup
// cost nothing and everything else it spends per message (smtp-source,
// the other daemons, kernel threads) kept every CPU busy: the number of
// CPUs over the busy machine time per message less smtpd's and
// cleanup's. It bounds what any smtpd + cleanup can gain on this machine.
func ceiling(r result, progs []progCPU) float64 {
	rest := r.machCPU
	for _, pc := range progs {
		if pc.prog == "smtpd" || pc.prog == "cleanup" {
			rest -= pc.d
		}
	}
	if rest <= 0 {
		return 0
	}
	return float64(runtime.NumCPU()) / rest.Seconds()
}

// side is one kind of instance: the real Postfix, or ours swapped in.
type side struct {
	name  string
	port  int
	progs map[string]string // daemon name -> our binary
	// extraCF is appended to main.cf for this side only.
	extraCF string
}

// lines turns a flag's \n-separated main.cf lines into text.
func lines(flagValue string) string {
	if flagValue == "" {
		return ""
	}
	return strings.ReplaceAll(flagValue, `\n`, "\n") + "\n"
}

// build compiles our programs named in list into dir.
func build(dir, list string) map[string]string {
	progs := map[string]string{}
	for _, p := range strings.Split(list, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		progs[p] = filepath.Join(dir, p)
		if out, err := exec.Command("go", "build", "-o", progs[p], "gopostfix/cmd/"+p).CombinedOutput(); err != nil {
			fatalf("build %s: %v\n%s", p, err, out)
		}
	}
	return progs
}

// scratchDir makes the directory the instances are made in, marked with
// chattr +T so that ext4 spreads their directories over block groups as
// it does top-level ones. On ext4 without a journal (as on the test
// machines) creating a file skips, one by one, every inode of its group
// deleted in the last seconds to minutes (recently_deleted() in the
// kernel: most of the system time of a queue file's life): with all
// instances in the group of the one temporary directory, a side paid for
// the files of the sides run before it.
func scratchDir() string {
	dir, err := os.MkdirTemp("", "smtpdbench-")
	if err != nil {
		fatalf("%v", err)
	}
	atExit(func() { os.RemoveAll(dir) })
	must(os.Chmod(dir, 0755))
	if out, err := exec.Command("chattr", "+T", dir).CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "smtpdbench: chattr +T %s: %v %s (instances share a block group)\n", dir, err, out)
	}
	return dir
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
		srcCPU:    time.Duration(pick(func(r result) float64 { return float64(r.srcCPU) })),
		machCPU:   time.Duration(pick(func(r result) float64 { return float64(r.machCPU) })),
	}
}

type progCPU struct {
	prog string
	d    time.Duration
}

// progMedians returns the median CPU per message of each program over
// the rounds, largest first.
func progMedians(rs []result) []progCPU {
	names := map[string]bool{}
	for _, r := range rs {
		for p := range r.byProg {
			names[p] = true
		}
	}
	var out []progCPU
	for p := range names {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = float64(r.byProg[p])
		}
		sort.Float64s(v)
		out = append(out, progCPU{p, time.Duration(v[len(v)/2])})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].d > out[j].d })
	return out
}

// exitMu guards exitFuncs, what must be undone however the run ends
// (masters to stop, scratch directories to remove), newest last.
var (
	exitMu    sync.Mutex
	exitFuncs []func()
)

// atExit registers f and returns a function that runs and unregisters it.
func atExit(f func()) (done func()) {
	exitMu.Lock()
	defer exitMu.Unlock()
	exitFuncs = append(exitFuncs, f)
	n := len(exitFuncs) - 1
	return func() {
		exitMu.Lock()
		g := exitFuncs[n]
		exitFuncs[n] = nil
		exitMu.Unlock()
		if g != nil {
			g()
		}
	}
}

// runAtExit runs what is registered, newest first.
func runAtExit() {
	exitMu.Lock()
	fs := exitFuncs
	exitFuncs = nil
	exitMu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		if fs[i] != nil {
			fs[i]()
		}
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "smtpdbench: "+format+"\n", args...)
	runAtExit()
	os.Exit(1)
}
