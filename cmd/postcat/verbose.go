package main

import (
	"strings"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/params"
	"gopostfix/libglobal/util/inet"
	"gopostfix/libglobal/util/msg"
)

// logStartup writes, with -v, the debug lines Postfix's library start-up
// logs before postcat does any work (mail_params_init): the name_mask(3)
// words of inet_protocols, of mynetworks_style when mynetworks is
// computed, inet_addr_local's address counts per enabled family, and the
// computed mynetworks with the duplicate filter's verdicts.
//
// Deliberate difference: a network that two local addresses share is
// reported once ("been_here: NET: 0"), where Postfix reports it again
// with 1; and the much longer -v -v trace of the configuration reader is
// not produced.
func logStartup(log *msg.Logger, cfg *mailconf.Config) {
	if log.Verbose == 0 {
		return
	}
	protos, _ := cfg.Str("inet_protocols")
	for _, w := range words(protos) {
		log.Infof("name_mask: %s", w)
	}
	computed := !cfg.IsSet("mynetworks")
	if computed {
		style, _ := cfg.Str("mynetworks_style")
		for _, w := range words(style) {
			log.Infof("name_mask: %s", w)
		}
	}
	fams, err := params.ParseProtocols(protos)
	if err != nil {
		return
	}
	local, err := inet.Local()
	if err != nil {
		return
	}
	for _, f := range fams {
		n, name := 0, "IPv4"
		for _, a := range local {
			if a.Addr.Is4() == (f == "ipv4") {
				n++
			}
		}
		if f == "ipv6" {
			name = "IPv6"
		}
		log.Infof("inet_addr_local: configured %d %s addresses", n, name)
	}
	if !computed {
		return
	}
	nets, err := cfg.Str("mynetworks")
	if err != nil {
		return
	}
	// The duplicate filter runs when there is more than one network.
	if w := strings.Fields(nets); len(w) > 1 {
		for _, n := range w {
			log.Infof("been_here: %s: 0", n)
		}
	}
	log.Infof("mynetworks_core: %s", nets)
}

// words splits a name_mask(3) list.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(", \t\r\n", r) })
}
