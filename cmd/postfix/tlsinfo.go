package main

// The advice postfix-tls-script logs, line by line.

const infoEnableClient = `*** Non-default SMTP client TLS settings detected, no changes made.
For opportunistic TLS in the Postfix SMTP client, the below settings
are typical:
  smtp_tls_security_level = may
  smtp_tls_loglevel = 1
`

const infoClientDeployed = `Enabled opportunistic TLS in the Postfix SMTP client.
Run the command:
  # postfix reload
if you want the new settings to take effect immediately.
`

const infoEnableServer = `*** Non-default SMTP server TLS settings detected, no changes made.
For opportunistic TLS in the Postfix SMTP server, the below settings
are typical:
  smtpd_tls_security_level = may
  smtpd_tls_loglevel = 1
You can use "postfix tls new-server-cert" to create a new certificate.
Or, "postfix tls new-server-key" to also force a new private key.
If you publish DANE TLSA records, see:
  https://tools.ietf.org/html/rfc7671#section-8
  https://tools.ietf.org/html/rfc7671#section-5.1
  https://tools.ietf.org/html/rfc7671#section-5.2
  https://community.letsencrypt.org/t/please-avoid-3-0-1-and-3-0-2-dane-tlsa-records-with-le-certificates/7022
`

func infoCreated(certfile, keyfile string) string {
	return "New private key and self-signed certificate created. To deploy run:\n" +
		"  # postfix tls deploy-server-cert " + certfile + " " + keyfile + "\n"
}

func infoServerDeployed(certfile, keyfile, how string) string {
	text := ""
	if how == "enable" {
		text = "Enabled opportunistic TLS in the Postfix SMTP server\n"
	}
	return text + `New TLS private key and certificate deployed.
Run the command:
  # postfix reload
if you want the new settings to take effect immediately.
`
}

func infoCSR(certfile, keyfile, deploy string) string {
	text := "To generate a CSR run:\n" +
		"  # postfix tls output-server-csr -k " + keyfile + " [<hostname> ...]\n"
	if deploy == "" {
		return text + "Save the signed certificate chain in " + certfile + ", and deploy as above.\n"
	}
	return text + "Save the signed certificate chain in " + certfile + ".\n"
}

// infoTLSA names the new key only when it is not deployed yet (then the
// records can be published first).
func infoTLSA(keyfile, deploy string) string {
	if deploy != "" {
		keyfile = ""
	}
	return "To generate TLSA records run:\n" +
		"  # postfix tls output-server-tlsa [-h <hostname>] " + keyfile + "\n"
}

func infoDaneDNS(deploy string) string {
	if deploy != "" {
		return "(If you have DANE TLSA RRs, update them as soon as possible to match\n" +
			"the newly deployed keys).\n"
	}
	return "(deploy after updating the DNS and waiting for stale RRs to expire).\n"
}
