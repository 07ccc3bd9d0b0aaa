package bouncetmpl

// Template classes, as they appear in "CLASS_template" member names.
const (
	ClassFailure = "failure"
	ClassDelay   = "delay"
	ClassSuccess = "success"
	ClassVerify  = "verify"
)

// builtinOrigin names the built-in templates in diagnostics.
const builtinOrigin = "[built-in]"

const (
	stdFrom = "Mail Delivery System <MAILER-DAEMON>"
	obsFrom = "MAILER-DAEMON (Mail Delivery System)"
)

// The built-in texts are Postfix 3.7's, line for line.
var (
	failureText = []string{
		"This is the mail system at host $myhostname.",
		"",
		"I'm sorry to have to inform you that your message could not",
		"be delivered to one or more recipients. It's attached below.",
		"",
		"For further assistance, please send mail to postmaster.",
		"",
		"If you do so, please include this problem report. You can",
		"delete your own text from the attached returned message.",
		"",
		"                   The mail system",
	}
	delayText = []string{
		"This is the mail system at host $myhostname.",
		"",
		"####################################################################",
		"# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #",
		"####################################################################",
		"",
		"Your message could not be delivered for more than $delay_warning_time_hours hour(s).",
		"It will be retried until it is $maximal_queue_lifetime_days day(s) old.",
		"",
		"For further assistance, please send mail to postmaster.",
		"",
		"If you do so, please include this problem report. You can",
		"delete your own text from the attached returned message.",
		"",
		"                   The mail system",
	}
	successText = []string{
		"This is the mail system at host $myhostname.",
		"",
		"Your message was successfully delivered to the destination(s)",
		"listed below. If the message was delivered to mailbox you will",
		"receive no further notifications. Otherwise you may still receive",
		"notifications of mail delivery errors from other systems.",
		"",
		"                   The mail system",
	}
	verifyText = []string{
		"This is the mail system at host $myhostname.",
		"",
		"Enclosed is the mail delivery report that you requested.",
		"",
		"                   The mail system",
	}
)

// builtin returns the built-in template of a class.
func builtin(class string) content {
	c := content{origin: builtinOrigin, charset: "us-ascii", encoding: "7bit",
		stdFrom: stdFrom, obsFrom: obsFrom}
	switch class {
	case ClassFailure:
		c.subject, c.pmSubject, c.text = "Undelivered Mail Returned to Sender", "Postmaster Copy: Undelivered Mail", failureText
	case ClassDelay:
		c.subject, c.pmSubject, c.text = "Delayed Mail (still being retried)", "Postmaster Warning: Delayed Mail", delayText
	case ClassSuccess:
		c.subject, c.text = "Successful Mail Delivery Report", successText
	case ClassVerify:
		c.subject, c.text = "Mail Delivery Status Report", verifyText
	}
	return c
}
