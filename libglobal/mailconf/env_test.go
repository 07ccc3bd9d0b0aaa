package mailconf

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// keepEnv restores the whole process environment after a test that
// empties it.
func keepEnv(t *testing.T) {
	saved := os.Environ()
	t.Cleanup(func() {
		os.Clearenv()
		for _, kv := range saved {
			name, value, _ := strings.Cut(kv, "=")
			os.Setenv(name, value)
		}
	})
}

func TestParmSplit(t *testing.T) {
	tests := []struct {
		value string
		want  []string
		err   string
	}{
		{"TZ MAIL_CONFIG, LANG=C", []string{"TZ", "MAIL_CONFIG", "LANG=C"}, ""},
		{"{ X = a b }, Y", []string{"X = a b", "Y"}, ""},
		{"", nil, ""},
		{"{ X = a", nil, `import_environment: missing '}' in "{ X = a"`},
		{"{X}y", nil, `import_environment: syntax error after '}' in "{X}y"`},
	}
	for _, tt := range tests {
		got, err := ParmSplit("import_environment", tt.value)
		if errText := func() string {
			if err == nil {
				return ""
			}
			return err.Error()
		}(); errText != tt.err || !slices.Equal(got, tt.want) {
			t.Errorf("ParmSplit(%q) = %q, %q; want %q, %q", tt.value, got, errText, tt.want, tt.err)
		}
	}
}

func TestCleanEnv(t *testing.T) {
	if unsafe() {
		t.Skip("the test process runs set-id")
	}
	tests := []struct {
		value string
		want  []string // the environment after, sorted
		err   string
	}{
		{"KEEP1 GONE", []string{"KEEP1=one"}, ""},
		{"KEEP1, NEW=two words, {SPACED = a b }", []string{"KEEP1=one", "NEW=two", "SPACED=a b"}, ""},
		{"KEEP1=override KEEP1", []string{"KEEP1=one"}, ""},
		{"KEEP1 KEEP1=override", []string{"KEEP1=override"}, ""},
		{"", nil, ""},
		{"KEEP1 =x", nil, "clean_env: missing attribute name in: =x"},
		{"{ A = b", nil, `import_environment: missing '}' in "{ A = b"`},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			keepEnv(t)
			os.Setenv("KEEP1", "one")
			os.Setenv("DROPPED", "x")
			err := CleanEnv(tt.value)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error %v, want %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := os.Environ()
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("environment %q, want %q", got, tt.want)
			}
		})
	}
}

func TestUpdateEnv(t *testing.T) {
	tests := []struct {
		value string
		want  []string // KEEP1, DROPPED, NEW and SPACED after, in that order
		err   string
	}{
		{"KEEP1 GONE", []string{"KEEP1=one", "DROPPED=x"}, ""},
		{"KEEP1, NEW=two words, {SPACED = a b }", []string{"KEEP1=one", "DROPPED=x", "NEW=two", "SPACED=a b"}, ""},
		{"KEEP1=over KEEP1=ride", []string{"KEEP1=ride", "DROPPED=x"}, ""},
		{"NEW=1 =x", []string{"KEEP1=one", "DROPPED=x"}, "update_env: missing attribute name in: =x"},
		{"{ A = b", []string{"KEEP1=one", "DROPPED=x"}, `import_environment: missing '}' in "{ A = b"`},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			keepEnv(t)
			os.Clearenv()
			os.Setenv("KEEP1", "one")
			os.Setenv("DROPPED", "x")
			err := UpdateEnv(tt.value)
			errText := ""
			if err != nil {
				errText = err.Error()
			}
			var got []string
			for _, name := range []string{"KEEP1", "DROPPED", "NEW", "SPACED"} {
				if v, ok := os.LookupEnv(name); ok {
					got = append(got, name+"="+v)
				}
			}
			if errText != tt.err || !slices.Equal(got, tt.want) {
				t.Errorf("environment %q, error %q; want %q, %q", got, errText, tt.want, tt.err)
			}
		})
	}
}
