package mailconf

import (
	"fmt"
	"os"
	"os/user"
	"strconv"
	"strings"

	"gopostfix/libglobal/params"
	"gopostfix/libglobal/util/dict"
)

// Global is what every Postfix program derives from main.cf at start-up
// (mail_params_init in src/global/mail_params.c), beyond the values
// themselves.
type Global struct {
	CompatLevel int64  // compatibility_level, comparable (params.ParseCompatLevel)
	Myorigin    string // $myorigin, read from the file it names when it starts with '/'
	OwnerUID    int    // mail_owner
	OwnerGID    int
	DefaultUID  int // default_privs
	DefaultGID  int
	SgidGID     int // setgid_group
}

// startupParams are the parameters mail_params_init reads, in its order,
// between its checks. Each is read with the getter of its kind, so the
// first bad value is reported as Postfix reports it.
var (
	startupFirst = []string{
		"mail_version", "syslog_facility", "inet_protocols", "multi_instance_directories",
		"multi_instance_group", "multi_instance_name", "maillog_file", "maillog_file_prefixes",
		"maillog_file_compressor", "maillog_file_rotate_suffix", "postlog_service_name",
		"dnssec_probe", "known_tcp_ports",
		"daemon_table_open_error_is_fatal", "dns_ncache_ttl_fix_enable",
		"smtputf8_enable", "enable_idna2003_compatibility", "respectful_logging",
	}
	startupOther = []string{
		"mail_name", "syslog_name", "mail_owner", "setgid_group", "mydestination", "myorigin",
		"relayhost", "daemon_directory", "data_directory", "command_directory", "meta_directory",
		"queue_directory", "shlib_directory", "process_id_directory", "inet_interfaces",
		"proxy_interfaces", "double_bounce_sender", "default_privs", "alias_database",
		"mail_release_date", "default_database_type", "hash_queue_names", "recipient_delimiter",
		"relay_domains", "fast_flush_domains", "export_environment", "import_environment",
		"mynetworks_style", "debug_peer_list", "default_verp_delimiters", "verp_delimiter_filter",
		"parent_domain_matches_subdomains", "alternate_config_directories", "bounce_service_name",
		"cleanup_service_name", "defer_service_name", "pickup_service_name", "queue_service_name",
		"rewrite_service_name", "showq_service_name", "error_service_name", "flush_service_name",
		"address_verify_service_name", "trace_service_name", "proxymap_service_name",
		"proxywrite_service_name", "internal_mail_filter_classes", "multi_instance_wrapper",
		"default_delivery_status_filter", "smtputf8_autodetect_classes", "message_drop_headers",
		"info_log_address_format",
	}
	startupNumbers = []string{
		"default_process_limit", "max_use", "dont_remove", "line_length_limit", "hash_queue_depth",
		"fork_attempts", "deliver_lock_attempts", "debug_peer_level", "fault_injection_code",
		"berkeley_db_create_buffer_size", "berkeley_db_read_buffer_size", "header_size_limit",
		"header_address_token_limit", "mime_nesting_limit", "mime_boundary_length_limit",
		"delay_logging_resolution_limit", "tcp_windowsize",
		"message_size_limit", "lmdb_map_size",
		"disable_dns_lookups", "soft_bounce", "owner_request_special", "strict_8bitmime",
		"strict_7bit_headers", "strict_8bitmime_body", "strict_mime_encoding_domain",
		"disable_mime_input_processing", "disable_mime_output_conversion",
		"address_verify_negative_cache", "backwards_bounce_logfile_compatibility",
		"helpful_warnings", "send_cyrus_sasl_authzid", "multi_instance_enable",
		"enable_long_queue_ids", "strict_smtputf8", "enable_original_recipient",
		"application_event_drain_time", "max_idle", "ipc_timeout", "ipc_idle", "ipc_ttl",
		"trigger_timeout", "fork_delay", "deliver_lock_delay", "stale_lock_time",
		"daemon_timeout", "in_flow_delay",
	}
)

// syslogFacilities are the facility names glibc's syslog knows.
var syslogFacilities = map[string]bool{
	"auth": true, "authpriv": true, "cron": true, "daemon": true, "ftp": true, "kern": true,
	"lpr": true, "mail": true, "news": true, "syslog": true, "user": true, "uucp": true,
	"local0": true, "local1": true, "local2": true, "local3": true, "local4": true,
	"local5": true, "local6": true, "local7": true,
}

// readTyped reads a built-in parameter with the getter of its kind.
func (c *Config) readTyped(name string) error {
	p, _ := params.Lookup(name)
	var err error
	switch p.Kind {
	case params.Bool:
		_, err = c.Bool(name)
	case params.Int:
		_, err = c.Int(name)
	case params.Long:
		_, err = c.Long(name)
	case params.Time:
		_, err = c.Time(name)
	default:
		_, err = c.Str(name)
	}
	return err
}

func (c *Config) readAll(names []string) error {
	for _, name := range names {
		if err := c.readTyped(name); err != nil {
			return err
		}
	}
	return nil
}

// CheckGlobal validates main.cf the way every Postfix program does when it
// starts (mail_params_init): it reads the global parameters in Postfix's
// order and applies its checks, so that the first error is the one
// Postfix would die with (warnings, such as valid_hostname's, are logged).
//
// Not reproduced: the warnings about parameters left at backwards-
// compatible defaults (check_legacy_defaults) and the syntax checks of
// known_tcp_ports.
func (c *Config) CheckGlobal() (*Global, error) {
	g := &Global{}
	level, err := c.Str("compatibility_level")
	if err != nil {
		return nil, err
	}
	if g.CompatLevel, err = params.ParseCompatLevel(level); err != nil {
		return nil, err
	}
	if err := c.readAll(startupFirst); err != nil {
		return nil, err
	}
	if f, _ := c.Str("syslog_facility"); !syslogFacilities[f] {
		return nil, c.fileError("parameter syslog_facility: unrecognized value: %s", f)
	}
	if _, err := params.ParseProtocols(mustStr(c, "inet_protocols")); err != nil {
		return nil, err
	}
	for _, name := range []string{"myhostname", "mydomain"} {
		v, err := c.Str(name)
		if err != nil {
			return nil, err
		}
		if why := params.CheckHostname(v); why != "" {
			c.log.Warnf("valid_hostname: %s", why)
			return nil, c.fileError("parameter %s: bad parameter value: %s", name, v)
		}
	}
	if err := c.readAll(startupOther); err != nil {
		return nil, err
	}
	if g.Myorigin, err = c.myorigin(); err != nil {
		return nil, err
	}
	if err := c.readAll(startupNumbers); err != nil {
		return nil, err
	}
	if err := c.checkUsers(g); err != nil {
		return nil, err
	}
	if _, err := c.Str("mynetworks"); err != nil {
		return nil, err
	}
	host, relay := mustStr(c, "myhostname"), mustStr(c, "relayhost")
	if strings.EqualFold(host, relay) {
		return nil, fmt.Errorf("myhostname and relayhost parameter settings must not be identical: %s", host)
	}
	if strings.ContainsAny(g.Myorigin, listSep) {
		return nil, fmt.Errorf("myorigin parameter setting must not contain multiple values: %s", g.Myorigin)
	}
	if why := verpDelimsProblem(mustStr(c, "default_verp_delimiters"), mustStr(c, "verp_delimiter_filter")); why != "" {
		return nil, c.fileError("parameters default_verp_delimiters and verp_delimiter_filter: %s", why)
	}
	return g, nil
}

// mustStr returns a value already read successfully.
func mustStr(c *Config, name string) string {
	v, _ := c.Str(name)
	return v
}

// fileError words an error about main.cf as mail_params_init does.
func (c *Config) fileError(format string, args ...any) error {
	return fmt.Errorf("file %s/main.cf: "+format, append([]any{mustStr(c, "config_directory")}, args...)...)
}

func verpDelimsProblem(delims, filter string) string {
	switch {
	case len(delims) != 2:
		return "bad VERP delimiter character count"
	case strings.IndexByte(filter, delims[0]) < 0:
		return "bad first VERP delimiter character"
	case strings.IndexByte(filter, delims[1]) < 0:
		return "bad second VERP delimiter character"
	}
	return ""
}

// myorigin returns $myorigin; a value that starts with '/' names a file
// whose first line, trimmed, is the origin (Debian's /etc/mailname).
func (c *Config) myorigin() (string, error) {
	v := mustStr(c, "myorigin")
	if !strings.HasPrefix(v, "/") {
		return v, nil
	}
	line, why := readFirstLine(v)
	if why != "" {
		return "", fmt.Errorf("%s: %s", v, why)
	}
	origin := strings.Trim(line, spaceChars)
	if origin == "" {
		return "", fmt.Errorf("myorigin file %s is empty", v)
	}
	return origin, nil
}

// readFirstLine opens path with safe_open's checks (one link, not a
// directory, no symbolic link unless root's in a safe directory) and
// returns its first line; why says what was wrong.
func readFirstLine(path string) (line, why string) {
	f, err := os.Open(path)
	if err != nil {
		return "", "cannot open file: " + dict.ErrnoText(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", "bad open file status: " + dict.ErrnoText(err)
	}
	if n := linkCount(st); n != 1 {
		return "", fmt.Sprintf("file has %d hard links", n)
	}
	if st.IsDir() {
		return "", "file is a directory"
	}
	if lst, err := os.Lstat(path); err == nil && lst.Mode()&os.ModeSymlink != 0 && !trustedSymlink(path, lst) {
		return "", "file is a symbolic link"
	}
	data, err := readPrefix(f)
	if err != nil {
		return "", "read error: " + dict.ErrnoText(err)
	}
	line, _, _ = strings.Cut(data, "\n")
	return line, ""
}

// checkUsers looks up mail_owner, default_privs and setgid_group and
// rejects privileged or shared IDs (check_default_privs,
// check_mail_owner, check_sgid_group, check_overlap).
func (c *Config) checkUsers(g *Global) error {
	privs, owner, group := mustStr(c, "default_privs"), mustStr(c, "mail_owner"), mustStr(c, "setgid_group")
	var err error
	if g.DefaultUID, g.DefaultGID, err = c.unprivilegedUser("default_privs", privs); err != nil {
		return err
	}
	if g.OwnerUID, g.OwnerGID, err = c.unprivilegedUser("mail_owner", owner); err != nil {
		return err
	}
	if u, err := user.LookupId(strconv.Itoa(g.OwnerUID)); err == nil && u.Username != owner {
		return c.fileError("parameter mail_owner: user %s has same user ID as %s", owner, u.Username)
	}
	grp, err := user.LookupGroup(group)
	if err != nil {
		return c.fileError("parameter setgid_group: unknown group name: %s", group)
	}
	if g.SgidGID, _ = strconv.Atoi(grp.Gid); g.SgidGID == 0 {
		return c.fileError("parameter setgid_group: group %s has privileged group ID", group)
	}
	if other, err := user.LookupGroupId(grp.Gid); err == nil && other.Name != group {
		return c.fileError("parameter setgid_group: group %s has same group ID as %s", group, other.Name)
	}
	switch {
	case privs == owner:
		return c.fileError("parameters default_privs and mail_owner specify the same user %s", privs)
	case g.DefaultUID == g.OwnerUID:
		return c.fileError("parameters default_privs and mail_owner: users %s and %s have the same user ID: %d", privs, owner, g.OwnerUID)
	case g.DefaultGID == g.OwnerGID:
		return c.fileError("parameters default_privs and mail_owner: users %s and %s have the same group ID: %d", privs, owner, g.OwnerGID)
	case g.DefaultGID == g.SgidGID:
		return c.fileError("parameters default_privs and setgid_group: user %s and group %s have the same group ID: %d", privs, group, g.SgidGID)
	case g.OwnerGID == g.SgidGID:
		return c.fileError("parameters mail_owner and setgid_group: user %s and group %s have the same group ID: %d", owner, group, g.SgidGID)
	}
	return nil
}

// unprivilegedUser looks up a user that must not have user or group ID 0.
func (c *Config) unprivilegedUser(param, name string) (uid, gid int, err error) {
	u, err := user.Lookup(name)
	if err != nil {
		return 0, 0, c.fileError("parameter %s: unknown user name value: %s", param, name)
	}
	uid, _ = strconv.Atoi(u.Uid)
	gid, _ = strconv.Atoi(u.Gid)
	if uid == 0 {
		return 0, 0, c.fileError("parameter %s: user %s has privileged user ID", param, name)
	}
	if gid == 0 {
		return 0, 0, c.fileError("parameter %s: user %s has privileged group ID", param, name)
	}
	return uid, gid, nil
}
