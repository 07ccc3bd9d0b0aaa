package main

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"os"
	"time"
)

// relay copies plaintext from the requester into the TLS session and
// decrypted data back, until one side ends. When the requester closes,
// the peer gets a close_notify; when the peer closes or fails, the
// requester's stream is closed. Waiting longer than the session timeout
// (plus ten seconds) for the peer ends the session with Postfix's
// warning; the requester enforces its own, shorter, limits.
func (ss *session) relay(tc *tls.Conn) {
	done := make(chan string, 2)
	go func() {
		done <- ss.pump(ss.plain, tc, true)
	}()
	go func() {
		done <- ss.pump(tc, ss.plain, false)
	}()
	why := <-done
	switch why {
	case "ciphertext timeout":
		ss.s.Log.Warnf("ciphertext read/write timeout for %s", ss.endpoint)
	}
	if why == "plaintext closed" {
		tc.SetWriteDeadline(time.Now().Add(ss.idle))
		tc.CloseWrite()
	}
	tc.Close()
	ss.plain.Close()
	<-done
}

// pump copies from src to dst; fromPlain says which side src is. It
// reports why it stopped.
func (ss *session) pump(src, dst net.Conn, fromPlain bool) string {
	buf := make([]byte, 4096)
	side := "ciphertext"
	if fromPlain {
		side = "plaintext"
	}
	for {
		if !fromPlain {
			src.SetReadDeadline(time.Now().Add(ss.idle))
		}
		n, err := src.Read(buf)
		if n > 0 {
			dst.SetWriteDeadline(time.Now().Add(ss.idle))
			if _, werr := dst.Write(buf[:n]); werr != nil {
				if errors.Is(werr, os.ErrDeadlineExceeded) {
					return other(side) + " timeout"
				}
				return other(side) + " closed"
			}
		}
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return side + " timeout"
			}
			if errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) {
				return side + " closed"
			}
			return side + " error"
		}
	}
}

func other(side string) string {
	if side == "plaintext" {
		return "ciphertext"
	}
	return "plaintext"
}
