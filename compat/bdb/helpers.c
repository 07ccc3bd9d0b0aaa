#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "gp_lock.h"

/* gp_bdb_version_ok - the run-time library is the one we compiled against */
int gp_bdb_version_ok(void)
{
	int major, minor, patch;

	(void) db_version(&major, &minor, &patch);
	return (major == DB_VERSION_MAJOR && minor == DB_VERSION_MINOR);
}

/*
 * gp_bdb_open - create a private environment in "home" with the requested
 * memory pool size, then open "file" (relative to home) as a hash or
 * btree database.
 */
int gp_bdb_open(const char *home, const char *file, int hash,
		uint32_t flags, uint32_t cache_size, uint32_t nelem,
		gp_bdb **out)
{
	gp_bdb *h;
	uint32_t gbytes, bytes;
	int ncache, err;

	if ((h = calloc(1, sizeof(*h))) == 0)
		return (ENOMEM);
	if ((err = db_env_create(&h->env, 0)) != 0) {
		free(h);
		return (err);
	}
	if ((err = h->env->get_cachesize(h->env, &gbytes, &bytes, &ncache)) != 0)
		goto fail;
	if (gbytes == 0 && bytes < cache_size) {
		if ((err = h->env->set_cache_max(h->env, gbytes, cache_size)) != 0
		    || (err = h->env->set_cachesize(h->env, gbytes, cache_size,
						    ncache)) != 0)
			goto fail;
	}
	if ((err = h->env->open(h->env, home,
				DB_INIT_MPOOL | DB_CREATE | DB_PRIVATE, 0)) != 0)
		goto fail;
	if ((err = db_create(&h->db, h->env, 0)) != 0)
		goto fail;
	if (hash && (err = h->db->set_h_nelem(h->db, nelem)) != 0)
		goto fail;
	if ((err = h->db->open(h->db, 0, file, 0, hash ? DB_HASH : DB_BTREE,
			       flags, 0644)) != 0)
		goto fail;
	*out = h;
	return (0);

fail:
	if (h->db)
		(void) h->db->close(h->db, 0);
	(void) h->env->close(h->env, 0);
	free(h->scratch);
	free(h);
	return (err);
}

int gp_bdb_fd(gp_bdb *h, int *fd)
{
	return (h->db->fd(h->db, fd));
}

int gp_bdb_get(gp_bdb *h, const void *key, size_t klen,
	       void **val, size_t *vlen)
{
	DBT k, v;
	int err;

	memset(&k, 0, sizeof(k));
	memset(&v, 0, sizeof(v));
	k.data = (void *) key;
	k.size = klen;
	if ((err = h->db->get(h->db, 0, &k, &v, 0)) == 0) {
		*val = v.data;
		*vlen = v.size;
	}
	return (err);
}

/*
 * gp_bdb_lookup - one dictionary lookup in one call: with lock_fd >= 0
 * take the shared lock, try the key with a trailing NUL (try1) and then
 * without (try0), release the lock. Returns 0 (found; *with_nul says
 * which form), DB_NOTFOUND, a libdb error, or GP_LOCK_FAILED
 * (*lock_err holds errno); a failed unlock after a lookup sets
 * *unlock_err.
 */
int gp_bdb_lookup(gp_bdb *h, int lock_fd, int lock_style,
		  const void *key, size_t klen, int try1, int try0,
		  void **val, size_t *vlen, int *with_nul, int *lock_err,
		  int *unlock_err)
{
	int err = DB_NOTFOUND;

	*lock_err = *unlock_err = 0;
	if (lock_fd >= 0 && gp_lock(lock_fd, lock_style, 1) < 0) {
		*lock_err = errno;
		return (GP_LOCK_FAILED);
	}
	if (try1) {
		if ((err = gp_bdb_reserve(h, klen + 1)) == 0) {
			memcpy(h->scratch, key, klen);
			h->scratch[klen] = 0;
			err = gp_bdb_get(h, h->scratch, klen + 1, val, vlen);
			*with_nul = 1;
		}
	}
	if (try0 && err == DB_NOTFOUND) {
		err = gp_bdb_get(h, key, klen, val, vlen);
		*with_nul = 0;
	}
	if (lock_fd >= 0 && gp_lock(lock_fd, lock_style, 0) < 0)
		*unlock_err = errno;
	return (err);
}

int gp_bdb_put(gp_bdb *h, const void *key, size_t klen,
	       const void *val, size_t vlen, uint32_t flags)
{
	DBT k, v;

	memset(&k, 0, sizeof(k));
	memset(&v, 0, sizeof(v));
	k.data = (void *) key;
	k.size = klen;
	v.data = (void *) val;
	v.size = vlen;
	return (h->db->put(h->db, 0, &k, &v, flags));
}

/* gp_bdb_reserve - make room for len bytes in the scratch buffer */
int gp_bdb_reserve(gp_bdb *h, size_t len)
{
	if (h->scratch_cap < len || h->scratch == 0) {
		size_t cap = len < 256 ? 256 : len;
		char   *p = realloc(h->scratch, cap);

		if (p == 0)
			return (ENOMEM);
		h->scratch = p;
		h->scratch_cap = cap;
	}
	return (0);
}

int gp_bdb_del(gp_bdb *h, const void *key, size_t klen)
{
	DBT k;

	memset(&k, 0, sizeof(k));
	k.data = (void *) key;
	k.size = klen;
	return (h->db->del(h->db, 0, &k, 0));
}

/* gp_bdb_cursor_get - DB_FIRST (opening the cursor once) or DB_NEXT */
int gp_bdb_cursor_get(gp_bdb *h, int first, void **key, size_t *klen,
		      void **val, size_t *vlen)
{
	DBT k, v;
	int err;

	if (h->cursor == 0 && (err = h->db->cursor(h->db, 0, &h->cursor, 0)) != 0)
		return (err);
	memset(&k, 0, sizeof(k));
	memset(&v, 0, sizeof(v));
	if ((err = h->cursor->c_get(h->cursor, &k, &v,
				    first ? DB_FIRST : DB_NEXT)) == 0) {
		*key = k.data;
		*klen = k.size;
		*val = v.data;
		*vlen = v.size;
	}
	return (err);
}

/*
 * gp_bdb_hash_buckets - the number of buckets a hash database has now,
 * from its metadata page (DB_FAST_STAT does not walk the file).
 */
int gp_bdb_hash_buckets(gp_bdb *h, uint32_t *buckets)
{
	DB_HASH_STAT *sp;
	int err;

	if ((err = h->db->stat(h->db, 0, &sp, DB_FAST_STAT)) != 0)
		return (err);
	*buckets = sp->hash_buckets;
	free(sp);
	return (0);
}

int gp_bdb_sync(gp_bdb *h)
{
	return (h->db->sync(h->db, 0));
}

/*
 * gp_bdb_close - close cursor, database and environment. The result is
 * the database close status; the handle is freed in every case.
 */
int gp_bdb_close(gp_bdb *h)
{
	int err;

	if (h->cursor)
		(void) h->cursor->c_close(h->cursor);
	err = h->db->close(h->db, 0);
	(void) h->env->close(h->env, 0);
	free(h->scratch);
	free(h);
	return (err);
}
