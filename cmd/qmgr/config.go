package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libmaster"
)

// config holds the parameters qmgr reads at start-up.
type config struct {
	queueRunDelay    time.Duration
	minBackoff       time.Duration
	maxBackoff       time.Duration
	maxQueueTime     time.Duration
	dsnQueueTime     time.Duration
	transportRetry   time.Duration
	clogWarnTime     time.Duration
	refillDelay      time.Duration
	xportRateDelay   time.Duration
	destRateDelay    time.Duration
	daemonTimeout    time.Duration // qmgr_daemon_timeout: the watchdog
	agentTimeout     time.Duration // daemon_timeout: delivery agent replies
	inFlowDelay      time.Duration
	procLimit        int
	ipcTimeout       time.Duration
	activeLimit      int
	rcptLimit        int
	msgRcptLimit     int
	refillLimit      int
	xportRcptLimit   int
	stackRcptLimit   int
	slotCost         int
	slotLoan         int
	slotDiscount     int
	minSlots         int
	initDestConc     int
	destConcLimit    int
	destRcptLimit    int
	cohortLimit      int
	vrfyPendLimit    int
	deferTransports  []string
	posFeedback      string
	negFeedback      string
	defFilterNexthop string
	verpBounceOff    bool
	ownReqSpecial    bool
	dsnDelayCleared  bool
	helpfulWarnings  bool
	myhostname       string
	doubleBounce     string
	rcptDelim        string
	smtputf8         bool
	verpFilter       string
	rewriteService   string
	feedbackDebug    bool
	cfg              *mailconf.Config
}

// readConfig reads qmgr's parameters (qmgr.c's tables) and applies its
// start-up sanity adjustments.
func readConfig(s *libmaster.Server) (*config, error) {
	c := &config{cfg: s.Config}
	times := []struct {
		p    *time.Duration
		name string
	}{
		{&c.queueRunDelay, "queue_run_delay"}, {&c.minBackoff, "minimal_backoff_time"},
		{&c.maxBackoff, "maximal_backoff_time"}, {&c.maxQueueTime, "maximal_queue_lifetime"},
		{&c.dsnQueueTime, "bounce_queue_lifetime"}, {&c.transportRetry, "transport_retry_time"},
		{&c.clogWarnTime, "qmgr_clog_warn_time"}, {&c.refillDelay, "default_recipient_refill_delay"},
		{&c.xportRateDelay, "default_transport_rate_delay"}, {&c.destRateDelay, "default_destination_rate_delay"},
		{&c.daemonTimeout, "qmgr_daemon_timeout"}, {&c.ipcTimeout, "qmgr_ipc_timeout"},
		{&c.agentTimeout, "daemon_timeout"},
		{&c.inFlowDelay, "in_flow_delay"},
	}
	for _, t := range times {
		*t.p = s.Time(t.name)
	}
	ints := []struct {
		p    *int
		name string
	}{
		{&c.activeLimit, "qmgr_message_active_limit"}, {&c.rcptLimit, "qmgr_message_recipient_limit"},
		{&c.msgRcptLimit, "qmgr_message_recipient_minimum"}, {&c.refillLimit, "default_recipient_refill_limit"},
		{&c.xportRcptLimit, "default_recipient_limit"}, {&c.stackRcptLimit, "default_extra_recipient_limit"},
		{&c.slotCost, "default_delivery_slot_cost"}, {&c.slotLoan, "default_delivery_slot_loan"},
		{&c.slotDiscount, "default_delivery_slot_discount"}, {&c.minSlots, "default_minimum_delivery_slots"},
		{&c.initDestConc, "initial_destination_concurrency"}, {&c.destConcLimit, "default_destination_concurrency_limit"},
		{&c.destRcptLimit, "default_destination_recipient_limit"}, {&c.cohortLimit, "default_destination_concurrency_failed_cohort_limit"},
		{&c.vrfyPendLimit, "address_verify_pending_request_limit"},
		{&c.procLimit, "default_process_limit"},
	}
	for _, i := range ints {
		*i.p = s.Int(i.name)
	}
	c.deferTransports = mailconf.SplitList(s.Str("defer_transports"))
	c.posFeedback = s.Str("default_destination_concurrency_positive_feedback")
	c.negFeedback = s.Str("default_destination_concurrency_negative_feedback")
	c.defFilterNexthop = s.Str("default_filter_nexthop")
	c.verpBounceOff = s.Bool("disable_verp_bounces")
	c.ownReqSpecial = s.Bool("owner_request_special")
	c.dsnDelayCleared = s.Bool("confirm_delay_cleared")
	c.helpfulWarnings = s.Bool("helpful_warnings")
	c.feedbackDebug = s.Bool("destination_concurrency_feedback_debug")
	c.myhostname = s.Str("myhostname")
	c.doubleBounce = s.Str("double_bounce_sender")
	c.rcptDelim = s.Str("recipient_delimiter")
	c.smtputf8 = s.Bool("smtputf8_enable")
	c.verpFilter = s.Str("verp_delimiter_filter")
	c.rewriteService = s.Str("rewrite_service_name")

	if c.rcptLimit < c.activeLimit {
		s.Log.Warnf("qmgr_message_recipient_limit is smaller than qmgr_message_active_limit - adjusting qmgr_message_recipient_limit")
		c.rcptLimit = c.activeLimit
	}
	if c.dsnQueueTime > c.maxQueueTime {
		s.Log.Warnf("bounce_queue_lifetime is larger than maximal_queue_lifetime - adjusting bounce_queue_lifetime")
		c.dsnQueueTime = c.maxQueueTime
	}
	if s.Prog == "nqmgr" {
		s.Log.Warnf("please update the %s/master.cf file; the new queue manager", s.Config.Dir())
		s.Log.Warnf("(old name: nqmgr) has become the standard queue manager (new name: qmgr)")
		s.Log.Warnf("support for the name old name (nqmgr) will be removed from Postfix")
	}
	return c, nil
}

// transportInt reads TRANSPORT_suffix with def as the default and the
// bounds min and max (0: none) (get_mail_conf_int2); a built-in
// parameter keeps its own default.
func (c *config) transportInt(name, suffix string, def, min, max int) (int, error) {
	p := name + suffix
	if _, ok, _ := c.cfg.Default(p); ok {
		return c.cfg.Int(p)
	}
	return c.cfg.IntSpec(p, mailconf.Spec{Default: strconv.Itoa(def), Min: int64(min), Max: int64(max)})
}

// transportTime reads TRANSPORT_suffix as a time in seconds
// (get_mail_conf_time2).
func (c *config) transportTime(name, suffix string, def time.Duration, min int) (time.Duration, error) {
	p := name + suffix
	if _, ok, _ := c.cfg.Default(p); ok {
		return c.cfg.Time(p)
	}
	return c.cfg.TimeSpec(p, mailconf.Spec{Default: fmt.Sprintf("%ds", int(def/time.Second)), Min: int64(min)})
}

// transportStr reads TRANSPORT_suffix with def as the default.
func (c *config) transportStr(name, suffix, def string) (string, error) {
	p := name + suffix
	if _, ok, _ := c.cfg.Default(p); ok {
		return c.cfg.Str(p)
	}
	return c.cfg.StrSpec(p, mailconf.Spec{Default: def})
}

// isDeferTransport reports whether name is listed in defer_transports.
func (c *config) isDeferTransport(name string) bool {
	for _, t := range c.deferTransports {
		if t == name {
			return true
		}
	}
	return false
}

// verpDelimsOK checks VERP delimiters (verp_delims_verify).
func (c *config) verpDelimsOK(d string) bool {
	return len(d) == 2 && strings.IndexByte(c.verpFilter, d[0]) >= 0 && strings.IndexByte(c.verpFilter, d[1]) >= 0
}
