package smtpd

import "strings"

// Command flags.
const (
	cmdLimit  = 1 << iota // counts toward smtpd_junk_command_limit
	cmdPreTLS             // allowed before STARTTLS when TLS is enforced
	cmdLast               // must be last in a pipelined group
)

type command struct {
	name   string
	action func(*Session, []token) bool
	flags  int
}

// commands is Postfix's command table, in the order of the disconnect
// statistics.
// numCommands is the size of the command table.
const numCommands = 15

var commands = [numCommands]command{
	{"HELO", (*Session).heloCmd, cmdLimit | cmdPreTLS | cmdLast},
	{"EHLO", (*Session).ehloCmd, cmdLimit | cmdPreTLS | cmdLast},
	{"XCLIENT", (*Session).xclientCmd, cmdPreTLS},
	{"XFORWARD", (*Session).xforwardCmd, 0},
	{"STARTTLS", (*Session).starttlsCmd, cmdPreTLS},
	{"AUTH", (*Session).authCmd, 0},
	{"MAIL", (*Session).mailCmd, 0},
	{"RCPT", (*Session).rcptCmd, 0},
	{"DATA", (*Session).dataCmd, cmdLast},
	{"BDAT", (*Session).bdatCmd, 0},
	{"RSET", (*Session).rsetCmd, cmdLimit},
	{"NOOP", (*Session).noopCmd, cmdLimit | cmdPreTLS | cmdLast},
	{"VRFY", (*Session).vrfyCmd, cmdLimit | cmdLast},
	{"ETRN", (*Session).etrnCmd, cmdLimit},
	{"QUIT", (*Session).quitCmd, cmdPreTLS},
}

// lookupCommand returns the table index of name, or len(commands).
func lookupCommand(name string) int {
	for i := range commands {
		if strings.EqualFold(commands[i].name, name) {
			return i
		}
	}
	return len(commands)
}

func (ss *Session) rsetCmd(argv []token) bool {
	if len(argv) != 1 {
		ss.fail(errProtocol, "501 5.5.4 Syntax: RSET")
		return false
	}
	ss.chatReset(ss.cfg.HistThreshold)
	ss.mailReset()
	ss.reply("250 2.0.0 Ok")
	return true
}

func (ss *Session) noopCmd(argv []token) bool {
	ss.reply("250 2.0.0 Ok")
	return true
}

func (ss *Session) quitCmd(argv []token) bool {
	ss.reply("221 2.0.0 Bye")
	return true
}

// collapse joins arguments 1.. with single spaces, as Postfix does for
// HELO/EHLO/VRFY with several words.
func collapse(argv []token) string {
	parts := make([]string, 0, len(argv)-1)
	for _, t := range argv[1:] {
		parts = append(parts, t.val)
	}
	return strings.Join(parts, " ")
}

// stringListMatch matches a word against a string list whose elements are
// words (case-insensitive) or lookup tables (Postfix's string_list). A
// "!" prefix negates an element.
func (ss *Session) stringListMatch(list []string, word string) bool {
	for _, pat := range list {
		neg := false
		for strings.HasPrefix(pat, "!") {
			neg = !neg
			pat = pat[1:]
		}
		hit := false
		if strings.Contains(pat, ":") && !strings.HasPrefix(pat, "[") {
			if ss.deps.OpenTable == nil {
				continue
			}
			t, err := ss.deps.OpenTable(pat)
			if err != nil {
				ss.log.Warnf("%s: %v", pat, err)
				continue
			}
			_, hit, err = t.Lookup(word)
			if err != nil {
				panic(abortData)
			}
		} else {
			hit = strings.EqualFold(pat, word)
		}
		if hit {
			return !neg
		}
	}
	return false
}
