package milter

import (
	"bufio"
	"encoding/binary"
	"net"
	"strings"
	"time"

	"gopostfix/libglobal/util/msg"
)

// milter8 is one Sendmail 8 milter application (milter8.c's MILTER8).
type milter8 struct {
	name                                string
	connTimeout, cmdTimeout, msgTimeout time.Duration
	protocol                            string // "" after a hand-off
	defAction                           string

	version, rqMask, evMask, npMask uint32

	nc       net.Conn // nil: closed
	r        *bufio.Reader
	w        *bufio.Writer
	timeout  time.Duration
	flushErr error

	state       int
	defReply    string // the persistent reply after an error or a final decision
	skipEvent   byte   // SMFIR_SKIP: skip further events of this type
	wantRcptRej bool
	macros      *Macros // SETSYMLIST or handed-off lists; nil: use the global ones

	parent *Milters
	log    *msg.Logger
}

func (m *milter8) closeStream() {
	if m.nc != nil {
		m.w.Flush()
		m.nc.Close()
		m.nc = nil
	}
	m.state = statClosed
}

// poison shuts the socket down without flushing (the peer may be out of
// step with us) and closes it.
func (m *milter8) poison() {
	if m.nc != nil {
		if c, ok := m.nc.(interface{ CloseRead() error }); ok {
			c.CloseRead()
		}
		if c, ok := m.nc.(interface{ CloseWrite() error }); ok {
			c.CloseWrite()
		}
		m.nc.Close()
		m.nc = nil
	}
}

// confError is a local or milter configuration error.
func (m *milter8) confError() {
	m.poison()
	switch strings.ToLower(m.defAction) {
	case "accept":
		m.defReply = ""
	case "quarantine":
		m.defReply = "H"
	default:
		m.defReply = "451 4.3.5 Server configuration problem - try again later"
	}
	m.state = statError
}

// commError is a read, write or format error.
func (m *milter8) commError() {
	m.poison()
	switch strings.ToLower(m.defAction) {
	case "accept":
		m.defReply = ""
	case "reject":
		m.defReply = "550 5.5.0 Service unavailable"
	case "tempfail":
		m.defReply = "451 4.7.1 Service unavailable - try again later"
	case "quarantine":
		m.defReply = "H"
	default:
		m.log.Warnf("milter %s: unrecognized default action: %s", m.name, m.defAction)
		m.defReply = "451 4.3.5 Server configuration problem - try again later"
	}
	m.state = statError
}

// protocolMasks turns milter_protocol ("6", "2 no_header_reply", ...)
// into the version and the events offered.
func (m *milter8) protocolMasks() (version int, events uint32, ok bool) {
	for _, name := range strings.FieldsFunc(m.protocol, isCommaSpace) {
		var mask uint32
		vers := -1
		switch name {
		case "6", "4", "3", "2":
			vers = int(name[0] - '0')
			for _, vm := range versionMasks {
				if vm.version == vers {
					mask = vm.mask
				}
			}
		case "no_header_reply":
			vers, mask = 0, pNRHdr
		}
		if vers < 0 || (vers != 0 && version != 0) {
			m.log.Warnf("milter %s: bad protocol information: %s", m.name, name)
			m.confError()
			return 0, 0, false
		}
		if vers != 0 {
			version = vers
		}
		events |= mask
	}
	if events == 0 || version == 0 {
		m.log.Warnf("milter %s: no protocol version information", m.name)
		m.confError()
		return 0, 0, false
	}
	return version, events, true
}

func isCommaSpace(r rune) bool { return strings.ContainsRune(", \t\r\n", r) }

// connect opens the connection and negotiates (milter8_connect).
func (m *milter8) connect() {
	version, events, ok := m.protocolMasks()
	if !ok {
		return
	}
	m.npMask = noSendMask &^ events
	transport, endpoint, found := strings.Cut(m.name, ":")
	if !found || transport == "" || endpoint == "" {
		m.log.Warnf("Milter service needs transport:endpoint instead of \"%s\"", m.name)
		m.confError()
		return
	}
	var network string
	switch transport {
	case "inet":
		network = "tcp"
	case "unix", "local":
		network = "unix"
	default:
		m.log.Warnf("invalid transport name: %s in Milter service: %s", transport, m.name)
		m.confError()
		return
	}
	nc, err := dial(network, endpoint, m.connTimeout)
	if err != nil {
		m.log.Warnf("connect to Milter service %s: %s", m.name, m.errText(err))
		m.commError()
		return
	}
	m.attach(nc)
	m.timeout = m.cmdTimeout
	var opt [12]byte
	binary.BigEndian.PutUint32(opt[0:], uint32(version))
	binary.BigEndian.PutUint32(opt[4:], myActions)
	binary.BigEndian.PutUint32(opt[8:], events)
	if m.writeCmd(cmdOptneg, opt[:]) {
		m.log.Warnf("milter %s: write error in initial handshake", m.name)
		return
	}
	cmd, left, ok := m.readResp(cmdOptneg)
	if !ok {
		m.log.Warnf("milter %s: read error in initial handshake", m.name)
		return
	}
	if cmd != cmdOptneg {
		m.log.Warnf("milter %s: unexpected reply \"%c\" in initial handshake", m.name, cmd)
		m.commError()
		return
	}
	var vals [3]uint32
	for i := range vals {
		if vals[i], ok = m.readLong(&left); !ok {
			m.log.Warnf("milter %s: read error in initial handshake", m.name)
			return
		}
	}
	m.version, m.rqMask, m.evMask = vals[0], vals[1], vals[2]
	if int(m.version) > version {
		m.log.Warnf("milter %s: protocol version %d conflict with MTA protocol version %d",
			m.name, int32(m.version), version)
		m.commError()
		return
	}
	if m.rqMask&myActions != m.rqMask {
		m.log.Warnf("milter %s: request mask 0x%x conflict with MTA request mask 0x%x",
			m.name, m.rqMask, myActions)
		m.commError()
		return
	}
	m.wantRcptRej = m.evMask&pRcptRej != 0
	if int(m.version) < version {
		found := false
		for _, vm := range versionMasks {
			if vm.version <= int(m.version) {
				m.npMask |= noSendMask &^ vm.mask
				found = true
				break
			}
		}
		if !found {
			m.log.Warnf("milter %s: unexpected protocol version %d", m.name, int32(m.version))
		}
	}
	m.state = statReady
	m.defReply = ""
	m.skipEvent = 0
	if left > 0 {
		m.readSymLists(left)
	}
}

// readSymLists takes the per-stage macro lists after the OPTNEG reply.
func (m *milter8) readSymLists(left int64) {
	m.macros = &Macros{}
	for left > 0 {
		stage, ok := m.readLong(&left)
		if !ok {
			return
		}
		list, ok := m.readString(&left)
		if !ok {
			return
		}
		if p := m.macros.stage(stage); p == nil {
			m.log.Warnf("milter %s: ignoring unknown macro type %d", m.name, stage)
		} else {
			*p = list
		}
	}
}

// stage maps an SMFIM_* number to its list.
func (mc *Macros) stage(n uint32) *string {
	switch n {
	case 0:
		return &mc.Conn
	case 1:
		return &mc.Helo
	case 2:
		return &mc.Mail
	case 3:
		return &mc.Rcpt
	case 4:
		return &mc.Data
	case 5:
		return &mc.EOD
	case 6:
		return &mc.EOH
	}
	return nil
}

// dial connects with a timeout (inet_connect, unix_connect).
func dial(network, endpoint string, timeout time.Duration) (net.Conn, error) {
	d := net.Dialer{Timeout: timeout}
	return d.Dial(network, endpoint)
}
