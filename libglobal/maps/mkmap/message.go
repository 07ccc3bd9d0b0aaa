package mkmap

import (
	"gopostfix/libglobal/headers"
	"gopostfix/libglobal/mime"
	"gopostfix/libglobal/record"
	"gopostfix/libglobal/util/dict"
)

// MessageQueries reads a message from stdin, runs it through the MIME
// parser and looks up what header_checks (header) and body_checks (body)
// would see, as postmap -h, -b and -m do (postmap_queries): each logical
// header line, continuation lines joined with a newline, and each body
// line. Without withMIME the parser treats everything after the primary
// headers as plain body text; with it, the headers of MIME parts and of
// attached messages are looked up as headers too and multipart
// boundaries are body lines. With header only (and no MIME) the message
// is read only up to the end of its primary headers. A message the parser
// rejects is fatal ("message format error").
func (t *Tool) MessageQueries(args []string, flags dict.Flags, header, body, withMIME bool) bool {
	l := newLazyTables(t, args, flags)
	found := false
	probe := func(key string) {
		if l.probeMessage(key) {
			found = true
		}
		l.batch.tick()
	}
	headerDone := false
	var h mime.Handler
	if header {
		h.Header = func(_ int, _ *headers.Opts, text string, _ int64) { probe(text) }
	}
	if body {
		h.Body = func(_ byte, text string, _ int64) { probe(text) }
	}
	if !body && !withMIME {
		h.HeaderEnd = func() { headerDone = true }
	}
	opts := mime.OptDisableMIME
	if withMIME {
		opts = 0
	}
	st := mime.New(opts, t.MIMELimits, headers.NewTable(""), h)
	in := newLineReader(t.Stdin, l.batch.release)
	errs := 0
	for !headerDone && errs == 0 {
		line, ok := in.next()
		if !ok {
			break
		}
		errs = st.Update(record.Norm, line)
	}
	if errs == 0 {
		errs = st.Update(record.End, "")
	}
	if errs != 0 {
		l.batch.release()
		t.Stdout.Flush()
		t.Log.Fatalf("message format error: %s", mime.ErrorDetail(errs).Text)
	}
	t.Stdout.Flush()
	l.close()
	return found
}

// probeMessage is probe for message lines (postmap_body): a plain lookup
// even with -F, and every failed lookup a query error with its errno.
func (l *lazyTables) probeMessage(key string) bool {
	t := l.t
	for i := range l.args {
		d := l.get(i)
		v, ok, err := d.Lookup(key)
		if ok {
			if v == "" {
				t.emptyWarning(d.Type(), d.Name(), key)
			}
			t.printPair(key, v)
			return true
		}
		if err != nil {
			t.Stdout.Flush()
			if dict.KindOf(err) == dict.KindFatal {
				t.Log.Fatalf("%s", err)
			}
			t.Log.Fatalf("table %s:%s: query error: %s", d.Type(), d.Name(), dict.ErrnoOf(err))
		}
	}
	return false
}
