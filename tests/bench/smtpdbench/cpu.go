package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// instancePids returns the processes of the instance (working directory
// its queue directory) other than skip.
func instancePids(root string, skip int) []string {
	procs, _ := filepath.Glob("/proc/[0-9]*")
	var out []string
	for _, p := range procs {
		cwd, _ := os.Readlink(filepath.Join(p, "cwd"))
		if cwd == filepath.Join(root, "queue") && filepath.Base(p) != strconv.Itoa(skip) {
			out = append(out, p)
		}
	}
	return out
}

// liveCPU adds up the user and system time of the instance's processes
// still running, master (skip) aside.
func liveCPU(root string, skip int) time.Duration {
	var ticks int64
	for _, p := range instancePids(root, skip) {
		_, t, _ := procCPU(p)
		ticks += t
	}
	return time.Duration(ticks) * time.Second / clockTicks
}

// procCPU returns the command name, the user plus system time in clock
// ticks and the start time of the process at /proc path p.
func procCPU(p string) (string, int64, string) {
	data, err := os.ReadFile(filepath.Join(p, "stat"))
	if err != nil {
		return "", 0, ""
	}
	// "pid (comm) state ...": utime and stime are the 14th and 15th
	// fields of the line, the 12th and 13th after the command name.
	s := string(data)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return "", 0, ""
	}
	f := strings.Fields(s[end+1:])
	if len(f) <= 19 {
		return "", 0, ""
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	k, _ := strconv.ParseInt(f[12], 10, 64)
	return s[open+1 : end], u + k, f[19]
}

// sampler follows the CPU time of every process of an instance, master
// included, by program name: /proc every 100ms, the last figure seen of
// each process kept (a process loses what it used after the last look
// before it exited: the breakdown is approximate).
type sampler struct {
	root string
	done chan struct{}
	wg   sync.WaitGroup
	seen map[string]procTicks // by /proc path and start time
}

type procTicks struct {
	comm  string
	ticks int64
}

func startSampler(root string) *sampler {
	s := &sampler{root: root, done: make(chan struct{}), seen: map[string]procTicks{}}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			s.look()
			select {
			case <-s.done:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *sampler) look() {
	for _, p := range instancePids(s.root, 0) {
		if comm, t, start := procCPU(p); comm != "" {
			s.seen[p+"@"+start] = procTicks{comm, t}
		}
	}
}

// stop takes a last look and returns the CPU time and the number of
// processes by program.
func (s *sampler) stop() (map[string]time.Duration, map[string]int) {
	close(s.done)
	s.wg.Wait()
	s.look()
	cpu, procs := map[string]time.Duration{}, map[string]int{}
	for _, pt := range s.seen {
		cpu[pt.comm] += time.Duration(pt.ticks) * time.Second / clockTicks
		procs[pt.comm]++
	}
	return cpu, procs
}

// clockTicks is USER_HZ, the unit of /proc times on Linux.
const clockTicks = 100

// machineBusy returns the busy CPU time of the whole machine so far,
// from the first line of /proc/stat (everything but idle and iowait).
func machineBusy() time.Duration {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(data), "\n")
	f := strings.Fields(line)
	var ticks int64
	for i, v := range f[1:] {
		if i == 3 || i == 4 || i >= 8 { // idle, iowait; guest times are inside user
			continue
		}
		n, _ := strconv.ParseInt(v, 10, 64)
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks
}
