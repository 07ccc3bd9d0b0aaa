package main

import (
	"strconv"

	"gopostfix/libglobal/milter"
)

// milterClient is the SMTP client Milters are told about: the one smtpd
// saw, or for a local submission localhost (cleanup_milter_client_init).
type milterClient struct {
	set                    bool
	name, reverse          string
	addr, port             string
	serverAddr, serverPort *string
	family                 milter.Family
}

// Address families of the client_address_type attribute (Linux).
const (
	afUnix  = 1
	afInet  = 2
	afInet6 = 10
)

// milterFamily converts a client_address_type value.
func milterFamily(af int) milter.Family {
	switch af {
	case afInet:
		return milter.FamilyInet
	case afInet6:
		return milter.FamilyInet6
	case afUnix:
		return milter.FamilyUnix
	}
	return milter.FamilyUnspec
}

// milterClientInit sets the client information from the attributes
// smtpd sent, or makes up localhost for local submissions.
func (st *state) milterClientInit() {
	cl := &st.mil.client
	cl.set = true
	attr := func(name string) *string {
		if v, ok := st.attrs[name]; ok {
			return &v
		}
		return nil
	}
	name, reverse, addr := attr("client_name"), attr("reverse_client_name"), attr("client_address")
	port, af := attr("client_port"), attr("client_address_type")
	cl.serverAddr, cl.serverPort = attr("server_address"), attr("server_port")
	if name == nil || addr == nil || af == nil || !allDigits(*af) {
		cl.name = "localhost"
		if st.cfg.ipv6First {
			cl.addr, cl.family = "::1", milter.FamilyInet6
		} else {
			cl.addr, cl.family = "127.0.0.1", milter.FamilyInet
		}
		cl.serverAddr = &cl.addr
	} else {
		cl.name, cl.addr = *name, *addr
		n, _ := strconv.Atoi(*af)
		cl.family = milterFamily(n)
	}
	cl.reverse = cl.name
	if reverse != nil {
		cl.reverse = *reverse
	}
	if port == nil {
		// Mail queued before Postfix 2.5.
		cl.port = "0"
		cl.serverPort = &cl.port
	} else {
		cl.port = *port
	}
}

// milterMacro is the macro lookup for Milters (cleanup_milter_eval); the
// names come in the "{name}" form.
func (st *state) milterMacro(name string) (string, bool) {
	c, cl := st.cfg, &st.mil.client
	opt := func(p *string) (string, bool) {
		if p == nil {
			return "", false
		}
		return *p, true
	}
	port := func(p *string) (string, bool) {
		if p == nil || *p == "unknown" {
			return "0", true
		}
		return *p, true
	}
	switch name {
	case "{daemon_name}":
		return c.milterDaemonName, true
	case "{v}":
		return c.milterV, true
	case "{_}":
		return milter.HostMacro(cl.name, cl.reverse, cl.addr), true
	case "{j}":
		return c.myhostname, true
	case "{client_addr}":
		return cl.addr, true
	case "{client_name}":
		return cl.name, true
	case "{client_port}":
		return port(&cl.port)
	case "{client_ptr}":
		return cl.reverse, true
	case "{daemon_addr}":
		return opt(cl.serverAddr)
	case "{daemon_port}":
		return port(cl.serverPort)
	case "{i}":
		return st.queueID, true
	case "{auth_type}":
		return st.attrOpt("sasl_method")
	case "{auth_authen}":
		return st.attrOpt("sasl_username")
	case "{auth_author}":
		return st.attrOpt("sasl_sender")
	case "{mail_addr}":
		return opt(st.mil.extFrom)
	case "{rcpt_addr}":
		return opt(st.mil.extRcpt)
	}
	return "", false
}

func (st *state) attrOpt(name string) (string, bool) {
	v, ok := st.attrs[name]
	return v, ok
}
