// Command bounce is the Postfix delivery status reporting service
// (bounce(8)): one program behind three master.cf services. "bounce"
// and "defer" keep per-message logfiles of failed and delayed
// recipients and turn them into non-delivery and delay notifications;
// "trace" keeps the delivery record that becomes a success report
// (DSN NOTIFY=SUCCESS) or a "sendmail -v"/"sendmail -bv" status report.
//
// Notices are RFC 3464 multipart/report messages built from the
// templates of bounce_template_file (bounce(5)) and handed to cleanup(8)
// with the null sender; postmaster copies follow notify_classes. Run as
// "bounce -SVndump_templates" (or expand_templates) it prints the
// templates for "postconf -t" ("postconf -b").
//
// Deliberate differences: a bounce_template_file that changes while it is
// read is not read again.
package main

import (
	"net"
	"os"

	"gopostfix/libmaster"
)

func main() {
	var d *daemon
	libmaster.SingleServerMain(os.Args, func(s *libmaster.Server, c net.Conn) {
		d.serve(c)
	}, libmaster.Options{
		Unlimited: true,
		PreInit:   func(s *libmaster.Server) error { d = newDaemon(s); return d.loadTemplates() },
		PostInit:  func(s *libmaster.Server) error { return d.postInit() },
	})
}
