package main

import (
	"crypto/rand"
	"encoding/binary"
	"time"
)

// Session ticket key sizes (tls_scache.h).
const (
	ticketNameLen = 16
	ticketKeyLen  = 32
	ticketMACLen  = 32
	ticketKeySize = ticketNameLen + ticketKeyLen + ticketMACLen + 8
)

// ticketKey is TLS_TICKET_KEY in its wire form: name, AES key, HMAC key
// and the expiry time (8 bytes, host order).
type ticketKey [ticketKeySize]byte

func (k *ticketKey) name() []byte { return k[:ticketNameLen] }

func (k *ticketKey) expiry() int64 {
	return int64(binary.LittleEndian.Uint64(k[ticketKeySize-8:]))
}

// ticketKeys are the current key and the one before it.
type ticketKeys [2]*ticketKey

// find is tls_scache_key: with no name the current key while it may
// still encrypt; with a name the matching key while it may still
// decrypt (timeout past its expiry).
func (ks *ticketKeys) find(name []byte, now, timeout int64) *ticketKey {
	if name != nil {
		for _, k := range ks {
			if k == nil {
				break
			}
			if string(k.name()) == string(name) {
				if k.expiry()+timeout > now {
					return k
				}
				break
			}
		}
		return nil
	}
	if ks[0] != nil && ks[0].expiry() > now {
		return ks[0]
	}
	return nil
}

// get is tlsmgr_key: each key encrypts for half the session timeout and
// decrypts for another half. nil name asks for the encryption key,
// made when there is none.
func (ks *ticketKeys) get(name []byte, timeout int64) (*ticketKey, bool) {
	now := time.Now().Unix()
	timeout /= 2
	if k := ks.find(name, now, timeout); k != nil {
		return k, true
	}
	if name != nil {
		return nil, false
	}
	k := new(ticketKey)
	if _, err := rand.Read(k[:ticketKeySize-8]); err != nil {
		return nil, false
	}
	binary.LittleEndian.PutUint64(k[ticketKeySize-8:], uint64(now+timeout-1))
	ks[1], ks[0] = ks[0], k
	return k, true
}
