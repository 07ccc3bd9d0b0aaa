package milter

import (
	"fmt"
	"syscall"
	"time"

	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/attr"
)

// Attribute names of the smtpd -> cleanup hand-off (milter8.c,
// milter_macros.c, mail_proto.h).
const (
	attrName      = "milter_name"
	attrVersion   = "milter_version"
	attrActions   = "milter_actions"
	attrEvents    = "milter_events"
	attrNonEvents = "milter_non_events"
	attrState     = "milter_state"
	attrConnTime  = "milter_conn_timeout"
	attrCmdTime   = "milter_cmd_timeout"
	attrMsgTime   = "milter_msg_timeout"
	attrAction    = "milter_action"
	attrMacList   = "milter_macro_list"
	attrSize      = "size"
	attrStatus    = "status"
)

// macroAttrs sends a macro name list set (milter_macros_print).
func macroAttrs(mc *Macros) attr.Attr {
	return attr.Func(func(w *attr.Writer) error {
		return w.PrintMore(
			attr.Str("conn_macros", mc.Conn), attr.Str("helo_macros", mc.Helo),
			attr.Str("mail_macros", mc.Mail), attr.Str("rcpt_macros", mc.Rcpt),
			attr.Str("data_macros", mc.Data), attr.Str("eoh_macros", mc.EOH),
			attr.Str("eod_macros", mc.EOD), attr.Str("unk_macros", mc.Unk))
	})
}

// scanMacros receives a macro name list set (milter_macros_scan).
func scanMacros(mc *Macros) attr.Recv {
	return attr.RecvFunc(func(r *attr.Reader, flags attr.Flags) (int, error) {
		n, err := r.Scan(flags|attr.More,
			attr.RecvStr("conn_macros", &mc.Conn), attr.RecvStr("helo_macros", &mc.Helo),
			attr.RecvStr("mail_macros", &mc.Mail), attr.RecvStr("rcpt_macros", &mc.Rcpt),
			attr.RecvStr("data_macros", &mc.Data), attr.RecvStr("eoh_macros", &mc.EOH),
			attr.RecvStr("eod_macros", &mc.EOD), attr.RecvStr("unk_macros", &mc.Unk))
		if err == nil && n != 8 {
			err = fmt.Errorf("milter macro lists: %d of 8 attributes", n)
		}
		return n, err
	})
}

// Send hands the milters that still want events over to the cleanup
// server, as smtpd does after its envelope records (milter_send): the
// 'm' record with the count, then on the same stream the macro lists,
// the macro defaults and each milter with its socket, then cleanup's
// status. With no active milter only "m 0" is written (cleanup must then
// not apply its own non_smtpd_milters). c is the cleanup connection;
// flush any buffered records before calling.
func (ms *Milters) Send(c *attr.Conn) error {
	var active []*milter8
	if ms != nil {
		for _, m := range ms.list {
			if m.active() {
				active = append(active, m)
			}
		}
	}
	rw := record.NewWriter(c.BufWriter(), 0)
	if err := rw.Printf(record.MiltCount, "%d", len(active)); err != nil {
		return err
	}
	if len(active) == 0 {
		return nil
	}
	err := c.W.PrintMore(macroAttrs(&ms.macros), attr.Int(attrSize, len(ms.defaults)))
	if err == nil && len(ms.defaults) > 0 {
		pairs := make([]attr.Pair, len(ms.defaults))
		for i, d := range ms.defaults {
			pairs[i] = attr.Pair{Name: d.name, Value: d.value}
		}
		err = c.W.PrintMore(attr.Hash(pairs))
	}
	for _, m := range active {
		if err != nil {
			break
		}
		err = m.send(c)
	}
	status := -1
	if err == nil {
		var n int
		n, err = c.Scan(attr.Strict, attr.RecvInt(attrStatus, &status))
		if err == nil && n != 1 {
			err = fmt.Errorf("no status")
		}
	}
	if err != nil || status != 0 {
		ms.log.Warnf("cannot send milters to service %s", c.R.Name())
		if err == nil {
			err = fmt.Errorf("status %d", status)
		}
		return fmt.Errorf("send milters to %s: %w", c.R.Name(), err)
	}
	return nil
}

func secs(d time.Duration) int { return int(d / time.Second) }

// send hands over one milter (milter8_send): its attributes, then the
// descriptor between two "dummy" acknowledgements.
func (m *milter8) send(c *attr.Conn) error {
	if err := m.w.Flush(); err != nil && m.flushErr == nil {
		m.flushErr = err
	}
	err := c.W.PrintMore(attr.Str(attrName, m.name), attr.Int(attrVersion, int(m.version)),
		attr.Int(attrActions, int(m.rqMask)), attr.Int(attrEvents, int(m.evMask)),
		attr.Int(attrNonEvents, int(m.npMask)), attr.Int(attrState, m.state),
		attr.Int(attrConnTime, secs(m.connTimeout)), attr.Int(attrCmdTime, secs(m.cmdTimeout)),
		attr.Int(attrMsgTime, secs(m.msgTimeout)), attr.Str(attrAction, m.defAction),
		attr.Int(attrMacList, boolInt(m.macros != nil)))
	if err != nil {
		return err
	}
	if m.macros != nil {
		err = c.Print(macroAttrs(m.macros))
	} else {
		err = c.Print()
	}
	if err != nil {
		return err
	}
	sc, ok := m.nc.(syscall.Conn)
	if !ok {
		return fmt.Errorf("milter %s: connection has no descriptor", m.name)
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return err
	}
	var sendErr error
	if err := raw.Control(func(fd uintptr) { sendErr = c.SendFd(int(fd)) }); err != nil {
		return err
	}
	if sendErr != nil {
		return sendErr
	}
	return c.ReadDummy()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
