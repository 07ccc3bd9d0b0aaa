package mime

import (
	"fmt"
	"strings"
	"testing"

	"gopostfix/libglobal/headers"
	"gopostfix/libglobal/record"
)

// trace runs the parser over input lines (a line ending in "\\" is a
// Cont record) and returns what it reported, one event per line.
func trace(opts int, lim Limits, input string) []string {
	var out []string
	classes := map[int]string{HdrPrimary: "MAIN", HdrMultipart: "MULT", HdrNested: "NEST"}
	s := New(opts, lim, headers.NewTable(""), Handler{
		Header: func(class int, o *headers.Opts, text string, off int64) {
			out = append(out, fmt.Sprintf("%s %d|%s", classes[class], off, text))
		},
		HeaderEnd: func() { out = append(out, "HEADER END") },
		Body: func(t byte, text string, off int64) {
			out = append(out, fmt.Sprintf("BODY %c %d|%s", t, off, text))
		},
		BodyEnd: func() { out = append(out, "BODY END") },
		Error:   func(code int, text string) { out = append(out, "ERROR "+ErrorDetail(code).Text+": "+text) },
	})
	for _, line := range strings.Split(strings.TrimSuffix(input, "\n"), "\n") {
		if strings.HasSuffix(line, "\\") {
			s.Update(record.Cont, strings.TrimSuffix(line, "\\"))
		} else {
			s.Update(record.Norm, line)
		}
	}
	s.Update(record.Xtra, "")
	return out
}

var limits = Limits{HeaderSize: 102400, Nesting: 100, BoundaryLen: 2048}

func TestParser(t *testing.T) {
	tests := []struct {
		name  string
		opts  int
		lim   Limits
		input string
		want  string
	}{
		{"plain", 0, limits, "Subject: a\n folded\nX: y\n\nbody\n",
			"MAIN 0|Subject: a\n folded\nMAIN 5|X: y\nHEADER END\nBODY N 0|\nBODY N 1|body\nBODY END"},
		{"obsolete colon", 0, limits, "Subject : a\n\nb\n",
			"MAIN 0|Subject: a\nHEADER END\nBODY N 0|\nBODY N 1|b\nBODY END"},
		{"garbage ends primary headers", 0, limits, "Subject: a\nnot a header\n",
			"MAIN 0|Subject: a\nHEADER END\nBODY N 0|\nBODY N 0|not a header\nBODY END"},
		{"continued records", 0, limits, "Subject: ab\\\ncd\n\nx\\\ny\n",
			"MAIN 0|Subject: abcd\nHEADER END\nBODY N 0|\nBODY L 1|x\nBODY N 3|y\nBODY END"},
		{"last line without newline", 0, limits, "Subject: a\n\nx\\\n",
			"MAIN 0|Subject: a\nHEADER END\nBODY N 0|\nBODY L 1|x\nBODY N 3|\nBODY END"},
		{"multipart", 0, limits,
			"Content-Type: multipart/mixed; boundary=\"b1\"\n\npre\n--b1\nContent-Type: text/plain\n\none\n--b1\nX-Part: two\ngarbage\n--b1--\npost\n",
			"MAIN 0|Content-Type: multipart/mixed; boundary=\"b1\"\nHEADER END\nBODY N 0|\nBODY N 1|pre\nBODY N 5|--b1\n" +
				"MULT 0|Content-Type: text/plain\nBODY N 0|\nBODY N 1|one\nBODY N 5|--b1\nMULT 0|X-Part: two\nBODY N 0|garbage\nBODY N 0|--b1--\nBODY N 7|post\nBODY END"},
		{"nested message", 0, limits,
			"Content-Type: message/rfc822\n\nSubject: inner\n\nbody\n",
			"MAIN 0|Content-Type: message/rfc822\nHEADER END\nBODY N 0|\nNEST 0|Subject: inner\nBODY N 0|\nBODY N 1|body\nBODY END"},
		{"message/global", 0, limits,
			"Content-Type: message/global\n\nSubject: inner\n\nbody\n",
			"MAIN 0|Content-Type: message/global\nHEADER END\nBODY N 0|\nNEST 0|Subject: inner\nBODY N 0|\nBODY N 1|body\nBODY END"},
		{"message/global downgraded", OptDowngrade, limits,
			"Content-Type: message/global\nContent-Transfer-Encoding: 8bit\n\nSubject: \xc3\xb6\n",
			"MAIN 0|Content-Type: message/global\nMAIN 32|Content-Transfer-Encoding: quoted-printable\nHEADER END\nBODY N 0|\nBODY N 1|Subject: =C3=B6\nBODY END"},
		{"message/global 7bit downgraded", OptDowngrade, limits,
			"Content-Type: message/global\n\nSubject: inner\n",
			"MAIN 0|Content-Type: message/global\nHEADER END\nBODY N 0|\nNEST 0|Subject: inner\nBODY END"},
		{"message/rfc822 downgraded", OptDowngrade, limits,
			"Content-Type: message/rfc822\nContent-Transfer-Encoding: 8bit\n\nSubject: \xc3\xb6\n",
			"MAIN 0|Content-Type: message/rfc822\nMAIN 32|Content-Transfer-Encoding: 7bit\nHEADER END\nBODY N 0|\nNEST 0|Subject: \xc3\xb6\nBODY END"},
		{"disabled", OptDisableMIME, limits,
			"Content-Type: message/rfc822\n\nSubject: inner\n",
			"MAIN 0|Content-Type: message/rfc822\nHEADER END\nBODY N 0|\nBODY N 1|Subject: inner\nBODY END"},
		{"8bit header", OptReport8BitInHeader, limits, "Subject: b\xc3\xb6se\nX: \xc3\n\nb\n",
			"ERROR improper use of 8-bit data in message header: Subject: b\xc3\xb6se\nMAIN 0|Subject: b\xc3\xb6se\nMAIN 5|X: \xc3\nHEADER END\nBODY N 0|\nBODY N 1|b\nBODY END"},
		{"8bit body in 7bit", OptReport8BitIn7BitBody, limits, "Subject: a\n\n\xc3\xb6\n",
			"MAIN 0|Subject: a\nHEADER END\nBODY N 0|\nERROR improper use of 8-bit data in message body: \xc3\xb6\nBODY N 1|\xc3\xb6\nBODY END"},
		{"8bit body declared", OptReport8BitIn7BitBody, limits, "Content-Transfer-Encoding: 8bit\n\n\xc3\xb6\n",
			"MAIN 0|Content-Transfer-Encoding: 8bit\nHEADER END\nBODY N 0|\nBODY N 1|\xc3\xb6\nBODY END"},
		{"encoding domain", OptReportEncodingDomain, limits,
			"Content-Type: multipart/mixed; boundary=x\nContent-Transfer-Encoding: base64\n\n",
			"MAIN 0|Content-Type: multipart/mixed; boundary=x\nMAIN 34|Content-Transfer-Encoding: base64\nHEADER END\nERROR invalid message/* or multipart/* encoding domain: base64\nBODY N 0|\nBODY END"},
		{"nesting", OptReportNesting, Limits{HeaderSize: 100, Nesting: 1, BoundaryLen: 10},
			"Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: multipart/mixed; boundary=c\n\n",
			"MAIN 0|Content-Type: multipart/mixed; boundary=a\nHEADER END\nBODY N 0|\nBODY N 1|--a\nMULT 0|Content-Type: multipart/mixed; boundary=b\nBODY N 0|\nBODY N 1|--b\n" +
				"ERROR MIME nesting exceeds safety limit: Content-Type: multipart/mixed; boundary=c\nMULT 0|Content-Type: multipart/mixed; boundary=c\nBODY N 0|\nBODY END"},
		{"header size limit", OptReportTruncHeader, Limits{HeaderSize: 12, Nesting: 1, BoundaryLen: 10},
			"Subject: 12345\n more\n\n",
			"ERROR message header length exceeds safety limit: Subject: 12345\nMAIN 0|Subject: 12345\nHEADER END\nBODY N 0|\nBODY END"},
		{"downgrade", OptDowngrade, limits,
			"Content-Transfer-Encoding: 8bit\n\n\xc3\xb6 = x \n",
			"MAIN 0|Content-Transfer-Encoding: quoted-printable\nHEADER END\nBODY N 0|\nBODY N 1|=C3=B6 =3D x=20\nBODY END"},
	}
	for _, tc := range tests {
		got := strings.Join(trace(tc.opts, tc.lim, tc.input), "\n")
		if got != tc.want {
			t.Errorf("%s:\ngot:\n%s\nwant:\n%s", tc.name, got, tc.want)
		}
	}
}

func TestHeaderToken(t *testing.T) {
	tests := []struct {
		in, specials string
		term         byte
		max          int
		want, rest   string
		ok           bool
	}{
		{" text/plain (comment (nested)); charset=\"a\\\"b\"", rfc2045TSpecials, ';', 3, "T:text /:/ T:plain", " charset=\"a\\\"b\"", true},
		{" charset=\"a\\\"b\"", rfc2045TSpecials, ';', 3, "T:charset =:= Q:a\"b", "", true},
		{"   ", rfc2045TSpecials, ';', 3, "", "", false},
		{" 8bit extra", "", 0, 1, "T:8bit", " extra", true},
		{"\"folded\n  string\"", "", 0, 1, "Q:folded  string", "", true},
	}
	for _, tc := range tests {
		toks, rest, ok := HeaderToken(tc.in, tc.max, tc.specials, tc.term)
		var parts []string
		for _, tk := range toks {
			kind := string(rune(tk.Type))
			switch tk.Type {
			case TokToken:
				kind = "T"
			case TokQString:
				kind = "Q"
			}
			parts = append(parts, kind+":"+tk.Value)
		}
		if got := strings.Join(parts, " "); got != tc.want || rest != tc.rest || ok != tc.ok {
			t.Errorf("HeaderToken(%q) = %q, rest %q, %v; want %q, %q, %v", tc.in, got, rest, ok, tc.want, tc.rest, tc.ok)
		}
	}
}

// FuzzParser feeds arbitrary content with every option: the parser
// must neither panic nor hang.
func FuzzParser(f *testing.F) {
	f.Add("Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: message/rfc822\n\nSubject: x\n\n--a--\n")
	f.Add("Subject: a\\\nb\n\nx\\\n")
	f.Add("Content-Type: multipart/digest; boundary=\"\"\n\n--\n---\n")
	f.Fuzz(func(t *testing.T, input string) {
		all := OptReport8BitIn7BitBody | OptReport8BitInHeader | OptReportEncodingDomain | OptReportTruncHeader | OptReportNesting
		trace(all, Limits{HeaderSize: 64, Nesting: 3, BoundaryLen: 8}, input)
		trace(all|OptDowngrade|OptRecurseAllMessage, Limits{HeaderSize: 64, Nesting: 3, BoundaryLen: 8}, input)
	})
}
