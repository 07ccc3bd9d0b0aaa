package main

import (
	"crypto"
	"errors"
	"io/fs"
	"os"
	"strings"
	"time"

	"gopostfix/libglobal/util/syserr"
	"gopostfix/libtls"
)

// newCert is the script's new_server_cert: a new or copied key and a
// self-signed certificate for it, deployed when deploy is set, and the
// advice that follows.
func (t *tlsCtl) newCert(alg, bits, oldkey, deploy string, hosts []string) int {
	keyfile, certfile, key, ok := t.ensureKey(alg, bits, oldkey)
	if !ok {
		return 1
	}
	if !t.createCert(key, keyfile, certfile, hosts) {
		return 1
	}
	if deploy != "" && !t.deploy(certfile, keyfile, deploy) {
		return 1
	}
	var text string
	if deploy == "" {
		text = infoCreated(certfile, keyfile)
	} else {
		text = infoServerDeployed(certfile, keyfile, deploy)
	}
	text += infoCSR(certfile, keyfile, deploy) + infoTLSA(keyfile, deploy)
	if oldkey == "" {
		text += infoDaneDNS(deploy)
	}
	t.info(text)
	return 0
}

// ensureKey names the new key and certificate files after the current
// UTC time and fills the key file: a copy of oldkey, or a new key.
func (t *tlsCtl) ensureKey(alg, bits, oldkey string) (keyfile, certfile string, key crypto.Signer, ok bool) {
	stamp := time.Now().UTC().Format("20060102-150405")
	dir := t.c.dirs["config_directory"]
	if alg == libtls.AlgRSA {
		keyfile, certfile = dir+"/key-"+stamp+".pem", dir+"/cert-"+stamp+".pem"
	} else {
		keyfile, certfile = dir+"/eckey-"+stamp+".pem", dir+"/eccert-"+stamp+".pem"
	}
	if readable(keyfile) {
		t.fatal("New private key file already exists: %s", keyfile)
		return "", "", nil, false
	}
	if readable(certfile) {
		t.fatal("New certificate file already exists: %s", certfile)
		return "", "", nil, false
	}
	if oldkey != "" {
		key, ok = t.copyKey(alg, oldkey, keyfile)
	} else {
		key, ok = t.createKey(alg, bits, keyfile)
	}
	if !ok {
		os.Remove(keyfile)
	}
	return keyfile, certfile, key, ok
}

// copyKey writes the key of old into a new mode 0600 file, as "openssl
// rsa" or "openssl ec" print it; the new file exists even when that
// fails.
func (t *tlsCtl) copyKey(alg, old, keyfile string) (crypto.Signer, bool) {
	key, oldAlg, copied, err := readKeyFile(old)
	werr := writeKeyFile(keyfile, copied)
	if err != nil || werr != nil {
		t.fatal("Error copying private key from '%s' to '%s'", old, keyfile)
		return nil, false
	}
	if oldAlg != alg {
		t.fatal("Key algorithm '%s' of '%s' is not '%s'", oldAlg, old, alg)
		return nil, false
	}
	return key, true
}

func (t *tlsCtl) createKey(alg, bits, keyfile string) (crypto.Signer, bool) {
	key, text, err := libtls.GenerateKey(alg, bits)
	if err == nil {
		err = writeKeyFile(keyfile, text)
	}
	if err != nil {
		t.log.Warnf("%v", err)
		t.fatal("error generating new %s %s private key", alg, bits)
		return nil, false
	}
	return key, true
}

// writeKeyFile creates a private key file as the script does under
// "umask 077".
func writeKeyFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// createCert writes the self-signed certificate for the first host (or
// $myhostname) and the other hosts; on failure both files go.
func (t *tlsCtl) createCert(key crypto.Signer, keyfile, certfile string, hosts []string) bool {
	first := ""
	if len(hosts) > 0 {
		first, hosts = hosts[0], hosts[1:]
	}
	names := append([]string{t.fqdn(first)}, hosts...)
	if readable(certfile) {
		t.fatal("New certificate file already exists: %s", certfile)
		return false
	}
	cert, err := libtls.SelfSignedCert(key, names, certDays, time.Now())
	if err == nil {
		err = os.WriteFile(certfile, cert, 0o644)
	}
	if err != nil {
		os.Remove(certfile)
		os.Remove(keyfile)
		t.fatal("error generating self-signed SSL certificate")
		return false
	}
	return true
}

// deploy is the script's deploy_server_cert: the key and certificate
// must match; then main.cf names them (and with "enable" turns TLS on).
func (t *tlsCtl) deploy(certfile, keyfile, how string) bool {
	if !t.checkKey(keyfile) {
		return false
	}
	_, alg, _, _ := readKeyFile(keyfile)
	cd, err := certDigest(certfile)
	if err != nil {
		t.fatal("error computing certificate public key digest")
		return false
	}
	kd, err := keyDigest(keyfile)
	if err != nil {
		t.fatal("error computing public key digest")
		return false
	}
	if cd != kd {
		t.fatal("Certificate in %s does not match key in %s", certfile, keyfile)
		return false
	}
	keyParam, certParam := "smtpd_tls_key_file", "smtpd_tls_cert_file"
	if alg == libtls.AlgECDSA {
		keyParam, certParam = "smtpd_tls_eckey_file", "smtpd_tls_eccert_file"
	}
	settings := []string{keyParam + " = " + keyfile, certParam + " = " + certfile}
	if how == "enable" {
		settings = append(settings, "smtpd_tls_security_level = may",
			"smtpd_tls_received_header = yes", "smtpd_tls_loglevel = 1")
	}
	if t.random != "" {
		settings = append(settings, "tls_random_source = "+t.random)
	}
	return t.edit(settings)
}

func (t *tlsCtl) checkKey(path string) bool {
	if _, _, _, err := readKeyFile(path); err != nil {
		t.fatal("no private key found in file: %s", path)
		return false
	}
	return true
}

// readKeyFile reads a private key from a regular file.
func readKeyFile(path string) (crypto.Signer, string, []byte, error) {
	if path == "" || !isRegular(path) {
		return nil, "", nil, errors.New("no key file")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, "", nil, err
	}
	return libtls.ReadPrivateKey(data)
}

// keyDigest and certDigest are the SHA-256 SPKI digests of a key file's
// and a certificate file's public key.
func keyDigest(path string) (string, error) {
	key, _, _, err := readKeyFile(path)
	if err != nil {
		return "", err
	}
	return libtls.SPKIDigest(key.Public())
}

func certDigest(path string) (string, error) {
	if path == "" || !isRegular(path) {
		return "", errors.New("no certificate file")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	pub, err := libtls.CertPublicKey(data)
	if err != nil {
		return "", err
	}
	return libtls.SPKIDigest(pub)
}

func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return syserr.Text(pe.Err)
	}
	return strings.TrimSpace(err.Error())
}
