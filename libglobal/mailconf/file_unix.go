package mailconf

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"syscall"
)

// linkCount is the number of hard links of an open file.
func linkCount(st os.FileInfo) int {
	if sys, ok := st.Sys().(*syscall.Stat_t); ok {
		return int(sys.Nlink)
	}
	return 1
}

// trustedSymlink is safe_open's exception: a symbolic link owned by root
// in a directory owned by root that only root can write.
func trustedSymlink(path string, lst os.FileInfo) bool {
	if sys, ok := lst.Sys().(*syscall.Stat_t); !ok || sys.Uid != 0 {
		return false
	}
	parent, err := os.Stat(filepath.Dir(path))
	if err != nil {
		return false
	}
	sys, ok := parent.Sys().(*syscall.Stat_t)
	return ok && sys.Uid == 0 && parent.Mode().Perm()&0o022 == 0
}

// readPrefix reads f up to and including the first newline.
func readPrefix(f *os.File) (string, error) {
	line, err := bufio.NewReader(f).ReadString('\n')
	if err == io.EOF {
		err = nil
	}
	return line, err
}
