package main

import (
	"strings"

	"gopostfix/libglobal/bounce"
	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/util/attr"
)

// passAll hands every recipient to another transport, one request per
// recipient (deliver_pass_all), as best_mx_transport asks when the mail
// loops back to this host.
func (st *state) passAll(service string) int {
	transport, nexthop, _ := strings.Cut(service, ":")
	if nexthop == "" {
		nexthop = st.req.Nexthop
	}
	if transport == "" {
		st.ag.fatal("missing transport name in \"%s\"", service)
	}
	status := 0
	for _, r := range st.req.Rcpts {
		status |= st.passOne(transport, nexthop, r)
	}
	return status
}

// passOne is deliver_pass for one recipient.
func (st *state) passOne(transport, nexthop string, r deliver.Recipient) int {
	req := st.req
	st.ag.log.Infof("%s: passing <%s> to transport=%s", req.QueueID, st.ag.status.Log.Addr(r.Address), transport)
	fail := func(text string) int {
		return st.ag.status.DeferAppend(deliver.TraceFlags(req.Flags), req.QueueID, req.Stats, r, bounce.NoRelay, dsn.Simple("4.3.0", text))
	}
	c, err := attr.DialService(".", "private", transport, attr.Format0, st.ag.s.IPCTimeout)
	if err != nil {
		return fail("mail transport unavailable")
	}
	defer c.Close()
	one := *req
	one.Nexthop = nexthop
	one.Rcpts = []deliver.Recipient{r}
	if deliver.ReadInitial(c) != nil || deliver.WriteRequest(c, &one) != nil {
		st.ag.log.Warnf("private/%s: malformed response", transport)
		return fail("mail transport unavailable")
	}
	_, stat, err := deliver.ReadReply(c)
	if err != nil {
		st.ag.log.Warnf("private/%s: malformed response", transport)
		return fail("unknown mail transport error")
	}
	if stat != 0 {
		return deliver.StatDefer
	}
	return 0
}
