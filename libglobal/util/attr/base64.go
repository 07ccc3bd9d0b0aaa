package attr

import "encoding/base64"

// encode64 is base64_encode: standard alphabet, padded, no line breaks.
func encode64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

const b64alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

var unb64 = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for i := 0; i < len(b64alphabet); i++ {
		t[b64alphabet[i]] = byte(i)
	}
	return t
}()

// decode64 is base64_decode, including its leniency: the length must be a
// multiple of four, decoding stops at the first '=' in the third or fourth
// position of a group (whatever follows is ignored), and unused low bits
// are not checked.
func decode64(s string) ([]byte, bool) {
	if len(s)%4 != 0 {
		return nil, false
	}
	out := make([]byte, 0, len(s)/4*3)
	for i := 0; i < len(s); i += 4 {
		c0, c1 := unb64[s[i]], unb64[s[i+1]]
		if c0 == 0xff || c1 == 0xff {
			return nil, false
		}
		out = append(out, c0<<2|c1>>4)
		if s[i+2] == '=' {
			break
		}
		c2 := unb64[s[i+2]]
		if c2 == 0xff {
			return nil, false
		}
		out = append(out, c1<<4|c2>>2)
		if s[i+3] == '=' {
			break
		}
		c3 := unb64[s[i+3]]
		if c3 == 0xff {
			return nil, false
		}
		out = append(out, c2<<6|c3)
	}
	return out, true
}
