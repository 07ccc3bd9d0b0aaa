package main

import (
	"bytes"
	"testing"
	"time"

	"gopostfix/libglobal/util/msg"
)

func TestEntryEncoding(t *testing.T) {
	c := &cache{label: "smtpd", timeout: time.Hour, log: msg.Discard()}
	// The layout the real 3.7.11 tlsmgr writes (tests/interop2 compares
	// the files): 8-byte little-endian time, then the session, in hex.
	v := encode(time.Unix(0x01020304, 0), []byte("hello session"))
	if v != "0403020100000000"+"68656C6C6F2073657373696F6E" {
		t.Fatalf("encoded %s", v)
	}
	if _, ok := c.decode("abc", v); ok {
		t.Errorf("an entry from 1970 outlived a one-hour timeout")
	}
	fresh := encode(time.Now(), []byte{0, 1, 2})
	if s, ok := c.decode("x", fresh); !ok || !bytes.Equal(s, []byte{0, 1, 2}) {
		t.Errorf("decode: %v %v", s, ok)
	}
	for _, bad := range []string{"12", "ZZZZZZZZZZZZZZZZZZ"} {
		if _, ok := c.decode("x", bad); ok {
			t.Errorf("decode accepted %q", bad)
		}
	}
}

func TestTicketKeys(t *testing.T) {
	var ks ticketKeys
	k1, ok := ks.get(nil, 3600)
	if !ok {
		t.Fatal("no key")
	}
	if k2, _ := ks.get(nil, 3600); k2 != k1 {
		t.Errorf("a second request made a new key")
	}
	if k, ok := ks.get(k1.name(), 3600); !ok || k != k1 {
		t.Errorf("key not found by name")
	}
	if _, ok := ks.get(bytes.Repeat([]byte{'x'}, ticketNameLen), 3600); ok {
		t.Errorf("unknown name found")
	}
	// An expired encryption key is replaced and kept for decryption.
	copy(k1[ticketKeySize-8:], []byte{1, 0, 0, 0, 0, 0, 0, 0})
	k3, _ := ks.get(nil, 3600)
	if k3 == k1 || ks[1] != k1 {
		t.Errorf("no rotation")
	}
}
