package params

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gopostfix/libglobal/util/inet"
)

// Host holds the facts the computed defaults depend on.
type Host struct {
	Hostname string        // gethostname(2)
	Addrs    []inet.IfAddr // local interface addresses (inet.Local)
	PID      int
	ProcName string // the program name, as process_name shows it
	// ResolveHost looks up a name listed in inet_interfaces; nil means
	// only literal addresses are accepted.
	ResolveHost func(name string) ([]netip.Addr, error)
}

// LocalHost gathers the facts of this host and process.
func LocalHost() (*Host, error) {
	name, err := os.Hostname()
	if err != nil {
		return nil, fmt.Errorf("gethostname: %w", err)
	}
	addrs, err := inet.Local()
	if err != nil {
		return nil, err
	}
	return &Host{
		Hostname: name,
		Addrs:    addrs,
		PID:      os.Getpid(),
		ProcName: filepath.Base(os.Args[0]),
	}, nil
}

// Resolver gives the computed defaults access to the configuration they
// are computed for.
type Resolver interface {
	// Setting returns the expanded value of a parameter that is set in
	// main.cf or overridden; set is false otherwise (always false for
	// "postconf -d", which does not read main.cf).
	Setting(name string) (value string, set bool, err error)
	// Expand expands text in the configuration's name space.
	Expand(text string) (string, error)
}

// defaultDomain is what Postfix uses when the host name has no domain.
const defaultDomain = "localdomain"

// ComputedDefault returns the default of one Computed parameter the way
// postconf computes it (src/postconf/postconf_builtin.c): myhostname is
// the host name, completed with $mydomain (as set) or "localdomain";
// mydomain is the domain part of $myhostname (as set, else as computed);
// mynetworks follows from inet_interfaces, inet_protocols and
// mynetworks_style.
func ComputedDefault(name string, h *Host, r Resolver) (string, error) {
	switch name {
	case "myhostname":
		return defaultHostname(h, r)
	case "mydomain":
		host, set, err := r.Setting("myhostname")
		if err != nil {
			return "", err
		}
		if !set {
			if host, err = defaultHostname(h, r); err != nil {
				return "", err
			}
		}
		if _, domain, ok := strings.Cut(host, "."); ok {
			return domain, nil
		}
		return defaultDomain, nil
	case "mynetworks":
		return defaultMynetworks(h, r)
	case "process_id":
		return strconv.Itoa(h.PID), nil
	case "process_name":
		return h.ProcName, nil
	}
	return "", fmt.Errorf("params: %s has no computed default", name)
}

func defaultHostname(h *Host, r Resolver) (string, error) {
	if strings.Contains(h.Hostname, ".") {
		return h.Hostname, nil
	}
	domain, set, err := r.Setting("mydomain")
	if err != nil {
		return "", err
	}
	if !set {
		domain = defaultDomain
	}
	return h.Hostname + "." + domain, nil
}

// Defaults returns the defaults of every Computed parameter.
func Defaults(h *Host, r Resolver) (map[string]string, error) {
	out := map[string]string{}
	for i := range table {
		p := &table[i]
		if !p.Computed {
			continue
		}
		v, err := ComputedDefault(p.Name, h, r)
		if err != nil {
			return nil, err
		}
		out[p.Name] = v
	}
	return out, nil
}
