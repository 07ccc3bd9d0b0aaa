// Package smtpd holds the end-to-end tests of our smtpd: scratch Postfix
// instances run by the real 3.7.11 master, with the real daemons except
// where a service names one of our programs. The single-swap test
// delivers mail through our smtpd into a mailbox; the differential test
// replays the dialogue scripts of testdata/dialogues against the real
// smtpd and ours, side by side in one instance with the same main.cf,
// and compares replies and log lines. The tests need root and the real
// Postfix; they fail, never skip, without them. Ports 23000-23999 only.
package smtpd
