package mysql

import (
	"crypto/tls"
	"crypto/x509"
	"os"
	"path/filepath"

	mysqldrv "github.com/go-sql-driver/mysql"
)

// applyTLS sets up TLS as Connector/C does with Postfix's tls_*
// settings: any certificate or CA setting makes TLS preferred (used
// when the server offers it, without checking the server's
// certificate); tls_verify_cert = yes makes it required, with the
// server's certificate checked against the CA settings (or the system's
// roots) and the host name. tls_ciphers (an OpenSSL cipher list) is not
// applied.
func (t *table) applyTLS(cfg *mysqldrv.Config, host string) {
	s := t.conf.tls
	want := s.keyFile != "" || s.certFile != "" || s.caFile != "" || s.caPath != "" || s.ciphers != ""
	verify := s.verifyCert == 1
	if !want && !verify {
		return
	}
	tc := &tls.Config{ServerName: host, InsecureSkipVerify: !verify}
	if s.caFile != "" || s.caPath != "" {
		tc.RootCAs = loadCAs(s.caFile, s.caPath)
	}
	if s.certFile != "" && s.keyFile != "" {
		if pair, err := tls.LoadX509KeyPair(s.certFile, s.keyFile); err == nil {
			tc.Certificates = []tls.Certificate{pair}
		}
	}
	cfg.TLS = tc
	cfg.AllowFallbackToPlaintext = !verify
}

// loadCAs reads the PEM certificates of a file and of the files of a
// directory.
func loadCAs(file, dir string) *x509.CertPool {
	pool := x509.NewCertPool()
	files := []string{}
	if file != "" {
		files = append(files, file)
	}
	if dir != "" {
		names, _ := filepath.Glob(filepath.Join(dir, "*"))
		files = append(files, names...)
	}
	for _, f := range files {
		if pem, err := os.ReadFile(f); err == nil {
			pool.AppendCertsFromPEM(pem)
		}
	}
	return pool
}
