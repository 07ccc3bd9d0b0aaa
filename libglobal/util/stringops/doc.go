// Package stringops holds the small text conversions of Postfix's
// stringops(3) family (src/util/stringops.h) that more than one program
// needs: escape(3) for bytes shown in log lines.
package stringops
