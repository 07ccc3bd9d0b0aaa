// Package mastercf reads and writes master.cf, the table of services that
// Postfix's master(8) runs (master(5)). It reproduces what both readers of
// the file in Postfix see:
//
//   - postconf(1)'s view (src/postconf/postconf_master.c): the eight fixed
//     fields kept as written ("-" stays "-"), the sanity checks with their
//     fatal texts, the normalisation of daemon options ("-vo x=y" becomes
//     "-v" "-o" "x=y", "{ name = value }" becomes "name=value") and the
//     -M/-F display and folding rules;
//   - master(8)'s view (src/master/master_ent.c): the "-" defaults of the
//     fields and the daemon arguments with their braces removed.
//
// Deliberate reproduction of a Postfix quirk: the option normaliser looks
// for the letter "o" anywhere after the first option letter, so
// "-osmtpd_client_restrictions=x" is shown by postconf as
// "-o smtpd_client_restricti -o ns=x". Only the postconf view (Normalize)
// does this; DaemonArgs, which master uses, is not affected.
package mastercf
