// Package headers classifies message header lines the way Postfix's
// src/global/header_opts.c and is_header.c do, and formats the mail
// date of Date: and Received: headers (mail_date.c). cleanup uses the
// classes to decide which headers hold sender or recipient addresses,
// which are dropped (message_drop_headers), which switch it to Resent-
// mode, and which count as hops.
package headers
