#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "gp_lock.h"

/* Map size headroom Postfix leaves above an existing file's size. */
#define GP_FUDGE	10240

/* gp_buf_reserve - make room for len bytes */
int gp_buf_reserve(gp_buf *b, size_t len)
{
	if (b->cap < len || b->data == 0) {
		size_t cap = len < 64 ? 64 : len;
		char   *p = realloc(b->data, cap);

		if (p == 0)
			return (ENOMEM);
		b->data = p;
		b->cap = cap;
	}
	return (0);
}

static int gp_buf_set(gp_buf *b, const void *data, size_t len)
{
	if (gp_buf_reserve(b, len) != 0)
		return (ENOMEM);
	if (len > 0)
		memcpy(b->data, data, len);
	b->len = len;
	return (0);
}

/*
 * gp_prepare - first steps of a (re)started transaction: drop everything
 * when rebuilding, and outside bulk mode end the transaction at once.
 */
static int gp_prepare(gp_lmdb *h)
{
	int err = 0;

	if (h->truncate) {
		if ((err = mdb_drop(h->txn, h->dbi, 0)) != 0) {
			mdb_txn_abort(h->txn);
			h->txn = 0;
			return (err);
		}
		if (!h->bulk) {
			err = mdb_txn_commit(h->txn);
			h->txn = 0;
		}
	} else if (!h->bulk) {
		mdb_txn_abort(h->txn);
		h->txn = 0;
	}
	h->api_retries = 0;
	return (err);
}

/*
 * gp_recover - try to get past err: grow the map on MDB_MAP_FULL, adopt
 * another process's larger map on MDB_MAP_RESIZED. Returns 0 when the
 * failed call may be repeated, GP_LMDB_RESTART when a bulk transaction was
 * started over (the caller must feed every record again), or an error.
 */
static int gp_recover(gp_lmdb *h, int err)
{
	MDB_envinfo info;

	if (++h->api_retries >= h->api_retry_limit)
		return (err);
	if (h->bulk && ++h->bulk_retries > h->bulk_retry_limit)
		return (err);
	switch (err) {
	case MDB_MAP_FULL:
		if (h->curr_limit < h->hard_limit / 2)
			h->curr_limit *= 2;
		else if (h->curr_limit < h->hard_limit)
			h->curr_limit = h->hard_limit;
		else
			return (err);
		if ((err = mdb_env_set_mapsize(h->env, h->curr_limit)) != 0)
			return (err);
		break;
	case MDB_MAP_RESIZED:
		if ((err = mdb_env_set_mapsize(h->env, 0)) != 0)
			return (err);
		mdb_env_info(h->env, &info);
		h->curr_limit = info.me_mapsize;
		break;
	default:
		return (err);
	}
	if (h->bulk) {
		if ((err = mdb_txn_begin(h->env, 0, 0, &h->txn)) != 0)
			return (err);
		if ((err = gp_prepare(h)) != 0)
			return (err);
		return (GP_LMDB_RESTART);
	}
	return (0);
}

int gp_lmdb_open(const char *path, size_t map_size, int rdonly,
		 int truncate, int bulk, gp_lmdb **out)
{
	gp_lmdb *h;
	struct stat st;
	MDB_txn *txn;
	int err;

	if ((h = calloc(1, sizeof(*h))) == 0)
		return (ENOMEM);
	h->curr_limit = map_size < GP_FUDGE ? GP_FUDGE : map_size;
	h->hard_limit = SSIZE_MAX;
	h->api_retry_limit = 2;
	h->bulk_retry_limit = 2 * sizeof(size_t) * CHAR_BIT;
	if (stat(path, &st) == 0 && (size_t) st.st_size > h->curr_limit - GP_FUDGE) {
		if ((size_t) st.st_size > h->hard_limit)
			h->hard_limit = st.st_size;
		if ((size_t) st.st_size < h->hard_limit - GP_FUDGE)
			h->curr_limit = st.st_size + GP_FUDGE;
		else
			h->curr_limit = h->hard_limit;
	}
	h->env_flags = MDB_NOSUBDIR | MDB_NOLOCK | (rdonly ? MDB_RDONLY : 0);
	h->truncate = truncate;
	h->bulk = bulk;
	if ((err = mdb_env_create(&h->env)) != 0) {
		free(h);
		return (err);
	}
	if ((err = mdb_env_set_mapsize(h->env, h->curr_limit)) != 0
	    || (err = mdb_env_open(h->env, path, h->env_flags, 0644)) != 0
	    || (err = mdb_txn_begin(h->env, 0, h->env_flags & MDB_RDONLY, &txn)) != 0)
		goto fail;
	if ((err = mdb_dbi_open(txn, 0, 0, &h->dbi)) != 0
	    || (err = mdb_env_get_fd(h->env, &h->fd)) != 0) {
		mdb_txn_abort(txn);
		goto fail;
	}
	h->txn = txn;
	if ((err = gp_prepare(h)) != 0)
		goto fail;
	*out = h;
	return (0);

fail:
	mdb_env_close(h->env);
	free(h);
	return (err);
}

/* gp_lmdb_get - look up key; the value lands in h->val */
int gp_lmdb_get(gp_lmdb *h, const void *key, size_t klen)
{
	MDB_txn *txn = h->txn;
	MDB_val k, v;
	int err;

	for (;;) {
		if (txn == 0 && (err = mdb_txn_begin(h->env, 0, MDB_RDONLY, &txn)) != 0) {
			txn = 0;
			if ((err = gp_recover(h, err)) != 0)
				break;
			continue;
		}
		k.mv_data = (void *) key;
		k.mv_size = klen;
		err = mdb_get(txn, h->dbi, &k, &v);
		if (err == 0)
			err = gp_buf_set(&h->val, v.mv_data, v.mv_size);
		if (err == 0 || err == MDB_NOTFOUND) {
			if (txn != h->txn)
				mdb_txn_abort(txn);
			break;
		}
		mdb_txn_abort(txn);
		if (txn == h->txn)
			h->txn = 0;
		txn = 0;
		if ((err = gp_recover(h, err)) != 0)
			break;
	}
	h->api_retries = 0;
	return (err);
}

/*
 * gp_lmdb_lookup - one dictionary lookup in one call: with lock_fd >= 0
 * take the shared lock, try the key with a trailing NUL (try1) and then
 * without (try0), release the lock. Returns 0 (found, the value in
 * h->val; *with_nul says which form), MDB_NOTFOUND, an LMDB error, or
 * GP_LOCK_FAILED (*lock_err holds errno); a failed unlock after a lookup
 * sets *unlock_err.
 */
int gp_lmdb_lookup(gp_lmdb *h, int lock_fd, int lock_style,
		   const void *key, size_t klen, int try1, int try0,
		   int *with_nul, int *lock_err, int *unlock_err)
{
	int err = MDB_NOTFOUND;

	*lock_err = *unlock_err = 0;
	if (lock_fd >= 0 && gp_lock(lock_fd, lock_style, 1) < 0) {
		*lock_err = errno;
		return (GP_LOCK_FAILED);
	}
	if (try1) {
		if ((err = gp_buf_reserve(&h->scratch, klen + 1)) == 0) {
			memcpy(h->scratch.data, key, klen);
			h->scratch.data[klen] = 0;
			err = gp_lmdb_get(h, h->scratch.data, klen + 1);
			*with_nul = 1;
		}
	}
	if (try0 && err == MDB_NOTFOUND) {
		err = gp_lmdb_get(h, key, klen);
		*with_nul = 0;
	}
	if (lock_fd >= 0 && gp_lock(lock_fd, lock_style, 0) < 0)
		*unlock_err = errno;
	return (err);
}

/* gp_write - run one put or delete, in the bulk transaction or its own */
static int gp_write(gp_lmdb *h, const void *key, size_t klen,
		    const void *val, size_t vlen, unsigned int flags, int del)
{
	MDB_txn *txn;
	MDB_val k, v;
	int err;

	for (;;) {
		txn = h->txn;
		if (txn == 0 && (err = mdb_txn_begin(h->env, 0, 0, &txn)) != 0) {
			if ((err = gp_recover(h, err)) != 0)
				break;
			continue;
		}
		k.mv_data = (void *) key;
		k.mv_size = klen;
		v.mv_data = (void *) val;
		v.mv_size = vlen;
		err = del ? mdb_del(txn, h->dbi, &k, 0) : mdb_put(txn, h->dbi, &k, &v, flags);
		if (err == MDB_KEYEXIST || err == MDB_NOTFOUND) {
			if (txn != h->txn)
				mdb_txn_abort(txn);
			break;
		}
		if (err == 0 && txn != h->txn)
			err = mdb_txn_commit(txn);
		else if (err != 0) {
			mdb_txn_abort(txn);
			if (txn == h->txn)
				h->txn = 0;
		}
		if (err == 0 || (err = gp_recover(h, err)) != 0)
			break;
	}
	h->api_retries = 0;
	return (err);
}

int gp_lmdb_put(gp_lmdb *h, const void *key, size_t klen,
		const void *val, size_t vlen, unsigned int flags)
{
	return (gp_write(h, key, klen, val, vlen, flags, 0));
}

int gp_lmdb_del(gp_lmdb *h, const void *key, size_t klen)
{
	return (gp_write(h, key, klen, 0, 0, 0, 1));
}

/*
 * gp_lmdb_seq - return the first or next record in h->key and h->val.
 * Each call runs in its own read transaction (the file is not locked by
 * LMDB, so the caller locks around each call); the position is carried
 * over as the last key seen.
 */
int gp_lmdb_seq(gp_lmdb *h, int first)
{
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	int err;

	if (h->bulk)
		return (EINVAL);
	for (;;) {
		if ((err = mdb_txn_begin(h->env, 0, MDB_RDONLY, &txn)) != 0) {
			if ((err = gp_recover(h, err)) != 0)
				break;
			continue;
		}
		if ((err = mdb_cursor_open(txn, h->dbi, &cur)) != 0) {
			mdb_txn_abort(txn);
			if ((err = gp_recover(h, err)) != 0)
				break;
			continue;
		}
		if (!first && h->have_saved_key) {
			k.mv_data = h->saved_key.data;
			k.mv_size = h->saved_key.len;
			err = mdb_cursor_get(cur, &k, 0, MDB_SET);
		}
		if (err == 0)
			err = mdb_cursor_get(cur, &k, &v, first ? MDB_FIRST : MDB_NEXT);
		if (err == 0 && (err = gp_buf_set(&h->key, k.mv_data, k.mv_size)) == 0
		    && (err = gp_buf_set(&h->val, v.mv_data, v.mv_size)) == 0
		    && (err = gp_buf_set(&h->saved_key, k.mv_data, k.mv_size)) == 0)
			h->have_saved_key = 1;
		mdb_cursor_close(cur);
		mdb_txn_abort(txn);
		if (err == MDB_NOTFOUND)
			h->have_saved_key = 0;
		if (err == 0 || err == MDB_NOTFOUND || (err = gp_recover(h, err)) != 0)
			break;
	}
	h->api_retries = 0;
	return (err);
}

/*
 * gp_lmdb_close - commit the bulk transaction, if any, and close. A
 * GP_LMDB_RESTART result means the commit ran out of map space, a new
 * transaction has begun and the handle is still open.
 */
int gp_lmdb_close(gp_lmdb *h)
{
	int err = 0;

	if (h->bulk && h->txn != 0) {
		err = mdb_txn_commit(h->txn);
		h->txn = 0;
		if (err != 0 && (err = gp_recover(h, err)) == GP_LMDB_RESTART)
			return (err);
	}
	mdb_env_close(h->env);
	free(h->saved_key.data);
	free(h->key.data);
	free(h->val.data);
	free(h->scratch.data);
	free(h);
	return (err);
}
