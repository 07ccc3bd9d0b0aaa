package milter

import (
	"fmt"
	"strings"
	"time"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// Macros are the milter_*_macros parameter values: per protocol stage, a
// list of macro names separated by commas or white space. A name may be
// written "x" or "{x}"; the lookup callback always gets the "{x}" form,
// the milter gets the name as written.
type Macros struct {
	Conn, Helo, Mail, Rcpt, Data, EOH, EOD, Unk string
}

// DefaultMacros are the Postfix 3.7 defaults of the milter_*_macros
// parameters.
var DefaultMacros = Macros{
	Conn: "j {daemon_name} {daemon_addr} v _",
	Helo: "{tls_version} {cipher} {cipher_bits} {cert_subject} {cert_issuer}",
	Mail: "i {auth_type} {auth_authen} {auth_author} {mail_addr} {mail_host} {mail_mailer}",
	Rcpt: "i {rcpt_addr} {rcpt_host} {rcpt_mailer}",
	Data: "i",
	EOH:  "i",
	EOD:  "i",
	Unk:  "",
}

// Config is what the caller read from main.cf (and master.cf -o).
type Config struct {
	// Names is smtpd_milters or non_smtpd_milters: milter addresses
	// ("inet:host:port", "unix:/path", "local:/path") separated by commas
	// or white space, each optionally as "{ address, name = value, ... }"
	// with per-milter connect_timeout, command_timeout, content_timeout,
	// protocol, default_action.
	Names string
	// ConnTimeout, CmdTimeout, MsgTimeout are milter_connect_timeout,
	// milter_command_timeout, milter_content_timeout.
	ConnTimeout, CmdTimeout, MsgTimeout time.Duration
	// Protocol is milter_protocol, DefaultAction milter_default_action.
	Protocol, DefaultAction string
	// Macros are the milter_*_macros values.
	Macros Macros
	// MacroDefaults is milter_macro_defaults.
	MacroDefaults string
	// SoftBounce is soft_bounce: 5xx replies from milters become 4xx.
	SoftBounce bool
	// LineLimit is line_length_limit (body replacement lines longer
	// than this reach the Editor in pieces); 0 means 2048.
	LineLimit int
	// HeaderLimit is header_size_limit; 0 means 102400.
	HeaderLimit int
	// Log receives the warnings; nil discards them.
	Log *msg.Logger
}

// milterSpec is one parsed entry of Config.Names.
type milterSpec struct {
	name                    string
	conn, cmd, msg          time.Duration
	protocol, defaultAction string
}

// parseNames splits Config.Names into milters with their own settings, as
// milter_new does. The errors carry the texts Postfix makes fatal.
func parseNames(cfg *Config) ([]milterSpec, error) {
	var out []milterSpec
	for _, tok := range dict.TokensQ(cfg.Names, dict.CommaSpace, "{}") {
		sp := milterSpec{name: tok, conn: cfg.ConnTimeout, cmd: cfg.CmdTimeout, msg: cfg.MsgTimeout,
			protocol: cfg.Protocol, defaultAction: cfg.DefaultAction}
		if tok[0] == '{' {
			inner, errText := dict.ExtPar(tok, "{}", false)
			if errText != "" {
				return nil, fmt.Errorf("milter service syntax error: %s", errText)
			}
			words := dict.TokensQ(inner, dict.CommaSpace, "{}")
			if len(words) == 0 {
				return nil, fmt.Errorf("empty milter definition: \"%s\"", cfg.Names)
			}
			sp.name = firstWord(inner)
			rest := strings.TrimLeft(inner, dict.CommaSpace)[len(sp.name):]
			if err := sp.override(rest); err != nil {
				return nil, err
			}
		}
		out = append(out, sp)
	}
	return out, nil
}

// firstWord is mystrtok's first token of s.
func firstWord(s string) string {
	s = strings.TrimLeft(s, dict.CommaSpace)
	if i := strings.IndexAny(s, dict.CommaSpace); i >= 0 {
		return s[:i]
	}
	return s
}

// override applies "name = value" settings (attr_override).
func (sp *milterSpec) override(text string) error {
	for _, nv := range dict.TokensQ(text, dict.CommaSpace, "{}") {
		if nv[0] == '{' {
			inner, errText := dict.ExtPar(nv, "{}", false)
			if errText != "" {
				return fmt.Errorf("%s in \"%s\"", errText, inner)
			}
			nv = inner
		}
		key, value, err := mailconf.SplitNameValue(nv)
		if err != nil {
			return fmt.Errorf("malformed option: %s: \"...%s...\"", err, nv)
		}
		switch key {
		case "protocol", "default_action":
			if value == "" {
				return fmt.Errorf("bad parameter value: %s = %s", key, value)
			}
			if key == "protocol" {
				sp.protocol = value
			} else {
				sp.defaultAction = value
			}
		case "connect_timeout", "command_timeout", "content_timeout":
			secs, ok := mailconf.ConvTime(value, 's')
			if !ok {
				return fmt.Errorf("%s: bad time value or unit: %s", key, value)
			}
			if secs < 1 {
				return fmt.Errorf("invalid %s parameter value %d < %d", key, secs, 1)
			}
			d := time.Duration(secs) * time.Second
			switch key {
			case "connect_timeout":
				sp.conn = d
			case "command_timeout":
				sp.cmd = d
			default:
				sp.msg = d
			}
		default:
			return fmt.Errorf("unknown option: \"%s = %s\"", key, value)
		}
	}
	return nil
}

// macroDefault is one milter_macro_defaults entry, name in "{x}" form.
type macroDefault struct{ name, value string }

// parseMacroDefaults reads milter_macro_defaults: "name=value" or
// "{ name = value }" entries, names canonicalized to "{name}". A repeated
// name is warned about and ignored.
func parseMacroDefaults(text string, log *msg.Logger) ([]macroDefault, error) {
	var out []macroDefault
	seen := map[string]bool{}
	for _, nv := range dict.TokensQ(text, dict.CommaSpace, "{}") {
		if n := dict.BalPar(nv, "{}"); nv[0] == '{' && !(n > 0 && n < len(nv) && nv[n] == '=') {
			inner, errText := dict.ExtPar(nv, "{}", false)
			if errText != "" {
				return nil, fmt.Errorf("malformed default macro entry: %s in \"%s\"", errText, text)
			}
			nv = inner
		}
		name, value, err := mailconf.SplitNameValue(nv)
		if err != nil {
			return nil, fmt.Errorf("malformed default macro entry: %s in \"%s\"", err, text)
		}
		if name[0] != '{' {
			name = "{" + name + "}"
		}
		if seen[name] {
			log.Warnf("ignoring multiple default macro entries for %s in \"%s\"", name, text)
			continue
		}
		seen[name] = true
		out = append(out, macroDefault{name, value})
	}
	return out, nil
}
