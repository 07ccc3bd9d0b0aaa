// Package record reads and writes Postfix queue-file records, the format of
// src/global/record.c, rec_type.h, rec_type.c and rec_attr_map.c: one type
// byte, the data length in little-endian groups of seven bits (bit 8 set
// when another length byte follows), then the data.
//
// Every queue file (maildrop, incoming, active, deferred, hold, corrupt),
// the stream sendmail writes to postdrop and the stream pickup sends to
// cleanup use this format. The Reader reproduces rec_get_raw, including
// its transparent handling of pointer records, padding records and the
// seek to end of file after the end record, and reports damaged input with
// Postfix's warning texts. The Writer reproduces rec_put, rec_fprintf and
// rec_pad, and PutType the in-place type update rec_put_type.
//
// Deliberate difference: none in the encoding. The length decoder keeps
// Postfix's arithmetic (a 32-bit accumulator and at most five length
// bytes), so that a length Postfix sees as negative is rejected here too.
package record
