package dict

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"testing"

	"gopostfix/libglobal/util/msg"
)

// failType registers a type whose open fails with err.
func failType(r *Registry, typ string, err error) {
	r.Register(typ, func(OpenRequest) (Dict, error) { return nil, err })
}

// lockedDict asks for an exclusive lock at open (FlagOpenLock) that it
// never gets.
type lockedDict struct{ Base }

func (d *lockedDict) Lock(LockOp) error { return ErrLocked }

func openLocked(req OpenRequest) (Dict, error) {
	d := &lockedDict{}
	d.Init(req, FlagFixed|FlagOpenLock)
	return d, nil
}

// TestOpenFatalWithSurrogates: with AllowSurrogate, an open that fails
// with a KindFatal error, a malformed "type:name" and an exclusive lock
// that cannot be had come back as KindFatal errors, through Open, Open3
// and Shared, and nothing is logged (the program dies with the text);
// every other failure gives a stand-in that logged it. Without
// AllowSurrogate every failure is an error, of the same kind.
func TestOpenFatalWithSurrogates(t *testing.T) {
	tests := []struct {
		spec  string
		fatal bool
		text  string
	}{
		{"refused:hash:/x", true, `proxymap service is not configured for table "hash:/x"`},
		{"config:/x", false, "open database /x.db: No such file or directory"},
		{"retry:/x", false, "connect to x: Connection refused"},
		{"plain:/x", false, "something else"},
		{"nosuch:/x", false, "unsupported dictionary type: nosuch"},
		{"locked:/x", true, "locked:/x: unable to get exclusive lock: Resource temporarily unavailable"},
		{"noform", true, `open dictionary: expecting "type:name" form instead of "noform"`},
		{"mem:", true, `open dictionary: expecting "type:name" form instead of "mem:"`},
	}
	for _, allow := range []bool{true, false} {
		for _, open := range []string{"Open", "Shared"} {
			for _, tc := range tests {
				r, c := newTestRegistry(t)
				failType(r, "refused", Fatalf(`proxymap service is not configured for table "hash:/x"`))
				failType(r, "config", Configf("open database /x.db: No such file or directory"))
				failType(r, "retry", Retryf("connect to x: Connection refused"))
				failType(r, "plain", errors.New("something else"))
				r.Register("locked", openLocked)
				r.AllowSurrogate = allow
				var d Dict
				var err error
				if open == "Open" {
					d, err = r.Open(tc.spec, os.O_RDONLY, 0)
				} else {
					d, err = r.Shared(tc.spec, os.O_RDONLY, 0)
				}
				name := fmt.Sprintf("%s %s surrogates=%v", open, tc.spec, allow)
				switch {
				case tc.fatal:
					if e := Fatal(err); e == nil || e.Msg != tc.text || d != nil {
						t.Errorf("%s: got %v %v, want fatal %q", name, d, err, tc.text)
					}
				case allow:
					if err != nil || d == nil {
						t.Errorf("%s: got %v, want a stand-in", name, err)
					} else if _, _, lerr := d.Lookup("k"); KindOf(lerr) != KindRetry {
						t.Errorf("%s: stand-in lookup: %v", name, lerr)
					}
				default:
					if err == nil || err.Error() != tc.text || Fatal(err) != nil {
						t.Errorf("%s: got %v, want the non-fatal error %q", name, err, tc.text)
					}
				}
				wantLog := ""
				if allow && !tc.fatal {
					wantLog = "error: " + tc.text + "\nwarning: " + tc.spec + " is unavailable. " + tc.text + "\n"
				}
				if c.String() != wantLog {
					t.Errorf("%s: logged %q, want %q", name, c.String(), wantLog)
				}
			}
		}
	}
	r, _ := newTestRegistry(t)
	r.AllowSurrogate = true
	if _, err := r.Open3("", "x", os.O_RDONLY, 0); Fatal(err) == nil {
		t.Errorf("Open3 with an empty type: %v", err)
	}
}

// TestFatalUnwrap: Fatal finds the fatal error under the context callers
// add (maps.Open's parameter name), and nothing else.
func TestFatalUnwrap(t *testing.T) {
	inner := Fatalf("proxymap service is not configured for table %q", "hash:/x")
	tests := []struct {
		err  error
		want string // "" when not fatal
	}{
		{inner, `proxymap service is not configured for table "hash:/x"`},
		{fmt.Errorf("transport_maps: %w", inner), `proxymap service is not configured for table "hash:/x"`},
		{fmt.Errorf("a: %w", fmt.Errorf("b: %w", inner)), `proxymap service is not configured for table "hash:/x"`},
		{Wrap(KindFatal, syscall.EISDIR, "read %s", "/x"), "read /x: Is a directory"},
		{Configf("open /x: No such file or directory"), ""},
		{Retryf("busy"), ""},
		{errors.New("plain"), ""},
		{fmt.Errorf("not wrapped: %v", inner), ""},
		{nil, ""},
	}
	for _, tc := range tests {
		e := Fatal(tc.err)
		got := ""
		if e != nil {
			got = e.Msg
		}
		if got != tc.want {
			t.Errorf("Fatal(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

// TestExitIfFatal: a fatal error is logged with its own text, without the
// wrapped context, and ends the program with status 1; other errors
// return without a word.
func TestExitIfFatal(t *testing.T) {
	for _, tc := range []struct {
		err  error
		log  string
		exit int
	}{
		{fmt.Errorf("header_checks: %w", Fatalf("cidr map /x: read error: Is a directory")),
			"fatal: cidr map /x: read error: Is a directory\n", 1},
		{fmt.Errorf("header_checks: %w", Configf("open /x: No such file or directory")), "", -1},
		{nil, "", -1},
	} {
		var c msg.Capture
		log := msg.New(&c)
		exit := -1
		log.Exit = func(code int) { exit = code }
		ExitIfFatal(log, tc.err)
		if c.String() != tc.log || exit != tc.exit {
			t.Errorf("%v: logged %q, exit %d; want %q, %d", tc.err, c.String(), exit, tc.log, tc.exit)
		}
	}
}

// TestStreamDirectory: a rule file that is a directory reads as empty,
// and Close reports the read error, as vstream_fclose does; an inline
// stream closes without error.
func TestStreamDirectory(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenStream("regexp", dir)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(s)
	if err != nil || len(data) != 0 {
		t.Errorf("read %q %v, want nothing and no error", data, err)
	}
	if err := s.Close(); !errors.Is(err, syscall.EISDIR) {
		t.Errorf("Close: %v, want EISDIR", err)
	}
	in, err := OpenStream("regexp", "{{/a/ b}}")
	if err != nil {
		t.Fatal(err)
	}
	if data, err := io.ReadAll(in); string(data) != "/a/ b\n" || err != nil {
		t.Errorf("inline: %q %v", data, err)
	}
	if err := in.Close(); err != nil {
		t.Errorf("inline Close: %v", err)
	}
}
