// Package msg is the diagnostics layer shared by every program: the
// equivalent of Postfix's msg(3) family (msg_info, msg_warn, msg_error,
// msg_fatal, msg_panic) with pluggable outputs, like msg_output(3).
//
// A Logger is created in main and passed down; library code that only needs
// to report warnings takes a *Logger (or nil, which discards). Text is
// formatted the way Postfix formats it: "warning: ", "error: ", "fatal: "
// and "panic: " prefixes, no prefix for informational messages. Each Sink
// adds its own framing: the stderr sink writes "prog: warning: text", the
// syslog sink lets syslog add "postfix/prog[pid]: ".
package msg

import (
	"fmt"
	"os"
	"sync"
)

// Level is the severity of a message, in Postfix's order.
type Level int

const (
	Info Level = iota
	Warning
	Error
	Fatal
	Panic
)

// Prefix returns the text Postfix puts before a message of this level.
func (l Level) Prefix() string {
	switch l {
	case Warning:
		return "warning: "
	case Error:
		return "error: "
	case Fatal:
		return "fatal: "
	case Panic:
		return "panic: "
	}
	return ""
}

// Sink receives every message a Logger emits. text carries no level prefix
// and no trailing newline.
type Sink interface {
	Emit(level Level, text string)
}

// maxErrors is the number of Error calls after which Postfix gives up
// ("too many errors - program terminated").
const maxErrors = 13

// Logger fans messages out to its sinks. It is safe for concurrent use.
type Logger struct {
	mu      sync.Mutex
	sinks   []Sink
	errors  int
	Verbose int // number of -v flags, as msg_verbose

	// Printable replaces every byte of message text outside printable
	// ASCII with '?', as Postfix's msg_text does before any output
	// (printable(3) without UTF-8 support).
	Printable bool
	// PrintableUTF8 makes Printable keep UTF-8 sequences, as printable(3)
	// does when util_utf8_enable (smtputf8_enable) is set.
	PrintableUTF8 bool

	// Exit ends the program after a fatal or panic message; os.Exit by
	// default, replaced by tests.
	Exit func(code int)
}

// New returns a Logger writing to the given sinks.
func New(sinks ...Sink) *Logger {
	return &Logger{sinks: sinks, Exit: os.Exit}
}

// AddSink adds an output, as msg_syslog_init next to msg_vstream_init.
func (l *Logger) AddSink(s Sink) {
	l.mu.Lock()
	l.sinks = append(l.sinks, s)
	l.mu.Unlock()
}

// SetSinks replaces all outputs.
func (l *Logger) SetSinks(s ...Sink) {
	l.mu.Lock()
	l.sinks = s
	l.mu.Unlock()
}

func (l *Logger) emit(level Level, format string, args []any) {
	if l == nil {
		return
	}
	text := format
	if len(args) > 0 {
		text = fmt.Sprintf(format, args...)
	}
	if l.Printable && l.PrintableUTF8 {
		text = printableUTF8(text)
	} else if l.Printable {
		text = printable(text)
	}
	l.mu.Lock()
	sinks := l.sinks
	l.mu.Unlock()
	for _, s := range sinks {
		s.Emit(level, text)
	}
}

// Printf logs text at level without that level's side effects: no error
// count, no exit after fatal or panic (Postfix's msg_printf).
func (l *Logger) Printf(level Level, format string, args ...any) { l.emit(level, format, args) }

// Infof logs an informational message (no prefix).
func (l *Logger) Infof(format string, args ...any) { l.emit(Info, format, args) }

// Debugf logs an informational message only when verbose logging is on.
func (l *Logger) Debugf(format string, args ...any) {
	if l != nil && l.Verbose > 0 {
		l.emit(Info, format, args)
	}
}

// Warnf logs a "warning: " message.
func (l *Logger) Warnf(format string, args ...any) { l.emit(Warning, format, args) }

// Errorf logs an "error: " message; too many of them terminate the program.
func (l *Logger) Errorf(format string, args ...any) {
	l.emit(Error, format, args)
	if l == nil {
		return
	}
	l.mu.Lock()
	l.errors++
	n := l.errors
	l.mu.Unlock()
	if n >= maxErrors {
		l.Fatalf("too many errors - program terminated")
	}
}

// Fatalf logs a "fatal: " message and exits with status 1.
func (l *Logger) Fatalf(format string, args ...any) { l.FatalStatusf(1, format, args...) }

// FatalStatusf logs a "fatal: " message and exits with the given status.
func (l *Logger) FatalStatusf(status int, format string, args ...any) {
	l.emit(Fatal, format, args)
	l.exit(status)
}

// Panicf logs a "panic: " message and exits with status 2 (Postfix aborts).
func (l *Logger) Panicf(format string, args ...any) {
	l.emit(Panic, format, args)
	l.exit(2)
}

func (l *Logger) exit(status int) {
	if l == nil || l.Exit == nil {
		os.Exit(status)
	}
	l.Exit(status)
}

// Discard returns a Logger without sinks whose fatal errors panic, for
// library tests that do not care about diagnostics.
func Discard() *Logger {
	return &Logger{Exit: func(code int) { panic(fmt.Sprintf("msg: exit %d", code)) }}
}

// printable replaces bytes outside ' '..'~' with '?'.
// PrintableText replaces every byte outside printable ASCII with '?'
// (printable(3) without UTF-8 support).
func PrintableText(s string) string { return printable(s) }

// printableUTF8 is printable(3) with util_utf8_enable: a byte 194..254
// followed by continuation bytes is kept with them, other non-ASCII and
// control bytes become '?'.
func printableUTF8(s string) string {
	b := []byte(s)
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c >= ' ' && c <= '~':
		case c >= 194 && c <= 254 && i+1 < len(b) && b[i+1] >= 128 && b[i+1] < 192:
			for i+1 < len(b) && b[i+1] >= 128 && b[i+1] < 192 {
				i++
			}
		default:
			b[i] = '?'
		}
	}
	return string(b)
}

func printable(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c < ' ' || c > '~' {
			b[i] = '?'
		}
	}
	return string(b)
}
