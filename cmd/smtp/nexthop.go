package main

import (
	"bufio"
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"

	"gopostfix/libglobal/dns"
)

// destination is one parsed nexthop element (smtp_parse_destination).
type destination struct {
	text   string // as given, e.g. "[mx.example.com]:587"
	host   string // without brackets and port
	port   int
	bracks bool // "[host]": no MX lookup
}

// parseDestination splits "host", "host:port", "[host]" or "[host]:port"
// (host_port); a missing port is defService. Errors are fatal in Postfix.
func parseDestination(dest, defService string) (destination, error) {
	d := destination{text: dest}
	host, service := dest, ""
	if strings.HasPrefix(dest, "[") {
		end := strings.IndexByte(dest, ']')
		if end < 0 {
			return d, fmt.Errorf("missing \"]\" character in server description: %s", dest)
		}
		host, d.bracks = dest[1:end], true
		switch rest := dest[end+1:]; {
		case rest == "":
		case rest[0] == ':':
			service = rest[1:]
		default:
			return d, fmt.Errorf("garbage after \"]\" in server description: %s", dest)
		}
		if len(host) > 5 && strings.EqualFold(host[:5], "ipv6:") {
			host = host[5:]
		}
	} else if a, err := netip.ParseAddr(dest); err == nil && a.Is6() {
		host = dest
	} else if i := strings.LastIndexByte(dest, ':'); i >= 0 {
		host, service = dest[:i], dest[i+1:]
	}
	if _, err := netip.ParseAddr(host); err != nil && !dns.ValidHostname(host) {
		return d, fmt.Errorf("valid hostname or network address required in server description: %s", dest)
	}
	if service == "" {
		service = defService
	}
	port, err := servicePort(service)
	if err != nil {
		if allDigits(service) {
			return d, fmt.Errorf("bad network port: %s for destination: %s", service, dest)
		}
		return d, err
	}
	d.host, d.port = host, port
	return d, nil
}

// servicePort is the TCP port of a service name or number: numbers, then
// known_tcp_ports' built-in names, then /etc/services (getservbyname).
func servicePort(service string) (int, error) {
	if allDigits(service) {
		n, err := strconv.Atoi(service)
		if err != nil || n >= 65536 || n == 0 {
			return 0, fmt.Errorf("bad network port: %s", service)
		}
		return n, nil
	}
	if n, ok := knownPorts[service]; ok {
		return n, nil
	}
	if n, ok := etcServices(service); ok {
		return n, nil
	}
	return 0, fmt.Errorf("unknown service: %s/tcp", service)
}

// knownPorts is the default of known_tcp_ports.
var knownPorts = map[string]int{"lmtp": 24, "smtp": 25, "smtps": 465, "submissions": 465, "submission": 587}

// etcServices looks a TCP service up in /etc/services.
func etcServices(name string) (int, bool) {
	f, err := os.Open("/etc/services")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		w := strings.Fields(line)
		if len(w) < 2 {
			continue
		}
		num, proto, ok := strings.Cut(w[1], "/")
		if !ok || proto != "tcp" {
			continue
		}
		for _, n := range append([]string{w[0]}, w[2:]...) {
			if n == name {
				p, err := strconv.Atoi(num)
				return p, err == nil
			}
		}
	}
	return 0, false
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
