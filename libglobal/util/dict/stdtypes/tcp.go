package stdtypes

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"time"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/stringops"
)

// tcpDict is the tcp: client (dict_tcp.c): "get KEY\n" with whitespace,
// '%' and unprintable bytes %XX-encoded; replies "200 value", "500 text"
// (not found), "400 text" (try again).
type tcpDict struct {
	dict.Base
	conn  net.Conn
	rd    *bufio.Reader
	sleep func(time.Duration)
}

func openTCP(req dict.OpenRequest) (dict.Dict, error) {
	if req.Flags&dict.FlagNoUnauth != 0 {
		return nil, dict.Configf("%s:%s map is not allowed for security sensitive data", req.Type, req.Name)
	}
	if err := requireReadOnly(req); err != nil {
		return nil, err
	}
	d := &tcpDict{sleep: time.Sleep}
	d.Init(req, dict.FlagPattern)
	d.SetOwner(dict.Owner{Status: dict.OwnerUnknown, UID: ^uint32(0)})
	return d, nil
}

// hexQuote encodes a key for the tcp protocol (hex_quote).
func hexQuote(s string) string { return stringops.HexQuote(s, '%', "") }

// hexUnquote decodes %XX sequences; ok is false for a malformed one
// (hex_unquote).
func hexUnquote(s string) (string, bool) { return stringops.HexUnquote(s, '%') }

func (d *tcpDict) disconnect() {
	if d.conn != nil {
		d.conn.Close()
		d.conn, d.rd = nil, nil
	}
}

// readLine reads one reply line of at most tcpMaxLen bytes; last is '\n'
// on success, -1 at EOF, or 0 when the line was too long.
func (d *tcpDict) readLine() (line string, last int) {
	var b strings.Builder
	for b.Len() < tcpMaxLen {
		c, err := d.rd.ReadByte()
		if err != nil {
			return b.String(), -1
		}
		if c == '\n' {
			return b.String(), '\n'
		}
		b.WriteByte(c)
	}
	return b.String(), 0
}

func (d *tcpDict) Lookup(key string) (string, bool, error) {
	if d.Flags()&dict.FlagFoldMul != 0 {
		key = dict.ASCIILower(key)
	}
	var reply string
	for tries := 0; ; {
		if d.conn == nil {
			c, err := net.DialTimeout("tcp", d.Name(), tcpTimeout)
			if err != nil {
				d.Log().Warnf("connect to TCP map %s: %s", d.Name(), dict.ErrnoOf(err))
			} else {
				d.conn, d.rd = c, bufio.NewReader(c)
			}
		}
		if d.conn != nil {
			d.conn.SetDeadline(time.Now().Add(tcpTimeout))
			fmt.Fprintf(d.conn, "get %s\n", hexQuote(key))
			line, last := d.readLine()
			if last == '\n' {
				reply = line
				break
			}
			if last < 0 {
				d.Log().Warnf("read TCP map reply from %s: unexpected EOF (%s)", d.Name(), "Success")
			} else {
				d.Log().Warnf("read TCP map reply from %s: text longer than %d", d.Name(), tcpMaxLen)
			}
			d.disconnect()
		}
		if tries++; tries >= tcpMaxTries {
			return "", false, dict.Retryf("tcp:%s: no usable reply", d.Name())
		}
		d.sleep(time.Second)
	}
	malformed := len(reply) < 4 || !isDigit(reply[0]) || !isDigit(reply[1]) || !isDigit(reply[2]) || !isSpaceByte(reply[3])
	var value string
	if !malformed {
		var ok bool
		value, ok = hexUnquote(reply[4:])
		malformed = !ok
	}
	if malformed {
		d.Log().Warnf("read TCP map reply from %s: malformed reply: %.100s", d.Name(), printableUnderscore(reply))
		d.disconnect()
		return "", false, dict.Retryf("tcp:%s: malformed reply", d.Name())
	}
	switch reply[0] {
	case '2':
		return value, true, nil
	case '5':
		return "", false, nil
	case '4':
		d.disconnect()
		return "", false, dict.Retryf("tcp:%s: soft error", d.Name())
	}
	d.Log().Warnf("read TCP map reply from %s: bad status code: %.100s", d.Name(), printableUnderscore(reply))
	d.disconnect()
	return "", false, dict.Retryf("tcp:%s: bad status code", d.Name())
}

func (d *tcpDict) Close() error {
	d.disconnect()
	return nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// printableUnderscore replaces unprintable bytes with '_'.
func printableUnderscore(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == '\uFFFD' {
			return '_'
		}
		return r
	}, s)
}
