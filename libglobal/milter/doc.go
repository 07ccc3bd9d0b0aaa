// Package milter is the MTA side of the Sendmail 8 mail filter protocol,
// as Postfix 3.7's src/milter (milter.c, milter8.c, milter_macros.c)
// implements it for smtpd(8) and cleanup(8): protocol versions 2, 3, 4
// and 6 (milter_protocol, with the optional "no_header_reply"), option
// negotiation with per-stage macro lists (SETSYMLIST), the NR_* no-reply
// flags, SKIP, RCPT_REJ and HDR_LEADSPC, the events of an SMTP session,
// the message content read back from a queue file, the modification
// requests at end of message, and the error states that make
// milter_default_action decide every later reply, with Postfix's
// warning texts.
//
// API (what smtpd and cleanup call):
//
//	func New(cfg Config) (*Milters, error)
//	func (ms *Milters) SetMacroLookup(fn MacroLookup)        // func(name string) (string, bool), name as "{x}"
//	func (ms *Milters) SetEditor(e Editor)                   // cleanup: applies the EOM requests
//	func (ms *Milters) ConnEvent(name, addr, port string, fam Family) string
//	func (ms *Milters) HeloEvent(helo string, esmtp bool) string
//	func (ms *Milters) MailEvent(args []string) string       // {"<sender>", "SIZE=..."...}
//	func (ms *Milters) RcptEvent(flags int, args []string) string // flags: FlagWantRcptRej
//	func (ms *Milters) DataEvent() string
//	func (ms *Milters) UnknownEvent(command string) string
//	func (ms *Milters) OtherEvent() string
//	func (ms *Milters) Message(qf *os.File, dataOffset int64, autoHeaders []string) string
//	func (ms *Milters) Abort()
//	func (ms *Milters) DiscEvent()
//	func (ms *Milters) Count() int
//	func (ms *Milters) Send(c *attr.Conn) error              // smtpd: writes the 'm' record and the milters
//	func Receive(in io.ByteReader, c *attr.Conn, count int, cfg Config) (*Milters, error) // cleanup
//	func (ms *Milters) Close()
//
// Each event returns "" when the milters have no objection, "D" to
// discard the message, "H" to quarantine (hold) it, "S" for shutdown
// (421 and disconnect), or an SMTP reply "4XX X.Y.Z text" or "5XX X.Y.Z
// text" (a milter's own text may be multi-line, lines joined by CRLF).
// The lookups use the "{name}" form; milter_macro_defaults supply values
// the lookup does not have.
//
// Connections: each milter connects at ConnEvent and is closed at
// DiscEvent (libmilter closes its end when the client leaves, so Postfix
// opens one connection per SMTP session). Nothing connects in New.
//
// Hand-off: smtpd, after writing its envelope records to cleanup,
// flushes its record buffer and calls Send on the cleanup connection;
// cleanup, on reading the 'm' (MILT_COUNT) record, calls Receive with the
// record reader it read that record from and the connection, and then
// uses the returned list (even when empty: an 'm' record, even "0",
// replaces non_smtpd_milters) for Message. The exchange is the one of
// milter_send/milter8_send: macro lists, the defaults' count and hash,
// per milter its eleven attributes, the optional macro lists, a "dummy"
// from the receiver, the descriptor, a "dummy" back; at the end cleanup
// sends "status 0".
//
// Deliberate differences: states Postfix treats as impossible (an event
// before ConnEvent, ConnEvent on a connection still open) answer with
// the persistent reply instead of a panic; the MDS_256K/MDS_1M body
// chunk flags of later Sendmail versions are not offered, as in 3.7.
package milter
