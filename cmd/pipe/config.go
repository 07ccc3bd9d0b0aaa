package main

import (
	"fmt"
	"strings"
	"time"

	"gopostfix/compat/maptypes"
	"gopostfix/libglobal/bounce"
	"gopostfix/libglobal/mailconf"
	"gopostfix/libglobal/maps"
	"gopostfix/libglobal/maps/dictproxy"
	"gopostfix/libglobal/queue"
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/dict/stdtypes"
	"gopostfix/libglobal/util/eugid"
	"gopostfix/libmaster"
)

// agent is the running pipe delivery service.
type agent struct {
	s         *libmaster.Server
	layout    *queue.Layout
	status    *bounce.Client
	reg       *dict.Registry
	own       ownerIDs
	timeLimit time.Duration // TRANSPORT_time_limit
	export    []string      // export_environment
	delim     string        // recipient_delimiter
	utf8      bool          // smtputf8_enable
	addrEnv   *maps.AddrEnv
	attrs     *attrs // parsed at the first delivery
}

func newAgent(s *libmaster.Server) (*agent, error) {
	g := s.Global
	var err error
	a := &agent{s: s, delim: s.Str("recipient_delimiter"), utf8: s.Bool("smtputf8_enable"),
		own: ownerIDs{owner: s.Str("mail_owner"), ownerUID: g.OwnerUID, ownerGID: g.OwnerGID,
			sgidGroup: s.Str("setgid_group"), sgidGID: g.SgidGID}}
	if a.export, err = s.Config.List("export_environment"); err != nil {
		return nil, err
	}
	for i, e := range a.export {
		if len(e) >= 2 && e[0] == '{' && e[len(e)-1] == '}' {
			a.export[i] = strings.Trim(e[1:len(e)-1], " \t\r\n")
		}
	}
	a.addrEnv = &maps.AddrEnv{Delim: a.delim, DoubleBounce: s.Str("double_bounce_sender"),
		OwnReqSpecial: s.Bool("owner_request_special")}
	if a.layout, err = queue.NewLayout("", s.Config); err != nil {
		return nil, err
	}
	a.reg = dict.NewRegistry(s.Log)
	stdtypes.Register(a.reg)
	maptypes.Register(a.reg)
	// proxy: tables go through the proxymap service (dict_proxy.c), as
	// in every Postfix daemon; what Postfix reports there with msg_fatal
	// (a table proxymap refuses) ends the process.
	dictproxy.RegisterWith(a.reg, dictproxy.Options{Fatal: s.Log.Fatalf})
	a.reg.Params = s.Config.Param
	a.reg.AllowSurrogate = true
	if a.status, err = bounce.New(s.Log, s.Config, a.reg); err != nil {
		return nil, err
	}
	if err := a.status.SetFilter(a.reg, "pipe_delivery_status_filter", s.Str("pipe_delivery_status_filter")); err != nil {
		return nil, err
	}
	return a, nil
}

// postInit drops to mail_owner between deliveries.
func (a *agent) postInit() error {
	eugid.Set(a.own.ownerUID, a.own.ownerGID)
	return nil
}

// serviceParams reads the per-transport time limit and the master.cf
// attributes once (get_service_params, get_service_attr); problems are
// fatal.
func (a *agent) serviceParams() {
	if a.attrs != nil {
		return
	}
	def := a.s.Time("command_time_limit")
	limit, err := a.s.Config.TimeSpec(a.s.Name+"_time_limit",
		mailconf.Spec{Default: fmt.Sprintf("%ds", int64(def/time.Second)), Min: 1})
	if err != nil {
		a.s.Log.Fatalf("%v", err)
	}
	a.timeLimit = limit
	if a.attrs, err = parseAttrs(a.s.Flags.Args, systemIDs, a.own); err != nil {
		a.s.Log.Fatalf("%v", err)
	}
}
