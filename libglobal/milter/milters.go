package milter

import (
	"strings"

	"gopostfix/libglobal/util/msg"
)

// MacroLookup returns the value of a macro, named in its "{name}" form
// ("{j}", "{i}", "{client_addr}"); ok false when it has none.
type MacroLookup func(name string) (value string, ok bool)

// FlagWantRcptRej marks a RcptEvent for a recipient the MTA rejected:
// only milters that negotiated SMFIP_RCPT_REJ see it.
const FlagWantRcptRej = 1 << 0

// Milters is an ordered list of milters and what they share: the macro
// name lists and defaults, the macro lookup and the queue file editor.
type Milters struct {
	list       []*milter8
	macros     Macros
	defaults   []macroDefault
	lookup     MacroLookup
	editor     Editor
	softBounce bool
	lineLimit  int
	hdrLimit   int
	log        *msg.Logger
}

// New parses cfg.Names and cfg.MacroDefaults. Nothing is connected yet:
// each milter connects at the start of each SMTP session, in ConnEvent.
// The error texts are the ones Postfix ends the daemon with.
func New(cfg Config) (*Milters, error) {
	ms := newEmpty(cfg)
	ms.macros = cfg.Macros
	defs, err := parseMacroDefaults(cfg.MacroDefaults, ms.log)
	if err != nil {
		return nil, err
	}
	ms.defaults = defs
	specs, err := parseNames(&cfg)
	if err != nil {
		return nil, err
	}
	for _, sp := range specs {
		ms.list = append(ms.list, &milter8{
			name: sp.name, connTimeout: sp.conn, cmdTimeout: sp.cmd, msgTimeout: sp.msg,
			protocol: sp.protocol, defAction: sp.defaultAction,
			state: statClosed, parent: ms, log: ms.log,
		})
	}
	return ms, nil
}

func newEmpty(cfg Config) *Milters {
	ms := &Milters{editor: nopEditor{}, softBounce: cfg.SoftBounce,
		lineLimit: cfg.LineLimit, hdrLimit: cfg.HeaderLimit, log: cfg.Log}
	if ms.lineLimit <= 0 {
		ms.lineLimit = 2048
	}
	if ms.hdrLimit <= 0 {
		ms.hdrLimit = 102400
	}
	if ms.log == nil {
		ms.log = msg.Discard()
	}
	return ms
}

// SetMacroLookup sets where macro values come from.
func (ms *Milters) SetMacroLookup(fn MacroLookup) { ms.lookup = fn }

// SetEditor sets who applies end-of-message modification requests.
func (ms *Milters) SetEditor(e Editor) {
	if e == nil {
		e = nopEditor{}
	}
	ms.editor = e
}

// Count is the number of milters in the list.
func (ms *Milters) Count() int { return len(ms.list) }

// Close closes every milter connection (after sending what is still
// buffered) without telling the milters, as milter_free does.
func (ms *Milters) Close() {
	for _, m := range ms.list {
		m.closeStream()
	}
}

// lookupMacros evaluates a macro name list into name, value pairs: the
// lookup's value, else milter_macro_defaults', else the macro is left out.
func (ms *Milters) lookupMacros(names string) []string {
	out := []string{}
	for _, name := range strings.FieldsFunc(names, isCommaSpace) {
		cname := name
		if name[0] != '{' {
			cname = "{" + name + "}"
		}
		if ms.lookup != nil {
			if v, ok := ms.lookup(cname); ok {
				out = append(out, name, v)
				continue
			}
		}
		for _, d := range ms.defaults {
			if d.name == cname {
				out = append(out, name, d.value)
				break
			}
		}
	}
	return out
}

// macrosFor picks a milter's own list for a stage when it set one, else
// the global list (evaluated once per event for all milters).
type macroCache struct {
	ms     *Milters
	global []string
	done   bool
}

func (c *macroCache) eval(m *milter8, pick func(*Macros) string) []string {
	if m.macros != nil && pick(m.macros) != "" {
		return c.ms.lookupMacros(pick(m.macros))
	}
	if !c.done {
		c.global, c.done = c.ms.lookupMacros(pick(&c.ms.macros)), true
	}
	return c.global
}

// each runs fn over the milters until one returns a reply.
func (ms *Milters) each(pick func(*Macros) string, fn func(m *milter8, macros []string) string) string {
	cache := macroCache{ms: ms}
	for _, m := range ms.list {
		if resp := fn(m, cache.eval(m, pick)); resp != "" {
			return resp
		}
	}
	return ""
}

// Event results: "" when all milters are content; "D" discard, "H"
// quarantine, "S" shutdown (421 and disconnect), or an SMTP reply
// "4XX X.Y.Z text" / "5XX X.Y.Z text" (possibly multi-line with CRLF).

// ConnEvent starts the session: each milter connects, negotiates and
// gets the client. name "unknown" with a known address is sent as
// "[addr]"; port "" is sent as 0.
func (ms *Milters) ConnEvent(name, addr, port string, fam Family) string {
	cache := macroCache{ms: ms}
	for _, m := range ms.list {
		if m.nc == nil {
			m.connect()
		}
		if resp := m.connEvent(name, addr, port, fam, cache.eval(m, func(x *Macros) string { return x.Conn })); resp != "" {
			return resp
		}
	}
	return ""
}

// HeloEvent reports HELO/EHLO.
func (ms *Milters) HeloEvent(helo string, esmtp bool) string {
	return ms.each(func(x *Macros) string { return x.Helo }, func(m *milter8, mac []string) string {
		return m.heloEvent(helo, mac)
	})
}

// MailEvent reports MAIL FROM: args[0] is "<sender>", the rest the ESMTP
// parameters.
func (ms *Milters) MailEvent(args []string) string {
	return ms.each(func(x *Macros) string { return x.Mail }, func(m *milter8, mac []string) string {
		return m.mailEvent(args, mac)
	})
}

// RcptEvent reports RCPT TO (args as for MailEvent). With
// FlagWantRcptRej only milters that asked for rejected recipients see it.
func (ms *Milters) RcptEvent(flags int, args []string) string {
	cache := macroCache{ms: ms}
	for _, m := range ms.list {
		if flags&FlagWantRcptRej != 0 && !m.wantRcptRej {
			continue
		}
		if resp := m.rcptEvent(args, cache.eval(m, func(x *Macros) string { return x.Rcpt })); resp != "" {
			return resp
		}
	}
	return ""
}

// DataEvent reports the DATA command.
func (ms *Milters) DataEvent() string {
	return ms.each(func(x *Macros) string { return x.Data }, func(m *milter8, mac []string) string {
		return m.dataEvent(mac)
	})
}

// UnknownEvent reports a command smtpd does not know.
func (ms *Milters) UnknownEvent(command string) string {
	return ms.each(func(x *Macros) string { return x.Unk }, func(m *milter8, mac []string) string {
		return m.unknownEvent(command, mac)
	})
}

// OtherEvent returns the first persistent reply (for commands milters
// don't see, such as VRFY after a connect-level reject).
func (ms *Milters) OtherEvent() string {
	for _, m := range ms.list {
		if m.defReply != "" {
			return m.defReply
		}
	}
	return ""
}

// Abort cancels the current message (SMFIC_ABORT) at each milter.
func (ms *Milters) Abort() {
	for _, m := range ms.list {
		m.abort()
	}
}

// DiscEvent ends the session: QUIT where due, then the connection closes.
func (ms *Milters) DiscEvent() {
	for _, m := range ms.list {
		m.discEvent()
	}
}
