package main

import (
	"bufio"
	"os"

	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/params"
	"gopostfix/libglobal/util/msg"
)

// postconf is the state of one run.
type postconf struct {
	prog        string
	log         *msg.Logger
	out         *bufio.Writer
	opts        *options
	mode        mode
	conf        *confDict // main.cf settings, -o overrides, config_directory
	dir         string    // set by configDir()
	dirSet      bool
	table       map[string]*node
	master      []*masterEnt
	restClasses map[string]bool
	dbmsChecked map[string]bool
	host        *params.Host
}

func newPostconf(argv []string) *postconf {
	log := msg.New(msg.NewWriterSink(argv[0], os.Stderr))
	log.Printable = true
	pc := &postconf{
		prog:        argv[0],
		log:         log,
		out:         bufio.NewWriterSize(os.Stdout, 4096),
		conf:        newConfDict(),
		dbmsChecked: map[string]bool{},
	}
	pc.opts = parseOptions(argv, os.Stderr, log)
	pc.mode = pc.opts.mode
	log.Verbose = pc.opts.verbose
	if pc.opts.configDirSet {
		os.Setenv("MAIL_CONFIG", pc.opts.configDir)
	}
	return pc
}

// exit flushes standard output and ends the program. Fatal errors end it
// without the flush, as Postfix's buffered stdout is lost then too.
func (pc *postconf) exit(code int) {
	pc.out.Flush()
	os.Exit(code)
}

// configDir returns the configuration directory: MAIL_CONFIG (set by -c)
// or the built-in default. Taking it from the environment also makes it
// a main.cf setting, so that "postconf -n" shows it.
func (pc *postconf) configDir() string {
	if !pc.dirSet {
		pc.dirSet = true
		if d, ok := os.LookupEnv("MAIL_CONFIG"); ok {
			pc.dir = d
			pc.conf.set("config_directory", d)
		} else {
			pc.dir = "/etc/postfix"
		}
	}
	return pc.dir
}

func (pc *postconf) run() {
	m := pc.mode
	args := pc.opts.operands
	switch {
	case m&(expDSNTempl|dumpDSNTempl) != 0:
		pc.runBounce(args)
	case m&showMaps != 0:
		// As mail_conf_read and mail_dict_init: main.cf must be valid,
		// and it may move meta_directory, where dynamicmaps.cf is.
		cfg, err := mailconf.Load("", pc.log)
		if err == nil {
			_, err = cfg.CheckGlobal()
		}
		if err != nil {
			pc.log.Fatalf("%v", err)
		}
		meta, _ := cfg.Str("meta_directory")
		pc.showList(pc.mapTypes(meta))
	case m&showLocks != 0:
		pc.showList(lockMethods)
	case m&masterModes != 0 && m&editModes == 0:
		pc.readMaster(true)
		pc.readParameters()
		pc.setOverrides()
		pc.registerBuiltins()
		pc.registerServiceParams()
		pc.registerUserParams()
		switch {
		case m&masterField != 0:
			pc.showMasterFields(args)
		case m&masterParam != 0:
			pc.showMasterParams(args)
		default:
			pc.showMasterEntries(args)
		}
		pc.flagUnusedMaster()
	case m&showSASLServ != 0:
		pc.showList(saslServerTypes)
	case m&showSASLClnt != 0:
		pc.showList(saslClientTypes)
	case m&showTLS != 0:
		pc.showTLS()
	case m&editModes != 0:
		if len(args) == 0 {
			pc.log.Fatalf("missing service argument")
		}
		if m&masterModes != 0 {
			pc.editMaster(args)
		} else {
			pc.editMain(args)
		}
	default:
		if m&showDefs == 0 {
			pc.readParameters()
			pc.setOverrides()
		}
		pc.registerBuiltins()
		pc.readMaster(false)
		pc.registerServiceParams()
		if m&showDefs == 0 {
			pc.registerUserParams()
		}
		pc.showParameters(args)
		if m&showDefs == 0 {
			pc.flagUnusedMain()
			pc.flagUnusedMaster()
		}
	}
}
