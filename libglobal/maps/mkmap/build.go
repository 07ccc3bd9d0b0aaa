package mkmap

import (
	"errors"
	"io"
	"os"
	"os/signal"
	"syscall"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/readlline"
)

// Entry is one key/value pair parsed from a source line. Skip is set when
// the parser already warned about the line.
type Entry struct {
	Key, Value string
	Skip       bool
}

// ParseFunc turns one logical source line into an entry. src is the
// source name used in warnings ("stdin" with -i).
type ParseFunc func(line readlline.Line, src string) Entry

// BuildOptions are the postmap/postalias switches that affect a build.
type BuildOptions struct {
	// Incremental (-i): read stdin and add to the existing table.
	Incremental bool
	// AsOwner: when run as root, write as the owner of the source file
	// (cleared by -o).
	AsOwner bool
	// SavePerm: give the table the source's group/other read bits
	// (cleared by -p).
	SavePerm bool
	// Flags are the dictionary flags (-f, -n, -N, -r, -w, -F, -u).
	Flags dict.Flags
	// Finish runs after the last source entry, before the table is
	// closed (postalias adds its "@" and YP_* entries there).
	Finish func(d dict.Dict)
}

// Build creates or updates table typ:path from its source, as postmap
// and postalias do without -q/-d/-s.
func (t *Tool) Build(typ, path string, o BuildOptions, parse ParseFunc) {
	var src *os.File
	srcName := path
	mode := os.O_RDWR | os.O_CREATE | os.O_TRUNC
	flags := o.Flags
	if o.Incremental {
		mode = os.O_RDWR | os.O_CREATE
		src, srcName = os.Stdin, "stdin"
	} else {
		if typ == "proxy" {
			t.Log.Fatalf("can't create maps via the proxy service")
		}
		flags |= dict.FlagBulkUpdate
		f, err := os.Open(path)
		if err != nil {
			t.Log.Fatalf("open %s: %s", path, dict.ErrnoText(err))
		}
		defer f.Close()
		src = f
	}
	st, err := src.Stat()
	if err != nil {
		t.Log.Fatalf("fstat %s: %s", path, dict.ErrnoText(err))
	}
	oldMask := -1
	if o.SavePerm && st.Mode().IsRegular() {
		oldMask = syscall.Umask(0o22 | int(^uint32(st.Mode().Perm())&0o77))
	}
	if o.AsOwner && os.Getuid() == 0 {
		sys := st.Sys().(*syscall.Stat_t)
		if int(sys.Uid) != os.Geteuid() || int(sys.Gid) != os.Getegid() {
			if err := setEugid(int(sys.Uid), int(sys.Gid)); err != nil {
				t.Log.Fatalf("%s", err)
			}
		}
	}
	// Signals wait until the table is complete (sigdelay/sigresume).
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGTERM)
	t.Log.Debugf("open %s %s", typ, path)
	d, err := t.Reg.OpenMaker(typ, path, mode, flags)
	if err != nil {
		t.Log.Fatalf("%s", err)
	}
	if oldMask >= 0 {
		syscall.Umask(oldMask)
	}
	if !o.Incremental {
		defer t.bufferUpdates(d, st.Size())()
	}
	// A bulk update may have to start over (dict.ErrRestart, Postfix's
	// dict_longjmp): then read the source again from its beginning.
	for !t.feed(d, src, srcName, o, parse) {
		if _, err := src.Seek(0, io.SeekStart); err != nil {
			t.Log.Fatalf("seek %s: %s", srcName, dict.ErrnoText(err))
		}
	}
	signal.Stop(sigs)
	select {
	case s := <-sigs:
		signal.Reset(s)
		syscall.Kill(os.Getpid(), s.(syscall.Signal))
	default:
	}
}

// feed reads the source into d and closes d. It returns false when the
// table restarted its bulk update and wants everything again.
func (t *Tool) feed(d dict.Dict, src *os.File, srcName string, o BuildOptions, parse ParseFunc) bool {
	rd := readlline.New(src, srcName, t.Log)
	rd.NoNULWarning = true
	utf8Check := d.Flags()&dict.FlagUTF8Active != 0
	for {
		line, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Log.Fatalf("%s", err)
		}
		if utf8Check && !validUTF8(line.Text) {
			t.Log.Warnf("%s, line %d: non-UTF-8 input \"%s\" -- ignoring this line", srcName, line.First, dict.Printable(line.Text))
			continue
		}
		e := parse(line, srcName)
		if e.Skip {
			continue
		}
		if err := d.Update(e.Key, e.Value); errors.Is(err, dict.ErrRestart) {
			return false
		} else if err != nil && !conflict(err) {
			t.fail(d, err)
		}
	}
	if o.Finish != nil {
		// Finish changes the flags its updates are written with.
		if ub, ok := updateBuffer(d); ok {
			if err := ub.BufferUpdates(0); errors.Is(err, dict.ErrRestart) {
				return false
			} else if err != nil {
				t.fail(d, err)
			}
		}
		o.Finish(d)
	}
	if err := d.Close(); errors.Is(err, dict.ErrRestart) {
		return false
	} else if err != nil {
		t.Log.Fatalf("%s", err)
	}
	return true
}

// Append stores one entry (mkmap_append), dying on write errors.
func (t *Tool) Append(d dict.Dict, key, value string) { t.append(d, key, value) }

func (t *Tool) append(d dict.Dict, key, value string) {
	if err := d.Update(key, value); err != nil && !conflict(err) {
		t.fail(d, err)
	}
}

// conflict reports whether a failed update only left an existing entry
// alone (a dict.Error of KindNone, as a proxy table reports a refused
// duplicate): mkmap_append carries on after that.
func conflict(err error) bool {
	var e *dict.Error
	return errors.As(err, &e) && e.Kind == dict.KindNone
}

// fail reports a failed update the way mkmap_append and the table code do.
func (t *Tool) fail(d dict.Dict, err error) {
	if dict.KindOf(err) == dict.KindFatal {
		t.Log.Fatalf("%s", err)
	}
	if dict.KindOf(err) == dict.KindConfig || errors.Is(err, dict.ErrUnsupported) {
		// Duplicate without a Dup* flag, and other table refusals.
		t.Log.Fatalf("%s", err)
	}
	t.Log.Fatalf("table %s:%s: write error: %s", d.Type(), d.Name(), dict.ErrnoOf(err))
}

// setEugid switches effective group and user IDs (set_eugid): group
// first, while still root, with the supplementary groups reduced to gid.
func setEugid(uid, gid int) error {
	if err := syscall.Seteuid(0); err != nil {
		return err
	}
	if err := syscall.Setegid(gid); err != nil {
		return err
	}
	if err := syscall.Setgroups([]int{gid}); err != nil {
		return err
	}
	return syscall.Seteuid(uid)
}
