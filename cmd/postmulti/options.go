package main

import (
	"os"
	"path/filepath"

	"gopostfix/libglobal/util/getopt"
	"gopostfix/libglobal/util/msg"
)

// Command modes: the iterators and the edit actions (-e).
const (
	iterPostfix = 1 << iota
	iterList
	iterGeneric
	editCreate
	editImport
	editDestroy
	editDeport
	editEnable
	editDisable
	editAssign
	editInit

	iterAll     = iterPostfix | iterList | iterGeneric
	editAdd     = editCreate | editImport
	editAssigns = editAdd | editAssign
	editAll     = editAssigns | editDestroy | editDeport | editEnable | editDisable | editInit
)

// editActions lists -e actions in Postfix's table order.
var editActions = []struct {
	name string
	code int
}{
	{"create", editCreate}, {"import", editImport}, {"destroy", editDestroy},
	{"deport", editDeport}, {"enable", editEnable}, {"disable", editDisable},
	{"assign", editAssign}, {"init", editInit},
}

func editCode(name string) int {
	for _, a := range editActions {
		if a.name == name {
			return a.code
		}
	}
	return -1
}

func editName(code int) string {
	for _, a := range editActions {
		if a.code == code {
			return a.name
		}
	}
	return ""
}

// Selection kinds.
const (
	selNone = iota
	selAll
	selName
	selGroup
)

type selection struct {
	kind int
	name string
}

// assignment is -I/-G; nil means not given, "" means clear ("-").
type assignment struct {
	name, group *string
}

// options is the parsed command line.
type options struct {
	mode    int
	sel     selection
	assign  assignment
	reverse bool
	args    []string
}

// parseOptions reads the command line and applies Postfix's consistency
// checks, in its order.
func parseOptions(log *msg.Logger, argv []string, prog string) *options {
	o := &options{}
	selects, modes := 0, 0
	setMode := func(m int) {
		if o.mode != m {
			modes++
		}
		o.mode = m
	}
	usage := func() {
		log.Fatalf("Usage:%[1]s -l [-v] [-a] [-g group] [-i instance] | "+
			"%[1]s -p [-v] [-a] [-g group] [-i instance] command... | "+
			"%[1]s -x [-v] [-a] [-i name] [-g group] command... | "+
			"%[1]s -e action [-v] [-a] [-i name] [-g group] [-I name] "+
			"[-G group] [param=value ...]", prog)
	}
	args := append([]string{prog}, argv[1:]...)
	opts, operands := getopt.Parse(args, "+ae:g:i:G:I:lpRvx", os.Stderr)
	for _, op := range opts {
		switch op.Char {
		case 'a':
			if o.sel.kind != selAll {
				selects++
			}
			o.sel.kind = selAll
		case 'e':
			code := editCode(op.Arg)
			if code < 0 {
				log.Fatalf("Invalid '-e' edit action '%s'. Specify '%s', '%s', '%s', '%s', '%s', '%s', '%s' or '%s'",
					op.Arg, "create", "destroy", "import", "deport", "enable", "disable", "assign", "init")
			}
			setMode(code)
		case 'g':
			selects++
			o.sel = selection{selGroup, op.Arg}
		case 'i':
			selects++
			o.sel = selection{selName, op.Arg}
		case 'G':
			if o.assign.group != nil {
				log.Fatalf("Specify at most one '-G' option")
			}
			o.assign.group = dashEmpty(op.Arg)
		case 'I':
			if o.assign.name != nil {
				log.Fatalf("Specify at most one '-I' option")
			}
			o.assign.name = dashEmpty(op.Arg)
		case 'l':
			setMode(iterList)
		case 'p':
			setMode(iterPostfix)
		case 'R':
			o.reverse = !o.reverse
		case 'v':
			log.Verbose++
			os.Setenv("MAIL_VERBOSE", "")
		case 'x':
			setMode(iterGeneric)
		default:
			usage()
		}
	}
	o.args = operands
	if selects > 1 {
		log.Fatalf("Specity no more than one of '-a', '-g', '-i'") // sic
	}
	if modes != 1 {
		log.Fatalf("Specify exactly one of '-e', '-l', '-p', '-x'")
	}
	if o.mode == iterList && len(o.args) > 0 {
		log.Fatalf("Command not allowed with '-l'")
	}
	if (o.mode == iterPostfix || o.mode == iterGeneric) && len(o.args) == 0 {
		log.Fatalf("Command required with '-p' or '-x' option")
	}
	if (o.mode == iterPostfix || o.mode&editAll != 0) && o.reverse {
		log.Fatalf("The '-p' and '-e' options preclude the use of '-R'")
	}
	if o.mode&editAssigns == 0 && (o.assign.name != nil || o.assign.group != nil) {
		if o.mode&editAll == 0 {
			log.Fatalf("Cannot assign instance name or group without '-e %s'", "assign")
		}
		log.Fatalf("Cannot assign instance name or group with '-e %s'", editName(o.mode))
	}
	if o.mode&editAll != 0 {
		if o.mode == editAssign && o.assign.name == nil && o.assign.group == nil {
			log.Fatalf("Specify new instance name or group with '-e %s'", editName(o.mode))
		}
		if o.mode&^editAdd != 0 && len(o.args) > 0 {
			log.Fatalf("Parameter overrides not valid with '-e %s'", editName(o.mode))
		}
	}
	return o
}

func dashEmpty(s string) *string {
	if s == "-" {
		s = ""
	}
	return &s
}

// progName is the basename of argv[0], as postmulti logs under.
func progName(argv0 string) string {
	if b := filepath.Base(argv0); b != "" && b != "/" && b != "." {
		return b
	}
	return argv0
}
