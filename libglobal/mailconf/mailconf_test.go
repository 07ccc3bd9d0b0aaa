package mailconf

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gopostfix/libglobal/util/msg"
)

// load writes main.cf into a new directory and loads it, capturing the
// warnings.
func load(t *testing.T, mainCF string) (*Config, *msg.Capture, error) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.cf"), []byte(mainCF), 0o644); err != nil {
		t.Fatal(err)
	}
	capture := &msg.Capture{}
	c, err := Load(dir, msg.New(capture))
	return c, capture, err
}

func mustLoad(t *testing.T, mainCF string) (*Config, *msg.Capture) {
	t.Helper()
	c, capture, err := load(t, mainCF)
	if err != nil {
		t.Fatal(err)
	}
	return c, capture
}

func TestLoadErrors(t *testing.T) {
	_, err := Load("/nonexistent/dir", msg.Discard())
	if want := "open /nonexistent/dir/main.cf: No such file or directory"; err == nil || err.Error() != want {
		t.Errorf("missing main.cf: %v, want %s", err, want)
	}
	tests := []struct{ text, want string }{
		{"a = 1\nbogus line\n", `main.cf, line 2: missing '=' after attribute name: "bogus line"`},
		{"# c\n\n= x\n", `main.cf, line 3: missing attribute name: "= x"`},
		{"a = 1\nb\n  = 2\n", ``},
		{"name\n", `main.cf, line 1: missing '=' after attribute name: "name"`},
	}
	for _, tt := range tests {
		_, _, err := load(t, tt.text)
		if tt.want == "" {
			if err != nil {
				t.Errorf("%q: %v", tt.text, err)
			}
			continue
		}
		if err == nil || !strings.HasSuffix(err.Error(), "/"+tt.want) {
			t.Errorf("%q: error %v, want ...%s", tt.text, err, tt.want)
		}
	}
}

func TestLoadEntries(t *testing.T) {
	c, capture := mustLoad(t, "# comment\na = 1\nb = x\n  y\n\t# inner\n   z \na = 2\na = 2\nempty =\n")
	want := []Entry{
		{"a", "1", 2, 2}, {"b", "x  y   z", 3, 6}, {"a", "2", 7, 7}, {"a", "2", 8, 8}, {"empty", "", 9, 9},
	}
	if got := c.Entries(); !reflect.DeepEqual(got, want) {
		t.Errorf("Entries = %+v\nwant %+v", got, want)
	}
	warn := "warning: " + c.Dir() + "/main.cf, line 7: overriding earlier entry: a=1\n"
	if capture.String() != warn {
		t.Errorf("warnings = %q, want %q", capture.String(), warn)
	}
	if v, _ := c.Raw("a"); v != "2" {
		t.Errorf("a = %q", v)
	}
	if !c.IsSet("empty") || c.IsSet("relayhost") {
		t.Error("IsSet")
	}
	if v, _ := c.Raw("config_directory"); v != c.Dir() {
		t.Errorf("config_directory = %q, want %q", v, c.Dir())
	}
}

func TestLoadFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.cf"), []byte("x = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvDir, dir)
	c, err := Load("", msg.Discard())
	if err != nil || c.Dir() != dir || !c.IsSet("x") {
		t.Fatalf("Load from $MAIL_CONFIG: %v, dir %q", err, c.Dir())
	}
}

func TestPrecedence(t *testing.T) {
	c, _ := mustLoad(t, "myorigin = $mydomain\nmydomain = example.com\nuser = [$myorigin]\n")
	if v, _ := c.Str("user"); v != "[example.com]" {
		t.Errorf("user = %q", v)
	}
	c.Override("mydomain", "example.org")
	if v, _ := c.Str("user"); v != "[example.org]" {
		t.Errorf("after override: user = %q", v)
	}
	if v, _ := c.Raw("mydomain"); v != "example.org" {
		t.Errorf("Raw(mydomain) = %q", v)
	}
	if v, _ := c.Str("relay_domains"); !strings.HasSuffix(v, ".example.org, localhost.example.org, localhost") {
		t.Errorf("relay_domains at level 0 = %q", v)
	}
	c.Override("compatibility_level", "2")
	if v, _ := c.Str("relay_domains"); v != "" {
		t.Errorf("relay_domains at level 2 = %q", v)
	}
	if v, _ := c.Str("smtpd_banner"); !strings.HasSuffix(v, " ESMTP Postfix") {
		t.Errorf("smtpd_banner = %q", v)
	}
	if v, _ := c.Str("mailbox_command"); v != "" {
		t.Errorf("mailbox_command = %q", v)
	}
	c.Override("mailbox_command", "/bin/deliver $recipient")
	if v, _ := c.Str("mailbox_command"); v != "/bin/deliver $recipient" {
		t.Errorf("raw mailbox_command expanded: %q", v)
	}
	if _, err := c.Str("no_such_thing"); err == nil || err.Error() != "unknown parameter: no_such_thing" {
		t.Errorf("unknown: %v", err)
	}
}

func TestCompatibilityDefaults(t *testing.T) {
	c, _ := mustLoad(t, "")
	if v, _ := c.Bool("smtputf8_enable"); v {
		t.Error("smtputf8_enable is yes at level 0")
	}
	if v, _ := c.Str("mynetworks_style"); v != "subnet" {
		t.Errorf("mynetworks_style = %q", v)
	}
	c.Override("compatibility_level", "3.6")
	if v, _ := c.Bool("smtputf8_enable"); !v {
		t.Error("smtputf8_enable is no at level 3.6")
	}
	if v, _ := c.Bool("smtpd_relay_before_recipient_restrictions"); !v {
		t.Error("smtpd_relay_before_recipient_restrictions at level 3.6")
	}
	c.Override("compatibility_level", "3.x")
	_, err := c.Bool("smtputf8_enable")
	var ee *ExpandError
	if !errors.As(err, &ee) || err.Error() != "dictionary mail_dict: macro processing error" ||
		!reflect.DeepEqual(ee.Warnings, []string{`malformed compatibility level syntax: "3.x"`}) {
		t.Errorf("bad level: %v %+v", err, ee)
	}
}

func TestTypedValues(t *testing.T) {
	c, _ := mustLoad(t, strings.Join([]string{
		"smtpd_timeout = 30", "smtp_helo_timeout = 2m", "maximal_queue_lifetime = 2",
		"smtpd_soft_error_limit = +7", "message_size_limit = 20480000", "header_size_limit = 4096",
		"disable_vrfy_command = YES", "append_dot_mydomain = No",
		"mydestination = a, b {c, d} ,e", "smtpd_client_restrictions = $mydestination",
		"lmtp_connect_timeout = s", "postscreen_dnsbl_max_ttl = 3",
	}, "\n")+"\n")
	checks := []struct {
		name string
		got  any
		want any
	}{
		{"smtpd_timeout", must(c.Time("smtpd_timeout")), 30 * time.Second},
		{"smtp_helo_timeout", must(c.Time("smtp_helo_timeout")), 2 * time.Minute},
		{"maximal_queue_lifetime", must(c.Time("maximal_queue_lifetime")), 2 * 24 * time.Hour},
		{"lmtp_connect_timeout", must(c.Time("lmtp_connect_timeout")), time.Duration(0)},
		{"postscreen_dnsbl_max_ttl", must(c.Time("postscreen_dnsbl_max_ttl")), 3 * time.Hour},
		{"bounce_queue_lifetime", must(c.Time("bounce_queue_lifetime")), 5 * 24 * time.Hour},
		{"smtpd_soft_error_limit", must(c.Int("smtpd_soft_error_limit")), 7},
		{"smtpd_hard_error_limit", must(c.Int("smtpd_hard_error_limit")), 20},
		{"message_size_limit", must(c.Size("message_size_limit")), int64(20480000)},
		{"header_size_limit", must(c.Size("header_size_limit")), int64(4096)},
		{"disable_vrfy_command", must(c.Bool("disable_vrfy_command")), true},
		{"append_dot_mydomain", must(c.Bool("append_dot_mydomain")), false},
		{"mydestination", must(c.List("mydestination")), []string{"a", "b", "{c, d}", "e"}},
		{"smtpd_client_restrictions", must(c.List("smtpd_client_restrictions")), []string{"a", "b", "{c, d}", "e"}},
	}
	for _, ck := range checks {
		if !reflect.DeepEqual(ck.got, ck.want) {
			t.Errorf("%s = %v, want %v", ck.name, ck.got, ck.want)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		return *new(T)
	}
	return v
}

func TestTypedErrors(t *testing.T) {
	tests := []struct {
		setting string
		get     func(c *Config) error
		want    string
	}{
		{"line_length_limit = abc", intOf("line_length_limit"), "bad numerical configuration: line_length_limit = abc"},
		{"line_length_limit = 10", intOf("line_length_limit"), "invalid line_length_limit parameter value 10 < 512"},
		{"line_length_limit = 5000000000", intOf("line_length_limit"), "bad numerical configuration: line_length_limit = 5000000000"},
		{"line_length_limit = 600 ", intOf("line_length_limit"), ""},
		{"line_length_limit = 600x", intOf("line_length_limit"), "bad numerical configuration: line_length_limit = 600x"},
		{"unverified_recipient_defer_code = 500", intOf("unverified_recipient_defer_code"), "invalid unverified_recipient_defer_code parameter value 500 > 499"},
		{"message_size_limit = 99999999999999999999", longOf("message_size_limit"), "bad numerical configuration: message_size_limit = 99999999999999999999"},
		{"disable_vrfy_command = true", boolOf("disable_vrfy_command"), "bad boolean configuration: disable_vrfy_command = true"},
		{"smtpd_timeout = 4x", timeOf("smtpd_timeout"), "parameter smtpd_timeout: bad time value or unit: 4x"},
		{"smtpd_timeout = -1", timeOf("smtpd_timeout"), "parameter smtpd_timeout: bad time value or unit: -1"},
		{"smtpd_timeout = 0", timeOf("smtpd_timeout"), "invalid smtpd_timeout: 0 (min 1)"},
		{"smtpd_timeout = 5000w", timeOf("smtpd_timeout"), "parameter smtpd_timeout: bad time value or unit: 5000w"},
		{"maximal_queue_lifetime = 101", timeOf("maximal_queue_lifetime"), "invalid maximal_queue_lifetime: 8726400 (max 8640000)"},
		{"myhostname =", strOf("myhostname"), "bad string length 0 < 1: myhostname = "},
		{"smtpd_expansion_filter =", strOf("smtpd_expansion_filter"), "bad string length (0 < 1): smtpd_expansion_filter = "},
		{"mynetworks_style = bogus", strOf("mynetworks"), `unknown mynetworks mask style value "bogus" in "bogus"`},
		{"myorigin = ${foo", strOf("myorigin"), "dictionary mail_dict: macro processing error"},
	}
	for _, tt := range tests {
		c, _ := mustLoad(t, tt.setting+"\n")
		err := tt.get(c)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || err.Error() != tt.want) {
			t.Errorf("%s: error %v, want %q", tt.setting, err, tt.want)
		}
	}
}

func intOf(name string) func(*Config) error {
	return func(c *Config) error { _, err := c.Int(name); return err }
}
func longOf(name string) func(*Config) error {
	return func(c *Config) error { _, err := c.Long(name); return err }
}
func boolOf(name string) func(*Config) error {
	return func(c *Config) error { _, err := c.Bool(name); return err }
}
func timeOf(name string) func(*Config) error {
	return func(c *Config) error { _, err := c.Time(name); return err }
}
func strOf(name string) func(*Config) error {
	return func(c *Config) error { _, err := c.Str(name); return err }
}

func TestConvTime(t *testing.T) {
	tests := []struct {
		in   string
		unit byte
		want int64
		ok   bool
	}{
		{"10", 's', 10, true}, {"10", 'm', 600, true}, {"1w", 's', 604800, true},
		{"2d", 's', 172800, true}, {"3h", 's', 10800, true}, {"1sxyz", 'h', 1, true},
		{" 5m", 's', 300, true}, {"s", 'h', 0, true}, {"", 's', 0, false}, {"5 s", 's', 0, false},
		{"-1", 's', 0, false}, {"1x", 's', 0, false}, {"3550w", 's', 0, false},
		{"2147483647", 's', 2147483647, true}, {"2147483648", 's', 0, false}, {"35791394m", 's', 0, false},
	}
	for _, tt := range tests {
		got, ok := ConvTime(tt.in, tt.unit)
		if ok != tt.ok || got != tt.want {
			t.Errorf("ConvTime(%q, %c) = %d, %v; want %d, %v", tt.in, tt.unit, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSplitNameValue(t *testing.T) {
	tests := []struct{ in, name, value, err string }{
		{"a = b", "a", "b", ""},
		{"  a=b  c  ", "a", "b  c", ""},
		{"a =", "a", "", ""},
		{"a==b", "a", "=b", ""},
		{"a b = c", "", "", "missing '=' after attribute name"},
		{"=x", "", "", "missing attribute name"},
		{"   ", "", "", "missing attribute name"},
		{"abc", "", "", "missing '=' after attribute name"},
	}
	for _, tt := range tests {
		n, v, err := SplitNameValue(tt.in)
		e := ""
		if err != nil {
			e = err.Error()
		}
		if n != tt.name || v != tt.value || e != tt.err {
			t.Errorf("SplitNameValue(%q) = %q, %q, %q", tt.in, n, v, e)
		}
	}
}

func TestSplitList(t *testing.T) {
	got := SplitList(" a,b\tc {d e} {x {y}, z}, }, ,")
	want := []string{"a", "b", "c", "{d e}", "{x {y}, z}", "}"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SplitList = %q, want %q", got, want)
	}
}

// TestSpecGetters reads per-service names the way qmgr and the delivery
// agents read them (get_mail_conf_*2): explicit defaults and bounds.
func TestSpecGetters(t *testing.T) {
	c, _ := mustLoad(t, "relay_destination_concurrency_limit = 5\nrelay_recipient_refill_delay = 2m\n"+
		"x_flag = maybe\nx_limit = 0\nx_raw = $a\n")
	if n, err := c.IntSpec("relay_destination_concurrency_limit", Spec{Default: "$default_destination_concurrency_limit"}); n != 5 || err != nil {
		t.Errorf("set: %d, %v", n, err)
	}
	if n, err := c.IntSpec("smtp_destination_concurrency_limit", Spec{Default: "$default_destination_concurrency_limit"}); n != 20 || err != nil {
		t.Errorf("default: %d, %v", n, err)
	}
	if d, err := c.TimeSpec("relay_recipient_refill_delay", Spec{Default: "5s", Min: 1}); d != 2*time.Minute || err != nil {
		t.Errorf("time: %v, %v", d, err)
	}
	if d, err := c.TimeSpec("smtp_recipient_refill_delay", Spec{Default: "$default_recipient_refill_delay", Min: 1}); d != 5*time.Second || err != nil {
		t.Errorf("time default: %v, %v", d, err)
	}
	if _, err := c.BoolSpec("x_flag", Spec{Default: "no"}); err == nil || err.Error() != "bad boolean configuration: x_flag = maybe" {
		t.Errorf("bool: %v", err)
	}
	if _, err := c.IntSpec("x_limit", Spec{Default: "1", Min: 1}); err == nil || err.Error() != "invalid x_limit parameter value 0 < 1" {
		t.Errorf("int bounds: %v", err)
	}
	if v, err := c.StrSpec("x_raw", Spec{Raw: true}); v != "$a" || err != nil {
		t.Errorf("raw: %q, %v", v, err)
	}
	if v, err := c.Str("x_raw"); v != "" || err != nil {
		t.Errorf("user-defined: %q, %v", v, err)
	}
	if v, err := c.LongSpec("x_size", Spec{Default: "$message_size_limit"}); v != 10240000 || err != nil {
		t.Errorf("long: %d, %v", v, err)
	}
}

// TestComputedOnlyWhenNeeded: a setting makes the computed default (and
// its errors) irrelevant.
func TestComputedOnlyWhenNeeded(t *testing.T) {
	c, _ := mustLoad(t, "mynetworks_style = bogus\nmynetworks = 10.0.0.0/8\n")
	if v, err := c.Str("mynetworks"); v != "10.0.0.0/8" || err != nil {
		t.Errorf("mynetworks = %q, %v", v, err)
	}
}

func TestParam(t *testing.T) {
	c, _ := mustLoad(t, "proxymap_service_name = pm_$mail_name\nmy_own = x\nmyhostname = \n")
	tests := []struct {
		name, want string
		ok         bool
	}{
		{"proxymap_service_name", "pm_Postfix", true},
		{"proxywrite_service_name", "proxywrite", true},
		{"my_own", "x", true},
		{"not_a_parameter", "", false},
		{"myhostname", "", false}, // set, but shorter than its minimum length
	}
	for _, tc := range tests {
		if v, ok := c.Param(tc.name); v != tc.want || ok != tc.ok {
			t.Errorf("Param(%s) = %q %v, want %q %v", tc.name, v, ok, tc.want, tc.ok)
		}
	}
}
