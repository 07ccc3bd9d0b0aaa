// Package attr is Postfix's attribute protocol, the language every internal
// service speaks over its UNIX socket: src/util/attr_print0.c,
// attr_scan0.c, attr_print64.c, attr_scan64.c, attr_print_plain.c,
// attr_scan_plain.c, attr_clnt.c and auto_clnt.c, and the descriptor
// passing conventions of scache/tlsproxy (unix_send_fd, unix_recv_fd and
// the "dummy" record).
//
// # Encodings
//
// A record is an ordered list of (name, value) pairs followed by an end
// marker. Three wire forms exist (see Format):
//
//	Format0      name\0value\0 ... \0               (attr_print0, the default)
//	Format64     b64(name):b64(value)\n ... \n      (attr_print64)
//	FormatPlain  name=value\n ... \n                (attr_print_plain, anvil)
//
// Numbers always travel as unsigned decimal text: Int(name, -1) is sent as
// 4294967295 and Long(name, -1) as 18446744073709551615; the receiving side
// turns them back into negative Go ints. Data is base64 (standard alphabet,
// padded). A hash ({ ... }) carries a name/value table.
//
// # Sending
//
//	w := attr.NewWriter(conn, attr.Format0)
//	err := w.Print(attr.Str("request", "rewrite"), attr.Str("rule", "local"),
//		attr.Str("address", addr))            // record + terminator, flushed
//	err = w.PrintMore(attr.Int("status", 0))  // no terminator, not flushed
//
// Send values: Int, Long, Str, Data, Hash, Func (a callback that emits more
// attributes inside the same record).
//
// # Receiving
//
//	r := attr.NewReader(conn, attr.Format0, "private/rewrite")
//	n, err := r.Scan(attr.Strict, attr.RecvInt("flags", &flags),
//		attr.RecvStr("address", &addr))
//
// Receive targets: RecvInt, RecvLong, RecvStr, RecvData, RecvHash,
// RecvFunc, and Expect (name and value must match; used for the protocol
// announcement, not counted). Scan follows attr_scan exactly: attributes
// the caller does not ask for are skipped unless Extra is set; a record
// that ends early gives a short count, and an error only with Missing; with
// Strict (Missing|Extra) a nil error means every target was filled. Names
// may repeat within one record (trivial-rewrite's two "flags", the
// delivery reply's two "status"): targets are matched in order. Scan
// returns (0, io.EOF) when the stream ends before the first byte of a
// record. Other errors are *Error values whose text is Postfix's warning
// ("missing attribute ident in input from anvil socket"), ready for
// Logger.Warnf("%v", err); errors.Is(err, ErrMissing) and friends classify
// them.
//
// # Connections, clients and servers
//
// Conn couples a net.Conn with a Reader and a Writer and applies a
// per-read/per-write timeout (ipc_timeout). A server greets with
// Conn.Announce(proto, extra...); a client checks the greeting with
// Conn.ReadAnnouncement(proto, extra...). Dial connects to a UNIX socket;
// DialService to $queue_directory/class/service. Client is the persistent,
// reconnecting client of attr_clnt/auto_clnt (ipc_idle, ipc_ttl, retry once
// on I/O error); Call is the one-shot mail_command_client form.
//
// Descriptor passing follows the Linux build of Postfix 3.7: the sender
// first waits for a "dummy" record, then sends one data byte "\0" with one
// SCM_RIGHTS descriptor, then waits for another record from the receiver
// (Conn.SendFd, Conn.RecvFd, Conn.WriteDummy, Conn.ReadDummy).
//
// Deliberate differences: none on the wire. The 3.12 BOOL type is not
// offered, since 3.7 peers do not understand it.
package attr
