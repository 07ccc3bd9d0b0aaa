package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const realDaemons = "/usr/lib/postfix/sbin"

type loadSpec struct {
	msgs, sessions, size, probe int
	extraCF                     string // main.cf lines appended (experiments)
	dir                         string // where instances are made
}

type result struct {
	side      string
	rate      float64
	cpuPerMsg time.Duration
	srcCPU    time.Duration            // smtp-source per message
	machCPU   time.Duration            // all busy CPU of the machine per message during smtp-source
	byProg    map[string]time.Duration // server CPU per message by program (sampled)
	procs     map[string]int           // processes seen by program
	p50, p99  time.Duration
	pssMB     float64
}

const mainCF = `compatibility_level = 3.6
config_directory = @ROOT@/etc
queue_directory = @ROOT@/queue
data_directory = @ROOT@/data
daemon_directory = @ROOT@/libexec
meta_directory = /etc/postfix
maillog_file = @ROOT@/maillog
maillog_file_prefixes = @ROOT@
myhostname = bench.example
mydestination =
local_recipient_maps =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
default_transport = discard
relay_transport = discard
smtpd_error_sleep_time = 0
`

const masterCF = `127.0.0.1:@PORT@ inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
anvil     unix  -       -       n       -       1       anvil
discard   unix  -       -       n       -       -       discard
postlog   unix-dgram n  -       n       -       1       postlogd
`

// runSide builds an instance with ours swapped in, runs the load and
// returns the figures.
func runSide(side string, port int, ours map[string]string, load loadSpec) result {
	root, err := os.MkdirTemp(load.dir, side)
	if err != nil {
		fatalf("%v", err)
	}
	defer atExit(func() { os.RemoveAll(root) })()
	setup(root, port, ours, load.extraCF)
	masterPath := filepath.Join(realDaemons, "master")
	if p, ok := ours["master"]; ok {
		masterPath = p
	}
	master := exec.Command(masterPath, "-d", "-c", filepath.Join(root, "etc"))
	master.Stderr = os.Stderr
	if err := master.Start(); err != nil {
		fatalf("master: %v", err)
	}
	stopMaster := atExit(func() {
		master.Process.Signal(syscall.SIGTERM)
		master.Wait()
	})
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	if !waitFor(20*time.Second, func() bool {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	}) {
		stopMaster()
		log, _ := os.ReadFile(filepath.Join(root, "maillog"))
		fatalf("%s: smtpd does not answer on %s\n%s", side, addr, log)
	}
	sampler := startSampler(root)
	busy0 := machineBusy()
	start := time.Now()
	src := exec.Command("/usr/sbin/smtp-source", "-s", strconv.Itoa(load.sessions), "-m", strconv.Itoa(load.msgs),
		"-l", strconv.Itoa(load.size), "-f", "sender@example.org", "-t", "rcpt@example.net", addr)
	if out, err := src.CombinedOutput(); err != nil {
		fatalf("%s: smtp-source: %v\n%s", side, err, out)
	}
	elapsed := time.Since(start)
	busy := machineBusy() - busy0
	su := src.ProcessState.SysUsage().(*syscall.Rusage)
	srcCPU := time.Duration(su.Utime.Nano() + su.Stime.Nano())
	pss := make(chan float64, 1)
	go func() { time.Sleep(300 * time.Millisecond); pss <- smtpdPSS(root) }()
	lat := probe(addr, load)
	waitFor(120*time.Second, func() bool { return queueEmpty(root) })
	// master does not wait for the children it kills: count the live
	// ones from /proc first.
	live := liveCPU(root, master.Process.Pid)
	byProg, nProcs := sampler.stop()
	stopMaster()
	ru := master.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano()+ru.Stime.Nano()) + live
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	r := result{side: side, rate: float64(load.msgs) / elapsed.Seconds(),
		cpuPerMsg: cpu / time.Duration(load.msgs+load.probe), pssMB: <-pss,
		srcCPU: srcCPU / time.Duration(load.msgs), machCPU: busy / time.Duration(load.msgs),
		byProg: map[string]time.Duration{}, procs: nProcs}
	for prog, d := range byProg {
		r.byProg[prog] = d / time.Duration(load.msgs+load.probe)
	}
	if len(lat) > 0 {
		r.p50, r.p99 = lat[len(lat)/2], lat[len(lat)*99/100]
	}
	return r
}

// setup writes the instance: configuration, queue directories, and a
// daemon directory of links to the real daemons with ours swapped in.
func setup(root string, port int, ours map[string]string, extraCF string) {
	for _, d := range []string{"etc", "queue", "data", "libexec"} {
		must(os.MkdirAll(filepath.Join(root, d), 0755))
	}
	os.Chmod(root, 0755)
	sub := strings.NewReplacer("@ROOT@", root, "@PORT@", strconv.Itoa(port))
	must(os.WriteFile(filepath.Join(root, "etc/main.cf"), []byte(sub.Replace(mainCF)+extraCF), 0644))
	must(os.WriteFile(filepath.Join(root, "etc/master.cf"), []byte(sub.Replace(masterCF)), 0644))
	ents, err := os.ReadDir(realDaemons)
	must(err)
	for _, e := range ents {
		target := filepath.Join(realDaemons, e.Name())
		if p, ok := ours[e.Name()]; ok {
			target = p
		}
		must(os.Symlink(target, filepath.Join(root, "libexec", e.Name())))
	}
	if out, err := exec.Command("chown", "postfix", filepath.Join(root, "data")).CombinedOutput(); err != nil {
		fatalf("chown: %v\n%s", err, out)
	}
	if out, err := exec.Command("/usr/sbin/postfix", "-c", filepath.Join(root, "etc"), "check").CombinedOutput(); err != nil {
		fatalf("postfix check: %v\n%s", err, out)
	}
}

func must(err error) {
	if err != nil {
		fatalf("%v", err)
	}
}

// waitFor polls cond every 50ms for at most limit.
func waitFor(limit time.Duration, cond func() bool) bool {
	for end := time.Now().Add(limit); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// queueEmpty reports whether no message is left in the queue.
func queueEmpty(root string) bool {
	for _, q := range []string{"incoming", "active", "deferred", "maildrop"} {
		n := 0
		filepath.Walk(filepath.Join(root, "queue", q), func(p string, fi os.FileInfo, err error) error {
			if err == nil && !fi.IsDir() {
				n++
			}
			return nil
		})
		if n > 0 {
			return false
		}
	}
	return true
}

// smtpdPSS returns the average proportional set size, in MB, of the
// instance's smtpd processes (found by executable name and working
// directory, the queue directory): Pss from smaps_rollup or smaps, else
// the resident size where the kernel offers neither.
func smtpdPSS(root string) float64 {
	var total, n float64
	for _, p := range instancePids(root, 0) {
		exe, err := os.Readlink(filepath.Join(p, "exe"))
		if err != nil || filepath.Base(exe) != "smtpd" {
			continue
		}
		if kb := sumField(filepath.Join(p, "smaps_rollup"), "Pss:"); kb > 0 {
			total += kb
		} else if kb := sumField(filepath.Join(p, "smaps"), "Pss:"); kb > 0 {
			total += kb
		} else {
			total += sumField(filepath.Join(p, "status"), "VmRSS:")
		}
		n++
	}
	if n == 0 {
		return 0
	}
	return total / n / 1024
}

// sumField adds up the kB values of every line starting with name.
func sumField(path, name string) float64 {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	var kb float64
	for _, l := range strings.Split(string(data), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == name {
			v, _ := strconv.ParseFloat(f[1], 64)
			kb += v
		}
	}
	return kb
}
