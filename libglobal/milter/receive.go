package milter

import (
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"gopostfix/libglobal/util/attr"
)

// oneByte reads one byte per call from a ByteReader, so that a buffered
// reader on top of it never takes more than it needs.
type oneByte struct{ br io.ByteReader }

func (o oneByte) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	b, err := o.br.ReadByte()
	if err != nil {
		return 0, err
	}
	p[0] = b
	return 1, nil
}

// Receive takes over the milters smtpd sent (milter_receive), after the
// cleanup server read the 'm' record with their count. in is the reader
// the records came from (a record.Reader: bytes after the 'm' record may
// already sit in its buffer); c is the same connection, for the replies
// and the descriptors. cfg supplies the logger and limits; the milter
// list, macros and defaults come from smtpd. With count 0 the result is
// an empty list (and cleanup must not use non_smtpd_milters).
func Receive(in io.ByteReader, c *attr.Conn, count int, cfg Config) (*Milters, error) {
	ms := newEmpty(cfg)
	if count <= 0 {
		return ms, nil
	}
	r := attr.NewReader(oneByte{in}, attr.Format0, c.R.Name())
	fail := func(err error) (*Milters, error) {
		ms.Close()
		return nil, fmt.Errorf("receive milters from %s: %w", c.R.Name(), err)
	}
	if _, err := r.Scan(attr.Strict|attr.More, scanMacros(&ms.macros)); err != nil {
		return fail(err)
	}
	var ndef int
	if n, err := r.Scan(attr.Strict|attr.More, attr.RecvInt(attrSize, &ndef)); err != nil || n != 1 {
		return fail(orMissing(err, attrSize))
	}
	if ndef > 0 {
		h := map[string]string{}
		if n, err := r.Scan(attr.Strict|attr.More, attr.RecvHash(h)); err != nil || n != ndef {
			return fail(orMissing(err, "macro defaults"))
		}
		for k, v := range h {
			ms.defaults = append(ms.defaults, macroDefault{k, v})
		}
	}
	for ; count > 0; count-- {
		m, err := receiveOne(r, c, ms)
		if err != nil {
			ms.log.Warnf("cannot receive milters via service %s socket", c.R.Name())
			return fail(err)
		}
		ms.list = append(ms.list, m)
	}
	if err := c.Print(attr.Int(attrStatus, 0)); err != nil {
		return fail(err)
	}
	return ms, nil
}

func orMissing(err error, what string) error {
	if err != nil {
		return err
	}
	return fmt.Errorf("missing %s", what)
}

// receiveOne is milter8_receive.
func receiveOne(r *attr.Reader, c *attr.Conn, ms *Milters) (*milter8, error) {
	var (
		name, action                    string
		version, acts, evts, npts, stat int
		ct, cmt, mst, hasMacros         int
	)
	n, err := r.Scan(attr.Strict|attr.More,
		attr.RecvStr(attrName, &name), attr.RecvInt(attrVersion, &version),
		attr.RecvInt(attrActions, &acts), attr.RecvInt(attrEvents, &evts),
		attr.RecvInt(attrNonEvents, &npts), attr.RecvInt(attrState, &stat),
		attr.RecvInt(attrConnTime, &ct), attr.RecvInt(attrCmdTime, &cmt),
		attr.RecvInt(attrMsgTime, &mst), attr.RecvStr(attrAction, &action),
		attr.RecvInt(attrMacList, &hasMacros))
	if err != nil || n < 10 {
		return nil, orMissing(err, "milter attributes")
	}
	var macros *Macros
	if hasMacros != 0 {
		macros = &Macros{}
		_, err = r.Scan(attr.Strict, scanMacros(macros))
	} else {
		_, err = r.Scan(attr.Strict)
	}
	if err != nil {
		return nil, err
	}
	fd, err := c.RecvFd()
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(fd), name)
	nc, err := net.FileConn(f)
	f.Close()
	if err != nil {
		return nil, err
	}
	if err := c.WriteDummy(); err != nil {
		nc.Close()
		return nil, err
	}
	m := &milter8{
		name: name, connTimeout: time.Duration(ct) * time.Second,
		cmdTimeout: time.Duration(cmt) * time.Second, msgTimeout: time.Duration(mst) * time.Second,
		defAction: action, version: uint32(version), rqMask: uint32(acts), evMask: uint32(evts),
		npMask: uint32(npts), state: stat, macros: macros, wantRcptRej: uint32(evts)&pRcptRej != 0,
		parent: ms, log: ms.log,
	}
	m.attach(nc)
	m.timeout = m.cmdTimeout
	return m, nil
}
