package main

import (
	"gopostfix/libglobal/util/attr"
)

// clientRequest is what a tlsproxy client (smtp with
// smtp_tls_connection_reuse) sends after the request attributes for the
// client role: the global TLS parameters, the TLS_CLIENT_INIT_PROPS and
// the TLS_CLIENT_START_PROPS, in tls_proxy_client_print.c's order.
type clientRequest struct {
	strParams [15]string
	intParams [5]int

	logParam, logLevel                          string
	verifyDepth                                 int
	cacheType, chainFiles, certFile, keyFile    string
	dcertFile, dkeyFile, eccertFile, eckeyFile  string
	caFile, caPath, initMdalg                   string
	timeout, level                              int
	nexthop, host, namaddr, sni, serverID, helo string
	protocols, cipherGrade, cipherExclusions    string
	match                                       []string
	mdalg                                       string
	dane                                        bool
	daneDomain                                  string
	tlsa                                        []tlsaRecord
}

type tlsaRecord struct {
	usage, selector, mtype int
	data                   []byte
}

// paramNames are the global parameters, strings then numbers.
var paramNames = []string{"config_file", "config_name", "tls_high_cipherlist", "tls_medium_cipherlist",
	"tls_low_cipherlist", "tls_export_cipherlist", "tls_null_cipherlist", "tls_eecdh_auto_curves",
	"tls_eecdh_strong_curve", "tls_eecdh_ultra_curve", "tls_disable_workarounds", "tls_ssl_options",
	"tls_dane_digests", "tlsmgr_service_name", "tls_session_ticket_cipher",
	"tls_daemon_random_bytes", "tls_append_default_CA", "tls_legacy_public_key_fingerprints",
	"tls_preempt_cipherlist", "tls_wildcard_matches_multiple_labels"}

// argvLimit bounds a received list (ARGV_ATTR_MAX).
const argvLimit = 1024

// scanner reads attributes (an attr.Conn or attr.Reader).
type scanner interface {
	Scan(flags attr.Flags, targets ...attr.Recv) (int, error)
}

// scanClientRequest reads the client settings as one record.
func scanClientRequest(ac scanner) (*clientRequest, error) {
	q := &clientRequest{}
	var recv []attr.Recv
	for i, name := range paramNames {
		if i < len(q.strParams) {
			recv = append(recv, attr.RecvStr(name, &q.strParams[i]))
		} else {
			recv = append(recv, attr.RecvInt(name, &q.intParams[i-len(q.strParams)]))
		}
	}
	var argc int
	recv = append(recv,
		attr.RecvStr("log_param", &q.logParam), attr.RecvStr("log_level", &q.logLevel),
		attr.RecvInt("verifydepth", &q.verifyDepth), attr.RecvStr("cache_type", &q.cacheType),
		attr.RecvStr("chain_files", &q.chainFiles), attr.RecvStr("cert_file", &q.certFile),
		attr.RecvStr("key_file", &q.keyFile), attr.RecvStr("dcert_file", &q.dcertFile),
		attr.RecvStr("dkey_file", &q.dkeyFile), attr.RecvStr("eccert_file", &q.eccertFile),
		attr.RecvStr("eckey_file", &q.eckeyFile), attr.RecvStr("CAfile", &q.caFile),
		attr.RecvStr("CApath", &q.caPath), attr.RecvStr("mdalg", &q.initMdalg),
		attr.RecvInt("timeout", &q.timeout), attr.RecvInt("tls_level", &q.level),
		attr.RecvStr("nexthop", &q.nexthop), attr.RecvStr("host", &q.host),
		attr.RecvStr("namaddr", &q.namaddr), attr.RecvStr("sni", &q.sni),
		attr.RecvStr("serverid", &q.serverID), attr.RecvStr("helo", &q.helo),
		attr.RecvStr("protocols", &q.protocols), attr.RecvStr("cipher_grade", &q.cipherGrade),
		attr.RecvStr("cipher_exclusions", &q.cipherExclusions), attr.RecvInt("argv_size", &argc))
	if _, err := ac.Scan(attr.Strict|attr.More, recv...); err != nil {
		return nil, err
	}
	if argc < 0 || argc > argvLimit {
		return nil, errBadCount
	}
	q.match = make([]string, argc)
	for i := range q.match {
		if _, err := ac.Scan(attr.Strict|attr.More, attr.RecvStr("argv_value", &q.match[i])); err != nil {
			return nil, err
		}
	}
	var dane int
	if _, err := ac.Scan(attr.Strict|attr.More, attr.RecvStr("mdalg", &q.mdalg), attr.RecvInt("dane", &dane)); err != nil {
		return nil, err
	}
	if q.dane = dane != 0; q.dane {
		var count int
		if _, err := ac.Scan(attr.Strict|attr.More, attr.RecvStr("domain", &q.daneDomain), attr.RecvInt("count", &count)); err != nil {
			return nil, err
		}
		if count < 0 || count > argvLimit {
			return nil, errBadCount
		}
		q.tlsa = make([]tlsaRecord, count)
		for i := range q.tlsa {
			r := &q.tlsa[i]
			if _, err := ac.Scan(attr.Strict|attr.More, attr.RecvInt("usage", &r.usage), attr.RecvInt("selector", &r.selector),
				attr.RecvInt("mtype", &r.mtype), attr.RecvData("data", &r.data)); err != nil {
				return nil, err
			}
		}
	}
	_, err := ac.Scan(attr.Strict)
	return q, err
}
