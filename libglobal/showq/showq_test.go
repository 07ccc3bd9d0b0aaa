package showq

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"testing"

	"gopostfix/libglobal/util/attr"
)

type entry struct {
	m     Message
	rcpts []Recipient
}

var twoMessages = []entry{
	{Message{Queue: "deferred", ID: "C577898645E", Arrival: 1795958603, Size: 331, Sender: "eve@pfq.example"},
		[]Recipient{{"y@remote.example", "deferred transport"}, {"z@remote.example", "deferred transport"}}},
	{Message{Queue: "hold", ID: "7027A9861C6", Arrival: 1795958567, Size: 298, ForcedExpire: true, Sender: "nobody@pfq.example"},
		[]Recipient{{"dave@remote.example", "deferred transport"}}},
}

func encode(t *testing.T, entries []entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(attr.NewWriter(&buf, attr.Format0))
	if err := w.Announce(); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if err := w.Message(e.m); err != nil {
			t.Fatal(err)
		}
		for _, r := range e.rcpts {
			if err := w.Recipient(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.EndMessage(); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.End(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func decode(data []byte) ([]entry, error) {
	return decodeWith(NewReader(attr.NewReader(bytes.NewReader(data), attr.Format0, "public/showq")))
}

func TestWriterMatchesRealShowq(t *testing.T) {
	for _, tc := range []struct {
		golden  string
		entries []entry
	}{
		{"testdata/showq_empty.bin", nil},
		{"testdata/showq_two.bin", twoMessages},
	} {
		want, err := os.ReadFile(tc.golden)
		if err != nil {
			t.Fatal(err)
		}
		if got := encode(t, tc.entries); !bytes.Equal(got, want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.golden, got, want)
		}
	}
}

func TestReaderDecodesRealShowq(t *testing.T) {
	data, err := os.ReadFile("testdata/showq_two.bin")
	if err != nil {
		t.Fatal(err)
	}
	got, err := decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, twoMessages) {
		t.Errorf("got %+v\nwant %+v", got, twoMessages)
	}
}

func TestReaderMalformed(t *testing.T) {
	good, err := os.ReadFile("testdata/showq_two.bin")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"wrong protocol", []byte("protocol\x00flush\x00\x00\x00")},
		{"truncated", good[:len(good)-1]},
		{"cut inside message", good[:60]},
		{"missing sender", []byte("protocol\x00mail_queue_list_protocol\x00\x00queue_name\x00hold\x00queue_id\x00A\x00time\x001\x00size\x001\x00forced_expire\x000\x00\x00\x00")},
		{"bad number", []byte("protocol\x00mail_queue_list_protocol\x00\x00queue_name\x00hold\x00queue_id\x00A\x00time\x00x\x00size\x001\x00forced_expire\x000\x00sender\x00s\x00\x00\x00")},
		{"recipient without reason", []byte("protocol\x00mail_queue_list_protocol\x00\x00queue_name\x00hold\x00queue_id\x00A\x00time\x001\x00size\x001\x00forced_expire\x000\x00sender\x00s\x00recipient\x00r\x00\x00\x00")},
	} {
		if _, err := decode(tc.data); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", tc.name, err)
		}
	}
}

func TestReaderPrintable(t *testing.T) {
	data := encode(t, []entry{{Message{Queue: "incoming", ID: "A", Sender: "b\x01d@x"}, []Recipient{{"\xc3\xa9t\xe9@x", ""}}}})
	r := NewReader(attr.NewReader(bytes.NewReader(data), attr.Format0, "t"))
	r.r.UTF8 = false
	got, err := decodeWith(r)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].m.Sender != "b?d@x" || got[0].rcpts[0].Address != "??t?@x" {
		t.Errorf("ASCII: %+v", got)
	}
}

func decodeWith(r *Reader) ([]entry, error) {
	if err := r.ReadAnnouncement(); err != nil {
		return nil, err
	}
	var out []entry
	for {
		m, ok, err := r.NextMessage()
		if err != nil || !ok {
			return out, err
		}
		e := entry{m: m}
		for {
			rc, ok, err := r.NextRecipient()
			if err != nil {
				return out, err
			}
			if !ok {
				break
			}
			e.rcpts = append(e.rcpts, rc)
		}
		out = append(out, e)
	}
}

func FuzzReader(f *testing.F) {
	for _, p := range []string{"testdata/showq_empty.bin", "testdata/showq_two.bin"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := decode(data)
		if err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("unexpected error class: %v", err)
		}
		if err == nil {
			// A listing that decodes must encode back to a stream that
			// decodes to the same entries.
			again, err := decode(encode(t, entries))
			if err != nil || !reflect.DeepEqual(again, entries) {
				t.Fatalf("round trip: %v\n%+v\n%+v", err, entries, again)
			}
		}
	})
}
