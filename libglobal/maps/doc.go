// Package maps holds Postfix's table lookup algorithms from src/global:
// maps_find over a list of tables (maps.c), lookups of domain names with
// parent matching (parent_domain_matches_subdomains), of email addresses
// in mail_addr_find order (mail_addr_find.c) and of IP addresses by
// prefix (check_client_access style).
package maps
