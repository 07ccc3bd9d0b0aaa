package main

import (
	"fmt"
	"strings"
	"sync"

	"gopostfix/libmaster"
)

// clientKeys are the settings tlsproxy's client role expects, in the
// plain "name=value" lines of tls_proxy_client_param_serialize and
// tls_proxy_client_init_serialize, and what requests have shown so far.
type clientKeys struct {
	param, init string
	mu          sync.Mutex
	seenParams  map[string]bool // parameter sets already warned about
	seenInits   map[string]bool // init settings already in use
}

// globalParams are the main.cf names of the request's global TLS
// parameters, in paramNames' order: the same names but for the first
// two.
var globalParams = append([]string{"tls_config_file", "tls_config_name"}, paramNames[2:]...)

// preInitClient is pre_jail_init_client: the client role's own settings
// (tlsproxy_client_*), when its TLS is on at all.
func (p *proxy) preInitClient(s *libmaster.Server) {
	level := strings.ToLower(s.Str("tlsproxy_client_security_level"))
	useTLS := s.Bool("tlsproxy_client_use_tls") || s.Bool("tlsproxy_client_enforce_tls")
	switch level {
	case "":
	case "secure", "verify", "dane-only", "fingerprint", "encrypt", "dane", "may":
		useTLS = true
	case "none":
		useTLS = false
	default:
		s.Log.Fatalf("Invalid TLS level \"%s\"", s.Str("tlsproxy_client_security_level"))
	}
	if !useTLS && s.Str("tlsproxy_client_per_site") == "" && s.Str("tlsproxy_client_policy_maps") == "" {
		return
	}
	q := &clientRequest{logParam: s.Str("tlsproxy_client_loglevel_parameter"), logLevel: s.Str("tlsproxy_client_loglevel"),
		verifyDepth: s.Int("tlsproxy_client_scert_verifydepth"), cacheType: "smtp",
		chainFiles: s.Str("tlsproxy_client_chain_files"), certFile: s.Str("tlsproxy_client_cert_file"),
		keyFile: s.Str("tlsproxy_client_key_file"), dcertFile: s.Str("tlsproxy_client_dcert_file"),
		dkeyFile: s.Str("tlsproxy_client_dkey_file"), eccertFile: s.Str("tlsproxy_client_eccert_file"),
		eckeyFile: s.Str("tlsproxy_client_eckey_file"), caFile: s.Str("tlsproxy_client_CAfile"),
		caPath: s.Str("tlsproxy_client_CApath"), initMdalg: s.Str("tlsproxy_client_fingerprint_digest")}
	for i, name := range globalParams {
		if i < len(q.strParams) {
			q.strParams[i] = s.Str(name)
			continue
		}
		if name == "tls_daemon_random_bytes" {
			q.intParams[i-len(q.strParams)] = s.Int(name)
		} else if s.Bool(name) {
			q.intParams[i-len(q.strParams)] = 1
		}
	}
	p.client = &clientKeys{param: q.paramKey(), init: q.initKey(),
		seenParams: map[string]bool{}, seenInits: map[string]bool{}}
	p.client.seenInits[p.client.init] = true
}

// paramKey and initKey serialise the request's settings as plain
// attribute lines.
func (q *clientRequest) paramKey() string {
	var b strings.Builder
	for i, name := range paramNames {
		if i < len(q.strParams) {
			fmt.Fprintf(&b, "%s=%s\n", name, q.strParams[i])
		} else {
			fmt.Fprintf(&b, "%s=%d\n", name, q.intParams[i-len(q.strParams)])
		}
	}
	return b.String()
}

func (q *clientRequest) initKey() string {
	var b strings.Builder
	for _, kv := range [][2]string{{"log_param", q.logParam}, {"log_level", q.logLevel},
		{"verifydepth", fmt.Sprint(q.verifyDepth)}, {"cache_type", q.cacheType},
		{"chain_files", q.chainFiles}, {"cert_file", q.certFile}, {"key_file", q.keyFile},
		{"dcert_file", q.dcertFile}, {"dkey_file", q.dkeyFile}, {"eccert_file", q.eccertFile},
		{"eckey_file", q.eckeyFile}, {"CAfile", q.caFile}, {"CApath", q.caPath}, {"mdalg", q.initMdalg}} {
		fmt.Fprintf(&b, "%s=%s\n", kv[0], kv[1])
	}
	return b.String()
}

// checkClient warns, as tlsp_client_init does, about a request whose
// global TLS parameters differ from tlsproxy's (once per parameter
// set), or whose file settings differ (once per settings).
func (p *proxy) checkClient(s *libmaster.Server, q *clientRequest) {
	k := p.client
	if k == nil {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	hints := false
	if param := q.paramKey(); !k.seenParams[param] && param != k.param {
		k.seenParams[param] = true
		s.Log.Warnf("request from tlsproxy client with unexpected settings")
		s.Log.Warnf("%s", configDiff(k.param, param))
		hints = true
	}
	if init := q.initKey(); !k.seenInits[init] {
		k.seenInits[init] = true
		if q.chainFiles+q.certFile+q.keyFile+q.dcertFile+q.dkeyFile+q.eccertFile+q.eckeyFile+q.caFile+q.caPath != "" {
			s.Log.Warnf("request from tlsproxy client with unexpected settings")
			s.Log.Warnf("%s", configDiff(k.init, init))
			hints = true
		}
	}
	if hints {
		s.Log.Warnf("to avoid this warning, 1) identify the tlsproxy client that is making this request, 2) configure a custom tlsproxy service with settings that match that tlsproxy client, and 3) configure that tlsproxy client with a tlsproxy_service_name setting that resolves to that custom tlsproxy service")
	}
}

// configDiff lists the lines that differ, as tlsp_log_config_diff.
func configDiff(server, client string) string {
	sl, cl := strings.Split(server, "\n"), strings.Split(client, "\n")
	var parts []string
	for i := 0; i < len(sl) && i < len(cl); i++ {
		if sl[i] != cl[i] {
			parts = append(parts, fmt.Sprintf("(server) '%s' != (client) '%s'", sl[i], cl[i]))
		}
	}
	return strings.Join(parts, "; ")
}
