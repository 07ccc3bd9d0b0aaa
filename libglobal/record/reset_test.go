package record

import (
	"bytes"
	"testing"
)

// TestReaderReset checks that a reset Reader reads its new stream from
// the start with none of the old one's state: buffered bytes, offsets
// and the reverse-jump count.
func TestReaderReset(t *testing.T) {
	loop := Append(nil, Ptr, []byte(FormatFixed(0)))
	loop = Append(loop, Ptr, []byte(FormatFixed(int64(len(loop)))))
	r := NewReader(bytes.NewReader(loop), "f", Default, 0)
	if _, err := r.Next(); err == nil {
		t.Fatal("looping pointers accepted")
	}
	good := Append(Append(nil, Time, []byte("12345")), Rcpt, []byte("user@example.com"))
	r.Reset(bytes.NewReader(good), "g", Default, 0)
	var got []Record
	for {
		rec, err := r.Next()
		if err != nil {
			t.Fatalf("after Reset: %v", err)
		}
		got = append(got, Record{Type: rec.Type, Data: append([]byte(nil), rec.Data...), Offset: rec.Offset})
		if rec.Type == Rcpt {
			break
		}
	}
	if len(got) != 2 || got[0].Type != Time || string(got[0].Data) != "12345" || got[0].Offset != 0 ||
		got[1].Type != Rcpt || got[1].Offset != int64(len(good)-len("user@example.com")-2) {
		t.Fatalf("records after Reset: %+v", got)
	}
	if r.Path() != "g" {
		t.Errorf("Path %q after Reset", r.Path())
	}
}
