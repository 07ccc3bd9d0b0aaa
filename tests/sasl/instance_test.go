package sasl

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	pfx "gopostfix/tests/internal/instance"
	"gopostfix/tests/internal/testcert"
)

var ours = pfx.NewPrograms("smtpd")

func TestMain(m *testing.M) { os.Exit(ours.Main(m)) }

// profile is one pair of smtpd services, the real one and ours, with
// the same -o overrides.
type profile struct {
	id    string // what sessions name it by
	name  string // smtpd_sasl_path
	opts  string // master.cf -o options
	conf  string // etc/sasl/NAME.conf, "" for none
	sasld bool   // needs the test's saslauthd
}

const mainCF = `myhostname = mx.example.com
mydomain = example.com
myorigin = $myhostname
mydestination = $myhostname, localhost
alias_maps =
alias_database =
local_recipient_maps =
smtpd_error_sleep_time = 0
smtpd_soft_error_limit = 100
smtpd_hard_error_limit = 100
default_transport = discard:remote mail disabled in this test
cyrus_sasl_config_path = @ROOT@/elsewhere
smtpd_sasl_auth_enable = yes
smtpd_client_restrictions = permit_sasl_authenticated, reject
`

const masterCF = pfx.MasterCF + `anvil     unix  -       -       n       -       1       anvil
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
`

// newInstance starts the real master with both smtpds of every profile.
// newInstance returns the instance and, by profile id, the real smtpd's
// port and ours.
func newInstance(t *testing.T, profiles []profile) (*pfx.Instance, map[string][2]int) {
	t.Helper()
	pfx.RequireRealPostfix(t)
	bin := ours.Dir(t)
	ports := freePorts(t, 34410, 2*len(profiles))
	byID := map[string][2]int{}
	for i, p := range profiles {
		byID[p.id] = [2]int{ports[2*i], ports[2*i+1]}
	}
	var mcf strings.Builder
	mcf.WriteString(masterCF)
	cert, key, err := testcert.SelfSigned("mx.example.com")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"etc/cert.pem": cert, "etc/key.pem": key}
	for pi, p := range profiles {
		for i, prog := range []string{"smtpd", "gosmtpd"} {
			fmt.Fprintf(&mcf, "127.0.0.1:%d inet n - n - - %s -o smtpd_sasl_path=%s %s\n", ports[2*pi+i], prog, p.name, p.opts)
		}
		if p.conf != "" {
			files["etc/sasl/"+p.name+".conf"] = p.conf
		}
		// Debian's smtpd reads only $config_directory/sasl and
		// /usr/lib/sasl, whatever cyrus_sasl_config_path (main.cf
		// below) says: a file in the place it names is never read.
		files["elsewhere/"+p.name+".conf"] = "mech_list: ANONYMOUS\n"
	}
	in := pfx.New(t, pfx.Options{Prefix: "sasltest", Main: mainCF, Master: mcf.String(), Files: files,
		Ours: map[string]string{"gosmtpd": filepath.Join(bin, "smtpd")}, NoStart: true})
	makeSasldb(t, in.Path("etc/sasldb2"))
	// A copy smtpd (user postfix) may not read, as /etc/sasldb2 is on
	// Debian (root:sasl 0660) unless postfix joins group sasl.
	private := in.Path("etc/sasldb2-private")
	if data, err := os.ReadFile(in.Path("etc/sasldb2")); err != nil || os.WriteFile(private, data, 0600) != nil {
		t.Fatalf("copy sasldb: %v", err)
	}
	os.Chmod(private, 0600)
	imap := freePorts(t, 34400, 1)[0]
	startIMAP(t, imap)
	startSaslauthd(t, in.Path("saslauthd"), imap)
	in.Start()
	return in, byID
}

// freePorts picks n ports of the test's range (34400-34499) from from on
// that can be
// bound now: clients of other tests get ephemeral ports from the same
// numbers, and a port in TIME-WAIT cannot be listened on.
func freePorts(t *testing.T, from, n int) []int {
	t.Helper()
	var out []int
	for p := from; p < 34500 && len(out) < n; p++ {
		ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
		if err != nil {
			continue
		}
		ln.Close()
		out = append(out, p)
	}
	if len(out) < n {
		t.Fatalf("only %d free ports in %d-34499, need %d", len(out), from, n)
	}
	return out
}
