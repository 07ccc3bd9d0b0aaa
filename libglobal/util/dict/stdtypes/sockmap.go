package stdtypes

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"gopostfix/libglobal/util/dict"
)

// Socketmap and tcp client limits (dict_sockmap.c, dict_tcp.c).
const (
	sockmapTimeout  = 100 * time.Second
	sockmapMaxReply = 100000
	tcpTimeout      = 100 * time.Second
	tcpMaxTries     = 10
	tcpMaxLen       = 4096
)

// sockmapDict is a Sendmail socketmap client (dict_sockmap.c):
// "socketmap:inet:host:port:name" or "socketmap:unix:/path:name". Each
// query is the netstring "name key"; the reply netstring is "OK value",
// "NOTFOUND ", "TEMP reason", "TIMEOUT reason" or "PERM reason".
type sockmapDict struct {
	dict.Base
	network, addr, mapName string
	conn                   net.Conn
	rd                     *bufio.Reader
}

func openSocketmap(req dict.OpenRequest) (dict.Dict, error) {
	if err := requireReadOnly(req); err != nil {
		return nil, err
	}
	if req.Flags&dict.FlagNoUnauth != 0 {
		return nil, dict.Configf("%s:%s map is not allowed for security-sensitive data", req.Type, req.Name)
	}
	i := strings.LastIndexByte(req.Name, ':')
	if i < 0 {
		return nil, dict.Configf("%s requires server:socketmap argument", req.Type)
	}
	endpoint, name := req.Name[:i], req.Name[i+1:]
	network, addr, ok := strings.Cut(endpoint, ":")
	if !ok {
		network, addr = "inet", endpoint
	}
	switch network {
	case "inet":
		network = "tcp"
	case "unix":
	default:
		return nil, dict.Configf("%s:%s: unsupported transport type: %s", req.Type, req.Name, network)
	}
	d := &sockmapDict{network: network, addr: addr, mapName: name}
	d.Init(req, dict.FlagPattern)
	d.SetOwner(dict.Owner{Status: dict.OwnerUnknown, UID: ^uint32(0)})
	return d, nil
}

func (d *sockmapDict) connect() error {
	c, err := net.DialTimeout(d.network, d.addr, sockmapTimeout)
	if err != nil {
		return err
	}
	d.conn, d.rd = c, bufio.NewReader(c)
	return nil
}

func (d *sockmapDict) disconnect() {
	if d.conn != nil {
		d.conn.Close()
		d.conn, d.rd = nil, nil
	}
}

// errNetstringEOF is the "unexpected disconnect" of a reused connection,
// which is retried once on a fresh one.
var errNetstringEOF = errors.New("unexpected disconnect")

func (d *sockmapDict) exchange(query string) (string, error) {
	d.conn.SetDeadline(time.Now().Add(sockmapTimeout))
	if _, err := fmt.Fprintf(d.conn, "%d:%s,", len(query), query); err != nil {
		return "", errNetstringEOF
	}
	return readNetstring(d.rd, sockmapMaxReply)
}

// readNetstring reads "LEN:DATA," with Postfix's error texts.
func readNetstring(r *bufio.Reader, limit int) (string, error) {
	lenText, err := r.ReadString(':')
	if err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return "", errors.New("time limit exceeded")
		}
		return "", errNetstringEOF
	}
	n, err := strconv.Atoi(lenText[:len(lenText)-1])
	if err != nil || n < 0 {
		return "", errors.New("input format error")
	}
	if n > limit {
		return "", errors.New("input exceeds size limit")
	}
	buf := make([]byte, n+1)
	if _, err := io.ReadFull(r, buf); err != nil {
		return "", errNetstringEOF
	}
	if buf[n] != ',' {
		return "", errors.New("input format error")
	}
	return string(buf[:n]), nil
}

func (d *sockmapDict) Lookup(key string) (string, bool, error) {
	if d.Flags()&dict.FlagFoldMul != 0 {
		key = dict.ASCIILower(key)
	}
	var reply string
	for tries := 0; ; tries++ {
		if d.conn == nil {
			if err := d.connect(); err != nil {
				d.Log().Warnf("connect to %s: %s", d.addr, dict.ErrnoOf(err))
				d.Log().Warnf("table %s:%s lookup error: %s", d.Type(), d.Name(), dict.ErrnoOf(err))
				return "", false, &dict.Error{Kind: dict.KindRetry, Msg: fmt.Sprintf("table %s:%s lookup error", d.Type(), d.Name()), Err: err}
			}
		}
		var err error
		reply, err = d.exchange(d.mapName + " " + key)
		if err == nil {
			break
		}
		d.disconnect()
		if tries == 0 && err == errNetstringEOF {
			continue
		}
		d.Log().Warnf("table %s:%s lookup error: %s", d.Type(), d.Name(), err)
		return "", false, dict.Retryf("table %s:%s lookup error: %s", d.Type(), d.Name(), err)
	}
	status, payload, _ := strings.Cut(reply, " ")
	var class string
	kind := dict.KindRetry
	switch status {
	case "OK":
		return payload, true, nil
	case "NOTFOUND":
		return "", false, nil
	case "TEMP":
		class = "temporary"
	case "TIMEOUT":
		class = "timeout"
	case "PERM":
		class, kind = "permanent", dict.KindConfig
	default:
		class = "unknown"
	}
	payload = strings.TrimLeft(payload, " \t\r\n\v\f")
	sep := ""
	if payload != "" {
		sep = ": "
		payload = dict.Printable(payload)
		if len(payload) > 200 {
			payload = payload[:200]
		}
	}
	d.Log().Warnf("%s:%s socketmap server %s error%s%s", d.Type(), d.Name(), class, sep, payload)
	return "", false, &dict.Error{Kind: kind, Msg: fmt.Sprintf("%s:%s socketmap server %s error", d.Type(), d.Name(), class)}
}

func (d *sockmapDict) Close() error {
	d.disconnect()
	return nil
}
