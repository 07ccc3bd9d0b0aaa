package instance

import "testing"

func TestFirstDiff(t *testing.T) {
	tests := []struct {
		want, got []string
		n         int
		w, g      string
	}{
		{nil, nil, 0, "", ""},
		{[]string{"a", "b"}, []string{"a", "b"}, 0, "", ""},
		{[]string{"a", "b"}, []string{"a", "c"}, 2, "b", "c"},
		{[]string{"a"}, []string{"a", "b"}, 2, "<none>", "b"},
		{[]string{"a", "b"}, nil, 1, "a", "<none>"},
	}
	for _, tc := range tests {
		if n, w, g := FirstDiff(tc.want, tc.got); n != tc.n || w != tc.w || g != tc.g {
			t.Errorf("FirstDiff(%q, %q) = %d %q %q, want %d %q %q", tc.want, tc.got, n, w, g, tc.n, tc.w, tc.g)
		}
	}
	if d := SetDiff([]string{"a", "b"}, []string{"b", "c"}); d != "- a\n+ c\n" {
		t.Errorf("SetDiff = %q", d)
	}
}
