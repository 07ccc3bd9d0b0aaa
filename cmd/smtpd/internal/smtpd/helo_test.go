package smtpd

import (
	"os"
	"strings"
	"testing"
)

// readGolden returns the tab-separated fields of a testdata file's
// lines, comments and empty lines skipped.
func readGolden(t *testing.T, name string, fields int) [][]string {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]string
	for _, l := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) != fields {
			t.Fatalf("testdata/%s: %d fields, want %d: %q", name, len(f), fields, l)
		}
		rows = append(rows, f)
	}
	return rows
}

// TestDiscardEHLOKeywords compares the EHLO reply and the discard log
// line with the real smtpd's for smtpd_discard_ehlo_keywords values,
// SILENT-DISCARD and a discarded ENHANCEDSTATUSCODES among them (both
// keep the log line away).
func TestDiscardEHLOKeywords(t *testing.T) {
	for _, row := range readGolden(t, "ehlo-discard.txt", 3) {
		t.Run(row[0], func(t *testing.T) {
			p := baseParams()
			p["smtpd_discard_ehlo_keywords"] = row[0]
			replies, log := chat(t, p, newTestDeps(nil, nil), Client{Name: "localhost", Addr: "127.0.0.1", Port: "4000"}, "EHLO x")
			if len(replies) < 2 {
				t.Fatalf("replies %q", replies)
			}
			if got := strings.Join(replies[1:], "|"); got != row[1] {
				t.Errorf("EHLO reply\n\t%s\nwant\t%s", got, row[1])
			}
			var discards []string
			for _, l := range log {
				if strings.Contains(l, "discarding EHLO keywords") {
					discards = append(discards, l)
				}
			}
			want := []string{}
			if row[2] != "-" {
				want = append(want, row[2])
			}
			if strings.Join(discards, "\n") != strings.Join(want, "\n") {
				t.Errorf("log %q, want %q", discards, want)
			}
		})
	}
}
