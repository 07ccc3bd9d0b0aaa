package main

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/msg"
)

func TestMain(m *testing.M) {
	time.Local = time.UTC // the golden files were made with TZ=UTC
	os.Exit(m.Run())
}

// run prints a file as postcat does and returns stdout and warnings.
func run(t *testing.T, data []byte, path string, o options) (string, string) {
	t.Helper()
	var out bytes.Buffer
	var capture msg.Capture
	w := bufio.NewWriter(&out)
	r := record.NewReader(bytes.NewReader(data), path, record.Default, 0)
	log := msg.New(&capture)
	log.Printable = true
	if err := cat(w, log, r, &o); err != nil {
		capture.Emit(msg.Fatal, err.Error())
	}
	return out.String(), capture.String()
}

// TestGolden compares with the output of the real postcat 3.7.11.
func TestGolden(t *testing.T) {
	all := options{env: true, header: true, body: true}
	verbose := all
	verbose.verbose = true
	odv := verbose
	odv.offset, odv.decimal = true, true
	rodv := odv
	rodv.raw = true
	variants := []struct {
		suffix string
		o      options
	}{
		{".postcat-plain.txt", all},
		{".postcat.txt", verbose},
		{".postcat-odv.txt", odv},
		{".postcat-rodv.txt", rodv},
		{".postcat-q.txt", all},
	}
	goldens, _ := filepath.Glob("testdata/*.postcat*.txt")
	if len(goldens) < 40 {
		t.Fatalf("only %d golden files", len(goldens))
	}
	for _, g := range goldens {
		base := filepath.Base(g)
		for _, v := range variants {
			name, ok := strings.CutSuffix(base, v.suffix)
			if !ok {
				continue
			}
			t.Run(base, func(t *testing.T) {
				want, _ := os.ReadFile(g)
				file := name
				if strings.HasPrefix(name, "active-") {
					file = "incoming-" + strings.TrimPrefix(name, "active-")
				}
				data, err := os.ReadFile(filepath.Join("testdata", file))
				if err != nil {
					t.Fatal(err)
				}
				path := name
				if v.suffix == ".postcat-q.txt" {
					// The banner shows the queue-relative path.
					path = strings.TrimSuffix(strings.SplitN(string(want), " ***", 2)[0], "")
					path = strings.TrimPrefix(path, "*** ENVELOPE RECORDS ")
				}
				got, warn := run(t, data, path, v.o)
				if got != string(want) || warn != "" {
					t.Errorf("output differs (warnings %q)\n got:\n%s\nwant:\n%s", warn, got, want)
				}
			})
		}
	}
}

func TestBadInput(t *testing.T) {
	all := options{env: true, header: true, body: true}
	tests := []struct {
		name, in, out, warn string
	}{
		{"not a queue file", "Zabc", "", "warning: f: input is not a valid queue file\n"},
		{"empty", "", "", ""},
		{"truncated", "T\x05ab", "", "warning: f: unexpected EOF in data, record type 84 length 5\nfatal: record read error\n"},
		{"malformed attribute", "A\x04nope" + "S\x01x", "*** ENVELOPE RECORDS f ***\nsender: x\n",
			"warning: f: malformed attribute: missing '=' after attribute name: nope\n"},
		{"attribute spaces", "A\x0b  sp = v w ", "*** ENVELOPE RECORDS f ***\nnamed_attribute: sp=v w\n", ""},
		{"warning time -1", "W\x0f             -1", "*** ENVELOPE RECORDS f ***\nwarning_message_time: Wed Dec 31 23:59:59 1969\n", ""},
		{"unknown type", "A\x03a=b" + "d\x02xy", "*** ENVELOPE RECORDS f ***\nnamed_attribute: a=b\nunknown_record_type: xy\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, warn := run(t, []byte(tc.in), "f", all)
			// Output not flushed by postcat is lost; what run returns
			// is only what was flushed.
			if got != tc.out || warn != tc.warn {
				t.Errorf("got %q / %q, want %q / %q", got, warn, tc.out, tc.warn)
			}
		})
	}
}
