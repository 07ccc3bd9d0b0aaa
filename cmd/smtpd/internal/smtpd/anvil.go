package smtpd

// The client event limits (smtpd_client_*_limit) through anvil. As in
// Postfix, the events of XCLIENT-authorized proxies and of
// smtpd_client_event_limit_exceptions clients are not counted, and the
// connect/disconnect events are sent even without a connection limit so
// that anvil keeps the rates of the right clients.

// anvilApplies reports whether the client's events go to anvil. The
// XCLIENT permission is that of the real client, decided at connect
// time.
func (ss *Session) anvilApplies() bool {
	return !ss.StandAlone && !ss.realXclientOK && ss.deps.Anvil != nil &&
		!ss.hostListMatch("smtpd_client_event_limit_exceptions", ss.cfg.EventLimitExceptions)
}

// anvilConnect counts the connection; a client over a limit gets a 421
// reply and the session ends. It reports whether the session may go on.
func (ss *Session) anvilConnect() bool {
	if !ss.anvilApplies() {
		return true
	}
	count, rate, err := ss.deps.Anvil.Connect(ss.Service, ss.client.Addr)
	if err != nil {
		return true
	}
	ss.anvilAddr = ss.client.Addr
	ss.connCount = count
	switch {
	case ss.cfg.ConnCountLimit > 0 && count > ss.cfg.ConnCountLimit:
		ss.log.Warnf("Connection concurrency limit exceeded: %d from %s for service %s", count, ss.namaddr, ss.Service)
	case ss.cfg.ConnRateLimit > 0 && rate > ss.cfg.ConnRateLimit:
		ss.log.Warnf("Connection rate limit exceeded: %d from %s for service %s", rate, ss.namaddr, ss.Service)
	default:
		return true
	}
	ss.failf(errPolicy, "421 4.7.0 %s Error: too many connections from %s", ss.cfg.MyHostname, ss.client.Addr)
	return false
}

// anvilDisconnect ends the connection anvilConnect counted.
func (ss *Session) anvilDisconnect() {
	if ss.anvilAddr != "" {
		_ = ss.deps.Anvil.Disconnect(ss.Service, ss.anvilAddr)
		ss.anvilAddr = ""
	}
}

// anvilRate counts one MAIL, RCPT, STARTTLS or AUTH event and reports
// whether the client is over the limit (then it has had its reply).
func (ss *Session) anvilRate(limit int, event func(service, addr string) (int, error), warn, reply string) bool {
	if limit <= 0 || !ss.anvilApplies() {
		return false
	}
	rate, err := event(ss.Service, ss.client.Addr)
	if err != nil || rate <= limit {
		return false
	}
	ss.log.Warnf("%s rate limit exceeded: %d from %s for service %s", warn, rate, ss.namaddr, ss.Service)
	ss.replyf("450 4.7.1 Error: too %s from %s", reply, ss.client.Addr)
	return true
}
