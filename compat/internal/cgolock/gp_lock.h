/*
 * The whole-file shared lock that Postfix's readers take around each
 * lookup, in its two styles: flock(2) (INTERNAL_LOCK, hash and btree)
 * and fcntl(2) (lmdb). compat/bdb and compat/lmdb include this from the
 * C side of their one-call lookups, so that a lookup with its lock and
 * unlock costs one cgo call. The style numbers are dict.LockStyle's.
 */
#ifndef GP_LOCK_H
#define GP_LOCK_H

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define GP_LOCK_FLOCK	0
#define GP_LOCK_FCNTL	1

/* What a one-call lookup returns when the lock could not be taken: no
 * libdb, LMDB or errno value. */
#define GP_LOCK_FAILED	(-29999)

/* gp_lock - take a shared lock (shared != 0) or release it; -1 with errno */
static inline int gp_lock(int fd, int style, int shared)
{
	struct flock lk;

	for (;;) {
		int rc;

		if (style == GP_LOCK_FLOCK) {
			rc = flock(fd, shared ? LOCK_SH : LOCK_UN);
		} else {
			memset(&lk, 0, sizeof(lk));
			lk.l_type = shared ? F_RDLCK : F_UNLCK;
			lk.l_whence = SEEK_SET;
			rc = fcntl(fd, F_SETLKW, &lk);
		}
		if (rc == 0 || errno != EINTR)
			return (rc);
	}
}

#endif
