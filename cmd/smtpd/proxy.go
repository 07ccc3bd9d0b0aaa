package main

import (
	"fmt"
	"path/filepath"

	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/dict"
)

// proxyDict is the read side of Postfix's proxy: table type
// (dict_proxy.c): lookups go to the proxymap service over one persistent
// connection (protocols.md 2.9, 3.7 wire format), so that smtpd can use
// tables it could not open itself, such as unix:passwd.byname.
//
// This is a small adapter kept inside smtpd until a shared proxy: client
// lands in the dict layer.
type proxyDict struct {
	dict.Base
	cl    *attr.Client
	inner string
	flags dict.Flags
}

// Proxymap status codes (dict_proxy.h PROXY_STAT_*).
const (
	proxyOK     = 0
	proxyNoKey  = 1
	proxyRetry  = 2
	proxyBad    = 3
	proxyDeny   = 4
	proxyConfig = 5
)

// registerProxy adds the proxy type, talking to queueDir/private/service.
func registerProxy(reg *dict.Registry, queueDir, service string) {
	reg.Register("proxy", func(req dict.OpenRequest) (dict.Dict, error) {
		path := filepath.Join(queueDir, "private", service)
		d := &proxyDict{
			cl:    attr.NewClient(path, "private/"+service, "proxymap_protocol", attr.Format0, req.Log()),
			inner: req.Name,
			flags: req.Flags & dict.FlagRqstMask,
		}
		var status, srvFlags int
		n, err := d.cl.Request([]attr.Attr{attr.Str("request", "open"), attr.Str("table", d.inner),
			attr.Int("flags", int(d.flags))}, attr.Strict,
			attr.RecvInt("status", &status), attr.RecvInt("flags", &srvFlags))
		switch {
		case err != nil || n != 2:
			return nil, fmt.Errorf("%s: open failed: %v", req.Label(), err)
		case status == proxyDeny:
			return nil, dict.Configf("open table %s: service %s: proxy:%s is not approved for proxy read access", req.Label(), service, d.inner)
		case status != proxyOK:
			return nil, dict.Configf("%s open failed for table \"%s\": unexpected status %d", service, d.inner, status)
		}
		d.Init(req, dict.Flags(srvFlags)&dict.FlagImplMask)
		return d, nil
	})
}

func (d *proxyDict) Lookup(key string) (string, bool, error) {
	var status int
	var value string
	n, err := d.cl.Request([]attr.Attr{attr.Str("request", "lookup"), attr.Str("table", d.inner),
		attr.Int("flags", int(d.flags)), attr.Str("key", key)}, attr.Strict,
		attr.RecvInt("status", &status), attr.RecvStr("value", &value))
	if err != nil || n != 2 {
		return "", false, &dict.Error{Kind: dict.KindRetry, Msg: fmt.Sprintf("proxy:%s lookup failed", d.inner)}
	}
	switch status {
	case proxyOK:
		return value, true, nil
	case proxyNoKey:
		return "", false, nil
	}
	return "", false, &dict.Error{Kind: dict.KindRetry, Msg: fmt.Sprintf("proxy:%s lookup status %d", d.inner, status)}
}
