package milter

import (
	"strings"
	"time"

	"gopostfix/libglobal/util/msg"
)

// Params reads main.cf parameters; a bad value is the reader's problem
// (the daemons' accessors end the process as Postfix's get_mail_conf_*
// do).
type Params interface {
	Str(name string) string
	Time(name string) time.Duration
	Bool(name string) bool
	Int(name string) int
}

// ConfigFrom reads the settings smtpd and cleanup pass to milter_create:
// the timeouts, milter_protocol, milter_default_action, the per-stage
// macro lists (milter_connect_macros ... milter_unknown_command_macros),
// milter_macro_defaults, soft_bounce and the content limits. names is
// the milter list (smtpd_milters, a smtpd_milter_maps result,
// non_smtpd_milters).
func ConfigFrom(p Params, names string, log *msg.Logger) Config {
	return Config{
		Names:         names,
		ConnTimeout:   p.Time("milter_connect_timeout"),
		CmdTimeout:    p.Time("milter_command_timeout"),
		MsgTimeout:    p.Time("milter_content_timeout"),
		Protocol:      p.Str("milter_protocol"),
		DefaultAction: p.Str("milter_default_action"),
		Macros: Macros{
			Conn: p.Str("milter_connect_macros"),
			Helo: p.Str("milter_helo_macros"),
			Mail: p.Str("milter_mail_macros"),
			Rcpt: p.Str("milter_rcpt_macros"),
			Data: p.Str("milter_data_macros"),
			EOH:  p.Str("milter_end_of_header_macros"),
			EOD:  p.Str("milter_end_of_data_macros"),
			Unk:  p.Str("milter_unknown_command_macros"),
		},
		MacroDefaults: p.Str("milter_macro_defaults"),
		SoftBounce:    p.Bool("soft_bounce"),
		LineLimit:     p.Int("line_length_limit"),
		HeaderLimit:   p.Int("header_size_limit"),
		Log:           log,
	}
}

// HostMacro is the value of the "{_}" macro for a client: its verified
// name and address, "reverse [addr]", with " (may be forged)" when the
// verified name differs from the reverse one.
func HostMacro(name, reverse, addr string) string {
	s := reverse + " [" + addr + "]"
	if !strings.EqualFold(name, reverse) {
		s += " (may be forged)"
	}
	return s
}
