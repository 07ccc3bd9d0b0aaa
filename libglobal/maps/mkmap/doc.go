// Package mkmap is the engine shared by postmap(1) and postalias(1)
// (src/postmap/postmap.c, src/postalias/postalias.c and
// src/global/mkmap_open.c): building a table from a source file with the
// source's permissions and owner, incremental updates from stdin, queries
// (-q key, -q -), deletes (-d) and listing (-s), with the programs'
// exact output and diagnostics. The two programs differ only in how a
// source line becomes a key and value and in a few texts, which Tool
// carries.
package mkmap

// GCPercent is the garbage collector setting postmap and postalias run
// with (their mains pass it to debug.SetGCPercent). Their live Go heap
// stays under a megabyte while a build streams a million lines through
// it; the default setting lets the heap reach 4 MB between collections,
// resident memory that a table build, which already holds Berkeley DB's
// or LMDB's buffers, is better without. The extra collections of a heap
// this small cost a few milliseconds per million lines.
const GCPercent = 25
