package main

import (
	"bufio"
	"fmt"
	"os"
	"time"

	"gopostfix/libglobal/bouncetmpl"
	"gopostfix/libglobal/mbox"
	"gopostfix/libglobal/postmail"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/namemask"
	"gopostfix/libmaster"
)

// config holds the parameters bounce(8) reads.
type config struct {
	bounceLimit      int    // bounce_size_limit
	maxQueueTime     int    // maximal_queue_lifetime, seconds
	delayWarnTime    int    // delay_warning_time, seconds
	notifyClasses    string // notify_classes
	bounceRcpt       string // bounce_notice_recipient
	doubleBounceRcpt string // 2bounce_notice_recipient
	delayRcpt        string // delay_notice_recipient
	templateFile     string // bounce_template_file
	threaded         bool   // enable_threaded_bounces
	hfromFormat      string // header_from_format
	myhostname       string
	mailName         string
	doubleBounce     string // double_bounce_sender
	oldLogCompat     bool   // backwards_bounce_logfile_compatibility
	smtputf8         bool
}

// daemon is the running bounce service.
type daemon struct {
	s          *libmaster.Server
	cfg        config
	tmpls      *bouncetmpl.Set
	layout     *queue.Layout
	lockParams mbox.LockParams
	postParams postmail.Params
	now        func() time.Time
	// fatalCleanup is the logfile a fatal error must remove while a
	// request with BOUNCE_FLAG_CLEAN runs.
	fatalCleanup string
}

// newDaemon reads the configuration and the templates (before the
// chroot, as Postfix's pre-jail initialisation does).
func newDaemon(s *libmaster.Server) (*daemon, error) {
	c := config{
		bounceLimit:      s.Int("bounce_size_limit"),
		maxQueueTime:     int(s.Time("maximal_queue_lifetime").Seconds()),
		delayWarnTime:    int(s.Time("delay_warning_time").Seconds()),
		notifyClasses:    s.Str("notify_classes"),
		bounceRcpt:       s.Str("bounce_notice_recipient"),
		doubleBounceRcpt: s.Str("2bounce_notice_recipient"),
		delayRcpt:        s.Str("delay_notice_recipient"),
		templateFile:     s.Str("bounce_template_file"),
		threaded:         s.Bool("enable_threaded_bounces"),
		hfromFormat:      s.Str("header_from_format"),
		myhostname:       s.Str("myhostname"),
		mailName:         s.Str("mail_name"),
		doubleBounce:     s.Str("double_bounce_sender"),
		oldLogCompat:     s.Bool("backwards_bounce_logfile_compatibility"),
		smtputf8:         s.Bool("smtputf8_enable"),
	}
	d := &daemon{s: s, cfg: c, now: time.Now}
	layout, err := queue.NewLayout("", s.Config)
	if err != nil {
		s.Log.Fatalf("%v", err)
	}
	d.layout = layout
	d.lockParams = mbox.LockParams{Tries: s.Int("deliver_lock_attempts"),
		Delay: s.Time("deliver_lock_delay"), Stale: s.Time("stale_lock_time")}
	d.postParams = postmail.Params{QueueDir: ".", CleanupService: s.Str("cleanup_service_name"),
		Myhostname: c.myhostname, MailName: c.mailName, FilterClasses: s.Str("internal_mail_filter_classes"),
		AutoUTF8Classes: s.Str("smtputf8_autodetect_classes"), Timeout: s.IPCTimeout, Now: time.Now}
	exit := s.Log.Exit
	s.Log.Exit = func(code int) {
		if d.fatalCleanup != "" {
			os.Remove(d.fatalCleanup)
		}
		exit(code)
	}
	d.tmpls = bouncetmpl.New(bouncetmpl.Env{
		Lookup:           d.lookup,
		DelayWarningTime: c.delayWarnTime,
		MaxQueueLifetime: c.maxQueueTime,
		SMTPUTF8:         c.smtputf8,
		ObsoleteFrom:     c.hfromFormat == "obsolete",
	}, s.Log)
	return d, d.loadTemplates()
}

// notifyMask is notify_classes as a mask of error classes; a bad value
// is fatal.
func (d *daemon) notifyMask() int {
	m, err := namemask.Parse("notify_classes", classNames, d.cfg.notifyClasses)
	if err != nil {
		d.s.Log.Fatalf("%v", err)
	}
	return m
}

// lookup is mail_conf_lookup_eval: the expanded value of a parameter.
func (d *daemon) lookup(name string) (string, bool) {
	raw, ok := d.s.Config.Raw(name)
	if !ok {
		return "", false
	}
	v, err := d.s.Config.Expand(raw)
	if err != nil {
		d.s.Log.Fatalf("%v", err)
	}
	return v, true
}

// loadTemplates reads bounce_template_file.
func (d *daemon) loadTemplates() error {
	if d.cfg.templateFile == "" {
		return nil
	}
	f, err := os.Open(d.cfg.templateFile)
	if err != nil {
		return fmt.Errorf("open %s: %s", d.cfg.templateFile, dict.ErrnoText(err))
	}
	defer f.Close()
	if err := d.tmpls.Load(f, d.cfg.templateFile); err != nil {
		return err
	}
	return nil
}

// postInit checks header_from_format and serves the two internal
// template services that postconf runs.
func (d *daemon) postInit() error {
	if d.cfg.hfromFormat != "standard" && d.cfg.hfromFormat != "obsolete" {
		return fmt.Errorf("invalid setting: \"header_from_format = %s\"", d.cfg.hfromFormat)
	}
	var err error
	out := bufio.NewWriter(os.Stdout)
	switch d.s.Name {
	case "dump_templates":
		err = d.tmpls.Dump(out)
	case "expand_templates":
		err = d.tmpls.ExpandAll(out)
	default:
		return nil
	}
	if err != nil {
		return err
	}
	out.Flush()
	os.Exit(0)
	return nil
}
