package syserr

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestErrnoGlibc compares every errno with glibc's strerror(3) texts
// (testdata made by a C program printing strerror(0..133)).
func TestErrnoGlibc(t *testing.T) {
	f, err := os.Open("testdata/strerror-glibc.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		num, text, _ := strings.Cut(sc.Text(), "\t")
		e, _ := strconv.Atoi(num)
		if got := Errno(syscall.Errno(e)); got != text {
			t.Errorf("errno %d: %q, want %q", e, got, text)
		}
		n++
	}
	if n < 134 {
		t.Fatalf("only %d testdata lines", n)
	}
	if got := Errno(4000); got != "Unknown error 4000" {
		t.Errorf("errno 4000: %q", got)
	}
}

func TestText(t *testing.T) {
	_, openErr := os.Open("/nonexistent/h16")
	linkErr := os.Rename("/nonexistent/a", "/nonexistent/b")
	cases := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{openErr, "No such file or directory"},
		{linkErr, "No such file or directory"},
		{os.NewSyscallError("lseek", syscall.ESPIPE), "Illegal seek"},
		{fmt.Errorf("rename: %w", syscall.EXDEV), "Invalid cross-device link"},
		{errors.New("lower-case text stays"), "lower-case text stays"},
	}
	for _, c := range cases {
		if got := Text(c.err); got != c.want {
			t.Errorf("Text(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

func TestOf(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{errors.New("no errno"), "Application error"},
		{fmt.Errorf("x: %w", syscall.EAGAIN), "Resource temporarily unavailable"},
		{syscall.Errno(0), "Application error"},
	}
	for _, c := range cases {
		if got := Of(c.err); got != c.want {
			t.Errorf("Of(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}
