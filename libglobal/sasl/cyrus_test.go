package sasl

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"gopostfix/libglobal/util/msg"
)

// mapDB is a sasldb held in memory.
type mapDB map[string]string

func (m mapDB) Get(key, buf []byte) ([]byte, bool, error) {
	v, ok := m[string(key)]
	return []byte(v), ok, nil
}

func (m mapDB) Close() error { return nil }

const testDBPath = "/test/sasldb2"

// testDB has the accounts of tests/sasl: test/secret and second/pw2 in
// mx.example.com, test/otherpw in other.example.
var testDB = mapDB{
	string(SasldbKey("test", "mx.example.com", "userPassword")):   "secret",
	string(SasldbKey("second", "mx.example.com", "userPassword")): "pw2",
	string(SasldbKey("test", "other.example", "userPassword")):    "otherpw",
}

func openTestDB(path string) (DB, error) {
	switch path {
	case testDBPath:
		return testDB, nil
	case "/private":
		return nil, syscall.EACCES
	case "/broken":
		return brokenDB{}, nil
	}
	return nil, syscall.ENOENT
}

// brokenDB fails every read, as a damaged file does.
type brokenDB struct{}

func (brokenDB) Get(key, buf []byte) ([]byte, bool, error) { return nil, false, syscall.EIO }
func (brokenDB) Close() error                              { return nil }

// newTestCyrus writes conf as smtpd.conf and returns a server with a
// fixed CRAM-MD5 challenge "<16909060.1000@mx.example.com>", and what
// it logs.
func newTestCyrus(t *testing.T, conf, realm string) (*Cyrus, *msg.Capture) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "smtpd.conf"), []byte(conf), 0644); err != nil {
		t.Fatal(err)
	}
	logs := &msg.Capture{}
	log := msg.New(logs)
	log.Exit = func(int) {}
	c, err := NewCyrus(CyrusOptions{App: "smtpd", ConfigPath: dir, Hostname: "mx.example.com", Realm: realm,
		OpenDB: openTestDB, Log: log, Timeout: time.Second,
		Rand: bytes.NewReader(bytes.Repeat([]byte{1, 2, 3, 4}, 10)), Now: func() time.Time { return time.Unix(1000, 0) }})
	if err != nil {
		t.Fatal(err)
	}
	return c, logs
}

const auxprop = "pwcheck_method: auxprop\nsasldb_path: " + testDBPath + "\nmech_list: PLAIN LOGIN CRAM-MD5 ANONYMOUS\n"

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func cramAnswer(user, pass string) string {
	m := hmac.New(md5.New, []byte(pass))
	m.Write([]byte("<16909060.1000@mx.example.com>"))
	return b64(user + " " + hex.EncodeToString(m.Sum(nil)))
}

// The expected results are what the real smtpd with libsasl2 answered
// and logged in tests/sasl.
func TestCyrusAuthenticate(t *testing.T) {
	fail := "warning: SASL authentication failure: "
	tests := []struct {
		name       string
		conf       string
		realm      string
		secOpts    []string
		tlsOpts    []string
		secured    bool
		mech, init string
		answers    []string // "*" aborts
		challenges []string // decoded
		want       Result
		logs       []string
	}{
		{name: "plain ok", mech: "PLAIN", init: b64("\x00test\x00secret"), want: Result{OK: true, Username: "test"}},
		{name: "plain empty ir", mech: "PLAIN", answers: []string{b64("\x00test\x00secret")}, challenges: []string{""},
			want: Result{OK: true, Username: "test"}},
		{name: "plain equals", mech: "PLAIN", init: "=", want: Result{Reason: "another step is needed in authentication"}},
		{name: "plain partial", mech: "PLAIN", init: "AGJ", want: Result{Reason: "another step is needed in authentication"}},
		{name: "plain bad password", mech: "PLAIN", init: b64("\x00test\x00wrong"),
			want: Result{Reason: "authentication failure", Username: "test"}, logs: []string{fail + "Password verification failed"}},
		{name: "plain unknown user", mech: "PLAIN", init: b64("\x00nobody\x00x"),
			want: Result{Reason: "authentication failure", Username: "nobody"}, logs: []string{fail + "Password verification failed"}},
		{name: "plain full name", mech: "PLAIN", init: b64("\x00test@other.example\x00otherpw"),
			want: Result{OK: true, Username: "test@other.example"}},
		{name: "plain other authzid", mech: "PLAIN", init: b64("second\x00test\x00secret"),
			want: Result{Reason: "authentication failure", Username: "second"}, logs: []string{fail + "Requested identity not authenticated identity"}},
		{name: "plain other authzid bad password", mech: "PLAIN", init: b64("second\x00test\x00bad"),
			want: Result{Reason: "authentication failure", Username: "test"}, logs: []string{fail + "Password verification failed"}},
		{name: "plain no nul", mech: "PLAIN", init: b64("no-nuls-here"),
			want: Result{Reason: "bad protocol / cancel"}, logs: []string{fail + "Can only find author (no password)"}},
		{name: "plain one nul", mech: "PLAIN", init: b64("test\x00secret"),
			want: Result{Reason: "bad protocol / cancel"}, logs: []string{fail + "Can only find author/en (no password)"}},
		{name: "plain extra", mech: "PLAIN", init: b64("\x00test\x00secret\x00more"),
			want: Result{Reason: "bad protocol / cancel"}, logs: []string{fail + "Got more data than we were expecting in the PLAIN plugin\n"}},
		{name: "plain empty user", mech: "PLAIN", init: b64("\x00\x00pw"),
			want: Result{Reason: "generic failure", Temp: true}, logs: []string{fail + "All-whitespace username."}},
		{name: "plain spaces around user", mech: "PLAIN", init: b64("\x00 test \x00secret"), want: Result{OK: true, Username: "test"}},
		{name: "plain bad base64 answer", mech: "PLAIN", answers: []string{"!!!!"}, challenges: []string{""},
			want: Result{Reason: "bad protocol / cancel"}},
		{name: "plain abort", mech: "PLAIN", answers: []string{"*"}, challenges: []string{""}, want: Result{Aborted: true}},
		{name: "plain realm", realm: "other.example", mech: "PLAIN", init: b64("\x00test\x00otherpw"),
			want: Result{OK: true, Username: "test@other.example"}},
		{name: "plain realm wrong", realm: "other.example", mech: "PLAIN", init: b64("\x00test\x00secret"),
			want: Result{Reason: "authentication failure", Username: "test@other.example"}, logs: []string{fail + "Password verification failed"}},
		{name: "login ok", mech: "LOGIN", answers: []string{b64("test"), b64("secret")}, challenges: []string{"Username:", "Password:"},
			want: Result{OK: true, Username: "test"}},
		{name: "login initial", mech: "LOGIN", init: b64("test"), answers: []string{b64("secret")}, challenges: []string{"Password:"},
			want: Result{OK: true, Username: "test"}},
		{name: "login bad", mech: "LOGIN", answers: []string{b64("test"), b64("nope")}, challenges: []string{"Username:", "Password:"},
			want: Result{Reason: "authentication failure", Username: "test"}},
		{name: "login unknown user", mech: "LOGIN", answers: []string{b64("nobody"), b64("x")}, challenges: []string{"Username:", "Password:"},
			want: Result{Reason: "authentication failure", Username: "nobody"}},
		{name: "login abort", mech: "LOGIN", answers: []string{b64("test"), "*"}, challenges: []string{"Username:", "Password:"},
			want: Result{Aborted: true}},
		{name: "cram ok", mech: "CRAM-MD5", answers: []string{cramAnswer("test", "secret")},
			challenges: []string{"<16909060.1000@mx.example.com>"}, want: Result{OK: true, Username: "test"}},
		{name: "cram bad", mech: "CRAM-MD5", answers: []string{cramAnswer("test", "bad")},
			challenges: []string{"<16909060.1000@mx.example.com>"},
			want:       Result{Reason: "authentication failure", Username: "test"}, logs: []string{fail + "incorrect digest response"}},
		{name: "cram unknown user", mech: "CRAM-MD5", answers: []string{cramAnswer("nobody", "x")},
			challenges: []string{"<16909060.1000@mx.example.com>"}, want: Result{Reason: "authentication failure", Username: "nobody"}},
		{name: "cram no name", mech: "CRAM-MD5", answers: []string{b64("nospace")}, challenges: []string{"<16909060.1000@mx.example.com>"},
			want: Result{Reason: "bad protocol / cancel"}, logs: []string{fail + "need authentication name"}},
		{name: "cram initial", mech: "CRAM-MD5", init: b64("x"),
			want: Result{Reason: "bad protocol / cancel"}, logs: []string{fail + "Remote sent first but mech does not allow it."}},
		{name: "cram no database", conf: "sasldb_path: /nowhere\nmech_list: CRAM-MD5\n", mech: "CRAM-MD5",
			answers: []string{cramAnswer("test", "secret")}, challenges: []string{"<16909060.1000@mx.example.com>"},
			want: Result{Reason: "authentication failure", Username: "test"}},
		{name: "sasldb unreadable", conf: "sasldb_path: /private\n", mech: "PLAIN", init: b64("\x00test\x00secret"),
			want: Result{Reason: "generic failure", Temp: true, Username: "test"},
			logs: []string{"warning: SASL authentication problem: unable to open Berkeley db /private: Permission denied",
				fail + "Password verification failed"}},
		{name: "sasldb unreadable cram", conf: "sasldb_path: /private\n", mech: "CRAM-MD5",
			answers: []string{cramAnswer("test", "secret")}, challenges: []string{"<16909060.1000@mx.example.com>"},
			want: Result{Reason: "generic failure", Temp: true, Username: "test"},
			logs: []string{"warning: SASL authentication problem: unable to open Berkeley db /private: Permission denied"}},
		{name: "sasldb read error", conf: "sasldb_path: /broken\n", mech: "PLAIN", init: b64("\x00test\x00secret"),
			want: Result{Reason: "generic failure", Temp: true, Username: "test"},
			logs: []string{fail + "error fetching from sasldb: Input/output error", fail + "Password verification failed"}},
		{name: "anonymous", mech: "ANONYMOUS", init: b64("trace"), want: Result{OK: true, Username: "anonymous"}},
		{name: "anonymous asked", mech: "ANONYMOUS", answers: []string{b64("trace")}, challenges: []string{""},
			want: Result{OK: true, Username: "anonymous"}},
		{name: "unknown mechanism", mech: "FOO",
			want: Result{Reason: "no mechanism available"}, logs: []string{fail + "Couldn't find mech FOO"}},
		{name: "lower case", mech: "plain", init: b64("\x00test\x00secret"), want: Result{OK: true, Username: "test"}},
		{name: "unknown lower case", mech: "foo",
			want: Result{Reason: "no mechanism available"}, logs: []string{fail + "Couldn't find mech foo"}},
		{name: "plaintext refused", secOpts: []string{"noanonymous", "noplaintext"}, mech: "PLAIN", init: b64("\x00test\x00secret"),
			want: Result{Reason: "encryption needed to use mechanism"}},
		{name: "plaintext with TLS", secOpts: []string{"noplaintext"}, tlsOpts: []string{"noanonymous"}, secured: true,
			mech: "PLAIN", init: b64("\x00test\x00secret"), want: Result{OK: true, Username: "test"}},
		{name: "anonymous refused", secOpts: []string{"noanonymous"}, mech: "ANONYMOUS", init: b64("x"),
			want: Result{Reason: "no mechanism available"}},
		{name: "unlisted mechanism", conf: "mech_list: PLAIN\n", mech: "LOGIN",
			want: Result{Reason: "no mechanism available"}, logs: []string{fail + "Couldn't find mech LOGIN"}},
		{name: "saslauthd down", conf: "pwcheck_method: saslauthd\nsaslauthd_path: /nonexistent/mux\n", mech: "PLAIN",
			init: b64("\x00imapuser\x00pw"), want: Result{Reason: "generic failure", Temp: true, Username: "imapuser"},
			logs: []string{fail + "cannot connect to saslauthd server: No such file or directory", fail + "Password verification failed"}},
		{name: "saslauthd down login", conf: "pwcheck_method: saslauthd\nsaslauthd_path: /nonexistent/mux\n", mech: "LOGIN",
			answers: []string{b64("imapuser"), b64("pw")}, challenges: []string{"Username:", "Password:"},
			want: Result{Reason: "generic failure", Temp: true, Username: "imapuser"},
			logs: []string{fail + "cannot connect to saslauthd server: No such file or directory"}},
		{name: "unknown verifier", conf: "pwcheck_method: pam\n", mech: "PLAIN", init: b64("\x00test\x00secret"),
			want: Result{Reason: "no mechanism available", Username: "test"},
			logs: []string{"warning: SASL authentication problem: unknown password verifier(s) pam", fail + "Password verification failed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conf := tt.conf
			if conf == "" {
				conf = auxprop
			}
			c, logs := newTestCyrus(t, conf, tt.realm)
			c.o.SecurityOptions, c.o.TLSSecurityOptions = tt.secOpts, tt.tlsOpts
			var challenges []string
			answers := tt.answers
			res, err := c.Authenticate(Request{Mechanism: tt.mech, Initial: tt.init, Service: "smtp", Secured: tt.secured,
				Challenge: func(ch string) (string, bool) {
					dec, err := base64.StdEncoding.DecodeString(ch)
					if err != nil {
						t.Fatalf("challenge %q is not base64", ch)
					}
					challenges = append(challenges, string(dec))
					if len(answers) == 0 {
						t.Fatalf("unexpected challenge %q", dec)
					}
					a := answers[0]
					answers = answers[1:]
					return a, a != "*"
				}})
			if err != nil {
				t.Fatal(err)
			}
			if res != tt.want {
				t.Errorf("result %+v, want %+v", res, tt.want)
			}
			if !reflect.DeepEqual(challenges, tt.challenges) {
				t.Errorf("challenges %q, want %q", challenges, tt.challenges)
			}
			if !reflect.DeepEqual(logs.Lines, tt.logs) {
				t.Errorf("logged %q, want %q", logs.Lines, tt.logs)
			}
		})
	}
}

func TestCyrusSaslauthd(t *testing.T) {
	path, got := fakeSaslauthd(t)
	c, logs := newTestCyrus(t, "pwcheck_method: saslauthd\nsaslauthd_path: "+path+"\n", "")
	tests := []struct {
		user, pass string
		service    string
		query      string
		ok         bool
	}{
		{"user", "secret", "smtp", "user|secret|smtp|", true},
		{"user@a@realm.example", "secret", "imap", "user@a|secret|imap|realm.example", false},
		{"user", "bad", "smtp", "user|bad|smtp|", false},
	}
	for _, tt := range tests {
		res, err := c.Authenticate(Request{Mechanism: "PLAIN", Initial: b64("\x00" + tt.user + "\x00" + tt.pass), Service: tt.service})
		if err != nil || res.OK != tt.ok {
			t.Errorf("%s/%s: %+v %v", tt.user, tt.pass, res, err)
		}
		if q := strings.Join(<-got, "|"); q != tt.query {
			t.Errorf("%s: saslauthd got %q, want %q", tt.user, q, tt.query)
		}
	}
	// smtpd_sasl_local_domain is the realm of names without one.
	c, _ = newTestCyrus(t, "pwcheck_method: saslauthd\nsaslauthd_path: "+path+"\n", "local.example")
	c.Authenticate(Request{Mechanism: "PLAIN", Initial: b64("\x00user\x00secret"), Service: "smtp"})
	if q := strings.Join(<-got, "|"); q != "user|secret|smtp|local.example" {
		t.Errorf("with realm: saslauthd got %q", q)
	}
	if len(logs.Lines) != 2 || logs.Lines[0] != "warning: SASL authentication failure: Password verification failed" {
		t.Errorf("logged %q", logs.Lines)
	}
}

func TestCyrusMechanisms(t *testing.T) {
	all := "pwcheck_method: auxprop\n"
	tests := []struct {
		conf    string
		options []string
		want    []string
	}{
		{all, []string{"noanonymous"}, []string{"CRAM-MD5", "PLAIN", "LOGIN"}},
		{all, []string{"noplaintext"}, []string{"CRAM-MD5", "ANONYMOUS"}},
		{all, nil, []string{"CRAM-MD5", "PLAIN", "LOGIN", "ANONYMOUS"}},
		{all, []string{"noanonymous", "noplaintext"}, []string{"CRAM-MD5"}},
		{"mech_list: PLAIN FOO cram-md5 LOGIN plain\n", []string{"noanonymous"}, []string{"PLAIN", "CRAM-MD5", "LOGIN"}},
		{"mech_list: plain login\n", []string{"noanonymous"}, []string{"PLAIN", "LOGIN"}},
		{"mech_list: ANONYMOUS PLAIN\n", nil, []string{"ANONYMOUS", "PLAIN"}},
	}
	for _, tt := range tests {
		c, _ := newTestCyrus(t, tt.conf, "")
		got, err := c.Mechanisms(tt.options)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q %q: got %q %v, want %q", tt.conf, tt.options, got, err, tt.want)
		}
	}
	// Option words are case sensitive; an unknown one is fatal.
	c, logs := newTestCyrus(t, all, "")
	if _, err := c.Mechanisms([]string{"noanonymous", "NoPlaintext"}); err == nil {
		t.Fatal("no error for a bad option")
	}
	want := []string{`warning: unknown SASL security options value "NoPlaintext" in "noanonymous, NoPlaintext"`,
		"warning: bad per-session SASL security properties", "fatal: SASL per-connection initialization failed"}
	if !reflect.DeepEqual(logs.Lines, want) {
		t.Errorf("logged %q", logs.Lines)
	}
	// No mechanism left is fatal, as in smtpd_sasl_activate.
	c, logs = newTestCyrus(t, all, "")
	if _, err := c.Mechanisms([]string{"noanonymous", "nodictionary"}); err == nil {
		t.Fatal("no error without mechanisms")
	}
	want = []string{"warning: xsasl_cyrus_server_get_mechanism_list: no applicable SASL mechanisms",
		"fatal: no SASL authentication mechanisms"}
	if !reflect.DeepEqual(logs.Lines, want) {
		t.Errorf("logged %q", logs.Lines)
	}
}

func FuzzCyrusPlain(f *testing.F) {
	for _, s := range []string{"\x00test\x00secret", "a\x00b\x00c", "", "\x00\x00", "x\x00y", " \x00 \x00 "} {
		f.Add(s)
	}
	dir := f.TempDir()
	os.WriteFile(filepath.Join(dir, "smtpd.conf"), []byte(auxprop), 0644)
	c, err := NewCyrus(CyrusOptions{App: "smtpd", ConfigPath: dir, Hostname: "mx.example.com", OpenDB: openTestDB, Log: msg.Discard()})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in string) {
		res, err := c.Authenticate(Request{Mechanism: "PLAIN", Initial: b64(in), Service: "smtp"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Aborted != (in == "") || res.OK && res.Reason != "" || !res.OK && !res.Aborted && res.Reason == "" {
			t.Fatalf("%q: %+v", in, res)
		}
		if res.OK && !(strings.HasSuffix(in, "\x00secret") || strings.HasSuffix(in, "\x00pw2") || strings.HasSuffix(in, "\x00otherpw")) {
			t.Fatalf("%q accepted as %q", in, res.Username)
		}
	})
}
