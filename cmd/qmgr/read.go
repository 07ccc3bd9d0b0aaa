package main

import (
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gopostfix/libglobal/deliver"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/record"
)

// attrRecord maps attribute records that stand for a record type
// (rec_attr_map).
var attrRecord = map[string]byte{
	"envelope_id":   record.DSNEnvID,
	"ret_flags":     record.DSNRet,
	"notify_flags":  record.DSNNotify,
	"dsn_orig_rcpt": record.DSNORcpt,
	"create_time":   record.CTime,
}

const recError = 0 // no record: the read failed

// recordReader returns a record reader for f, reusing the buffer of the
// last one.
func (q *qmgr) recordReader(f *os.File) *record.Reader {
	rd := q.spareReader
	if rd == nil {
		return record.NewReader(f, f.Name(), 0, 0)
	}
	q.spareReader = nil
	rd.Reset(f, f.Name(), 0, 0)
	return rd
}

// readMessage reads the envelope, or the next batch of recipients when
// rcptOffset is set (qmgr_message_read). It returns false when the file
// is unusable; warnings are logged.
func (q *qmgr) readMessage(m *message) bool {
	saveOffset, saveUnread := m.rcptOffset, m.rcptUnread
	rd := q.recordReader(m.fp)
	defer func() { q.spareReader = rd }()
	var limit int
	if m.rcptOffset != 0 {
		if len(m.rcpts) != 0 {
			panic(m.queueID + ": recipient list not empty on recipient reload")
		}
		if err := rd.SeekTo(m.rcptOffset); err != nil {
			q.fatal("seek file %s: %s", m.fp.Name(), strerror(err))
		}
		m.rcptOffset = 0
		limit = m.rcptLimit - m.rcptCount
	} else {
		limit = q.cfg.rcptLimit - q.recipientCount
		if limit < m.rcptLimit {
			limit = m.rcptLimit
		}
	}
	if limit > 5000 {
		limit = 5000
	}
	if limit <= 0 {
		panic(m.queueID + ": no recipient slots available")
	}
	expected := record.EnvelopeTypes + record.ExtractTypes
	var origRcpt, dsnOrcpt *string
	dsnNotify := 0
	haveLogClient := false
	var recType byte
	clearPending := func() { origRcpt, dsnOrcpt, dsnNotify = nil, nil, 0 }
	for {
		want := expected
		curr := rd.Offset()
		if curr == m.dataOffset && curr > 0 {
			if err := rd.SeekTo(curr + m.dataSize); err != nil {
				q.fatal("seek file %s: %s", m.fp.Name(), strerror(err))
			}
			curr += m.dataSize
			want = string(record.Xtra)
		}
		rec, err := rd.Next()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				q.log.Warnf("%v", err)
			}
			q.log.Warnf("%s: message rejected: missing end record", m.queueID)
			recType = recError
			break
		}
		recType = rec.Type
		start := record.CString(rec.Data)
		if recType == record.Ptr {
			if err := rd.Goto(rec.Data); err != nil {
				q.log.Warnf("%v", err)
				recType = recError
				break
			}
			continue
		}
		if !record.In(want, recType) || recType == 0 {
			q.log.Warnf("Unexpected record type '%s' at offset %d", []byte{recType}, curr)
			recType = recError
			break
		}
		if recType == record.End {
			m.rflags |= readSeenAllNonRcpt
			break
		}
		var name, value string
		if recType == record.Attr {
			var errText string
			name, value, errText = record.SplitNameVal(start)
			if errText != "" {
				q.log.Warnf("%s: bad attribute record: %s: %.200s", m.queueID, errText, start)
				recType = recError
				break
			}
			if t, ok := attrRecord[name]; ok {
				start, recType = value, t
			}
		}
		switch recType {
		case record.Rcpt:
			if m.rcptOffset == 0 {
				m.rcptUnread--
				r := &rcpt{Recipient: deliver.Recipient{Offset: curr, Address: start, DSNNotify: dsnNotify}}
				if dsnOrcpt != nil {
					r.DSNOrcpt = *dsnOrcpt
				}
				if origRcpt != nil {
					r.OrigAddr = *origRcpt
				}
				m.rcpts = append(m.rcpts, r)
				clearPending()
				if len(m.rcpts) >= limit {
					m.rcptOffset = rd.Offset()
					if m.rflags&readSeenAllNonRcpt != 0 {
						goto done
					}
					if m.rflags&readMixedRcptOther != 0 {
						continue
					}
					if curr > m.dataOffset {
						m.rflags |= readSeenAllNonRcpt
						goto done
					}
					if err := rd.SeekTo(m.dataOffset); err != nil {
						q.fatal("seek file %s: %s", m.fp.Name(), strerror(err))
					}
				}
			}
			continue
		case record.Done, '@':
			if m.rcptOffset == 0 {
				m.rcptUnread--
				clearPending()
			}
			continue
		case record.DSNORcpt:
			if dsnOrcpt != nil {
				q.log.Warnf("%s: ignoring out-of-order DSN original recipient address <%.200s>", m.queueID, *dsnOrcpt)
				dsnOrcpt = nil
			}
			if m.rcptOffset == 0 {
				v := start
				dsnOrcpt = &v
			}
			continue
		case record.DSNNotify:
			if dsnNotify != 0 {
				q.log.Warnf("%s: ignoring out-of-order DSN notify flags <%d>", m.queueID, dsnNotify)
				dsnNotify = 0
			}
			if m.rcptOffset == 0 {
				n, err := strconv.Atoi(start)
				if !allDigits(start) || err != nil || n == 0 || !deliver.NotifyOK(n) {
					q.log.Warnf("%s: ignoring malformed DSN notify flags <%.200s>", m.queueID, start)
				} else {
					dsnNotify = n
				}
				continue
			}
		case record.ORcpt:
			if origRcpt != nil {
				q.log.Warnf("%s: ignoring out-of-order original recipient <%.200s>", m.queueID, *origRcpt)
				origRcpt = nil
			}
			if m.rcptOffset == 0 {
				v := start
				origRcpt = &v
			}
			continue
		}
		if m.rflags&readSeenAllNonRcpt != 0 {
			continue
		}
		if !q.readOther(m, recType, start, name, value, curr, &haveLogClient) {
			recType = recError
			break
		}
	}
done:
	if dsnOrcpt != nil && recType != recError {
		q.log.Warnf("%s: ignoring out-of-order DSN original recipient <%.200s>", m.queueID, *dsnOrcpt)
	}
	if origRcpt != nil && recType != recError {
		q.log.Warnf("%s: ignoring out-of-order original recipient <%.200s>", m.queueID, *origRcpt)
	}
	if q.cfg.dsnDelayCleared && m.warnTime < 0 {
		m.tflags |= deliver.FlagRecDlySent
	}
	m.refillTime = time.Now().Unix()
	if m.encoding == "" {
		m.encoding = ""
	}
	if m.rewriteContext == "" {
		m.rewriteContext = "local"
	}
	if m.createTime == 0 {
		m.createTime = m.arrival.Unix()
	}
	if m.rcptUnread < 0 || (m.rcptOffset == 0 && m.rcptUnread != 0) {
		q.log.Warnf("%s: rcpt count mismatch (%d)", m.queueID, m.rcptUnread)
		m.rcptUnread = 0
	}
	switch {
	case recType == recError:
	case m.arrival.IsZero():
		q.log.Warnf("%s: message rejected: missing arrival time record", m.queueID)
	case !m.haveSender:
		q.log.Warnf("%s: message rejected: missing sender record", m.queueID)
	case m.dataOffset == 0:
		q.log.Warnf("%s: message rejected: missing size record", m.queueID)
	default:
		return true
	}
	m.rcptOffset, m.rcptUnread = saveOffset, saveUnread
	m.rcpts = nil
	return false
}

// readOther handles the non-recipient envelope records; false means the
// file is corrupt.
func (q *qmgr) readOther(m *message, t byte, start, name, value string, curr int64, haveLogClient *bool) bool {
	switch t {
	case record.Size:
		if m.dataOffset == 0 {
			var size, off, unread, flags, contLen, utf8 int64
			n := record.ScanLongs(start, &size, &off, &unread, &flags, &contLen, &utf8)
			switch {
			case n >= 3:
				m.dataSize, m.dataOffset, m.rcptUnread = size, off, int(unread)
				if n >= 4 {
					m.rflags = int(flags)
				}
				if n >= 5 {
					m.contLength = contLen
				}
				if n >= 6 {
					m.smtputf8 = int(utf8)
				}
				if m.dataOffset <= 0 || m.dataSize <= 0 {
					q.log.Warnf("%s: invalid size record: %.100s", m.queueID, start)
					return false
				}
				if m.rflags&^readUserMask != 0 {
					q.log.Warnf("%s: invalid flags in size record: %.100s", m.queueID, start)
					return false
				}
			default:
				// Files of Postfix < 1.0 are not supported.
				q.log.Warnf("%s: message rejected: weird size record", m.queueID)
				return false
			}
		}
		if m.contLength == 0 {
			m.contLength = m.dataSize
		} else if m.contLength < 0 {
			q.log.Warnf("%s: invalid size record: %.100s", m.queueID, start)
			return false
		}
	case record.Time:
		if m.arrival.IsZero() {
			sec, usec := record.ParseTime([]byte(start))
			m.arrival = time.Unix(sec, usec*1000)
		}
	case record.CTime:
		if m.createTime == 0 {
			m.createTime = record.Atol(start)
		}
	case record.Filter:
		m.filterXport = start
	case record.Insp:
		m.inspectXport = start
	case record.Redirect:
		m.redirectAddr = start
	case record.From:
		if !m.haveSender {
			m.sender, m.haveSender = start, true
			q.status.Log.Opened(m.queueID, m.sender, m.contLength, m.rcptUnread, "queue "+m.queueName)
		}
	case record.DSNEnvID:
		m.envID = start
	case record.DSNRet:
		n, err := strconv.Atoi(start)
		if !allDigits(start) || err != nil || n == 0 || !deliver.RetOK(n) {
			q.log.Warnf("%s: ignoring malformed DSN RET flags in queue file record:%.100s", m.queueID, start)
		} else {
			m.ret = n
		}
	case record.Attr:
		q.readAttr(m, name, value, curr, haveLogClient)
	case record.Warn:
		if m.warnOffset == 0 {
			m.warnOffset = curr
			m.warnTime = record.Atol(start)
		}
	case record.Verp:
		if m.verpDelims == "" {
			switch {
			case m.sender == "":
				q.log.Warnf("%s: ignoring VERP request for null sender", m.queueID)
			case !q.cfg.verpDelimsOK(start):
				q.log.Warnf("%s: ignoring bad VERP request: \"%.100s\"", m.queueID, start)
			default:
				m.singleRcpt = true
				m.verpDelims = start
			}
		}
	}
	return true
}

// readAttr handles named attributes (log_client_name, trace_flags, ...).
func (q *qmgr) readAttr(m *message, name, value string, curr int64, haveLogClient *bool) {
	switch name {
	case "encoding":
		m.encoding = value
	case "client_name", "client_address", "client_port", "protocol_name", "helo_name":
		// The legacy names count only without their log_ forms.
		if p := m.attrField(name); !*haveLogClient && *p == "" {
			*p = value
		}
	case "log_client_name", "log_client_address", "log_client_port", "log_protocol_name", "log_helo_name":
		*m.attrField(strings.TrimPrefix(name, "log_")) = value
		*haveLogClient = true
	case "sasl_method", "sasl_username", "sasl_sender", "log_ident", "rewrite_context":
		if p := m.attrField(name); *p == "" {
			*p = value
		} else {
			q.log.Warnf("%s: ignoring multiple %s attribute: %s", m.queueID, name, value)
		}
	case "trace_flags":
		if m.tflags == 0 {
			m.tflags = deliver.TraceFlags(int(record.Atol(value)))
			if m.tflags == deliver.FlagRecord {
				m.tflagsOffset = curr
			} else {
				m.tflagsOffset = 0
			}
			if m.tflags&deliver.FlagMTAVrfy != 0 {
				q.vrfyPendCount++
			}
		}
	}
}

// attrField returns the field of m that holds the named attribute: a
// client attribute (without its log_ prefix) or a once-only one.
func (m *message) attrField(name string) *string {
	switch name {
	case "client_name":
		return &m.clientName
	case "client_address":
		return &m.clientAddr
	case "client_port":
		return &m.clientPort
	case "protocol_name":
		return &m.clientProto
	case "helo_name":
		return &m.clientHelo
	case "sasl_method":
		return &m.saslMethod
	case "sasl_username":
		return &m.saslUsername
	case "sasl_sender":
		return &m.saslSender
	case "log_ident":
		return &m.logIdent
	}
	return &m.rewriteContext
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	return strings.Trim(s, "0123456789") == ""
}

func isNotExist(err error) bool { return errors.Is(err, syscall.ENOENT) }

func strerror(err error) string { return queue.Strerror(err) }
