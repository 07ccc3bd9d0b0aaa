package main

import (
	"io"
	"os"
	"os/user"
	"strconv"
	"syscall"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/maillog"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/util/msg"
	"gopostfix/libmaster"
)

// setup reads main.cf, enters the queue directory and becomes mail_owner.
func setup(log *msg.Logger, c *command, logTo func(maillog.Settings)) *super {
	cfg, err := mailconf.Load(c.configDir, log)
	if err != nil {
		log.Fatalf("%v", err)
	}
	logTo(libmaster.LogSettings(func(name string) string {
		v, err := cfg.Str(name)
		if err != nil {
			log.Fatalf("%v", err)
		}
		return v
	}))
	dir, err := cfg.Str("queue_directory")
	if err != nil {
		log.Fatalf("%v", err)
	}
	owner, err := cfg.Str("mail_owner")
	if err != nil {
		log.Fatalf("%v", err)
	}
	l, err := queue.NewLayout("", cfg)
	if err != nil {
		log.Fatalf("%v", err)
	}
	u, err := user.Lookup(owner)
	if err != nil {
		log.Fatalf("file %s/main.cf: parameter mail_owner: unknown user name value: %s", cfg.Dir(), owner)
	}
	if err := os.Chdir(dir); err != nil {
		log.Fatalf("chdir %s: %s", dir, queue.Strerror(err))
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := setUGID(uid, gid); err != nil {
		log.Fatalf("%v", err)
	}
	return &super{l: l, log: log}
}

// setUGID drops root privileges for good (set_ugid).
func setUGID(uid, gid int) error {
	if err := syscall.Setgid(gid); err != nil {
		return err
	}
	if err := syscall.Setgroups([]int{gid}); err != nil {
		return err
	}
	return syscall.Setuid(uid)
}

// run performs the requested actions and prints the summary.
func (s *super) run(c *command, stdin io.Reader) int {
	action := c.action
	if action == 0 {
		action = actDefault
	}
	queues := c.queues
	if len(queues) == 0 {
		queues = defaultQueues
	}
	exit := s.log.Exit
	s.log.Exit = func(code int) {
		if s.inodeMismatch > 0 || s.inodeFixed > 0 || s.positionMismatch > 0 {
			s.log.Warnf("OPERATION INCOMPLETE -- RERUN COMMAND TO FIX THE QUEUE FIRST")
		}
		exit(code)
	}
	if action&actForRepair != 0 {
		s.scan(queues, action&actForRepair)
	}
	if s.inodeMismatch > 0 {
		s.scan(queues, action&actForRepair)
	}
	if action&actByID != 0 && (s.inodeMismatch > 0 || s.inodeFixed > 0) {
		s.log.Errorf("QUEUE FILE NAMES WERE CHANGED TO MATCH INODE NUMBERS")
		s.log.Fatalf("CHECK YOUR QUEUE IDS AND RE-ISSUE THE COMMAND")
	}
	ops := map[byte]struct {
		one byID
		all int
	}{
		'd': {deleteOne, actDeleteAll}, 'e': {expireOne, actExpireAll}, 'f': {expRelOne, actExpRelAll},
		'h': {holdOne, actHoldAll}, 'H': {releaseOne, actReleaseAll}, 'r': {requeueOne, actRequeueAll},
	}
	for _, o := range c.ops {
		op := ops[o.Char]
		switch o.Arg {
		case "ALL":
			s.scan(queues, op.all)
		case "-":
			s.operateStream(stdin, op.one, queues)
		default:
			op.one(s, queues, o.Arg)
		}
	}
	s.summary(action)
	return 0
}

func plural(n int) string {
	if n != 1 {
		return "s"
	}
	return ""
}

// summary prints the counters of the actions that were requested.
func (s *super) summary(action int) {
	if action&(actRequeueOne|actRequeueAll) != 0 {
		s.log.Infof("Requeued: %d message%s", s.requeued, plural(s.requeued))
	}
	if action&(actDeleteOne|actDeleteAll) != 0 {
		s.log.Infof("Deleted: %d message%s", s.deleted, plural(s.deleted))
	}
	if action&(actExpireOne|actExpireAll|actExpRelOne|actExpRelAll) != 0 {
		s.log.Infof("Force-expired: %d message%s", s.expired, plural(s.expired))
	}
	if action&(actHoldOne|actHoldAll) != 0 {
		s.log.Infof("Placed on hold: %d message%s", s.held, plural(s.held))
	}
	if action&(actReleaseOne|actReleaseAll|actExpRelOne|actExpRelAll) != 0 {
		s.log.Infof("Released from hold: %d message%s", s.released, plural(s.released))
	}
	if s.inodeFixed > 0 {
		s.log.Infof("Renamed to match inode number: %d message%s", s.inodeFixed, plural(s.inodeFixed))
	}
	if s.inodeMismatch > 0 || s.inodeFixed > 0 {
		s.log.Warnf("QUEUE FILE NAMES WERE CHANGED TO MATCH INODE NUMBERS")
	}
}
