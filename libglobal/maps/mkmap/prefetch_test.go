package mkmap

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
	"testing"
	"testing/iotest"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// prefetchTable records the bursts Prefetch gets and the lookups that
// follow them.
type prefetchTable struct {
	dict.Base
	values  map[string]string
	bursts  [][]string
	lookups []string
}

func (p *prefetchTable) Prefetch(keys []string) {
	p.bursts = append(p.bursts, append([]string(nil), keys...))
}

func (p *prefetchTable) Lookup(key string) (string, bool, error) {
	p.lookups = append(p.lookups, key)
	v, ok := p.values[key]
	return v, ok, nil
}

func (p *prefetchTable) Close() error { return nil }

func prefetchTool(stdin string, bytewise bool, tables map[string]*prefetchTable) (*Tool, *bytes.Buffer) {
	reg := dict.NewRegistry(msg.New(&msg.Capture{}))
	reg.Register("pf", func(req dict.OpenRequest) (dict.Dict, error) {
		p := &prefetchTable{values: map[string]string{}}
		for i := 0; i < 100; i += 3 {
			p.values[fmt.Sprintf("k%d", i)] = req.Name + fmt.Sprint(i)
		}
		p.Init(req, dict.FlagFixed)
		tables[req.Name] = p
		return p, nil
	})
	var in = strings.NewReader(stdin)
	var out bytes.Buffer
	t := &Tool{Log: msg.New(&msg.Capture{}), Reg: reg, Stdin: in, Stdout: bufio.NewWriter(&out), SeqFormat: "%s\t%s\n"}
	if bytewise {
		t.Stdin = iotest.OneByteReader(in)
	}
	return t, &out
}

// The first table gets the keys read ahead in bursts of at most
// burstKeys, in input order, before they are looked up; the output is
// what one lookup after another gives.
func TestQueriesPrefetch(t *testing.T) {
	var keys []string
	var want strings.Builder
	for i := 0; i < 100; i++ {
		k := fmt.Sprintf("k%d", i)
		keys = append(keys, k)
		if i%3 == 0 {
			fmt.Fprintf(&want, "%s\ta%d\n", k, i)
		}
	}
	input := strings.Join(keys, "\n") + "\n"
	for _, bytewise := range []bool{false, true} {
		tables := map[string]*prefetchTable{}
		tool, out := prefetchTool(input, bytewise, tables)
		if !tool.Queries([]string{"pf:a", "pf:b"}, 0) {
			t.Fatal("Queries found nothing")
		}
		if out.String() != want.String() {
			t.Fatalf("bytewise %v: output %.60q..., want %.60q...", bytewise, out.String(), want.String())
		}
		a, b := tables["a"], tables["b"]
		if len(b.bursts) != 0 {
			t.Errorf("the second table got %d prefetch bursts", len(b.bursts))
		}
		var prefetched []string
		for _, burst := range a.bursts {
			if len(burst) < 2 || len(burst) > burstKeys {
				t.Fatalf("burst of %d keys", len(burst))
			}
			prefetched = append(prefetched, burst...)
		}
		switch {
		case bytewise && len(a.bursts) != 0:
			t.Errorf("input read a byte at a time gave %d bursts (no key is ever read ahead)", len(a.bursts))
		case !bytewise && strings.Join(prefetched, " ") != strings.Join(keys, " "):
			t.Errorf("prefetched %q, want every key in order", prefetched)
		}
		if strings.Join(a.lookups, " ") != strings.Join(keys, " ") {
			t.Errorf("first table looked up %q", a.lookups)
		}
	}
}

// buffered hands out complete lines already read and never reads.
func TestLineReaderBuffered(t *testing.T) {
	cr := &countingReader{r: strings.NewReader("a\nb\nc")}
	in := newLineReader(cr, func() { cr.allowed++ })
	if _, ok := in.buffered(); ok || cr.reads != 0 {
		t.Fatalf("buffered before any read: ok %v, %d reads", ok, cr.reads)
	}
	var got []string
	line, _ := in.next()
	got = append(got, line)
	for {
		line, ok := in.buffered()
		if !ok {
			break
		}
		got = append(got, line)
	}
	if reads := cr.reads; strings.Join(got, "|") != "a|b" || reads != 1 {
		t.Fatalf("got %q after %d reads", got, reads)
	}
	if line, ok := in.next(); !ok || line != "c" {
		t.Fatalf("last line without newline: %q %v", line, ok)
	}
}
