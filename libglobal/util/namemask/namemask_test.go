package namemask

import "testing"

func TestParse(t *testing.T) {
	table := []Name{{"flock", 1}, {"fcntl", 2}, {"dotlock", 4}}
	tests := []struct {
		in   string
		want int
		err  string
	}{
		{"fcntl, dotlock", 6, ""},
		{"", 0, ""},
		{" flock\tfcntl\n", 3, ""},
		{"fcntl,FLOCK", 0, `unknown mailbox_delivery_lock value "FLOCK" in "fcntl,FLOCK"`},
	}
	for _, tc := range tests {
		got, err := Parse("mailbox_delivery_lock", table, tc.in)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("Parse(%q) error = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Parse(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
	if got := Names(table, 5); len(got) != 2 || got[0] != "flock" || got[1] != "dotlock" {
		t.Errorf("Names(5) = %v", got)
	}
}
