// Package queue is the Postfix queue directory: queue names and IDs, the
// hashed subdirectories, the file modes that carry a queue file's state,
// creating a queue file under a unique name, moving files between queues,
// scanning queue directories and locking queue files. It reproduces
// src/global/mail_queue.c and mail_queue.h, file_id.c, safe_ultostr.c,
// mail_open_ok.c, mail_scan_dir.c and src/util/dir_forest.c, scan_dir.c,
// sane_rename.c and myflock.c (flock style, as on Linux).
//
// Paths are relative to the queue directory, as in Postfix, whose
// programs chdir there first; a Layout with a non-empty Root resolves them
// below Root instead, for programs and tests that do not chdir.
package queue
