package pipecmd

import "fmt"

// sysExit is the status and text of an exit code (SYS_EXITS_DETAIL).
type sysExit struct{ status, text string }

// sysExits maps the <sysexits.h> codes 64..78 (sys_exits.c).
var sysExits = map[int]sysExit{
	64: {"5.3.0", "command line usage error"}, 65: {"5.6.0", "data format error"},
	66: {"5.3.0", "cannot open input"}, 67: {"5.1.1", "user unknown"}, 68: {"5.1.2", "host name unknown"},
	69: {"5.3.0", "service unavailable"}, 70: {"5.3.0", "internal software error"},
	71: {"4.3.0", "system resource problem"}, 72: {"5.3.0", "critical OS file missing"},
	73: {"5.2.0", "can't create user output file"}, 74: {"5.3.0", "input/output error"},
	75: {"4.3.0", "temporary failure"}, 76: {"5.5.0", "remote error in protocol"},
	77: {"5.7.0", "permission denied"}, 78: {"5.3.5", "local configuration error"},
}

// Exit codes used here.
const (
	exSoftware = 70
	exOSErr    = 71
	exTempFail = 75
)

// sysExitDetail returns the entry of code, or a made-up 5.3.0 one
// (sys_exits_detail).
func sysExitDetail(code int) (sysExit, bool) {
	if e, ok := sysExits[code]; ok {
		return e, true
	}
	return sysExit{"5.3.0", fmt.Sprintf("unknown mail system error %d", code)}, false
}
