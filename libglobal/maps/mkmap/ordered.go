package mkmap

import (
	"errors"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// windowBytes is how much source a build collects before a table that
// buffers updates (dict.UpdateBuffer) writes them, sorted its way.
const windowBytes = 4 << 20

// logHook is the first sink of the programs' logger: before any message
// goes out it runs fn, which writes the updates a build has buffered, so
// that their duplicate warnings come before the message, in source
// order, as if each update had been written when its line was read.
type logHook struct {
	fn      func()
	running bool
}

// Emit implements msg.Sink.
func (h *logHook) Emit(msg.Level, string) {
	if h.fn == nil || h.running {
		return
	}
	h.running = true
	h.fn()
	h.running = false
}

// bufferUpdates turns on d's update buffer for a bulk build from a
// source of srcSize bytes when the tool logs through a hook, and returns
// what ends it; otherwise d is left as it is and the returned function
// does nothing. A small source gets a buffer its own size (the records
// are the source's text plus a NUL or two each).
func (t *Tool) bufferUpdates(d dict.Dict, srcSize int64) (end func()) {
	ub, ok := updateBuffer(d)
	if !ok || t.hook == nil {
		return func() {}
	}
	limit := windowBytes
	if srcSize >= 0 && srcSize+srcSize/4+4096 < int64(limit) {
		limit = int(srcSize + srcSize/4 + 4096)
	}
	if err := ub.BufferUpdates(limit); err != nil {
		t.fail(d, err)
	}
	t.hook.fn = func() {
		err := ub.FlushUpdates()
		switch {
		case errors.Is(err, dict.ErrRestart):
			ub.FlushLater(err)
		case err != nil:
			t.fail(d, err)
		}
	}
	return func() { t.hook.fn = nil }
}

// updateBuffer finds the dict.UpdateBuffer behind d's layers.
func updateBuffer(d dict.Dict) (dict.UpdateBuffer, bool) {
	for {
		if ub, ok := d.(dict.UpdateBuffer); ok {
			return ub, true
		}
		u, ok := d.(interface{ Unwrap() dict.Dict })
		if !ok {
			return nil, false
		}
		d = u.Unwrap()
	}
}
