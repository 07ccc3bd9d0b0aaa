package postscreen

import "strings"

// zone is what the DNS server (tests/internal/nsdns) answers. Listed
// clients get A records; everything else under a zone is NXDOMAIN with
// the zone's SOA in the authority section; "servfail.test" always
// fails.
var zone = strings.Split(strings.TrimSpace(`bl1.test. 300 IN SOA ns.bl1.test. admin.bl1.test. 1 2 3 4 5
bl2.test. 400 IN SOA ns.bl2.test. admin.bl2.test. 1 2 3 4 5
wl.test. 500 IN SOA ns.wl.test. admin.wl.test. 1 2 3 4 5
4.0.0.127.bl1.test. 120 IN A 127.0.0.2
5.0.0.127.bl2.test. 130 IN A 127.0.0.9
6.0.0.127.bl1.test. 140 IN A 127.0.0.2
6.0.0.127.wl.test. 150 IN A 127.0.0.10
7.0.0.127.bl1.test. 160 IN A 127.0.0.2
7.0.0.127.bl2.test. 170 IN A 127.0.0.3
8.0.0.127.wl.test. 180 IN A 127.0.0.10
32.0.0.127.bl1.test. 190 IN A 127.0.0.2
33.0.0.127.bl2.test. 200 IN A 127.0.0.2
33.0.0.127.bl2.test. 90 IN A 127.0.0.4
`), "\n")
