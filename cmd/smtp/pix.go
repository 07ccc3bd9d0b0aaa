package main

import (
	"strings"
	"time"

	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/util/dict"
)

// PIX firewall workarounds (SMTP_FEATURE_PIX_*).
const (
	featPixNoESMTP      = 1 << 16
	featPixDelayDotCRLF = 1 << 17
)

// pixNames are the names of smtp_pix_workarounds, in pix_bug_table
// order.
var pixNames = []struct {
	name string
	bit  int
}{{"disable_esmtp", featPixNoESMTP}, {"delay_dotcrlf", featPixDelayDotCRLF}}

// openPixMaps opens smtp_pix_workaround_maps.
func (a *agent) openPixMaps() (err error) {
	if v := p(a, "smtp_pix_workaround_maps"); v != "" {
		a.pixMaps, err = maps.Open(a.reg, a.par.name("smtp_pix_workaround_maps"), v, dict.FlagLock, a.log)
	}
	return err
}

// pixWorkarounds turns the workarounds on when the greeting looks like a
// Cisco PIX that mangles SMTP (only '2', '0', '*' and white space):
// no ESMTP, and a pause before the final "." of old mail (smtp_helo).
func (st *state) pixWorkarounds(greeting string) {
	if strings.Trim(greeting, "20 *\t\n") != "" {
		return
	}
	a, s := st.ag, st.sess
	words, source := "", ""
	if a.pixMaps != nil {
		if v, found, _ := a.pixMaps.Find(st.it.addr, false); found {
			words, source = v, a.par.name("smtp_pix_workaround_maps")
		}
	}
	if source == "" {
		words = p(a, "smtp_pix_workarounds")
	}
	if words == "" {
		return
	}
	mask := 0
	for _, w := range splitWords(words) {
		for _, n := range pixNames {
			if strings.EqualFold(w, n.name) {
				mask |= n.bit
			}
		}
	}
	if mask&featPixDelayDotCRLF != 0 &&
		st.req.Stats.IncomingArrival.Unix() > s.st.last.Unix()-int64(a.par.duration("smtp_pix_workaround_threshold_time").Seconds()) {
		mask &^= featPixDelayDotCRLF
	}
	var names []string
	for _, n := range pixNames {
		if mask&n.bit != 0 {
			names = append(names, n.name)
		}
	}
	a.log.Infof("%s: enabling PIX workarounds: %s for %s", st.req.QueueID, strings.Join(names, " "), s.namaddrport)
	s.features |= mask
}

// pixDelay flushes the body and waits before the final "." when the
// PIX workaround asks for it.
func (st *state) pixDelay() error {
	if st.sess.features&featPixDelayDotCRLF == 0 {
		return nil
	}
	if err := st.sess.st.flush(); err != nil {
		return err
	}
	time.Sleep(st.ag.par.duration("smtp_pix_workaround_delay_time"))
	return nil
}
