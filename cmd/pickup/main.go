// Command pickup is Postfix's pickup(8) daemon: it takes the files that
// postdrop leaves in the maildrop queue, streams each to cleanup(8) with
// its own "Received: by $myhostname ($mail_name, from userid UID)"
// header, and removes the file once cleanup has accepted it or rejected
// it for good. It runs when postdrop or the master wakeup timer triggers
// it, as a trigger server with a process limit of 1.
package main

import (
	"os"
	"strings"

	"gopostfix/libglobal/cleanup"
	"gopostfix/libmaster"
)

func main() {
	var p *pickup
	libmaster.TriggerServerMain(os.Args, func(s *libmaster.Server, buf []byte) {
		p.scan()
	}, libmaster.Options{
		Solitary: true,
		PostInit: func(s *libmaster.Server) error {
			var err error
			p, err = newPickup(s)
			return err
		},
	})
}

// newPickup reads the configuration.
func newPickup(s *libmaster.Server) (*pickup, error) {
	uid := s.Global.OwnerUID
	flags := cleanup.FlagBounce | cleanup.FlagMaskExternal
	for _, o := range strings.FieldsFunc(s.Str("receive_override_options"), isSep) {
		switch strings.ToLower(o) {
		case "no_address_mappings":
			flags &^= cleanup.FlagMapOK
		case "no_header_body_checks":
			flags &^= cleanup.FlagFilter
		case "no_milters":
			flags &^= cleanup.FlagMilter
		}
	}
	autoUTF8 := false
	for _, c := range strings.FieldsFunc(s.Str("smtputf8_autodetect_classes"), isSep) {
		if strings.EqualFold(c, "sendmail") || strings.EqualFold(c, "all") {
			autoUTF8 = true
		}
	}
	return &pickup{
		log: s.Log, queueDir: s.QueueDir, ownerUID: uint32(uid), flags: flags, autoUTF8: autoUTF8,
		lineLimit: s.Int("line_length_limit"), filter: s.Str("content_filter"),
		myhostname: s.Str("myhostname"), mailName: s.Str("mail_name"),
		service: s.Str("cleanup_service_name"), timeout: s.IPCTimeout,
	}, nil
}

func isSep(r rune) bool { return strings.ContainsRune(", \t\r\n", r) }
