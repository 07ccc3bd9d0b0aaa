package main

import (
	"encoding/base64"
	"fmt"
	"gopostfix/libtls"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// Cache label parts (SMTP_KEY_FLAG_*).
const (
	keyService = 1 << iota
	keySender
	keyReqNexthop
	keyCurNexthop
	keyHostname
	keyAddr
	keyPort
	keyTLSLevel
)

// keyPrefix builds a cache label (smtp_key_prefix with the "\n*"
// delimiter pair): fields end in newline, an empty field is "*", a
// field holding a delimiter is base64-encoded.
func (st *state) keyPrefix(flags int) string { return st.keyPrefixDelim(flags, "\n*") }

// keyPrefixDelim is smtp_key_prefix with a delimiter and an optional
// "not available" mark.
func (st *state) keyPrefixDelim(flags int, delimNA string) string {
	var b strings.Builder
	delim := delimNA[:1]
	str := func(s string) {
		switch {
		case s == "":
			b.WriteString(delimNA[1:] + delim)
		case strings.ContainsAny(s, delimNA):
			b.WriteString(base64.StdEncoding.EncodeToString([]byte(s)) + delim)
		default:
			b.WriteString(s + delim)
		}
	}
	if flags&keyService != 0 {
		str(st.service)
	}
	if flags&keySender != 0 {
		str(st.req.Sender)
	}
	if flags&keyReqNexthop != 0 {
		str(st.cacheNexthop)
	}
	if flags&keyCurNexthop != 0 {
		str(st.it.dest)
	}
	if flags&keyHostname != 0 {
		str(st.it.host)
	}
	if flags&keyAddr != 0 {
		str(st.it.addr)
	}
	if flags&keyPort != 0 {
		b.WriteString(strconv.Itoa(st.it.port) + delim)
	}
	if flags&keyTLSLevel != 0 {
		level := tlsNone
		if st.tls != nil {
			level = st.tls.level
		}
		b.WriteString(strconv.Itoa(level) + delim)
	}
	return b.String()
}

// destLabelFlags and endpLabelFlags are SMTP_KEY_MASK_SCACHE_DEST_LABEL
// and SMTP_KEY_MASK_SCACHE_ENDP_LABEL: SASL and TLS state keep
// differently authenticated sessions apart.
func (st *state) destLabelFlags() int {
	f := keyService | keyReqNexthop
	if st.ag.cfg.sasl.senderAuth && st.ag.cfg.sasl.passwdMaps != "" {
		f |= keySender
	}
	return f
}

func (st *state) endpLabelFlags() int {
	f := keyService | keyAddr | keyPort | keyTLSLevel
	if st.ag.cfg.sasl.passwdMaps != "" {
		f |= keyCurNexthop | keyHostname
		if st.ag.cfg.sasl.senderAuth {
			f |= keySender
		}
	}
	if st.tls != nil && tlsMustMatch(st.tls.level) {
		f |= keyCurNexthop
	}
	return f
}

// saveSession hands the connection to scache (smtp_save_session).
func (st *state) saveSession() {
	s := st.sess
	st.sess = nil
	if st.ag.scache == nil || (s.tls != nil && s.tls.proxy == nil) {
		s.close()
		return
	}
	endp := st.keyPrefix(st.endpLabelFlags())
	destProp := fmt.Sprintf("destination=%s\nhost_name=%s\nhost_addr=%s\ndestination_features=%d\n",
		st.it.dest, st.it.host, st.it.addr, s.features&featDestationMask)
	level := tlsNone
	if st.tls != nil {
		level = st.tls.level
	}
	endpProp := fmt.Sprintf("tls_level=%d\nreuse_count=%d\nendpoint_features=%d\nexpire_time=%d\n",
		level, s.reuseCount, s.features&featEndpointMask, s.expire)
	if s.tls != nil {
		endpProp += s.tls.proxy.Props()
	}
	f, err := fileOf(s.st.conn)
	s.st.flush()
	s.st.conn.Close()
	s.st = nil
	if err != nil {
		st.ag.log.Warnf("smtp_session_passivate: %v", err)
		return
	}
	if st.cacheNexthop != "" {
		st.ag.scache.SaveDest(st.ag.cfg.cacheTimeLimit, st.keyPrefix(st.destLabelFlags()), destProp, endp)
	}
	st.ag.scache.SaveEndp(st.ag.cfg.cacheTimeLimit, endp, endpProp, f)
}

// fileOf duplicates the descriptor of a TCP or UNIX connection.
func fileOf(c net.Conn) (*os.File, error) {
	switch x := c.(type) {
	case *net.TCPConn:
		return x.File()
	case *net.UnixConn:
		return x.File()
	}
	return nil, fmt.Errorf("cannot pass a %T", c)
}

// reuseNexthop looks for a cached session by destination
// (smtp_reuse_nexthop).
func (st *state) reuseNexthop() *session {
	if st.ag.scache == nil {
		return nil
	}
	label := st.keyPrefix(st.destLabelFlags())
	destProp, endpProp, f, err := st.ag.scache.FindDest(label)
	if err != nil {
		return nil
	}
	return st.reuseCommon(f, label, destProp, endpProp)
}

// reuseAddr looks for a cached session by server address
// (smtp_reuse_addr).
func (st *state) reuseAddr() *session {
	if st.ag.scache == nil {
		return nil
	}
	label := st.keyPrefix(st.endpLabelFlags())
	endpProp, f, err := st.ag.scache.FindEndp(label)
	if err != nil {
		return nil
	}
	return st.reuseCommon(f, label, "", endpProp)
}

// props parses "name=value" lines.
func props(s string) map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(s, "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			m[k] = v
		}
	}
	return m
}

// reuseCommon turns a cached descriptor back into a session and probes
// it with RSET (smtp_reuse_common, smtp_session_activate).
func (st *state) reuseCommon(f *os.File, label, destProp, endpProp string) *session {
	defer f.Close()
	ep := props(endpProp)
	level, err1 := strconv.Atoi(ep["tls_level"])
	reuse, err2 := strconv.Atoi(ep["reuse_count"])
	feat, err3 := strconv.Atoi(ep["endpoint_features"])
	expire, err4 := strconv.ParseInt(ep["expire_time"], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
		st.ag.log.Warnf("smtp_session_activate: bad cached endp properties")
		st.ag.log.Warnf("smtp_reuse_common: bad cached session attribute for %s", label)
		return nil
	}
	if st.tls != nil {
		st.tls.level = level
	}
	if destProp != "" {
		dp := props(destProp)
		df, err := strconv.Atoi(dp["destination_features"])
		if err != nil {
			st.ag.log.Warnf("smtp_session_passivate: bad cached dest properties")
			return nil
		}
		st.it.dest, st.it.host, st.it.addr = dp["destination"], dp["host_name"], dp["host_addr"]
		feat |= df
	}
	c, err := net.FileConn(f)
	if err != nil {
		return nil
	}
	s := newSession(newStream(c), st.ag.log, st.it.host, st.it.addr, st.it.port, time.Time{}, false, 0)
	st.ag.prepareSession(s, st.req.QueueID)
	s.features = feat | featFromCache
	s.expire = expire
	if level > tlsNone {
		ctx, ok := libtls.ParseContextProps(endpProp)
		if !ok {
			st.ag.log.Warnf("smtp_session_activate: bad cached TLS context")
			s.close()
			st.sess = nil
			return nil
		}
		s.tls = &tlsSession{proxy: ctx}
		st.ag.log.Infof("%s", ctx.Summary(true))
	}
	s.reuseCount = reuse + 1
	st.sess = s
	if st.rset() < 0 || s.features&featRsetRejected != 0 {
		s.close()
		st.sess = nil
		return nil
	}
	st.cacheUsed[st.it.addr] = true
	return s
}

// scrubAddrs drops addresses of sessions already used for this request
// (smtp_scrub_addr_list).
func (st *state) scrubAddrs(list []addrRR) []addrRR {
	if len(st.cacheUsed) == 0 {
		return list
	}
	var out []addrRR
	for _, a := range list {
		if !st.cacheUsed[a.addr.String()] {
			out = append(out, a)
		}
	}
	return out
}

// updateAddrs drops the address just used from the list, or the whole
// list when a limit is reached (smtp_update_addr_list).
func (st *state) updateAddrs(list []addrRR, addr string, count int) []addrRR {
	if len(list) == 0 {
		return list
	}
	if count == st.ag.cfg.mxSessLimit || count == st.ag.cfg.mxAddrLimit {
		return nil
	}
	for i, a := range list {
		if a.addr.String() == addr {
			return append(list[:i:i], list[i+1:]...)
		}
	}
	return list
}

// reuseSessions delivers over cached sessions first: one for the
// destination, then those of the best MX addresses
// (smtp_reuse_session). It returns the number of sessions used.
func (st *state) reuseSessions(list *[]addrRR, bestPref int) int {
	count := 0
	saved := st.it
	if len(*list) > 0 && st.left > 0 && st.cacheNexthop != "" {
		st.tls = &tlsPolicy{level: tlsNone}
		if s := st.reuseNexthop(); s != nil {
			count = 1
			*list = st.updateAddrs(*list, st.it.addr, count)
			if st.flags&flagFinalNexthop != 0 && len(*list) == 0 {
				st.flags |= flagFinalServer
			}
			st.xfer()
			st.cleanupSession()
		}
	}
	st.it = saved
	for i := 0; st.left > 0 && i < len(*list); i++ {
		a := (*list)[i]
		if a.pref != bestPref {
			break
		}
		st.it.addr, st.it.host = a.addr.String(), st.hostName(a)
		if !st.tlsPolicyLookup() {
			st.ag.log.Warnf("TLS policy lookup error for %s/%s: %s", st.it.dest, st.it.host, st.why.Reason)
			continue
		}
		if s := st.reuseAddr(); s != nil {
			s.features |= featBestMX
			count++
			*list = st.updateAddrs(*list, st.it.addr, count)
			last := i >= len(*list)
			if st.flags&flagFinalNexthop != 0 && last {
				st.flags |= flagFinalServer
			}
			st.xfer()
			st.cleanupSession()
			i--
		}
	}
	return count
}
