package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"gopostfix/libglobal/util/getopt"
	"gopostfix/libglobal/util/msg"
)

// mode bits, one per option that selects what postconf does.
type mode uint32

const (
	showNonDef   mode = 1 << iota // -n
	showDefs                      // -d
	hideName                      // -h
	showMaps                      // -m
	editConf                      // -e
	showLocks                     // -l
	showEval                      // -x
	showSASLServ                  // -a
	showSASLClnt                  // -A
	commentOut                    // -#
	masterEntry                   // -M
	foldLine                      // -f
	editExcl                      // -X
	masterField                   // -F
	mainParam                     // -p
	expDSNTempl                   // -b
	paramClass                    // -C (never set, as in Postfix)
	mainOver                      // -o
	dumpDSNTempl                  // -t
	masterParam                   // -P
	hideValue                     // -H
	showTLS                       // -T
)

// optionNames gives each bit its option letter, in the order Postfix
// lists them in its complaints.
var optionNames = []struct {
	name string
	bit  mode
}{
	{"-a", showSASLServ}, {"-A", showSASLClnt}, {"-b", expDSNTempl},
	{"-C", paramClass}, {"-d", showDefs}, {"-e", editConf}, {"-f", foldLine},
	{"-F", masterField}, {"-h", hideName}, {"-H", hideValue}, {"-l", showLocks},
	{"-m", showMaps}, {"-M", masterEntry}, {"-n", showNonDef}, {"-o", mainOver},
	{"-p", mainParam}, {"-P", masterParam}, {"-t", dumpDSNTempl}, {"-T", showTLS},
	{"-x", showEval}, {"-X", editExcl}, {"-#", commentOut},
}

func (m mode) names() string {
	var out []string
	for _, n := range optionNames {
		if m&n.bit != 0 {
			out = append(out, n.name)
		}
	}
	return strings.Join(out, " ")
}

const (
	majorModes = showSASLServ | showSASLClnt | expDSNTempl | showLocks | showMaps |
		dumpDSNTempl | mainParam | masterEntry | masterField | masterParam | showTLS
	masterModes = masterEntry | masterField | masterParam
	editModes   = editConf | commentOut | editExcl
)

// exclusive lists option groups of which at most one may be given; the
// first group holds the major modes.
var exclusive = []mode{
	majorModes,
	showDefs | editConf | showNonDef | commentOut | editExcl,
	foldLine | editConf | commentOut | editExcl,
	showEval | editConf | commentOut | editExcl,
	mainOver | showDefs | editConf | commentOut | editExcl,
	hideName | editConf | commentOut | editExcl | hideValue,
}

// compatible lists, for each mode, the only options that go with it.
var compatible = []struct{ mode, with mode }{
	{showSASLServ, 0}, {showSASLClnt, 0}, {expDSNTempl, 0}, {showLocks, 0},
	{showMaps, 0}, {showTLS, 0}, {dumpDSNTempl, 0},
	{mainParam, editConf | editExcl | commentOut | foldLine | hideName | paramClass |
		showEval | showDefs | showNonDef | mainOver | hideValue},
	{masterEntry, editConf | editExcl | commentOut | foldLine | mainOver | showEval},
	{masterField, editConf | foldLine | hideName | mainOver | showEval | hideValue},
	{masterParam, editConf | editExcl | foldLine | hideName | mainOver | showEval | hideValue},
	{paramClass, mainParam | showDefs | showNonDef},
}

// Parameter classes for -C.
const (
	classBuiltin = flagBuiltin
	classService = flagService
	classUser    = flagUser
	classAll     = classMask
)

// options is the parsed command line.
type options struct {
	mode         mode
	configDir    string // -c
	configDirSet bool
	class        int // -C
	overrides    []string
	tlsMode      string
	verbose      int
	operands     []string
}

func usage(prog string) string {
	return "usage: " + prog +
		" [-a (server SASL types)] [-A (client SASL types)] [-b (bounce templates)]" +
		" [-c config_dir] [-c param_class] [-d (parameter defaults)]" +
		" [-e (edit configuration)] [-f (fold lines)] [-F (master.cf fields)]" +
		" [-h (no names)] [-H (no values)] [-l (lock types)] [-m (map types)]" +
		" [-M (master.cf)] [-n (non-default parameters)]" +
		" [-o name=value (override parameter value)] [-p (main.cf, default)]" +
		" [-P (master.cf parameters)] [-t (bounce templates)]" +
		" [-T compile-version|run-version|public-key-algorithms] [-v (verbose)]" +
		" [-x (expand parameter values)] [-X (exclude)] [-# (comment-out)] [name...]"
}

var optionLetters = map[byte]mode{
	'a': showSASLServ, 'A': showSASLClnt, 'd': showDefs, 'e': editConf,
	'f': foldLine, 'F': masterField, '#': commentOut, 'h': hideName,
	'H': hideValue, 'l': showLocks, 'm': showMaps, 'M': masterEntry,
	'n': showNonDef, 'p': mainParam, 'P': masterParam, 'x': showEval,
	'X': editExcl,
}

// parseOptions reads the command line as postconf's getopt loop does,
// stopping at the first problem with Postfix's fatal text.
func parseOptions(argv []string, errw io.Writer, log *msg.Logger) *options {
	var gerr bytes.Buffer
	opts, operands := getopt.Parse(argv, "+aAbc:C:deEfFhHlmMno:pPtT:vxX#", &gerr) // GETOPT() adds "+" on Linux
	o := &options{class: classAll, operands: operands}
	prog := argv[0]
	templates := false
	for _, op := range opts {
		switch op.Char {
		case '?':
			// getopt has complained; show its first complaint only, as
			// the C loop stops there.
			line, _, _ := strings.Cut(gerr.String(), "\n")
			fmt.Fprintln(errw, line)
			log.Fatalf("%s", usage(prog))
		case 'b', 't':
			if templates {
				log.Fatalf("specify one of -b and -t")
			}
			templates = true
			o.mode |= map[byte]mode{'b': expDSNTempl, 't': dumpDSNTempl}[op.Char]
		case 'c':
			o.configDir, o.configDirSet = op.Arg, true
		case 'C':
			o.class = parseClass(op.Arg, log)
		case 'o':
			o.mode |= mainOver
			o.overrides = append(o.overrides, op.Arg)
		case 'T':
			if o.mode&showTLS != 0 {
				log.Fatalf("At most one -T <mode> option may be specified")
			}
			o.mode |= showTLS
			o.tlsMode = op.Arg
		case 'v':
			o.verbose++
		default:
			bit, ok := optionLetters[op.Char]
			if !ok { // -E is in the option string but means nothing
				log.Fatalf("%s", usage(prog))
			}
			o.mode |= bit
		}
	}
	o.complete(log)
	return o
}

// parseClass parses a -C value, a list of class names.
func parseClass(value string, log *msg.Logger) int {
	class := 0
	for _, w := range strings.FieldsFunc(value, func(r rune) bool { return strings.ContainsRune(", \t\r\n", r) }) {
		switch strings.ToLower(w) {
		case "builtin":
			class |= classBuiltin
		case "service":
			class |= classService
		case "user":
			class |= classUser
		case "all":
			class |= classAll
		default:
			log.Fatalf("unknown -C option value \"%s\" in \"%s\"", w, value)
		}
	}
	return class
}

// complete makes implicit modes explicit and checks the combination.
func (o *options) complete(log *msg.Logger) {
	if o.mode&majorModes == 0 {
		o.mode |= mainParam
	}
	if o.mode&(mainParam|masterModes) != 0 && len(o.operands) > 0 &&
		strings.Contains(o.operands[0], "=") {
		o.mode |= editConf
	}
	for _, group := range exclusive {
		if set := group & o.mode; set&(set-1) != 0 {
			log.Fatalf("specify one of %s", set.names())
		}
	}
	for _, c := range compatible {
		if o.mode&c.mode != 0 {
			if excess := o.mode &^ (c.mode | c.with); excess != 0 {
				log.Fatalf("with option %s, do not specify %s", c.mode.names(), excess.names())
			}
		}
	}
	if o.mode&editConf != 0 && len(o.operands) == 0 {
		log.Fatalf("-e requires name=value argument")
	}
}
