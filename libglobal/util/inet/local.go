// Package inet lists the host's own IP addresses the way Postfix's
// inet_addr_local(3) sees them through getifaddrs(3) on Linux: addresses
// of interfaces that are up, each with its netmask, wildcard addresses
// skipped, in the kernel's order (interface by interface).
//
// Difference: Go lists addresses interface by interface, where glibc's
// getifaddrs lists all IPv4 addresses before all IPv6 ones; Postfix asks
// for one address family at a time, so the order per family is the same.
package inet

import (
	"fmt"
	"net"
	"net/netip"
)

// IfAddr is one local address and its netmask (4 bytes for IPv4, 16 for
// IPv6). Addr carries no zone.
type IfAddr struct {
	Addr netip.Addr
	Mask net.IPMask
}

// Local returns the addresses of the interfaces that are up.
func Local() ([]IfAddr, error) {
	ifaces, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("list network interfaces: %w", err)
	}
	var out []IfAddr
	for _, ifc := range ifaces {
		if ifc.Flags&net.FlagUp == 0 {
			continue
		}
		addrs, err := ifc.Addrs()
		if err != nil {
			return nil, fmt.Errorf("addresses of %s: %w", ifc.Name, err)
		}
		for _, a := range addrs {
			ipn, ok := a.(*net.IPNet)
			if !ok {
				continue
			}
			if ia, ok := fromIPNet(ipn); ok {
				out = append(out, ia)
			}
		}
	}
	return out, nil
}

// fromIPNet converts one interface address, dropping wildcard addresses
// and addresses without a mask of their own family.
func fromIPNet(n *net.IPNet) (IfAddr, bool) {
	if v4 := n.IP.To4(); v4 != nil && len(n.Mask) == net.IPv4len {
		a := netip.AddrFrom4([4]byte(v4))
		return IfAddr{Addr: a, Mask: n.Mask}, !a.IsUnspecified()
	}
	if len(n.IP) == net.IPv6len && len(n.Mask) == net.IPv6len {
		a := netip.AddrFrom16([16]byte(n.IP))
		return IfAddr{Addr: a, Mask: n.Mask}, !a.IsUnspecified()
	}
	return IfAddr{}, false
}

// IsLoopback reports whether a is a loopback address, as Postfix's
// sock_addr_in_loopback: 127.0.0.0/8 or ::1.
func IsLoopback(a netip.Addr) bool {
	if a.Is4() {
		return a.As4()[0] == 127
	}
	return a == netip.IPv6Loopback()
}
