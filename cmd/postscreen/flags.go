package main

import "fmt"

// Test indexes, in the order of the cache record's time stamps.
const (
	tPregr = iota // pregreet
	tDNSBL        // dnsbl
	tPipel        // pipelining
	tNSMTP        // non-smtp command
	tBarLF        // bare newline
	tCount
)

// Session flags (postscreen.h): a few session-wide bits, then four bits
// per test (fail, pass, todo, done-or-skip) starting at bit 8. A TODO bit
// shifted right by one is the matching PASS bit; shifted left, the DONE
// bit.
const (
	fNoForward  uint32 = 1 << 0 // do not hand the client to smtpd
	fUsingTLS   uint32 = 1 << 1
	fNew        uint32 = 1 << 3 // some test was never passed
	fDnlistFail uint32 = 1 << 4 // permanently denylisted
	fHangup     uint32 = 1 << 5 // the client hung up (not a failure)
	fSmtpdX21   uint32 = 1 << 6 // reply 421 and hang up after the next command
	fAllistFail uint32 = 1 << 7 // must not be allowlisted
)

const testBase = 8

func testFlag(t, shift int) uint32 { return 1 << (testBase + 4*t + shift) }

func failOf(t int) uint32 { return testFlag(t, 0) }
func passOf(t int) uint32 { return testFlag(t, 1) }
func todoOf(t int) uint32 { return testFlag(t, 2) }
func doneOf(t int) uint32 { return testFlag(t, 3) } // also "skip" for deep tests

var (
	fPregrFail, fPregrPass, fPregrTodo, fPregrDone = failOf(tPregr), passOf(tPregr), todoOf(tPregr), doneOf(tPregr)
	fDNSBLFail, fDNSBLPass, fDNSBLTodo, fDNSBLDone = failOf(tDNSBL), passOf(tDNSBL), todoOf(tDNSBL), doneOf(tDNSBL)
	fPipelFail, fPipelPass, fPipelTodo, fPipelSkip = failOf(tPipel), passOf(tPipel), todoOf(tPipel), doneOf(tPipel)
	fNSMTPFail, fNSMTPPass, fNSMTPTodo, fNSMTPSkip = failOf(tNSMTP), passOf(tNSMTP), todoOf(tNSMTP), doneOf(tNSMTP)
	fBarLFFail, fBarLFPass, fBarLFTodo, fBarLFSkip = failOf(tBarLF), passOf(tBarLF), todoOf(tBarLF), doneOf(tBarLF)
)

// Aggregates.
var (
	mEarlyDone = fPregrDone | fDNSBLDone
	mEarlyTodo = fPregrTodo | fDNSBLTodo
	mEarlyPass = fPregrPass | fDNSBLPass
	mEarlyFail = fPregrFail | fDNSBLFail
	mSmtpdTodo = fPipelTodo | fNSMTPTodo | fBarLFTodo
	mSmtpdPass = fPipelPass | fNSMTPPass | fBarLFPass
	mSmtpdFail = fPipelFail | fNSMTPFail | fBarLFFail
	mAnyFail   = fDnlistFail | mEarlyFail | mSmtpdFail | fAllistFail
	mAnyPass   = mEarlyPass | mSmtpdPass
	mAnyTodo   = mEarlyTodo | mSmtpdTodo
	mTodoFail  = mAnyTodo | mAnyFail
	mAnyUpdate = mAnyPass
)

func todoToPass(f uint32) uint32 { return f >> 1 }
func todoToDone(f uint32) uint32 { return f << 1 }

// flagNames are the names of psc_print_state_flags, for verbose logging.
var flagNames = []struct {
	name string
	bit  uint32
}{
	{"NOFORWARD", fNoForward}, {"USING_TLS", fUsingTLS}, {"NEW", fNew}, {"DNLIST_FAIL", fDnlistFail},
	{"HANGUP", fHangup}, {"ALLIST_FAIL", fAllistFail},
	{"PREGR_FAIL", fPregrFail}, {"PREGR_PASS", fPregrPass}, {"PREGR_TODO", fPregrTodo}, {"PREGR_DONE", fPregrDone},
	{"DNSBL_FAIL", fDNSBLFail}, {"DNSBL_PASS", fDNSBLPass}, {"DNSBL_TODO", fDNSBLTodo}, {"DNSBL_DONE", fDNSBLDone},
	{"PIPEL_FAIL", fPipelFail}, {"PIPEL_PASS", fPipelPass}, {"PIPEL_TODO", fPipelTodo}, {"PIPEL_SKIP", fPipelSkip},
	{"NSMTP_FAIL", fNSMTPFail}, {"NSMTP_PASS", fNSMTPPass}, {"NSMTP_TODO", fNSMTPTodo}, {"NSMTP_SKIP", fNSMTPSkip},
	{"BARLF_FAIL", fBarLFFail}, {"BARLF_PASS", fBarLFPass}, {"BARLF_TODO", fBarLFTodo}, {"BARLF_SKIP", fBarLFSkip},
}

// flagString formats flags as NAME|NAME, unknown bits as a number
// (str_name_mask_opt with NAME_MASK_PIPE | NAME_MASK_NUMBER).
func flagString(f uint32) string {
	var out []byte
	for _, n := range flagNames {
		if f&n.bit != 0 {
			if len(out) > 0 {
				out = append(out, '|')
			}
			out = append(out, n.name...)
			f &^= n.bit
		}
	}
	if f != 0 {
		if len(out) > 0 {
			out = append(out, '|')
		}
		out = fmt.Appendf(out, "0x%x", f)
	}
	return string(out)
}

// testNames are the names tests have in log lines.
var testNames = [tCount]string{"pregreet", "dnsbl", "pipelining", "non-smtp command", "bare newline"}
