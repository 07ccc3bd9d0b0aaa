package main

import (
	"fmt"
	"gopostfix/libglobal/util/dict"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gopostfix/libglobal/mastercf"
	"gopostfix/libglobal/util/readlline"
)

// service is one master.cf entry as master runs it (MASTER_SERV).
type service struct {
	key       string // identity across reloads: socket path or [addr]:port
	extName   string // the name in master.cf
	typ       string // unix, inet, fifo, pass, unix-dgram
	path      string // daemon_directory/command
	args      []string
	maxProc   int
	wakeup    int
	condWake  bool
	localOnly bool
	stress    int      // index of the "stress=" argument, -1 when none
	addrs     []string // inet: "host:port" listen addresses

	listenFds    []int
	statusFds    [2]int // socketpair: master reads [0], children write [1]
	avail, total int
	throttled    bool
	listening    bool
	mark         bool
	stressUntil  int64
	busyWarn     int64
}

// entError is a fatal master.cf error with its line context.
func entError(path string, line int, format string, args ...any) error {
	return fmt.Errorf("%s: line %d: %s", path, line, fmt.Sprintf(format, args...))
}

// readServices parses master.cf as get_master_ent does.
func (m *master) readServices() ([]*service, error) {
	path := filepath.Join(m.configDir, "master.cf")
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %s", path, dict.ErrnoText(err))
	}
	defer f.Close()
	lines, err := readlline.All(f, path, m.log)
	if err != nil {
		return nil, err
	}
	disabled := map[string]bool{}
	for _, d := range strings.FieldsFunc(m.str("master_service_disable"), isSep) {
		disabled[d] = true
	}
	var out []*service
	for _, l := range lines {
		words := mastercf.SplitQ(l.Text)
		if len(words) == 0 {
			continue
		}
		if len(words) < 2 {
			return nil, entError(path, l.First, "missing \"transport type\" field")
		}
		if disabled[words[0]+"."+words[1]] || disabled[words[1]] {
			continue
		}
		s, err := m.parseService(path, l.First, l.Text, words)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func isSep(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\r' || r == '\n' }

// fields walks the fixed columns with their "-" defaults.
type fields struct {
	path  string
	line  int
	words []string
	i     int
}

func (f *fields) str(name, def string) (string, error) {
	if f.i >= len(f.words) {
		return "", entError(f.path, f.line, "missing \"%s\" field", name)
	}
	v := f.words[f.i]
	f.i++
	if v == "-" {
		if def == "" {
			return "", entError(f.path, f.line, "field \"%s\" has no default value", name)
		}
		return def, nil
	}
	return v, nil
}

func (f *fields) boolean(name, def string) (bool, error) {
	v, err := f.str(name, def)
	if err != nil {
		return false, err
	}
	switch v {
	case "y":
		return true, nil
	case "n":
		return false, nil
	}
	return false, entError(f.path, f.line, "field \"%s\": bad value: \"%s\"", name, v)
}

func (f *fields) integer(name, def string) (int, string, error) {
	v, err := f.str(name, def)
	if err != nil {
		return 0, "", err
	}
	if v == "" || v[0] < '0' || v[0] > '9' {
		return 0, "", entError(f.path, f.line, "field \"%s\": bad value: \"%s\"", name, v)
	}
	return atoi(v), v, nil
}

// atoi is C atoi: leading digits, the rest ignored.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func (m *master) parseService(path string, line int, text string, words []string) (*service, error) {
	f := &fields{path: path, line: line, words: words, i: 2}
	name, typ := words[0], words[1]
	s := &service{extName: name, typ: typ, stress: -1, statusFds: [2]int{-1, -1}}
	var host, port string
	switch typ {
	case "inet":
		host, port = splitHostPort(name)
		addrs, err := m.inetAddrs(host, port)
		if err != nil {
			return nil, entError(path, line, "%v", err)
		}
		if len(addrs) == 0 {
			return nil, entError(path, line, "no valid IP address found: %s", name)
		}
		s.addrs = addrs
		s.localOnly = true
		for _, a := range addrs {
			h, _, _ := net.SplitHostPort(a)
			if ip := net.ParseIP(h); ip == nil || !ip.IsLoopback() {
				s.localOnly = false
			}
		}
	case "unix", "unix-dgram", "fifo":
		s.localOnly = true
	case "pass":
	default:
		return nil, entError(path, line, "bad transport type: %s", typ)
	}
	private, err := f.boolean("private", "y")
	if err != nil {
		return nil, err
	}
	if typ == "inet" {
		if private {
			return nil, entError(path, line, "inet service cannot be private")
		}
		if host != "" {
			s.key = "[" + host + "]:" + port
		} else {
			s.key = port
		}
	} else {
		class := "public"
		if private {
			class = "private"
		}
		s.key = class + "/" + name
	}
	unpriv, err := f.boolean("unprivileged", "y")
	if err != nil {
		return nil, err
	}
	chrootDef := "n"
	if m.compatLevel() < 1 {
		chrootDef = "y"
	}
	chroot, err := f.boolean("chroot", chrootDef)
	if err != nil {
		return nil, err
	}
	wakeup, wtext, err := f.integer("wakeup_time", "0")
	if err != nil {
		return nil, err
	}
	s.wakeup = wakeup
	s.condWake = wakeup > 0 && strings.HasSuffix(wtext, "?")
	s.maxProc, _, err = f.integer("max_proc", strconv.Itoa(m.int("default_process_limit")))
	if err != nil {
		return nil, err
	}
	command, err := f.str("command", "")
	if err != nil {
		return nil, err
	}
	s.path = m.str("daemon_directory") + "/" + command
	args := []string{command}
	if s.maxProc == 1 {
		args = append(args, "-l")
	}
	if s.maxProc == 0 {
		args = append(args, "-z")
	}
	if filepath.Base(command) != name {
		args = append(args, "-n", name)
	}
	args = append(args, "-t", typ)
	if m.foreground {
		args = append(args, "-d")
	}
	if m.log.Verbose > 0 {
		args = append(args, "-v")
	}
	if unpriv {
		args = append(args, "-u")
	}
	if chroot {
		args = append(args, "-c")
	}
	if !s.localOnly && s.maxProc > 1 {
		args = append(args, "-o", "stress=")
		s.stress = len(args) - 1
	}
	if n := len(s.listenCount()); n > 1 {
		args = append(args, "-s", strconv.Itoa(n))
	}
	extra, err := mastercf.DaemonArgs(text)
	if err != nil {
		return nil, entError(path, line, "%v", err)
	}
	s.args = append(args, extra...)
	return s, nil
}

// listenCount returns one slot per listen socket.
func (s *service) listenCount() []struct{} {
	if s.typ == "inet" {
		return make([]struct{}, len(s.addrs))
	}
	return make([]struct{}, 1)
}

// splitHostPort splits an inet service name: "port", "host:port" or
// "[host]:port".
func splitHostPort(name string) (string, string) {
	if strings.HasPrefix(name, "[") {
		if i := strings.Index(name, "]:"); i > 0 {
			return name[1:i], name[i+2:]
		}
	}
	if i := strings.LastIndexByte(name, ':'); i >= 0 {
		return name[:i], name[i+1:]
	}
	return "", name
}

// inetAddrs lists the addresses an inet service listens on.
func (m *master) inetAddrs(host, port string) ([]string, error) {
	p, err := net.LookupPort("tcp", port)
	if err != nil {
		return nil, fmt.Errorf("unknown service: %s/tcp", port)
	}
	ports := strconv.Itoa(p)
	var hosts []string
	if host != "" {
		ips, err := net.LookupHost(host)
		if err != nil {
			return nil, fmt.Errorf("bad hostname or network address: %s:%s", host, port)
		}
		hosts = ips
	} else {
		ifaces := strings.FieldsFunc(m.str("inet_interfaces"), isSep)
		protos := m.str("inet_protocols")
		v4 := protos == "all" || strings.Contains(protos, "ipv4")
		v6 := protos == "all" || strings.Contains(protos, "ipv6")
		for _, i := range ifaces {
			switch strings.ToLower(i) {
			case "all":
				if v4 {
					hosts = append(hosts, "0.0.0.0")
				}
				if v6 {
					hosts = append(hosts, "::")
				}
			case "loopback-only", "localhost":
				if v4 {
					hosts = append(hosts, "127.0.0.1")
				}
				if v6 {
					hosts = append(hosts, "::1")
				}
			default:
				ips, err := net.LookupHost(strings.Trim(i, "[]"))
				if err != nil {
					return nil, fmt.Errorf("bad hostname or network address: %s", i)
				}
				hosts = append(hosts, ips...)
			}
		}
	}
	seen := map[string]bool{}
	var out []string
	for _, h := range hosts {
		a := net.JoinHostPort(h, ports)
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out, nil
}
