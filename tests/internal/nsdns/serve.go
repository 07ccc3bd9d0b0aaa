package nsdns

import (
	"fmt"
	"os"
	"strings"

	mdns "github.com/miekg/dns"
)

// serve is the server process: it answers from the records file on
// 127.0.0.1:53, UDP and TCP, prints "ready" and runs until it is
// killed.
func serve(path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	rrs, err := parseRecords(string(data))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	started := make(chan error, 2)
	for _, network := range []string{"udp", "tcp"} {
		srv := &mdns.Server{Addr: "127.0.0.1:53", Net: network, Handler: handler(rrs),
			NotifyStartedFunc: func() { started <- nil }}
		go func() { started <- srv.ListenAndServe() }()
	}
	for range 2 {
		if err := <-started; err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	fmt.Println("ready")
	select {}
}

// parseRecords reads resource records in zone-file form, one a line.
func parseRecords(data string) ([]mdns.RR, error) {
	var rrs []mdns.RR
	for _, line := range strings.Split(data, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		rr, err := mdns.NewRR(line)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", line, err)
		}
		rrs = append(rrs, rr)
	}
	return rrs, nil
}

// handler answers from rrs. A name with records of the asked type gets
// them; a name with other records only, an empty answer (no data); an
// unknown name NXDOMAIN. Negative answers carry the SOA records of the
// zones above the name, for their TTL. Names under servfail.test fail.
func handler(rrs []mdns.RR) mdns.Handler {
	return mdns.HandlerFunc(func(w mdns.ResponseWriter, req *mdns.Msg) {
		reply := new(mdns.Msg)
		reply.SetReply(req)
		reply.Authoritative = true
		q := req.Question[0]
		name := strings.ToLower(q.Name)
		if strings.HasSuffix(name, "servfail.test.") {
			reply.Rcode = mdns.RcodeServerFailure
			w.WriteMsg(reply)
			return
		}
		known := false
		for _, rr := range rrs {
			if strings.EqualFold(rr.Header().Name, name) {
				known = true
				if rr.Header().Rrtype == q.Qtype {
					reply.Answer = append(reply.Answer, rr)
				}
			}
		}
		if len(reply.Answer) == 0 {
			if !known {
				reply.Rcode = mdns.RcodeNameError
			}
			for _, rr := range rrs {
				if soa, ok := rr.(*mdns.SOA); ok && strings.HasSuffix(name, "."+strings.ToLower(soa.Hdr.Name)) {
					reply.Ns = append(reply.Ns, soa)
				}
			}
		}
		w.WriteMsg(reply)
	})
}
