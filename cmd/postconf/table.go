package main

import (
	"path/filepath"

	"gopostfix/libglobal/params"
)

// Parameter flags, as postconf keeps them in its table of valid names.
const (
	flagRaw = 1 << iota
	flagBuiltin
	flagService
	flagUser
	flagLegacy
	flagReadOnly
	flagDBMS
	classMask = flagBuiltin | flagService | flagUser
)

// node is one valid parameter name: built-in, service-defined or
// user-defined, with its default text.
type node struct {
	flags int
	def   func() string
}

func constant(s string) func() string { return func() string { return s } }

// registerBuiltins fills the table with every built-in parameter, the
// legacy names postconf still accepts, and the per-process ones.
func (pc *postconf) registerBuiltins() {
	pc.table = map[string]*node{}
	for _, p := range params.All() {
		n := &node{flags: flagBuiltin, def: constant(p.Default)}
		if p.Raw {
			n.flags |= flagRaw
		}
		if p.ReadOnly {
			n.flags |= flagReadOnly
		}
		if p.Computed {
			n.def = pc.computedDefault(p.Name)
		}
		pc.table[p.Name] = n
	}
}

// find returns the table entry for name, or nil. Legacy names (old
// parameter names postconf accepts without listing them) get their
// entry on first use.
func (pc *postconf) find(name string) *node {
	if n, ok := pc.table[name]; ok {
		return n
	}
	if params.IsLegacy(name) {
		n := &node{flags: flagLegacy, def: constant("")}
		pc.table[name] = n
		return n
	}
	return nil
}

// computedDefault returns the lazily computed, then remembered, default
// of a host- or process-dependent parameter.
func (pc *postconf) computedDefault(name string) func() string {
	var value *string
	return func() string {
		if value != nil {
			return *value
		}
		if pc.host == nil {
			h, err := params.LocalHost()
			if err != nil {
				pc.log.Fatalf("%s", err)
			}
			h.ProcName = filepath.Base(pc.prog)
			pc.host = h
		}
		v, err := params.ComputedDefault(name, pc.host, resolver{pc})
		if err != nil {
			pc.log.Fatalf("%s", err)
		}
		value = &v
		return v
	}
}

// Per-service parameters of delivery agents: suffix and the parameter
// whose value is the default (postconf_service.c).
var (
	timeLimitParam = [2]string{"_time_limit", "command_time_limit"}
	agentParams    = [][2]string{
		{"_recipient_limit", "default_recipient_limit"},
		{"_extra_recipient_limit", "default_extra_recipient_limit"},
		{"_recipient_refill_limit", "default_recipient_refill_limit"},
		{"_recipient_refill_delay", "default_recipient_refill_delay"},
		{"_delivery_slot_cost", "default_delivery_slot_cost"},
		{"_delivery_slot_loan", "default_delivery_slot_loan"},
		{"_delivery_slot_discount", "default_delivery_slot_discount"},
		{"_minimum_delivery_slots", "default_minimum_delivery_slots"},
		{"_initial_destination_concurrency", "initial_destination_concurrency"},
		{"_destination_concurrency_limit", "default_destination_concurrency_limit"},
		{"_destination_recipient_limit", "default_destination_recipient_limit"},
		{"_destination_concurrency_positive_feedback", "default_destination_concurrency_positive_feedback"},
		{"_destination_concurrency_negative_feedback", "default_destination_concurrency_negative_feedback"},
		{"_destination_concurrency_failed_cohort_limit", "default_destination_concurrency_failed_cohort_limit"},
		{"_destination_rate_delay", "default_destination_rate_delay"},
		{"_transport_rate_delay", "default_transport_rate_delay"},
	}
	serviceParams = map[string][][2]string{
		"local":   agentParams,
		"error":   agentParams,
		"virtual": agentParams,
		"smtp":    agentParams,
		"lmtp":    agentParams,
		"pipe":    append([][2]string{timeLimitParam}, agentParams...),
		"spawn":   {timeLimitParam},
	}
)

// registerServiceParams adds NAME_suffix parameters for every master.cf
// service whose command is a delivery agent (or spawn). A name that is
// already built in keeps its default but counts as service-defined.
func (pc *postconf) registerServiceParams() {
	for _, e := range pc.master {
		for _, sp := range serviceParams[e.Argv[7]] {
			name := e.Service() + sp[0]
			if n := pc.find(name); n != nil {
				n.flags = n.flags&^classMask | flagService
				continue
			}
			pc.table[name] = &node{flags: flagService, def: constant("$" + sp[1])}
		}
	}
}
