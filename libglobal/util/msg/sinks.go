package msg

import (
	"io"
	"strings"
	"sync"
)

// WriterSink writes "prog: warning: text\n" lines, as Postfix's
// msg_vstream output does on stderr.
type WriterSink struct {
	mu   sync.Mutex
	Prog string
	W    io.Writer
}

// NewWriterSink returns a sink that writes to w with the program name prog.
func NewWriterSink(prog string, w io.Writer) *WriterSink {
	return &WriterSink{Prog: prog, W: w}
}

// Emit implements Sink.
func (s *WriterSink) Emit(level Level, text string) {
	var b strings.Builder
	b.WriteString(s.Prog)
	b.WriteString(": ")
	b.WriteString(level.Prefix())
	b.WriteString(text)
	b.WriteByte('\n')
	s.mu.Lock()
	io.WriteString(s.W, b.String())
	s.mu.Unlock()
}

// Capture is a Sink that keeps messages in memory, for tests.
type Capture struct {
	mu    sync.Mutex
	Lines []string
}

// Emit implements Sink.
func (c *Capture) Emit(level Level, text string) {
	c.mu.Lock()
	c.Lines = append(c.Lines, level.Prefix()+text)
	c.mu.Unlock()
}

// String returns all captured lines, newline-terminated.
func (c *Capture) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.Lines) == 0 {
		return ""
	}
	return strings.Join(c.Lines, "\n") + "\n"
}
