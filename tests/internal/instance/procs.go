package instance

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Process is one child of master.
type Process struct {
	PID     int
	Program string // argv[0] as master started it, without directory
	Exe     string // the executable file
}

// Children lists master's running children.
func (in *Instance) Children() []Process { return ChildrenOf(in.pid) }

// ChildrenOf lists the running children of the master process master
// (any master: tests that start one themselves use it too).
func ChildrenOf(master int) []Process {
	var out []Process
	if master <= 1 {
		return nil
	}
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ppid, state := parentOf(pid); ppid != master || state == "Z" {
			continue
		}
		cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		argv0 := strings.SplitN(string(cmdline), "\x00", 2)[0]
		if argv0 == "" {
			continue
		}
		exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
		out = append(out, Process{PID: pid, Program: filepath.Base(argv0), Exe: exe})
	}
	return out
}

// ChildPID is the pid of a running child of master that runs program,
// 0 when there is none.
func (in *Instance) ChildPID(program string) int { return ChildPID(in.pid, program) }

// ChildPID is the pid of a running child of the master process master
// that runs program, 0 when there is none.
func ChildPID(master int, program string) int {
	for _, p := range ChildrenOf(master) {
		if p.Program == program {
			return p.PID
		}
	}
	return 0
}

// parentOf reads the parent pid and state of a process.
func parentOf(pid int) (int, string) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, ""
	}
	// pid (comm) state ppid ...
	s := string(stat)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 2 {
		return 0, ""
	}
	ppid, _ := strconv.Atoi(f[1])
	return ppid, f[0]
}

// Alive reports whether pid exists and is not a zombie.
func Alive(pid int) bool {
	_, state := parentOf(pid)
	return state != "" && state != "Z"
}

// NotOurs lists master and the children of master whose executable is
// not one of our programs given in Options.Ours, as "program (exe)".
func (in *Instance) NotOurs() []string {
	mine := map[string]bool{}
	for _, p := range in.ours {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			mine[r] = true
		}
	}
	var out []string
	exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", in.pid))
	procs := append([]Process{{PID: in.pid, Program: "master", Exe: exe}}, in.Children()...)
	for _, p := range procs {
		if !mine[p.Exe] {
			out = append(out, fmt.Sprintf("%s (%s)", p.Program, p.Exe))
		}
	}
	return out
}
