package libtls

import (
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"gopostfix/libglobal/util/attr"
	"gopostfix/libglobal/util/msg"
)

// tlsmgr request statuses (tls_mgr.h).
const (
	mgrStatOK   = 0
	mgrStatErr  = -1
	mgrStatFail = -2
)

// MgrClient is the client side of tlsmgr(8) (tls_mgr.c): entropy,
// the session cache policy, and session cache lookups and updates,
// each request tried twice a second apart as attr_clnt does, with its
// warnings.
type MgrClient struct {
	name string // "private/tlsmgr"
	log  *msg.Logger
	clnt *attr.Client
}

// NewMgrClient returns a client of queueDir/private/service.
func NewMgrClient(queueDir, service string, timeout time.Duration, log *msg.Logger) *MgrClient {
	name := "private/" + service
	c := attr.NewClient(filepath.Join(queueDir, "private", service), name, attr.ProtoTLSMgr, attr.Format0, log)
	if timeout > 0 {
		c.Timeout = timeout
	}
	return &MgrClient{name: name, log: log, clnt: c}
}

// request sends one request and reads the reply into targets, whose
// first must be the status; false when the server could not be asked.
func (m *MgrClient) request(send []attr.Attr, targets ...attr.Recv) bool {
	for try := 1; ; try++ {
		err := m.clnt.Use(func(c *attr.Conn) error {
			if err := c.Print(send...); err != nil {
				return err
			}
			n, err := c.Scan(attr.Strict, targets...)
			if err == nil && n != len(targets) {
				err = fmt.Errorf("%w: short reply", attr.ErrIO)
			}
			return err
		})
		if err == nil {
			return true
		}
		quiet := errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ENOENT) || errors.Is(err, io.EOF)
		if strings.HasPrefix(err.Error(), "connect to ") {
			m.log.Warnf("connect to %s: %s", m.name, errnoText(err))
		}
		if try == 2 || !quiet {
			m.log.Warnf("problem talking to server %s: %s", m.name, errnoText(err))
		}
		if try == 2 {
			return false
		}
		time.Sleep(time.Second)
	}
}

// errnoText is %m for a failed exchange.
func errnoText(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		s := errno.Error()
		return strings.ToUpper(s[:1]) + s[1:]
	}
	return "Success"
}

// Seed asks for size bytes of entropy (tls_mgr_seed).
func (m *MgrClient) Seed(size int) ([]byte, bool) {
	var status int
	var seed []byte
	ok := m.request([]attr.Attr{attr.Str("request", "seed"), attr.Int("size", size)},
		attr.RecvInt("status", &status), attr.RecvData("seed", &seed))
	return seed, ok && status == mgrStatOK
}

// Policy asks whether sessions of a cache type ("smtp", "lmtp") are
// cached, and for how long (tls_mgr_policy).
func (m *MgrClient) Policy(cacheType string) (cachable bool, timeout int) {
	var status, c int
	ok := m.request([]attr.Attr{attr.Str("request", "policy"), attr.Str("cache_type", cacheType)},
		attr.RecvInt("status", &status), attr.RecvInt("cachable", &c), attr.RecvInt("timeout", &timeout))
	if !ok || status != mgrStatOK || timeout <= 0 {
		return false, 0
	}
	return c != 0, timeout
}

// Lookup fetches a cached session (tls_mgr_lookup).
func (m *MgrClient) Lookup(cacheType, id string) ([]byte, bool) {
	var status int
	var session []byte
	ok := m.request([]attr.Attr{attr.Str("request", "lookup"), attr.Str("cache_type", cacheType), attr.Str("cache_id", id)},
		attr.RecvInt("status", &status), attr.RecvData("session", &session))
	return session, ok && status == mgrStatOK
}

// Update stores a session (tls_mgr_update).
func (m *MgrClient) Update(cacheType, id string, session []byte) bool {
	var status int
	ok := m.request([]attr.Attr{attr.Str("request", "update"), attr.Str("cache_type", cacheType),
		attr.Str("cache_id", id), attr.Data("session", session)}, attr.RecvInt("status", &status))
	return ok && status == mgrStatOK
}

// Delete removes a session (tls_mgr_delete).
func (m *MgrClient) Delete(cacheType, id string) bool {
	var status int
	ok := m.request([]attr.Attr{attr.Str("request", "delete"), attr.Str("cache_type", cacheType),
		attr.Str("cache_id", id)}, attr.RecvInt("status", &status))
	return ok && status == mgrStatOK
}

// MgrSessionCache keeps one server's TLS session in the tlsmgr cache
// under a cache ID (Postfix's external client session cache). The
// session is Go's, so the ID must not be one an OpenSSL client uses:
// neither can read the other's sessions.
type MgrSessionCache struct {
	Mgr       *MgrClient
	CacheType string
	ID        string
}

// Get returns the cached session; one that cannot be read is deleted.
func (c *MgrSessionCache) Get(string) (*tls.ClientSessionState, bool) {
	data, ok := c.Mgr.Lookup(c.CacheType, c.ID)
	if !ok {
		return nil, false
	}
	cs, err := decodeSession(data)
	if err != nil {
		c.Mgr.Delete(c.CacheType, c.ID)
		return nil, false
	}
	return cs, true
}

// Put saves a new session, or forgets the server's session when cs is
// nil.
func (c *MgrSessionCache) Put(_ string, cs *tls.ClientSessionState) {
	if cs == nil {
		c.Mgr.Delete(c.CacheType, c.ID)
		return
	}
	if data, err := encodeSession(cs); err == nil {
		c.Mgr.Update(c.CacheType, c.ID, data)
	}
}

// encodeSession passivates a session: the ticket's length (4 bytes,
// big endian), the ticket, then the session state.
func encodeSession(cs *tls.ClientSessionState) ([]byte, error) {
	ticket, state, err := cs.ResumptionState()
	if err != nil || state == nil {
		return nil, fmt.Errorf("session cannot be resumed: %v", err)
	}
	sb, err := state.Bytes()
	if err != nil {
		return nil, err
	}
	out := binary.BigEndian.AppendUint32(nil, uint32(len(ticket)))
	return append(append(out, ticket...), sb...), nil
}

// decodeSession activates a passivated session.
func decodeSession(data []byte) (*tls.ClientSessionState, error) {
	if len(data) < 4 {
		return nil, errors.New("short session")
	}
	n := binary.BigEndian.Uint32(data)
	if uint64(n) > uint64(len(data)-4) {
		return nil, errors.New("bad session ticket length")
	}
	state, err := tls.ParseSessionState(data[4+n:])
	if err != nil {
		return nil, err
	}
	return tls.NewResumptionState(data[4:4+n], state)
}
