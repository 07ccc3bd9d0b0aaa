// Package mime is Postfix's MIME parser state engine
// (src/global/mime_state.c, header_token.c): it takes the text records
// of a message, reassembles header lines with their continuations,
// tells primary headers from the headers of multipart body parts and of
// attached messages, follows multipart boundaries up to
// mime_nesting_limit, tracks each part's Content-Transfer-Encoding and
// reports the errors the strict_* parameters ask for (8-bit data in
// headers or in 7-bit bodies, bad encoding domains for message/* and
// multipart/*, nesting and header size limits). Optionally it
// downgrades 8-bit parts to quoted-printable (the SMTP client's
// conversion).
//
// cleanup uses it to apply header_checks, mime_header_checks and
// nested_header_checks to the right headers and body_checks per body
// part; postmap -m can use it to query tables with message headers.
package mime
