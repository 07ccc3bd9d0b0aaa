package attr

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// captured returns the n-th chunk of a capture with the given direction.
func captured(t *testing.T, file, dir string, n int) []byte {
	t.Helper()
	for _, c := range loadCapture(t, file) {
		if c.dir == dir {
			if n == 0 {
				return c.data
			}
			n--
		}
	}
	t.Fatalf("%s: no chunk %s #%d", file, dir, n)
	return nil
}

func printed(f Format, attrs ...Attr) []byte {
	var buf bytes.Buffer
	NewWriter(&buf, f).Print(attrs...)
	return buf.Bytes()
}

func TestResolveReplyRepeatedFlags(t *testing.T) {
	reply := captured(t, "resolve.txt", "S>C", 1)
	r := NewReader(bytes.NewReader(reply), Format0, "private/rewrite")
	var status, class int
	var transport, nexthop, rcpt string
	n, err := r.Scan(Strict, RecvInt("flags", &status), RecvStr("transport", &transport),
		RecvStr("nexthop", &nexthop), RecvStr("recipient", &rcpt), RecvInt("flags", &class))
	if err != nil || n != 5 {
		t.Fatalf("scan: n=%d err=%v", n, err)
	}
	if status != 0 || transport != "local" || nexthop != "pfp.example" || rcpt != "root@pfp.example" || class != 256 {
		t.Fatalf("got %d %q %q %q %d", status, transport, nexthop, rcpt, class)
	}
	again := printed(Format0, Int("flags", status), Str("transport", transport),
		Str("nexthop", nexthop), Str("recipient", rcpt), Int("flags", class))
	if !bytes.Equal(again, reply) {
		t.Fatalf("printed %q want %q", again, reply)
	}
}

func TestNegativeNumbers(t *testing.T) {
	// tlsmgr answers FAIL (-2); dnsblog reports ttl -1.
	tls := captured(t, "tlsmgr.txt", "S>C", 3)
	var status int
	var session []byte
	r := NewReader(bytes.NewReader(tls), Format0, "private/tlsmgr")
	if _, err := r.Scan(Strict, RecvInt("status", &status), RecvData("session", &session)); err != nil {
		t.Fatal(err)
	}
	if status != -2 || len(session) != 0 {
		t.Fatalf("status %d session %q", status, session)
	}
	if got := printed(Format0, Int("status", -2), Data("session", nil)); !bytes.Equal(got, tls) {
		t.Fatalf("printed %q want %q", got, tls)
	}
	dns := captured(t, "dnsblog.txt", "S>C", 0)
	var domain, addr, rbl string
	var label, ttl int
	r = NewReader(bytes.NewReader(dns), Format0, "private/dnsblog")
	if _, err := r.Scan(Strict, RecvStr("rbl_domain", &domain), RecvStr("client_address", &addr),
		RecvInt("label", &label), RecvStr("rbl_addr", &rbl), RecvInt("ttl", &ttl)); err != nil {
		t.Fatal(err)
	}
	if ttl != -1 || label != 7 {
		t.Fatalf("ttl %d label %d", ttl, label)
	}
	if got := printed(Format0, Long("n", -1)); string(got) != "n\x0018446744073709551615\x00\x00" {
		t.Fatalf("long -1 printed %q", got)
	}
}

// TestDeliveryRequest builds qmgr's 23-attribute request and the
// recipient record with typed values, byte for byte as captured, and
// reads the agent's reply with its two "status" attributes.
func TestDeliveryRequest(t *testing.T) {
	req := captured(t, "strace_qmgr_to_local_delivery_request.txt", "IN", 0)
	r := NewReader(bytes.NewReader(req), Format0, "local socket")
	var (
		flags, smtputf8, retFlags, count, notify                    int
		offset, size, rcptOffset                                    int64
		queue, id, nexthop, enc, sender, envid, cname, caddr, cport string
		proto, helo, saslm, saslu, sasls, ident, rwctx, orcpt, rcpt string
		dsnOrcpt                                                    string
		stats                                                       []byte
	)
	n, err := r.Scan(Strict, RecvInt("flags", &flags), RecvStr("queue_name", &queue),
		RecvStr("queue_id", &id), RecvLong("offset", &offset), RecvLong("size", &size),
		RecvStr("nexthop", &nexthop), RecvStr("encoding", &enc), RecvInt("smtputf8", &smtputf8),
		RecvStr("sender", &sender), RecvStr("envelope_id", &envid), RecvInt("ret_flags", &retFlags),
		RecvData("time", &stats), RecvStr("log_client_name", &cname),
		RecvStr("log_client_address", &caddr), RecvStr("log_client_port", &cport),
		RecvStr("log_protocol_name", &proto), RecvStr("log_helo_name", &helo),
		RecvStr("sasl_method", &saslm), RecvStr("sasl_username", &saslu),
		RecvStr("sasl_sender", &sasls), RecvStr("log_ident", &ident),
		RecvStr("rewrite_context", &rwctx), RecvInt("recipient_count", &count))
	if err != nil || n != 23 {
		t.Fatalf("request: n=%d err=%v", n, err)
	}
	if len(stats) != 88 || binary.LittleEndian.Uint64(stats) != 1795958596 {
		t.Fatalf("time: %d bytes, first field %d", len(stats), binary.LittleEndian.Uint64(stats))
	}
	n, err = r.Scan(Strict, RecvStr("original_recipient", &orcpt), RecvStr("recipient", &rcpt),
		RecvLong("offset", &rcptOffset), RecvStr("dsn_orig_rcpt", &dsnOrcpt), RecvInt("notify_flags", &notify))
	if err != nil || n != 5 {
		t.Fatalf("recipient: n=%d err=%v", n, err)
	}
	var buf bytes.Buffer
	w := NewWriter(&buf, Format0)
	w.Print(Int("flags", flags), Str("queue_name", queue), Str("queue_id", id),
		Long("offset", offset), Long("size", size), Str("nexthop", nexthop), Str("encoding", enc),
		Int("smtputf8", smtputf8), Str("sender", sender), Str("envelope_id", envid),
		Int("ret_flags", retFlags), Data("time", stats), Str("log_client_name", cname),
		Str("log_client_address", caddr), Str("log_client_port", cport),
		Str("log_protocol_name", proto), Str("log_helo_name", helo), Str("sasl_method", saslm),
		Str("sasl_username", saslu), Str("sasl_sender", sasls), Str("log_ident", ident),
		Str("rewrite_context", rwctx), Int("recipient_count", count))
	w.Print(Str("original_recipient", orcpt), Str("recipient", rcpt), Long("offset", rcptOffset),
		Str("dsn_orig_rcpt", dsnOrcpt), Int("notify_flags", notify))
	if !bytes.Equal(buf.Bytes(), req) {
		t.Fatalf("printed\n%q\nwant\n%q", buf.Bytes(), req)
	}

	reply := captured(t, "strace_qmgr_to_local_delivery_request.txt", "OUT", 1)
	var dsn [7]string
	var status int
	r = NewReader(bytes.NewReader(reply), Format0, "private/local")
	names := []string{"status", "diag_type", "diag_text", "mta_type", "mta_mname", "action", "reason"}
	var targets []Recv
	for i, nm := range names {
		targets = append(targets, RecvStr(nm, &dsn[i]))
	}
	targets = append(targets, RecvInt("status", &status))
	if n, err := r.Scan(Strict, targets...); err != nil || n != 8 || status != 0 {
		t.Fatalf("reply: n=%d err=%v status=%d", n, err, status)
	}
}

// TestAnnouncements checks the server greetings as captured, including
// cleanup's queue_id in the same record and verify's misspelling.
func TestAnnouncements(t *testing.T) {
	cases := []struct {
		file, dir, proto string
		extra            []Attr
	}{
		{"rewrite_local.txt", "S>C", ProtoRewrite, nil},
		{"verify.txt", "S>C", ProtoVerify, nil},
		{"scache.txt", "S>C", ProtoScache, nil},
		{"tlsmgr.txt", "S>C", ProtoTLSMgr, nil},
		{"flush_add.txt", "S>C", ProtoFlush, nil},
		{"proxymap.txt", "S>C", ProtoProxymap, nil},
		{"strace_delivery_error.txt", "OUT", ProtoDelivery, nil},
		{"strace_error_to_bounce_append.txt", "OUT", ProtoBounce, nil},
		{"strace_pickup_to_cleanup.txt", "OUT", ProtoCleanup, []Attr{Str("queue_id", "77D6998650E")}},
	}
	for _, c := range cases {
		want := captured(t, c.file, c.dir, 0)
		got := printed(Format0, append([]Attr{Str(AttrProtocol, c.proto)}, c.extra...)...)
		if !bytes.Equal(got, want) {
			t.Errorf("%s: announcement %q want %q", c.file, got, want)
		}
	}
	anvil := captured(t, "anvil.txt", "S>C", 0)
	if got := printed(FormatPlain, Str(AttrProtocol, ProtoAnvil)); !bytes.Equal(got, anvil) {
		t.Errorf("anvil announcement %q want %q", got, anvil)
	}
}

func TestAnvilPlainConversation(t *testing.T) {
	lookup := captured(t, "anvil.txt", "S>C", 7)
	var status, count, rate, mail, rcpt, newtls, auth int
	r := NewReader(bytes.NewReader(lookup), FormatPlain, "private/anvil")
	n, err := r.Scan(Strict, RecvInt("status", &status), RecvInt("count", &count),
		RecvInt("rate", &rate), RecvInt("mail", &mail), RecvInt("rcpt", &rcpt),
		RecvInt("newtls", &newtls), RecvInt("auth", &auth))
	if err != nil || n != 7 || count != 1 || auth != 1 {
		t.Fatalf("lookup reply: n=%d err=%v count=%d auth=%d", n, err, count, auth)
	}
	bogus := captured(t, "anvil.txt", "S>C", 9)
	if got := printed(FormatPlain, Int("status", -1)); !bytes.Equal(got, bogus) {
		t.Fatalf("printed %q want %q", got, bogus)
	}
}

func TestShowqEndOfList(t *testing.T) {
	data := captured(t, "showq_empty.txt", "S>C", 0)
	r := NewReader(bytes.NewReader(data), Format0, "public/showq")
	if n, err := r.Scan(Strict, Expect(AttrProtocol, ProtoShowq)); err != nil || n != 0 {
		t.Fatalf("announcement: n=%d err=%v", n, err)
	}
	// The empty record after the announcement ends the list: a scan for a
	// message's first attribute returns 0 conversions and no error.
	var q string
	if n, err := r.Scan(More, RecvStr("queue_name", &q)); err != nil || n != 0 {
		t.Fatalf("end of list: n=%d err=%v", n, err)
	}
}
