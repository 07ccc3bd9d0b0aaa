package record

import "fmt"

// SizeInfo is the content of the size record (REC_TYPE_SIZE_FORMAT): six
// numbers, each right-aligned in 15 characters, so the record can be
// rewritten in place once the message is complete.
type SizeInfo struct {
	ContentSize   int64 // X offset minus DataOffset
	DataOffset    int64 // offset of the first content record
	RcptCount     int64 // recipients written by cleanup
	QmgrFlags     int64 // qmgr_user.h flags
	ContentLength int64 // Postfix 2.4+, same as ContentSize
	SendOpts      int64 // sendopts.h flags
}

// SizeDataLen is the data length of every size record.
const SizeDataLen = 6*15 + 5

// Format returns the 95-byte record data.
func (s SizeInfo) Format() string {
	return fmt.Sprintf("%15d %15d %15d %15d %15d %15d",
		s.ContentSize, s.DataOffset, s.RcptCount, s.QmgrFlags, s.ContentLength, s.SendOpts)
}

// QmgrFlagMixed is set when recipient records are mixed with other
// records, so qmgr must read the whole envelope first.
const QmgrFlagMixed = 1

// QmgrUserMask holds every valid qmgr flag bit.
const QmgrUserMask = 0x1f

// ScanLongs parses up to len(dst) integers from s like sscanf with "%ld
// %ld ...": each may be preceded by white space and a sign. It returns how
// many were converted before the first failure.
func ScanLongs(s string, dst ...*int64) int {
	i := 0
	for k, p := range dst {
		for i < len(s) && IsSpace(s[i]) {
			i++
		}
		j := i
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		d := j
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == d {
			return k
		}
		*p = Atol(s[i:j])
		i = j
	}
	return len(dst)
}
