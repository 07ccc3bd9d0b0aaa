package main

import (
	"strings"
	"time"

	"gopostfix/libglobal/maps"
)

// transportTable is transport_maps with its cached "*" wildcard entry
// (transport.c), re-read every 30 seconds or after a failed lookup.
type transportTable struct {
	maps          *maps.Maps
	parentStyle   bool // transport_maps in parent_domain_matches_subdomains
	wildChan      string
	wildHop       string
	wildFound     bool
	wildErr       error
	wildExpire    time.Time
	wildcardReady bool
}

// updateEntry applies a table value to channel and nexthop
// (update_entry): ":hop" changes only the nexthop; "chan" alone resets the
// nexthop to the recipient domain, or to a fixed text for error/retry.
func updateEntry(newChan, newHop, rcptDomain string, channel, nexthop *string) {
	if newChan == "" {
		if newHop != "" {
			*nexthop = newHop
		}
		return
	}
	*channel = newChan
	switch {
	case newHop != "":
		*nexthop = newHop
	case newChan != "error" && newChan != "retry":
		*nexthop = rcptDomain
	default:
		*nexthop = "Address is undeliverable"
	}
}

func parseEntry(value, rcptDomain string, channel, nexthop *string) {
	ch, hop, _ := strings.Cut(value, ":")
	updateEntry(ch, hop, rcptDomain, channel, nexthop)
}

// loadWildcards looks up the "*" entry of both transport tables once
// the daemon runs as mail_owner (transport_post_init), so that a table
// that cannot be searched is reported at start-up.
func (r *rewriter) loadWildcards() {
	for _, t := range []*transportTable{r.regular.transport, r.verify.transport} {
		if t != nil {
			t.loadWildcard()
		}
	}
}

func (t *transportTable) loadWildcard() {
	v, ok, err := t.maps.Find("*", false)
	t.wildErr, t.wildFound = err, ok
	t.wildChan, t.wildHop = "", ""
	if ok {
		parseEntry(v, "", &t.wildChan, &t.wildHop)
	}
	t.wildExpire = time.Now().Add(30 * time.Second)
	t.wildcardReady = true
}

// lookup searches the table for a recipient: full address, address
// without extension, the domain and its parents, then "*"
// (transport_lookup). A lookup failure is returned.
func (t *transportTable) lookup(env *maps.AddrEnv, addr, rcptDomain string, channel, nexthop *string) error {
	strategy := maps.FindFull | maps.FindNoExt | maps.FindDomain | maps.FindPDDMDS
	if t.parentStyle {
		strategy = maps.FindFull | maps.FindNoExt | maps.FindDomain | maps.FindPDMS
	}
	found, err := t.maps.MailAddrFind(env, addr, strategy)
	if err != nil {
		return err
	}
	if found.Found {
		parseEntry(found.Value, rcptDomain, channel, nexthop)
		return nil
	}
	if !t.wildcardReady || t.wildErr != nil || time.Now().After(t.wildExpire) {
		t.loadWildcard()
	}
	if t.wildErr != nil {
		return t.wildErr
	}
	if t.wildFound {
		updateEntry(t.wildChan, t.wildHop, rcptDomain, channel, nexthop)
	}
	return nil
}
