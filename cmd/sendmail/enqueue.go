package main

import (
	"bufio"
	"fmt"
	"gopostfix/compat/maptypes"
	"io"
	"os"
	"os/user"
	"strconv"
	"strings"

	"gopostfix/libglobal/mailstream"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/tok822"
)

// checkSubmit enforces authorized_submit_users.
func (sm *sendmail) checkSubmit() {
	uid := os.Getuid()
	name, ok, err := mailstream.UserACL(mailstream.TableRegistry(sm.log, maptypes.Register), "authorized_submit_users",
		sm.str("authorized_submit_users"), uid, sm.log)
	if err != nil {
		sm.log.Fatalf("%v", err)
	}
	if !ok {
		sm.fatal(exNoPerm, "User %s(%d) is not allowed to submit mail", name, uid)
	}
}

// internalize returns the addresses of an external address list in
// internal form.
func internalize(s string) []string {
	var out []string
	for t := tok822.Parse(s); t != nil; t = t.Next {
		if t.Type == tok822.Addr {
			out = append(out, tok822.Internalize(t.Head, 0))
		}
	}
	return out
}

// senderAddress is the envelope sender: the first address of -f, or the
// login name.
func (sm *sendmail) senderAddress() string {
	if sm.sender == nil {
		u, err := user.LookupId(strconv.Itoa(os.Getuid()))
		if err != nil {
			sm.fatal(exOSErr, "no login name found for user ID %d", os.Getuid())
		}
		return u.Username
	}
	addrs := internalize(*sm.sender)
	if len(addrs) > 1 {
		sm.log.Warnf("-f option specified malformed sender: %s", *sm.sender)
	}
	if len(addrs) == 0 {
		return ""
	}
	return addrs[0]
}

// fullName is -F, else $NAME, else the GECOS field of the password entry
// with '&' standing for the capitalized login name.
func (sm *sendmail) fullNameText() (string, bool) {
	if sm.fullName != nil {
		return *sm.fullName, true
	}
	if v, ok := os.LookupEnv("NAME"); ok {
		return v, true
	}
	u, err := user.LookupId(strconv.Itoa(os.Getuid()))
	if err != nil {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < len(u.Name); i++ {
		c := u.Name[i]
		if c == ',' || c == ';' || c == '%' {
			break
		}
		if c == '&' && u.Username != "" {
			b.WriteString(strings.ToUpper(u.Username[:1]) + u.Username[1:])
			continue
		}
		b.WriteByte(c)
	}
	return b.String(), true
}

// enqueue sends the message to postdrop (sendmail's enqueue()).
func (sm *sendmail) enqueue(in io.Reader, out io.Writer) {
	uid := os.Getuid()
	sm.checkSubmit()
	sender := sm.senderAddress()
	cmdline := sm.str("command_directory") + "/postdrop -r"
	argv := []string{sm.str("command_directory") + "/postdrop", "-r"}
	for n := 0; n < sm.log.Verbose; n++ {
		cmdline += " -v"
		argv = append(argv, "-v")
	}
	c, status, err := mailstream.StartCommand(argv, sm.exportEnv())
	if c == nil {
		if err == nil && status != 0 {
			sm.log.Warnf("command \"%s\" exited with status %d", cmdline, status)
		}
		text := "Success"
		if err != nil {
			text = queue.Strerror(err)
		}
		sm.fatal(exUnavailable, "%s(%d): unable to execute %s: %s", sender, uid, cmdline, text)
	}
	w := c.W
	if sm.envid != "" {
		w.PutAttr("envelope_id", sm.envid)
	}
	if sm.ret != 0 {
		w.PutAttr("ret_flags", strconv.Itoa(sm.ret))
	}
	w.PutAttr("rewrite_context", sm.rwr)
	if full, ok := sm.fullNameText(); ok {
		w.PutString(record.Full, full)
	}
	w.PutString(record.From, sender)
	if sm.verp != nil && sender == "" {
		sm.fatal(exUsage, "%s(%d): -V option requires non-null sender address", sender, uid)
	}
	if sm.encoding != "" {
		w.PutAttr("encoding", sm.encoding)
	}
	if sm.trace != 0 {
		w.PutAttr("trace_flags", strconv.Itoa(sm.trace))
	}
	if sm.verp != nil {
		w.PutString(record.Verp, *sm.verp)
	}
	count := 0
	for _, arg := range sm.rcpts {
		addrs := internalize(arg)
		for _, a := range addrs {
			sm.putRcpt(w, a)
			count++
		}
		if len(addrs) == 0 {
			w.PutString(record.Rcpt, "")
			count++
		}
	}
	w.PutString(record.Mesg, "")
	var extracted []string
	if sm.trace&traceUserVerify != 0 {
		sm.probe(w, sender)
	} else {
		extracted = sm.copyContent(w, bufio.NewReader(in), sender, uid)
	}
	w.PutString(record.Xtra, "")
	for _, a := range extracted {
		sm.putRcpt(w, a)
		count++
	}
	if count == 0 {
		if sm.extract {
			sm.fatal(exUsage, "%s(%d): No recipient addresses found in message header", sender, uid)
		}
		sm.fatal(exUsage, "%s(%d): Recipient addresses must be specified on the command line or via the -t option", sender, uid)
	}
	w.PutString(record.End, "")
	st, why, closeErr := c.Finish()
	if closeErr != nil {
		sm.log.Warnf("mail_stream_cleanup: close error")
	}
	if st != mailstream.StatOK {
		if why == "" {
			why = mailstream.StatusText(st)
		}
		sm.fatal(exitFor(st), "%s(%d): %s", sender, uid, why)
	}
	if sm.trace != 0 {
		fmt.Fprintf(out, "Mail Delivery Status Report will be mailed to <%s>.\n", sender)
	}
}

func exitFor(st int) int {
	switch {
	case st&mailstream.StatBad != 0:
		return exSoftware
	case st&mailstream.StatWrite != 0:
		return exTempFail
	case st&mailstream.StatNoPerm != 0:
		return exNoPerm
	}
	return exUnavailable
}

func (sm *sendmail) putRcpt(w *record.Writer, addr string) {
	if sm.notify != 0 {
		w.PutAttr("notify_flags", strconv.Itoa(sm.notify))
	}
	w.PutString(record.Rcpt, addr)
}

// probe writes the small message of an address verification (-bv).
func (sm *sendmail) probe(w *record.Writer, sender string) {
	if sm.extract {
		sm.fatal(exUsage, "%s(%d): -t option cannot be used with -bv", sender, os.Getuid())
	}
	if sender != "" {
		w.PutString(record.Norm, "From: "+sender)
	}
	w.PutString(record.Norm, "Subject: probe")
	if len(sm.rcpts) > 0 {
		w.PutString(record.Cont, "To:")
		for i, r := range sm.rcpts {
			sep := ""
			if i+1 < len(sm.rcpts) {
				sep = ","
			}
			w.PutString(record.Norm, "\t"+r+sep)
		}
	}
}
