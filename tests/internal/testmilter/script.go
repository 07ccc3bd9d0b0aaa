package testmilter

import "time"

// Script says how the milter negotiates and answers.
type Script struct {
	// Version is the protocol version returned in the OPTNEG reply;
	// 0 echoes the version the MTA offered.
	Version uint32
	// Actions is the SMFIF_* request mask returned.
	Actions uint32
	// Protocol is the SMFIP_* mask returned (events not wanted, NR_*
	// no-reply flags, SKIP, RCPT_REJ, HDR_LEADSPC).
	Protocol uint32
	// SymLists, when non-empty, are appended to the OPTNEG reply as
	// (stage, "macro names") pairs in stage order (SETSYMLIST).
	SymLists map[uint32]string

	// Replies holds per command byte the reply to its n-th occurrence in
	// a session (the last one repeats). A missing entry is Continue.
	// An event whose no-reply flag (NR_*) was negotiated gets no reply.
	Replies map[byte][]Reply
	// Before holds packets sent before every reply to that command byte
	// (for example Progress, or a quarantine request before Continue).
	Before map[byte][]Reply
	// Mods are the modification requests sent after EOB, before the
	// final EOB reply (after any Before[CmdEOB]).
	Mods []Reply

	// Faults make the milter misbehave at an event.
	Faults map[byte]Fault

	// ReadTimeout bounds every read (default 10s).
	ReadTimeout time.Duration
}

// FaultKind is a way to misbehave.
type FaultKind int

const (
	// FaultClose closes the connection instead of replying.
	FaultClose FaultKind = iota + 1
	// FaultStall never replies (keeps reading until the MTA gives up).
	FaultStall
	// FaultGarbage writes Fault.Data instead of the reply.
	FaultGarbage
)

// Fault is misbehaviour at the Nth (1-based; 0 means first) occurrence of
// an event in a session.
type Fault struct {
	Kind FaultKind
	N    int
	Data []byte
}

func (s *Script) readTimeout() time.Duration {
	if s.ReadTimeout > 0 {
		return s.ReadTimeout
	}
	return 10 * time.Second
}

// replyFor returns the packets answering the n-th (0-based) occurrence of
// cmd, or nil when no reply is due.
func (s *Script) replyFor(cmd byte, n int, proto uint32) []Reply {
	if f, ok := noReplyFlag[cmd]; ok && proto&f != 0 {
		return nil
	}
	switch cmd {
	case CmdMacro, CmdOptneg, CmdAbort, CmdQuit, CmdQuitNC:
		return nil
	}
	out := append([]Reply(nil), s.Before[cmd]...)
	if cmd == CmdEOB {
		out = append(out, s.Mods...)
	}
	r := Continue
	if list := s.Replies[cmd]; len(list) > 0 {
		if n >= len(list) {
			n = len(list) - 1
		}
		r = list[n]
	}
	return append(out, r)
}
