package libtls

import "testing"

func TestProxyContext(t *testing.T) {
	x := &ProxyContext{PeerCN: "mx.example", Level: 1, PeerStatus: CertPresent | CertTrusted, Protocol: "TLSv1.3",
		Cipher: "TLS_AES_256_GCM_SHA384", UseBits: 256, AlgBits: 256, KexName: "X25519", SrvrSigName: "RSA-PSS",
		SrvrSigBits: 2048, SrvrSigDgst: "SHA256", NamAddr: "mx[192.0.2.1]:25"}
	y, ok := ParseContextProps("tls_level=1\nreuse_count=0\n" + x.Props())
	if !ok || *y != *x {
		t.Fatalf("round trip: %+v %v", y, ok)
	}
	if _, ok := ParseContextProps("tls_level=1\n"); ok {
		t.Error("context without attributes parsed")
	}
	tests := []struct {
		status int
		reused bool
		want   string
	}{
		{CertPresent | CertTrusted, false, "Trusted TLS connection established to mx[192.0.2.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256"},
		{CertPresent | CertTrusted | CertMatched | CertSecured, true, "Verified TLS connection reused to mx[192.0.2.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256"},
		{CertPresent, false, "Untrusted TLS connection established to mx[192.0.2.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256"},
		{0, false, "Anonymous TLS connection established to mx[192.0.2.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256"},
	}
	for _, tc := range tests {
		x.PeerStatus = tc.status
		if got := x.Summary(tc.reused); got != tc.want {
			t.Errorf("%d: %s", tc.status, got)
		}
	}
}
