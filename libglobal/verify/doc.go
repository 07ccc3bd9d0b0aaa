// Package verify is the client of the address verification service,
// verify(8): Postfix's src/global/verify_clnt.c. smtpd's
// reject_unverified_sender/recipient ask it for an address's status
// (Query); the bounce/defer/sent reporting of address probes stores
// probe results through it (Update).
//
// The conversation on private/verify (protocols.md 2.4), over one
// persistent connection that is dropped after ipc_idle or ipc_ttl:
//
//	verify: protocol=address_verification_prrotocol   (sic)
//	client: request=query, address
//	verify: status, recipient_status, reason
//	client: request=update, address, recipient_status, reason
//	verify: status
//
// A failed exchange is retried on a new connection after a one-second
// pause, as long as Client.Tries allows (Postfix retries forever). The
// warning "problem talking to service verify: ERROR" is logged for every
// failure except when the server was simply not there or went away; a
// query warns about that too from its second attempt on.
package verify
