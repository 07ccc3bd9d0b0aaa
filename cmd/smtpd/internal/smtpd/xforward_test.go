package smtpd

import "testing"

// TestXforwardAttrs replays XFORWARD and XCLIENT commands whose replies
// the real smtpd gave (testdata/xforward-attrs.txt): ADDR syntax as
// normalize_mailhost_addr checks it, and the attribute length limit.
func TestXforwardAttrs(t *testing.T) {
	client := Client{Name: "localhost", Addr: "127.0.0.1", Port: "4000"}
	for _, row := range readGolden(t, "xforward-attrs.txt", 2) {
		p := baseParams()
		p["smtpd_authorized_xforward_hosts"] = "127.0.0.1"
		p["smtpd_authorized_xclient_hosts"] = "127.0.0.1"
		p["inet_protocols"] = "all"
		replies, _ := chat(t, p, newTestDeps(nil, nil), client, "HELO x", row[0])
		if got := replies[len(replies)-1]; got != row[1] {
			t.Errorf("%.60s: got %q, want %q", row[0], got, row[1])
		}
	}
}
