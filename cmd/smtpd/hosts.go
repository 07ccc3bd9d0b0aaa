package main

import (
	"bufio"
	"net/netip"
	"os"
	"strings"
	"sync"
	"time"
)

// hostsFile answers peer lookups from /etc/hosts without the Go
// resolver, which runs every forward lookup in a goroutine of its own
// (singleflight) and so wakes the scheduler for each connection. When
// nsswitch.conf consults "files" first for hosts, an address or name
// found in the file is the answer, as with getnameinfo and getaddrinfo;
// anything else goes to the resolver. The file is read again when it
// changes, checked at most every few seconds. A nil hostsFile knows
// nothing.
type hostsFile struct {
	path string

	mu      sync.Mutex
	checked time.Time
	mtime   time.Time
	size    int64
	byAddr  map[netip.Addr]string
	byName  map[string][]netip.Addr
}

const hostsRecheck = 5 * time.Second

// newHostsFile returns the hosts file at path, or nil when the hosts
// line of the nsswitch file does not start with "files".
func newHostsFile(path, nsswitch string) *hostsFile {
	data, err := os.ReadFile(nsswitch)
	if err != nil {
		return nil
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "hosts:" {
			if f[1] != "files" {
				return nil
			}
			return &hostsFile{path: path}
		}
	}
	return nil
}

// name returns the first name listed for addr.
func (h *hostsFile) name(addr netip.Addr) (string, bool) {
	if h == nil {
		return "", false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.refresh()
	n, ok := h.byAddr[addr.Unmap()]
	return n, ok
}

// addrs returns the addresses listed for name (case-insensitive).
func (h *hostsFile) addrs(name string) []netip.Addr {
	if h == nil {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.refresh()
	return h.byName[strings.ToLower(strings.TrimSuffix(name, "."))]
}

func (h *hostsFile) refresh() {
	now := time.Now()
	if !h.checked.IsZero() && now.Sub(h.checked) < hostsRecheck {
		return
	}
	h.checked = now
	fi, err := os.Stat(h.path)
	if err != nil {
		h.byAddr, h.byName, h.mtime, h.size = nil, nil, time.Time{}, 0
		return
	}
	if h.byAddr != nil && fi.ModTime().Equal(h.mtime) && fi.Size() == h.size {
		return
	}
	f, err := os.Open(h.path)
	if err != nil {
		return
	}
	defer f.Close()
	h.byAddr, h.byName = map[netip.Addr]string{}, map[string][]netip.Addr{}
	h.mtime, h.size = fi.ModTime(), fi.Size()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		a, err := netip.ParseAddr(f[0])
		if err != nil {
			continue
		}
		a = a.Unmap()
		if _, ok := h.byAddr[a]; !ok {
			h.byAddr[a] = f[1]
		}
		for _, n := range f[1:] {
			n = strings.ToLower(n)
			h.byName[n] = append(h.byName[n], a)
		}
	}
}
