package interop2

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"gopostfix/tests/internal/instance"
)

const tlsmgrCF = "tlsmgr    unix  -       -       n       1000?   1       tlsmgr\n"

const tlsmgrMain = `smtpd_tls_session_cache_database = btree:@ROOT@/data/smtpd_scache
smtp_tls_session_cache_database = btree:@ROOT@/data/smtp_scache
smtp_tls_session_cache_timeout = 60s
`

// TestTlsmgrRealVsOurs sends the same requests to the real tlsmgr and to
// ours under the real master. Random values (seeds, ticket keys) are
// compared by length and by whether a later answer repeats them; the
// session cache file is read back with the real postmap.
func TestTlsmgrRealVsOurs(t *testing.T) {
	var results [2][]string
	for i, side := range []string{"real", "ours"} {
		in := newInstance(t, side, "tlsmgr", strings.ReplaceAll(tlsmgrMain, "@ROOT@", "$data_directory/.."),
			map[string]string{"etc/master.cf": masterCF + tlsmgrCF})
		results[i] = tlsmgrSession(t, in)
		in.Stop()
	}
	for k := range results[0] {
		if results[0][k] != results[1][k] {
			t.Errorf("step %d differs\nreal: %s\nours: %s", k, results[0][k], results[1][k])
		}
	}
}

// dataAttr hides random DATA values: their length, and a name for each
// distinct value so that repeats show.
type dataNames map[string]string

var dataRE = regexp.MustCompile(`(seed|keybuf)\x00([A-Za-z0-9+/=]*)\x00`)

func (d dataNames) mask(s string) string {
	return dataRE.ReplaceAllStringFunc(s, func(m string) string {
		p := dataRE.FindStringSubmatch(m)
		raw, _ := base64.StdEncoding.DecodeString(p[2])
		if len(raw) == 0 {
			return p[1] + "\x00\x00"
		}
		name, ok := d[p[2]]
		if !ok {
			name = fmt.Sprintf("V%d", len(d))
			d[p[2]] = name
		}
		return fmt.Sprintf("%s\x00<%s: %d bytes>\x00", p[1], name, len(raw))
	})
}

func tlsmgrSession(t *testing.T, in *instance.Instance) []string {
	c, err := net.DialTimeout("unix", in.Path("queue/private/tlsmgr"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	names := dataNames{}
	var out []string
	get := func(what string) {
		got := readAll(c, 150*time.Millisecond, 3*time.Second)
		out = append(out, fmt.Sprintf("%s: %q", what, names.mask(string(got))))
	}
	get("announcement")
	b64 := base64.StdEncoding.EncodeToString
	steps := []struct {
		what string
		req  []byte
	}{
		{"seed", rec("request", "seed", "size", "16")},
		{"seed 255", rec("request", "seed", "size", "255")},
		{"seed 0", rec("request", "seed", "size", "0")},
		{"seed 256", rec("request", "seed", "size", "256")},
		{"policy smtpd", rec("request", "policy", "cache_type", "smtpd")},
		{"policy smtp", rec("request", "policy", "cache_type", "smtp")},
		{"policy lmtp", rec("request", "policy", "cache_type", "lmtp")},
		{"policy bogus", rec("request", "policy", "cache_type", "bogus")},
		{"lookup miss", rec("request", "lookup", "cache_type", "smtpd", "cache_id", "abc")},
		{"update", rec("request", "update", "cache_type", "smtpd", "cache_id", "abc", "session", b64([]byte("hello session")))},
		{"update lmtp", rec("request", "update", "cache_type", "lmtp", "cache_id", "abc", "session", b64([]byte("x")))},
		{"lookup hit", rec("request", "lookup", "cache_type", "smtpd", "cache_id", "abc")},
		{"update smtp", rec("request", "update", "cache_type", "smtp", "cache_id", "other", "session", b64([]byte{0, 1, 2}))},
		{"delete", rec("request", "delete", "cache_type", "smtp", "cache_id", "other")},
		{"delete again", rec("request", "delete", "cache_type", "smtp", "cache_id", "other")},
		{"delete bogus", rec("request", "delete", "cache_type", "bogus", "cache_id", "x")},
		{"lookup missing id", rec("request", "lookup", "cache_type", "smtpd")},
		{"tktkey new", rec("request", "tktkey", "keyname", "")},
		{"tktkey again", rec("request", "tktkey", "keyname", "")},
		{"tktkey bad name", rec("request", "tktkey", "keyname", b64([]byte("short")))},
		{"tktkey unknown", rec("request", "tktkey", "keyname", b64(bytes.Repeat([]byte("k"), 16)))},
		{"unknown request", rec("request", "bogus")},
		{"no request", rec("foo", "bar")},
	}
	for _, s := range steps {
		c.Write(s.req)
		get(s.what)
	}
	// The ticket key found by name is the current one.
	c.Write(rec("request", "tktkey", "keyname", ""))
	got := readAll(c, 150*time.Millisecond, 3*time.Second)
	if m := dataRE.FindSubmatch(got); m != nil {
		raw, _ := base64.StdEncoding.DecodeString(string(m[2]))
		c.Write(rec("request", "tktkey", "keyname", b64(raw[:16])))
		get("tktkey by name")
	}
	c.Close()
	w, _ := net.DialTimeout("unix", in.Path("queue/private/tlsmgr"), 5*time.Second)
	w.Write([]byte("W\x00"))
	out = append(out, fmt.Sprintf("wakeup: %q", names.mask(string(readAll(w, 300*time.Millisecond, 3*time.Second)))))
	w.Close()
	// The session cache as the real postmap reads it: the key, the
	// entry's length and its session part.
	// The table stays locked while tlsmgr runs: read a copy.
	data, _ := os.ReadFile(in.Path("data/smtpd_scache.db"))
	os.WriteFile(in.Path("scache-copy.db"), data, 0o600)
	dump, err := exec.Command("/usr/sbin/postmap", "-c", in.Path("etc"), "-s", "btree:"+in.Path("scache-copy")).CombinedOutput()
	var rows []string
	for _, l := range strings.Split(strings.TrimSpace(string(dump)), "\n") {
		if k, v, ok := strings.Cut(l, "\t"); ok && len(v) >= 16 {
			rows = append(rows, fmt.Sprintf("%s len=%d session=%s", k, len(v), v[16:]))
		} else {
			rows = append(rows, l)
		}
	}
	out = append(out, fmt.Sprintf("smtpd cache (%v): %s", err, strings.Join(rows, "; ")))
	out = append(out, "log:\n"+logLines(in, "tlsmgr"))
	return out
}
