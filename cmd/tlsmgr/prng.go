package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"

	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/util/msg"
)

// prngExchSize is TLS_PRNG_EXCH_SIZE.
const prngExchSize = 1024

// prngExchange is the PRNG exchange file shared by the TLS programs.
type prngExchange struct {
	f    *os.File
	name string
}

func openExchange(name string) (*prngExchange, error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("tls_prng_exch_open: cannot open PRNG exchange file %s: %s", name, queue.Strerror(err))
	}
	return &prngExchange{f: f, name: name}, nil
}

// update replaces the file's content with fresh random bytes under an
// exclusive lock (tls_prng_exch_update). Problems are fatal.
func (p *prngExchange) update(log *msg.Logger) {
	fd := int(p.f.Fd())
	if err := queue.LockFile(p.f, queue.LockExclusive); err != nil {
		log.Fatalf("cannot lock PRNG exchange file %s: %s", p.name, queue.Strerror(err))
	}
	buf := make([]byte, prngExchSize)
	// The old content would seed OpenSSL's generator; Go's needs none,
	// but a read error is still fatal.
	if _, err := p.f.ReadAt(buf, 0); err != nil && !errors.Is(err, io.EOF) {
		log.Fatalf("cannot read PRNG exchange file %s: %s", p.name, queue.Strerror(err))
	}
	rand.Read(buf)
	if n, err := syscall.Pwrite(fd, buf, 0); err != nil || n != len(buf) {
		log.Fatalf("cannot write PRNG exchange file %s: %s", p.name, queue.Strerror(err))
	}
	if err := queue.UnlockFile(p.f); err != nil {
		log.Fatalf("cannot unlock PRNG exchange file %s: %s", p.name, queue.Strerror(err))
	}
}
