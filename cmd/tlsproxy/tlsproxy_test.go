package main

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"gopostfix/libglobal/util/attr"
)

// encodeRequest writes a client settings record as tls_proxy_client_print.c
// lays it out.
func encodeRequest(q *clientRequest) []byte {
	var buf bytes.Buffer
	w := attr.NewWriter(&buf, attr.Format0)
	var a []attr.Attr
	for i, name := range paramNames {
		if i < len(q.strParams) {
			a = append(a, attr.Str(name, q.strParams[i]))
		} else {
			a = append(a, attr.Int(name, q.intParams[i-len(q.strParams)]))
		}
	}
	a = append(a, attr.Str("log_param", q.logParam), attr.Str("log_level", q.logLevel),
		attr.Int("verifydepth", q.verifyDepth), attr.Str("cache_type", q.cacheType),
		attr.Str("chain_files", q.chainFiles), attr.Str("cert_file", q.certFile), attr.Str("key_file", q.keyFile),
		attr.Str("dcert_file", q.dcertFile), attr.Str("dkey_file", q.dkeyFile), attr.Str("eccert_file", q.eccertFile),
		attr.Str("eckey_file", q.eckeyFile), attr.Str("CAfile", q.caFile), attr.Str("CApath", q.caPath),
		attr.Str("mdalg", q.initMdalg), attr.Int("timeout", q.timeout), attr.Int("tls_level", q.level),
		attr.Str("nexthop", q.nexthop), attr.Str("host", q.host), attr.Str("namaddr", q.namaddr),
		attr.Str("sni", q.sni), attr.Str("serverid", q.serverID), attr.Str("helo", q.helo),
		attr.Str("protocols", q.protocols), attr.Str("cipher_grade", q.cipherGrade),
		attr.Str("cipher_exclusions", q.cipherExclusions), attr.Int("argv_size", len(q.match)))
	for _, m := range q.match {
		a = append(a, attr.Str("argv_value", m))
	}
	a = append(a, attr.Str("mdalg", q.mdalg))
	if q.dane {
		a = append(a, attr.Int("dane", 1), attr.Str("domain", q.daneDomain), attr.Int("count", len(q.tlsa)))
		for _, r := range q.tlsa {
			a = append(a, attr.Int("usage", r.usage), attr.Int("selector", r.selector), attr.Int("mtype", r.mtype), attr.Data("data", r.data))
		}
	} else {
		a = append(a, attr.Int("dane", 0))
	}
	w.Print(a...)
	w.Flush()
	return buf.Bytes()
}

func sampleRequest() *clientRequest {
	q := &clientRequest{logParam: "smtp_tls_loglevel", logLevel: "1", verifyDepth: 9, cacheType: "smtp",
		caFile: "/etc/ca.pem", initMdalg: "sha256", timeout: 300, level: levFprint, nexthop: "[127.0.0.1]:25",
		host: "127.0.0.1", namaddr: "127.0.0.1[127.0.0.1]:25", serverID: "smtp:127.0.0.1:25", helo: "mx.example",
		protocols: ">=TLSv1", cipherGrade: "medium", match: []string{"nexthop", "dot-nexthop"}, mdalg: "sha256",
		dane: true, tlsa: []tlsaRecord{{3, 0, 255, []byte{1, 2, 3}}, {3, 1, 255, []byte{4, 5}}}}
	q.strParams[2] = "HIGH"
	q.intParams[0] = 32
	return q
}

func TestScanClientRequest(t *testing.T) {
	want := sampleRequest()
	got, err := scanClientRequest(attr.NewReader(bytes.NewReader(encodeRequest(want)), attr.Format0, "test"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	nodane := sampleRequest()
	nodane.dane, nodane.tlsa, nodane.match = false, nil, []string{}
	if got, err := scanClientRequest(attr.NewReader(bytes.NewReader(encodeRequest(nodane)), attr.Format0, "test")); err != nil || got.dane || len(got.match) != 0 {
		t.Errorf("without DANE: %+v %v", got, err)
	}
	data := encodeRequest(want)
	for _, cut := range []int{0, 10, len(data) / 2, len(data) - 1} {
		if _, err := scanClientRequest(attr.NewReader(bytes.NewReader(data[:cut]), attr.Format0, "test")); err == nil {
			t.Errorf("truncated at %d: no error", cut)
		}
	}
}

func TestMatchNames(t *testing.T) {
	q := &clientRequest{host: "mx.example.com", nexthop: "Example.COM", match: []string{"hostname", "nexthop", "dot-nexthop", "literal.example"}}
	want := []string{"mx.example.com", "example.com", ".example.com", "literal.example"}
	if got := matchNames(q); !reflect.DeepEqual(got, want) {
		t.Errorf("matchNames = %q, want %q", got, want)
	}
}

func TestSummary(t *testing.T) {
	base := clientContext{namaddr: "h[1.2.3.4]:25", protocol: "TLSv1.3", cipher: "TLS_AES_128_GCM_SHA256", useBits: 128, algBits: 128,
		kexName: "X25519", srvrSigName: "ECDSA", srvrSigCurve: "prime256v1", srvrSigDgst: "SHA256"}
	for _, tc := range []struct {
		status int
		mod    func(c *clientContext)
		want   string
	}{
		{certPresent, nil, "Untrusted TLS connection established to h[1.2.3.4]:25: TLSv1.3 with cipher TLS_AES_128_GCM_SHA256 (128/128 bits) key-exchange X25519 server-signature ECDSA (prime256v1) server-digest SHA256"},
		{certPresent | certTrusted, nil, "Trusted TLS connection established to"},
		{certPresent | certTrusted | certMatched | certSecured, nil, "Verified TLS connection established to"},
		{0, nil, "Anonymous TLS connection established to"},
		{certPresent, func(c *clientContext) {
			c.kexName, c.kexCurve, c.srvrSigName, c.srvrSigCurve, c.srvrSigBits = "ECDHE", "secp384r1", "RSA-PSS", "", 2048
		}, "Untrusted TLS connection established to h[1.2.3.4]:25: TLSv1.3 with cipher TLS_AES_128_GCM_SHA256 (128/128 bits) key-exchange ECDHE (secp384r1) server-signature RSA-PSS (2048 bits) server-digest SHA256"},
		{certPresent, func(c *clientContext) { c.protocol, c.kexName, c.srvrSigName = "TLSv1.2", "", "" },
			"Untrusted TLS connection established to h[1.2.3.4]:25: TLSv1.2 with cipher TLS_AES_128_GCM_SHA256 (128/128 bits)"},
	} {
		c := base
		c.status = tc.status
		if tc.mod != nil {
			tc.mod(&c)
		}
		if got := c.summary(); !strings.HasPrefix(got, tc.want) || strings.HasSuffix(tc.want, ")") && got != tc.want {
			t.Errorf("summary = %q, want %q", got, tc.want)
		}
	}
}

func TestLogLevel(t *testing.T) {
	for in, want := range map[string]int{"": 0, "0": 0, "1": 1, "2": 2, "1x": 1, "x": 0} {
		if got := logLevel(in); got != want {
			t.Errorf("logLevel(%q) = %d, want %d", in, got, want)
		}
	}
}

func FuzzScanClientRequest(f *testing.F) {
	f.Add(encodeRequest(sampleRequest()))
	q := sampleRequest()
	q.dane = false
	f.Add(encodeRequest(q))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := scanClientRequest(attr.NewReader(bytes.NewReader(data), attr.Format0, "fuzz"))
		if err != nil {
			return
		}
		if len(got.match) > argvLimit || len(got.tlsa) > argvLimit {
			t.Fatalf("lists over the limit: %d %d", len(got.match), len(got.tlsa))
		}
		again, err := scanClientRequest(attr.NewReader(bytes.NewReader(encodeRequest(got)), attr.Format0, "again"))
		if err != nil || !reflect.DeepEqual(again, got) {
			t.Fatalf("re-encoded request reads back differently: %v", err)
		}
	})
}
