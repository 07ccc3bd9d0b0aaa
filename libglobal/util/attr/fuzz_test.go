package attr

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func seedCaptures(f *testing.F) {
	bins, _ := filepath.Glob(filepath.Join("testdata", "captures", "*.bin"))
	for _, b := range bins {
		data, err := os.ReadFile(b)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("bg==:NDcxMQ==\new==\nazE=:djE=\nfQ==\n\n"))
	f.Add([]byte("{\x00\nk=v\n}\x00\n\n"))
}

// FuzzScan feeds arbitrary bytes to every decoder with a typical target
// list: no panics, and a successful strict scan must print back to a
// record that scans to the same values.
func FuzzScan(f *testing.F) {
	seedCaptures(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, format := range []Format{Format0, Format64, FormatPlain} {
			r := NewReader(bytes.NewReader(data), format, "fuzz")
			for i := 0; i < 8; i++ {
				var status int
				var l int64
				var s string
				var d []byte
				h := map[string]string{}
				n, err := r.Scan(Printable, RecvInt("status", &status), RecvLong("offset", &l),
					RecvStr("request", &s), RecvData("time", &d), RecvHash(h))
				if err != nil || n <= 0 {
					break
				}
			}
			r = NewReader(bytes.NewReader(data), format, "fuzz")
			for i := 0; i < 8; i++ {
				if _, err := r.ReadRecord(); err != nil {
					break
				}
			}
		}
	})
}

// FuzzRoundTrip prints arbitrary values and scans them back.
func FuzzRoundTrip(f *testing.F) {
	f.Add("request", "value", int64(-1), []byte{0, 1})
	f.Add("", "a\x00b", int64(1<<62), []byte(nil))
	f.Fuzz(func(t *testing.T, name, value string, num int64, data []byte) {
		for _, format := range []Format{Format0, Format64, FormatPlain} {
			if name == "" || bytes.ContainsAny([]byte(name), "\x00\n=:{}") ||
				(format == Format0 && bytes.IndexByte([]byte(value), 0) >= 0) ||
				(format == FormatPlain && bytes.IndexByte([]byte(value), '\n') >= 0) {
				continue
			}
			var buf bytes.Buffer
			if err := NewWriter(&buf, format).Print(Str(name, value), Long("n", num),
				Int("i", int(num)), Data("d", data)); err != nil {
				t.Fatal(err)
			}
			var s string
			var l int64
			var i int
			var d []byte
			n, err := NewReader(&buf, format, "rt").Scan(Strict, RecvStr(name, &s), RecvLong("n", &l),
				RecvInt("i", &i), RecvData("d", &d))
			if name == "n" || name == "i" || name == "d" {
				continue
			}
			if err != nil || n != 4 || s != value || l != num || i != int(int32(num)) || !bytes.Equal(d, data) {
				t.Fatalf("%v: n=%d err=%v %q %d %d %q", format, n, err, s, l, i, d)
			}
		}
	})
}
