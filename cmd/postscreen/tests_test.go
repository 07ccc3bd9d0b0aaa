package main

import (
	"testing"
)

func testScreen(c *config) *screen {
	if c == nil {
		c = &config{}
	}
	return &screen{cfg: c, clients: map[string]*clientInfo{}}
}

func TestParseTests(t *testing.T) {
	sc := testScreen(&config{teaser: "220-x\r\n", pipelEnable: true})
	tests := []struct {
		entry string
		want  [tCount]int64
		flags uint32
	}{
		{"100;200;300;400;500", [tCount]int64{100, 200, 300, 400, 500}, fPregrTodo | fPipelTodo},
		{"0;1;1;1;1", [tCount]int64{0, 1, 1, 1, 1}, fNew | fPregrTodo | fPipelTodo},
		{"2000;1;3000;1;1", [tCount]int64{2000, 1, 3000, 1, 1}, 0},
		{"2000;1", [tCount]int64{2000, 1, 1, 1, 1}, fPipelTodo},
		{"12x;2000;2000;2000;2000", [tCount]int64{1, 1, 1, 1, 1}, fPregrTodo | fPipelTodo},
		{"", [tCount]int64{1, 1, 1, 1, 1}, fPregrTodo | fPipelTodo},
		{" +2000;1;-1;1;1", [tCount]int64{2000, 1, -1, 1, 1}, fPipelTodo},
		{"99999999999999999999;1;1;1;1", [tCount]int64{1, 1, 1, 1, 1}, fPregrTodo | fPipelTodo},
	}
	for _, tc := range tests {
		s := &session{sc: sc, info: &clientInfo{}}
		sc.parseTests(s, tc.entry, 1000)
		if s.info.expire != tc.want || s.flags != tc.flags {
			t.Errorf("%q: %v %s, want %v %s", tc.entry, s.info.expire, flagString(s.flags), tc.want, flagString(tc.flags))
		}
	}
}

func TestPrintTests(t *testing.T) {
	sc := testScreen(&config{teaser: "220-x\r\n", dnsblSites: "bl.test"})
	s := &session{sc: sc, info: &clientInfo{expire: [tCount]int64{123, 0, 0, stampInvalid, 77}}}
	if got := sc.printTests(s); got != "123;0;1;18446744073709551615;77" {
		t.Errorf("printTests = %q", got)
	}
}

func TestTodoToPass(t *testing.T) {
	for i := 0; i < tCount; i++ {
		if todoToPass(todoOf(i)) != passOf(i) || todoToDone(todoOf(i)) != doneOf(i) {
			t.Errorf("test %d: flag layout broken", i)
		}
	}
	if got := flagString(fNew | fPregrPass | 1<<30); got != "NEW|PREGR_PASS|0x40000000" {
		t.Errorf("flagString = %q", got)
	}
}
