package dictproxy

import (
	"bytes"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/dict/stdtypes"
	"gopostfix/libglobal/util/msg"
)

// exchange is one request the fake server expects and its reply, in
// the null-terminated encoding.
type exchange struct{ req, reply string }

// fakeServer announces proxymap_protocol and plays the exchanges on one
// connection.
func fakeServer(t *testing.T, path string, script []exchange) chan string {
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan string, 1)
	go func() {
		defer ln.Close()
		c, err := ln.Accept()
		if err != nil {
			errs <- err.Error()
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		io.WriteString(c, "protocol\x00proxymap_protocol\x00\x00")
		for _, x := range script {
			got := make([]byte, len(x.req))
			if _, err := io.ReadFull(c, got); err != nil || !bytes.Equal(got, []byte(x.req)) {
				errs <- "got " + strconv.Quote(string(got)) + ", want " + strconv.Quote(x.req)
				return
			}
			io.WriteString(c, x.reply)
		}
		errs <- ""
	}()
	return errs
}

func TestProxyRequests(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "private"), 0700)
	flags := dict.FlagDupReplace | dict.FlagSyncUpdate | dict.FlagUTF8Request
	rq := strconv.Itoa(int(flags & dict.FlagRqstMask))
	errs := fakeServer(t, filepath.Join(dir, "private", "proxywrite"), []exchange{
		{"request\x00open\x00table\x00btree:/data/cache\x00flags\x000\x00\x00", "status\x000\x00flags\x00" + strconv.Itoa(int(dict.FlagFixed)) + "\x00\x00"},
		{"request\x00lookup\x00table\x00btree:/data/cache\x00flags\x00" + rq + "\x00key\x00k\x00\x00", "status\x000\x00value\x00v\x00\x00"},
		{"request\x00lookup\x00table\x00btree:/data/cache\x00flags\x00" + rq + "\x00key\x00nokey\x00\x00", "status\x001\x00value\x00\x00\x00"},
		{"request\x00update\x00table\x00btree:/data/cache\x00flags\x00" + rq + "\x00key\x00k\x00value\x00w\x00\x00", "status\x000\x00\x00"},
		{"request\x00delete\x00table\x00btree:/data/cache\x00flags\x00" + rq + "\x00key\x00k\x00\x00", "status\x000\x00\x00"},
		{"request\x00sequence\x00table\x00btree:/data/cache\x00flags\x00" + rq + "\x00function\x000\x00\x00", "status\x000\x00key\x00a\x00value\x00b\x00\x00"},
		{"request\x00sequence\x00table\x00btree:/data/cache\x00flags\x00" + rq + "\x00function\x001\x00\x00", "status\x001\x00key\x00\x00value\x00\x00\x00"},
		{"request\x00lookup\x00table\x00btree:/data/cache\x00flags\x00" + rq + "\x00key\x00r\x00\x00", "status\x002\x00value\x00\x00\x00"},
	})
	reg := dict.NewRegistry(msg.Discard())
	Register(reg, Services{QueueDir: dir, Proxymap: "proxymap", Proxywrite: "proxywrite", Pause: time.Millisecond})
	d, err := reg.Open("proxy:btree:/data/cache", os.O_RDWR|os.O_CREATE, flags)
	if err != nil {
		t.Fatal(err)
	}
	if d.Flags()&dict.FlagFixed == 0 {
		t.Error("the server's table flags were not taken")
	}
	if v, ok, err := d.Lookup("k"); v != "v" || !ok || err != nil {
		t.Errorf("lookup: %q %v %v", v, ok, err)
	}
	if _, ok, err := d.Lookup("nokey"); ok || err != nil {
		t.Errorf("lookup of a missing key: %v %v", ok, err)
	}
	if err := d.Update("k", "w"); err != nil {
		t.Errorf("update: %v", err)
	}
	if ok, err := d.Delete("k"); !ok || err != nil {
		t.Errorf("delete: %v %v", ok, err)
	}
	if k, v, ok, _ := d.Sequence(dict.SeqFirst); k != "a" || v != "b" || !ok {
		t.Errorf("sequence first: %q %q %v", k, v, ok)
	}
	if _, _, ok, _ := d.Sequence(dict.SeqNext); ok {
		t.Error("sequence did not end")
	}
	if _, _, err := d.Lookup("r"); dict.KindOf(err) != dict.KindRetry {
		t.Errorf("retry status gave %v", err)
	}
	if e := <-errs; e != "" {
		t.Fatal(e)
	}
}

func TestNoProxyOpensDirectly(t *testing.T) {
	reg := dict.NewRegistry(msg.Discard())
	stdtypes.Register(reg)
	Register(reg, Services{QueueDir: t.TempDir(), Proxymap: "proxymap", Proxywrite: "proxywrite"})
	d, err := reg.Open("proxy:inline:{a=b}", os.O_RDONLY, dict.FlagParanoid)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok, _ := d.Lookup("a"); !ok || v != "b" || d.Type() != "inline" {
		t.Errorf("got %s table, lookup %q %v", d.Type(), v, ok)
	}
}
