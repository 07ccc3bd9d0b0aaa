package queue

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Layout describes a queue directory and the parameters that decide
// where files go in it.
type Layout struct {
	// Root is the queue directory; "" means the current directory, as
	// in Postfix programs after chdir(queue_directory).
	Root string
	// HashNames are the queues with hashed subdirectories
	// (hash_queue_names), matched case-insensitively.
	HashNames []string
	// HashDepth is hash_queue_depth (at least 1).
	HashDepth int
	// LongIDs is enable_long_queue_ids.
	LongIDs bool
}

// DefaultLayout has Postfix's defaults: deferred and defer hashed one
// level deep, short queue IDs.
func DefaultLayout(root string) *Layout {
	return &Layout{Root: root, HashNames: []string{Deferred, Defer}, HashDepth: 1}
}

// Hashed reports whether queue has hashed subdirectories.
func (l *Layout) Hashed(queue string) bool {
	for _, n := range l.HashNames {
		if strings.EqualFold(n, queue) {
			return true
		}
	}
	return false
}

// Dir returns the directory that holds file id in queue, with a trailing
// slash, relative to the queue directory (mail_queue_dir).
func (l *Layout) Dir(queue, id string) string {
	if !l.Hashed(queue) {
		return queue + "/"
	}
	return queue + "/" + forest(hashKey(id), max(l.HashDepth, 1))
}

// Path returns the path of file id in queue, relative to the queue
// directory (mail_queue_path).
func (l *Layout) Path(queue, id string) string {
	return l.Dir(queue, id) + id
}

// forest makes depth one-character directory levels from the start of
// key, '_' standing in when key is too short (dir_forest).
func forest(key string, depth int) string {
	var b strings.Builder
	for n := 0; n < depth; n++ {
		c := byte('_')
		if n < len(key) {
			c = key[n]
		}
		b.WriteByte(c)
		b.WriteByte('/')
	}
	return b.String()
}

// Abs resolves a queue-relative path against Root.
func (l *Layout) Abs(rel string) string {
	if l.Root == "" || filepath.IsAbs(rel) {
		return rel
	}
	return filepath.Join(l.Root, rel)
}

// CheckID returns an error for a name that cannot be a queue file.
func CheckID(id string) error {
	if !IDOK(id) {
		return fmt.Errorf("bad mail queue ID: %s", id)
	}
	return nil
}

// Params is the part of the configuration a Layout is made from
// (mailconf.Config satisfies it).
type Params interface {
	Str(name string) (string, error)
	Bool(name string) (bool, error)
	Int(name string) (int, error)
}

// NewLayout makes the layout main.cf describes: hash_queue_names,
// hash_queue_depth and enable_long_queue_ids.
func NewLayout(root string, p Params) (*Layout, error) {
	names, err := p.Str("hash_queue_names")
	if err != nil {
		return nil, err
	}
	depth, err := p.Int("hash_queue_depth")
	if err != nil {
		return nil, err
	}
	long, err := p.Bool("enable_long_queue_ids")
	if err != nil {
		return nil, err
	}
	return &Layout{Root: root, HashNames: SplitNames(names), HashDepth: max(depth, 1), LongIDs: long}, nil
}
