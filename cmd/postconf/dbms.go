package main

import (
	"errors"
	"os"
	"strings"

	"gopostfix/libglobal/mastercf"
	"gopostfix/libglobal/util/dict"
)

// dbmsSuffixes are the parameter suffixes each database client reads
// from main.cf when a table is named "type:prefix" with a prefix that is
// not a path (postconf_dbms.c; the lists are what Postfix 3.7.11's build
// extracts from the clients' sources).
var dbmsSuffixes = map[string][]string{
	"ldap": {"bind", "bind_dn", "bind_pw", "cache", "cache_expiry", "cache_size",
		"chase_referrals", "debuglevel", "dereference", "domain", "expansion_limit",
		"leaf_result_attribute", "query_filter", "recursion_limit", "result_attribute",
		"result_filter", "result_format", "sasl_authz_id", "sasl_mechs", "sasl_minssf",
		"sasl_realm", "scope", "search_base", "server_host", "server_port", "size_limit",
		"special_result_attribute", "start_tls", "terminal_result_attribute", "timeout",
		"tls_ca_cert_dir", "tls_ca_cert_file", "tls_cert", "tls_cipher_suite", "tls_key",
		"tls_random_file", "tls_require_cert", "version"},
	"memcache": {"backup", "data_size_limit", "domain", "flags", "key_format",
		"line_size_limit", "max_try", "memcache", "retry_pause", "timeout", "ttl"},
	"mysql": {"additional_conditions", "dbname", "domain", "expansion_limit", "hosts",
		"option_file", "option_group", "password", "query", "require_result_set",
		"result_format", "select_field", "table", "tls_CAfile", "tls_CApath",
		"tls_cert_file", "tls_ciphers", "tls_key_file", "tls_verify_cert", "user",
		"where_field"},
	"pgsql": {"additional_conditions", "dbname", "domain", "expansion_limit", "hosts",
		"password", "query", "result_format", "select_field", "select_function", "table",
		"user", "where_field"},
	"sqlite": {"additional_conditions", "dbpath", "domain", "expansion_limit", "query",
		"result_format", "select_field", "table", "where_field"},
}

// registerDBMSParams looks for "type:prefix" table references in an
// (expanded) parameter value: for a database client type and a prefix
// that is not a path, the prefix_suffix parameters become valid where
// they are set; for an absolute path, the client's configuration file is
// checked for unknown names.
func (pc *postconf) registerDBMSParams(value string, local *masterEnt) {
	for _, word := range mastercf.SplitQSep(value, ", \t\r\n") {
		if strings.HasPrefix(word, "{") {
			inner, err := mastercf.ExtractBracesRaw(word)
			if err != nil {
				pc.dbmsWarn(local, err.Error())
			}
			pc.registerDBMSParams(inner, local)
			continue
		}
		typ, prefix, ok := strings.Cut(word, ":")
		for ok && typ == "proxy" {
			typ, prefix, ok = strings.Cut(prefix, ":")
		}
		if !ok {
			continue
		}
		suffixes, known := dbmsSuffixes[typ]
		switch {
		case strings.HasPrefix(prefix, "/"):
			if known {
				pc.checkDBMSClient(typ, prefix, suffixes)
			}
		case strings.HasPrefix(prefix, "."):
		case strings.HasPrefix(prefix, "{"):
			inner, err := mastercf.ExtractBracesRaw(prefix)
			if err != nil {
				pc.dbmsWarn(local, err.Error())
			}
			pc.registerDBMSParams(inner, local)
		case known:
			for _, s := range suffixes {
				pc.flagUser(prefix+"_"+s, flagDBMS|flagUser, local)
			}
		}
	}
}

func (pc *postconf) dbmsWarn(local *masterEnt, text string) {
	if local != nil {
		pc.log.Warnf("master.cf:%s: %s", local.NameSpace(), text)
	} else {
		pc.log.Warnf("main.cf: %s", text)
	}
}

// checkDBMSClient reports the settings of a database client
// configuration file that the client does not know, once per file.
func (pc *postconf) checkDBMSClient(typ, path string, suffixes []string) {
	spec := typ + ":" + path
	if pc.dbmsChecked[spec] {
		return
	}
	pc.dbmsChecked[spec] = true
	st, err := os.Stat(path)
	if err != nil {
		if !errors.Is(err, os.ErrPermission) {
			pc.log.Warnf("open \"%s\" configuration \"%s\": %s", typ, path, dict.ErrnoText(err))
		}
		return
	}
	if !st.Mode().IsRegular() {
		pc.log.Warnf("open \"%s\" configuration \"%s\": not a regular file", typ, path)
		return
	}
	d := newConfDict()
	if err := d.load(path, pc.log); err != nil {
		if !errors.Is(err, os.ErrPermission) {
			pc.log.Warnf("open \"%s\" configuration \"%s\": %s", typ, path, dict.ErrnoText(err))
		}
		return
	}
	for _, s := range suffixes {
		d.del(s)
	}
	for _, name := range d.names() {
		v, _ := d.get(name)
		pc.log.Warnf("%s: unused parameter: %s=%s", spec, name, v)
	}
}
