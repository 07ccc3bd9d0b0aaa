package mkmap

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/msg"
)

// bufferingTable holds its updates until FlushUpdates, which warns about
// each key it has seen before, as a buffering table warns late.
type bufferingTable struct {
	dict.Base
	limit   int
	pending []string
	seen    map[string]bool
}

func (b *bufferingTable) BufferUpdates(limit int) error {
	err := b.FlushUpdates()
	b.limit = limit
	return err
}

func (b *bufferingTable) FlushUpdates() error {
	pending := b.pending
	b.pending = nil
	for _, k := range pending {
		if b.seen[k] {
			b.Log().Warnf("t: duplicate entry: \"%s\"", k)
		}
		b.seen[k] = true
	}
	return nil
}

func (b *bufferingTable) FlushLater(error) {}

func (b *bufferingTable) Update(key, value string) error {
	if b.limit == 0 {
		b.pending = append(b.pending, key)
		return b.FlushUpdates()
	}
	b.pending = append(b.pending, key)
	return nil
}

func (b *bufferingTable) Close() error { return b.FlushUpdates() }

// A build through Setup's logger flushes buffered updates before every
// message, so late duplicate warnings still come in source order.
func TestBuildFlushesBeforeMessages(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	os.WriteFile(src, []byte("a 1\nbad\nb 2\na 3\nbad2\nb 4\nc 5\nc 6\n"), 0644)
	var c msg.Capture
	s := &Setup{Prog: "postmap"}
	s.hook = &logHook{}
	s.Log = msg.New(s.hook, &c)
	reg := dict.NewRegistry(s.Log)
	reg.RegisterMaker("buf", func(req dict.OpenRequest) (dict.Dict, error) {
		b := &bufferingTable{seen: map[string]bool{}}
		b.Init(req, dict.FlagFixed)
		return b, nil
	})
	tool := &Tool{Log: s.Log, Reg: reg, Stdout: bufio.NewWriter(os.Stdout), hook: s.hook}
	tool.Build("buf", src, BuildOptions{Flags: dict.FlagDupWarn}, tool.PostmapParser(false))
	want := []string{
		"warning: " + src + ", line 2: expected format: key whitespace value",
		"warning: t: duplicate entry: \"a\"",
		"warning: " + src + ", line 5: expected format: key whitespace value",
		"warning: t: duplicate entry: \"b\"",
		"warning: t: duplicate entry: \"c\"",
	}
	if got := strings.TrimSuffix(c.String(), "\n"); got != strings.Join(want, "\n") {
		t.Fatalf("messages:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	if tool.hook.fn != nil {
		t.Error("the hook still flushes after the build")
	}
}
