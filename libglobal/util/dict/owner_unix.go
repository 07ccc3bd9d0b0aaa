package dict

import (
	"os"
	"syscall"
)

// fileUID returns the owner of a file from its FileInfo.
func fileUID(st os.FileInfo) (uint32, bool) {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return s.Uid, true
	}
	return 0, false
}
