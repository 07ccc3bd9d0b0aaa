// Package bouncetmpl holds the message templates of bounce(8) and their
// expansion: Postfix's src/bounce/bounce_template.c and
// bounce_templates.c (bounce(5), "postconf -t" and "postconf -b").
//
// A Set has four templates (failure, delay, success, verify), each
// starting as the built-in text. Load replaces members from a
// bounce_template_file; a replacement is parsed only when it is first
// used, and an unusable one is dropped (with Postfix's warnings) in
// favour of the built-in text, exactly as Postfix does.
//
// Deliberate difference: when smtputf8_enable is on, $myhostname and
// $mydomain are shown in UTF-8 form. Postfix asks ICU (UTS #46); here
// ASCII labels are lower-cased and "xn--" labels are Punycode-decoded,
// which is what UTS #46 does for every name a hostname can be.
package bouncetmpl
