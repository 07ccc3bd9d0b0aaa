package main

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/delivered"
	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/mbox"
	"gopostfix/libglobal/pipecmd"
	"gopostfix/libglobal/tok822"
	"gopostfix/libglobal/util/dict"
)

// serve handles one qmgr connection; a table that changed on disk ends
// the process once the request is answered (pre_accept).
func (a *agent) serve(c net.Conn) {
	err := deliver.Serve(c, a.layout, a.s.Log, a.s.IPCTimeout, func(ag *deliver.Agent, req *deliver.Request) (int, error) {
		return a.deliverMessage(ag, req), nil
	})
	if err != nil {
		a.s.Log.Fatalf("%v", err)
	}
	if name := a.reg.Changed(); name != "" {
		a.s.Log.Infof("table %s has changed -- restarting", name)
		os.Exit(0)
	}
}

// deliverMessage runs the command once for all recipients of the
// request (deliver_message).
func (a *agent) deliverMessage(ag *deliver.Agent, req *deliver.Request) int {
	if req.Nexthop == "" {
		a.s.Log.Fatalf("empty nexthop hostname")
	}
	if len(req.Rcpts) <= 0 {
		a.s.Log.Fatalf("recipient count: %d", len(req.Rcpts))
	}
	a.serviceParams()
	at := a.attrs
	for _, f := range []struct {
		bit    int
		letter string
	}{{mbox.CopyDelivered, "D"}, {mbox.CopyOrigRcpt, "O"}} {
		if at.flags&f.bit != 0 && len(req.Rcpts) > 1 {
			st := a.report(ag, req, pipecmd.Defer, dsn.Simple("4.3.5", "mail system configuration error"))
			a.s.Log.Warnf("pipe flag `%s' requires %s_destination_recipient_limit = 1", f.letter, a.s.Name)
			return st
		}
	}
	if at.sizeLimit != 0 && req.DataSize > at.sizeLimit {
		return a.report(ag, req, pipecmd.Bounce, dsn.Simple("5.2.3", "message too large"))
	}
	if req.Flags&deliver.TraceOnlyMask != 0 {
		return a.each(ag, req, dsn.Simple("2.0.0", "delivers to command: "+at.command[0]), a.status.Sent,
			req.Flags&deliver.FlagSuccess != 0)
	}
	if at.flags&mbox.CopyDelivered != 0 {
		set, err := delivered.Read(ag.File, req.DataOffset, func(s string) string { f, _ := dict.CaseFold(s, a.utf8); return f })
		if err != nil {
			a.s.Log.Fatalf("%v", err)
		}
		if r := req.Rcpts[0]; set.Has(r.Address) {
			return a.report(ag, req, pipecmd.Bounce, dsn.Simple("5.4.6", "mail forwarding loop for "+r.Address))
		}
	}
	if _, err := ag.File.Seek(req.DataOffset, 0); err != nil {
		a.s.Log.Fatalf("seek queue file %s: %s", ag.File.Name(), dict.ErrnoText(err))
	}
	sender := req.Sender
	if sender == "" {
		sender = at.nullSender
	}
	e := a.expander(req, sender)
	argv, ok := e.argv(at.command, req.Rcpts)
	if !ok {
		return a.report(ag, req, pipecmd.Defer, dsn.Simple("4.3.5", "mail system configuration error"))
	}
	st, why := pipecmd.Run(&pipecmd.Command{Argv: argv, UID: at.uid, GID: at.gid, Export: a.export,
		Cwd: at.execDir, Chroot: at.chrootDir, TimeLimit: a.timeLimit, ProcName: a.s.Prog, UTF8: a.utf8,
		Log: a.s.Log,
		Copy: mbox.CopyArgs{Sender: sender, OrigRcpt: req.Rcpts[0].OrigAddr, Delivered: req.Rcpts[0].Address,
			EnableOrigRcpt: a.s.Bool("enable_original_recipient"), Src: ag.File, Flags: at.flags & 0xffff,
			EOL: at.eol, Now: time.Now(), MarkCorrupt: func() { deliver.MarkCorrupt(ag.File, a.s.Log, a.own.ownerUID, a.own.ownerGID) },
			Warn: a.s.Log.Warnf}})
	return a.report(ag, req, st, why)
}

// expander sets the macros that do not depend on the recipient.
func (a *agent) expander(req *deliver.Request, sender string) *expander {
	at := a.attrs
	if sender != "" && at.flags&optQuoteLocal != 0 {
		sender = tok822.QuoteLocal(sender, tok822.QuoteDefault)
	}
	nexthop := req.Nexthop
	if at.flags&optFoldHost != 0 {
		nexthop, _ = dict.CaseFold(nexthop, a.utf8)
	}
	return &expander{flags: at.flags, delim: a.delim, utf8: a.utf8, warn: a.s.Log.Warnf, env: a.addrEnv,
		service: a.s.Name, confDir: a.s.Config.Dir(),
		vars: map[string]string{"sender": sender, "nexthop": nexthop,
			"size": strconv.FormatInt(req.DataSize, 10), "client_address": req.ClientAddr,
			"client_helo": req.ClientHelo, "client_hostname": req.ClientName, "client_port": req.ClientPort,
			"client_protocol": req.ClientProto, "sasl_method": req.SASLMethod,
			"sasl_username": req.SASLUsername, "sasl_sender": req.SASLSender, "queue_id": req.QueueID}}
}

// report turns the command's outcome into per-recipient reports
// (eval_command_status).
func (a *agent) report(ag *deliver.Agent, req *deliver.Request, st pipecmd.Status, why dsn.DSN) int {
	switch st {
	case pipecmd.OK:
		out := ""
		if text := strings.TrimRight(why.Reason, " \t\r\n\v\f"); text != "" {
			if len(text) > 100 {
				text = text[:100]
			}
			out = " (" + text + ")"
		}
		action := "relayed"
		if a.attrs.flags&optFinalDelivery != 0 {
			action = "delivered"
		}
		d := dsn.DSN{Status: "2.0.0", Action: action, Reason: fmt.Sprintf("delivered via %s service%s", a.s.Name, out)}
		return a.each(ag, req, d, a.status.Sent, req.Flags&deliver.FlagSuccess != 0)
	case pipecmd.Bounce, pipecmd.Defer:
		report := a.status.BounceAppend
		if strings.HasPrefix(why.Status, "4") {
			report = a.status.DeferAppend
		}
		return a.each(ag, req, why, report, true)
	}
	return deliver.StatDefer
}

// each reports every recipient with the same status, marking the ones
// dealt with done when mark is set.
func (a *agent) each(ag *deliver.Agent, req *deliver.Request, d dsn.DSN, report deliver.ReportFunc, mark bool) int {
	result := 0
	for _, r := range req.Rcpts {
		st := report(deliver.TraceFlags(req.Flags), req.QueueID, req.Stats, r, a.s.Name, d)
		if st == 0 && mark {
			if err := deliver.Completed(ag.File, r.Offset); err != nil {
				a.s.Log.Fatalf("%v", err)
			}
		}
		result |= st
	}
	return result
}
