package notices

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFind reads testdata/mbox (two notices of different deliveries, a
// message that is not a notice, one more notice) and checks what Find
// keeps and masks against testdata/notices, the expected masked
// notices separated by "====" lines.
func TestFind(t *testing.T) {
	mbox, err := os.ReadFile(filepath.Join("testdata", "mbox"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "notices"))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(Find(string(mbox)), "\n====\n") + "\n"
	if got != string(want) {
		t.Errorf("Find:\n%s\nwant:\n%s", got, want)
	}
}
