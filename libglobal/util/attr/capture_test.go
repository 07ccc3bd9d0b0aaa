package attr

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// chunk is one direction's bytes of a captured conversation.
type chunk struct {
	dir  string // "C>S", "S>C", "IN", "OUT"
	data []byte
	fd   bool // an SCM_RIGHTS descriptor went with it
}

// loadCapture reads a .txt capture: one Python bytes literal per line,
// after a direction marker.
func loadCapture(t *testing.T, name string) []chunk {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "captures", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []chunk
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.Index(line, "b'")
		if j := strings.Index(line, `b"`); j >= 0 && (i < 0 || j < i) {
			i = j
		}
		if i < 0 {
			continue
		}
		fields := strings.Fields(line[:i])
		dir := fields[len(fields)-1]
		data, rest, err := pyBytes(line[i+1:])
		if err != nil {
			t.Fatalf("%s: %v in %q", name, err, line)
		}
		out = append(out, chunk{dir: dir, data: data,
			fd: strings.Contains(rest, "SCM_RIGHTS") || strings.Contains(rest, "fds=")})
	}
	return out
}

// pyBytes decodes a Python bytes literal body starting at its quote and
// returns the bytes and the text after the closing quote.
func pyBytes(s string) ([]byte, string, error) {
	q := s[0]
	var b []byte
	for i := 1; i < len(s); i++ {
		c := s[i]
		if c == q {
			return b, s[i+1:], nil
		}
		if c != '\\' {
			b = append(b, c)
			continue
		}
		i++
		switch s[i] {
		case 'x':
			v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				return nil, "", err
			}
			b = append(b, byte(v))
			i += 2
		case 'n':
			b = append(b, '\n')
		case 't':
			b = append(b, '\t')
		case 'r':
			b = append(b, '\r')
		case '0':
			b = append(b, 0)
		default:
			b = append(b, s[i])
		}
	}
	return nil, "", fmt.Errorf("unterminated literal")
}

// reencode writes records back from their pairs, all as strings.
func reencode(f Format, recs [][]Pair) []byte {
	var buf bytes.Buffer
	w := NewWriter(&buf, f)
	for _, rec := range recs {
		var attrs []Attr
		for _, p := range rec {
			attrs = append(attrs, Str(p.Name, p.Value))
		}
		w.Print(attrs...)
	}
	return buf.Bytes()
}

// TestCapturesRoundTrip decodes every captured attribute chunk record by
// record and encodes it again: the bytes must come back identical.
func TestCapturesRoundTrip(t *testing.T) {
	files := []string{
		"flush_add.txt", "flush_purge.txt", "flush_refresh.txt", "flush_send_file.txt",
		"flush_send_site.txt", "flush_send_site_deny.txt", "proxymap.txt", "proxywrite.txt",
		"resolve.txt", "rewrite_local.txt", "tlsmgr.txt", "verify.txt", "dnsblog.txt",
		"scache.txt", "anvil.txt", "strace_delivery_discard.txt", "strace_delivery_error.txt",
		"strace_delivery_pfpipe.txt", "strace_delivery_virtual.txt",
		"strace_error_to_bounce_append.txt", "strace_local_to_trace_append.txt",
		"strace_postmap_q_to_proxymap.txt", "strace_qmgr_to_bounce_flush_cmd1.txt",
		"strace_qmgr_to_local_delivery_request.txt", "strace_qmgr_to_trace_flush_cmd5.txt",
		"strace_smtpd_to_trivial_rewrite.txt", "showq_empty.txt",
	}
	total := 0
	for _, name := range files {
		f := Format0
		if name == "anvil.txt" {
			f = FormatPlain
		}
		for i, c := range loadCapture(t, name) {
			if c.fd || len(c.data) == 0 {
				continue
			}
			r := NewReader(bytes.NewReader(c.data), f, name)
			var recs [][]Pair
			for {
				rec, err := r.ReadRecord()
				if err != nil {
					break
				}
				recs = append(recs, rec)
			}
			got := reencode(f, recs)
			if !bytes.Equal(got, c.data) {
				t.Errorf("%s chunk %d: re-encoded\n%q\nwant\n%q", name, i, got, c.data)
			}
			total += len(recs)
		}
	}
	if total < 60 {
		t.Fatalf("only %d records decoded from the captures", total)
	}
}
