package main

import (
	"gopostfix/libglobal/bouncelog"
	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/dsn"
)

// appendLog adds one recipient's status to the service's logfile
// (bounce_append_service). Once the bounce service accepts a recipient
// the mail system forgets it, so any file problem is fatal: master backs
// off and the sender retries.
func (d *daemon) appendLog(service, id string, r deliver.Recipient, st dsn.DSN) int {
	if err := bouncelog.Append(d.layout, service, id, entryOf(r, st), d.cfg.oldLogCompat, d.lockParams); err != nil {
		d.s.Log.Fatalf("%v", err)
	}
	return 0
}
