// Package mkmap is the engine shared by postmap(1) and postalias(1)
// (src/postmap/postmap.c, src/postalias/postalias.c and
// src/global/mkmap_open.c): building a table from a source file with the
// source's permissions and owner, incremental updates from stdin, queries
// (-q key, -q -), deletes (-d) and listing (-s), with the programs'
// exact output and diagnostics. The two programs differ only in how a
// source line becomes a key and value and in a few texts, which Tool
// carries.
package mkmap
