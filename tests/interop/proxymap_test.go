package interop

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	inst "gopostfix/tests/internal/instance"
)

// rec builds one null-terminated attribute record.
func rec(pairs ...string) []byte {
	var b bytes.Buffer
	for _, p := range pairs {
		b.WriteString(p)
		b.WriteByte(0)
	}
	b.WriteByte(0)
	return b.Bytes()
}

// converse sends each request on one connection to the socket and
// returns everything the server wrote (announcement first), with a
// marker between replies.
func converse(t *testing.T, path string, reqs [][]byte) string {
	t.Helper()
	c, err := net.DialTimeout("unix", path, 5*time.Second)
	if err != nil {
		t.Fatalf("connect %s: %v", path, err)
	}
	defer c.Close()
	var out strings.Builder
	read := func() {
		buf := make([]byte, 4096)
		deadline := time.Now().Add(5 * time.Second)
		got := false
		for time.Now().Before(deadline) {
			wait := 300 * time.Millisecond
			if !got {
				wait = time.Until(deadline)
			}
			c.SetReadDeadline(time.Now().Add(wait))
			n, err := c.Read(buf)
			out.Write(buf[:n])
			got = got || n > 0
			if err != nil {
				return
			}
		}
	}
	read()
	for _, r := range reqs {
		out.WriteString("|")
		c.Write(r)
		read()
	}
	return fmt.Sprintf("%q", out.String())
}

// TestProxymapRealVsOurs runs the real master twice, once with the real
// proxymap and once with ours, sends the same requests to
// private/proxymap and private/proxywrite, and compares the replies byte
// for byte: 3.7 and 3.12 request formats, approved and unapproved
// tables, lookups, sequences, updates, deletes and bad requests.
func TestProxymapRealVsOurs(t *testing.T) {
	requireRealPostfix(t)
	results := map[string][2]string{}
	for i, side := range []string{"real", "ours"} {
		var ours map[string]string
		if side == "ours" {
			ours = progs.Map(t, "proxymap")
		}
		in := newInstance(t, mixedDaemons(t, ours), 21141+i)
		tbl, wtbl := in.root+"/tbl", in.root+"/wtbl"
		os.WriteFile(tbl, []byte("key1 value1\nKey2 value2\n"), 0o644)
		os.WriteFile(wtbl, []byte("old oldvalue\n"), 0o644)
		for _, m := range []string{"hash:" + tbl, "hash:" + wtbl} {
			if out, err := exec.Command("/usr/sbin/postmap", "-c", in.etc, m).CombinedOutput(); err != nil {
				t.Fatalf("postmap: %v %s", err, out)
			}
		}
		f, _ := os.OpenFile(in.etc+"/main.cf", os.O_APPEND|os.O_WRONLY, 0)
		fmt.Fprintf(f, "proxy_read_maps = proxy:hash:%[1]s, {proxy:texthash:%[1]s}, unionmap:{proxy:inline:{a=b}}\n"+
			"proxy_write_maps = proxy:hash:%[2]s\n", tbl, wtbl)
		f.Close()
		pid := in.startMaster(realDaemons + "/master")
		q := in.queue + "/private/"
		read := converse(t, q+"proxymap", [][]byte{
			rec("request", "open", "table", "hash:"+tbl, "flags", "0"),
			rec("request", "lookup", "table", "hash:"+tbl, "flags", "524353", "key", "key1"),
			rec("request", "lookup", "table", "hash:"+tbl, "flags", "524353", "key", "KEY2"),
			rec("request", "lookup", "table", "proxy:hash:"+tbl, "flags", "0", "key", "nokey"),
			rec("request", "sequence", "table", "hash:"+tbl, "flags", "0", "function", "0"),
			rec("request", "sequence", "table", "hash:"+tbl, "flags", "0", "function", "7"),
			rec("request", "lookup", "table", "texthash:"+tbl, "flags", "0", "key", "key1"),
			rec("request", "lookup", "table", "inline:{a=b}", "flags", "0", "key", "a"),
			rec("request", "lookup", "table", "hash:/etc/aliases", "flags", "0", "key", "root"),
			rec("request", "lookup", "table", "notable", "flags", "0", "key", "x"),
			rec("request", "update", "table", "hash:"+tbl, "flags", "0", "key", "k", "value", "v"),
			rec("request", "delete", "table", "hash:"+tbl, "flags", "0", "key", "k"),
			rec("request", "bogus"),
			rec("request", "lookup", "table", "hash:"+tbl, "flags", "0"),
			rec("request", "lookup", "table", "hash:"+tbl, "instance_flags", "0", "flags", "0", "key", "key1"),
			rec("request", "lookup", "table", "hash:"+tbl, "flags", "0", "key", "key1"),
		})
		write := converse(t, q+"proxywrite", [][]byte{
			rec("request", "open", "table", "hash:"+wtbl, "flags", "0"),
			rec("request", "update", "table", "hash:"+wtbl, "flags", "0", "key", "nk", "value", "nv"),
			rec("request", "lookup", "table", "hash:"+wtbl, "flags", "0", "key", "nk"),
			rec("request", "update", "table", "hash:"+wtbl, "flags", "0", "key", "nk", "value", "nv2"),
			rec("request", "lookup", "table", "hash:"+wtbl, "flags", "0", "key", "nk"),
			rec("request", "delete", "table", "hash:"+wtbl, "flags", "0", "key", "nk"),
			rec("request", "delete", "table", "hash:"+wtbl, "flags", "0", "key", "nk"),
			rec("request", "lookup", "table", "hash:"+tbl, "flags", "0", "key", "key1"),
		})
		r := strings.ReplaceAll(read, in.root, "ROOT")
		w := strings.ReplaceAll(write, in.root, "ROOT")
		results[side] = [2]string{r, w}
		inst.StopMaster(pid)
		if side == "ours" && strings.Contains(in.log(), "panic") {
			t.Errorf("ours logged a panic\n%s", in.log())
		}
	}
	for k, what := range []string{"proxymap", "proxywrite"} {
		if results["real"][k] != results["ours"][k] {
			t.Errorf("%s replies differ\nreal %s\nours %s", what, results["real"][k], results["ours"][k])
		}
	}
}
