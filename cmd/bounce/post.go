package main

import (
	"errors"

	"gopostfix/libglobal/postmail"
	"gopostfix/libglobal/record"
)

// posting is one notice on its way to cleanup.
type posting struct {
	id string
	w  *record.Writer
	p  *postmail.Post
}

func (p *posting) close() int { return p.p.Close() }
func (p *posting) abort()     { p.p.Abort() }

// post opens a notice from sender to rcpt (post_mail_fopen_nowait with
// the bounce source class). A cleanup service that cannot be reached is
// a warning and a failed notice; a broken one is fatal.
func (d *daemon) post(sender, rcpt string, smtputf8 int) (*posting, error) {
	flags, err := d.postParams.Flags(postmail.SrcBounce, smtputf8, d.s.Log.Warnf)
	if err != nil {
		d.s.Log.Fatalf("%v", err)
	}
	p, err := postmail.Open(&d.postParams, flags, sender, rcpt, 0)
	if err != nil {
		var fe *postmail.FatalError
		if errors.As(err, &fe) {
			d.s.Log.Fatalf("%v", err)
		}
		d.s.Log.Warnf("%v", err)
		return nil, err
	}
	return &posting{id: p.ID, w: p.W, p: p}, nil
}
