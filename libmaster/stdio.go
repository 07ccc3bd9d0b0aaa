package libmaster

import (
	"net"
	"os"
	"time"
)

// stdConn is the -S stand-alone "connection": standard input and output.
type stdConn struct {
	in, out *os.File
}

func stdioConn() net.Conn { return &stdConn{in: os.Stdin, out: os.Stdout} }

func (c *stdConn) Read(p []byte) (int, error)  { return c.in.Read(p) }
func (c *stdConn) Write(p []byte) (int, error) { return c.out.Write(p) }
func (c *stdConn) Close() error                { return nil }
func (c *stdConn) LocalAddr() net.Addr         { return stdAddr{} }
func (c *stdConn) RemoteAddr() net.Addr        { return stdAddr{} }

// Deadlines are not supported on arbitrary standard input; stand-alone
// mode is for testing by hand.
func (c *stdConn) SetDeadline(time.Time) error      { return nil }
func (c *stdConn) SetReadDeadline(time.Time) error  { return nil }
func (c *stdConn) SetWriteDeadline(time.Time) error { return nil }

type stdAddr struct{}

func (stdAddr) Network() string { return "stdio" }
func (stdAddr) String() string  { return "stdin" }
