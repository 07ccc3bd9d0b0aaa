package smtpclient

// contentTables are the tables of the header/body checks, generic
// mapping and reply filter services (master.cf services hbc, generic,
// rfilter).
var contentTables = map[string]string{
	"etc/header_checks": `/^Subject: case hbc/ REPLACE Subject: replaced subject
/^X-Prepend-Here:/ PREPEND X-Prepended: yes
/^X-Strip-Me:/ STRIP stripped it
/^X-Ignore-Me:/ IGNORE
/^X-Warn-Me:/ WARN warned header
/^X-Info-Me:/ info
/^X-Reject-Me:/ REJECT not here
/^X-Bad-Replace:/ REPLACE not a header
/^X-Empty-Prepend:/ PREPEND
/^X-Dunno:/ DUNNO
/^Content-Type:/ WARN primary table sees a MIME header
/^X-Long-Header-That-Is-Long:/ INFO
`,
	"etc/mime_header_checks": `/^MIME-Version:/ WARN mime version seen
/^Content-Type: text\/plain; name=part2/ REPLACE Content-Type: text/plain; name=renamed
/^Content-Description: drop/ IGNORE
`,
	"etc/nested_header_checks": `/^Subject: nested/ REPLACE Subject: nested replaced
/^X-Nested-Prepend:/ PREPEND X-From-Nested: 1
`,
	"etc/body_checks": `/^body replace me/ REPLACE body replaced
/^body strip me/ STRIP
/^body prepend/ PREPEND prepended body line
/^body ignore/ IGNORE
/^body warn/ WARN body warning
/^body hold/ HOLD
`,
	"etc/generic": `sender@bounces.test outside@public.example
user@generic.test rewritten@public.example
plus@generic.test plusout@public.example
@lan.generic.test @public.example
bare@generic.test bareuser
multi@generic.test one@public.example, two@public.example
`,
	"etc/reply_filter": `/^250-PIPELINING$/ 250-XPIPELINING
/^550-5\.1\.1 (.*)/ 450-4.1.1 $1
/^550 5\.1\.1 (.*)/ 450 4.1.1 $1
`,
}

// hbcMessage exercises every action of the checks, in the primary
// headers, MIME part headers, an attached message and the body.
const hbcMessage = `X-Prepend-Here: one
X-Strip-Me: two
X-Ignore-Me: three
X-Warn-Me: four
X-Info-Me: five
X-Reject-Me: six
X-Bad-Replace: seven
X-Empty-Prepend: eight
X-Dunno: nine
X-Long-Header-That-Is-Long: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="BOUND"

preamble
--BOUND
Content-Type: text/plain; name=part1

body replace me
body strip me
body prepend here
body ignore this
body warn about this
body hold this
plain line
--BOUND
Content-Type: text/plain; name=part2
Content-Description: drop this

second part
--BOUND
Content-Type: message/rfc822

Subject: nested subject
X-Nested-Prepend: x
X-Prepend-Here: nested

nested body replace me
--BOUND--
epilogue
`

// genericMessage has sender and recipient headers for smtp_generic_maps,
// a long list to be folded again, and headers that are not rewritten.
const genericMessage = `Cc: "Joe Lan" <joe@lan.generic.test>, other@generic.test
Reply-To: bare@generic.test
Resent-Cc: multi@generic.test
Resent-To: user@generic.test, aaaaaaaaaaaaaaaa@lan.generic.test, bbbbbbbbbbbbbbbbbbbb@lan.generic.test, cccccccccccc@lan.generic.test
X-Not-Rewritten: user@generic.test
Sender: plus+ext@generic.test

body with user@generic.test
`
