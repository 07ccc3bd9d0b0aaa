package sasl

// status is a libsasl2 result code; only the ones this implementation
// produces are named.
type status int

const (
	statusOK status = iota
	statusContinue
	statusFail
	statusBadProt
	statusBadAuth
	statusNoMech
	statusNoUser
	statusEncrypt
)

// text is sasl_errstring's wording, which smtpd puts in its replies.
func (s status) text() string {
	switch s {
	case statusOK:
		return "successful result"
	case statusContinue:
		return "another step is needed in authentication"
	case statusFail:
		return "generic failure"
	case statusBadProt:
		return "bad protocol / cancel"
	case statusBadAuth:
		return "authentication failure"
	case statusNoMech:
		return "no mechanism available"
	case statusNoUser:
		return "user not found"
	case statusEncrypt:
		return "encryption needed to use mechanism"
	}
	return "undefined error!"
}

// temporary reports whether smtpd answers 454 rather than 535
// (SASL_FAIL, SASL_NOMEM, SASL_TRYAGAIN, SASL_UNAVAIL).
func (s status) temporary() bool { return s == statusFail }

// decode64 is sasl_decode64: groups of four base64 characters, '='
// padding only at the end; a trailing partial group without padding is
// SASL_CONTINUE, anything else malformed SASL_BADPROT, and a leading
// CR SASL_FAIL.
func decode64(in string) ([]byte, status) {
	if len(in) > 0 && in[0] == '\r' {
		return nil, statusFail
	}
	out := make([]byte, 0, len(in)*3/4)
	sawEqual := false
	for len(in) > 3 {
		if sawEqual {
			return nil, statusBadProt
		}
		c := in[:4]
		in = in[4:]
		v0, v1, v2, v3 := b64val(c[0]), b64val(c[1]), b64val(c[2]), b64val(c[3])
		if v0 < 0 || v1 < 0 || (c[2] != '=' && v2 < 0) || (c[3] != '=' && v3 < 0) {
			return nil, statusBadProt
		}
		if c[2] == '=' && c[3] != '=' {
			return nil, statusBadProt
		}
		if c[2] == '=' || c[3] == '=' {
			sawEqual = true
		}
		out = append(out, byte(v0<<2|v1>>4))
		if c[2] != '=' {
			out = append(out, byte(v1<<4|v2>>2))
			if c[3] != '=' {
				out = append(out, byte(v2<<6|v3))
			}
		}
	}
	if len(in) != 0 {
		if sawEqual {
			return nil, statusBadProt
		}
		return nil, statusContinue
	}
	return out, statusOK
}

func b64val(c byte) int {
	switch {
	case c >= 'A' && c <= 'Z':
		return int(c - 'A')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 26
	case c >= '0' && c <= '9':
		return int(c-'0') + 52
	case c == '+':
		return 62
	case c == '/':
		return 63
	}
	return -1
}
