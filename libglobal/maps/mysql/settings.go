package mysql

import "gopostfix/libglobal/maps/sqltable"

// settings are a table's parameters (mysql_parse_config).
type settings struct {
	user, password, dbname string
	resultFormat           string
	optionFile             string
	optionGroup            string
	tls                    tlsSettings
	requireResultSet       bool
	expansionLimit         int
	query                  string
	hosts                  string
}

// tlsSettings are the tls_* parameters.
type tlsSettings struct {
	keyFile, certFile, caFile, caPath, ciphers string
	verifyCert                                 int // -1: not set
}

// readSettings reads the parameters in the order Postfix does, so that
// the first bad one is the one reported.
func readSettings(c *sqltable.Config) (*settings, error) {
	s := &settings{}
	r := &sqltable.Settings{C: c}
	str := r.Str
	str(&s.user, "user", "", 0)
	str(&s.password, "password", "", 0)
	str(&s.dbname, "dbname", "", 1)
	str(&s.resultFormat, "result_format", "%s", 1)
	str(&s.optionFile, "option_file", "", 0)
	str(&s.optionGroup, "option_group", "client", 0)
	str(&s.tls.keyFile, "tls_key_file", "", 0)
	str(&s.tls.certFile, "tls_cert_file", "", 0)
	str(&s.tls.caFile, "tls_CAfile", "", 0)
	str(&s.tls.caPath, "tls_CApath", "", 0)
	str(&s.tls.ciphers, "tls_ciphers", "", 0)
	if r.Err != nil {
		return nil, r.Err
	}
	var err error
	if s.tls.verifyCert, err = c.Bool("tls_verify_cert", -1); err != nil {
		return nil, err
	}
	rrs, err := c.Bool("require_result_set", 1)
	if err != nil {
		return nil, err
	}
	s.requireResultSet = rrs == 1
	if s.expansionLimit, err = c.Int("expansion_limit", 0, 0, 0); err != nil {
		return nil, err
	}
	if s.query, err = c.Str("query", "", 0, 0); err != nil {
		return nil, err
	}
	if s.query == "" {
		if s.query, err = sqltable.LegacyQuery(c); err != nil {
			return nil, err
		}
	}
	if s.hosts, err = c.Str("hosts", "", 0, 0); err != nil {
		return nil, err
	}
	return s, nil
}
