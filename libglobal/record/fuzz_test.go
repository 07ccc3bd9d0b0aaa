package record

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// FuzzReader feeds arbitrary bytes to the reader with every flag set: it
// must end with io.EOF or a FormatError, never panic or loop, and records
// it returns must re-encode to bytes found in the input.
func FuzzReader(f *testing.F) {
	for _, name := range samples {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add(buildPointerFile())
	f.Add([]byte{'N', 0x80, 0x80, 0x80, 0x80, 0x08})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, flags := range []ReadFlags{0, Default} {
			r := NewReader(bytes.NewReader(data), "fuzz", flags, 0)
			for i := 0; ; i++ {
				if i > (len(data)+1)*(reverseJumpLimit+2) {
					t.Fatal("reader does not terminate")
				}
				rec, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					var fe *FormatError
					if !errors.As(err, &fe) {
						t.Fatalf("unexpected error type %T: %v", err, err)
					}
					break
				}
				enc := Append(nil, rec.Type, rec.Data)
				if flags == 0 && !bytes.Equal(enc, data[rec.Offset:rec.Offset+int64(len(enc))]) {
					// Only the canonical length encoding round-trips;
					// the record must at least lie inside the input.
					if rec.Offset+int64(len(enc)) > int64(len(data))+4 {
						t.Fatalf("record at %d extends beyond input", rec.Offset)
					}
				}
			}
		}
	})
}
