package dictproxy

import (
	"fmt"
	"strconv"

	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/dict"
)

// reply is how an operation's reply status turned out.
type reply struct {
	found  bool  // OK: the key (or record) exists, the change was made
	retry  bool  // an unexpected status: ask again
	result error // RETRY or CONFIG: the table's error
	fatal  error // BAD or DENY
}

// judge interprets a reply status the way every dict_proxy operation
// does. what names the subject in messages (` key "k"` or ` function 0`);
// write says whether a DENY means missing update access.
func (d *proxyDict) judge(op string, status int, what string, write bool) reply {
	switch status {
	case statBad:
		return reply{fatal: d.fatalf("%s %s failed for table \"%s\"%s: invalid request", d.s.service, op, d.Name(), what)}
	case statDeny:
		if write {
			return reply{fatal: d.fatalf("%s update access is not configured for table \"%s\"", d.s.service, d.Name())}
		}
		return reply{fatal: d.fatalf("%s service is not configured for table \"%s\"", d.s.service, d.Name())}
	case statOK:
		return reply{found: true}
	case statNoKey:
		return reply{}
	case statRetry, statConfig:
		return reply{result: d.statusError(status, op)}
	}
	d.Log().Warnf("%s %s failed for table \"%s\"%s: unexpected reply status %d", d.s.service, op, d.Name(), what, status)
	return reply{retry: true}
}

// call runs one operation: the request, the reply targets after the
// status, and the end of the verbose log line made after a reply.
func (d *proxyDict) call(op, what string, write bool, send []attr.Attr, recv []attr.Recv, trace func(status int) string) (reply, error) {
	var status int
	var rep reply
	send = append([]attr.Attr{attr.Str("request", op), attr.Str("table", d.Name()),
		attr.Int("flags", int(d.requestFlags()))}, send...)
	err := d.exchange("dict_proxy_"+op, false, send, append([]attr.Recv{attr.RecvInt("status", &status)}, recv...),
		func() (bool, error) {
			d.Log().Debugf("dict_proxy_%s: table=%s flags=%s %s", op, d.Name(), d.requestFlags(), trace(status))
			rep = d.judge(op, status, what, write)
			return rep.retry, rep.fatal
		})
	return rep, err
}

func keyWhat(key string) string { return fmt.Sprintf(" key \"%s\"", key) }

// Lookup asks proxymap for key (dict_proxy_lookup).
func (d *proxyDict) Lookup(key string) (string, bool, error) {
	var value string
	rep, err := d.call("lookup", keyWhat(key), false, []attr.Attr{attr.Str("key", key)},
		[]attr.Recv{attr.RecvStr("value", &value)},
		func(st int) string { return fmt.Sprintf("key=%s -> status=%d result=%s", key, st, value) })
	switch {
	case err != nil:
		return "", false, err
	case !rep.found:
		return "", false, rep.result
	}
	return value, true, nil
}

// Update asks proxywrite to store key=value (dict_proxy_update). A
// refused duplicate comes back as "no key": it is reported as a
// conflict, a dict.Error of KindNone.
func (d *proxyDict) Update(key, value string) error {
	rep, err := d.call("update", keyWhat(key), true, []attr.Attr{attr.Str("key", key), attr.Str("value", value)}, nil,
		func(st int) string { return fmt.Sprintf("key=%s value=%s -> status=%d", key, value, st) })
	switch {
	case err != nil:
		return err
	case rep.result != nil:
		return rep.result
	case !rep.found:
		return &dict.Error{Kind: dict.KindNone, Msg: "table " + d.Label() + ": duplicate entry: \"" + key + "\""}
	}
	return nil
}

// Delete asks proxywrite to remove key (dict_proxy_delete).
func (d *proxyDict) Delete(key string) (bool, error) {
	rep, err := d.call("delete", keyWhat(key), true, []attr.Attr{attr.Str("key", key)}, nil,
		func(st int) string { return fmt.Sprintf("key=%s -> status=%d", key, st) })
	if err != nil {
		return false, err
	}
	return rep.found, rep.result
}

// Sequence asks proxymap for the first or next record
// (dict_proxy_sequence).
func (d *proxyDict) Sequence(op dict.SeqOp) (string, string, bool, error) {
	var key, value string
	fn := strconv.Itoa(int(op))
	rep, err := d.call("sequence", " function "+fn, false, []attr.Attr{attr.Int("function", int(op))},
		[]attr.Recv{attr.RecvStr("key", &key), attr.RecvStr("value", &value)},
		func(st int) string { return fmt.Sprintf("func=%s -> status=%d key=%s val=%s", fn, st, key, value) })
	switch {
	case err != nil:
		return "", "", false, err
	case !rep.found:
		return "", "", false, rep.result
	}
	return key, value, true, nil
}
