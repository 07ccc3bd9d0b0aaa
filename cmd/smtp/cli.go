package main

import (
	"fmt"
	"os"
	"strings"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/delivered"
	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/tok822"
	"gopostfix/libglobal/util/dict"
)

// Command-line flags of master.cf (flags=DORX, SMTP_CLI_FLAG_*).
const (
	cliDeliveredTo = 1 << 0 // prepend Delivered-To:
	cliOrigRcpt    = 1 << 1 // prepend X-Original-To:
	cliReturnPath  = 1 << 2 // prepend Return-Path:
	cliFinal       = 1 << 3 // LMTP: final delivery, not relay
	cliAddHeaders  = cliDeliveredTo | cliOrigRcpt | cliReturnPath
)

var cliFlagLetters = map[byte]int{'D': cliDeliveredTo, 'O': cliOrigRcpt, 'R': cliReturnPath, 'X': cliFinal}

// parseCLI reads the master.cf attributes after the daemon options
// (get_cli_attr); errors are fatal in Postfix.
func (a *agent) parseCLI(args []string) error {
	lastFlags := "flags="
	for _, arg := range args {
		if len(arg) < 6 || !strings.EqualFold(arg[:6], "flags=") {
			return fmt.Errorf("unknown attribute name: %s", arg)
		}
		lastFlags = arg
		a.cliFlags = 0
		for _, c := range []byte(arg[6:]) {
			bit, ok := cliFlagLetters[c]
			if !ok {
				return fmt.Errorf("unknown %s value \"%c\" in \"%s\"", arg, c, arg[6:])
			}
			a.cliFlags |= bit
		}
	}
	if a.cfg.lmtp && a.s.Bool("lmtp_assume_final") && a.cliFlags&cliFinal == 0 {
		a.cliFlags |= cliFinal
		a.log.Warnf("%s is obsolete; instead, specify \"%sX\" in %s", "lmtp_assume_final", lastFlags, "master.cf")
	}
	return nil
}

// checkCLI applies the D and O flags' checks to a request
// (deliver_message): they need one recipient per delivery, and D bounces
// mail whose recipient already appears in a Delivered-To: header. done
// reports that the request was answered.
func (a *agent) checkCLI(src *os.File, req *deliver.Request) (status int, done bool) {
	if a.cliFlags&cliDeliveredTo != 0 {
		if len(req.Rcpts) > 1 {
			a.log.Warnf("flag `D' requires %s_destination_recipient_limit = 1", a.s.Name)
			return a.rejectRequest(src, req, "4.3.5", "mail system configuration error"), true
		}
		utf8 := a.s.Bool("smtputf8_enable")
		set, err := delivered.Read(src, req.DataOffset, func(s string) string { f, _ := dict.CaseFold(s, utf8); return f })
		if err != nil {
			a.fatal("%v", err)
		}
		if set.Has(a.generic.envelope(req.Rcpts[0].Address)) {
			return a.rejectRequest(src, req, "5.4.6", "mail forwarding loop for "+req.Rcpts[0].Address), true
		}
	}
	if a.cliFlags&cliOrigRcpt != 0 && len(req.Rcpts) > 1 {
		a.log.Warnf("flag `O' requires %s_destination_recipient_limit = 1", a.s.Name)
		return a.rejectRequest(src, req, "4.3.5", "mail system configuration error"), true
	}
	return 0, false
}

// rejectRequest bounces or defers every recipient, with the service
// name as relay (reject_deliver_request).
func (a *agent) rejectRequest(src *os.File, req *deliver.Request, status, text string) int {
	fn := a.status.BounceAppend
	if status[0] == '4' {
		fn = a.status.DeferAppend
	}
	result := 0
	for _, r := range req.Rcpts {
		st := fn(deliver.TraceFlags(req.Flags), req.QueueID, req.Stats, r, a.s.Name, dsn.Simple(status, text))
		if st == 0 {
			if err := deliver.Completed(src, r.Offset); err != nil {
				a.fatal("%v", err)
			}
		}
		result |= st
	}
	return result
}

// addHeaders sends the headers flags=ROD ask for, in mail_copy's order,
// through the MIME parser when there is one (smtp_out_add_headers).
func (st *state) addHeaders(mime *mimeState) (int, error) {
	f := st.ag.cliFlags
	r := st.rcpts[0]
	for _, h := range []struct {
		bit                 int
		label, lt, addr, gt string
	}{
		{cliReturnPath, "Return-Path", "<", st.req.Sender, ">"},
		{cliOrigRcpt, "X-Original-To", "", r.OrigAddr, ""},
		{cliDeliveredTo, "Delivered-To", "", r.Address, ""},
	} {
		if f&h.bit == 0 {
			continue
		}
		addr := st.ag.generic.envelope(h.addr)
		if addr != "" {
			addr = tok822.QuoteLocal(addr, tok822.QuoteDefault)
		}
		line := []byte(h.label + ": " + h.lt + addr + h.gt)
		if mime == nil {
			if err := st.textOut(record.Norm, line); err != nil {
				return 0, err
			}
			continue
		}
		if flags, err := mime.update(record.Norm, line); err != nil || flags != 0 {
			return flags, err
		}
	}
	return 0, nil
}
