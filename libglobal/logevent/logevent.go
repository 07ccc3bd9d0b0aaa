package logevent

import (
	"fmt"
	"strings"
	"time"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
	"gopostfix/libglobal/tok822"
	"gopostfix/libglobal/util/msg"
)

// Logger formats and emits the log lines of this package.
type Logger struct {
	Log *msg.Logger
	// ResLimit is delay_logging_resolution_limit (0..6 decimals).
	ResLimit int
	// Internal is info_log_address_format = internal; the default
	// (external) quotes local parts that need it.
	Internal bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Params is the part of the configuration a Logger is made from
// (mailconf.Config satisfies it).
type Params interface {
	Str(name string) (string, error)
	Int(name string) (int, error)
}

// New makes a Logger from delay_logging_resolution_limit and
// info_log_address_format.
func New(log *msg.Logger, p Params) (*Logger, error) {
	res, err := p.Int("delay_logging_resolution_limit")
	if err != nil {
		return nil, err
	}
	form, err := p.Str("info_log_address_format")
	if err != nil {
		return nil, err
	}
	l := &Logger{Log: log, ResLimit: res}
	switch form {
	case "external":
	case "internal":
		l.Internal = true
	default:
		return nil, fmt.Errorf("invalid parameter setting \"info_log_address_format = %s\"", form)
	}
	if res < 0 || res > 6 {
		return nil, fmt.Errorf("invalid delay_logging_resolution_limit: %d", res)
	}
	return l, nil
}

func (l *Logger) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// Addr returns an address the way info log lines show it
// (info_log_addr_form).
func (l *Logger) Addr(addr string) string {
	if addr == "" || l.Internal {
		return addr
	}
	return tok822.QuoteLocal(addr, tok822.Quote8BitClean)
}

// delta is y - x as seconds and microseconds, zero when negative.
func delta(y, x time.Time) (int64, int64) {
	d := y.Sub(x)
	if d < 0 {
		return 0, 0
	}
	// Postfix subtracts timeval fields; whole microseconds suffice.
	us := y.UnixMicro() - x.UnixMicro()
	if us < 0 {
		return 0, 0
	}
	return us / 1000000, us % 1000000
}

// Delivery logs one recipient's status (log_adhoc): status is "sent",
// "deferred", "bounced", "deliverable", "undeliverable", ...
func (l *Logger) Delivery(id string, st deliver.Stats, r deliver.Recipient, relay string, d dsn.DSN, status string) {
	l.Log.Infof("%s", l.DeliveryText(id, st, r, relay, d, status))
}

// DeliveryText returns the text Delivery logs.
func (l *Logger) DeliveryText(id string, st deliver.Stats, r deliver.Recipient, relay string, d dsn.DSN, status string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: to=<%s>", id, l.Addr(r.Address))
	if r.OrigAddr != "" && !strings.EqualFold(r.Address, r.OrigAddr) {
		fmt.Fprintf(&b, ", orig_to=<%s>", l.Addr(r.OrigAddr))
	}
	fmt.Fprintf(&b, ", relay=%s", relay)
	if st.ReuseCount > 0 {
		fmt.Fprintf(&b, ", conn_use=%d", st.ReuseCount+1)
	}
	now := st.DeliverDone
	if !stamped(now) {
		now = l.now()
	}
	var delay, pdelay, adelay, sdelay, xdelay [2]int64
	delay[0], delay[1] = delta(now, st.IncomingArrival)
	if stamped(st.ActiveArrival) {
		pdelay[0], pdelay[1] = delta(st.ActiveArrival, st.IncomingArrival)
		if stamped(st.AgentHandoff) {
			adelay[0], adelay[1] = delta(st.AgentHandoff, st.ActiveArrival)
			if stamped(st.ConnSetupDone) {
				sdelay[0], sdelay[1] = delta(st.ConnSetupDone, st.AgentHandoff)
				xdelay[0], xdelay[1] = delta(now, st.ConnSetupDone)
			} else {
				xdelay[0], xdelay[1] = delta(now, st.AgentHandoff)
			}
		} else {
			adelay[0], adelay[1] = delta(now, st.ActiveArrival)
		}
	} else {
		pdelay[0], pdelay[1] = delta(now, st.IncomingArrival)
	}
	f := func(v [2]int64) string { return FormatTV(v[0], v[1], 2, l.ResLimit) }
	fmt.Fprintf(&b, ", delay=%s, delays=%s/%s/%s/%s", f(delay), f(pdelay), f(adelay), f(sdelay), f(xdelay))
	fmt.Fprintf(&b, ", dsn=%s, status=%s (%s)", d.Status, status, d.Reason)
	return b.String()
}

// stamped is TIME_STAMPED: a positive seconds field.
func stamped(t time.Time) bool { return !t.IsZero() && t.Unix() > 0 }

// Opened logs a message's sender, size and recipient count as qmgr and
// others do when they open it (opened): "ID: from=<S>, size=N, nrcpt=N
// (queue active)". what is the parenthesized text, or "".
func (l *Logger) Opened(id, sender string, size int64, nrcpt int, what string) {
	text := fmt.Sprintf("%s: from=<%s>, size=%d, nrcpt=%d", id, l.Addr(sender), size, nrcpt)
	if what != "" {
		text += " (" + what + ")"
	}
	l.Log.Infof("%s", text)
}

// Passed logs that a delivery agent hands recipient addr of message id
// to another transport (deliver_pass): "ID: passing <addr> to
// transport=NAME".
func (l *Logger) Passed(id, addr, transport string) {
	l.Log.Infof("%s: passing <%s> to transport=%s", id, l.Addr(addr), transport)
}
