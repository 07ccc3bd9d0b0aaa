package main

import (
	"fmt"
	"strings"
	"time"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/xtext"
)

// Protocol states of the mail transaction (SMTP_STATE_*).
const (
	stXfwdNameAddr = iota
	stXfwdProtoHelo
	stMail
	stRcpt
	stData
	stDot
	stAbort
	stRset
	stQuit
	stLast
)

// xferStates name what the client was doing, for lost connections and
// time-outs; xferRequests name the command a reply belongs to.
var xferStates = [stLast]string{
	"sending XFORWARD name/address", "sending XFORWARD protocol/helo_name",
	"sending MAIL FROM", "sending RCPT TO", "sending DATA command",
	"sending end of data -- message may be sent more than once",
	"sending final RSET", "sending RSET probe", "sending QUIT",
}

var xferRequests = [stLast]string{
	"XFORWARD name/address command", "XFORWARD helo/protocol command",
	"MAIL FROM command", "RCPT TO command", "DATA command", "end of DATA command",
	"final RSET command", "RSET probe", "QUIT command",
}

// timeout is the time limit of a state (xfer_timeouts).
func (cfg *config) timeout(state int) time.Duration {
	switch state {
	case stXfwdNameAddr, stXfwdProtoHelo:
		return cfg.xforwardTimeout
	case stMail:
		return cfg.mailTimeout
	case stRcpt:
		return cfg.rcptTimeout
	case stData:
		return cfg.dataInitTimeout
	case stDot:
		return cfg.dataDoneTimeout
	case stAbort, stRset:
		return cfg.rsetTimeout
	}
	return cfg.quitTimeout
}

// Where a stream exception lands (the last vstream_setjmp of smtp_loop).
const (
	jmpSend = iota
	jmpRecv
	jmpBody
)

// loop is smtp_loop: it sends commands from sendState on and reads the
// replies from recvState on, pipelining when the server allows it, until
// every reply has been received.
func (st *state) loop(sendState, recvState int) int {
	s, req, cfg := st.sess, st.req, st.ag.cfg
	var survivors []int
	nrcpt, nextRcpt, sendRcpt, recvRcpt, recvDone := 0, 0, 0, 0, 0
	mailFromRejected := false
	var except error
	var nextCommand string
	var nextState int
	jmp := jmpSend
	ret := func(x int) int {
		if recvState != stLast {
			s.dontCache()
		}
		return x
	}
	trace := req.Flags&deliver.TraceOnlyMask != 0
	vrfyRcpt := trace && cfg.vrfyTarget == "rcpt"
	vrfyData := trace && cfg.vrfyTarget == "data"
	senderAhead := func() bool { return recvState < sendState || recvRcpt != sendRcpt }

	// jump handles a failed write as smtp_loop's setjmp points do.
	jump := func(err error) int {
		switch jmp {
		case jmpSend:
			st.ag.log.Warnf("smtp_proto: spurious flush before read in send state %d", sendState)
			if recvState <= stDot {
				return ret(st.streamExcept(err, xferStates[sendState]))
			}
		case jmpRecv:
			if except == errEOF {
				return ret(st.streamExcept(errEOF, "sending message body"))
			}
			if recvState <= stDot {
				return ret(st.streamExcept(err, xferStates[recvState]))
			}
		}
		return ret(-1)
	}
	s.st.setup(cfg.timeout(sendState), cfg.perRequestDeadline)
	for {
		nextCommand, nextState = st.buildCommand(sendState, sendRcpt, &nextRcpt, vrfyRcpt)
		inWait := sendState == stDot || sendState == stLast
		checkBuf := recvState != stDot || sendState != stQuit
		if inWait || (senderAhead() && (s.features&featPipelining == 0 ||
			(checkBuf && len(nextCommand)+2+s.st.pending() > bufSize) ||
			time.Since(s.st.last) > 10*time.Second)) {
			for senderAhead() {
				s.st.setup(cfg.timeout(recvState), cfg.perRequestDeadline)
				jmp = jmpRecv
				resp, err := s.resp()
				if err != nil {
					if except == errEOF {
						return ret(st.streamExcept(errEOF, "sending message body"))
					}
					if recvState <= stDot {
						return ret(st.streamExcept(err, xferStates[recvState]))
					}
					return ret(-1)
				}
				said := func(state int) string {
					return fmt.Sprintf("host %s said: %s (in reply to %s)", s.namaddr, resp.oneLine(), xferRequests[state])
				}
				switch recvState {
				case stXfwdNameAddr:
					if resp.code/100 != 2 {
						st.ag.log.Warnf("host %s said: %s (in reply to %s)", s.namaddrport, resp.oneLine(), xferRequests[stXfwdNameAddr])
					}
					recvState = stMail
					if s.sendProtoHelo {
						recvState = stXfwdProtoHelo
					}
				case stXfwdProtoHelo:
					if resp.code/100 != 2 {
						st.ag.log.Warnf("host %s said: %s (in reply to %s)", s.namaddrport, resp.oneLine(), xferRequests[stXfwdProtoHelo])
					}
					recvState = stMail
				case stMail:
					if resp.code/100 != 2 {
						st.mesgFail(st.it.host, resp, "%s", said(stMail))
						mailFromRejected = true
					}
					recvState = stRcpt
				case stRcpt:
					if !mailFromRejected {
						r := &st.rcpts[recvRcpt]
						if resp.code/100 == 2 {
							if cfg.lmtp {
								survivors = append(survivors, recvRcpt)
							}
							nrcpt++
							if vrfyRcpt {
								st.rcptDone(resp, r)
							}
						} else {
							st.rcptFail(r, st.it.host, resp, "%s", said(stRcpt))
						}
					}
					if recvRcpt++; recvRcpt == st.left {
						recvState = stData
						if vrfyRcpt {
							recvState = stAbort
						}
					}
				case stData:
					recvState = stDot
					if resp.code/100 != 3 {
						if nrcpt > 0 {
							st.mesgFail(st.it.host, resp, "%s", said(stData))
						}
						nrcpt = -1
					} else if vrfyData {
						for i := 0; i < recvRcpt; i++ {
							if r := &st.rcpts[i]; r.mark == 0 {
								resp.dsn = "2.0.0"
								st.rcptDone(resp, r)
							}
						}
						s.dontCache()
						sendState, recvState = stLast, stLast
					}
				case stDot:
					req.Stats.DeliverDone = time.Now()
					if !cfg.lmtp {
						if nrcpt > 0 {
							if resp.code/100 != 2 {
								st.mesgFail(st.it.host, resp, "%s", said(stDot))
							} else {
								for i := 0; i < recvRcpt; i++ {
									if r := &st.rcpts[i]; r.mark == 0 {
										st.rcptDone(resp, r)
									}
								}
							}
						}
					} else {
						if nrcpt > 0 {
							r := &st.rcpts[survivors[recvDone]]
							recvDone++
							if resp.code/100 != 2 {
								st.rcptFail(r, st.it.host, resp, "%s", said(stDot))
							} else {
								st.rcptDone(resp, r)
							}
						}
						if recvDone < nrcpt {
							break
						}
					}
					if cfg.skipQuitResp || s.cached() || except == errEOF {
						recvState = stLast
					} else {
						recvState = stQuit
					}
				case stAbort:
					recvState = stQuit
					if cfg.skipQuitResp || s.cached() {
						recvState = stLast
					}
				case stRset:
					if resp.code/100 != 2 {
						s.features |= featRsetRejected
					}
					recvState = stLast
				case stQuit:
					recvState = stLast
				}
			}
			if (sendState == stRcpt && mailFromRejected) || (sendState == stData && nrcpt == 0) ||
				(sendState == stDot && nrcpt < 0) {
				sendState, recvState = stAbort, stAbort
				sendRcpt, recvRcpt = 0, 0
				nextCommand = "RSET"
				if s.expired(cfg.reuseCountLimit) {
					s.dontCache()
				}
				nextState = stQuit
				if s.cached() {
					nextState = stLast
				}
				nextRcpt = 0
			}
		}
		if sendState == stLast {
			if recvState == stLast {
				break
			}
			continue
		}
		if sendState == stDot && nrcpt > 0 {
			s.st.setup(cfg.dataXferTimeout, cfg.perRequestDeadline)
			jmp = jmpBody
			res, done, err := st.sendBody()
			if done {
				return ret(res)
			}
			if err != nil {
				if err != errEOF {
					return ret(st.streamExcept(err, "sending message body"))
				}
				except = errEOF
				s.st.purgeOut()
				nextState = stLast
			}
		}
		if except == nil {
			if err := s.cmd("%s", nextCommand); err != nil {
				if jmp != jmpBody {
					return jump(err)
				}
				if err != errEOF {
					return ret(st.streamExcept(err, "sending message body"))
				}
				except = errEOF
				s.st.purgeOut()
				nextState = stLast
				s.dontCache()
			}
		} else {
			s.dontCache()
		}
		sendState, sendRcpt = nextState, nextRcpt
		if recvState == stLast {
			break
		}
	}
	return ret(0)
}

// buildCommand builds the command of a send state and names the state
// that follows (the first switch of smtp_loop).
func (st *state) buildCommand(sendState, sendRcpt int, nextRcpt *int, vrfyRcpt bool) (string, int) {
	s, req, cfg := st.sess, st.req, st.ag.cfg
	switch sendState {
	case stXfwdNameAddr:
		cmd := "XFORWARD" + st.xforwardNameAddr()
		if s.sendProtoHelo {
			return cmd, stXfwdProtoHelo
		}
		return cmd, stMail
	case stXfwdProtoHelo:
		return "XFORWARD" + st.xforwardProtoHelo(), stMail
	case stMail:
		req.Stats.ReuseCount = s.reuseCount
		req.Stats.ConnSetupDone = time.Now()
		return st.mailCommand(), stRcpt
	case stRcpt:
		cmd := st.rcptCommand(&st.rcpts[sendRcpt])
		next := stRcpt
		if *nextRcpt = sendRcpt + 1; *nextRcpt == st.left {
			next = stData
			if vrfyRcpt {
				next = stAbort
			}
		}
		return cmd, next
	case stData:
		return "DATA", stDot
	case stDot, stAbort:
		cmd := "."
		if sendState == stAbort {
			cmd = "RSET"
		}
		if s.expired(cfg.reuseCountLimit) {
			s.dontCache()
		}
		if s.cached() {
			return cmd, stLast
		}
		return cmd, stQuit
	case stRset:
		return "RSET", stLast
	case stQuit:
		if s.cached() {
			s.dontCache()
		}
		return "QUIT", stLast
	}
	return "", sendState
}

// xfer delivers the message over an established session (smtp_xfer).
func (st *state) xfer() int {
	s, req, cfg := st.sess, st.req, st.ag.cfg
	if st.left <= 0 {
		panic(fmt.Sprintf("smtp_xfer: bad recipient count: %d", st.left))
	}
	if s.sizeLimit > 0 && s.sizeLimit < req.DataSize {
		st.mesgFail("", fake("5.3.4"), "message size %d exceeds size limit %d of server %s",
			req.DataSize, s.sizeLimit, s.namaddr)
		st.flags |= flagCompleteSess
		return 0
	}
	sendNameAddr := cfg.sendXforward && st.xforwardNameAddr() != ""
	s.sendProtoHelo = cfg.sendXforward && st.xforwardProtoHelo() != ""
	state := stMail
	switch {
	case sendNameAddr:
		state = stXfwdNameAddr
	case s.sendProtoHelo:
		state = stXfwdProtoHelo
	}
	result := st.loop(state, state)
	if result == 0 && s.st.err == nil {
		st.flags |= flagCompleteSess
	}
	return result
}

// rset probes a cached session (smtp_rset); quit ends one (smtp_quit).
func (st *state) rset() int { return st.loop(stRset, stRset) }

func (st *state) quit() int {
	recv := stQuit
	if st.ag.cfg.skipQuitResp {
		recv = stLast
	}
	return st.loop(stQuit, recv)
}

// xforwardNameAddr and xforwardProtoHelo are the attribute lists of the
// two XFORWARD commands ("" when there is nothing to send).
func (st *state) xforwardNameAddr() string {
	s, req := st.sess, st.req
	var b strings.Builder
	add := func(feat int, name, val string, known bool) {
		if s.features&feat != 0 && val != "" && (!known || !strings.EqualFold(val, "unknown")) {
			b.WriteString(" " + name + "=" + xtext.Quote(val, ""))
		}
	}
	add(featXfwdName, "NAME", req.ClientName, true)
	add(featXfwdAddr, "ADDR", req.ClientAddr, true)
	add(featXfwdPort, "PORT", req.ClientPort, true)
	return b.String()
}

func (st *state) xforwardProtoHelo() string {
	s, req := st.sess, st.req
	var b strings.Builder
	add := func(feat int, name, val string, known bool) {
		if s.features&feat != 0 && val != "" && (!known || !strings.EqualFold(val, "unknown")) {
			b.WriteString(" " + name + "=" + xtext.Quote(val, ""))
		}
	}
	add(featXfwdProto, "PROTO", req.ClientProto, true)
	add(featXfwdHelo, "HELO", req.ClientHelo, false)
	add(featXfwdIdent, "IDENT", req.LogIdent, false)
	source := "REMOTE"
	if req.RewriteContext == "local" {
		source = "LOCAL"
	}
	if req.RewriteContext != "" {
		add(featXfwdDomain, "SOURCE", source, false)
	}
	return b.String()
}
