package sasl

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"gopostfix/libglobal/util/syserr"
)

// DefaultSaslauthdPath is libsasl2's saslauthd socket when the
// configuration names none (saslauthd_path).
const DefaultSaslauthdPath = "/var/run/saslauthd/mux"

// saslauthdMaxRequest is the size of libsasl2's request buffer, of which
// 30 bytes are held back.
const saslauthdMaxRequest = 8192 - 30

// saslauthdMaxReply is libsasl2's reply buffer less the NUL.
const saslauthdMaxReply = 1023

// SaslauthdError is a failure to get an answer from saslauthd; Text is
// what libsasl2 logs for it.
type SaslauthdError struct {
	Text string
	Err  error
}

func (e *SaslauthdError) Error() string { return e.Text }
func (e *SaslauthdError) Unwrap() error { return e.Err }

// SaslauthdRequest encodes one query: login, password, service and
// realm, each as a two-byte big-endian length and the bytes. It fails
// when a field or the whole is longer than libsasl2 sends.
func SaslauthdRequest(login, password, service, realm string) ([]byte, error) {
	fields := []string{login, password, service, realm}
	total := 0
	for _, f := range fields {
		total += len(f)
	}
	if total > saslauthdMaxRequest {
		return nil, &SaslauthdError{Text: "saslauthd request too large"}
	}
	b := make([]byte, 0, 8+total)
	for _, f := range fields {
		b = binary.BigEndian.AppendUint16(b, uint16(len(f)))
		b = append(b, f...)
	}
	return b, nil
}

// ReadSaslauthdReply reads a two-byte big-endian count and that many
// bytes (at most 1023 are kept, as libsasl2 does) and reports whether
// the answer starts with "OK".
func ReadSaslauthdReply(r io.Reader) (ok bool, text string, err error) {
	var n [2]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return false, "", &SaslauthdError{Text: "size read failed", Err: err}
	}
	count := int(binary.BigEndian.Uint16(n[:]))
	if count < 2 {
		return false, "", &SaslauthdError{Text: "bad response from saslauthd"}
	}
	count = min(count, saslauthdMaxReply)
	buf := make([]byte, count)
	if _, err := io.ReadFull(r, buf); err != nil {
		return false, "", &SaslauthdError{Text: "read failed", Err: err}
	}
	return string(buf[:2]) == "OK", string(buf), nil
}

// SaslauthdVerify asks the saslauthd at socket path whether password is
// right for login in realm, for service; one connection per question,
// as libsasl2 does. A nil error with ok false is saslauthd's "NO".
func SaslauthdVerify(path, login, password, service, realm string, timeout time.Duration) (ok bool, err error) {
	req, err := SaslauthdRequest(login, password, service, realm)
	if err != nil {
		return false, err
	}
	c, err := net.DialTimeout("unix", path, timeout)
	if err != nil {
		return false, &SaslauthdError{Text: "cannot connect to saslauthd server: " + syserr.Of(err), Err: err}
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(timeout))
	if _, err := c.Write(req); err != nil {
		return false, &SaslauthdError{Text: "write failed", Err: err}
	}
	ok, _, err = ReadSaslauthdReply(c)
	if err != nil {
		return false, fmt.Errorf("saslauthd %s: %w", path, err)
	}
	return ok, nil
}

// saslauthdText is the text libsasl2 logs for a saslauthd failure.
func saslauthdText(err error) string {
	var se *SaslauthdError
	if errors.As(err, &se) {
		return se.Text
	}
	return err.Error()
}
