package postscreen

import (
	"bytes"
	"os"
	"testing"

	"gopostfix/libglobal/util/attr"
)

// The capture holds one request (label 7) and the real dnsblog's reply
// when no DNS server answered: empty rbl_addr, ttl -1.
func TestCapture(t *testing.T) {
	golden, err := os.ReadFile("testdata/dnsblog.bin")
	if err != nil {
		t.Fatal(err)
	}
	q := Query{Domain: "zen.example", Client: "127.0.0.2", Label: 7}
	var buf bytes.Buffer
	w := attr.NewWriter(&buf, attr.Format0)
	if err := w.Print(q.Attrs()...); err != nil {
		t.Fatal(err)
	}
	if err := w.Print(Answer{Query: q, TTL: -1}.Attrs()...); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), golden) {
		t.Fatalf("wire bytes differ:\n got %q\nwant %q", buf.Bytes(), golden)
	}
	r := attr.NewReader(bytes.NewReader(golden), attr.Format0, "private/dnsblog")
	gq, ok, _ := ReadQuery(r)
	if !ok || gq != q {
		t.Fatalf("ReadQuery: %+v %v", gq, ok)
	}
	// The request was read with ATTR_FLAG_MORE: its terminator is next.
	if more, err := r.ScanMore(); more || err != nil {
		t.Fatalf("ScanMore after request: %v %v", more, err)
	}
	ga, ok, _ := ReadAnswer(r)
	if !ok || ga.Query != q || ga.Addrs != "" || ga.TTL != -1 {
		t.Fatalf("ReadAnswer: %+v %v", ga, ok)
	}
}

func TestReadAnswerRejects(t *testing.T) {
	tests := []struct {
		name string
		wire string
	}{
		{"short", "rbl_domain\x00a\x00client_address\x00b\x00label\x001\x00\x00"},
		{"extra first", "junk\x00x\x00rbl_domain\x00a\x00client_address\x00b\x00label\x001\x00rbl_addr\x00\x00ttl\x001\x00\x00"},
		{"bad number", "rbl_domain\x00a\x00client_address\x00b\x00label\x00x\x00rbl_addr\x00\x00ttl\x001\x00\x00"},
		{"empty", ""},
	}
	for _, tc := range tests {
		r := attr.NewReader(bytes.NewReader([]byte(tc.wire)), attr.Format0, "private/dnsblog")
		if a, ok, _ := ReadAnswer(r); ok {
			t.Errorf("%s: accepted %+v", tc.name, a)
		}
	}
}

func FuzzReadAnswer(f *testing.F) {
	golden, err := os.ReadFile("testdata/dnsblog.bin")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(golden)
	f.Add([]byte("rbl_domain\x00a\x00client_address\x00b\x00label\x001\x00rbl_addr\x00127.0.0.2 127.0.0.3\x00ttl\x0060\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := attr.NewReader(bytes.NewReader(data), attr.Format0, "private/dnsblog")
		if a, ok, _ := ReadAnswer(r); ok {
			var buf bytes.Buffer
			attr.NewWriter(&buf, attr.Format0).Print(a.Attrs()...)
			b, ok, _ := ReadAnswer(attr.NewReader(&buf, attr.Format0, "again"))
			if !ok || b != a {
				t.Fatalf("round trip: %+v -> %+v", a, b)
			}
		}
		r = attr.NewReader(bytes.NewReader(data), attr.Format0, "private/dnsblog")
		ReadQuery(r)
	})
}
