package dict

import (
	"fmt"
	"os"
	"sync"
)

// sharedDict is one entry of the open-table cache: a table with its
// reference count, serialised so that goroutines can share it.
type sharedDict struct {
	Dict
	mu   sync.Mutex
	key  string
	refs int
}

func (s *sharedDict) Lookup(key string) (string, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Dict.Lookup(key)
}

func (s *sharedDict) Update(key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Dict.Update(key, value)
}

func (s *sharedDict) Delete(key string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Dict.Delete(key)
}

func (s *sharedDict) Sequence(op SeqOp) (string, string, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Dict.Sequence(op)
}

// Close drops one reference; see Registry.Release.
func (s *sharedDict) Close() error { return nil }

func cacheKey(spec string, mode int, flags Flags) string {
	return fmt.Sprintf("%s\x00%d\x00%d", spec, mode, flags)
}

// Shared returns the table spec from the registry's open-table cache,
// opening it on first use (dict_register/dict_handle, the cache maps(3)
// relies on). Callers with the same spec, mode and flags share one
// instance, safe for concurrent use; each Shared is paired with a Release.
// Close on the returned table does nothing.
func (r *Registry) Shared(spec string, mode int, flags Flags) (Dict, error) {
	key := cacheKey(spec, mode, flags)
	r.mu.Lock()
	if s := r.shared[key]; s != nil {
		s.refs++
		r.mu.Unlock()
		return s, nil
	}
	r.mu.Unlock()
	d, err := r.Open(spec, mode, flags)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if s := r.shared[key]; s != nil { // lost a race with another opener
		s.refs++
		d.Close()
		return s, nil
	}
	if r.shared == nil {
		r.shared = map[string]*sharedDict{}
	}
	s := &sharedDict{Dict: d, key: key, refs: 1}
	r.shared[key] = s
	return s, nil
}

// Release drops a reference taken by Shared and closes the table when it
// was the last one. Tables that did not come from Shared are closed.
func (r *Registry) Release(d Dict) error {
	s, ok := d.(*sharedDict)
	if !ok {
		return d.Close()
	}
	r.mu.Lock()
	s.refs--
	last := s.refs == 0
	if last {
		delete(r.shared, s.key)
	}
	r.mu.Unlock()
	if last {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.Dict.Close()
	}
	return nil
}

// Changed returns the name of a cached table whose file was modified or
// removed since it was opened, or "" (dict_changed_name). Long-running
// programs check it between requests and exit so that master restarts
// them with the new table.
func (r *Registry) Changed() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.shared {
		if b := s.Common(); b.changed() {
			return b.Name()
		}
	}
	return ""
}

// changed reports whether StatPath differs from the state at open.
func (b *Base) changed() bool {
	if b.StatPath == "" {
		return false
	}
	st, err := os.Stat(b.StatPath)
	return err != nil || !st.ModTime().Equal(b.MTime)
}
