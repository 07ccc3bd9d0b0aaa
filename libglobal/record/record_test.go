package record

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var samples = []string{
	"maildrop-656039862B3", "maildrop-722A39862CD", "incoming-75B9E98626B",
	"incoming-milter-7A9E498602D", "deferred-4jcnsn4mSWz1SGXk", "deferred-6FC249861B6",
	"deferred-75B9E98626B", "deferred-C577898645E", "deferred-C723B986462", "hold-7027A9861C6",
}

// pyRepr renders s (bytes read as Latin-1) the way Python's repr() does,
// which is how the golden record dumps were made.
func pyRepr(s string) string {
	q := byte('\'')
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == q || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < 0x20 || (c >= 0x7f && c <= 0xa0) || c == 0xad:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(q)
	return b.String()
}

// dump renders every record of a file as the golden *.records.txt files do.
func dump(t *testing.T, name string, data []byte) string {
	t.Helper()
	var out strings.Builder
	fmt.Fprintf(&out, "== %s\n", name)
	forEach(t, name, data, func(rec Record) {
		hdr := AppendLength([]byte{rec.Type}, len(rec.Data))
		var hex []string
		for _, b := range hdr {
			hex = append(hex, fmt.Sprintf("%02x", b))
		}
		s := string(rec.Data)
		if len(s) > 60 {
			s = s[:60] + "..."
		}
		fmt.Fprintf(&out, "%5d  %-8s '%c' len=%-4d %s\n", rec.Offset, strings.Join(hex, " "), rec.Type, len(rec.Data), pyRepr(s))
	})
	fmt.Fprintf(&out, "%5d  EOF (file size)\n", len(data))
	return out.String()
}

// forEach calls fn for every record of data, read raw.
func forEach(t *testing.T, name string, data []byte, fn func(Record)) {
	t.Helper()
	r := NewReader(bytes.NewReader(data), name, 0, 0)
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		fn(rec)
	}
}

func readSample(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestGoldenRecordDumps(t *testing.T) {
	for _, name := range samples {
		t.Run(name, func(t *testing.T) {
			got := dump(t, name, readSample(t, name))
			want := string(readSample(t, name+".records.txt"))
			if got != want {
				t.Errorf("dump differs\n got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestRoundTrip re-encodes every record of the real files: the bytes must
// come out identical, so our writer makes exactly what Postfix makes.
func TestRoundTrip(t *testing.T) {
	for _, name := range samples {
		data := readSample(t, name)
		var out bytes.Buffer
		w := NewWriter(&out, 0)
		forEach(t, name, data, func(rec Record) {
			if w.Offset() != rec.Offset {
				t.Fatalf("%s: writer offset %d, record offset %d", name, w.Offset(), rec.Offset)
			}
			if err := w.Put(rec.Type, rec.Data); err != nil {
				t.Fatal(err)
			}
		})
		if !bytes.Equal(out.Bytes(), data) {
			t.Errorf("%s: re-encoded file differs", name)
		}
	}
}

func TestLengthEncoding(t *testing.T) {
	tests := []struct {
		n    int
		want []byte
	}{
		{0, []byte{0x00}},
		{17, []byte{0x11}},
		{95, []byte{0x5f}},
		{127, []byte{0x7f}},
		{128, []byte{0x80, 0x01}},
		{300, []byte{0xac, 0x02}},
		{2048, []byte{0x80, 0x10}},
		{1<<21 - 1, []byte{0xff, 0xff, 0x7f}},
		{1 << 28, []byte{0x80, 0x80, 0x80, 0x80, 0x01}},
	}
	for _, tc := range tests {
		if got := AppendLength(nil, tc.n); !bytes.Equal(got, tc.want) {
			t.Errorf("AppendLength(%d) = % x, want % x", tc.n, got, tc.want)
		}
		if got := EncodedLen(tc.n); got != 1+len(tc.want)+tc.n {
			t.Errorf("EncodedLen(%d) = %d", tc.n, got)
		}
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name   string
		in     []byte
		maxLen int
		want   string
	}{
		{"eof in length", []byte{'N', 0x80}, 0, "f: unexpected EOF reading length, record type 78"},
		{"eof after type", []byte{'N'}, 0, "f: unexpected EOF reading length, record type 78"},
		{"eof in data", []byte{'N', 5, 'a', 'b'}, 0, "f: unexpected EOF in data, record type 78 length 5"},
		{"too many length bits", []byte{'N', 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}, 0, "f: too many length bits, record type 78"},
		{"negative length", []byte{'N', 0x80, 0x80, 0x80, 0x80, 0x08}, 0, "f: illegal length -2147483648, record type 78"},
		{"over limit", []byte{'N', 3, 'a', 'b', 'c'}, 2, "f: illegal length 3, record type 78"},
		{"bad pointer", append([]byte{'p', 3}, "1x2"...), 0, "f: malformed pointer record value: 1x2"},
		{"pointer on pipe", append([]byte{'p', 2}, " 9"...), 0, "f: seek error after pointer record: Illegal seek"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var src io.Reader = bytes.NewReader(tc.in)
			if tc.name == "pointer on pipe" {
				src = io.MultiReader(src) // hides Seek
			}
			r := NewReader(src, "f", Default, tc.maxLen)
			_, err := r.Next()
			var fe *FormatError
			if !errors.As(err, &fe) || err.Error() != tc.want {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// A fifth length byte is still accepted when the result stays positive.
func TestFiveLengthBytes(t *testing.T) {
	in := []byte{'N', 0x83, 0x80, 0x80, 0x80, 0x00, 'a', 'b', 'c'}
	rec, err := NewReader(bytes.NewReader(in), "f", 0, 0).Next()
	if err != nil || string(rec.Data) != "abc" {
		t.Fatalf("got %q, %v", rec.Data, err)
	}
}

// buildPointerFile makes a file whose header was replaced through a
// pointer record, the way cleanup edits a file for a Milter.
func buildPointerFile() []byte {
	var b bytes.Buffer
	w := NewWriter(&b, 0)
	w.PutString(Time, "1 2")
	w.PutString(Mesg, "")
	ptrAt := w.Offset()
	w.PutPtr(0) // placeholder, patched below
	w.PutString(Norm, "body")
	w.Pad(Padding, 6)
	w.PutString(Xtra, "")
	w.PutString(End, "")
	heap := w.Offset()
	w.PutString(Norm, "Subject: new")
	w.PutPtr(ptrAt + int64(EncodedLen(PtrPayloadSize)))
	data := b.Bytes()
	patch := Append(nil, Ptr, []byte(FormatFixed(heap)))
	copy(data[ptrAt:], patch)
	return data
}

func collect(t *testing.T, data []byte, flags ReadFlags) []string {
	t.Helper()
	r := NewReader(bytes.NewReader(data), "f", flags, 0)
	var got []string
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return got
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%d/%d %c %s", rec.From, rec.Offset, rec.Type, rec.Data))
	}
}

func TestPointersAndPadding(t *testing.T) {
	data := buildPointerFile()
	got := strings.Join(collect(t, data, Default), "|")
	want := "0/0 T 1 2|5/5 M |7/40 N Subject: new|54/24 N body|30/36 X |38/38 E "
	if got != want {
		t.Errorf("default flags:\n got %s\nwant %s", got, want)
	}
	raw := collect(t, data, 0)
	if len(raw) != 9 || !strings.HasPrefix(raw[5], "36/36 X") || !strings.Contains(raw[4], "w    0") {
		t.Errorf("raw read: %q", raw)
	}
}

func TestReverseJumpLimit(t *testing.T) {
	// A pointer that points at itself loops until the limit trips.
	data := Append(nil, Ptr, []byte(FormatFixed(0)))
	data = Append(data, Ptr, []byte(FormatFixed(int64(len(data)))))
	r := NewReader(bytes.NewReader(data), "f", Default, 0)
	_, err := r.Next()
	if err == nil || err.Error() != "f: too many reverse jump records" {
		t.Fatalf("got %v", err)
	}
}

func TestSeekEnd(t *testing.T) {
	data := Append(nil, End, nil)
	data = Append(data, Norm, []byte("after end"))
	if got := collect(t, data, Default); len(got) != 1 {
		t.Errorf("default: %q", got)
	}
	if got := collect(t, data, 0); len(got) != 2 {
		t.Errorf("raw: %q", got)
	}
}

func TestPutType(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "q")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data := readSample(t, "deferred-C577898645E")
	data[273] = Rcpt // what cleanup wrote before qmgr marked it done
	f.Write(data)
	if err := PutType(f, 273, Done); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(f.Name())
	if !bytes.Equal(got, readSample(t, "deferred-C577898645E")) {
		t.Error("marking the recipient done did not reproduce the real file")
	}
}

func TestPad(t *testing.T) {
	for n, want := range map[int]string{2: "w\x010", 3: "w\x010", 5: "w\x03  0", 17: "w\x0f" + strings.Repeat(" ", 14) + "0"} {
		var b bytes.Buffer
		NewWriter(&b, 0).Pad(Padding, n)
		if b.String() != want {
			t.Errorf("Pad(%d) = %q, want %q", n, b.String(), want)
		}
	}
}

func TestName(t *testing.T) {
	for ty, want := range map[byte]string{'C': "message_size", 'L': "content_filter", 'N': "regular_text",
		'p': "pointer_record", 'd': "unknown_record_type", 'm': "unknown_record_type", '<': "dsn_return_flags"} {
		if got := Name(ty); got != want {
			t.Errorf("Name(%c) = %s, want %s", ty, got, want)
		}
	}
	if !In(EnvelopeTypes, 0) || In(EnvelopeTypes, 'N') || !In(ContentTypes, 'w') {
		t.Error("In")
	}
}
